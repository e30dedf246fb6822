package scorm

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/packaging/archive"
)

// TestPackageContent: a Package opened from a folder serves its files
// through Content, verifies, and releases the folder on Close.
func TestPackageContent(t *testing.T) {
	p, rep, err := OpenFile("testdata/example", Options{})
	if err != nil || rep.HasErrors() {
		t.Fatalf("%v %v", err, rep.Errors())
	}
	first := p.Asset()
	if first == nil {
		t.Fatal("Asset is nil")
	}
	if second := p.Asset(); second != first {
		t.Fatal("Asset converts again on each call instead of returning the tree converted when opened")
	}
	for _, r := range p.Asset().Parts[0].Resources {
		if _, err := fs.Stat(p.Content(), r.Path); err != nil {
			t.Errorf("resource %s: %v", r.Path, err)
		}
	}
	if v := p.Verify(context.Background()); len(v.Issues) != 0 {
		t.Errorf("verify: %v", v.Issues)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := fs.ReadFile(p.Content(), "imsmanifest.xml"); err == nil {
		t.Error("Content still reads after Close")
	}
	if v := p.Verify(context.Background()); len(v.Issues) != 0 {
		t.Errorf("verify after Close: %v", v.Issues)
	}
}

// TestOpenFSLimits: the archive limits of the Options hold for a folder
// tree, and their error class is what errors.Is finds.
func TestOpenFSLimits(t *testing.T) {
	fsys := fstest.MapFS{"imsmanifest.xml": {Data: []byte(`<manifest identifier="m"/>`)}, "a.html": {}, "b.html": {}}
	_, rep, err := OpenFS(fsys, Options{Limits: archive.Limits{MaxEntries: 2}})
	if !errors.Is(err, ErrArchive) || !errors.Is(err, archive.ErrTooManyEntries) {
		t.Errorf("got %v, want ErrArchive and archive.ErrTooManyEntries", err)
	}
	if len(rep.Issues) != 1 || rep.Issues[0].Code != "scorm.package.rejected" {
		t.Errorf("report %v", rep.Issues)
	}
}
