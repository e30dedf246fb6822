package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestForCLI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"more than 50000 entries; Options.MaxEntries is 50000", "more than 50000 entries; the limit is 50000"},
		{"larger than the limit of 16 bytes (ReadOptions.MaxBytes)", "larger than the limit of 16 bytes"},
		{"links are not followed; set Options.SkipSymlinks to leave them out, or, for a folder, Options.FollowLinks to follow those that stay inside it",
			"links are not followed; --follow-links follows those that stay inside a folder"},
		{`"x": symbolic link: links are not followed (the FollowLinks option follows those that stay inside the folder)`,
			`"x": symbolic link: links are not followed (--follow-links follows those that stay inside the folder)`},
		{`Windows reads "\" as a folder separator; set Options.AllowBackslashes to treat it as one`, `Windows reads "\" as a folder separator`},
		{"the record is larger than 1048576 bytes, or raise StreamOptions.MaxRecordBytes", "the record is larger than 1048576 bytes"},
		{"the page is larger than MaxFileSize and is left out", "the page is larger than the limit and is left out"},
		{"nothing to rewrite", "nothing to rewrite"},
	} {
		assert.Equal(t, tc.want, forCLI(tc.in), tc.in)
	}
}

func TestClipQuotes(t *testing.T) {
	long := strings.Repeat("9", 1_000_000)
	got := clipQuotes("size "+long+" is too large: fix it", nil)
	assert.Less(t, len(got), 200)
	assert.Contains(t, got, "…(1000000\u00a0bytes) is too large: fix it", "the rest of the message stays")
	assert.Contains(t, clipQuotes("at /"+strings.Repeat("a/", 300)+": msg", nil), "bytes): msg", "the punctuation stays after the marker")
	path := "/some/" + strings.Repeat("long-folder-name/", 10) + "input.json"
	assert.Equal(t, path+": fine", clipQuotes(path+": fine", []string{path}), "the paths named on the command line are kept")
	words := strings.Repeat("word ", 2000)
	assert.LessOrEqual(t, len(clipQuotes(words, nil)), maxLineLen+40, "the whole line is bounded")
	assert.Equal(t, "short", clipQuotes("short", nil))
}

func TestDiagWriter(t *testing.T) {
	var out bytes.Buffer
	w := newDiagWriter(&out, nil, summaryLine.MatchString, issuesNotice)
	for i := range maxDiagLines + 250 {
		fmt.Fprintf(w, "f.json: error x.y at /%d: bad\n", i)
	}
	fmt.Fprintln(w, "0 valid, 1 invalid")
	assert.NoError(t, w.Close())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if assert.Len(t, lines, maxDiagLines+2) {
		assert.Equal(t, "ota: warning ota.output.truncated at /: 250 more issues not shown; --format json lists them all", lines[maxDiagLines])
		assert.Equal(t, "0 valid, 1 invalid", lines[maxDiagLines+1], "the count is always written, last")
	}

	out.Reset()
	w = newDiagWriter(&out, nil, nil, stderrNotice)
	fmt.Fprint(w, "\rsent 10")
	fmt.Fprint(w, "\rsent 20")
	io := strings.Repeat("x", 2*maxPending)
	fmt.Fprint(w, "a very long line "+io)
	assert.NoError(t, w.Close())
	assert.True(t, strings.HasPrefix(out.String(), "\rsent 10\rsent 20a very long line x"), "progress passes through")
	assert.Less(t, out.Len(), maxLineLen+200, "a line without end is bounded")
}
