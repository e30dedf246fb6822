package xapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/metaacademy/ota/internal/jsonesc"
	"github.com/metaacademy/ota/internal/jsontree"
)

// The encoder writes the model as JSON deterministically: members in the
// order the specification lists them, map keys (language maps, extensions,
// unknown members) sorted, no insignificant white space, numbers in the
// shortest form that reads back as the same float64. The same model always
// gives the same bytes.
//
// Empty strings, nil pointers and nil maps and slices are left out; a
// non-nil empty slice is written as []. ObjectType fields are written as
// they are, except in a statement's object, where the objectType decides
// what the object is: there an empty ObjectType is written as
// "StatementRef", "SubStatement" or "Agent" for a StatementRef,
// SubStatement or Actor, so that the JSON reads back as the same kind.

// encoder accumulates JSON text.
type encoder struct {
	buf bytes.Buffer
	err error
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// MarshalJSON writes the statement as deterministic JSON (see the package
// documentation). It fails when the model cannot be written as JSON: an
// Object with more than one field set, a score that is NaN or infinite, or
// an extension or Unknown value that is not valid JSON.
func (s Statement) MarshalJSON() ([]byte, error) {
	var e encoder
	e.statement(&s)
	return e.result()
}

// MarshalJSON writes the Agent or Group as deterministic JSON.
func (a Actor) MarshalJSON() ([]byte, error) {
	var e encoder
	e.actor(&a, "")
	return e.result()
}

// MarshalJSON writes the Activity as deterministic JSON.
func (a Activity) MarshalJSON() ([]byte, error) {
	var e encoder
	e.activity(&a)
	return e.result()
}

// MarshalJSON writes the verb as deterministic JSON.
func (v Verb) MarshalJSON() ([]byte, error) {
	var e encoder
	e.verb(&v)
	return e.result()
}

func (e *encoder) result() ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	return e.buf.Bytes(), nil
}

// fields writes the members of one object. For each known member, in
// order, the typed value is written when set, else an Unknown member of the
// same name; finally the remaining Unknown members, sorted.
type fields struct {
	e     *encoder
	n     int
	u     Unknown
	known []string
}

func (e *encoder) object(u Unknown, known []string) *fields {
	e.buf.WriteByte('{')
	return &fields{e: e, u: u, known: known}
}

func (f *fields) key(k string) {
	if f.n > 0 {
		f.e.buf.WriteByte(',')
	}
	f.n++
	f.e.string(k)
	f.e.buf.WriteByte(':')
}

// has starts member k and returns true when set; otherwise it writes the
// Unknown member k, if any, and returns false.
func (f *fields) has(k string, set bool) bool {
	if set {
		f.key(k)
		return true
	}
	if r, ok := f.u[k]; ok {
		f.key(k)
		f.e.raw(r)
	}
	return false
}

func (f *fields) str(k, v string) {
	if f.has(k, v != "") {
		f.e.string(v)
	}
}

func (f *fields) end() {
	if len(f.u) > 0 {
		keys := make([]string, 0, len(f.u))
		for k := range f.u {
			if !slices.Contains(f.known, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			f.key(k)
			f.e.raw(f.u[k])
		}
	}
	f.e.buf.WriteByte('}')
}

// raw writes a JSON value kept verbatim, without insignificant white space.
func (e *encoder) raw(r []byte) {
	if err := jsontree.Compact(&e.buf, r); err != nil {
		e.fail(fmt.Errorf("xapi: a value kept verbatim is not valid JSON: %w", err))
		e.buf.WriteString("null")
	}
}

// string writes s as a JSON string, escaped as [jsonesc.AppendString] does
// (invalid UTF-8 becomes U+FFFD).
func (e *encoder) string(s string) { e.buf.Write(jsonesc.AppendString(e.buf.AvailableBuffer(), s)) }

// number writes f the way encoding/json does.
func (e *encoder) number(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.fail(errors.New("xapi: a score is NaN or infinite, which JSON cannot hold"))
		e.buf.WriteString("0")
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	var scratch [32]byte
	b := strconv.AppendFloat(scratch[:0], f, format, -1, 64)
	if format == 'e' {
		// Turn e-09 into e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	e.buf.Write(b)
}

// langMap writes a language map with sorted keys.
func (e *encoder) langMap(m LanguageMap) { sortedObject(e, m, (*encoder).string) }

// extensions writes extensions with sorted keys and compacted values.
func (e *encoder) extensions(x Extensions) {
	sortedObject(e, x, func(e *encoder, v json.RawMessage) { e.raw(v) })
}

// sortedObject writes m as a JSON object with sorted keys, each value by
// value.
func sortedObject[M ~map[string]V, V any](e *encoder, m M, value func(*encoder, V)) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		e.string(k)
		e.buf.WriteByte(':')
		value(e, m[k])
	}
	e.buf.WriteByte('}')
}

func (e *encoder) strings(list []string) {
	e.buf.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		e.string(s)
	}
	e.buf.WriteByte(']')
}

func (e *encoder) statement(s *Statement) {
	f := e.object(s.Unknown, statementKeys)
	f.str("id", s.ID)
	if f.has("actor", s.Actor != nil) {
		e.actor(s.Actor, "")
	}
	if f.has("verb", s.Verb != nil) {
		e.verb(s.Verb)
	}
	if f.has("object", !s.Object.IsZero()) {
		e.objectValue(&s.Object)
	}
	if f.has("result", s.Result != nil) {
		e.resultValue(s.Result)
	}
	if f.has("context", s.Context != nil) {
		e.context(s.Context)
	}
	f.str("timestamp", s.Timestamp)
	f.str("stored", s.Stored)
	if f.has("authority", s.Authority != nil) {
		e.actor(s.Authority, "")
	}
	f.str("version", s.Version)
	if f.has("attachments", s.Attachments != nil) {
		e.attachments(s.Attachments)
	}
	f.end()
}

func (e *encoder) subStatement(s *SubStatement) {
	f := e.object(s.Unknown, subStatementKeys)
	f.objectType(s.ObjectType, ObjectTypeSubStatement)
	if f.has("actor", s.Actor != nil) {
		e.actor(s.Actor, "")
	}
	if f.has("verb", s.Verb != nil) {
		e.verb(s.Verb)
	}
	if f.has("object", !s.Object.IsZero()) {
		e.objectValue(&s.Object)
	}
	if f.has("result", s.Result != nil) {
		e.resultValue(s.Result)
	}
	if f.has("context", s.Context != nil) {
		e.context(s.Context)
	}
	f.str("timestamp", s.Timestamp)
	if f.has("attachments", s.Attachments != nil) {
		e.attachments(s.Attachments)
	}
	f.end()
}

// actor writes an Agent or Group; defType is written when ObjectType is
// empty ("" writes nothing).
func (e *encoder) actor(a *Actor, defType string) {
	f := e.object(a.Unknown, actorKeys)
	f.objectType(a.ObjectType, defType)
	f.str("name", a.Name)
	f.str("mbox", a.Mbox)
	f.str("mbox_sha1sum", a.MboxSHA1Sum)
	f.str("openid", a.OpenID)
	if f.has("account", a.Account != nil) {
		g := e.object(a.Account.Unknown, accountKeys)
		g.str("homePage", a.Account.HomePage)
		g.str("name", a.Account.Name)
		g.end()
	}
	if f.has("member", a.Member != nil) {
		e.buf.WriteByte('[')
		for i := range a.Member {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			e.actor(&a.Member[i], "")
		}
		e.buf.WriteByte(']')
	}
	f.end()
}

func (e *encoder) verb(v *Verb) {
	f := e.object(v.Unknown, verbKeys)
	f.str("id", v.ID)
	if f.has("display", v.Display != nil) {
		e.langMap(v.Display)
	}
	f.end()
}

// objectValue writes the one field of o that is set.
func (e *encoder) objectValue(o *Object) {
	n := 0
	for _, set := range []bool{o.Activity != nil, o.Actor != nil, o.StatementRef != nil, o.SubStatement != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		e.fail(errors.New("xapi: an Object has more than one of Activity, Actor, StatementRef and SubStatement set"))
	}
	switch {
	case o.Activity != nil:
		e.activity(o.Activity)
	case o.Actor != nil:
		e.actor(o.Actor, ObjectTypeAgent)
	case o.StatementRef != nil:
		e.statementRef(o.StatementRef, ObjectTypeStatementRef)
	case o.SubStatement != nil:
		e.subStatement(o.SubStatement)
	}
}

// statementRef writes a StatementRef; def is written when ObjectType is
// empty ("" writes nothing).
func (e *encoder) statementRef(r *StatementRef, def string) {
	f := e.object(r.Unknown, statementRefKeys)
	f.objectType(r.ObjectType, def)
	f.str("id", r.ID)
	f.end()
}

func (e *encoder) activity(a *Activity) {
	f := e.object(a.Unknown, activityKeys)
	f.str("objectType", a.ObjectType)
	f.str("id", a.ID)
	if f.has("definition", a.Definition != nil) {
		e.definition(a.Definition)
	}
	f.end()
}

func (e *encoder) definition(d *ActivityDefinition) {
	f := e.object(d.Unknown, definitionKeys)
	if f.has("name", d.Name != nil) {
		e.langMap(d.Name)
	}
	if f.has("description", d.Description != nil) {
		e.langMap(d.Description)
	}
	f.str("type", d.Type)
	f.str("moreInfo", d.MoreInfo)
	if f.has("extensions", d.Extensions != nil) {
		e.extensions(d.Extensions)
	}
	f.str("interactionType", d.InteractionType)
	if f.has("correctResponsesPattern", d.CorrectResponsesPattern != nil) {
		e.strings(d.CorrectResponsesPattern)
	}
	for _, l := range []struct {
		key  string
		list []InteractionComponent
	}{{"choices", d.Choices}, {"scale", d.Scale}, {"source", d.Source}, {"target", d.Target}, {"steps", d.Steps}} {
		if f.has(l.key, l.list != nil) {
			e.components(l.list)
		}
	}
	f.end()
}

func (e *encoder) components(list []InteractionComponent) {
	e.buf.WriteByte('[')
	for i := range list {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		c := &list[i]
		f := e.object(c.Unknown, componentKeys)
		f.str("id", c.ID)
		if f.has("description", c.Description != nil) {
			e.langMap(c.Description)
		}
		f.end()
	}
	e.buf.WriteByte(']')
}

// objectType writes the objectType member: v when set, else an Unknown
// objectType (one of the wrong type), else def when not empty.
func (f *fields) objectType(v, def string) {
	if v == "" {
		if _, ok := f.u["objectType"]; ok {
			f.has("objectType", false)
			return
		}
		v = def
	}
	f.str("objectType", v)
}
