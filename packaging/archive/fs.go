package archive

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"time"
)

// Interfaces an Archive implements.
var (
	_ fs.FS         = (*Archive)(nil)
	_ fs.ReadDirFS  = (*Archive)(nil)
	_ fs.ReadFileFS = (*Archive)(nil)
	_ fs.StatFS     = (*Archive)(nil)
)

// errIsDir is the error of reading a folder as a file.
var errIsDir = errors.New("is a directory")

// Open implements fs.FS. name is exact (see [Archive.Lookup] for a
// case-insensitive search); "." is the root. A file's data is read, and
// checked, as the returned fs.File is read; it also implements io.Seeker
// (seeking backwards restarts decompression), so http.FS can serve it.
func (a *Archive) Open(name string) (fs.File, error) {
	n, err := a.node("open", name)
	if err != nil {
		return nil, err
	}
	if n.isDir {
		return &dirFile{a: a, n: n}, nil
	}
	return &file{a: a, n: n}, nil
}

// Stat implements fs.StatFS without reading any data.
func (a *Archive) Stat(name string) (fs.FileInfo, error) {
	n, err := a.node("stat", name)
	if err != nil {
		return nil, err
	}
	return fileInfo{a: a, n: n}, nil
}

// ReadDir implements fs.ReadDirFS: the folder's entries sorted by name.
func (a *Archive) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := a.node("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.isDir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	list := make([]fs.DirEntry, len(n.children))
	for i, ch := range n.children {
		list[i] = fileInfo{a: a, n: ch}
	}
	return list, nil
}

// ReadFile implements fs.ReadFileFS. The buffer starts at the declared
// size (up to 16 MiB) and grows only as data arrives, so a declared size
// never allocates memory by itself, even with the limits switched off.
func (a *Archive) ReadFile(name string) ([]byte, error) {
	n, err := a.node("readfile", name)
	if err != nil {
		return nil, err
	}
	if n.isDir {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: errIsDir}
	}
	r, err := a.openEntry(n)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := make([]byte, 0, min(r.e.Size, 16<<20)+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		}
	}
}

// node finds the node of a valid path.
func (a *Archive) node(op, name string) (*node, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	n, ok := a.nodes[name]
	if !ok {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return n, nil
}

// fileInfo is the fs.FileInfo and fs.DirEntry of a node.
type fileInfo struct {
	a *Archive
	n *node
}

// Name returns the last segment of the name ("." for the root).
func (fi fileInfo) Name() string { return path.Base(fi.n.name) }

// Size returns the declared size of a file, 0 for a folder.
func (fi fileInfo) Size() int64 {
	if e := fi.a.entry(fi.n); e != nil && !fi.n.isDir {
		return e.Size
	}
	return 0
}

// Mode returns 0444 for files and 0555 for folders: permissions stored in
// archives are not carried over.
func (fi fileInfo) Mode() fs.FileMode {
	if fi.n.isDir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// ModTime returns the entry's modification time, zero when unknown.
func (fi fileInfo) ModTime() time.Time {
	if e := fi.a.entry(fi.n); e != nil {
		return e.Modified
	}
	return time.Time{}
}

// IsDir reports whether the node is a folder.
func (fi fileInfo) IsDir() bool { return fi.n.isDir }

// Sys returns a copy of the node's [Entry] as *Entry, or nil for a folder
// that has no entry of its own.
func (fi fileInfo) Sys() any {
	if e := fi.a.entry(fi.n); e != nil {
		c := *e
		return &c
	}
	return nil
}

// Type implements fs.DirEntry.
func (fi fileInfo) Type() fs.FileMode { return fi.Mode().Type() }

// Info implements fs.DirEntry.
func (fi fileInfo) Info() (fs.FileInfo, error) { return fi, nil }

// String implements fmt.Stringer as fs.FormatDirEntry does.
func (fi fileInfo) String() string { return fs.FormatDirEntry(fi) }

// dirFile is an open folder.
type dirFile struct {
	a      *Archive
	n      *node
	offset int
	closed bool
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return fileInfo{a: d.a, n: d.n}, nil }

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.n.name, Err: errIsDir}
}

func (d *dirFile) Close() error {
	if d.closed {
		return &fs.PathError{Op: "close", Path: d.n.name, Err: fs.ErrClosed}
	}
	d.closed = true
	return nil
}

// ReadDir implements fs.ReadDirFile.
func (d *dirFile) ReadDir(count int) ([]fs.DirEntry, error) {
	if d.closed {
		return nil, &fs.PathError{Op: "readdir", Path: d.n.name, Err: fs.ErrClosed}
	}
	rest := d.n.children[d.offset:]
	if count > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if count > 0 && count < len(rest) {
		rest = rest[:count]
	}
	list := make([]fs.DirEntry, len(rest))
	for i, ch := range rest {
		list[i] = fileInfo{a: d.a, n: ch}
	}
	d.offset += len(rest)
	return list, nil
}

// file is an open file. Data is decompressed lazily from the first Read.
type file struct {
	a      *Archive
	n      *node
	r      *entryReader // nil until the first Read, and after a backward seek
	pos    int64        // the position Read continues from
	closed bool
}

func (f *file) Stat() (fs.FileInfo, error) { return fileInfo{a: f.a, n: f.n}, nil }

func (f *file) Read(p []byte) (int, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "read", Path: f.n.name, Err: fs.ErrClosed}
	}
	if f.r != nil && f.pos < f.r.read {
		_ = f.r.Close()
		f.r = nil
	}
	if f.r == nil {
		r, err := f.a.openEntry(f.n)
		if err != nil {
			return 0, err
		}
		f.r = r
	}
	if skip := f.pos - f.r.read; skip > 0 {
		if _, err := io.CopyN(io.Discard, f.r, skip); err != nil {
			return 0, err
		}
	}
	n, err := f.r.Read(p)
	f.pos += int64(n)
	return n, err
}

// Seek implements io.Seeker. It only moves the position; the next Read
// catches up, decompressing from the start when the position went back.
func (f *file) Seek(offset int64, whence int) (int64, error) {
	if f.closed {
		return 0, &fs.PathError{Op: "seek", Path: f.n.name, Err: fs.ErrClosed}
	}
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.pos + offset
	case io.SeekEnd:
		abs = f.a.entry(f.n).Size + offset
	default:
		return 0, &fs.PathError{Op: "seek", Path: f.n.name, Err: fs.ErrInvalid}
	}
	if abs < 0 {
		return 0, &fs.PathError{Op: "seek", Path: f.n.name, Err: fs.ErrInvalid}
	}
	f.pos = abs
	return abs, nil
}

func (f *file) Close() error {
	if f.closed {
		return &fs.PathError{Op: "close", Path: f.n.name, Err: fs.ErrClosed}
	}
	f.closed = true
	if f.r != nil {
		return f.r.Close()
	}
	return nil
}
