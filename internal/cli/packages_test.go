package cli_test

import (
	"os"
	"path/filepath"
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
	doc := filepath.Join("..", "..", "framework", "testdata", "case", "nso-statistical-competency.json")
	r := run(t, nil, "validate", doc)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "1 valid, 0 invalid")

	r = run(t, nil, "inspect", doc)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "framework ")
	assert.Regexp(t, `\d+ nodes, \d+ associations, \d+ scales`, r.stdout)

	bad := filepath.Join("..", "..", "framework", "testdata", "case", "invalid", "dangling-association.json")
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
