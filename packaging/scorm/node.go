package scorm

import (
	"errors"
	"io"
	"strings"

	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// attrFold returns the value and the spelling of the first attribute of n
// whose local name equals local ignoring case and whose namespace is one of
// spaces.
func attrFold(n *xmlnode.Node, local string, spaces ...string) (value, spelling string, ok bool) {
	for _, a := range n.Attrs {
		if strings.EqualFold(a.Local, local) && contains(spaces, a.Space) {
			return a.Value, a.Local, true
		}
	}
	return "", "", false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// xmlNS is the namespace of xml:base and xml:lang.
const xmlNS = "http://www.w3.org/XML/1998/namespace"

// Errors returned by [Open], [OpenFile] and [OpenFS]; test with errors.Is.
var (
	// ErrNoManifest means the package has no imsmanifest.xml at its root
	// or in a single top-level folder.
	ErrNoManifest = errors.New("scorm: no imsmanifest.xml")
	// ErrManifest means imsmanifest.xml is not well-formed XML or its root
	// element is not a manifest.
	ErrManifest = errors.New("scorm: unreadable manifest")
	// ErrLimit means the manifest exceeds a limit of [Options]: its size
	// or its element depth.
	ErrLimit = errors.New("scorm: manifest exceeds a limit")
	// ErrEntities means the manifest declares entities in a DOCTYPE, which
	// is refused so that no entity expansion can happen.
	ErrEntities = errors.New("scorm: DOCTYPE with entity declarations")
	// ErrArchive means the archive or folder failed the hostile-input
	// checks; the wrapped error names the class (zip-slip, symlink, bomb…).
	ErrArchive = errors.New("scorm: package rejected")
)

// parseLimits bound the tree parser.
type parseLimits struct {
	maxBytes    int64
	maxDepth    int
	maxElements int
}

// parseTree reads an XML document from r into a tree (see package
// xmltree), with this package's sentinels on failure. A plain DOCTYPE is
// accepted; the caller is told through sawDoctype.
func parseTree(r io.Reader, lim parseLimits) (root *xmlnode.Node, sawDoctype bool, err error) {
	root, sawDoctype, err = xmltree.Parse(r, xmltree.Limits{MaxBytes: lim.maxBytes, MaxDepth: lim.maxDepth, MaxElements: lim.maxElements})
	if err != nil {
		// The cause stays reachable: a reader's own error (a corrupt zip
		// entry) included.
		return nil, sawDoctype, xmltree.Sentinels{Syntax: ErrManifest, Limit: ErrLimit, Entities: ErrEntities}.Wrap(err)
	}
	return root, sawDoctype, nil
}
