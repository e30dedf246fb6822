package packaging_test

import (
	"bytes"
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
)

// FuzzOpen checks the one door an upload handler uses: whatever the
// bytes, Open neither panics nor hangs, returns a package or an error
// (never both), agrees with Detect on the kind, and a package it returns
// has an asset tree whose every resource Content can open or refuse
// with an error.
func FuzzOpen(f *testing.F) {
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
	var buf bytes.Buffer
	if _, err := scorm.Export(&buf, course, content, scorm.ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	buf.Reset()
	if _, err := cmi5.Export(&buf, course, content, cmi5.ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	buf.Reset()
	if _, err := bundle.Export(&buf, course, content, bundle.ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	f.Add(zipOf(f, map[string]string{"episodes/intro.md": "# Intro\n\nText [term]{#t} and [a link](#t).\n"}))
	f.Add([]byte(`<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="urn:x"><title><langstring lang="en">C</langstring></title></course></courseStructure>`))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		kind, derr := packaging.Detect(bytes.NewReader(data), int64(len(data)))
		pkg, _, err := packaging.Open(bytes.NewReader(data), int64(len(data)), packaging.Options{})
		if err != nil {
			if pkg != nil {
				t.Fatalf("Open returned a package with the error %v", err)
			}
			return
		}
		defer pkg.Close()
		if derr != nil {
			t.Fatalf("Open read a %s package where Detect said %v", pkg.Kind, derr)
		}
		if pkg.Kind != kind {
			t.Fatalf("Open read a %s package where Detect said %s", pkg.Kind, kind)
		}
		a := pkg.Asset()
		if a == nil {
			return
		}
		for _, part := range a.All() {
			for _, r := range part.Resources {
				file, err := pkg.Content().Open(r.Path)
				if err != nil {
					if !errors.Is(err, fs.ErrNotExist) && err.Error() == "" {
						t.Fatalf("resource %q: an error without a message", r.Path)
					}
					continue
				}
				if _, err := file.Stat(); err != nil && err.Error() == "" {
					t.Fatalf("resource %q: a Stat error without a message", r.Path)
				}
				file.Close()
			}
		}
	})
}
