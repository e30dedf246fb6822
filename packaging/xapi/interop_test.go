package xapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
)

// interopRecord is one line of internal/interop/xapi-validate.mjs's output.
type interopRecord struct {
	N              int    `json:"n"`
	Line           int    `json:"line"`
	ID             string `json:"id"`
	Error          string `json:"error"`
	Pass           bool   `json:"pass"`
	XAPIValidation *struct {
		OK       bool     `json:"ok"`
		Warnings []string `json:"warnings"`
	} `json:"xapiValidation"`
	TinCan *struct {
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
	} `json:"tincan"`
}

// repoRoot returns the folder holding go.mod, walking up from the test's
// working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = up
	}
}

// interopStatements builds, with the library's templates, statements about
// every asset of every valid asset fixture, as xAPI 1.0.3 statements. It
// returns them with a label per statement for messages.
func interopStatements(t *testing.T) ([]*Statement, []string) {
	t.Helper()
	docs := assetFixtures(t)
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	sort.Strings(names)

	learner := MboxAgent("Ana Lima", "ana.lima@example.org")
	account := AccountAgent("Learner 42", "https://lms.example.org", "learner-42")
	instructor := MboxAgent("Instructor", "teacher@example.org")
	when := time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

	type template struct {
		name  string
		build func(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error)
	}
	templates := []template{
		{"experienced", Experienced},
		{"attempted", Attempted},
		{"completed", Completed},
		{"passed", func(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
			return Passed(actor, a, RawScore(17, 0, 20), opts)
		}},
		{"failed", func(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
			return Failed(actor, a, ScaledScore(0.35), opts)
		}},
		{"answered", func(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
			return Answered(actor, a, "true", opts)
		}},
		{"progressed", func(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
			return Progressed(actor, a, 60, opts)
		}},
	}

	var out []*Statement
	var labels []string
	for _, name := range names {
		root := &docs[name].Asset
		n := 0
		err := root.Walk(func(a *asset.Asset, ptr string, _ *asset.Asset) error {
			for i, tpl := range templates {
				opts := StatementOptions{
					Root:      root,
					Timestamp: when.Add(time.Duration(len(out)) * time.Second),
					Version:   Version103,
				}
				actor := learner
				// Vary the optional parts: every other statement carries
				// a registration, a duration, a language, a platform and
				// an instructor, and an account-identified learner.
				if (n+i)%2 == 1 {
					actor = account
					opts.Registration = NewID()
					opts.Duration = 754*time.Second + 250*time.Millisecond
					opts.Language = "en-GB"
					opts.Platform = "OTA interop test"
					opts.Instructor = instructor
				}
				s, err := tpl.build(actor, a, opts)
				if err != nil {
					return fmt.Errorf("%s %s%s: %w", tpl.name, name, ptr, err)
				}
				out = append(out, s)
				labels = append(labels, fmt.Sprintf("%s of %s#%s (%s)", tpl.name, name, ptr, a.ID))
			}
			n++
			return nil
		})
		require.NoError(t, err)
	}
	return out, labels
}

// TestInterop checks that statements built by the library pass Learning
// Locker's xapi-validation and parse in Rustici's TinCanJS, both run by
// internal/interop/xapi-validate.mjs. It needs node and the Node packages
// (npm ci in internal/interop), as .ci/run installs them.
func TestInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("interop with xapi-validation and TinCanJS runs node; skipped under -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the interop test with xapi-validation and TinCanJS needs Node.js (see internal/interop/README.md)")
	}
	root := repoRoot(t)
	dir := filepath.Join(root, "internal", "interop")
	for _, pkg := range []string{"xapi-validation", "tincanjs"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			t.Skipf("internal/interop/node_modules/%s is absent: run `npm ci --ignore-scripts` in internal/interop (see its README)", pkg)
		}
	}

	versions := map[string]string{}
	for _, pkg := range []string{"xapi-validation", "tincanjs"} {
		data, err := os.ReadFile(filepath.Join(dir, "node_modules", pkg, "package.json"))
		require.NoError(t, err)
		var meta struct {
			Version string `json:"version"`
		}
		require.NoError(t, json.Unmarshal(data, &meta), pkg)
		versions[pkg] = meta.Version
	}

	t.Run("RunnerRejects", func(t *testing.T) {
		// The runner must fail what the tools reject, or a pass proves
		// nothing: an mbox without "mailto:" (xapi-validation rejects it,
		// TinCanJS rewrites it) and a member xAPI does not define
		// (xapi-validation rejects it, TinCanJS drops it).
		bad := `{"id":"3c1a4a8e-5a2f-4f57-9d0e-0d7a1c0b6e11","actor":{"mbox":"ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/a"}}
{"id":"3c1a4a8e-5a2f-4f57-9d0e-0d7a1c0b6e12","actor":{"mbox":"mailto:ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"https://example.org/a"},"result":{"success":true,"grade":"A"}}
`
		file := filepath.Join(t.TempDir(), "bad.ndjson")
		require.NoError(t, os.WriteFile(file, []byte(bad), 0o600))
		recs, summary, code, stderr := runInteropValidator(t, node, dir, file)
		assert.Equal(t, 1, code, stderr)
		assert.Equal(t, "0 passed, 2 failed", summary)
		require.Len(t, recs, 2)
		for _, rec := range recs {
			assert.False(t, rec.Pass)
			if assert.NotNil(t, rec.XAPIValidation) && assert.NotNil(t, rec.TinCan) {
				assert.False(t, rec.XAPIValidation.OK)
				assert.NotEmpty(t, rec.XAPIValidation.Warnings)
				assert.False(t, rec.TinCan.OK)
				assert.NotEmpty(t, rec.TinCan.Problems)
			}
		}
	})

	statements, labels := interopStatements(t)
	require.NotEmpty(t, statements)

	file := filepath.Join(t.TempDir(), "statements.ndjson")
	fh, err := os.Create(file)
	require.NoError(t, err)
	w := NewWriter(fh, StreamNDJSON)
	for i, s := range statements {
		require.NoError(t, w.Write(s), labels[i])
	}
	require.NoError(t, w.Close())
	require.NoError(t, fh.Close())

	recs, summary, code, stderr := runInteropValidator(t, node, dir, file)
	require.Len(t, recs, len(statements), "one result line per statement; stderr:\n%s", stderr)
	passed := 0
	for i, rec := range recs {
		require.Equal(t, i+1, rec.N)
		assert.Equal(t, statements[i].ID, rec.ID, labels[i])
		if !assert.Empty(t, rec.Error, labels[i]) {
			continue
		}
		require.NotNil(t, rec.XAPIValidation, labels[i])
		require.NotNil(t, rec.TinCan, labels[i])
		assert.True(t, rec.XAPIValidation.OK, "xapi-validation rejects the %s: %v", labels[i], rec.XAPIValidation.Warnings)
		assert.Empty(t, rec.XAPIValidation.Warnings, labels[i])
		assert.True(t, rec.TinCan.OK, "TinCanJS does not round-trip the %s: %v", labels[i], rec.TinCan.Problems)
		assert.Empty(t, rec.TinCan.Problems, labels[i])
		if rec.Pass {
			passed++
		}
	}
	assert.Equal(t, fmt.Sprintf("%d passed, 0 failed", len(statements)), summary)
	assert.Equal(t, len(statements), passed)
	assert.Equal(t, 0, code, "xapi-validate.mjs exit status; stderr:\n%s", stderr)
	t.Logf("xapi-validation %s and TinCanJS %s over %d statements (7 templates, every asset of every valid fixture): %s",
		versions["xapi-validation"], versions["tincanjs"], len(statements), summary)
}

// runInteropValidator runs internal/interop/xapi-validate.mjs on file and
// returns its result lines, its closing "N passed, M failed" line, its exit
// status (0 or 1; anything else fails the test) and its stderr.
func runInteropValidator(t *testing.T, node, dir, file string) ([]interopRecord, string, int, string) {
	t.Helper()
	cmd := exec.Command(node, filepath.Join(dir, "xapi-validate.mjs"), file)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("xapi-validate.mjs did not run: %v\nstderr:\n%s", err, stderr.String())
		}
		code = 1
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	require.NotEmpty(t, lines)
	summary := lines[len(lines)-1]
	var recs []interopRecord
	for _, l := range lines[:len(lines)-1] {
		var rec interopRecord
		require.NoError(t, json.Unmarshal([]byte(l), &rec), l)
		recs = append(recs, rec)
	}
	return recs, summary, code, stderr.String()
}
