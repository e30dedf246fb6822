package jsontree

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLineColumn(t *testing.T) {
	const data = "ab\ncd\r\nef\rgh"
	tests := []struct {
		off, line, col int
	}{
		{-5, 1, 1},
		{0, 1, 1},
		{1, 1, 2},
		{2, 1, 3}, // the '\n' itself ends line 1
		{3, 2, 1},
		{5, 2, 3}, // '\r' of "\r\n"
		{6, 2, 4}, // '\n' of "\r\n"
		{7, 3, 1},
		{9, 3, 3}, // lone '\r'
		{10, 4, 1},
		{12, 4, 3}, // end of input
		{99, 4, 3}, // clamped
	}
	for _, tc := range tests {
		line, col := LineColumn([]byte(data), tc.off)
		assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{line, col}, "offset %d", tc.off)
	}
	line, col := LineColumn(nil, 0)
	assert.Equal(t, [2]int{1, 1}, [2]int{line, col})
}

func TestPointer(t *testing.T) {
	tests := []struct {
		name   string
		tokens []string
		want   string
	}{
		{"whole document", nil, ""},
		{"simple", []string{"parts", "0", "title"}, "/parts/0/title"},
		{"empty token", []string{""}, "/"},
		{"escapes", []string{"a/b", "m~n", "~1"}, "/a~1b/m~0n/~01"},
		{"non-ASCII kept", []string{"café"}, "/café"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Pointer(tc.tokens...))
			ptr := ""
			for _, tok := range tc.tokens {
				ptr = AppendPointerToken(ptr, tok)
			}
			assert.Equal(t, tc.want, ptr)
		})
	}
}

func TestCompact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"object", "{ \"a\" : [ 1 , 2 ] ,\n\t\"b\" : { } }", `{"a":[1,2],"b":{}}`},
		{"strings keep spaces", `[ "a b" , "c\" d" , "\\" , " " ]`, `["a b","c\" d","\\"," "]`},
		{"scalar", "  true \r\n", "true"},
		{"already compact", `{"x":"y"}`, `{"x":"y"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			buf.WriteString("prefix:")
			require.NoError(t, Compact(&buf, []byte(tc.in)))
			assert.Equal(t, "prefix:"+tc.want, buf.String())
			var std bytes.Buffer
			require.NoError(t, json.Compact(&std, []byte(tc.in)))
			assert.Equal(t, std.String(), buf.String()[len("prefix:"):])
		})
	}
	var buf bytes.Buffer
	buf.WriteString("keep")
	err := Compact(&buf, []byte(`{"a": 1,}`))
	require.ErrorIs(t, err, ErrSyntax)
	assert.Equal(t, "keep", buf.String(), "dst untouched on error")
	require.ErrorIs(t, Compact(&buf, []byte(`{"a":1,"a":1}`)), ErrDuplicateKey)
}
