package zipw

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/metaacademy/ota/internal/mediatype"
)

// maxPathLength bounds an entry name, as the archive reader does by
// default.
const maxPathLength = 1024

// CheckName reports why p cannot be an entry name, or nil. The
// rules are those the archive reader enforces, so that whatever the writer
// accepts can be read back: a clean relative slash path, valid UTF-8, no
// backslash, colon or control character, no segment ending in a dot or a
// space.
func CheckName(p string) error {
	switch {
	case p == "" || !fs.ValidPath(p) || p == ".":
		return fmt.Errorf("path %q is not a clean relative slash path", p)
	case len(p) > maxPathLength:
		return fmt.Errorf("path %q is longer than %d bytes", p, maxPathLength)
	case !utf8.ValidString(p):
		return fmt.Errorf("path %q is not valid UTF-8", p)
	case strings.ContainsAny(p, `\:`):
		return fmt.Errorf("path %q contains a backslash or colon", p)
	case strings.ContainsFunc(p, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return fmt.Errorf("path %q contains control characters", p)
	}
	for seg := range strings.SplitSeq(p, "/") {
		if len(seg) > 255 {
			return fmt.Errorf("path %q has a segment longer than 255 bytes", p)
		}
		if strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " ") {
			return fmt.Errorf("path %q has a segment ending in a dot or a space", p)
		}
	}
	return nil
}

// Names tracks the entry names of an archive to refuse duplicates, names
// that differ only in case, and names used both as file and folder. The
// zero value is ready to use.
type Names struct {
	files map[string]bool // lower-cased file names
	dirs  map[string]bool // lower-cased folder names
}

// Add checks p with [CheckName] and against the names added before, and
// records it.
func (s *Names) Add(p string) error {
	if err := CheckName(p); err != nil {
		return err
	}
	if s.files == nil {
		s.files, s.dirs = map[string]bool{}, map[string]bool{}
	}
	k := strings.ToLower(p)
	switch {
	case s.files[k]:
		return fmt.Errorf("path %q is already in the archive (names are compared ignoring case)", p)
	case s.dirs[k]:
		return fmt.Errorf("path %q is already a folder in the archive", p)
	}
	for d := path.Dir(k); d != "."; d = path.Dir(d) {
		if s.files[d] {
			return fmt.Errorf("path %q is inside %q, which is a file", p, d)
		}
	}
	s.files[k] = true
	for d := path.Dir(k); d != "." && !s.dirs[d]; d = path.Dir(d) {
		s.dirs[d] = true
	}
	return nil
}

// MediaType returns the media type for p's extension, from the module's
// built-in table, or application/octet-stream.
func MediaType(p string) string { return mediatype.OrOctetStream(p) }

// Compressed reports whether files of media type mt are already compressed
// and so are stored rather than deflated: raster images, audio, video,
// fonts in compressed formats, PDF and archives.
func Compressed(mt string) bool {
	mt, _, _ = strings.Cut(strings.ToLower(mt), ";")
	mt = strings.TrimSpace(mt)
	switch {
	case mt == "image/svg+xml" || mt == "image/bmp" || mt == "image/x-ms-bmp" || mt == "image/vnd.microsoft.icon":
		return false
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "video/"):
		return true
	case strings.HasPrefix(mt, "audio/"):
		return mt != "audio/wav" && mt != "audio/x-wav"
	case strings.HasSuffix(mt, "+zip"), strings.HasPrefix(mt, "application/vnd.openxmlformats-"):
		return true
	}
	switch mt {
	case "application/zip", "application/gzip", "application/x-7z-compressed", "application/x-bzip2",
		"application/x-xz", "application/zstd", "application/pdf", "font/woff", "font/woff2":
		return true
	}
	return false
}

// Has reports whether p, compared ignoring case, has been added as a file.
func (s *Names) Has(p string) bool { return s.files[strings.ToLower(p)] }
