package archive

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referencePackages finds ../shared/reference/packages beside the
// repository root (the folder holding go.mod), or skips the test.
func referencePackages(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test folder; cannot locate ../shared")
		}
		dir = parent
	}
	pkgs := filepath.Join(dir, "..", "shared", "reference", "packages")
	if _, err := os.Stat(pkgs); err != nil {
		t.Skipf("reference packages not found at %s: %v", pkgs, err)
	}
	return pkgs
}

func TestReferencePackages(t *testing.T) {
	dir := referencePackages(t)
	tests := []struct {
		file           string
		entries, files int
	}{
		{"golf_scorm12_multisco_onefilepersco.zip", 49, 44},
		{"golf_scorm2004_3rd_metadata.zip", 80, 71},
		{"golf_scorm2004_3rd_runtimebasiccalls.zip", 78, 69},
		{"golf_scorm2004_4th_posttestrollup.zip", 64, 59},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("%s is missing: %v", path, err)
			}
			a, err := OpenFile(path, Limits{})
			require.NoError(t, err)
			defer func() { assert.NoError(t, a.Close()) }()
			entries := a.Entries()
			assert.Len(t, entries, tt.entries)
			assert.Empty(t, a.Skipped())
			files := fileNames(t, a)
			assert.Len(t, files, tt.files)
			for _, e := range entries {
				t.Logf("%-60s %8d %8d method %d dir %v", e.Name, e.Size, e.CompressedSize, e.Method, e.IsDir)
			}
			manifest, err := a.FindFile("imsmanifest.xml")
			require.NoError(t, err)
			assert.Equal(t, "imsmanifest.xml", manifest)
			n, err := readAll(a)
			require.NoError(t, err, "every file reads with a matching checksum")
			assert.Positive(t, n)

			// Extract, then read the folder back with the same checks.
			out := filepath.Join(t.TempDir(), "pkg")
			require.NoError(t, Extract(context.Background(), a, out, ExtractOptions{}))
			d, err := OpenFolder(out, Limits{})
			require.NoError(t, err)
			defer d.Close()
			assert.Equal(t, files, fileNames(t, d))
			for _, name := range files {
				want, err := a.ReadFile(name)
				require.NoError(t, err)
				got, err := d.ReadFile(name)
				require.NoError(t, err)
				assert.Equal(t, want, got, name)
			}
		})
	}
}
