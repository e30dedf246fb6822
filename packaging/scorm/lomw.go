package scorm

import (
	"strings"

	"github.com/metaacademy/ota/asset"
)

// manifestMetadata is the manifest's metadata: the source package's
// locations and LOM records when it was of the same family, else a LOM
// record made from the root asset.
func (b *builder) manifestMetadata(root *asset.Asset) *Metadata {
	if b.sameFamily() && b.src.Metadata != nil {
		return &Metadata{Locations: b.src.Metadata.Locations, Records: b.src.Metadata.Records}
	}
	if b.src != nil && b.src.Metadata != nil && (len(b.src.Metadata.Records) > 0 || len(b.src.Metadata.Locations) > 0) {
		b.loss("scorm.lost.lom-records", "/extensions", root.ID, "the source package's LOM records", "LOM is bound differently in SCORM 1.2 and 2004; a new record is made from the asset")
	}
	return b.assetMetadata(root, true)
}

// assetMetadata returns a metadata element with a LOM record describing x,
// or nil when x has nothing beyond a one-language title to say (unless
// always).
func (b *builder) assetMetadata(x *asset.Asset, always bool) *Metadata {
	rich := len(x.Title) > 1 || len(x.Description) > 0 || len(x.Keywords) > 0 || len(x.Languages) > 0 ||
		!x.Duration.IsZero() || x.License != "" || len(x.Contributors) > 0 || len(x.Alignments) > 0
	if !rich && !always {
		return nil
	}
	if b.v.Is2004() {
		return &Metadata{Records: []*Node{lomIEEE.record(x)}}
	}
	return &Metadata{Records: []*Node{lomIMSMD.record(x)}}
}

// el builds an element of namespace ns.
func el(ns, local string, children ...*Node) *Node {
	return &Node{Space: ns, Local: local, Children: children}
}

// lomRoleNames maps asset roles onto LOM lifeCycle roles.
var lomRoleNames = map[asset.Role]string{
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
		if n, ok := lomRoleNames[r]; ok {
			return n
		}
	}
	return "unknown"
}

// lomBinding holds what differs between the two LOM bindings SCORM uses:
// IEEE LOM (SCORM 2004) and IMS Metadata 1.2.1 (SCORM 1.2).
type lomBinding struct {
	ns string
	// Element names: lifeCycle, typicalLearningTime, its duration child,
	// copyrightAndOtherRestrictions.
	lifeCycle, learningTime, learningDuration, copyright, taxonPath string
	// text builds a language string element of a field.
	text func(tag, text string) *Node
	// vocab builds a vocabulary value (source LOMv1.0 and the value).
	vocab func(b lomBinding, local, value string) *Node
	// entity wraps a contributor's vCard.
	entity func(vcard string) *Node
	// role spells a LOM role ("author" or "Author").
	role func(string) string
}

var (
	lomIEEE = lomBinding{
		ns: NSLOM, lifeCycle: "lifeCycle", learningTime: "typicalLearningTime", learningDuration: "duration",
		copyright: "copyrightAndOtherRestrictions", taxonPath: "taxonPath",
		text: func(tag, text string) *Node {
			n := &Node{Space: NSLOM, Local: "string", Text: text}
			if tag != "und" {
				n.Attrs = []Attr{{Local: "language", Value: tag}}
			}
			return n
		},
		vocab: func(b lomBinding, local, value string) *Node {
			return el(NSLOM, local, &Node{Space: NSLOM, Local: "source", Text: "LOMv1.0"}, &Node{Space: NSLOM, Local: "value", Text: value})
		},
		entity: func(v string) *Node { return &Node{Space: NSLOM, Local: "entity", Text: v} },
		role:   func(r string) string { return r },
	}
	lomIMSMD = lomBinding{
		ns: NSIMSMD, lifeCycle: "lifecycle", learningTime: "typicallearningtime", learningDuration: "datetime",
		copyright: "copyrightandotherrestrictions", taxonPath: "taxonpath",
		text: func(tag, text string) *Node {
			n := &Node{Space: NSIMSMD, Local: "langstring", Text: text}
			if tag != "und" {
				n.Attrs = []Attr{{Space: nsXML, Local: "lang", Value: tag}}
			}
			return n
		},
		vocab: func(b lomBinding, local, value string) *Node {
			none := asset.LangString{"x-none": "LOMv1.0"}
			return el(NSIMSMD, local, b.field("source", none), b.field("value", asset.LangString{"x-none": value}))
		},
		entity: func(v string) *Node {
			return el(NSIMSMD, "centity", &Node{Space: NSIMSMD, Local: "vcard", Text: v})
		},
		role: func(r string) string { return strings.ToUpper(r[:1]) + r[1:] },
	}
)

// field builds an element holding s as language strings, sorted by tag.
func (b lomBinding) field(local string, s asset.LangString) *Node {
	n := el(b.ns, local)
	for _, tag := range s.Tags() {
		n.Children = append(n.Children, b.text(tag, s[tag]))
	}
	return n
}

// record is a LOM record of x in binding b, its categories in the order
// IMS Metadata 1.2.1 fixes (IEEE LOM accepts any order): general
// (title, languages, description, keywords), lifeCycle (contributors),
// educational (typical learning time), rights (the licence).
func (b lomBinding) record(x *asset.Asset) *Node {
	general := el(b.ns, "general", b.field("title", x.Title))
	for _, l := range x.Languages {
		general.Children = append(general.Children, &Node{Space: b.ns, Local: "language", Text: l})
	}
	if len(x.Description) > 0 {
		general.Children = append(general.Children, b.field("description", x.Description))
	}
	for _, tag := range sortedKeys(x.Keywords) {
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
		rec.Children = append(rec.Children, el(b.ns, "educational", el(b.ns, b.learningTime, &Node{Space: b.ns, Local: b.learningDuration, Text: x.Duration.String()})))
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
func (b lomBinding) classification(al asset.Alignment) *Node {
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
	desc := alignmentMarker + " relation=" + string(rel)
	if al.Level != "" && !strings.ContainsAny(al.Level, " \t\n") {
		desc += " level=" + al.Level
	}
	none := "x-none"
	if b.ns == NSLOM {
		none = "und"
	}
	return el(b.ns, "classification",
		b.vocab(b, "purpose", purpose),
		el(b.ns, b.taxonPath, b.field("source", asset.LangString{none: source}),
			el(b.ns, "taxon", &Node{Space: b.ns, Local: "id", Text: al.Code})),
		b.field("description", asset.LangString{none: desc}))
}
