package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dataCases are archives whose headers lie about the data, or whose data
// is damaged: they pass the checks and fail while being read.
func dataCases() []corpusCase {
	return []corpusCase{
		{name: "lying header: 10 MiB behind a declared 64 KiB", build: func(t testing.TB) []byte {
			return patchCentral(t, bomb(10)(t), 0, func(h []byte) { put32(h, cdUSize, 64<<10) })
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "lying header: 11 bytes behind a declared 5000", build: func(t testing.TB) []byte {
			return patchCentral(t, buildZip(t, zf("a.txt", "hello world")), 0, func(h []byte) { put32(h, cdUSize, 5000) })
		}, read: ErrCorrupt},
		{name: "lying header: stored sizes disagree", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "a.txt", raw: &rawEntry{method: zip.Store, csize: 5, usize: 5000, data: []byte("hello")}})
		}, open: []error{ErrCorrupt}},
		{name: "CRC mismatch", build: func(t testing.TB) []byte {
			return patchCentral(t, buildZip(t, zf("a.txt", "hello world")), 0, func(h []byte) {
				put32(h, cdCRC, binary.LittleEndian.Uint32(h[cdCRC:])^1)
			})
		}, read: ErrChecksum},
		{name: "CRC mismatch in an empty file", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "empty", raw: &rawEntry{method: zip.Store, crc: 42}})
		}, read: ErrChecksum},
		{name: "corrupt deflate data", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "a.txt", raw: &rawEntry{method: zip.Deflate, csize: 8, usize: 100, data: bytes.Repeat([]byte{0xff}, 8)}})
		}, read: ErrCorrupt},
		{name: "truncated deflate data", build: func(t testing.TB) []byte {
			r := rawDeflated(t, bytes.Repeat([]byte("some text "), 100))
			r.data = r.data[:len(r.data)/2]
			r.csize = uint64(len(r.data))
			return buildZip(t, zent{name: "a.txt", raw: r})
		}, read: ErrCorrupt},
		{name: "local header offset points at data", build: func(t testing.TB) []byte {
			return patchCentral(t, buildZip(t, zf("a.txt", "hello"), zf("b.txt", "world")), 1, func(h []byte) { put32(h, cdLocalOff, 7) })
		}, open: []error{ErrCorrupt}, headers: true},
		{name: "zero-length file", build: func(t testing.TB) []byte {
			return buildZip(t, zf("empty.txt", ""), zent{name: "stored-empty", store: true})
		}, files: []string{"empty.txt", "stored-empty"}, check: func(t *testing.T, a *Archive) {
			b, err := a.ReadFile("empty.txt")
			require.NoError(t, err)
			assert.Empty(t, b)
		}},
	}
}

// structureCases are archives whose tree is contradictory, plus benign
// shapes and archives that are not archives at all.
func structureCases() []corpusCase {
	cases := []corpusCase{
		{name: "duplicate names", build: func(t testing.TB) []byte {
			return buildZip(t, zf("index.html", "good"), zf("index.html", "evil"))
		}, open: []error{ErrDuplicate}},
		{name: "duplicate after cleaning", build: func(t testing.TB) []byte {
			return buildZip(t, zf("a/b.html", "good"), zf("./a//b.html", "evil"))
		}, open: []error{ErrDuplicate}},
		{name: "case-colliding files", build: func(t testing.TB) []byte {
			return buildZip(t, zf("a.html", "lower"), zf("A.HTML", "upper"))
		}, open: []error{ErrCaseCollision}},
		{name: "case-colliding folders", build: func(t testing.TB) []byte {
			return buildZip(t, zf("Images/x.png", "x"), zf("images/y.png", "y"))
		}, open: []error{ErrCaseCollision}},
		{name: "case-colliding Kelvin sign", build: func(t testing.TB) []byte {
			return buildZip(t, zf("k.txt", "k"), zf("\u212a.txt", "kelvin"))
		}, open: []error{ErrCaseCollision}},
		{name: "case-colliding names allowed", build: func(t testing.TB) []byte {
			return buildZip(t, zf("a.html", "lower"), zf("A.HTML", "upper"))
		}, opts: Limits{AllowCaseCollisions: true}, files: []string{"A.HTML", "a.html"}, check: func(t *testing.T, a *Archive) {
			got, ok := a.Lookup("a.html")
			assert.True(t, ok)
			assert.Equal(t, "a.html", got)
			_, ok = a.Lookup("A.html")
			assert.False(t, ok, "ambiguous")
		}},
		{name: "file and folder x, x/y", build: func(t testing.TB) []byte {
			return buildZip(t, zf("x", "file"), zf("x/y", "nested"))
		}, open: []error{ErrConflict}},
		{name: "folder entry and file x/, x", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "x/"}, zf("x", "file"))
		}, open: []error{ErrConflict}},
		{name: "folders only", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "a/"}, zent{name: "a/b/"}, zent{name: "a/"})
		}, files: []string{}},
		{name: "empty archive", build: func(t testing.TB) []byte { return buildZip(t) }, files: []string{}},
		{name: "self-extractor stub before the archive", build: func(t testing.TB) []byte {
			return append(bytes.Repeat([]byte("MZ stub "), 128), buildZip(t, zf("a.txt", "a"))...)
		}, files: []string{"a.txt"}},
		{name: "empty input", build: func(testing.TB) []byte { return nil }, open: []error{ErrCorrupt}},
		{name: "garbage bytes", build: func(testing.TB) []byte { return randomBytes(1, 4096) }, open: []error{ErrCorrupt}},
		{name: "garbage with an end record", build: func(testing.TB) []byte {
			b := randomBytes(2, 4096)
			end := make([]byte, eocdLen)
			copy(end, "PK\x05\x06")
			put16(end, 8, 3)
			put16(end, 10, 3)
			put32(end, 12, 100)
			put32(end, 16, 2000)
			return append(b, end...)
		}, open: []error{ErrCorrupt}},
	}
	for _, cut := range []struct {
		name string
		at   func(n int) int
	}{
		{"truncated to 10 bytes", func(int) int { return 10 }},
		{"truncated in half", func(n int) int { return n / 2 }},
		{"truncated inside the central directory", func(n int) int { return n - eocdLen - 20 }},
		{"truncated inside the end record", func(n int) int { return n - 10 }},
		{"truncated by one byte", func(n int) int { return n - 1 }},
	} {
		cases = append(cases, corpusCase{name: cut.name, build: func(t testing.TB) []byte {
			b := buildZip(t, zf("index.html", "<html>hello</html>"), zf("b/c.txt", "c"))
			return b[:cut.at(len(b))]
		}, open: []error{ErrCorrupt}})
	}
	return cases
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
