package cmi5

import (
	"os"
	"path/filepath"
	"testing"
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
