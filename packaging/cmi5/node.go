package cmi5

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Node is an XML element kept as read, for extension content the package
// does not interpret.
type Node struct {
	// Space is the element's namespace URI ("" when it has none).
	Space string `json:"ns,omitempty"`
	// Local is the element's local name.
	Local string `json:"name"`
	// Attrs are the attributes in document order, namespace declarations
	// left out.
	Attrs []Attr `json:"attrs,omitempty"`
	// Text is the element's character data, surrounding white space
	// trimmed.
	Text string `json:"text,omitempty"`
	// Children are the child elements in document order.
	Children []*Node `json:"children,omitempty"`
	// Line is the 1-based line where the element starts.
	Line int `json:"-"`
}

// Attr is an attribute of a [Node].
type Attr struct {
	// Space is the attribute's namespace URI ("" when unprefixed).
	Space string `json:"ns,omitempty"`
	// Local is the attribute's local name.
	Local string `json:"name"`
	// Value is the attribute's value.
	Value string `json:"value"`
}

// attr returns the value of the unprefixed attribute named local.
func (n *Node) attr(local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Space == "" && a.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

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
	// MaxElements is the most elements accepted; 0 means 200,000.
	MaxElements int
}

func (o Options) resolve() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 16 << 20
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 64
	}
	if o.MaxElements <= 0 {
		o.MaxElements = 200_000
	}
	return o
}

// limitReader fails with ErrLimit once more than n bytes are read.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, fmt.Errorf("%w: larger than the byte limit", ErrLimit)
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, fmt.Errorf("%w: larger than the byte limit", ErrLimit)
	}
	return n, err
}

// parseTree reads one XML document into a tree of Nodes.
func parseTree(r io.Reader, o Options) (*Node, error) {
	d := xml.NewDecoder(&limitReader{r: r, n: o.MaxBytes})
	d.Strict = true
	d.CharsetReader = charsetReader
	var (
		root  *Node
		stack []*Node
		text  []*bytes.Buffer
		count int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, ErrLimit) {
				return nil, err
			}
			line, _ := d.InputPos()
			return nil, fmt.Errorf("%w: line %d: %v", ErrSyntax, line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			s := strings.TrimSpace(string(t))
			if strings.HasPrefix(s, "DOCTYPE") && (strings.Contains(s, "ENTITY") || strings.Contains(s, "[")) {
				return nil, fmt.Errorf("%w: entity declarations are refused", ErrEntities)
			}
		case xml.StartElement:
			if len(stack) == 0 && root != nil {
				return nil, fmt.Errorf("%w: more than one root element", ErrSyntax)
			}
			if len(stack) >= o.MaxDepth {
				return nil, fmt.Errorf("%w: elements nested deeper than %d", ErrLimit, o.MaxDepth)
			}
			count++
			if count > o.MaxElements {
				return nil, fmt.Errorf("%w: more than %d elements", ErrLimit, o.MaxElements)
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
			if text[len(text)-1] == nil {
				if len(bytes.TrimSpace(t)) == 0 {
					continue
				}
				text[len(text)-1] = new(bytes.Buffer)
			}
			text[len(text)-1].Write(t)
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: no root element", ErrSyntax)
	}
	return root, nil
}

// charsetReader accepts UTF-8, US-ASCII and Latin-1 declarations.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// latin1Reader decodes ISO-8859-1 bytes to UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.buf) == 0 {
		raw := make([]byte, max(len(p)/2, 1))
		n, err := l.r.Read(raw)
		for _, b := range raw[:n] {
			if b < 0x80 {
				l.buf = append(l.buf, b)
			} else {
				l.buf = append(l.buf, 0xC0|b>>6, 0x80|b&0x3F)
			}
		}
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}
