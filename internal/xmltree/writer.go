package xmltree

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metaacademy/ota/internal/xmlname"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// NSXML is the namespace of xml:lang, xml:base and xml:space
// ([xmlnode.NSXML]). Its prefix, xml, is never declared.
const NSXML = xmlnode.NSXML

// ErrName is matched by the errors of [Node.Check], [Attr.Check] and
// [Writer.Err]: a name XML cannot carry (not made of XML name characters,
// or an attribute that would be a namespace declaration).
var ErrName = xmlnode.ErrName

// Writer writes an XML document token by token with the namespace
// prefixes it is told to use. encoding/xml cannot choose prefixes
// (golang/go#13400), and readers that match "adlcp:scormType" literally
// exist, so prefixes are fixed here: each namespace URI given to
// [NewWriter] has its prefix, declared on the root element. A namespace
// met that has none in scope (in a kept [Node] tree, say) gets a
// generated prefix, ns1, ns2…, declared on the element that needs it and
// in scope until that element ends; an element without a namespace inside
// a default namespace gets xmlns="", and one whose local name has a colon
// (encoding/xml reads ":b" and "b:" so) is written without a prefix, its
// namespace declared as the default one there.
//
// Output is UTF-8 with an XML declaration, one element per line indented
// by two spaces, text on the line of its element, and an element without
// content written as an empty-element tag. Text and attribute values are
// escaped so that a parser reads back what was written: characters XML
// 1.0 cannot hold are dropped, invalid UTF-8 becomes U+FFFD, carriage
// returns (and tabs and line feeds in attributes) are written as character
// references.
//
// A Writer never fails on content: an attribute, or an element of a tree
// given to [Writer.Node], whose name XML cannot carry is left out, and
// [Writer.Err] reports the first one. Element names given to
// [Writer.Start] and [Writer.Leaf] are written as given.
type Writer struct {
	buf bytes.Buffer
	// fixed maps namespace URIs to the prefixes given to NewWriter.
	fixed map[string]string
	// scope maps each prefix in scope to its namespace URI; the key ""
	// is the default namespace, and "" as a value undeclares it.
	scope map[string]string
	open  []frame
	// pending: a start tag is not closed yet (">" not written).
	pending bool
	// text: the innermost open element has character data.
	text bool
	// next maps namespace URIs to the prefixes the next Start declares.
	next map[string]string
	err  error
}

// frame is an open element.
type frame struct {
	name string
	// restore undoes the namespace declarations of the element.
	restore []binding
}

// binding is a prefix and its namespace URI; had says whether the prefix
// was bound at all (for restoring a scope).
type binding struct {
	prefix, uri string
	had         bool
}

// NewWriter returns a Writer that has written the XML declaration.
// prefixes maps each namespace URI to the prefix to write it with ("" makes
// it the default namespace); all of them are declared on the root
// element. The map is copied.
func NewWriter(prefixes map[string]string) *Writer {
	w := &Writer{fixed: make(map[string]string, len(prefixes)), scope: map[string]string{}}
	for uri, p := range prefixes {
		w.fixed[uri] = p
	}
	w.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	return w
}

// Start opens an element in namespace space ("" for none) with the given
// attributes, written in the order given. An attribute with namespace ""
// is unprefixed; one in [NSXML] is written with the xml prefix.
func (w *Writer) Start(space, local string, attrs ...Attr) {
	w.closeStart()
	root := len(w.open) == 0
	var f frame
	var decls []binding
	bind := func(prefix, uri string) {
		old, had := w.scope[prefix]
		f.restore = append(f.restore, binding{prefix: prefix, uri: old, had: had})
		w.scope[prefix] = uri
		decls = append(decls, binding{prefix: prefix, uri: uri})
	}
	if root {
		uris := make([]string, 0, len(w.fixed))
		for uri := range w.fixed {
			uris = append(uris, uri)
		}
		slices.Sort(uris)
		for _, uri := range uris {
			bind(w.fixed[uri], uri)
		}
	}
	if len(w.next) > 0 {
		uris := make([]string, 0, len(w.next))
		for uri := range w.next {
			uris = append(uris, uri)
		}
		slices.Sort(uris)
		for _, uri := range uris {
			if p := w.next[uri]; w.scope[p] != uri && p != "xml" && p != "xmlns" && (p == "" || xmlname.Chars(p) && xmlname.Starts(p) && !strings.Contains(p, ":")) {
				bind(p, uri)
			}
		}
		w.next = nil
	}
	f.name = w.qname(space, local, false, bind)
	var as strings.Builder
	for _, a := range attrs {
		if err := a.Check(); err != nil {
			w.fail(err)
			continue
		}
		fmt.Fprintf(&as, ` %s="%s"`, w.qname(a.Space, a.Local, true, bind), escapeAttr(a.Value))
	}
	if !root {
		w.indent()
	}
	w.buf.WriteByte('<')
	w.buf.WriteString(f.name)
	slices.SortFunc(decls, func(a, b binding) int { return strings.Compare(a.prefix, b.prefix) })
	for _, d := range decls {
		if d.prefix == "" {
			fmt.Fprintf(&w.buf, ` xmlns="%s"`, escapeAttr(d.uri))
		} else {
			fmt.Fprintf(&w.buf, ` xmlns:%s="%s"`, d.prefix, escapeAttr(d.uri))
		}
	}
	w.buf.WriteString(as.String())
	w.pending, w.text = true, false
	w.open = append(w.open, f)
}

// Declare makes the next element [Writer.Start] opens declare the given
// prefixes, a map from namespace URIs to prefixes as for [NewWriter]
// ("" for the default namespace); they are in scope until that element
// ends. Use it to make a subtree self-contained (the metadata of an
// OAI-PMH record, say). A prefix already bound to the same URI is not
// declared again; one that is not a valid prefix is ignored.
func (w *Writer) Declare(prefixes map[string]string) {
	w.next = make(map[string]string, len(prefixes))
	for uri, p := range prefixes {
		w.next[uri] = p
	}
}

// qname returns the name to write for (space, local), binding a prefix
// with bind when space has none in scope. A local name that cannot start
// a name (a digit, say) gets a prefix; an element's local name with a
// colon gets none, its namespace becoming the default one if need be.
// Names [Node.Check] accepts are written so that encoding/xml reads them
// back as they were.
func (w *Writer) qname(space, local string, attr bool, bind func(prefix, uri string)) string {
	switch {
	case space == "" && attr:
		return local
	case space == NSXML:
		return "xml:" + local
	case space == "" || !attr && strings.Contains(local, ":"):
		if w.scope[""] != space {
			bind("", space) // xmlns="space", or xmlns="" for none
		}
		return local
	}
	needPrefix := attr || !xmlname.Starts(local)
	usable := func(p string) bool { return w.scope[p] == space && (p != "" || !needPrefix) }
	if p, ok := w.fixed[space]; ok && usable(p) {
		return prefixed(p, local)
	}
	var found []string
	for p := range w.scope {
		if usable(p) {
			found = append(found, p)
		}
	}
	if len(found) > 0 {
		return prefixed(slices.Min(found), local)
	}
	for k := 1; ; k++ {
		p := "ns" + strconv.Itoa(k)
		if _, taken := w.scope[p]; !taken && !w.fixedPrefix(p) {
			bind(p, space)
			return prefixed(p, local)
		}
	}
}

func prefixed(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

func (w *Writer) fixedPrefix(p string) bool {
	for _, q := range w.fixed {
		if q == p {
			return true
		}
	}
	return false
}

// Chars writes character data into the open element. Outside the root
// element it does nothing.
func (w *Writer) Chars(s string) {
	if len(w.open) == 0 {
		return
	}
	w.closeStart()
	w.buf.WriteString(escapeText(s))
	w.text = true
}

// End closes the innermost open element: an element without content as
// an empty-element tag, one with only text on the line of its start tag.
// Closing the root element ends the document with a newline. With no
// element open, End does nothing.
func (w *Writer) End() {
	if len(w.open) == 0 {
		return
	}
	f := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	switch {
	case w.pending:
		w.buf.WriteString("/>")
		w.pending = false
	case w.text:
		w.buf.WriteString("</" + f.name + ">")
	default:
		w.indent()
		w.buf.WriteString("</" + f.name + ">")
	}
	w.text = false
	for i := len(f.restore) - 1; i >= 0; i-- {
		r := f.restore[i]
		if r.had {
			w.scope[r.prefix] = r.uri
		} else {
			delete(w.scope, r.prefix)
		}
	}
	if len(w.open) == 0 {
		w.buf.WriteByte('\n')
	}
}

// Leaf writes an element holding only text; an empty text gives an
// empty-element tag.
func (w *Writer) Leaf(space, local, text string, attrs ...Attr) {
	w.Start(space, local, attrs...)
	if text != "" {
		w.Chars(text)
	}
	w.End()
}

// Node writes a kept element tree: its text first, then its children.
// remap maps namespace URIs of the tree to the ones to write (to move a
// tree into another version of a standard's namespaces); it applies to
// elements, "" included, and to attributes in a namespace, never to
// unprefixed attributes. An element whose name XML cannot carry is left
// out with its subtree (see [Writer.Err]). A nil n writes nothing.
func (w *Writer) Node(n *Node, remap map[string]string) {
	if n == nil {
		return
	}
	if err := (&Node{Space: n.Space, Local: n.Local}).Check(); err != nil {
		w.fail(err)
		return
	}
	attrs := make([]Attr, len(n.Attrs))
	for i, a := range n.Attrs {
		if a.Space != "" {
			a.Space = mapSpace(a.Space, remap)
		}
		attrs[i] = a
	}
	w.Start(mapSpace(n.Space, remap), n.Local, attrs...)
	if n.Text != "" {
		w.Chars(n.Text)
	}
	for _, c := range n.Children {
		w.Node(c, remap)
	}
	w.End()
}

func mapSpace(space string, remap map[string]string) string {
	if to, ok := remap[space]; ok {
		return to
	}
	return space
}

// Err returns the first attribute or element left out because XML cannot
// carry its name (matching [ErrName]), or nil.
func (w *Writer) Err() error { return w.err }

func (w *Writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// Bytes returns the document written so far. Once the root element is
// closed it is complete, ending in a newline. The slice is valid until the
// next call to the Writer.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// closeStart ends a pending start tag.
func (w *Writer) closeStart() {
	if w.pending {
		w.buf.WriteByte('>')
		w.pending = false
	}
}

func (w *Writer) indent() {
	w.buf.WriteByte('\n')
	for range len(w.open) {
		w.buf.WriteString("  ")
	}
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", "&#xA;", "\r", "&#xD;", "\t", "&#x9;")
)

// escapeText escapes character data; characters XML 1.0 forbids are
// dropped.
func escapeText(s string) string { return textEscaper.Replace(xmlChars(s)) }

// escapeAttr escapes an attribute value, keeping white space as written.
func escapeAttr(s string) string { return attrEscaper.Replace(xmlChars(s)) }

// xmlChars removes the characters XML 1.0 cannot carry (production [2]
// Char) and replaces invalid UTF-8 with U+FFFD.
func xmlChars(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
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
