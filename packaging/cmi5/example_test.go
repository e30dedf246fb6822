package cmi5_test

import (
	"fmt"
	"strings"

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
