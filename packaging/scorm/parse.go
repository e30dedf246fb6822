package scorm

import (
	"fmt"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// parser turns the manifest tree into a Package and collects issues.
type parser struct {
	pkg    *Package
	report *ota.Report
	// space is the manifest element's namespace: elements in it are read
	// as IMS CP elements whatever it is, as the warning about an unknown
	// manifest namespace promises.
	space string
}

// cp reports whether n is an IMS CP element: in a namespace SCORM uses,
// or in the manifest's own.
func (p *parser) cp(n *xmlnode.Node) bool { return n.Space == p.space || isCP(n) }

func (p *parser) add(ptr, code string, sev ota.Severity, format string, args ...any) {
	p.report.Add(ota.Issue{Pointer: ptr, Code: code, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// counter numbers same-named siblings for manifest paths.
type counter map[string]int

func (c counter) next(parent, local string) string {
	i := c[local]
	c[local] = i + 1
	return fmt.Sprintf("%s/%s[%d]", parent, local, i)
}

// manifest fills p.pkg from the root element.
func (p *parser) manifest(root *xmlnode.Node) {
	pkg := p.pkg
	const ptr = "manifest"
	if root.Local != "manifest" {
		p.add(ptr, "scorm.manifest.root", ota.Error, "the root element is %q, not manifest; imsmanifest.xml must start with <manifest>", root.Local)
		return
	}
	if root.Space == "" {
		p.add(ptr, "scorm.manifest.namespace", ota.Warning, "the manifest has no namespace; declare xmlns=%q (SCORM 1.2) or %q (SCORM 2004)", NSCP12, NSCP2004)
	} else if !isCP(root) {
		p.add(ptr, "scorm.manifest.namespace", ota.Warning, "the manifest namespace %q is not an IMS CP namespace SCORM uses; read as if it were", root.Space)
	}
	p.space = root.Space
	pkg.Identifier, _ = root.Attr("", "identifier")
	pkg.ManifestVersion, _ = root.Attr("", "version")
	pkg.Base, _ = root.Attr(xmlNS, "base")
	pkg.SchemaLocation, _ = root.Attr(nsXSI, "schemaLocation")
	if pkg.Identifier == "" {
		p.add(ptr, "scorm.manifest.identifier", ota.Error, "manifest has no identifier; add identifier=\"…\" (an xs:ID)")
	}
	cp := isCPLike(root)
	seen := counter{}
	for _, c := range root.Children {
		switch {
		case cp(c) && c.Local == "metadata":
			pkg.Metadata = p.metadata(c, seen.next(ptr, "metadata"), true)
		case cp(c) && c.Local == "organizations":
			p.organizations(c, seen.next(ptr, "organizations"))
		case cp(c) && c.Local == "resources":
			p.resources(c, seen.next(ptr, "resources"))
		case c.Space == NSIMSSS && c.Local == "sequencingCollection":
			for _, s := range c.Children {
				if s.Space == NSIMSSS && s.Local == "sequencing" {
					pkg.SequencingCollection = append(pkg.SequencingCollection, s)
				}
			}
			seen.next(ptr, "sequencingCollection")
		case cp(c) && c.Local == "manifest":
			p.add(seen.next(ptr, "manifest"), "scorm.manifest.submanifest", ota.Warning, "sub-manifests are kept but not read; SCORM 2004 LMSs need not support them")
			pkg.Extra = append(pkg.Extra, c)
		default:
			seen.next(ptr, c.Local)
			pkg.Extra = append(pkg.Extra, c)
		}
	}
}

// isCPLike returns a predicate for content-packaging elements: those in
// the root's namespace or any CP namespace.
func isCPLike(root *xmlnode.Node) func(*xmlnode.Node) bool {
	return func(n *xmlnode.Node) bool { return n.Space == root.Space || isCP(n) }
}

// metadata reads a metadata element. top is true for the manifest's own.
func (p *parser) metadata(n *xmlnode.Node, ptr string, top bool) *Metadata {
	m := &Metadata{Pointer: ptr}
	for _, c := range n.Children {
		switch {
		case p.cp(c) && c.Local == "schema":
			m.Schema = c.Text
		case p.cp(c) && c.Local == "schemaversion":
			m.SchemaVersion = c.Text
		case isADLCP(c) && strings.EqualFold(c.Local, "location"):
			m.Locations = append(m.Locations, c.Text)
		case isLOMSpace(c.Space) || c.Local == "lom":
			m.Records = append(m.Records, c)
			m.LOM = mergeLOM(m.LOM, lomOf(c))
		default:
			m.Records = append(m.Records, c)
		}
	}
	if !top && (m.Schema != "" || m.SchemaVersion != "") {
		p.add(ptr, "scorm.metadata.misplaced", ota.Warning, "schema and schemaversion belong in the manifest's own metadata")
	}
	return m
}

func (p *parser) organizations(n *xmlnode.Node, ptr string) {
	pkg := p.pkg
	pkg.DefaultOrganization, _ = n.Attr("", "default")
	seen := counter{}
	for _, c := range n.Children {
		if p.cp(c) && c.Local == "organization" {
			pkg.Organizations = append(pkg.Organizations, p.organization(c, seen.next(ptr, "organization")))
		} else {
			seen.next(ptr, c.Local)
			pkg.Extra = append(pkg.Extra, c)
			p.add(ptr+"/"+c.Local, "scorm.manifest.unexpected", ota.Warning, "unexpected element %s in organizations; kept, not read", c.Local)
		}
	}
}

func (p *parser) organization(n *xmlnode.Node, ptr string) *Organization {
	o := &Organization{Pointer: ptr}
	for _, a := range n.Attrs {
		switch {
		case a.Space == "" && a.Local == "identifier":
			o.Identifier = a.Value
		case a.Space == "" && a.Local == "structure":
			o.Structure = a.Value
		default:
			o.Attrs = append(o.Attrs, a)
		}
	}
	if o.Identifier == "" {
		p.add(ptr, "scorm.organization.identifier", ota.Error, "organization has no identifier")
	}
	seen := counter{}
	for _, c := range n.Children {
		switch {
		case p.cp(c) && c.Local == "title":
			o.Title = c.Text
			seen.next(ptr, "title")
		case p.cp(c) && c.Local == "item":
			o.Items = append(o.Items, p.item(c, seen.next(ptr, "item")))
		case p.cp(c) && c.Local == "metadata":
			o.Metadata = p.metadata(c, seen.next(ptr, "metadata"), false)
		case c.Space == NSIMSSS && c.Local == "sequencing":
			o.Sequencing = c
			seen.next(ptr, "sequencing")
		default:
			seen.next(ptr, c.Local)
			o.Extra = append(o.Extra, c)
		}
	}
	if o.Title == "" {
		p.add(ptr, "scorm.organization.title", ota.Warning, "organization has no title; add <title>")
	}
	return o
}

// adlItemElements maps the lower-cased local names of ADL CP item
// elements to their SCORM 1.2 and 2004 spellings ("" when the version has
// no such element).
var adlItemElements = map[string][2]string{
	"prerequisites":       {"prerequisites", ""},
	"maxtimeallowed":      {"maxtimeallowed", ""},
	"timelimitaction":     {"timelimitaction", "timeLimitAction"},
	"datafromlms":         {"datafromlms", "dataFromLMS"},
	"masteryscore":        {"masteryscore", ""},
	"completionthreshold": {"", "completionThreshold"},
	"data":                {"", "data"},
}

func (p *parser) item(n *xmlnode.Node, ptr string) *Item {
	it := &Item{Pointer: ptr}
	it.Identifier, _ = n.Attr("", "identifier")
	it.IdentifierRef, _ = n.Attr("", "identifierref")
	it.Parameters, _ = n.Attr("", "parameters")
	if v, ok := n.Attr("", "isvisible"); ok {
		b, good := parseBool(v)
		if !good {
			p.add(ptr, "scorm.item.isvisible", ota.Warning, "isvisible=%q is not a boolean; read as true", v)
			b = true
		}
		it.IsVisible = &b
	}
	if it.Identifier == "" {
		p.add(ptr, "scorm.item.identifier", ota.Error, "item has no identifier")
	}
	seen := counter{}
	for _, c := range n.Children {
		switch {
		case p.cp(c) && c.Local == "title":
			it.Title = c.Text
			seen.next(ptr, "title")
		case p.cp(c) && c.Local == "item":
			it.Items = append(it.Items, p.item(c, seen.next(ptr, "item")))
		case p.cp(c) && c.Local == "metadata":
			it.Metadata = p.metadata(c, seen.next(ptr, "metadata"), false)
		case isADLCP(c):
			p.adlItem(it, c, seen.next(ptr, c.Local))
		case c.Space == NSIMSSS && c.Local == "sequencing":
			it.Sequencing = c
			seen.next(ptr, "sequencing")
		case c.Space == NSADLNav && c.Local == "presentation":
			it.Presentation = c
			seen.next(ptr, "presentation")
		default:
			seen.next(ptr, c.Local)
			it.Extra = append(it.Extra, c)
		}
	}
	if it.Title == "" {
		p.add(ptr, "scorm.item.title", ota.Warning, "item %q has no title; add <title>", it.Identifier)
	}
	return it
}

// adlItem reads one ADL CP child of an item, warning about spellings and
// elements of the other SCORM version.
func (p *parser) adlItem(it *Item, c *xmlnode.Node, ptr string) {
	key := strings.ToLower(c.Local)
	sp, known := adlItemElements[key]
	if !known {
		it.Extra = append(it.Extra, c)
		p.add(ptr, "scorm.item.unknown-element", ota.Warning, "adlcp:%s is not an ADL item element; kept, not read", c.Local)
		return
	}
	v12 := p.pkg.Version == Version12
	want := sp[1]
	if v12 {
		want = sp[0]
	}
	switch {
	case key == "masteryscore" && !v12:
		p.add(ptr, "scorm.item.masteryscore-2004", ota.Warning, "adlcp:masteryscore is SCORM 1.2; SCORM 2004 expresses a mastery score as imsss:primaryObjective satisfiedByMeasure with minNormalizedMeasure. Read as the 1.2 value")
	case want == "":
		p.add(ptr, "scorm.item.wrong-version", ota.Warning, "adlcp:%s does not exist in SCORM %s; read anyway", c.Local, p.pkg.Version)
	case c.Local != want:
		p.add(ptr, "scorm.item.spelling", ota.Warning, "adlcp:%s is spelled adlcp:%s in SCORM %s; read anyway", c.Local, want, p.pkg.Version)
	}
	switch key {
	case "prerequisites":
		it.Prerequisites = c.Text
		it.PrerequisitesType, _ = c.Attr("", "type")
	case "maxtimeallowed":
		it.MaxTimeAllowed = c.Text
	case "timelimitaction":
		it.TimeLimitAction = c.Text
	case "datafromlms":
		it.DataFromLMS = c.Text
	case "masteryscore":
		it.MasteryScore = c.Text
	case "completionthreshold":
		it.CompletionThreshold = c
	case "data":
		it.Data = c
	}
}

func (p *parser) resources(n *xmlnode.Node, ptr string) {
	pkg := p.pkg
	pkg.ResourcesBase, _ = n.Attr(xmlNS, "base")
	seen := counter{}
	for _, c := range n.Children {
		switch {
		case p.cp(c) && c.Local == "resource":
			pkg.Resources = append(pkg.Resources, p.resource(c, seen.next(ptr, "resource")))
		case p.cp(c) && c.Local == "metadata":
			mp := seen.next(ptr, "metadata")
			p.add(mp, "scorm.metadata.misplaced", ota.Warning, "metadata is not allowed directly inside resources (H5P writes it there); kept, not read")
			pkg.Extra = append(pkg.Extra, c)
		default:
			seen.next(ptr, c.Local)
			pkg.Extra = append(pkg.Extra, c)
		}
	}
}

func (p *parser) resource(n *xmlnode.Node, ptr string) *Resource {
	r := &Resource{Pointer: ptr}
	r.Identifier, _ = n.Attr("", "identifier")
	r.Type, _ = n.Attr("", "type")
	r.Href, _ = n.Attr("", "href")
	r.Base, _ = n.Attr(xmlNS, "base")
	if r.Identifier == "" {
		p.add(ptr, "scorm.resource.identifier", ota.Error, "resource has no identifier")
	}
	v, spelling, ok := attrFold(n, "scormtype", adlcpSpaces...)
	if !ok {
		// Tolerate an unprefixed scormtype, seen in hand-made manifests.
		v, spelling, ok = attrFold(n, "scormtype", "")
		if ok {
			p.add(ptr, "scorm.resource.scormtype-namespace", ota.Warning, "%s has no adlcp: prefix; write adlcp:%s", spelling, scormTypeSpelling(p.pkg.Version))
		}
	}
	switch {
	case !ok:
		p.add(ptr, "scorm.resource.scormtype-missing", ota.Warning, "resource %q has no adlcp:%s; read as an asset", r.Identifier, scormTypeSpelling(p.pkg.Version))
	case spelling != scormTypeSpelling(p.pkg.Version):
		p.add(ptr, "scorm.resource.scormtype-case", ota.Warning, "adlcp:%s is spelled adlcp:%s in SCORM %s; read anyway", spelling, scormTypeSpelling(p.pkg.Version), p.pkg.Version)
	}
	r.ScormType = strings.ToLower(strings.TrimSpace(v))
	if ok && r.ScormType != "sco" && r.ScormType != "asset" {
		p.add(ptr, "scorm.resource.scormtype-invalid", ota.Warning, "scormtype %q is neither sco nor asset; read as an asset", v)
	}
	seen := counter{}
	for _, c := range n.Children {
		switch {
		case p.cp(c) && c.Local == "metadata":
			r.Metadata = p.metadata(c, seen.next(ptr, "metadata"), false)
		case p.cp(c) && c.Local == "file":
			f := &File{}
			f.Href, _ = c.Attr("", "href")
			fp := seen.next(ptr, "file")
			if f.Href == "" {
				p.add(fp, "scorm.file.href", ota.Error, "file has no href")
			}
			if m := c.Child(c.Space, "metadata"); m != nil {
				f.Metadata = p.metadata(m, fp+"/metadata[0]", false)
			}
			r.Files = append(r.Files, f)
		case p.cp(c) && c.Local == "dependency":
			id, _ := c.Attr("", "identifierref")
			r.Dependencies = append(r.Dependencies, id)
			seen.next(ptr, "dependency")
		default:
			seen.next(ptr, c.Local)
			r.Extra = append(r.Extra, c)
		}
	}
	return r
}

func scormTypeSpelling(v Version) string {
	if v == Version12 {
		return "scormtype"
	}
	return "scormType"
}

func parseBool(s string) (bool, bool) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}
