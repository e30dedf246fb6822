package cmi5_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing/fstest"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/cmi5"
)

func ExampleParse() {
	const src = `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/c"><title><langstring lang="en">Sampling</langstring></title></course>
  <au id="https://example.org/c/au1" moveOn="Passed" masteryScore="1.5">
    <title><langstring lang="en">Quiz</langstring></title>
    <url>quiz/index.html</url>
  </au>
</courseStructure>`
	c, rep, err := cmi5.Parse(strings.NewReader(src), cmi5.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(c.AUs()), c.AUs()[0].MoveOn)
	for _, is := range rep.Issues {
		fmt.Println(is.Code, is.Pointer)
	}
	a, _ := c.Asset()
	fmt.Println(a.Kind, a.Parts[0].Kind, a.Parts[0].Resources[0].Path)
	// Output:
	// 1 Passed
	// cmi5.au.masteryScore courseStructure/au[0]
	// course lesson quiz/index.html
}

func ExampleFromAsset() {
	a := &asset.Asset{
		ID: "https://example.org/courses/sampling", Kind: asset.KindCourse, License: "CC-BY-4.0",
		Title: asset.LangString{"en": "Sampling", "fr": "Échantillonnage"},
		Parts: []asset.Asset{{
			ID: "https://example.org/courses/sampling/intro", Kind: asset.KindLesson,
			Title:     asset.LangString{"en": "Why sample?"},
			Resources: []asset.Resource{{Path: "intro/index.html", Role: asset.RoleLaunch}},
		}},
	}
	c, rep := cmi5.FromAsset(a, cmi5.ExportOptions{})
	if err := c.Write(os.Stdout); err != nil {
		fmt.Println(err)
	}
	for _, l := range rep.Losses {
		fmt.Println("lost:", l)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
	//   <course id="https://example.org/courses/sampling">
	//     <title>
	//       <langstring lang="en">Sampling</langstring>
	//       <langstring lang="fr">Échantillonnage</langstring>
	//     </title>
	//     <description>
	//       <langstring lang="en">Sampling</langstring>
	//       <langstring lang="fr">Échantillonnage</langstring>
	//     </description>
	//   </course>
	//   <au id="https://example.org/courses/sampling/intro" moveOn="Completed" launchMethod="AnyWindow" activityType="http://adlnet.gov/expapi/activities/lesson">
	//     <title>
	//       <langstring lang="en">Why sample?</langstring>
	//     </title>
	//     <description>
	//       <langstring lang="en">Why sample?</langstring>
	//     </description>
	//     <url>ota-cmi5/au.html?content=intro/index.html</url>
	//   </au>
	// </courseStructure>
	// lost: cmi5.lost.license at /license: licence: cmi5.xml has no place for it; an OTA bundle keeps it
}

// ExampleOpen exports a one-lesson course as a cmi5 package and opens the
// package again: the course structure, the asset tree it converts to and
// the package's files.
func ExampleOpen() {
	course := &asset.Asset{
		ID: "urn:uuid:7e2a4c1b-3d5f-4a6b-8c9d-0e1f2a3b4c50", Kind: asset.KindCourse,
		Title: asset.LangString{"en": "Editing survey data"},
		Parts: []asset.Asset{{
			ID: "urn:uuid:7e2a4c1b-3d5f-4a6b-8c9d-0e1f2a3b4c51", Kind: asset.KindLesson,
			Title:     asset.LangString{"en": "Selective editing"},
			Resources: []asset.Resource{{Path: "editing/index.html", MediaType: "text/html", Role: asset.RoleLaunch}},
		}},
	}
	content := fstest.MapFS{"editing/index.html": {Data: []byte("<h1>Selective editing</h1>")}}
	var buf bytes.Buffer
	if _, err := cmi5.Export(&buf, course, content, cmi5.ExportOptions{}); err != nil {
		fmt.Println(err)
		return
	}

	p, report, err := cmi5.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), cmi5.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	fmt.Println(len(p.Course.AUs()), "AU,", len(report.Errors()), "errors")
	fmt.Println(p.Asset().Kind, p.Asset().Title["en"])
	page, _ := fs.ReadFile(p.Content(), "editing/index.html")
	fmt.Println(string(page))
	fmt.Println("verify:", len(p.Verify(context.Background()).Issues), "issues")
	// Output:
	// 1 AU, 0 errors
	// course Editing survey data
	// <h1>Selective editing</h1>
	// verify: 0 issues
}
