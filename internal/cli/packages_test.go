package cli_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/cli"
)

// referencePackage returns the path of a SCORM package under
// ../shared/reference/packages, or skips the test when it is absent.
func referencePackage(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "reference", "packages", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference package %s not found (../shared/reference is absent): %v", name, err)
	}
	return p
}

func TestSCORMThroughTheCommand(t *testing.T) {
	pkg := referencePackage(t, "golf_scorm2004_4th_posttestrollup.zip")

	r := run(t, nil, "inspect", pkg)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, `course "Golf Explained - 4th Edition Features"`)
	assert.Contains(t, r.stdout, "6 assets, 5 leaves")

	r = run(t, nil, "validate", pkg)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "warning scorm.file.unlisted")
	assert.Contains(t, r.stdout, "1 valid, 0 invalid")

	// SCORM → bundle → verify → JSON: every file of the package travels.
	dir := t.TempDir()
	out := filepath.Join(dir, "golf.ota")
	r = run(t, nil, "convert", pkg, out)
	require.Equal(t, cli.ExitOK, r.code, r)
	r = run(t, nil, "verify", out)
	require.Equal(t, cli.ExitOK, r.code, r)
	r = run(t, nil, "inspect", "--format", "json", out)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, `"Golf Explained - 4th Edition Features"`)

	// A folder holding an imsmanifest.xml is a SCORM package too.
	assert.Equal(t, cli.ExitUsage, run(t, nil, "inspect", dir).code, "a folder without a manifest")
	assert.Equal(t, cli.ExitUsage, run(t, nil, "inspect", "--as", "scorm", "-").code, "zips are not read from stdin")
}

func TestCASEThroughTheCommand(t *testing.T) {
	doc := filepath.Join("..", "..", "framework", "casepkg", "testdata", "case", "nso-statistical-competency.json")
	r := run(t, nil, "validate", doc)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "1 valid, 0 invalid")

	r = run(t, nil, "inspect", doc)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "framework ")
	assert.Regexp(t, `\d+ nodes, \d+ associations, \d+ scales`, r.stdout)

	bad := filepath.Join("..", "..", "framework", "casepkg", "testdata", "case", "invalid", "dangling-association.json")
	assert.Equal(t, cli.ExitInvalid, run(t, nil, "validate", bad).code)
}

func TestCMI5ThroughTheCommand(t *testing.T) {
	doc := filepath.Join("..", "..", "..", "shared", "reference", "cmi5", "spec-examples", "complex-cmi5.xml")
	if _, err := os.Stat(doc); err != nil {
		t.Skipf("cmi5 reference material not found (../shared/reference is absent): %v", err)
	}
	r := run(t, nil, "inspect", doc)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "14 leaves")

	r = run(t, nil, "validate", doc)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "1 valid, 0 invalid")

	out := filepath.Join(t.TempDir(), "course.json")
	require.Equal(t, cli.ExitOK, run(t, nil, "convert", doc, out).code)
	require.FileExists(t, out)
}

// TestSCORMBundleSCORM: a SCORM package → an OTA bundle → a SCORM package
// of the same version keeps every file of the original, byte for byte,
// and the manifest's identifiers.
func TestSCORMBundleSCORM(t *testing.T) {
	for _, tc := range []struct{ pkg, to string }{
		{"golf_scorm12_multisco_onefilepersco.zip", "scorm12"},
		{"golf_scorm2004_3rd_metadata.zip", "scorm2004-3"},
		{"golf_scorm2004_3rd_runtimebasiccalls.zip", "scorm2004-3"},
		{"golf_scorm2004_4th_posttestrollup.zip", "scorm2004-4"},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			pkg := referencePackage(t, tc.pkg)
			dir := t.TempDir()
			bundle, back := filepath.Join(dir, "c.ota"), filepath.Join(dir, "back.zip")
			r := run(t, nil, "convert", pkg, bundle)
			require.Equal(t, cli.ExitOK, r.code, r)
			r = run(t, nil, "convert", bundle, back, "--to", tc.to)
			require.Equal(t, cli.ExitOK, r.code, r)

			orig, err := zip.OpenReader(pkg)
			require.NoError(t, err)
			defer orig.Close()
			got, err := zip.OpenReader(back)
			require.NoError(t, err)
			defer got.Close()
			n := 0
			for _, f := range orig.File {
				if strings.HasSuffix(f.Name, "/") || f.Name == "imsmanifest.xml" {
					continue
				}
				want, err := fs.ReadFile(orig, f.Name)
				require.NoError(t, err)
				have, err := fs.ReadFile(got, f.Name)
				if assert.NoError(t, err, "%s is lost", f.Name) {
					assert.True(t, bytes.Equal(want, have), "%s changed", f.Name)
				}
				n++
			}
			assert.Positive(t, n)
			r = run(t, nil, "inspect", back)
			require.Equal(t, cli.ExitOK, r.code, r)
			r0 := run(t, nil, "inspect", pkg)
			assert.Equal(t, r0.stdout, r.stdout, "the package reads back as the same tree")
		})
	}
}

func TestConvertPackagesUsage(t *testing.T) {
	src := filepath.Join("..", "..", "packaging", "scorm", "testdata", "export", "course", "course.ota.json")
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"scorm to stdout", []string{"convert", src, "-", "--to", "scorm12"}, cli.ExitUsage, "written to a file"},
		{"single-sco for json", []string{"convert", src, filepath.Join(dir, "x.json"), "--single-sco"}, cli.ExitUsage, "SCORM formats only"},
		{"schemas not a folder", []string{"convert", src, filepath.Join(dir, "x.zip"), "--to", "scorm12", "--schemas", src}, cli.ExitUsage, "not a folder"},
		{"unknown format", []string{"convert", src, filepath.Join(dir, "x.zip"), "--to", "scorm2004-2"}, cli.ExitUsage, "not a format"},
		{"scorm12", []string{"convert", src, filepath.Join(dir, "c12.zip"), "--to", "scorm12"}, cli.ExitOK, "lost"},
		{"scorm2004-4 single", []string{"convert", src, filepath.Join(dir, "c4.zip"), "--to", "scorm2004-4", "--single-sco"}, cli.ExitOK, ""},
		{"cmi5", []string{"convert", src, filepath.Join(dir, "c.cmi5.zip"), "--to", "cmi5"}, cli.ExitOK, "lost"},
		{"strict", []string{"convert", src, filepath.Join(dir, "s.zip"), "--to", "scorm2004-3", "--strict"}, cli.ExitInvalid, "prerequisites"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, tc.code, r.code, r)
			assert.Contains(t, r.stderr, tc.err)
		})
	}
	// What was written reads back as the kind it claims.
	for name, kind := range map[string]string{"c12.zip": "scorm", "c4.zip": "scorm", "c.cmi5.zip": "cmi5"} {
		r := run(t, nil, "validate", "--format", "json", filepath.Join(dir, name))
		require.Equal(t, cli.ExitOK, r.code, r)
		assert.Contains(t, r.stdout, `"kind": "`+kind+`"`)
	}
}

// TestLessonThroughTheCommand: a Workbench lesson folder is an input like
// any other: inspect prints its tree, and convert packages it for an LMS.
func TestLessonThroughTheCommand(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "reference", "lessons", "ModernStats_Git")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the reference lesson is absent (../shared/reference): %v", err)
	}
	r := run(t, nil, "inspect", dir)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, `course "Git for Official Statistics" PT3H40M`)
	assert.Contains(t, r.stdout, "19 assets, 16 leaves")
	assert.Contains(t, r.stdout, "license CC-BY-4.0")

	out := t.TempDir()
	for _, to := range []string{"scorm12", "scorm2004-4", "cmi5", "ota"} {
		name := filepath.Join(out, "git-"+to+".zip")
		r = run(t, nil, "convert", dir, name, "--to", to)
		require.Equal(t, cli.ExitOK, r.code, r)
		r = run(t, nil, "inspect", name)
		require.Equal(t, cli.ExitOK, r.code, "%s: %v", to, r)
		assert.Contains(t, r.stdout, "Tracking Changes", to)
	}
	// The bundle keeps the rendered pages and the figures.
	r = run(t, nil, "verify", filepath.Join(out, "git-ota.zip"))
	require.Equal(t, cli.ExitOK, r.code, r)
}

// TestFolderKinds: a package folder that also holds Markdown is read as
// the package, and a folder of Markdown as a lesson.
func TestFolderKinds(t *testing.T) {
	pkg := t.TempDir()
	src := filepath.Join("..", "..", "packaging", "scorm", "testdata", "export", "sco12")
	for _, f := range []string{"imsmanifest.xml", "content/sco.html", "content/notes.html"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(pkg, f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(pkg, f), data, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "README.md"), []byte("# Notes\n"), 0o644))
	r := run(t, nil, "validate", "--format", "json", pkg)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, `"kind": "scorm"`)

	md := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(md, "01-intro.md"), []byte("---\ntitle: Introduction\n---\n\nSome text.\n"), 0o644))
	r = run(t, nil, "validate", "--format", "json", md)
	assert.Contains(t, r.stdout, `"kind": "lesson"`, r)
}
