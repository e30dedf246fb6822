package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// OpenDir checks the folder tree fsys as [Open] checks an archive, so that
// folders and zips are handled alike: names, links (refused, or left out
// with [Limits].SkipSymlinks), special files, case collisions, the entry
// count (the walk stops at the limit), the depth (deeper folders are not
// entered) and the sizes. There is no compression, so no ratio check, and
// no checksum. Backslashes are always refused, as "\" is part of a name on
// Unix. Files are read with the size seen during the walk as their limit.
//
// fsys should not follow links: os.DirFS follows a link that appears
// after the walk, while the fs.FS of an os.Root, which [OpenFolder] uses,
// never leaves the root. Reads also refuse a file that has become a link
// when fsys implements fs.ReadLinkFS.
func OpenDir(fsys fs.FS, opts Limits) (*Archive, error) {
	o := opts.resolve()
	o.AllowBackslashes = false
	c := &collector{}
	t := newTree(c, o.AllowCaseCollisions, 64)
	a := &Archive{opts: o, src: dirSource{fsys}}
	var total uint64
	count := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		i := count
		count++
		if o.MaxEntries >= 0 && count > o.MaxEntries {
			c.add(ErrTooManyEntries, -1, "", "more than %d entries; Limits.MaxEntries is %d", o.MaxEntries, o.MaxEntries)
			return fs.SkipAll
		}
		cn, ok := checkName(c, i, p, true, o)
		e := Entry{Name: cn.clean, RawName: p, Index: i, IsDir: d.IsDir(), Method: zip.Store}
		switch typ := d.Type(); {
		case typ&fs.ModeSymlink != 0:
			if !o.SkipSymlinks {
				c.add(ErrSymlink, i, p, "links are not followed; set Limits.SkipSymlinks to leave them out, or, for a folder, Limits.FollowLinks to follow those that stay inside it")
			} else if ok {
				a.skipped = append(a.skipped, e)
			}
			return nil
		case !typ.IsDir() && !typ.IsRegular():
			c.add(ErrSpecialFile, i, p, "a device, pipe or socket (mode %v)", typ)
			return nil
		case !ok:
			return skipDir(d)
		case !o.KeepJunk && IsJunk(cn.clean):
			a.skipped = append(a.skipped, e)
			return skipDir(d)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e.Modified = info.ModTime()
		if !d.IsDir() {
			e.Size = info.Size()
			e.CompressedSize = e.Size
			total = satAdd(total, uint64(max(e.Size, 0)))
			if over(uint64(max(e.Size, 0)), o.MaxEntrySize) {
				c.add(ErrEntryTooLarge, i, p, "%d bytes; Limits.MaxEntrySize is %d", e.Size, o.MaxEntrySize)
			}
		}
		a.entries = append(a.entries, e)
		t.add(cn.clean, e.IsDir, len(a.entries)-1, i, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: walking the folder: %w", err)
	}
	if over(total, o.MaxTotalSize) {
		c.add(ErrTooLarge, -1, "", "files add up to %d bytes; Limits.MaxTotalSize is %d", total, o.MaxTotalSize)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	t.finish(a)
	return a, nil
}

// skipDir returns fs.SkipDir for a folder, so that the walk does not
// enter it, and nil for a file.
func skipDir(d fs.DirEntry) error {
	if d.IsDir() {
		return fs.SkipDir
	}
	return nil
}

// OpenFolder checks the folder at path with [OpenDir] and reads its files
// through a [Folder], so that no link and no special file put there after
// the check is read, and nothing outside the folder ever is. With
// [Limits].FollowLinks, links whose target lies inside the folder are
// followed (the walk lists them as their targets); links leading outside
// are refused. [Archive.Close] closes the folder.
func OpenFolder(path string, opts Limits) (*Archive, error) {
	folder, err := OpenFolderFS(path, FolderOptions{FollowLinks: opts.FollowLinks})
	if err != nil {
		return nil, err
	}
	walk := fs.FS(folder)
	if !opts.FollowLinks {
		// The walk sees links as links, so that each is reported.
		walk = folder.root.FS()
	}
	a, err := OpenDir(walk, opts)
	if err != nil {
		_ = folder.Close()
		return nil, err
	}
	a.src = dirSource{folder}
	a.closer = folder
	return a, nil
}

// dirSource reads files of a folder.
type dirSource struct {
	fsys fs.FS
}

func (d dirSource) open(e *Entry) (io.Reader, io.Closer, error) {
	fail := func(kind error, detail string) error {
		return &Error{Kind: kind, Name: e.RawName, Index: e.Index, Detail: detail}
	}
	if rl, ok := d.fsys.(fs.ReadLinkFS); ok {
		fi, err := rl.Lstat(e.Name)
		if err != nil {
			return nil, nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, nil, fail(ErrSymlink, "became a link after the check")
		}
	}
	f, err := d.fsys.Open(e.Name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fail(ErrSpecialFile, "is no longer a regular file")
	}
	if err != nil {
		return nil, nil, errors.Join(err, f.Close())
	}
	return f, f, nil
}

func (dirSource) checksums() bool { return false }
