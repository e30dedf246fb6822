package hub

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/oaipmh"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/sqlite"
	"github.com/metaacademy/ota/platform/store/storetest"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// newHub returns a hub over a store holding the storetest fixtures, a
// hostile asset and one overlap.
func newHub(t *testing.T, opts Options) (*httptest.Server, store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for src, as := range storetest.Assets() {
		for _, a := range as {
			if _, err := st.Put(ctx, storetest.RecordOf(src, a, t0)); err != nil {
				t.Fatal(err)
			}
		}
	}
	evil := &asset.Asset{ID: "urn:uuid:00000000-0000-4000-8000-0000000000e1", Kind: asset.KindLesson,
		Title:       asset.LangString{"en": `<script>alert(1)</script> Evil "quoted" </script><!--`},
		Description: asset.LangString{"en": `<img src=x onerror=alert(2)>`}}
	if _, err := st.Put(ctx, storetest.RecordOf("evil", evil, t0)); err != nil {
		t.Fatal(err)
	}
	fr, en := store.Key{Source: "insee-fr", ID: storetest.IDSeasonalFR}, store.Key{Source: "ons-uk", ID: storetest.IDDigital}
	if err := st.PutOverlaps(ctx, fr, []store.Overlap{{A: fr, B: en, AID: fr.ID, BID: en.ID, Score: 0.73,
		Evidence: []byte(`{"title":{"similarity":0.5,"language":"en","shared":["seasonal"]}}`)}}); err != nil {
		t.Fatal(err)
	}
	h, err := New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st
}

func get(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestPages(t *testing.T) {
	// The OAI-PMH lists stop a second before the request; the records
	// were stored just now.
	later := func() time.Time { return time.Now().Add(time.Minute) }
	srv, _ := newHub(t, Options{Title: "Test hub", OAI: oaipmh.HandlerOptions{Now: later}})
	page := func(k store.Key) string {
		return "/asset?" + url.Values{"source": {k.Source}, "id": {k.ID}}.Encode()
	}
	cases := []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/", 200, []string{"<h1>Find training</h1>", "5 assets", `<label for="q">`, `lang="es"`, "Ajuste estacional"}, nil},
		{"/?q=seasonal", 200, []string{"2 assets", "Seasonal adjustment in practice"}, []string{"open data"}},
		{"/?q=&node=gsbpm%2F5", 200, []string{"3 assets"}, nil},
		{"/?lang=fr", 200, []string{"1 asset<", `<option value="fr" selected>French (fr) (1)</option>`}, nil},
		{"/?license=OGL-UK-3.0&level=basic&kind=lesson&publisher=ons-uk&max=1", 200, []string{"1 asset<", "Finding and evaluating open data"}, nil},
		{"/?min=abc", 200, []string{`role="alert"`, "number of hours"}, nil},
		{"/?q=%22open", 200, []string{"not closed"}, nil},
		{"/?q=evil", 200, []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;"}, []string{"<script>alert", "<img src=x"}},
		{page(store.Key{Source: "ons-uk", ID: storetest.IDSeasonalEN}), 200, []string{
			`<script type="application/ld+json">`, "Seasonal adjustment in practice", "isBasedOn", "isTranslationOf",
			"Ajuste estacional", "GSBPM", "5.3", `href="https://creativecommons.org/licenses/by/4.0/"`, "OTA document (JSON)", "https://ons-uk.example/"}, nil},
		{page(store.Key{Source: "ine-es", ID: storetest.IDSeasonal}), 200, []string{"Reused by", "Seasonal adjustment of time series", "Validación de resultados", "6.2"}, nil},
		{page(store.Key{Source: "evil", ID: "urn:uuid:00000000-0000-4000-8000-0000000000e1"}), 200, []string{`\u003c/script\u003e`}, []string{"<script>alert", "</script><!--"}},
		{page(store.Key{Source: "ons-uk", ID: "urn:x:none"}), 404, []string{"holds no asset"}, nil},
		{"/asset", 400, []string{"needs a source"}, nil},
		{"/gaps", 200, []string{"Gaps in GSBPM", "a gap", "Nodes no publisher covers", "5.3"}, nil},
		{"/gaps?framework=digcomp", 200, []string{"DigComp", "1.1"}, nil},
		{"/gaps?framework=nope", 404, nil, nil},
		{"/overlaps", 200, []string{"1 overlap", "73%", "seasonal", "Finding and evaluating open data"}, nil},
		{"/overlaps?publisher=ine-es", 200, []string{"0 overlaps"}, nil},
		{"/lineage", 200, []string{"2 derivations", "isTranslationOf", "isBasedOn", "Its chain back"}, nil},
		{"/publishers", 200, []string{"ons-uk", "insee-fr"}, nil},
		{"/style.css", 200, []string{"focus-visible"}, nil},
		{"/oai?verb=Identify", 200, []string{"<repositoryName>Test hub</repositoryName>", "persistent"}, nil},
		{"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=publisher:ons-uk", 200, []string{storetest.IDDigital, storetest.IDSeasonalEN}, []string{storetest.IDSeasonalFR}},
		{"/nope", 404, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			status, body, hd := get(t, srv.URL+c.path)
			if status != c.status {
				t.Fatalf("status %d, want %d\n%s", status, c.status, body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("holds %q", n)
				}
			}
			if strings.HasPrefix(hd.Get("Content-Type"), "text/html") && !strings.Contains(hd.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("no CSP on an HTML page")
			}
		})
	}
}

func TestAssetJSONLD(t *testing.T) {
	srv, _ := newHub(t, Options{BaseURL: "https://hub.example"})
	q := url.Values{"source": {"ons-uk"}, "id": {storetest.IDSeasonalEN}}.Encode()
	_, body, _ := get(t, srv.URL+"/asset?"+q)
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON-LD in the page")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("the page's JSON-LD does not parse: %v", err)
	}
	if ld["id"] != "https://hub.example/asset?"+q && ld["url"] != "https://hub.example/asset?"+q {
		t.Errorf("JSON-LD id/url: %v %v", ld["id"], ld["url"])
	}
	status, raw, hd := get(t, srv.URL+"/asset.json?"+q)
	if status != 200 || hd.Get("Content-Type") != "application/json" {
		t.Fatalf("asset.json: %d %s", status, hd.Get("Content-Type"))
	}
	if _, _, err := asset.Unmarshal([]byte(raw), asset.ReadOptions{}); err != nil {
		t.Errorf("asset.json: %v", err)
	}
	if status, _, _ := get(t, srv.URL+"/asset.jsonld?"+q); status != 200 {
		t.Errorf("asset.jsonld: %d", status)
	}
}

func TestAdminHarvest(t *testing.T) {
	ran := 0
	srv, _ := newHub(t, Options{AdminToken: "s3cret", Harvest: func(ctx context.Context, w io.Writer) error {
		ran++
		io.WriteString(w, "harvested\n")
		return nil
	}})
	post := func(token string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/harvest", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post(""); s != 401 {
		t.Errorf("no token: %d", s)
	}
	if s := post("wrong"); s != 401 {
		t.Errorf("wrong token: %d", s)
	}
	if s := post("s3cret"); s != 200 || ran != 1 {
		t.Errorf("right token: %d, ran %d", s, ran)
	}
	if s, _, _ := get(t, srv.URL+"/admin/harvest"); s != 405 {
		t.Errorf("GET /admin/harvest: %d", s)
	}
	// Without a token the endpoint does not exist.
	srv2, _ := newHub(t, Options{})
	req, _ := http.NewRequest(http.MethodPost, srv2.URL+"/admin/harvest", nil)
	req.Header.Set("Authorization", "Bearer ")
	resp, _ := http.DefaultClient.Do(req)
	if resp.StatusCode != 404 {
		t.Errorf("admin endpoint without a token: %d", resp.StatusCode)
	}
	resp.Body.Close()
}
