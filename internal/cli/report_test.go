package cli_test

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/cli"
)

// caseFixture is a valid CASE package of the framework package's tests.
var caseFixture = filepath.Join("..", "..", "framework", "casepkg", "testdata", "case", "gsbpm-training.json")

// lessonFixture is the small Workbench lesson of examples/gitcourse.
var lessonFixture = filepath.Join("..", "..", "examples", "gitcourse", "testdata", "lesson")

// lossLineRE is a loss line of convert: "PATH: lost CODE …".
var lossLineRE = regexp.MustCompile(`^(.+?): lost ([a-z0-9]+\.lost\.[a-z0-9.-]+)( ×(\d+))?[: ]`)

func TestConvertCASE(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "framework.json")
	r := run(t, nil, "convert", caseFixture, out)
	require.Equal(t, cli.ExitOK, r.code, r)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var fw framework.Framework
	require.NoError(t, json.Unmarshal(data, &fw))
	assert.Equal(t, "GSBPM-aligned training curriculum", fw.Title["en"])
	assert.Len(t, fw.Nodes, 12)
	for _, l := range lines(r.stderr) {
		assert.Regexp(t, lossLineRE, l, "only loss lines, each with its code")
	}

	r = run(t, nil, "convert", caseFixture, "-", "--to", "json")
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Equal(t, string(data), r.stdout, "the same JSON on standard output")

	for _, to := range []string{"ota", "scorm12", "cmi5"} {
		out := filepath.Join(dir, "x."+to)
		r := run(t, nil, "convert", caseFixture, out, "--to", to)
		assert.Equal(t, cli.ExitUsage, r.code, r)
		assert.Contains(t, r.stderr, "converts to OTA's framework JSON only")
		assert.NoFileExists(t, out)
	}
}

func TestCASEValidation(t *testing.T) {
	var pkg map[string]any
	data, err := os.ReadFile(caseFixture)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &pkg))
	dest := pkg["CFAssociations"].([]any)[1].(map[string]any)["destinationNodeURI"].(map[string]any)
	dest["identifier"] = "00000000-1111-4222-8333-444444444444"
	dest["uri"] = "https://training.statistik.example.eu/case/v1p1/CFItems/00000000-1111-4222-8333-444444444444"
	dangling := filepath.Join(t.TempDir(), "dangling.json")
	data, err = json.Marshal(pkg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dangling, data, 0o644))

	r := run(t, nil, "validate", dangling)
	assert.Equal(t, cli.ExitInvalid, r.code, r)
	assert.Contains(t, r.stdout, "error case.association.destination-dangling at /CFAssociations/1/destinationNodeURI")
	r = run(t, nil, "validate", dangling, "--severity", "case.association=warning")
	assert.Equal(t, cli.ExitOK, r.code, r)

	out := filepath.Join(t.TempDir(), "f.json")
	r = run(t, nil, "convert", dangling, out)
	assert.Equal(t, cli.ExitInvalid, r.code, r)
	assert.NoFileExists(t, out, "nothing is written from a framework with errors")
}

// TestConvertToJSONSaysFilesAreNotWritten: OTA JSON holds no files, so a
// package, bundle or lesson converted to it reports, in one loss line,
// how many files were left out and how to keep them.
func TestConvertToJSONSaysFilesAreNotWritten(t *testing.T) {
	pkg := referencePackage(t, "golf_scorm12_multisco_onefilepersco.zip")
	dir := t.TempDir()
	tests := []struct {
		name, src string
	}{
		{"SCORM package", pkg},
		{"lesson", lessonFixture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			r := run(t, nil, "convert", tt.src, out)
			require.Equal(t, cli.ExitOK, r.code, r)
			doc := readDoc(t, out)
			files := map[string]bool{}
			for _, a := range doc.Asset.All() {
				for _, res := range a.Resources {
					files[res.Path] = true
				}
			}
			require.NotEmpty(t, files)
			var found []string
			for _, l := range lines(r.stderr) {
				if strings.Contains(l, "ota.lost.content-files") {
					found = append(found, l)
				}
			}
			require.Len(t, found, 1, "one line:\n%s", r.stderr)
			assert.Contains(t, found[0], out+": lost ota.lost.content-files at /: ")
			assert.Contains(t, found[0], plural(len(files), "content file"))
			assert.Contains(t, found[0], "--to ota")

			r = run(t, nil, "convert", tt.src, out, "--strict")
			assert.Equal(t, cli.ExitInvalid, r.code, "--strict counts the loss")
		})
	}

	t.Run("document into its own folder", func(t *testing.T) {
		r := run(t, nil, "convert", validDoc, filepath.Join("testdata", "valid.copy.ota.json"))
		t.Cleanup(func() { os.Remove(filepath.Join("testdata", "valid.copy.ota.json")) })
		require.Equal(t, cli.ExitOK, r.code, r)
		assert.NotContains(t, r.stderr, "ota.lost.content-files")
	})
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return strconv.Itoa(n) + " " + s + "s"
}

func readDoc(t *testing.T, p string) *asset.Document {
	t.Helper()
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	doc, _, err := asset.Read(f, asset.ReadOptions{})
	require.NoError(t, err)
	return doc
}

// withoutFile copies a zip leaving one entry out.
func withoutFile(t *testing.T, src, drop string) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	require.NoError(t, err)
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "stale.zip")
	f, err := os.Create(out)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	dropped := false
	for _, e := range zr.File {
		if e.Name == drop {
			dropped = true
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate})
		require.NoError(t, err)
		rc, err := e.Open()
		require.NoError(t, err)
		_, err = io.Copy(w, rc)
		require.NoError(t, err)
		rc.Close()
	}
	require.True(t, dropped, "%s is not in %s", drop, src)
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return out
}

// TestStaleFileEntry: a package whose manifest lists a file it lacks
// (here a JPEG of a SCO, not its launch file) still launches, so inspect
// and convert read it with a warning; validate reports the error; and
// --severity changes that the same way for each command.
func TestStaleFileEntry(t *testing.T) {
	pkg := withoutFile(t, referencePackage(t, "golf_scorm2004_3rd_metadata.zip"), "Etiquette/distracting.jpg")
	dir := t.TempDir()

	r := run(t, nil, "inspect", pkg)
	assert.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stderr, "warning scorm.file.missing")
	assert.Contains(t, r.stderr, "Etiquette/distracting.jpg")

	for _, to := range []string{"ota", "scorm2004-3", "cmi5"} {
		out := filepath.Join(dir, "out."+to)
		r := run(t, nil, "convert", pkg, out, "--to", to)
		assert.Equal(t, cli.ExitOK, r.code, r)
		assert.FileExists(t, out)
		assert.Contains(t, r.stderr, "warning scorm.file.missing")
	}

	r = run(t, nil, "validate", pkg)
	assert.Equal(t, cli.ExitInvalid, r.code, r)
	assert.Contains(t, r.stdout, "error scorm.file.missing")
	r = run(t, nil, "validate", pkg, "--severity", "scorm.file.missing=warning")
	assert.Equal(t, cli.ExitOK, r.code, r)

	r = run(t, nil, "inspect", pkg, "--severity", "scorm.file.missing=error")
	assert.Equal(t, cli.ExitInvalid, r.code, r)
	out := filepath.Join(dir, "strict.ota")
	r = run(t, nil, "convert", "--severity", "scorm.file=error", pkg, out)
	assert.Equal(t, cli.ExitInvalid, r.code, r)
	assert.NoFileExists(t, out)
}

// TestLossesGrouped: convert prints one line per kind of loss, with the
// count and a few examples; --losses all prints every loss, each with its
// code.
func TestLossesGrouped(t *testing.T) {
	pkg := referencePackage(t, "golf_scorm12_multisco_onefilepersco.zip")
	out := filepath.Join(t.TempDir(), "c.zip")
	grouped := run(t, nil, "convert", pkg, out, "--to", "cmi5")
	require.Equal(t, cli.ExitOK, grouped.code, grouped)
	all := run(t, nil, "convert", pkg, out, "--to", "cmi5", "--losses", "all")
	require.Equal(t, cli.ExitOK, all.code, all)

	perCode := map[string]int{}
	for _, l := range lines(all.stderr) {
		m := lossLineRE.FindStringSubmatch(l)
		require.NotNil(t, m, "a loss line without a code: %s", l)
		assert.Empty(t, m[3], "--losses all prints no counts")
		perCode[m[2]]++
	}
	require.Greater(t, len(lines(all.stderr)), 30, "the 18 AUs lose their kind and extension each")
	seen := map[string]int{}
	for _, l := range lines(grouped.stderr) {
		m := lossLineRE.FindStringSubmatch(l)
		require.NotNil(t, m, "a loss line without a code: %s", l)
		n := 1
		if m[4] != "" {
			n = atoi(t, m[4])
			assert.Contains(t, l, " — ", "a grouped line gives examples")
		}
		seen[m[2]] += n
		if n > 3 {
			assert.Contains(t, l, "more (--losses all lists each)")
		}
	}
	assert.Equal(t, perCode, seen, "the grouped counts add up to every loss")
	assert.Len(t, lines(grouped.stderr), len(perCode), "one line per code")
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

// TestQuiet: what needs no action stays out of the way: the missing
// licence of a SCORM or cmi5 import is an info line, shown with --verbose
// only; an unknown total duration is said in words; a lesson's issues name
// the file and line they are at.
func TestQuiet(t *testing.T) {
	pkg := referencePackage(t, "golf_scorm12_multisco_onefilepersco.zip")
	r := run(t, nil, "inspect", pkg)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.NotContains(t, r.stderr, "asset.license.missing")
	assert.NotContains(t, r.stdout, "PT0S")
	assert.Contains(t, r.stdout, "total duration unknown")

	r = run(t, nil, "convert", pkg, filepath.Join(t.TempDir(), "c.ota"))
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.NotContains(t, r.stderr, "license")
	r = run(t, nil, "validate", pkg)
	assert.NotContains(t, r.stdout, "license")
	r = run(t, nil, "validate", "--verbose", pkg)
	assert.Contains(t, r.stdout, "info asset.license.missing")
	r = run(t, nil, "validate", pkg, "--severity", "asset.license.missing=warning")
	assert.Contains(t, r.stdout, "warning asset.license.missing", "the user's severity wins")

	r = run(t, nil, "validate", noLicenseDoc)
	assert.Contains(t, r.stdout, "warning asset.license.missing", "an OTA document can say its licence, so it is still a warning")

	lesson := filepath.Join("..", "..", "..", "shared", "reference", "lessons", "ModernStats_Git")
	if _, err := os.Stat(lesson); err != nil {
		t.Skipf("the reference lesson is absent: %v", err)
	}
	r = run(t, nil, "validate", lesson)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, filepath.Join(lesson, "episodes", "05-track_changes.md")+":143: warning lesson.link.undefined-reference")
}

// goAPIName matches Go identifiers of the API in a message: option fields
// ("ReadOptions.MaxBytes"), functions ("asset.NewID", "Downgrade").
var goAPIName = regexp.MustCompile(`\b[A-Z][A-Za-z]*Options\.[A-Z]|\basset\.[A-Z][A-Za-z]+\b|\bDowngrade\b|\bDeriveID\b`)

// TestNoGoNamesInMessages runs commands whose messages once named Go API
// and checks that none does.
func TestNoGoNamesInMessages(t *testing.T) {
	dir := t.TempDir()
	noID := filepath.Join(dir, "noid.ota.json")
	require.NoError(t, os.WriteFile(noID, []byte(`{"ota":"1.0","kind":"course","title":{"en":"x"}}`), 0o644))
	v2 := filepath.Join(dir, "v2.json")
	require.NoError(t, os.WriteFile(v2, []byte(`{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/a"},"version":"2.0.0","context":{"contextAgents":[]}}`), 0o644))
	snap := filepath.Join(dir, "snap.json")
	require.NoError(t, os.WriteFile(snap, []byte(`{"cmi.core.lesson_status":"passed"}`), 0o644))
	golf := referencePackage(t, "golf_scorm12_multisco_onefilepersco.zip")
	for _, args := range [][]string{
		{"validate", noID},
		{"validate", v2},
		{"xapi", "from-scorm", "--package", golf, "--item", "playing_playing_item", "--cmi", snap},
	} {
		r := run(t, nil, args...)
		assert.NotRegexp(t, goAPIName, r.stdout+r.stderr, "%v", args)
		assert.NotEqual(t, cli.ExitOK, r.code, "%v: the input has a problem to report\n%s", args, r)
	}
}

// TestDocumentFilesNotBeside: an OTA document whose files are not in its
// folder converts to no package: one line says which files are missing and
// what to do, and nothing is written. With the files beside it, it
// converts.
func TestDocumentFilesNotBeside(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "course.ota.json")
	r := run(t, nil, "convert", lessonFixture, doc)
	require.Equal(t, cli.ExitOK, r.code, r)

	out := filepath.Join(dir, "c.zip")
	r = run(t, nil, "convert", doc, out, "--to", "scorm2004-4")
	assert.Equal(t, cli.ExitUsage, r.code, r)
	require.Len(t, lines(r.stderr), 1, "one line:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "files its resources name are not beside it")
	assert.Contains(t, r.stderr, "convert the OTA bundle (.ota)")
	assert.NoFileExists(t, out)

	// A bundle of the same name beside it is named.
	r = run(t, nil, "convert", lessonFixture, filepath.Join(dir, "course.ota"))
	require.Equal(t, cli.ExitOK, r.code, r)
	r = run(t, nil, "convert", doc, out, "--to", "cmi5")
	assert.Equal(t, cli.ExitUsage, r.code, r)
	assert.Contains(t, r.stderr, "convert "+filepath.Join(dir, "course.ota")+", the bundle beside it")

	// The bundle converts, and so does the document once its files are
	// beside it.
	r = run(t, nil, "convert", filepath.Join(dir, "course.ota"), out, "--to", "scorm2004-4")
	require.Equal(t, cli.ExitOK, r.code, r)
	zr, err := zip.OpenReader(filepath.Join(dir, "course.ota"))
	require.NoError(t, err)
	defer zr.Close()
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "content/")
		if !ok || f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	r = run(t, nil, "convert", doc, out, "--to", "scorm2004-4")
	assert.Equal(t, cli.ExitOK, r.code, r)
}
