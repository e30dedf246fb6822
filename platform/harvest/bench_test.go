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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/store/sqlite"
	"github.com/metaacademy/ota/platform/store/storetest"
)

// synthPublishers serves storetest.SyntheticSources feeds of n synthetic
// assets in all, with signed bundles built on request (deterministically,
// so the feed's digests match), holding nothing in memory per asset.
type synthPublishers struct {
	n    int
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

const synthPage = 500

func (p *synthPublishers) bundle(i int) ([]byte, error) {
	_, a := storetest.Synthetic(i)
	var raw, signed bytes.Buffer
	w := bundle.NewWriter(&raw, bundle.WriterOptions{})
	if err := w.AddAsset(asset.NewDocument(*a)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	err := bundle.Sign(context.Background(), &signed, bytes.NewReader(raw.Bytes()), int64(raw.Len()), p.priv, bundle.Options{})
	return signed.Bytes(), err
}

// count is the number of assets of source s.
func (p *synthPublishers) count(s int) int {
	return (p.n - s + storetest.SyntheticSources - 1) / storetest.SyntheticSources
}

func (p *synthPublishers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	src, err := strconv.Atoi(strings.TrimPrefix(parts[0], "nso-"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if num, ok := strings.CutSuffix(parts[1], ".ota"); ok {
		i, _ := strconv.Atoi(num)
		data, err := p.bundle(i)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Write(data)
		return
	}
	page := 1
	if s, ok := strings.CutPrefix(parts[1], "feed-"); ok {
		page, _ = strconv.Atoi(strings.TrimSuffix(s, ".json"))
	}
	total := p.count(src)
	pages := max(1, (total+synthPage-1)/synthPage)
	pg := feed.Page{Format: feed.FormatVersion, Publisher: feed.Publisher{Name: parts[0]}, Total: total, Number: page, Pages: pages,
		Digest: "sha256:" + strings.Repeat("0", 64), Entries: []feed.Entry{}}
	if page < pages {
		pg.Next = fmt.Sprintf("feed-%d.json", page+1)
	}
	for k := (page - 1) * synthPage; k < min(total, page*synthPage); k++ {
		i := src + k*storetest.SyntheticSources
		data, err := p.bundle(i)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		sum := sha256.Sum256(data)
		_, a := storetest.Synthetic(i)
		pg.Entries = append(pg.Entries, feed.Entry{ID: a.ID, Version: a.Version, Modified: a.Modified, Digest: "sha256:" + hex.EncodeToString(sum[:]),
			Downloads: []feed.Download{{Format: feed.FormatOTA, URL: fmt.Sprintf("%d.ota", i)}}})
	}
	var b bytes.Buffer
	if err := pg.Encode(&b); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Write(b.Bytes())
}

// BenchmarkHarvest harvests n synthetic assets from 20 publishers' feeds
// of signed bundles served on loopback into a new SQLite hub, overlaps
// included, and reports assets per second and the peak live heap (which
// should not grow with n: HarvestEach keeps one source's changed keys at a
// time). Sizes can be set with OTA_BENCH_HARVEST_SIZES
// (comma-separated). Not run in CI; 100k takes a long while:
//
//	go test -run '^$' -bench Harvest -benchtime 1x -timeout 3h ./platform/harvest
func BenchmarkHarvest(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if s := os.Getenv("OTA_BENCH_HARVEST_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("OTA_BENCH_HARVEST_SIZES: %q", f)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("assets=%d", n), func(b *testing.B) {
			pub, priv, err := bundle.GenerateKey()
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(&synthPublishers{n: n, priv: priv, pub: pub})
			defer srv.Close()
			sources := &Sources{}
			for s := range storetest.SyntheticSources {
				sources.Sources = append(sources.Sources, Source{Name: fmt.Sprintf("nso-%02d", s), Feed: fmt.Sprintf("%s/nso-%02d/feed.json", srv.URL, s),
					Keys: []TrustedKey{{PublicKey: base64.StdEncoding.EncodeToString(pub), pub: pub, ID: bundle.KeyID(pub)}}})
			}
			for b.Loop() {
				b.StopTimer()
				st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "hub.db"), sqlite.Options{})
				if err != nil {
					b.Fatal(err)
				}
				stop := storetest.PeakHeap()
				b.StartTimer()
				start := time.Now()
				var results []*Result
				err = New(st, Options{AllowPrivate: true}).HarvestEach(context.Background(), sources, func(r *Result) { results = append(results, r) })
				if err != nil {
					b.Fatal(err)
				}
				elapsed := time.Since(start)
				b.StopTimer()
				peak := stop()
				added := 0
				for _, r := range results {
					added += r.Added
					if len(r.Rejected) > 0 {
						b.Fatalf("%s: %v", r.Source, r.Rejected[0])
					}
				}
				if added != n {
					b.Fatalf("%d assets harvested, want %d", added, n)
				}
				b.ReportMetric(float64(n)/elapsed.Seconds(), "assets/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				st.Close()
				b.StartTimer()
			}
		})
	}
}
