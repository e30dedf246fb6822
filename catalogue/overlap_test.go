package catalogue_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/metaacademy/ota/catalogue"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// pair names an overlap by its two IDs, in the order A, B.
type pair [2]string

func pairs(ovs []catalogue.Overlap) []pair {
	var out []pair
	for _, o := range ovs {
		out = append(out, pair{o.A.Asset.ID, o.B.Asset.ID})
	}
	return out
}

// The duplicates planted in the test catalogue: two introductions to
// seasonal adjustment (INSEE, Statistics Canada) and two courses on data
// editing (Statistics Canada, UNECE), each built independently.
var planted = []pair{
	{in + "correction-variations-saisonnieres", sc + "seasonal-adjustment-intro"},
	{sc + "editing-imputation", un + "statistical-data-editing"},
}

// distinct are courses of the test catalogue that each cover their own
// ground, though some share words ("introduction", "official statistics")
// or GSBPM phases with others.
var distinct = []string{
	sc + "sampling-fundamentals",
	sc + "disclosure-control",
	in + "estimation-petits-domaines",
	in + "introduction-r",
	un + "fundamental-principles",
	un + "gsbpm-overview",
	un + "machine-learning-coding",
}

func TestOverlapsFindsPlantedDuplicates(t *testing.T) {
	got := loadNSOs(t).Overlaps(catalogue.OverlapOptions{})
	assert.Equal(t, planted, pairs(got), "exactly the planted pairs, the best first")

	sa := got[0]
	assert.Equal(t, "INSEE", sa.A.Publisher)
	assert.Equal(t, "Statistics Canada", sa.B.Publisher)
	assert.InDelta(t, 0.75, sa.Score, 0.01)
	assert.True(t, sa.Alignments.Compared)
	assert.InDelta(t, 1, sa.Alignments.Similarity, 1e-9, "the same nodes, whatever the GSBPM version")
	assert.Equal(t, []catalogue.SharedAlignment{
		{Framework: "gsbpm", Code: "6.1", VersionA: "5.2", VersionB: "5.1", RelationA: asset.Teaches, RelationB: asset.Teaches, Weight: 0.75},
		{Framework: "gsbpm", Code: "6.2", VersionA: "5.2", VersionB: "5.1", RelationA: asset.Teaches, RelationB: asset.Teaches, Weight: 0.75},
	}, sa.Alignments.Shared)
	assert.Equal(t, catalogue.TextEvidence{Compared: true, Similarity: 0.75, Language: "en",
		Shared: []string{"adjustment", "introduction", "seasonal"}}, sa.Title)
	assert.Equal(t, []string{"desaisonnalisation", "seasonal adjustment", "time series"}, sa.Keywords.Shared)
	assert.True(t, sa.Objectives.Compared)
	assert.Equal(t, "en", sa.Objectives.Language)
	assert.Contains(t, sa.Objectives.Shared, "decompose")
	assert.False(t, sa.Lineage)
	assert.Equal(t, "insee/correction-variations-saisonnieres.ota.json (INSEE) ~ statcan/seasonal-adjustment-intro.ota.json (Statistics Canada): 0.75; "+
		"alignments 1.00 [gsbpm 6.1, gsbpm 6.2]; title 0.75 [adjustment, introduction, seasonal]; "+
		"keywords 0.33 [desaisonnalisation, seasonal adjustment, time series]; "+
		"objectives 0.50 [adjustment, component, cycle, decompose, irregular, monthly, quality, seasonal, seasonally, serie, time, trend]", sa.String())

	edit := got[1]
	assert.Equal(t, []string{"data", "editing", "imputation"}, edit.Title.Shared)
	assert.Equal(t, []string{"imputation", "outlier detection", "selective editing"}, edit.Keywords.Shared)
	assert.Len(t, edit.Alignments.Shared, 2)
}

func TestOverlapsReportsNoDistinctPair(t *testing.T) {
	isDistinct := map[string]bool{}
	for _, id := range distinct {
		isDistinct[id] = true
	}
	c := loadNSOs(t)
	for _, threshold := range []float64{0.5, 0.4, 0.3} {
		t.Run(fmt.Sprint("threshold ", threshold), func(t *testing.T) {
			for _, o := range c.Overlaps(catalogue.OverlapOptions{Threshold: threshold}) {
				assert.False(t, isDistinct[o.A.Asset.ID] && isDistinct[o.B.Asset.ID], "distinct courses paired: %s", o)
			}
		})
	}
	t.Run("the pairs compared but rejected", func(t *testing.T) {
		// With every rule relaxed, the distinct courses that share words
		// score low: their evidence is there, and it is weak.
		for _, o := range c.Overlaps(catalogue.OverlapOptions{Threshold: 0.01, MinText: -1}) {
			if isDistinct[o.A.Asset.ID] && isDistinct[o.B.Asset.ID] {
				assert.Less(t, o.Score, 0.3, "%s", o)
			}
		}
	})
}

func TestOverlapsLineage(t *testing.T) {
	c := loadNSOs(t)
	adaptation := pair{in + "secret-statistique", sc + "disclosure-control"}
	assert.NotContains(t, pairs(c.Overlaps(catalogue.OverlapOptions{})), adaptation, "reuse is not duplicated effort")

	got := c.Overlaps(catalogue.OverlapOptions{IncludeLineage: true})
	require.Contains(t, pairs(got), adaptation)
	for _, o := range got {
		want := pair{o.A.Asset.ID, o.B.Asset.ID} == adaptation
		assert.Equal(t, want, o.Lineage, "%s", o)
	}
}

func TestOverlapsOptions(t *testing.T) {
	c := loadNSOs(t)
	tests := []struct {
		name string
		opts catalogue.OverlapOptions
		want []pair
	}{
		{"defaults", catalogue.OverlapOptions{}, planted},
		{"a high threshold", catalogue.OverlapOptions{Threshold: 0.7}, planted[:1]},
		{"courses only", catalogue.OverlapOptions{Kinds: []asset.Kind{asset.KindCourse}}, planted},
		{"assessments only", catalogue.OverlapOptions{Kinds: []asset.Kind{asset.KindAssessment}}, nil},
		{"titles only, strict", catalogue.OverlapOptions{Weights: catalogue.OverlapWeights{Title: 1}, Threshold: 0.7}, planted[:1]},
		{"alignments alone are not enough", catalogue.OverlapOptions{Weights: catalogue.OverlapWeights{Alignments: 1}, Threshold: 0.9, MinText: 0.8}, nil},
		{"requires counts as teaches", catalogue.OverlapOptions{Relations: map[asset.AlignmentRelation]float64{asset.Teaches: 1, asset.Assesses: 1, asset.Requires: 1}}, planted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, pairs(c.Overlaps(tt.opts)))
		})
	}
}

func TestOverlapsDeterministic(t *testing.T) {
	c := loadNSOs(t)
	opts := catalogue.OverlapOptions{Threshold: 0.1, MinText: -1, IncludeLineage: true}
	first := c.Overlaps(opts)
	require.NotEmpty(t, first)
	for range 5 {
		assert.Equal(t, first, loadNSOs(t).Overlaps(opts))
	}
	for k := 1; k < len(first); k++ {
		assert.GreaterOrEqual(t, first[k-1].Score, first[k].Score)
		assert.Less(t, indexOf(first[k].A.Asset.ID), indexOf(first[k].B.Asset.ID), "A comes first in catalogue order")
		assert.NotEqual(t, first[k].A.Publisher, first[k].B.Publisher)
	}
}

func indexOf(id string) int {
	for i, x := range nsoIDs {
		if x == id {
			return i
		}
	}
	return -1
}

// blockingCatalogue has two courses, from two publishers, whose words and
// node are all common: "census" and "data" are in every title, GSBPM 4.3
// in most alignments, and the other courses differ in their other words.
func blockingCatalogue() *catalogue.Catalogue {
	c := &catalogue.Catalogue{}
	add := func(pub, id, title string, code string) {
		c.Add(pub, &asset.Asset{ID: "https://example.org/" + id, Kind: asset.KindCourse, Title: asset.LangString{"en": title},
			Alignments: []asset.Alignment{{Framework: "gsbpm", Code: code}}})
	}
	add("A", "twin-a", "Census data", "4.3")
	add("B", "twin-b", "Census data", "4.3")
	for i := range 6 {
		add("C", "other-census-"+strconv.Itoa(i), "Census data about topic"+strconv.Itoa(i), "1."+strconv.Itoa(i))
		add("C", "other-node-"+strconv.Itoa(i), "Subject"+strconv.Itoa(i)+" data", "4.3")
	}
	return c
}

func TestOverlapsBlocking(t *testing.T) {
	twins := []pair{{"https://example.org/twin-a", "https://example.org/twin-b"}}
	tests := []struct {
		name string
		c    func() *catalogue.Catalogue
		max  int
		want []pair
	}{
		{"tokens rare enough to block on", blockingCatalogue, 100, twins},
		{"common tokens and node: found by their combination", blockingCatalogue, 7, twins},
		{"nothing rare left: not compared", blockingCatalogue, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c().Overlaps(catalogue.OverlapOptions{MaxBlock: tt.max})
			assert.Equal(t, tt.want, pairs(got))
		})
	}
}

func TestOverlapsSameTreeOrPublisher(t *testing.T) {
	course := func(id, title string) asset.Asset {
		return asset.Asset{ID: "https://example.org/" + id, Kind: asset.KindCourse, Title: asset.LangString{"en": title}}
	}
	root := course("programme", "Price statistics")
	root.Contributors = []asset.Contributor{{Name: "Eurostat", Roles: []asset.Role{asset.RolePublisher}}}
	part := course("programme/cpi", "Consumer price index")
	part.Contributors = []asset.Contributor{{Name: "Istat", Roles: []asset.Role{asset.RolePublisher}}}
	root.Parts = []asset.Asset{part}
	c := &catalogue.Catalogue{}
	c.Add("", &root)
	own := course("istat-cpi", "Consumer price index")
	c.Add("Istat", &own)
	assert.Empty(t, c.Overlaps(catalogue.OverlapOptions{}), "the same tree, or the same publisher")

	other := course("destatis-cpi", "Consumer price index")
	c.Add("Destatis", &other)
	assert.Equal(t, []pair{
		{"https://example.org/programme/cpi", "https://example.org/destatis-cpi"},
		{"https://example.org/istat-cpi", "https://example.org/destatis-cpi"},
	}, pairs(c.Overlaps(catalogue.OverlapOptions{})))
}

func TestOverlapsFrameworkDepth(t *testing.T) {
	// Two courses share a phase and differ in a sub-process. Declared as a
	// framework, the phase is shallow and weighs less than the
	// sub-processes; read from codes, "A" and "B1" look equally deep.
	fw := &framework.Framework{ID: "https://example.org/fw", Key: "proc", Nodes: []framework.Node{
		{Code: "A", Kind: framework.KindPhase}, {Code: "B1", Kind: framework.KindSubprocess, Parent: "A"},
		{Code: "B2", Kind: framework.KindSubprocess, Parent: "A"},
	}}
	mk := func(id, pub, sub string) *asset.Asset {
		return &asset.Asset{ID: "https://example.org/" + id, Kind: asset.KindCourse, Title: asset.LangString{"en": "Process quality"},
			Alignments: []asset.Alignment{{Framework: "proc", Code: "A"}, {Framework: "proc", Code: sub}}}
	}
	c := &catalogue.Catalogue{}
	c.Add("X", mk("x", "X", "B1"))
	c.Add("Y", mk("y", "Y", "B2"))
	flat := c.Overlaps(catalogue.OverlapOptions{})
	deep := c.Overlaps(catalogue.OverlapOptions{Frameworks: []*framework.Framework{fw}})
	require.Len(t, flat, 1)
	require.Len(t, deep, 1)
	assert.InDelta(t, 1.0/3, flat[0].Alignments.Similarity, 1e-9, "0.5 / (0.5+0.5+0.5)")
	assert.InDelta(t, 0.5/2, deep[0].Alignments.Similarity, 1e-9, "0.5 / (0.5+0.75+0.75)")
}

func TestOverlapsSyntheticPlanted(t *testing.T) {
	s := generate(3000, 7)
	c := s.catalogue()
	got := c.Overlaps(catalogue.OverlapOptions{Workers: 3})
	assert.Equal(t, got, c.Overlaps(catalogue.OverlapOptions{Workers: 1}), "the result does not depend on the workers")
	found := map[pair]bool{}
	for _, o := range got {
		found[pair{o.A.Asset.ID, o.B.Asset.ID}] = true
	}
	require.NotEmpty(t, s.planted)
	for _, p := range s.planted {
		assert.True(t, found[pair(p)], "planted pair %v", p)
	}
}

func TestOverlapsTitleLanguages(t *testing.T) {
	course := func(id string, title asset.LangString) *asset.Asset {
		return &asset.Asset{ID: "https://example.org/" + id, Kind: asset.KindCourse, Title: title}
	}
	tests := []struct {
		name string
		a, b asset.LangString
		want bool
	}{
		{"the same French title", asset.LangString{"fr": "Recensement de la population"}, asset.LangString{"fr-CA": "Le recensement de la population"}, true},
		{"a language of stop words only is left out", asset.LangString{"en": "The", "fr": "Recensement de la population"},
			asset.LangString{"fr": "Recensement de la population"}, true},
		{"no shared language: all tokens compared", asset.LangString{"fr": "Introduction à SDMX"}, asset.LangString{"en": "SDMX: an introduction"}, true},
		{"no shared language, no shared token", asset.LangString{"fr": "Recensement de la population"}, asset.LangString{"es": "Censo de población"}, false},
		{"different subjects", asset.LangString{"en": "Population census"}, asset.LangString{"en": "Price index"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &catalogue.Catalogue{}
			c.Add("A", course("a", tt.a))
			c.Add("B", course("b", tt.b))
			assert.Equal(t, tt.want, len(c.Overlaps(catalogue.OverlapOptions{})) == 1)
		})
	}
}
