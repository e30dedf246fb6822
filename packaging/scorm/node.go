package scorm

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Node is an XML element kept as read: its namespace URI and local name,
// its attributes, its character data and its child elements. Sequencing,
// shared data maps, navigation presentation, LOM records and unknown
// elements are kept as Nodes so that an exporter can write them back.
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
	// Line is the 1-based line where the element starts.
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

// attrFold returns the value and the spelling of the first attribute whose
// local name equals local ignoring case and whose namespace is one of
// spaces.
func (n *Node) attrFold(local string, spaces ...string) (value, spelling string, ok bool) {
	for _, a := range n.Attrs {
		if strings.EqualFold(a.Local, local) && contains(spaces, a.Space) {
			return a.Value, a.Local, true
		}
	}
	return "", "", false
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
	maxDepth    int
	maxElements int
}

// parseTree reads an XML document from r with a token decoder and returns
// its root element. It refuses DOCTYPEs declaring entities, elements
// nested deeper than maxDepth and more than maxElements elements. A plain
// DOCTYPE is ignored; the caller is told through sawDoctype.
func parseTree(r io.Reader, lim parseLimits) (root *Node, sawDoctype bool, err error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = charsetReader
	var stack []*Node
	var text []*bytes.Buffer
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, sawDoctype, fmt.Errorf("%w: line %d: %v", ErrManifest, line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			s := string(t)
			if strings.HasPrefix(strings.TrimSpace(s), "DOCTYPE") {
				sawDoctype = true
				if strings.Contains(s, "ENTITY") {
					return nil, true, fmt.Errorf("%w: entity declarations are refused", ErrEntities)
				}
			}
		case xml.StartElement:
			if len(stack) == 0 && root != nil {
				return nil, sawDoctype, fmt.Errorf("%w: more than one root element", ErrManifest)
			}
			if len(stack) >= lim.maxDepth {
				return nil, sawDoctype, fmt.Errorf("%w: elements nested deeper than %d", ErrLimit, lim.maxDepth)
			}
			count++
			if count > lim.maxElements {
				return nil, sawDoctype, fmt.Errorf("%w: more than %d elements", ErrLimit, lim.maxElements)
			}
			line, _ := d.InputPos()
			n := &Node{Space: t.Name.Space, Local: t.Name.Local, Line: line}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.Attrs = append(n.Attrs, Attr{Space: a.Name.Space, Local: a.Name.Local, Value: a.Value})
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			n := stack[len(stack)-1]
			if b := text[len(text)-1]; b != nil {
				n.Text = strings.TrimSpace(b.String())
			}
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			if len(bytes.TrimSpace(t)) == 0 && text[len(text)-1] == nil {
				continue
			}
			if text[len(text)-1] == nil {
				text[len(text)-1] = new(bytes.Buffer)
			}
			text[len(text)-1].Write(t)
		}
	}
	if root == nil {
		return nil, sawDoctype, fmt.Errorf("%w: no root element", ErrManifest)
	}
	return root, sawDoctype, nil
}

// charsetReader accepts the encodings manifests declare in practice. UTF-8
// and US-ASCII pass through; ISO-8859-1 and Windows-1252 are decoded byte
// for byte as Latin-1 (the printable range of Windows-1252 beyond Latin-1
// is rare in manifests).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// latin1Reader converts ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.buf) == 0 {
		tmp := make([]byte, max(len(p)/2, 1))
		n, err := l.r.Read(tmp)
		for _, b := range tmp[:n] {
			if b < 0x80 {
				l.buf = append(l.buf, b)
			} else {
				l.buf = append(l.buf, 0xC0|b>>6, 0x80|b&0x3F)
			}
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}
