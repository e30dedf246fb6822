package jsontree

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// benchDoc returns a deterministic document of about size bytes: an array of
// records mixing objects, arrays, plain and escaped strings and numbers.
var benchDoc = sync.OnceValue(func() []byte { return genDoc(1 << 20) })

func genDoc(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"alpha", "beta", "gamma", "delta", "learning", "objective", "assessment", "module", "ünïcödé", "日本語"}
	escapes := []string{`\n`, `\t`, `\"`, `\\`, `\u00e9`, `\ud83d\ude00`, `\/`}
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(6) == 0 {
				b.WriteString(escapes[r.IntN(len(escapes))])
			}
		}
		return b.String()
	}
	var b strings.Builder
	b.WriteString("[\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`  {"id": "urn:ota:item:` + strconv.Itoa(i) + `", "title": "` + text(3) + `", `)
		b.WriteString(`"score": ` + strconv.FormatFloat(r.Float64()*100, 'f', 3, 64) + `, `)
		b.WriteString(`"count": ` + strconv.Itoa(r.IntN(100000)) + `, "ratio": ` + strconv.FormatFloat(r.NormFloat64(), 'e', 4, 64) + `, `)
		b.WriteString(`"active": ` + strconv.FormatBool(r.IntN(2) == 0) + `, "parent": null, `)
		b.WriteString(`"tags": [`)
		for j := range r.IntN(5) {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`"` + words[r.IntN(len(words))] + `"`)
		}
		b.WriteString(`], "description": "` + text(12) + `", `)
		b.WriteString(`"parts": [{"kind": "text", "weight": ` + strconv.Itoa(r.IntN(10)) + `}, {"kind": "quiz", "items": [1, 2, 3]}]}`)
	}
	b.WriteString("\n]\n")
	return []byte(b.String())
}

func TestBenchDocIsValid(t *testing.T) {
	data := genDoc(64 << 10)
	checkAgainstStd(t, data)
}

func BenchmarkParse(b *testing.B) {
	data := benchDoc()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdUnmarshalAny is the encoding/json baseline for BenchmarkParse.
func BenchmarkStdUnmarshalAny(b *testing.B) {
	data := benchDoc()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdValid is encoding/json's validation-only speed, for reference.
func BenchmarkStdValid(b *testing.B) {
	data := benchDoc()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if !json.Valid(data) {
			b.Fatal("invalid")
		}
	}
}

var smallDoc = []byte(`{"id": "urn:ota:1", "title": "Intro", "parts": [{"title": "One", "weight": 1.5}], "done": false}`)

// BenchmarkParseSmall measures the fixed cost on a typical small document.
func BenchmarkParseSmall(b *testing.B) {
	b.SetBytes(int64(len(smallDoc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(smallDoc, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdUnmarshalAnySmall is the encoding/json baseline for
// BenchmarkParseSmall.
func BenchmarkStdUnmarshalAnySmall(b *testing.B) {
	b.SetBytes(int64(len(smallDoc)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(smallDoc, &v); err != nil {
			b.Fatal(err)
		}
	}
}
