package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/cli"
)

// issueLineRE is the contract's issue line, PATH[:LINE]: SEVERITY CODE at
// POINTER: MESSAGE (DESIGN.md, "The ota command").
var issueLineRE = regexp.MustCompile(`^(.+?)(:\d+)?: (error|warning|info) [a-z0-9.-]+ at (/\S*): .+$`)

// summaryRE is validate's last line.
var summaryRE = regexp.MustCompile(`^(\d+) valid, (\d+) invalid$`)

// Fixtures of this package (testdata/).
var (
	validDoc     = filepath.Join("testdata", "valid.ota.json")     // a course, no issues
	noLicenseDoc = filepath.Join("testdata", "nolicense.ota.json") // valid; one warning, asset.license.missing
	invalidDoc   = filepath.Join("testdata", "invalid.ota.json")   // validation errors, kind on line 4
	wrongTypeDoc = filepath.Join("testdata", "wrongtype.ota.json") // a member of the wrong type
)

// result is what one in-process run of the command gave.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s\n--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// run calls cli.Run in-process with buffers; stdin may be nil.
func run(t testing.TB, stdin io.Reader, args ...string) result {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	code := runCLI(args, stdin, &out, &errb)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	assertNoPanic(t, r)
	return r
}

// runCLI calls cli.Run with the given streams.
func runCLI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	return cli.Run(args, &cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr})
}

// assertNoPanic fails when the run reported a recovered panic: the
// contract is "never a panic", and Run's recovery is a last resort.
func assertNoPanic(t testing.TB, r result) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, "internal error") || strings.Contains(s, "goroutine ") || strings.Contains(s, "panic:") {
			t.Errorf("the command panicked (recovered):\n%s", r)
			return
		}
	}
}

// lines splits output into lines without the final newline.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// checkValidateText checks the shape of validate's text output: every
// line but the last is a contract issue line, the last is the summary. It
// returns the issue lines and the two counts.
func checkValidateText(t testing.TB, stdout string) (issues []string, valid, invalid int) {
	t.Helper()
	ls := lines(stdout)
	require.NotEmpty(t, ls, "validate wrote nothing to stdout")
	last := ls[len(ls)-1]
	m := summaryRE.FindStringSubmatch(last)
	require.NotNil(t, m, "last line %q is not %q", last, "N valid, M invalid")
	for _, l := range ls[:len(ls)-1] {
		assert.Regexp(t, issueLineRE, l, "issue line breaks the contract")
	}
	require.NoError(t, json.Unmarshal([]byte(m[1]), &valid))
	require.NoError(t, json.Unmarshal([]byte(m[2]), &invalid))
	return ls[:len(ls)-1], valid, invalid
}

// canonical returns asset.Write's bytes for the document in path.
func canonical(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	doc, _, err := asset.Read(f, asset.ReadOptions{})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, asset.Write(&b, doc))
	return b.Bytes()
}

func TestValidateExitCodesAndSummary(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "does-not-exist.json")
	tests := []struct {
		name    string
		args    []string
		stdin   string
		code    int
		valid   int
		invalid int
		issues  int // -1: do not check
	}{
		{"valid", []string{"validate", validDoc}, "", 0, 1, 0, 0},
		{"warning only", []string{"validate", noLicenseDoc}, "", 0, 1, 0, 1},
		{"invalid", []string{"validate", invalidDoc}, "", 1, 0, 1, 4},
		{"wrong type", []string{"validate", wrongTypeDoc}, "", 1, 0, 1, 1},
		{"unreadable", []string{"validate", missing}, "", 2, 0, 1, 1},
		{"valid and invalid", []string{"validate", validDoc, invalidDoc}, "", 1, 1, 1, 4},
		{"several paths, highest wins", []string{"validate", validDoc, invalidDoc, missing}, "", 2, 1, 2, 5},
		{"several paths, unreadable first", []string{"validate", missing, invalidDoc, validDoc}, "", 2, 1, 2, 5},
		{"stdin", []string{"validate", "-"}, readFile(t, validDoc), 0, 1, 0, 0},
		{"stdin invalid", []string{"validate", "-"}, readFile(t, invalidDoc), 1, 0, 1, 4},
		{"stdin and a file", []string{"validate", "-", invalidDoc}, readFile(t, validDoc), 1, 1, 1, 4},
		{"--as ota", []string{"validate", "--as", "ota", validDoc}, "", 0, 1, 0, 0},
		{"--as=ota after the path", []string{"validate", validDoc, "--as=ota"}, "", 0, 1, 0, 0},
		{"--as ota on stdin", []string{"validate", "--as", "ota", "-"}, readFile(t, validDoc), 0, 1, 0, 0},
		{"severity makes a warning an error", []string{"validate", "--severity", "asset.license.missing=error", noLicenseDoc}, "", 1, 0, 1, 1},
		{"severity by prefix", []string{"validate", noLicenseDoc, "--severity=asset.license=error"}, "", 1, 0, 1, 1},
		{"severity ignore drops the issue", []string{"validate", "--severity", "asset.license.missing=ignore", noLicenseDoc}, "", 0, 1, 0, 0},
		{"severity makes errors warnings", []string{"validate", "--severity", "asset=warning", invalidDoc}, "", 0, 1, 0, 4},
		{"severity repeated, info hidden", []string{"validate", "--severity", "asset.kind=warning", "--severity", "asset.id=info", "--severity", "asset.title=ignore", "--severity", "asset.langstring=warning", invalidDoc}, "", 0, 1, 0, 2},
		{"severity repeated, --verbose shows info", []string{"validate", "--verbose", "--severity", "asset.kind=warning", "--severity", "asset.id=info", "--severity", "asset.title=ignore", "--severity", "asset.langstring=warning", invalidDoc}, "", 0, 1, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, strings.NewReader(tc.stdin), tc.args...)
			require.Equal(t, tc.code, r.code, "%s", r)
			issues, valid, invalid := checkValidateText(t, r.stdout)
			assert.Equal(t, tc.valid, valid, "valid count\n%s", r)
			assert.Equal(t, tc.invalid, invalid, "invalid count\n%s", r)
			if tc.issues >= 0 {
				assert.Len(t, issues, tc.issues, "%s", r)
			}
		})
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestValidateIssueLines(t *testing.T) {
	r := run(t, nil, "validate", invalidDoc)
	require.Equal(t, 1, r.code, "%s", r)
	issues, _, _ := checkValidateText(t, r.stdout)
	want := map[string]string{ // code → line prefix, with the line number of the member
		"asset.id.not-absolute":  invalidDoc + ":3: error asset.id.not-absolute at /id: ",
		"asset.kind.unknown":     invalidDoc + ":4: error asset.kind.unknown at /kind: ",
		"asset.title.missing":    invalidDoc + ":1: error asset.title.missing at /title: ",
		"asset.langstring.empty": invalidDoc + ":7: error asset.langstring.empty at /parts/0/title/en: ",
		"asset.license.missing":  "", // the fixture has a licence
		"asset.json.wrong-type":  "", // and no member of the wrong type
	}
	for code, prefix := range want {
		var found []string
		for _, l := range issues {
			if strings.Contains(l, " "+code+" at ") {
				found = append(found, l)
			}
		}
		if prefix == "" {
			assert.Empty(t, found, "code %s", code)
			continue
		}
		if assert.Len(t, found, 1, "code %s\n%s", code, r) {
			assert.True(t, strings.HasPrefix(found[0], prefix), "line %q\nwant prefix %q", found[0], prefix)
		}
	}
	for _, l := range issues {
		m := issueLineRE.FindStringSubmatch(l)
		require.NotNil(t, m)
		assert.Equal(t, invalidDoc, m[1], "PATH is the argument as given")
		assert.Equal(t, "error", m[3])
	}

	t.Run("stdin is named -", func(t *testing.T) {
		r := run(t, strings.NewReader(readFile(t, noLicenseDoc)), "validate", "-")
		require.Equal(t, 0, r.code, "%s", r)
		issues, _, _ := checkValidateText(t, r.stdout)
		require.Len(t, issues, 1)
		assert.True(t, strings.HasPrefix(issues[0], "-:1: warning asset.license.missing at /license: "), issues[0])
	})

	t.Run("unreadable path is one issue line", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.json")
		r := run(t, nil, "validate", missing)
		require.Equal(t, 2, r.code, "%s", r)
		issues, _, _ := checkValidateText(t, r.stdout)
		require.Len(t, issues, 1)
		assert.True(t, strings.HasPrefix(issues[0], missing+": error "), issues[0])
		assert.Contains(t, issues[0], "no such file")
	})
}

// TestValidateOneLinePerIssue feeds documents whose keys and values hold
// line breaks and other control characters: the contract is one line per
// issue, whatever the input holds.
func TestValidateOneLinePerIssue(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		code int
	}{
		{"newline in an unknown member's key", `{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"x"},"license":"CC-BY-4.0","bad\nkey":1}`, 0},
		{"carriage return in an unknown member's key", `{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"x"},"license":"CC-BY-4.0","bad\rkey":1}`, 0},
		{"newline in a language tag", `{"ota":"1.0","id":"urn:x","kind":"course","title":{"e\nn":"x"},"license":"CC-BY-4.0"}`, 1},
		{"newline in a value", `{"ota":"1.0","id":"urn:x","kind":"no\npe","title":{"en":"x"},"license":"CC-BY-4.0"}`, 1},
		{"newline in a key, then a syntax error", `{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"x"},"b\nk":[`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, strings.NewReader(tc.doc), "validate", "-")
			assert.Equal(t, tc.code, r.code, "%s", r)
			issues, _, _ := checkValidateText(t, r.stdout)
			assert.NotEmpty(t, issues)
			for _, l := range issues {
				assert.NotContains(t, l, "\r", "a raw carriage return splits the line on terminals and in CRLF-aware tools")
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.json")
	tests := []struct {
		name string
		args []string
	}{
		{"flag first", []string{"validate", "--format", "json", validDoc, invalidDoc, missing}},
		{"flag after the paths", []string{"validate", validDoc, invalidDoc, missing, "--format", "json"}},
		{"flag between the paths", []string{"validate", validDoc, "--format=json", invalidDoc, missing}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			require.Equal(t, 2, r.code, "%s", r)

			// The exact shape, member by member.
			var raw map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw), "%s", r)
			assert.ElementsMatch(t, []string{"files", "valid", "invalid"}, keys(raw))

			var out struct {
				Files []struct {
					Path   *string `json:"path"`
					Kind   *string `json:"kind"`
					Valid  *bool   `json:"valid"`
					Issues []struct {
						Severity *string `json:"severity"`
						Code     *string `json:"code"`
						Pointer  *string `json:"pointer"`
						Line     int     `json:"line"`
						Message  *string `json:"message"`
					} `json:"issues"`
				} `json:"files"`
				Valid   *int `json:"valid"`
				Invalid *int `json:"invalid"`
			}
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			require.NoError(t, dec.Decode(&out))
			assert.False(t, dec.More(), "one JSON object, nothing after it")
			require.NotNil(t, out.Valid)
			require.NotNil(t, out.Invalid)
			assert.Equal(t, 1, *out.Valid)
			assert.Equal(t, 2, *out.Invalid)
			require.Len(t, out.Files, 3)
			paths := []string{validDoc, invalidDoc, missing}
			wantValid := []bool{true, false, false}
			wantKind := []string{"ota", "ota", ""}
			for i, f := range out.Files {
				require.NotNil(t, f.Path)
				require.NotNil(t, f.Kind)
				require.NotNil(t, f.Valid)
				assert.Equal(t, paths[i], *f.Path)
				assert.Equal(t, wantKind[i], *f.Kind)
				assert.Equal(t, wantValid[i], *f.Valid)
				for _, is := range f.Issues {
					require.NotNil(t, is.Severity)
					require.NotNil(t, is.Code)
					require.NotNil(t, is.Pointer)
					require.NotNil(t, is.Message)
					assert.Contains(t, []string{"error", "warning", "info"}, *is.Severity)
					assert.Regexp(t, `^[a-z0-9.-]+$`, *is.Code)
					assert.True(t, *is.Pointer == "" || strings.HasPrefix(*is.Pointer, "/"), "pointer %q", *is.Pointer)
					assert.NotEmpty(t, *is.Message)
				}
			}
			assert.Empty(t, out.Files[0].Issues)
			assert.Len(t, out.Files[1].Issues, 4)
			assert.Len(t, out.Files[2].Issues, 1)
			codes := []string{}
			for _, is := range out.Files[1].Issues {
				codes = append(codes, *is.Code)
				assert.Positive(t, is.Line, "issues of a JSON document carry its line")
			}
			assert.Contains(t, codes, "asset.kind.unknown")

			// issues is an array, never null, even when there are none.
			var files struct {
				Files []map[string]json.RawMessage `json:"files"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &files))
			assert.Equal(t, "[]", string(files.Files[0]["issues"]))
			for _, f := range files.Files {
				for _, k := range []string{"path", "kind", "valid", "issues"} {
					assert.Contains(t, f, k)
				}
			}
			assert.NotContains(t, r.stdout, " valid, ", "no text summary in JSON output")
		})
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestValidateUsageErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr []string // substrings of stderr
	}{
		{"no path", []string{"validate"}, []string{"no PATH"}},
		{"no path, only flags", []string{"validate", "--format", "json"}, []string{"no PATH"}},
		{"unknown flag", []string{"validate", "--bogus", validDoc}, []string{"unknown flag", "--bogus", "Usage: ota validate"}},
		{"unknown flag after the path", []string{"validate", validDoc, "--bogus"}, []string{"unknown flag", "Usage: ota validate"}},
		{"unknown shorthand", []string{"validate", "-z", validDoc}, []string{"-z", "Usage: ota validate"}},
		{"flag without its value", []string{"validate", validDoc, "--format"}, []string{"--format", "Usage: ota validate"}},
		{"bad format", []string{"validate", "--format", "yaml", validDoc}, []string{"yaml"}},
		{"--as nonsense", []string{"validate", "--as", "nonsense", validDoc}, []string{"nonsense", "ota"}},
		{"--severity without =", []string{"validate", "--severity", "bad", validDoc}, []string{"bad", "CODE=SEVERITY"}},
		{"--severity unknown severity", []string{"validate", "--severity", "asset.license.missing=fatal", validDoc}, []string{"fatal"}},
		{"--severity empty code", []string{"validate", "--severity", "=error", validDoc}, []string{"ota validate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, 2, r.code, "%s", r)
			for _, s := range tc.stderr {
				assert.Contains(t, r.stderr, s, "%s", r)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	t.Run("text tree", func(t *testing.T) {
		r := run(t, nil, "inspect", validDoc)
		require.Equal(t, 0, r.code, "%s", r)
		out := r.stdout
		for _, s := range []string{
			`course "Sampling for official statistics"`,
			`├── module "Sampling frames" PT30M  urn:example:course:sampling:m1`,
			`└── module "Estimation"  urn:example:course:sampling:m2`,
			`    └── lesson "Weighting" PT45M  urn:example:course:sampling:m2:l1`,
		} {
			assert.Contains(t, out, s)
		}
		// 30 + 45 minutes, however the sum is spelled.
		assert.Regexp(t, `(?m)^4 assets, 2 leaves, total duration (PT75M|PT1H15M)$`, out)
		assert.Contains(t, out, "license CC-BY-4.0")
		assert.Empty(t, r.stderr)
	})
	t.Run("text tree from stdin", func(t *testing.T) {
		r := run(t, strings.NewReader(readFile(t, validDoc)), "inspect", "-")
		require.Equal(t, 0, r.code, "%s", r)
		assert.Contains(t, r.stdout, "└── lesson \"Weighting\"")
	})
	t.Run("lang fr", func(t *testing.T) {
		for _, args := range [][]string{
			{"inspect", "--lang", "fr", validDoc},
			{"inspect", validDoc, "--lang=fr"},
			{"inspect", validDoc, "--lang", "fr-CA"},
		} {
			r := run(t, nil, args...)
			require.Equal(t, 0, r.code, "%s", r)
			assert.Contains(t, r.stdout, `course "Échantillonnage pour la statistique publique"`, args)
			assert.Contains(t, r.stdout, `├── module "Bases de sondage"`, args)
			assert.Contains(t, r.stdout, `└── lesson "Pondération"`, args)
			assert.NotContains(t, r.stdout, "Sampling frames", args)
		}
	})
	t.Run("json is canonical", func(t *testing.T) {
		for _, args := range [][]string{
			{"inspect", "--format", "json", validDoc},
			{"inspect", validDoc, "--format", "json"},
		} {
			r := run(t, nil, args...)
			require.Equal(t, 0, r.code, "%s", r)
			assert.Equal(t, string(canonical(t, validDoc)), r.stdout)
			doc, rep, err := asset.Read(strings.NewReader(r.stdout), asset.ReadOptions{Validate: true})
			require.NoError(t, err)
			assert.Empty(t, rep.Issues)
			assert.Equal(t, "urn:example:course:sampling", doc.Asset.ID)
		}
	})
	t.Run("read errors exit 1 and go to stderr", func(t *testing.T) {
		r := run(t, nil, "inspect", wrongTypeDoc)
		assert.Equal(t, 1, r.code, "%s", r)
		assert.Contains(t, r.stderr, "asset.json.wrong-type")
		for _, l := range lines(r.stderr) {
			assert.Regexp(t, issueLineRE, l)
		}
	})
	t.Run("several paths, highest wins", func(t *testing.T) {
		r := run(t, nil, "inspect", validDoc, filepath.Join(t.TempDir(), "missing.json"), wrongTypeDoc)
		assert.Equal(t, 2, r.code, "%s", r)
		assert.Contains(t, r.stdout, validDoc+":\n")
	})
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no path", []string{"inspect"}},
		{"bad format", []string{"inspect", "--format", "xml", validDoc}},
		{"unknown flag", []string{"inspect", validDoc, "--nope"}},
		{"--as nonsense", []string{"inspect", "--as", "nonsense", validDoc}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, 2, r.code, "%s", r)
			assert.NotEmpty(t, r.stderr)
		})
	}
}

// dirNames lists the names in dir.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestConvert(t *testing.T) {
	t.Run("to a .json path, atomically", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "course.json")
		r := run(t, nil, "convert", validDoc, out)
		require.Equal(t, 0, r.code, "%s", r)
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, string(canonical(t, validDoc)), string(got))
		assert.Equal(t, []string{"course.json"}, dirNames(t, dir), "no temporary files left behind")
		assert.Empty(t, r.stdout)

		// Over an existing file, flags after the positionals.
		r = run(t, nil, "convert", noLicenseDoc, out, "--to", "json")
		require.Equal(t, 0, r.code, "%s", r)
		assert.Equal(t, string(canonical(t, noLicenseDoc)), readFile(t, out))
		assert.Equal(t, []string{"course.json"}, dirNames(t, dir))
	})
	t.Run("--to json to stdout", func(t *testing.T) {
		r := run(t, nil, "convert", "--to", "json", validDoc, "-")
		require.Equal(t, 0, r.code, "%s", r)
		assert.Equal(t, string(canonical(t, validDoc)), r.stdout)
	})
	t.Run("stdin to stdout", func(t *testing.T) {
		r := run(t, strings.NewReader(readFile(t, validDoc)), "convert", "-", "-", "--to=json")
		require.Equal(t, 0, r.code, "%s", r)
		assert.Equal(t, string(canonical(t, validDoc)), r.stdout)
	})
	usage := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"--to nonsense", []string{"convert", "--to", "nonsense", validDoc, "out.json"}, "nonsense"},
		{"no --to and OUT is not .json", []string{"convert", validDoc, "out.bin"}, "--to"},
		{"no args", []string{"convert"}, "SRC and OUT"},
		{"one arg", []string{"convert", validDoc}, "SRC and OUT"},
		{"three args", []string{"convert", validDoc, "a.json", "b.json"}, "SRC and OUT"},
		{"unknown flag", []string{"convert", validDoc, "a.json", "--nope"}, "Usage: ota convert"},
	}
	// A tree with nothing to launch cannot become a package: the input
	// is found wanting (exit 1), and nothing is written.
	for _, tc := range []struct{ to, says string }{{"scorm12", "scorm.export.nothing"}, {"cmi5", "cmi5.export.empty"}} {
		t.Run("nothing to launch --to "+tc.to, func(t *testing.T) {
			dir := t.TempDir()
			r := run(t, nil, "convert", validDoc, filepath.Join(dir, "out.zip"), "--to", tc.to)
			assert.Equal(t, 1, r.code, "%s", r)
			assert.Contains(t, r.stderr, tc.says)
			assert.Empty(t, dirNames(t, dir), "nothing written")
		})
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := slices.Clone(tc.args)
			for i, a := range args {
				if strings.HasPrefix(a, "out.") || a == "a.json" || a == "b.json" {
					args[i] = filepath.Join(dir, a)
				}
			}
			r := run(t, nil, args...)
			assert.Equal(t, 2, r.code, "%s", r)
			assert.Contains(t, r.stderr, tc.stderr)
			assert.Empty(t, dirNames(t, dir), "nothing written on a usage error")
		})
	}
	bad := []struct {
		name string
		src  string
		code int
	}{
		{"member of the wrong type", wrongTypeDoc, 1},
		{"validation errors", invalidDoc, 1},
		{"unreadable", filepath.Join("testdata", "missing.json"), 2},
	}
	for _, tc := range bad {
		t.Run("invalid SRC: "+tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.json")
			r := run(t, nil, "convert", tc.src, out)
			assert.Equal(t, tc.code, r.code, "%s", r)
			assert.NotEmpty(t, r.stderr, "says why")
			assert.NoFileExists(t, out, "OUT is not created from an invalid SRC")
			assert.Empty(t, dirNames(t, dir), "no temporary files left behind")
		})
	}
	t.Run("OUT in a missing folder", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "no", "such", "dir", "out.json")
		r := run(t, nil, "convert", validDoc, out)
		assert.Equal(t, 2, r.code, "%s", r)
		assert.Contains(t, r.stderr, "out.json")
	})
}

func TestSchema(t *testing.T) {
	t.Run("list", func(t *testing.T) {
		r := run(t, nil, "schema")
		require.Equal(t, 0, r.code, "%s", r)
		assert.Contains(t, lines(r.stdout), "asset")
	})
	t.Run("asset", func(t *testing.T) {
		r := run(t, nil, "schema", "asset")
		require.Equal(t, 0, r.code, "%s", r)
		var s map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
		assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	})
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"unknown name", []string{"schema", "nonsense"}},
		{"two names", []string{"schema", "asset", "asset"}},
		{"unknown flag", []string{"schema", "--nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, 2, r.code, "%s", r)
			assert.NotEmpty(t, r.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestTopLevel(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"version", []string{"version"}, 0, []string{"ota ", "OTA format " + asset.FormatVersion}, nil},
		{"--version", []string{"--version"}, 0, []string{"OTA format"}, nil},
		{"version with an argument", []string{"version", "x"}, 2, nil, []string{"no arguments"}},
		{"help", []string{"help"}, 0, []string{"Usage: ota COMMAND", "validate", "inspect", "convert", "schema", "version"}, nil},
		{"--help", []string{"--help"}, 0, []string{"Usage: ota COMMAND"}, nil},
		{"-h", []string{"-h"}, 0, []string{"Usage: ota COMMAND"}, nil},
		{"help validate", []string{"help", "validate"}, 0, []string{"Usage: ota validate", "--format", "--severity", "N valid, M invalid"}, nil},
		{"validate --help", []string{"validate", "--help"}, 0, []string{"Usage: ota validate", "--format"}, nil},
		{"validate -h with a path", []string{"validate", validDoc, "-h"}, 0, []string{"Usage: ota validate"}, nil},
		{"help inspect", []string{"help", "inspect"}, 0, []string{"Usage: ota inspect", "--lang"}, nil},
		{"convert --help", []string{"convert", "--help"}, 0, []string{"Usage: ota convert", "--to"}, nil},
		{"help schema", []string{"help", "schema"}, 0, []string{"Usage: ota schema"}, nil},
		{"help unknown", []string{"help", "nonsense"}, 2, nil, []string{"nonsense"}},
		{"no args", nil, 2, nil, []string{"Usage: ota COMMAND"}},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`, "Usage: ota COMMAND"}},
		{"flag instead of a command", []string{"--format", "json"}, 2, nil, []string{"Usage: ota COMMAND"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, tc.code, r.code, "%s", r)
			for _, s := range tc.stdout {
				assert.Contains(t, r.stdout, s)
			}
			for _, s := range tc.stderr {
				assert.Contains(t, r.stderr, s)
			}
			if tc.code == 0 {
				assert.Empty(t, r.stderr, "success writes nothing to stderr")
			} else {
				assert.Empty(t, r.stdout, "usage errors write nothing to stdout")
			}
		})
	}
}

// The fixtures of the asset package: every valid one must validate with
// exit 0; every invalid one with the exit its expect.tsv implies.
const (
	assetValidDir   = "../../asset/testdata/valid"
	assetInvalidDir = "../../asset/testdata/invalid"
)

func TestAssetValidFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(assetValidDir, "*.ota.json"))
	if len(files) == 0 {
		t.Skipf("no fixtures in %s yet", assetValidDir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := run(t, nil, "validate", f)
			assert.Equal(t, 0, r.code, "%s", r)
			_, valid, invalid := checkValidateText(t, r.stdout)
			assert.Equal(t, 1, valid)
			assert.Equal(t, 0, invalid)

			r = run(t, nil, "inspect", f)
			assert.Equal(t, 0, r.code, "%s", r)
			r = run(t, nil, "inspect", "--format", "json", f)
			if assert.Equal(t, 0, r.code, "%s", r) {
				assert.Equal(t, string(canonical(t, f)), r.stdout)
			}
		})
	}
}

// expectation is one row of asset/testdata/invalid/expect.tsv:
// FILE<TAB>CODE<TAB>POINTER<TAB>SEVERITY[<TAB>SCHEMA], '#' starting a
// comment; POINTER "-" stands for the whole document.
type expectation struct {
	code, pointer, severity string
}

// fatalCodes are the codes of inputs the reader cannot read at all: the
// contract gives them exit 2, not 1.
var fatalCodes = map[string]bool{
	"asset.json.syntax":        true,
	"asset.json.too-large":     true,
	"asset.json.not-object":    true,
	"asset.format.unsupported": true,
}

func readExpect(t *testing.T, path string) map[string][]expectation {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string][]expectation{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		require.GreaterOrEqual(t, len(fields), 4, "%s:%d: want FILE, CODE, POINTER, SEVERITY", path, n)
		e := expectation{code: fields[1], pointer: fields[2], severity: fields[3]}
		if e.pointer == "-" {
			e.pointer = ""
		}
		require.Contains(t, []string{"error", "warning"}, e.severity, "%s:%d", path, n)
		out[fields[0]] = append(out[fields[0]], e)
	}
	require.NoError(t, sc.Err())
	return out
}

func TestAssetInvalidFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(assetInvalidDir, "*.ota.json"))
	if len(files) == 0 {
		t.Skipf("no fixtures in %s yet", assetInvalidDir)
	}
	tsv := filepath.Join(assetInvalidDir, "expect.tsv")
	if _, err := os.Stat(tsv); err != nil {
		t.Skipf("no %s yet", tsv)
	}
	expect := readExpect(t, tsv)
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			rows := expect[name]
			if len(rows) == 0 {
				t.Skipf("%s has no row in expect.tsv", name)
			}
			want := 0
			for _, e := range rows {
				switch {
				case fatalCodes[e.code]:
					want = max(want, 2)
				case e.severity == "error":
					want = max(want, 1)
				}
			}
			r := run(t, nil, "validate", f)
			assert.Equal(t, want, r.code, "expect.tsv says %+v\n%s", rows, r)
			issues, valid, invalid := checkValidateText(t, r.stdout)
			if want == 0 {
				assert.Equal(t, []int{1, 0}, []int{valid, invalid}, "%s", r)
			} else {
				assert.Equal(t, []int{0, 1}, []int{valid, invalid}, "%s", r)
			}
			for _, e := range rows {
				ptr := e.pointer
				if ptr == "" {
					ptr = "/"
				}
				tail := ": " + e.severity + " " + e.code + " at " + ptr + ": "
				found := slices.ContainsFunc(issues, func(l string) bool { return strings.Contains(l, tail) })
				assert.True(t, found, "no line with %q\n%s", tail, r)
			}
			// inspect reads it without panicking, whatever the outcome.
			run(t, nil, "inspect", f)
		})
	}
}
