package archive

import (
	"archive/zip"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
)

// link is a symbolic link entry pointing at target.
func link(name, target string) zent {
	return zent{name: name, data: []byte(target), store: true, mode: fs.ModeSymlink | 0o777}
}

// typeCases are archives with entries that are not plain files: links,
// special files, encryption, unknown compression.
func typeCases() []corpusCase {
	return []corpusCase{
		{name: "symlink entry", build: func(t testing.TB) []byte {
			return buildZip(t, link("passwd", "/etc/passwd"))
		}, open: []error{ErrSymlink}},
		{name: "symlink then a file through it", build: func(t testing.TB) []byte {
			return buildZip(t, link("a", "/tmp"), zf("a/evil", "x"))
		}, open: []error{ErrSymlink}},
		{name: "symlink then a file through it, links skipped", build: func(t testing.TB) []byte {
			return buildZip(t, link("a", "/tmp"), zf("a/evil", "x"))
		}, opts: Limits{SkipSymlinks: true}, files: []string{"a/evil"}, check: func(t *testing.T, a *Archive) {
			skipped := a.Skipped()
			assert.Len(t, skipped, 1)
			assert.Equal(t, "a", skipped[0].Name)
		}},
		{name: "symlink disguised as an MS-DOS entry", build: func(t testing.TB) []byte {
			b := buildZip(t, link("passwd", "/etc/passwd"))
			return patchCentral(t, b, 0, func(h []byte) { h[cdVersionMad+1] = 0 }) // host 0: MS-DOS
		}, open: []error{ErrSymlink}},
		{name: "named pipe", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "fifo", mode: fs.ModeNamedPipe | 0o644, store: true})
		}, open: []error{ErrSpecialFile}},
		{name: "device", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "sda", mode: fs.ModeDevice | 0o644, store: true})
		}, open: []error{ErrSpecialFile}},
		{name: "encrypted flag", build: func(t testing.TB) []byte {
			r := rawDeflated(t, []byte("secret"))
			return buildZip(t, zent{name: "secret.txt", raw: r, flags: flagEncrypted})
		}, open: []error{ErrEncrypted}},
		{name: "strong encryption flag", build: func(t testing.TB) []byte {
			return patchCentral(t, buildZip(t, zf("a.txt", "a")), 0, func(h []byte) { put16(h, cdFlags, flagStrongEncrypted|flagEncrypted) })
		}, open: []error{ErrEncrypted}},
		{name: "unsupported method 99", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "a.bin", raw: &rawEntry{method: 99, csize: 4, usize: 4, data: []byte("abcd")}})
		}, open: []error{ErrUnsupportedMethod}},
		{name: "bzip2 method patched in", build: func(t testing.TB) []byte {
			return patchCentral(t, buildZip(t, zf("a.txt", "hello")), 0, func(h []byte) { put16(h, cdMethod, 12) })
		}, open: []error{ErrUnsupportedMethod}},
		{name: "folder entry with data", build: func(t testing.TB) []byte {
			return buildZip(t, zent{name: "d/", raw: &rawEntry{method: zip.Store, csize: 0, usize: 5}})
		}, open: []error{ErrCorrupt}},
		{name: "nested zip is a plain file", build: func(t testing.TB) []byte {
			inner := buildZip(t, zf("../../evil", "x"))
			return buildZip(t, zent{name: "inner.zip", data: inner, store: true})
		}, files: []string{"inner.zip"}, check: func(t *testing.T, a *Archive) {
			b, err := a.ReadFile("inner.zip")
			assert.NoError(t, err)
			assert.Equal(t, "PK\x03\x04", string(b[:4]))
		}},
	}
}
