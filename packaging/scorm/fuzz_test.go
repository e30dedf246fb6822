package scorm

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/fuzzseed"
)

// panicShapes are manifests that once made the command panic: seeds of
// the fuzz targets and regression tests (TestPanicShapes).
var panicShapes = map[string]string{
	// A resource package: legal, with nothing to launch.
	"empty organizations": `<?xml version="1.0"?><manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">` +
		`<organizations/><resources><resource identifier="r" type="webcontent" href="index.html"><file href="index.html"/></resource></resources></manifest>`,
	"no organizations element": `<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><resources/></manifest>`,
	// Elements below the manifest were not read in a namespace SCORM
	// does not use, which left no organization.
	"wrong namespace": `<?xml version="1.0"?><manifest identifier="m" xmlns="urn:wrong"><organizations default="o"><organization identifier="o">` +
		`<title>t</title><item identifier="i" identifierref="r"><title>x</title></item></organization></organizations>` +
		`<resources><resource identifier="r" type="webcontent" href="index.html"/></resources></manifest>`,
	"no namespace": `<manifest identifier="m"><organizations default="o"><organization identifier="o"><title>t</title>` +
		`<item identifier="i" identifierref="r"><title>x</title></item></organization></organizations>` +
		`<resources><resource identifier="r" type="webcontent" href="index.html"/></resources></manifest>`,
	"default names no organization": `<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><organizations default="nope"/><resources/></manifest>`,
}

// TestPanicShapes: each shape reads into an asset tree that validates.
func TestPanicShapes(t *testing.T) {
	for name, m := range panicShapes {
		t.Run(name, func(t *testing.T) {
			p, _, err := OpenFS(fstest.MapFS{"imsmanifest.xml": {Data: []byte(m)}, "index.html": {Data: []byte("x")}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			a, rep := p.convert()
			if a == nil {
				t.Fatalf("no asset: %v", rep.Issues)
			}
			_ = asset.Check(a, asset.CheckOptions{})
			if strings.Contains(name, "namespace") && len(a.Parts) != 1 {
				t.Errorf("the item is read: %d parts", len(a.Parts))
			}
		})
	}
}

// FuzzManifest feeds arbitrary bytes to the manifest reader and the asset
// conversion, seeded from testdata/*.xml. Nothing may panic, and a
// returned Package must convert.
func FuzzManifest(f *testing.F) {
	fuzzseed.Files(f, filepath.Join("testdata", "*.xml"))
	f.Add([]byte(billionLaughs))
	f.Add([]byte(deep(300)))
	for _, s := range panicShapes {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"imsmanifest.xml": {Data: data},
			"index.html":      {Data: []byte("x")},
			"a b.html":        {Data: []byte("y")},
		}
		p, rep, err := OpenFS(fsys, Options{MaxManifestDepth: 64})
		if err != nil {
			if p != nil || !rep.HasErrors() {
				t.Fatalf("error %v with a package or without an error issue", err)
			}
			return
		}
		a, _ := p.convert()
		if a == nil {
			t.Fatal("a package but no asset")
		}
		_ = asset.Check(a, asset.CheckOptions{})
		for _, r := range p.Resources {
			_ = p.ResourceFiles(r)
		}
	})
}

// FuzzRewrite parses a manifest, writes it back with WriteManifest and
// parses the result: it must read back with the same structure (manifest,
// organization, item and resource identifiers, titles, launch URLs, ADL
// item elements, sequencing). This checks the writer's escaping and
// namespace handling on whatever the reader accepts.
func FuzzRewrite(f *testing.F) {
	fuzzseed.Files(f, filepath.Join("testdata", "*.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := OpenFS(fstest.MapFS{"imsmanifest.xml": {Data: data}}, Options{MaxManifestDepth: 64})
		if err != nil || p.Version == VersionUnknown {
			return
		}
		var buf bytes.Buffer
		if err := p.WriteManifest(&buf, nil); err != nil {
			t.Fatalf("WriteManifest: %v", err)
		}
		q, rep, err := OpenFS(fstest.MapFS{"imsmanifest.xml": {Data: buf.Bytes()}}, Options{MaxManifestDepth: 128})
		if err != nil {
			t.Fatalf("the written manifest does not read back: %v %v\n%s", err, rep.Errors(), buf.Bytes())
		}
		if a, b := structure(p), structure(q); a != b {
			t.Fatalf("the structure changed\nbefore:\n%s\nafter:\n%s\nwritten:\n%s", a, b, buf.Bytes())
		}
	})
}

// structure summarises what a manifest says, independent of namespace
// spellings.
func structure(p *Package) string {
	var b strings.Builder
	fmt.Fprintf(&b, "manifest %q %q base %q default %q\n", p.Identifier, p.ManifestVersion, p.Base, p.DefaultOrganization)
	for _, o := range p.Organizations {
		fmt.Fprintf(&b, "org %q %q\n", o.Identifier, o.Title)
		o.Walk(func(it *Item) {
			vis := "-"
			if it.IsVisible != nil {
				vis = fmt.Sprint(*it.IsVisible)
			}
			fmt.Fprintf(&b, " item %q ref %q vis %s params %q title %q launch %q pre %q max %q tla %q dfl %q ms %q\n",
				it.Identifier, it.IdentifierRef, vis, it.Parameters, it.Title, it.LaunchURL,
				it.Prerequisites, it.MaxTimeAllowed, it.TimeLimitAction, it.DataFromLMS, it.MasteryScore)
			if si := p.SequencingInfo(it); si != nil {
				fmt.Fprintf(&b, "  seq %v %v %v %v\n", si.ControlMode, si.Objectives, si.MinNormalizedMeasure != nil, si.GlobalObjectives)
			}
		})
	}
	fmt.Fprintf(&b, "resources base %q\n", p.ResourcesBase)
	for _, r := range p.Resources {
		fmt.Fprintf(&b, " res %q %q %q %q base %q deps %q\n", r.Identifier, r.Type, r.ScormType, r.Href, r.Base, r.Dependencies)
		for _, f := range r.Files {
			fmt.Fprintf(&b, "  file %q\n", f.Href)
		}
	}
	return b.String()
}
