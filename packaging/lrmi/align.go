package lrmi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// alignments writes the alignments of the asset and of its objectives as
// teaches / assesses / competencyRequired (framework nodes as DefinedTerm)
// and as educationalAlignment, and the objectives themselves as teaches.
func (b *builder) alignments(d *document) {
	a := b.a
	for i, al := range a.Alignments {
		b.alignment(d, al, fmt.Sprintf("/alignments/%d", i))
	}
	for j, o := range a.Objectives {
		for i, al := range o.Alignments {
			b.alignment(d, al, fmt.Sprintf("/objectives/%d/alignments/%d", j, i))
		}
	}
	for j, o := range a.Objectives {
		id := objectiveIRI(a.ID, o.ID)
		label := prefLabel(o.Text)
		if id == "" || label == nil {
			b.loss(fmt.Sprintf("/objectives/%d", j), "the objective "+o.ID, "it needs an IRI (the asset's ID is not one) and a text in a language with an ISO 639-1 code")
			continue
		}
		d.Teaches = appendConcept(d.Teaches, concept{ID: id, PrefLabel: label})
	}
}

// objectiveIRI returns the objective's IRI: its ID when absolute, else the
// asset's ID with the objective's ID as fragment; "" when neither is an
// absolute URI.
func objectiveIRI(assetID, objID string) string {
	if isURI(objID) {
		return objID
	}
	if !isURI(assetID) || objID == "" || strings.Contains(assetID, "#") {
		return ""
	}
	return assetID + "#" + url.PathEscape(objID)
}

// alignment writes one alignment.
func (b *builder) alignment(d *document, al asset.Alignment, ptr string) {
	rel := al.Relation
	if rel == "" {
		rel = asset.Teaches
	}
	ao := alignmentObject{Type: "AlignmentObject", AlignmentType: string(rel)}
	if al.Level != "" {
		b.loss(ptr+"/level", fmt.Sprintf("the level %q", al.Level), "schema.org's AlignmentObject has no proficiency level")
	}
	fw, node, err := b.reg.Resolve(al)
	if err != nil || node == nil || !isURI(node.ID) {
		ao.EducationalFramework = strings.TrimSpace(al.Framework + " " + al.Version)
		ao.TargetName = &langValue{Value: al.Code}
		d.EducationalAlignment = append(d.EducationalAlignment, ao)
		b.loss(ptr, fmt.Sprintf("the alignment to %s %s as %s", al.Framework, al.Code, rel),
			"the framework node is not known, so it has no IRI; it is written as an educationalAlignment with its code only")
		return
	}
	label := b.reg.Label(fwKey(fw), fw.Version)
	if label == "" {
		label, _, _ = fw.Title.Best("en")
	}
	lang := iso6391(fw.Language)
	name, nameTag, _ := node.Name.Best(fw.Language, "en")
	if c := iso6391(nameTag); c != "" {
		lang = c
	}
	var nameValue *langValue
	if name != "" {
		nameValue = &langValue{Value: name, Language: lang}
	}
	c := concept{
		ID:        node.ID,
		Type:      "DefinedTerm",
		PrefLabel: prefLabel(node.Name),
		Name:      nameValue,
		TermCode:  node.Code,
		InDefinedTermSet: &termSet{ID: fw.ID, Type: "DefinedTermSet", Version: fw.Version,
			Name: &langValue{Value: label, Language: iso6391(fw.Language)}},
	}
	switch rel {
	case asset.Assesses:
		d.Assesses = appendConcept(d.Assesses, c)
	case asset.Requires:
		d.CompetencyRequired = appendConcept(d.CompetencyRequired, c)
	default:
		d.Teaches = appendConcept(d.Teaches, c)
	}
	ao.EducationalFramework = label
	ao.TargetName = nameValue
	ao.TargetURL = node.ID
	for _, o := range d.EducationalAlignment {
		if o.AlignmentType == ao.AlignmentType && o.TargetURL == ao.TargetURL && o.EducationalFramework == ao.EducationalFramework {
			return
		}
	}
	d.EducationalAlignment = append(d.EducationalAlignment, ao)
}

// fwKey is the key a framework is registered under: its Key, or its ID.
func fwKey(fw *framework.Framework) string {
	if fw.Key != "" {
		return fw.Key
	}
	return fw.ID
}

func appendConcept(list []concept, c concept) []concept {
	for _, o := range list {
		if o.ID == c.ID {
			return list
		}
	}
	return append(list, c)
}
