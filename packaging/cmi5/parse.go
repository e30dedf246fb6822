package cmi5

import (
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Parse reads a cmi5 course structure from r. It returns an error, and no
// course, only when the input cannot be read as a course structure at all
// (not XML, a wrong root element, a refused DOCTYPE, a limit exceeded);
// every other finding is an issue in the report, and the course holds
// whatever could be read. Parse reads cmi5.xml alone; [Open], [OpenFS] and
// [OpenFile] read a package. Of the Options, the archive limits do not
// apply.
func Parse(r io.Reader, opts Options) (*Course, ota.Report, error) {
	var rep ota.Report
	root, err := parseTree(r, opts.resolve())
	if err != nil {
		return nil, rep, err
	}
	if root.Local != "courseStructure" {
		return nil, rep, fmt.Errorf("%w: the root element is %q, not courseStructure", ErrSyntax, root.Local)
	}
	p := &parser{course: &Course{}, report: &rep, ids: map[string]string{}}
	if root.Space != Namespace {
		p.add("courseStructure", root.Line, "cmi5.namespace", ota.Warning, "the root element's namespace is %q, not %q; read as if it were", root.Space, Namespace)
	}
	p.ns = root.Space
	p.courseStructure(root)
	p.resolveObjectives()
	rep.Apply(opts.Policy)
	return p.course, rep, nil
}

// parser fills a Course from the element tree and collects issues.
type parser struct {
	course *Course
	report *ota.Report
	ns     string
	// ids maps every IRI declared so far to the pointer that declared it.
	ids map[string]string
	// refs are the objective references to resolve at the end.
	refs []objRef
}

type objRef struct {
	id, ptr string
	line    int
}

func (p *parser) add(ptr string, line int, code string, sev ota.Severity, format string, args ...any) {
	p.report.Add(ota.Issue{Pointer: ptr, Line: line, Code: code, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// counter numbers same-named siblings for pointers.
type counter map[string]int

func (c counter) next(parent, local string) string {
	i := c[local]
	c[local] = i + 1
	return fmt.Sprintf("%s/%s[%d]", parent, local, i)
}

func (p *parser) own(n *xmlnode.Node) bool { return n.Space == p.ns }

// isForeign reports whether a namespace is an extension's: neither
// cmi5's (nor the one the document uses for it) nor none.
func (p *parser) isForeign(space string) bool { return foreign(space) && space != p.ns }

func (p *parser) courseStructure(root *xmlnode.Node) {
	const ptr = "courseStructure"
	ext := &Extensions{Attrs: p.extAttrs(root, ptr, true)}
	p.knownAttrs(root, ptr)
	seen := counter{}
	sawCourse := false
	for _, c := range root.Children {
		switch {
		case p.own(c) && c.Local == "course":
			if sawCourse {
				p.add(seen.next(ptr, "course"), c.Line, "cmi5.course.duplicate", ota.Error, "a course structure has exactly one course element; remove the extra one")
				continue
			}
			seen.next(ptr, "course")
			sawCourse = true
			p.courseElem(c, ptr+"/course")
		case p.own(c) && c.Local == "objectives":
			ptrO := seen.next(ptr, "objectives")
			before := len(p.course.Objectives)
			oe := p.objectives(c, ptrO)
			if len(p.course.Objectives) == before {
				p.dropped(oe, ptrO, c.Line)
				continue
			}
			ext.setPart("objectives", oe)
		case p.own(c) && c.Local == "block":
			ptrB := seen.next(ptr, "block")
			p.course.Items = append(p.course.Items, Item{Block: p.block(c, ptrB)})
		case p.own(c) && c.Local == "au":
			ptrA := seen.next(ptr, "au")
			p.course.Items = append(p.course.Items, Item{AU: p.au(c, ptrA)})
		default:
			p.extElement(c, seen.next(ptr, c.Local), ext)
		}
	}
	p.course.StructureExtra = ext.orNil()
	if !sawCourse {
		p.add(ptr, root.Line, "cmi5.course.missing", ota.Error, "the course structure has no course element; add <course id=\"…\"> with a title")
	}
	if len(p.course.AUs()) == 0 {
		p.add(ptr, root.Line, "cmi5.au.missing", ota.Error, "the course has no AU; a cmi5 course needs at least one <au>")
	}
}

// extElement keeps a child element in another namespace as an extension
// of its parent, whose extensions ext collects; any other element is not
// part of the course structure there and is reported and left out.
func (p *parser) extElement(n *xmlnode.Node, ptr string, ext *Extensions) {
	if !p.isForeign(n.Space) {
		p.unknown(n, ptr)
		return
	}
	ext.Elements = append(ext.Elements, n)
	p.add(ptr, n.Line, "cmi5.extension", ota.Info, "the extension element {%s}%s is kept and written back, but not interpreted", n.Space, n.Local)
}

// unknown reports a child element that is not part of the course
// structure where it is; the XML Schema allows no extension there.
func (p *parser) unknown(n *xmlnode.Node, ptr string) {
	switch {
	case p.isForeign(n.Space):
		p.add(ptr, n.Line, "cmi5.extension.misplaced", ota.Warning, "the XML Schema allows no extension element inside %s; {%s}%s is ignored", parentName(ptr), n.Space, n.Local)
	case n.Space == "" && p.ns != "":
		p.add(ptr, n.Line, "cmi5.element.unknown", ota.Warning, "the element %q has no namespace, so it is neither part of the cmi5 course structure nor an extension; it is ignored", n.Local)
	default:
		p.add(ptr, n.Line, "cmi5.element.unknown", ota.Warning, "the element %q is not part of the cmi5 course structure here; it is ignored", n.Local)
	}
}

// parentName is the local name of the element a pointer's last step is
// in: "au" for "courseStructure/au[0]/x[0]".
func parentName(ptr string) string {
	steps := strings.Split(ptr, "/")
	if len(steps) < 2 {
		return "the document"
	}
	name, _, _ := strings.Cut(steps[len(steps)-2], "[")
	return name
}

// extAttrs returns the attributes of n in other namespaces when the XML
// Schema allows them there, and reports them; where it does not
// (allowed false), they are reported as left out. Attributes in no
// namespace are the caller's.
func (p *parser) extAttrs(n *xmlnode.Node, ptr string, allowed bool) []xmlnode.Attr {
	var out []xmlnode.Attr
	for _, at := range n.Attrs {
		switch {
		case at.Space == "":
		case !p.isForeign(at.Space):
			p.add(ptr, n.Line, "cmi5.attribute.unknown", ota.Warning, "the attribute {%s}%s is not defined for %s; it is ignored", at.Space, at.Local, n.Local)
		case !allowed:
			p.add(ptr, n.Line, "cmi5.extension.misplaced", ota.Warning, "the XML Schema allows no extension attribute on %s; {%s}%s is ignored", n.Local, at.Space, at.Local)
		default:
			out = append(out, at)
			p.add(ptr, n.Line, "cmi5.extension", ota.Info, "the extension attribute {%s}%s is kept and written back, but not interpreted", at.Space, at.Local)
		}
	}
	return out
}

// knownAttrs reports the attributes of n in no namespace other than
// known, which the XML Schema does not define.
func (p *parser) knownAttrs(n *xmlnode.Node, ptr string, known ...string) {
	for _, at := range n.Attrs {
		if at.Space == "" && !slices.Contains(known, at.Local) {
			p.add(ptr, n.Line, "cmi5.attribute.unknown", ota.Warning, "the attribute %q is not defined for %s; it is ignored", at.Local, n.Local)
		}
	}
}

// simple reports the attributes and child elements of an element with
// text content (url, launchParameters, entitlementKey), which are left
// out.
func (p *parser) simple(n *xmlnode.Node, ptr string) {
	p.extAttrs(n, ptr, false)
	p.knownAttrs(n, ptr)
	seen := counter{}
	for _, c := range n.Children {
		p.unknown(c, seen.next(ptr, c.Local))
	}
}

func (p *parser) courseElem(n *xmlnode.Node, ptr string) {
	c := p.course
	c.ID = p.declare(n, ptr, "course")
	ext := &Extensions{Attrs: p.extAttrs(n, ptr, true)}
	p.knownAttrs(n, ptr, "id")
	seen := counter{}
	for _, ch := range n.Children {
		switch {
		case p.own(ch) && ch.Local == "title":
			var e *Extensions
			c.Title, e = p.langString(ch, seen.next(ptr, "title"))
			ext.setPart("title", e)
		case p.own(ch) && ch.Local == "description":
			var e *Extensions
			c.Description, e = p.langString(ch, seen.next(ptr, "description"))
			ext.setPart("description", e)
		case p.own(ch) && ch.Local == "customExtensions":
			ptrX := seen.next(ptr, "customExtensions")
			p.add(ptrX, ch.Line, "cmi5.customExtensions", ota.Warning, "customExtensions is not part of the cmi5 (Quartz) course structure; its extension elements are kept as the course's own and written directly in course")
			p.extAttrs(ch, ptrX, false)
			p.knownAttrs(ch, ptrX)
			inner := counter{}
			for _, x := range ch.Children {
				p.extElement(x, inner.next(ptrX, x.Local), ext)
			}
		default:
			p.extElement(ch, seen.next(ptr, ch.Local), ext)
		}
	}
	c.Extra = ext.orNil()
	c.Description = descriptionOf(c.Title, c.Description)
	p.requireTitle(c.Title, n, ptr)
}

func (p *parser) requireTitle(t asset.LangString, n *xmlnode.Node, ptr string) {
	if len(t) == 0 {
		p.add(ptr, n.Line, "cmi5.title.missing", ota.Error, "%s has no title; add <title><langstring lang=\"en\">…</langstring></title>", n.Local)
	}
}

// declare reads the id attribute of n, checks it is an absolute IRI not
// declared before, and records it.
func (p *parser) declare(n *xmlnode.Node, ptr, what string) string {
	id, ok := attr(n, "id")
	id = strings.TrimSpace(id)
	if !ok || id == "" {
		p.add(ptr, n.Line, "cmi5.id.missing", ota.Error, "the %s has no id; give it an absolute IRI", what)
		return ""
	}
	if err := checkIRI(id); err != nil {
		p.add(ptr, n.Line, "cmi5.id.invalid", ota.Error, "the %s id %q is not an absolute IRI: %v", what, id, err)
	}
	if prev, dup := p.ids[id]; dup {
		p.add(ptr, n.Line, "cmi5.id.duplicate", ota.Error, "the id %q is already used at %s; IRIs must be unique within the course structure", id, prev)
	} else {
		p.ids[id] = ptr
	}
	return id
}

// describes reads c when it is one of the children blocks and AUs share —
// title, description, objectives — keeping its extensions in ext, and
// reports whether it was.
func (p *parser) describes(c *xmlnode.Node, ptr string, seen counter, title, description *asset.LangString, objectives *[]string, ext *Extensions) bool {
	if !p.own(c) {
		return false
	}
	var e *Extensions
	switch c.Local {
	case "title":
		*title, e = p.langString(c, seen.next(ptr, "title"))
	case "description":
		*description, e = p.langString(c, seen.next(ptr, "description"))
	case "objectives":
		var refs []string
		ptrO := seen.next(ptr, "objectives")
		refs, e = p.objectiveRefs(c, ptrO)
		if len(refs) == 0 {
			p.dropped(e, ptrO, c.Line)
			return true
		}
		*objectives = append(*objectives, refs...)
	default:
		return false
	}
	ext.setPart(c.Local, e)
	return true
}

func (p *parser) block(n *xmlnode.Node, ptr string) *Block {
	b := &Block{ID: p.declare(n, ptr, "block"), ptr: ptr}
	ext := &Extensions{Attrs: p.extAttrs(n, ptr, true)}
	p.knownAttrs(n, ptr, "id")
	seen := counter{}
	for _, c := range n.Children {
		switch {
		case p.describes(c, ptr, seen, &b.Title, &b.Description, &b.Objectives, ext):
		case p.own(c) && c.Local == "block":
			b.Items = append(b.Items, Item{Block: p.block(c, seen.next(ptr, "block"))})
		case p.own(c) && c.Local == "au":
			b.Items = append(b.Items, Item{AU: p.au(c, seen.next(ptr, "au"))})
		default:
			p.extElement(c, seen.next(ptr, c.Local), ext)
		}
	}
	b.Extra = ext.orNil()
	b.Description = descriptionOf(b.Title, b.Description)
	p.requireTitle(b.Title, n, ptr)
	if len(b.Items) == 0 {
		p.add(ptr, n.Line, "cmi5.block.empty", ota.Error, "the block has no AU or block; a block needs at least one")
	}
	return b
}

// decimal is the lexical space of xs:decimal.
var decimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

func (p *parser) au(n *xmlnode.Node, ptr string) *AU {
	a := &AU{ID: p.declare(n, ptr, "AU"), LaunchMethod: LaunchAnyWindow, MoveOn: MoveOnNotApplicable, ptr: ptr}
	ext := &Extensions{Attrs: p.extAttrs(n, ptr, true)}
	for _, at := range n.Attrs {
		if at.Space != "" {
			continue
		}
		v := strings.TrimSpace(at.Value)
		switch at.Local {
		case "id":
		case "moveOn":
			switch v {
			case MoveOnPassed, MoveOnCompleted, MoveOnCompletedAndPassed, MoveOnCompletedOrPassed, MoveOnNotApplicable:
				a.MoveOn = v
			default:
				p.add(ptr, n.Line, "cmi5.au.moveOn", ota.Error, "moveOn %q is not one of Passed, Completed, CompletedAndPassed, CompletedOrPassed, NotApplicable", at.Value)
			}
		case "launchMethod":
			switch v {
			case LaunchAnyWindow, LaunchOwnWindow:
				a.LaunchMethod = v
			default:
				p.add(ptr, n.Line, "cmi5.au.launchMethod", ota.Error, "launchMethod %q is not AnyWindow or OwnWindow", at.Value)
			}
		case "masteryScore":
			f, err := strconv.ParseFloat(v, 64)
			switch {
			case !decimal.MatchString(v) || err != nil || math.IsNaN(f):
				p.add(ptr, n.Line, "cmi5.au.masteryScore", ota.Error, "masteryScore %q is not a decimal number", at.Value)
			case f < 0 || f > 1:
				p.add(ptr, n.Line, "cmi5.au.masteryScore", ota.Error, "masteryScore %s is outside [0, 1]; it is a scaled score", v)
			default:
				a.MasteryScore = &f
			}
		case "activityType":
			if err := checkIRI(v); err != nil {
				p.add(ptr, n.Line, "cmi5.au.activityType", ota.Error, "activityType %q is not an absolute IRI: %v", at.Value, err)
			}
			a.ActivityType = v
		default:
			p.add(ptr, n.Line, "cmi5.au.attribute", ota.Warning, "the attribute %q is not defined for au; it is ignored", at.Local)
		}
	}
	seen := counter{}
	sawURL := false
	for _, c := range n.Children {
		switch {
		case p.describes(c, ptr, seen, &a.Title, &a.Description, &a.Objectives, ext):
		case p.own(c) && c.Local == "url":
			ptrU := seen.next(ptr, "url")
			p.simple(c, ptrU)
			sawURL = true
			a.URL = c.Text
			if err := checkURL(a.URL); err != nil {
				p.add(ptrU, c.Line, "cmi5.au.url", ota.Error, "the AU url %q is not a valid URL: %v", a.URL, err)
			} else {
				p.auURL(a.URL, ptrU, c.Line)
			}
		case p.own(c) && c.Local == "launchParameters":
			p.simple(c, seen.next(ptr, "launchParameters"))
			a.LaunchParameters = c.Text
		case p.own(c) && c.Local == "entitlementKey":
			p.simple(c, seen.next(ptr, "entitlementKey"))
			a.EntitlementKey = c.Text
		default:
			p.extElement(c, seen.next(ptr, c.Local), ext)
		}
	}
	a.Extra = ext.orNil()
	a.Description = descriptionOf(a.Title, a.Description)
	p.requireTitle(a.Title, n, ptr)
	if !sawURL {
		p.add(ptr, n.Line, "cmi5.au.url.missing", ota.Error, "the AU has no url; add <url> with the launch URL")
	}
	return a
}

// langString reads the langstring children of a title or description,
// and returns them with the element's extensions (those of each
// langstring under "langstring[TAG]").
func (p *parser) langString(n *xmlnode.Node, ptr string) (asset.LangString, *Extensions) {
	ext := &Extensions{Attrs: p.extAttrs(n, ptr, true)}
	p.knownAttrs(n, ptr)
	out := asset.LangString{}
	seen := counter{}
	for _, c := range n.Children {
		if !p.own(c) || c.Local != "langstring" {
			p.extElement(c, seen.next(ptr, c.Local), ext)
			continue
		}
		ptrL := seen.next(ptr, "langstring")
		attrs := p.extAttrs(c, ptrL, true)
		p.knownAttrs(c, ptrL, "lang")
		inner := counter{}
		for _, ch := range c.Children {
			p.unknown(ch, inner.next(ptrL, ch.Local))
		}
		tag, ok := attr(c, "lang")
		if !ok {
			p.add(ptrL, c.Line, "cmi5.langstring.lang", ota.Warning, "the langstring has no lang attribute; read as \"und\"")
			tag = "und"
		} else if err := asset.CheckTag(tag); err != nil {
			p.add(ptrL, c.Line, "cmi5.langstring.lang", ota.Error, "the language tag %q is not a valid BCP 47 tag: %v", tag, err)
		}
		if c.Text == "" {
			// An empty text is no text: [Course.Write] writes one where
			// the XML Schema requires a langstring and there is none.
			if len(attrs) > 0 {
				p.add(ptrL, c.Line, "cmi5.extension.dropped", ota.Warning, "the langstring has no text, so it is not kept, nor are its extension attributes")
			}
			continue
		}
		if _, dup := out[tag]; dup {
			p.add(ptrL, c.Line, "cmi5.langstring.duplicate", ota.Warning, "a second text for language %q; the first is kept", tag)
			continue
		}
		out[tag] = c.Text
		ext.setPart(langstringPart(tag), &Extensions{Attrs: attrs})
	}
	return out, ext.orNil()
}

// checkIRI accepts an absolute IRI: a scheme, no white space or control
// characters, and a parseable reference.
func checkIRI(s string) error {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("it contains white space or control characters")
	}
	u, err := url.Parse(s)
	if err != nil {
		return unwrapURL(err)
	}
	if u.Scheme == "" {
		return fmt.Errorf("it has no scheme")
	}
	return nil
}

// checkURL accepts a relative or absolute URL.
func checkURL(s string) error {
	if s == "" {
		return fmt.Errorf("it is empty")
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("it contains white space or control characters")
	}
	u, err := url.Parse(s)
	if err != nil {
		return unwrapURL(err)
	}
	if u.Scheme != "" && u.Opaque == "" && u.Host == "" && u.Path == "" {
		return fmt.Errorf("it has a scheme but nothing to locate")
	}
	return nil
}

func unwrapURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// reservedParams are the query parameters an LMS adds at launch, which
// an AU url must not hold itself.
var reservedParams = []string{"endpoint", "fetch", "actor", "activityId", "registration"}

// auURL checks a syntactically valid AU url: a relative one must stay
// inside the package, and no url may hold the launch parameters.
func (p *parser) auURL(raw, ptr string, line int) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	if u.Scheme == "" && u.Host == "" {
		if strings.HasPrefix(u.Path, "/") {
			p.add(ptr, line, "cmi5.au.url.rooted", ota.Warning, "the AU url %q starts with /; make it relative to cmi5.xml or absolute", raw)
		} else if _, ok := relativePath(raw); !ok && u.Path != "" {
			p.add(ptr, line, "cmi5.au.url.escape", ota.Error, "the AU url %q leaves the package; a relative url must name a file inside it", raw)
		}
	}
	q := u.Query()
	for _, k := range reservedParams {
		if q.Has(k) {
			p.add(ptr, line, "cmi5.au.url.reserved", ota.Error, "the AU url has a %q query parameter, which the LMS adds at launch; remove it", k)
		}
	}
}
