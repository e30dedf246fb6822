package oaipmh_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/oaipmh"
)

// bigCatalogue returns n course assets from three publishers whose
// modified dates fall on n/100 distinct seconds, so that a hundred records
// share each datestamp and the identifier breaks the ties.
func bigCatalogue(n int) *catalogue.Catalogue {
	cat := &catalogue.Catalogue{}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	pubs := []string{"INSEE", "Statistics Canada", "UNECE"}
	for i := range n {
		a := &asset.Asset{
			ID:       fmt.Sprintf("https://example.org/assets/%05d", (i*7919)%n), // not in date order
			Kind:     asset.KindCourse,
			Title:    asset.LangString{"en": fmt.Sprintf("Course %d", i)},
			Modified: base.Add(time.Duration(i/100) * time.Second).Format(time.RFC3339),
			Alignments: []asset.Alignment{
				{Framework: "gsbpm", Version: "5.2", Code: []string{"5.3", "6.1", "2.1"}[i%3]},
			},
		}
		cat.Add(pubs[i%3], a)
	}
	return cat
}

// TestWalk10k walks ListIdentifiers and ListRecords over 10 000 records with
// the Client, following resumption tokens, and checks that every record
// comes exactly once, in (datestamp, identifier) order, and that sets and
// dates select what they should.
func TestWalk10k(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: 10 000 records")
	}
	const n = 10_000
	repo := oaipmh.NewCatalogueRepository(bigCatalogue(n), oaipmh.CatalogueOptions{Name: "big"})
	srv := httptest.NewServer(oaipmh.NewHandler(repo, oaipmh.HandlerOptions{PageSize: 250}))
	defer srv.Close()
	c := &oaipmh.Client{BaseURL: srv.URL}
	ctx := context.Background()

	walk := func(t *testing.T, opts oaipmh.ListOptions) []oaipmh.Header {
		var out []oaipmh.Header
		for h, err := range c.Identifiers(ctx, opts) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, h)
		}
		return out
	}
	t.Run("all", func(t *testing.T) {
		hs := walk(t, oaipmh.ListOptions{Prefix: oaipmh.PrefixDC})
		if len(hs) != n {
			t.Fatalf("got %d headers, want %d", len(hs), n)
		}
		seen := map[string]bool{}
		for i, h := range hs {
			if seen[h.Identifier] {
				t.Fatalf("%s came twice", h.Identifier)
			}
			seen[h.Identifier] = true
			if i > 0 {
				p := hs[i-1]
				if h.Datestamp.Before(p.Datestamp) || h.Datestamp.Equal(p.Datestamp) && h.Identifier <= p.Identifier {
					t.Fatalf("header %d (%s %s) is not after %s %s", i, h.Datestamp, h.Identifier, p.Datestamp, p.Identifier)
				}
			}
		}
	})
	t.Run("set", func(t *testing.T) {
		hs := walk(t, oaipmh.ListOptions{Prefix: oaipmh.PrefixDC, Set: "publisher:statistics-canada"})
		if len(hs) != n/3 {
			t.Fatalf("got %d headers of Statistics Canada, want %d", len(hs), n/3)
		}
		hs = walk(t, oaipmh.ListOptions{Prefix: oaipmh.PrefixDC, Set: "framework:gsbpm:5.3"})
		if want := (n + 2) / 3; len(hs) != want {
			t.Fatalf("got %d headers in framework:gsbpm:5.3, want %d", len(hs), want)
		}
	})
	t.Run("from-until", func(t *testing.T) {
		from := time.Date(2024, 1, 1, 0, 0, 10, 0, time.UTC)
		until := time.Date(2024, 1, 1, 0, 0, 19, 0, time.UTC)
		hs := walk(t, oaipmh.ListOptions{Prefix: oaipmh.PrefixDC, From: from, Until: until})
		if len(hs) != 1000 {
			t.Fatalf("got %d headers from 00:00:10 to 00:00:19, want 1000", len(hs))
		}
	})
	t.Run("records-ota", func(t *testing.T) {
		count := 0
		for rec, err := range c.Records(ctx, oaipmh.ListOptions{Prefix: oaipmh.PrefixOTA, Set: "publisher:unece"}) {
			if err != nil {
				t.Fatal(err)
			}
			if rec.Asset == nil || rec.Asset.ID != rec.Identifier || !strings.HasPrefix(rec.Asset.Title["en"], "Course ") {
				t.Fatalf("record %s: asset %+v", rec.Identifier, rec.Asset)
			}
			count++
		}
		if count != n/3 {
			t.Fatalf("got %d records, want %d", count, n/3)
		}
	})
}

// memRepo is a repository that changes while it is harvested, as a hub's
// store does: every change gets the clock's time as its datestamp.
type memRepo struct {
	mu   sync.Mutex
	now  func() time.Time
	recs map[string]oaipmh.Record
}

func (m *memRepo) Identity(context.Context) (oaipmh.Identity, error) {
	return oaipmh.Identity{Name: "mem", AdminEmails: []string{"a@example.org"}}, nil
}

func (m *memRepo) Sets(context.Context) ([]oaipmh.Set, error) { return nil, nil }

func (m *memRepo) put(id string, deleted bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := &asset.Asset{ID: id, Kind: asset.KindLesson, Title: asset.LangString{"en": id}}
	rec := oaipmh.Record{Header: oaipmh.Header{Identifier: id, Datestamp: m.now().UTC().Truncate(time.Second), Deleted: deleted}}
	if !deleted {
		rec.Asset = a
	}
	m.recs[id] = rec
}

func (m *memRepo) Get(_ context.Context, id string) (oaipmh.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	if !ok {
		return r, oaipmh.ErrNotFound
	}
	return r, nil
}

func (m *memRepo) List(_ context.Context, q oaipmh.Query) ([]oaipmh.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var all []oaipmh.Record
	for _, r := range m.recs {
		if !q.After.IsZero() && q.After.Less(r.Datestamp, r.Identifier) {
			continue
		}
		if !q.From.IsZero() && r.Datestamp.Before(q.From) || !q.Until.IsZero() && r.Datestamp.After(q.Until) {
			continue
		}
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b oaipmh.Record) int {
		if c := a.Datestamp.Compare(b.Datestamp); c != 0 {
			return c
		}
		return strings.Compare(a.Identifier, b.Identifier)
	})
	return all[:min(len(all), q.Limit)], nil
}

// TestWalkStableUnderChanges harvests a repository of 10 000 records while
// it grows, changes and deletes records between pages: the records that
// were there before the list started and did not change come exactly once,
// and changes made during the walk are left for the next harvest (from the
// first response's date), which then sees them.
func TestWalkStableUnderChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: 10 000 records")
	}
	var mu sync.Mutex
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	tick := func() { mu.Lock(); clock = clock.Add(time.Second); mu.Unlock() }
	m := &memRepo{now: now, recs: map[string]oaipmh.Record{}}
	const n = 10_000
	for i := range n {
		m.put(fmt.Sprintf("urn:x:%05d", i), false)
		if i%1000 == 999 {
			tick()
		}
	}
	tick()
	start := now()
	h := oaipmh.NewHandler(m, oaipmh.HandlerOptions{PageSize: 100, Now: now})
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &oaipmh.Client{BaseURL: srv.URL}
	seen := map[string]int{}
	changed := map[string]bool{}
	page := 0
	for hd, err := range c.Identifiers(context.Background(), oaipmh.ListOptions{Prefix: "oai_dc"}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[hd.Identifier]++
		if len(seen)%100 == 0 { // between pages: the repository changes
			page++
			tick()
			m.put(fmt.Sprintf("urn:x:new-%03d", page), false) // inserted
			id := fmt.Sprintf("urn:x:%05d", (page*37)%n)      // updated: moves to the end
			m.put(id, false)
			changed[id] = true
			del := fmt.Sprintf("urn:x:%05d", n-1-page) // deleted
			m.put(del, true)
			changed[del] = true
		}
	}
	for i := range n {
		id := fmt.Sprintf("urn:x:%05d", i)
		switch c := seen[id]; {
		case c > 1:
			t.Fatalf("%s came %d times", id, c)
		case c == 0 && !changed[id]:
			t.Fatalf("%s, unchanged, never came", id)
		}
	}
	for id, c := range seen {
		if c != 1 {
			t.Fatalf("%s came %d times", id, c)
		}
		if strings.Contains(id, "new-") {
			t.Fatalf("%s, inserted during the walk, came in it", id)
		}
	}
	// The next harvest, a moment later and from the first response's date,
	// gets every change.
	tick()
	got := map[string]bool{}
	for hd, err := range c.Identifiers(context.Background(), oaipmh.ListOptions{Prefix: "oai_dc", From: start}) {
		if err != nil {
			t.Fatal(err)
		}
		got[hd.Identifier] = true
	}
	for id := range changed {
		if !got[id] {
			t.Errorf("%s changed during the first walk but the incremental harvest misses it", id)
		}
	}
	for i := 1; i <= page; i++ {
		if id := fmt.Sprintf("urn:x:new-%03d", i); !got[id] {
			t.Errorf("%s was inserted during the first walk but the incremental harvest misses it", id)
		}
	}
}
