package mapping

import (
	"reflect"
	"slices"
	"testing"

	"github.com/metaacademy/ota/asset"
)

func dur(t testing.TB, s string) asset.Duration {
	t.Helper()
	d, err := asset.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// handCatalogue is the small catalogue whose GSBPM 5.2 coverage the tests
// work out by hand:
//
//   - A (CSO), a course of two lessons, 1 h and 2 h: the course teaches
//     phase 5; lesson 1 teaches 5.3; lesson 2 requires 5.3 and has an
//     objective assessing 5.4 written against GSBPM 5.1. It also teaches
//     DigComp 3.4, which GSBPM coverage ignores.
//   - B (ISTAT), a 30-minute lesson: teaches 5.3 (twice: once directly,
//     once through an objective), teaches 7.5, assesses the overarching
//     OA-QM, and names a code GSBPM does not have (9.9).
//   - C (CSO), a 4-hour module: requires 1.1, and teaches 2.1 through the
//     GSBPM IRI, version 5.1.
//   - D, with no publisher and no alignments.
func handCatalogue(t testing.TB) []Entry {
	a := &asset.Asset{
		ID: "urn:ota:test:a", Kind: asset.KindCourse, Title: asset.LangString{"en": "Editing & validation <basics>"},
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Version: "5.2", Code: "5"},
			{Framework: "digcomp", Code: "3.4"},
		},
		Parts: []asset.Asset{
			{ID: "urn:ota:test:a1", Kind: asset.KindLesson, Duration: dur(t, "PT1H"),
				Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "5.3"}}},
			{ID: "urn:ota:test:a2", Kind: asset.KindLesson, Duration: dur(t, "PT2H"),
				Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "5.3", Relation: asset.Requires}},
				Objectives: []asset.Objective{{ID: "o1", Alignments: []asset.Alignment{
					{Framework: "gsbpm", Version: "5.1", Code: "5.4", Relation: asset.Assesses},
				}}}},
		},
	}
	b := &asset.Asset{
		ID: "urn:ota:test:b", Kind: asset.KindLesson, Title: asset.LangString{"fr": "Contrôle"}, Duration: dur(t, "PT30M"),
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Code: "5.3", Relation: asset.Teaches},
			{Framework: "gsbpm", Code: "7.5"},
			{Framework: "gsbpm", Code: "OA-QM", Relation: asset.Assesses},
			{Framework: "gsbpm", Code: "9.9"},
		},
		Objectives: []asset.Objective{{ID: "o", Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "5.3"}}}},
	}
	c := &asset.Asset{
		ID: "urn:ota:test:c", Kind: asset.KindModule, Duration: dur(t, "PT4H"),
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Code: "1.1", Relation: asset.Requires},
			{Framework: "http://id.unece.org/activities/gsbpm", Version: "5.1", Code: "2.1"},
		},
	}
	d := &asset.Asset{ID: "urn:ota:test:d", Kind: asset.KindResource}
	return []Entry{{a, "CSO"}, {b, "ISTAT"}, {c, "CSO"}, {Asset: d}, {Asset: nil, Publisher: "ignored"}}
}

func handCoverage(t testing.TB, weighted bool) *Coverage {
	t.Helper()
	c, err := Default().Coverage("gsbpm", "", handCatalogue(t), CoverageOptions{Weighted: weighted})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCoverageHandComputed(t *testing.T) {
	c := handCoverage(t, false)
	if c.Framework.Version != "5.2" || len(c.Nodes) != 58 || c.Leaves != 50 {
		t.Fatalf("framework %s, %d nodes, %d leaves", c.Framework.Version, len(c.Nodes), c.Leaves)
	}
	// Columns: the four non-nil entries.
	var ids []string
	for _, a := range c.Assets {
		ids = append(ids, a.ID+"|"+a.Publisher+"|"+a.Title)
	}
	wantIDs := []string{"urn:ota:test:a|CSO|Editing & validation <basics>", "urn:ota:test:b|ISTAT|Contrôle", "urn:ota:test:c|CSO|", "urn:ota:test:d||"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("assets %q", ids)
	}
	wantAl := []int{4, 4, 2, 0} // B's 9.9 is unresolved, not counted
	wantHours := []float64{3, 0.5, 4, 0}
	for i, a := range c.Assets {
		if a.Alignments != wantAl[i] || a.Hours != wantHours[i] {
			t.Errorf("asset %d: %d alignments, %v h; want %d, %v", i, a.Alignments, a.Hours, wantAl[i], wantHours[i])
		}
	}

	// The matrix, by hand: node code → counts for assets A, B, C, D.
	type row [4]Counts
	matrix := map[string]row{
		"5":     {{Teaches: 1}, {}, {}, {}},
		"5.3":   {{Teaches: 1, Requires: 1}, {Teaches: 2}, {}, {}},
		"5.4":   {{Assesses: 1}, {}, {}, {}},
		"7.5":   {{}, {Teaches: 1}, {}, {}},
		"OA-QM": {{}, {Assesses: 1}, {}, {}},
		"1.1":   {{}, {}, {Requires: 1}, {}},
		"2.1":   {{}, {}, {Teaches: 1}, {}},
	}
	for ni := range c.Nodes {
		code := c.Nodes[ni].Code
		want := matrix[code]
		for ai := range 4 {
			if got := c.Cell(ni, ai); got != want[ai] {
				t.Errorf("cell (%s, %s) = %+v, want %+v", code, c.Assets[ai].ID, got, want[ai])
			}
		}
	}
	if len(c.Cells) != 8 {
		t.Errorf("%d cells, want 8", len(c.Cells))
	}
	if c.Unresolved != 1 {
		t.Errorf("Unresolved = %d, want 1", c.Unresolved)
	}

	// Per node: direct, rolled-up totals, covering assets.
	type nodeWant struct {
		direct, total        Counts
		directAssets, assets int
	}
	nodes := map[string]nodeWant{
		"1":     {Counts{}, Counts{Requires: 1}, 0, 0},
		"1.1":   {Counts{Requires: 1}, Counts{Requires: 1}, 0, 0},
		"2":     {Counts{}, Counts{Teaches: 1}, 0, 1},
		"2.1":   {Counts{Teaches: 1}, Counts{Teaches: 1}, 1, 1},
		"5":     {Counts{Teaches: 1}, Counts{Teaches: 4, Assesses: 1, Requires: 1}, 1, 2},
		"5.3":   {Counts{Teaches: 3, Requires: 1}, Counts{Teaches: 3, Requires: 1}, 2, 2},
		"5.4":   {Counts{Assesses: 1}, Counts{Assesses: 1}, 1, 1},
		"7":     {Counts{}, Counts{Teaches: 1}, 0, 1},
		"7.5":   {Counts{Teaches: 1}, Counts{Teaches: 1}, 1, 1},
		"OA-QM": {Counts{Assesses: 1}, Counts{Assesses: 1}, 1, 1},
	}
	for i := range c.Nodes {
		n := &c.Nodes[i]
		w := nodes[n.Code]
		if n.Direct != w.direct || n.Total != w.total || n.DirectAssets != w.directAssets || n.Assets != w.assets {
			t.Errorf("node %s: direct %+v total %+v directAssets %d assets %d; want %+v", n.Code, n.Direct, n.Total, n.DirectAssets, n.Assets, w)
		}
	}
	if i := c.NodeIndex("5.3"); i < 0 || c.Nodes[i].Depth != 1 || !c.Nodes[i].Leaf || c.Nodes[i].Parent != "5" {
		t.Errorf("node 5.3 = %+v", c.Nodes[i])
	}
	if i := c.NodeIndex("OA-QM"); c.Nodes[i].Depth != 0 || !c.Nodes[i].Leaf || !c.Nodes[i].Unofficial {
		t.Errorf("node OA-QM = %+v", c.Nodes[i])
	}

	// Gaps: every leaf but 2.1, 5.3, 5.4, 7.5 and OA-QM; the phases with
	// nothing covered below them.
	if c.LeavesCovered != 5 || len(c.Gaps.Leaves) != 45 {
		t.Errorf("%d leaves covered, %d leaf gaps", c.LeavesCovered, len(c.Gaps.Leaves))
	}
	if !slices.Equal(c.Gaps.Parents, []string{"1", "3", "4", "6", "8"}) {
		t.Errorf("parent gaps %q", c.Gaps.Parents)
	}
	if c.Gaps.Leaves[0] != "1.1" || slices.Contains(c.Gaps.Leaves, "5.3") || c.Gaps.Leaves[44] != "OA-PM" {
		t.Errorf("leaf gaps %q", c.Gaps.Leaves)
	}
	if c.Fraction() != 0.1 {
		t.Errorf("Fraction = %v", c.Fraction())
	}

	wantPubs := []PublisherCoverage{
		{Publisher: "", Assets: 1, Covered: []string{}, Leaves: 50, Fraction: 0},
		{Publisher: "CSO", Assets: 2, Covered: []string{"2.1", "5.3", "5.4"}, Leaves: 50, Fraction: 0.06},
		{Publisher: "ISTAT", Assets: 1, Covered: []string{"5.3", "7.5", "OA-QM"}, Leaves: 50, Fraction: 0.06},
	}
	if !reflect.DeepEqual(c.Publishers, wantPubs) {
		t.Errorf("publishers\n got %+v\nwant %+v", c.Publishers, wantPubs)
	}
}

func TestCoverageWeighted(t *testing.T) {
	c := handCoverage(t, true)
	// Each alignment weighs the hours of the asset carrying it: the
	// course A 3 h (its lessons' sum), lesson A1 1 h, lesson A2 2 h, B 0.5 h,
	// C 4 h.
	want := map[string][4]Counts{
		"5":     {{Teaches: 3}, {}, {}, {}},
		"5.3":   {{Teaches: 1, Requires: 2}, {Teaches: 1}, {}, {}},
		"5.4":   {{Assesses: 2}, {}, {}, {}},
		"7.5":   {{}, {Teaches: 0.5}, {}, {}},
		"OA-QM": {{}, {Assesses: 0.5}, {}, {}},
		"1.1":   {{}, {}, {Requires: 4}, {}},
		"2.1":   {{}, {}, {Teaches: 4}, {}},
	}
	for ni := range c.Nodes {
		for ai := range 4 {
			if got := c.Cell(ni, ai); got != want[c.Nodes[ni].Code][ai] {
				t.Errorf("cell (%s, %d) = %+v", c.Nodes[ni].Code, ai, got)
			}
		}
	}
	if n := c.Nodes[c.NodeIndex("5")]; n.Total != (Counts{Teaches: 5, Assesses: 2, Requires: 2}) || n.Assets != 2 {
		t.Errorf("phase 5: %+v", n)
	}
	if !c.Weighted {
		t.Error("not marked weighted")
	}
}

func TestCoverageVersions(t *testing.T) {
	entries := handCatalogue(t)
	fw := mustLookup(t, Default(), KeyGSBPM, "5.2")
	// Without the registry's knowledge that codes are shared, the 5.1
	// alignments (A's 5.4 and C's 2.1) do not count against 5.2.
	c := NewCoverage(fw, entries, CoverageOptions{})
	if c.Nodes[c.NodeIndex("5.4")].Assets != 0 || c.Nodes[c.NodeIndex("2.1")].Assets != 0 || c.Assets[0].Alignments != 3 {
		t.Errorf("5.1 alignments counted without Versions")
	}
	c = NewCoverage(fw, entries, CoverageOptions{Versions: []string{"5.1"}})
	if c.Nodes[c.NodeIndex("5.4")].Assets != 1 {
		t.Errorf("5.1 alignments not counted with Versions")
	}
	// Counting requires as covering makes 1.1 (and phase 1) covered.
	c = NewCoverage(fw, entries, CoverageOptions{Versions: []string{"5.1"}, Covering: []asset.AlignmentRelation{asset.Teaches, asset.Assesses, asset.Requires}})
	if c.Nodes[c.NodeIndex("1")].Assets != 1 || c.LeavesCovered != 6 {
		t.Errorf("requires not covering: phase 1 %d assets, %d leaves", c.Nodes[c.NodeIndex("1")].Assets, c.LeavesCovered)
	}
	if _, err := Default().Coverage("gsbpm", "4.0", entries, CoverageOptions{}); err == nil {
		t.Error("unknown version accepted")
	}
	if _, err := Default().Coverage("nope", "", entries, CoverageOptions{}); err == nil {
		t.Error("unknown framework accepted")
	}
	// Empty catalogue.
	c = NewCoverage(fw, nil, CoverageOptions{})
	if len(c.Assets) != 0 || len(c.Gaps.Leaves) != 50 || len(c.Gaps.Parents) != 8 || c.Cell(0, 0) != (Counts{}) || c.Row(0) != nil {
		t.Errorf("empty catalogue: %+v", c.Gaps)
	}
}

// TestCoverageDeepTree checks that a deep asset tree and a framework with
// a deep hierarchy roll up correctly.
func TestCoverageDeepTree(t *testing.T) {
	fw, entries := deepFixture(t)
	c := NewCoverage(fw, entries, CoverageOptions{Weighted: true})
	for i := range c.Nodes {
		if c.Nodes[i].Total.Teaches != 6 || c.Nodes[i].Assets != 1 {
			t.Errorf("node %s: %+v", c.Nodes[i].Code, c.Nodes[i])
		}
	}
	if c.Assets[0].Hours != 6 || c.Leaves != 1 {
		t.Errorf("hours %v, leaves %d", c.Assets[0].Hours, c.Leaves)
	}
}
