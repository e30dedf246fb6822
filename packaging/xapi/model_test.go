package xapi

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarshalDeterministic(t *testing.T) {
	s := &Statement{
		Actor: MboxAgent("Ana", "ana@example.org"),
		Verb:  &Verb{ID: "http://adlnet.gov/expapi/verbs/experienced", Display: LanguageMap{"zh-Hant": "經歷", "en": "experienced", "de": "erlebt"}},
		Object: Object{Activity: &Activity{ID: "https://example.org/a", Definition: &ActivityDefinition{
			Extensions: Extensions{"https://example.org/z": json.RawMessage(`{ "b" : 1 , "a" : [ 1 , 2 ] }`), "https://example.org/a": json.RawMessage(`null`)},
		}}},
		Unknown: Unknown{"zzz": json.RawMessage(`1`), "aaa": json.RawMessage(`"x"`)},
	}
	first, err := s.MarshalJSON()
	require.NoError(t, err)
	for range 20 {
		again, err := s.MarshalJSON()
		require.NoError(t, err)
		require.Equal(t, string(first), string(again))
	}
	assert.Equal(t, `{"actor":{"objectType":"Agent","name":"Ana","mbox":"mailto:ana@example.org"},`+
		`"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced","display":{"de":"erlebt","en":"experienced","zh-Hant":"經歷"}},`+
		`"object":{"id":"https://example.org/a","definition":{"extensions":{"https://example.org/a":null,"https://example.org/z":{"b":1,"a":[1,2]}}}},`+
		`"aaa":"x","zzz":1}`, string(first))

	// json.Marshal uses the same method, through a value or a pointer.
	viaJSON, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, string(first), string(viaJSON))
	viaValue, err := json.Marshal(*s)
	require.NoError(t, err)
	assert.JSONEq(t, string(first), string(viaValue))
}

func TestMarshalStringsAndNumbers(t *testing.T) {
	for _, s := range []string{"plain", "quote \" backslash \\ slash /", "tab\tnewline\ncr\r", "\x00\x01\x1f\x7f", "<html>&amp;", "é ü 中文 🎓", "\u2028\u2029", "bad \xff utf8"} {
		var e encoder
		e.string(s)
		var back string
		require.NoError(t, json.Unmarshal(e.buf.Bytes(), &back), "%q → %s", s, e.buf.Bytes())
		want := string([]rune(s)) // invalid UTF-8 becomes U+FFFD, as encoding/json does
		assert.Equal(t, want, back)
	}
	for _, f := range []float64{0, -0.5, 1, 0.95, 100, 1e20, 1e21, 1e-6, 1e-7, 123456.789, -1.00001, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		var e encoder
		e.number(f)
		want, err := json.Marshal(f)
		require.NoError(t, err)
		assert.Equal(t, string(want), e.buf.String(), "%v", f)
	}
}

func TestMarshalErrors(t *testing.T) {
	base := func() *Statement {
		return &Statement{Actor: MboxAgent("", "a@example.org"), Verb: &Verb{ID: "http://example.org/v"},
			Object: Object{Activity: &Activity{ID: "https://example.org/a"}}}
	}
	s := base()
	s.Object.StatementRef = NewStatementRef(NewID())
	_, err := s.MarshalJSON()
	assert.ErrorContains(t, err, "more than one")

	s = base()
	s.Result = &Result{Score: &Score{Raw: new(math.NaN())}}
	_, err = s.MarshalJSON()
	assert.ErrorContains(t, err, "NaN")
	rep := s.Check(ValidateOptions{})
	require.Len(t, rep.Issues, 1)
	assert.Equal(t, "xapi.model.unencodable", rep.Issues[0].Code)

	s = base()
	s.Unknown = Unknown{"x": json.RawMessage(`{bad`)}
	_, err = s.MarshalJSON()
	assert.ErrorContains(t, err, "not valid JSON")
	_, _, err = Downgrade(s)
	assert.Error(t, err)
}

func TestObjectKinds(t *testing.T) {
	for _, tc := range []struct {
		object string
		check  func(*testing.T, Object)
	}{
		{`{"id":"https://example.org/a"}`, func(t *testing.T, o Object) { assert.Equal(t, "https://example.org/a", o.Activity.ID) }},
		{`{"objectType":"Agent","mbox":"mailto:b@example.org"}`, func(t *testing.T, o Object) { assert.Equal(t, "mailto:b@example.org", o.Actor.Mbox) }},
		{`{"objectType":"Group","member":[{"mbox":"mailto:b@example.org"}]}`, func(t *testing.T, o Object) { assert.True(t, o.Actor.IsGroup()) }},
		{`{"objectType":"StatementRef","id":"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f"}`, func(t *testing.T, o Object) { assert.NotNil(t, o.StatementRef) }},
		{`{"objectType":"SubStatement",` + basic + `}`, func(t *testing.T, o Object) {
			assert.Equal(t, "https://example.org/a", o.SubStatement.Object.Activity.ID)
		}},
		{`{"objectType":"agent","mbox":"mailto:b@example.org"}`, func(t *testing.T, o Object) { assert.Equal(t, "agent", o.Actor.ObjectType) }},
		{`{"objectType":"Person","name":"x"}`, func(t *testing.T, o Object) {
			assert.Equal(t, "Person", o.Activity.ObjectType)
			assert.JSONEq(t, `"x"`, string(o.Activity.Unknown["name"]))
		}},
	} {
		t.Run(tc.object, func(t *testing.T) {
			var s Statement
			require.NoError(t, json.Unmarshal([]byte(st(actorOK, verbOK, `"object":`+tc.object)), &s))
			tc.check(t, s.Object)
			checkRoundTrip(t, []byte(st(actorOK, verbOK, `"object":`+tc.object)), Version103)
		})
	}
}

func TestUnknownKeepsInvalidValues(t *testing.T) {
	doc := st(actorOK, verbOK, objectOK,
		`"result":{"score":{"raw":"12","max":1e999},"success":"yes","response":"","extensions":5}`,
		`"context":{"contextActivities":{"parent":[{"id":"https://example.org/p"},"oops"]},"language":null}`,
		`"attachments":[{"length":2.5}]`)
	s, rep, err := Decode([]byte(doc), ValidateOptions{})
	require.NoError(t, err)
	assert.True(t, rep.HasErrors())
	assert.Nil(t, s.Result.Score.Raw)
	assert.JSONEq(t, `"12"`, string(s.Result.Score.Unknown["raw"]))
	assert.Equal(t, `1e999`, string(s.Result.Score.Unknown["max"]))
	assert.Nil(t, s.Result.Success)
	assert.JSONEq(t, `""`, string(s.Result.Unknown["response"]))
	assert.JSONEq(t, `5`, string(s.Result.Unknown["extensions"]))
	assert.Nil(t, s.Context.ContextActivities.Parent)
	assert.JSONEq(t, `[{"id":"https://example.org/p"},"oops"]`, string(s.Context.ContextActivities.Unknown["parent"]))
	assert.JSONEq(t, `null`, string(s.Context.Unknown["language"]))
	assert.JSONEq(t, `2.5`, string(s.Attachments[0].Unknown["length"]))
	out, err := s.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, doc, string(out), "the members are already in the encoder's order")
}

func TestDecodeErrors(t *testing.T) {
	_, rep, err := Decode([]byte("{\n  \"actor\": ,\n}"), ValidateOptions{})
	assert.ErrorIs(t, err, ErrSyntax)
	require.Len(t, rep.Issues, 1)
	assert.Equal(t, 2, rep.Issues[0].Line)

	_, _, err = Decode([]byte(`"statement"`), ValidateOptions{})
	assert.ErrorIs(t, err, ErrNotObject)

	_, _, err = Decode([]byte(st(basic)), ValidateOptions{Version: "3.0.0"})
	assert.Error(t, err)

	var s Statement
	assert.ErrorIs(t, json.Unmarshal([]byte(`[]`), &s), ErrNotObject)
	var a Actor
	assert.True(t, errors.Is(a.UnmarshalJSON([]byte(`{`)), ErrSyntax))
	require.NoError(t, json.Unmarshal([]byte(`{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"u1"}}`), &a))
	assert.Equal(t, "u1", a.Account.Name)
	var act Activity
	require.NoError(t, json.Unmarshal([]byte(`{"id":"https://example.org/a","definition":{"name":{"en":"A"}}}`), &act))
	assert.Equal(t, "A", act.Definition.Name["en"])
	out, err := json.Marshal(act)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"https://example.org/a","definition":{"name":{"en":"A"}}}`, string(out))
}

func TestDowngrade(t *testing.T) {
	data := ownStatements(t)["v2-context-agents"]
	s, rep, err := Decode(data, ValidateOptions{Version: Version200})
	require.NoError(t, err)
	require.False(t, rep.HasErrors(), "%v", rep.Issues)
	require.True(t, s.Check(ValidateOptions{}).HasErrors(), "a 2.0 statement is not valid 1.0.3")

	old, losses, err := Downgrade(s)
	require.NoError(t, err)
	var ptrs []string
	for _, l := range losses {
		ptrs = append(ptrs, l.Pointer)
		assert.NotEmpty(t, l.Why)
	}
	assert.Equal(t, []string{"/context/contextAgents", "/context/contextGroups", "/version"}, ptrs)
	assert.Nil(t, old.Context, "a context left empty is removed")
	assert.Equal(t, "1.0.3", old.Version)
	assert.Empty(t, old.Check(ValidateOptions{}).Issues)
	assert.NotNil(t, s.Context.ContextAgents, "Downgrade must not modify its argument")

	// A 1.0.3 statement passes unchanged.
	plain, _, err := Decode(ownStatements(t)["completed-course"], ValidateOptions{})
	require.NoError(t, err)
	same, losses, err := Downgrade(plain)
	require.NoError(t, err)
	assert.Empty(t, losses)
	assert.Equal(t, plain, same)

	// Invalid 2.0 content kept verbatim is dropped too.
	bad, _, err := Decode([]byte(st(basic, `"context":{"platform":"x","contextGroups":7}`)), ValidateOptions{})
	require.NoError(t, err)
	fixed, losses, err := Downgrade(bad)
	require.NoError(t, err)
	require.Len(t, losses, 1)
	assert.Equal(t, "x", fixed.Context.Platform)
	assert.Empty(t, fixed.Check(ValidateOptions{}).Issues)
}

func TestBuilders(t *testing.T) {
	assert.Equal(t, "mailto:a@example.org", MboxAgent("", "a@example.org").Mbox)
	assert.Equal(t, "mailto:a@example.org", MboxAgent("", "mailto:a@example.org").Mbox)
	reason, rfc := checkUUID(NewID())
	assert.Empty(t, reason)
	assert.True(t, rfc)
	s := &Statement{
		ID:     NewID(),
		Actor:  AccountAgent("", "https://lms.example.org/", "u1"),
		Verb:   &Verb{ID: VerbVoided},
		Object: Object{StatementRef: &StatementRef{ID: NewID()}},
		Context: &Context{
			Statement:     NewStatementRef(NewID()),
			ContextGroups: []ContextGroup{NewContextGroup(&Actor{ObjectType: ObjectTypeGroup, OpenID: "https://id.example.org/g"})},
		},
	}
	assert.Empty(t, s.Check(ValidateOptions{Version: Version200}).Issues)
	assert.Equal(t, []string{"xapi.context.v2-only"}, codes(s.Check(ValidateOptions{}).Issues))
}
