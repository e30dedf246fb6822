package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ExtractOptions tunes [Extract].
type ExtractOptions struct {
	// FilePerm is the permission of created files; 0 means 0644. Only the
	// permission bits are used, and the umask applies. Permissions stored
	// in the archive are ignored.
	FilePerm fs.FileMode
	// DirPerm is the permission of created folders; 0 means 0755.
	DirPerm fs.FileMode
}

// Extract writes every file and folder of a into dir. dir must be an empty
// folder or must not exist yet (its parent must); it is created with
// DirPerm. All writes go through an os.Root opened on dir, so no name and
// no link can lead outside it; files are created exclusively (an existing
// name, for instance one that collides on a case-insensitive file system,
// is an error, never an overwrite). Data is read through the archive's
// checks, so a lying header stops the extraction. When anything fails,
// or ctx is cancelled, everything Extract created is removed again,
// including dir if Extract created it.
func Extract(ctx context.Context, a *Archive, dir string, opts ExtractOptions) (err error) {
	dirPerm := permOr(opts.DirPerm, 0o755)
	created, err := prepareTarget(dir, dirPerm)
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		if created {
			_ = os.Remove(dir)
		}
		return err
	}
	x := &extractor{
		ctx:      ctx,
		a:        a,
		root:     root,
		filePerm: permOr(opts.FilePerm, 0o644),
		dirPerm:  dirPerm,
		buf:      make([]byte, 64<<10),
	}
	defer func() {
		if err != nil {
			for _, name := range x.top {
				_ = root.RemoveAll(name)
			}
		}
		_ = root.Close()
		if err != nil && created {
			_ = os.Remove(dir)
		}
	}()
	return x.walk(a.nodes["."])
}

// prepareTarget creates dir, or checks that it is an empty folder, and
// reports whether it created it.
func prepareTarget(dir string, perm fs.FileMode) (bool, error) {
	err := os.Mkdir(dir, perm)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return false, err
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	switch {
	case len(names) > 0:
		return false, fmt.Errorf("%w: %s", ErrTargetNotEmpty, dir)
	case err != nil && err != io.EOF:
		return false, err
	}
	return false, nil
}

func permOr(p, def fs.FileMode) fs.FileMode {
	if p == 0 {
		return def
	}
	return p & fs.ModePerm
}

// extractor holds the state of one Extract.
type extractor struct {
	ctx               context.Context
	a                 *Archive
	root              *os.Root
	filePerm, dirPerm fs.FileMode
	buf               []byte
	top               []string // names created directly in dir, for clean-up
}

// walk creates the children of folder n, depth first.
func (x *extractor) walk(n *node) error {
	for _, ch := range n.children {
		if err := x.ctx.Err(); err != nil {
			return err
		}
		if n.name == "." {
			x.top = append(x.top, ch.name)
		}
		if !ch.isDir {
			if err := x.file(ch); err != nil {
				return err
			}
			continue
		}
		if err := x.root.Mkdir(ch.name, x.dirPerm); err != nil {
			return err
		}
		if err := x.walk(ch); err != nil {
			return err
		}
	}
	return nil
}

// file writes one file.
func (x *extractor) file(n *node) error {
	r, err := x.a.openEntry(n)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := x.root.OpenFile(n.name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, x.filePerm)
	if err != nil {
		return err
	}
	err = x.copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if t := r.e.Modified; err == nil && !t.IsZero() {
		err = x.root.Chtimes(n.name, t, t)
	}
	return err
}

// copy copies r to w, checking for cancellation between chunks.
func (x *extractor) copy(w io.Writer, r io.Reader) error {
	for {
		if err := x.ctx.Err(); err != nil {
			return err
		}
		k, rerr := r.Read(x.buf)
		if _, err := w.Write(x.buf[:k]); err != nil {
			return err
		}
		switch {
		case rerr == io.EOF:
			return nil
		case rerr != nil:
			return rerr
		}
	}
}
