package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/metaacademy/ota/platform/store"
)

func testFacets(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	res, err := s.Search(ctx, store.Query{Facets: true})
	if err != nil || res.Facets == nil {
		t.Fatalf("facets: %v %v", res, err)
	}
	wantFacets(t, res.Facets)
	// Facets follow the query.
	res, _ = s.Search(ctx, store.Query{Terms: terms(t, "seasonal"), Facets: true})
	if !slices.Equal(res.Facets.Sources, []store.FacetValue{fv("insee-fr", 1), fv("ons-uk", 1)}) {
		t.Errorf("facet sources for 'seasonal' = %v", res.Facets.Sources)
	}
}

func testPaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	var seen []string
	for off := 0; off < 4; off += 3 {
		res, err := s.Search(ctx, store.Query{Sort: store.SortTitle, Offset: off, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 4 {
			t.Errorf("total %d, want 4", res.Total)
		}
		seen = append(seen, hitIDsInOrder(res)...)
	}
	all, _ := s.Search(ctx, store.Query{Sort: store.SortTitle})
	if !slices.Equal(seen, hitIDsInOrder(all)) {
		t.Errorf("pages %v, all %v", seen, hitIDsInOrder(all))
	}
	res, _ := s.Search(ctx, store.Query{Limit: 10000})
	if len(res.Hits) != 4 {
		t.Errorf("limit above MaxLimit: %d hits", len(res.Hits))
	}
}

func testDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	k := store.Key{Source: "insee-fr", ID: IDSeasonalFR}
	before, _ := s.Get(ctx, k)
	was, err := s.Delete(ctx, k, t0.Add(time.Hour))
	if err != nil || !was {
		t.Fatalf("Delete: %v %v", was, err)
	}
	got, err := s.Get(ctx, k)
	if err != nil || !got.Deleted || got.Doc != nil || got.Seq <= before.Seq {
		t.Errorf("Get after Delete: %+v, %v", got, err)
	}
	res, _ := s.Search(ctx, store.Query{Terms: terms(t, "seasonal")})
	if !slices.Equal(hitIDs(res), []string{IDSeasonalEN}) {
		t.Errorf("search after delete: %v", hitIDs(res))
	}
	if recs, _ := s.FindID(ctx, IDSeasonalFR); len(recs) != 0 {
		t.Errorf("FindID of a deleted record: %v", recs)
	}
	// Deleting again changes nothing.
	if was, err := s.Delete(ctx, k, t0); err != nil || was {
		t.Errorf("second Delete: %v %v", was, err)
	}
	// A deletion of a record never seen is kept as a tombstone.
	unknown := store.Key{Source: "insee-fr", ID: "urn:x:gone"}
	if was, err := s.Delete(ctx, unknown, t0); err != nil || was {
		t.Errorf("Delete of an unknown key: %v %v", was, err)
	}
	if g, err := s.Get(ctx, unknown); err != nil || !g.Deleted {
		t.Errorf("tombstone of an unknown key: %+v %v", g, err)
	}
	// Put revives.
	rec := RecordOf("insee-fr", Assets()["insee-fr"][0], t0)
	if changed, err := s.Put(ctx, rec); err != nil || !changed {
		t.Fatalf("Put after Delete: %v %v", changed, err)
	}
	res, _ = s.Search(ctx, store.Query{Terms: terms(t, "seasonal")})
	if len(res.Hits) != 2 {
		t.Errorf("search after revival: %v", hitIDs(res))
	}
	if _, err := s.Delete(ctx, store.Key{}, t0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Delete of an empty key: %v", err)
	}
}

func testTouchPrune(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	later := t0.Add(24 * time.Hour)
	for _, k := range []store.Key{key("ons-uk", IDDigital), key("ine-es", IDSeasonal)} {
		if err := s.Touch(ctx, k, later); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := s.Get(ctx, key("ons-uk", IDDigital))
	if !before.Fetched.Equal(later) {
		t.Errorf("Touch: fetched %v", before.Fetched)
	}
	if err := s.Touch(ctx, key("ons-uk", "urn:x:none"), later); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Touch of an unknown key: %v", err)
	}
	pruned, err := s.Prune(ctx, "ons-uk", later, later)
	if err != nil || !slices.Equal(pruned, []store.Key{key("ons-uk", IDSeasonalEN)}) {
		t.Fatalf("Prune = %v, %v", pruned, err)
	}
	if g, _ := s.Get(ctx, key("ons-uk", IDSeasonalEN)); !g.Deleted {
		t.Errorf("pruned record is live")
	}
	if g, _ := s.Get(ctx, key("insee-fr", IDSeasonalFR)); g.Deleted {
		t.Errorf("Prune of ons-uk deleted a record of insee-fr")
	}
	after, _ := s.Get(ctx, key("ons-uk", IDDigital))
	if after.Seq != before.Seq {
		t.Errorf("Touch changed the Seq: %d → %d", before.Seq, after.Seq)
	}
}

func testFindID(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	recs, err := s.FindID(ctx, IDModule)
	if err != nil || len(recs) != 1 || recs[0].ID != IDSeasonal || len(recs[0].Doc) == 0 {
		t.Fatalf("FindID of a part: %v %v", recs, err)
	}
	// The same ID from a second source is kept apart.
	rec := RecordOf("mirror", Assets()["ine-es"][0], t0)
	if _, err := s.Put(ctx, rec); err != nil {
		t.Fatal(err)
	}
	recs, _ = s.FindID(ctx, IDSeasonal)
	if len(recs) != 2 || recs[0].Source != "ine-es" || recs[1].Source != "mirror" {
		t.Errorf("FindID across sources: %v", recs)
	}
	var keys []store.Key
	for k, err := range s.Keys(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if len(keys) != 5 || keys[0].Source != "ine-es" || keys[4].Source != "ons-uk" {
		t.Errorf("Keys = %v", keys)
	}
	keys = keys[:0]
	for k, err := range s.Keys(ctx, "ons-uk") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if !slices.Equal(keys, []store.Key{key("ons-uk", IDDigital), key("ons-uk", IDSeasonalEN)}) {
		t.Errorf("Keys(ons-uk) = %v", keys)
	}
}

func testChanges(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	if _, err := s.Delete(ctx, store.Key{Source: "ine-es", ID: IDSeasonal}, t0); err != nil {
		t.Fatal(err)
	}
	all, err := s.Changes(ctx, store.ChangesQuery{Deleted: true})
	if err != nil || len(all) != 4 {
		t.Fatalf("Changes: %d, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Errorf("Changes not in Seq order: %d then %d", all[i-1].Seq, all[i].Seq)
		}
	}
	if last := all[len(all)-1]; !last.Deleted || last.ID != IDSeasonal {
		t.Errorf("the deletion is not the last change: %+v", last)
	}
	live, _ := s.Changes(ctx, store.ChangesQuery{})
	if len(live) != 3 {
		t.Errorf("live changes: %d", len(live))
	}
	// A cursor walk in pages of one sees every change once.
	var walked []string
	var after int64
	for {
		page, err := s.Changes(ctx, store.ChangesQuery{AfterSeq: after, Limit: 1, Deleted: true, WithDoc: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if !page[0].Deleted && len(page[0].Doc) == 0 {
			t.Errorf("WithDoc: %s has no document", page[0].ID)
		}
		walked = append(walked, page[0].ID)
		after = page[0].Seq
	}
	if len(walked) != 4 {
		t.Errorf("cursor walk: %v", walked)
	}
	// The same walk in (datestamp second, ID) order, as OAI-PMH pages.
	walked = walked[:0]
	var stamp time.Time
	var id string
	for {
		page, err := s.Changes(ctx, store.ChangesQuery{ByStamp: true, AfterStamp: stamp, AfterID: id, Limit: 1, Deleted: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		walked = append(walked, page[0].ID)
		stamp, id = page[0].Datestamp.Truncate(time.Second), page[0].ID
		if len(walked) > 10 {
			t.Fatal("the stamp walk does not end")
		}
	}
	slices.Sort(walked)
	if want := []string{IDSeasonal, IDSeasonalFR, IDDigital, IDSeasonalEN}; !slices.Equal(walked, sorted(want)) {
		t.Errorf("stamp walk: %v", walked)
	}
	if got, _ := s.Changes(ctx, store.ChangesQuery{Source: "ons-uk"}); len(got) != 2 {
		t.Errorf("Changes(ons-uk): %d", len(got))
	}
	future, _ := s.Changes(ctx, store.ChangesQuery{From: time.Now().Add(time.Hour)})
	if len(future) != 0 {
		t.Errorf("Changes from the future: %d", len(future))
	}
	past, _ := s.Changes(ctx, store.ChangesQuery{Until: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if len(past) != 0 {
		t.Errorf("Changes until 2000: %d", len(past))
	}
}

func testCoverage(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	cov, err := s.Coverage(ctx, "gsbpm")
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]store.NodeCount{}
	for _, n := range cov {
		byCode[n.Code] = n
	}
	if n := byCode["5.3"]; n.Assets != 3 || n.Sources != 3 || !slices.Equal(n.SourceNames, []string{"ine-es", "insee-fr", "ons-uk"}) {
		t.Errorf("5.3: %+v", n)
	}
	if n := byCode["5"]; n.Assets != 3 {
		t.Errorf("phase 5 rolls up: %+v", n)
	}
	if n := byCode["6.2"]; n.Assets != 1 || n.Sources != 1 {
		t.Errorf("6.2 (a part): %+v", n)
	}
	if _, ok := byCode["5.4"]; ok {
		t.Errorf("5.4 is only required, not covered: %+v", byCode["5.4"])
	}
	dc, _ := s.Coverage(ctx, "digcomp")
	if len(dc) < 2 { // 1.1 and area 1
		t.Errorf("digcomp coverage: %+v", dc)
	}
	none, err := s.Coverage(ctx, "gamso")
	if err != nil || len(none) != 0 {
		t.Errorf("gamso coverage: %v %v", none, err)
	}
}

func testOverlaps(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	es, fr, en := key("ine-es", IDSeasonal), key("insee-fr", IDSeasonalFR), key("ons-uk", IDSeasonalEN)
	rel, err := s.Related(ctx, en, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rel, fr) || !slices.Contains(rel, es) || slices.Contains(rel, en) {
		t.Errorf("Related(en) = %v, want the French (title words, node) and the Spanish (node) course", rel)
	}
	if rel[0] != fr {
		t.Errorf("Related(en)[0] = %v, want the French course (it shares most)", rel[0])
	}
	for _, k := range rel {
		if k.Source == en.Source {
			t.Errorf("Related lists a record of the same source: %v", k)
		}
	}
	ov := []store.Overlap{
		{A: fr, B: en, AID: fr.ID, BID: en.ID, Score: 0.8, Evidence: []byte(`{"title":["seasonal","adjustment"]}`)},
		{A: en, B: es, AID: en.ID, BID: es.ID, BPointer: "/parts/0", Score: 0.6, Evidence: []byte(`{}`)},
	}
	if err := s.PutOverlaps(ctx, en, ov); err != nil {
		t.Fatal(err)
	}
	got, total, err := s.Overlaps(ctx, store.OverlapQuery{})
	if err != nil || total != 2 || len(got) != 2 {
		t.Fatalf("Overlaps: %v %d %v", got, total, err)
	}
	if got[0].Score != 0.8 || got[0].A != fr || got[0].B != en || string(got[0].Evidence) != `{"title":["seasonal","adjustment"]}` {
		t.Errorf("first overlap: %+v", got[0])
	}
	// A sorts before B: ine-es before ons-uk, pointers swapped with them.
	if got[1].A != es || got[1].APointer != "/parts/0" || got[1].B != en || got[1].BPointer != "" {
		t.Errorf("second overlap: %+v", got[1])
	}
	if got, total, _ := s.Overlaps(ctx, store.OverlapQuery{Source: "ine-es"}); total != 1 || got[0].A != es {
		t.Errorf("Overlaps(source ine-es): %v", got)
	}
	if got, total, _ := s.Overlaps(ctx, store.OverlapQuery{Key: &fr}); total != 1 || got[0].B != en {
		t.Errorf("Overlaps(key fr): %v", got)
	}
	if got, total, _ := s.Overlaps(ctx, store.OverlapQuery{Offset: 1, Limit: 1}); total != 2 || len(got) != 1 || got[0].Score != 0.6 {
		t.Errorf("Overlaps page 2: %v", got)
	}
	// Replacing the overlaps of fr drops the pair fr~en.
	if err := s.PutOverlaps(ctx, fr, nil); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := s.Overlaps(ctx, store.OverlapQuery{}); total != 1 {
		t.Errorf("after PutOverlaps(fr, nil): %d overlaps", total)
	}
	// Deleting a record drops its overlaps.
	if _, err := s.Delete(ctx, es, t0); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := s.Overlaps(ctx, store.OverlapQuery{}); total != 0 {
		t.Errorf("after deleting es: %d overlaps", total)
	}
	// Pairs must involve the key and two sources.
	if err := s.PutOverlaps(ctx, fr, []store.Overlap{{A: en, B: key("ons-uk", IDDigital)}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("PutOverlaps of a foreign pair: %v", err)
	}
	if err := s.PutOverlaps(ctx, key("x", "y"), nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PutOverlaps of an unknown key: %v", err)
	}
}

func testLineage(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	ds, total, err := s.Derivations(ctx, 0, 10)
	if err != nil || total != 2 || len(ds) != 2 {
		t.Fatalf("Derivations: %v %d %v", ds, total, err)
	}
	want := []store.Derivation{
		{From: key("insee-fr", IDSeasonalFR), FromID: IDSeasonalFR, Type: "isTranslationOf", To: key("ine-es", IDSeasonal), ToID: IDSeasonal},
		{From: key("ons-uk", IDSeasonalEN), FromID: IDSeasonalEN, Type: "isBasedOn", To: key("insee-fr", IDSeasonalFR), ToID: IDSeasonalFR},
	}
	if !slices.Equal(ds, want) {
		t.Errorf("Derivations = %+v", ds)
	}
	keys, err := s.DerivedFrom(ctx, IDSeasonal)
	if err != nil || !slices.Equal(keys, []store.Key{key("insee-fr", IDSeasonalFR)}) {
		t.Errorf("DerivedFrom: %v %v", keys, err)
	}
	if ds, total, _ := s.Derivations(ctx, 1, 10); total != 2 || len(ds) != 1 {
		t.Errorf("Derivations page 2: %v", ds)
	}
}

func testTrust(t *testing.T, s store.Store) {
	ctx := context.Background()
	k := store.TrustedKey{Source: "ine-es", KeyID: "abc", PublicKey: []byte("-----BEGIN PUBLIC KEY-----\n..."), Note: "by email", Added: t0}
	if err := s.Trust(ctx, k); err != nil {
		t.Fatal(err)
	}
	if err := s.Trust(ctx, store.TrustedKey{Source: "ons-uk", KeyID: "def", PublicKey: []byte("x"), Added: t0}); err != nil {
		t.Fatal(err)
	}
	k.Note = "in person"
	if err := s.Trust(ctx, k); err != nil {
		t.Fatal(err)
	}
	all, err := s.TrustList(ctx, "")
	if err != nil || len(all) != 2 || all[0].Note != "in person" || string(all[0].PublicKey) != string(k.PublicKey) || !all[0].Added.Equal(t0) {
		t.Fatalf("TrustList: %+v %v", all, err)
	}
	if one, _ := s.TrustList(ctx, "ons-uk"); len(one) != 1 || one[0].KeyID != "def" {
		t.Errorf("TrustList(ons-uk): %+v", one)
	}
	if err := s.Distrust(ctx, "ine-es", "abc"); err != nil {
		t.Fatal(err)
	}
	if err := s.Distrust(ctx, "ine-es", "abc"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second Distrust: %v", err)
	}
	if err := s.Trust(ctx, store.TrustedKey{Source: "bad source", KeyID: "x", PublicKey: []byte("x")}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Trust with a bad source: %v", err)
	}
}

func testHarvestState(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.HarvestState(ctx, "ine-es", "https://ine.example/feed.json"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("HarvestState before any: %v", err)
	}
	st := store.HarvestState{Source: "ine-es", URL: "https://ine.example/feed.json", ETag: `"v1"`, LastModified: "Mon, 02 Jan 2026 03:04:05 GMT", Token: "tok", From: "2026-01-01T00:00:00Z", LastRun: t0, LastError: "x"}
	if err := s.SetHarvestState(ctx, st); err != nil {
		t.Fatal(err)
	}
	st.LastError = ""
	if err := s.SetHarvestState(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, err := s.HarvestState(ctx, st.Source, st.URL)
	if err != nil || got.ETag != st.ETag || got.LastModified != st.LastModified || got.Token != "tok" || got.From != st.From || !got.LastRun.Equal(t0) || got.LastError != "" {
		t.Errorf("HarvestState = %+v, %v", got, err)
	}
}

func testPublishers(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	if _, err := s.Delete(ctx, key("ons-uk", IDDigital), t0); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Publishers(ctx)
	if err != nil || len(ps) != 3 {
		t.Fatalf("Publishers: %v %v", ps, err)
	}
	if ps[2].Source != "ons-uk" || ps[2].Assets != 1 || ps[2].Name != "ons-uk" || !ps[2].LastFetched.Equal(t0) {
		t.Errorf("Publishers[2] = %+v", ps[2])
	}
}

func testConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	load(t, s)
	errs := make(chan error, 40)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			a := Assets()["ons-uk"][0]
			a.Version = "3.0." + string(rune('0'+i%10))
			if _, err := s.Put(ctx, RecordOf("ons-uk", a, t0)); err != nil {
				errs <- err
			}
		}
	}()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				res, err := s.Search(ctx, store.Query{Terms: terms(t, "open data")})
				if err != nil {
					errs <- err
				} else if res.Total != 1 {
					errs <- errors.New("concurrent search did not find the record being rewritten")
				}
			}
		})
	}
	wg.Wait()
	<-done
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func key(source, id string) store.Key { return store.Key{Source: source, ID: id} }

func fv(v string, n int) store.FacetValue { return store.FacetValue{Value: v, Count: n} }

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
