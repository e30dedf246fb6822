package main

import (
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/curriculum"
	"github.com/metaacademy/ota/framework"
)

// competencyFramework is the curriculum's own competency framework: three
// areas of data science for official statistics, each with competences, on
// a Basic / Intermediate / Advanced scale.
func competencyFramework() *framework.Framework {
	node := func(code, parent string, kind framework.NodeKind, name string) framework.Node {
		return framework.Node{Code: code, Parent: parent, Kind: kind, Name: asset.LangString{"en": name}}
	}
	return &framework.Framework{
		ID:        "https://example.org/frameworks/dsos",
		Key:       "dsos",
		Version:   "1.0",
		Title:     asset.LangString{"en": "Data science for official statistics"},
		Publisher: "Example Statistical Training Network",
		License:   "CC-BY-4.0",
		Language:  "en",
		Nodes: []framework.Node{
			node("P", "", framework.KindArea, "Programming and reproducibility"),
			node("P1", "P", framework.KindCompetence, "Version control"),
			node("P2", "P", framework.KindCompetence, "Programming in R or Python"),
			node("M", "", framework.KindArea, "Methods"),
			node("M1", "M", framework.KindCompetence, "Data validation and editing"),
			node("M2", "M", framework.KindCompetence, "Machine learning for classification"),
			node("M3", "M", framework.KindCompetence, "Time series and seasonal adjustment"),
			node("C", "", framework.KindArea, "Communication"),
			node("C1", "C", framework.KindCompetence, "Data visualisation"),
		},
		Scales: []framework.Scale{framework.BasicIntermediateAdvanced()},
	}
}

type published struct {
	publisher string
	asset     *asset.Asset
}

// courses returns a dozen courses from two publishers, aligned to GSBPM
// 5.2, DigComp 2.2 and the curriculum's framework.
func courses() []published {
	course := func(key, title string, hours int64, prereqs []string, als ...asset.Alignment) *asset.Asset {
		return &asset.Asset{
			ID:            "https://example.org/courses/" + key,
			Kind:          asset.KindCourse,
			Title:         asset.LangString{"en": title},
			License:       "CC-BY-4.0",
			Duration:      asset.Duration{Hours: hours},
			Alignments:    als,
			Prerequisites: prereqs,
		}
	}
	gsbpm := func(code string) asset.Alignment {
		return asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: code, Relation: asset.Teaches}
	}
	dig := func(code, level string) asset.Alignment {
		return asset.Alignment{Framework: "digcomp", Version: "2.2", Code: code, Relation: asset.Teaches, Level: level}
	}
	ds := func(code, level string) asset.Alignment {
		return asset.Alignment{Framework: "dsos", Version: "1.0", Code: code, Relation: asset.Teaches, Level: level}
	}
	id := func(key string) string { return "https://example.org/courses/" + key }
	return []published{
		{"Statistics Canada", course("git", "Git for official statistics", 4, nil, gsbpm("3.2"), dig("3.4", "4"), ds("P1", "basic"))},
		{"Statistics Canada", course("python", "Python for official statistics", 12, []string{id("git")}, gsbpm("3.2"), dig("3.4", "5"), ds("P2", "intermediate"))},
		{"Statistics Canada", course("r", "Programming with R for official statistics", 12, []string{id("git")}, gsbpm("3.2"), ds("P2", "intermediate"))},
		{"Statistics Canada", course("editing", "Data validation and editing in practice", 8, []string{id("python")}, gsbpm("5.3"), gsbpm("5.4"), ds("M1", "intermediate"))},
		{"Statistics Canada", course("ml-coding", "Machine learning for automatic coding", 10, []string{id("python")}, gsbpm("5.2"), ds("M2", "advanced"))},
		{"Statistics Canada", course("sdc", "Statistical disclosure control", 6, nil, gsbpm("6.4"), ds("C1", "basic"))},
		{"INSEE", course("seasonal", "Seasonal adjustment with JDemetra+", 8, []string{id("r")}, gsbpm("5.6"), gsbpm("6.2"), ds("M3", "advanced"))},
		{"INSEE", course("imputation", "Imputation methods", 6, []string{id("editing")}, gsbpm("5.4"), ds("M1", "advanced"))},
		{"INSEE", course("dataviz", "Data visualisation for statistical releases", 6, nil, gsbpm("7.2"), dig("3.1", "4"), ds("C1", "intermediate"))},
		{"INSEE", course("sampling", "Sample design for household surveys", 10, nil, gsbpm("2.4"), gsbpm("4.1"))},
		{"INSEE", course("metadata", "Statistical metadata with SDMX", 6, nil, gsbpm("OA-MM"), gsbpm("7.1"))},
		{"INSEE", course("quality", "Quality management in statistical production", 4, nil, gsbpm("OA-QM"), gsbpm("8.2"))},
	}
}

// pathways returns two learner pathways over the catalogue.
func pathways() []*curriculum.Pathway {
	step := func(key string, required bool) curriculum.Step {
		return curriculum.Step{AssetID: "https://example.org/courses/" + key, Required: required}
	}
	return []*curriculum.Pathway{
		{
			ID:      "https://example.org/pathways/methodologist",
			Title:   asset.LangString{"en": "Data-science methodologist"},
			Profile: "methodologists moving to reproducible, code-based production",
			// Listed out of order on purpose: the plan orders steps by their
			// prerequisites.
			Steps: []curriculum.Step{step("editing", true), step("python", true), step("git", true), step("ml-coding", true), step("imputation", false)},
		},
		{
			ID:      "https://example.org/pathways/analyst",
			Title:   asset.LangString{"en": "Dissemination analyst"},
			Profile: "analysts who prepare and publish releases",
			Steps:   []curriculum.Step{step("git", true), step("r", true), step("seasonal", true), step("dataviz", true), step("sdc", false)},
		},
	}
}
