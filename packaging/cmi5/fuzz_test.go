package cmi5

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/fuzzseed"
)

// FuzzParse feeds arbitrary bytes to Parse and maps whatever it returns
// to an asset tree: neither may panic, and a course comes back exactly
// when there is no error. A course without error issues must survive
// Write and Parse unchanged, extensions included, and its asset must
// survive export and import unchanged unless the export reports a loss.
func FuzzParse(f *testing.F) {
	fuzzseed.Files(f, filepath.Join("testdata", "*.xml"))
	f.Add([]byte(head + au("https://e.org/a", `masteryScore="2" moveOn="x"`, `<url>a b</url>`) + `</courseStructure>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, rep, err := Parse(bytes.NewReader(data), Options{MaxStructureSize: 1 << 20, MaxStructureElements: 10_000})
		if (c == nil) != (err != nil) {
			t.Fatalf("course %v with error %v", c != nil, err)
		}
		if c == nil {
			return
		}
		for _, is := range rep.Issues {
			if is.Code == "" || is.Pointer == "" {
				t.Fatalf("issue without code or pointer: %+v", is)
			}
		}
		a, _ := c.Asset()
		if a == nil || len(c.AUs())+len(c.Blocks()) != countAll(a)-1 {
			t.Fatalf("asset tree does not match the course")
		}
		if rep.HasErrors() {
			return
		}
		// Course → cmi5.xml → Course gives the same course.
		var direct bytes.Buffer
		if err := c.Write(&direct); err != nil {
			t.Fatal(err)
		}
		same, rep1, err := Parse(bytes.NewReader(direct.Bytes()), Options{})
		if err != nil || rep1.HasErrors() {
			t.Fatalf("the written cmi5.xml does not read back: %v %v\n%s", err, rep1.Errors(), direct.Bytes())
		}
		if x, y := mustJSON(t, c), mustJSON(t, same); x != y {
			t.Fatalf("the course changed through Write:\n%s\n%s\n%s", x, y, direct.Bytes())
		}
		// A course without errors survives export: model → cmi5.xml →
		// model gives the same model, unless the export reports a loss
		// (an extension of an objective's description, which the asset
		// model does not keep).
		back, exp := FromAsset(a, ExportOptions{})
		if exp.HasErrors() {
			t.Fatalf("export of a valid course failed: %v", exp.Issues)
		}
		var buf bytes.Buffer
		if err := back.Write(&buf); err != nil {
			t.Fatal(err)
		}
		again, rep2, err := Parse(&buf, Options{})
		if err != nil || rep2.HasErrors() {
			t.Fatalf("the exported cmi5.xml does not read back: %v %v\n%s", err, rep2.Errors(), buf.Bytes())
		}
		a2, _ := again.Asset()
		if len(exp.Losses) == 0 && !reflect.DeepEqual(a, a2) {
			t.Fatalf("the model changed through export:\n%+v\n%+v", a, a2)
		}
	})
}

func countAll(a *asset.Asset) int {
	n := 1
	for i := range a.Parts {
		n += countAll(&a.Parts[i])
	}
	return n
}

// mustJSON is v as JSON, which leaves out what a course read twice may
// not share (Node lines, unexported pointers).
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
