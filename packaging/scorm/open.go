package scorm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Default limits of [Options].
const (
	// DefaultMaxManifestSize bounds imsmanifest.xml and each metadata file
	// read through adlcp:location: 8 MiB, far above the largest manifests
	// seen in the wild (under 1 MB).
	DefaultMaxManifestSize = 8 << 20
	// DefaultMaxManifestDepth bounds element nesting in the manifest. Real
	// manifests nest fewer than 30 levels.
	DefaultMaxManifestDepth = 256
	// DefaultMaxManifestElements bounds the number of elements in the
	// manifest: reading, converting and checking cost a few kilobytes per
	// element, so that this bounds memory where the byte limit alone does
	// not. Large real manifests list a few thousand files.
	DefaultMaxManifestElements = 50_000
)

// Options tunes [Open], [OpenFile] and [OpenFS]. The zero value applies
// every check with the defaults. For each numeric limit 0 means the
// default; the archive limits take a negative value for "no limit".
type Options struct {
	// Limits are the hostile-archive checks of the zip or folder (entry
	// count, sizes, compression ratio, links…); the zero value applies
	// them all with their defaults.
	archive.Limits
	// MaxManifestSize caps imsmanifest.xml and metadata files in bytes; 0
	// means [DefaultMaxManifestSize].
	MaxManifestSize int64
	// MaxManifestDepth caps element nesting in the manifest; 0 means
	// [DefaultMaxManifestDepth].
	MaxManifestDepth int
	// MaxManifestElements caps the number of elements in the manifest; 0
	// means [DefaultMaxManifestElements].
	MaxManifestElements int
	// Policy changes the severity of issues by code, those of the
	// conversion to an asset tree included.
	Policy ota.Policy
}

func (o Options) resolve() Options {
	if o.MaxManifestSize <= 0 {
		o.MaxManifestSize = DefaultMaxManifestSize
	}
	if o.MaxManifestDepth <= 0 {
		o.MaxManifestDepth = DefaultMaxManifestDepth
	}
	if o.MaxManifestElements <= 0 {
		o.MaxManifestElements = DefaultMaxManifestElements
	}
	return o
}

// Open reads the SCORM package in the zip archive r of size bytes. Only
// the central directory, the manifest and the metadata files it names are
// read; the content files are read through [Package.Content] when asked
// for.
//
// The error is non-nil when no Package could be read: the archive failed
// the hostile-input checks ([ErrArchive], wrapping the archive's typed
// error, which errors.Is matches against the classes of package
// [archive]), there is no manifest ([ErrNoManifest]), or the manifest is
// not XML, breaks a limit or declares entities ([ErrManifest], [ErrLimit],
// [ErrEntities]). Otherwise the Package is returned, converted to an asset
// tree ([Package.Asset]), with a report of every issue found in the
// manifest and in the conversion, errors and warnings apart;
// report.Err() turns the errors into an *ota.ValidationError.
func Open(r io.ReaderAt, size int64, opts Options) (*Package, ota.Report, error) {
	a, err := archive.Open(r, size, opts.Limits)
	return open(a, err, opts)
}

// OpenFile reads the SCORM package at path, a zip file or a folder, as
// [Open] does. [Package.Close] releases the file or folder.
func OpenFile(path string, opts Options) (*Package, ota.Report, error) {
	a, err := archive.OpenPath(path, opts.Limits)
	if errors.Is(err, fs.ErrNotExist) && !errors.Is(err, archive.ErrCorrupt) {
		return nil, ota.Report{}, err
	}
	return open(a, err, opts)
}

// OpenFS reads the SCORM package in the folder tree fsys (an os.DirFS, an
// embed.FS, a zip.Reader), checked as an archive is (see
// [archive.OpenDir]), as [Open] does.
func OpenFS(fsys fs.FS, opts Options) (*Package, ota.Report, error) {
	a, err := archive.OpenDir(fsys, opts.Limits)
	return open(a, err, opts)
}

// open reads the package of an archive that opened with err.
func open(a *archive.Archive, err error, opts Options) (*Package, ota.Report, error) {
	if err != nil {
		return nil, archiveReport(err), fmt.Errorf("%w: %w", ErrArchive, err)
	}
	pkg, rep, err := read(a, opts)
	if err != nil {
		_ = a.Close()
		return nil, rep, err
	}
	return pkg, rep, nil
}

func archiveReport(err error) ota.Report {
	var r ota.Report
	r.Add(ota.Issue{Code: "scorm.package.rejected", Severity: ota.Error, Message: err.Error()})
	return r
}

// Asset returns the asset tree of the package: for one read by [Open], the
// tree it was converted to (the conversion's issues and losses are in
// Open's report); for one made by [FromAsset], the tree it was made from.
// For a Package built by hand it converts the manifest, without a report.
func (p *Package) Asset() *asset.Asset {
	if p.asset == nil {
		p.asset, _ = p.convert()
	}
	return p.asset
}

// Content returns the package's files, rooted at the manifest's folder,
// read through the hostile-archive checks: the paths the asset's resources
// name. It is nil for a Package that was not read by [Open], [OpenFS] or
// [OpenFile].
func (p *Package) Content() fs.FS { return p.content }

// Close releases the file or folder [OpenFile] opened; for the other
// Packages it does nothing. Files read from [Package.Content] must not be
// used after Close.
func (p *Package) Close() error {
	if p.arc == nil {
		return nil
	}
	err := p.arc.Close()
	p.arc = nil
	return err
}

// Verify reads every file of the package once through the archive checks
// and reports each one an extraction would trip on (a CRC-32 or a size
// that does not match the data) as an error of code
// "scorm.package.corrupt", with the Options' Policy applied. Opening reads
// only the manifest; Verify is for a validator that does not extract.
// It reports nothing for a Package that was not opened, or is closed.
func (p *Package) Verify(ctx context.Context) ota.Report {
	var rep ota.Report
	if p.arc == nil {
		return rep
	}
	rep.Add(archive.Verify(ctx, p.arc, "scorm.package.corrupt")...)
	rep.Apply(p.policy)
	return rep
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
	converted, crep := pkg.convert()
	rep.Merge(crep)
	rep.Apply(o.Policy)
	pkg.asset, pkg.arc, pkg.policy = converted, a, o.Policy
	pkg.content = a
	if root != "." {
		if sub, err := fs.Sub(a, root); err == nil {
			pkg.content = sub
		}
	}
	return pkg, rep, nil
}

// parseFile parses one XML file of the archive within the limits.
func parseFile(a *archive.Archive, name string, o Options) (*xmlnode.Node, bool, error) {
	f, err := a.Open(name)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrManifest, err)
	}
	defer f.Close()
	n, doctype, err := parseTree(f, parseLimits{maxBytes: o.MaxManifestSize, maxDepth: o.MaxManifestDepth, maxElements: o.MaxManifestElements})
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
