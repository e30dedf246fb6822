package xapi_test

import (
	"fmt"

	"github.com/metaacademy/ota/packaging/xapi"
)

func ExampleValidate() {
	statement := []byte(`{
  "actor": {"mbox": "learner@example.org"},
  "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
  "object": {"id": "https://example.org/courses/sampling"},
  "result": {"score": {"scaled": 1.2}, "duration": "P1W2D"}
}`)
	report := xapi.Validate(statement, xapi.ValidateOptions{})
	for _, issue := range report.Issues {
		fmt.Printf("line %d: %s %s at %s [%s]\n", issue.Line, issue.Severity, issue.Code, issue.Pointer, issue.Requirement)
	}
	fmt.Println("valid:", !report.HasErrors())
	// Output:
	// line 2: error xapi.mbox.invalid at /actor/mbox [XAPI-00038]
	// line 5: error xapi.score.out-of-range at /result/score/scaled [XAPI-00083]
	// line 5: error xapi.duration.invalid at /result/duration [XAPI-00124]
	// valid: false
}

func ExampleValidate_version200() {
	statement := []byte(`{
  "actor": {"mbox": "mailto:learner@example.org"},
  "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
  "object": {"id": "https://example.org/events/workshop"},
  "context": {"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:trainer@example.org"}}]},
  "timestamp": "2024-09-12T10:00:00"
}`)
	for _, v := range []xapi.Version{xapi.Version103, xapi.Version200} {
		report := xapi.Validate(statement, xapi.ValidateOptions{Version: v})
		fmt.Println(v)
		for _, issue := range report.Issues {
			fmt.Printf("  %s %s at %s\n", issue.Severity, issue.Code, issue.Pointer)
		}
	}
	// Output:
	// 1.0.3
	//   error xapi.context.v2-only at /context/contextAgents
	//   warning xapi.timestamp.zone-missing at /timestamp
	// 2.0.0
	//   error xapi.timestamp.not-rfc3339 at /timestamp
}

func ExampleStatement_Check() {
	s := &xapi.Statement{
		ID:    "3b7f7d6e-2a4c-4f0e-9a51-1c2d3e4f5a6b",
		Actor: xapi.AccountAgent("Ana Pereira", "https://lms.example.org/", "learner-20931"),
		Verb: &xapi.Verb{
			ID:      "http://adlnet.gov/expapi/verbs/completed",
			Display: xapi.LanguageMap{"en": "completed", "pt": "concluiu"},
		},
		Object: xapi.Object{Activity: &xapi.Activity{
			ID: "https://example.org/assets/sampling-basics",
			Definition: &xapi.ActivityDefinition{
				Name: xapi.LanguageMap{"en": "Sampling basics"},
				Type: "http://adlnet.gov/expapi/activities/course",
			},
		}},
		Result: &xapi.Result{
			Score:      &xapi.Score{Scaled: new(0.85)},
			Completion: new(true),
			Duration:   "PT2H14M",
		},
		Timestamp: "2024-05-31T14:02:00.000Z",
	}
	report := s.Check(xapi.ValidateOptions{})
	fmt.Println("issues:", len(report.Issues))
	data, err := s.MarshalJSON()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(data))
	// Output:
	// issues: 0
	// {"id":"3b7f7d6e-2a4c-4f0e-9a51-1c2d3e4f5a6b","actor":{"objectType":"Agent","name":"Ana Pereira","account":{"homePage":"https://lms.example.org/","name":"learner-20931"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en":"completed","pt":"concluiu"}},"object":{"id":"https://example.org/assets/sampling-basics","definition":{"name":{"en":"Sampling basics"},"type":"http://adlnet.gov/expapi/activities/course"}},"result":{"score":{"scaled":0.85},"completion":true,"duration":"PT2H14M"},"timestamp":"2024-05-31T14:02:00.000Z"}
}

func ExampleDecode() {
	data := []byte(`{"actor": {"mbox": "mailto:a@example.org"},
 "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
 "object": {"id": "https://example.org/a"},
 "context": {"contextActivities": {"parent": {"id": "https://example.org/course"}}},
 "result": {"extensions": {"https://example.org/ext/notes": {"kept":   "verbatim"}}},
 "tool": "authoring-x"}`)
	s, report, err := xapi.Decode(data, xapi.ValidateOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Context.ContextActivities.Parent[0].ID)
	fmt.Println(string(s.Result.Extensions["https://example.org/ext/notes"]))
	fmt.Println(string(s.Unknown["tool"]))
	for _, issue := range report.Issues {
		fmt.Println(issue.Severity, issue.Code, "at", issue.Pointer)
	}
	// Output:
	// https://example.org/course
	// {"kept":"verbatim"}
	// "authoring-x"
	// error xapi.json.unknown-property at /tool
}

func ExampleDowngrade() {
	s := &xapi.Statement{
		Actor:  xapi.MboxAgent("", "learner@example.org"),
		Verb:   &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/attended"},
		Object: xapi.Object{Activity: &xapi.Activity{ID: "https://example.org/events/workshop"}},
		Context: &xapi.Context{ContextAgents: []xapi.ContextAgent{
			xapi.NewContextAgent(xapi.MboxAgent("", "trainer@example.org"), "https://example.org/roles/trainer"),
		}},
		Version: "2.0.0",
	}
	old, losses, err := xapi.Downgrade(s)
	if err != nil {
		panic(err)
	}
	for _, l := range losses {
		fmt.Println(l.Pointer, "-", l.What)
	}
	fmt.Println("valid 1.0.3:", !old.Check(xapi.ValidateOptions{Version: xapi.Version103}).HasErrors())
	// Output:
	// /context/contextAgents - contextAgents (1)
	// /version - version 2.0.0
	// valid 1.0.3: true
}
