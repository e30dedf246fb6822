package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/metaacademy/ota/platform/store"
)

// Fill puts the first n synthetic assets into s, with 4 writers.
func Fill(tb testing.TB, s store.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			for i := w; i < n; i += 4 {
				src, a := Synthetic(i)
				if _, err := s.Put(ctx, RecordOf(src, a, time.Unix(0, 0))); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			tb.Fatal(err)
		}
	}
}

// benchQueries is the mix of searches a benchmark times: common and rare
// words, a phrase, a prefix, an exclusion, filters alone and with words,
// with facets as the hub's search page asks for them.
func benchQueries(tb testing.TB) []store.Query {
	mk := func(text string, f store.Filters) store.Query {
		terms, filters, err := store.ParseQuery(text, f)
		if err != nil {
			tb.Fatal(err)
		}
		return store.Query{Terms: terms, Filters: filters, Limit: 20, Facets: true}
	}
	return []store.Query{
		mk("statistics", store.Filters{}),
		mk("seasonal adjustment", store.Filters{}),
		mk(SyntheticWords(500), store.Filters{}),
		mk(`"data survey"`, store.Filters{}),
		mk("stat*", store.Filters{}),
		mk("data -survey", store.Filters{}),
		mk("", store.Filters{Language: "fr", Level: "basic"}),
		mk("census", store.Filters{Framework: "gsbpm", Node: "5"}),
		mk("", store.Filters{Source: "nso-03", MaxDuration: 2 * time.Hour}),
		mk("quality", store.Filters{License: "CC-BY-4.0", Kind: "course"}),
	}
}

// BenchSearch measures search latency on a store holding n synthetic
// assets: each iteration runs the query mix once; p50 and p95 of single
// queries are reported in milliseconds, with the peak live heap of the
// whole run (filling included) in MiB.
func BenchSearch(b *testing.B, s store.Store, n int) {
	stop := PeakHeap()
	Fill(b, s, n)
	qs := benchQueries(b)
	ctx := context.Background()
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		for _, q := range qs {
			t := time.Now()
			if _, err := s.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
	}
	b.StopTimer()
	peak := stop()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(0, "ns/op")
}

// BenchPut measures storing synthetic records one by one (each Put its
// own transaction, as a harvest stores them), on top of n already stored.
func BenchPut(b *testing.B, s store.Store, n int) {
	Fill(b, s, n)
	ctx := context.Background()
	i := n
	b.ResetTimer()
	for b.Loop() {
		src, a := Synthetic(i)
		if _, err := s.Put(ctx, RecordOf(src, a, time.Unix(0, 0))); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
