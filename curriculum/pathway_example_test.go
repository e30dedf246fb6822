package curriculum_test

import (
	"fmt"

	"github.com/metaacademy/ota/catalogue"
	"github.com/metaacademy/ota/curriculum"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// A pathway for new survey methodologists, resolved against a catalogue.
// Editing declares that it needs sampling, so Order puts sampling first
// although the pathway lists it second; the optional step keeps its place.
func ExamplePlan_Order() {
	id := func(s string) string { return "https://example.org/ota/" + s }
	gsbpm := func(code, level string) asset.Alignment {
		return asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: code, Relation: asset.Teaches, Level: level}
	}
	cat := &catalogue.Catalogue{}
	for _, a := range []*asset.Asset{
		{ID: id("editing"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Editing and imputation"},
			Duration: asset.Duration{Hours: 7}, Prerequisites: []string{id("sampling")},
			Alignments: []asset.Alignment{gsbpm("5.3", "intermediate"), gsbpm("5.4", "basic")}},
		{ID: id("sampling"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Sampling fundamentals"},
			Duration: asset.Duration{Hours: 6}, Alignments: []asset.Alignment{gsbpm("2.4", "basic")}},
		{ID: id("sdc"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Disclosure control"},
			Alignments: []asset.Alignment{gsbpm("6.4", "")},
			Parts: []asset.Asset{
				{ID: id("sdc/tables"), Kind: asset.KindLesson, Title: asset.LangString{"en": "Tables"}, Duration: asset.Duration{Minutes: 90}},
				{ID: id("sdc/microdata"), Kind: asset.KindLesson, Title: asset.LangString{"en": "Microdata"}, Duration: asset.Duration{Minutes: 150},
					Alignments: []asset.Alignment{gsbpm("6.4", "advanced")}},
			}},
	} {
		cat.Add("Statistics Canada", a)
	}
	p := &curriculum.Pathway{
		ID:    id("pathways/methodologist"),
		Title: asset.LangString{"en": "Survey methodologist"},
		Steps: []curriculum.Step{
			{AssetID: id("editing"), Required: true},
			{AssetID: id("sampling"), Required: true},
			{AssetID: id("sdc"), Note: asset.LangString{"en": "For those who publish tables."}},
		},
	}
	plan := p.Resolve(cat.Lookup)
	order, err := plan.Order()
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range order {
		kind := "required"
		if !s.Required {
			kind = "optional"
		}
		fmt.Printf("%d. %s (%s, %s)\n", i+1, s.Asset.Title, kind, s.Duration)
	}
	fmt.Println("total:", plan.Duration(), "required:", plan.RequiredDuration())
	for _, n := range plan.Covers() {
		fmt.Printf("covers %s %s at level %q\n", n.Framework, n.Code, n.Level)
	}

	// Requiring editing before sampling closes a cycle; the error names it.
	p.Prerequisites = []curriculum.Prerequisite{{Asset: id("sampling"), Requires: id("editing")}}
	_, err = p.Resolve(cat.Lookup).Order()
	for _, is := range ota.IssuesOf(err) {
		fmt.Println(is.Code+":", is.Message)
	}
	// Output:
	// 1. Sampling fundamentals (required, PT6H)
	// 2. Editing and imputation (required, PT7H)
	// 3. Disclosure control (optional, PT4H)
	// total: PT17H required: PT13H
	// covers gsbpm 2.4 at level "basic"
	// covers gsbpm 5.3 at level "intermediate"
	// covers gsbpm 5.4 at level "basic"
	// covers gsbpm 6.4 at level "advanced"
	// framework.pathway.cycle: prerequisites form a cycle: https://example.org/ota/editing → https://example.org/ota/sampling → https://example.org/ota/editing; remove one of these prerequisites, from the assets or from the pathway
}
