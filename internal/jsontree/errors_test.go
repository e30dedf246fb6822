package jsontree

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		err       error
		off       int
		line, col int
		ptr       string
		msg       string // substring of Msg
	}{
		{"empty input", "", ErrSyntax, 0, 1, 1, "", "empty input; expected a JSON value"},
		{"whitespace only", " \n ", ErrSyntax, 3, 2, 2, "", "unexpected end of input at line 2, column 2; expected a JSON value"},
		{"unexpected bracket", "{\n  \"a\": [\n    1,\n  ]\n}", ErrSyntax, 20, 4, 3, "/a/1", "unexpected ']' at line 4, column 3; expected a value (trailing commas are not allowed)"},
		{"unexpected close at top", "]", ErrSyntax, 0, 1, 1, "", "unexpected ']' at line 1, column 1; expected a value"},
		{"trailing comma in object", `{"a": 1,}`, ErrSyntax, 8, 1, 9, "", "expected a string key in double quotes (trailing commas are not allowed)"},
		{"missing comma in array", `{"x": [1 2]}`, ErrSyntax, 9, 1, 10, "/x", "unexpected '2' at line 1, column 10; expected ',' or ']' after an array element"},
		{"missing comma in object", `{"a": 1 "b": 2}`, ErrSyntax, 8, 1, 9, "", "expected ',' or '}' after an object member"},
		{"missing colon", `{"a" 1}`, ErrSyntax, 5, 1, 6, "/a", "expected ':' after the object key"},
		{"unquoted key", `{a: 1}`, ErrSyntax, 1, 1, 2, "", "unexpected 'a' at line 1, column 2; expected a string key in double quotes"},
		{"single quotes", `['a']`, ErrSyntax, 1, 1, 2, "/0", "strings must be in double quotes"},
		{"line comment", "[1, // two\n 2]", ErrSyntax, 4, 1, 5, "/1", "comments are not allowed"},
		{"mismatched bracket", `[1}`, ErrSyntax, 2, 1, 3, "", "unexpected '}'"},
		{"second value", `{} {}`, ErrSyntax, 3, 1, 4, "", "unexpected '{' after the top-level value at line 1, column 4; expected end of input"},
		{"garbage after scalar", `1 x`, ErrSyntax, 2, 1, 3, "", "after the top-level value"},
		{"unterminated array", `[1, [2]`, ErrSyntax, 7, 1, 8, "", "unexpected end of input at line 1, column 8; expected ',' or ']'"},
		{"unterminated object", `{"a": {"b": 1`, ErrSyntax, 13, 1, 14, "/a", "expected ',' or '}'"},
		{"unterminated key", `{"ab`, ErrSyntax, 4, 1, 5, "", "unexpected end of input in string"},
		{"unterminated string", `{"a": "xyz`, ErrSyntax, 10, 1, 11, "/a", "unexpected end of input in string"},
		{"byte order mark", "\xef\xbb\xbf{}", ErrSyntax, 0, 1, 1, "", "byte order mark U+FEFF"},
		{"form feed is not whitespace", "[\f1]", ErrSyntax, 1, 1, 2, "/0", "control character U+000C"},
		{"NaN", `[NaN]`, ErrSyntax, 1, 1, 2, "/0", "unexpected 'N'"},
		{"Infinity", `-Infinity`, ErrSyntax, 1, 1, 2, "", "unexpected 'I' in number at line 1, column 2; expected a digit after '-'"},
		{"plus sign", `+1`, ErrSyntax, 0, 1, 1, "", "numbers start with '-' or a digit"},
		{"leading zero", `[00]`, ErrSyntax, 2, 1, 3, "/0", "leading zeros are not allowed"},
		{"negative leading zero", `-01`, ErrSyntax, 2, 1, 3, "", "leading zeros are not allowed"},
		{"leading dot", `.5`, ErrSyntax, 0, 1, 1, "", "unexpected '.'"},
		{"trailing dot", `1.`, ErrSyntax, 2, 1, 3, "", "expected a digit after the decimal point"},
		{"dot then exponent", `1.e5`, ErrSyntax, 2, 1, 3, "", "expected a digit after the decimal point"},
		{"empty exponent", `1e`, ErrSyntax, 2, 1, 3, "", "expected a digit in the exponent"},
		{"signed empty exponent", `1E-x`, ErrSyntax, 3, 1, 4, "", "expected a digit in the exponent"},
		{"hex number", `0x10`, ErrSyntax, 1, 1, 2, "", "unexpected 'x' after the top-level value"},
		{"capitalised literal", `True`, ErrSyntax, 0, 1, 1, "", "unexpected 'T'"},
		{"misspelt literal", `{"a": nul}`, ErrSyntax, 9, 1, 10, "/a", "unexpected '}' in literal at line 1, column 10; expected the literal null"},
		{"truncated literal", `fals`, ErrSyntax, 4, 1, 5, "", "unexpected end of input in literal"},
		{"literal with suffix", `[truex]`, ErrSyntax, 5, 1, 6, "", "unexpected 'x'"},
		{"raw newline in string", "[\"a\nb\"]", ErrSyntax, 3, 1, 4, "/0", "unescaped control character U+000A in string"},
		{"raw tab in key", "{\"a\tb\": 1}", ErrSyntax, 3, 1, 4, "", "unescaped control character U+0009"},
		{"raw NUL in string", "\"\x00\"", ErrSyntax, 1, 1, 2, "", "U+0000"},
		{"control char after escape", "\"\\n\x01\"", ErrSyntax, 3, 1, 4, "", "U+0001"},
		{"bad escape", `{"a": "\x41"}`, ErrSyntax, 8, 1, 9, "/a", `invalid escape '\x' in string`},
		{"escaped apostrophe", `"\'"`, ErrSyntax, 2, 1, 3, "", `invalid escape '\''`},
		{"backslash at end", `"\`, ErrSyntax, 2, 1, 3, "", "unexpected end of input in string"},
		{"bad hex digit", `"\u12G4"`, ErrSyntax, 5, 1, 6, "", `unexpected 'G' in \u escape`},
		{"short unicode escape", `"\u12"`, ErrSyntax, 5, 1, 6, "", `unexpected '"' in \u escape`},
		{"unicode escape at end", `"\u12`, ErrSyntax, 5, 1, 6, "", `unexpected end of input in \u escape`},
		{"bad second surrogate escape", `"\ud800\u12"`, ErrSyntax, 11, 1, 12, "", `in \u escape`},
		{"invalid UTF-8 in string", "[\"ok\", \"a\xffb\"]", ErrInvalidUTF8, 9, 1, 10, "/1", "invalid UTF-8 byte 0xff in string at line 1, column 10"},
		{"invalid UTF-8 after escape", "\"\\n\xfe\"", ErrInvalidUTF8, 3, 1, 4, "", "invalid UTF-8 byte 0xfe"},
		{"invalid UTF-8 in key", "{\"k\x80\": 1}", ErrInvalidUTF8, 3, 1, 4, "", "invalid UTF-8 byte 0x80 in string"},
		{"invalid UTF-8 escaped char", "\"\\\xc3\"", ErrInvalidUTF8, 2, 1, 3, "", "invalid UTF-8 byte 0xc3"},
		{"truncated sequence", "\"\xe2\x82\"", ErrInvalidUTF8, 1, 1, 2, "", "0xe2"},
		{"overlong encoding", "\"\xc0\xaf\"", ErrInvalidUTF8, 1, 1, 2, "", "0xc0"},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", ErrInvalidUTF8, 1, 1, 2, "", "0xed"},
		{"invalid UTF-8 outside string", "[1,\n\xff]", ErrInvalidUTF8, 4, 2, 1, "/1", "invalid UTF-8 byte 0xff at line 2, column 1"},
		{"non-ASCII outside string", `[é]`, ErrSyntax, 1, 1, 2, "/0", "unexpected character 'é' (U+00E9)"},
		{"duplicate key", `{"a": 1, "a": 2}`, ErrDuplicateKey, 9, 1, 10, "/a", `duplicate key "a" in the top-level object (line 1, column 10)`},
		{"duplicate after decoding", `{"a": 1, "\u0061": 2}`, ErrDuplicateKey, 9, 1, 10, "/a", `duplicate key "a"`},
		{"duplicate nested", "{\"parts\": [\n {\"title\": 1,\n  \"title\": 2}]}", ErrDuplicateKey, 28, 3, 3, "/parts/0/title", `duplicate key "title" in object at /parts/0 (line 3, column 3)`},
		{"duplicate key needing escapes", `{"x": {"a/b~": 1, "a/b~": 2}}`, ErrDuplicateKey, 18, 1, 19, "/x/a~1b~0", `in object at /x`},
		{"too deep", strings.Repeat("[", 513), ErrTooDeep, 512, 1, 513, "/" + strings.TrimSuffix(strings.Repeat("0/", 512), "/"), "too many nested arrays and objects at line 1, column 513; the maximum depth is 512"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Parse([]byte(tc.in), Limits{})
			require.Error(t, err)
			assert.Nil(t, n)
			assert.ErrorIs(t, err, tc.err)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.err, se.Err)
			assert.Equal(t, tc.off, se.Offset, "offset")
			assert.Equal(t, tc.line, se.Line, "line")
			assert.Equal(t, tc.col, se.Column, "column")
			assert.Equal(t, tc.ptr, se.Pointer, "pointer")
			assert.Contains(t, se.Msg, tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "jsontree: "+se.Msg))
		})
	}
}

func TestSyntaxErrorError(t *testing.T) {
	e := &SyntaxError{Err: ErrSyntax, Pointer: "/a/0", Msg: "unexpected 'x' at line 1, column 3; expected a value"}
	assert.Equal(t, `jsontree: unexpected 'x' at line 1, column 3; expected a value (at "/a/0")`, e.Error())
	assert.True(t, errors.Is(e, ErrSyntax))
	assert.False(t, errors.Is(e, ErrTooDeep))

	root := &SyntaxError{Err: ErrSyntax, Msg: "m"}
	assert.Equal(t, "jsontree: m", root.Error())
	dup := &SyntaxError{Err: ErrDuplicateKey, Pointer: "/a", Msg: `duplicate key "a" in the top-level object (line 1, column 10)`}
	assert.Equal(t, "jsontree: "+dup.Msg, dup.Error(), "the duplicate message already names the place")
}

func TestDepthLimits(t *testing.T) {
	nest := func(n int, open, close string) []byte {
		return []byte(strings.Repeat(open, n) + strings.Repeat(close, n))
	}
	objects := func(n int) []byte {
		return []byte(strings.Repeat(`{"k":`, n) + "0" + strings.Repeat("}", n))
	}
	tests := []struct {
		name string
		in   []byte
		lim  Limits
		err  error
	}{
		{"default limit arrays", nest(DefaultMaxDepth, "[", "]"), Limits{}, nil},
		{"default limit objects", objects(DefaultMaxDepth), Limits{}, nil},
		{"over default arrays", nest(DefaultMaxDepth+1, "[", "]"), Limits{}, ErrTooDeep},
		{"over default objects", objects(DefaultMaxDepth + 1), Limits{}, ErrTooDeep},
		{"negative means default", nest(DefaultMaxDepth, "[", "]"), Limits{MaxDepth: -1}, nil},
		{"custom limit", nest(3, "[", "]"), Limits{MaxDepth: 3}, nil},
		{"over custom limit", nest(4, "[", "]"), Limits{MaxDepth: 3}, ErrTooDeep},
		{"scalars have depth 0", []byte(`"x"`), Limits{MaxDepth: 1}, nil},
		{"raised limit", nest(5000, "[", "]"), Limits{MaxDepth: 5000}, nil},
		{"siblings do not add depth", []byte(strings.Repeat("[[],", 1000) + "[]" + strings.Repeat("]", 1000)), Limits{MaxDepth: 1001}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Parse(tc.in, tc.lim)
			if tc.err == nil {
				require.NoError(t, err)
				assert.Equal(t, len(tc.in), n.End)
				return
			}
			require.ErrorIs(t, err, tc.err)
		})
	}
}

func TestMegabyteOfBrackets(t *testing.T) {
	data := bytes.Repeat([]byte("["), 1<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Parse(data, Limits{})
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrTooDeep)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, DefaultMaxDepth, se.Offset, "fails at the first bracket over the limit")
	// The input is not copied and the stack is bounded: only a small,
	// input-independent amount of memory is used.
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(512<<10))
	assert.Equal(t, "jsontree: nesting too deep", ErrTooDeep.Error())
}
