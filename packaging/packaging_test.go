package packaging_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
)

// zipOf makes a zip of the named files.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDetect(t *testing.T) {
	var ota bytes.Buffer
	if _, err := bundle.Export(&ota, &asset.Asset{ID: "urn:uuid:5a0f7c3e-1b2d-4c6e-8f9a-0b1c2d3e4f52", Kind: asset.KindLesson,
		Title: asset.LangString{"en": "x"}}, nil, bundle.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want packaging.Kind
		err  error
	}{
		{"bundle", ota.Bytes(), packaging.KindBundle, nil},
		{"scorm", zipOf(t, map[string]string{"imsmanifest.xml": "<manifest/>"}), packaging.KindSCORM, nil},
		{"scorm in a folder", zipOf(t, map[string]string{"course/imsmanifest.xml": "<manifest/>"}), packaging.KindSCORM, nil},
		{"cmi5", zipOf(t, map[string]string{"cmi5.xml": "<courseStructure/>"}), packaging.KindCMI5, nil},
		{"cmi5 wins over scorm", zipOf(t, map[string]string{"cmi5.xml": "<courseStructure/>", "imsmanifest.xml": "<manifest/>"}), packaging.KindCMI5, nil},
		{"lesson", zipOf(t, map[string]string{"episodes/intro.md": "# Intro"}), packaging.KindLesson, nil},
		{"lone course structure", []byte(`<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"/>`), packaging.KindCMI5, nil},
		{"zip of nothing known", zipOf(t, map[string]string{"notes.txt": "x"}), packaging.KindUnknown, packaging.ErrUnknown},
		{"zip slip", zipOf(t, map[string]string{"../imsmanifest.xml": "<manifest/>"}), packaging.KindUnknown, archive.ErrPathEscape},
		{"not a package", []byte("hello"), packaging.KindUnknown, packaging.ErrUnknown},
		{"empty", nil, packaging.KindUnknown, packaging.ErrUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := packaging.Detect(bytes.NewReader(tt.data), int64(len(tt.data)))
			if got != tt.want || (tt.err == nil) != (err == nil) || tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("Detect = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestDetectFS(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want packaging.Kind
	}{
		{"cmi5", fstest.MapFS{"cmi5.xml": {}, "imsmanifest.xml": {}}, packaging.KindCMI5},
		{"scorm in a folder", fstest.MapFS{"c/imsmanifest.xml": {}, "README.md": {}}, packaging.KindSCORM},
		{"unpacked bundle", fstest.MapFS{"mimetype": {Data: []byte(bundle.MediaType)}, "manifest.json": {}}, packaging.KindBundle},
		{"workbench lesson", fstest.MapFS{"config.yaml": {}}, packaging.KindLesson},
		{"markdown folder", fstest.MapFS{"a.md": {}}, packaging.KindLesson},
		{"nothing", fstest.MapFS{"a.txt": {}}, packaging.KindUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := packaging.DetectFS(tt.fsys)
			if got != tt.want || (got == packaging.KindUnknown) != errors.Is(err, packaging.ErrUnknown) {
				t.Errorf("DetectFS = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestOpenFileKinds opens one package of each kind through the same call
// and checks the codec's result comes through.
func TestOpenFileKinds(t *testing.T) {
	dir := t.TempDir()
	cmi5 := filepath.Join(dir, "course.zip")
	if err := os.WriteFile(cmi5, zipOf(t, map[string]string{"cmi5.xml": `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
<course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">d</langstring></description></course>
<au id="https://example.org/c/au"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">d</langstring></description><url>au.html</url></au>
</courseStructure>`, "au.html": "<p>au</p>"}), 0o644); err != nil {
		t.Fatal(err)
	}
	pkg, rep, err := packaging.OpenFile(cmi5, packaging.Options{})
	if err != nil {
		t.Fatalf("%v (%v)", err, rep.Issues)
	}
	defer pkg.Close()
	if pkg.Kind != packaging.KindCMI5 || pkg.Asset() == nil || pkg.Content() == nil {
		t.Fatalf("kind %q, asset %v, content %v", pkg.Kind, pkg.Asset(), pkg.Content())
	}
	if v := pkg.Verify(t.Context()); len(v.Issues) != 0 {
		t.Errorf("verify: %v", v.Issues)
	}

	if _, _, err := packaging.OpenFile(filepath.Join(dir, "absent"), packaging.Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing path: %v", err)
	}
	txt := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(txt, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := packaging.OpenFile(txt, packaging.Options{}); !errors.Is(err, packaging.ErrUnknown) {
		t.Errorf("a text file: %v, want ErrUnknown", err)
	}
}

// sampleExports returns a small course of one lesson as the scorm, cmi5
// and bundle codecs export it, in that order.
func sampleExports(tb testing.TB) (scormZip, cmi5Zip, bundleZip []byte) {
	tb.Helper()
	course := &asset.Asset{
		ID: "urn:uuid:5a0f7c3e-1b2d-4c6e-8f9a-0b1c2d3e4f60", Kind: asset.KindCourse,
		Title: asset.LangString{"en": "Seasonal adjustment"},
		Parts: []asset.Asset{{
			ID: "urn:uuid:5a0f7c3e-1b2d-4c6e-8f9a-0b1c2d3e4f61", Kind: asset.KindLesson,
			Title:     asset.LangString{"en": "X-13"},
			Resources: []asset.Resource{{Path: "sa/x13.html", MediaType: "text/html", Role: asset.RoleLaunch}},
		}},
	}
	content := fstest.MapFS{"sa/x13.html": {Data: []byte("<h1>X-13</h1>")}}
	export := func(f func(w io.Writer) (ota.Report, error)) []byte {
		var b bytes.Buffer
		if _, err := f(&b); err != nil {
			tb.Fatal(err)
		}
		return b.Bytes()
	}
	return export(func(w io.Writer) (ota.Report, error) { return scorm.Export(w, course, content, scorm.ExportOptions{}) }),
		export(func(w io.Writer) (ota.Report, error) { return cmi5.Export(w, course, content, cmi5.ExportOptions{}) }),
		export(func(w io.Writer) (ota.Report, error) {
			return bundle.Export(w, course, content, bundle.ExportOptions{})
		})
}
