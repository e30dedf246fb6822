package xapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// referenceDir returns the shared reference folder (…/shared/reference),
// found by walking up from the package directory, or "" when it is absent.
func referenceDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		cand := filepath.Join(dir, "shared", "reference")
		if fi, err := os.Stat(filepath.Join(cand, "xapi")); err == nil && fi.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// xapiCorpus returns the xAPI corpus folder or skips the test.
func xapiCorpus(tb testing.TB) string {
	tb.Helper()
	ref := referenceDir()
	if ref == "" {
		tb.Skip("skipping: ../shared/reference/xapi (the ADL conformance corpus) is not present beside the repository")
	}
	return filepath.Join(ref, "xapi")
}

// corpusCase is one rendered case of the ADL LRS conformance suite.
type corpusCase struct {
	Case         string          `json:"case"`
	Suite        string          `json:"suite"`
	Requirements []string        `json:"requirements"`
	Name         string          `json:"name"`
	Valid        bool            `json:"valid"`
	Document     json.RawMessage `json:"document"`
	// LearningLocker is the verdict ("accepts" or "rejects") of the npm
	// package @learninglocker/xapi-validation 3.0.0 on Document.
	LearningLocker string `json:"learninglocker_xapi_validation_3_0_0"`
}

// loadCases reads every case of one corpus folder (v1_0_3 or v2_0).
func loadCases(tb testing.TB, dir string) []corpusCase {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "cases", "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no cases under %s: %v", dir, err)
	}
	sort.Strings(files)
	var all []corpusCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var cs []corpusCase
		if err := json.Unmarshal(data, &cs); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		all = append(all, cs...)
	}
	return all
}

// needsLRSState lists the corpus cases whose expected verdict a static
// validator cannot reach, keyed "folder/case", each with the reason. They
// are run, but left out of the agreement figure. Keep every reason
// concrete.
//
// It is empty: the cases that look as if they need LRS state do not. The
// voiding cases test the shape of a voiding statement (voiding-1-1 even
// says an LRS should not reject a voiding statement whose target it does
// not have), and the StatementRef cases test the shape of the reference;
// no case expects a rejection because a referenced statement is missing
// or already voided.
var needsLRSState = map[string]string{}

func TestCorpusAgreement(t *testing.T) {
	corpus := xapiCorpus(t)
	for _, tc := range []struct {
		dir     string
		version Version
		want    int
	}{
		{"v1_0_3", Version103, 950},
		{"v2_0", Version200, 972},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			cases := loadCases(t, filepath.Join(corpus, "lrs-conformance", tc.dir))
			if len(cases) != tc.want {
				t.Errorf("%d cases, want %d", len(cases), tc.want)
			}
			v := NewValidator(ValidateOptions{Version: tc.version})
			agree, decided, excluded, llAgree, weVsLL := 0, 0, 0, 0, 0
			for _, cs := range cases {
				rep := v.Validate(cs.Document)
				got := !rep.HasErrors()
				ll := cs.LearningLocker == "accepts"
				if ll == cs.Valid {
					llAgree++
				}
				if ll != got {
					weVsLL++
					t.Logf("differs from Learning Locker's xapi-validation (%s): %s: %s", cs.LearningLocker, cs.Case, cs.Name)
				}
				if reason, ok := needsLRSState[tc.dir+"/"+cs.Case]; ok {
					excluded++
					t.Logf("excluded %s (expected valid=%v, static verdict valid=%v): %s", cs.Case, cs.Valid, got, reason)
					continue
				}
				decided++
				if got == cs.Valid {
					agree++
					continue
				}
				var msgs []string
				for _, is := range rep.Issues {
					msgs = append(msgs, is.Error())
				}
				t.Errorf("%s (%s): expected valid=%v, got valid=%v\n  suite: %s\n  %s\n  document: %s",
					cs.Case, cs.Name, cs.Valid, got, cs.Suite, strings.Join(msgs, "\n  "), cs.Document)
			}
			t.Logf("xAPI %s: %d/%d statically decidable cases agree (%.1f%%); %d cases excluded as needing LRS state",
				tc.version, agree, decided, 100*float64(agree)/float64(max(decided, 1)), excluded)
			t.Logf("for comparison, @learninglocker/xapi-validation 3.0.0 agrees on %d/%d; our verdict differs from it on %d cases",
				llAgree, len(cases), weVsLL)
		})
	}
}
