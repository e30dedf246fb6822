// Package xmltree reads an XML document into a bounded tree of elements, as
// the SCORM and cmi5 readers need: a token stream from encoding/xml, read
// by namespace URI, with limits on size, depth and element count, and
// DOCTYPEs that declare entities refused so that no entity expansion can
// happen. Elements are kept as read, so that content a reader does not
// interpret can be written back.
//
// [Writer] writes documents token by token with fixed namespace prefixes
// (encoding/xml cannot choose them), and writes kept trees back with
// generated prefixes for namespaces that have none.
package xmltree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Node is an XML element kept as read; see [xmlnode.Node].
type Node = xmlnode.Node

// Attr is an attribute of a [Node]; see [xmlnode.Attr].
type Attr = xmlnode.Attr

var (
	// ErrSyntax means the input is not well-formed XML, or has no root
	// element or more than one.
	ErrSyntax = errors.New("xmltree: not well-formed XML")
	// ErrLimit means the input exceeds a limit of [Limits].
	ErrLimit = errors.New("xmltree: limit exceeded")
	// ErrEntities means the input has a DOCTYPE declaring entities or an
	// internal subset.
	ErrEntities = errors.New("xmltree: DOCTYPE with entity declarations")
)

// Error is a failure of [Parse]: its class and what happened where.
type Error struct {
	// Kind is one of ErrSyntax, ErrLimit and ErrEntities.
	Kind error
	// Detail says what is wrong and where ("line 3: …").
	Detail string
	// Err is the reader's own error when reading r failed, or nil.
	Err error
}

// Error returns the detail, so that callers can wrap it in their own
// package's sentinel without repeating a prefix.
func (e *Error) Error() string { return e.Detail }

// Unwrap returns the class and, when reading failed, the reader's error,
// so that errors.Is sees a caller's own sentinels through Parse.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

// Limits bound [Parse]. Zero fields mean no limit.
type Limits struct {
	// MaxBytes is the most bytes read.
	MaxBytes int64
	// MaxDepth is the deepest element nesting accepted.
	MaxDepth int
	// MaxElements is the most elements accepted.
	MaxElements int
}

// Parse reads one XML document from r and returns its root element, and
// whether the document had a (plain, accepted) DOCTYPE.
func Parse(r io.Reader, lim Limits) (root *Node, sawDoctype bool, err error) {
	if lim.MaxBytes > 0 {
		r = &limitReader{r: r, n: lim.MaxBytes}
	}
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = charsetReader
	fail := func(kind error, format string, args ...any) (*Node, bool, error) {
		return nil, sawDoctype, &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
	}
	var stack []*Node
	var text []*bytes.Buffer
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, errTooLarge) {
				return fail(ErrLimit, "larger than %d bytes", lim.MaxBytes)
			}
			line, _ := d.InputPos()
			var se *xml.SyntaxError
			if !errors.As(err, &se) && !errors.Is(err, io.ErrUnexpectedEOF) {
				// The reader failed: keep its error reachable.
				return nil, sawDoctype, &Error{Kind: ErrSyntax, Detail: fmt.Sprintf("line %d: %v", line, err), Err: err}
			}
			return fail(ErrSyntax, "line %d: %v", line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			s := strings.TrimSpace(string(t))
			if strings.HasPrefix(s, "DOCTYPE") {
				sawDoctype = true
				if strings.Contains(s, "ENTITY") || strings.Contains(s, "[") {
					return fail(ErrEntities, "a DOCTYPE with entity declarations or an internal subset is refused")
				}
			}
		case xml.StartElement:
			if len(stack) == 0 && root != nil {
				return fail(ErrSyntax, "more than one root element")
			}
			if lim.MaxDepth > 0 && len(stack) >= lim.MaxDepth {
				return fail(ErrLimit, "elements nested deeper than %d", lim.MaxDepth)
			}
			count++
			if lim.MaxElements > 0 && count > lim.MaxElements {
				return fail(ErrLimit, "more than %d elements", lim.MaxElements)
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
		return fail(ErrSyntax, "no root element")
	}
	return root, sawDoctype, nil
}

var errTooLarge = errors.New("too large")

// limitReader fails once more than n bytes are read.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errTooLarge
	}
	return n, err
}

// charsetReader accepts the encodings SCORM and cmi5 files declare in
// practice. UTF-8 and US-ASCII pass through; ISO-8859-1 and Windows-1252
// are decoded byte for byte as Latin-1 (the printable range of
// Windows-1252 beyond Latin-1 is rare in manifests).
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
