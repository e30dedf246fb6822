package cmi5

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/archive"
)

// OpenFile reads the course structure at name: a zip package or a folder
// holding cmi5.xml at its root (or in a single top-level folder), or a
// standalone cmi5.xml. For packages and folders it also checks that every
// relative AU URL names a file of the package (code cmi5.au.url.file).
func OpenFile(name string, opts Options) (*Course, ota.Report, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, ota.Report{}, err
	}
	if fi.IsDir() {
		a, err := archive.OpenFolder(name, archive.Limits{FollowLinks: opts.FollowLinks})
		if err != nil {
			return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrArchive, err)
		}
		defer a.Close()
		return openPackage(a, opts)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, ota.Report{}, err
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	_ = f.Close()
	if !bytes.Equal(head[:n], []byte("PK\x03\x04")) && !bytes.Equal(head[:n], []byte("PK\x05\x06")) {
		f, err := os.Open(name)
		if err != nil {
			return nil, ota.Report{}, err
		}
		defer f.Close()
		return Parse(f, opts)
	}
	a, err := archive.OpenFile(name, archive.Limits{})
	if err != nil {
		return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	defer a.Close()
	return openPackage(a, opts)
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
