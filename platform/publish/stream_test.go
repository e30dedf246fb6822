package publish_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/catalogue"
	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/publish"
)

// writeSmallCatalogue writes n course documents without content under dir
// (quick to publish: only their OTA bundles are made), with modified dates
// that tie, differ in form or in fractions of a second, precede 1970 or
// are missing, so that feed order is tested on every rule. skip leaves one out (-1 for none).
func writeSmallCatalogue(t *testing.T, dir string, n, skip int) {
	t.Helper()
	dates := []string{`"modified":"2024-05-01",`, `"modified":"2024-05-01T02:00:00+02:00",`, ``, `"modified":"2023-01-09T10:00:00.5Z",`, `"published":"2024-05-01",`, `"modified":"2024-05-01T00:00:00.25Z",`, `"modified":"1969-07-20",`}
	for i := range n {
		if i == skip {
			continue
		}
		pub := []string{"ons", "insee", "istat"}[i%3]
		doc := fmt.Sprintf(`{"ota":"1.0","id":"https://example.org/%s/k%02d","version":"1.0.%d","kind":"course",%s
"title":{"en":"Course %d"},"license":"CC-BY-4.0",
"contributors":[{"name":"%s","type":"organization","roles":["publisher"]}]}`, pub, i, i, dates[i%len(dates)], i, pub)
		p := filepath.Join(dir, pub, fmt.Sprintf("k%02d.ota.json", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFeedPagesAsFeedPages: the feed publish writes page by page from its
// ledger is, byte for byte, what platform/feed's Feed.Pages writes for the
// same entries — for page sizes that divide the number of entries and that
// do not, and with tombstones after assets are withdrawn.
func TestFeedPagesAsFeedPages(t *testing.T) {
	for _, tc := range []struct {
		name       string
		size, skip int
		republish  bool
	}{
		{"one per page", 1, -1, false},
		{"pages of 4", 4, -1, false},
		{"pages of 3, 12 entries", 3, -1, false},
		{"one page", 500, -1, false},
		{"tombstones, pages of 4", 4, 5, true},
		{"tombstones, pages of 2", 2, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			writeSmallCatalogue(t, src, 12, -1)
			out := t.TempDir()
			opts := options()
			opts.FeedPageSize = tc.size
			publishOnce := func() {
				t.Helper()
				if _, err := publish.PublishDir(context.Background(), src, out, opts); err != nil {
					t.Fatal(err)
				}
			}
			publishOnce()
			if tc.republish {
				if err := os.RemoveAll(src); err != nil {
					t.Fatal(err)
				}
				writeSmallCatalogue(t, src, 10, tc.skip)
				opts.Now = func() time.Time { return testNow.Add(time.Hour) }
				publishOnce()
			}
			pages := readFeed(t, out)
			f := &feed.Feed{Publisher: pages[0].Publisher, Keys: pages[0].Keys}
			deleted := 0
			for _, p := range pages {
				f.Entries = append(f.Entries, p.Entries...)
			}
			for _, e := range f.Entries {
				if e.Deleted {
					deleted++
				}
			}
			if want := map[bool]int{false: 0, true: 3}[tc.republish]; deleted != want || len(f.Entries) != 12 {
				t.Fatalf("%d entries, %d tombstones; want 12 and %d", len(f.Entries), deleted, want)
			}
			want, err := f.Pages(tc.size, func(n int) string {
				if n == 1 {
					return "feed.json"
				}
				return fmt.Sprintf("feed-%d.json", n)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != len(pages) {
				t.Fatalf("%d pages written, Feed.Pages makes %d", len(pages), len(want))
			}
			for i, p := range want {
				var buf bytes.Buffer
				if err := p.Encode(&buf); err != nil {
					t.Fatal(err)
				}
				name := "feed.json"
				if i > 0 {
					name = fmt.Sprintf("feed-%d.json", i+1)
				}
				got, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, buf.Bytes()) {
					t.Errorf("%s differs from Feed.Pages':\n%s\nwant\n%s", name, got, buf.Bytes())
				}
			}
			if _, err := os.Stat(filepath.Join(out, fmt.Sprintf("feed-%d.json", len(want)+1))); err == nil {
				t.Errorf("a feed page beyond the last is left in the folder")
			}
		})
	}
}

// TestCatalogueIssuesAsLoad: the catalogue's issues in publish's report —
// duplicate IDs across and within documents, unknown publishers — are the
// ones catalogue.LoadDir reports, in the same order, although publish
// never holds the catalogue.
func TestCatalogueIssuesAsLoad(t *testing.T) {
	src := t.TempDir()
	docs := map[string]string{
		"a/one.ota.json":   `{"ota":"1.0","id":"urn:x:1","kind":"course","title":{"en":"One"},"parts":[{"id":"urn:x:1/p","title":{"en":"P"}},{"id":"urn:x:1/p","title":{"en":"P again"}}]}`,
		"b/two.ota.json":   `{"ota":"1.0","id":"urn:x:2","kind":"course","title":{"en":"Two"},"parts":[{"id":"urn:x:1/p","title":{"en":"P elsewhere"}}]}`,
		"b/three.ota.json": `{"ota":"1.0","id":"urn:x:1","kind":"course","title":{"en":"One again"}}`,
		"four.ota.json":    `{"ota":"1.0","id":"urn:x:4","kind":"course","title":{"en":"No publisher"}}`,
		"c/five.ota.json":  `{"ota":"1.0","id":"urn:x:5","kind":"course","title":{"en":"Five"},"contributors":[{"name":"ONS","roles":["publisher"]}],"parts":[{"id":"urn:x:2","title":{"en":"Two inside"}}]}`,
	}
	for name, doc := range docs {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, want, err := catalogue.LoadDir(src, catalogue.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, res := publishTo(t, src, options())
	catalogueIssues := func(r ota.Report) []ota.Issue {
		var out []ota.Issue
		for _, is := range r.Issues {
			if len(is.Code) > len("framework.catalogue.") && is.Code[:len("framework.catalogue.")] == "framework.catalogue." {
				out = append(out, is)
			}
		}
		return out
	}
	got, exp := catalogueIssues(res.Report), catalogueIssues(want)
	if len(exp) < 4 {
		t.Fatalf("LoadDir reports only %v: the fixture no longer has duplicates across documents", exp)
	}
	if !slices.Equal(got, exp) {
		t.Errorf("publish reports\n%v\nLoadDir reports\n%v", got, exp)
	}
}
