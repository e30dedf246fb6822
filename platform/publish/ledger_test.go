package publish

import (
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/catalogue"
)

// newTestSite is a site publishing into a temporary folder, closed with
// the test.
func newTestSite(t *testing.T) *site {
	t.Helper()
	s, err := newSite(context.Background(), nil, t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.l.Close() })
	return s
}

// lineageCatalogue has chains, a cycle, an ID held by two trees, targets
// outside the catalogue, empty targets and relations that are not lineage.
func lineageCatalogue() *catalogue.Catalogue {
	rel := func(typ asset.RelationType, target string) asset.Relation {
		return asset.Relation{Type: typ, Target: target}
	}
	course := func(id, pub string, rels ...asset.Relation) *asset.Asset {
		return &asset.Asset{ID: id, Kind: asset.KindCourse, Title: asset.LangString{"en": "Title of " + id}, Relations: rels,
			Contributors: []asset.Contributor{{Name: pub, Roles: []asset.Role{asset.RolePublisher}}}}
	}
	cat := &catalogue.Catalogue{}
	cat.Add("", course("urn:a", "ONS"))
	cat.Add("", course("urn:b", "INSEE", rel(asset.IsBasedOn, "urn:a"), rel(asset.References, "urn:z")))
	cat.Add("", course("urn:c", "ISTAT", rel(asset.IsTranslationOf, "urn:b"), rel(asset.IsBasedOn, "https://elsewhere.org/x")))
	cat.Add("", course("urn:d", "StatCan", rel(asset.IsVersionOf, "urn:c"), rel(asset.IsBasedOn, "urn:a"), rel(asset.IsBasedOn, "")))
	cat.Add("", course("urn:b", "UNECE", rel(asset.IsBasedOn, "urn:d"))) // a second holder of urn:b
	cat.Add("", course("urn:e", "ONS", rel(asset.IsBasedOn, "urn:f")))
	cat.Add("", course("urn:f", "ONS", rel(asset.IsBasedOn, "urn:e"))) // a cycle
	withPart := course("urn:g", "INSEE")
	withPart.Parts = []asset.Asset{*course("urn:g/1", "INSEE", rel(asset.IsBasedOn, "urn:c"))}
	cat.Add("", withPart)
	return cat
}

// TestLedgerLineageMatchesCatalogue: the ledger follows lineage exactly as
// catalogue.Lineage and Derivatives do, step by step.
func TestLedgerLineageMatchesCatalogue(t *testing.T) {
	cat := lineageCatalogue()
	s := newTestSite(t)
	if err := s.addEntries(cat); err != nil {
		t.Fatal(err)
	}
	ids := []string{"urn:z", "https://elsewhere.org/x", ""}
	for _, e := range cat.Entries() {
		ids = append(ids, e.Asset.ID)
	}
	describe := func(steps []catalogue.LineageStep) []string {
		var out []string
		for _, st := range steps {
			reached := ""
			if st.Entry != nil {
				reached = st.Entry.Location() + " by " + st.Entry.Publisher
			}
			out = append(out, fmt.Sprintf("%d %s -%s-> %s (%s)", st.Depth, st.From, st.Type, st.To, reached))
		}
		return out
	}
	mine := func(steps []lineStep) []string {
		var out []string
		for _, st := range steps {
			reached := ""
			if st.entry != nil {
				reached = st.entry.Location + " by " + st.entry.Publisher
			}
			out = append(out, fmt.Sprintf("%d %s -%s-> %s (%s)", st.depth, st.from, st.typ, st.to, reached))
		}
		return out
	}
	steps := 0
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			up, err := s.l.lineage(id)
			if err != nil {
				t.Fatal(err)
			}
			down, err := s.l.derivatives(id)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(mine(up), "\n"), strings.Join(describe(cat.Lineage(id)), "\n"); got != want {
				t.Errorf("lineage:\n%s\nwant\n%s", got, want)
			}
			if got, want := strings.Join(mine(down), "\n"), strings.Join(describe(cat.Derivatives(id)), "\n"); got != want {
				t.Errorf("derivatives:\n%s\nwant\n%s", got, want)
			}
			steps += len(up) + len(down)
		})
	}
	if steps < 20 {
		t.Errorf("only %d steps compared: the catalogue no longer exercises lineage", steps)
	}
}

// TestLedgerPublishesEachIDOnce: the second tree holding an ID is left out
// with a warning, a part whose ID another tree holds is left out, and every
// entry stays known for links and lineage.
func TestLedgerPublishesEachIDOnce(t *testing.T) {
	s := newTestSite(t)
	if err := s.addEntries(lineageCatalogue()); err != nil {
		t.Fatal(err)
	}
	if s.trees != 7 || s.pages != 8 {
		t.Errorf("%d trees and %d pages published, want 7 and 8", s.trees, s.pages)
	}
	var dups []string
	for _, is := range s.rep.Issues {
		dups = append(dups, is.Code+" "+is.Pointer)
	}
	if want := []string{CodeDuplicateID + " urn:b"}; strings.Join(dups, ",") != strings.Join(want, ",") {
		t.Errorf("issues %v, want %v", dups, want)
	}
	if r, err := s.l.first("urn:b"); err != nil || r == nil || r.Publisher != "INSEE" {
		t.Errorf("first holder of urn:b: %+v, %v", r, err)
	}
	if slug, err := s.l.slugOfID("urn:g/1"); err != nil || slug == "" {
		t.Errorf("the part has no page: %q, %v", slug, err)
	}
}

// TestLedgerKeepsNoTrees: what a publication records of each asset lives in
// the ledger's database, not in Go's heap: adding 20,000 trees, each with
// 3 KiB of text built for it, leaves the live heap about where it was.
func TestLedgerKeepsNoTrees(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 20,000 trees")
	}
	s := newTestSite(t)
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	const n = 20000
	filler := strings.Repeat("x", 1024)
	before := heap()
	for i := range n {
		text := func(what string) asset.LangString {
			return asset.LangString{"en": fmt.Sprintf("%s %d %s", what, i, filler)}
		}
		id := fmt.Sprintf("https://example.org/c%d", i)
		root := &asset.Asset{ID: id, Kind: asset.KindCourse, Title: text("Course"), Languages: []string{"en"},
			Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.2", Code: "2.1"}},
			Relations:  []asset.Relation{{Type: asset.IsBasedOn, Target: fmt.Sprintf("https://example.org/c%d", i/2)}},
			Parts:      []asset.Asset{{ID: id + "/l", Kind: asset.KindLesson, Title: text("Lesson")}, {ID: id + "/m", Title: text("Module")}}}
		entries, _ := catalogue.DocumentEntries("", fmt.Sprintf("pub/c%d.ota.json", i), root)
		if err := s.addTree(entries, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.l.commit(); err != nil {
		t.Fatal(err)
	}
	after := heap()
	grew := int64(after) - int64(before)
	const text = n * 3 * 1024
	t.Logf("live heap %d → %d bytes (%+d) for %d trees holding %d bytes of text", before, after, grew, n, text)
	if grew > text/20 {
		t.Errorf("the live heap grew by %d bytes for %d bytes of text: the ledger keeps the trees in memory", grew, text)
	}
	if s.trees != n || s.pages != 3*n {
		t.Errorf("%d trees and %d pages, want %d and %d", s.trees, s.pages, n, 3*n)
	}
	if r, err := s.l.first(fmt.Sprintf("https://example.org/c%d/m", n-1)); err != nil || r == nil || !strings.HasPrefix(r.Title["en"], "Module") {
		t.Errorf("the last module is not in the ledger: %+v, %v", r, err)
	}
}

// TestSitemapSplits: beyond the most URLs a sitemap file may list (lowered
// here to 2), sitemap.xml is an index of sitemap-N.xml files that list the
// index page and every asset page once, in catalogue order.
func TestSitemapSplits(t *testing.T) {
	ctx := context.Background()
	src := os.DirFS("testdata/catalogue")
	out := t.TempDir()
	s, err := newSite(ctx, src, out, Options{BaseURL: "https://example.org/", Now: func() time.Time { return time.Unix(0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.l.Close()
	s.maxURLs = 2
	if _, err := s.readSummaries(ctx, src); err != nil {
		t.Fatal(err)
	}
	res, err := s.run(ctx, s.rereadTrees(src))
	if err != nil {
		t.Fatal(err)
	}
	type loc struct {
		Loc string `xml:"loc"`
	}
	read := func(name string, v any) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var index struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []loc    `xml:"sitemap"`
	}
	read("sitemap.xml", &index)
	var listed []string
	for i, sm := range index.Sitemaps {
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		if sm.Loc != "https://example.org/"+name {
			t.Errorf("sitemap %d is %s", i+1, sm.Loc)
		}
		var set struct {
			XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
			URLs    []loc    `xml:"url"`
		}
		read(name, &set)
		if len(set.URLs) == 0 || len(set.URLs) > 2 {
			t.Errorf("%s lists %d URLs", name, len(set.URLs))
		}
		for _, u := range set.URLs {
			listed = append(listed, strings.TrimPrefix(u.Loc, "https://example.org/"))
		}
	}
	want := []string{"index.html"}
	err = s.l.query(func(scan func(...any) error) error {
		var slug string
		err := scan(&slug)
		want = append(want, "assets/"+slug+".html")
		return err
	}, `SELECT slug FROM entry WHERE slug IS NOT NULL ORDER BY pos`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(listed, " ") != strings.Join(want, " ") || len(want) != 1+res.Pages {
		t.Errorf("the sitemaps list\n%v\nwant\n%v (%d pages)", listed, want, res.Pages)
	}
	for _, rel := range want[1:] {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel))); err != nil {
			t.Errorf("listed but not written: %v", err)
		}
	}
}
