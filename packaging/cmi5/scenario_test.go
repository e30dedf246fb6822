package cmi5

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/metaacademy/ota/packaging/xapi"
)

// TestScenarios checks the statement sequences of the cmi5 sample
// scenarios. Two scenarios carry real-world defects that the checker
// must find; the others must have no error.
func TestScenarios(t *testing.T) {
	ref := referenceDir(t)
	dirs, err := filepath.Glob(filepath.Join(ref, "scenarios", "[0-9]*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 18 {
		t.Fatalf("found %d scenarios, want 18", len(dirs))
	}
	tests := map[string]struct {
		undecodable string   // the one statement file that is not JSON
		wantErrors  []string // error codes expected, in report order
	}{
		// 04-passed_statement.json is in fact a second initialized.
		"03-completed_or_passed-passed": {wantErrors: []string{"cmi5.initialized.duplicate", "cmi5.satisfied.early"}},
		// 05-initialized_statement.json is not valid JSON, so the
		// session's terminated seems to come before initialized.
		"16-not_applicable-no_launch": {undecodable: "05-initialized_statement.json", wantErrors: []string{"cmi5.sequence.notInitialized"}},
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			want := tests[name]
			files, err := filepath.Glob(filepath.Join(dir, "*.json"))
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(files)
			var stmts []*xapi.Statement
			for _, f := range files {
				base := filepath.Base(f)
				if !strings.Contains(base, "statement") {
					continue
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				var s xapi.Statement
				if err := s.UnmarshalJSON(data); err != nil {
					if base != want.undecodable {
						t.Errorf("%s: %v", base, err)
					}
					continue
				}
				if base == want.undecodable {
					t.Errorf("%s decoded, but it is known to be invalid JSON", base)
				}
				stmts = append(stmts, &s)
			}
			rep := CheckStatements(stmts, CheckOptions{})
			var got []string
			for _, is := range rep.Errors() {
				got = append(got, is.Code)
			}
			if strings.Join(got, ",") != strings.Join(want.wantErrors, ",") {
				t.Errorf("errors = %v, want %v; report: %v", got, want.wantErrors, rep.Issues)
			}
		})
	}
}
