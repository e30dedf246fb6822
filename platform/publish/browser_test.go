package publish_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/interop"
)

// TestSiteInBrowser serves a published site on loopback and opens the index,
// a course page and a lesson page in headless Chromium (each run starts a
// browser: the others are alike): each loads without console errors or
// uncaught exceptions, asks for nothing outside the site, and its JSON-LD
// parses in the page.
func TestSiteInBrowser(t *testing.T) {
	b := interop.RequireBrowser(t)
	out, _ := publishTo(t, fixture, options())
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	for rel := range files(t, out) {
		if rel != "index.html" && !strings.HasPrefix(rel, "assets/time-series-") && !strings.HasPrefix(rel, "assets/adjust-") {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			wait := `(() => { const s = document.querySelector('script[type="application/ld+json"]'); return s ? JSON.parse(s.textContent).name : document.querySelector('h1').textContent; })()`
			r, err := b.Open(ctx, srv.URL+"/"+rel, interop.PageOptions{WaitFor: wait})
			if err != nil {
				t.Fatal(err)
			}
			if !r.OK || r.Status != 200 {
				t.Fatalf("the page did not load: status %d, %s %s", r.Status, r.Error, r.WaitError)
			}
			for _, c := range r.Console {
				if strings.HasPrefix(c, "error") {
					t.Errorf("console: %s", c)
				}
			}
			if len(r.PageErrors) > 0 || len(r.Blocked) > 0 {
				t.Errorf("page errors %v, blocked requests %v", r.PageErrors, r.Blocked)
			}
			for _, q := range r.Requests {
				// Chromium asks for /favicon.ico on its own, on some
				// loads and not others; the site links no icon.
				if strings.HasSuffix(q.URL, "/favicon.ico") {
					continue
				}
				if q.Status >= 400 || q.Error != "" {
					t.Errorf("request %s %s: %d %s", q.Method, q.URL, q.Status, q.Error)
				}
			}
			var name string
			if err := json.Unmarshal(r.Value, &name); err != nil || name == "" {
				t.Errorf("the JSON-LD's name in the page: %s", r.Value)
			}
		})
	}
}

// TestJSONLDExpands expands every page's JSON-LD with jsonld.js and checks
// what harvesters read: the types, the page URL, the downloads, and the
// Italian translation's lineage.
func TestJSONLDExpands(t *testing.T) {
	out, _ := publishTo(t, fixture, options())
	var rels []string
	var docs [][]byte
	for rel, data := range files(t, out) {
		if strings.HasPrefix(rel, "assets/") {
			rels = append(rels, rel)
			docs = append(docs, jsonLD(t, parseHTML(t, data)))
		}
	}
	const sdo = "http://schema.org/"
	for i, r := range interop.ExpandJSONLD(t, docs...) {
		rel := rels[i]
		if r.Error != "" {
			t.Errorf("%s: %s", rel, r.Error)
			continue
		}
		types := interop.ExpandedValues(r.Expanded, "", "@type")
		if !slices.Contains(types, any(sdo+"LearningResource")) {
			t.Errorf("%s: types %v", rel, types)
		}
		if urls := interop.ExpandedValues(r.Expanded, "", sdo+"url"); !slices.Contains(urls, any(baseURL+rel)) {
			t.Errorf("%s: schema:url %v", rel, urls)
		}
		if strings.Contains(rel, "serie-storiche") {
			if tr := interop.ExpandedValues(r.Expanded, "", sdo+"translationOfWork"); !slices.Contains(tr, any("https://example.org/ons/training/time-series")) {
				t.Errorf("%s: translationOfWork %v", rel, tr)
			}
		}
		if strings.HasPrefix(rel, "assets/time-series-") {
			if enc := interop.ExpandedValues(r.Expanded, "", sdo+"encoding"); len(enc) != 4 {
				t.Errorf("%s: %d encodings, want the 4 downloads", rel, len(enc))
			}
			if c := interop.ExpandedValues(r.Expanded, "", sdo+"teaches"); len(c) < 3 {
				t.Errorf("%s: teaches %v", rel, c)
			}
		}
	}
}
