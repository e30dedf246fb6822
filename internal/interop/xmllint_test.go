package interop_test

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metaacademy/ota/internal/interop"
)

// schemaVersion reads a manifest's metadata/schemaversion.
func schemaVersion(t *testing.T, manifest string) string {
	t.Helper()
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		SchemaVersion string `xml:"metadata>schemaversion"`
	}
	if err := xml.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	return strings.TrimSpace(m.SchemaVersion)
}

func TestXMLLintReferencePackages(t *testing.T) {
	interop.RequireXMLLint(t)
	for _, p := range referencePackages {
		t.Run(p.zip, func(t *testing.T) {
			manifest := filepath.Join(unpackReference(t, p.zip), "imsmanifest.xml")
			if got := schemaVersion(t, manifest); got != p.schemaversion {
				t.Fatalf("schemaversion %q, want %q", got, p.schemaversion)
			}
			schema, catalog := interop.SCORMSchema(t, p.schemaversion)
			if err := interop.XMLLint(schema, catalog, manifest); err != nil {
				t.Fatal(err)
			}
		})
	}

	// The schemas are strict enough to tell the editions apart: the 4th
	// Edition manifest uses 4th Edition attributes the 3rd Edition set rejects.
	t.Run("4th Edition manifest against the 3rd Edition set", func(t *testing.T) {
		manifest := filepath.Join(unpackReference(t, "golf_scorm2004_4th_posttestrollup.zip"), "imsmanifest.xml")
		schema, catalog := interop.SCORMSchema(t, "2004 3rd Edition")
		err := interop.XMLLint(schema, catalog, manifest)
		var lint *interop.LintError
		if !errors.As(err, &lint) {
			t.Fatalf("got %v, want a *LintError", err)
		}
		if !strings.Contains(err.Error(), "sharedDataGlobalToSystem") {
			t.Errorf("the error does not name sharedDataGlobalToSystem:\n%v", err)
		}
	})

	// Without its catalog the 4th Edition set does not even compile
	// (imscp_v1p1.xsd imports xml.xsd from w3.org, and --nonet forbids it).
	t.Run("4th Edition set without its catalog", func(t *testing.T) {
		manifest := filepath.Join(unpackReference(t, "golf_scorm2004_4th_posttestrollup.zip"), "imsmanifest.xml")
		schema, _ := interop.SCORMSchema(t, "2004 4th Edition")
		if err := interop.XMLLint(schema, "", manifest); err == nil {
			t.Fatal("validated without the catalog")
		}
	})
}

func TestXMLLintCMI5(t *testing.T) {
	interop.RequireXMLLint(t)
	schema := interop.CMI5Schema(t)
	n := 0
	for _, dir := range []string{"cmi5/catapult-course-examples", "cmi5/catapult-lts", "cmi5/spec-examples"} {
		files, err := filepath.Glob(filepath.Join(interop.Reference(t, dir), "*.xml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			n++
			if err := interop.XMLLint(schema, "", f); err != nil {
				t.Error(err)
			}
		}
	}
	if n != 24 {
		t.Errorf("validated %d cmi5 course structures, the reference material has 24", n)
	}

	broken := filepath.Join(t.TempDir(), "cmi5.xml")
	writeFiles(t, filepath.Dir(broken), map[string]string{"cmi5.xml": `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/course">
    <title><langstring lang="en">C</langstring></title>
    <description><langstring lang="en">A course</langstring></description>
  </course>
  <au id="https://example.org/au" moveOn="Sometimes">
    <title><langstring lang="en">AU</langstring></title>
    <description><langstring lang="en">An AU without a url</langstring></description>
  </au>
</courseStructure>`})
	err := interop.XMLLint(schema, "", broken)
	if err == nil {
		t.Fatal("a course structure with a bad moveOn and no AU url validated")
	}
	for _, want := range []string{"moveOn", "url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %s:\n%v", want, err)
		}
	}
}

func TestXMLLintBrokenManifest(t *testing.T) {
	interop.RequireXMLLint(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"scorm12/imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o">
    <organization identifier="o"><title>T</title>
      <item identifier="i" identifierref="r"><title>I</title><colour>blue</colour></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r" type="webcontent" adlcp:scormtype="lesson" href="a.html"><file href="a.html"/></resource>
  </resources>
</manifest>`,
		"scorm2004/imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="m" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="o">
    <organization identifier="o"><title>T</title>
      <item identifier="i" identifierref="r"><title>I</title><colour>blue</colour></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r" type="webcontent" adlcp:scormType="lesson" href="a.html"><file href="a.html"/></resource>
  </resources>
</manifest>`,
	})
	for _, c := range []struct{ folder, version, scormtype string }{
		{"scorm12", "1.2", "scormtype"},
		{"scorm2004", "2004 3rd Edition", "scormType"},
		{"scorm2004", "2004 4th Edition", "scormType"},
	} {
		t.Run(c.version, func(t *testing.T) {
			schema, catalog := interop.SCORMSchema(t, c.version)
			err := interop.XMLLint(schema, catalog, filepath.Join(dir, c.folder, "imsmanifest.xml"))
			var lint *interop.LintError
			if !errors.As(err, &lint) {
				t.Fatalf("got %v, want a *LintError", err)
			}
			if len(lint.Messages) == 0 || lint.ExitCode == 0 {
				t.Fatalf("no messages or exit status: %+v", lint)
			}
			msg := err.Error()
			for _, want := range []string{"colour", c.scormtype, "lesson"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the error does not mention %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, "xml namespace URI cannot be the default namespace") {
				t.Errorf("the ims_xml.xsd warning was not filtered out:\n%s", msg)
			}
		})
	}
}
