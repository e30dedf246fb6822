package xapi

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/internal/jsontree"
)

// benchStatements returns n statements made by repeating the ADL corpus
// cases (or, without ../shared, the package's own statements), each copied
// to its own memory as records read from a stream would be.
func benchStatements(b *testing.B, n int) [][]byte {
	b.Helper()
	var docs [][]byte
	if ref := referenceDir(); ref != "" {
		for _, dir := range []string{"v1_0_3", "v2_0"} {
			for _, cs := range loadCases(b, filepath.Join(ref, "xapi", "lrs-conformance", dir)) {
				docs = append(docs, cs.Document)
			}
		}
	} else {
		for _, d := range ownStatements(b) {
			docs = append(docs, d)
		}
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = append([]byte(nil), docs[i%len(docs)]...)
	}
	return out
}

// benchN is the number of distinct statements the benchmarks cycle over.
const benchN = 100_000

// BenchmarkValidate measures statements validated per second. Run it on
// one core with -cpu=1; the encoding/json case, which only decodes into
// map[string]any without checking anything, is the floor to compare with,
// and jsontree-parse-only shows what parsing alone costs. stmts/cpu-s
// counts CPU time instead of wall time, which a busy machine distorts less.
func BenchmarkValidate(b *testing.B) {
	docs := benchStatements(b, benchN)
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d))
	}
	avg := bytes / int64(len(docs))
	run := func(name string, fn func([]byte)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(avg)
			i := 0
			cpu := cpuSeconds()
			for b.Loop() {
				fn(docs[i%len(docs)])
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "stmts/s")
			if used := cpuSeconds() - cpu; used > 0 {
				b.ReportMetric(float64(i)/used, "stmts/cpu-s")
			}
		})
	}
	v := NewValidator(ValidateOptions{})
	run("Validator", func(d []byte) { v.Validate(d) })
	run("jsontree-parse-only", func(d []byte) {
		if _, err := jsontree.Parse(d, jsontree.Limits{MaxDepth: MaxDepth}); err != nil {
			b.Fatal(err)
		}
	})
	run("Validator.Decode", func(d []byte) {
		if _, _, err := v.Decode(d); err != nil {
			b.Fatal(err)
		}
	})
	run("encoding-json-map-floor", func(d []byte) {
		var m map[string]any
		if err := json.Unmarshal(d, &m); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkMarshal measures writing decoded statements back as JSON.
func BenchmarkMarshal(b *testing.B) {
	docs := benchStatements(b, 10_000)
	stmts := make([]*Statement, len(docs))
	for i, d := range docs {
		s, _, err := Decode(d, ValidateOptions{})
		if err != nil {
			b.Fatal(err)
		}
		stmts[i] = s
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := stmts[i%len(stmts)].MarshalJSON(); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "stmts/s")
}
