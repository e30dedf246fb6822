package curriculum_test

import (
	"encoding/json"
	"testing"

	"github.com/metaacademy/ota/curriculum"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// pwID names the assets of the pathway fixtures.
func pwID(name string) string { return "https://example.org/ota/" + name }

func pwGSBPM(code string, rel asset.AlignmentRelation, level string) asset.Alignment {
	return asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: code, Relation: rel, Level: level}
}

// pwAssets are five courses of a methodology curriculum:
//
//   - seasonal adjustment, two modules and a quiz, which requires a
//     time-series course that is not in the pathway;
//   - editing, which requires sampling (asset prerequisite), GSBPM 2.4
//     (taught by sampling) and DigComp 3.4 (taught by nothing);
//   - sampling;
//   - disclosure control, whose first lesson requires sampling;
//   - machine learning.
func pwAssets() []*asset.Asset {
	return []*asset.Asset{
		{ID: pwID("seasonal-adjustment"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Seasonal adjustment"},
			Prerequisites: []string{pwID("time-series-basics")},
			Alignments:    []asset.Alignment{pwGSBPM("6.1", asset.Teaches, "basic")},
			Parts: []asset.Asset{
				{ID: pwID("seasonal-adjustment/decomposition"), Kind: asset.KindModule, Title: asset.LangString{"en": "Decomposition"}, Duration: asset.Duration{Minutes: 90}},
				{ID: pwID("seasonal-adjustment/x13"), Kind: asset.KindModule, Title: asset.LangString{"en": "X-13ARIMA-SEATS"}, Duration: asset.Duration{Hours: 2}},
				{ID: pwID("seasonal-adjustment/quiz"), Kind: asset.KindAssessment, Title: asset.LangString{"en": "Quiz"}, Duration: asset.Duration{Minutes: 30},
					Alignments: []asset.Alignment{pwGSBPM("6.1", asset.Assesses, "intermediate")}},
			}},
		{ID: pwID("editing"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Editing and imputation"}, Duration: asset.Duration{Hours: 7},
			Prerequisites: []string{pwID("sampling")},
			Alignments: []asset.Alignment{pwGSBPM("5.3", "", "intermediate"), pwGSBPM("2.4", asset.Requires, ""),
				{Framework: "digcomp", Version: "2.2", Code: "3.4", Relation: asset.Requires, Level: "3"}},
			Objectives: []asset.Objective{{ID: "obj-impute", Text: asset.LangString{"en": "Impute missing values."},
				Alignments: []asset.Alignment{pwGSBPM("5.4", asset.Teaches, "advanced")}}}},
		{ID: pwID("sampling"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Sampling"}, Duration: asset.Duration{Hours: 6},
			Alignments: []asset.Alignment{pwGSBPM("2.4", asset.Teaches, "basic")}},
		{ID: pwID("disclosure"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Disclosure control"},
			Alignments: []asset.Alignment{pwGSBPM("6.4", asset.Teaches, "")},
			Parts: []asset.Asset{{ID: pwID("disclosure/tables"), Kind: asset.KindLesson, Title: asset.LangString{"en": "Tables"},
				Duration: asset.Duration{Hours: 5}, Prerequisites: []string{pwID("sampling")}}}},
		{ID: pwID("machine-learning"), Kind: asset.KindCourse, Title: asset.LangString{"en": "Machine learning"}, Duration: asset.Duration{Hours: 10},
			Alignments: []asset.Alignment{pwGSBPM("5.2", asset.Teaches, "")}},
	}
}

// pwPathway proposes seasonal adjustment, editing and sampling (required),
// then disclosure control and machine learning (optional), and adds that
// machine learning comes after seasonal adjustment.
func pwPathway() *curriculum.Pathway {
	return &curriculum.Pathway{
		ID:       pwID("pathways/methodologist"),
		Title:    asset.LangString{"en": "Survey methodologist"},
		Profile:  "methodologist",
		Audience: asset.LangString{"en": "New methodologists in a national statistical office."},
		Steps: []curriculum.Step{
			{AssetID: pwID("seasonal-adjustment"), Required: true},
			{AssetID: pwID("editing"), Required: true},
			{AssetID: pwID("sampling"), Required: true},
			{AssetID: pwID("disclosure"), Note: asset.LangString{"en": "For those who publish tables."}},
			{AssetID: pwID("machine-learning")},
		},
		EntryRequirements: curriculum.EntryRequirements{
			Alignments: []asset.Alignment{{Framework: "digcomp", Version: "2.2", Code: "1.1", Relation: asset.Requires}},
		},
		Prerequisites: []curriculum.Prerequisite{{Asset: pwID("machine-learning"), Requires: pwID("seasonal-adjustment")}},
	}
}

func pwResolve(p *curriculum.Pathway) *curriculum.Plan {
	return p.Resolve(curriculum.LookupIn(pwAssets()...))
}

func stepIDs(steps []curriculum.PlanStep) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.AssetID
	}
	return out
}

func TestPlanOrder(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(p *curriculum.Pathway)
		order []string
	}{
		{"prerequisites first, otherwise the pathway's order", nil,
			[]string{pwID("seasonal-adjustment"), pwID("sampling"), pwID("editing"), pwID("disclosure"), pwID("machine-learning")}},
		{"no prerequisites keeps the given order", func(p *curriculum.Pathway) {
			p.Steps = []curriculum.Step{{AssetID: pwID("machine-learning")}, {AssetID: pwID("sampling")}, {AssetID: pwID("seasonal-adjustment")}}
			p.Prerequisites = nil
		}, []string{pwID("machine-learning"), pwID("sampling"), pwID("seasonal-adjustment")}},
		{"a pathway edge moves a step later", func(p *curriculum.Pathway) {
			p.Prerequisites = append(p.Prerequisites, curriculum.Prerequisite{Asset: pwID("seasonal-adjustment"), Requires: pwID("disclosure")})
		}, []string{pwID("sampling"), pwID("editing"), pwID("disclosure"), pwID("seasonal-adjustment"), pwID("machine-learning")}},
		{"a prerequisite naming a part of a step counts for the step", func(p *curriculum.Pathway) {
			p.Prerequisites = []curriculum.Prerequisite{{Asset: pwID("sampling"), Requires: pwID("seasonal-adjustment/quiz")}}
		}, []string{pwID("seasonal-adjustment"), pwID("sampling"), pwID("editing"), pwID("disclosure"), pwID("machine-learning")}},
		{"a step's own asset stands for its step, even inside another", func(p *curriculum.Pathway) {
			p.Steps = append(p.Steps, curriculum.Step{AssetID: pwID("seasonal-adjustment/quiz")})
			p.Prerequisites = []curriculum.Prerequisite{{Asset: pwID("sampling"), Requires: pwID("seasonal-adjustment/quiz")}}
		}, []string{pwID("seasonal-adjustment"), pwID("machine-learning"), pwID("seasonal-adjustment/quiz"), pwID("sampling"), pwID("editing"), pwID("disclosure")}},
		{"unknown steps keep their place", func(p *curriculum.Pathway) {
			p.Steps = append([]curriculum.Step{{AssetID: pwID("not-in-catalogue"), Required: true}}, p.Steps...)
		}, []string{pwID("not-in-catalogue"), pwID("seasonal-adjustment"), pwID("sampling"), pwID("editing"), pwID("disclosure"), pwID("machine-learning")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pwPathway()
			if tt.edit != nil {
				tt.edit(p)
			}
			order, err := pwResolve(p).Order()
			require.NoError(t, err)
			assert.Equal(t, tt.order, stepIDs(order))
		})
	}
}

func TestPlanGraph(t *testing.T) {
	pl := pwResolve(pwPathway())
	assert.Equal(t, []curriculum.Dependency{
		{Step: 1, Requires: 2, By: pwID("editing")},
		{Step: 3, Requires: 2, By: pwID("disclosure/tables")},
		{Step: 4, Requires: 0},
	}, pl.Dependencies)
	assert.Equal(t, []curriculum.OutsidePrerequisite{
		{Step: 0, By: pwID("seasonal-adjustment"), Requires: pwID("time-series-basics")},
	}, pl.Outside)
	assert.Nil(t, pl.Cycles())
	require.NotNil(t, pl.Steps[0].Asset)
	assert.Equal(t, "Seasonal adjustment", pl.Steps[0].Asset.Title.String())
	assert.Equal(t, 3, pl.Steps[3].Index)
	assert.False(t, pl.Steps[3].Required, "optional step")
	assert.Equal(t, "For those who publish tables.", pl.Steps[3].Note.String())
}

func TestPlanCycle(t *testing.T) {
	tests := []struct {
		name   string
		extra  []curriculum.Prerequisite
		cycles [][]string
		msgs   []string
		ptr    string
	}{
		{"two steps", []curriculum.Prerequisite{{Asset: pwID("sampling"), Requires: pwID("editing")}},
			[][]string{{pwID("editing"), pwID("sampling"), pwID("editing")}},
			[]string{"prerequisites form a cycle: " + pwID("editing") + " → " + pwID("sampling") + " → " + pwID("editing")}, "/steps/1"},
		{"three steps, A → B → C → A", []curriculum.Prerequisite{
			{Asset: pwID("seasonal-adjustment"), Requires: pwID("editing")},
			{Asset: pwID("sampling"), Requires: pwID("seasonal-adjustment")},
		}, [][]string{{pwID("seasonal-adjustment"), pwID("editing"), pwID("sampling"), pwID("seasonal-adjustment")}},
			[]string{"prerequisites form a cycle: " + pwID("seasonal-adjustment") + " → " + pwID("editing") + " → " + pwID("sampling") + " → " + pwID("seasonal-adjustment")}, "/steps/0"},
		{"two separate cycles", []curriculum.Prerequisite{
			{Asset: pwID("sampling"), Requires: pwID("editing")},
			{Asset: pwID("seasonal-adjustment"), Requires: pwID("machine-learning")},
		}, [][]string{
			{pwID("seasonal-adjustment"), pwID("machine-learning"), pwID("seasonal-adjustment")},
			{pwID("editing"), pwID("sampling"), pwID("editing")},
		}, nil, "/steps/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pwPathway()
			p.Prerequisites = append(p.Prerequisites, tt.extra...)
			pl := pwResolve(p)
			assert.Equal(t, tt.cycles, pl.Cycles())

			order, err := pl.Order()
			assert.Nil(t, order)
			var ve *ota.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Issues, len(tt.cycles))
			var is ota.Issue
			require.ErrorAs(t, err, &is, "each cycle is an ota.Issue reachable with errors.As")
			assert.Equal(t, "framework.pathway.cycle", is.Code)
			assert.Equal(t, ota.Error, is.Severity)
			for i, msg := range tt.msgs {
				assert.Contains(t, ve.Issues[i].Message, msg)
				assert.Contains(t, err.Error(), msg, "the error names the cycle")
			}
			assert.Equal(t, tt.ptr, ve.Issues[0].Pointer)

			rep := pl.Check()
			assert.Len(t, issuesWithCode(rep, "framework.pathway.cycle"), len(tt.cycles))
			assert.Empty(t, issuesWithCode(rep, "framework.pathway.step.order"), "no order advice when there is no order")
		})
	}
}

func TestPlanCycleInsideAssets(t *testing.T) {
	assets := pwAssets()
	assets[2].Prerequisites = []string{pwID("editing")} // sampling ⇄ editing
	pl := pwPathway().Resolve(curriculum.LookupIn(assets...))
	_, err := pl.Order()
	require.Error(t, err)
	assert.Contains(t, err.Error(), pwID("editing")+" → "+pwID("sampling")+" → "+pwID("editing"))
	// EntryRequirements still works, in the pathway's order.
	assert.NotEmpty(t, pl.EntryRequirements().Assets)
}

func TestPlanDurations(t *testing.T) {
	pl := pwResolve(pwPathway())
	want := map[string]asset.Duration{
		pwID("seasonal-adjustment"): {Hours: 4}, // the parts' sum, normalised
		pwID("editing"):             {Hours: 7},
		pwID("sampling"):            {Hours: 6},
		pwID("disclosure"):          {Hours: 5},
		pwID("machine-learning"):    {Hours: 10},
	}
	for _, s := range pl.Steps {
		t.Run(s.AssetID, func(t *testing.T) {
			assert.Equal(t, want[s.AssetID], s.Duration)
		})
	}
	assert.Equal(t, asset.Duration{Hours: 32}, pl.Duration())
	assert.Equal(t, asset.Duration{Hours: 17}, pl.RequiredDuration())

	unknown := pwPathway()
	unknown.Steps = append(unknown.Steps, curriculum.Step{AssetID: pwID("ghost"), Required: true})
	assert.Equal(t, asset.Duration{Hours: 17}, pwResolve(unknown).RequiredDuration(), "an unknown step adds nothing")
}

func TestPlanCovers(t *testing.T) {
	pl := pwResolve(pwPathway())
	got := pl.Covers()
	want := []curriculum.CoveredNode{
		{Framework: "gsbpm", Code: "2.4", Versions: []string{"5.2"}, Level: "basic", Relations: []asset.AlignmentRelation{asset.Teaches}, Steps: []int{2}, Required: true},
		{Framework: "gsbpm", Code: "5.2", Versions: []string{"5.2"}, Relations: []asset.AlignmentRelation{asset.Teaches}, Steps: []int{4}},
		{Framework: "gsbpm", Code: "5.3", Versions: []string{"5.2"}, Level: "intermediate", Relations: []asset.AlignmentRelation{asset.Teaches}, Steps: []int{1}, Required: true},
		{Framework: "gsbpm", Code: "5.4", Versions: []string{"5.2"}, Level: "advanced", Relations: []asset.AlignmentRelation{asset.Teaches}, Steps: []int{1}, Required: true},
		{Framework: "gsbpm", Code: "6.1", Versions: []string{"5.2"}, Level: "intermediate", Relations: []asset.AlignmentRelation{asset.Teaches, asset.Assesses}, Steps: []int{0}, Required: true},
		{Framework: "gsbpm", Code: "6.4", Versions: []string{"5.2"}, Relations: []asset.AlignmentRelation{asset.Teaches}, Steps: []int{3}},
	}
	assert.Equal(t, want, got)
}

func TestPlanCoversLevelRanking(t *testing.T) {
	// A scale on which "A" is above "B": no rule but the framework's
	// scale can tell.
	fw := &framework.Framework{
		ID: "https://example.org/frameworks/skills", Key: "skills", Version: "1",
		Scales: []framework.Scale{{ID: "letters", Levels: []framework.Level{{Code: "B", Rank: 1}, {Code: "A", Rank: 2}}}},
	}
	al := func(code, level string) asset.Alignment {
		return asset.Alignment{Framework: "skills", Code: code, Level: level}
	}
	assets := []*asset.Asset{
		{ID: pwID("one"), Kind: asset.KindCourse, Alignments: []asset.Alignment{al("x", "B"), al("n", "2"), al("w", "advanced")}},
		{ID: pwID("two"), Kind: asset.KindCourse, Alignments: []asset.Alignment{al("x", "A"), al("n", "10"), al("w", "basic")}},
	}
	p := &curriculum.Pathway{ID: pwID("p"), Steps: []curriculum.Step{{AssetID: pwID("one")}, {AssetID: pwID("two")}}}
	pl := p.Resolve(curriculum.LookupIn(assets...))
	levels := func(nodes []curriculum.CoveredNode) map[string]string {
		m := map[string]string{}
		for _, n := range nodes {
			m[n.Code] = n.Level
		}
		return m
	}
	tests := []struct {
		name string
		fws  []*framework.Framework
		want map[string]string
	}{
		{"without the framework", nil, map[string]string{"x": "B", "n": "10", "w": "advanced"}},
		{"with the framework's scale", []*framework.Framework{fw}, map[string]string{"x": "A", "n": "10", "w": "advanced"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, levels(pl.Covers(tt.fws...)))
		})
	}
}

func TestPlanEntryRequirements(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *curriculum.Pathway)
		assets []string
		codes  []string
	}{
		{"declared, then implied", nil,
			[]string{pwID("time-series-basics")}, []string{"digcomp 1.1", "digcomp 3.4"}},
		{"a requirement taught only by an optional step is implied", func(p *curriculum.Pathway) {
			p.Steps[2].Required = false
		}, []string{pwID("time-series-basics")}, []string{"digcomp 1.1", "gsbpm 2.4", "digcomp 3.4"}},
		{"declared assets come first and are not repeated", func(p *curriculum.Pathway) {
			p.EntryRequirements.Assets = []string{pwID("statistics-101"), pwID("time-series-basics")}
		}, []string{pwID("statistics-101"), pwID("time-series-basics")}, []string{"digcomp 1.1", "digcomp 3.4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pwPathway()
			if tt.edit != nil {
				tt.edit(p)
			}
			req := pwResolve(p).EntryRequirements()
			assert.Equal(t, tt.assets, req.Assets)
			var codes []string
			for _, al := range req.Alignments {
				codes = append(codes, al.Framework+" "+al.Code)
			}
			assert.Equal(t, tt.codes, codes)
		})
	}
}

func issuesWithCode(r ota.Report, code string) []ota.Issue {
	var out []ota.Issue
	for _, is := range r.Issues {
		if is.Code == code {
			out = append(out, is)
		}
	}
	return out
}

type issueKey struct{ Pointer, Code string }

func issueKeys(r ota.Report) []issueKey {
	var out []issueKey
	for _, is := range r.Issues {
		out = append(out, issueKey{is.Pointer, is.Code})
	}
	return out
}

func TestPathwayCheck(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *curriculum.Pathway)
		want []issueKey
	}{
		{"valid", nil, nil},
		{"no id", func(p *curriculum.Pathway) { p.ID = "" }, []issueKey{{"/id", "framework.pathway.id.missing"}}},
		{"relative id", func(p *curriculum.Pathway) { p.ID = "methodologist" }, []issueKey{{"/id", "framework.pathway.id.invalid"}}},
		{"no title", func(p *curriculum.Pathway) { p.Title = nil }, []issueKey{{"/title", "framework.pathway.title.missing"}}},
		{"bad language tag", func(p *curriculum.Pathway) { p.Audience = asset.LangString{"english": "x"} },
			[]issueKey{{"/audience/english", "framework.langstring.invalid-tag"}}},
		{"no steps", func(p *curriculum.Pathway) { p.Steps, p.Prerequisites = nil, nil },
			[]issueKey{{"/steps", "framework.pathway.steps.empty"}}},
		{"every step optional", func(p *curriculum.Pathway) {
			for i := range p.Steps {
				p.Steps[i].Required = false
			}
		}, []issueKey{{"/steps", "framework.pathway.steps.none-required"}}},
		{"step without asset and repeated step", func(p *curriculum.Pathway) {
			p.Steps = append(p.Steps, curriculum.Step{}, curriculum.Step{AssetID: pwID("sampling")})
		}, []issueKey{{"/steps/5/assetId", "framework.pathway.step.asset-missing"}, {"/steps/6/assetId", "framework.pathway.step.duplicate"}}},
		{"prerequisites half empty and self", func(p *curriculum.Pathway) {
			p.Prerequisites = []curriculum.Prerequisite{{Asset: pwID("sampling")}, {Asset: pwID("sampling"), Requires: pwID("sampling")}}
		}, []issueKey{{"/prerequisites/0", "framework.pathway.prerequisite.missing"}, {"/prerequisites/1", "framework.pathway.prerequisite.self"}}},
		{"entry requirements", func(p *curriculum.Pathway) {
			p.EntryRequirements = curriculum.EntryRequirements{
				Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "5.3", Relation: asset.Teaches}, {Code: "1.1"}},
				Assets:     []string{"", pwID("sampling")},
			}
		}, []issueKey{
			{"/entryRequirements/alignments/0/relation", "framework.pathway.entry.relation"},
			{"/entryRequirements/alignments/1", "framework.pathway.entry.alignment-incomplete"},
			{"/entryRequirements/assets/0", "framework.pathway.entry.asset-missing"},
			{"/entryRequirements/assets/1", "framework.pathway.entry.is-step"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pwPathway()
			if tt.edit != nil {
				tt.edit(p)
			}
			assert.Equal(t, tt.want, issueKeys(p.Check()))
		})
	}
}

func TestPlanCheck(t *testing.T) {
	base := []issueKey{
		{"/steps/1", "framework.pathway.step.order"},
		{"/steps/0", "framework.pathway.prerequisite.outside"},
	}
	tests := []struct {
		name string
		edit func(p *curriculum.Pathway, assets []*asset.Asset)
		want []issueKey
	}{
		{"the fixture", nil, base},
		{"an outside prerequisite declared is fine", func(p *curriculum.Pathway, _ []*asset.Asset) {
			p.EntryRequirements.Assets = []string{pwID("time-series-basics")}
		}, base[:1]},
		{"unknown step and pathway prerequisite", func(p *curriculum.Pathway, _ []*asset.Asset) {
			p.Steps = append(p.Steps, curriculum.Step{AssetID: pwID("ghost"), Required: true})
			p.Prerequisites = append(p.Prerequisites, curriculum.Prerequisite{Asset: pwID("phantom"), Requires: pwID("sampling")})
		}, append([]issueKey{
			{"/steps/5/assetId", "framework.pathway.step.unknown"},
			{"/prerequisites/1/asset", "framework.pathway.prerequisite.unknown-step"},
		}, base...)},
		{"a required step that needs an optional one", func(p *curriculum.Pathway, _ []*asset.Asset) {
			p.Steps[2].Required = false
		}, []issueKey{
			{"/steps/1", "framework.pathway.step.order"},
			{"/steps/2/required", "framework.pathway.step.optional-prerequisite"},
			{"/steps/0", "framework.pathway.prerequisite.outside"},
		}},
		{"a repeated step is not nested in itself", func(p *curriculum.Pathway, _ []*asset.Asset) {
			p.Steps = append(p.Steps, curriculum.Step{AssetID: pwID("seasonal-adjustment"), Required: true})
		}, append([]issueKey{{"/steps/5/assetId", "framework.pathway.step.duplicate"}}, base...)},
		{"a step that is a part of another", func(p *curriculum.Pathway, _ []*asset.Asset) {
			p.Steps = append(p.Steps, curriculum.Step{AssetID: pwID("seasonal-adjustment/quiz")})
		}, append([]issueKey{{"/steps/5/assetId", "framework.pathway.step.nested"}}, base...)},
		{"a step without duration", func(_ *curriculum.Pathway, assets []*asset.Asset) {
			assets[4].Duration = asset.Duration{}
		}, append([]issueKey{{"/steps/4/assetId", "framework.pathway.step.no-duration"}}, base...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, assets := pwPathway(), pwAssets()
			if tt.edit != nil {
				tt.edit(p, assets)
			}
			rep := p.Resolve(curriculum.LookupIn(assets...)).Check()
			assert.Equal(t, tt.want, issueKeys(rep))
		})
	}
}

func TestPathwayJSON(t *testing.T) {
	p := pwPathway()
	data, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"assetId":"https://example.org/ota/seasonal-adjustment","required":true`)
	var back curriculum.Pathway
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, p, &back)

	empty, err := json.Marshal(&curriculum.Pathway{ID: pwID("empty")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"https://example.org/ota/empty"}`, string(empty), "zero entry requirements are left out")
}

func TestLookupIn(t *testing.T) {
	assets := pwAssets()
	dup := &asset.Asset{ID: pwID("sampling"), Title: asset.LangString{"en": "Another sampling"}}
	lookup := curriculum.LookupIn(append(assets, nil, dup)...)
	tests := []struct {
		id    string
		title string
	}{
		{pwID("sampling"), "Sampling"},
		{pwID("seasonal-adjustment/quiz"), "Quiz"},
		{pwID("disclosure/tables"), "Tables"},
		{pwID("nothing"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			a := lookup(tt.id)
			if tt.title == "" {
				assert.Nil(t, a)
				return
			}
			require.NotNil(t, a)
			assert.Equal(t, tt.title, a.Title.String())
		})
	}
	assert.Nil(t, (&curriculum.Pathway{Steps: []curriculum.Step{{AssetID: pwID("sampling")}}}).Resolve(nil).Steps[0].Asset)
}
