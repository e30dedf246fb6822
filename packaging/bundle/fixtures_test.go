package bundle

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
)

// TestRoundTripFixtures bundles every valid OTA document of the asset
// package's testdata, with made-up content for each resource, and checks
// that the documents come back byte for byte and every file unchanged.
func TestRoundTripFixtures(t *testing.T) {
	paths, _ := filepath.Glob("../../asset/testdata/valid/*.ota.json")
	if len(paths) == 0 {
		t.Skip("no asset fixtures")
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			doc, _, err := asset.Read(f, asset.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			for _, a := range doc.Asset.All() {
				for _, r := range a.Resources {
					fsys[r.Path] = &fstest.MapFile{Data: []byte("content of " + r.Path + "\n")}
				}
			}
			b, err := openBytes(writeBundle(t, fsys, doc))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := asset.Marshal(doc)
			got, _ := asset.Marshal(b.Assets()[0])
			if !bytes.Equal(got, want) {
				t.Errorf("document changed:\n%s", got)
			}
			for name, mf := range fsys {
				data, err := fs.ReadFile(b.Content(), name)
				if err != nil || !bytes.Equal(data, mf.Data) {
					t.Errorf("%s: %v", name, err)
				}
			}
			for _, is := range b.Verify(context.Background()).Errors() {
				// Fixtures may declare sizes and digests of real files
				// that the made-up content cannot match.
				if is.Code != "bundle.resource.size-mismatch" && is.Code != "bundle.resource.digest-mismatch" {
					t.Error(is)
				}
			}
		})
	}
}
