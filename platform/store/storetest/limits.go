package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/metaacademy/ota/platform/store"
)

// RunMigration checks that a database made by an older schema version is
// migrated on open, its records kept and re-indexed. open opens the same
// database every call, migrating up to version (0: the newest).
func RunMigration(t *testing.T, open func(t *testing.T, version int) store.Store) {
	ctx := context.Background()
	old := open(t, 1)
	load(t, old)
	if _, err := old.Related(ctx, key("ons-uk", IDSeasonalEN), 10); !errors.Is(err, store.ErrSchema) {
		t.Errorf("Related on a version 1 database: %v, want ErrSchema", err)
	}
	old.Close()
	// Version 2: overlap candidates; search needs version 3's table. A
	// record put and deleted there must not be found after migration.
	v2 := open(t, 2)
	if _, err := v2.Search(ctx, store.Query{}); !errors.Is(err, store.ErrSchema) {
		t.Errorf("Search on a version 2 database: %v, want ErrSchema", err)
	}
	gone := Assets()["ine-es"][0]
	gone.ID = "urn:uuid:0e6b1c1e-0000-4000-8000-0000000000fe"
	if _, err := v2.Put(ctx, RecordOf("ine-es", gone, t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := v2.Delete(ctx, key("ine-es", gone.ID), t0); err != nil {
		t.Fatal(err)
	}
	v2.Close()
	s := open(t, 0)
	defer s.Close()
	res, err := s.Search(ctx, store.Query{Terms: terms(t, "seasonal")})
	if err != nil || res.Total != 2 {
		t.Errorf("search after migration: %v %v", res, err)
	}
	res, err = s.Search(ctx, store.Query{Facets: true})
	if err != nil || res.Total != 4 || res.Capped {
		t.Fatalf("search of everything after migration: %v %v", res, err)
	}
	wantFacets(t, res.Facets)
	if h := res.Hits[0]; len(h.Languages) == 0 || h.Title == nil {
		t.Errorf("hit after migration lacks languages or title: %+v", h)
	}
	rel, err := s.Related(ctx, key("ons-uk", IDSeasonalEN), 10)
	if err != nil || len(rel) == 0 || rel[0] != (key("insee-fr", IDSeasonalFR)) {
		t.Errorf("Related after migration (backfilled): %v %v", rel, err)
	}
	// New records are indexed at the new version.
	a := Assets()["ons-uk"][0]
	a.ID = "urn:uuid:0e6b1c1e-0000-4000-8000-0000000000ff"
	a.Title = map[string]string{"en": "Désaisonnalisation for beginners"}
	if _, err := s.Put(ctx, RecordOf("ons-uk", a, t0)); err != nil {
		t.Fatal(err)
	}
	rel, _ = s.Related(ctx, key("ons-uk", a.ID), 10)
	if !slices.Contains(rel, key("insee-fr", IDSeasonalFR)) {
		t.Errorf("Related of a record put after migration: %v", rel)
	}
}

// wantFacets checks the facets of every fixture (load).
func wantFacets(t *testing.T, f *store.Facets) {
	t.Helper()
	want := map[string][]store.FacetValue{
		"languages":  {fv("en", 2), fv("es", 1), fv("fr", 1)},
		"licenses":   {fv("CC-BY-4.0", 2), fv("OGL-UK-3.0", 1), fv("etalab-2.0", 1)},
		"levels":     {fv("intermediate", 2), fv("advanced", 1), fv("basic", 1)},
		"kinds":      {fv("course", 3), fv("lesson", 1)},
		"sources":    {fv("ons-uk", 2), fv("ine-es", 1), fv("insee-fr", 1)},
		"frameworks": {fv("gsbpm", 3), fv("digcomp", 1)},
	}
	got := map[string][]store.FacetValue{
		"languages": f.Languages, "licenses": f.Licenses, "levels": f.Levels, "kinds": f.Kinds, "sources": f.Sources, "frameworks": f.Frameworks,
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("facet %s = %v, want %v", k, got[k], w)
		}
	}
}

// RunCapped checks the bounds of a search on a store whose open makes it
// count and rank at most 4 matches (store.MaxTotal, made small): the total
// stops at the bound and says so, facets are counted over a sample and
// say so, and relevance orders the matches stored last.
func RunCapped(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	defer s.Close()
	const bound = 4
	var ids []string
	for i := range 6 {
		a := Assets()["ons-uk"][0]
		a.ID = fmt.Sprintf("urn:uuid:0e6b1c1e-0000-4000-8000-0000000001%02d", i)
		a.Title = map[string]string{"en": fmt.Sprintf("Windowsill study %d", i)}
		if _, err := s.Put(ctx, RecordOf("ons-uk", a, t0)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, facets := range []bool{false, true} {
		res, err := s.Search(ctx, store.Query{Terms: terms(t, "windowsill"), Facets: facets})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != bound || !res.Capped {
			t.Errorf("facets %v: total %d capped %v, want %d capped", facets, res.Total, res.Capped, bound)
		}
		if facets && (!res.Facets.Partial || !slices.Equal(res.Facets.Sources, []store.FacetValue{fv("ons-uk", bound)})) {
			t.Errorf("facets of a capped search: partial %v, sources %v", res.Facets.Partial, res.Facets.Sources)
		}
		// Relevance ranks the newest matches (all equally good here, so
		// in title order).
		if got := hitIDsInOrder(res); !slices.Equal(got, ids[6-bound:]) {
			t.Errorf("relevance hits %v, want the newest %v", got, ids[6-bound:])
		}
	}
	res, err := s.Search(ctx, store.Query{Terms: terms(t, "windowsill"), Offset: bound})
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("relevance past the bound: %v %v, want no hits", res, err)
	}
	// Below the bound, counts are exact.
	res, err = s.Search(ctx, store.Query{Terms: terms(t, `"study 1"`), Facets: true})
	if err != nil || res.Total != 1 || res.Capped || res.Facets.Partial {
		t.Errorf("one match: %+v %v", res, err)
	}
}
