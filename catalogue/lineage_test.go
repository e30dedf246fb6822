package catalogue_test

import (
	"testing"

	"github.com/metaacademy/ota/catalogue"

	"github.com/stretchr/testify/assert"

	"github.com/metaacademy/ota/asset"
)

// lineageStep is a LineageStep without its Entry, for comparisons; entry
// is the ID of the step's Entry, or "" when it is nil.
type lineageStep struct {
	Depth          int
	From, Type, To string
	Entry          string
}

func steps(in []catalogue.LineageStep) []lineageStep {
	var out []lineageStep
	for _, s := range in {
		e := ""
		if s.Entry != nil {
			e = s.Entry.Asset.ID
		}
		out = append(out, lineageStep{s.Depth, s.From, string(s.Type), s.To, e})
	}
	return out
}

func TestLineage(t *testing.T) {
	c := loadNSOs(t)
	var (
		inFP  = in + "principes-fondamentaux"
		unFP1 = un + "fundamental-principles"
		unFP2 = un + "fundamental-principles/2"
		inSDC = in + "secret-statistique"
		scSDC = sc + "disclosure-control"
	)
	tests := []struct {
		name     string
		id       string
		up, down []lineageStep
	}{
		{"a translation of a second edition", inFP,
			[]lineageStep{
				{1, inFP, "isTranslationOf", unFP2, unFP2},
				{2, unFP2, "isVersionOf", unFP1, unFP1},
			}, nil},
		{"the origin", unFP1, nil,
			[]lineageStep{
				{1, unFP2, "isVersionOf", unFP1, unFP2},
				{2, inFP, "isTranslationOf", unFP2, inFP},
			}},
		{"the middle of the chain", unFP2,
			[]lineageStep{{1, unFP2, "isVersionOf", unFP1, unFP1}},
			[]lineageStep{{1, inFP, "isTranslationOf", unFP2, inFP}}},
		{"an adaptation across publishers", inSDC,
			[]lineageStep{{1, inSDC, "isBasedOn", scSDC, scSDC}}, nil},
		{"adapted by another office", scSDC, nil,
			[]lineageStep{{1, inSDC, "isBasedOn", scSDC, inSDC}}},
		{"no lineage", sc + "sampling-fundamentals", nil, nil},
		{"unknown ID", "https://example.org/none", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.up, steps(c.Lineage(tt.id)), "Lineage")
			assert.Equal(t, tt.down, steps(c.Derivatives(tt.id)), "Derivatives")
		})
	}
}

func TestLineageCyclesAndBranches(t *testing.T) {
	id := func(s string) string { return "https://example.org/ota/" + s }
	rel := func(typ asset.RelationType, target string) asset.Relation {
		return asset.Relation{Type: typ, Target: id(target)}
	}
	c := &catalogue.Catalogue{}
	for _, a := range []*asset.Asset{
		// a → b → c → a, each a different kind of lineage.
		{ID: id("a"), Kind: asset.KindCourse, Relations: []asset.Relation{rel(asset.IsBasedOn, "b")}},
		{ID: id("b"), Kind: asset.KindCourse, Relations: []asset.Relation{rel(asset.IsVersionOf, "c")}},
		{ID: id("c"), Kind: asset.KindCourse, Relations: []asset.Relation{rel(asset.IsTranslationOf, "a")}},
		// d mixes two sources, one outside the catalogue, and cites another
		// asset, which is not lineage.
		{ID: id("d"), Kind: asset.KindCourse, Relations: []asset.Relation{
			rel(asset.References, "a"), rel(asset.IsBasedOn, "external"), rel(asset.IsBasedOn, "a"),
		}},
	} {
		c.Add("X", a)
	}
	tests := []struct {
		name     string
		id       string
		up, down []lineageStep
	}{
		{"cycle up", id("a"), []lineageStep{
			{1, id("a"), "isBasedOn", id("b"), id("b")},
			{2, id("b"), "isVersionOf", id("c"), id("c")},
		}, []lineageStep{
			{1, id("c"), "isTranslationOf", id("a"), id("c")},
			{1, id("d"), "isBasedOn", id("a"), id("d")},
			{2, id("b"), "isVersionOf", id("c"), id("b")},
		}},
		{"branches, one leaving the catalogue", id("d"), []lineageStep{
			{1, id("d"), "isBasedOn", id("external"), ""},
			{1, id("d"), "isBasedOn", id("a"), id("a")},
			{2, id("a"), "isBasedOn", id("b"), id("b")},
			{3, id("b"), "isVersionOf", id("c"), id("c")},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.up, steps(c.Lineage(tt.id)), "Lineage")
			assert.Equal(t, tt.down, steps(c.Derivatives(tt.id)), "Derivatives")
		})
	}
}
