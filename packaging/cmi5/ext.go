package cmi5

import (
	"maps"
	"slices"
	"strconv"

	"github.com/metaacademy/ota/internal/xmltree"
)

// nsXSI is the namespace of XML Schema instance attributes
// (xsi:schemaLocation), written with its usual prefix.
const nsXSI = "http://www.w3.org/2001/XMLSchema-instance"

// setPart records the extensions of the child name, merging them with
// those of an earlier child of that name; empty ones are not recorded.
func (e *Extensions) setPart(name string, part *Extensions) {
	if part.empty() {
		return
	}
	if e.Parts == nil {
		e.Parts = map[string]*Extensions{}
	}
	old := e.Parts[name]
	if old == nil {
		e.Parts[name] = part
		return
	}
	old.Attrs = append(old.Attrs, part.Attrs...)
	old.Elements = append(old.Elements, part.Elements...)
	for k, v := range part.Parts {
		old.setPart(k, v)
	}
}

// orNil returns e, or nil when it holds nothing.
func (e *Extensions) orNil() *Extensions {
	if e.empty() {
		return nil
	}
	return e
}

// extensions calls f with every Extensions of the course, the path of its
// part ("" for the element's own, "title/langstring[en]"…) and the
// pointer of its block or AU (the course's is "").
func (c *Course) extensions(f func(e *Extensions, ptr, path string)) {
	walkExt(c.Extra, "", "", f)
	walkExt(c.StructureExtra, "", "", f)
	walk(c.Items, func(it Item) {
		switch {
		case it.Block != nil:
			walkExt(it.Block.Extra, it.Block.ptr, "", f)
		case it.AU != nil:
			walkExt(it.AU.Extra, it.AU.ptr, "", f)
		}
	})
}

// walkExt calls f with e and its parts, in the order of their names.
func walkExt(e *Extensions, ptr, path string, f func(e *Extensions, ptr, path string)) {
	if e == nil {
		return
	}
	f(e, ptr, path)
	for _, name := range slices.Sorted(maps.Keys(e.Parts)) {
		sub := name
		if path != "" {
			sub = path + "/" + name
		}
		walkExt(e.Parts[name], ptr, sub, f)
	}
}

// prefixes returns the namespace prefixes of cmi5.xml: cmi5's as the
// default namespace, and ns1, ns2… for those of the extensions in the
// order of their URIs (xsi for XML Schema instances).
func (c *Course) prefixes() map[string]string {
	seen := map[string]bool{}
	var note func(n *xmltree.Node)
	add := func(space string) {
		if foreign(space) && space != xmltree.NSXML {
			seen[space] = true
		}
	}
	note = func(n *xmltree.Node) {
		if n == nil {
			return
		}
		add(n.Space)
		for _, at := range n.Attrs {
			add(at.Space)
		}
		for _, ch := range n.Children {
			note(ch)
		}
	}
	c.extensions(func(e *Extensions, _, _ string) {
		for _, at := range e.Attrs {
			add(at.Space)
		}
		for _, n := range e.Elements {
			note(n)
		}
	})
	out := map[string]string{Namespace: ""}
	k := 0
	for _, uri := range slices.Sorted(maps.Keys(seen)) {
		if uri == nsXSI {
			out[uri] = "xsi"
			continue
		}
		k++
		out[uri] = "ns" + strconv.Itoa(k)
	}
	return out
}
