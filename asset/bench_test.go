package asset

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// benchTree builds a course of n modules × n lessons × (n-1) activities
// (1,011 assets for n = 10), each with bilingual text, an alignment, an
// objective and a resource, like a large real catalogue entry.
func benchTree(n int) Asset {
	sha := strings.Repeat("0123456789abcdef", 4)
	leaf := func(key string, kind Kind) Asset {
		return Asset{
			ID:          DeriveID("bench", key),
			Kind:        kind,
			Title:       LangString{"en": "Activity " + key, "fr": "Activité " + key},
			Description: LangString{"en": "Practise the step " + key + " of the statistical business process."},
			Duration:    Duration{Minutes: 15},
			Alignments:  []Alignment{{Framework: "gsbpm", Version: "5.1", Code: "5.3", Relation: Teaches}},
			Objectives:  []Objective{{ID: "o1", Text: LangString{"en": "Apply " + key}}},
			Resources:   []Resource{{Path: "content/" + key + "/index.html", MediaType: "text/html", Size: 2048, SHA256: sha, Role: RoleLaunch}},
		}
	}
	root := leaf("root", KindCourse)
	root.License = "CC-BY-4.0"
	root.Duration = Duration{}
	for m := 0; m < n; m++ {
		mod := leaf(fmt.Sprintf("m%d", m), KindModule)
		mod.Duration = Duration{}
		for l := 0; l < n; l++ {
			les := leaf(fmt.Sprintf("m%d-l%d", m, l), KindLesson)
			les.Duration = Duration{}
			for a := 0; a < n-1; a++ {
				les.Parts = append(les.Parts, leaf(fmt.Sprintf("m%d-l%d-a%d", m, l, a), KindActivity))
			}
			mod.Parts = append(mod.Parts, les)
		}
		root.Parts = append(root.Parts, mod)
	}
	return root
}

func benchDoc(b *testing.B) (*Document, []byte) {
	b.Helper()
	doc := NewDocument(benchTree(10))
	if got := doc.Asset.Count(); got < 1000 {
		b.Fatalf("tree has %d assets, want at least 1000", got)
	}
	data, err := Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	return doc, data
}

// BenchmarkReadValidate decodes and validates a 1,011-asset document.
func BenchmarkReadValidate(b *testing.B) {
	_, data := benchDoc(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_, rep, err := Read(bytes.NewReader(data), ReadOptions{Validate: true})
		if err != nil || rep.HasErrors() {
			b.Fatalf("err=%v issues=%v", err, rep.Issues)
		}
	}
}

// BenchmarkRead decodes the same document without validating it.
func BenchmarkRead(b *testing.B) {
	_, data := benchDoc(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Read(bytes.NewReader(data), ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck validates the decoded tree.
func BenchmarkCheck(b *testing.B) {
	doc, _ := benchDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		if rep := Check(&doc.Asset, CheckOptions{}); rep.HasErrors() {
			b.Fatal(rep.Issues)
		}
	}
}

// BenchmarkWrite encodes the 1,011-asset document as canonical JSON.
func BenchmarkWrite(b *testing.B) {
	doc, data := benchDoc(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, doc); err != nil {
			b.Fatal(err)
		}
	}
}
