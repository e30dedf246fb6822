package ota_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
)

func TestPolicySeverityOf(t *testing.T) {
	p := ota.Policy{
		"asset":                 ota.Info,
		"asset.license":         ota.Error,
		"asset.license.missing": ota.Ignore,
	}
	tests := []struct {
		code string
		def  ota.Severity
		want ota.Severity
	}{
		{"asset.license.missing", ota.Warning, ota.Ignore},
		{"asset.license.invalid", ota.Error, ota.Error},
		{"asset.license.deprecated", ota.Warning, ota.Error},
		{"asset.title.missing", ota.Error, ota.Info},
		{"assets.title.missing", ota.Error, ota.Error}, // not a dotted prefix
		{"scorm.item.missing-resource", ota.Warning, ota.Warning},
		{"", ota.Warning, ota.Warning},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			assert.Equal(t, tt.want, p.SeverityOf(tt.code, tt.def))
		})
	}
	var nilPolicy ota.Policy
	assert.Equal(t, ota.Warning, nilPolicy.SeverityOf("asset.x", ota.Warning))
}

func TestPolicyApplyDoesNotModifyInput(t *testing.T) {
	in := []ota.Issue{
		{Code: "asset.license.missing", Severity: ota.Warning},
		{Code: "asset.title.missing", Severity: ota.Error},
	}
	out := ota.Policy{"asset.license.missing": ota.Ignore, "asset.title": ota.Warning}.Apply(in)
	require.Len(t, out, 1)
	assert.Equal(t, ota.Warning, out[0].Severity)
	assert.Equal(t, ota.Error, in[1].Severity, "input changed")
}

func TestPolicyCheck(t *testing.T) {
	tests := map[string]struct {
		p   ota.Policy
		bad bool
	}{
		"ok":           {ota.Policy{"asset.license": ota.Error}, false},
		"bad severity": {ota.Policy{"asset.license": "fatal"}, true},
		"empty key":    {ota.Policy{"": ota.Error}, true},
		"dotted edge":  {ota.Policy{"asset.": ota.Error}, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := tt.p.Check()
			if tt.bad {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestReport(t *testing.T) {
	var r ota.Report
	require.NoError(t, r.Err(), "empty report")
	r.Add(ota.Issue{Pointer: "/b", Code: "x.warn", Severity: ota.Warning, Message: "w"})
	require.NoError(t, r.Err(), "warnings only")
	assert.False(t, r.HasErrors())
	r.Add(ota.Issue{Pointer: "/a", Code: "x.err", Severity: ota.Error, Message: "e"},
		ota.Issue{Pointer: "/a", Code: "x.err2", Severity: ota.Error, Message: "e2"})
	r.AddLoss(ota.Loss{Pointer: "/seq", What: "sequencing rules", Why: "SCORM 1.2 has no sequencing"})
	assert.Len(t, r.Errors(), 2)
	assert.Len(t, r.Warnings(), 1)

	err := r.Err()
	var ve *ota.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Issues, 3, "the error carries warnings too")
	assert.Len(t, ve.Unwrap(), 2, "Unwrap gives the errors only")
	var is ota.Issue
	require.ErrorAs(t, err, &is, "each error issue is reachable through Unwrap")
	assert.Equal(t, "x.err", is.Code)
	assert.Contains(t, err.Error(), "and 1 more error")
	assert.Equal(t, ve.Issues, ota.IssuesOf(fmt.Errorf("wrapped: %w", err)))
	assert.Nil(t, ota.IssuesOf(errors.New("plain")))

	r.Sort()
	assert.Equal(t, []string{"x.err", "x.err2", "x.warn"}, []string{r.Issues[0].Code, r.Issues[1].Code, r.Issues[2].Code})
	assert.Equal(t, "/seq: sequencing rules: SCORM 1.2 has no sequencing", r.Losses[0].String())

	var merged ota.Report
	merged.Merge(r)
	assert.Len(t, merged.Issues, 3)
	assert.Len(t, merged.Losses, 1)
}

func TestLossGroups(t *testing.T) {
	var r ota.Report
	r.AddLoss(
		ota.Loss{Code: "scorm.lost.relations", Pointer: "/", AssetID: "urn:x:1", What: "relations", Why: "no place"},
		ota.Loss{Code: "scorm.lost.dates", Pointer: "/", What: "dates", Why: "no place"},
		ota.Loss{Code: "scorm.lost.relations", Pointer: "/parts/0", What: "relations", Why: "no place"},
		ota.Loss{Pointer: "/x", What: "something", Why: "old code"},
	)
	groups := r.LossGroups()
	require.Len(t, groups, 3)
	assert.Equal(t, "scorm.lost.relations", groups[0].Code)
	assert.Equal(t, []string{"/", "/parts/0"}, []string{groups[0].Losses[0].Pointer, groups[0].Losses[1].Pointer}, "report order within a group")
	assert.Equal(t, "scorm.lost.dates", groups[1].Code)
	assert.Equal(t, "", groups[2].Code, "losses without a code form a group of their own")
	assert.Equal(t, "scorm.lost.relations at /: relations: no place", r.Losses[0].String())
	assert.Empty(t, ota.Report{}.LossGroups())
}

func TestIssueError(t *testing.T) {
	is := ota.Issue{Pointer: "", Line: 3, Code: "xapi.actor.missing", Severity: ota.Error, Message: "add an actor", Requirement: "XAPI-00003"}
	assert.Equal(t, "error xapi.actor.missing at / (line 3): add an actor [XAPI-00003]", is.Error())
}

func ExamplePolicy() {
	issues := []ota.Issue{
		{Pointer: "/license", Code: "asset.license.missing", Severity: ota.Warning, Message: "the root asset has no licence"},
		{Pointer: "/foo", Code: "asset.json.unknown-member", Severity: ota.Warning, Message: "unknown member"},
	}
	// A publisher that requires licences, and does not care about unknown members:
	p := ota.Policy{"asset.license": ota.Error, "asset.json.unknown-member": ota.Ignore}
	r := ota.Report{Issues: p.Apply(issues)}
	for _, is := range r.Issues {
		fmt.Println(is.Error())
	}
	fmt.Println(r.Err() != nil)
	// Output:
	// error asset.license.missing at /license: the root asset has no licence
	// true
}

// TestLossCodesDocumented: every loss code the module's code writes is
// listed in docs/losses.md, and every code listed there is written
// somewhere.
func TestLossCodesDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("docs", "losses.md"))
	require.NoError(t, err)
	code := regexp.MustCompile(`"([a-z0-9]+\.lost\.[a-z0-9.-]*[a-z0-9])"`)
	used := map[string]bool{}
	err = filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range code.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, len(used), 50)
	for c := range used {
		assert.Contains(t, string(doc), "`"+c+"`", "loss code %s is not in docs/losses.md", c)
	}
	for _, m := range regexp.MustCompile("`([a-z0-9]+\\.lost\\.[a-z0-9.-]*[a-z0-9])`").FindAllStringSubmatch(string(doc), -1) {
		assert.True(t, used[m[1]], "docs/losses.md lists %s, which no code writes", m[1])
	}
}
