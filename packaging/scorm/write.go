package scorm

import (
	"fmt"
	"io"
	"strings"

	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/packaging/xmlnode"
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
	// nsXML is the namespace of xml:lang and xml:base.
	nsXML = xmltree.NSXML
)

// a builds an attribute without a namespace.
func a(local, value string) xmlnode.Attr { return xmlnode.Attr{Local: local, Value: value} }

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
// (namespace URI → file name); when schemaLocations is empty it is
// p.SchemaLocation, left out when that is empty too.
//
// WriteManifest writes what p holds; it does not check that p suits the
// version (use [FromAsset] to make a Package for a version from an asset). It
// fails, writing nothing, when a kept tree or attribute has a name XML
// cannot carry (which only a hand-made tree can have).
func (p *Package) WriteManifest(w io.Writer, schemaLocations map[string]string) error {
	if p.Version == VersionUnknown {
		return fmt.Errorf("scorm: WriteManifest: the package has no version")
	}
	is2004 := p.Version.Is2004()
	cp, adlcp := NSCP12, NSADLCP12
	prefixes := map[string]string{cp: "", adlcp: prefixADLCP, NSIMSMD: prefixIMSMD, nsXSI: prefixXSI}
	if is2004 {
		cp, adlcp = NSCP2004, NSADLCP2004
		prefixes = map[string]string{cp: "", adlcp: prefixADLCP, NSADLSeq: prefixADLSeq, NSADLNav: prefixADLNav,
			NSIMSSS: prefixIMSSS, NSLOM: prefixLOM, nsXSI: prefixXSI}
	}
	// Kept trees carry the namespaces they were read with: move the
	// content-packaging and ADL CP ones to this version's.
	remap := map[string]string{NSCP12: cp, NSCP2004: cp, "": cp, NSADLCP12: adlcp, NSADLCP2004: adlcp}
	mw := &manifestWriter{x: xmltree.NewWriter(prefixes), cp: cp, adlcp: adlcp, is2004: is2004, remap: remap, p: p}

	attrs := []xmlnode.Attr{a("identifier", p.Identifier)}
	if p.ManifestVersion != "" {
		attrs = append(attrs, a("version", p.ManifestVersion))
	}
	if p.Base != "" {
		attrs = append(attrs, xmlnode.Attr{Space: nsXML, Local: "base", Value: p.Base})
	}
	var locs []string
	for _, sf := range schemaFiles[is2004] {
		if f, ok := schemaLocations[sf[0]]; ok {
			locs = append(locs, sf[0]+" "+f)
		}
	}
	switch {
	case len(locs) > 0:
		attrs = append(attrs, xmlnode.Attr{Space: nsXSI, Local: "schemaLocation", Value: strings.Join(locs, " ")})
	case p.SchemaLocation != "":
		attrs = append(attrs, xmlnode.Attr{Space: nsXSI, Local: "schemaLocation", Value: p.SchemaLocation})
	}
	x := mw.x
	x.Start(cp, "manifest", attrs...)
	mw.metadata(p.Metadata, true)
	x.Start(cp, "organizations", mw.defaultAttr()...)
	for _, o := range p.Organizations {
		mw.organization(o)
	}
	x.End()
	var rattrs []xmlnode.Attr
	if p.ResourcesBase != "" {
		rattrs = append(rattrs, xmlnode.Attr{Space: nsXML, Local: "base", Value: p.ResourcesBase})
	}
	x.Start(cp, "resources", rattrs...)
	for _, r := range p.Resources {
		mw.resource(r)
	}
	x.End()
	if len(p.SequencingCollection) > 0 {
		x.Start(NSIMSSS, "sequencingCollection")
		for _, s := range p.SequencingCollection {
			x.Node(s, remap)
		}
		x.End()
	}
	for _, n := range p.Extra {
		x.Node(n, remap)
	}
	x.End()
	if err := x.Err(); err != nil {
		return fmt.Errorf("scorm: WriteManifest: kept XML cannot be written: %w", err)
	}
	_, err := w.Write(x.Bytes())
	return err
}

type manifestWriter struct {
	x         *xmltree.Writer
	p         *Package
	cp, adlcp string
	is2004    bool
	remap     map[string]string
}

func (mw *manifestWriter) defaultAttr() []xmlnode.Attr {
	if mw.p.DefaultOrganization == "" {
		return nil
	}
	return []xmlnode.Attr{a("default", mw.p.DefaultOrganization)}
}

// remapAttr moves a kept attribute to this version's namespaces as
// [xmltree.Writer.Node] moves trees; an unprefixed one stays unprefixed.
func (mw *manifestWriter) remapAttr(at xmlnode.Attr) xmlnode.Attr {
	if to, ok := mw.remap[at.Space]; ok && at.Space != "" {
		at.Space = to
	}
	return at
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
	x.Start(mw.cp, "metadata")
	if top {
		x.Leaf(mw.cp, "schema", "ADL SCORM")
		x.Leaf(mw.cp, "schemaversion", schemaVersionText(mw.p.Version))
	}
	for _, l := range m.Locations {
		x.Leaf(mw.adlcp, "location", l)
	}
	for _, r := range m.Records {
		x.Node(r, mw.remap)
	}
	x.End()
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
	attrs := []xmlnode.Attr{a("identifier", o.Identifier)}
	if o.Structure != "" {
		attrs = append(attrs, a("structure", o.Structure))
	}
	for _, at := range o.Attrs {
		attrs = append(attrs, mw.remapAttr(at))
	}
	x.Start(mw.cp, "organization", attrs...)
	x.Leaf(mw.cp, "title", o.Title)
	for _, it := range o.Items {
		mw.item(it)
	}
	mw.metadata(o.Metadata, false)
	x.Node(o.Sequencing, mw.remap)
	for _, n := range o.Extra {
		x.Node(n, mw.remap)
	}
	x.End()
}

func (mw *manifestWriter) item(it *Item) {
	x := mw.x
	attrs := []xmlnode.Attr{a("identifier", it.Identifier)}
	if it.IdentifierRef != "" {
		attrs = append(attrs, a("identifierref", it.IdentifierRef))
	}
	if it.IsVisible != nil {
		attrs = append(attrs, a("isvisible", fmt.Sprint(*it.IsVisible)))
	}
	if it.Parameters != "" {
		attrs = append(attrs, a("parameters", it.Parameters))
	}
	x.Start(mw.cp, "item", attrs...)
	x.Leaf(mw.cp, "title", it.Title)
	for _, c := range it.Items {
		mw.item(c)
	}
	mw.metadata(it.Metadata, false)
	// Every element the item holds is written, each in the spelling of
	// the version that defines it (time limit action and data from LMS
	// exist in both, spelt differently), so that what was read is written
	// back; FromAsset leaves out what a version lacks.
	if it.Prerequisites != "" {
		typ := it.PrerequisitesType
		if typ == "" {
			typ = "aicc_script"
		}
		x.Leaf(mw.adlcp, "prerequisites", it.Prerequisites, a("type", typ))
	}
	if it.MaxTimeAllowed != "" {
		x.Leaf(mw.adlcp, "maxtimeallowed", it.MaxTimeAllowed)
	}
	if it.TimeLimitAction != "" {
		x.Leaf(mw.adlcp, mw.spell("timelimitaction", "timeLimitAction"), it.TimeLimitAction)
	}
	if it.DataFromLMS != "" {
		x.Leaf(mw.adlcp, mw.spell("datafromlms", "dataFromLMS"), it.DataFromLMS)
	}
	if it.MasteryScore != "" {
		x.Leaf(mw.adlcp, "masteryscore", it.MasteryScore)
	}
	x.Node(it.CompletionThreshold, mw.remap)
	x.Node(it.Data, mw.remap)
	x.Node(it.Sequencing, mw.remap)
	x.Node(it.Presentation, mw.remap)
	for _, n := range it.Extra {
		x.Node(n, mw.remap)
	}
	x.End()
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
	attrs := []xmlnode.Attr{a("identifier", r.Identifier)}
	if r.Type != "" {
		attrs = append(attrs, a("type", r.Type)) // required by the schema; FromAsset always sets it
	}
	if r.ScormType != "" {
		name := "scormtype"
		if mw.is2004 {
			name = "scormType"
		}
		attrs = append(attrs, xmlnode.Attr{Space: mw.adlcp, Local: name, Value: r.ScormType})
	}
	if r.Href != "" {
		attrs = append(attrs, a("href", r.Href))
	}
	if r.Base != "" {
		attrs = append(attrs, xmlnode.Attr{Space: nsXML, Local: "base", Value: r.Base})
	}
	x.Start(mw.cp, "resource", attrs...)
	mw.metadata(r.Metadata, false)
	for _, f := range r.Files {
		if f.Metadata == nil {
			x.Leaf(mw.cp, "file", "", a("href", f.Href))
			continue
		}
		x.Start(mw.cp, "file", a("href", f.Href))
		mw.metadata(f.Metadata, false)
		x.End()
	}
	for _, d := range r.Dependencies {
		x.Leaf(mw.cp, "dependency", "", a("identifierref", d))
	}
	for _, n := range r.Extra {
		x.Node(n, mw.remap)
	}
	x.End()
}
