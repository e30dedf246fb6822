package xapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
)

// Parts of small statements for the rule tests.
const (
	actorOK  = `"actor":{"mbox":"mailto:a@example.org"}`
	verbOK   = `"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"}`
	objectOK = `"object":{"id":"https://example.org/a"}`
	basic    = actorOK + "," + verbOK + "," + objectOK
)

// st wraps members into a statement object.
func st(members ...string) string { return "{" + strings.Join(members, ",") + "}" }

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		v       Version
		doc     string
		code    string // "" means valid without warnings
		ptr     string
		warning bool
		req     string
	}{
		{name: "minimal statement", doc: st(basic)},
		{name: "syntax error", doc: "{\n\"actor\": }", code: "xapi.json.syntax", req: "XAPI-00014"},
		{name: "duplicate key", doc: st(basic, `"verb":{"id":"http://example.org/v"}`), code: "xapi.json.duplicate-key", ptr: "/verb", req: "XAPI-00021"},
		{name: "invalid UTF-8", doc: "{" + basic + `,"result":{"response":"` + "\xff" + `"}}`, code: "xapi.json.invalid-utf8", req: "XAPI-00015"},
		{name: "root not an object", doc: `[1]`, code: "xapi.json.wrong-type", ptr: ""},
		{name: "missing actor", doc: st(verbOK, objectOK), code: "xapi.actor.missing", ptr: "/actor", req: "XAPI-00003"},
		{name: "missing verb", doc: st(actorOK, objectOK), code: "xapi.verb.missing", ptr: "/verb", req: "XAPI-00004"},
		{name: "missing object", doc: st(actorOK, verbOK), code: "xapi.object.missing", ptr: "/object", req: "XAPI-00005"},
		{name: "null property", doc: st(basic, `"result":null`), code: "xapi.json.null", ptr: "/result", req: "XAPI-00001"},
		{name: "null extension value", doc: st(basic, `"result":{"extensions":{"https://example.org/x":null}}`)},
		{name: "unknown property", doc: st(basic, `"foo":1`), code: "xapi.json.unknown-property", ptr: "/foo", req: "XAPI-00010"},
		{name: "key in wrong case", doc: st(basic, `"Result":{}`), code: "xapi.json.unknown-property", ptr: "/Result", req: "XAPI-00008"},
		{name: "statement id", doc: st(basic, `"id":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f"`)},
		{name: "statement id not a UUID", doc: st(basic, `"id":"6f1e0c3e"`), code: "xapi.uuid.invalid", ptr: "/id", req: "XAPI-00027"},
		{name: "UUID not RFC 4122", doc: st(basic, `"id":"12345678-1234-5678-1234-567812345678"`), code: "xapi.uuid.not-rfc4122", ptr: "/id", warning: true},
		{name: "agent without IFI", doc: st(`"actor":{"name":"x"}`, verbOK, objectOK), code: "xapi.agent.ifi-missing", ptr: "/actor", req: "XAPI-00034"},
		{name: "agent with two IFIs", doc: st(`"actor":{"mbox":"mailto:a@example.org","openid":"https://id.example.org/a"}`, verbOK, objectOK), code: "xapi.agent.ifi-multiple", ptr: "/actor"},
		{name: "agent with member", doc: st(`"actor":{"mbox":"mailto:a@example.org","member":[]}`, verbOK, objectOK), code: "xapi.agent.member", ptr: "/actor/member"},
		{name: "mbox without scheme", doc: st(`"actor":{"mbox":"a@example.org"}`, verbOK, objectOK), code: "xapi.mbox.invalid", ptr: "/actor/mbox", req: "XAPI-00038"},
		{name: "mbox_sha1sum upper case", doc: st(`"actor":{"mbox_sha1sum":"CD9B00A5611F94EAA7B1661EDAB976068E364975"}`, verbOK, objectOK)},
		{name: "mbox_sha1sum too short", doc: st(`"actor":{"mbox_sha1sum":"cd9b"}`, verbOK, objectOK), code: "xapi.mbox-sha1sum.invalid", ptr: "/actor/mbox_sha1sum"},
		{name: "openid not a URI", doc: st(`"actor":{"openid":"id.example.org/a"}`, verbOK, objectOK), code: "xapi.openid.invalid", ptr: "/actor/openid"},
		{name: "account without name", doc: st(`"actor":{"account":{"homePage":"https://lms.example.org"}}`, verbOK, objectOK), code: "xapi.account.name-missing", ptr: "/actor/account/name", req: "XAPI-00043"},
		{name: "account homePage not IRL", doc: st(`"actor":{"account":{"homePage":"lms","name":"u1"}}`, verbOK, objectOK), code: "xapi.account.home-page-invalid", ptr: "/actor/account/homePage"},
		{name: "identified group", doc: st(`"actor":{"objectType":"Group","mbox":"mailto:g@example.org"}`, verbOK, objectOK)},
		{name: "anonymous group without member", doc: st(`"actor":{"objectType":"Group","name":"g"}`, verbOK, objectOK), code: "xapi.group.member-missing", ptr: "/actor/member", req: "XAPI-00035"},
		{name: "group in group", doc: st(`"actor":{"objectType":"Group","member":[{"objectType":"Group","mbox":"mailto:g@example.org"}]}`, verbOK, objectOK), code: "xapi.group.not-allowed", ptr: "/actor/member/0"},
		{name: "group with two IFIs", doc: st(`"actor":{"objectType":"Group","mbox":"mailto:g@example.org","openid":"https://id.example.org/g"}`, verbOK, objectOK), code: "xapi.group.ifi-multiple", req: "XAPI-00037"},
		{name: "actor objectType wrong case", doc: st(`"actor":{"objectType":"agent","mbox":"mailto:a@example.org"}`, verbOK, objectOK), code: "xapi.object-type.invalid", ptr: "/actor/objectType", req: "XAPI-00009"},
		{name: "authority of two", doc: st(basic, `"authority":{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"},{"account":{"homePage":"https://lrs.example.org","name":"app"}}]}`)},
		{name: "authority of three", doc: st(basic, `"authority":{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"},{"mbox":"mailto:b@example.org"},{"mbox":"mailto:c@example.org"}]}`), code: "xapi.authority.group-members", req: "XAPI-00098"},
		{name: "verb without id", doc: st(actorOK, `"verb":{"display":{"en":"did"}}`, objectOK), code: "xapi.verb.id-missing", ptr: "/verb/id"},
		{name: "verb display not a map", doc: st(actorOK, `"verb":{"id":"http://example.org/v","display":"did"}`, objectOK), code: "xapi.json.wrong-type", ptr: "/verb/display", req: "XAPI-00045"},
		{name: "language tag", doc: st(actorOK, `"verb":{"id":"http://example.org/v","display":{"en_US":"did"}}`, objectOK), code: "xapi.language.invalid", ptr: "/verb/display/en_US"},
		{name: "language tags of many kinds", doc: st(actorOK, `"verb":{"id":"http://example.org/v","display":{"und":"a","zh-Hant-TW":"b","es-419":"c","sr-Latn-RS":"d","tlh":"e"}}`, objectOK)},
		{name: "agent as object needs objectType", doc: st(actorOK, verbOK, `"object":{"mbox":"mailto:b@example.org"}`), code: "xapi.activity.id-missing", ptr: "/object/id"},
		{name: "agent as object", doc: st(actorOK, verbOK, `"object":{"objectType":"Agent","mbox":"mailto:b@example.org"}`)},
		{name: "object type unknown", doc: st(actorOK, verbOK, `"object":{"objectType":"Person","id":"https://example.org/p"}`), code: "xapi.object-type.invalid", ptr: "/object/objectType", req: "XAPI-00046"},
		{name: "activity id not IRI", doc: st(actorOK, verbOK, `"object":{"id":"a b"}`), code: "xapi.activity.id-invalid", ptr: "/object/id", req: "XAPI-00047"},
		{name: "StatementRef without id", doc: st(actorOK, verbOK, `"object":{"objectType":"StatementRef"}`), code: "xapi.statement-ref.id-missing", ptr: "/object/id", req: "XAPI-00072"},
		{name: "voiding needs StatementRef", doc: st(actorOK, `"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"}`, objectOK), code: "xapi.voiding.object-not-statement-ref", ptr: "/object", req: "XAPI-00017"},
		{name: "voiding", doc: st(actorOK, `"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"}`, `"object":{"objectType":"StatementRef","id":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f"}`)},
		{name: "SubStatement with stored", doc: st(actorOK, verbOK, `"object":{"objectType":"SubStatement",`+basic+`,"stored":"2024-01-01T00:00:00Z"}`), code: "xapi.substatement.property-forbidden", ptr: "/object/stored", req: "XAPI-00069"},
		{name: "SubStatement in SubStatement", doc: st(actorOK, verbOK, `"object":{"objectType":"SubStatement",`+actorOK+","+verbOK+`,"object":{"objectType":"SubStatement",`+basic+`}}`), code: "xapi.substatement.nested", ptr: "/object/object", req: "XAPI-00071"},
		{name: "SubStatement without verb", doc: st(actorOK, verbOK, `"object":{"objectType":"SubStatement",`+actorOK+","+objectOK+`}`), code: "xapi.verb.missing", ptr: "/object/verb"},
		{name: "definition unknown key", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"title":{"en":"x"}}}`), code: "xapi.json.unknown-property", ptr: "/object/definition/title"},
		{name: "interaction type unknown", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"interactionType":"essay"}}`), code: "xapi.interaction.type-invalid", req: "XAPI-00049"},
		{name: "pattern without interaction type", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"correctResponsesPattern":["a"]}}`), code: "xapi.interaction.type-missing", req: "XAPI-00064"},
		{name: "components without interaction type", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"choices":[{"id":"a"}]}}`), code: "xapi.interaction.type-missing"},
		{name: "component for another type", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"interactionType":"true-false","choices":[{"id":"a"}]}}`), code: "xapi.interaction.component-unexpected", ptr: "/object/definition/choices", warning: true},
		{name: "component id with space", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"interactionType":"choice","choices":[{"id":"a b"}]}}`), code: "xapi.interaction.component-id-whitespace", warning: true},
		{name: "component without id", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"interactionType":"likert","scale":[{"description":{"en":"x"}}]}}`), code: "xapi.interaction.component-id-missing", ptr: "/object/definition/scale/0/id"},
		{name: "empty response pattern", doc: st(actorOK, verbOK, `"object":{"id":"https://example.org/a","definition":{"interactionType":"fill-in","correctResponsesPattern":[""]}}`)},
		{name: "score", doc: st(basic, `"result":{"score":{"scaled":-1.0,"raw":0,"min":0,"max":1e2}}`)},
		{name: "scaled out of range", doc: st(basic, `"result":{"score":{"scaled":-1.00001}}`), code: "xapi.score.out-of-range", ptr: "/result/score/scaled", req: "XAPI-00083"},
		{name: "min equals max", doc: st(basic, `"result":{"score":{"min":5,"max":5}}`), code: "xapi.score.min-not-below-max", ptr: "/result/score/min", req: "XAPI-00081"},
		{name: "raw below min", doc: st(basic, `"result":{"score":{"raw":-1,"min":0}}`), code: "xapi.score.raw-out-of-range", ptr: "/result/score/raw", req: "XAPI-00082"},
		{name: "score huge", doc: st(basic, `"result":{"score":{"raw":1e400}}`), code: "xapi.score.out-of-range"},
		{name: "duration", doc: st(basic, `"result":{"duration":"P1Y2M3DT4H5M6.7S"}`)},
		{name: "duration with weeks and days", doc: st(basic, `"result":{"duration":"P1W1D"}`), code: "xapi.duration.invalid", ptr: "/result/duration", req: "XAPI-00124"},
		{name: "single context activity", doc: st(basic, `"context":{"contextActivities":{"parent":{"id":"https://example.org/p"}}}`)},
		{name: "context activity not an object", doc: st(basic, `"context":{"contextActivities":{"parent":"https://example.org/p"}}`), code: "xapi.json.wrong-type", ptr: "/context/contextActivities/parent", req: "XAPI-00094"},
		{name: "context activities unknown key", doc: st(basic, `"context":{"contextActivities":{"parents":[]}}`), code: "xapi.json.unknown-property", req: "XAPI-00093"},
		{name: "context activities empty", doc: st(basic, `"context":{"contextActivities":{}}`), code: "xapi.context-activities.empty", req: "XAPI-00095"},
		{name: "context activity objectType", doc: st(basic, `"context":{"contextActivities":{"other":[{"objectType":"Agent","id":"https://example.org/p"}]}}`), code: "xapi.object-type.invalid", ptr: "/context/contextActivities/other/0/objectType"},
		{name: "revision with agent object", doc: st(actorOK, verbOK, `"object":{"objectType":"Agent","mbox":"mailto:b@example.org"}`, `"context":{"revision":"2"}`), code: "xapi.context.revision-not-activity", ptr: "/context/revision", req: "XAPI-00084"},
		{name: "team must be a group", doc: st(basic, `"context":{"team":{"mbox":"mailto:t@example.org"}}`), code: "xapi.group.required", req: "XAPI-00088"},
		{name: "registration", doc: st(basic, `"context":{"registration":"nope"}`), code: "xapi.uuid.invalid", ptr: "/context/registration", req: "XAPI-00087"},
		{name: "context statement", doc: st(basic, `"context":{"statement":{"objectType":"statementref","id":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f"}}`), code: "xapi.context.statement-invalid", req: "XAPI-00092"},
		{name: "context language", doc: st(basic, `"context":{"language":"english"}`), code: "xapi.language.invalid", ptr: "/context/language", req: "XAPI-00091"},
		{name: "extension key not IRI", doc: st(basic, `"context":{"extensions":{"room":1}}`), code: "xapi.extension.key-invalid", ptr: "/context/extensions/room", req: "XAPI-00118"},
		{name: "attachment", doc: st(basic, `"attachments":[{"usageType":"https://example.org/u","display":{"en":"x"},"contentType":"text/plain; charset=utf-8","length":0,"sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"}]`)},
		{name: "attachment without display", doc: st(basic, `"attachments":[{"usageType":"https://example.org/u","contentType":"text/plain","length":1,"sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"}]`), code: "xapi.attachment.property-missing", ptr: "/attachments/0/display", req: "XAPI-00106"},
		{name: "attachment length fraction", doc: st(basic, `"attachments":[{"usageType":"https://example.org/u","display":{"en":"x"},"contentType":"text/plain","length":1.5,"sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"}]`), code: "xapi.attachment.length-invalid"},
		{name: "attachment sha2 not hex", doc: st(basic, `"attachments":[{"usageType":"https://example.org/u","display":{"en":"x"},"contentType":"text/plain","length":1,"sha2":"abc"}]`), code: "xapi.attachment.sha2-form", warning: true},
		{name: "version 1.0", doc: st(basic, `"version":"1.0"`)},
		{name: "version 1.1.0", doc: st(basic, `"version":"1.1.0"`), code: "xapi.version.invalid", req: "XAPI-00101"},

		// What differs between the versions.
		{name: "1.0.3 rejects version 2.0.0", doc: st(basic, `"version":"2.0.0"`), code: "xapi.version.invalid"},
		{name: "2.0 accepts version 2.0.0", v: Version200, doc: st(basic, `"version":"2.0.0"`)},
		{name: "2.0 accepts version 1.0.3", v: Version200, doc: st(basic, `"version":"1.0.3"`)},
		{name: "1.0.3 rejects contextAgents", doc: st(basic, `"context":{"contextAgents":[]}`), code: "xapi.context.v2-only", ptr: "/context/contextAgents"},
		{name: "2.0 contextAgents", v: Version200, doc: st(basic, `"context":{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:b@example.org"}}]}`)},
		{name: "2.0 contextAgent agent is a Group", v: Version200, doc: st(basic, `"context":{"contextAgents":[{"objectType":"contextAgent","agent":{"objectType":"Group","mbox":"mailto:g@example.org"}}]}`), code: "xapi.group.not-allowed"},
		{name: "2.0 contextGroup without objectType", v: Version200, doc: st(basic, `"context":{"contextGroups":[{"group":{"objectType":"Group","mbox":"mailto:g@example.org"}}]}`), code: "xapi.object-type.missing", ptr: "/context/contextGroups/0/objectType"},
		{name: "2.0 relevantTypes empty", v: Version200, doc: st(basic, `"context":{"contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","mbox":"mailto:g@example.org"},"relevantTypes":[]}]}`), code: "xapi.context.relevant-types-empty"},
		{name: "1.0.3 timestamp without zone", doc: st(basic, `"timestamp":"2024-05-31T14:02:00"`), code: "xapi.timestamp.zone-missing", warning: true},
		{name: "2.0 timestamp without zone", v: Version200, doc: st(basic, `"timestamp":"2024-05-31T14:02:00"`), code: "xapi.timestamp.not-rfc3339"},
		{name: "1.0.3 basic-format timestamp", doc: st(basic, `"timestamp":"20240531T140200Z"`), code: "xapi.timestamp.not-rfc3339", warning: true},
		{name: "2.0 basic-format timestamp", v: Version200, doc: st(basic, `"timestamp":"20240531T140200Z"`), code: "xapi.timestamp.not-rfc3339"},
		{name: "2.0 RFC 3339 timestamp", v: Version200, doc: st(basic, `"timestamp":"2024-05-31T16:02:00.5+02:00"`)},
		{name: "negative zero offset", doc: st(basic, `"timestamp":"2024-05-31T14:02:00-00:00"`), code: "xapi.timestamp.invalid", req: "XAPI-00123"},
		{name: "stored", doc: st(basic, `"stored":"2024-05-31"`), code: "xapi.timestamp.invalid", ptr: "/stored"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := Validate([]byte(tc.doc), ValidateOptions{Version: tc.v})
			if tc.code == "" {
				require.Empty(t, rep.Issues, "%s", tc.doc)
				return
			}
			var found *ota.Issue
			for i, is := range rep.Issues {
				if is.Code == tc.code && (tc.ptr == "" || is.Pointer == tc.ptr) {
					found = &rep.Issues[i]
					break
				}
			}
			require.NotNil(t, found, "no %s at %q in %v", tc.code, tc.ptr, rep.Issues)
			assert.NotEmpty(t, found.Message)
			assert.Positive(t, found.Line)
			if tc.req != "" {
				assert.Equal(t, tc.req, found.Requirement)
			}
			if tc.warning {
				assert.Equal(t, ota.Warning, found.Severity)
				assert.False(t, rep.HasErrors(), "a warning case must stay valid: %v", rep.Errors())
			} else {
				assert.Equal(t, ota.Error, found.Severity)
			}
		})
	}
}

func TestLinesAndAllIssuesAtOnce(t *testing.T) {
	doc := `{
  "actor": {"mbox": "nobody"},
  "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
  "object": {
    "id": "https://example.org/a"
  },
  "result": {
    "score": {"scaled": 2},
    "success": "yes"
  }
}`
	rep := Validate([]byte(doc), ValidateOptions{})
	var got []string
	for _, is := range rep.Issues {
		got = append(got, fmt.Sprintf("%d %s %s", is.Line, is.Pointer, is.Code))
	}
	assert.Equal(t, []string{
		"2 /actor/mbox xapi.mbox.invalid",
		"8 /result/score/scaled xapi.score.out-of-range",
		"9 /result/success xapi.json.wrong-type",
	}, got)
}

func TestPolicy(t *testing.T) {
	doc := []byte(st(basic, `"id":"12345678-1234-5678-1234-567812345678"`, `"timestamp":"2024-05-31T14:02:00"`))
	rep := Validate(doc, ValidateOptions{Policy: ota.Policy{"xapi.uuid.not-rfc4122": ota.Error, "xapi.timestamp": ota.Ignore}})
	require.Len(t, rep.Issues, 1)
	assert.Equal(t, ota.Error, rep.Issues[0].Severity)
	assert.True(t, rep.HasErrors())

	rep = Validate(doc, ValidateOptions{Version: "1.0.2"})
	require.Len(t, rep.Issues, 1)
	assert.Equal(t, "xapi.options.version", rep.Issues[0].Code)
}

func TestValidatorReuse(t *testing.T) {
	v := NewValidator(ValidateOptions{})
	bad := v.Validate([]byte(st(actorOK, verbOK)))
	require.True(t, bad.HasErrors())
	first := bad.Issues[0]
	good := v.Validate([]byte(st(basic)))
	assert.Empty(t, good.Issues)
	assert.Equal(t, first, bad.Issues[0], "a report must not share memory with the Validator")
	var zero Validator
	assert.Empty(t, zero.Validate([]byte(st(basic))).Issues)
}

// codes returns the codes of issues, in order.
func codes(issues []ota.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Code)
	}
	return out
}
