package xapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
)

// streamFiles returns the streams under testdata/streams, written for
// these tests, keyed by file name.
func streamFiles(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "streams", "*.*json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = data
	}
	return out
}

// readAll reads every record of data and returns them (with Raw copied),
// the reader and the fatal error, if any.
func readAll(t testing.TB, src io.Reader, opts StreamOptions) ([]Record, *Reader, error) {
	t.Helper()
	x := NewReader(src, opts)
	var recs []Record
	for {
		rec, err := x.Next()
		if err == io.EOF {
			return recs, x, nil
		}
		if err != nil {
			return recs, x, err
		}
		rec.Raw = bytes.Clone(rec.Raw)
		recs = append(recs, rec)
	}
}

// describeStream writes what a reader found, one line per record, issue
// and stream issue, for the golden files.
func describeStream(recs []Record, x *Reader) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format %s\n", x.Format())
	for _, r := range recs {
		verdict := "valid"
		if !r.Valid() {
			verdict = "invalid"
		}
		fmt.Fprintf(&b, "record %d line %d %s\n", r.Index, r.Line, verdict)
		for _, is := range r.Report.Issues {
			fmt.Fprintf(&b, "  %d %s %s %s\n", is.Line, pointerOrRoot(is.Pointer), is.Severity, is.Code)
		}
	}
	for _, is := range x.Report().Issues {
		fmt.Fprintf(&b, "stream %d %s %s %s: %s\n", is.Line, pointerOrRoot(is.Pointer), is.Severity, is.Code, is.Message)
	}
	v, i := x.Counts()
	fmt.Fprintf(&b, "%d valid, %d invalid\n", v, i)
	return b.String()
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// TestStreamGolden reads every stream under testdata/streams with the
// layout detected and compares what was found with
// testdata/streams/golden/NAME.txt (-update rewrites them).
func TestStreamGolden(t *testing.T) {
	for name, data := range streamFiles(t) {
		t.Run(name, func(t *testing.T) {
			recs, x, err := readAll(t, bytes.NewReader(data), StreamOptions{})
			require.NoError(t, err)
			got := describeStream(recs, x)
			golden := filepath.Join("testdata", "streams", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create the golden file")
			assert.Equal(t, string(want), got)
		})
	}
}

// lineOf returns line n (1-based) of data.
func lineOf(data []byte, n int) string {
	ls := strings.Split(string(data), "\n")
	if n < 1 || n > len(ls) {
		return ""
	}
	return ls[n-1]
}

// TestStreamIssueLines checks that every issue's line is the line of the
// file holding the member its pointer names, in each layout, and that
// pointers carry the record's index in arrays.
func TestStreamIssueLines(t *testing.T) {
	for _, name := range []string{"mixed.ndjson", "array.json", "concatenated.json", "truncated-line.ndjson"} {
		t.Run(name, func(t *testing.T) {
			data := streamFiles(t)[name]
			recs, x, err := readAll(t, bytes.NewReader(data), StreamOptions{})
			require.NoError(t, err)
			n := 0
			for _, r := range recs {
				if r.Raw[0] == '{' {
					assert.Contains(t, lineOf(data, r.Line), "{", "record %d does not start on line %d", r.Index, r.Line)
				}
				for _, is := range r.Report.Issues {
					n++
					require.GreaterOrEqual(t, is.Line, r.Line)
					if x.Format() == StreamArray {
						assert.True(t, strings.HasPrefix(is.Pointer, fmt.Sprintf("/%d", r.Index)), is.Pointer)
					}
					if i := strings.LastIndexByte(is.Pointer, '/'); i >= 0 && is.Code != "xapi.json.syntax" {
						tok := is.Pointer[i+1:]
						assert.Contains(t, lineOf(data, is.Line), `"`+tok+`"`, "issue %s at %s: line %d", is.Code, is.Pointer, is.Line)
					}
				}
			}
			assert.Positive(t, n)
		})
	}
}

func TestStreamMixedNDJSON(t *testing.T) {
	recs, x, err := readAll(t, bytes.NewReader(streamFiles(t)["mixed.ndjson"]), StreamOptions{})
	require.NoError(t, err)
	require.Len(t, recs, 5)
	assert.Equal(t, StreamNDJSON, x.Format())
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%d:%d:%v", r.Index, r.Line, r.Valid()))
	}
	assert.Equal(t, []string{"0:1:true", "1:2:true", "2:3:false", "3:4:false", "4:5:true"}, got)
	assert.Equal(t, "xapi.mbox.invalid", recs[2].Report.Issues[0].Code)
	assert.Equal(t, 3, recs[2].Report.Issues[0].Line)
	assert.Equal(t, "/actor/mbox", recs[2].Report.Issues[0].Pointer)
	assert.Equal(t, "xapi.json.syntax", recs[3].Report.Issues[0].Code)
	assert.Equal(t, []byte("this is not json"), recs[3].Raw)
	v, i := x.Counts()
	assert.Equal(t, [2]int{3, 2}, [2]int{v, i})
	assert.Empty(t, x.Report().Issues)
}

func TestStreamStatementResult(t *testing.T) {
	recs, x, err := readAll(t, bytes.NewReader(streamFiles(t)["statements.json"]), StreamOptions{})
	require.NoError(t, err)
	assert.Equal(t, StreamStatements, x.Format())
	assert.Len(t, recs, 2)
	assert.Equal(t, "/xapi/statements?more=2", x.More())
	assert.Empty(t, x.Report().Issues)

	// Members before and after the array, an invalid record, and
	// problems with the object itself.
	data := `{"more": "", "x": {"statements": [1]}, "statements": [{"actor": {}}], "y": [1, {"z": "]"}]} `
	recs, x, err = readAll(t, strings.NewReader(data), StreamOptions{Format: StreamStatements})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.False(t, recs[0].Valid())
	assert.True(t, strings.HasPrefix(recs[0].Report.Issues[0].Pointer, "/statements/0/"), recs[0].Report.Issues[0].Pointer)
	assert.Empty(t, x.Report().Issues)

	for _, tc := range []struct{ data, want string }{
		{`{"more": "x"}`, `no "statements" array`},
		{`{"statements": {}}`, `must be an array`},
		{`{"statements": [], "more": 1}`, `"more" must be a string`},
		{`{"statements": [] "more": ""}`, `expected ',' or '}'`},
		{`{"statements": []`, `ends inside the StatementResult`},
		{`{"statements": []} {}`, `data after the end`},
		{`{statements: []}`, `member name in double quotes`},
		{`{"statements" []}`, `expected ':'`},
		{`{"statements": [], "statements": []}`, `two "statements" members`},
		{`[]`, `does not start with '{'`},
	} {
		_, x, err := readAll(t, strings.NewReader(tc.data), StreamOptions{Format: StreamStatements})
		require.NoError(t, err)
		rep := x.Report()
		require.NotEmpty(t, rep.Issues, tc.data)
		assert.Contains(t, rep.Issues[0].Message, tc.want, tc.data)
		assert.Equal(t, "xapi.stream.syntax", rep.Issues[0].Code)
	}
}

func TestStreamArrayProblems(t *testing.T) {
	const st = `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"https://example.org/v"},"object":{"id":"https://example.org/o"}}`
	for _, tc := range []struct {
		data           string
		valid, invalid int
		want           string // in the first stream issue; "" for none
	}{
		{"[" + st + "," + st + "]", 2, 0, ""},
		{"[" + st + " " + st + "]", 2, 0, "comma is missing"},
		{"[" + st + ",]", 1, 0, "comma after the last"},
		{"[," + st + "]", 1, 0, "where the first statement"},
		{"[" + st + "}]", 1, 0, `unexpected '}'`},
		{"[" + st + "," + st, 2, 0, "ends inside the array"},
		{"[" + st + `,{"actor":`, 1, 1, "ends inside the array"},
		{"[" + st + "] []", 1, 0, "data after the end"},
		{"[1, \"x\", null, [], " + st + "]", 1, 4, ""},
		{`[{"a": "]"}, {"b": "\"}"}]`, 0, 2, ""},
		{"{}", 0, 0, "does not start with '['"},
	} {
		recs, x, err := readAll(t, strings.NewReader(tc.data), StreamOptions{Format: StreamArray})
		require.NoError(t, err)
		v, i := x.Counts()
		assert.Equal(t, [2]int{tc.valid, tc.invalid}, [2]int{v, i}, tc.data)
		assert.Len(t, recs, v+i)
		rep := x.Report()
		if tc.want == "" {
			assert.Empty(t, rep.Issues, tc.data)
			continue
		}
		require.NotEmpty(t, rep.Issues, tc.data)
		assert.Contains(t, rep.Issues[0].Message, tc.want, tc.data)
	}
}

// TestStreamRecordTooLarge checks that a record over the limit is one
// invalid record, that it is not held, and that reading goes on after it,
// in every layout.
func TestStreamRecordTooLarge(t *testing.T) {
	const st = `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"https://example.org/v"},"object":{"id":"https://example.org/o"}}`
	huge := `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"https://example.org/v"},"object":{"id":"https://example.org/o"},"result":{"response":"` +
		strings.Repeat("x", 3<<20) + `"}}`
	for _, tc := range []struct {
		name, data string
		opts       StreamOptions
	}{
		{"ndjson", st + "\n" + huge + "\n" + st + "\n", StreamOptions{}},
		{"ndjson-garbage", st + "\n" + strings.Repeat("[", 3<<20) + "\n" + st + "\n", StreamOptions{}},
		{"ndjson-last-line", st + "\n" + st + "\n" + huge, StreamOptions{}},
		{"array", "[" + st + ",\n" + huge + ",\n" + st + "]", StreamOptions{}},
		{"statements", `{"statements":[` + st + ",\n" + huge + ",\n" + st + "]}", StreamOptions{}},
		{"small-limit", "[" + st + ",\n" + st + ",\n" + st + "]", StreamOptions{MaxRecordBytes: 50}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, x, err := readAll(t, iotest.HalfReader(strings.NewReader(tc.data)), tc.opts)
			require.NoError(t, err)
			require.Len(t, recs, 3)
			big := 1
			if tc.name == "ndjson-last-line" {
				big = 2
			}
			for i, r := range recs {
				assert.Equal(t, i+1, r.Line)
				if i != big {
					assert.Equal(t, tc.name != "small-limit", r.Valid())
					continue
				}
				assert.False(t, r.Valid())
				assert.Nil(t, r.Raw)
				assert.Equal(t, "xapi.stream.record-too-large", r.Report.Issues[0].Code)
				assert.Equal(t, i+1, r.Report.Issues[0].Line)
			}
			assert.Empty(t, x.Report().Issues)
			// The window never grew much past the limit.
			limit := tc.opts.MaxRecordBytes
			if limit == 0 {
				limit = DefaultMaxRecordBytes
			}
			assert.LessOrEqual(t, len(x.buf), 2*limit+2*readChunk)
		})
	}
}

func TestStreamMaxDepth(t *testing.T) {
	deep := `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"https://example.org/v"},"object":{"id":"https://example.org/o"},"result":{"extensions":{"https://example.org/x":[[[[1]]]]}}}`
	for _, layout := range []string{"ndjson", "array"} {
		data := deep + "\n"
		if layout == "array" {
			data = "[" + deep + "]"
		}
		recs, _, err := readAll(t, strings.NewReader(data), StreamOptions{MaxDepth: 5})
		require.NoError(t, err)
		require.Len(t, recs, 1)
		require.False(t, recs[0].Valid(), layout)
		assert.Equal(t, "xapi.json.too-deep", recs[0].Report.Issues[0].Code)
		recs, _, err = readAll(t, strings.NewReader(data), StreamOptions{MaxDepth: 7})
		require.NoError(t, err)
		assert.True(t, recs[0].Valid(), layout)
	}
}

// TestStreamOneByteAtATime reads every stream through readers that return
// little at a time, and with a small window limit, and checks that what is
// found does not depend on how the bytes arrive.
func TestStreamOneByteAtATime(t *testing.T) {
	for name, data := range streamFiles(t) {
		for _, opts := range []StreamOptions{{}, {MaxRecordBytes: 300}, {Format: StreamNDJSON}, {Format: StreamSingle}, {Format: StreamArray}} {
			whole, x, err := readAll(t, bytes.NewReader(data), opts)
			require.NoError(t, err)
			want := describeStream(whole, x)
			for _, wrap := range []func(io.Reader) io.Reader{iotest.OneByteReader, iotest.HalfReader, iotest.DataErrReader} {
				recs, x, err := readAll(t, wrap(bytes.NewReader(data)), opts)
				require.NoError(t, err)
				assert.Equal(t, want, describeStream(recs, x), "%s %+v", name, opts)
				for i := range recs {
					assert.Equal(t, whole[i].Raw, recs[i].Raw)
				}
			}
		}
	}
}

func TestStreamDecode(t *testing.T) {
	recs, _, err := readAll(t, bytes.NewReader(streamFiles(t)["mixed.ndjson"]), StreamOptions{Decode: true})
	require.NoError(t, err)
	require.Len(t, recs, 5)
	require.NotNil(t, recs[0].Statement)
	assert.Equal(t, "mailto:ana@example.org", recs[0].Statement.Actor.Mbox)
	require.NotNil(t, recs[2].Statement, "an invalid statement is decoded too")
	assert.Equal(t, "ana@example.org", recs[2].Statement.Actor.Mbox)
	assert.Nil(t, recs[3].Statement, "a line that is not JSON has no model")
}

func TestStreamErrors(t *testing.T) {
	boom := errors.New("boom")
	data := streamFiles(t)["valid.ndjson"]
	x := NewReader(io.MultiReader(bytes.NewReader(data[:100]), iotest.ErrReader(boom)), StreamOptions{})
	_, err := x.Next()
	require.ErrorIs(t, err, boom)
	_, err = x.Next()
	require.ErrorIs(t, err, boom, "the error is sticky")

	x = NewReader(io.MultiReader(bytes.NewReader([]byte("[{\"a\":1},{")), iotest.ErrReader(boom)), StreamOptions{})
	rec, err := x.Next()
	require.NoError(t, err)
	assert.Equal(t, 0, rec.Index)
	_, err = x.Next()
	require.ErrorIs(t, err, boom, "a record cut by a read error is not returned")

	_, err = NewReader(bytes.NewReader(data), StreamOptions{Format: "csv"}).Next()
	require.ErrorIs(t, err, ErrStreamOptions)
	_, err = NewReader(bytes.NewReader(data), StreamOptions{Validate: ValidateOptions{Version: "3.0"}}).Next()
	require.ErrorIs(t, err, ErrStreamOptions)

	for _, empty := range []string{"", "  \n\n", "\xEF\xBB\xBF"} {
		recs, x, err := readAll(t, strings.NewReader(empty), StreamOptions{})
		require.NoError(t, err)
		assert.Empty(t, recs)
		assert.Empty(t, x.Report().Issues)
	}
}

func TestStreamAll(t *testing.T) {
	x := NewReader(bytes.NewReader(streamFiles(t)["mixed.ndjson"]), StreamOptions{})
	n := 0
	for rec, err := range x.All() {
		require.NoError(t, err)
		assert.Equal(t, n, rec.Index)
		n++
		if n == 2 {
			break
		}
	}
	for rec, err := range x.All() {
		require.NoError(t, err)
		assert.Equal(t, n, rec.Index, "All goes on where the last call stopped")
		n++
	}
	assert.Equal(t, 5, n)
	boom := errors.New("boom")
	x = NewReader(iotest.ErrReader(boom), StreamOptions{})
	for _, err := range x.All() {
		require.ErrorIs(t, err, boom)
	}
}

func TestStreamPolicy(t *testing.T) {
	const st = `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"https://example.org/v"},"object":{"id":"https://example.org/o"}}`
	data := "[" + st + " " + st + "]"
	_, x, err := readAll(t, strings.NewReader(data), StreamOptions{Validate: ValidateOptions{Policy: ota.Policy{"xapi.stream": ota.Ignore}}})
	require.NoError(t, err)
	assert.Empty(t, x.Report().Issues)
	recs, x, err := readAll(t, strings.NewReader(st+"\n"+st+"\n"), StreamOptions{MaxRecordBytes: 50,
		Validate: ValidateOptions{Policy: ota.Policy{"xapi.stream.record-too-large": ota.Warning}}})
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.True(t, recs[0].Valid())
	assert.Equal(t, ota.Warning, recs[0].Report.Issues[0].Severity)
	v, _ := x.Counts()
	assert.Equal(t, 2, v)
}

func TestStreamIssueCap(t *testing.T) {
	data := "[" + strings.Repeat("{} ", 500) + "]"
	recs, x, err := readAll(t, strings.NewReader(data), StreamOptions{})
	require.NoError(t, err)
	assert.Len(t, recs, 500)
	rep := x.Report()
	assert.Len(t, rep.Issues, maxStreamIssues+1)
	assert.Contains(t, rep.Issues[maxStreamIssues].Message, "399 more problems")
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		head   string
		format StreamFormat
		keys   []string
	}{
		{"", StreamAuto, nil},
		{" \n", StreamAuto, nil},
		{`{"actor": {"mbox": "x"}, "verb": {"id": "y"}}`, StreamNDJSON, []string{"actor", "verb"}},
		{"\xEF\xBB\xBF{\"actor\": {}}\n{\"actor\": {}}\n", StreamNDJSON, []string{"actor"}},
		{"{\n  \"actor\": {\"name\": \"A\"},\n  \"verb\"", StreamSingle, []string{"actor"}},
		{`{"statements": [{"actor": {}}], "more": ""}`, StreamStatements, []string{"statements", "more"}},
		{`{"more": "", "statements": [`, StreamStatements, []string{"more", "statements"}},
		{`[{"id": "x", "actor": {"a": {"b": 1}}, "object": {}}, 3]`, StreamArray, []string{"id", "actor", "object"}},
		{`[1]`, StreamArray, nil},
		{`{"ota": "1.0", "asset": {"title": {}}}`, StreamNDJSON, []string{"ota", "asset"}},
		{`{"a\"b": 1, "c": "d:", "e`, StreamNDJSON, []string{`a"b`, "c"}},
		{"garbage", StreamNDJSON, nil},
	} {
		f, keys := Sniff([]byte(tc.head))
		assert.Equal(t, tc.format, f, tc.head)
		assert.Equal(t, tc.keys, keys, tc.head)
	}
}
