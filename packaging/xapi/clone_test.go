package xapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

// fill sets every field reachable from v (a settable value) to a non-zero
// value, depth levels down for the recursive types.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64, reflect.Int64:
		if v.Kind() == reflect.Float64 {
			v.SetFloat(0.5)
		} else {
			v.SetInt(5)
		}
	case reflect.Pointer:
		if depth == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth-1)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), depth)
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			v.SetBytes([]byte(`{"k":1}`))
			return
		}
		if depth == 0 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), depth-1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth)
		m.SetMapIndex(reflect.ValueOf("k").Convert(v.Type().Key()), e)
		v.Set(m)
	}
}

// mutate changes, in place, every value reachable from v.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("changed")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Float64:
		v.SetFloat(99)
	case reflect.Int64:
		v.SetInt(99)
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			mutate(v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	case reflect.Uint8:
		v.SetUint(v.Uint() + 1)
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			if e.Kind() == reflect.Slice { // a raw value: change its bytes in place
				mutate(e)
			}
			v.SetMapIndex(k, reflect.ValueOf("changed").Convert(v.Type().Elem()).Convert(v.Type().Elem()))
		}
	}
}

func full() *Statement {
	s := new(Statement)
	fill(reflect.ValueOf(s).Elem(), 3)
	return s
}

// TestCloneIsDeep: a clone equals the statement, and changing everything in
// the clone — extensions, attachments, unknown members, pointers — leaves
// the statement as it was.
func TestCloneIsDeep(t *testing.T) {
	orig, want := full(), full()
	if orig.Object.SubStatement == nil || len(orig.Attachments) == 0 || orig.Context.ContextActivities == nil ||
		len(orig.Object.Activity.Definition.Extensions) == 0 || orig.Result.Score.Raw == nil {
		t.Fatal("fill left fields empty")
	}
	c := orig.Clone()
	if !reflect.DeepEqual(c, orig) {
		t.Fatal("the clone differs from the statement")
	}
	mutate(reflect.ValueOf(c).Elem())
	if reflect.DeepEqual(c, orig) {
		t.Fatal("mutate changed nothing")
	}
	if !reflect.DeepEqual(orig, want) {
		t.Error("changing the clone changed the statement")
	}
	if (*Statement)(nil).Clone() != nil {
		t.Error("Clone of nil is not nil")
	}
}
