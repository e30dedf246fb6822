package interop

import (
	"slices"
	"strings"
	"testing"
)

func TestLintMessages(t *testing.T) {
	out := `/ref/xsd/scorm12/ims_xml.xsd:1: namespace error : xml namespace URI cannot be the default namespace
filename=ims_xml.xsd --><xsd:schema xmlns="http://www.w3.org/XML/1998/namespace"
                                                                               ^
/tmp/m/imsmanifest.xml:7: element colour: Schemas validity error : Element 'colour': This element is not expected.
/tmp/m/imsmanifest.xml fails to validate
`
	got := lintMessages(out, "/tmp/m/imsmanifest.xml")
	want := []string{
		"/tmp/m/imsmanifest.xml:7: element colour: Schemas validity error : Element 'colour': This element is not expected.",
		"/tmp/m/imsmanifest.xml fails to validate",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := lintMessages("/tmp/m/imsmanifest.xml validates\n", "/tmp/m/imsmanifest.xml"); len(got) != 0 {
		t.Errorf("got %q for a file that validates", got)
	}
}

func TestProblems(t *testing.T) {
	ok := SCORun{
		Kind: "sco", Version: "2004", Launch: "index.html", HTTPStatus: 200, Initialized: true, Terminated: true,
		Calls: []APICall{
			{Method: "Initialize", Args: []string{""}, Return: "true", ErrorCode: "0"},
			{Method: "GetValue", Args: []string{"cmi.location"}, Return: "", ErrorCode: "403"},
			{Method: "Terminate", Args: []string{""}, Return: "true", ErrorCode: "0"},
		},
	}
	if p := ok.Problems(); len(p) != 0 {
		t.Errorf("a SCO that passes: %q", p)
	}
	unload := ok
	unload.TerminatedOnUnload = true
	if p := unload.Problems(); len(p) != 0 {
		t.Errorf("terminating on unload counts: %q", p)
	}

	for _, c := range []struct {
		name string
		run  SCORun
		want []string
	}{
		{"never loaded", SCORun{Kind: "sco", Version: "1.2", Launch: "http://cdn.example.org/x.html", Notes: []string{"launch failed: blocked"}},
			[]string{"not launched: http://cdn.example.org/x.html never loaded (launch failed: blocked)", "not initialized: LMSInitialize never succeeded (the SCO made no API call)"}},
		{"404", SCORun{Kind: "sco", Version: "2004", Launch: "a.html", HTTPStatus: 404},
			[]string{"not launched: a.html answered HTTP 404", "not initialized: Initialize never succeeded (the SCO made no API call)"}},
		{"no terminate, a failed call", SCORun{Kind: "sco", Version: "1.2", Launch: "a.html", HTTPStatus: 200, Initialized: true,
			FailedCalls: []APICall{{Method: "LMSSetValue", Args: []string{"cmi.core.lesson_status", "done"}, Return: "false", ErrorCode: "405", ErrorString: "Incorrect Data Type"}}},
			[]string{"not terminated: LMSFinish never succeeded, not even when the SCO was unloaded",
				`failed API call: LMSSetValue("cmi.core.lesson_status", "done") = "false" [error 405 Incorrect Data Type]`}},
		{"page errors and blocked requests", SCORun{Kind: "sco", Version: "2004", Launch: "a.html", HTTPStatus: 200,
			PageErrors: []string{"$ is not defined"}, Blocked: []string{"https://cdn.example.org/jquery.js"}},
			[]string{"not initialized: Initialize never succeeded (the SCO made no API call; page errors: $ is not defined; blocked requests (offline): https://cdn.example.org/jquery.js)"}},
		{"LMS data refused", SCORun{Kind: "sco", Version: "1.2", Launch: "a.html", HTTPStatus: 200, Initialized: true, Terminated: true,
			LMSDataErrors: []string{"cmi.student_data.mastery_score: set \"high\""}},
			[]string{`LMS data from the manifest refused by the runtime: cmi.student_data.mastery_score: set "high"`}},
		{"an asset is only loaded", SCORun{Kind: "asset", Launch: "a.html", HTTPStatus: 200}, nil},
	} {
		if got := c.run.Problems(); !slices.Equal(got, c.want) {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, strings.Join(got, "\n     "), strings.Join(c.want, "\n     "))
		}
	}
}
