package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// PublishDir publishes the catalogue in the folder dir into the folder out,
// as [Publish] does, reading dir so that nothing leads outside it: through
// an os.Root, with symbolic links and special files refused (a document or
// content file that is one is reported as unreadable). out must not be dir
// or inside it.
func PublishDir(ctx context.Context, dir, out string, opts Options) (*Result, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if rel, err := filepath.Rel(absDir, absOut); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return nil, fmt.Errorf("%w: %s is inside the catalogue folder %s; publish somewhere else", ErrOutput, out, dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return Publish(ctx, noLinks{root: root, fsys: root.FS()}, out, opts)
}

// noLinks is the file system of an os.Root that refuses symbolic links and
// special files anywhere on a path.
type noLinks struct {
	root *os.Root
	fsys fs.FS
}

// errNotRegular is the cause of refused paths.
var errNotRegular = errors.New("a symbolic link or special file; links are never followed")

func (n noLinks) check(name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return nil
	}
	p := ""
	for _, seg := range strings.Split(name, "/") {
		p = path.Join(p, seg)
		fi, err := n.root.Lstat(p)
		if err != nil {
			return err
		}
		if m := fi.Mode(); !m.IsDir() && !m.IsRegular() {
			return &fs.PathError{Op: "open", Path: name, Err: errNotRegular}
		}
	}
	return nil
}

// Open opens name after checking every element of its path.
func (n noLinks) Open(name string) (fs.File, error) {
	if err := n.check(name); err != nil {
		return nil, err
	}
	return n.fsys.Open(name)
}

// ReadDir lists a folder; its entries show links as links.
func (n noLinks) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := n.check(name); err != nil {
		return nil, err
	}
	return fs.ReadDir(n.fsys, name)
}

// Stat describes name after checking it.
func (n noLinks) Stat(name string) (fs.FileInfo, error) {
	if err := n.check(name); err != nil {
		return nil, err
	}
	return fs.Stat(n.fsys, name)
}
