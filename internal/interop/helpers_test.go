package interop_test

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metaacademy/ota/internal/interop"
)

// referencePackages are the SCORM packages in ../shared/reference/packages,
// with the <schemaversion> their manifests declare.
var referencePackages = []struct {
	zip, schemaversion string
}{
	{"golf_scorm12_multisco_onefilepersco.zip", "1.2"},
	{"golf_scorm2004_3rd_metadata.zip", "2004 3rd Edition"},
	{"golf_scorm2004_3rd_runtimebasiccalls.zip", "2004 3rd Edition"},
	{"golf_scorm2004_4th_posttestrollup.zip", "2004 4th Edition"},
}

// unpackReference unzips a reference package into a temporary folder and
// returns the folder. The reference zips are well-formed, so a plain unzip
// (with a guard against names leaving the folder) does.
func unpackReference(t *testing.T, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(interop.Reference(t, "packages/"+name))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, dir+string(filepath.Separator)) {
			t.Fatalf("%s: entry %q leaves the folder", name, f.Name)
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		copyEntry(t, f, dst)
	}
	return dir
}

func copyEntry(t *testing.T, f *zip.File, dst string) {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeFiles writes files (slash-separated name → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
