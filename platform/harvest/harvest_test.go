package harvest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/sqlite"
	"github.com/metaacademy/ota/platform/store/storetest"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func fixture(source string, i int) *asset.Asset {
	return storetest.Assets()[source][i]
}

func TestHarvestFeed(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	es, uk := newTestPublisher(t, "ine-es"), newTestPublisher(t, "ons-uk")
	es.put(fixture("ine-es", 0))
	uk.put(fixture("ons-uk", 0))
	uk.put(fixture("ons-uk", 1))
	h := New(st, Options{AllowPrivate: true})
	sources := &Sources{Sources: []Source{es.source(), uk.source()}}

	results, err := h.HarvestAll(ctx, sources)
	if err != nil {
		t.Fatal(err)
	}
	if r := results[1]; r.Added != 2 || len(r.Rejected) != 0 || len(r.Changed) != 2 {
		t.Fatalf("first run of ons-uk: %v %v", r, r.Rejected)
	}
	if uk.count("feed-2.json") != 1 {
		t.Errorf("the second feed page was fetched %d times", uk.count("feed-2.json"))
	}
	rec, err := st.Get(ctx, store.Key{Source: "ons-uk", ID: storetest.IDDigital})
	if err != nil {
		t.Fatal(err)
	}
	if rec.KeyID != uk.source().Keys[0].ID || rec.Protocol != "feed" || !strings.HasPrefix(rec.Origin, uk.srv.URL) || rec.Publisher != "ONS-UK" ||
		!strings.HasPrefix(rec.Digest, "sha256:") || !strings.HasSuffix(rec.Downloads["scorm12"], ".ota.zip") || rec.Version != "2.0.0" {
		t.Errorf("provenance: %+v", rec.Provenance)
	}

	// Nothing changed: the feed answers 304 and no bundle is fetched.
	before := uk.count("a1.ota") + uk.count("a2.ota")
	results, err = h.HarvestAll(ctx, sources)
	if err != nil {
		t.Fatal(err)
	}
	if !results[1].NotModified || results[1].Added+results[1].Updated != 0 {
		t.Errorf("second run: %v", results[1])
	}
	if after := uk.count("a1.ota") + uk.count("a2.ota"); after != before {
		t.Errorf("bundles fetched again: %d → %d", before, after)
	}

	// A new version of one asset, a tombstone for the other.
	a := *fixture("ons-uk", 0)
	a.Version = "2.1.0"
	a.Title = asset.LangString{"en": "Finding open data, revised"}
	uk.put(&a)
	uk.withdraw(storetest.IDSeasonalEN, true)
	results, err = h.HarvestAll(ctx, sources)
	if err != nil {
		t.Fatal(err)
	}
	if r := results[1]; r.Updated != 1 || r.Deleted != 1 || r.Unchanged != 0 {
		t.Errorf("third run: %v", r)
	}
	if g, _ := st.Get(ctx, store.Key{Source: "ons-uk", ID: storetest.IDSeasonalEN}); !g.Deleted {
		t.Errorf("the tombstone did not delete the record")
	}
	if g, _ := st.Get(ctx, store.Key{Source: "ons-uk", ID: storetest.IDDigital}); g.Version != "2.1.0" {
		t.Errorf("the new version was not stored: %q", g.Version)
	}

	// An entry dropped from the feed without a tombstone is pruned; the
	// unchanged Spanish asset is not.
	es.put(fixture("insee-fr", 0)) // a second asset, so the feed changes
	if _, err := h.HarvestAll(ctx, sources); err != nil {
		t.Fatal(err)
	}
	es.withdraw(storetest.IDSeasonalFR, false)
	results, err = h.HarvestAll(ctx, sources)
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; r.Deleted != 1 || r.Unchanged != 1 {
		t.Errorf("run after a silent removal: %v", r)
	}
	if g, _ := st.Get(ctx, store.Key{Source: "ine-es", ID: storetest.IDSeasonal}); g.Deleted {
		t.Errorf("an unchanged entry was pruned")
	}
	state, err := st.HarvestState(ctx, "ine-es", es.url("feed.json"))
	if err != nil || state.ETag == "" || !strings.HasPrefix(state.Token, "sha256:") || state.LastError != "" {
		t.Errorf("harvest state: %+v %v", state, err)
	}
}

func TestHarvestRejects(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		setup func(p *testPublisher, src *Source)
		want  error
	}{
		{"unsigned", func(p *testPublisher, src *Source) { p.unsigned = true }, ErrUntrusted},
		{"signed by an untrusted key", func(p *testPublisher, src *Source) {
			other := newTestPublisher(t, "other")
			src.Keys = other.source().Keys
		}, ErrUntrusted},
		{"no key in the trust list", func(p *testPublisher, src *Source) { src.Keys = nil }, ErrUntrusted},
		{"digest mismatch", func(p *testPublisher, src *Source) { p.tamper = true }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := openStore(t)
			p := newTestPublisher(t, "ons-uk")
			src := p.source()
			c.setup(p, &src)
			p.put(fixture("ons-uk", 0))
			h := New(st, Options{AllowPrivate: true})
			results, err := h.HarvestAll(ctx, &Sources{Sources: []Source{src}})
			if err != nil {
				t.Fatal(err)
			}
			r := results[0]
			if r.Added != 0 || len(r.Rejected) != 1 {
				t.Fatalf("result %v, rejected %v", r, r.Rejected)
			}
			if c.want != nil && !errors.Is(r.Rejected[0], c.want) {
				t.Errorf("rejected with %v, want %v", r.Rejected[0], c.want)
			}
			res, _ := st.Search(ctx, store.Query{})
			if res.Total != 0 {
				t.Errorf("the store holds %d records", res.Total)
			}
		})
	}
	t.Run("unsigned allowed", func(t *testing.T) {
		st := openStore(t)
		p := newTestPublisher(t, "ons-uk")
		p.unsigned = true
		p.put(fixture("ons-uk", 0))
		src := p.source()
		src.AllowUnsigned = true
		results, err := New(st, Options{AllowPrivate: true}).HarvestAll(ctx, &Sources{Sources: []Source{src}})
		if err != nil || results[0].Added != 1 {
			t.Fatalf("%v %v", results[0], err)
		}
		if rec, _ := st.Get(ctx, store.Key{Source: "ons-uk", ID: storetest.IDDigital}); rec.KeyID != "" {
			t.Errorf("an unsigned record has key %q", rec.KeyID)
		}
	})
}

func TestHostileEndpoints(t *testing.T) {
	ctx := context.Background()
	big := strings.Repeat("x", 2<<20)
	mux := http.NewServeMux()
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(big)) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/notjson", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>hello</html>")) })
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cases := []struct {
		name, path string
		opts       Options
		want       string
	}{
		{"loopback refused", "/notjson", Options{}, "not a public address"},
		{"too large", "/big", Options{AllowPrivate: true, MaxPageBytes: 1 << 20}, "more than"},
		{"redirect loop", "/loop", Options{AllowPrivate: true}, "redirects"},
		{"redirect to a file URL", "/file", Options{AllowPrivate: true}, "only http and https"},
		{"not a feed", "/notjson", Options{AllowPrivate: true}, "feed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := openStore(t)
			_, err := New(st, c.opts).Harvest(ctx, Source{Name: "x", Feed: srv.URL + c.path})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Harvest: %v, want an error with %q", err, c.want)
			}
			state, _ := st.HarvestState(ctx, "x", srv.URL+c.path)
			if state.LastError == "" {
				t.Errorf("the failure was not recorded in the harvest state")
			}
		})
	}
}

func TestForbidden(t *testing.T) {
	for _, c := range []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"10.1.2.3", true}, {"192.168.0.1", true}, {"172.16.5.4", true},
		{"169.254.169.254", true}, {"0.0.0.0", true}, {"100.64.0.1", true}, {"::ffff:127.0.0.1", true}, {"fd00::1", true},
		{"8.8.8.8", false}, {"2001:4860:4860::8888", false}, {"100.128.0.1", false},
	} {
		if got := forbidden(mustAddr(t, c.ip)); got != c.want {
			t.Errorf("forbidden(%s) = %v, want %v", c.ip, got, c.want)
		}
	}
}

// HarvestEach hands over each source's result in order, with its changed
// keys, and keeps none of them.
func TestHarvestEach(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	es, uk := newTestPublisher(t, "ine-es"), newTestPublisher(t, "ons-uk")
	es.put(fixture("ine-es", 0))
	uk.put(fixture("ons-uk", 0))
	uk.put(fixture("ons-uk", 1))
	var got []string
	var seen []*Result
	err := New(st, Options{AllowPrivate: true}).HarvestEach(ctx, &Sources{Sources: []Source{es.source(), uk.source()}}, func(r *Result) {
		got = append(got, fmt.Sprintf("%s %d %d", r.Source, r.Added, len(r.Changed)))
		seen = append(seen, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ine-es 1 1", "ons-uk 2 2"}; !slices.Equal(got, want) {
		t.Errorf("results %q, want %q", got, want)
	}
	for _, r := range seen {
		if r.Changed != nil {
			t.Errorf("%s: Changed kept after the callback: %v", r.Source, r.Changed)
		}
	}
}
