package catalogue_test

import (
	"testing"

	"github.com/metaacademy/ota/catalogue"

	"github.com/stretchr/testify/assert"

	"github.com/metaacademy/ota/asset"
)

func TestQuery(t *testing.T) {
	c := loadNSOs(t)
	var (
		inSA    = in + "correction-variations-saisonnieres"
		inSA1   = in + "correction-variations-saisonnieres/decomposition"
		inSA2   = in + "correction-variations-saisonnieres/jdemetra"
		inSAE   = in + "estimation-petits-domaines"
		inR     = in + "introduction-r"
		inFP    = in + "principes-fondamentaux"
		inSDC   = in + "secret-statistique"
		scSDC   = sc + "disclosure-control"
		scEdit  = sc + "editing-imputation"
		scSamp  = sc + "sampling-fundamentals"
		scSA    = sc + "seasonal-adjustment-intro"
		scQuiz  = sc + "seasonal-adjustment-intro/quiz"
		unFP    = un + "fundamental-principles"
		unGSBPM = un + "gsbpm-overview"
		unML    = un + "machine-learning-coding"
		unEdit  = un + "statistical-data-editing"
	)
	tests := []struct {
		name string
		q    catalogue.Query
		want []string
	}{
		{"everything", catalogue.Query{}, nsoIDs},
		{"node, across versions 5.1 and 5.2", catalogue.Query{Framework: "gsbpm", Code: "6.1"}, []string{inSA, scSA, scQuiz}},
		{"node and relation", catalogue.Query{Framework: "gsbpm", Code: "6.1", Relation: asset.Assesses}, []string{scQuiz}},
		{"node and version", catalogue.Query{Framework: "gsbpm", Code: "6.1", Version: "5.2"}, []string{inSA}},
		{"node, relation and version on one alignment", catalogue.Query{Framework: "gsbpm", Code: "6.1", Relation: asset.Teaches, Version: "5.1"}, []string{scSA}},
		{"objective alignments count", catalogue.Query{Framework: "digcomp", Code: "3.4"}, []string{inR}},
		{"code in any framework", catalogue.Query{Code: "3.1"}, []string{inR}},
		{"framework only", catalogue.Query{Framework: "digcomp"}, []string{inR}},
		{"phase-level node", catalogue.Query{Framework: "gsbpm", Code: "6"}, []string{unGSBPM}},
		{"relation only", catalogue.Query{Relation: asset.Requires}, []string{scEdit}},
		{"framework and relation", catalogue.Query{Framework: "gsbpm", Relation: asset.Requires}, []string{scEdit}},
		{"code and relation on the same alignment", catalogue.Query{Code: "2.4", Relation: asset.Teaches}, []string{scSamp}},
		{"unknown node", catalogue.Query{Framework: "gsbpm", Code: "9.9"}, nil},
		{"language, parts inheriting it", catalogue.Query{Language: "fr"},
			[]string{inSA, inSA1, inSA2, inSAE, inR, inFP, inSDC, scEdit, scSamp}},
		{"language ignores case", catalogue.Query{Language: "FR", Kind: asset.KindLesson}, []string{inSA1, inSA2}},
		{"regional tag finds no plain tag", catalogue.Query{Language: "fr-CA"}, nil},
		{"language, kind and level", catalogue.Query{Language: "fr", Kind: asset.KindCourse, Level: asset.LevelBasic},
			[]string{inSA, inR, inFP, scSamp}},
		{"kind", catalogue.Query{Kind: asset.KindAssessment}, []string{scQuiz}},
		{"level", catalogue.Query{Level: asset.LevelAdvanced}, []string{inSAE, unML}},
		{"keyword, folded", catalogue.Query{Keyword: "  Seasonal   ADJUSTMENT "}, []string{inSA, scSA}},
		{"keyword with accents", catalogue.Query{Keyword: "désaisonnalisation"}, []string{inSA, scSA}},
		{"keyword without accents", catalogue.Query{Keyword: "DESAISONNALISATION"}, []string{inSA, scSA}},
		{"keyword in a language", catalogue.Query{Keyword: "seasonal adjustment", KeywordLanguage: "en"}, []string{inSA, scSA}},
		{"keyword not in that language", catalogue.Query{Keyword: "seasonal adjustment", KeywordLanguage: "fr"}, nil},
		{"publisher, ignoring case", catalogue.Query{Publisher: "insee"}, []string{inSA, inSA1, inSA2, inSAE, inR, inFP, inSDC}},
		{"publisher from the folder, roots only", catalogue.Query{Publisher: "UNECE", RootsOnly: true},
			[]string{unFP, un + "fundamental-principles/2", unGSBPM, unML, unEdit}},
		{"text: every word", catalogue.Query{Text: "seasonal adjustment"}, []string{inSA, scSA, scQuiz}},
		{"text: parts' titles too", catalogue.Query{Text: "jdemetra+"}, []string{inSA, inSA2}},
		{"text: plural folding", catalogue.Query{Text: "Principles"}, []string{unFP, un + "fundamental-principles/2"}},
		{"text: French", catalogue.Query{Text: "statistique officielle"}, []string{inFP}},
		{"text: folded", catalogue.Query{Text: "DONNÉES d'ENQUETE"}, []string{scEdit}},
		{"text: stop words only constrain nothing", catalogue.Query{Text: "the of", Kind: asset.KindAssessment}, []string{scQuiz}},
		{"text and publisher", catalogue.Query{Text: "imputation", Publisher: "unece"}, []string{unEdit}},
		{"five criteria", catalogue.Query{Framework: "gsbpm", Code: "5.3", Language: "en", Kind: asset.KindCourse, Level: asset.LevelIntermediate, Publisher: "Statistics Canada"},
			[]string{scEdit}},
		{"criteria that exclude each other", catalogue.Query{Publisher: "INSEE", Code: "6.4", Level: asset.LevelBasic}, nil},
		{"adaptation found by its node", catalogue.Query{Framework: "gsbpm", Code: "6.4"}, []string{inSDC, scSDC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Query(tt.q)
			if tt.want == nil {
				assert.Nil(t, got)
				return
			}
			assert.Equal(t, tt.want, entryIDs(got))
		})
	}
}

func TestQueryAfterAdd(t *testing.T) {
	c := loadNSOs(t)
	q := catalogue.Query{Framework: "gsbpm", Code: "6.1"}
	assert.Len(t, c.Query(q), 3)
	c.Add("ABS", &asset.Asset{ID: "https://www.abs.gov.au/ota/sa", Kind: asset.KindCourse, Title: asset.LangString{"en": "Seasonal adjustment"},
		Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "6.1"}}})
	got := c.Query(q)
	assert.Len(t, got, 4, "the index catches up with entries added after a query")
	assert.Equal(t, "ABS", got[3].Publisher)
}
