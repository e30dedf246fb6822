package cmi5

import (
	"errors"
	"io"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// attr returns the value of n's unprefixed attribute named local.
func attr(n *xmlnode.Node, local string) (string, bool) { return n.Attr("", local) }

// Errors returned by [Parse], [Open], [OpenFS] and [OpenFile]; test with
// errors.Is.
var (
	// ErrSyntax means the input is not well-formed XML or its root is not
	// a courseStructure element.
	ErrSyntax = errors.New("cmi5: unreadable course structure")
	// ErrLimit means the input exceeds a limit of [Options].
	ErrLimit = errors.New("cmi5: course structure exceeds a limit")
	// ErrEntities means the input declares entities in a DOCTYPE, which
	// is refused so that no entity expansion can happen.
	ErrEntities = errors.New("cmi5: DOCTYPE with entity declarations")
	// ErrNoCourseStructure means a package or folder holds no cmi5.xml.
	ErrNoCourseStructure = errors.New("cmi5: no cmi5.xml")
	// ErrArchive means the archive or folder failed the hostile-input
	// checks.
	ErrArchive = errors.New("cmi5: package rejected")
)

// Options tune [Open], [OpenFS], [OpenFile] and [Parse]. The zero value
// applies every check with the defaults.
type Options struct {
	// Limits are the hostile-archive checks of a zip package or folder
	// (entry count, sizes, compression ratio, links…); the zero value
	// applies them all with their defaults.
	archive.Limits
	// MaxStructureSize is the largest course structure (cmi5.xml) read, in
	// bytes; 0 means 16 MiB.
	MaxStructureSize int64
	// MaxStructureDepth is the deepest element nesting accepted in the
	// course structure; 0 means 64.
	MaxStructureDepth int
	// MaxStructureElements is the most elements accepted in the course
	// structure; 0 means 60,000 (an AU is some six elements, and reading,
	// converting and checking one costs a few kilobytes).
	MaxStructureElements int
	// Policy changes the severity of issues by code, those of the
	// conversion to an asset tree included.
	Policy ota.Policy
}

func (o Options) resolve() Options {
	if o.MaxStructureSize <= 0 {
		o.MaxStructureSize = 16 << 20
	}
	if o.MaxStructureDepth <= 0 {
		o.MaxStructureDepth = 64
	}
	if o.MaxStructureElements <= 0 {
		o.MaxStructureElements = 60_000
	}
	return o
}

// parseTree reads one XML document into a tree of Nodes (see package
// xmltree), with this package's sentinels on failure.
func parseTree(r io.Reader, o Options) (*xmlnode.Node, error) {
	root, _, err := xmltree.Parse(r, xmltree.Limits{MaxBytes: o.MaxStructureSize, MaxDepth: o.MaxStructureDepth, MaxElements: o.MaxStructureElements})
	if err != nil {
		return nil, xmltree.Sentinels{Syntax: ErrSyntax, Limit: ErrLimit, Entities: ErrEntities}.Wrap(err)
	}
	return root, nil
}
