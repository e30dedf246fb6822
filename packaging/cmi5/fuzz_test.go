package cmi5

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/asset"
)

// FuzzParse feeds arbitrary bytes to Parse and maps whatever it returns
// to an asset tree: neither may panic, and a course comes back exactly
// when there is no error.
func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(head + au("https://e.org/a", `masteryScore="2" moveOn="x"`, `<url>a b</url>`) + `</courseStructure>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, rep, err := Parse(bytes.NewReader(data), Options{MaxBytes: 1 << 20, MaxElements: 10_000})
		if (c == nil) != (err != nil) {
			t.Fatalf("course %v with error %v", c != nil, err)
		}
		if c == nil {
			return
		}
		for _, is := range rep.Issues {
			if is.Code == "" || is.Pointer == "" {
				t.Fatalf("issue without code or pointer: %+v", is)
			}
		}
		a, _ := c.Asset()
		if a == nil || len(c.AUs())+len(c.Blocks()) != countAll(a)-1 {
			t.Fatalf("asset tree does not match the course")
		}
	})
}

func countAll(a *asset.Asset) int {
	n := 1
	for i := range a.Parts {
		n += countAll(&a.Parts[i])
	}
	return n
}
