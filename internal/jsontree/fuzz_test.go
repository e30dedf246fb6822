package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdShape walks data, which encoding/json must consider valid, with
// encoding/json's tokenizer and reports the nesting depth and whether some
// object repeats a decoded key. It is an oracle independent of Parse.
func stdShape(data []byte) (depth int, dup bool, err error) {
	type level struct {
		keys    map[string]bool // nil for arrays
		wantKey bool
	}
	var stack []level
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return depth, dup, nil
		}
		if err != nil {
			return 0, false, err
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			if key, ok := tok.(string); ok {
				dup = dup || stack[n-1].keys[key]
				stack[n-1].keys[key] = true
				stack[n-1].wantKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, level{keys: map[string]bool{}, wantKey: true})
			depth = max(depth, len(stack))
		case json.Delim('['):
			stack = append(stack, level{})
			depth = max(depth, len(stack))
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// checkAgainstStd checks Parse's verdict on data against encoding/json's.
func checkAgainstStd(t testing.TB, data []byte) {
	root, err := Parse(data, Limits{})
	valid := json.Valid(data)
	validUTF8 := utf8.Valid(data)

	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
		}
		if se.Offset < 0 || se.Offset > len(data) {
			t.Fatalf("offset %d outside input of %d bytes", se.Offset, len(data))
		}
		if line, col := LineColumn(data, se.Offset); line != se.Line || col != se.Column {
			t.Fatalf("position %d:%d, LineColumn says %d:%d", se.Line, se.Column, line, col)
		}
		if se.Msg == "" {
			t.Fatal("empty message")
		}
		switch se.Err {
		case ErrSyntax:
			if valid {
				t.Fatalf("syntax error on input json.Valid accepts: %v", err)
			}
		case ErrInvalidUTF8:
			if validUTF8 {
				t.Fatalf("UTF-8 error on valid UTF-8: %v", err)
			}
		case ErrTooDeep, ErrDuplicateKey:
		default:
			t.Fatalf("unknown error class %v", se.Err)
		}
	}

	if !valid || !validUTF8 {
		if err == nil {
			t.Fatalf("accepted input (json.Valid %v, utf8.Valid %v)", valid, validUTF8)
		}
		return
	}
	depth, dup, serr := stdShape(data)
	if serr != nil {
		t.Fatalf("encoding/json tokenizer failed on valid input: %v", serr)
	}
	if dup || depth > DefaultMaxDepth {
		if !errors.Is(err, ErrDuplicateKey) && !errors.Is(err, ErrTooDeep) {
			t.Fatalf("depth %d, duplicates %v: want ErrDuplicateKey or ErrTooDeep, got %v", depth, dup, err)
		}
		if !dup && !errors.Is(err, ErrTooDeep) || depth <= DefaultMaxDepth && !errors.Is(err, ErrDuplicateKey) {
			t.Fatalf("depth %d, duplicates %v: wrong error %v", depth, dup, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("rejected valid input: %v", err)
	}
	checkTree(t, data, root)
	var want any
	if err := decodeUseNumber(data, &want); err != nil {
		t.Fatalf("encoding/json cannot decode valid input: %v", err)
	}
	if got := toAny(root); !reflect.DeepEqual(want, got) {
		t.Fatalf("tree differs from encoding/json:\n got %#v\nwant %#v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, path := range seedFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range differentialInputs {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstStd(t, data)
		checkMaxValues(t, data)
	})
}

// differentialInputs are tricky documents compared with encoding/json.
var differentialInputs = []string{
	``, ` `, `null`, `nul`, `nulll`, `true`, `True`, `false `, `[true,false,null]`,
	`0`, `-0`, `00`, `-`, `-01`, `1.0`, `1.`, `.1`, `1e5`, `1E+5`, `1e-5`, `1e`, `1e+`,
	`+1`, `0x1F`, `1_000`, `Infinity`, `NaN`, `-Infinity`, `1.5e3.2`, `2.`, `-.5`,
	`""`, `"\""`, `"\\"`, `"\/"`, `"\a"`, `"\'"`, `"\u"`, `"\u00"`, `"\u00zz"`, `"\U0041"`,
	`"\ud800"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\ud83d\u0041"`, "\"\x00\"", "\"\x1f\"", "\"\x7f\"",
	"\"\t\"", `"`, `"abc`, `abc"`, `'a'`,
	"\"\xff\"", "\"\xc3\xa9\"", "\"\xc3\"", "\"\xe2\x82\xac\"", "\"\xf0\x9f\x98\x80\"", "\"\xf4\x90\x80\x80\"",
	"\"\xed\xa0\x80\"", "\xff", "[\xc3\xa9]",
	`[]`, `[`, `]`, `[1,]`, `[,1]`, `[1,,2]`, `[1 2]`, `[[]`, `[]]`, `[1}`, `[{]}`,
	`{}`, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,"a":1}`, `{"a" 1}`, `{a:1}`, `{1:1}`,
	`{"a":1 "b":2}`, `{"a":1}}`, `{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `{"a":{"a":1}}`,
	`{"":1,"":2}`, `{"\ud800":1,"\udc00":2}`, `{"a":[{"b":1,"b":1}]}`,
	"{} ", " {}", "\t{}\r\n", "{}\f", "\f{}", "\v{}", "\xef\xbb\xbf{}", "{}{}", "{} {}", "1 2",
	`/* c */ 1`, `1 // c`, `# c` + "\n1",
	strings.Repeat("[", DefaultMaxDepth) + strings.Repeat("]", DefaultMaxDepth),
	strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1),
	strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600),
}

func TestDifferential(t *testing.T) {
	for _, in := range differentialInputs {
		name := strconv.Quote(in)
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			checkAgainstStd(t, []byte(in))
		})
	}
	// Where the two parsers deliberately differ, pin the difference down.
	differ := []struct {
		in  string
		err error
	}{
		{"\"\xff\"", ErrInvalidUTF8},
		{"\"\xed\xa0\x80\"", ErrInvalidUTF8},
		{`{"a":1,"a":2}`, ErrDuplicateKey},
		{`{"a":1,"\u0061":2}`, ErrDuplicateKey},
		{strings.Repeat("[", 513) + strings.Repeat("]", 513), ErrTooDeep},
	}
	for _, d := range differ {
		require.True(t, json.Valid([]byte(d.in)), "%q", d.in)
		_, err := Parse([]byte(d.in), Limits{})
		assert.ErrorIs(t, err, d.err, "%q", d.in)
	}
}

// checkMaxValues checks the value limit against the tree: a limit of the
// tree's size accepts the input, one less refuses it with ErrTooMany.
func checkMaxValues(t *testing.T, data []byte) {
	root, err := Parse(data, Limits{})
	if err != nil {
		return
	}
	n := 0
	var count func(v *Node)
	count = func(v *Node) {
		n++
		for _, e := range v.Elems {
			count(e)
		}
		for _, m := range v.Members {
			count(m.Value)
		}
	}
	count(root)
	if _, err := Parse(data, Limits{MaxValues: n}); err != nil {
		t.Fatalf("%d values, MaxValues %d: %v", n, n, err)
	}
	if n > 1 {
		if _, err := Parse(data, Limits{MaxValues: n - 1}); !errors.Is(err, ErrTooMany) {
			t.Fatalf("%d values, MaxValues %d: %v, want ErrTooMany", n, n-1, err)
		}
	}
}
