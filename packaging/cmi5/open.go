package cmi5

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
)

// Package is a cmi5 course read by [Open], [OpenFS] or [OpenFile]: its
// course structure, the asset tree it converts to, and the files of the
// package. Close releases what OpenFile opened.
type Package struct {
	// Course is the course structure read from cmi5.xml.
	Course *Course

	asset   *asset.Asset
	content fs.FS
	arc     *archive.Archive // the checked package, nil for a lone cmi5.xml
	closer  io.Closer
	policy  ota.Policy
}

// Asset returns the asset tree the course converts to (see
// [Course.Asset]); the conversion's issues and losses are in the report
// the Package was opened with.
func (p *Package) Asset() *asset.Asset { return p.asset }

// Content returns the package's files, read through the hostile-archive
// checks: for a zip or a folder the package itself (the asset's resource
// paths start with [Course.Base] when cmi5.xml is in a folder), for a lone
// cmi5.xml read by [OpenFile] the folder beside it, read through a reader
// that refuses links leaving it.
func (p *Package) Content() fs.FS { return p.content }

// Close releases the file or folder [OpenFile] opened; it does nothing for
// the other Packages. Files read from [Package.Content] must not be used
// after Close.
func (p *Package) Close() error {
	if p.closer == nil {
		return nil
	}
	err := p.closer.Close()
	p.closer = nil
	return err
}

// Verify reads every file of the package once through the archive checks
// and reports each one an extraction would trip on (a CRC-32 or a size
// that does not match the data) as an error of code "cmi5.package.corrupt",
// with the Options' Policy applied. It reports nothing for a lone cmi5.xml.
func (p *Package) Verify(ctx context.Context) ota.Report {
	var rep ota.Report
	if p.arc == nil {
		return rep
	}
	rep.Add(archive.Verify(ctx, p.arc, "cmi5.package.corrupt")...)
	rep.Apply(p.policy)
	return rep
}

// Open reads the cmi5 package in the zip archive r of size bytes: the
// archive is checked as hostile input first ([ErrArchive] wraps the
// archive's error, whose class errors.Is matches against those of
// package [archive]), then cmi5.xml is read from its root or a single
// top-level folder ([ErrNoCourseStructure] when there is none) with
// [Parse], and every relative AU URL is checked to name a file of the
// package (code cmi5.au.url.file). The course is converted to an asset
// tree; the report holds the findings of both, with the Options' Policy
// applied.
func Open(r io.ReaderAt, size int64, opts Options) (*Package, ota.Report, error) {
	a, err := archive.Open(r, size, opts.Limits)
	if err != nil {
		return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return fromArchive(a, opts)
}

// OpenFS reads the cmi5 package in the folder tree fsys (an os.DirFS, an
// embed.FS, a zip.Reader), checked as an archive is (see
// [archive.OpenDir]), as [Open] does.
func OpenFS(fsys fs.FS, opts Options) (*Package, ota.Report, error) {
	a, err := archive.OpenDir(fsys, opts.Limits)
	if err != nil {
		return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return fromArchive(a, opts)
}

// OpenFile reads the cmi5 course at path: a zip package or a folder, as
// [Open] does, or a lone cmi5.xml, read with [Parse], whose AU files are
// then looked for in the folder beside it. [Package.Close] releases what
// it opened.
func OpenFile(path string, opts Options) (*Package, ota.Report, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, ota.Report{}, err
	}
	if !fi.IsDir() && !isZipFile(path) {
		return openStructure(path, opts)
	}
	a, err := archive.OpenPath(path, opts.Limits)
	if err != nil {
		return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	p, rep, err := fromArchive(a, opts)
	if err != nil {
		_ = a.Close()
		return nil, rep, err
	}
	p.closer = a
	return p, rep, nil
}

// isZipFile reports whether the file at path starts as a zip archive does.
func isZipFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], []byte("PK\x03\x04")) || bytes.Equal(head[:n], []byte("PK\x05\x06"))
}

// openStructure reads a lone cmi5.xml; its content is the folder beside it.
func openStructure(path string, opts Options) (*Package, ota.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ota.Report{}, err
	}
	defer f.Close()
	c, rep, err := Parse(f, opts)
	if err != nil {
		return nil, rep, err
	}
	p := finish(c, &rep, opts)
	if folder, err := archive.OpenFolderFS(filepath.Dir(path), archive.FolderOptions{FollowLinks: opts.FollowLinks}); err == nil {
		p.content, p.closer = folder, folder
	}
	return p, rep, nil
}

// fromArchive reads the package of a checked archive.
func fromArchive(a *archive.Archive, opts Options) (*Package, ota.Report, error) {
	c, rep, err := openPackage(a, opts)
	if err != nil {
		rep.Apply(opts.Policy)
		return nil, rep, err
	}
	p := finish(c, &rep, opts)
	p.arc, p.content = a, a
	return p, rep, nil
}

// finish converts the course and applies the policy to the report.
func finish(c *Course, rep *ota.Report, opts Options) *Package {
	a, crep := c.Asset()
	rep.Merge(crep)
	rep.Apply(opts.Policy)
	return &Package{Course: c, asset: a, policy: opts.Policy}
}

// packageFS is what openPackage needs of an opened archive.
type packageFS interface {
	fs.FS
	FindFile(base string) (string, error)
	Lookup(name string) (string, bool)
}

// openPackage reads cmi5.xml from an opened package (an *archive.Archive) and
// checks the AU files.
func openPackage(a packageFS, opts Options) (*Course, ota.Report, error) {
	p, err := a.FindFile("cmi5.xml")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ota.Report{}, ErrNoCourseStructure
		}
		return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrNoCourseStructure, err)
	}
	f, err := a.Open(p)
	if err != nil {
		return nil, ota.Report{}, err
	}
	defer f.Close()
	c, rep, err := Parse(f, opts)
	if err != nil {
		return nil, rep, err
	}
	c.Base = path.Dir(p)
	if path.Base(p) != "cmi5.xml" {
		rep.Add(ota.Issue{Pointer: "courseStructure", Code: "cmi5.package.name", Severity: ota.Warning,
			Message: fmt.Sprintf("the course structure is named %q; name it cmi5.xml exactly", path.Base(p))})
	}
	for _, au := range c.AUs() {
		rel, ok := relativePath(au.URL)
		if !ok {
			continue
		}
		if _, found := a.Lookup(path.Join(c.Base, rel)); !found {
			rep.Add(ota.Issue{Pointer: au.ptr + "/url[0]", Code: "cmi5.au.url.file", Severity: ota.Error,
				Message: fmt.Sprintf("the AU %q launches %q, which is not in the package", au.ID, rel)})
		}
	}
	return c, rep, nil
}

// relativePath returns the package path of a relative AU URL, without
// query or fragment, and false for absolute URLs, invalid ones and those
// leaving the package root.
func relativePath(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	clean := path.Clean(u.Path)
	if !fs.ValidPath(clean) {
		return "", false
	}
	return clean, true
}
