package packaging_test

import (
	"bytes"
	"errors"
	"io/fs"
	"testing"

	"github.com/metaacademy/ota/packaging"
)

// FuzzOpen checks the one door an upload handler uses: whatever the
// bytes, Open neither panics nor hangs, returns a package or an error
// (never both), agrees with Detect on the kind, and a package it returns
// has an asset tree whose every resource Content can open or refuse
// with an error.
func FuzzOpen(f *testing.F) {
	scormZip, cmi5Zip, bundleZip := sampleExports(f)
	f.Add(scormZip)
	f.Add(cmi5Zip)
	f.Add(bundleZip)
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
