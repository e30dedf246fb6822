package mapping

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

func TestGAMSOToGSBPM(t *testing.T) {
	cw := GAMSOToGSBPM()
	if cw.From != (framework.NodeRef{Framework: "gamso", Version: "1.2"}) || cw.To != (framework.NodeRef{Framework: "gsbpm", Version: "5.1"}) {
		t.Fatalf("From %v To %v", cw.From, cw.To)
	}
	var to []string
	for _, m := range cw.Mappings {
		if m.FromCode != "4" || m.Match != framework.NarrowMatch || m.Note == "" {
			t.Errorf("mapping %+v", m)
		}
		to = append(to, m.ToCode)
	}
	want := []string{"1", "2", "3", "4", "5", "6", "7", "8", "OA-QM", "OA-MM", "OA-DM", "OA-PDM", "OA-KM", "OA-PM"}
	if !slices.Equal(to, want) {
		t.Errorf("targets %q, want %q", to, want)
	}
	r := Default()
	if rep := r.CheckCrosswalk(cw); len(rep.Issues) > 0 {
		t.Errorf("CheckCrosswalk: %v", rep.Issues)
	}
	inv := cw.Inverse()
	if rep := r.CheckCrosswalk(inv); len(rep.Issues) > 0 {
		t.Errorf("CheckCrosswalk(inverse): %v", rep.Issues)
	}
	if inv.From.Framework != "gsbpm" || inv.Mappings[0] != (Mapping{FromCode: "1", ToCode: "4", Match: framework.BroadMatch, Note: cw.Mappings[0].Note}) {
		t.Errorf("inverse %+v", inv.Mappings[0])
	}
	if back := inv.Inverse(); !reflect.DeepEqual(back, cw) {
		t.Errorf("double inverse differs")
	}
	bad := &Crosswalk{From: cw.From, To: framework.NodeRef{Framework: "nope"}, Mappings: []Mapping{{FromCode: "9", ToCode: "1", Match: framework.Related}}}
	var codes []string
	for _, is := range r.CheckCrosswalk(bad).Issues {
		codes = append(codes, is.Pointer+" "+is.Code)
	}
	wantCodes := []string{"/to mapping.crosswalk.unknown-framework", "/mappings/0/from mapping.crosswalk.unknown-code", "/mappings/0/match mapping.crosswalk.match-invalid"}
	if !slices.Equal(codes, wantCodes) {
		t.Errorf("CheckCrosswalk(bad) = %q", codes)
	}
}

func TestMatchStrength(t *testing.T) {
	if !(MatchStrength(framework.ExactMatch) > MatchStrength(framework.CloseMatch) &&
		MatchStrength(framework.CloseMatch) > MatchStrength(framework.BroadMatch) &&
		MatchStrength(framework.BroadMatch) == MatchStrength(framework.NarrowMatch) &&
		MatchStrength(framework.NarrowMatch) > MatchStrength(framework.Related)) {
		t.Error("strengths out of order")
	}
}

func TestApplyGSBPMToGAMSO(t *testing.T) {
	root := &asset.Asset{
		ID: "urn:x:course",
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Version: "5.1", Code: "5"},
			{Framework: "digcomp", Code: "3.4", Level: "4"},
		},
		Parts: []asset.Asset{
			{ID: "urn:x:l1", Alignments: []asset.Alignment{
				{Framework: "gsbpm", Version: "5.2", Code: "5.3", Relation: asset.Assesses},
				{Framework: "gsbpm", Code: "5.4", Relation: asset.Assesses, Unknown: map[string]json.RawMessage{"x": json.RawMessage(`1`)}},
				{Framework: "http://id.unece.org/activities/gsbpm", Version: "5.1", Code: "OA-QM"},
			}},
			{ID: "urn:x:l2", Objectives: []asset.Objective{{ID: "o", Alignments: []asset.Alignment{
				{Framework: "gsbpm", Version: "5.1", Code: "9.9"},
				{Framework: "gsbpm", Version: "4.0", Code: "5.3"},
			}}}},
		},
	}
	orig := root.Clone()
	res := Apply(GAMSOToGSBPM().Inverse(), root)
	if !reflect.DeepEqual(root, orig) {
		t.Fatal("Apply changed its input")
	}
	got := res.Asset
	want := []asset.Alignment{
		{Framework: "gamso", Version: "1.2", Code: "4"},
		{Framework: "digcomp", Code: "3.4", Level: "4"},
	}
	if !reflect.DeepEqual(got.Alignments, want) {
		t.Errorf("root alignments %+v", got.Alignments)
	}
	// 5.3 and 5.4 both reach GAMSO 4 through phase 5; the second is merged
	// into the first. OA-QM is a separate, teaches alignment.
	wantL1 := []asset.Alignment{
		{Framework: "gamso", Version: "1.2", Code: "4", Relation: asset.Assesses},
		{Framework: "gamso", Version: "1.2", Code: "4"},
	}
	if !reflect.DeepEqual(got.Parts[0].Alignments, wantL1) {
		t.Errorf("part 0 alignments %+v", got.Parts[0].Alignments)
	}
	// The unmapped code is dropped, the wrong version kept.
	wantL2 := []asset.Alignment{{Framework: "gsbpm", Version: "4.0", Code: "5.3"}}
	if !reflect.DeepEqual(got.Parts[1].Objectives[0].Alignments, wantL2) {
		t.Errorf("part 1 objective alignments %+v", got.Parts[1].Objectives[0].Alignments)
	}
	type conv struct {
		ptr, from, to string
		match         framework.AssociationType
		via           string
	}
	var convs []conv
	for _, c := range res.Conversions {
		convs = append(convs, conv{c.Pointer, c.From.Code, c.To.Code, c.Match, c.Via})
	}
	wantConvs := []conv{
		{"/alignments/0", "5", "4", framework.BroadMatch, ""},
		{"/parts/0/alignments/0", "5.3", "4", framework.BroadMatch, "5"},
		{"/parts/0/alignments/1", "5.4", "4", framework.BroadMatch, "5"},
		{"/parts/0/alignments/2", "OA-QM", "4", framework.BroadMatch, ""},
	}
	if !reflect.DeepEqual(convs, wantConvs) {
		t.Errorf("conversions\n got %v\nwant %v", convs, wantConvs)
	}
	// 5.4's unknown member is lost in the merge; 9.9 has no mapping.
	if len(res.Report.Losses) != 2 || res.Report.Losses[0].Pointer != "/parts/0/alignments/1" ||
		res.Report.Losses[1].Pointer != "/parts/1/objectives/0/alignments/0" ||
		!strings.Contains(res.Report.Losses[1].Why, "9.9") {
		t.Errorf("losses %v", res.Report.Losses)
	}
	if len(res.Report.Issues) != 1 || res.Report.Issues[0].Code != "mapping.crosswalk.version-mismatch" ||
		res.Report.Issues[0].Pointer != "/parts/1/objectives/0/alignments/1/version" {
		t.Errorf("issues %v", res.Report.Issues)
	}
}

func TestApplyGAMSOToGSBPM(t *testing.T) {
	root := &asset.Asset{ID: "urn:x:a", Alignments: []asset.Alignment{
		{Framework: "gamso", Code: "4", Relation: asset.Requires, Level: "advanced"},
		{Framework: "gamso", Code: "3.3"},
		{Framework: "gsbpm", Code: "5.3"},
	}}
	res := Default().Apply(GAMSOToGSBPM(), root)
	al := res.Asset.Alignments
	if len(al) != 15 {
		t.Fatalf("%d alignments: %+v", len(al), al)
	}
	for i, a := range al[:14] {
		if a.Framework != "gsbpm" || a.Version != "5.1" || a.Relation != asset.Requires || a.Level != "" {
			t.Errorf("alignment %d = %+v", i, a)
		}
	}
	if !reflect.DeepEqual(al[14], asset.Alignment{Framework: "gsbpm", Code: "5.3"}) {
		t.Errorf("untouched alignment changed: %+v", al[14])
	}
	for _, c := range res.Conversions {
		if c.Match != framework.NarrowMatch || c.Via != "" {
			t.Errorf("conversion %+v", c)
		}
	}
	var losses []string
	for _, l := range res.Report.Losses {
		losses = append(losses, l.Pointer)
	}
	// The level is lost, and 3.3 has no mapping.
	if !slices.Equal(losses, []string{"/alignments/0/level", "/alignments/1"}) {
		t.Errorf("losses %q", losses)
	}
	if res := Apply(GAMSOToGSBPM(), nil); res.Asset != nil {
		t.Error("Apply(nil) returned an asset")
	}
}

func TestCrosswalkFromAssociations(t *testing.T) {
	fw := userFramework("https://example.org/fw", "", "1")
	fw.Associations = []framework.Association{
		{Type: framework.ExactMatch, Source: "A1", Target: "digcomp@2.2:1.3"},
		{Type: framework.Related, Source: "A", Target: "digcomp@2.2:1"},
		{Type: framework.CloseMatch, Source: "A", Target: "gsbpm@5.2:1"},
		{Type: framework.BroadMatch, Source: "A", Target: "digcomp@2.1:1"},
	}
	cw := CrosswalkFromAssociations(fw, "digcomp")
	if cw == nil || cw.From.Framework != "https://example.org/fw" || cw.To.Version != "2.2" ||
		!reflect.DeepEqual(cw.Mappings, []Mapping{{FromCode: "A1", ToCode: "1.3", Match: framework.ExactMatch}}) {
		t.Errorf("crosswalk %+v", cw)
	}
	if CrosswalkFromAssociations(fw, "gamso") != nil {
		t.Error("crosswalk to a framework with no associations")
	}
	// A user framework's crosswalk applies through a registry that knows it.
	r := Default()
	if err := r.Add(fw); err != nil {
		t.Fatal(err)
	}
	res := r.Apply(cw, &asset.Asset{Alignments: []asset.Alignment{{Framework: "https://example.org/fw", Code: "A1"}}})
	if len(res.Conversions) != 1 || !reflect.DeepEqual(res.Asset.Alignments[0], asset.Alignment{Framework: "digcomp", Version: "2.2", Code: "1.3"}) {
		t.Errorf("result %+v", res.Asset.Alignments)
	}
}
