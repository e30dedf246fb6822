package scorm

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// xmlWriter writes XML token by token with the namespace prefixes it is
// told to use. encoding/xml cannot choose prefixes (golang/go#13400), and
// LMSs that match "adlcp:scormType" literally exist, so prefixes are fixed
// here: each namespace URI has one prefix, declared on the root element,
// and namespaces met only in kept foreign elements get ns1, ns2… declared
// where they are used.
type xmlWriter struct {
	buf      bytes.Buffer
	prefixes map[string]string // namespace URI → prefix ("" for the default)
	depth    int
	open     bool // a start tag is still open (">" not yet written)
	text     bool // the open element has text content
	stack    []string
}

func newXMLWriter(prefixes map[string]string) *xmlWriter {
	w := &xmlWriter{prefixes: prefixes}
	w.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	return w
}

// qname is the prefixed name of (space, local); ok is false when space has
// no prefix.
func (w *xmlWriter) qname(space, local string) (string, bool) {
	if space == "" {
		return local, true
	}
	if space == nsXML {
		return "xml:" + local, true
	}
	p, ok := w.prefixes[space]
	switch {
	case !ok:
		return "", false
	case p == "":
		return local, true
	}
	return p + ":" + local, true
}

// attr is an attribute to write.
type attr struct{ space, local, value string }

// a builds an attribute without a namespace.
func a(local, value string) attr { return attr{"", local, value} }

// closeStart ends a pending start tag.
func (w *xmlWriter) closeStart() {
	if w.open {
		w.buf.WriteByte('>')
		w.open = false
	}
}

func (w *xmlWriter) indent() {
	w.buf.WriteByte('\n')
	for range w.depth {
		w.buf.WriteString("  ")
	}
}

// start opens an element. decls are extra namespace declarations
// (prefix → URI) written on it, sorted.
func (w *xmlWriter) start(space, local string, attrs []attr, decls map[string]string) {
	w.closeStart()
	name, ok := w.qname(space, local)
	if !ok {
		panic("scorm: no prefix for namespace " + space) // callers map every namespace first
	}
	if len(w.stack) > 0 {
		w.indent()
	}
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	keys := make([]string, 0, len(decls))
	for k := range decls {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "" {
			fmt.Fprintf(&w.buf, ` xmlns="%s"`, escapeAttr(decls[k]))
		} else {
			fmt.Fprintf(&w.buf, ` xmlns:%s="%s"`, k, escapeAttr(decls[k]))
		}
	}
	for _, at := range attrs {
		an, ok := w.qname(at.space, at.local)
		if !ok {
			panic("scorm: no prefix for namespace " + at.space)
		}
		fmt.Fprintf(&w.buf, ` %s="%s"`, an, escapeAttr(at.value))
	}
	w.open = true
	w.text = false
	w.stack = append(w.stack, name)
	w.depth++
}

// chars writes character data into the open element.
func (w *xmlWriter) chars(s string) {
	w.closeStart()
	w.buf.WriteString(escapeText(s))
	w.text = true
}

// end closes the innermost element; an empty one as "<x/>".
func (w *xmlWriter) end() {
	name := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.depth--
	if w.open {
		w.buf.WriteString("/>")
		w.open = false
		w.text = false
		return
	}
	if !w.text {
		w.indent()
	}
	w.buf.WriteString("</" + name + ">")
	w.text = false
}

// leaf writes <name attrs>text</name>.
func (w *xmlWriter) leaf(space, local, text string, attrs ...attr) {
	w.start(space, local, attrs, nil)
	if text != "" {
		w.chars(text)
	}
	w.end()
}

// node writes a kept element tree. space maps namespace URIs of the tree
// to the ones to write (to move a tree from one SCORM version's
// namespaces to another's); namespaces without a prefix get generated
// ones declared on the element that first needs them.
func (w *xmlWriter) node(n *Node, remap map[string]string) {
	if n == nil {
		return
	}
	added := w.declareFor(n, remap)
	sp := mapSpace(n.Space, remap)
	attrs := make([]attr, 0, len(n.Attrs))
	for _, at := range n.Attrs {
		attrs = append(attrs, attr{mapSpace(at.Space, remap), at.Local, at.Value})
	}
	w.start(sp, n.Local, attrs, added)
	if n.Text != "" {
		w.chars(n.Text)
	}
	for _, c := range n.Children {
		w.node(c, remap)
	}
	w.end()
	for _, uri := range added {
		delete(w.prefixes, uri)
	}
}

// declareFor gives a prefix to every namespace n and its attributes use
// that has none yet, and returns the declarations to write (prefix →
// URI).
func (w *xmlWriter) declareFor(n *Node, remap map[string]string) map[string]string {
	var decls map[string]string
	need := func(space string) {
		space = mapSpace(space, remap)
		if space == "" || space == nsXML {
			return
		}
		if _, ok := w.prefixes[space]; ok {
			return
		}
		if decls == nil {
			decls = map[string]string{}
		}
		p := fmt.Sprintf("ns%d", len(w.prefixes)+1)
		for w.hasPrefix(p) {
			p += "x"
		}
		w.prefixes[space] = p
		decls[p] = space
	}
	need(n.Space)
	for _, at := range n.Attrs {
		need(at.Space)
	}
	return decls
}

func (w *xmlWriter) hasPrefix(p string) bool {
	for _, q := range w.prefixes {
		if q == p {
			return true
		}
	}
	return false
}

func mapSpace(space string, remap map[string]string) string {
	if to, ok := remap[space]; ok {
		return to
	}
	return space
}

// bytes returns the document with a final newline.
func (w *xmlWriter) bytes() []byte {
	w.buf.WriteByte('\n')
	return w.buf.Bytes()
}

// nsXML is the namespace of xml:lang and xml:base.
const nsXML = "http://www.w3.org/XML/1998/namespace"

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", "&#xA;", "\r", "&#xD;", "\t", "&#x9;")
)

// escapeText escapes character data; characters XML 1.0 forbids are
// dropped.
func escapeText(s string) string { return textEscaper.Replace(xmlChars(s)) }

// escapeAttr escapes an attribute value, keeping white space as written.
func escapeAttr(s string) string { return attrEscaper.Replace(xmlChars(s)) }

// xmlChars removes characters XML 1.0 cannot carry.
func xmlChars(s string) string {
	ok := func(r rune) bool {
		return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return !ok(r) }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if ok(r) {
			return r
		}
		return -1
	}, s)
}
