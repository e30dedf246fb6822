package packaging_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/scorm"
)

// ExampleOpenFile opens a folder without saying what it holds: here a
// folder of Markdown pages, which is a lesson.
func ExampleOpenFile() {
	pkg, report, err := packaging.OpenFile("testdata/notes", packaging.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pkg.Close()
	fmt.Println(pkg.Kind, "—", len(report.Errors()), "errors")
	for _, part := range pkg.Asset().Parts {
		fmt.Println(part.Kind, part.Title["und"], part.Duration)
	}
	page, _ := fs.ReadFile(pkg.Content(), "01-frames.html")
	fmt.Println(bytes.Contains(page, []byte("business")))
	// Output:
	// lesson — 0 errors
	// lesson Sampling frames PT15M
	// lesson Design weights PT15M
	// true
}

// ExampleOpen is an upload handler's work: bytes in, whatever the kind,
// the asset tree and its files out. The upload is a SCORM package made
// here by the scorm codec.
func ExampleOpen() {
	course := &asset.Asset{
		ID: "urn:uuid:5a0f7c3e-1b2d-4c6e-8f9a-0b1c2d3e4f50", Kind: asset.KindCourse,
		Title: asset.LangString{"en": "Index numbers"},
		Parts: []asset.Asset{{
			ID: "urn:uuid:5a0f7c3e-1b2d-4c6e-8f9a-0b1c2d3e4f51", Kind: asset.KindLesson,
			Title:     asset.LangString{"en": "Laspeyres and Paasche"},
			Resources: []asset.Resource{{Path: "index/lp.html", MediaType: "text/html", Role: asset.RoleLaunch}},
		}},
	}
	var upload bytes.Buffer
	content := fstest.MapFS{"index/lp.html": {Data: []byte("<h1>Laspeyres and Paasche</h1>")}}
	if _, err := scorm.Export(&upload, course, content, scorm.ExportOptions{}); err != nil {
		fmt.Println(err)
		return
	}

	pkg, report, err := packaging.Open(bytes.NewReader(upload.Bytes()), int64(upload.Len()), packaging.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pkg.Close()
	fmt.Println(pkg.Kind, "—", len(report.Errors()), "errors")
	tree := pkg.Asset()
	part, _, _ := tree.Parts[0].Title.Best("en")
	fmt.Println(tree.Title["en"], "/", part)
	page, _ := fs.ReadFile(pkg.Content(), "index/lp.html")
	fmt.Println(string(page))
	// Output:
	// SCORM package — 0 errors
	// Index numbers / Laspeyres and Paasche
	// <h1>Laspeyres and Paasche</h1>
}

// ExamplePackage_Codec reaches what only one kind has — here the SCORM
// version and the manifest's organizations — through the codec's own
// value.
func ExamplePackage_Codec() {
	course := &asset.Asset{
		ID: "urn:uuid:5a0f7c3e-1b2d-4c6e-8f9a-0b1c2d3e4f70", Kind: asset.KindLesson,
		Title:     asset.LangString{"en": "Chain-linking"},
		Resources: []asset.Resource{{Path: "chain.html", MediaType: "text/html", Role: asset.RoleLaunch}},
	}
	var upload bytes.Buffer
	content := fstest.MapFS{"chain.html": {Data: []byte("<h1>Chain-linking</h1>")}}
	if _, err := scorm.Export(&upload, course, content, scorm.ExportOptions{Version: scorm.Version12}); err != nil {
		fmt.Println(err)
		return
	}
	pkg, _, err := packaging.Open(bytes.NewReader(upload.Bytes()), int64(upload.Len()), packaging.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pkg.Close()
	switch c := pkg.Codec().(type) {
	case *scorm.Package:
		fmt.Println(c.Version, "—", len(c.Organizations), "organization,", len(c.Resources), "resources")
	default:
		fmt.Printf("%s: %T\n", pkg.Kind, c)
	}
	// Output:
	// 1.2 — 1 organization, 2 resources
}
