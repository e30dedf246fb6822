package lesson

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"time"
)

// Content returns the files the asset tree of [Lesson.Asset] names, at
// exactly the paths of its resources: the rendered pages (episodes, their
// challenges, the index and learners' pages), the stylesheet
// ([Stylesheet]) and the lesson files the pages reference, read from the
// lesson's fs.FS when opened. It is what an exporter packages next to
// the tree. The returned fs.FS also implements fs.ReadDirFS and
// fs.StatFS; files are read-only and have no modification time.
func (l *Lesson) Content() fs.FS {
	c := &contentFS{l: l, files: map[string]*contentFile{}, dirs: map[string][]string{}}
	c.put(Stylesheet, &contentFile{data: stylesheet, size: int64(len(stylesheet))})
	for _, ep := range append(slices.Clone(l.Episodes), l.Pages...) {
		if ep.Page == "" {
			continue
		}
		html, err := l.render(ep, nil)
		c.put(ep.Page, &contentFile{data: html, size: int64(len(html)), err: err})
		for _, b := range ep.challenges {
			html, err := l.render(ep, b)
			c.put(b.page, &contentFile{data: html, size: int64(len(html)), err: err})
		}
	}
	for p, ref := range l.files {
		if c.files[p] == nil {
			c.put(p, &contentFile{src: true, size: ref.size})
		}
	}
	for d := range c.dirs {
		slices.Sort(c.dirs[d])
		c.dirs[d] = slices.Compact(c.dirs[d])
	}
	return c
}

type contentFS struct {
	l     *Lesson
	files map[string]*contentFile
	dirs  map[string][]string // folder -> names of its entries
}

type contentFile struct {
	data []byte
	size int64
	src  bool  // read from the lesson's fs.FS
	err  error // rendering failed
}

func (c *contentFS) put(p string, f *contentFile) {
	c.files[p] = f
	for {
		d := path.Dir(p)
		c.dirs[d] = append(c.dirs[d], path.Base(p))
		if d == "." {
			break
		}
		p = d
	}
	if _, ok := c.dirs["."]; !ok {
		c.dirs["."] = nil
	}
}

func (c *contentFS) info(name string) (fs.FileInfo, bool) {
	if f, ok := c.files[name]; ok {
		return fileInfo{name: path.Base(name), size: f.size, mode: 0o444}, true
	}
	if _, ok := c.dirs[name]; ok {
		return fileInfo{name: path.Base(name), mode: fs.ModeDir | 0o555}, true
	}
	return nil, false
}

// Open implements fs.FS.
func (c *contentFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	fi, ok := c.info(name)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if fi.IsDir() {
		entries, _ := c.ReadDir(name)
		return &dirFile{info: fi, entries: entries}, nil
	}
	f := c.files[name]
	switch {
	case f.err != nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: f.err}
	case f.src:
		sf, err := c.l.fsys.Open(name)
		if err != nil {
			return nil, err
		}
		return &srcFile{File: sf, r: io.LimitReader(sf, f.size), info: fi}, nil
	}
	return &memFile{Reader: bytes.NewReader(f.data), info: fi}, nil
}

// ReadDir implements fs.ReadDirFS.
func (c *contentFS) ReadDir(name string) ([]fs.DirEntry, error) {
	names, ok := c.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		p := n
		if name != "." {
			p = name + "/" + n
		}
		fi, _ := c.info(p)
		out = append(out, fs.FileInfoToDirEntry(fi))
	}
	return out, nil
}

// Stat implements fs.StatFS.
func (c *contentFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	fi, ok := c.info(name)
	if !ok {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fi, nil
}

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

// memFile is a rendered page or the stylesheet.
type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// srcFile is a lesson file, read no further than the size measured at Open.
type srcFile struct {
	fs.File
	r    io.Reader
	info fs.FileInfo
}

func (f *srcFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *srcFile) Stat() (fs.FileInfo, error) { return f.info, nil }

type dirFile struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	off     int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: fs.ErrInvalid}
}

// ReadDir implements fs.ReadDirFile.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}
