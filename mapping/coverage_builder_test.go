package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
	"weak"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// coverageCase is one catalogue and the framework to cover, either looked
// up in Default() by key and version or given as fw.
type coverageCase struct {
	name         string
	key, version string
	fw           *framework.Framework
	entries      []Entry
	opts         CoverageOptions
}

// coverage computes the case's coverage the usual way: all entries at once.
func (tc coverageCase) coverage(t *testing.T, opts CoverageOptions) *Coverage {
	t.Helper()
	if tc.fw != nil {
		return NewCoverage(tc.fw, tc.entries, opts)
	}
	c, err := Default().Coverage(tc.key, tc.version, tc.entries, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// build computes the case's coverage with a builder fed one entry at a time.
func (tc coverageCase) build(t *testing.T, opts CoverageOptions) *Coverage {
	t.Helper()
	var b *CoverageBuilder
	if tc.fw != nil {
		b = NewCoverageBuilder(tc.fw, opts)
	} else {
		var err error
		if b, err = Default().CoverageBuilder(tc.key, tc.version, opts); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range tc.entries {
		b.Add(e)
	}
	return b.Coverage()
}

// deepFixture is a framework five levels deep and one asset tree 2,000
// levels deep whose innermost part, six hours long, teaches the deepest
// node.
func deepFixture(t testing.TB) (*framework.Framework, []Entry) {
	fw := &framework.Framework{ID: "https://example.org/deep", Version: "1", Title: asset.LangString{"en": "Deep"}}
	parent := ""
	for i := range 5 {
		code := string(rune('a' + i))
		fw.Nodes = append(fw.Nodes, framework.Node{Code: code, Parent: parent, Kind: framework.KindArea, Name: asset.LangString{"en": code}})
		parent = code
	}
	root := &asset.Asset{ID: "urn:x:0", Title: asset.LangString{"en": "Deep course"}}
	cur := root
	for range 2000 {
		cur.Parts = []asset.Asset{{ID: "urn:x:p"}}
		cur = &cur.Parts[0]
	}
	cur.Duration = dur(t, "PT6H")
	cur.Alignments = []asset.Alignment{{Framework: fw.ID, Code: "e"}}
	return fw, []Entry{{Asset: root, Publisher: "Deep NSO"}, {Asset: nil}}
}

func coverageCases(t *testing.T) []coverageCase {
	t.Helper()
	gsbpm52 := mustLookup(t, Default(), KeyGSBPM, "5.2")
	deepFW, deep := deepFixture(t)
	all := []asset.AlignmentRelation{asset.Teaches, asset.Assesses, asset.Requires}
	return []coverageCase{
		{name: "hand-gsbpm", key: "gsbpm", entries: handCatalogue(t)},
		{name: "hand-gsbpm-weighted", key: "gsbpm", entries: handCatalogue(t), opts: CoverageOptions{Weighted: true}},
		{name: "hand-digcomp", key: "digcomp", entries: handCatalogue(t)},
		{name: "hand-gsbpm-5.1", key: "gsbpm", version: "5.1", entries: handCatalogue(t)},
		{name: "hand-fw-no-versions", fw: gsbpm52, entries: handCatalogue(t)},
		{name: "hand-fw-requires-covers", fw: gsbpm52, entries: handCatalogue(t),
			opts: CoverageOptions{Versions: []string{"5.1"}, Covering: all}},
		{name: "hand-fw-nothing-covers", fw: gsbpm52, entries: handCatalogue(t),
			opts: CoverageOptions{Covering: []asset.AlignmentRelation{}}},
		{name: "empty", fw: gsbpm52},
		{name: "only-nil", key: "gamso", entries: []Entry{{Publisher: "ignored"}}},
		{name: "deep", fw: deepFW, entries: deep, opts: CoverageOptions{Weighted: true}},
		{name: "synthetic-courses", key: "gsbpm", entries: syntheticCatalogue(t, 500, 3), opts: CoverageOptions{Weighted: true}},
		{name: "synthetic-flat", key: "gsbpm", version: "5.2", entries: syntheticCatalogue(t, 2000, 0)},
	}
}

func nonNilEntries(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if e.Asset != nil {
			n++
		}
	}
	return n
}

// TestCoverageTotals checks that a Totals coverage is the full coverage
// without the matrix: every other field, AssetCount and the SVG the same.
func TestCoverageTotals(t *testing.T) {
	for _, tc := range coverageCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			full := tc.coverage(t, tc.opts)
			opts := tc.opts
			opts.Totals = true
			tot := tc.coverage(t, opts)

			if n := nonNilEntries(tc.entries); full.AssetCount() != n || tot.AssetCount() != n || len(full.Assets) != n {
				t.Errorf("AssetCount full %d, totals %d, len(full.Assets) %d; want %d", full.AssetCount(), tot.AssetCount(), len(full.Assets), n)
			}
			if tot.Assets == nil || len(tot.Assets) != 0 || tot.Cells == nil || len(tot.Cells) != 0 {
				t.Errorf("totals hold a matrix: %d assets, %d cells", len(tot.Assets), len(tot.Cells))
			}
			for a := range full.AssetCount() {
				if tot.Row(a) != nil {
					t.Errorf("Row(%d) = %v", a, tot.Row(a))
				}
				for n := range tot.Nodes {
					if got := tot.Cell(n, a); got != (Counts{}) {
						t.Errorf("Cell(%d, %d) = %+v", n, a, got)
					}
				}
			}
			if !reflect.DeepEqual(tot.Nodes, full.Nodes) {
				t.Errorf("Nodes differ:\n got %+v\nwant %+v", tot.Nodes, full.Nodes)
			}
			if !reflect.DeepEqual(tot.Gaps, full.Gaps) {
				t.Errorf("Gaps = %+v, want %+v", tot.Gaps, full.Gaps)
			}
			if !reflect.DeepEqual(tot.Publishers, full.Publishers) {
				t.Errorf("Publishers = %+v, want %+v", tot.Publishers, full.Publishers)
			}
			if tot.Leaves != full.Leaves || tot.LeavesCovered != full.LeavesCovered || tot.Unresolved != full.Unresolved ||
				tot.Fraction() != full.Fraction() {
				t.Errorf("leaves %d/%d, unresolved %d; want %d/%d, %d",
					tot.LeavesCovered, tot.Leaves, tot.Unresolved, full.LeavesCovered, full.Leaves, full.Unresolved)
			}
			if !reflect.DeepEqual(tot.Framework, full.Framework) || tot.Weighted != full.Weighted || !reflect.DeepEqual(tot.Covering, full.Covering) {
				t.Errorf("framework %s %s weighted %v covering %v; want %s %s %v %v",
					tot.Framework.ID, tot.Framework.Version, tot.Weighted, tot.Covering,
					full.Framework.ID, full.Framework.Version, full.Weighted, full.Covering)
			}
			// Everything else too, field by field: the full coverage with
			// its matrix taken out is the Totals coverage.
			want := *full
			want.Assets, want.Cells, want.rowStart = []AssetCoverage{}, []Cell{}, nil
			if !reflect.DeepEqual(tot, &want) {
				t.Errorf("totals coverage differs from the full one beyond the matrix")
			}

			for _, w := range []struct {
				name  string
				write func(*Coverage, io.Writer) error
			}{{"svg", (*Coverage).WriteSVG}, {"csv", (*Coverage).WriteCSV}} {
				if got, want := renderTo(t, tot, w.write), renderTo(t, full, w.write); !bytes.Equal(got, want) {
					t.Errorf("%s differs at %s", w.name, firstDiff(got, want))
				}
			}
			var js struct {
				Assets []AssetCoverage `json:"assets"`
				Cells  []Cell          `json:"cells"`
				Nodes  []NodeCoverage  `json:"nodes"`
			}
			if err := json.Unmarshal(renderTo(t, tot, (*Coverage).WriteJSON), &js); err != nil {
				t.Fatal(err)
			}
			if js.Assets == nil || len(js.Assets) != 0 || js.Cells == nil || len(js.Cells) != 0 || len(js.Nodes) != len(full.Nodes) {
				t.Errorf("totals JSON: assets %v, cells %v, %d nodes", js.Assets, js.Cells, len(js.Nodes))
			}
		})
	}
}

func renderTo(t *testing.T, c *Coverage, write func(*Coverage, io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(c, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCoverageBuilderOneByOne checks that a builder fed one entry at a
// time computes what NewCoverage and Registry.Coverage do, with and without
// the matrix.
func TestCoverageBuilderOneByOne(t *testing.T) {
	for _, tc := range coverageCases(t) {
		for _, totals := range []bool{false, true} {
			t.Run(tc.name+"/totals="+strconv.FormatBool(totals), func(t *testing.T) {
				opts := tc.opts
				opts.Totals = totals
				want := tc.coverage(t, opts)
				got := tc.build(t, opts)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("builder coverage differs:\n got %+v\nwant %+v", got, want)
				}
				if g, w := renderTo(t, got, (*Coverage).WriteJSON), renderTo(t, want, (*Coverage).WriteJSON); !bytes.Equal(g, w) {
					t.Errorf("JSON differs at %s", firstDiff(g, w))
				}
				if g, w := renderTo(t, got, (*Coverage).WriteCellsCSV), renderTo(t, want, (*Coverage).WriteCellsCSV); !bytes.Equal(g, w) {
					t.Errorf("cells CSV differs at %s", firstDiff(g, w))
				}
			})
		}
	}
}

// TestCoverageBuilderFinish checks what Coverage does to the builder: a
// second call returns the same coverage, and Add panics.
func TestCoverageBuilderFinish(t *testing.T) {
	entries := handCatalogue(t)
	for _, totals := range []bool{false, true} {
		t.Run("totals="+strconv.FormatBool(totals), func(t *testing.T) {
			b, err := Default().CoverageBuilder("gsbpm", "", CoverageOptions{Totals: totals})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				b.Add(e)
			}
			c := b.Coverage()
			js := renderTo(t, c, (*Coverage).WriteJSON)
			if again := b.Coverage(); again != c {
				t.Errorf("second Coverage returned %p, want %p", again, c)
			}
			if again := renderTo(t, c, (*Coverage).WriteJSON); !bytes.Equal(again, js) {
				t.Errorf("second Coverage changed the result at %s", firstDiff(again, js))
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Error("Add after Coverage did not panic")
					}
				}()
				b.Add(entries[0])
			}()
			if c.AssetCount() != 4 || c.Nodes[c.NodeIndex("5.3")].Assets != 2 {
				t.Errorf("after the refused Add: %d assets, 5.3 covered by %d", c.AssetCount(), c.Nodes[c.NodeIndex("5.3")].Assets)
			}
		})
	}
}

// TestCoverageBuilderCopiesOptions checks that changing the caller's
// option slices after NewCoverageBuilder changes nothing.
func TestCoverageBuilderCopiesOptions(t *testing.T) {
	fw := mustLookup(t, Default(), KeyGSBPM, "5.2")
	covering := []asset.AlignmentRelation{asset.Teaches, asset.Assesses, asset.Requires}
	versions := []string{"5.1"}
	opts := CoverageOptions{Covering: covering, Versions: versions}
	want := NewCoverage(fw, handCatalogue(t), opts)
	b := NewCoverageBuilder(fw, opts)
	covering[2], versions[0] = asset.Teaches, "4.0"
	for _, e := range handCatalogue(t) {
		b.Add(e)
	}
	if got := b.Coverage(); !reflect.DeepEqual(got, want) {
		t.Errorf("builder used the caller's slices after NewCoverageBuilder: %d leaves covered, want %d", got.LeavesCovered, want.LeavesCovered)
	}
}

// TestCoverageBuilderErrors checks that Registry.CoverageBuilder resolves
// frameworks and versions as Registry.Coverage does.
func TestCoverageBuilderErrors(t *testing.T) {
	tests := []struct {
		name, key, version string
		want               error // nil: resolves
		wantVersion        string
	}{
		{"newest", "gsbpm", "", nil, "5.2"},
		{"by-version", "gsbpm", "5.1", nil, "5.1"},
		{"by-iri", "http://id.unece.org/activities/gsbpm", "5.1", nil, "5.1"},
		{"unknown-version", "gsbpm", "4.0", ErrUnknownVersion, ""},
		{"unknown-framework", "nope", "", ErrUnknownFramework, ""},
		{"unknown-framework-with-version", "nope", "1.0", ErrUnknownFramework, ""},
	}
	r := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := r.CoverageBuilder(tt.key, tt.version, CoverageOptions{})
			c, cerr := r.Coverage(tt.key, tt.version, handCatalogue(t), CoverageOptions{})
			if tt.want == nil {
				if err != nil || cerr != nil {
					t.Fatalf("CoverageBuilder: %v; Coverage: %v", err, cerr)
				}
				got := b.Coverage()
				if !reflect.DeepEqual(got.Framework, c.Framework) || got.Framework.Version != tt.wantVersion {
					t.Errorf("builder covers %s %s, Coverage %s %s; want version %s",
						got.Framework.ID, got.Framework.Version, c.Framework.ID, c.Framework.Version, tt.wantVersion)
				}
				return
			}
			if b != nil || !errors.Is(err, tt.want) || !errors.Is(cerr, tt.want) {
				t.Fatalf("CoverageBuilder: %v, %v; Coverage: %v; want %v", b, err, cerr, tt.want)
			}
			if err.Error() != cerr.Error() {
				t.Errorf("CoverageBuilder says %q, Coverage %q", err, cerr)
			}
		})
	}
}

// addLargeTree adds to b a course of two lessons whose titles (and
// publisher) are freshly allocated, titleLen bytes each, and returns weak
// pointers to the tree, to one lesson, to the strings of the tree and to
// the publisher's name, with the bytes the titles take. Nothing of the tree
// outlives the call unless b keeps it.
func addLargeTree(b *CoverageBuilder, i, titleLen int) (ptrs []weak.Pointer[byte], tree weak.Pointer[asset.Asset], part weak.Pointer[asset.Asset], size int) {
	id := "urn:ota:test:large:" + strconv.Itoa(i)
	title := func(s string) asset.LangString {
		return asset.LangString{"en": s + strings.Repeat("x", titleLen-len(s))}
	}
	codes := []string{"1.1", "5.3", "7.5", "OA-QM", "9.9"}
	a := &asset.Asset{
		ID: id, Kind: asset.KindCourse, Title: title(id),
		Alignments: []asset.Alignment{{Framework: "gsbpm", Code: codes[i%len(codes)]}},
		Parts: []asset.Asset{
			{ID: id + ":1", Kind: asset.KindLesson, Title: title(id + ":1"), Duration: asset.Duration{Hours: 1},
				Alignments: []asset.Alignment{{Framework: "gsbpm", Code: codes[(i+1)%len(codes)], Relation: asset.Assesses}}},
			{ID: id + ":2", Kind: asset.KindLesson, Title: title(id + ":2"),
				Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "2.1", Relation: asset.Requires}}},
		},
	}
	// Longer than 16 bytes, so not packed with other tiny allocations.
	pub := "National Statistical Office " + strconv.Itoa(i%7)
	b.Add(Entry{Asset: a, Publisher: pub})
	for _, s := range []string{a.ID, a.Title["en"], a.Parts[1].Title["en"], pub} {
		ptrs = append(ptrs, weak.Make(unsafe.StringData(s)))
	}
	return ptrs, weak.Make(a), weak.Make(&a.Parts[1]), 3 * titleLen
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestCoverageBuilderTotalsMemory checks that a builder with Totals keeps
// nothing of the trees it is given: after 20,000 trees of three 1 KiB
// titles each, the live heap has grown by far less than they take. Without
// Totals the builder keeps each tree's title for the matrix, which shows
// the measurement sees what is kept.
func TestCoverageBuilderTotalsMemory(t *testing.T) {
	const n, titleLen = 20_000, 1 << 10
	tests := []struct {
		name   string
		totals bool
	}{{"totals", true}, {"matrix", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.totals && testing.Short() {
				t.Skip("keeps 20 MB of titles")
			}
			b, err := Default().CoverageBuilder("gsbpm", "", CoverageOptions{Totals: tt.totals})
			if err != nil {
				t.Fatal(err)
			}
			before := liveHeap()
			treeBytes := 0
			// The first tree, and the last: the builder's scratch must not
			// hold on to the tree it last walked either.
			type weakTree struct {
				strs       []weak.Pointer[byte]
				tree, part weak.Pointer[asset.Asset]
			}
			var watched []weakTree
			for i := range n {
				strs, tree, part, size := addLargeTree(b, i, titleLen)
				treeBytes += size
				if i == 0 || i == n-1 {
					watched = append(watched, weakTree{strs, tree, part})
				}
			}
			after := liveHeap()
			grew := int64(after) - int64(before)
			t.Logf("live heap grew by %d bytes for %d bytes of trees", grew, treeBytes)
			if tt.totals && grew > int64(treeBytes/10) {
				t.Errorf("live heap grew by %d bytes over %d trees of %d bytes: the builder keeps them", grew, n, treeBytes)
			}
			if !tt.totals && grew < int64(treeBytes/4) {
				t.Errorf("live heap grew by %d bytes with the matrix, which keeps %d bytes of titles", grew, treeBytes/3)
			}
			// No tree is kept whole in either case; with Totals, not even
			// its strings, nor the publisher's name as the entry gave it.
			for w, wt := range watched {
				if wt.tree.Value() != nil || wt.part.Value() != nil {
					t.Errorf("the builder keeps tree %d", w)
				}
				if !tt.totals {
					continue
				}
				for i, p := range wt.strs {
					if p.Value() != nil {
						t.Errorf("the builder keeps string %d of tree %d", i, w)
					}
				}
			}

			c := b.Coverage()
			if c.AssetCount() != n || len(c.Publishers) != 7 || c.Publishers[0].Publisher != "National Statistical Office 0" ||
				c.Publishers[0].Assets != n/7+1 || c.Unresolved != 2*n/5 {
				t.Errorf("%d assets, publishers %+v, %d unresolved", c.AssetCount(), c.Publishers[0], c.Unresolved)
			}
			if got, want := c.LeavesCovered, 4; got != want {
				t.Errorf("%d leaves covered, want %d", got, want)
			}
			if tt.totals == (len(c.Assets) != 0) {
				t.Errorf("%d assets in the matrix", len(c.Assets))
			}
		})
	}
}
