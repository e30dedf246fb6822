package cli

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Bounds of diagnostic output: hostile input can make every reader
// report without end (a million unknown members, a million-digit number
// echoed in a message), and the terminal or log that receives it should
// not have to hold it.
const (
	// maxDiagLines is how many diagnostic lines a run writes to each
	// stream; the rest are counted in one closing line.
	maxDiagLines = 1000
	// maxQuote is how much of one run of non-blank characters (a value
	// quoted from the input, a pointer into it) a line keeps.
	maxQuote = 100
	// maxLineLen bounds a diagnostic line.
	maxLineLen = 2000
	// maxPending bounds a line being assembled before its newline.
	maxPending = 64 << 10
)

// optionRewrites turn the library's advice, which names Go options, into
// the command's: its flag where there is one, and nothing a command-line
// user cannot act on.
var optionRewrites = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`set (?:Options|Limits)\.SkipSymlinks to leave them out, or, for a folder, (?:Options|Limits)\.FollowLinks to follow those that stay inside it`), "--follow-links follows those that stay inside a folder"},
	{regexp.MustCompile(`(?:the )?FollowLinks(?: option)? follows`), "--follow-links follows"},
	{regexp.MustCompile(`; (?:[A-Z]\w*)?(?:Options|Limits)\.\w+ is (\d+)`), "; the limit is $1"},
	{regexp.MustCompile(` \((?:[A-Z]\w*)?(?:Options|Limits)\.\w+(?: is set)?\)`), ""},
	{regexp.MustCompile(`,? (?:or )?raise (?:[A-Z]\w*)?(?:Options|Limits)\.\w+`), ""},
	{regexp.MustCompile(`;? ?set (?:[A-Z]\w*)?(?:Options|Limits)\.\w+ to [^;)\n]*`), ""},
	{regexp.MustCompile(`(?:[A-Z]\w*)?(?:Options|Limits)\.Max\w+`), "the limit"},
	{regexp.MustCompile(`\bMax(?:FileSize|ResourceSize|MarkdownSize|Pages|Bytes|Depth|Elements|Entries|TotalSize|EntrySize|Ratio|ManifestSize|RecordBytes|Nodes|Values|Assets)\b`), "the limit"},
}

// forCLI rewrites the library option names in a message (see
// optionRewrites).
func forCLI(s string) string {
	if !strings.Contains(s, "Options.") && !strings.Contains(s, "Limits.") && !strings.Contains(s, "Max") && !strings.Contains(s, "FollowLinks") {
		return s
	}
	for _, r := range optionRewrites {
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}

// clipQuotes shortens every run of non-blank characters longer than
// maxQuote bytes, except those holding one of keep (the paths the user
// named), to its first bytes, an ellipsis and its length, and the whole
// text to maxLineLen bytes. The length is joined to its unit by a
// no-break space, so that a clipped JSON Pointer stays one token of an
// issue line.
func clipQuotes(s string, keep []string) string {
	if len(s) <= maxQuote && !strings.ContainsAny(s, "\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		tok := s[i:j]
		if len(tok) > maxQuote && !holdsAny(tok, keep) {
			cut := maxQuote * 4 / 5
			for cut > 0 && !utf8.RuneStart(tok[cut]) {
				cut--
			}
			end := ""
			if strings.ContainsRune(":;,)", rune(tok[len(tok)-1])) {
				end = tok[len(tok)-1:] // the punctuation of the sentence, not of the quote
			}
			fmt.Fprintf(&b, "%s…(%d\u00a0bytes)%s", tok[:cut], len(tok), end)
		} else {
			b.WriteString(tok)
		}
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			b.WriteByte(s[j])
			j++
		}
		i = j
		if b.Len() > maxLineLen {
			break
		}
	}
	out := b.String()
	if len(out) > maxLineLen {
		cut := maxLineLen
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = fmt.Sprintf("%s… (%d bytes in all)", out[:cut], len(s))
	}
	return out
}

func holdsAny(tok string, keep []string) bool {
	for _, k := range keep {
		if k != "" && k != "-" && strings.Contains(tok, k) {
			return true
		}
	}
	return false
}

// diagWriter passes diagnostic text through line by line: each line has
// its option names rewritten and its quotes clipped, and after
// maxDiagLines lines the rest are only counted. Lines for which pass
// reports true (validate's closing count) are always written, after a line
// saying how many were left out.
type diagWriter struct {
	w    io.Writer
	keep []string
	pass func(line string) bool
	// notice is the line written after the others when some were left
	// out, with %d for their number.
	notice  string
	pending []byte
	dropped int // bytes of the pending line beyond maxPending
	shown   int
	hidden  int
	noticed bool
}

// Notices of diagWriter.
const (
	// stderrNotice closes diagnostics on standard error.
	stderrNotice = "ota: … %d more lines of diagnostics not shown"
	// issuesNotice closes validate's and verify's issue lines: itself an
	// issue line, so that the output keeps its contract.
	issuesNotice = "ota: warning ota.output.truncated at /: %d more issues not shown; --format json lists them all"
)

func newDiagWriter(w io.Writer, keep []string, pass func(string) bool, notice string) *diagWriter {
	return &diagWriter{w: w, keep: keep, pass: pass, notice: notice}
}

// Unwrap returns the writer the lines go to.
func (d *diagWriter) Unwrap() io.Writer { return d.w }

// Write implements io.Writer. It never fails on behalf of a line it drops.
// A progress update ("\rsent 300…", no newline) passes through as it is.
func (d *diagWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(d.pending) == 0 && len(p) > 0 && p[0] == '\r' && !strings.Contains(string(p), "\n") {
		return d.w.Write(p)
	}
	for len(p) > 0 {
		i := strings.IndexByte(string(p), '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		room := maxPending - len(d.pending)
		if len(chunk) > room {
			d.pending = append(d.pending, chunk[:max(room, 0)]...)
			d.dropped += len(chunk) - max(room, 0)
		} else {
			d.pending = append(d.pending, chunk...)
		}
		if i < 0 {
			break
		}
		if err := d.line(); err != nil {
			return n, err
		}
		p = p[i+1:]
	}
	return n, nil
}

// line handles the pending line.
func (d *diagWriter) line() error {
	s := string(d.pending)
	if d.dropped > 0 {
		s += fmt.Sprintf("…(%d\u00a0more bytes)", d.dropped)
	}
	d.pending, d.dropped = d.pending[:0], 0
	if d.pass != nil && d.pass(s) {
		if err := d.writeNotice(); err != nil {
			return err
		}
		_, err := fmt.Fprintln(d.w, s)
		return err
	}
	if d.shown >= maxDiagLines {
		d.hidden++
		return nil
	}
	d.shown++
	_, err := fmt.Fprintln(d.w, clipQuotes(forCLI(s), d.keep))
	return err
}

// writeNotice writes, once, how many lines were left out.
func (d *diagWriter) writeNotice() error {
	if d.hidden == 0 || d.noticed {
		return nil
	}
	d.noticed = true
	_, err := fmt.Fprintf(d.w, d.notice+"\n", d.hidden)
	return err
}

// Close writes a last line without a newline, then the count of lines
// left out.
func (d *diagWriter) Close() error {
	if len(d.pending) > 0 {
		if err := d.line(); err != nil {
			return err
		}
	}
	return d.writeNotice()
}

// withIssueCap returns env with standard output bounded as diagnostics
// are, for commands whose text output is issue lines closed by a count
// ("N valid, M invalid"), which is always written.
func withIssueCap(env *Env, args []string) *Env {
	return &Env{Stdin: env.Stdin, Stderr: env.Stderr,
		Stdout: newDiagWriter(env.Stdout, args, summaryLine.MatchString, issuesNotice)}
}

// summaryLine is the count that closes validate's and verify's output.
var summaryLine = regexp.MustCompile(`^\d+ valid, \d+ invalid$`)
