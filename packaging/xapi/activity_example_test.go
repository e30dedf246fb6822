package xapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xapi"
)

func ExampleCompleted() {
	course := &asset.Asset{ID: "https://academy.example.org/courses/sampling", Kind: asset.KindCourse,
		Title: asset.LangString{"en": "Sampling"},
		Parts: []asset.Asset{{ID: "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7", Kind: asset.KindLesson,
			Title: asset.LangString{"en": "Stratification", "fr": "Stratification"}}}}
	lesson := &course.Parts[0]

	s, err := xapi.Completed(xapi.MboxAgent("Ana", "ana@example.org"), lesson, xapi.StatementOptions{
		Root:      course,
		ID:        "5c2f1b0e-8a1d-4f6e-9b3a-1d2e3f4a5b6c",
		Timestamp: time.Date(2024, 5, 31, 14, 2, 0, 0, time.UTC),
		Duration:  25 * time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := s.MarshalJSON()
	var out bytes.Buffer
	_ = json.Indent(&out, data, "", "  ")
	fmt.Println(out.String())
	// Output:
	// {
	//   "id": "5c2f1b0e-8a1d-4f6e-9b3a-1d2e3f4a5b6c",
	//   "actor": {
	//     "objectType": "Agent",
	//     "name": "Ana",
	//     "mbox": "mailto:ana@example.org"
	//   },
	//   "verb": {
	//     "id": "http://adlnet.gov/expapi/verbs/completed",
	//     "display": {
	//       "en-US": "completed"
	//     }
	//   },
	//   "object": {
	//     "objectType": "Activity",
	//     "id": "https://w3id.org/ota/activities/7af9c3c4-4a5f-55a6-8a5a-a062b0aa6176",
	//     "definition": {
	//       "name": {
	//         "en": "Stratification",
	//         "fr": "Stratification"
	//       },
	//       "type": "http://adlnet.gov/expapi/activities/lesson",
	//       "extensions": {
	//         "https://w3id.org/ota/extensions/asset-id": "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7"
	//       }
	//     }
	//   },
	//   "result": {
	//     "completion": true,
	//     "duration": "PT25M"
	//   },
	//   "context": {
	//     "contextActivities": {
	//       "parent": [
	//         {
	//           "id": "https://academy.example.org/courses/sampling",
	//           "definition": {
	//             "name": {
	//               "en": "Sampling"
	//             },
	//             "type": "http://adlnet.gov/expapi/activities/course"
	//           }
	//         }
	//       ]
	//     }
	//   },
	//   "timestamp": "2024-05-31T14:02:00.000Z"
	// }
}
