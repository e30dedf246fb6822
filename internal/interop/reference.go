package interop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// ciEnv names the environment variable CI systems set (CI runs .ci/run with
// CI=true): with it, a missing tool fails a test instead of skipping it.
const ciEnv = "CI"

// inCI reports whether the CI environment variable is set to something other
// than a false value.
func inCI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(ciEnv))) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// unavailable skips the test with msg, or fails it under CI, where .ci/run
// installs every tool the tests need and a skip would hide a broken setup.
func unavailable(t testing.TB, msg string) {
	t.Helper()
	if inCI() {
		t.Fatalf("%s (CI is set: .ci/run installs this, so the test fails instead of skipping)", msg)
	}
	t.Skip(msg)
}

// repoRoot returns the repository root: the nearest folder holding go.mod,
// walking up from the working directory (a test runs in its package's
// folder).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod in the working directory or above it")
		}
		dir = parent
	}
}

// Reference returns the absolute path of ../shared/reference/<rel>, the
// read-only reference material beside the repository root (the folder with
// go.mod, found by walking up from the test's working directory). rel is a
// slash-separated path such as "packages/golf_scorm2004_3rd_runtimebasiccalls.zip"
// or "xsd/scorm12". The test is skipped with a message when the reference
// folder is absent; when the folder is there but rel is not, the test fails.
func Reference(t testing.TB, rel string) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("interop.Reference: %v", err)
	}
	base := filepath.Join(filepath.Dir(root), "shared", "reference")
	if st, err := os.Stat(base); err != nil || !st.IsDir() {
		t.Skipf("the reference material is absent: %s is not there (it is ../shared/reference beside the repository)", base)
	}
	p := filepath.Join(base, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("interop.Reference: %s is not in the reference material: %v", rel, err)
	}
	return p
}

// interopDir returns this package's folder, where the Node scripts and
// node_modules are: the source folder recorded at build time, or else (a
// -trimpath build) internal/interop under the repository root.
func interopDir() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Dir(file)
		if _, err := os.Stat(filepath.Join(dir, "scorm-run.mjs")); err == nil {
			return dir, nil
		}
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "internal", "interop")
	if _, err := os.Stat(filepath.Join(dir, "scorm-run.mjs")); err != nil {
		return "", fmt.Errorf("cannot find internal/interop/scorm-run.mjs: %w", err)
	}
	return dir, nil
}
