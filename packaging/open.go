package packaging

import (
	"context"
	"io"
	"io/fs"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/lesson"
	"github.com/metaacademy/ota/packaging/scorm"
)

// Options configure [Open], [OpenFS] and [OpenFile]. The zero value applies
// every check with the defaults.
type Options struct {
	// Limits are the hostile-archive checks of the zip or folder, handed
	// to the codec of the kind detected.
	archive.Limits
	// Policy changes the severity of issues by code.
	Policy ota.Policy
}

// Package is a package opened by [Open], [OpenFS] or [OpenFile], whatever
// its kind.
type Package struct {
	// Kind is the kind detected.
	Kind Kind

	asset   *asset.Asset
	content fs.FS
	closer  io.Closer
	verify  func(context.Context) ota.Report
	codec   any
}

// Codec returns the value the kind's codec read, for what only that kind
// has (a SCORM manifest's organizations and version, a bundle's every
// asset tree and signature, a lesson's episodes): a *scorm.Package, a
// *cmi5.Package (a *cmi5.Course for a lone course structure), a
// *bundle.Bundle or a *lesson.Lesson. Tell them apart with a type switch.
// Closing the Package closes it.
func (p *Package) Codec() any { return p.codec }

// Asset returns the package's asset tree, through the model (for a bundle
// holding several, the first).
func (p *Package) Asset() *asset.Asset { return p.asset }

// Content returns the package's files, read through the hostile-archive
// checks: the paths the asset's resources name.
func (p *Package) Content() fs.FS { return p.content }

// Close releases what [OpenFile] opened; for the other Packages it does
// nothing that matters, but calling it is never wrong.
func (p *Package) Close() error {
	if p.closer == nil {
		return nil
	}
	return p.closer.Close()
}

// Verify reads every file of the package once and reports each that does
// not match what the package declares: the CRC-32s and sizes of a zip, the
// manifest's sizes and digests of a bundle. A lesson and a lone course
// structure have nothing to verify.
func (p *Package) Verify(ctx context.Context) ota.Report {
	if p.verify == nil {
		return ota.Report{}
	}
	return p.verify(ctx)
}

// Open detects the kind of the package in r, which holds size bytes (see
// [Detect]), and reads it with that kind's codec: scorm.Open, cmi5.Open
// (cmi5.Parse for a lone course structure), bundle.Open or lesson.Open.
// The report and the error are the codec's.
func Open(r io.ReaderAt, size int64, opts Options) (*Package, ota.Report, error) {
	kind, err := Detect(r, size)
	if err != nil {
		return nil, ota.Report{}, err
	}
	switch kind {
	case KindSCORM:
		return wrap[*scorm.Package](kind)(scorm.Open(r, size, scorm.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindCMI5:
		if !isZip(r) {
			return openStructure(io.NewSectionReader(r, 0, size), opts)
		}
		return wrap[*cmi5.Package](kind)(cmi5.Open(r, size, cmi5.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindBundle:
		return wrap[*bundle.Bundle](kind)(bundle.Open(r, size, bundle.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindLesson:
		return wrap[*lesson.Lesson](kind)(lesson.Open(r, size, lesson.Options{Limits: opts.Limits, Policy: opts.Policy}))
	}
	return nil, ota.Report{}, ErrUnknown
}

// OpenFS detects the kind of the package in the folder tree fsys (see
// [DetectFS]) and reads it with that kind's codec's OpenFS.
func OpenFS(fsys fs.FS, opts Options) (*Package, ota.Report, error) {
	kind, err := DetectFS(fsys)
	if err != nil {
		return nil, ota.Report{}, err
	}
	switch kind {
	case KindSCORM:
		return wrap[*scorm.Package](kind)(scorm.OpenFS(fsys, scorm.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindCMI5:
		return wrap[*cmi5.Package](kind)(cmi5.OpenFS(fsys, cmi5.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindBundle:
		return wrap[*bundle.Bundle](kind)(bundle.OpenFS(fsys, bundle.Options{Limits: opts.Limits, Policy: opts.Policy}))
	}
	return wrap[*lesson.Lesson](kind)(lesson.OpenFS(fsys, lesson.Options{Limits: opts.Limits, Policy: opts.Policy}))
}

// OpenFile detects the kind of the package at path, a zip file, a folder
// or a lone cmi5.xml (see [DetectFile]), and reads it with that kind's
// codec's OpenFile. [Package.Close] releases what it opened.
func OpenFile(path string, opts Options) (*Package, ota.Report, error) {
	kind, err := DetectFile(path)
	if err != nil {
		return nil, ota.Report{}, err
	}
	switch kind {
	case KindSCORM:
		return wrap[*scorm.Package](kind)(scorm.OpenFile(path, scorm.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindCMI5:
		return wrap[*cmi5.Package](kind)(cmi5.OpenFile(path, cmi5.Options{Limits: opts.Limits, Policy: opts.Policy}))
	case KindBundle:
		return wrap[*bundle.Bundle](kind)(bundle.OpenFile(path, bundle.Options{Limits: opts.Limits, Policy: opts.Policy}))
	}
	return wrap[*lesson.Lesson](kind)(lesson.OpenFile(path, lesson.Options{Limits: opts.Limits, Policy: opts.Policy}))
}

// opened is what every codec's package offers.
type opened interface {
	Asset() *asset.Asset
	Content() fs.FS
	Close() error
}

// wrap turns a codec's result into a Package of kind.
func wrap[T opened](kind Kind) func(T, ota.Report, error) (*Package, ota.Report, error) {
	return func(c T, rep ota.Report, err error) (*Package, ota.Report, error) {
		if err != nil {
			return nil, rep, err
		}
		p := &Package{Kind: kind, asset: c.Asset(), content: c.Content(), closer: c, codec: c}
		if v, ok := any(c).(interface {
			Verify(context.Context) ota.Report
		}); ok {
			p.verify = v.Verify
		}
		return p, rep, nil
	}
}

// isZip reports whether r starts as a zip archive does.
func isZip(r io.ReaderAt) bool {
	head := make([]byte, 4)
	n, _ := r.ReadAt(head, 0)
	return n == 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6)
}

// openStructure reads a lone cmi5 course structure.
func openStructure(r io.Reader, opts Options) (*Package, ota.Report, error) {
	c, rep, err := cmi5.Parse(r, cmi5.Options{Policy: opts.Policy})
	if err != nil {
		return nil, rep, err
	}
	a, crep := c.Asset()
	crep.Apply(opts.Policy)
	rep.Merge(crep)
	return &Package{Kind: KindCMI5, asset: a, codec: c}, rep, nil
}
