package xapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/interop"
)

// specExample is one entry of spec-1.0.3-examples/index.json.
type specExample struct {
	File string `json:"file"`
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// embedFragment places a fragment of the given kind into a minimal
// statement and returns the statement, or nil for kinds that are not
// statement content.
func embedFragment(t *testing.T, kind string, frag []byte) []byte {
	t.Helper()
	doc, err := interop.XAPISpecStatement(kind, frag)
	require.NoError(t, err)
	return doc
}

// specExpectations gives the verdicts that differ from "valid, no
// warnings", with the reason.
var specExpectations = map[string]struct {
	valid bool
	warn  string // a warning code that must be reported
	why   string
}{
	"communication-L1984-statement.json": {false, "", "the xAPI 0.9 statement the spec converts to 1.0; not valid 1.0.x"},
	"data-L368-statement.json":           {true, "xapi.uuid.not-rfc4122", "id 12345678-1234-5678-1234-567812345678 has variant digit 1"},
	"about-L607-statement.json":          {true, "xapi.uuid.not-rfc4122", "id 2a41c918-b88b-4220-20a5-a4c32391a240 has variant digit 2"},
}

func TestSpecExamples(t *testing.T) {
	dir := filepath.Join(xapiCorpus(t), "spec-1.0.3-examples")
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	require.NoError(t, err)
	var index []specExample
	require.NoError(t, json.Unmarshal(data, &index))
	statements, agree, fragments := 0, 0, 0
	for _, ex := range index {
		t.Run(ex.File, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, ex.File))
			require.NoError(t, err)
			doc := embedFragment(t, ex.Kind, raw)
			if doc == nil {
				t.Skipf("%s is a %s, not xAPI statement data", ex.File, ex.Kind)
			}
			want, ok := specExpectations[ex.File]
			if !ok {
				want.valid = true
			}
			rep := Validate(doc, ValidateOptions{})
			got := !rep.HasErrors()
			if ex.Kind == "statement" {
				statements++
			} else {
				fragments++
			}
			if got != want.valid {
				t.Errorf("valid=%v, want %v (%s); issues: %v", got, want.valid, want.why, rep.Issues)
				return
			}
			if ex.Kind == "statement" {
				agree++
			}
			checkRoundTrip(t, doc, Version103)
			var warns []string
			for _, is := range rep.Warnings() {
				warns = append(warns, is.Code)
			}
			if want.warn != "" {
				require.Contains(t, warns, want.warn)
			} else if got {
				require.Empty(t, warns, "unexpected warnings: %v", rep.Warnings())
			}
		})
	}
	t.Logf("spec 1.0.3 examples: %d/%d statements agree; %d fragments checked inside a minimal statement", agree, statements, fragments)
}
