package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// zent describes one entry for buildZip.
type zent struct {
	name    string
	data    []byte
	store   bool        // store instead of deflate
	mode    fs.FileMode // set with SetMode when non-zero
	flags   uint16      // ORed into the header flags
	nonUTF8 bool        // clear the UTF-8 flag even for non-ASCII names
	raw     *rawEntry   // write with CreateRaw: headers exactly as given
}

// rawEntry is an entry written verbatim: the headers may lie about data.
type rawEntry struct {
	method       uint16
	crc          uint32
	csize, usize uint64
	data         []byte // the stored (possibly compressed) bytes
}

// fixedTime keeps the built archives deterministic.
var fixedTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// buildZip writes the entries with archive/zip.
func buildZip(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: fixedTime, NonUTF8: e.nonUTF8}
		if e.store {
			fh.Method = zip.Store
		}
		if e.mode != 0 {
			fh.SetMode(e.mode)
		}
		fh.Flags |= e.flags
		if r := e.raw; r != nil {
			fh.Method, fh.CRC32, fh.CompressedSize64, fh.UncompressedSize64 = r.method, r.crc, r.csize, r.usize
			w, err := zw.CreateRaw(fh)
			require.NoError(t, err)
			_, err = w.Write(r.data)
			require.NoError(t, err)
			continue
		}
		w, err := zw.CreateHeader(fh)
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// zf is a shorthand for a deflated file entry.
func zf(name, data string) zent { return zent{name: name, data: []byte(data)} }

// deflate compresses b.
func deflate(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	require.NoError(t, err)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// rawDeflated is a raw entry with honest headers for data.
func rawDeflated(t testing.TB, data []byte) *rawEntry {
	c := deflate(t, data)
	return &rawEntry{method: zip.Deflate, crc: crc32.ChecksumIEEE(data), csize: uint64(len(c)), usize: uint64(len(data)), data: c}
}

// zeroChunk is 1 MiB of zeros deflated and sync-flushed, made once:
// compressing takes a while under the race detector.
var (
	zeroChunkOnce sync.Once
	zeroChunk     []byte
	zeroChunkErr  error
)

// zeroBomb returns a deflate stream of n MiB of zeros and its CRC-32
// without compressing n MiB: a 1 MiB chunk compressed and sync-flushed is a
// self-contained run of blocks that can be repeated, and an empty final
// stored block ends the stream.
func zeroBomb(t testing.TB, mib int) (stream []byte, crc uint32) {
	t.Helper()
	zeros := make([]byte, 1<<20)
	zeroChunkOnce.Do(func() {
		var chunk bytes.Buffer
		w, err := flate.NewWriter(&chunk, flate.BestCompression)
		if err == nil {
			_, err = w.Write(zeros)
		}
		if err == nil {
			err = w.Flush()
		}
		zeroChunk, zeroChunkErr = chunk.Bytes(), err
	})
	require.NoError(t, zeroChunkErr)
	out := bytes.Repeat(zeroChunk, mib)
	out = append(out, 0x01, 0x00, 0x00, 0xff, 0xff) // final, stored, empty
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	return out, crc
}

// Central directory layout (APPNOTE 4.3.12) and end record (4.3.16).
const (
	cdSig        = 0x02014b50
	cdFixed      = 46
	cdVersionMad = 4
	cdFlags      = 8
	cdMethod     = 10
	cdCRC        = 16
	cdCSize      = 20
	cdUSize      = 24
	cdNameLen    = 28
	cdExtraLen   = 30
	cdCommentLen = 32
	cdLocalOff   = 42
	eocdLen      = 22
)

// centralDir returns the offset of the central directory and its entry
// count, from an end record without a comment.
func centralDir(t testing.TB, b []byte) (off, count int) {
	t.Helper()
	end := b[len(b)-eocdLen:]
	require.Equal(t, uint32(0x06054b50), binary.LittleEndian.Uint32(end), "end record")
	return int(binary.LittleEndian.Uint32(end[16:])), int(binary.LittleEndian.Uint16(end[10:]))
}

// centralHeaders returns the byte ranges of each central directory header.
func centralHeaders(t testing.TB, b []byte) [][]byte {
	t.Helper()
	off, count := centralDir(t, b)
	var hs [][]byte
	for range count {
		h := b[off:]
		require.Equal(t, uint32(cdSig), binary.LittleEndian.Uint32(h))
		n := cdFixed + int(binary.LittleEndian.Uint16(h[cdNameLen:])) +
			int(binary.LittleEndian.Uint16(h[cdExtraLen:])) + int(binary.LittleEndian.Uint16(h[cdCommentLen:]))
		hs = append(hs, h[:n:n])
		off += n
	}
	return hs
}

// patchCentral lets fn rewrite the fixed part of entry i's central header.
func patchCentral(t testing.TB, b []byte, i int, fn func(h []byte)) []byte {
	t.Helper()
	b = bytes.Clone(b)
	fn(centralHeaders(t, b)[i])
	return b
}

// put16 and put32 write little-endian fields.
func put16(b []byte, off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }

// withCentral replaces the central directory with the given headers.
func withCentral(t testing.TB, b []byte, headers [][]byte) []byte {
	t.Helper()
	off, _ := centralDir(t, b)
	out := bytes.Clone(b[:off])
	size := 0
	for _, h := range headers {
		out = append(out, h...)
		size += len(h)
	}
	end := bytes.Clone(b[len(b)-eocdLen:])
	put16(end, 8, uint16(len(headers)))
	put16(end, 10, uint16(len(headers)))
	put32(end, 12, uint32(size))
	put32(end, 16, uint32(off))
	return append(out, end...)
}

// renamed returns a copy of a central header with a new name of the same
// length.
func renamed(t testing.TB, h []byte, name string) []byte {
	t.Helper()
	require.Equal(t, int(binary.LittleEndian.Uint16(h[cdNameLen:])), len(name))
	h = bytes.Clone(h)
	copy(h[cdFixed:], name)
	return h
}
