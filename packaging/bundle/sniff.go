package bundle

import (
	"bytes"
	"encoding/binary"
)

// SniffLen is the number of leading bytes [Sniff] needs: a zip local
// header (30 bytes), the name "mimetype" and the media type.
const SniffLen = 38 + len(MediaType)

// Sniff reports whether prefix, the first bytes of a file, are those of an
// OTA bundle: a zip local header at offset 0 for a stored entry named
// "mimetype", without extra field, holding [MediaType]. It needs
// [SniffLen] bytes and reports false on fewer. Tools use it to tell a
// bundle from other zip files without parsing the archive; [Open] checks
// the same and more.
func Sniff(prefix []byte) bool {
	if len(prefix) < SniffLen {
		return false
	}
	le := binary.LittleEndian
	return le.Uint32(prefix[0:]) == 0x04034b50 &&
		le.Uint16(prefix[8:]) == 0 &&
		le.Uint16(prefix[26:]) == uint16(len(mimetypeName)) &&
		le.Uint16(prefix[28:]) == 0 &&
		string(prefix[30:38]) == mimetypeName &&
		bytes.Equal(prefix[38:SniffLen], []byte(MediaType))
}
