package harvest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
)

// testPublisher serves a feed of signed bundles, as ota publish would, and
// counts the requests it gets.
type testPublisher struct {
	t        *testing.T
	name     string
	priv     ed25519.PrivateKey
	pub      ed25519.PublicKey
	mu       sync.Mutex
	assets   map[string]*asset.Asset
	deleted  map[string]bool
	files    map[string][]byte // path → content
	requests map[string]int
	srv      *httptest.Server
	pageSize int
	unsigned bool // publish bundles without signature
	tamper   bool // serve bundles whose bytes differ from the feed's digest
}

func newTestPublisher(t *testing.T, name string) *testPublisher {
	pub, priv, err := bundle.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	p := &testPublisher{t: t, name: name, pub: pub, priv: priv, assets: map[string]*asset.Asset{}, deleted: map[string]bool{},
		files: map[string][]byte{}, requests: map[string]int{}, pageSize: 1}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testPublisher) url(path string) string { return p.srv.URL + "/" + path }

func (p *testPublisher) source() Source {
	return Source{Name: p.name, Feed: p.url("feed.json"), Keys: []TrustedKey{{PublicKey: base64.StdEncoding.EncodeToString(p.pub), pub: p.pub, ID: bundle.KeyID(p.pub)}}}
}

func (p *testPublisher) put(a *asset.Asset) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.assets[a.ID] = a
	delete(p.deleted, a.ID)
	p.rebuild()
}

// withdraw removes an asset, leaving a tombstone when tombstone is set.
func (p *testPublisher) withdraw(id string, tombstone bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.assets, id)
	if tombstone {
		p.deleted[id] = true
	}
	p.rebuild()
}

func (p *testPublisher) rebuild() {
	ctx := context.Background()
	f := feed.Feed{Publisher: feed.Publisher{Name: strings.ToUpper(p.name)}}
	files := map[string][]byte{}
	i := 0
	for id, a := range p.assets {
		i++
		var raw bytes.Buffer
		w := bundle.NewWriter(&raw, bundle.WriterOptions{})
		if err := w.AddAsset(asset.NewDocument(*a)); err != nil {
			p.t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			p.t.Fatal(err)
		}
		data := raw.Bytes()
		if !p.unsigned {
			var signed bytes.Buffer
			if err := bundle.Sign(ctx, &signed, bytes.NewReader(data), int64(len(data)), p.priv, bundle.Options{}); err != nil {
				p.t.Fatal(err)
			}
			data = signed.Bytes()
		}
		sum := sha256.Sum256(data)
		name := fmt.Sprintf("a%d.ota", i)
		if p.tamper {
			data = append(bytes.Clone(data[:len(data)-1]), data[len(data)-1]^1)
		}
		files[name] = data
		f.Entries = append(f.Entries, feed.Entry{ID: id, Version: a.Version, Kind: a.Kind, Title: a.Title, Modified: a.Modified,
			Digest:    "sha256:" + hex.EncodeToString(sum[:]),
			Downloads: []feed.Download{{Format: feed.FormatOTA, URL: name, SHA256: hex.EncodeToString(sum[:])}, {Format: feed.FormatSCORM12, URL: "scorm/" + name + ".zip"}}})
	}
	for id := range p.deleted {
		f.Entries = append(f.Entries, feed.Entry{ID: id, Deleted: true, Modified: "2026-01-01"})
	}
	pages, err := f.Pages(p.pageSize, func(n int) string {
		if n == 1 {
			return "feed.json"
		}
		return fmt.Sprintf("feed-%d.json", n)
	})
	if err != nil {
		p.t.Fatal(err)
	}
	for n, pg := range pages {
		var b bytes.Buffer
		if err := pg.Encode(&b); err != nil {
			p.t.Fatal(err)
		}
		name := "feed.json"
		if n > 0 {
			name = fmt.Sprintf("feed-%d.json", n+1)
		}
		files[name] = b.Bytes()
	}
	p.files = files
}

func (p *testPublisher) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	path := strings.TrimPrefix(r.URL.Path, "/")
	p.requests[path]++
	data, ok := p.files[path]
	p.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(data)
}

func (p *testPublisher) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests[path]
}
