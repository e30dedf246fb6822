package jsontree

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walk calls fn for n and every node below it, parents first.
func walk(n *Node, fn func(*Node)) {
	stack := []*Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		fn(n)
		for i := len(n.Members) - 1; i >= 0; i-- {
			stack = append(stack, n.Members[i].Value)
		}
		for i := len(n.Elems) - 1; i >= 0; i-- {
			stack = append(stack, n.Elems[i])
		}
	}
}

func mustParse(t *testing.T, s string) *Node {
	t.Helper()
	n, err := Parse([]byte(s), Limits{})
	require.NoError(t, err, "input %q", s)
	require.NotNil(t, n)
	return n
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		Null: "null", Bool: "boolean", Number: "number", String: "string",
		Array: "array", Object: "object", Kind(42): "Kind(42)",
	} {
		assert.Equal(t, want, k.String())
	}
}

func TestParseScalars(t *testing.T) {
	tests := []struct {
		name, in   string
		kind       Kind
		start, end int
		str, num   string
		boolean    bool
	}{
		{name: "null", in: "null", kind: Null, end: 4},
		{name: "true", in: "true", kind: Bool, end: 4, boolean: true},
		{name: "false", in: "false", kind: Bool, end: 5},
		{name: "zero", in: "0", kind: Number, end: 1, num: "0"},
		{name: "negative zero", in: "-0", kind: Number, end: 2, num: "-0"},
		{name: "fraction and exponent", in: "-12.50e+03", kind: Number, end: 10, num: "-12.50e+03"},
		{name: "capital exponent", in: "1E5", kind: Number, end: 3, num: "1E5"},
		{name: "huge integer kept as text", in: "123456789012345678901234567890", kind: Number, end: 30, num: "123456789012345678901234567890"},
		{name: "surrounding whitespace", in: " \t\r\n 7 \n", kind: Number, start: 5, end: 6, num: "7"},
		{name: "empty string", in: `""`, kind: String, end: 2},
		{name: "plain string", in: `"hello"`, kind: String, end: 7, str: "hello"},
		{name: "long plain string", in: `"` + strings.Repeat("abcdefgh", 5) + `"`, kind: String, end: 42, str: strings.Repeat("abcdefgh", 5)},
		{name: "simple escapes", in: `"\"\\\/\b\f\n\r\t"`, kind: String, end: 18, str: "\"\\/\b\f\n\r\t"},
		{name: "unicode escape", in: `"\u00e9\u20AC"`, kind: String, end: 14, str: "é€"},
		{name: "escape after long run", in: `"abcdefghijklmnop\n"`, kind: String, end: 20, str: "abcdefghijklmnop\n"},
		{name: "surrogate pair", in: `"\ud83d\ude00"`, kind: String, end: 14, str: "😀"},
		{name: "lone high surrogate", in: `"\ud800"`, kind: String, end: 8, str: "\uFFFD"},
		{name: "lone low surrogate", in: `"\udc00"`, kind: String, end: 8, str: "\uFFFD"},
		{name: "two high surrogates", in: `"\ud800\ud800"`, kind: String, end: 14, str: "\uFFFD\uFFFD"},
		{name: "high surrogate then text", in: `"\ud800ab"`, kind: String, end: 10, str: "\uFFFDab"},
		{name: "high surrogate then non-surrogate escape", in: `"\ud800\u0041"`, kind: String, end: 14, str: "\uFFFDA"},
		{name: "escaped NUL", in: `"a\u0000b"`, kind: String, end: 10, str: "a\x00b"},
		{name: "raw multibyte UTF-8", in: `"日本 😀 é"`, kind: String, end: 16, str: "日本 😀 é"},
		{name: "DEL is not a control character", in: "\"\x7f\"", kind: String, end: 3, str: "\x7f"},
		{name: "raw U+FFFD is valid", in: "\"\uFFFD\"", kind: String, end: 5, str: "\uFFFD"},
		{name: "long escaped string", in: `"` + strings.Repeat(`a\n`, 5000) + `"`, kind: String, end: 15002, str: strings.Repeat("a\n", 5000)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := mustParse(t, tc.in)
			assert.Equal(t, tc.kind, n.Kind)
			assert.Equal(t, tc.start, n.Start)
			assert.Equal(t, tc.end, n.End)
			assert.Equal(t, tc.str, n.Str)
			assert.Equal(t, tc.num, n.Num)
			assert.Equal(t, tc.boolean, n.Bool)
			if tc.kind == String {
				// The decoded text matches encoding/json's.
				var want string
				require.NoError(t, json.Unmarshal([]byte(tc.in), &want))
				assert.Equal(t, want, n.Str)
			}
		})
	}
}

func TestParseDocument(t *testing.T) {
	const doc = "{\n" +
		`  "id": "urn:ota:1",` + "\n" +
		`  "parts": [ {"title": "One", "n": 1.5}, [], {}, null, true ],` + "\n" +
		`  "esc\u0061ped": "x\ty"` + "\n" +
		"}"
	data := []byte(doc)
	root := mustParse(t, doc)

	require.Equal(t, Object, root.Kind)
	assert.Equal(t, 0, root.Start)
	assert.Equal(t, len(doc), root.End)
	require.Len(t, root.Members, 3)
	assert.Equal(t, []string{"id", "parts", "escaped"},
		[]string{root.Members[0].Key, root.Members[1].Key, root.Members[2].Key})
	for _, m := range root.Members {
		assert.Equal(t, byte('"'), data[m.KeyStart], "key %q", m.Key)
	}
	assert.Equal(t, strings.Index(doc, `"parts"`), root.Members[1].KeyStart)

	id := root.Get("id")
	require.NotNil(t, id)
	assert.Equal(t, "urn:ota:1", id.Str)
	assert.Equal(t, `"urn:ota:1"`, string(id.Raw(data)))

	parts := root.Get("parts")
	require.NotNil(t, parts)
	require.Equal(t, Array, parts.Kind)
	assert.Equal(t, `[ {"title": "One", "n": 1.5}, [], {}, null, true ]`, string(parts.Raw(data)))
	require.Len(t, parts.Elems, 5)
	kinds := []Kind{}
	for _, e := range parts.Elems {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []Kind{Object, Array, Object, Null, Bool}, kinds)
	assert.Equal(t, `{"title": "One", "n": 1.5}`, string(parts.Elems[0].Raw(data)))
	assert.Equal(t, "One", parts.Elems[0].Get("title").Str)
	assert.Equal(t, "1.5", parts.Elems[0].Get("n").Num)
	assert.Equal(t, "1.5", string(parts.Elems[0].Get("n").Raw(data)))
	assert.Equal(t, "[]", string(parts.Elems[1].Raw(data)))
	assert.Nil(t, parts.Elems[1].Elems)
	assert.Equal(t, "{}", string(parts.Elems[2].Raw(data)))
	assert.Nil(t, parts.Elems[2].Members)
	assert.True(t, parts.Elems[4].Bool)

	esc := root.Get("escaped")
	require.NotNil(t, esc)
	assert.Equal(t, "x\ty", esc.Str)
	assert.Equal(t, `"x\ty"`, string(esc.Raw(data)))
	assert.Nil(t, root.Get("esc\\u0061ped"), "keys are compared decoded")
}

func TestRawNested(t *testing.T) {
	const doc = ` { "a" : [ 1 , { "b" : "x\n" , "c" : [ [ ] , -2.5E-3 ] } ] , "d" : false } `
	data := []byte(doc)
	root := mustParse(t, doc)
	a := root.Get("a")
	inner := a.Elems[1]
	c := inner.Get("c")
	for want, n := range map[string]*Node{
		`{ "a" : [ 1 , { "b" : "x\n" , "c" : [ [ ] , -2.5E-3 ] } ] , "d" : false }`: root,
		`[ 1 , { "b" : "x\n" , "c" : [ [ ] , -2.5E-3 ] } ]`:                         a,
		`1`: a.Elems[0],
		`{ "b" : "x\n" , "c" : [ [ ] , -2.5E-3 ] }`: inner,
		`"x\n"`:             inner.Get("b"),
		`[ [ ] , -2.5E-3 ]`: c,
		`[ ]`:               c.Elems[0],
		`-2.5E-3`:           c.Elems[1],
		`false`:             root.Get("d"),
	} {
		assert.Equal(t, want, string(n.Raw(data)))
	}
	// Every value's raw text is valid JSON of the same kind on its own.
	walk(root, func(n *Node) {
		sub, err := Parse(n.Raw(data), Limits{})
		require.NoError(t, err)
		assert.Equal(t, n.Kind, sub.Kind)
	})
}

func TestInputNotRetained(t *testing.T) {
	data := []byte(`{"plain": "abc", "esc": "d\te", "num": 12}`)
	root, err := Parse(data, Limits{})
	require.NoError(t, err)
	for i := range data {
		data[i] = 'X'
	}
	assert.Equal(t, "plain", root.Members[0].Key)
	assert.Equal(t, "abc", root.Get("plain").Str)
	assert.Equal(t, "d\te", root.Get("esc").Str)
	assert.Equal(t, "12", root.Get("num").Num)
}

func TestRawOutOfRange(t *testing.T) {
	var nilNode *Node
	assert.Nil(t, nilNode.Raw([]byte("x")))
	assert.Nil(t, (&Node{Start: 2, End: 5}).Raw([]byte("abc")))
	assert.Nil(t, (&Node{Start: 2, End: 1}).Raw([]byte("abc")))
}

func TestGet(t *testing.T) {
	root := mustParse(t, `{"a": 1, "b": {"c": 2}, "": 3}`)
	assert.Equal(t, "1", root.Get("a").Num)
	assert.Equal(t, "2", root.Get("b").Get("c").Num)
	assert.Equal(t, "3", root.Get("").Num)
	assert.Nil(t, root.Get("zzz"))
	assert.Nil(t, root.Get("b").Get("zzz").Get("x"), "Get on nil is nil")
	assert.Nil(t, mustParse(t, `[1]`).Get("0"), "Get on an array is nil")
}

func TestAllowDuplicateKeys(t *testing.T) {
	n, err := Parse([]byte(`{"a": 1, "\u0061": 2}`), Limits{AllowDuplicateKeys: true})
	require.NoError(t, err)
	require.Len(t, n.Members, 2)
	assert.Equal(t, "2", n.Get("a").Num, "last duplicate wins")
}

func TestManyMembersAndElements(t *testing.T) {
	// Large containers exercise the map-based duplicate check and the
	// chunk allocator's oversize path.
	var b strings.Builder
	b.WriteString(`{"list": [`)
	for i := range 5000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"k": "v"}`)
	}
	b.WriteString(`], `)
	for i := range 1000 {
		b.WriteString(`"key` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i) + `": ` + strconv.Itoa(i) + `, `)
	}
	b.WriteString(`"last": true}`)
	data := []byte(b.String())
	root, err := Parse(data, Limits{})
	require.NoError(t, err)
	assert.Len(t, root.Members, 1002)
	assert.Len(t, root.Get("list").Elems, 5000)
	assert.True(t, root.Get("last").Bool)
	for i, e := range root.Get("list").Elems {
		if !assert.Equal(t, `{"k": "v"}`, string(e.Raw(data)), "element %d", i) {
			break
		}
	}
	// The same keys again after a duplicate in a large object fail.
	dup := strings.Replace(b.String(), `"last"`, `"keya0"`, 1)
	_, err = Parse([]byte(dup), Limits{})
	require.ErrorIs(t, err, ErrDuplicateKey)
}

func TestSizeConstants(t *testing.T) {
	if strconv.IntSize != 64 {
		t.Skip("sizes are for 64-bit platforms")
	}
	assert.Equal(t, uintptr(nodeSize), reflect.TypeFor[Node]().Size())
	assert.Equal(t, uintptr(memberSize), reflect.TypeFor[Member]().Size())
}

func TestSlicesAreCapped(t *testing.T) {
	// Appending to one container's slice must not overwrite a neighbour
	// carved from the same chunk.
	root := mustParse(t, `[[1, 2], [3, 4], {"a": 1}, {"b": 2}]`)
	first := root.Elems[0]
	_ = append(first.Elems, root.Elems[1])
	assert.Equal(t, "3", root.Elems[1].Elems[0].Num)
	obj := root.Elems[2]
	_ = append(obj.Members, Member{Key: "zzz"})
	assert.Equal(t, "b", root.Elems[3].Members[0].Key)
}

func TestMaxValues(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		fail bool
	}{
		{`[0,0,0]`, 4, false},
		{`[0,0,0]`, 3, true},
		{`{"a":{"b":[true,null]}}`, 5, false},
		{`{"a":{"b":[true,null]}}`, 4, true},
		{`"x"`, 1, false},
		{`[0,0,0]`, 0, false},
	} {
		_, err := Parse([]byte(tc.in), Limits{MaxValues: tc.max})
		if tc.fail {
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrTooMany) {
				t.Errorf("%s with %d values allowed: %v", tc.in, tc.max, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s with %d values allowed: %v", tc.in, tc.max, err)
		}
	}
}
