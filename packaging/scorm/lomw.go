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
		b.loss("/extensions", "the source package's LOM records", "LOM is bound differently in SCORM 1.2 and 2004; a new record is made from the asset")
	}
	return b.assetMetadata(root, true)
}

// assetMetadata returns a metadata element with a LOM record describing x,
// or nil when x has nothing beyond a one-language title to say (unless
// always).
func (b *builder) assetMetadata(x *asset.Asset, always bool) *Metadata {
	rich := len(x.Title) > 1 || len(x.Description) > 0 || len(x.Keywords) > 0 || len(x.Languages) > 0 ||
		!x.Duration.IsZero() || x.License != "" || len(x.Contributors) > 0
	if !rich && !always {
		return nil
	}
	if b.v.Is2004() {
		return &Metadata{Records: []*Node{lom2004(x)}}
	}
	return &Metadata{Records: []*Node{lom12(x)}}
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

// lom2004 is an IEEE LOM record (the XML binding SCORM 2004 uses) of x.
func lom2004(x *asset.Asset) *Node {
	str := func(local string, s asset.LangString) *Node {
		n := el(NSLOM, local)
		for _, tag := range s.Tags() {
			c := &Node{Space: NSLOM, Local: "string", Text: s[tag]}
			if tag != "und" {
				c.Attrs = []Attr{{Local: "language", Value: tag}}
			}
			n.Children = append(n.Children, c)
		}
		return n
	}
	vocab := func(local, value string) *Node {
		return el(NSLOM, local, &Node{Space: NSLOM, Local: "source", Text: "LOMv1.0"}, &Node{Space: NSLOM, Local: "value", Text: value})
	}
	general := el(NSLOM, "general", str("title", x.Title))
	for _, l := range x.Languages {
		general.Children = append(general.Children, &Node{Space: NSLOM, Local: "language", Text: l})
	}
	if len(x.Description) > 0 {
		general.Children = append(general.Children, str("description", x.Description))
	}
	for _, tag := range sortedKeys(x.Keywords) {
		for _, k := range x.Keywords[tag] {
			general.Children = append(general.Children, str("keyword", asset.LangString{tag: k}))
		}
	}
	rec := el(NSLOM, "lom", general)
	if len(x.Contributors) > 0 {
		lc := el(NSLOM, "lifeCycle")
		for _, c := range x.Contributors {
			lc.Children = append(lc.Children, el(NSLOM, "contribute", vocab("role", roleOfContributor(c)), &Node{Space: NSLOM, Local: "entity", Text: vcard(c)}))
		}
		rec.Children = append(rec.Children, lc)
	}
	if !x.Duration.IsZero() {
		rec.Children = append(rec.Children, el(NSLOM, "educational", el(NSLOM, "typicalLearningTime", &Node{Space: NSLOM, Local: "duration", Text: x.Duration.String()})))
	}
	if x.License != "" {
		rec.Children = append(rec.Children, el(NSLOM, "rights", vocab("copyrightAndOtherRestrictions", "yes"), str("description", asset.LangString{"und": licenceText(x.License)})))
	}
	return rec
}

// lom12 is an IMS Metadata 1.2.1 record (the LOM binding SCORM 1.2 uses)
// of x, its elements in the order that schema fixes.
func lom12(x *asset.Asset) *Node {
	langstrings := func(local string, s asset.LangString) *Node {
		n := el(NSIMSMD, local)
		for _, tag := range s.Tags() {
			c := &Node{Space: NSIMSMD, Local: "langstring", Text: s[tag]}
			if tag != "und" {
				c.Attrs = []Attr{{Space: nsXML, Local: "lang", Value: tag}}
			}
			n.Children = append(n.Children, c)
		}
		return n
	}
	none := func(text string) asset.LangString { return asset.LangString{"x-none": text} }
	vocab := func(local, value string) *Node {
		return el(NSIMSMD, local, langstrings("source", none("LOMv1.0")), langstrings("value", none(value)))
	}
	general := el(NSIMSMD, "general", langstrings("title", x.Title))
	for _, l := range x.Languages {
		general.Children = append(general.Children, &Node{Space: NSIMSMD, Local: "language", Text: l})
	}
	if len(x.Description) > 0 {
		general.Children = append(general.Children, langstrings("description", x.Description))
	}
	for _, tag := range sortedKeys(x.Keywords) {
		for _, k := range x.Keywords[tag] {
			general.Children = append(general.Children, langstrings("keyword", asset.LangString{tag: k}))
		}
	}
	rec := el(NSIMSMD, "lom", general)
	if len(x.Contributors) > 0 {
		lc := el(NSIMSMD, "lifecycle")
		for _, c := range x.Contributors {
			role := roleOfContributor(c)
			role = strings.ToUpper(role[:1]) + role[1:]
			lc.Children = append(lc.Children, el(NSIMSMD, "contribute", vocab("role", role), el(NSIMSMD, "centity", &Node{Space: NSIMSMD, Local: "vcard", Text: vcard(c)})))
		}
		rec.Children = append(rec.Children, lc)
	}
	if !x.Duration.IsZero() {
		rec.Children = append(rec.Children, el(NSIMSMD, "educational", el(NSIMSMD, "typicallearningtime", &Node{Space: NSIMSMD, Local: "datetime", Text: x.Duration.String()})))
	}
	if x.License != "" {
		rec.Children = append(rec.Children, el(NSIMSMD, "rights", vocab("copyrightandotherrestrictions", "yes"), langstrings("description", none(licenceText(x.License)))))
	}
	return rec
}
