package oaipmh

import (
	"slices"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/lom"
	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/packaging/lrmi"
)

// format is a metadata format the handler disseminates.
type format struct {
	prefix, schema, ns string
	write              func(h *Handler, x *xmltree.Writer, rec Record)
}

// formats are the metadata formats, in the order ListMetadataFormats gives
// them.
var formats = []format{
	{PrefixDC, SchemaDC, NSDC, (*Handler).writeDC},
	{PrefixLOM, SchemaLOM, NSLOM, (*Handler).writeLOM},
	{PrefixOTA, SchemaOTA, NSOTA, (*Handler).writeOTA},
}

func formatOf(prefix string) (format, bool) {
	for _, f := range formats {
		if f.prefix == prefix {
			return f, true
		}
	}
	return format{}, false
}

// writeDC writes the record as simple Dublin Core: titles, descriptions and
// keywords per language (xml:lang), contributors by role, the framework
// nodes the asset is aligned to as subjects ("GSBPM 5.2 6.1 Prepare draft
// outputs"), the date, the kind, the identifier, languages, relations and
// the licence.
func (h *Handler) writeDC(x *xmltree.Writer, rec Record) {
	a := rec.Asset
	x.Declare(map[string]string{NSDC: "oai_dc", NSDCElements: "dc"})
	x.Start(NSDC, "dc", xmltree.Attr{Space: nsXSI, Local: "schemaLocation", Value: NSDC + " " + SchemaDC})
	langLeaf := func(local string, s asset.LangString) {
		for _, tag := range s.Tags() {
			var attrs []xmltree.Attr
			if tag != "und" {
				attrs = append(attrs, xmltree.Attr{Space: xmltree.NSXML, Local: "lang", Value: tag})
			}
			x.Leaf(NSDCElements, local, s[tag], attrs...)
		}
	}
	langLeaf("title", a.Title)
	for _, c := range a.Contributors {
		if len(c.Roles) == 0 || slices.Contains(c.Roles, asset.RoleAuthor) {
			x.Leaf(NSDCElements, "creator", c.Name)
		}
	}
	tags := make([]string, 0, len(a.Keywords))
	for tag := range a.Keywords {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	for _, tag := range tags {
		for _, kw := range a.Keywords[tag] {
			langLeaf("subject", asset.LangString{tag: kw})
		}
	}
	for _, s := range h.subjects(a) {
		x.Leaf(NSDCElements, "subject", s)
	}
	langLeaf("description", a.Description)
	for _, c := range a.Contributors {
		if slices.Contains(c.Roles, asset.RolePublisher) {
			x.Leaf(NSDCElements, "publisher", c.Name)
		}
	}
	for _, c := range a.Contributors {
		if len(c.Roles) > 0 && !slices.Contains(c.Roles, asset.RoleAuthor) && !slices.Contains(c.Roles, asset.RolePublisher) {
			x.Leaf(NSDCElements, "contributor", c.Name)
		}
	}
	for _, d := range []string{a.Modified, a.Published, a.Created} {
		if d != "" {
			x.Leaf(NSDCElements, "date", d)
			break
		}
	}
	x.Leaf(NSDCElements, "type", "InteractiveResource")
	if a.Kind != "" {
		x.Leaf(NSDCElements, "type", string(a.Kind))
	}
	x.Leaf(NSDCElements, "identifier", a.ID)
	for _, l := range a.Languages {
		x.Leaf(NSDCElements, "language", l)
	}
	for _, r := range a.Relations {
		x.Leaf(NSDCElements, "relation", r.Target)
	}
	if a.License != "" {
		x.Leaf(NSDCElements, "rights", a.License)
		if ids := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(a.License)); len(ids) == 1 {
			x.Leaf(NSDCElements, "rights", lrmi.LicenseURL(ids[0]))
		}
	}
	x.End()
}

// subjects names the framework nodes of the asset's alignments and its
// objectives', each once: "GSBPM 5.2 6.1 Prepare draft outputs".
func (h *Handler) subjects(a *asset.Asset) []string {
	var out []string
	add := func(al asset.Alignment) {
		s := strings.TrimSpace(al.Framework + " " + al.Version + " " + al.Code)
		if fw, node, err := h.reg.Resolve(al); err == nil && node != nil {
			key := fw.Key
			if key == "" {
				key = fw.ID
			}
			label := h.reg.Label(key, fw.Version)
			name, _, _ := node.Name.Best("en")
			s = strings.TrimSpace(label + " " + node.Code + " " + name)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, al := range a.Alignments {
		add(al)
	}
	for _, o := range a.Objectives {
		for _, al := range o.Alignments {
			add(al)
		}
	}
	return out
}

// writeLOM writes the record as IEEE LOM, the record the SCORM 2004
// exporter writes into manifests, with the asset's ID as its identifier
// (catalog "URI").
func (h *Handler) writeLOM(x *xmltree.Writer, rec Record) {
	n := lom.IEEE.Record(rec.Asset)
	if len(n.Children) > 0 && n.Children[0].Local == "general" {
		id := &xmltree.Node{Space: NSLOM, Local: "identifier", Children: []*xmltree.Node{
			{Space: NSLOM, Local: "catalog", Text: "URI"},
			{Space: NSLOM, Local: "entry", Text: rec.Asset.ID},
		}}
		g := n.Children[0]
		g.Children = append([]*xmltree.Node{id}, g.Children...)
	}
	n.Attrs = append(n.Attrs, xmltree.Attr{Space: nsXSI, Local: "schemaLocation", Value: NSLOM + " " + SchemaLOM})
	x.Declare(map[string]string{NSLOM: ""})
	x.Node(n, nil)
}

// writeOTA writes the record's whole OTA document, canonical JSON, as the
// text of one element.
func (h *Handler) writeOTA(x *xmltree.Writer, rec Record) {
	data, err := asset.Marshal(asset.NewDocument(*rec.Asset))
	if err != nil {
		// An asset a repository holds always marshals; should one not, the
		// element says so rather than holding half a document.
		data = nil
	}
	x.Declare(map[string]string{NSOTA: "ota"})
	x.Start(NSOTA, "document",
		xmltree.Attr{Local: "format", Value: asset.FormatVersion},
		xmltree.Attr{Space: nsXSI, Local: "schemaLocation", Value: NSOTA + " " + SchemaOTA})
	x.Chars(string(data))
	x.End()
}
