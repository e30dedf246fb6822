package hub_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/harvest"
	"github.com/metaacademy/ota/platform/hub"
	"github.com/metaacademy/ota/platform/oaipmh"
	"github.com/metaacademy/ota/platform/publish"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/postgres"
	"github.com/metaacademy/ota/platform/store/postgres/pgtest"
	"github.com/metaacademy/ota/platform/store/sqlite"
)

// The fixture IDs of the end-to-end test.
const (
	idESCourse = "urn:uuid:6c1f0d9a-0e2b-4c57-9a51-000000000e51" // ine-es: seasonal adjustment, es + en titles, GSBPM 5.3
	idESSample = "urn:uuid:6c1f0d9a-0e2b-4c57-9a51-000000000e52" // ine-es: sampling, GSBPM 2.4
	idFRCourse = "urn:uuid:6c1f0d9a-0e2b-4c57-9a51-000000000f51" // insee-fr: French translation of idESCourse
	idUKCourse = "urn:uuid:6c1f0d9a-0e2b-4c57-9a51-0000000000b1" // ons-uk: its own seasonal adjustment course (overlaps idESCourse)
	idUKData   = "urn:uuid:6c1f0d9a-0e2b-4c57-9a51-0000000000b2" // ons-uk: open data lesson, DigComp 1.1
)

// nso is one statistical office of the test: its catalogue, key and site.
type nso struct {
	name, title string
	assets      []*asset.Asset
	priv        ed25519.PrivateKey
	pub         ed25519.PublicKey
	srv         *httptest.Server
	site        string // the published folder
}

func org(name string) []asset.Contributor {
	return []asset.Contributor{{Name: name, Type: asset.Organization, Roles: []asset.Role{asset.RolePublisher}}}
}

func dur(t *testing.T, s string) asset.Duration {
	d, err := asset.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func launch() []asset.Resource {
	return []asset.Resource{{Path: "index.html", MediaType: "text/html", Role: asset.RoleLaunch}}
}

func offices(t *testing.T) []*nso {
	gsbpm := func(code string) []asset.Alignment {
		return []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: code, Relation: asset.Teaches}}
	}
	return []*nso{
		{name: "ine-es", title: "Instituto Nacional de Estadística", assets: []*asset.Asset{
			{ID: idESCourse, Version: "1.0.0", Kind: asset.KindCourse, Languages: []string{"es"}, License: "CC-BY-4.0", Level: asset.LevelIntermediate,
				Title:       asset.LangString{"es": "Ajuste estacional con JDemetra+", "en": "Seasonal adjustment with JDemetra+"},
				Description: asset.LangString{"es": "Desestacionalización de series mensuales y trimestrales con JDemetra+."},
				Keywords:    asset.LangList{"en": {"seasonal adjustment", "JDemetra+"}, "es": {"desestacionalización"}},
				Objectives:  []asset.Objective{{ID: "o1", Text: asset.LangString{"es": "Desestacionalizar una serie mensual con X-13ARIMA-SEATS"}}},
				Duration:    dur(t, "PT6H"), Alignments: gsbpm("5.3"), Contributors: org("INE"), Modified: "2025-04-01", Resources: launch()},
			{ID: idESSample, Version: "1.0.0", Kind: asset.KindLesson, Languages: []string{"es"}, License: "CC-BY-4.0", Level: asset.LevelBasic,
				Title:       asset.LangString{"es": "Diseño de muestras para encuestas de hogares"},
				Description: asset.LangString{"es": "Marcos, estratificación y tamaño de muestra."},
				Duration:    dur(t, "PT2H"), Alignments: gsbpm("2.4"), Contributors: org("INE"), Modified: "2025-02-01", Resources: launch()},
		}},
		{name: "insee-fr", title: "Insee", assets: []*asset.Asset{
			{ID: idFRCourse, Version: "1.0.0", Kind: asset.KindCourse, Languages: []string{"fr"}, License: "etalab-2.0", Level: asset.LevelIntermediate,
				Title:       asset.LangString{"fr": "Désaisonnalisation avec JDemetra+"},
				Description: asset.LangString{"fr": "Correction des variations saisonnières de séries mensuelles."},
				Duration:    dur(t, "PT6H"), Alignments: gsbpm("5.3"), Contributors: org("Insee"), Modified: "2025-06-01", Resources: launch(),
				Relations: []asset.Relation{{Type: asset.IsTranslationOf, Target: idESCourse}}},
		}},
		{name: "ons-uk", title: "Office for National Statistics", assets: []*asset.Asset{
			{ID: idUKCourse, Version: "2.0.0", Kind: asset.KindCourse, Languages: []string{"en"}, License: "OGL-UK-3.0", Level: asset.LevelAdvanced,
				Title:       asset.LangString{"en": "Seasonal adjustment of monthly series with JDemetra+"},
				Description: asset.LangString{"en": "Adjusting official time series for seasonal effects, from diagnostics to revisions."},
				Keywords:    asset.LangList{"en": {"seasonal adjustment", "JDemetra+", "time series"}},
				Duration:    dur(t, "PT8H"), Alignments: gsbpm("5.3"), Contributors: org("ONS"), Modified: "2025-09-01", Resources: launch()},
			{ID: idUKData, Version: "1.0.0", Kind: asset.KindLesson, Languages: []string{"en"}, License: "OGL-UK-3.0", Level: asset.LevelBasic,
				Title:       asset.LangString{"en": "Finding and evaluating open data"},
				Description: asset.LangString{"en": "Browsing, searching and filtering data and digital content."},
				Duration:    dur(t, "PT45M"), Contributors: org("ONS"), Modified: "2024-11-20", Resources: launch(),
				Alignments: []asset.Alignment{{Framework: "digcomp", Version: "2.2", Code: "1.1", Relation: asset.Teaches}}},
		}},
	}
}

// publishOffice writes the office's catalogue, serves its folder on
// loopback and publishes the site into it, signed with its key.
func publishOffice(t *testing.T, o *nso) {
	ctx := context.Background()
	src := t.TempDir()
	for i, a := range o.assets {
		dir := filepath.Join(src, fmt.Sprintf("a%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		doc, err := asset.Marshal(asset.NewDocument(*a))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "course.ota.json"), doc, 0o644); err != nil {
			t.Fatal(err)
		}
		page := "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Start</title></head><body><h1>Start</h1></body></html>"
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if o.pub, o.priv, err = bundle.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	o.site = t.TempDir()
	o.srv = httptest.NewServer(http.FileServer(http.Dir(o.site)))
	t.Cleanup(o.srv.Close)
	res, err := publish.Publish(ctx, os.DirFS(src), o.site, publish.Options{BaseURL: o.srv.URL + "/", Key: o.priv,
		Publisher: feed.Publisher{Name: o.title}, FeedPageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if errs := res.Report.Errors(); len(errs) > 0 {
		t.Fatalf("publishing %s: %v", o.name, errs)
	}
}

func sourcesOf(offices []*nso) *harvest.Sources {
	s := &harvest.Sources{}
	for _, o := range offices {
		s.Sources = append(s.Sources, harvest.Source{Name: o.name, Title: o.title, Feed: o.srv.URL + "/feed.json",
			Keys: []harvest.TrustedKey{{PublicKey: base64.StdEncoding.EncodeToString(o.pub)}}})
	}
	return s
}

// TestEndToEnd publishes three offices' catalogues, serves them on
// loopback, harvests them into a hub (SQLite; PostgreSQL too where its
// binaries are, always under CI) and walks the hub in headless Chromium.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: publishes three sites and drives Chromium")
	}
	browser := interop.RequireBrowser(t)
	nsos := offices(t)
	for _, o := range nsos {
		publishOffice(t, o)
	}
	// The sources file goes through the parser, as `ota harvest` reads it.
	raw, err := json.Marshal(sourcesOf(nsos))
	if err != nil {
		t.Fatal(err)
	}
	sources, err := harvest.ReadSources(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	stores := []struct {
		name string
		open func(t *testing.T) store.Store
	}{
		{"sqlite", func(t *testing.T) store.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"postgres", func(t *testing.T) store.Store {
			c := pgtest.Start(t)
			s, err := postgres.Open(context.Background(), c.NewDatabase(t), postgres.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
	}
	for _, sc := range stores {
		t.Run(sc.name, func(t *testing.T) {
			st := sc.open(t)
			defer st.Close()
			checkHub(t, browser, st, nsos, sources)
		})
	}
}

func checkHub(t *testing.T, browser *interop.Browser, st store.Store, nsos []*nso, sources *harvest.Sources) {
	ctx := context.Background()
	results, err := harvest.New(st, harvest.Options{AllowPrivate: true}).HarvestAll(ctx, sources)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if len(r.Rejected) > 0 || r.Added == 0 {
			t.Fatalf("harvest of %s: %v %v", r.Source, r, r.Rejected)
		}
	}
	h, err := hub.New(st, hub.Options{Title: "Meta Academy hub", OAI: oaipmh.HandlerOptions{Now: func() time.Time { return time.Now().Add(time.Minute) }}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := func(source, id string) string {
		return "/asset?" + url.Values{"source": {source}, "id": {id}}.Encode()
	}

	// Downloads in every format: the hub links to each publisher's files.
	body := httpGet(t, srv.URL+page("ons-uk", idUKCourse))
	for _, label := range []string{"OTA bundle", "SCORM 1.2 package", "SCORM 2004 4th Edition package", "cmi5 course package", "OTA document (JSON)", "schema.org JSON-LD"} {
		if !strings.Contains(body, label) {
			t.Errorf("the asset page offers no %q download", label)
		}
	}
	rec, err := st.Get(ctx, store.Key{Source: "ons-uk", ID: idUKCourse})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{feed.FormatOTA, feed.FormatSCORM12, feed.FormatSCORM2004, feed.FormatCMI5} {
		u := rec.Downloads[f]
		if u == "" {
			t.Errorf("no %s download recorded", f)
			continue
		}
		if data := httpGet(t, u); !strings.HasPrefix(data, "PK") {
			t.Errorf("%s download %s is not a zip", f, u)
		}
	}
	for _, u := range []string{"/asset.json?", "/asset.jsonld?"} {
		httpGet(t, srv.URL+u+url.Values{"source": {"ons-uk"}, "id": {idUKCourse}}.Encode())
	}
	if oai := httpGet(t, srv.URL+"/oai?verb=ListRecords&metadataPrefix=oai_dc"); strings.Count(oai, "<record>") != 5 {
		t.Errorf("the hub's OAI-PMH lists %d records, want 5", strings.Count(oai, "<record>"))
	}

	shots := t.ArtifactDir()
	shot := func(name string) string { return filepath.Join(shots, name+".png") }
	plan := interop.VisitPlan{Origin: srv.URL, Steps: []interop.VisitStep{
		{Name: "home", Goto: "/", Tabs: 2, Screenshot: shot("home")},
		{Name: "search", Actions: []interop.VisitAction{{Fill: "#q", Value: "seasonal adjustment"}, {Click: "form.search .q button"}}, Screenshot: shot("search")},
		{Name: "filter-language", Goto: "/", Actions: []interop.VisitAction{{Select: "#lang", Value: "fr"}, {Click: "fieldset button"}}, Screenshot: shot("filter-language")},
		{Name: "filter-node", Goto: "/", Actions: []interop.VisitAction{{Select: "#node", Value: "gsbpm/5"}, {Select: "#publisher", Value: "ons-uk"}, {Fill: "#max", Value: "10"}, {Click: "fieldset button"}}, Screenshot: shot("filter-node")},
		{Name: "filter-level-licence", Goto: "/?level=basic&license=OGL-UK-3.0", Screenshot: shot("filter-level-licence")},
		{Name: "bad-search", Goto: "/?q=%22unclosed"},
		{Name: "asset-uk", Goto: page("ons-uk", idUKCourse), Screenshot: shot("asset-uk")},
		{Name: "asset-es", Goto: page("ine-es", idESCourse), Screenshot: shot("asset-es")},
		{Name: "asset-fr", Goto: page("insee-fr", idFRCourse), Screenshot: shot("asset-fr")},
		{Name: "asset-data", Goto: page("ons-uk", idUKData)},
		{Name: "gaps-gsbpm", Goto: "/gaps", Screenshot: shot("gaps-gsbpm")},
		{Name: "gaps-digcomp", Actions: []interop.VisitAction{{Select: "#framework", Value: "digcomp"}, {Click: "form.inline button"}}, Screenshot: shot("gaps-digcomp")},
		{Name: "overlaps", Goto: "/overlaps", Screenshot: shot("overlaps")},
		{Name: "lineage", Goto: "/lineage", Screenshot: shot("lineage")},
		{Name: "publishers", Goto: "/publishers", Screenshot: shot("publishers")},
	}}
	ctxB, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	rep, err := browser.Visit(ctxB, plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Blocked) > 0 {
		t.Errorf("pages reached outside the hub: %v", rep.Blocked)
	}
	steps := map[string]interop.VisitResult{}
	for _, s := range rep.Steps {
		steps[s.Name] = s
		if s.Error != "" || s.Status != 200 {
			t.Errorf("%s: status %d, error %q", s.Name, s.Status, s.Error)
		}
		if len(s.Console) > 0 || len(s.PageErrors) > 0 || len(s.FailedRequests) > 0 {
			t.Errorf("%s: console %q, page errors %q, failed requests %q", s.Name, s.Console, s.PageErrors, s.FailedRequests)
		}
	}
	contains := func(step string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(steps[step].Text, w) {
				t.Errorf("%s: the page does not show %q", step, w)
			}
		}
	}
	lacks := func(step string, not ...string) {
		t.Helper()
		for _, n := range not {
			if strings.Contains(steps[step].Text, n) {
				t.Errorf("%s: the page shows %q", step, n)
			}
		}
	}
	// Keyboard: the first Tab reaches the skip link, the next the hub's name.
	if f := steps["home"].Focus; len(f) != 2 || !strings.Contains(f[0], "Skip to the content") {
		t.Errorf("keyboard focus order: %q", f)
	}
	contains("home", "5 assets")
	contains("search", "2 assets", "Seasonal adjustment with JDemetra+", "Seasonal adjustment of monthly series with JDemetra+")
	lacks("search", "open data", "Désaisonnalisation") // the French course has no English text
	contains("filter-language", "1 asset", "Désaisonnalisation avec JDemetra+")
	lacks("filter-language", "Seasonal adjustment of monthly series")
	contains("filter-node", "1 asset", "Seasonal adjustment of monthly series with JDemetra+")
	contains("filter-level-licence", "1 asset", "Finding and evaluating open data")
	contains("bad-search", "not closed")
	contains("asset-uk", "Review and validate", "GSBPM", "OGL-UK-3.0", "verified with the publisher's trusted key", "Seasonal adjustment with JDemetra+", "jdemetra")
	contains("asset-es", "Reused by", "isTranslationOf", "Désaisonnalisation avec JDemetra+")
	contains("asset-fr", "Derived from", "isTranslationOf", "Seasonal adjustment with JDemetra+", "Instituto Nacional de Estadística")
	contains("gaps-gsbpm", "cover 2 of the", "Nodes no publisher covers", "5.1 Integrate data", "none — a gap")
	contains("gaps-digcomp", "DigComp", "cover 1 of the")
	contains("overlaps", "1 overlap", "Seasonal adjustment with JDemetra+", "Seasonal adjustment of monthly series with JDemetra+", "Shared framework nodes", "gsbpm 5.3", "jdemetra")
	lacks("overlaps", "Désaisonnalisation") // a translation is reuse, not overlap
	contains("lineage", "1 derivation", "isTranslationOf", "Désaisonnalisation avec JDemetra+")
	contains("publishers", "Insee", "Office for National Statistics", "Instituto Nacional de Estadística")

	// Every asset page's JSON-LD, as the browser saw it, expanded by the
	// jsonld package with the expected types and properties.
	var docs [][]byte
	names := []string{"asset-uk", "asset-es", "asset-fr", "asset-data"}
	for _, name := range names {
		ld := steps[name].JSONLD
		if len(ld) != 1 {
			t.Fatalf("%s: %d JSON-LD blocks", name, len(ld))
		}
		docs = append(docs, []byte(ld[0]))
	}
	for i, res := range interop.ExpandJSONLD(t, docs...) {
		checkExpanded(t, names[i], res)
	}
}

// checkExpanded checks one page's expanded JSON-LD: a schema.org
// LearningResource (and Course for courses) with a name, language, time
// required and, for the courses aligned to GSBPM, what they teach.
func checkExpanded(t *testing.T, name string, res interop.JSONLDResult) {
	t.Helper()
	if res.Error != "" {
		t.Errorf("%s: jsonld could not expand the page's JSON-LD: %s", name, res.Error)
		return
	}
	const schema = "http://schema.org/"
	var types []string
	for _, n := range res.Expanded {
		if ts, ok := n["@type"].([]any); ok {
			for _, x := range ts {
				types = append(types, fmt.Sprint(x))
			}
		}
	}
	want := []string{schema + "LearningResource"}
	if name != "asset-data" {
		want = append(want, schema+"Course")
	}
	for _, w := range want {
		if !strings.Contains(strings.Join(types, " "), w) {
			t.Errorf("%s: expanded types %v lack %s", name, types, w)
		}
	}
	props := []string{"name", "inLanguage", "description", "timeRequired", "educationalAlignment"}
	if name != "asset-data" {
		props = append(props, "teaches")
	}
	if name == "asset-es" {
		props = append(props, "license") // AMB admits Creative Commons licences by URL
	}
	if name == "asset-fr" {
		props = append(props, "isBasedOn") // the translation's source
	}
	for _, p := range props {
		if len(interop.ExpandedValues(res.Expanded, "", schema+p)) == 0 {
			t.Errorf("%s: the expanded JSON-LD has no %s%s", name, schema, p)
		}
	}
}

// httpGet fetches u and fails the test unless it answers 200.
func httpGet(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}
