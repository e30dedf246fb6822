package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// Local header fields (APPNOTE 4.3.7).
const (
	lhMethod  = 8
	lhCRC     = 14
	lhCSize   = 18
	lhUSize   = 22
	lhNameLen = 26
)

// localHeader returns the local header of entry i (a slice into b from its
// start) and the offset of its data.
func localHeader(t testing.TB, b []byte, i int) ([]byte, int) {
	t.Helper()
	off := int(binary.LittleEndian.Uint32(centralHeaders(t, b)[i][cdLocalOff:]))
	h := b[off:]
	return h, off + localLen + int(binary.LittleEndian.Uint16(h[lhNameLen:])) + int(binary.LittleEndian.Uint16(h[lhNameLen+2:]))
}

// stored is a raw stored entry with honest headers.
func stored(data string) *rawEntry {
	return &rawEntry{method: zip.Store, crc: crc32.ChecksumIEEE([]byte(data)), csize: uint64(len(data)), usize: uint64(len(data)), data: []byte(data)}
}

// layoutCases are archives whose central directory contradicts the local
// headers or the data: the layout check rejects them when opened, as an
// extraction would trip on them, so that validate catches them too.
func layoutCases() []corpusCase {
	two := func(t testing.TB) []byte {
		return buildZip(t, zent{name: "a.txt", raw: stored("hello")}, zent{name: "b.txt", raw: stored("world")})
	}
	return []corpusCase{
		{name: "layout: entry a's data holds entry b (overlap)", build: func(t testing.TB) []byte {
			b := two(t)
			_, bData := localHeader(t, b, 1)
			aHdr, aData := localHeader(t, b, 0)
			n := bData + len("world") - aData // a now spans b's header and data
			crc := crc32.ChecksumIEEE(b[aData : aData+n])
			put32(aHdr, lhCRC, crc)
			put32(aHdr, lhCSize, uint32(n))
			put32(aHdr, lhUSize, uint32(n))
			return patchCentral(t, b, 0, func(h []byte) {
				put32(h, cdCRC, crc)
				put32(h, cdCSize, uint32(n))
				put32(h, cdUSize, uint32(n))
			})
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: two records for one local header", build: func(t testing.TB) []byte {
			b := two(t)
			hs := centralHeaders(t, b)
			return withCentral(t, b, [][]byte{hs[0], hs[1], renamed(t, hs[0], "c.txt")})
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: local header offset past the end", build: func(t testing.TB) []byte {
			return patchCentral(t, two(t), 1, func(h []byte) { put32(h, cdLocalOff, 0x7FFFFFF0) })
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: the local header names another file", build: func(t testing.TB) []byte {
			b := two(t)
			h, _ := localHeader(t, b, 1)
			copy(h[localLen:], "x.txt")
			return b
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: the local header says another method", build: func(t testing.TB) []byte {
			b := two(t)
			h, _ := localHeader(t, b, 0)
			binary.LittleEndian.PutUint16(h[lhMethod:], zip.Deflate)
			return b
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: the local header says other sizes", build: func(t testing.TB) []byte {
			b := two(t)
			h, _ := localHeader(t, b, 1)
			put32(h, lhCSize, 3)
			put32(h, lhUSize, 3)
			return b
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: the local header says another CRC", build: func(t testing.TB) []byte {
			b := two(t)
			h, _ := localHeader(t, b, 0)
			put32(h, lhCRC, 0xdeadbeef)
			return b
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: data runs into the central directory", build: func(t testing.TB) []byte {
			b := two(t)
			h, _ := localHeader(t, b, 1)
			put32(h, lhCSize, 500)
			put32(h, lhUSize, 500)
			return patchCentral(t, b, 1, func(h []byte) { put32(h, cdCSize, 500); put32(h, cdUSize, 500) })
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "layout: a stub before the archive is fine", build: func(t testing.TB) []byte {
			var out bytes.Buffer
			out.WriteString("#!/bin/sh\nexit 0\n")
			zw := zip.NewWriter(&out)
			zw.SetOffset(int64(out.Len()))
			w, err := zw.Create("a.txt")
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte("hello"))
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			return out.Bytes()
		}, files: []string{"a.txt"}},
	}
}
