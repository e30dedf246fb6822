package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Statements of these tests, one per line.
const (
	stmtA = `{"id":"5c2f1b0e-8a1d-4f6e-9b3a-1d2e3f4a5b6c","actor":{"mbox":"mailto:ana@example.org","name":"Ana"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}},"object":{"id":"https://example.org/courses/sampling"},"timestamp":"2024-05-31T14:02:00.000Z"}`
	stmtB = `{"actor":{"account":{"homePage":"https://lms.example.org","name":"u-42"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"https://example.org/courses/sampling/quiz"},"result":{"score":{"scaled":0.8},"success":true}}`
	// stmtBad has two errors: an mbox without "mailto:" (XAPI-00038) and
	// a scaled score above 1.
	stmtBad = `{"actor":{"mbox":"ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/courses/sampling"},"result":{"score":{"scaled":2}}}`
	// stmtV2 has contextAgents, which only xAPI 2.0 allows.
	stmtV2 = `{"actor":{"mbox":"mailto:ana@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://example.org/courses/sampling"},"context":{"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:tutor@example.org"},"relevantTypes":["https://example.org/types/tutor"]}]},"timestamp":"2024-05-31T14:02:00Z"}`
)

// writeTemp writes data to a file named name in a new temporary folder.
func writeTemp(t testing.TB, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	return p
}

func ndjson(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// xapiIssueRE is an issue line of a statement stream: with the file's
// line, and the requirement id in brackets when there is one.
var xapiIssueRE = regexp.MustCompile(`^(.+):(\d+): (error|warning) (xapi\.[a-z0-9.-]+) at (/\S*): .+?( \[XAPI-\d{5}\])?$`)

type xapiIssue struct {
	line          int
	code, pointer string
	requirement   bool
}

// xapiIssues parses the issue lines of validate's text output.
func xapiIssues(t *testing.T, lines []string) []xapiIssue {
	t.Helper()
	var out []xapiIssue
	for _, l := range lines {
		m := xapiIssueRE.FindStringSubmatch(l)
		require.NotNil(t, m, "not an xAPI issue line: %q", l)
		var n int
		fmt.Sscan(m[2], &n)
		out = append(out, xapiIssue{n, m[4], m[5], m[6] != ""})
	}
	return out
}

func TestValidateXAPIStream(t *testing.T) {
	t.Run("valid NDJSON", func(t *testing.T) {
		p := writeTemp(t, "ok.ndjson", ndjson(stmtA, stmtB, "", stmtA))
		r := run(t, nil, "validate", p)
		require.Equal(t, 0, r.code, "%s", r)
		issues, valid, invalid := checkValidateText(t, r.stdout)
		assert.Empty(t, issues)
		assert.Equal(t, []int{3, 0}, []int{valid, invalid})
	})
	t.Run("invalid record in the middle", func(t *testing.T) {
		p := writeTemp(t, "mixed.ndjson", ndjson(stmtA, stmtB, stmtBad, stmtA, stmtB))
		r := run(t, nil, "validate", p)
		require.Equal(t, 1, r.code, "%s", r)
		lines, valid, invalid := checkValidateText(t, r.stdout)
		assert.Equal(t, []int{4, 1}, []int{valid, invalid})
		issues := xapiIssues(t, lines)
		require.Len(t, issues, 2)
		assert.Equal(t, xapiIssue{3, "xapi.mbox.invalid", "/actor/mbox", true}, issues[0])
		assert.Equal(t, xapiIssue{3, "xapi.score.out-of-range", "/result/score/scaled", true}, issues[1])
		assert.True(t, strings.HasPrefix(lines[0], p+":3: error xapi.mbox.invalid at /actor/mbox: "), lines[0])
		assert.True(t, strings.HasSuffix(lines[0], " [XAPI-00038]"), lines[0])
	})
	t.Run("array", func(t *testing.T) {
		p := writeTemp(t, "batch.json", "[\n  "+stmtA+",\n  "+stmtBad+",\n  "+stmtB+"\n]\n")
		r := run(t, nil, "validate", p)
		require.Equal(t, 1, r.code, "%s", r)
		lines, valid, invalid := checkValidateText(t, r.stdout)
		assert.Equal(t, []int{2, 1}, []int{valid, invalid})
		issues := xapiIssues(t, lines)
		require.NotEmpty(t, issues)
		assert.Equal(t, xapiIssue{3, "xapi.mbox.invalid", "/1/actor/mbox", true}, issues[0])
	})
	t.Run("pretty-printed array", func(t *testing.T) {
		var pretty bytes.Buffer
		require.NoError(t, json.Indent(&pretty, []byte("["+stmtA+","+stmtBad+"]"), "", "  "))
		p := writeTemp(t, "pretty.json", pretty.String())
		r := run(t, nil, "validate", p)
		require.Equal(t, 1, r.code, "%s", r)
		lines, _, _ := checkValidateText(t, r.stdout)
		issues := xapiIssues(t, lines)
		require.NotEmpty(t, issues)
		file := strings.Split(pretty.String(), "\n")
		assert.Contains(t, file[issues[0].line-1], `"mbox": "ana@example.org"`, "the line is the line of the file")
	})
	t.Run("StatementResult", func(t *testing.T) {
		p := writeTemp(t, "result.json", `{"statements":[`+stmtA+`,`+stmtB+`],"more":""}`)
		r := run(t, nil, "validate", p)
		require.Equal(t, 0, r.code, "%s", r)
		_, valid, invalid := checkValidateText(t, r.stdout)
		assert.Equal(t, []int{2, 0}, []int{valid, invalid})
	})
	t.Run("single statement", func(t *testing.T) {
		var pretty bytes.Buffer
		require.NoError(t, json.Indent(&pretty, []byte(stmtA), "", "  "))
		for name, data := range map[string]string{"one line": stmtA, "pretty": pretty.String()} {
			r := run(t, nil, "validate", writeTemp(t, "s.json", data))
			require.Equal(t, 0, r.code, "%s: %s", name, r)
			_, valid, invalid := checkValidateText(t, r.stdout)
			assert.Equal(t, []int{1, 0}, []int{valid, invalid}, name)
		}
		pretty.Reset()
		require.NoError(t, json.Indent(&pretty, []byte(stmtBad), "", "  "))
		r := run(t, nil, "validate", writeTemp(t, "bad.json", pretty.String()))
		require.Equal(t, 1, r.code, "%s", r)
		lines, valid, invalid := checkValidateText(t, r.stdout)
		assert.Equal(t, []int{0, 1}, []int{valid, invalid})
		assert.Equal(t, 3, xapiIssues(t, lines)[0].line, "mbox is on line 3 of the pretty-printed statement")
	})
	t.Run("standard input", func(t *testing.T) {
		r := run(t, strings.NewReader(ndjson(stmtA, stmtBad)), "validate", "-")
		require.Equal(t, 1, r.code, "%s", r)
		lines, valid, invalid := checkValidateText(t, r.stdout)
		assert.Equal(t, []int{1, 1}, []int{valid, invalid})
		assert.True(t, strings.HasPrefix(lines[0], "-:2: error xapi.mbox.invalid"), lines[0])
	})
	t.Run("several paths", func(t *testing.T) {
		ok := writeTemp(t, "ok.ndjson", ndjson(stmtA, stmtB))
		bad := writeTemp(t, "bad.ndjson", ndjson(stmtBad))
		r := run(t, nil, "validate", ok, bad, validDoc)
		require.Equal(t, 1, r.code, "%s", r)
		_, valid, invalid := checkValidateText(t, r.stdout)
		assert.Equal(t, []int{3, 1}, []int{valid, invalid}, "records and documents are counted together")
	})
}

func TestValidateXAPIVersion(t *testing.T) {
	p := writeTemp(t, "v2.ndjson", ndjson(stmtA, stmtV2))
	r := run(t, nil, "validate", p)
	require.Equal(t, 1, r.code, "contextAgents are not xAPI 1.0.3: %s", r)
	lines, valid, invalid := checkValidateText(t, r.stdout)
	assert.Equal(t, []int{1, 1}, []int{valid, invalid})
	issues := xapiIssues(t, lines)
	require.Len(t, issues, 1)
	assert.Equal(t, 2, issues[0].line)
	assert.Equal(t, "xapi.context.v2-only", issues[0].code)

	for _, v := range []string{"2.0.0", "2.0"} {
		r = run(t, nil, "validate", "--xapi-version", v, p)
		require.Equal(t, 0, r.code, "%s", r)
		_, valid, invalid = checkValidateText(t, r.stdout)
		assert.Equal(t, []int{2, 0}, []int{valid, invalid})
	}
	r = run(t, nil, "validate", p, "--xapi-version=1.0.3")
	assert.Equal(t, 1, r.code, "flags after the paths: %s", r)

	for _, bad := range []string{"3.0", "", "1.0.3x"} {
		r = run(t, nil, "validate", "--xapi-version", bad, p)
		assert.Equal(t, 2, r.code, "%s", r)
		assert.Contains(t, r.stderr, "--xapi-version")
		assert.Empty(t, r.stdout)
	}
}

func TestValidateXAPIJSON(t *testing.T) {
	p := writeTemp(t, "mixed.ndjson", ndjson(stmtA, stmtBad, stmtB))
	r := run(t, nil, "validate", "--format", "json", p, validDoc)
	require.Equal(t, 1, r.code, "%s", r)
	var out struct {
		Files []struct {
			Path    string `json:"path"`
			Kind    string `json:"kind"`
			Valid   bool   `json:"valid"`
			Records *int   `json:"records"`
			Issues  []struct {
				Severity, Code, Pointer, Message, Requirement string
				Line                                          int
			} `json:"issues"`
		} `json:"files"`
		Valid   int `json:"valid"`
		Invalid int `json:"invalid"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	require.Len(t, out.Files, 2)
	f := out.Files[0]
	assert.Equal(t, "xapi", f.Kind)
	assert.False(t, f.Valid)
	require.NotNil(t, f.Records)
	assert.Equal(t, 3, *f.Records)
	require.Len(t, f.Issues, 2)
	assert.Equal(t, 2, f.Issues[0].Line)
	assert.Equal(t, "XAPI-00038", f.Issues[0].Requirement)
	assert.Equal(t, "/actor/mbox", f.Issues[0].Pointer)
	assert.Equal(t, "ota", out.Files[1].Kind)
	assert.Nil(t, out.Files[1].Records, "documents have no record count")
	assert.Equal(t, []int{3, 1}, []int{out.Valid, out.Invalid})
}

func TestXAPIDetection(t *testing.T) {
	for _, tc := range []struct {
		name, data, kind string
	}{
		{"NDJSON", ndjson(stmtA, stmtB), "xapi"},
		{"NDJSON of other objects", ndjson(`{"a":1}`, `{"b":2}`), "xapi"},
		{"one statement", stmtA, "xapi"},
		{"statement without actor first", `{"verb":{"id":"https://example.org/v"}}`, "xapi"},
		{"array", "[" + stmtA + "]", "xapi"},
		{"StatementResult", `{"statements":[]}`, "xapi"},
		{"OTA document", readFile(t, validDoc), "ota"},
		{"OTA document on one line", `{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"T"},"object":1}`, "ota"},
		{"asset without ota member", `{"id":"urn:x","kind":"course","title":{"en":"T"}}`, "ota"},
	} {
		r := run(t, nil, "validate", "--format", "json", writeTemp(t, "in.json", tc.data))
		var out struct {
			Files []struct{ Kind string } `json:"files"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), "%s: %s", tc.name, r)
		assert.Equal(t, tc.kind, out.Files[0].Kind, tc.name)
	}
	// An array of something else is still refused as before.
	r := run(t, nil, "validate", writeTemp(t, "in.json", `[{"ota":"1.0"}]`))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stdout, "JSON array")
	// --as xapi forces it.
	r = run(t, nil, "validate", "--as", "xapi", validDoc)
	assert.Equal(t, 1, r.code, "%s", r)
	assert.Contains(t, r.stdout, "xapi.json.unknown-property")
	// Other commands say statements are not an asset tree.
	r = run(t, nil, "inspect", writeTemp(t, "s.ndjson", ndjson(stmtA, stmtB)))
	assert.Equal(t, 2, r.code, "%s", r)
	assert.Contains(t, r.stderr, "xAPI statements")
}

func TestValidateXAPIHostile(t *testing.T) {
	huge := `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"https://example.org/v"},"object":{"id":"https://example.org/o"},"result":{"response":"` +
		strings.Repeat("x", 3<<20) + `"}}`
	for _, tc := range []struct {
		name, data     string
		as             string
		code           int
		valid, invalid int
		want           string // in stdout
	}{
		{"garbage line", ndjson(stmtA, "\x00\xff garbage {", stmtB), "", 1, 2, 1, "xapi.json.syntax"},
		{"huge line", ndjson(stmtA, huge, stmtB), "", 1, 2, 1, "xapi.stream.record-too-large"},
		{"huge line of brackets", ndjson(stmtA, strings.Repeat("[", 2<<20), stmtB), "", 1, 2, 1, "xapi.stream.record-too-large"},
		{"deep line", ndjson(stmtA, strings.Repeat("[", 1000)+strings.Repeat("]", 1000), stmtB), "", 1, 2, 1, "xapi.json.too-deep"},
		{"truncated array", "[" + stmtA + ",\n" + stmtB[:40], "", 1, 1, 1, "xapi.stream.syntax"},
		{"array never closed", "[" + stmtA + ",\n" + stmtB, "", 1, 2, 0, "ends inside the array"},
		{"binary as xapi", "\x00\x01\x02\xff\xfe", "xapi", 1, 0, 1, "xapi.json"},
		{"empty as xapi", "", "xapi", 0, 0, 0, ""},
		{"many brackets as xapi", strings.Repeat("{", 1<<20), "xapi", 1, 0, 1, "xapi."},
		{"NUL lines", strings.Repeat("\x00\n", 1000), "xapi", 1, 0, 1000, "xapi.json.syntax"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"validate", writeTemp(t, "in.ndjson", tc.data)}
			if tc.as != "" {
				args = append(args, "--as", tc.as)
			}
			r := run(t, nil, args...)
			require.Equal(t, tc.code, r.code, "%s", r)
			_, valid, invalid := checkValidateText(t, r.stdout)
			assert.Equal(t, []int{tc.valid, tc.invalid}, []int{valid, invalid})
			assert.Contains(t, r.stdout, tc.want)
			assert.Less(t, len(r.stdout), 1<<20, "the output does not echo the input")
		})
	}
}

func TestValidateXAPIStdinError(t *testing.T) {
	r := run(t, io.MultiReader(strings.NewReader(ndjson(stmtA, stmtA)+strings.Repeat(stmtB+"\n", 200)), errReader{}), "validate", "-")
	assert.Equal(t, 2, r.code, "%s", r)
	assert.Contains(t, r.stdout, "ota.input.unreadable")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("the disk is on fire") }

// livePeak samples the live heap (the bytes the last garbage collection
// found reachable, which does not depend on how far collection lags
// behind) until stop is called, and returns the highest value seen above
// the live heap right after a collection at the start, so that what
// earlier tests left behind (caches, registries) does not count.
func livePeak() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	var base uint64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		base = sample[0].Value.Uint64()
	}
	var peak uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				peak = max(peak, sample[0].Value.Uint64())
			}
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(quit)
		<-done
		if peak < base {
			return 0
		}
		return peak - base
	}
}

// TestValidateXAPIStreamsInConstantMemory pipes 200,000 statements into
// validate on standard input and checks that the live heap stays small:
// records are read, validated and printed one at a time, so the live heap
// stays far below the 45 MiB of input.
func TestValidateXAPIStreamsInConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping 200,000 statements under -short")
	}
	const n = 200_000
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriter(pw)
		for i := range n {
			if i%1000 == 999 {
				bw.WriteString(stmtBad + "\n")
			} else {
				bw.WriteString(stmtB + "\n")
			}
		}
		pw.CloseWithError(bw.Flush())
	}()
	stop := livePeak()
	var out, errb bytes.Buffer
	code := runCLI([]string{"validate", "-"}, pr, &out, &errb)
	peak := stop()
	require.Equal(t, 1, code, errb.String())
	ls := lines(out.String())
	assert.Equal(t, "199800 valid, 200 invalid", ls[len(ls)-1])
	assert.Len(t, ls, 401)
	assert.Less(t, peak, uint64(16<<20), "the live heap grew by %d MiB", peak>>20)
	t.Logf("200,000 statements (%d MiB of input): the live heap grew by at most %.1f MiB", 200_000*len(stmtB)>>20, float64(peak)/(1<<20))
}

// TestValidateXAPIJSONStreamsInConstantMemory is the same for --format
// json on 100,000 invalid statements (two issues each): the issues are
// written as they are found, so the live heap stays far below what
// holding 200,000 issues takes. The output is read as it comes with a
// streaming JSON decoder, which checks that it is one JSON object with
// every issue in it.
func TestValidateXAPIJSONStreamsInConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping 100,000 statements under -short")
	}
	const n = 100_000
	in, inw := io.Pipe()
	go func() {
		bw := bufio.NewWriter(inw)
		for range n {
			bw.WriteString(stmtBad + "\n")
		}
		inw.CloseWithError(bw.Flush())
	}()
	out, outw := io.Pipe()
	type counts struct {
		issues, valid, invalid, records int
		err                             error
	}
	got := make(chan counts, 1)
	go func() {
		var c counts
		dec := json.NewDecoder(out)
		depth, key := 0, ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				c.err = err
				io.Copy(io.Discard, out)
				break
			}
			switch v := tok.(type) {
			case json.Delim:
				if v == '{' || v == '[' {
					depth++
					// An issue is an object at depth 4: the result, files,
					// the file, its issues.
					if v == '{' && depth == 5 {
						c.issues++
					}
				} else {
					depth--
				}
				key = ""
			case string:
				if dec.More() && key == "" {
					key = v
					continue
				}
				key = ""
			case float64:
				switch {
				case depth == 1 && key == "valid":
					c.valid = int(v)
				case depth == 1 && key == "invalid":
					c.invalid = int(v)
				case depth == 3 && key == "records":
					c.records = int(v)
				}
				key = ""
			default:
				key = ""
			}
		}
		got <- c
	}()
	stop := livePeak()
	var errb bytes.Buffer
	code := runCLI([]string{"validate", "--format", "json", "-"}, in, outw, &errb)
	outw.Close()
	peak := stop()
	c := <-got
	require.Equal(t, 1, code, errb.String())
	require.NoError(t, c.err, "the output is not one JSON value")
	assert.Equal(t, 2*n, c.issues)
	assert.Equal(t, n, c.records)
	assert.Equal(t, 0, c.valid)
	assert.Equal(t, n, c.invalid, "the top-level counts are of records")
	assert.Less(t, peak, uint64(16<<20), "the live heap grew by %d MiB", peak>>20)
	t.Logf("100,000 invalid statements, 200,000 issues in JSON: the live heap grew by at most %.1f MiB", float64(peak)/(1<<20))
}
