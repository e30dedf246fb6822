//go:build unix

package lesson

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/metaacademy/ota/packaging/archive"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diskLesson writes a Workbench lesson into base/lesson, with a secret
// file beside it, and returns the lesson's folder.
func diskLesson(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "lesson")
	for name, data := range map[string]string{
		"config.yaml":         "title: T\n",
		"episodes/a.md":       "---\ntitle: A\n---\n\n![f](fig/ok.png)\n",
		"episodes/fig/ok.png": "\x89PNG",
		"../secret.md":        "---\ntitle: SECRET\n---\n\nTOP SECRET\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	return dir
}

// TestOpenFileLinks: OpenFile refuses links at every depth — the
// episodes folder itself, a folder inside it, a page, a figure — and with
// FollowLinks reads those that stay inside the lesson, never those that
// leave it.
func TestOpenFileLinks(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, dir string)
		inside bool
	}{
		{"episodes is a link outside", func(t *testing.T, dir string) {
			require.NoError(t, os.RemoveAll(filepath.Join(dir, "episodes")))
			require.NoError(t, os.Mkdir(filepath.Join(dir, "..", "eps"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "..", "eps", "a.md"), []byte("---\ntitle: SECRET\n---\n"), 0o644))
			require.NoError(t, os.Symlink("../eps", filepath.Join(dir, "episodes")))
		}, false},
		{"episodes is a link inside", func(t *testing.T, dir string) {
			require.NoError(t, os.Rename(filepath.Join(dir, "episodes"), filepath.Join(dir, "src")))
			require.NoError(t, os.Symlink("src", filepath.Join(dir, "episodes")))
		}, true},
		{"a linked folder in episodes", func(t *testing.T, dir string) {
			require.NoError(t, os.Symlink("..", filepath.Join(dir, "episodes", "up")))
		}, false},
		{"a page linked outside", func(t *testing.T, dir string) {
			require.NoError(t, os.Symlink("../../secret.md", filepath.Join(dir, "episodes", "b.md")))
		}, false},
		{"a figure linked outside", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "episodes", "fig", "ok.png")))
			require.NoError(t, os.Symlink("../../../secret.md", filepath.Join(dir, "episodes", "fig", "ok.png")))
		}, false},
		{"the figures folder linked outside", func(t *testing.T, dir string) {
			require.NoError(t, os.RemoveAll(filepath.Join(dir, "episodes", "fig")))
			require.NoError(t, os.Symlink("../..", filepath.Join(dir, "episodes", "fig")))
			require.NoError(t, os.Rename(filepath.Join(dir, "..", "secret.md"), filepath.Join(dir, "..", "ok.png")))
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := diskLesson(t)
			tc.setup(t, dir)
			_, _, err := OpenFile(dir, Options{})
			require.ErrorIs(t, err, ErrRefused)
			assert.Contains(t, err.Error(), "symbolic link")

			l, _, err := OpenFile(dir, Options{Limits: archive.Limits{FollowLinks: true}})
			if !tc.inside {
				require.ErrorIs(t, err, ErrRefused, "a link leaving the lesson is refused even with FollowLinks")
				return
			}
			require.NoError(t, err)
			defer l.Close()
			require.Len(t, l.Episodes, 1)
			assert.Equal(t, "A", l.Episodes[0].Title)
			assertNoSecret(t, l.Content())
		})
	}
}

// assertNoSecret reads every file of fsys and checks none holds the
// secret.
func assertNoSecret(t *testing.T, fsys fs.FS) {
	t.Helper()
	require.NoError(t, fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		assert.NotContains(t, string(b), "SECRET", p)
		return err
	}))
}

// TestOpenFileFIFO: a named pipe as a page or a figure refuses the lesson
// at once; reading it would block for ever.
func TestOpenFileFIFO(t *testing.T) {
	for _, name := range []string{"episodes/b.md", "episodes/fig/ok.png"} {
		t.Run(name, func(t *testing.T) {
			dir := diskLesson(t)
			p := filepath.Join(dir, filepath.FromSlash(name))
			_ = os.Remove(p)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("cannot make a FIFO here: %v", err)
			}
			done := make(chan error, 1)
			go func() {
				_, _, err := OpenFile(dir, Options{})
				done <- err
			}()
			select {
			case err := <-done:
				require.ErrorIs(t, err, ErrRefused)
				assert.Contains(t, err.Error(), name)
			case <-time.After(20 * time.Second):
				t.Fatal("OpenFile hung on a FIFO")
			}
		})
	}
}
