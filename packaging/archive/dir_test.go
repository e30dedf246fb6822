package archive

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenDir(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		opts  Limits
		err   []error
		files []string
	}{
		{name: "plain", fsys: fstest.MapFS{"imsmanifest.xml": file("m"), "a/b.html": file("b")},
			files: []string{"a/b.html", "imsmanifest.xml"}},
		{name: "junk left out", fsys: fstest.MapFS{"index.html": file("i"), "__MACOSX/._index.html": file("r"), ".DS_Store": file("d")},
			files: []string{"index.html"}},
		{name: "symlink", fsys: fstest.MapFS{"link": &fstest.MapFile{Data: []byte("/etc"), Mode: fs.ModeSymlink}},
			err: []error{ErrSymlink}},
		{name: "symlink skipped", fsys: fstest.MapFS{"link": &fstest.MapFile{Data: []byte("/etc"), Mode: fs.ModeSymlink}, "a": file("a")},
			opts: Limits{SkipSymlinks: true}, files: []string{"a"}},
		{name: "named pipe", fsys: fstest.MapFS{"p": &fstest.MapFile{Mode: fs.ModeNamedPipe}}, err: []error{ErrSpecialFile}},
		{name: "case collision", fsys: fstest.MapFS{"a.html": file("a"), "A.html": file("A")}, err: []error{ErrCaseCollision}},
		{name: "backslash in a Unix name", fsys: fstest.MapFS{`a\b`: file("x")}, opts: Limits{AllowBackslashes: true}, err: []error{ErrBackslash}},
		{name: "control character", fsys: fstest.MapFS{"a\x01": file("x")}, err: []error{ErrBadName}},
		{name: "invalid UTF-8", fsys: fstest.MapFS{"a\xff": file("x")}, err: []error{ErrBadName}},
		{name: "too many entries", fsys: fstest.MapFS{"a": file("a"), "b": file("b"), "c": file("c")}, opts: Limits{MaxEntries: 2}, err: []error{ErrTooManyEntries}},
		{name: "too deep", fsys: fstest.MapFS{"a/b/c/d": file("d")}, opts: Limits{MaxDepth: 2}, err: []error{ErrTooDeep}},
		{name: "entry too large", fsys: fstest.MapFS{"a": file("12345")}, opts: Limits{MaxEntrySize: 4}, err: []error{ErrEntryTooLarge}},
		{name: "total too large", fsys: fstest.MapFS{"a": file("123"), "b": file("456")}, opts: Limits{MaxTotalSize: 5}, err: []error{ErrTooLarge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := OpenDir(tt.fsys, tt.opts)
			if len(tt.err) > 0 {
				require.Error(t, err)
				for _, want := range tt.err {
					assert.ErrorIs(t, err, want)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.files, fileNames(t, a))
			_, err = readAll(a)
			require.NoError(t, err)
		})
	}
}

func TestOpenFolderRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("i"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "escape")))

	_, err := OpenFolder(dir, Limits{})
	require.ErrorIs(t, err, ErrSymlink)

	a, err := OpenFolder(dir, Limits{SkipSymlinks: true})
	require.NoError(t, err)
	defer a.Close()
	assert.Equal(t, []string{"index.html"}, fileNames(t, a))
	_, err = a.Open("escape/secret")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestOpenFolderChangesAfterCheck(t *testing.T) {
	dir := t.TempDir()
	grow := filepath.Join(dir, "grow.txt")
	swap := filepath.Join(dir, "swap.txt")
	require.NoError(t, os.WriteFile(grow, []byte("small"), 0o644))
	require.NoError(t, os.WriteFile(swap, []byte("plain"), 0o644))
	a, err := OpenFolder(dir, Limits{})
	require.NoError(t, err)
	defer a.Close()

	require.NoError(t, os.WriteFile(grow, []byte(strings.Repeat("large", 1000)), 0o644))
	_, err = a.ReadFile("grow.txt")
	assert.ErrorIs(t, err, ErrEntryTooLarge, "the size seen by the walk is the limit")

	require.NoError(t, os.Remove(swap))
	require.NoError(t, os.Symlink("/etc/passwd", swap))
	_, err = a.ReadFile("swap.txt")
	assert.ErrorIs(t, err, ErrSymlink)
}

func TestOpenFolderMissing(t *testing.T) {
	_, err := OpenFolder(filepath.Join(t.TempDir(), "missing"), Limits{})
	assert.ErrorIs(t, err, fs.ErrNotExist)
}
