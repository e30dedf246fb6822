package cmi5

import (
	"errors"
	"io"

	"github.com/metaacademy/ota/internal/xmltree"
)

// Node is an XML element kept as read, for extension content the package
// does not interpret.
type Node = xmltree.Node

// Attr is an attribute of a [Node].
type Attr = xmltree.Attr

// attr returns the value of n's unprefixed attribute named local.
func attr(n *Node, local string) (string, bool) { return n.Attr("", local) }

// Errors returned by [Parse] and [OpenFile]; test with errors.Is.
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

// Options bound the parser. The zero value selects the defaults.
type Options struct {
	// MaxBytes is the largest course structure read; 0 means 16 MiB.
	MaxBytes int64
	// MaxDepth is the deepest element nesting accepted; 0 means 64.
	MaxDepth int
	// MaxElements is the most elements accepted; 0 means 60,000 (an AU
	// is some six elements, and reading, converting and checking one
	// costs a few kilobytes).
	MaxElements int
	// FollowLinks makes [OpenFile], for a package folder, follow symbolic
	// links whose target lies inside the folder instead of rejecting the
	// package; links leading outside it are rejected whatever the
	// setting. Links in a zip are never followed.
	FollowLinks bool
}

func (o Options) resolve() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 16 << 20
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 64
	}
	if o.MaxElements <= 0 {
		o.MaxElements = 60_000
	}
	return o
}

// parseTree reads one XML document into a tree of Nodes (see package
// xmltree), with this package's sentinels on failure.
func parseTree(r io.Reader, o Options) (*Node, error) {
	root, _, err := xmltree.Parse(r, xmltree.Limits{MaxBytes: o.MaxBytes, MaxDepth: o.MaxDepth, MaxElements: o.MaxElements})
	if err != nil {
		return nil, xmltree.Sentinels{Syntax: ErrSyntax, Limit: ErrLimit, Entities: ErrEntities}.Wrap(err)
	}
	return root, nil
}
