package cmi5

import (
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// objectives reads the objectives element of the course structure and
// returns its extensions, with those of each objective's title and
// description under "objective[IRI]".
func (p *parser) objectives(n *xmlnode.Node, ptr string) *Extensions {
	ext := &Extensions{Attrs: p.extAttrs(n, ptr, true)}
	p.knownAttrs(n, ptr)
	seen := counter{}
	for _, c := range n.Children {
		if !p.own(c) || c.Local != "objective" {
			p.extElement(c, seen.next(ptr, c.Local), ext)
			continue
		}
		ptrO := seen.next(ptr, "objective")
		o := Objective{ID: p.declare(c, ptrO, "objective")}
		p.extAttrs(c, ptrO, false)
		p.knownAttrs(c, ptrO, "id")
		oext := &Extensions{}
		inner := counter{}
		for _, ch := range c.Children {
			switch {
			case p.own(ch) && ch.Local == "title":
				var e *Extensions
				o.Title, e = p.langString(ch, inner.next(ptrO, "title"))
				oext.setPart("title", e)
			case p.own(ch) && ch.Local == "description":
				var e *Extensions
				o.Description, e = p.langString(ch, inner.next(ptrO, "description"))
				oext.setPart("description", e)
			default:
				p.unknown(ch, inner.next(ptrO, ch.Local))
			}
		}
		ext.setPart(objectivePart(o.ID), oext)
		o.Description = descriptionOf(o.Title, o.Description)
		p.requireTitle(o.Title, c, ptrO)
		p.course.Objectives = append(p.course.Objectives, o)
	}
	return ext
}

// dropped reports the extensions of an objectives element without an
// objective: the XML Schema requires one, so the element is not written
// back, nor are its extensions.
func (p *parser) dropped(e *Extensions, ptr string, line int) {
	if !e.empty() {
		p.add(ptr, line, "cmi5.extension.dropped", ota.Warning, "the objectives element has no objective, so it is not kept, nor are its extensions")
	}
}

// objectivePart is the name under which the objectives element's
// [Extensions] keep those of the objective id.
func objectivePart(id string) string { return "objective[" + id + "]" }

// langstringPart is the name under which a title's or description's
// [Extensions] keep those of its langstring in language tag.
func langstringPart(tag string) string { return "langstring[" + tag + "]" }

// objectiveRefs reads an objectives element of a block or AU.
func (p *parser) objectiveRefs(n *xmlnode.Node, ptr string) ([]string, *Extensions) {
	ext := &Extensions{Attrs: p.extAttrs(n, ptr, true)}
	p.knownAttrs(n, ptr)
	var out []string
	seen := counter{}
	for _, c := range n.Children {
		if !p.own(c) || c.Local != "objective" {
			p.extElement(c, seen.next(ptr, c.Local), ext)
			continue
		}
		ptrO := seen.next(ptr, "objective")
		p.extAttrs(c, ptrO, false)
		p.knownAttrs(c, ptrO, "idref")
		inner := counter{}
		for _, ch := range c.Children {
			p.unknown(ch, inner.next(ptrO, ch.Local))
		}
		ref, _ := attr(c, "idref")
		ref = strings.TrimSpace(ref)
		if ref == "" {
			p.add(ptrO, c.Line, "cmi5.objective.idref", ota.Error, "the objective reference has no idref; name an objective declared in <objectives>")
			continue
		}
		out = append(out, ref)
		p.refs = append(p.refs, objRef{id: ref, ptr: ptrO, line: c.Line})
	}
	return out, ext
}

func (p *parser) resolveObjectives() {
	decl := map[string]bool{}
	for _, o := range p.course.Objectives {
		decl[o.ID] = true
	}
	for _, r := range p.refs {
		if !decl[r.id] {
			p.add(r.ptr, r.line, "cmi5.objective.unresolved", ota.Error, "the objective %q is not declared in the course's <objectives>", r.id)
		}
	}
}
