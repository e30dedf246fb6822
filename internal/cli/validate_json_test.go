package cli_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidateJSONLayout checks the object validate --format json writes
// as it goes: one JSON value, laid out exactly as encoding/json indents
// it (so it reads as it did when it was encoded at the end), with the
// members the contract names and HTML characters not escaped.
func TestValidateJSONLayout(t *testing.T) {
	stream := writeTemp(t, "s.ndjson", ndjson(stmtB, stmtBad, `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://x/<b>&"},"object":{"id":"https://example.org/<&>"},"result":{"score":{"scaled":2}}}`))
	missing := filepath.Join(t.TempDir(), "does-not-exist.json")
	tests := []struct {
		name          string
		paths         []string
		code          int
		files         int
		valid, issues []int // by file
	}{
		{"a valid document", []string{validDoc}, 0, 1, []int{1}, []int{0}},
		{"several kinds, a missing file", []string{invalidDoc, stream, missing, validDoc}, 2, 4, []int{0, 0, 0, 1}, nil},
		{"a stream", []string{stream}, 1, 1, []int{0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"validate", "--format", "json"}, tc.paths...)...)
			require.Equal(t, tc.code, r.code, "%s", r)
			out := []byte(r.stdout)
			require.True(t, json.Valid(out), "not JSON:\n%s", out)
			var indented bytes.Buffer
			require.NoError(t, json.Indent(&indented, bytes.TrimSuffix(out, []byte("\n")), "", "  "))
			assert.Equal(t, indented.String()+"\n", r.stdout, "laid out as encoding/json indents it")
			assert.NotContains(t, r.stdout, `\u003c`, "HTML characters are not escaped")
			var res struct {
				Files []struct {
					Path    string            `json:"path"`
					Kind    string            `json:"kind"`
					Valid   *bool             `json:"valid"`
					Issues  []json.RawMessage `json:"issues"`
					Records *int              `json:"records"`
				} `json:"files"`
				Valid   *int `json:"valid"`
				Invalid *int `json:"invalid"`
			}
			require.NoError(t, json.Unmarshal(out, &res))
			require.Len(t, res.Files, tc.files)
			require.NotNil(t, res.Valid)
			require.NotNil(t, res.Invalid)
			for i, f := range res.Files {
				assert.Equal(t, tc.paths[i], f.Path)
				require.NotNil(t, f.Valid, "file %d has valid", i)
				assert.NotNil(t, f.Issues, "file %d has an issues array, empty or not", i)
				assert.Equal(t, tc.valid[i] == 1, *f.Valid, "file %d", i)
				if tc.issues != nil {
					assert.Len(t, f.Issues, tc.issues[i], "file %d", i)
				}
				if f.Path == stream {
					assert.Equal(t, "xapi", f.Kind)
					require.NotNil(t, f.Records)
					assert.Equal(t, 3, *f.Records)
					assert.GreaterOrEqual(t, len(f.Issues), 4, "two statements, two issues or more each")
				} else {
					assert.Nil(t, f.Records, "documents have no records member")
				}
			}
		})
	}
}
