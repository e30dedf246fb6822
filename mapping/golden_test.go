package mapping

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -run %s -update and review the diff\n%s", name, t.Name(), firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return ""
}

func render(t *testing.T, c *Coverage, write func(*Coverage, io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(c, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenCoverage(t *testing.T) {
	c := handCoverage(t, false)
	golden(t, "gsbpm-coverage.csv", render(t, c, (*Coverage).WriteCSV))
	golden(t, "gsbpm-cells.csv", render(t, c, (*Coverage).WriteCellsCSV))
	js := render(t, c, (*Coverage).WriteJSON)
	golden(t, "gsbpm-coverage.json", js)
	svg := render(t, c, (*Coverage).WriteSVG)
	golden(t, "gsbpm-coverage.svg", svg)
	checkXML(t, svg)

	w := handCoverage(t, true)
	golden(t, "gsbpm-weighted.csv", render(t, w, (*Coverage).WriteCSV))
	wsvg := render(t, w, (*Coverage).WriteSVG)
	golden(t, "gsbpm-weighted.svg", wsvg)
	checkXML(t, wsvg)

	d, err := Default().Coverage("digcomp", "", handCatalogue(t), CoverageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dsvg := render(t, d, (*Coverage).WriteSVG)
	golden(t, "digcomp-coverage.svg", dsvg)
	checkXML(t, dsvg)

	// The JSON reads back and names what it should.
	var v struct {
		Framework struct{ Key, ID, Version string }
		Nodes     []NodeCoverage
		Cells     []struct {
			Node  string
			Asset int
		}
		Gaps       Gaps
		Publishers []PublisherCoverage
	}
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatal(err)
	}
	if v.Framework.Key != "gsbpm" || v.Framework.Version != "5.2" || len(v.Nodes) != 58 || len(v.Cells) != 8 ||
		v.Cells[0].Node != "5" || len(v.Gaps.Parents) != 5 || len(v.Publishers) != 3 {
		t.Errorf("JSON read back: %+v", v.Framework)
	}
}

// checkXML parses b with encoding/xml, strictly, and checks the root and
// that no external resource is referenced.
func checkXML(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	depth, elems := 0, 0
	var root xml.Name
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if elems == 0 {
				root = x.Name
			}
			elems++
			depth++
			for _, a := range x.Attr {
				if a.Name.Local == "href" || strings.Contains(a.Value, "http") && a.Name.Local != "xmlns" {
					t.Errorf("external reference %s=%q in <%s>", a.Name.Local, a.Value, x.Name.Local)
				}
			}
			if x.Name.Local == "script" || x.Name.Local == "image" || x.Name.Local == "style" {
				t.Errorf("<%s> element in the SVG", x.Name.Local)
			}
		case xml.EndElement:
			depth--
		}
	}
	if root.Space != "http://www.w3.org/2000/svg" || root.Local != "svg" || depth != 0 {
		t.Errorf("root %v, depth %d", root, depth)
	}
}

// TestSVGEscapes draws a framework whose names hold every character XML
// treats specially, and characters XML cannot hold at all.
func TestSVGEscapes(t *testing.T) {
	fw := &framework.Framework{
		ID: "https://example.org/fw?a=1&b=2", Version: "1 <beta>", Title: asset.LangString{"en": `R&D "skills" <draft> 'x'`},
		Nodes: []framework.Node{
			{Code: "A&B", Kind: framework.KindArea, Name: asset.LangString{"en": "Tom & Jerry's <tools>"}},
			{Code: "A&B.1", Kind: framework.KindCompetence, Parent: "A&B", Name: asset.LangString{"en": "quote \" and \x01 control ]]>"}},
			{Code: "Z", Kind: framework.KindOverarching, Name: asset.LangString{"en": strings.Repeat("verylongword", 8) + " and more words to wrap around the band cell"}},
		},
	}
	root := &asset.Asset{ID: "urn:x", Alignments: []asset.Alignment{{Framework: fw.ID, Code: "A&B.1"}}}
	c := NewCoverage(fw, []Entry{{Asset: root, Publisher: "<NSO> & co"}}, CoverageOptions{})
	svg := render(t, c, (*Coverage).WriteSVG)
	checkXML(t, svg)
	if !bytes.Contains(svg, []byte("Tom &amp; Jerry&apos;s &lt;tools&gt;")) {
		t.Errorf("names not escaped:\n%s", svg)
	}
	if bytes.Contains(svg, []byte{1}) {
		t.Error("control character written")
	}
}

func TestWrap(t *testing.T) {
	lines := wrap("3.2 Reuse or build processing and analysis components", 136, 11, 3)
	if len(lines) != 3 || lines[0] != "3.2 Reuse or build" {
		t.Errorf("wrap = %q", lines)
	}
	lines = wrap("one two three four five six seven eight nine ten", 60, 11, 2)
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("wrap truncated = %q", lines)
	}
	for _, l := range wrap(strings.Repeat("x", 100), 60, 11, 3) {
		if len([]rune(l)) > 10 {
			t.Errorf("line too long: %q", l)
		}
	}
}

func TestColourBins(t *testing.T) {
	tests := []struct {
		max     float64
		integer bool
		want    []float64
	}{
		{0, true, nil},
		{3, true, []float64{1, 2, 3}},
		{5, true, []float64{1, 2, 3, 4, 5}},
		{12, true, []float64{3, 5, 8, 10, 12}},
		{7.5, false, []float64{1.5, 3, 4.5, 6, 7.5}},
		{0.3, false, []float64{0.06, 0.12, 0.18, 0.24, 0.3}},
	}
	for _, tt := range tests {
		got := colourBins(tt.max, tt.integer)
		if len(got) != len(tt.want) {
			t.Errorf("colourBins(%v) = %v, want %v", tt.max, got, tt.want)
			continue
		}
		for i := range got {
			if d := got[i] - tt.want[i]; d > 1e-9 || d < -1e-9 {
				t.Errorf("colourBins(%v) = %v, want %v", tt.max, got, tt.want)
				break
			}
		}
	}
}
