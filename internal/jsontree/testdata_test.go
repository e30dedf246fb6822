package jsontree

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The seed documents in testdata are named by what they test:
//
//	testdata/valid/*.json               must parse
//	testdata/invalid/syntax/*.json      must fail with ErrSyntax
//	testdata/invalid/utf8/*.json        must fail with ErrInvalidUTF8
//	testdata/invalid/duplicate/*.json   must fail with ErrDuplicateKey
//	testdata/invalid/depth/*.json       must fail with ErrTooDeep
var invalidDirs = map[string]error{
	"syntax":    ErrSyntax,
	"utf8":      ErrInvalidUTF8,
	"duplicate": ErrDuplicateKey,
	"depth":     ErrTooDeep,
}

// seedFiles returns the paths of all .json files under testdata.
func seedFiles(tb testing.TB) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	require.NoError(tb, err)
	require.NotEmpty(tb, files)
	return files
}

func TestTestdata(t *testing.T) {
	for _, path := range seedFiles(t) {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			root, err := Parse(data, Limits{})
			rel := filepath.ToSlash(strings.TrimPrefix(path, "testdata"+string(filepath.Separator)))
			if strings.HasPrefix(rel, "valid/") {
				require.NoError(t, err)
				checkTree(t, data, root)
				var want any
				require.NoError(t, decodeUseNumber(data, &want))
				assert.Equal(t, want, toAny(root))
				return
			}
			class := invalidDirs[strings.Split(rel, "/")[1]]
			require.NotNil(t, class, "unknown directory for %s", rel)
			require.ErrorIs(t, err, class)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			line, col := LineColumn(data, se.Offset)
			assert.Equal(t, [2]int{line, col}, [2]int{se.Line, se.Column})
		})
	}
}

// TestTruncations parses every prefix of every valid seed: nothing may
// panic, and a prefix is accepted only if encoding/json accepts it too.
func TestTruncations(t *testing.T) {
	for _, path := range seedFiles(t) {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		if len(data) > 2048 {
			continue
		}
		for i := range len(data) {
			_, err := Parse(data[:i], Limits{})
			if err == nil {
				assert.True(t, json.Valid(data[:i]), "%s[:%d]", path, i)
			}
		}
	}
}

// checkTree verifies the structural invariants of a parsed tree.
func checkTree(t testing.TB, data []byte, root *Node) {
	t.Helper()
	if root.Start < 0 || root.End > len(data) || root.Start >= root.End {
		t.Fatalf("root range [%d,%d) out of input of %d bytes", root.Start, root.End, len(data))
	}
	walk(root, func(n *Node) {
		raw := n.Raw(data)
		sub, err := Parse(raw, Limits{MaxDepth: 1 << 20})
		if err != nil {
			t.Fatalf("raw text %q of a %v does not parse: %v", raw, n.Kind, err)
		}
		if sub.Kind != n.Kind || !json.Valid(raw) {
			t.Fatalf("raw text %q of a %v parses as %v (json.Valid %v)", raw, n.Kind, sub.Kind, json.Valid(raw))
		}
		prev := n.Start
		for _, m := range n.Members {
			if m.KeyStart <= prev || data[m.KeyStart] != '"' || m.Value.Start <= m.KeyStart || m.Value.End >= n.End {
				t.Fatalf("member %q at %d badly placed in [%d,%d)", m.Key, m.KeyStart, n.Start, n.End)
			}
			prev = m.Value.End
		}
		for _, e := range n.Elems {
			if e.Start <= prev || e.End >= n.End {
				t.Fatalf("element [%d,%d) badly placed in [%d,%d)", e.Start, e.End, n.Start, n.End)
			}
			prev = e.End
		}
		if n.Kind != Array && n.Elems != nil || n.Kind != Object && n.Members != nil {
			t.Fatalf("%v has children of the wrong kind", n.Kind)
		}
	})
}

// toAny converts a tree to the values encoding/json produces with UseNumber.
func toAny(n *Node) any {
	switch n.Kind {
	case Null:
		return nil
	case Bool:
		return n.Bool
	case Number:
		return json.Number(n.Num)
	case String:
		return n.Str
	case Array:
		a := make([]any, len(n.Elems))
		for i, e := range n.Elems {
			a[i] = toAny(e)
		}
		return a
	}
	m := make(map[string]any, len(n.Members))
	for _, mem := range n.Members {
		m[mem.Key] = toAny(mem.Value)
	}
	return m
}

func decodeUseNumber(data []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	return dec.Decode(v)
}
