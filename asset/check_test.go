package asset_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// expectation is one line of testdata/invalid/expect.tsv.
type expectation struct {
	line     int
	file     string
	code     string
	pointer  string
	severity ota.Severity
	schema   bool
}

const (
	validDir   = "testdata/valid"
	invalidDir = "testdata/invalid"
	goldenDir  = "testdata/golden"
)

// readExpectations parses testdata/invalid/expect.tsv strictly: five
// tab-separated columns, a known severity, yes or no, "-" for the empty
// pointer.
func readExpectations(t *testing.T) []expectation {
	t.Helper()
	f, err := os.Open(filepath.Join(invalidDir, "expect.tsv"))
	require.NoError(t, err)
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		require.Len(t, cols, 5, "expect.tsv:%d: want FILE CODE POINTER SEVERITY SCHEMA", n)
		e := expectation{line: n, file: cols[0], code: cols[1], pointer: cols[2], severity: ota.Severity(cols[3])}
		if e.pointer == "-" {
			e.pointer = ""
		}
		require.Contains(t, []ota.Severity{ota.Error, ota.Warning}, e.severity, "expect.tsv:%d: severity", n)
		require.Contains(t, []string{"yes", "no"}, cols[4], "expect.tsv:%d: SCHEMA column", n)
		e.schema = cols[4] == "yes"
		out = append(out, e)
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, out)
	return out
}

// readFixture reads a fixture with validation on and fails the test if it
// is not an OTA document at all.
func readFixture(t *testing.T, path string, opts asset.ReadOptions) (*asset.Document, ota.Report) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	doc, rep, err := asset.Read(f, opts)
	require.NoError(t, err, "%s is not an OTA document", path)
	require.NotNil(t, doc)
	return doc, rep
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.ota.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no fixtures in %s", dir)
	return files
}

func findIssue(issues []ota.Issue, code, pointer string) (ota.Issue, bool) {
	for _, is := range issues {
		if is.Code == code && is.Pointer == pointer {
			return is, true
		}
	}
	return ota.Issue{}, false
}

func codesOf(issues []ota.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Code+" at "+is.Pointer)
	}
	return out
}

// lineCount returns the number of lines of a file, counting a last line
// without a newline.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

func TestInvalidFixtures(t *testing.T) {
	for _, e := range readExpectations(t) {
		t.Run(e.file, func(t *testing.T) {
			path := filepath.Join(invalidDir, e.file)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			doc, rep := readFixture(t, path, asset.ReadOptions{Validate: true})

			// The fixture breaks exactly one rule, and that rule is reported
			// once, at the expected place, with the expected severity.
			require.Len(t, rep.Issues, 1, "issues: %v", codesOf(rep.Issues))
			is := rep.Issues[0]
			assert.Equal(t, e.code, is.Code)
			assert.Equal(t, e.pointer, is.Pointer)
			assert.Equal(t, e.severity, is.Severity)
			assert.NotEmpty(t, is.Message)
			assert.GreaterOrEqual(t, is.Line, 1, "issues of Read carry the line")
			assert.LessOrEqual(t, is.Line, lineCount(data))

			// Rules that Check applies to the model are found without the
			// JSON as well; the others are decode-time rules, found by Read
			// even without validation.
			checked := asset.Check(&doc.Asset, asset.CheckOptions{})
			_, fromCheck := findIssue(checked.Issues, e.code, e.pointer)
			if fromCheck {
				require.Len(t, checked.Issues, 1, "issues: %v", codesOf(checked.Issues))
				assert.Zero(t, checked.Issues[0].Line, "Check does not know lines")
			} else {
				_, plain := readFixture(t, path, asset.ReadOptions{})
				_, ok := findIssue(plain.Issues, e.code, e.pointer)
				assert.True(t, ok, "neither Check nor Read without validation reports %s; got %v", e.code, codesOf(plain.Issues))
			}

			if e.severity == ota.Error {
				assert.True(t, rep.HasErrors())
				errs := map[string]error{"Report.Err": rep.Err()}
				if fromCheck {
					errs["Validate"] = asset.Validate(&doc.Asset, asset.CheckOptions{})
				}
				for name, err := range errs {
					var ve *ota.ValidationError
					require.True(t, errors.As(err, &ve), "%s returns %T, want *ota.ValidationError", name, err)
					causes := ve.Unwrap()
					require.NotEmpty(t, causes, name)
					var first ota.Issue
					require.True(t, errors.As(causes[0], &first), name)
					assert.Equal(t, e.code, first.Code, name)
					assert.Contains(t, err.Error(), e.code, name)
				}
			} else {
				assert.False(t, rep.HasErrors())
				assert.NoError(t, rep.Err())
				assert.NoError(t, asset.Validate(&doc.Asset, asset.CheckOptions{}))
				assert.Len(t, rep.Warnings(), 1)
			}
		})
	}
}

func mustMarshal(doc *asset.Document) []byte {
	b, err := asset.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

func TestInvalidFixturesAllListed(t *testing.T) {
	exps := readExpectations(t)
	listed := map[string]int{}
	for _, e := range exps {
		listed[e.file]++
		assert.Equal(t, 1, listed[e.file], "expect.tsv:%d: %s is listed twice", e.line, e.file)
		_, err := os.Stat(filepath.Join(invalidDir, e.file))
		assert.NoError(t, err, "expect.tsv:%d names a missing file", e.line)
		// Files are named after their code, with --N for variants.
		base := strings.TrimSuffix(e.file, ".ota.json")
		if i := strings.Index(base, "--"); i >= 0 {
			base = base[:i]
		}
		assert.Equal(t, e.code, base, "expect.tsv:%d: the file is not named after its code", e.line)
		if e.severity == ota.Warning {
			assert.False(t, e.schema, "expect.tsv:%d: a warning-only document is valid, so no schema rejects it", e.line)
		}
	}
	for _, f := range fixtures(t, invalidDir) {
		assert.Contains(t, listed, filepath.Base(f), "%s has no line in expect.tsv", f)
	}
	assert.GreaterOrEqual(t, len(exps), 45)
}

// codeLiteral matches an issue code written as a Go string literal.
var codeLiteral = regexp.MustCompile(`"(asset\.[a-z0-9-]+(?:\.[a-z0-9-]+)+)"`)

// TestEveryCodeHasAFixture reads the codes the package's source can report
// (check.go, decode.go and any other file) and requires a fixture for each,
// so that a new rule cannot be added without one.
func TestEveryCodeHasAFixture(t *testing.T) {
	covered := map[string]bool{}
	for _, e := range readExpectations(t) {
		covered[e.code] = true
	}
	sources, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var codes []string
	for _, src := range sources {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		data, err := os.ReadFile(src)
		require.NoError(t, err)
		for _, m := range codeLiteral.FindAllSubmatch(data, -1) {
			codes = append(codes, string(m[1]))
		}
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	require.GreaterOrEqual(t, len(codes), 50, "the code scan found too few codes: %v", codes)
	for _, c := range codes {
		assert.True(t, covered[c], "no invalid fixture triggers %s", c)
	}
	for c := range covered {
		assert.Contains(t, codes, c, "expect.tsv names a code that the package never reports")
	}
}

func TestValidFixtures(t *testing.T) {
	for _, path := range fixtures(t, validDir) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			doc, rep := readFixture(t, path, asset.ReadOptions{Validate: true})
			assert.Empty(t, rep.Errors(), "errors: %v", codesOf(rep.Errors()))
			assert.NoError(t, rep.Err())
			for _, w := range rep.Warnings() {
				assert.Equal(t, "asset.json.unknown-member", w.Code, "unexpected warning %v", w)
			}
			assert.NoError(t, asset.Validate(&doc.Asset, asset.CheckOptions{}))
			assert.Equal(t, asset.FormatVersion, doc.Format)
			assert.NotEmpty(t, doc.Asset.License, "a realistic fixture says how it may be reused")
		})
	}
}

func TestValidFixturesAreRealistic(t *testing.T) {
	all := map[string]*asset.Document{}
	for _, path := range fixtures(t, validDir) {
		doc, _ := readFixture(t, path, asset.ReadOptions{})
		all[filepath.Base(path)] = doc
	}
	require.GreaterOrEqual(t, len(all), 8)

	git := all["git-for-official-statistics.ota.json"]
	require.NotNil(t, git)
	assert.Equal(t, "CC-BY-4.0", git.Asset.License)
	assert.Equal(t, "Git for Official Statistics", git.Asset.Title["en"])
	var unece bool
	for _, c := range git.Asset.Contributors {
		if c.Type == asset.Organization && slices.Contains(c.Roles, asset.RolePublisher) && strings.Contains(c.Name, "Economic Commission for Europe") {
			unece = true
		}
	}
	assert.True(t, unece, "UNECE publishes the Git lesson set")
	var gsbpm, digcomp bool
	for _, o := range git.Asset.Objectives {
		for _, al := range o.Alignments {
			gsbpm = gsbpm || al.Framework == "gsbpm" && al.Version == "5.1" && al.Code == "5.3"
			digcomp = digcomp || al.Framework == "digcomp" && al.Code == "3.4" && al.Level == "4"
		}
	}
	assert.True(t, gsbpm && digcomp, "objectives align to GSBPM 5.1 5.3 and DigComp 3.4 level 4")

	es := all["git-for-official-statistics-es.ota.json"]
	require.NotNil(t, es)
	assert.Contains(t, es.Asset.Relations, asset.Relation{Type: asset.IsTranslationOf, Target: git.Asset.ID})

	depth := 0
	for ptr := range all["data-science-programme.ota.json"].Asset.All() {
		depth = max(depth, strings.Count(ptr, "/parts/"))
	}
	assert.GreaterOrEqual(t, depth, 4, "the programme nests four levels below the root")

	assert.Equal(t, asset.KindActivity, all["single-activity.ota.json"].Asset.Kind)
	assert.Empty(t, all["single-activity.ota.json"].Asset.Parts)

	sdmx := all["sdmx-fundamentals-fr-en.ota.json"].Asset
	assert.Equal(t, []string{"fr", "en"}, sdmx.Languages)
	assert.NotEmpty(t, sdmx.Title["fr"])
	assert.NotEmpty(t, sdmx.Title["en"])
}

func TestPolicy(t *testing.T) {
	t.Run("warning to error through ReadOptions", func(t *testing.T) {
		path := filepath.Join(invalidDir, "asset.license.missing.ota.json")
		_, rep := readFixture(t, path, asset.ReadOptions{Validate: true})
		require.NoError(t, rep.Err())

		policy := ota.Policy{"asset.license.missing": ota.Error}
		_, rep = readFixture(t, path, asset.ReadOptions{Validate: true, Check: asset.CheckOptions{Policy: policy}})
		require.Len(t, rep.Issues, 1)
		assert.Equal(t, ota.Error, rep.Issues[0].Severity)
		var ve *ota.ValidationError
		require.ErrorAs(t, rep.Err(), &ve)
		assert.Len(t, ve.Unwrap(), 1)
	})
	t.Run("warning to error through Check and Validate", func(t *testing.T) {
		doc, _ := readFixture(t, filepath.Join(invalidDir, "asset.license.missing.ota.json"), asset.ReadOptions{})
		policy := ota.Policy{"asset.license.missing": ota.Error}
		rep := asset.Check(&doc.Asset, asset.CheckOptions{Policy: policy})
		require.Len(t, rep.Issues, 1)
		assert.Equal(t, ota.Error, rep.Issues[0].Severity)
		assert.Error(t, asset.Validate(&doc.Asset, asset.CheckOptions{Policy: policy}))
		assert.NoError(t, asset.Validate(&doc.Asset, asset.CheckOptions{}))
	})
	t.Run("ignore a whole family", func(t *testing.T) {
		path := filepath.Join(validDir, "extensions-and-unknown-members.ota.json")
		_, rep := readFixture(t, path, asset.ReadOptions{Validate: true})
		require.Len(t, rep.Warnings(), 8)
		_, rep = readFixture(t, path, asset.ReadOptions{Validate: true, Check: asset.CheckOptions{Policy: ota.Policy{"asset.json": ota.Ignore}}})
		assert.Empty(t, rep.Issues)

		// Decode-time errors are subject to the policy too.
		path = filepath.Join(invalidDir, "asset.json.wrong-type.ota.json")
		_, rep = readFixture(t, path, asset.ReadOptions{Validate: true, Check: asset.CheckOptions{Policy: ota.Policy{"asset.json": ota.Ignore}}})
		assert.Empty(t, rep.Issues)
		assert.NoError(t, rep.Err())
	})
	t.Run("error to warning", func(t *testing.T) {
		policy := ota.Policy{"asset.resource": ota.Warning}
		for _, name := range []string{"asset.resource.path-absolute.ota.json", "asset.resource.sha256-invalid.ota.json"} {
			doc, rep := readFixture(t, filepath.Join(invalidDir, name), asset.ReadOptions{Validate: true, Check: asset.CheckOptions{Policy: policy}})
			require.Len(t, rep.Issues, 1, name)
			assert.Equal(t, ota.Warning, rep.Issues[0].Severity, name)
			assert.NoError(t, rep.Err(), name)
			assert.NoError(t, asset.Validate(&doc.Asset, asset.CheckOptions{Policy: policy}), name)
		}
	})
	t.Run("longest key wins", func(t *testing.T) {
		doc, _ := readFixture(t, filepath.Join(invalidDir, "asset.license.invalid.ota.json"), asset.ReadOptions{})
		policy := ota.Policy{"asset": ota.Ignore, "asset.license.invalid": ota.Info}
		rep := asset.Check(&doc.Asset, asset.CheckOptions{Policy: policy})
		require.Len(t, rep.Issues, 1)
		assert.Equal(t, ota.Info, rep.Issues[0].Severity)
		assert.NoError(t, rep.Err())
	})
}

func TestCycleMessageNamesEveryAsset(t *testing.T) {
	t.Run("fixtures", func(t *testing.T) {
		for _, name := range []string{"asset.prerequisite.cycle.ota.json", "asset.prerequisite.cycle--2.ota.json"} {
			doc, rep := readFixture(t, filepath.Join(invalidDir, name), asset.ReadOptions{Validate: true})
			require.Len(t, rep.Issues, 1, name)
			msg := rep.Issues[0].Message
			n := 0
			for _, x := range doc.Asset.All() {
				if len(x.Prerequisites) > 0 {
					assert.Contains(t, msg, x.ID, name)
					n++
				}
			}
			assert.GreaterOrEqual(t, n, 2, name)
		}
	})
	t.Run("four assets in a module", func(t *testing.T) {
		ids := []string{
			asset.DeriveID("test", "cycle", "a"), asset.DeriveID("test", "cycle", "b"),
			asset.DeriveID("test", "cycle", "c"), asset.DeriveID("test", "cycle", "d"),
		}
		root := asset.Asset{ID: asset.DeriveID("test", "cycle"), Kind: asset.KindModule, Title: asset.LangString{"en": "Cycles"}, License: "CC0-1.0"}
		for i, id := range ids {
			root.Parts = append(root.Parts, asset.Asset{
				ID: id, Kind: asset.KindLesson, Title: asset.LangString{"en": fmt.Sprint("Lesson ", i)},
				Prerequisites: []string{ids[(i+1)%len(ids)]},
			})
		}
		rep := asset.Check(&root, asset.CheckOptions{})
		require.Len(t, rep.Issues, 1, "one cycle, reported once: %v", codesOf(rep.Issues))
		is := rep.Issues[0]
		assert.Equal(t, "asset.prerequisite.cycle", is.Code)
		assert.Equal(t, "/parts/0/prerequisites", is.Pointer)
		for _, id := range ids {
			assert.Contains(t, is.Message, id)
		}
		// The path is given in order and closes on its start.
		assert.Contains(t, is.Message, strings.Join(append(ids, ids[0]), " → "))
	})
}

func TestDuplicateIDMessageNamesFirstHolder(t *testing.T) {
	for name, first := range map[string]string{
		"asset.id.duplicate.ota.json":    "/parts/0",
		"asset.id.duplicate--2.ota.json": "the root",
	} {
		t.Run(name, func(t *testing.T) {
			doc, rep := readFixture(t, filepath.Join(invalidDir, name), asset.ReadOptions{Validate: true})
			require.Len(t, rep.Issues, 1)
			assert.Contains(t, rep.Issues[0].Message, first)
			x, ptr := doc.Asset.Find(doc.Asset.Parts[len(doc.Asset.Parts)-1].ID)
			require.NotNil(t, x)
			assert.Equal(t, strings.TrimPrefix(first, "the root"), ptr, "Find returns the first holder")
		})
	}
}

// messy returns a tree that breaks many rules at once, several of them
// inside maps (extension keys, text and keyword languages), whose iteration
// order is random unless the checker sorts.
func messy() asset.Asset {
	a := asset.Asset{
		ID:          "not-an-iri",
		Kind:        "workshop",
		Title:       asset.LangString{"en_GB": "", "fr_FR": "", "de_DE": "", "xx": "", "en": "Messy"},
		Description: asset.LangString{"en": " ", "es": "", "pt": "", "it": ""},
		Keywords:    asset.LangList{"en": {"", ""}, "fr": {""}, "de": {""}, "q_Q": {"x"}},
		Languages:   []string{"xx", "en", "EN", "qq_QQ"},
		License:     "CC-BY",
		Level:       "beginner",
		Contributors: []asset.Contributor{
			{Type: "institution", Roles: []asset.Role{"creator"}, ID: "orcid", Email: "nobody"},
		},
		Resources: []asset.Resource{
			{Path: "/abs"}, {Path: `a\b`}, {Path: "../up"}, {Path: "/abs"},
			{Path: "x", SHA256: "ABC", Role: "main", MediaType: "html", Size: -4},
		},
		Relations:     []asset.Relation{{}, {Type: "x", Target: "y"}},
		Prerequisites: []string{"", "not-an-iri", "nowhere"},
		Created:       "yesterday",
		Modified:      "today",
		Extensions:    map[string]json.RawMessage{},
		Parts: []asset.Asset{
			{ID: "urn:uuid:bad", Kind: "course", Title: asset.LangString{"en": "A"}},
			{ID: "urn:uuid:bad", Title: asset.LangString{"en": "B"}},
		},
	}
	for _, k := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"} {
		a.Extensions[k] = json.RawMessage(`{"v":1}`)
	}
	return a
}

func TestIssueOrderDeterministic(t *testing.T) {
	a := messy()
	first := asset.Check(&a, asset.CheckOptions{}).Issues
	require.Greater(t, len(first), 30)
	for range 20 {
		again := asset.Check(&a, asset.CheckOptions{}).Issues
		require.Equal(t, codesOf(first), codesOf(again), "Check must report issues in the same order every time")
		require.Equal(t, first, again)
	}

	data := mustMarshal(asset.NewDocument(a))
	_, rep, err := asset.Unmarshal(data, asset.ReadOptions{Validate: true})
	require.NoError(t, err)
	for range 20 {
		_, again, err := asset.Unmarshal(data, asset.ReadOptions{Validate: true})
		require.NoError(t, err)
		require.Equal(t, codesOf(rep.Issues), codesOf(again.Issues), "Read must report issues in the same order every time")
		require.Equal(t, rep.Issues, again.Issues)
	}
}

func TestCheckIssuesInTreeOrder(t *testing.T) {
	// Issues come in tree order: the root's before its parts', parts in order.
	a := asset.Asset{
		ID: "urn:uuid:0b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", Kind: asset.KindCourse, Title: asset.LangString{"en": "Order"},
		License: "CC-BY-4.0", Level: "beginner",
		Parts: []asset.Asset{
			{ID: "urn:uuid:1b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", Kind: asset.KindModule, Title: asset.LangString{"en": "M"}, Level: "novice",
				Parts: []asset.Asset{{ID: "urn:uuid:2b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", Kind: asset.KindLesson, Title: asset.LangString{"en": "L"}, Level: "guru"}}},
			{ID: "urn:uuid:3b0f5c4e-0c1a-4d0e-9a43-6f1c2d9a8e11", Kind: asset.KindModule, Title: asset.LangString{"en": "N"}, Level: "master"},
		},
	}
	var ptrs []string
	for _, is := range asset.Check(&a, asset.CheckOptions{}).Issues {
		require.Equal(t, "asset.level.unknown", is.Code)
		ptrs = append(ptrs, is.Pointer)
	}
	assert.Equal(t, []string{"/level", "/parts/0/level", "/parts/0/parts/0/level", "/parts/1/level"}, ptrs)
}

func TestValidateNilForValidTree(t *testing.T) {
	a := asset.Asset{ID: asset.NewID(), Kind: asset.KindLesson, Title: asset.LangString{"en": "SDMX"}, License: "CC-BY-4.0"}
	assert.NoError(t, asset.Validate(&a, asset.CheckOptions{}))
	assert.Empty(t, asset.Check(&a, asset.CheckOptions{}).Issues)

	// Warnings alone do not make a tree invalid.
	a.License = ""
	assert.NoError(t, asset.Validate(&a, asset.CheckOptions{}))
	assert.Len(t, asset.Check(&a, asset.CheckOptions{}).Warnings(), 1)
}

func TestReadIssuesCarryLines(t *testing.T) {
	// The issue's line is the line of the offending value.
	for name, value := range map[string]string{
		"asset.level.unknown.ota.json":            `"beginner"`,
		"asset.resource.sha256-invalid.ota.json":  `"CDE42222`,
		"asset.contributor.role-unknown.ota.json": `"creator"`,
		"asset.duration.invalid.ota.json":         `"45 minutes"`,
		"asset.json.wrong-type--4.ota.json":       `"ota": 1.0`,
		"asset.json.unknown-member--2.ota.json":   `"orcid"`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(invalidDir, name)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			_, rep := readFixture(t, path, asset.ReadOptions{Validate: true})
			require.Len(t, rep.Issues, 1)
			want := 0
			for i, l := range strings.Split(string(data), "\n") {
				if strings.Contains(l, value) {
					want = i + 1
					break
				}
			}
			require.NotZero(t, want, "%s not found", value)
			assert.Equal(t, want, rep.Issues[0].Line)
		})
	}
}
