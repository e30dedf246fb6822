package archive

import (
	"archive/zip"
	"encoding/binary"
	"io"
	"slices"
)

// Record signatures and sizes (APPNOTE 4.3).
const (
	sigLocal       = 0x04034b50
	sigCentral     = 0x02014b50
	sigEnd         = 0x06054b50
	sigEnd64       = 0x06064b50
	sigLocator64   = 0x07064b50
	localLen       = 30
	centralLen     = 46
	endLen         = 22
	locator64Len   = 20
	end64Len       = 56
	flagDescriptor = 0x0008
	zip64ExtraID   = 0x0001
)

// checkLayout checks what the central directory says against the rest of
// the archive, as an extractor relies on it: every entry's local header
// exists, names the same file with the same method and, unless the entry
// has a data descriptor, the same CRC-32 and sizes; every entry's data
// lies before the central directory; and no two entries share bytes
// (overlapping entries are how some zip bombs multiply their data, and
// two names for the same bytes are never legitimate). Each problem is an
// [ErrCorrupt]. It reads the central directory a second time, for the
// header offsets archive/zip keeps to itself, and one local header per
// entry.
func checkLayout(c *collector, r io.ReaderAt, size int64, files []*zip.File) {
	w := &window{r: r, size: size}
	cdStart, ok := directoryStart(w)
	if !ok {
		c.add(ErrCorrupt, -1, "", "the end of central directory record cannot be read again")
		return
	}
	type span struct {
		start, end int64
		index      int
	}
	spans := make([]span, 0, len(files))
	pos := cdStart
	for i, f := range files {
		var hdr [centralLen]byte
		if !w.read(hdr[:], pos) || binary.LittleEndian.Uint32(hdr[:]) != sigCentral {
			c.add(ErrCorrupt, -1, "", "central directory record %d cannot be read again", i)
			return
		}
		nameLen := int64(binary.LittleEndian.Uint16(hdr[28:]))
		extraLen := int64(binary.LittleEndian.Uint16(hdr[30:]))
		commentLen := int64(binary.LittleEndian.Uint16(hdr[32:]))
		offset := int64(binary.LittleEndian.Uint32(hdr[42:]))
		if offset == 0xFFFFFFFF {
			extra := make([]byte, extraLen)
			if !w.read(extra, pos+centralLen+nameLen) {
				c.add(ErrCorrupt, i, f.Name, "its central directory record cannot be read again")
				return
			}
			offset = zip64Offset(extra, binary.LittleEndian.Uint32(hdr[24:]) == 0xFFFFFFFF, binary.LittleEndian.Uint32(hdr[20:]) == 0xFFFFFFFF)
		}
		pos += centralLen + nameLen + extraLen + commentLen
		start, end, ok := checkLocal(c, w, i, f, offset+w.base, cdStart)
		if ok {
			spans = append(spans, span{start, end, i})
		}
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return compare64(a.start, b.start)
		}
		return a.index - b.index
	})
	for k := 1; k < len(spans); k++ {
		prev, cur := spans[k-1], spans[k]
		if cur.start < prev.end {
			c.add(ErrCorrupt, cur.index, files[cur.index].Name, "its bytes overlap those of entry %d %q", prev.index, files[prev.index].Name)
		}
		if cur.end < prev.end {
			spans[k].end = prev.end // keep the furthest end for the next comparison
		}
	}
}

// checkLocal checks the local header of entry i at offset and returns the
// span of bytes the entry occupies (header and data).
func checkLocal(c *collector, w *window, i int, f *zip.File, offset, cdStart int64) (start, end int64, ok bool) {
	fail := func(format string, args ...any) (int64, int64, bool) {
		c.add(ErrCorrupt, i, f.Name, format, args...)
		return 0, 0, false
	}
	if offset < 0 || offset+localLen > cdStart {
		return fail("its local header offset %d is past the data (the central directory starts at %d)", offset, cdStart)
	}
	var hdr [localLen]byte
	if !w.read(hdr[:], offset) || binary.LittleEndian.Uint32(hdr[:]) != sigLocal {
		return fail("no local header at offset %d", offset)
	}
	flags := binary.LittleEndian.Uint16(hdr[6:])
	method := binary.LittleEndian.Uint16(hdr[8:])
	crc := binary.LittleEndian.Uint32(hdr[14:])
	csize := uint64(binary.LittleEndian.Uint32(hdr[18:]))
	usize := uint64(binary.LittleEndian.Uint32(hdr[22:]))
	nameLen := int64(binary.LittleEndian.Uint16(hdr[26:]))
	extraLen := int64(binary.LittleEndian.Uint16(hdr[28:]))
	dataStart := offset + localLen + nameLen + extraLen
	if dataStart > cdStart {
		return fail("its local header runs past the data (the central directory starts at %d)", cdStart)
	}
	name := make([]byte, nameLen)
	extra := make([]byte, extraLen)
	if !w.read(name, offset+localLen) || !w.read(extra, offset+localLen+nameLen) {
		return fail("its local header cannot be read")
	}
	if string(name) != f.Name {
		return fail("its local header names %q", truncateName(string(name)))
	}
	if method != f.Method {
		c.add(ErrCorrupt, i, f.Name, "its local header says method %d, the central directory %d", method, f.Method)
	}
	if flags&flagDescriptor == 0 {
		if csize == 0xFFFFFFFF || usize == 0xFFFFFFFF {
			usize, csize = zip64Sizes(extra, usize, csize)
		}
		// A size left at 0xFFFFFFFF without a zip64 field (archive/zip
		// writes raw zip64 entries so) says nothing.
		unknown := func(local, central uint64) bool { return local == 0xFFFFFFFF && central >= 0xFFFFFFFF }
		switch {
		case crc != f.CRC32:
			c.add(ErrCorrupt, i, f.Name, "its local header says CRC-32 %08x, the central directory %08x", crc, f.CRC32)
		case csize != f.CompressedSize64 && !unknown(csize, f.CompressedSize64),
			usize != f.UncompressedSize64 && !unknown(usize, f.UncompressedSize64):
			c.add(ErrCorrupt, i, f.Name, "its local header says %d bytes (%d compressed), the central directory %d (%d compressed)",
				usize, csize, f.UncompressedSize64, f.CompressedSize64)
		}
	}
	if f.CompressedSize64 > uint64(cdStart-dataStart) {
		return fail("its %d compressed bytes at offset %d run past the data (the central directory starts at %d)", f.CompressedSize64, dataStart, cdStart)
	}
	return offset, dataStart + int64(f.CompressedSize64), true
}

// truncateName shortens a name quoted in a message.
func truncateName(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

func compare64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// zip64Field returns the body of the zip64 extended information field
// (0x0001) of an extra field, or nil.
func zip64Field(extra []byte) []byte {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra)
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		body := extra[4:min(len(extra), 4+n)]
		extra = extra[min(len(extra), 4+n):]
		if id == zip64ExtraID {
			return body
		}
	}
	return nil
}

// zip64Offset reads the local header offset from a central directory
// record's zip64 field, which holds the 64-bit values of the fields set to
// 0xFFFFFFFF, in the order uncompressed size, compressed size, offset.
func zip64Offset(extra []byte, hasUSize, hasCSize bool) int64 {
	body := zip64Field(extra)
	skip := 0
	if hasUSize {
		skip += 8
	}
	if hasCSize {
		skip += 8
	}
	if len(body) < skip+8 {
		return -1
	}
	return int64(min(binary.LittleEndian.Uint64(body[skip:]), 1<<62))
}

// zip64Sizes reads the sizes from a local header's zip64 field.
func zip64Sizes(extra []byte, usize, csize uint64) (uint64, uint64) {
	body := zip64Field(extra)
	if usize == 0xFFFFFFFF && len(body) >= 8 {
		usize, body = binary.LittleEndian.Uint64(body), body[8:]
	}
	if csize == 0xFFFFFFFF && len(body) >= 8 {
		csize = binary.LittleEndian.Uint64(body)
	}
	return usize, csize
}

// directoryStart finds the central directory as archive/zip does: the
// last end of central directory record, the zip64 one when there is one,
// and the offset of data prepended to the archive (a self-extractor's
// stub), which it stores in w.base.
func directoryStart(w *window) (int64, bool) {
	n := min(w.size, 65*1024+endLen)
	buf := make([]byte, n)
	if !w.read(buf, w.size-n) {
		return 0, false
	}
	p := -1
	for i := len(buf) - endLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigEnd {
			commentLen := int(binary.LittleEndian.Uint16(buf[i+20:]))
			if i+endLen+commentLen <= len(buf) {
				p = i
				break
			}
		}
	}
	if p < 0 {
		return 0, false
	}
	endOffset := w.size - n + int64(p)
	end := buf[p:]
	records := uint64(binary.LittleEndian.Uint16(end[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(end[12:]))
	dirOffset := uint64(binary.LittleEndian.Uint32(end[16:]))
	if records == 0xFFFF || dirSize == 0xFFFFFFFF || dirOffset == 0xFFFFFFFF {
		var loc [locator64Len]byte
		if endOffset >= locator64Len && w.read(loc[:], endOffset-locator64Len) && binary.LittleEndian.Uint32(loc[:]) == sigLocator64 {
			off := int64(min(binary.LittleEndian.Uint64(loc[8:]), 1<<62))
			var e64 [end64Len]byte
			if !w.read(e64[:], off) || binary.LittleEndian.Uint32(e64[:]) != sigEnd64 {
				return 0, false
			}
			endOffset = off
			dirSize = binary.LittleEndian.Uint64(e64[40:])
			dirOffset = binary.LittleEndian.Uint64(e64[48:])
		}
	}
	if dirSize > 1<<62 || dirOffset > 1<<62 {
		return 0, false
	}
	base := endOffset - int64(dirSize) - int64(dirOffset)
	if base > 0 {
		var sig [4]byte
		if w.read(sig[:], int64(dirOffset)) && binary.LittleEndian.Uint32(sig[:]) == sigCentral {
			base = 0 // archive/zip prefers an offset that points at a directory record
		}
	}
	w.base = base
	return base + int64(dirOffset), true
}

// window reads an io.ReaderAt through a 4 KiB buffer, so that the many
// small reads of a layout check cost few system calls without reading much
// of the large entries' data between their headers.
type window struct {
	r    io.ReaderAt
	size int64
	base int64 // bytes prepended to the archive
	buf  []byte
	off  int64 // offset of buf in r
}

// read fills p from offset off, reporting false when r does not hold
// those bytes.
func (w *window) read(p []byte, off int64) bool {
	if off < 0 || off > w.size || int64(len(p)) > w.size-off {
		return false
	}
	if len(p) > 2<<10 {
		n, err := w.r.ReadAt(p, off)
		return n == len(p) && (err == nil || err == io.EOF)
	}
	if off < w.off || off+int64(len(p)) > w.off+int64(len(w.buf)) {
		if w.buf == nil {
			w.buf = make([]byte, 4<<10)
		}
		w.buf = w.buf[:cap(w.buf)]
		n, err := w.r.ReadAt(w.buf[:min(int64(len(w.buf)), w.size-off)], off)
		if err != nil && err != io.EOF {
			w.buf = w.buf[:0]
			return false
		}
		w.buf, w.off = w.buf[:n], off
		if n < len(p) {
			return false
		}
	}
	copy(p, w.buf[off-w.off:])
	return true
}
