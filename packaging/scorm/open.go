package scorm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Default limits of [Options].
const (
	// DefaultMaxManifestSize bounds imsmanifest.xml and each metadata file
	// read through adlcp:location: 8 MiB, far above the largest manifests
	// seen in the wild (under 1 MB).
	DefaultMaxManifestSize = 8 << 20
	// DefaultMaxDepth bounds element nesting in the manifest. Real
	// manifests nest fewer than 30 levels.
	DefaultMaxDepth = 256
	// DefaultMaxElements bounds the number of elements in the manifest:
	// reading, converting and checking cost a few kilobytes per element,
	// so that this bounds memory where the byte limit alone does not.
	// Large real manifests list a few thousand files.
	DefaultMaxElements = 50_000
)

// Options tunes [Open], [OpenFile] and [OpenFS]. The zero value applies
// every check with the defaults. For each numeric limit 0 means the
// default; the archive limits take a negative value for "no limit".
type Options struct {
	// MaxManifestSize caps imsmanifest.xml and metadata files in bytes; 0
	// means [DefaultMaxManifestSize].
	MaxManifestSize int64
	// MaxDepth caps element nesting in the manifest; 0 means
	// [DefaultMaxDepth].
	MaxDepth int
	// MaxElements caps the number of elements in the manifest; 0 means
	// [DefaultMaxElements].
	MaxElements int
	// MaxEntries caps the archive's entries (0: the archive default,
	// 50,000).
	MaxEntries int
	// MaxTotalSize caps the sum of the uncompressed sizes (0: 4 GiB).
	MaxTotalSize int64
	// MaxEntrySize caps one entry's uncompressed size (0: 1 GiB).
	MaxEntrySize int64
	// MaxRatio caps the compression ratio (0: 200).
	MaxRatio int
	// AllowBackslashes reads "\" in zip entry names as a separator instead
	// of rejecting the archive.
	AllowBackslashes bool
	// SkipSymlinks leaves symbolic links out instead of rejecting the
	// package.
	SkipSymlinks bool
	// FollowLinks, for a package folder, follows symbolic links whose
	// target lies inside the folder instead of rejecting the package;
	// links leading outside it are rejected whatever the setting. Links
	// in a zip are never followed.
	FollowLinks bool
	// Policy changes the severity of issues by code.
	Policy ota.Policy
}

func (o Options) archive() archive.Limits {
	return archive.Limits{
		MaxEntries:       o.MaxEntries,
		MaxTotalSize:     o.MaxTotalSize,
		MaxEntrySize:     o.MaxEntrySize,
		MaxRatio:         o.MaxRatio,
		AllowBackslashes: o.AllowBackslashes,
		SkipSymlinks:     o.SkipSymlinks,
		FollowLinks:      o.FollowLinks,
	}
}

func (o Options) resolve() Options {
	if o.MaxManifestSize <= 0 {
		o.MaxManifestSize = DefaultMaxManifestSize
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxElements <= 0 {
		o.MaxElements = DefaultMaxElements
	}
	return o
}

// Open reads the SCORM package in the zip archive r of size bytes. Only
// the central directory, the manifest and the metadata files it names are
// read.
//
// The error is non-nil when no Package could be read: the archive failed
// the hostile-input checks ([ErrArchive], wrapping the archive's typed
// error), there is no manifest ([ErrNoManifest]), or the manifest is not
// XML, breaks a limit or declares entities ([ErrManifest], [ErrLimit],
// [ErrEntities]). Otherwise the Package is returned with a report of every
// issue found, errors and warnings apart; report.Err() turns the errors
// into an *ota.ValidationError.
func Open(r io.ReaderAt, size int64, opts Options) (*Package, ota.Report, error) {
	a, err := archive.Open(r, size, opts.archive())
	if err != nil {
		return nil, archiveReport(err), fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return read(a, opts)
}

// OpenFile reads the SCORM package at path: a zip file or a folder.
func OpenFile(name string, opts Options) (*Package, ota.Report, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, ota.Report{}, err
	}
	var a *archive.Archive
	if fi.IsDir() {
		a, err = archive.OpenFolder(name, opts.archive())
	} else {
		a, err = archive.OpenFile(name, opts.archive())
	}
	if err != nil {
		return nil, archiveReport(err), fmt.Errorf("%w: %w", ErrArchive, err)
	}
	defer a.Close()
	return read(a, opts)
}

// OpenFS reads the SCORM package in the folder tree fsys, checked as an
// archive is.
func OpenFS(fsys fs.FS, opts Options) (*Package, ota.Report, error) {
	a, err := archive.OpenDir(fsys, opts.archive())
	if err != nil {
		return nil, archiveReport(err), fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return read(a, opts)
}

func archiveReport(err error) ota.Report {
	var r ota.Report
	r.Add(ota.Issue{Code: "scorm.package.rejected", Severity: ota.Error, Message: err.Error()})
	return r
}

// read finds and parses the manifest of a checked archive.
func read(a *archive.Archive, opts Options) (*Package, ota.Report, error) {
	o := opts.resolve()
	var rep ota.Report
	fail := func(code string, err error) (*Package, ota.Report, error) {
		rep.Add(ota.Issue{Pointer: "manifest", Code: code, Severity: ota.Error, Message: err.Error()})
		rep.Apply(o.Policy)
		return nil, rep, err
	}
	mp, err := a.FindFile("imsmanifest.xml")
	if err != nil {
		if errors.Is(err, archive.ErrAmbiguous) {
			return fail("scorm.manifest.missing", fmt.Errorf("%w at the root; %w", ErrNoManifest, err))
		}
		return fail("scorm.manifest.missing", fmt.Errorf("%w at the root or in a single top-level folder", ErrNoManifest))
	}
	root := path.Dir(mp)
	if root != "." {
		rep.Add(ota.Issue{Code: "scorm.manifest.subfolder", Severity: ota.Warning,
			Message: fmt.Sprintf("imsmanifest.xml is in %s/, not at the root; read from there. Zip the package's contents, not its folder", root)})
	}
	if path.Base(mp) != "imsmanifest.xml" {
		rep.Add(ota.Issue{Code: "scorm.manifest.name-case", Severity: ota.Warning,
			Message: fmt.Sprintf("the manifest is named %s; LMSs on case-sensitive systems look for imsmanifest.xml", path.Base(mp))})
	}
	tree, doctype, err := parseFile(a, mp, o)
	if err != nil {
		code := "scorm.manifest.invalid"
		switch {
		case errors.Is(err, ErrLimit):
			code = "scorm.manifest.limit"
		case errors.Is(err, ErrEntities):
			code = "scorm.manifest.entities"
		}
		return fail(code, err)
	}
	if doctype {
		rep.Add(ota.Issue{Pointer: "manifest", Code: "scorm.manifest.doctype", Severity: ota.Warning, Message: "the manifest has a DOCTYPE declaration; it is ignored"})
	}
	pkg := &Package{ManifestPath: mp}
	p := &parser{pkg: pkg, report: &rep}
	p.detectVersion(tree)
	p.manifest(tree)
	if tree.Local != "manifest" {
		return fail("scorm.manifest.invalid", fmt.Errorf("%w: the root element is %s, not manifest", ErrManifest, tree.Local))
	}
	pkg.index()
	c := &checker{parser: p, a: a, root: root, opts: o}
	c.run()
	rep.Apply(o.Policy)
	return pkg, rep, nil
}

// parseFile parses one XML file of the archive within the limits.
func parseFile(a *archive.Archive, name string, o Options) (*xmlnode.Node, bool, error) {
	f, err := a.Open(name)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrManifest, err)
	}
	defer f.Close()
	n, doctype, err := parseTree(f, parseLimits{maxBytes: o.MaxManifestSize, maxDepth: o.MaxDepth, maxElements: o.MaxElements})
	if err != nil {
		return nil, doctype, fmt.Errorf("%s: %w", name, err)
	}
	return n, doctype, nil
}

// isUnderRoot reports whether name lies in the folder root ("." for all).
func isUnderRoot(name, root string) (string, bool) {
	if root == "." {
		return name, true
	}
	rest, ok := strings.CutPrefix(name, root+"/")
	return rest, ok
}
