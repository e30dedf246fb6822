package packaging_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/lesson"
	"github.com/metaacademy/ota/packaging/scorm"
)

// TestCodec checks that each kind hands out its codec's own value, the
// one its asset tree came from.
func TestCodec(t *testing.T) {
	scormZip, cmi5Zip, bundleZip := sampleExports(t)
	structure := `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
<course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">d</langstring></description></course>
<au id="https://example.org/c/au"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">d</langstring></description><url>https://example.org/au.html</url></au>
</courseStructure>`
	tests := []struct {
		name  string
		data  []byte
		kind  packaging.Kind
		check func(t *testing.T, codec any, a *asset.Asset)
	}{
		{"SCORM", scormZip, packaging.KindSCORM, func(t *testing.T, codec any, a *asset.Asset) {
			p, ok := codec.(*scorm.Package)
			if !ok || p.Version == "" || len(p.Organizations) != 1 {
				t.Fatalf("codec %T", codec)
			}
		}},
		{"cmi5", cmi5Zip, packaging.KindCMI5, func(t *testing.T, codec any, a *asset.Asset) {
			p, ok := codec.(*cmi5.Package)
			if !ok || p.Course == nil || len(p.Course.AUs()) != 1 {
				t.Fatalf("codec %T", codec)
			}
		}},
		{"lone course structure", []byte(structure), packaging.KindCMI5, func(t *testing.T, codec any, a *asset.Asset) {
			c, ok := codec.(*cmi5.Course)
			if !ok || c.ID != "https://example.org/c" {
				t.Fatalf("codec %T", codec)
			}
		}},
		{"bundle", bundleZip, packaging.KindBundle, func(t *testing.T, codec any, a *asset.Asset) {
			b, ok := codec.(*bundle.Bundle)
			if !ok || len(b.Assets()) != 1 || b.Asset() != a {
				t.Fatalf("codec %T", codec)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pkg, rep, err := packaging.Open(bytes.NewReader(tc.data), int64(len(tc.data)), packaging.Options{})
			if err != nil {
				t.Fatalf("%v (%v)", err, rep.Issues)
			}
			defer pkg.Close()
			if pkg.Kind != tc.kind {
				t.Fatalf("kind %q, want %q", pkg.Kind, tc.kind)
			}
			tc.check(t, pkg.Codec(), pkg.Asset())
		})
	}
	t.Run("lesson", func(t *testing.T) {
		pkg, _, err := packaging.OpenFile("testdata/notes", packaging.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer pkg.Close()
		l, ok := pkg.Codec().(*lesson.Lesson)
		if !ok || l.Asset() != pkg.Asset() || !strings.Contains(l.Asset().Parts[0].Title["und"], "frames") {
			t.Fatalf("codec %T", pkg.Codec())
		}
	})
}
