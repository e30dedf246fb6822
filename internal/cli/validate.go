package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xapi"
)

type validateOpts struct {
	format      string
	as          string
	report      reportFlags
	xapiVersion string
	followLinks bool
}

// fileResult is what validate found in one PATH.
type fileResult struct {
	Path   string      `json:"path"`
	Kind   string      `json:"kind"`
	Valid  bool        `json:"valid"`
	Issues []jsonIssue `json:"issues"`
	// Records is the number of records of a record stream (xAPI
	// statements); absent for documents.
	Records *int `json:"records,omitempty"`
	kind    *kind
	issues  []ota.Issue
	valid   int // documents or records found valid
	bad     int // documents or records found invalid
	code    int
}

type jsonIssue struct {
	Severity    ota.Severity `json:"severity"`
	Code        string       `json:"code"`
	Pointer     string       `json:"pointer"`
	Line        int          `json:"line,omitempty"`
	Message     string       `json:"message"`
	Requirement string       `json:"requirement,omitempty"`
}

func init() {
	register(&command{
		name:    "validate",
		summary: "check documents against every rule of their format",
		usage:   "validate [--format text|json] [--as KIND] [--severity CODE=SEVERITY]... [--xapi-version 1.0.3|2.0.0] PATH...",
		help: `Writes one line per issue to standard output:

  PATH[:LINE]: SEVERITY CODE at POINTER: MESSAGE

then a last line "N valid, M invalid" counting documents. POINTER is a JSON
Pointer; the root is written "/". With --format json it writes one JSON object
instead: {"files":[{"path","kind","valid","issues":[{"severity","code",
"pointer","line","message","requirement"}]}],"valid":N,"invalid":M}.

xAPI statements (one statement, a JSON array, a {"statements": [...]} object,
or NDJSON, one statement per line) are validated record by record against
--xapi-version: LINE is the line of the file, the xAPI requirement id is
added in brackets, and the counts are of statements; in JSON each such file
also has "records": N. Both outputs are written as the records are read, so
a stream of any length validates in the same small memory.

--severity changes the severity of a code, or of every code under a dotted
prefix: --severity asset.license.missing=error, --severity asset.json=ignore.
Severities: error, warning, info, ignore. Info lines (remarks that need no
action) are printed with --verbose only; --format json always has them.
validate keeps each format's own severities: a file a SCORM manifest lists
but the package lacks is an error here (scorm.file.missing), while inspect
and convert read it as a warning.

Issues of a lesson folder name the file they are in: LESSON/FILE:LINE.

Exit codes: 0 every document valid (warnings allowed); 1 an input has errors
(an invalid statement); 2 usage error or an input that cannot be read.`,
		flags: func(fs *pflag.FlagSet) any {
			o := &validateOpts{}
			fs.StringVar(&o.format, "format", "text", "output format: text or json")
			fs.StringVar(&o.as, "as", "", "read every PATH as this kind instead of detecting it ("+kindNames()+")")
			o.report.register(fs)
			fs.StringVar(&o.xapiVersion, "xapi-version", "1.0.3", "xAPI version statements are validated against: 1.0.3 or 2.0.0")
			fs.BoolVar(&o.followLinks, "follow-links", false, followLinksHelp)
			return o
		},
		run: runValidate,
	})
}

func parsePolicy(specs []string) (ota.Policy, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	p := ota.Policy{}
	for _, s := range specs {
		code, sev, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("--severity %q: write CODE=SEVERITY", s)
		}
		p[code] = ota.Severity(sev)
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	return p, nil
}

func runValidate(env *Env, o any, args []string) int {
	opts := o.(*validateOpts)
	if opts.format != "text" && opts.format != "json" {
		fmt.Fprintf(env.Stderr, "ota validate: --format %q: use text or json\n", opts.format)
		return ExitUsage
	}
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "ota validate: no PATH given; run 'ota help validate'")
		return ExitUsage
	}
	policy, err := opts.report.policy(nil)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota validate: %v\n", err)
		return ExitUsage
	}
	xv, err := xapi.ParseVersion(opts.xapiVersion)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota validate: --xapi-version %q: use 1.0.3 or 2.0.0\n", opts.xapiVersion)
		return ExitUsage
	}
	// A stream of statements can give an issue line per record: buffer
	// the output rather than writing each line on its own. In text, the
	// issue lines are capped (withIssueCap) before they reach the buffer.
	buf := bufio.NewWriterSize(env.Stdout, 64<<10)
	env = &Env{Stdin: env.Stdin, Stdout: buf, Stderr: env.Stderr}
	var capped *diagWriter
	if opts.format == "text" {
		env = withIssueCap(env, args)
		capped = env.Stdout.(*diagWriter)
	}
	stdout := env.Stdout
	code := ExitOK
	valid, invalid := 0, 0
	var jo *jsonOut
	if opts.format == "json" {
		jo = newJSONOut(stdout)
	}
	var line []byte
	for _, path := range args {
		ro := &readOpts{policy: policy, validate: true, xapiVersion: xv, verbose: opts.report.verbose, followLinks: opts.followLinks, checkData: true}
		if jo != nil {
			jo.beginFile()
			ro.emit = func(r *fileResult, is ota.Issue) { jo.issue(r, toJSONIssue(is)) }
		} else {
			ro.emit = func(_ *fileResult, is ota.Issue) {
				if shown(is, ro.verbose) {
					line = append(appendIssueLine(line[:0], path, is), '\n')
					stdout.Write(line)
				}
			}
		}
		r := validateOne(env, path, opts.as, ro)
		code = max(code, r.code)
		valid += r.valid
		invalid += r.bad
		if jo != nil {
			jo.endFile(r)
		} else {
			printIssues(stdout, r.kind, r.Path, r.issues, ro.verbose)
		}
	}
	if jo != nil {
		jo.end(valid, invalid)
	} else {
		fmt.Fprintf(stdout, "%d valid, %d invalid\n", valid, invalid)
	}
	if capped != nil {
		capped.Close()
	}
	if err := buf.Flush(); err != nil {
		fmt.Fprintf(env.Stderr, "ota validate: writing the output: %v\n", err)
		return ExitUsage
	}
	return code
}

// validateOne reads and checks one PATH. An input that cannot be read is
// reported as an issue with code ota.input.unreadable (or the reader's own
// code) and exit code 2, and counts as invalid.
func validateOne(env *Env, path, as string, ro *readOpts) *fileResult {
	r := &fileResult{Path: path, Issues: []jsonIssue{}}
	fail := func(code int, is ota.Issue) *fileResult {
		r.issues = append(r.issues, is)
		r.Issues = append(r.Issues, toJSONIssue(is))
		r.bad = 1
		r.code = code
		return r
	}
	in, err := openInput(env, path)
	if err != nil {
		return fail(ExitUsage, ota.Issue{Code: "ota.input.unreadable", Severity: ota.Error, Message: err.Error()})
	}
	defer in.Close()
	k, err := detect(in, as)
	if err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(env.Stderr, "ota validate: %v\n", err)
		}
		return fail(ExitUsage, ota.Issue{Code: "ota.input.unsupported", Severity: ota.Error, Message: "the input " + err.Error()})
	}
	r.Kind, r.kind = k.name, k
	if k.records != nil {
		k.records(in, ro, r)
		return r
	}
	_, rep, err := k.load(in, ro)
	if err != nil {
		return fail(ExitUsage, readErrorIssue(err))
	}
	r.issues = rep.Issues
	for _, is := range rep.Issues {
		r.Issues = append(r.Issues, toJSONIssue(is))
	}
	if rep.HasErrors() {
		r.bad, r.code = 1, ExitInvalid
	} else {
		r.valid, r.Valid = 1, true
	}
	return r
}

// readErrorIssue turns a reader's fatal error into an issue, keeping the
// place when the error knows it.
func readErrorIssue(err error) ota.Issue {
	// A rejected archive lists its problems one per line: keep them on
	// the issue's line.
	is := ota.Issue{Code: "ota.input.unreadable", Severity: ota.Error, Message: strings.ReplaceAll(err.Error(), "\n", "; ")}
	var se *asset.SyntaxError
	switch {
	case errors.As(err, &se):
		is.Code, is.Line, is.Pointer, is.Message = "asset.json.syntax", se.Line, se.Pointer, se.Msg
	case errors.Is(err, asset.ErrTooLarge):
		is.Code = "asset.json.too-large"
	case errors.Is(err, asset.ErrNotDocument):
		is.Code = "asset.json.not-object"
	case errors.Is(err, asset.ErrFormatVersion):
		is.Code, is.Pointer = "asset.format.unsupported", "/ota"
	}
	return is
}

func toJSONIssue(is ota.Issue) jsonIssue {
	return jsonIssue{is.Severity, is.Code, clipQuotes(is.Pointer, nil), is.Line, clipQuotes(forCLI(is.Message), nil), is.Requirement}
}

// writeIssues writes the contract's line for each issue.
func writeIssues(w io.Writer, path string, issues []ota.Issue) {
	for _, is := range issues {
		fmt.Fprintln(w, issueLine(path, is))
	}
}

func issueLine(path string, is ota.Issue) string {
	return string(appendIssueLine(nil, path, is))
}

// appendIssueLine appends the contract's line for is, without a line end,
// to b.
func appendIssueLine(b []byte, path string, is ota.Issue) []byte {
	b = append(b, oneLine(path)...)
	if is.Line > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(is.Line), 10)
	}
	b = append(b, ": "...)
	b = append(b, is.Severity...)
	b = append(b, ' ')
	b = append(b, is.Code...)
	b = append(b, " at "...)
	if is.Pointer == "" {
		b = append(b, '/')
	} else {
		b = append(b, clipQuotes(oneLine(is.Pointer), nil)...)
	}
	b = append(b, ": "...)
	b = append(b, clipQuotes(forCLI(oneLine(is.Message)), []string{path})...)
	if is.Requirement != "" {
		b = append(b, " ["...)
		b = append(b, is.Requirement...)
		b = append(b, ']')
	}
	return b
}

// oneLine escapes the characters that would break an output line in two
// (controls, and the Unicode line and paragraph separators), so that every
// issue stays on one line whatever the input holds.
func oneLine(s string) string {
	if !mayBreakLine(s) || !strings.ContainsFunc(s, breaksLine) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if breaksLine(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mayBreakLine reports whether s has a byte that is, or may start, a
// character breaksLine matches: a control, or the first byte of the
// UTF-8 form of U+0085, U+2028 or U+2029.
func mayBreakLine(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xE2 {
			return true
		}
	}
	return false
}

func breaksLine(r rune) bool {
	return r < 0x20 || r == 0x7F || r == 0x85 || r == 0x2028 || r == 0x2029
}
