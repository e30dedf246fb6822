package catalogue_test

import (
	"fmt"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
)

// exampleCatalogue holds four courses from three offices. Catalogues are
// usually read from a folder with catalogue.LoadFS; Add takes trees built in
// code.
func exampleCatalogue() *catalogue.Catalogue {
	gsbpm := func(code string) asset.Alignment {
		return asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: code, Relation: asset.Teaches}
	}
	c := &catalogue.Catalogue{}
	c.Add("Statistics Canada", &asset.Asset{
		ID: "https://example.org/statcan/sa", Kind: asset.KindCourse, Level: asset.LevelBasic,
		Title:      asset.LangString{"en": "Introduction to seasonal adjustment", "fr": "Introduction à la désaisonnalisation"},
		Languages:  []string{"en", "fr"},
		Keywords:   asset.LangList{"en": {"seasonal adjustment", "time series"}, "fr": {"désaisonnalisation"}},
		Alignments: []asset.Alignment{gsbpm("6.1")},
		Parts: []asset.Asset{{ID: "https://example.org/statcan/sa/x13", Kind: asset.KindLesson,
			Title: asset.LangString{"en": "X-13ARIMA-SEATS in practice"}}},
	})
	c.Add("INSEE", &asset.Asset{
		ID: "https://example.org/insee/cvs", Kind: asset.KindCourse, Level: asset.LevelBasic,
		Title:      asset.LangString{"fr": "Correction des variations saisonnières", "en": "Seasonal adjustment: an introduction"},
		Languages:  []string{"fr"},
		Keywords:   asset.LangList{"fr": {"Désaisonnalisation", "JDemetra+"}, "en": {"seasonal adjustment"}},
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "6.1"}},
	})
	c.Add("INSEE", &asset.Asset{
		ID: "https://example.org/insee/r", Kind: asset.KindCourse, Level: asset.LevelBasic,
		Title:      asset.LangString{"fr": "Introduction à R pour la statistique publique"},
		Languages:  []string{"fr"},
		Alignments: []asset.Alignment{{Framework: "digcomp", Version: "2.2", Code: "3.4", Level: "3"}},
	})
	c.Add("UNECE", &asset.Asset{
		ID: "https://example.org/unece/editing", Kind: asset.KindCourse, Level: asset.LevelIntermediate,
		Title:      asset.LangString{"en": "Introduction to statistical data editing"},
		Languages:  []string{"en"},
		Alignments: []asset.Alignment{gsbpm("5.3"), gsbpm("5.4")},
	})
	return c
}

func ExampleCatalogue_Query() {
	c := exampleCatalogue()
	for _, q := range []struct {
		about string
		q     catalogue.Query
	}{
		{"aligned to GSBPM 6.1, any version", catalogue.Query{Framework: "gsbpm", Code: "6.1"}},
		{"basic, taught in French", catalogue.Query{Language: "fr", Level: asset.LevelBasic}},
		{"keyword, accents and case folded", catalogue.Query{Keyword: "desaisonnalisation"}},
		{"words in the text, parts included", catalogue.Query{Text: "x-13arima-seats"}},
		{"published by UNECE, teaching GSBPM", catalogue.Query{Publisher: "unece", Framework: "gsbpm", Relation: asset.Teaches}},
	} {
		fmt.Println(q.about + ":")
		for _, e := range c.Query(q.q) {
			fmt.Printf("  %s: %s\n", e.Publisher, e.Asset.Title)
		}
	}
	// Output:
	// aligned to GSBPM 6.1, any version:
	//   Statistics Canada: Introduction to seasonal adjustment
	//   INSEE: Seasonal adjustment: an introduction
	// basic, taught in French:
	//   Statistics Canada: Introduction to seasonal adjustment
	//   INSEE: Seasonal adjustment: an introduction
	//   INSEE: Introduction à R pour la statistique publique
	// keyword, accents and case folded:
	//   Statistics Canada: Introduction to seasonal adjustment
	//   INSEE: Seasonal adjustment: an introduction
	// words in the text, parts included:
	//   Statistics Canada: X-13ARIMA-SEATS in practice
	// published by UNECE, teaching GSBPM:
	//   UNECE: Introduction to statistical data editing
}

// Two offices built an introduction to seasonal adjustment. Their titles,
// keywords and alignments agree, across languages and GSBPM versions; the
// other courses share a word or two ("introduction") but not their subject,
// and are not reported.
func ExampleCatalogue_Overlaps() {
	c := exampleCatalogue()
	for _, o := range c.Overlaps(catalogue.OverlapOptions{}) {
		fmt.Printf("%s (%s) ~ %s (%s): %.2f\n", o.A.Asset.ID, o.A.Publisher, o.B.Asset.ID, o.B.Publisher, o.Score)
		for _, s := range o.Alignments.Shared {
			fmt.Printf("  both teach %s %s (versions %s and %s)\n", s.Framework, s.Code, s.VersionA, s.VersionB)
		}
		fmt.Printf("  title %.2f in %q: %v\n", o.Title.Similarity, o.Title.Language, o.Title.Shared)
		fmt.Printf("  keywords %.2f: %v\n", o.Keywords.Similarity, o.Keywords.Shared)
	}
	// Output:
	// https://example.org/statcan/sa (Statistics Canada) ~ https://example.org/insee/cvs (INSEE): 0.91
	//   both teach gsbpm 6.1 (versions 5.2 and 5.1)
	//   title 1.00 in "en": [adjustment introduction seasonal]
	//   keywords 0.50: [desaisonnalisation seasonal adjustment]
}
