package xapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"
)

var streamBig = flag.Bool("stream.10m", false, "BenchmarkStreamFlat: also stream 10 million records")

// genStatements writes n NDJSON statements to w, each with its own id
// and actor, cycling over a few shapes, without holding them.
func genStatements(w io.Writer, n int) error {
	shapes := []string{
		`{"id":"%s","actor":{"mbox":"mailto:learner%d@example.org","name":"Learner"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},"object":{"id":"https://example.org/courses/sampling","definition":{"name":{"en":"Sampling","fr":"Échantillonnage"},"type":"http://adlnet.gov/expapi/activities/course"}},"result":{"completion":true,"duration":"PT1H12M"},"timestamp":"2024-05-31T14:02:00.000Z"}`,
		`{"id":"%s","actor":{"account":{"homePage":"https://lms.example.org","name":"u-%d"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed","display":{"en-US":"passed"}},"object":{"id":"https://example.org/courses/sampling/quiz"},"result":{"score":{"scaled":0.8,"raw":8,"min":0,"max":10},"success":true},"context":{"registration":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f","contextActivities":{"parent":[{"id":"https://example.org/courses/sampling"}]}},"timestamp":"2024-05-31T14:05:00Z"}`,
		`{"id":"%s","actor":{"mbox":"mailto:bad%d"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/courses/sampling/lesson-1"},"result":{"score":{"scaled":2}}}`,
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	id := []byte("00000000-0000-4000-8000-000000000000")
	for i := range n {
		s := strconv.AppendInt(nil, int64(i), 16)
		copy(id[36-len(s):], s)
		fmt.Fprintf(bw, shapes[i%len(shapes)], id, i)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// heapSampler records, while it runs, the largest heap of live objects
// (as the last collection found them, which does not depend on how far
// collection lags behind) and the largest heap of objects, dead or
// alive.
type heapSampler struct {
	live, objects uint64
	stop, done    chan struct{}
}

func startHeapSampler() *heapSampler {
	runtime.GC()
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.live = max(h.live, s[0].Value.Uint64())
			h.objects = max(h.objects, s[1].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// finish stops sampling and returns the peaks.
func (h *heapSampler) finish() (live, objects uint64) {
	close(h.stop)
	<-h.done
	return h.live, h.objects
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkStreamFlat pipes n generated statements through an io.Pipe
// into a Reader that validates each, at sizes ten times apart, and
// reports the time per record and the heap: the peak of the live heap
// while streaming (sampled from runtime/metrics), the peak of heap objects
// dead or alive, the heap left after the stream (after a GC), and the
// bytes allocated per record. Flat memory shows as the same peaks at every
// size. -stream.10m adds 10 million records.
//
//	go test -run '^$' -bench StreamFlat -benchtime 1x -cpu 1 ./packaging/xapi/
func BenchmarkStreamFlat(b *testing.B) {
	sizes := []int{100_000, 1_000_000}
	if *streamBig {
		sizes = append(sizes, 10_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			var live, objects, after uint64
			var alloc float64
			for b.Loop() {
				var ms0 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				h := startHeapSampler()
				pr, pw := io.Pipe()
				go func() { pw.CloseWithError(genStatements(pw, n)) }()
				x := NewReader(pr, StreamOptions{})
				count := 0
				for {
					_, err := x.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				l, o := h.finish()
				live, objects = max(live, l), max(objects, o)
				var ms1 runtime.MemStats
				runtime.ReadMemStats(&ms1)
				alloc = float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(n)
				after = liveHeap()
				if v, i := x.Counts(); count != n || v+i != n || i != n/3 {
					b.Fatalf("read %d records, %d valid and %d invalid, of %d", count, v, i, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(live)/(1<<20), "peak-live-heap-MiB")
			b.ReportMetric(float64(objects)/(1<<20), "peak-heap-objects-MiB")
			b.ReportMetric(float64(after)/(1<<20), "heap-after-MiB")
			b.ReportMetric(alloc, "alloc-B/record")
		})
	}
}

// corpusNDJSON returns the ADL conformance corpus (both folders; without
// ../shared, the package's own statements and streams) as compact NDJSON
// lines.
func corpusNDJSON(b *testing.B) [][]byte {
	var docs [][]byte
	if ref := referenceDir(); ref != "" {
		for _, dir := range []string{"v1_0_3", "v2_0"} {
			for _, cs := range loadCases(b, filepath.Join(ref, "xapi", "lrs-conformance", dir)) {
				docs = append(docs, cs.Document)
			}
		}
	} else {
		b.Log("../shared/reference is absent: replicating the package's own statements instead of the ADL corpus")
		for _, d := range ownStatements(b) {
			docs = append(docs, d)
		}
	}
	lines := make([][]byte, 0, len(docs))
	for _, d := range docs {
		var c bytes.Buffer
		if err := json.Compact(&c, d); err != nil {
			b.Fatal(err)
		}
		lines = append(lines, append(c.Bytes(), '\n'))
	}
	return lines
}

// cycleReader yields size bytes, cycling over block, without holding
// more than one copy of it.
type cycleReader struct {
	block []byte
	off   int
	left  int64
}

func newCycleReader(lines [][]byte, size int64) *cycleReader {
	return &cycleReader{block: bytes.Join(lines, nil), left: size}
}

func (c *cycleReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	if c.off == len(c.block) {
		c.off = 0
	}
	chunk := c.block[c.off:]
	if int64(len(chunk)) > c.left {
		chunk = chunk[:c.left]
	}
	n := copy(p, chunk)
	c.off += n
	c.left -= int64(n)
	return n, nil
}

// BenchmarkStreamCorpus measures statements validated per second over the
// ADL corpus replicated to one million NDJSON statements, read through a
// Reader, against the floor of decoding the same stream with plain
// encoding/json into map[string]any (json.Decoder, and bufio.Scanner
// with json.Unmarshal per line). Run it on one core:
//
//	go test -run '^$' -bench StreamCorpus -benchtime 1x -cpu 1 ./packaging/xapi/
func BenchmarkStreamCorpus(b *testing.B) {
	lines := corpusNDJSON(b)
	const n = 1_000_000
	var size int64
	for i := range n {
		size += int64(len(lines[i%len(lines)]))
	}
	run := func(name string, fn func(r io.Reader) int) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			cpu := cpuSeconds()
			for b.Loop() {
				if got := fn(newCycleReader(lines, size)); got != n {
					b.Fatalf("read %d records of %d", got, n)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "stmts/s")
			if used := cpuSeconds() - cpu; used > 0 {
				b.ReportMetric(float64(b.N*n)/used, "stmts/cpu-s")
			}
		})
	}
	run("Reader-validate", countRecords(b, StreamOptions{Format: StreamNDJSON}))
	run("Reader-validate-decode", countRecords(b, StreamOptions{Format: StreamNDJSON, Decode: true}))
	run("encoding-json-Decoder-floor", func(r io.Reader) int {
		dec := json.NewDecoder(r)
		c := 0
		for {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					c++ // a document that is not an object; the decoder goes on
					continue
				}
				if err != io.EOF {
					b.Fatal(err)
				}
				return c
			}
			c++
		}
	})
	run("encoding-json-Unmarshal-lines-floor", func(r io.Reader) int {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), DefaultMaxRecordBytes)
		c := 0
		for sc.Scan() {
			var m map[string]any
			_ = json.Unmarshal(sc.Bytes(), &m)
			c++
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		return c
	})
}

// BenchmarkValidateStream measures what `ota validate` does with an NDJSON
// file of statements: a Reader validating the ADL conformance corpus
// (both versions; about 40% of it valid) replicated to 200,000
// statements, streamed from memory. It reports statements per second, MB/s
// of input, and allocations and bytes allocated per statement, with one
// worker and with one per core, and the same for a stream of the
// corpus's statements that have no issue at all (the happy path, which
// allocates nothing per statement). "former-tree-walk" is the validator
// this package had before (parse into a tree, then walk it; now the test
// oracle in oracle_test.go), on one core, as the anchor measured in the
// same run:
//
//	go test -run '^$' -bench ValidateStream -benchtime 3x ./packaging/xapi/
func BenchmarkValidateStream(b *testing.B) {
	lines := corpusNDJSON(b)
	var clean [][]byte
	v := NewValidator(ValidateOptions{})
	for _, l := range lines {
		if len(v.Validate(bytes.TrimSuffix(l, []byte("\n"))).Issues) == 0 {
			clean = append(clean, l)
		}
	}
	const n = 200_000
	run := func(name string, lines [][]byte, read func(io.Reader) int) {
		var size int64
		for i := range n {
			size += int64(len(lines[i%len(lines)]))
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			cpu := cpuSeconds()
			for b.Loop() {
				if got := read(newCycleReader(lines, size)); got != n {
					b.Fatalf("read %d records of %d", got, n)
				}
			}
			used := cpuSeconds() - cpu
			runtime.ReadMemStats(&ms1)
			stmts := float64(b.N * n)
			b.ReportMetric(stmts/b.Elapsed().Seconds(), "stmts/s")
			if used > 0 {
				b.ReportMetric(stmts/used, "stmts/cpu-s")
			}
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/stmts, "allocs/stmt")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/stmts, "B/stmt")
		})
	}
	reader := func(workers int) func(io.Reader) int {
		return countRecords(b, StreamOptions{Format: StreamNDJSON, Concurrency: workers})
	}
	workers := []int{1}
	if p := runtime.GOMAXPROCS(0); p > 1 {
		workers = append(workers, p)
	}
	for _, w := range workers {
		run(fmt.Sprintf("corpus/workers=%d", w), lines, reader(w))
	}
	for _, w := range workers {
		run(fmt.Sprintf("valid-only/workers=%d", w), clean, reader(w))
	}
	run("corpus/former-tree-walk", lines, func(r io.Reader) int {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), DefaultMaxRecordBytes)
		c := 0
		for sc.Scan() {
			oracleValidate(sc.Bytes(), ValidateOptions{})
			c++
		}
		return c
	})
}

// countRecords returns a function that reads a stream with a Reader and
// returns the number of records.
func countRecords(b *testing.B, opts StreamOptions) func(io.Reader) int {
	return func(r io.Reader) int {
		x := NewReader(r, opts)
		c := 0
		for {
			if _, err := x.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				return c
			}
			c++
		}
	}
}
