package archive

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Entry describes one checked entry of an archive or folder.
type Entry struct {
	// Name is the cleaned, slash-separated path, valid for fs.ValidPath:
	// no leading "/", no trailing "/" for folders, no "." or empty
	// segments. It is the name to pass to [Archive.Open].
	Name string
	// RawName is the name as stored in the archive, before decoding and
	// cleaning; for a folder, the path from the walk.
	RawName string
	// Index is the entry's position in the central directory (for a
	// folder, in the walk), counting from 0.
	Index int
	// IsDir is true for a folder entry.
	IsDir bool
	// Size is the declared uncompressed size in bytes (for a folder, the
	// size when it was walked). Reads are held to it.
	Size int64
	// CompressedSize is the size of the stored data in bytes; it equals
	// Size for stored entries and folder files.
	CompressedSize int64
	// Method is the compression method: 0 (store) or 8 (deflate). Files in
	// a folder report 0.
	Method uint16
	// Modified is the modification time, or the zero time when unknown.
	Modified time.Time
	// CRC32 is the checksum declared in the central directory, checked
	// when the entry has been read to the end; 0 for folder files, which
	// have none.
	CRC32 uint32
	// LegacyName is true when the stored name was not UTF-8 and was decoded
	// as code page 437.
	LegacyName bool
}

// Archive is a checked zip archive or folder. It implements fs.FS,
// fs.ReadDirFS, fs.ReadFileFS and fs.StatFS over its entries; folders that
// are implied by a file's path but have no entry of their own are
// included. An Archive is safe for concurrent use; the files it opens are
// not.
type Archive struct {
	opts      Limits // resolved
	src       source
	entries   []Entry
	skipped   []Entry
	nodes     map[string]*node
	fold      map[string]string
	ambiguous map[string]bool
	total     atomic.Int64 // bytes read, counted once per entry offset
	closer    io.Closer
	closeOnce sync.Once
	closeErr  error
}

// source opens the data of an entry.
type source interface {
	// open returns a reader of the entry's uncompressed data and a closer
	// to release it (nil when there is nothing to release).
	open(e *Entry) (io.Reader, io.Closer, error)
	// checksums reports whether Entry.CRC32 is to be verified.
	checksums() bool
}

// Entries returns the accepted entries in central-directory (or walk)
// order. Junk and skipped links are not included; folders implied by a
// path but without an entry of their own are not included either.
func (a *Archive) Entries() []Entry { return slices.Clone(a.entries) }

// Skipped returns the entries that passed the checks but were left out:
// junk ([IsJunk]) unless [Limits].KeepJunk, symbolic links when
// [Limits].SkipSymlinks, and folder entries naming the root ("./"). For a
// folder, a skipped junk folder stands for everything under it.
func (a *Archive) Skipped() []Entry { return slices.Clone(a.skipped) }

// Close releases the file opened by [OpenFile] or the folder opened by
// [OpenFolder]; for archives from [Open] and [OpenDir] it does nothing.
// Files opened from the archive must not be used after Close.
func (a *Archive) Close() error {
	a.closeOnce.Do(func() {
		if a.closer != nil {
			a.closeErr = a.closer.Close()
		}
	})
	return a.closeErr
}

// Lookup finds the real name of a file or folder. name is cleaned first
// ("./a//b" is "a/b"; a name that would leave the root finds nothing),
// then matched exactly and, failing that, ignoring case: SCORM manifests
// written on Windows often name "Images/Logo.PNG" for "images/logo.png".
// When several names match ignoring case (possible only with
// [Limits].AllowCaseCollisions) and none exactly, Lookup reports false
// rather than guess.
func (a *Archive) Lookup(name string) (string, bool) {
	clean := path.Clean(name)
	if !fs.ValidPath(clean) {
		return "", false
	}
	if _, ok := a.nodes[clean]; ok {
		return clean, true
	}
	k := foldKey(clean)
	if a.ambiguous[k] {
		return "", false
	}
	p, ok := a.fold[k]
	return p, ok
}

// FindFile locates the file named base ("imsmanifest.xml", "cmi5.xml") at
// the root or, failing that, directly inside one top-level folder, as some
// tools zip a package's parent folder. It returns the file's name, so
// path.Dir of the result says where it was ("." for the root). Each place
// is tried exactly first and then ignoring case, as [Archive.Lookup] does;
// compare the result's base with base to warn about a case mismatch. A
// file at the root wins over any in a folder; when it is in more than one
// folder the error wraps [ErrAmbiguous]; when it is nowhere, fs.ErrNotExist.
func (a *Archive) FindFile(base string) (string, error) {
	if base == "" || base == "." || base == ".." || strings.ContainsAny(base, `/\`) {
		return "", &fs.PathError{Op: "find", Path: base, Err: fs.ErrInvalid}
	}
	if p, ok := a.lookupFile(base); ok {
		return p, nil
	}
	var found []string
	for _, d := range a.nodes["."].children {
		if !d.isDir {
			continue
		}
		if p, ok := a.lookupFile(d.name + "/" + base); ok {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return "", &fs.PathError{Op: "find", Path: base, Err: fs.ErrNotExist}
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%w: %s is in %s", ErrAmbiguous, base, strings.Join(found, ", "))
}

// lookupFile is Lookup restricted to files.
func (a *Archive) lookupFile(name string) (string, bool) {
	p, ok := a.Lookup(name)
	if !ok || a.nodes[p].isDir {
		return "", false
	}
	return p, true
}

// entry returns the entry behind n, or nil for an implied folder.
func (a *Archive) entry(n *node) *Entry {
	if n.entry < 0 {
		return nil
	}
	return &a.entries[n.entry]
}
