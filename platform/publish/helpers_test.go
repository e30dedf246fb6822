package publish_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/publish"
)

const (
	fixture = "testdata/catalogue"
	baseURL = "https://training.example.org/catalogue/"
)

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testKey is a fixed signing key, so that signed output is reproducible.
func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func options() publish.Options {
	return publish.Options{BaseURL: baseURL, Key: testKey(), Now: func() time.Time { return testNow },
		Publisher: feed.Publisher{Name: "Test publishers"}}
}

// publishTo publishes dir into a new folder and returns it.
func publishTo(t *testing.T, dir string, opts publish.Options) (string, *publish.Result) {
	t.Helper()
	out := t.TempDir()
	res, err := publish.PublishDir(context.Background(), dir, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}

// files returns every file under dir with its content, by slash path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyDir copies a folder tree.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	for rel, data := range files(t, src) {
		p := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readFeed reads every page of the feed in dir.
func readFeed(t *testing.T, dir string) []feed.Page {
	t.Helper()
	var pages []feed.Page
	name := "feed.json"
	for name != "" {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := feed.Read(f, feed.ReadOptions{})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pages = append(pages, *p)
		name = p.Next
	}
	return pages
}

// jsonLD returns the content of the page's JSON-LD script element, or nil.
func jsonLD(t *testing.T, doc *html.Node) []byte {
	t.Helper()
	var out []byte
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" && attr(n, "type") == "application/ld+json" && n.FirstChild != nil {
			out = []byte(strings.TrimSpace(n.FirstChild.Data))
		}
	})
	return out
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func parseHTML(t *testing.T, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
