package scorm

import (
	"fmt"
	"io"
	"strings"
)

// Standard prefixes of the namespaces a manifest uses.
const (
	prefixADLCP  = "adlcp"
	prefixADLSeq = "adlseq"
	prefixADLNav = "adlnav"
	prefixIMSSS  = "imsss"
	prefixLOM    = "lom"
	prefixIMSMD  = "imsmd"
	prefixXSI    = "xsi"
	nsXSI        = "http://www.w3.org/2001/XMLSchema-instance"
)

// schemaFiles are the control documents of each version, by namespace, as
// every SCORM package names them in xsi:schemaLocation.
var schemaFiles = map[bool][][2]string{
	false: {{NSCP12, "imscp_rootv1p1p2.xsd"}, {NSADLCP12, "adlcp_rootv1p2.xsd"}, {NSIMSMD, "imsmd_rootv1p2p1.xsd"}},
	true: {{NSCP2004, "imscp_v1p1.xsd"}, {NSADLCP2004, "adlcp_v1p3.xsd"}, {NSADLSeq, "adlseq_v1p3.xsd"},
		{NSADLNav, "adlnav_v1p3.xsd"}, {NSIMSSS, "imsss_v1p0.xsd"}, {NSLOM, "lom.xsd"}},
}

// WriteManifest writes p as an imsmanifest.xml for p.Version (SCORM 1.2,
// or 2004 2nd, 3rd or 4th edition), token by token with the usual
// prefixes: the content-packaging namespace as the default one, adlcp,
// adlseq, adlnav, imsss, and lom (imsmd in 1.2). Kept element trees
// (sequencing, LOM records, vendor elements) are written back with their
// namespaces moved to those of p.Version where SCORM renamed them.
// xsi:schemaLocation names the control documents in schemaLocations
// (namespace URI → file name); nil leaves it out.
//
// WriteManifest writes what p holds; it does not check that p suits the
// version (use [Build] to make a Package for a version from an asset).
func (p *Package) WriteManifest(w io.Writer, schemaLocations map[string]string) error {
	if p.Version == VersionUnknown {
		return fmt.Errorf("scorm: WriteManifest: the package has no version")
	}
	is2004 := p.Version.Is2004()
	cp, adlcp := NSCP12, NSADLCP12
	prefixes := map[string]string{cp: "", adlcp: prefixADLCP, NSIMSMD: prefixIMSMD, nsXSI: prefixXSI}
	decls := map[string]string{"": cp, prefixADLCP: adlcp, prefixIMSMD: NSIMSMD, prefixXSI: nsXSI}
	if is2004 {
		cp, adlcp = NSCP2004, NSADLCP2004
		prefixes = map[string]string{cp: "", adlcp: prefixADLCP, NSADLSeq: prefixADLSeq, NSADLNav: prefixADLNav,
			NSIMSSS: prefixIMSSS, NSLOM: prefixLOM, nsXSI: prefixXSI}
		decls = map[string]string{"": cp, prefixADLCP: adlcp, prefixADLSeq: NSADLSeq, prefixADLNav: NSADLNav,
			prefixIMSSS: NSIMSSS, prefixLOM: NSLOM, prefixXSI: nsXSI}
	}
	// Kept trees carry the namespaces they were read with: move the
	// content-packaging and ADL CP ones to this version's.
	remap := map[string]string{NSCP12: cp, NSCP2004: cp, "": cp, NSADLCP12: adlcp, NSADLCP2004: adlcp}
	mw := &manifestWriter{x: newXMLWriter(prefixes), cp: cp, adlcp: adlcp, is2004: is2004, remap: remap, p: p}

	attrs := []attr{a("identifier", p.Identifier)}
	if p.ManifestVersion != "" {
		attrs = append(attrs, a("version", p.ManifestVersion))
	}
	if p.Base != "" {
		attrs = append(attrs, attr{nsXML, "base", p.Base})
	}
	var locs []string
	for _, sf := range schemaFiles[is2004] {
		if f, ok := schemaLocations[sf[0]]; ok {
			locs = append(locs, sf[0]+" "+f)
		}
	}
	if len(locs) > 0 {
		attrs = append(attrs, attr{nsXSI, "schemaLocation", strings.Join(locs, " ")})
	}
	x := mw.x
	x.start(cp, "manifest", attrs, decls)
	mw.metadata(p.Metadata, true)
	x.start(cp, "organizations", mw.defaultAttr(), nil)
	for _, o := range p.Organizations {
		mw.organization(o)
	}
	x.end()
	var rattrs []attr
	if p.ResourcesBase != "" {
		rattrs = append(rattrs, attr{nsXML, "base", p.ResourcesBase})
	}
	x.start(cp, "resources", rattrs, nil)
	for _, r := range p.Resources {
		mw.resource(r)
	}
	x.end()
	if len(p.SequencingCollection) > 0 {
		x.start(NSIMSSS, "sequencingCollection", nil, nil)
		for _, s := range p.SequencingCollection {
			x.node(s, remap)
		}
		x.end()
	}
	for _, n := range p.Extra {
		x.node(n, remap)
	}
	x.end()
	_, err := w.Write(x.bytes())
	return err
}

type manifestWriter struct {
	x         *xmlWriter
	p         *Package
	cp, adlcp string
	is2004    bool
	remap     map[string]string
}

func (mw *manifestWriter) defaultAttr() []attr {
	if mw.p.DefaultOrganization == "" {
		return nil
	}
	return []attr{a("default", mw.p.DefaultOrganization)}
}

// metadata writes a metadata element; top adds schema and schemaversion.
func (mw *manifestWriter) metadata(m *Metadata, top bool) {
	if m == nil && !top {
		return
	}
	if m == nil {
		m = &Metadata{}
	}
	x := mw.x
	x.start(mw.cp, "metadata", nil, nil)
	if top {
		x.leaf(mw.cp, "schema", "ADL SCORM")
		x.leaf(mw.cp, "schemaversion", schemaVersionText(mw.p.Version))
	}
	for _, l := range m.Locations {
		x.leaf(mw.adlcp, "location", l)
	}
	for _, r := range m.Records {
		x.node(r, mw.remap)
	}
	x.end()
}

// schemaVersionText is metadata/schemaversion for v.
func schemaVersionText(v Version) string {
	if v == Version2004Ed2 {
		return "CAM 1.3"
	}
	return string(v)
}

func (mw *manifestWriter) organization(o *Organization) {
	x := mw.x
	attrs := []attr{a("identifier", o.Identifier)}
	if o.Structure != "" {
		attrs = append(attrs, a("structure", o.Structure))
	}
	for _, at := range o.Attrs {
		attrs = append(attrs, attr{mapSpace(at.Space, mw.remap), at.Local, at.Value})
	}
	x.start(mw.cp, "organization", attrs, nil)
	x.leaf(mw.cp, "title", o.Title)
	for _, it := range o.Items {
		mw.item(it)
	}
	mw.metadata(o.Metadata, false)
	x.node(o.Sequencing, mw.remap)
	for _, n := range o.Extra {
		x.node(n, mw.remap)
	}
	x.end()
}

func (mw *manifestWriter) item(it *Item) {
	x := mw.x
	attrs := []attr{a("identifier", it.Identifier)}
	if it.IdentifierRef != "" {
		attrs = append(attrs, a("identifierref", it.IdentifierRef))
	}
	if it.IsVisible != nil {
		attrs = append(attrs, a("isvisible", fmt.Sprint(*it.IsVisible)))
	}
	if it.Parameters != "" {
		attrs = append(attrs, a("parameters", it.Parameters))
	}
	x.start(mw.cp, "item", attrs, nil)
	x.leaf(mw.cp, "title", it.Title)
	for _, c := range it.Items {
		mw.item(c)
	}
	mw.metadata(it.Metadata, false)
	// Every element the item holds is written, each in the spelling of
	// the version that defines it (time limit action and data from LMS
	// exist in both, spelt differently), so that what was read is written
	// back; Build leaves out what a version lacks.
	if it.Prerequisites != "" {
		typ := it.PrerequisitesType
		if typ == "" {
			typ = "aicc_script"
		}
		x.leaf(mw.adlcp, "prerequisites", it.Prerequisites, a("type", typ))
	}
	if it.MaxTimeAllowed != "" {
		x.leaf(mw.adlcp, "maxtimeallowed", it.MaxTimeAllowed)
	}
	if it.TimeLimitAction != "" {
		x.leaf(mw.adlcp, mw.spell("timelimitaction", "timeLimitAction"), it.TimeLimitAction)
	}
	if it.DataFromLMS != "" {
		x.leaf(mw.adlcp, mw.spell("datafromlms", "dataFromLMS"), it.DataFromLMS)
	}
	if it.MasteryScore != "" {
		x.leaf(mw.adlcp, "masteryscore", it.MasteryScore)
	}
	x.node(it.CompletionThreshold, mw.remap)
	x.node(it.Data, mw.remap)
	x.node(it.Sequencing, mw.remap)
	x.node(it.Presentation, mw.remap)
	for _, n := range it.Extra {
		x.node(n, mw.remap)
	}
	x.end()
}

// spell returns the SCORM 1.2 or 2004 spelling of an element name.
func (mw *manifestWriter) spell(v12, v2004 string) string {
	if mw.is2004 {
		return v2004
	}
	return v12
}

func (mw *manifestWriter) resource(r *Resource) {
	x := mw.x
	attrs := []attr{a("identifier", r.Identifier)}
	if r.Type != "" {
		attrs = append(attrs, a("type", r.Type)) // required by the schema; Build always sets it
	}
	if r.ScormType != "" {
		name := "scormtype"
		if mw.is2004 {
			name = "scormType"
		}
		attrs = append(attrs, attr{mw.adlcp, name, r.ScormType})
	}
	if r.Href != "" {
		attrs = append(attrs, a("href", r.Href))
	}
	if r.Base != "" {
		attrs = append(attrs, attr{nsXML, "base", r.Base})
	}
	x.start(mw.cp, "resource", attrs, nil)
	mw.metadata(r.Metadata, false)
	for _, f := range r.Files {
		if f.Metadata == nil {
			x.leaf(mw.cp, "file", "", a("href", f.Href))
			continue
		}
		x.start(mw.cp, "file", []attr{a("href", f.Href)}, nil)
		mw.metadata(f.Metadata, false)
		x.end()
	}
	for _, d := range r.Dependencies {
		x.leaf(mw.cp, "dependency", "", a("identifierref", d))
	}
	for _, n := range r.Extra {
		x.node(n, mw.remap)
	}
	x.end()
}
