package xapi_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/metaacademy/ota/packaging/xapi"
)

func ExampleReader() {
	stream := `{"actor":{"mbox":"mailto:ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/courses/sampling"}}
{"actor":{"mbox":"ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/courses/sampling"}}
not a statement
`
	r := xapi.NewReader(strings.NewReader(stream), xapi.StreamOptions{})
	for rec, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, is := range rec.Report.Issues {
			fmt.Printf("line %d: %s %s at %s [%s]\n", is.Line, is.Severity, is.Code, is.Pointer, is.Requirement)
		}
	}
	valid, invalid := r.Counts()
	fmt.Printf("%s: %d valid, %d invalid\n", r.Format(), valid, invalid)
	// Output:
	// line 2: error xapi.mbox.invalid at /actor/mbox [XAPI-00038]
	// line 3: error xapi.json.syntax at  [XAPI-00014]
	// ndjson: 1 valid, 2 invalid
}

func ExampleWriter() {
	w := xapi.NewWriter(os.Stdout, xapi.StreamArray)
	r := xapi.NewReader(strings.NewReader(`{"statements": [
  {"actor": {"mbox": "mailto:ana@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}, "object": {"id": "https://example.org/q1"}},
  {"actor": {"mbox": "mailto:bo@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}, "object": {"id": "https://example.org/q1"}}
]}`), xapi.StreamOptions{Decode: true})
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil || !rec.Valid() {
			fmt.Println("skipped", rec.Index, err)
			continue
		}
		if err := w.Write(rec.Statement); err != nil {
			fmt.Println(err)
		}
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// [
	// {"actor":{"mbox":"mailto:ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"},"object":{"id":"https://example.org/q1"}},
	// {"actor":{"mbox":"mailto:bo@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"},"object":{"id":"https://example.org/q1"}}
	// ]
}
