package scorm_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/scorm"
)

func ExampleOpenFile() {
	// OpenFile reads a zip file or, as here, a folder.
	p, report, err := scorm.OpenFile("testdata/example", scorm.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	fmt.Println("version:", p.Version)
	p.Default().Walk(func(it *scorm.Item) {
		fmt.Printf("%s → %s\n", it.Identifier, it.LaunchURL)
	})
	for _, is := range report.Issues {
		fmt.Println(is.Error())
	}
	course := p.Asset()
	fmt.Println(course.Kind, course.Title["und"], len(course.Parts))
	// Output:
	// version: 2004 4th Edition
	// intro → pages/index.html?lang=en
	// quiz → pages/index.html?lang=en&part=quiz
	// info scorm.metadata.external at manifest/metadata[0]: metadata location "https://example.org/census101/lom.xml" is an absolute URL; it is kept and not opened
	// course Census basics 2
}

// ExampleExport packages a one-lesson course as SCORM 2004 4th Edition:
// the lesson's page is wrapped in the launch page, which makes it a SCO.
func ExampleExport() {
	course := &asset.Asset{
		ID: "urn:uuid:2d8f9a1e-6b3c-4f0a-9e2d-1c4b5a6f7e80", Kind: asset.KindCourse,
		Title: asset.LangString{"en": "Seasonal adjustment"},
		Parts: []asset.Asset{{
			ID: "urn:uuid:2d8f9a1e-6b3c-4f0a-9e2d-1c4b5a6f7e81", Kind: asset.KindLesson,
			Title:     asset.LangString{"en": "X-13ARIMA-SEATS in practice"},
			Resources: []asset.Resource{{Path: "x13/index.html", MediaType: "text/html", Role: asset.RoleLaunch}},
		}},
	}
	content := fstest.MapFS{"x13/index.html": {Data: []byte("<h1>X-13</h1>")}}
	var buf bytes.Buffer
	if _, err := scorm.Export(&buf, course, content, scorm.ExportOptions{Version: scorm.Version2004Ed4}); err != nil {
		fmt.Println(err)
		return
	}
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, f := range zr.File {
		fmt.Println(f.Name)
	}
	p, _, _ := scorm.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), scorm.Options{})
	p.Default().Walk(func(it *scorm.Item) { fmt.Println(it.Identifier, "→", it.LaunchURL) })
	// Output:
	// imsmanifest.xml
	// ota-scorm/launch.html
	// ota-scorm/ota-scorm.js
	// x13/index.html
	// ITEM-2d8f9a1e-6b3c-4f0a-9e2d-1c4b5a6f7e81 → ota-scorm/launch.html?content=x13%2Findex.html&v=2004
}
