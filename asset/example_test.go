package asset_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// A course built in code: a module of two lessons on GSBPM 5.1, with an
// objective aligned to sub-process 5.3 and a prerequisite between the
// lessons. Importers derive IDs from the source's identity so that the same
// input always gives the same IDs.
func Example_course() {
	id := func(key string) string { return asset.DeriveID("example", "gsbpm-course", key) }
	course := asset.Asset{
		ID:       id("course"),
		Version:  "1.0.0",
		Kind:     asset.KindCourse,
		Title:    asset.LangString{"en": "Validating statistical data", "fr": "Valider les données statistiques"},
		License:  "CC-BY-4.0",
		Level:    asset.LevelIntermediate,
		Duration: asset.Duration{Hours: 3},
		Contributors: []asset.Contributor{
			{Name: "UNECE", Type: asset.Organization, Roles: []asset.Role{asset.RolePublisher}, ID: "https://unece.org"},
		},
		Objectives: []asset.Objective{{
			ID:   "obj-1",
			Text: asset.LangString{"en": "Write validation rules for a survey dataset."},
			Alignments: []asset.Alignment{
				{Framework: "gsbpm", Version: "5.1", Code: "5.3", Relation: asset.Teaches},
			},
		}},
		Parts: []asset.Asset{
			{ID: id("rules"), Kind: asset.KindLesson, Title: asset.LangString{"en": "Validation rules"}, Duration: asset.Duration{Minutes: 90}},
			{ID: id("vtl"), Kind: asset.KindLesson, Title: asset.LangString{"en": "Rules in VTL"}, Duration: asset.Duration{Minutes: 90},
				Prerequisites: []string{id("rules")}},
		},
	}
	fmt.Println("valid:", asset.Validate(&course, asset.CheckOptions{}) == nil)
	fmt.Println("assets:", course.Count(), "total:", course.TotalDuration())

	// Break two rules: a prerequisite that names nothing, and a level that
	// does not exist. Validate returns every issue at once.
	course.Parts[1].Prerequisites = append(course.Parts[1].Prerequisites, "validation-basics")
	course.Level = "beginner"
	err := asset.Validate(&course, asset.CheckOptions{})
	for _, is := range ota.IssuesOf(err) {
		fmt.Println(is.Severity, is.Code, "at", is.Pointer)
	}
	// Output:
	// valid: true
	// assets: 3 total: PT3H
	// error asset.level.unknown at /level
	// error asset.prerequisite.unresolved at /parts/1/prerequisites/1
}

// Validate returns a *ota.ValidationError when a tree breaks a rule; a
// policy can make a warning an error, or drop a family of issues.
func ExampleValidate() {
	lesson := asset.Asset{
		ID:    "https://example.org/ota/sdmx-intro",
		Kind:  asset.KindLesson,
		Title: asset.LangString{"en": "Introduction to SDMX"},
	}
	fmt.Println(asset.Validate(&lesson, asset.CheckOptions{}))

	strict := asset.CheckOptions{Policy: ota.Policy{"asset.license.missing": ota.Error}}
	fmt.Println(asset.Validate(&lesson, strict))
	// Output:
	// <nil>
	// ota: invalid: error asset.license.missing at /license: the root asset has no "license"; say how others may reuse it with an SPDX expression such as "CC-BY-4.0"
}

func ExampleRead() {
	const doc = `{
  "ota": "1.0",
  "id": "https://example.org/ota/gsbpm-intro",
  "kind": "module",
  "title": {"en": "Introduction to GSBPM"},
  "license": "CC-BY-4.0",
  "level": "beginner",
  "duration": "2 hours",
  "colour": "blue"
}`
	d, rep, err := asset.Read(strings.NewReader(doc), asset.ReadOptions{Validate: true})
	if err != nil {
		fmt.Println(err) // not an OTA document at all
		return
	}
	fmt.Println(d.Asset.Title["en"])
	for _, is := range rep.Issues {
		fmt.Printf("line %d: %s %s at %s\n", is.Line, is.Severity, is.Code, is.Pointer)
	}
	fmt.Println("valid:", !rep.HasErrors())
	// Output:
	// Introduction to GSBPM
	// line 8: error asset.duration.invalid at /duration
	// line 9: warning asset.json.unknown-member at /colour
	// line 7: error asset.level.unknown at /level
	// valid: false
}

func ExampleWrite() {
	doc := asset.NewDocument(asset.Asset{
		ID:        "https://example.org/ota/sdmx-quiz",
		Kind:      asset.KindAssessment,
		Title:     asset.LangString{"fr": "Quiz : SDMX", "en": "Quiz: SDMX"},
		License:   "CC-BY-4.0",
		Duration:  asset.Duration{Minutes: 20},
		Languages: []string{"en", "fr"},
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Version: "5.1", Code: "7.2", Relation: asset.Assesses},
		},
	})
	if err := asset.Write(os.Stdout, doc); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "ota": "1.0",
	//   "id": "https://example.org/ota/sdmx-quiz",
	//   "kind": "assessment",
	//   "title": {
	//     "en": "Quiz: SDMX",
	//     "fr": "Quiz : SDMX"
	//   },
	//   "languages": [
	//     "en",
	//     "fr"
	//   ],
	//   "license": "CC-BY-4.0",
	//   "duration": "PT20M",
	//   "alignments": [
	//     {
	//       "framework": "gsbpm",
	//       "version": "5.1",
	//       "code": "7.2",
	//       "relation": "assesses"
	//     }
	//   ]
	// }
}

func ExampleAsset_Walk() {
	course := asset.Asset{Kind: asset.KindCourse, Title: asset.LangString{"en": "Git for Official Statistics"}, Parts: []asset.Asset{
		{Kind: asset.KindModule, Title: asset.LangString{"en": "Version control basics"}, Parts: []asset.Asset{
			{Kind: asset.KindLesson, Title: asset.LangString{"en": "Your first repository"}},
			{Kind: asset.KindAssessment, Title: asset.LangString{"en": "Quiz"}},
		}},
		{Kind: asset.KindModule, Title: asset.LangString{"en": "Collaborating"}, Parts: []asset.Asset{
			{Kind: asset.KindLesson, Title: asset.LangString{"en": "Merge requests"}},
		}},
	}}
	_ = course.Walk(func(a *asset.Asset, ptr string, parent *asset.Asset) error {
		depth := strings.Count(ptr, "/parts/")
		fmt.Printf("%s%s: %s\n", strings.Repeat("  ", depth), a.Kind, a.Title)
		if a.Kind == asset.KindModule && a.Title["en"] == "Collaborating" {
			return asset.SkipParts // do not list this module's lessons
		}
		return nil
	})
	// Output:
	// course: Git for Official Statistics
	//   module: Version control basics
	//     lesson: Your first repository
	//     assessment: Quiz
	//   module: Collaborating
}

func ExampleAsset_TotalDuration() {
	module := asset.Asset{
		Kind:     asset.KindModule,
		Duration: asset.Duration{Hours: 4}, // the module's own estimate
		Parts: []asset.Asset{
			{Kind: asset.KindLesson, Duration: asset.Duration{Minutes: 45}},
			{Kind: asset.KindLesson, Duration: asset.Duration{Minutes: 50}},
			{Kind: asset.KindLesson, Parts: []asset.Asset{ // no duration of its own
				{Kind: asset.KindActivity, Duration: asset.Duration{Minutes: 30}},
			}},
		},
	}
	// The parts' durations win over the parent's estimate.
	fmt.Println(module.TotalDuration())

	// Where parts say nothing, the parent's own duration is used.
	workshop := asset.Asset{Kind: asset.KindCourse, Duration: asset.Duration{Days: 2},
		Parts: []asset.Asset{{Kind: asset.KindModule}, {Kind: asset.KindModule}}}
	fmt.Println(workshop.TotalDuration())
	// Output:
	// PT2H5M
	// P2D
}

func ExampleDeriveID() {
	// The ID of item "ITEM-3" of the SCORM package whose manifest
	// identifier is "com.example.sdmx": the same on every import.
	first := asset.DeriveID("scorm", "com.example.sdmx", "ITEM-3")
	again := asset.DeriveID("scorm", "com.example.sdmx", "ITEM-3")
	fmt.Println(first)
	fmt.Println(first == again)
	// Parts are length-prefixed, so moving a character between them
	// changes the ID.
	fmt.Println(asset.DeriveID("ab", "c") == asset.DeriveID("a", "bc"))
	// Output:
	// urn:uuid:139098d4-a974-5dc3-91fb-45efa9c26368
	// true
	// false
}
