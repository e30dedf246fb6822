package mapping

import (
	"strings"
	"testing"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

func TestCheckAlignments(t *testing.T) {
	type want struct {
		code, pointer string
		sev           ota.Severity
		contains      []string
	}
	tests := []struct {
		name string
		al   asset.Alignment
		want []want // empty: no issue
	}{
		{"valid", asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: "5.3"}, nil},
		{"valid without version, not renamed", asset.Alignment{Framework: "gsbpm", Code: "5.3"}, nil},
		{"valid by IRI", asset.Alignment{Framework: "http://id.unece.org/activities/gsbpm", Version: "5.1", Code: "7.3"}, nil},
		{"unknown key", asset.Alignment{Framework: "gsbpn", Code: "5.3"}, []want{
			{CodeUnknownFramework, "/framework", ota.Error, []string{`"gsbpn"`, `"gsbpm"`, `"digcomp"`}}}},
		{"unknown IRI", asset.Alignment{Framework: "https://example.org/fw", Code: "X"}, []want{
			{CodeUnknownFramework, "/framework", ota.Warning, []string{"https://example.org/fw", "Registry.Add"}}}},
		{"unknown version", asset.Alignment{Framework: "gsbpm", Version: "5.0", Code: "5.3"}, []want{
			{CodeUnknownVersion, "/version", ota.Error, []string{`"5.0"`, "5.1, 5.2"}}}},
		{"unknown code, near", asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: "5.9"}, []want{
			{CodeUnknownCode, "/code", ota.Error, []string{`"5.9"`, `did you mean "5.8" (Finalise data files)`}}}},
		{"unknown code, task level", asset.Alignment{Framework: "gsbpm", Version: "5.1", Code: "5.3.2"}, []want{
			{CodeUnknownCode, "/code", ota.Error, []string{`"5.3" (Review and validate)`}}}},
		{"unknown code, name given", asset.Alignment{Framework: "gsbpm", Version: "5.1", Code: "Review and validate"}, []want{
			{CodeUnknownCode, "/code", ota.Error, []string{`"5.3"`}}}},
		{"unknown code, far", asset.Alignment{Framework: "digcomp", Code: "programming-in-r"}, []want{
			{CodeUnknownCode, "/code", ota.Error, []string{`such as "1", "1.1", "1.2"`}}}},
		{"unknown level", asset.Alignment{Framework: "digcomp", Code: "3.4", Level: "9"}, []want{
			{CodeUnknownLevel, "/level", ota.Error, []string{`"9"`, "1, 2, 3, 4, 5, 6, 7, 8"}}}},
		{"known level", asset.Alignment{Framework: "digcomp", Code: "3.4", Level: "5"}, nil},
		{"level without scale", asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: "5.3", Level: "advanced"}, nil},
		{"unofficial code", asset.Alignment{Framework: "gsbpm", Version: "5.2", Code: "OA-KM"}, []want{
			{CodeUnofficialCode, "/code", ota.Warning, []string{"OA-KM", "Knowledge Management"}}}},
		{"unconfirmed node", asset.Alignment{Framework: "gamso", Code: "2.3"}, []want{
			{CodeUnconfirmedNode, "/code", ota.Info, []string{"Monitor Capability Improvements", `"Monitor capabilities"`}}}},
		{"renamed, no version", asset.Alignment{Framework: "gsbpm", Code: "7.3"}, []want{
			{CodeNameChanged, "/version", ota.Warning, []string{`"Release dissemination products"`, `"Manage release of dissemination products"`, "5.1", "5.2"}}}},
		{"renamed, version stated", asset.Alignment{Framework: "gsbpm", Version: "5.1", Code: "7.3"}, nil},
		{"renamed and unofficial", asset.Alignment{Framework: "gsbpm", Code: "OA-PM"}, []want{
			{CodeUnofficialCode, "/code", ota.Warning, nil},
			{CodeNameChanged, "/version", ota.Warning, []string{`"Data Supplier Management"`, `"Provider management"`}}}},
		{"case-only rename is not a rename", asset.Alignment{Framework: "gsbpm", Code: "OA-QM"}, []want{
			{CodeUnofficialCode, "/code", ota.Warning, nil}}},
		{"no framework: asset.Check's job", asset.Alignment{Code: "5.3"}, nil},
		{"no code: asset.Check's job", asset.Alignment{Framework: "gsbpm"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := &asset.Asset{
				ID: "urn:x:root",
				Parts: []asset.Asset{
					{ID: "urn:x:a"},
					{ID: "urn:x:b", Objectives: []asset.Objective{
						{ID: "o1"},
						{ID: "o2", Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.2", Code: "1.1"}, tt.al}},
					}},
				},
			}
			rep := CheckAlignments(root)
			if len(rep.Issues) != len(tt.want) {
				t.Fatalf("%d issues, want %d: %v", len(rep.Issues), len(tt.want), rep.Issues)
			}
			for i, w := range tt.want {
				is := rep.Issues[i]
				ptr := "/parts/1/objectives/1/alignments/1" + w.pointer
				if is.Code != w.code || is.Pointer != ptr || is.Severity != w.sev {
					t.Errorf("issue %d = %v; want %s %s at %s", i, is, w.sev, w.code, ptr)
				}
				for _, s := range w.contains {
					if !strings.Contains(is.Message, s) {
						t.Errorf("message %q lacks %q", is.Message, s)
					}
				}
			}
		})
	}
}

func TestCheckAlignmentsPointers(t *testing.T) {
	root := &asset.Asset{
		Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "9"}},
		Objectives: []asset.Objective{{ID: "o", Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "0"}}}},
		Parts:      []asset.Asset{{}, {Parts: []asset.Asset{{Alignments: []asset.Alignment{{Framework: "x", Code: "1"}}}}}},
	}
	rep := Default().CheckAlignments(root)
	var got []string
	for _, is := range rep.Issues {
		got = append(got, is.Pointer)
	}
	want := []string{"/objectives/0/alignments/0/code", "/alignments/0/code", "/parts/1/parts/0/alignments/0/framework"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pointers %q, want %q", got, want)
	}
	if rep := CheckAlignments(nil); len(rep.Issues) != 0 {
		t.Errorf("nil root: %v", rep.Issues)
	}
}

func TestCheckAlignmentsUserFramework(t *testing.T) {
	r := Default()
	const id = "https://example.org/frameworks/stf"
	if err := r.Add(userFramework(id, "", "1.0")); err != nil {
		t.Fatal(err)
	}
	root := &asset.Asset{Alignments: []asset.Alignment{
		{Framework: id, Code: "A1", Level: "intermediate"},
		{Framework: id, Code: "A1", Level: "expert"},
		{Framework: id, Code: "A2"},
	}}
	rep := r.CheckAlignments(root)
	var codes []string
	for _, is := range rep.Issues {
		codes = append(codes, is.Pointer+" "+is.Code)
	}
	want := []string{"/alignments/1/level " + CodeUnknownLevel, "/alignments/2/code " + CodeUnknownCode}
	if strings.Join(codes, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", codes, want)
	}
	if !strings.Contains(rep.Issues[1].Message, `"A1" (Sampling)`) {
		t.Errorf("no suggestion: %s", rep.Issues[1].Message)
	}
}

func TestSuggest(t *testing.T) {
	fw := mustLookup(t, Default(), KeyGSBPM, "5.2")
	tests := map[string]string{
		" 5.3":  `"5.3" (Review and validate)`,
		"5.9":   `"5.8" (Finalise data files)`,
		"53":    `"5.3" (Review and validate)`,
		"oa-qm": `"OA-QM" (Quality Management)`,
		"9.1":   `"8.1" (Gather evaluation inputs)`,
		"zzzzz": "",
	}
	for in, want := range tests {
		got := suggest(fw, in)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("suggest(%q) = %q, want it to contain %q", in, got, want)
		}
	}
}

// TestCheckAlignmentHook runs the registry through asset.Check, which calls
// it for each alignment.
func TestCheckAlignmentHook(t *testing.T) {
	root := &asset.Asset{
		ID: "urn:x:c", Kind: asset.KindCourse, Title: asset.LangString{"en": "c"}, License: "CC-BY-4.0",
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.2", Code: "5.3"}, {Framework: "gsbpm", Version: "5.2", Code: "9.9"}},
		Objectives: []asset.Objective{{ID: "o1", Text: asset.LangString{"en": "t"},
			Alignments: []asset.Alignment{{Framework: "digcomp", Code: "3.4", Level: "0"}}}},
	}
	rep := asset.Check(root, asset.CheckOptions{Frameworks: Default()})
	var got []string
	for _, is := range rep.Issues {
		if strings.HasPrefix(is.Code, "mapping.") {
			got = append(got, is.Code+" "+is.Pointer)
		}
	}
	want := []string{CodeUnknownLevel + " /objectives/0/alignments/0/level", CodeUnknownCode + " /alignments/1/code"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}
