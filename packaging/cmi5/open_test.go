package cmi5

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/packaging/archive"
)

const openTestStructure = `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
<course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">d</langstring></description></course>
<au id="https://example.org/c/au"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">d</langstring></description><url>au/index.html</url></au>
</courseStructure>`

// TestOpenFileLimits: OpenFile holds a zip to the archive limits of the
// Options (it used to open zips with the defaults whatever they said).
func TestOpenFileLimits(t *testing.T) {
	files := fstest.MapFS{"cmi5.xml": {Data: []byte(openTestStructure)}, "au/index.html": {Data: []byte("<p>au")}}
	var buf bytes.Buffer
	zipFS(t, &buf, files)
	name := filepath.Join(t.TempDir(), "c.zip")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenFile(name, Options{Limits: archive.Limits{MaxEntries: 1}}); !errors.Is(err, archive.ErrTooManyEntries) || !errors.Is(err, ErrArchive) {
		t.Errorf("OpenFile with MaxEntries 1: %v, want ErrArchive and archive.ErrTooManyEntries", err)
	}
	p, rep, err := OpenFile(name, Options{})
	if err != nil || rep.HasErrors() {
		t.Fatalf("%v %v", err, rep.Errors())
	}
	defer p.Close()

	t.Run("OpenFS", func(t *testing.T) {
		p, rep, err := OpenFS(files, Options{})
		if err != nil || rep.HasErrors() || p.Asset() == nil {
			t.Fatalf("%v %v", err, rep.Errors())
		}
		if _, _, err := OpenFS(fstest.MapFS{"au.html": {}}, Options{}); !errors.Is(err, ErrNoCourseStructure) {
			t.Errorf("a folder without cmi5.xml: %v", err)
		}
	})
}

// zipFS writes the files of fsys to w as a zip.
func zipFS(t *testing.T, w io.Writer, fsys fstest.MapFS) {
	t.Helper()
	zw := zip.NewWriter(w)
	if err := zw.AddFS(fsys); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
