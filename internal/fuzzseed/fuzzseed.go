// Package fuzzseed seeds fuzz targets from a package's test files.
package fuzzseed

import (
	"os"
	"path/filepath"
	"testing"
)

// Files adds the content of every file matching the patterns
// (filepath.Glob, relative to the package's folder) to f's seed corpus,
// in pattern then name order. It fails f when a pattern is malformed, a
// file cannot be read, or the patterns match no file at all: a seed
// corpus that went missing would leave the target exploring from nothing
// without a word.
func Files(f *testing.F, patterns ...string) {
	f.Helper()
	n := 0
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatalf("fuzz seeds %q: %v", pattern, err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatalf("fuzz seed: %v", err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no fuzz seeds match %q", patterns)
	}
}
