package publish_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/publish"
)

// TestSite publishes the fixture catalogue and checks the site: pages
// (JSON-LD valid in the AMB profile, one h1, lang, alt texts, links that
// resolve), the feed (downloads that exist with their digests, signed
// bundles), the sitemap.
func TestSite(t *testing.T) {
	out, res := publishTo(t, fixture, options())
	if res.Report.HasErrors() {
		t.Fatalf("errors: %v", res.Report.Errors())
	}
	if res.Pages != 4 || res.Trees != 2 {
		t.Fatalf("%d pages of %d trees, want 4 of 2", res.Pages, res.Trees)
	}
	all := files(t, out)
	pages := 0
	for rel, data := range all {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			doc := parseHTML(t, data)
			for _, p := range htmlProblems(doc, rel, all) {
				t.Error(p)
			}
			if !strings.HasPrefix(rel, "assets/") {
				return
			}
			pages++
			ld := jsonLD(t, doc)
			if ld == nil {
				t.Fatal("no JSON-LD")
			}
			if err := interop.ValidateAMB(t, ld); err != nil {
				t.Errorf("%v\n%s", err, ld)
			}
			if !bytes.Contains(ld, []byte(`"url": "`+baseURL+rel+`"`)) {
				t.Errorf("the JSON-LD does not name the page %s%s", baseURL, rel)
			}
		})
	}
	if pages != 4 {
		t.Errorf("%d asset pages", pages)
	}

	fp := readFeed(t, out)
	if len(fp) != 1 || len(fp[0].Entries) != 2 || fp[0].Publisher.Name != "Test publishers" || len(fp[0].Keys) != 1 {
		t.Fatalf("feed: %+v", fp)
	}
	pub := testKey().Public().(ed25519.PublicKey)
	if fp[0].Keys[0].ID != bundle.KeyID(pub) {
		t.Errorf("the feed lists key %s, not the signing key", fp[0].Keys[0].ID)
	}
	for _, e := range fp[0].Entries {
		formats := map[string]bool{}
		for _, d := range e.Downloads {
			formats[d.Format] = true
			data, ok := all[d.URL]
			if !ok || int64(len(data)) != d.Size {
				t.Errorf("%s: download %s missing or of another size", e.ID, d.URL)
			}
			if d.Format == feed.FormatOTA {
				b, _, err := bundle.OpenFile(filepath.Join(out, d.URL), bundle.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := b.VerifySignature(pub); err != nil {
					t.Errorf("%s: %v", d.URL, err)
				}
				if rep := b.Verify(context.Background()); rep.HasErrors() {
					t.Errorf("%s: %v", d.URL, rep.Errors())
				}
				if len(b.Assets()) != 1 || b.Assets()[0].Asset.ID != e.ID {
					t.Errorf("%s holds %d assets", d.URL, len(b.Assets()))
				}
				_ = b.Close()
			}
		}
		want := 4
		if strings.Contains(e.ID, "istat") {
			want = 1 // metadata only: nothing to launch
		}
		if len(formats) != want {
			t.Errorf("%s: formats %v, want %d", e.ID, formats, want)
		}
		if _, ok := all[e.Page]; !ok {
			t.Errorf("%s: page %s missing", e.ID, e.Page)
		}
	}

	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(all["sitemap.xml"], &sm); err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) != 5 {
		t.Errorf("the sitemap lists %d URLs, want the index and 4 pages", len(sm.URLs))
	}
	for _, u := range sm.URLs {
		if _, ok := all[strings.TrimPrefix(u.Loc, baseURL)]; !strings.HasPrefix(u.Loc, baseURL) || !ok {
			t.Errorf("sitemap URL %s is not a published page", u.Loc)
		}
	}
	if !strings.Contains(string(all["index.html"]), `src="coverage/gsbpm.svg"`) {
		t.Error("the index has no GSBPM heatmap")
	}
}

// htmlProblems lists what a page lacks of what every page must have: a
// language, one h1, one main landmark, alt text on images, table headers
// with a scope, and links to files of the site that exist.
func htmlProblems(doc *html.Node, rel string, all map[string][]byte) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	h1, mains := 0, 0
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "html":
			if attr(n, "lang") == "" {
				bad("<html> has no lang")
			}
		case "h1":
			h1++
		case "main":
			mains++
		case "img":
			if strings.TrimSpace(attr(n, "alt")) == "" {
				bad("<img src=%q> has no alt text", attr(n, "src"))
			}
		case "th":
			if attr(n, "scope") == "" {
				bad("<th> without scope")
			}
		}
		for _, a := range []string{"href", "src"} {
			ref := attr(n, a)
			if ref == "" || strings.Contains(ref, "://") || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "mailto:") {
				continue
			}
			u, err := url.Parse(ref)
			if err != nil {
				bad("%s %q: %v", a, ref, err)
				continue
			}
			target := path.Clean(path.Join(path.Dir(rel), u.Path))
			if _, ok := all[target]; !ok {
				bad("%s %q leads to %s, which the site does not have", a, ref, target)
			}
		}
	})
	if h1 != 1 || mains != 1 {
		bad("%d h1 and %d main elements, want one each", h1, mains)
	}
	return out
}

// TestHTMLProblemsFinds shows that the page check of TestSite can fail.
func TestHTMLProblemsFinds(t *testing.T) {
	page := `<!DOCTYPE html><html><body><h1>a</h1><h1>b</h1><img src="x.png"><table><tr><th>h</th></tr></table><a href="../nowhere.html">x</a></body></html>`
	got := htmlProblems(parseHTML(t, []byte(page)), "assets/p.html", map[string][]byte{"assets/x.png": nil})
	if len(got) != 5 {
		t.Errorf("found %d problems, want 5 (lang, alt, scope, link, h1/main):\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestDeterministic publishes the catalogue twice into new folders, and
// again over the first: every file has the same bytes, and nothing else is
// there.
func TestDeterministic(t *testing.T) {
	a, _ := publishTo(t, fixture, options())
	b, _ := publishTo(t, fixture, options())
	fa, fb := files(t, a), files(t, b)
	compare := func(what string, x, y map[string][]byte) {
		for rel, data := range x {
			if !bytes.Equal(data, y[rel]) {
				t.Errorf("%s: %s differs", what, rel)
			}
		}
		if len(x) != len(y) {
			t.Errorf("%s: %d files against %d", what, len(x), len(y))
		}
	}
	compare("two publications", fa, fb)
	if _, err := publish.PublishDir(context.Background(), fixture, a, options()); err != nil {
		t.Fatal(err)
	}
	compare("publishing over the previous", files(t, a), fb)
}

// TestTombstones: an asset removed from the catalogue leaves the site and
// becomes a tombstone in the feed, dated when it was noticed and kept with
// that date; when it comes back, it is live again.
func TestTombstones(t *testing.T) {
	src := t.TempDir()
	copyDir(t, fixture, src)
	out := t.TempDir()
	opts := options()
	run := func(now time.Time) (*publish.Result, []feed.Entry) {
		opts.Now = func() time.Time { return now }
		res, err := publish.PublishDir(context.Background(), src, out, opts)
		if err != nil {
			t.Fatal(err)
		}
		var es []feed.Entry
		for _, p := range readFeed(t, out) {
			es = append(es, p.Entries...)
		}
		return res, es
	}
	const istat = "https://example.org/istat/formazione/serie-storiche"
	find := func(es []feed.Entry) *feed.Entry {
		for i := range es {
			if es[i].ID == istat {
				return &es[i]
			}
		}
		return nil
	}
	run(testNow)
	before := files(t, out)
	if err := os.Remove(filepath.Join(src, "istat", "serie-storiche.ota.json")); err != nil {
		t.Fatal(err)
	}
	t1 := testNow.Add(24 * time.Hour)
	res, es := run(t1)
	e := find(es)
	if e == nil || !e.Deleted || e.Modified != t1.Format(time.RFC3339) || res.Withdrawn != 1 {
		t.Fatalf("after removal: %+v, withdrawn %d", e, res.Withdrawn)
	}
	after := files(t, out)
	for rel := range before {
		_, still := after[rel]
		if strings.Contains(rel, "serie-storiche") && still {
			t.Errorf("%s is still published", rel)
		} else if !strings.Contains(rel, "serie-storiche") && !still {
			t.Errorf("%s was removed", rel)
		}
	}
	if res.Files != len(after) {
		t.Errorf("the result counts %d files written; the folder has %d", res.Files, len(after))
	}
	_, es = run(t1.Add(48 * time.Hour))
	if e := find(es); e == nil || e.Modified != t1.Format(time.RFC3339) {
		t.Errorf("the tombstone's date moved: %+v", e)
	}
	copyDir(t, fixture, src)
	_, es = run(t1.Add(96 * time.Hour))
	if e := find(es); e == nil || e.Deleted {
		t.Errorf("the asset is back but its entry is %+v", e)
	}
}

// TestWithoutBaseURL: a warning, no sitemap, and JSON-LD without url or
// encoding that is still valid.
func TestWithoutBaseURL(t *testing.T) {
	opts := options()
	opts.BaseURL = ""
	out, res := publishTo(t, fixture, opts)
	found := false
	for _, is := range res.Report.Issues {
		found = found || is.Code == publish.CodeNoBaseURL
	}
	if !found {
		t.Error("no warning about the missing base URL")
	}
	all := files(t, out)
	if _, ok := all["sitemap.xml"]; ok {
		t.Error("a sitemap without a base URL")
	}
	for rel, data := range all {
		if strings.HasPrefix(rel, "assets/") {
			ld := jsonLD(t, parseHTML(t, data))
			if bytes.Contains(ld, []byte(`"url"`)) || bytes.Contains(ld, []byte(`"encoding"`)) {
				t.Errorf("%s: JSON-LD names URLs it cannot know", rel)
			}
			if err := interop.ValidateAMB(t, ld); err != nil {
				t.Errorf("%s: %v", rel, err)
			}
		}
	}
}

// TestPublishDirRefuses: links in the catalogue are not followed, and the
// output may not be inside the catalogue.
func TestPublishDirRefuses(t *testing.T) {
	src := t.TempDir()
	copyDir(t, fixture, src)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.ota.json"), []byte(`{"ota":"1.0","id":"urn:x:s","kind":"lesson","title":{"en":"S"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.ota.json"), filepath.Join(src, "istat", "link.ota.json")); err != nil {
		t.Skip("cannot make a symbolic link:", err)
	}
	_, res := publishTo(t, src, options())
	var unreadable bool
	for _, is := range res.Report.Issues {
		if strings.Contains(is.Pointer, "link.ota.json") && is.Severity == ota.Error {
			unreadable = true
		}
	}
	if !unreadable || res.Trees != 2 {
		t.Errorf("the linked document was not refused (trees %d): %v", res.Trees, res.Report.Issues)
	}
	_, err := publish.PublishDir(context.Background(), src, filepath.Join(src, "site"), options())
	if !errors.Is(err, publish.ErrOutput) {
		t.Errorf("output inside the catalogue: %v", err)
	}
}

// changingFS serves a document that changes after its first reading.
type changingFS struct {
	fstest.MapFS
	name   string
	second []byte
	opened int
}

func (c *changingFS) Open(name string) (fs.File, error) {
	if name == c.name {
		c.opened++
		if c.opened > 1 {
			c.MapFS[name] = &fstest.MapFile{Data: c.second}
		}
	}
	return c.MapFS.Open(name)
}

// TestDocumentChanged: a document that changes between the two readings
// is reported and its page is not written; the others are.
func TestDocumentChanged(t *testing.T) {
	doc := func(id string) []byte {
		return []byte(`{"ota": "1.0", "id": "https://example.org/` + id + `", "kind": "lesson", "title": {"en": "A"}, "license": "CC0-1.0"}`)
	}
	fsys := &changingFS{MapFS: fstest.MapFS{"x/a.ota.json": {Data: doc("a")}, "x/b.ota.json": {Data: doc("b")}}, name: "x/a.ota.json", second: doc("c")}
	out := t.TempDir()
	res, err := publish.Publish(context.Background(), fsys, out, options())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, is := range res.Report.Errors() {
		codes = append(codes, is.Pointer+" "+is.Code)
	}
	if want := []string{"x/a.ota.json " + publish.CodeDocumentChanged}; !slices.Equal(codes, want) {
		t.Errorf("errors %v, want %v", codes, want)
	}
	pages := 0
	for rel := range files(t, out) {
		if strings.HasPrefix(rel, "assets/") {
			pages++
		}
	}
	if pages != 1 {
		t.Errorf("%d pages written, want 1 (b's)", pages)
	}
}
