package scorm

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// referenceDir finds shared/reference/packages by walking up from the
// working directory, or skips the test.
func referenceDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "reference", "packages")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/reference/packages not found above the working directory; the reference-package tests need ../shared beside the clone")
		}
		dir = parent
	}
}

// countItems counts the items of every organization.
func countItems(p *Package) (items, leaves int) {
	for _, o := range p.Organizations {
		o.Walk(func(it *Item) {
			items++
			if len(it.Items) == 0 {
				leaves++
			}
		})
	}
	return
}

func launches(p *Package) map[string]string {
	out := map[string]string{}
	for _, o := range p.Organizations {
		o.Walk(func(it *Item) {
			if it.LaunchURL != "" {
				out[it.Identifier] = it.LaunchURL
			}
		})
	}
	return out
}

func TestReferencePackages(t *testing.T) {
	dir := referenceDir(t)
	tests := []struct {
		file                       string
		version                    Version
		identifier                 string
		items, leaves, resources   int
		scos                       int
		launch                     map[string]string
		sequencedItems             int
		collection                 int
		title                      string // course title after LOM
		description, keyword, lang string
		duration                   string
		warnings                   []string
		commonFiles                int // files of the first leaf after following dependencies
	}{
		{
			file: "golf_scorm12_multisco_onefilepersco.zip", version: Version12,
			identifier: "com.scorm.golfsamples.contentpackaging.multioscosinglefile.12",
			items:      22, leaves: 18, resources: 19, scos: 0,
			launch: map[string]string{
				"playing_playing_item":        "Playing/Playing.html",
				"playing_quiz_item":           "shared/assessmenttemplate.html?questions=Playing",
				"etiquette_quiz_item":         "shared/assessmenttemplate.html?questions=Etiquette",
				"handicapping_quiz_item":      "shared/assessmenttemplate.html?questions=Handicapping",
				"havingfun_quiz_item":         "shared/assessmenttemplate.html?questions=HavingFun",
				"havingfun_makefriends_item":  "HavingFun/MakeFriends.html",
				"handicapping_calchandi_item": "Handicapping/CalculatingHandicap.html",
			},
			title:       "Golf Explained - CP One File Per SCO",
			commonFiles: 9,
		},
		{
			file: "golf_scorm2004_3rd_metadata.zip", version: Version2004Ed3,
			identifier: "com.scorm.golfsamples.contentpackaging.metadata.20043rd",
			items:      1, leaves: 1, resources: 1, scos: 1,
			launch:      map[string]string{"item_1": "shared/launchpage.html"},
			title:       "Golf Explained",
			description: "A high level overview of the sport of golf.",
			keyword:     "golf etiquette", lang: "en", duration: "PT10M",
			commonFiles: 39,
		},
		{
			file: "golf_scorm2004_3rd_runtimebasiccalls.zip", version: Version2004Ed3,
			identifier: "com.scorm.golfsamples.runtime.basicruntime.20043rd",
			items:      1, leaves: 1, resources: 1, scos: 1,
			launch:         map[string]string{"item_1": "shared/launchpage.html"},
			sequencedItems: 1,
			title:          "Golf Explained - Run-time Basic Calls",
		},
		{
			file: "golf_scorm2004_4th_posttestrollup.zip", version: Version2004Ed4,
			identifier: "com.scorm.golfsamples.sequencing.posttestrollup4thEd.20044th",
			items:      5, leaves: 5, resources: 6, scos: 5,
			launch: map[string]string{
				"playing_item":      "shared/launchpage.html?content=playing",
				"etuqiette_item":    "shared/launchpage.html?content=etiquette",
				"handicapping_item": "shared/launchpage.html?content=handicapping",
				"havingfun_item":    "shared/launchpage.html?content=havingfun",
				"assessment_item":   "shared/launchpage.html?content=assessment",
			},
			sequencedItems: 5, collection: 1,
			title:       "Golf Explained - 4th Edition Features",
			warnings:    []string{"scorm.file.unlisted"},
			commonFiles: 18,
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p, rep, err := OpenFile(filepath.Join(dir, tc.file), Options{})
			require.NoError(t, err)
			assert.Empty(t, rep.Errors(), "errors: %v", rep.Errors())
			var warn []string
			for _, w := range rep.Warnings() {
				warn = append(warn, w.Code)
			}
			assert.Equal(t, tc.warnings, warn)
			assert.Equal(t, tc.version, p.Version)
			assert.Equal(t, tc.identifier, p.Identifier)
			assert.Equal(t, "golf_sample_default_org", p.Default().Identifier)
			items, leaves := countItems(p)
			assert.Equal(t, tc.items, items)
			assert.Equal(t, tc.leaves, leaves)
			assert.Len(t, p.Resources, tc.resources)
			scos := 0
			for _, r := range p.Resources {
				if r.ScormType == "sco" {
					scos++
				}
			}
			assert.Equal(t, tc.scos, scos)
			got := launches(p)
			assert.Len(t, got, tc.leaves)
			for id, want := range tc.launch {
				assert.Equal(t, want, got[id], id)
			}
			seq := 0
			for _, o := range p.Organizations {
				o.Walk(func(it *Item) {
					if it.Sequencing != nil {
						seq++
					}
				})
			}
			assert.Equal(t, tc.sequencedItems, seq)
			assert.Len(t, p.SequencingCollection, tc.collection)

			var first *Item
			p.Default().Walk(func(it *Item) {
				if first == nil && it.IdentifierRef != "" {
					first = it
				}
			})
			if tc.commonFiles > 0 {
				assert.Len(t, p.ResourceFiles(p.Resource(first.IdentifierRef)), tc.commonFiles)
			}

			a, crep := p.convert()
			require.NotNil(t, a)
			assert.Empty(t, crep.Errors())
			assert.Equal(t, asset.KindCourse, a.Kind)
			assert.Equal(t, asset.DeriveID("scorm", tc.identifier, "golf_sample_default_org"), a.ID)
			title, _, _ := a.Title.Best("en")
			assert.Equal(t, tc.title, title)
			if tc.description != "" {
				d, _, _ := a.Description.Best("en")
				assert.Contains(t, d, tc.description)
				assert.Contains(t, a.Keywords.All(), tc.keyword)
				assert.Equal(t, []string{tc.lang}, a.Languages)
				assert.Equal(t, tc.duration, a.Duration.String())
			}
			if tc.description != "" {
				// Item-level inline LOM reaches the lesson.
				d, _, _ := a.Parts[0].Description.Best("en")
				assert.Contains(t, d, "The primary item of the Golf Explained course")
				assert.Contains(t, string(a.Extensions[ExtensionIRI]), `"title":"Golf Explained - Metadata Example"`)
				assert.Equal(t, []string{"metadata_organization.xml"}, p.Default().Metadata.Locations)
				assert.Contains(t, p.Default().Metadata.LOM.Description["en-US"], "A description of the default organization")
			}
			checkRep := asset.Check(a, asset.CheckOptions{})
			assert.Empty(t, checkRep.Errors(), "asset check: %v", checkRep.Errors())

			// Deterministic: a second import gives byte-identical JSON.
			b1, err := asset.Marshal(asset.NewDocument(*a))
			require.NoError(t, err)
			p2, _, err := OpenFile(filepath.Join(dir, tc.file), Options{})
			require.NoError(t, err)
			a2, _ := p2.convert()
			b2, err := asset.Marshal(asset.NewDocument(*a2))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(b1, b2), "two imports differ")
			assert.True(t, json.Valid(b1))
		})
	}
}

func TestReferenceSequencingKept(t *testing.T) {
	dir := referenceDir(t)
	p, _, err := OpenFile(filepath.Join(dir, "golf_scorm2004_4th_posttestrollup.zip"), Options{})
	require.NoError(t, err)
	it := p.Default().Items[1]
	shared, own := p.SequencingOf(it)
	require.NotNil(t, shared)
	require.NotNil(t, own)
	assert.NotNil(t, shared.Child(NSIMSSS, "rollupRules"))
	assert.NotNil(t, own.Child(NSIMSSS, "sequencingRules"))
	assert.NotNil(t, own.Child(NSADLSeq, "objectives"))
	require.NotNil(t, it.Data)
	m := it.Data.Child(NSADLCP2004, "map")
	require.NotNil(t, m)
	v, _ := m.Attr("", "targetID")
	assert.Equal(t, "com.scorm.golfsamples.sequencing.forcedsequential.notesStorage", v)
	pw, _ := it.CompletionThreshold.Attr("", "progressWeight")
	assert.Equal(t, "0.3", pw)
	assert.NotNil(t, p.Default().Sequencing)
	a, _ := p.convert()
	ext := string(a.Parts[1].Extensions[ExtensionIRI])
	assert.Contains(t, ext, "previous_sco_completed")
	assert.Contains(t, ext, "notesStorage")
	assert.Contains(t, string(a.Extensions[ExtensionIRI]), "content_seq_rules")
	assert.Equal(t, asset.KindLesson, a.Parts[0].Kind)
	assert.Equal(t, asset.RoleLaunch, a.Parts[0].Resources[0].Role)
	assert.Equal(t, "shared/launchpage.html", a.Parts[0].Resources[0].Path)
}

func TestReference12Assets(t *testing.T) {
	dir := referenceDir(t)
	p, _, err := OpenFile(filepath.Join(dir, "golf_scorm12_multisco_onefilepersco.zip"), Options{})
	require.NoError(t, err)
	a, _ := p.convert()
	require.Len(t, a.Parts, 4)
	assert.Equal(t, asset.KindModule, a.Parts[0].Kind)
	assert.Equal(t, asset.KindActivity, a.Parts[0].Parts[0].Kind)
	quiz := a.Parts[0].Parts[5]
	assert.Contains(t, string(quiz.Extensions[ExtensionIRI]), `"launch":"shared/assessmenttemplate.html?questions=Playing"`)
	assert.Equal(t, "shared/assessmenttemplate.html", quiz.Resources[0].Path)
}

func TestReferenceSequencingInfo(t *testing.T) {
	dir := referenceDir(t)
	p, _, err := OpenFile(filepath.Join(dir, "golf_scorm2004_4th_posttestrollup.zip"), Options{})
	require.NoError(t, err)
	items := p.Default().Items
	et := p.SequencingInfo(items[1])
	require.NotNil(t, et)
	assert.Equal(t, map[string]bool{"completionSetByContent": true, "objectiveSetByContent": true}, et.DeliveryControls, "from the shared collection")
	assert.Equal(t, "false", et.RollupRules["rollupObjectiveSatisfied"], "from the shared collection")
	assert.Equal(t, 1, et.PreConditionRules)
	assert.Equal(t, []string{"ettiquette_completed", "previous_sco_completed"}, et.Objectives)
	assert.Len(t, et.GlobalObjectives, 2)

	quiz := p.SequencingInfo(items[4])
	assert.Equal(t, 2, quiz.PreConditionRules)
	assert.Equal(t, "true", quiz.RollupRules["rollupObjectiveSatisfied"])
	assert.True(t, quiz.HasPrimaryObjective)
	assert.Equal(t, []string{"", "previous_sco_completed"}, quiz.Objectives)

	org := ReadSequencing(nil, p.Default().Sequencing)
	assert.Equal(t, map[string]bool{"choice": true, "flow": true}, org.ControlMode)
}

func TestMasteryMeasure(t *testing.T) {
	seq := &xmlnode.Node{Space: NSIMSSS, Local: "sequencing", Children: []*xmlnode.Node{{
		Space: NSIMSSS, Local: "objectives", Children: []*xmlnode.Node{{
			Space: NSIMSSS, Local: "primaryObjective",
			Attrs:    []xmlnode.Attr{{Local: "satisfiedByMeasure", Value: "true"}},
			Children: []*xmlnode.Node{{Space: NSIMSSS, Local: "minNormalizedMeasure", Text: "0.8"}},
		}},
	}}}
	s := ReadSequencing(nil, seq)
	require.NotNil(t, s.MinNormalizedMeasure)
	assert.InDelta(t, 0.8, *s.MinNormalizedMeasure, 1e-9)
	assert.True(t, s.SatisfiedByMeasure)
	assert.Nil(t, ReadSequencing(nil, nil))
}

func TestReferenceRightsAndContributors(t *testing.T) {
	dir := referenceDir(t)
	p, _, err := OpenFile(filepath.Join(dir, "golf_scorm2004_3rd_metadata.zip"), Options{})
	require.NoError(t, err)
	a, rep := p.convert()
	assert.Equal(t, "CC-BY-3.0-US", a.License)
	assert.Empty(t, rep.Losses)
	require.NotEmpty(t, a.Contributors)
	assert.Equal(t, asset.Contributor{Name: "Mike Rustici", Type: asset.Person, Affiliation: "Rustici Software",
		Email: "info@scorm.com", Roles: []asset.Role{asset.RolePublisher}}, a.Contributors[0])
}
