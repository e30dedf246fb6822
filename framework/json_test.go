package framework_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/jsontree"
)

const withUnknown = `{
  "id": "https://example.org/fw",
  "title": {"en": "Example"},
  "colour": "blue",
  "nodes": [
    {"code": "1", "kind": "phase", "name": {"en": "One"}, "weight": 3},
    {"code": "1.1", "kind": "subprocess", "parent": "1", "name": {"en": "One one"}}
  ],
  "scales": [{"id": "s", "levels": [{"code": "a", "rank": 1, "name": {"en": "A"}, "hint": true}]}],
  "associations": [{"type": "related", "source": "1", "target": "1.1", "why": "x"}]
}`

// TestReadWarnsAndKeepsUnknownMembers: every unknown member is warned with
// its JSON Pointer and line, kept, and written back by Write.
func TestReadWarnsAndKeepsUnknownMembers(t *testing.T) {
	f, rep, err := framework.Read(strings.NewReader(withUnknown), framework.ReadOptions{})
	require.NoError(t, err)
	var ptrs []string
	for _, is := range rep.Issues {
		if is.Code == "framework.json.unknown-member" {
			ptrs = append(ptrs, is.Pointer)
			assert.Positive(t, is.Line)
		}
	}
	assert.ElementsMatch(t, []string{"/colour", "/nodes/0/weight", "/scales/0/levels/0/hint", "/associations/0/why"}, ptrs)
	assert.JSONEq(t, `"blue"`, string(f.Unknown["colour"]))
	assert.JSONEq(t, `3`, string(f.Nodes[0].Unknown["weight"]))
	assert.Nil(t, f.Nodes[1].Unknown)

	var out bytes.Buffer
	require.NoError(t, framework.Write(&out, f))
	assert.JSONEq(t, withUnknown, out.String())
	again, rep2, err := framework.Read(bytes.NewReader(out.Bytes()), framework.ReadOptions{})
	require.NoError(t, err)
	assert.Len(t, rep2.Issues, len(rep.Issues))
	var out2 bytes.Buffer
	require.NoError(t, framework.Write(&out2, again))
	assert.Equal(t, out.String(), out2.String(), "same framework, same bytes")
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"syntax", `{"id": }`, framework.ErrSyntax},
		{"array", `[]`, framework.ErrNotFramework},
		{"wrong type", `{"nodes": {}}`, framework.ErrNotFramework},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := framework.Read(strings.NewReader(tc.in), framework.ReadOptions{})
			assert.ErrorIs(t, err, tc.want)
		})
	}
	_, _, err := framework.Read(strings.NewReader(`{"id": "x"}`), framework.ReadOptions{MaxBytes: 4})
	assert.ErrorIs(t, err, framework.ErrTooLarge)
	_, _, err = framework.Read(strings.NewReader(`{"id": "x",}`), framework.ReadOptions{})
	assert.True(t, errors.Is(err, jsontree.ErrSyntax), "the parser's error is kept as the cause: %v", err)
}

// TestKindListsAreCopies: changing the lists a caller gets does not change
// what validation accepts.
func TestKindListsAreCopies(t *testing.T) {
	kinds := framework.NodeKinds()
	kinds[0] = "made-up"
	assert.True(t, framework.NodeKinds()[0].Valid())
	assert.False(t, framework.NodeKind("made-up").Valid())
	types := framework.AssociationTypes()
	types[0] = "made-up"
	assert.True(t, framework.AssociationTypes()[0].Valid())
}
