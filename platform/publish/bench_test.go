package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metaacademy/ota/platform/publish"
)

// writeCatalogue writes n course documents under dir, spread over three
// publishers' folders, each with a lesson whose launch page is a small HTML
// file, aligned to GSBPM, so that every download format is made.
func writeCatalogue(b *testing.B, dir string, n int) {
	b.Helper()
	pubs := []string{"insee", "statcan", "unece"}
	codes := []string{"1.1", "2.1", "3.2", "4.1", "5.3", "6.1", "7.2", "8.1"}
	for i := range n {
		folder := filepath.Join(dir, pubs[i%3], fmt.Sprintf("c%05d", i))
		if err := os.MkdirAll(filepath.Join(folder, "lesson"), 0o755); err != nil {
			b.Fatal(err)
		}
		doc := fmt.Sprintf(`{"ota":"1.0","id":"https://example.org/%[2]s/c%05[1]d","version":"1.0.0","kind":"course",
"title":{"en":"Course %[1]d","fr":"Cours %[1]d"},"description":{"en":"A generated course for the benchmark."},
"languages":["en"],"license":"CC-BY-4.0","duration":"PT2H","modified":"2024-%02[3]d-%02[4]d",
"contributors":[{"name":"%[2]s","type":"organization","roles":["publisher"]}],
"alignments":[{"framework":"gsbpm","version":"5.2","code":"%[5]s"}],
"parts":[{"id":"https://example.org/%[2]s/c%05[1]d/lesson","kind":"lesson","title":{"en":"Lesson %[1]d"},
"resources":[{"path":"lesson/index.html","mediaType":"text/html","role":"launch"}]}]}`,
			i, pubs[i%3], i%12+1, i%28+1, codes[i%len(codes)])
		if err := os.WriteFile(filepath.Join(folder, "course.ota.json"), []byte(doc), 0o644); err != nil {
			b.Fatal(err)
		}
		page := fmt.Sprintf("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lesson %d</title></head><body><h1>Lesson %d</h1><p>%s</p></body></html>\n", i, i, strings.Repeat("Text of the lesson. ", 50))
		if err := os.WriteFile(filepath.Join(folder, "lesson", "index.html"), []byte(page), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// peakHeap samples the heap until stop is closed and returns the largest
// values seen, in bytes, of the heap's objects (garbage not yet swept
// included) and of the live heap (what the last collection marked).
func peakHeap(stop <-chan struct{}) func() (objects, live uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	var peakObjects, peakLive uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peakObjects = max(peakObjects, sample[0].Value.Uint64())
			peakLive = max(peakLive, sample[1].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() (uint64, uint64) { wg.Wait(); return peakObjects, peakLive }
}

// BenchmarkPublish publishes generated catalogues of 1 000 and 10 000
// courses (each with a lesson, so 5 downloads and 2 pages per course) and
// reports the time per course, the peak heap during the publication (its
// objects, garbage included, and the live heap the collector marked) and
// the process's maximum resident set size after it. Sizes can be set
// with OTA_BENCH_PUBLISH_SIZES (comma-separated). Run one iteration each:
//
//	go test ./platform/publish -run '^$' -bench Publish -benchtime 1x
func BenchmarkPublish(b *testing.B) {
	sizes := []int{1000, 10000}
	if s := os.Getenv("OTA_BENCH_PUBLISH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("OTA_BENCH_PUBLISH_SIZES: %q", f)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("courses=%d", n), func(b *testing.B) {
			src := b.TempDir()
			writeCatalogue(b, src, n)
			opts := publish.Options{BaseURL: "https://example.org/", Key: testKey(), Now: func() time.Time { return testNow }}
			var peak, live uint64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				out := filepath.Join(b.TempDir(), "site")
				runtime.GC()
				stop := make(chan struct{})
				done := peakHeap(stop)
				b.StartTimer()
				res, err := publish.PublishDir(context.Background(), src, out, opts)
				b.StopTimer()
				close(stop)
				objects, marked := done()
				peak, live = max(peak, objects), max(live, marked)
				if err != nil {
					b.Fatal(err)
				}
				if res.Trees != n || res.Report.HasErrors() {
					b.Fatalf("%d trees published of %d: %v", res.Trees, n, res.Report.Errors())
				}
				_ = os.RemoveAll(out)
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n)/1000, "ms/course")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(live)/(1<<20), "peak-live-MiB")
			if rss, ok := maxRSS(); ok {
				b.ReportMetric(float64(rss)/(1<<20), "maxrss-MiB")
			}
		})
	}
}
