package scorm_test

import (
	"fmt"

	"github.com/metaacademy/ota/packaging/scorm"
)

func ExampleOpenFile() {
	// OpenFile reads a zip file or, as here, a folder.
	p, report, err := scorm.OpenFile("testdata/example", scorm.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("version:", p.Version)
	p.Default().Walk(func(it *scorm.Item) {
		fmt.Printf("%s → %s\n", it.Identifier, it.LaunchURL)
	})
	for _, is := range report.Issues {
		fmt.Println(is.Error())
	}
	course, _ := p.Asset()
	fmt.Println(course.Kind, course.Title["und"], len(course.Parts))
	// Output:
	// version: 2004 4th Edition
	// intro → pages/index.html?lang=en
	// quiz → pages/index.html?lang=en&part=quiz
	// info scorm.metadata.external at manifest/metadata[0]: metadata location "https://example.org/census101/lom.xml" is an absolute URL; it is kept and not opened
	// course Census basics 2
}
