// Package lom builds IEEE LOM records of OTA assets, in the two XML
// bindings OTA writes: IEEE LOM (IEEE 1484.12.3, the lom.xsd of SCORM 2004
// and of OAI-PMH's lom format) and IMS Metadata 1.2.1 (SCORM 1.2). The
// SCORM exporter and the OAI-PMH handler share it, so that an asset's LOM
// record is the same wherever it is published.
package lom

import (
	"maps"
	"slices"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/xmltree"
)

// Namespaces of the two bindings.
const (
	// NSIEEE is the namespace of IEEE LOM's XML binding.
	NSIEEE = "http://ltsc.ieee.org/xsd/LOM"
	// NSIMSMD is the namespace of IMS Metadata 1.2.1.
	NSIMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
)

// AlignmentMarker starts the description of the classifications [Binding.Record]
// writes for alignments, which the SCORM importer reads back.
const AlignmentMarker = "ota-alignment"

// el builds an element of namespace ns.
func el(ns, local string, children ...*xmltree.Node) *xmltree.Node {
	return &xmltree.Node{Space: ns, Local: local, Children: children}
}

// roleNames maps asset roles onto LOM lifeCycle roles.
var roleNames = map[asset.Role]string{
	asset.RoleAuthor: "author", asset.RolePublisher: "publisher", asset.RoleEditor: "editor", asset.RoleReviewer: "validator",
}

// vcard writes a contributor as a vCard 3.0: a person with FN (and ORG for
// the affiliation), an organisation with ORG alone.
func vcard(c asset.Contributor) string {
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", " ")
	lines := []string{"BEGIN:VCARD", "VERSION:3.0"}
	if c.Type == asset.Organization {
		lines = append(lines, "ORG:"+esc.Replace(c.Name))
	} else {
		lines = append(lines, "FN:"+esc.Replace(c.Name))
		if c.Affiliation != "" {
			lines = append(lines, "ORG:"+esc.Replace(c.Affiliation))
		}
	}
	if c.Email != "" {
		lines = append(lines, "EMAIL;TYPE=INTERNET:"+c.Email)
	}
	return strings.Join(append(lines, "END:VCARD"), "\n")
}

// licenceText is the rights description for an SPDX expression, in a form
// the importer reads back.
func licenceText(expr string) string { return "SPDX-License-Identifier: " + expr }

// roleOfContributor returns the LOM role of a contributor: its first role
// LOM has, else "unknown".
func roleOfContributor(c asset.Contributor) string {
	for _, r := range c.Roles {
		if n, ok := roleNames[r]; ok {
			return n
		}
	}
	return "unknown"
}

// Binding holds what differs between the two LOM bindings: IEEE LOM
// ([IEEE], SCORM 2004) and IMS Metadata 1.2.1 ([IMSMD], SCORM 1.2).
type Binding struct {
	ns string
	// Element names: lifeCycle, typicalLearningTime, its duration child,
	// copyrightAndOtherRestrictions.
	lifeCycle, learningTime, learningDuration, copyright, taxonPath string
	// text builds a language string element of a field.
	text func(tag, text string) *xmltree.Node
	// vocab builds a vocabulary value (source LOMv1.0 and the value).
	vocab func(b Binding, local, value string) *xmltree.Node
	// entity wraps a contributor's vCard.
	entity func(vcard string) *xmltree.Node
	// role spells a LOM role ("author" or "Author").
	role func(string) string
}

// The two bindings.
var (
	// IEEE is IEEE LOM's XML binding (namespace NSIEEE), as SCORM 2004
	// and OAI-PMH's lom format use it.
	IEEE = Binding{
		ns: NSIEEE, lifeCycle: "lifeCycle", learningTime: "typicalLearningTime", learningDuration: "duration",
		copyright: "copyrightAndOtherRestrictions", taxonPath: "taxonPath",
		text: func(tag, text string) *xmltree.Node {
			n := &xmltree.Node{Space: NSIEEE, Local: "string", Text: text}
			if tag != "und" {
				n.Attrs = []xmltree.Attr{{Local: "language", Value: tag}}
			}
			return n
		},
		vocab: func(b Binding, local, value string) *xmltree.Node {
			return el(NSIEEE, local, &xmltree.Node{Space: NSIEEE, Local: "source", Text: "LOMv1.0"}, &xmltree.Node{Space: NSIEEE, Local: "value", Text: value})
		},
		entity: func(v string) *xmltree.Node { return &xmltree.Node{Space: NSIEEE, Local: "entity", Text: v} },
		role:   func(r string) string { return r },
	}
	// IMSMD is IMS Metadata 1.2.1 (namespace NSIMSMD), as SCORM 1.2
	// uses it.
	IMSMD = Binding{
		ns: NSIMSMD, lifeCycle: "lifecycle", learningTime: "typicallearningtime", learningDuration: "datetime",
		copyright: "copyrightandotherrestrictions", taxonPath: "taxonpath",
		text: func(tag, text string) *xmltree.Node {
			n := &xmltree.Node{Space: NSIMSMD, Local: "langstring", Text: text}
			if tag != "und" {
				n.Attrs = []xmltree.Attr{{Space: xmltree.NSXML, Local: "lang", Value: tag}}
			}
			return n
		},
		vocab: func(b Binding, local, value string) *xmltree.Node {
			none := asset.LangString{"x-none": "LOMv1.0"}
			return el(NSIMSMD, local, b.field("source", none), b.field("value", asset.LangString{"x-none": value}))
		},
		entity: func(v string) *xmltree.Node {
			return el(NSIMSMD, "centity", &xmltree.Node{Space: NSIMSMD, Local: "vcard", Text: v})
		},
		role: func(r string) string { return strings.ToUpper(r[:1]) + r[1:] },
	}
)

// field builds an element holding s as language strings, sorted by tag.
func (b Binding) field(local string, s asset.LangString) *xmltree.Node {
	n := el(b.ns, local)
	for _, tag := range s.Tags() {
		n.Children = append(n.Children, b.text(tag, s[tag]))
	}
	return n
}

// Record returns a LOM record of x in binding b, its categories in the order
// IMS Metadata 1.2.1 fixes (IEEE LOM accepts any order): general
// (title, languages, description, keywords), lifeCycle (contributors),
// educational (typical learning time), rights (the licence).
func (b Binding) Record(x *asset.Asset) *xmltree.Node {
	general := el(b.ns, "general", b.field("title", x.Title))
	for _, l := range x.Languages {
		general.Children = append(general.Children, &xmltree.Node{Space: b.ns, Local: "language", Text: l})
	}
	if len(x.Description) > 0 {
		general.Children = append(general.Children, b.field("description", x.Description))
	}
	for _, tag := range slices.Sorted(maps.Keys(x.Keywords)) {
		for _, k := range x.Keywords[tag] {
			general.Children = append(general.Children, b.field("keyword", asset.LangString{tag: k}))
		}
	}
	rec := el(b.ns, "lom", general)
	if len(x.Contributors) > 0 {
		lc := el(b.ns, b.lifeCycle)
		for _, c := range x.Contributors {
			lc.Children = append(lc.Children, el(b.ns, "contribute", b.vocab(b, "role", b.role(roleOfContributor(c))), b.entity(vcard(c))))
		}
		rec.Children = append(rec.Children, lc)
	}
	if !x.Duration.IsZero() {
		rec.Children = append(rec.Children, el(b.ns, "educational", el(b.ns, b.learningTime, &xmltree.Node{Space: b.ns, Local: b.learningDuration, Text: x.Duration.String()})))
	}
	if x.License != "" {
		desc := asset.LangString{"und": licenceText(x.License)}
		if b.ns == NSIMSMD {
			desc = asset.LangString{"x-none": licenceText(x.License)}
		}
		rec.Children = append(rec.Children, el(b.ns, "rights", b.vocab(b, b.copyright, "yes"), b.field("description", desc)))
	}
	for _, al := range x.Alignments {
		rec.Children = append(rec.Children, b.classification(al))
	}
	return rec
}

// classification writes an alignment as a LOM classification: purpose
// competency (prerequisite for requires), a taxon path whose source is
// the framework and version and whose taxon id is the code, and a
// description "ota-alignment relation=… [level=…]" that the importer
// reads back.
func (b Binding) classification(al asset.Alignment) *xmltree.Node {
	purpose := "competency"
	rel := al.Relation
	if rel == "" {
		rel = asset.Teaches
	}
	if rel == asset.Requires {
		purpose = "prerequisite"
	}
	source := al.Framework
	if al.Version != "" {
		source += " " + al.Version
	}
	desc := AlignmentMarker + " relation=" + string(rel)
	if al.Level != "" && !strings.ContainsAny(al.Level, " \t\n") {
		desc += " level=" + al.Level
	}
	none := "x-none"
	if b.ns == NSIEEE {
		none = "und"
	}
	return el(b.ns, "classification",
		b.vocab(b, "purpose", purpose),
		el(b.ns, b.taxonPath, b.field("source", asset.LangString{none: source}),
			el(b.ns, "taxon", &xmltree.Node{Space: b.ns, Local: "id", Text: al.Code})),
		b.field("description", asset.LangString{none: desc}))
}
