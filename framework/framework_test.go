package framework_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

func en(s string) asset.LangString { return asset.LangString{"en": s} }

// sample is a small process framework: two phases with sub-processes, an
// overarching process, a scale and associations.
func sample() *framework.Framework {
	return &framework.Framework{
		ID:       "https://example.org/frameworks/process",
		Version:  "1.0",
		Title:    en("Sample process model"),
		Language: "en",
		Nodes: []framework.Node{
			{Code: "1", Kind: framework.KindPhase, Name: en("Specify needs")},
			{Code: "2", Kind: framework.KindPhase, Name: en("Design")},
			{Code: "1.1", Kind: framework.KindSubprocess, Name: en("Identify needs"), Parent: "1"},
			{Code: "1.2", Kind: framework.KindSubprocess, Name: en("Consult and confirm needs"), Parent: "1"},
			{Code: "2.1", Kind: framework.KindSubprocess, Name: en("Design outputs"), Parent: "2"},
			{Code: "2.1.a", Kind: framework.KindActivity, Name: en("Draft table shells"), Parent: "2.1"},
			{Code: "Q", Kind: framework.KindOverarching, Name: en("Quality management"), Unofficial: true},
		},
		Scales: []framework.Scale{framework.BasicIntermediateAdvanced()},
		Associations: []framework.Association{
			{Type: framework.Precedes, Source: "1", Target: "2"},
			{Type: framework.CloseMatch, Source: "2.1", Target: "gsbpm@5.1:2.1"},
			{Type: framework.ExactMatch, Source: "Q", Target: "https://example.org/other/quality"},
		},
	}
}

func codes(nodes []*framework.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Code
	}
	return out
}

func TestNavigation(t *testing.T) {
	f := sample()
	require.NotNil(t, f.Node("2.1"))
	assert.Equal(t, "Design outputs", f.Node("2.1").Name.String())
	assert.Nil(t, f.Node("9"))
	assert.Equal(t, []string{"1.1", "1.2"}, codes(f.Children("1")))
	assert.Equal(t, []string{"1", "2", "Q"}, codes(f.Children("")))
	assert.Equal(t, []string{"1", "2", "Q"}, codes(f.Roots()))
	assert.Equal(t, []string{"2.1", "2"}, codes(f.Ancestors("2.1.a")))
	assert.Nil(t, f.Ancestors("1"))
	assert.Nil(t, f.Ancestors("nope"))
	assert.Equal(t, 2, f.Count(framework.KindPhase))
	assert.Equal(t, 3, f.Count(framework.KindSubprocess))
	assert.Equal(t, 7, f.Count(""))
	require.NotNil(t, f.Scale(framework.ScaleBasicIntermediateAdvanced))
	assert.Nil(t, f.Scale("digcomp"))

	var order []string
	var depths []int
	for d, n := range f.Walk() {
		order = append(order, n.Code)
		depths = append(depths, d)
	}
	assert.Equal(t, []string{"1", "1.1", "1.2", "2", "2.1", "2.1.a", "Q"}, order)
	assert.Equal(t, []int{0, 1, 1, 0, 1, 2, 0}, depths)
	assert.Equal(t, order, codes(slices.Collect(f.All())))

	// Stopping early is honoured.
	var first []string
	for n := range f.All() {
		first = append(first, n.Code)
		if len(first) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"1", "1.1"}, first)

	// The pointers point into the framework.
	f.Node("1").Name = en("Specify")
	assert.Equal(t, "Specify", f.Nodes[0].Name.String())

	x := f.Index()
	assert.Same(t, &f.Nodes[4], x.Node("2.1"))
	assert.Equal(t, []string{"2.1.a"}, codes(x.Children("2.1")))
	assert.Nil(t, x.Children(""))
}

func TestWalkOddHierarchies(t *testing.T) {
	f := &framework.Framework{Nodes: []framework.Node{
		{Code: "a", Parent: "b"},
		{Code: "b", Parent: "a"},
		{Code: "c", Parent: "missing"},
		{Code: "d", Parent: "c"},
		{Code: "e", Parent: "e"},
	}}
	var order []string
	for d, n := range f.Walk() {
		order = append(order, n.Code+":"+string(rune('0'+d)))
	}
	// The orphan c is a root; the cycle a–b and the self-parent e come last.
	assert.Equal(t, []string{"c:0", "d:1", "a:0", "b:1", "e:0"}, order)
	assert.Equal(t, []string{"b"}, codes(f.Ancestors("a")))
	assert.Equal(t, []string{"c"}, codes(f.Ancestors("d")))
}

func TestBasicIntermediateAdvanced(t *testing.T) {
	s := framework.BasicIntermediateAdvanced()
	require.Len(t, s.Levels, 3)
	for i, want := range []asset.Level{asset.LevelBasic, asset.LevelIntermediate, asset.LevelAdvanced} {
		assert.Equal(t, string(want), s.Levels[i].Code)
		assert.Equal(t, i+1, s.Levels[i].Rank)
	}
	assert.Equal(t, "Intermediate", s.Level("intermediate").Name.String())
	assert.Nil(t, s.Level("expert"))
	// Each call returns a fresh value.
	s.Levels[0].Code = "changed"
	assert.Equal(t, "basic", framework.BasicIntermediateAdvanced().Levels[0].Code)
}

func TestKindsAndTypes(t *testing.T) {
	for _, k := range framework.NodeKinds() {
		assert.True(t, k.Valid(), k)
	}
	assert.False(t, framework.NodeKind("Phase").Valid())
	for _, ty := range framework.AssociationTypes() {
		assert.True(t, ty.Valid(), ty)
	}
	assert.False(t, framework.AssociationType("isChildOf").Valid())
	assert.True(t, framework.BroadMatch.IsMatch())
	assert.False(t, framework.Precedes.IsMatch())
}

func TestParseNodeRef(t *testing.T) {
	tests := []struct {
		in   string
		want framework.NodeRef
		err  bool
	}{
		{in: "5.3", want: framework.NodeRef{Code: "5.3"}},
		{in: "gsbpm@5.1:5.3", want: framework.NodeRef{Framework: "gsbpm", Version: "5.1", Code: "5.3"}},
		{in: "un-bigdata@2019:A.1", want: framework.NodeRef{Framework: "un-bigdata", Version: "2019", Code: "A.1"}},
		{in: "gsbpm@:5.3", want: framework.NodeRef{Framework: "gsbpm", Code: "5.3"}},
		{in: "digcomp@2.2:1.1:x", want: framework.NodeRef{Framework: "digcomp", Version: "2.2", Code: "1.1:x"}},
		{in: "https://example.org/fw/items/42", want: framework.NodeRef{IRI: "https://example.org/fw/items/42"}},
		{in: "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301", want: framework.NodeRef{IRI: "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301"}},
		{in: "mailto:someone@example.org", want: framework.NodeRef{IRI: "mailto:someone@example.org"}},
		{in: "Area A", want: framework.NodeRef{Code: "Area A"}},
		{in: "", err: true},
		{in: "gsbpm@5.1", err: true},
		{in: "gsbpm@5.1:", err: true},
		{in: "https://exa mple.org/x", err: true},
		{in: "urn:uuid:not-a-uuid", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := framework.ParseNodeRef(tt.in)
			if tt.err {
				require.Error(t, err)
				assert.True(t, errors.Is(err, framework.ErrNodeRef))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, got.String())
			assert.Equal(t, tt.want.IRI == "" && tt.want.Framework == "", got.IsLocal())
		})
	}
}

func TestCheckValid(t *testing.T) {
	rep := sample().Check()
	assert.Empty(t, rep.Issues)
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		change  func(f *framework.Framework)
		pointer string
		code    string
		sev     ota.Severity
	}{
		{"missing id", func(f *framework.Framework) { f.ID = "" }, "/id", "framework.id.missing", ota.Error},
		{"relative id", func(f *framework.Framework) { f.ID = "frameworks/process" }, "/id", "framework.id.invalid", ota.Error},
		{"bad key", func(f *framework.Framework) { f.Key = "GSBPM" }, "/key", "framework.key.invalid", ota.Error},
		{"missing title", func(f *framework.Framework) { f.Title = nil }, "/title", "framework.title.missing", ota.Error},
		{"empty title text", func(f *framework.Framework) { f.Title["fr"] = " " }, "/title/fr", "framework.langstring.empty", ota.Error},
		{"bad language", func(f *framework.Framework) { f.Language = "english!" }, "/language", "framework.language.invalid", ota.Error},
		{"bad source", func(f *framework.Framework) { f.Source = "www.example.org" }, "/source", "framework.source.invalid", ota.Error},
		{"bad modified", func(f *framework.Framework) { f.Modified = "May 2024" }, "/modified", "framework.modified.invalid", ota.Error},
		{"missing code", func(f *framework.Framework) { f.Nodes[1].Code = "" }, "/nodes/1/code", "framework.node.code-missing", ota.Error},
		{"duplicate code", func(f *framework.Framework) { f.Nodes[3].Code = "1.1" }, "/nodes/3/code", "framework.node.code-duplicate", ota.Error},
		{"missing kind", func(f *framework.Framework) { f.Nodes[2].Kind = "" }, "/nodes/2/kind", "framework.node.kind-missing", ota.Error},
		{"invalid kind", func(f *framework.Framework) { f.Nodes[2].Kind = "step" }, "/nodes/2/kind", "framework.node.kind-invalid", ota.Error},
		{"missing name", func(f *framework.Framework) { f.Nodes[2].Name = nil }, "/nodes/2/name", "framework.node.name-missing", ota.Error},
		{"bad tag", func(f *framework.Framework) { f.Nodes[2].Name = asset.LangString{"e n": "x"} }, "/nodes/2/name/e n", "framework.langstring.invalid-tag", ota.Error},
		{"unknown parent", func(f *framework.Framework) { f.Nodes[5].Parent = "3" }, "/nodes/5/parent", "framework.node.parent-unknown", ota.Error},
		{"empty alt name", func(f *framework.Framework) { f.Nodes[2].AltNames = []string{"ok", " "} }, "/nodes/2/altNames/1", "framework.node.altname-empty", ota.Error},
		{"self parent", func(f *framework.Framework) { f.Nodes[0].Parent = "1" }, "/nodes/0/parent", "framework.node.parent-self", ota.Error},
		{"cycle", func(f *framework.Framework) { f.Nodes[1].Parent = "2.1.a" }, "/nodes/1/parent", "framework.node.parent-cycle", ota.Error},
		{"bad node id", func(f *framework.Framework) { f.Nodes[0].ID = "n1" }, "/nodes/0/id", "framework.node.id-invalid", ota.Error},
		{"duplicate node id", func(f *framework.Framework) {
			f.Nodes[0].ID, f.Nodes[1].ID = "urn:x:1", "urn:x:1"
		}, "/nodes/1/id", "framework.node.id-duplicate", ota.Error},
		{"missing type", func(f *framework.Framework) { f.Associations[0].Type = "" }, "/associations/0/type", "framework.association.type-missing", ota.Error},
		{"invalid type", func(f *framework.Framework) { f.Associations[0].Type = "isChildOf" }, "/associations/0/type", "framework.association.type-invalid", ota.Error},
		{"missing source", func(f *framework.Framework) { f.Associations[0].Source = "" }, "/associations/0/source", "framework.association.source-missing", ota.Error},
		{"unknown target", func(f *framework.Framework) { f.Associations[0].Target = "7" }, "/associations/0/target", "framework.association.target-unknown", ota.Error},
		{"invalid target", func(f *framework.Framework) { f.Associations[0].Target = "gsbpm@5.1" }, "/associations/0/target", "framework.association.target-invalid", ota.Error},
		{"self link", func(f *framework.Framework) { f.Associations[0].Target = "1" }, "/associations/0", "framework.association.self", ota.Warning},
		{"scale without id", func(f *framework.Framework) { f.Scales[0].ID = "" }, "/scales/0/id", "framework.scale.id-missing", ota.Error},
		{"duplicate scale", func(f *framework.Framework) { f.Scales = append(f.Scales, f.Scales[0]) }, "/scales/1/id", "framework.scale.id-duplicate", ota.Error},
		{"scale without levels", func(f *framework.Framework) { f.Scales[0].Levels = nil }, "/scales/0/levels", "framework.scale.levels-missing", ota.Error},
		{"duplicate level", func(f *framework.Framework) { f.Scales[0].Levels[2].Code = "basic" }, "/scales/0/levels/2/code", "framework.scale.level.code-duplicate", ota.Error},
		{"level without code", func(f *framework.Framework) { f.Scales[0].Levels[1].Code = "" }, "/scales/0/levels/1/code", "framework.scale.level.code-missing", ota.Error},
		{"duplicate rank", func(f *framework.Framework) { f.Scales[0].Levels[2].Rank = 2 }, "/scales/0/levels/2/rank", "framework.scale.level.rank-duplicate", ota.Warning},
		{"extension key", func(f *framework.Framework) {
			f.Nodes[0].Extensions = map[string]json.RawMessage{"mine": json.RawMessage(`1`)}
		}, "/nodes/0/extensions/mine", "framework.extension.key-not-iri", ota.Error},
		{"extension value", func(f *framework.Framework) {
			f.Extensions = map[string]json.RawMessage{"https://example.org/x": json.RawMessage(`{`)}
		}, "/extensions/https:~1~1example.org~1x", "framework.extension.invalid-json", ota.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := sample()
			tt.change(f)
			rep := f.Check()
			require.NotEmpty(t, rep.Issues)
			found := false
			for _, is := range rep.Issues {
				if is.Code == tt.code {
					found = true
					assert.Equal(t, tt.pointer, is.Pointer)
					assert.Equal(t, tt.sev, is.Severity)
					assert.NotEmpty(t, is.Message)
				}
			}
			assert.True(t, found, "no %s in %v", tt.code, rep.Issues)
		})
	}
}

func TestCheckCycleNamesTheCycle(t *testing.T) {
	f := sample()
	f.Nodes[0].Parent = "1.2" // 1 → 1.2 → 1
	rep := f.Check()
	var msgs []string
	for _, is := range rep.Issues {
		if is.Code == "framework.node.parent-cycle" {
			msgs = append(msgs, is.Message)
			assert.Equal(t, "/nodes/0/parent", is.Pointer)
		}
	}
	require.Len(t, msgs, 1, "one issue per cycle")
	assert.Contains(t, msgs[0], `"1" → "1.2" → "1"`)
}

func TestCanonicalJSON(t *testing.T) {
	f := sample()
	f.Extensions = map[string]json.RawMessage{"https://example.org/b": json.RawMessage(`2`), "https://example.org/a": json.RawMessage(`1`)}
	a, err := json.Marshal(f)
	require.NoError(t, err)
	var back framework.Framework
	require.NoError(t, json.Unmarshal(a, &back))
	b, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b))
	assert.Equal(t, f, &back)
	assert.Contains(t, string(a), `"extensions":{"https://example.org/a":1,"https://example.org/b":2}`)
}
