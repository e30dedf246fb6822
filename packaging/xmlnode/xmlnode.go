// Package xmlnode holds the XML element trees that the SCORM and cmi5
// readers keep for content they do not model (sequencing, foreign
// extensions, metadata they do not interpret), so that it can be read,
// changed and written back.
//
// A [Node] is an element as read: its namespace URI and local name (never
// a prefix), its attributes, its trimmed text and its child elements.
// [Node.Check] tells whether XML can carry a tree's names before it is
// written.
package xmlnode

import (
	"errors"
	"fmt"
	"strings"

	"github.com/metaacademy/ota/internal/xmlname"
)

// NSXML is the namespace of xml:lang, xml:base and xml:space. Its prefix,
// xml, is bound in every document.
const NSXML = "http://www.w3.org/XML/1998/namespace"

// nsXMLNS is the namespace of namespace declarations, which no element or
// attribute of a tree may be in.
const nsXMLNS = "http://www.w3.org/2000/xmlns/"

// ErrName is matched by the errors of [Node.Check] and [Attr.Check]: XML
// cannot carry the name.
var ErrName = errors.New("xmlnode: not writable as an XML name")

// Node is an XML element kept as read.
type Node struct {
	// Space is the element's namespace URI ("" when it has none).
	Space string `json:"ns,omitempty"`
	// Local is the element's local name.
	Local string `json:"name"`
	// Attrs are the attributes in document order, namespace declarations
	// left out.
	Attrs []Attr `json:"attrs,omitempty"`
	// Text is the element's character data with surrounding white space
	// trimmed; mixed content is joined.
	Text string `json:"text,omitempty"`
	// Children are the child elements in document order.
	Children []*Node `json:"children,omitempty"`
	// Line is the 1-based line where the element starts (0 for an element
	// not read from a document).
	Line int `json:"-"`
}

// Attr is an attribute of a [Node].
type Attr struct {
	// Space is the attribute's namespace URI ("" for an unprefixed one).
	Space string `json:"ns,omitempty"`
	// Local is the attribute's local name.
	Local string `json:"name"`
	// Value is the attribute's value.
	Value string `json:"value"`
}

// Attr returns the value of the attribute with the given namespace and
// local name, matched exactly.
func (n *Node) Attr(space, local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Space == space && a.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// Child returns the first child with the given namespace and local name.
func (n *Node) Child(space, local string) *Node {
	for _, c := range n.Children {
		if c.Space == space && c.Local == local {
			return c
		}
	}
	return nil
}

// Check reports, matching [ErrName], the first element or attribute of the
// tree whose name XML cannot carry: a local name not made of XML name
// characters, one in no namespace that cannot start a name, one with a
// colon in a namespace (an element with a colon in no namespace is written
// without a prefix, and one with a colon must not be in the xml
// namespace), or the namespace of namespace declarations. Every tree the
// readers return passes; check trees from elsewhere (decoded from JSON,
// say) before writing them.
func (n *Node) Check() error {
	if n == nil {
		return nil
	}
	if err := n.checkName(); err != nil {
		return err
	}
	for _, a := range n.Attrs {
		if err := a.Check(); err != nil {
			return fmt.Errorf("%w (on element %q)", err, n.Local)
		}
	}
	for _, c := range n.Children {
		if err := c.Check(); err != nil {
			return err
		}
	}
	return nil
}

// checkName is [Node.Check] for the element's own name only.
func (n *Node) checkName() error {
	colon := strings.Contains(n.Local, ":")
	if !xmlname.Chars(n.Local) || n.Space == nsXMLNS ||
		!xmlname.Starts(n.Local) && (n.Space == "" || colon) ||
		colon && n.Space == NSXML {
		return fmt.Errorf("%w: element {%s}%q", ErrName, n.Space, n.Local)
	}
	return nil
}

// Check reports, matching [ErrName], whether XML cannot carry the
// attribute's name: a local name not made of XML name characters, one in
// no namespace that cannot start a name or is xmlns, one in a namespace
// with a colon (it is written with a prefix), or the namespace of
// namespace declarations.
func (a Attr) Check() error {
	switch {
	case !xmlname.Chars(a.Local), a.Space == nsXMLNS, a.Space == "xmlns",
		a.Space == "" && (a.Local == "xmlns" || !xmlname.Starts(a.Local)),
		a.Space != "" && strings.Contains(a.Local, ":"):
		return fmt.Errorf("%w: attribute {%s}%q", ErrName, a.Space, a.Local)
	}
	return nil
}
