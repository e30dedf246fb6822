package casepkg_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/metaacademy/ota/framework/casepkg"
)

func ExampleRead() {
	const pkg = `{
  "CFDocument": {
    "identifier": "2f0c8a52-7b1e-4d3a-9c6f-1e2d3c4b5a69",
    "uri": "https://case.stat.example.org/CFDocuments/2f0c8a52-7b1e-4d3a-9c6f-1e2d3c4b5a69",
    "creator": "Examplia Statistics",
    "title": "Survey methods competences",
    "language": "en",
    "version": "1.0",
    "lastChangeDateTime": "2024-05-01T00:00:00Z",
    "adoptionStatus": "Adopted"
  },
  "CFItems": [
    {"identifier": "6b1d9f34-2a7c-4e58-b0d3-9f8e7a6b5c41", "uri": "https://case.stat.example.org/CFItems/6b1d9f34-2a7c-4e58-b0d3-9f8e7a6b5c41",
     "humanCodingScheme": "S", "CFItemType": "Competence Area", "fullStatement": "Survey methods",
     "lastChangeDateTime": "2024-05-01T00:00:00Z"},
    {"identifier": "c3e5a7f9-1b2d-4f6a-8c0e-2d4f6a8c0e13", "uri": "https://case.stat.example.org/CFItems/c3e5a7f9-1b2d-4f6a-8c0e-2d4f6a8c0e13",
     "humanCodingScheme": "S.1", "CFItemType": "Competency", "abbreviatedStatement": "Sampling",
     "fullStatement": "Designs probability samples for household surveys.", "lastChangeDateTime": "2024-05-01T00:00:00Z"}
  ],
  "CFAssociations": [
    {"identifier": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "associationType": "isChildOf", "sequenceNumber": 1,
     "uri": "https://case.stat.example.org/CFAssociations/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
     "originNodeURI": {"title": "Survey methods", "identifier": "6b1d9f34-2a7c-4e58-b0d3-9f8e7a6b5c41", "uri": "https://case.stat.example.org/CFItems/6b1d9f34-2a7c-4e58-b0d3-9f8e7a6b5c41"},
     "destinationNodeURI": {"title": "Survey methods competences", "identifier": "2f0c8a52-7b1e-4d3a-9c6f-1e2d3c4b5a69", "uri": "https://case.stat.example.org/CFDocuments/2f0c8a52-7b1e-4d3a-9c6f-1e2d3c4b5a69"},
     "lastChangeDateTime": "2024-05-01T00:00:00Z"},
    {"identifier": "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", "associationType": "isChildOf", "sequenceNumber": 1,
     "uri": "https://case.stat.example.org/CFAssociations/1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
     "originNodeURI": {"title": "Sampling", "identifier": "c3e5a7f9-1b2d-4f6a-8c0e-2d4f6a8c0e13", "uri": "https://case.stat.example.org/CFItems/c3e5a7f9-1b2d-4f6a-8c0e-2d4f6a8c0e13"},
     "destinationNodeURI": {"title": "Survey methods", "identifier": "6b1d9f34-2a7c-4e58-b0d3-9f8e7a6b5c41", "uri": "https://case.stat.example.org/CFItems/6b1d9f34-2a7c-4e58-b0d3-9f8e7a6b5c41"},
     "lastChangeDateTime": "2024-05-01T00:00:00Z"}
  ]
}`
	f, rep, err := casepkg.Read(strings.NewReader(pkg), casepkg.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Title, f.Version, "by", f.Publisher)
	for depth, n := range f.Walk() {
		fmt.Printf("%s%s %s (%s)\n", strings.Repeat("  ", depth), n.Code, n.Name, n.Kind)
	}
	fmt.Println("errors:", len(rep.Errors()))
	for _, l := range rep.Losses {
		fmt.Println("lost:", l)
	}

	// Written back as CASE, the package keeps the publisher's identifiers.
	var out bytes.Buffer
	if _, err := casepkg.Write(&out, f); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(out.String(), `"identifier": "c3e5a7f9-1b2d-4f6a-8c0e-2d4f6a8c0e13"`))
	// Output:
	// Survey methods competences 1.0 by Examplia Statistics
	// S Survey methods (area)
	//   S.1 Sampling (competence)
	// errors: 0
	// lost: case.lost.document-member at /CFDocument/adoptionStatus: the CFDocument's adoptionStatus: OTA frameworks do not model it
	// lost: case.lost.association-identifier at /CFAssociations/0/identifier: the identifiers of isChildOf associations (2 times; the first is here): the hierarchy is kept as each node's parent; written back, these associations get identifiers derived from the framework ID and node codes
	// true
}
