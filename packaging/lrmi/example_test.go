package lrmi_test

import (
	"fmt"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/lrmi"
)

func ExampleMarshal() {
	course := &asset.Asset{
		ID:         "https://example.org/courses/sampling",
		Kind:       asset.KindCourse,
		Title:      asset.LangString{"en": "Sampling for surveys"},
		Languages:  []string{"en"},
		License:    "CC-BY-4.0",
		Duration:   asset.Duration{Hours: 6},
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.2", Code: "4.1"}},
	}
	data, _, err := lrmi.Marshal(course, lrmi.Options{URL: "https://example.org/catalogue/sampling.html"})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(data))
	// Output:
	// {
	//   "@context": [
	//     "https://w3id.org/kim/amb/context.jsonld",
	//     {
	//       "@language": "en"
	//     }
	//   ],
	//   "id": "https://example.org/courses/sampling",
	//   "type": [
	//     "LearningResource",
	//     "Course"
	//   ],
	//   "name": "Sampling for surveys",
	//   "inLanguage": [
	//     "en"
	//   ],
	//   "learningResourceType": [
	//     {
	//       "id": "https://w3id.org/kim/hcrt/course"
	//     }
	//   ],
	//   "url": "https://example.org/catalogue/sampling.html",
	//   "timeRequired": "PT6H",
	//   "license": {
	//     "id": "https://creativecommons.org/licenses/by/4.0/"
	//   },
	//   "teaches": [
	//     {
	//       "id": "http://id.unece.org/activities/subProcess/4.1",
	//       "type": "DefinedTerm",
	//       "prefLabel": {
	//         "en": "Create frame and select sample"
	//       },
	//       "name": {
	//         "@value": "Create frame and select sample",
	//         "@language": "en"
	//       },
	//       "termCode": "4.1",
	//       "inDefinedTermSet": {
	//         "id": "http://id.unece.org/activities/gsbpm",
	//         "type": "DefinedTermSet",
	//         "name": {
	//           "@value": "GSBPM 5.2",
	//           "@language": "en"
	//         },
	//         "version": "5.2"
	//       }
	//     }
	//   ],
	//   "educationalAlignment": [
	//     {
	//       "type": "AlignmentObject",
	//       "alignmentType": "teaches",
	//       "educationalFramework": "GSBPM 5.2",
	//       "targetName": {
	//         "@value": "Create frame and select sample",
	//         "@language": "en"
	//       },
	//       "targetUrl": "http://id.unece.org/activities/subProcess/4.1"
	//     }
	//   ]
	// }
}
