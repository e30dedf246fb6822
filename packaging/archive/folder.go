package archive

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
)

// FolderOptions tunes [OpenFolderFS].
type FolderOptions struct {
	// FollowLinks follows symbolic links whose target lies inside the
	// folder (a link to a file or folder of the folder itself). Links that
	// lead outside it, absolute links included, are refused whatever the
	// setting, and so are links that loop back to a folder containing
	// them. By default every link is refused.
	FollowLinks bool
}

// Folder is a folder on disk read as an fs.FS (with fs.ReadDirFS and
// fs.StatFS) that never reads anything outside it and only reads regular
// files. Every path is checked component by component before it is
// opened: a symbolic link anywhere in it is refused with [ErrSymlink]
// unless [FolderOptions].FollowLinks (and then only when it stays inside
// the folder), and a device, named pipe or socket is refused with
// [ErrSpecialFile] before it is opened, so that reading a FIFO cannot
// hang. Files are opened non-blocking and checked again once open, and all
// access goes through an os.Root, so a link swapped in after the check
// cannot lead outside the folder either. ReadDir fails on a folder that
// holds a link or a special file, naming it, so a reader listing a folder
// learns about every entry it would otherwise skip silently.
//
// Unlike [OpenDir], a Folder does not walk the tree up front: it suits a
// folder of which only some files are read (the folder beside an OTA
// document, which may be a home folder). Errors are [*FolderError].
type Folder struct {
	root   *os.Root
	follow bool
}

// Interfaces a Folder implements.
var (
	_ fs.FS        = (*Folder)(nil)
	_ fs.ReadDirFS = (*Folder)(nil)
	_ fs.StatFS    = (*Folder)(nil)
)

// FolderError is a path of a [Folder] that was refused. errors.Is(err,
// ErrSymlink), ErrSpecialFile or ErrPathEscape tells the class.
type FolderError struct {
	// Kind is the class: [ErrSymlink], [ErrSpecialFile] or
	// [ErrPathEscape] (a followed link leading outside the folder).
	Kind error
	// Path is the refused path, relative to the folder.
	Path string
	// Detail says what exactly is wrong.
	Detail string
}

// Error returns `"episodes": symbolic link: …`.
func (e *FolderError) Error() string {
	kind := strings.TrimPrefix(e.Kind.Error(), "archive: ")
	return fmt.Sprintf("%q: %s: %s", e.Path, kind, e.Detail)
}

// Unwrap returns Kind.
func (e *FolderError) Unwrap() error { return e.Kind }

// Details of FolderError.
const (
	linkRefused  = "links are not followed (the FollowLinks option follows those that stay inside the folder)"
	linkLeaves   = "the link leads outside the folder; such links are never followed"
	linkLoops    = "the link leads to a folder that contains it"
	notRegular   = "only regular files and folders are read"
	nowDifferent = "changed while it was being opened"
)

// OpenFolderFS opens the folder at dir for reading through a [Folder].
// dir itself may be reached through links, as the caller named it; only
// what lies inside it is checked. Close releases it.
func OpenFolderFS(dir string, opts FolderOptions) (*Folder, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Folder{root: root, follow: opts.FollowLinks}, nil
}

// Close releases the folder. Files opened from it stay usable.
func (f *Folder) Close() error { return f.root.Close() }

// Open implements fs.FS: a regular file or a folder (whose ReadDir is
// [Folder.ReadDir]'s).
func (f *Folder) Open(name string) (fs.File, error) {
	fi, err := f.check("open", name)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		entries, err := f.ReadDir(name)
		if err != nil {
			return nil, err
		}
		return &folderDir{info: fi, entries: entries}, nil
	}
	file, err := f.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	now, err := file.Stat()
	switch {
	case err != nil:
	case !now.Mode().IsRegular():
		err = &FolderError{Kind: ErrSpecialFile, Path: name, Detail: notRegular}
	case !os.SameFile(fi, now):
		err = &FolderError{Kind: ErrSymlink, Path: name, Detail: nowDifferent}
	}
	if err != nil {
		return nil, errors.Join(err, file.Close())
	}
	return file, nil
}

// Stat implements fs.StatFS. With FollowLinks, a link inside the folder
// gives the information of its target.
func (f *Folder) Stat(name string) (fs.FileInfo, error) {
	return f.check("stat", name)
}

// ReadDir implements fs.ReadDirFS: the folder's entries sorted by name. It
// fails when an entry is a link (or, with FollowLinks, a link leading
// outside or looping) or a special file. With FollowLinks a link inside
// the folder is listed as its target.
func (f *Folder) ReadDir(name string) ([]fs.DirEntry, error) {
	fi, err := f.check("readdir", name)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: syscall.ENOTDIR}
	}
	d, err := f.root.Open(name)
	if err != nil {
		return nil, err
	}
	list, err := d.ReadDir(-1)
	_ = d.Close()
	if err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, 0, len(list))
	for _, e := range list {
		p := path.Join(name, e.Name())
		typ := e.Type()
		switch {
		case typ&fs.ModeSymlink != 0:
			if !f.follow {
				return nil, &FolderError{Kind: ErrSymlink, Path: p, Detail: linkRefused}
			}
			target, err := f.resolve(p)
			if err != nil {
				return nil, err
			}
			out = append(out, fs.FileInfoToDirEntry(linkInfo{target, e.Name()}))
		case typ.IsDir() || typ.IsRegular():
			out = append(out, e)
		default:
			return nil, &FolderError{Kind: ErrSpecialFile, Path: p, Detail: notRegular}
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// check checks every component of name and returns the information of
// the last (of its target, for a followed link).
func (f *Folder) check(op, name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return f.root.Stat(".")
	}
	var fi fs.FileInfo
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		p := name[:i]
		var err error
		fi, err = f.root.Lstat(p)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // "statat a: no such file" says less than the path asked for
			}
			return nil, &fs.PathError{Op: op, Path: name, Err: err}
		}
		switch typ := fi.Mode().Type(); {
		case typ&fs.ModeSymlink != 0:
			if !f.follow {
				return nil, &FolderError{Kind: ErrSymlink, Path: p, Detail: linkRefused}
			}
			if fi, err = f.resolve(p); err != nil {
				return nil, err
			}
		case typ.IsDir(), typ.IsRegular():
		default:
			return nil, &FolderError{Kind: ErrSpecialFile, Path: p, Detail: notRegular}
		}
		if i < len(name) && !fi.IsDir() {
			return nil, &fs.PathError{Op: op, Path: name, Err: syscall.ENOTDIR}
		}
	}
	return fi, nil
}

// resolve returns the information of the target of the link p, which
// must lie inside the folder, be a regular file or a folder, and not be a
// folder containing p.
func (f *Folder) resolve(p string) (fs.FileInfo, error) {
	fi, err := f.root.Stat(p)
	switch {
	case err != nil && isEscape(err):
		return nil, &FolderError{Kind: ErrPathEscape, Path: p, Detail: linkLeaves}
	case err != nil:
		return nil, err
	case fi.IsDir():
		for q := path.Dir(p); ; q = path.Dir(q) {
			if anc, err := f.root.Stat(q); err == nil && os.SameFile(anc, fi) {
				return nil, &FolderError{Kind: ErrSymlink, Path: p, Detail: linkLoops}
			}
			if q == "." {
				break
			}
		}
	case !fi.Mode().IsRegular():
		return nil, &FolderError{Kind: ErrSpecialFile, Path: p, Detail: notRegular}
	}
	return fi, nil
}

// isEscape reports whether err is os.Root's refusal of a path that leads
// outside it. The os package has no sentinel for it; the message is
// "path escapes from parent".
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "escapes from parent")
}

// linkInfo is a FileInfo under another name: a followed link listed under
// its own name with its target's information.
type linkInfo struct {
	fs.FileInfo
	name string
}

func (r linkInfo) Name() string { return r.name }

// folderDir is an open folder of a Folder.
type folderDir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	offset  int
}

func (d *folderDir) Stat() (fs.FileInfo, error) { return d.info, nil }

func (d *folderDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errIsDir}
}

func (d *folderDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *folderDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.offset += len(rest)
	return slices.Clone(rest), nil
}
