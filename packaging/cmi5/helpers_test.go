package cmi5

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota"
)

// referenceDir returns ../shared/reference/cmi5 beside the repository
// root (the folder holding go.mod), skipping the test when it is absent.
func referenceDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("skipping: no go.mod above the test directory, so ../shared/reference/cmi5 cannot be located")
		}
		dir = parent
	}
	ref := filepath.Join(dir, "..", "shared", "reference", "cmi5")
	if _, err := os.Stat(ref); err != nil {
		t.Skipf("skipping: the cmi5 reference material is absent (%s)", ref)
	}
	return ref
}

// openCourse opens the course at name with OpenFile, closes it and returns
// its course structure and report.
func openCourse(name string, opts Options) (*Course, ota.Report, error) {
	p, rep, err := OpenFile(name, opts)
	if err != nil {
		return nil, rep, err
	}
	_ = p.Close()
	return p.Course, rep, nil
}
