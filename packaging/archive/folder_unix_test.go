//go:build unix

package archive

import (
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// folderFixture makes a folder "root" holding regular files and folders,
// and a secret file beside it, outside the root.
func folderFixture(t *testing.T) (root, secret string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "root")
	secret = filepath.Join(base, "secret.txt")
	require.NoError(t, os.WriteFile(secret, []byte("TOP SECRET"), 0o600))
	for name, data := range map[string]string{
		"index.md":           "# Index",
		"episodes/one.md":    "# One",
		"episodes/fig/a.png": "PNG",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	return root, secret
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	require.NoError(t, os.Symlink(target, link))
}

// readFolderFile reads name from fsys through Open.
func readFolderFile(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return string(b), err
}

func TestFolderReadsRegularFiles(t *testing.T) {
	root, _ := folderFixture(t)
	f, err := OpenFolderFS(root, FolderOptions{})
	require.NoError(t, err)
	defer f.Close()
	got, err := readFolderFile(f, "episodes/fig/a.png")
	require.NoError(t, err)
	assert.Equal(t, "PNG", got)
	entries, err := f.ReadDir("episodes")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"fig", "one.md"}, names)
	var walked []string
	require.NoError(t, fs.WalkDir(f, ".", func(p string, d fs.DirEntry, err error) error {
		walked = append(walked, p)
		return err
	}))
	assert.Equal(t, []string{".", "episodes", "episodes/fig", "episodes/fig/a.png", "episodes/one.md", "index.md"}, walked)
	_, err = f.Open("../secret.txt")
	assert.ErrorIs(t, err, fs.ErrInvalid)
}

// TestFolderLinks: links to files and to folders, at the top and deeper,
// inside and outside the root, are refused by default; with FollowLinks
// those inside are read and those outside are still refused.
func TestFolderLinks(t *testing.T) {
	tests := []struct {
		name string
		// setup makes links in root; secret is the outside file.
		setup func(t *testing.T, root, secret string)
		// read is the path read (Open and read to the end).
		read string
		// list is a folder listed with ReadDir, when set.
		list string
		// inside is true when the links stay inside the root.
		inside bool
		// want is what read gives when followed.
		want string
	}{
		{name: "link to an outside file", read: "passwd", setup: func(t *testing.T, root, secret string) {
			symlink(t, secret, filepath.Join(root, "passwd"))
		}},
		{name: "relative link to an outside file", read: "episodes/s.md", list: "episodes", setup: func(t *testing.T, root, secret string) {
			symlink(t, "../../secret.txt", filepath.Join(root, "episodes", "s.md"))
		}},
		{name: "linked top folder leading out", read: "out/secret.txt", list: ".", setup: func(t *testing.T, root, secret string) {
			symlink(t, filepath.Dir(secret), filepath.Join(root, "out"))
		}},
		{name: "linked folder deeper leading out", read: "episodes/fig/up/secret.txt", list: "episodes/fig", setup: func(t *testing.T, root, secret string) {
			symlink(t, "../../..", filepath.Join(root, "episodes", "fig", "up"))
		}},
		{name: "the episodes folder is a link", read: "episodes/one.md", list: ".", setup: func(t *testing.T, root, secret string) {
			require.NoError(t, os.Rename(filepath.Join(root, "episodes"), filepath.Join(root, "real")))
			symlink(t, "real", filepath.Join(root, "episodes"))
		}, inside: true, want: "# One"},
		{name: "link to a file inside", read: "again.md", list: ".", setup: func(t *testing.T, root, secret string) {
			symlink(t, "episodes/one.md", filepath.Join(root, "again.md"))
		}, inside: true, want: "# One"},
		{name: "link to /dev/zero", read: "zero", list: ".", setup: func(t *testing.T, root, secret string) {
			symlink(t, "/dev/zero", filepath.Join(root, "zero"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, secret := folderFixture(t)
			tc.setup(t, root, secret)
			t.Run("refused by default", func(t *testing.T) {
				f, err := OpenFolderFS(root, FolderOptions{})
				require.NoError(t, err)
				defer f.Close()
				got, err := readFolderFile(f, tc.read)
				assert.ErrorIs(t, err, ErrSymlink)
				assert.NotContains(t, got, "SECRET")
				var fe *FolderError
				if assert.ErrorAs(t, err, &fe) {
					assert.Contains(t, fe.Error(), "symbolic link")
				}
				if tc.list != "" {
					_, err := f.ReadDir(tc.list)
					assert.ErrorIs(t, err, ErrSymlink, "listing %s", tc.list)
				}
				_, err = OpenFolder(root, Limits{})
				assert.ErrorIs(t, err, ErrSymlink, "the walking reader refuses it too")
			})
			t.Run("followed", func(t *testing.T) {
				f, err := OpenFolderFS(root, FolderOptions{FollowLinks: true})
				require.NoError(t, err)
				defer f.Close()
				got, err := readFolderFile(f, tc.read)
				assert.NotContains(t, got, "SECRET")
				a, aerr := OpenFolder(root, Limits{FollowLinks: true})
				if !tc.inside {
					assert.ErrorIs(t, err, ErrPathEscape)
					assert.ErrorIs(t, aerr, ErrPathEscape)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				if tc.list != "" {
					_, err := f.ReadDir(tc.list)
					assert.NoError(t, err)
				}
				require.NoError(t, aerr)
				defer a.Close()
				data, err := fs.ReadFile(a, tc.read)
				require.NoError(t, err)
				assert.Equal(t, tc.want, string(data))
			})
		})
	}
}

func TestFolderLinkLoop(t *testing.T) {
	root, _ := folderFixture(t)
	symlink(t, "..", filepath.Join(root, "episodes", "loop"))
	f, err := OpenFolderFS(root, FolderOptions{FollowLinks: true})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.ReadDir("episodes")
	assert.ErrorIs(t, err, ErrSymlink)
	assert.ErrorContains(t, err, "contains it")
	_, err = OpenFolder(root, Limits{FollowLinks: true})
	assert.ErrorIs(t, err, ErrSymlink)
}

// TestFolderSpecialFiles: a FIFO or a socket is refused before it is
// opened: reading a FIFO nobody writes to would block for ever.
func TestFolderSpecialFiles(t *testing.T) {
	root, _ := folderFixture(t)
	fifo := filepath.Join(root, "episodes", "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	sock := filepath.Join(root, "s.sock")
	l, err := net.Listen("unix", sock)
	if err == nil {
		defer l.Close()
	}
	for _, follow := range []bool{false, true} {
		f, err := OpenFolderFS(root, FolderOptions{FollowLinks: follow})
		require.NoError(t, err)
		done := make(chan error, 1)
		go func() {
			_, err := readFolderFile(f, "episodes/fifo.md")
			done <- err
		}()
		select {
		case err := <-done:
			assert.ErrorIs(t, err, ErrSpecialFile)
		case <-time.After(10 * time.Second):
			t.Fatal("opening a FIFO hung")
		}
		_, err = f.ReadDir("episodes")
		assert.ErrorIs(t, err, ErrSpecialFile)
		if l != nil {
			_, err = f.Open("s.sock")
			assert.ErrorIs(t, err, ErrSpecialFile)
		}
		require.NoError(t, f.Close())
	}
}

// TestFolderSwappedForFIFO: a file that becomes a FIFO between the check
// and the open is caught once open, without blocking.
func TestFolderSwappedForFIFO(t *testing.T) {
	root, _ := folderFixture(t)
	f, err := OpenFolderFS(root, FolderOptions{})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.check("open", "index.md")
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(root, "index.md")))
	if err := syscall.Mkfifo(filepath.Join(root, "index.md"), 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	file, err := f.root.OpenFile("index.md", os.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err, "a non-blocking open of a FIFO returns at once")
	now, err := file.Stat()
	require.NoError(t, err)
	assert.False(t, now.Mode().IsRegular())
	require.NoError(t, file.Close())
	_, err = f.Open("index.md")
	assert.True(t, errors.Is(err, ErrSpecialFile), "%v", err)
}
