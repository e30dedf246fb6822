package casepkg_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/metaacademy/ota/framework/casepkg"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// gsbpmTraining returns the fixture gsbpm-training.json as JSON values, to
// change in a test.
func gsbpmTraining(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("testdata/case/gsbpm-training.json")
	require.NoError(t, err)
	var pkg map[string]any
	require.NoError(t, json.Unmarshal(data, &pkg))
	return pkg
}

func readCASEValue(t *testing.T, pkg map[string]any, opts casepkg.ReadOptions) (*framework.Framework, ota.Report) {
	t.Helper()
	data, err := json.Marshal(pkg)
	require.NoError(t, err)
	f, rep, err := casepkg.Read(bytes.NewReader(data), opts)
	require.NoError(t, err)
	return f, rep
}

func issuesWith(rep ota.Report, code string) []ota.Issue {
	var out []ota.Issue
	for _, is := range rep.Issues {
		if is.Code == code {
			out = append(out, is)
		}
	}
	return out
}

// TestCASEDanglingAssociations: an association end that points into the
// package but matches no item or document is an error, and the
// association is not read; an end in another framework is not.
func TestCASEDanglingAssociations(t *testing.T) {
	const unknown = "00000000-1111-4222-8333-444444444444"
	base, rep := readCASEValue(t, gsbpmTraining(t), casepkg.ReadOptions{})
	require.False(t, rep.HasErrors(), "%v", rep.Errors())

	assocs := func(pkg map[string]any) []any { return pkg["CFAssociations"].([]any) }
	end := func(pkg map[string]any, i int, which string) map[string]any {
		return assocs(pkg)[i].(map[string]any)[which].(map[string]any)
	}
	items := func(pkg map[string]any) []any { return pkg["CFItems"].([]any) }
	tests := []struct {
		name   string
		change func(pkg map[string]any)
		code   string // "" for no error
	}{
		{"isChildOf to an item the package does not have", func(pkg map[string]any) {
			d := end(pkg, 1, "destinationNodeURI")
			d["identifier"] = unknown
			d["uri"] = "https://training.statistik.example.eu/case/v1p1/CFItems/" + unknown
		}, "case.association.destination-dangling"},
		{"origin with an item's uri but another identifier", func(pkg map[string]any) {
			end(pkg, 1, "originNodeURI")["identifier"] = unknown
		}, "case.association.origin-dangling"},
		{"destination naming another association", func(pkg map[string]any) {
			other := assocs(pkg)[0].(map[string]any)
			d := end(pkg, 13, "destinationNodeURI")
			d["identifier"] = other["identifier"]
			d["uri"] = other["uri"]
		}, "case.association.destination-dangling"},
		{"a deleted item's associations", func(pkg map[string]any) {
			pkg["CFItems"] = items(pkg)[:len(items(pkg))-1]
		}, "case.association.origin-dangling"},
		{"exactMatchOf a node of another framework", func(pkg map[string]any) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg := gsbpmTraining(t)
			tt.change(pkg)
			f, rep := readCASEValue(t, pkg, casepkg.ReadOptions{})
			if tt.code == "" {
				assert.False(t, rep.HasErrors(), "%v", rep.Errors())
				assert.Len(t, f.Associations, len(base.Associations))
				return
			}
			got := issuesWith(rep, tt.code)
			require.NotEmpty(t, got, "%v", rep.Issues)
			assert.Equal(t, ota.Error, got[0].Severity)
			assert.Positive(t, got[0].Line)
			assert.Contains(t, got[0].Message, "points into this package")

			// The severity can be changed, as for any rule.
			_, rep = readCASEValue(t, pkg, casepkg.ReadOptions{Policy: ota.Policy{tt.code: ota.Warning}})
			for _, is := range issuesWith(rep, tt.code) {
				assert.Equal(t, ota.Warning, is.Severity)
			}
		})
	}
}

// TestCASEIdentifierNotUUID: the JSON binding types every identifier as
// a UUID: one that is not is an error by default, a warning by policy.
func TestCASEIdentifierNotUUID(t *testing.T) {
	pkg := gsbpmTraining(t)
	item := pkg["CFItems"].([]any)[0].(map[string]any)
	old := item["identifier"].(string)
	item["identifier"] = "item-one"
	for _, a := range pkg["CFAssociations"].([]any) {
		for _, which := range []string{"originNodeURI", "destinationNodeURI"} {
			if l := a.(map[string]any)[which].(map[string]any); l["identifier"] == old {
				l["identifier"] = "item-one"
			}
		}
	}
	_, rep := readCASEValue(t, pkg, casepkg.ReadOptions{})
	got := issuesWith(rep, "case.identifier.not-uuid")
	require.Len(t, got, 1, "%v", rep.Issues)
	assert.Equal(t, ota.Error, got[0].Severity)
	assert.Equal(t, "/CFItems/0/identifier", got[0].Pointer)

	_, rep = readCASEValue(t, pkg, casepkg.ReadOptions{Policy: ota.Policy{"case.identifier.not-uuid": ota.Warning}})
	assert.False(t, rep.HasErrors(), "%v", rep.Errors())
}

// TestWriteFrameworkJSON: OTA's framework JSON of a CASE framework reads back as the
// same framework, and the same framework gives the same bytes.
func TestWriteFrameworkJSON(t *testing.T) {
	f, _ := readCASEFile(t, "testdata/case/gsbpm-training.json")
	var a, b bytes.Buffer
	require.NoError(t, framework.Write(&a, f))
	require.NoError(t, framework.Write(&b, f))
	assert.Equal(t, a.String(), b.String())
	var back framework.Framework
	require.NoError(t, json.Unmarshal(a.Bytes(), &back))
	want, err := json.Marshal(f)
	require.NoError(t, err)
	got, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "extension values are re-indented, the rest is the same")
	assert.Equal(t, f.Nodes[0].Code, back.Nodes[0].Code)
	assert.Len(t, back.Nodes, len(f.Nodes))
	assert.Error(t, framework.Write(&a, nil))
}

// TestCodeWithSpaces is the regression test of a FuzzReadCASE crasher: an
// item whose identifier, used as its code, ends in white space did not
// survive Write (the space was trimmed on the way back). Such a code
// is an error of the framework, reported where it came from.
func TestCodeWithSpaces(t *testing.T) {
	f := &framework.Framework{ID: "https://example.org/f", Title: asset.LangString{"en": "F"},
		Nodes: []framework.Node{{Code: " 1", Kind: framework.KindCompetence, Name: asset.LangString{"en": "One"}}}}
	got := issuesWith(f.Check(), "framework.node.code-space")
	require.Len(t, got, 1)
	assert.Equal(t, "/nodes/0/code", got[0].Pointer)

	fw, rep, err := casepkg.Read(strings.NewReader(`{"CFDocument":{"uri":"A:0","title":"0"},"CFItems":[{"identifier":" ","fullStatement":"0"}]}`), casepkg.ReadOptions{})
	require.NoError(t, err)
	notUUID := issuesWith(rep, "case.identifier.not-uuid")
	require.Len(t, notUUID, 1, "the item's error, which stands for the code's too")
	assert.Equal(t, "/CFItems/0/identifier", notUUID[0].Pointer)
	assert.NotEmpty(t, issuesWith(fw.Check(), "framework.node.code-space"))
}
