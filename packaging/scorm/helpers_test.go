package scorm

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/lom"
)

// buildZip writes files (name → content) into a zip, in sorted order.
func buildZip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := w.Create(n)
		require.NoError(t, err)
		_, err = f.Write([]byte(files[n]))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// openZip builds a zip from files and opens it.
func openZip(t testing.TB, files map[string]string, opts Options) (*Package, ota.Report, error) {
	t.Helper()
	b := buildZip(t, files)
	return Open(bytes.NewReader(b), int64(len(b)), opts)
}

func testdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// issueCodes lists the codes of issues with severity s.
func issueCodes(r ota.Report, s ota.Severity) []string {
	var out []string
	for _, is := range r.Issues {
		if is.Severity == s {
			out = append(out, is.Code)
		}
	}
	return out
}

// TestLOMNamespaces holds the exported namespace constants, written out so
// that go doc shows them, to the LOM writer's.
func TestLOMNamespaces(t *testing.T) {
	if NSLOM != lom.NSIEEE || NSIMSMD != lom.NSIMSMD {
		t.Errorf("NSLOM %q, NSIMSMD %q; the LOM writer uses %q and %q", NSLOM, NSIMSMD, lom.NSIEEE, lom.NSIMSMD)
	}
}
