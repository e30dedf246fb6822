package archive

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the seed archives under testdata/")

// seeds are the small archives kept under testdata/ for the fuzzer, with
// what Open (open) or reading (read) must report; nil means success.
var seeds = []struct {
	file       string
	build      func(testing.TB) []byte
	open, read error
}{
	{file: "package.zip", build: func(t testing.TB) []byte {
		return buildZip(t, zf("imsmanifest.xml", "<manifest/>"), zent{name: "shared/"},
			zf("shared/launch.html", "<html/>"), zent{name: "media/a.txt", data: []byte("stored"), store: true},
			zf("__MACOSX/._imsmanifest.xml", "junk"))
	}},
	{file: "zip-slip.zip", build: func(t testing.TB) []byte {
		return buildZip(t, zf("../../evil", "x"), zf(`..\evil`, "y"), zf("/etc/x", "z"))
	}, open: ErrPathEscape},
	{file: "symlink.zip", build: func(t testing.TB) []byte {
		return buildZip(t, link("a", "/tmp"), zf("a/evil", "x"))
	}, open: ErrSymlink},
	{file: "case-collision.zip", build: func(t testing.TB) []byte {
		return buildZip(t, zf("a.html", "a"), zf("A.HTML", "b"), zf("x", "c"), zf("x/y", "d"))
	}, open: ErrCaseCollision},
	{file: "legacy-name.zip", build: legacyName("\x9abung/\x82t\x82.html")},
	{file: "crc-mismatch.zip", build: func(t testing.TB) []byte {
		return patchCentral(t, buildZip(t, zf("a.txt", "hello world")), 0, func(h []byte) { put32(h, cdCRC, 1) })
	}, read: ErrChecksum},
	{file: "lying-size.zip", build: func(t testing.TB) []byte {
		return patchCentral(t, buildZip(t, zf("a.txt", "hello world, hello world")), 0, func(h []byte) { put32(h, cdUSize, 4) })
	}, read: ErrEntryTooLarge},
	{file: "small-bomb.zip", build: bomb(2), open: ErrRatio},
}

// TestSeeds checks the committed seed archives; -update rewrites them.
func TestSeeds(t *testing.T) {
	for _, s := range seeds {
		t.Run(s.file, func(t *testing.T) {
			path := filepath.Join("testdata", s.file)
			if *update {
				require.NoError(t, os.WriteFile(path, s.build(t), 0o644))
			}
			data, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -run TestSeeds -update to create it")
			a, err := openData(data, Limits{})
			if s.open != nil {
				require.ErrorIs(t, err, s.open)
				return
			}
			require.NoError(t, err)
			_, err = readAll(a)
			if s.read != nil {
				assert.ErrorIs(t, err, s.read)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
