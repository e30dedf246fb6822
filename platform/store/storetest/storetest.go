package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
)

// Opener returns a new, empty store for one subtest; the suite closes it.
type Opener func(t *testing.T) store.Store

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// load puts every fixture into s.
func load(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	srcs := []string{"ine-es", "insee-fr", "ons-uk"}
	all := Assets()
	for _, src := range srcs {
		for _, a := range all[src] {
			changed, err := s.Put(ctx, RecordOf(src, a, t0))
			if err != nil {
				t.Fatalf("Put %s %s: %v", src, a.ID, err)
			}
			if !changed {
				t.Fatalf("Put %s %s of a new record reported no change", src, a.ID)
			}
		}
	}
}

// Run runs the whole conformance suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PutGet", testPutGet},
		{"PutInvalid", testPutInvalid},
		{"Search", testSearch},
		{"Facets", testFacets},
		{"Paging", testPaging},
		{"DeleteAndRevive", testDelete},
		{"FindIDAndKeys", testFindID},
		{"TouchPrune", testTouchPrune},
		{"Changes", testChanges},
		{"Coverage", testCoverage},
		{"Overlaps", testOverlaps},
		{"Lineage", testLineage},
		{"Trust", testTrust},
		{"HarvestState", testHarvestState},
		{"Publishers", testPublishers},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

func testPutGet(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	rec := RecordOf("ons-uk", Assets()["ons-uk"][0], t0)
	got, err := s.Get(ctx, rec.Key())
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Doc) != string(rec.Doc) || got.Version != rec.Version || got.Origin != rec.Origin || got.Downloads["ota"] != rec.Downloads["ota"] || got.Deleted {
		t.Errorf("Get = %+v, want the record put", got)
	}
	if !got.Fetched.Equal(t0) || got.Datestamp.IsZero() || got.Seq == 0 {
		t.Errorf("Get: fetched %v datestamp %v seq %d", got.Fetched, got.Datestamp, got.Seq)
	}
	// The same record again changes nothing but the fetch time.
	rec.Fetched = t0.Add(time.Hour)
	changed, err := s.Put(ctx, rec)
	if err != nil || changed {
		t.Fatalf("Put of an unchanged record: changed %v, err %v", changed, err)
	}
	again, _ := s.Get(ctx, rec.Key())
	if again.Seq != got.Seq || !again.Fetched.Equal(rec.Fetched) {
		t.Errorf("unchanged Put: seq %d → %d, fetched %v", got.Seq, again.Seq, again.Fetched)
	}
	// A new version is a change with a larger Seq.
	a := Assets()["ons-uk"][0]
	a.Version = "2.1.0"
	a.Title = asset.LangString{"en": "Finding open data, revised"}
	rec2 := RecordOf("ons-uk", a, t0)
	if changed, err := s.Put(ctx, rec2); err != nil || !changed {
		t.Fatalf("Put of a new version: changed %v, err %v", changed, err)
	}
	v2, _ := s.Get(ctx, rec.Key())
	if v2.Seq <= got.Seq || v2.Version != "2.1.0" {
		t.Errorf("new version: seq %d (was %d), version %q", v2.Seq, got.Seq, v2.Version)
	}
	res, err := s.Search(ctx, store.Query{Terms: terms(t, "revised")})
	if err != nil || res.Total != 1 {
		t.Errorf("search for the new title: %v, %v", res, err)
	}
	res, _ = s.Search(ctx, store.Query{Terms: terms(t, "evaluating")})
	if res.Total != 0 {
		t.Errorf("the old title is still found: %+v", res.Hits)
	}
	if _, err := s.Get(ctx, store.Key{Source: "ons-uk", ID: "urn:x:none"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of an unknown key: %v, want ErrNotFound", err)
	}
}

func testPutInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	good := RecordOf("ons-uk", Assets()["ons-uk"][0], t0)
	cases := []struct {
		name string
		edit func(r *store.Record)
	}{
		{"no source", func(r *store.Record) { r.Source = "" }},
		{"source with a comma", func(r *store.Record) { r.Source = "a,b" }},
		{"source with a slash", func(r *store.Record) { r.Source = "../x" }},
		{"no ID", func(r *store.Record) { r.ID = "" }},
		{"no document", func(r *store.Record) { r.Doc = nil }},
		{"not JSON", func(r *store.Record) { r.Doc = []byte("<html>") }},
		{"ID differs from the document's", func(r *store.Record) { r.ID = "urn:x:other" }},
		{"document too large", func(r *store.Record) { r.Doc = make([]byte, store.MaxDocBytes+1) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := good
			c.edit(&r)
			if _, err := s.Put(ctx, r); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Put: %v, want ErrInvalid", err)
			}
		})
	}
	res, err := s.Search(ctx, store.Query{})
	if err != nil || res.Total != 0 {
		t.Errorf("after refused Puts the store holds %d records (%v)", res.Total, err)
	}
}

func terms(t *testing.T, text string) []store.Term {
	t.Helper()
	ts, _, err := store.ParseQuery(text, store.Filters{})
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", text, err)
	}
	return ts
}

func hitIDs(res *store.Results) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	sort.Strings(ids)
	return ids
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	cases := []struct {
		text    string
		filters store.Filters
		want    []string
	}{
		{"", store.Filters{}, []string{IDSeasonal, IDSeasonalFR, IDDigital, IDSeasonalEN}},
		{"seasonal", store.Filters{}, []string{IDSeasonalFR, IDSeasonalEN}},            // English title of the French course too
		{"DESAISONNALISATION", store.Filters{}, []string{IDSeasonalFR}},                // case and accents ignored
		{"désaisonnalisation", store.Filters{}, []string{IDSeasonalFR}},                //
		{"desestacionalizacion", store.Filters{}, []string{IDSeasonal}},                // in the description and keywords
		{"arima", store.Filters{}, []string{IDSeasonal}},                               // a part's title ("13arima" is another word)
		{"x-13arima-seats", store.Filters{}, []string{IDSeasonalFR, IDSeasonalEN}},     // punctuation splits, as a phrase
		{`"open data"`, store.Filters{}, []string{IDDigital}},                          //
		{`"data open"`, store.Filters{}, nil},                                          // a phrase keeps its order
		{"season*", store.Filters{}, []string{IDSeasonalFR, IDSeasonalEN}},             // prefix
		{"seasonal -practice", store.Filters{}, []string{IDSeasonalFR}},                // exclusion
		{"validacion resultados", store.Filters{}, []string{IDSeasonal}},               // a part's title
		{"lang:fr", store.Filters{}, []string{IDSeasonalFR}},                           // inline filter
		{"", store.Filters{Language: "en-GB"}, []string{IDDigital, IDSeasonalEN}},      // a tag's primary subtag
		{"", store.Filters{License: "cc-by-4.0"}, []string{IDSeasonal, IDSeasonalEN}},  // case-insensitive
		{"", store.Filters{Level: "intermediate"}, []string{IDSeasonal, IDSeasonalFR}}, //
		{"", store.Filters{Kind: "lesson"}, []string{IDDigital}},                       //
		{"", store.Filters{Source: "ons-uk"}, []string{IDDigital, IDSeasonalEN}},       //
		{"", store.Filters{Framework: "digcomp"}, []string{IDDigital}},                 //
		{"", store.Filters{Framework: "gsbpm", Node: "5.3"}, []string{IDSeasonal, IDSeasonalFR, IDSeasonalEN}},
		{"", store.Filters{Framework: "gsbpm", Node: "5"}, []string{IDSeasonal, IDSeasonalFR, IDSeasonalEN}}, // a phase holds its sub-processes
		{"", store.Filters{Framework: "gsbpm", Node: "6.2"}, []string{IDSeasonal}},                           // a part's alignment
		{"", store.Filters{Framework: "gsbpm", Node: "5.4"}, []string{IDSeasonalEN}},                         // requires counts for the filter
		{"", store.Filters{MinDuration: 5 * time.Hour}, []string{IDSeasonal, IDSeasonalFR, IDSeasonalEN}},    // parts' 2 h + 4 h
		{"", store.Filters{MaxDuration: time.Hour}, []string{IDDigital}},
		{"", store.Filters{MinDuration: 6 * time.Hour, MaxDuration: 7 * time.Hour}, []string{IDSeasonal, IDSeasonalFR}},
		{"seasonal", store.Filters{Level: "advanced"}, []string{IDSeasonalEN}},
		{"nothing-like-this", store.Filters{}, nil},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%02d %s", i, c.text), func(t *testing.T) {
			ts, f, err := store.ParseQuery(c.text, c.filters)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Search(ctx, store.Query{Terms: ts, Filters: f, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(c.want)
			sort.Strings(want)
			if got := hitIDs(res); !slices.Equal(got, want) || res.Total != len(want) {
				t.Errorf("hits %v (total %d), want %v", got, res.Total, want)
			}
		})
	}
	// A title match ranks above a match in the body only.
	res, err := s.Search(ctx, store.Query{Terms: terms(t, "seasonal adjustment")})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("seasonal adjustment: %v %v", res, err)
	}
	// Hits carry what a result list shows.
	res, _ = s.Search(ctx, store.Query{Terms: terms(t, "open data")})
	if len(res.Hits) != 1 {
		t.Fatalf("open data: %d hits", len(res.Hits))
	}
	h := res.Hits[0]
	if h.Title["en"] != "Finding and evaluating open data" || h.Kind != "lesson" || h.License != "OGL-UK-3.0" || h.Level != "basic" ||
		h.Duration != 45*time.Minute || !slices.Equal(h.Languages, []string{"en"}) || h.Source != "ons-uk" || h.Version != "2.0.0" {
		t.Errorf("hit = %+v", h)
	}
	// Sorted by title.
	res, _ = s.Search(ctx, store.Query{Sort: store.SortTitle})
	var titles []string
	for _, h := range res.Hits {
		titles = append(titles, store.Fold(firstValue(h.Title)))
	}
	if !slices.IsSorted(titles) {
		t.Errorf("SortTitle: %q", titles)
	}
	// Newest first.
	res, _ = s.Search(ctx, store.Query{Sort: store.SortModified})
	if len(res.Hits) != 4 || res.Hits[0].ID != IDSeasonalEN || res.Hits[3].ID != IDDigital {
		t.Errorf("SortModified: %v", hitIDsInOrder(res))
	}
	// Bad queries are refused.
	for _, q := range []store.Query{
		{Terms: []store.Term{{Words: []string{"x"}, Not: true}}},
		{Terms: []store.Term{{Words: []string{`"; DROP TABLE assets; --`}}}},
		{Offset: -1},
		{Sort: "random"},
		{Filters: store.Filters{Node: "5.3"}},
	} {
		if _, err := s.Search(ctx, q); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Search(%+v): %v, want ErrInvalid", q, err)
		}
	}
}

func firstValue(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return m[keys[0]]
}

func hitIDsInOrder(res *store.Results) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}
