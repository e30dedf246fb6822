package catalogue

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// dirItem is what a walk keeps of a folder's entry while it visits the
// folder: its name and whether it is a folder, not its fs.DirEntry (with
// file information, several times the size), so that a folder of a
// hundred thousand documents costs a few megabytes.
type dirItem struct {
	name string
	dir  bool
}

// walkFiles visits the files and folders under root in lexical order, as
// fs.WalkDir does: each folder before its entries, visit called a second
// time with the error when a folder cannot be read (with what could be
// read of it still visited), fs.SkipDir from a folder's visit skipping it
// and from a file's skipping the rest of its folder, fs.SkipAll ending the
// walk. Folders are read a batch of entries at a time.
func walkFiles(fsys fs.FS, root string, visit func(path string, dir bool, err error) error) error {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		err = visit(root, false, err)
	} else {
		err = walkFolder(fsys, root, info.IsDir(), visit)
	}
	if errors.Is(err, fs.SkipDir) || errors.Is(err, fs.SkipAll) {
		return nil
	}
	return err
}

func walkFolder(fsys fs.FS, name string, dir bool, visit func(path string, dir bool, err error) error) error {
	if err := visit(name, dir, nil); err != nil || !dir {
		if errors.Is(err, fs.SkipDir) && dir {
			err = nil // skip this folder
		}
		return err
	}
	items, err := readItems(fsys, name)
	if err != nil {
		if err := visit(name, true, err); err != nil {
			if errors.Is(err, fs.SkipDir) {
				err = nil
			}
			return err
		}
	}
	for _, it := range items {
		if err := walkFolder(fsys, path.Join(name, it.name), it.dir, visit); err != nil {
			if errors.Is(err, fs.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
}

// readItems lists a folder's entries sorted by name, reading them a batch
// at a time (fs.ReadDirFile); a file system whose folders cannot be read so
// is listed with fs.ReadDir.
func readItems(fsys fs.FS, name string) ([]dirItem, error) {
	var items []dirItem
	add := func(es []fs.DirEntry) {
		for _, e := range es {
			items = append(items, dirItem{name: e.Name(), dir: e.IsDir()})
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd, ok := f.(fs.ReadDirFile)
	if !ok {
		es, err := fs.ReadDir(fsys, name)
		add(es)
		return sortItems(items), err
	}
	for {
		es, err := rd.ReadDir(1024)
		add(es)
		if errors.Is(err, io.EOF) {
			return sortItems(items), nil
		}
		if err != nil {
			return sortItems(items), err
		}
	}
}

func sortItems(items []dirItem) []dirItem {
	slices.SortFunc(items, func(a, b dirItem) int { return strings.Compare(a.name, b.name) })
	return items
}
