package scorm

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzManifest feeds arbitrary bytes to the manifest reader and the asset
// conversion, seeded from testdata/*.xml. Nothing may panic, and a
// returned Package must convert.
func FuzzManifest(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(billionLaughs))
	f.Add([]byte(deep(300)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"imsmanifest.xml": {Data: data},
			"index.html":      {Data: []byte("x")},
			"a b.html":        {Data: []byte("y")},
		}
		p, rep, err := OpenFS(fsys, Options{MaxDepth: 64})
		if err != nil {
			if p != nil || !rep.HasErrors() {
				t.Fatalf("error %v with a package or without an error issue", err)
			}
			return
		}
		a, _ := p.Asset()
		if a == nil && len(p.Organizations) > 0 {
			t.Fatal("organizations but no asset")
		}
		for _, r := range p.Resources {
			_ = p.ResourceFiles(r)
		}
	})
}
