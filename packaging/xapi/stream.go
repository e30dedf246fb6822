package xapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsontree"
)

// StreamFormat is the layout of a stream of statements.
type StreamFormat string

// The stream layouts [Reader] reads and [Writer] writes.
const (
	// StreamAuto lets [Reader] detect the layout from the first bytes (see
	// [Reader]). It is not a layout a [Writer] writes.
	StreamAuto StreamFormat = ""
	// StreamNDJSON is newline-delimited JSON: one statement per line. Blank
	// lines are skipped; a line that is not a statement is one invalid
	// record.
	StreamNDJSON StreamFormat = "ndjson"
	// StreamArray is a JSON array of statements, as an LRS accepts in a
	// POST.
	StreamArray StreamFormat = "array"
	// StreamStatements is a StatementResult object, {"statements": […],
	// "more": "…"}, as an LRS returns from GET /statements. Other members
	// are skipped; "more" is available from [Reader.More].
	StreamStatements StreamFormat = "statements"
	// StreamSingle is one statement as a JSON document, which may be
	// spread over many lines. JSON values that follow it (concatenated
	// JSON, as jq prints it) are read as further records. A [Writer]
	// does not write it.
	StreamSingle StreamFormat = "single"
)

// DefaultMaxRecordBytes is the largest record a [Reader] accepts unless
// [StreamOptions].MaxRecordBytes says otherwise: 1 MiB, far above any real
// statement (a statement with a long interaction definition is a few
// kilobytes) and small enough that a hostile stream cannot make the reader
// hold much.
const DefaultMaxRecordBytes = 1 << 20

// ErrStreamOptions is returned by [Reader.Next] and [NewWriter] when the
// options are not usable (an unknown format or xAPI version).
var ErrStreamOptions = errors.New("xapi: invalid stream options")

// StreamOptions configure a [Reader]. The zero value detects the layout,
// validates against xAPI 1.0.3 and accepts records up to
// [DefaultMaxRecordBytes].
type StreamOptions struct {
	// Format is the layout of the stream; [StreamAuto] (the zero value)
	// detects it.
	Format StreamFormat
	// Validate configures the validation of each record (version and
	// severity policy). The policy applies to the stream's own issues too.
	Validate ValidateOptions
	// Decode, when true, also builds the model of each record that is a
	// JSON object, in Record.Statement. Validation alone is faster.
	Decode bool
	// MaxRecordBytes is the largest record accepted, in bytes; 0 means
	// [DefaultMaxRecordBytes]. A larger record is reported as one invalid
	// record (code "xapi.stream.record-too-large") without being held in
	// memory, and reading goes on after it: at the next line in NDJSON, at
	// the end of the record's JSON value in the other layouts.
	MaxRecordBytes int
	// MaxDepth is the deepest nesting of arrays and objects a record may
	// have; 0, or a value above [MaxDepth], means [MaxDepth]. A deeper
	// record is invalid (code "xapi.json.too-deep"). The layout itself (an
	// array, the statements member) does not count.
	MaxDepth int
}

// Record is one statement read from a stream, valid or not.
type Record struct {
	// Index is the record's position in the stream, from 0.
	Index int
	// Line is the 1-based line of the stream on which the record starts.
	Line int
	// Raw is the record's JSON text as read (without the line end in
	// NDJSON). It is nil for a record over the size or depth limit. It is
	// valid only until the next call of [Reader.Next]; copy it to keep it.
	Raw []byte
	// Statement is the record's model when [StreamOptions].Decode is set
	// and the record is a JSON object (valid or not); nil otherwise.
	Statement *Statement
	// Report holds the record's issues. Their lines are lines of the
	// stream (the record's line plus the issue's line within the record,
	// minus one). In an array, their pointers start with the record's
	// index ("/3/actor/mbox"); in a StatementResult, with
	// "/statements/3". In NDJSON and single statements they point into
	// the record.
	Report ota.Report
}

// Valid reports whether the record has no error-severity issue.
func (r Record) Valid() bool { return !r.Report.HasErrors() }

// Reader reads the statements of a stream one record at a time and
// validates each, reusing one [Validator]. It streams: it never holds more
// than one record (at most [StreamOptions].MaxRecordBytes) and a small
// read buffer, however long the stream, so memory stays flat over
// millions of records.
//
// Layouts: NDJSON, a JSON array, a StatementResult object
// ({"statements": […]}), and a single statement (see [StreamFormat]).
// With [StreamAuto] the first bytes decide, after a UTF-8 byte order mark
// and white space: "[" is an array; "{" followed by the member name
// "statements" is a StatementResult; "{" whose JSON value ends on its
// first line is NDJSON (a statement alone on one line is NDJSON with one
// record); "{" whose value goes on past its first line is a single,
// pretty-printed statement; anything else is read as NDJSON, each line an
// invalid record.
//
// Problems with a record make that record invalid and are in its Report.
// Problems with the layout itself (a missing comma between array
// elements, an array that is never closed, data after its end) belong to
// no record: they are collected in [Reader.Report], code
// "xapi.stream.syntax". Reading goes on where it can. A stream is valid
// when every record is valid and Reader.Report has no error.
//
// A Reader must not be used by several goroutines at once.
type Reader struct {
	src      io.Reader
	opts     StreamOptions
	v        *Validator
	maxRec   int
	maxDepth int

	buf  []byte // the read window; unconsumed input is buf[r:w]
	r, w int
	eof  bool
	err  error // sticky: a read error, or unusable options
	line int   // line of buf[r]

	format StreamFormat
	st     readState
	after  readState // state after the array of records closes
	prefix string    // pointer prefix of records ("/", "/statements/")

	index          int
	valid, invalid int
	issues         []ota.Issue
	dropped        int
	more           string
	sawStatements  bool
}

type readState uint8

const (
	stStart      readState = iota
	stLines                // NDJSON
	stValues               // single statements, one after the other
	stArrayFirst           // after '[': a record or ']'
	stArrayNext            // after a record: ',' or ']'
	stArrayEnd             // after the top-level ']': only white space
	stWrapKey              // in a StatementResult: a member name or '}'
	stWrapComma            // after a member: ',' or '}'
	stWrapEnd              // after the StatementResult's '}'
	stDone
)

// readChunk is the initial size of the read window and the amount it is
// read in.
const readChunk = 64 << 10

// maxStreamIssues bounds the issues Reader.Report collects; the rest are
// counted.
const maxStreamIssues = 100

// NewReader returns a Reader of the statements in src.
func NewReader(src io.Reader, opts StreamOptions) *Reader {
	x := &Reader{src: src, opts: opts, v: NewValidator(opts.Validate), line: 1}
	x.maxRec = opts.MaxRecordBytes
	if x.maxRec <= 0 {
		x.maxRec = DefaultMaxRecordBytes
	}
	x.maxDepth = opts.MaxDepth
	if x.maxDepth <= 0 || x.maxDepth > MaxDepth {
		x.maxDepth = MaxDepth
	}
	switch opts.Format {
	case StreamAuto, StreamNDJSON, StreamArray, StreamStatements, StreamSingle:
	default:
		x.err = fmt.Errorf("%w: unknown format %q; use %q, %q, %q or %q", ErrStreamOptions, opts.Format,
			StreamNDJSON, StreamArray, StreamStatements, StreamSingle)
	}
	if err := opts.Validate.Version.Check(); err != nil && x.err == nil {
		x.err = fmt.Errorf("%w: %w", ErrStreamOptions, err)
	}
	return x
}

// Format returns the layout of the stream: the one given in the options,
// or the one detected by the first call of Next ([StreamAuto] before it).
func (x *Reader) Format() StreamFormat { return x.format }

// Counts returns how many records have been read so far that were valid
// and invalid.
func (x *Reader) Counts() (valid, invalid int) { return x.valid, x.invalid }

// More returns the "more" member of a StatementResult (the IRL of the next
// page of results), once read; "" otherwise.
func (x *Reader) More() string { return x.more }

// Report returns the problems found with the layout of the stream so far,
// which belong to no record (see [Reader]). Their lines are lines of the
// stream.
func (x *Reader) Report() ota.Report {
	issues := make([]ota.Issue, len(x.issues), len(x.issues)+1)
	copy(issues, x.issues)
	if x.dropped > 0 {
		issues = append(issues, ota.Issue{Line: x.line, Code: "xapi.stream.syntax", Severity: ota.Error,
			Message: fmt.Sprintf("%d more problems with the layout of the stream were not reported; fix the ones above first", x.dropped)})
	}
	return ota.Report{Issues: issues}
}

// All returns an iterator over the remaining records. It stops at the end
// of the stream; a read error is yielded once, with a zero Record, and
// ends the iteration.
func (x *Reader) All() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for {
			rec, err := x.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Record{}, err)
				return
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// Next reads, validates and returns the next record. It returns io.EOF
// after the last record. Any other error is fatal and returned again by
// every later call: the underlying reader failed, or the options are not
// usable ([ErrStreamOptions]). A record that is not a valid statement is
// not an error: it is returned with the issues in its Report.
func (x *Reader) Next() (Record, error) {
	for {
		if x.err != nil {
			return Record{}, x.err
		}
		switch x.st {
		case stStart:
			x.start()
		case stLines:
			line, num, tooLong, ok := x.nextLine()
			if x.err != nil {
				return Record{}, x.err
			}
			if !ok {
				x.st = stDone
				continue
			}
			if tooLong {
				return x.emit(nil, num, true, false), nil
			}
			if isBlank(line) {
				continue
			}
			deep := x.maxDepth < MaxDepth && depthExceeds(line, x.maxDepth)
			return x.emit(line, num, false, deep), nil
		case stValues:
			c, ok := x.skipWS()
			if !ok {
				x.st = stDone
				continue
			}
			return x.value(c != '{' && c != '[' && c != '"')
		case stArrayFirst:
			c, ok := x.skipWS()
			switch {
			case !ok:
				x.unclosed("a statement or ']'")
			case c == ']':
				x.r++
				x.st = x.after
			case c == ',' || c == ':' || c == '}':
				x.streamIssue("", fmt.Sprintf("unexpected %q where the first statement or ']' should be; remove it", c))
				x.r++
			default:
				x.st = stArrayNext
				return x.value(false)
			}
		case stArrayNext:
			c, ok := x.skipWS()
			switch {
			case !ok:
				x.unclosed("',' or ']'")
			case c == ']':
				x.r++
				x.st = x.after
			case c == ',':
				x.r++
				c, ok = x.skipWS()
				switch {
				case !ok:
					x.unclosed("a statement")
				case c == ']':
					x.streamIssue("", "a comma after the last statement of the array; remove it")
					x.r++
					x.st = x.after
				case c == ',':
					x.streamIssue("", "two commas in a row in the array; remove one")
				default:
					return x.value(false)
				}
			case c == ':' || c == '}':
				x.streamIssue("", fmt.Sprintf("unexpected %q after statement %d; expected ',' or ']'", c, x.index-1))
				x.r++
			default:
				x.streamIssue(x.prefix+strconv.Itoa(x.index), fmt.Sprintf("a comma is missing between statements %d and %d; separate the elements of the array with ','", x.index-1, x.index))
				return x.value(false)
			}
		case stArrayEnd, stWrapEnd:
			if _, ok := x.skipWS(); ok {
				what := "array"
				if x.st == stWrapEnd {
					what = "StatementResult object"
				}
				x.streamIssue("", fmt.Sprintf("data after the end of the %s; a stream in this layout holds one JSON value (write NDJSON to send several)", what))
			}
			x.st = stDone
		case stWrapKey:
			x.wrapperMember()
		case stWrapComma:
			c, ok := x.skipWS()
			switch {
			case !ok:
				x.unclosed("',' or '}'")
			case c == ',':
				x.r++
				x.st = stWrapKey
			case c == '}':
				x.r++
				x.endWrapper()
			default:
				x.streamIssue("", fmt.Sprintf("unexpected %q in the StatementResult object; expected ',' or '}'", c))
				x.st = stDone
			}
		case stDone:
			return Record{}, io.EOF
		}
	}
}

// start skips a byte order mark and detects the layout.
func (x *Reader) start() {
	x.ensure(3)
	if bytes.HasPrefix(x.buf[x.r:x.w], []byte("\xEF\xBB\xBF")) {
		x.r += 3
	}
	c, ok := x.skipWS()
	x.format = x.opts.Format
	if !ok {
		if x.format == StreamAuto {
			x.format = StreamNDJSON
		}
		x.st = stDone
		return
	}
	if x.format == StreamAuto {
		x.format = x.detect(c)
	}
	switch x.format {
	case StreamNDJSON:
		x.st = stLines
	case StreamSingle:
		x.st = stValues
	case StreamArray:
		if c != '[' {
			x.streamIssue("", fmt.Sprintf("the stream does not start with '[': it is not a JSON array of statements (found %s)", describeByte(c)))
			x.st = stDone
			return
		}
		x.r++
		x.prefix, x.st, x.after = "/", stArrayFirst, stArrayEnd
	case StreamStatements:
		if c != '{' {
			x.streamIssue("", fmt.Sprintf(`the stream does not start with '{': it is not a StatementResult object {"statements": […]} (found %s)`, describeByte(c)))
			x.st = stDone
			return
		}
		x.r++
		x.st = stWrapKey
	}
}

// detect returns the layout of a stream whose first significant byte, at
// buf[r], is c.
func (x *Reader) detect(c byte) StreamFormat {
	switch c {
	case '[':
		return StreamArray
	case '{':
	default:
		return StreamNDJSON
	}
	// A StatementResult has a "statements" member and no statement's.
	x.ensure(sniffLen)
	if isStatementResult(topKeys(x.buf[x.r:x.w])) {
		return StreamStatements
	}
	// NDJSON when the first value ends on its line.
	for i := x.r; ; {
		if j := bytes.IndexByte(x.buf[i:x.w], '\n'); j >= 0 {
			if valueEnds(x.buf[x.r : i+j]) {
				return StreamNDJSON
			}
			return StreamSingle
		}
		if x.w-x.r > x.maxRec {
			return StreamNDJSON // a too long first line: read it as one
		}
		i = x.w
		shift, ok := x.fill()
		i -= shift
		if !ok {
			return StreamNDJSON // one line only
		}
	}
}

// valueEnds reports whether the JSON value at the start of b ends within
// b, judging by brackets and strings only.
func valueEnds(b []byte) bool {
	return nesting(b, func(depth int) bool { return depth <= 0 })
}

// nesting walks the JSON text b, skipping strings, and calls step with
// the nesting depth after each bracket; it stops and returns true as soon
// as step does.
func nesting(b []byte, step func(depth int) bool) bool {
	depth, inStr, esc := 0, false, false
	for _, c := range b {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if step(depth) {
				return true
			}
		case c == '}' || c == ']':
			depth--
			if step(depth) {
				return true
			}
		}
	}
	return false
}

// sniffLen is how much of a stream [Reader] looks at to recognise a
// StatementResult.
const sniffLen = 4096

// Sniff looks at the first bytes of a stream, head, which may be cut
// anywhere, and returns the layout a [Reader] with [StreamAuto] would
// most likely detect ([StreamAuto] when head holds nothing but white
// space) and the member names of the first JSON object: the stream's
// first record, or the StatementResult object. Names are those found
// within head, in order, and are only those at the top level of that
// object.
//
// Statements have an "actor", a "verb" and an "object"; a tool that must
// tell statements from other JSON can check for one of those names.
func Sniff(head []byte) (StreamFormat, []string) {
	b := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return StreamAuto, nil
	}
	switch b[0] {
	case '[':
		if rest := bytes.TrimLeft(b[1:], " \t\r\n"); len(rest) > 0 && rest[0] == '{' {
			return StreamArray, topKeys(rest)
		}
		return StreamArray, nil
	case '{':
	default:
		return StreamNDJSON, nil
	}
	keys := topKeys(b)
	switch nl := bytes.IndexByte(b, '\n'); {
	case isStatementResult(keys):
		return StreamStatements, keys
	case nl >= 0 && !valueEnds(b[:nl]):
		return StreamSingle, keys
	}
	return StreamNDJSON, keys
}

// isStatementResult reports whether an object with these member names is
// a StatementResult rather than a statement.
func isStatementResult(keys []string) bool {
	found := false
	for _, k := range keys {
		switch k {
		case "statements":
			found = true
		case "actor", "verb", "object":
			return false
		}
	}
	return found
}

// topKeys returns the member names of the JSON object at the start of b,
// as far as b goes: the strings at the first level that a ':' follows.
func topKeys(b []byte) []string {
	var keys []string
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(b) {
				return keys // cut within the string
			}
			if depth == 1 {
				rest := bytes.TrimLeft(b[j+1:], " \t\r\n")
				if len(rest) > 0 && rest[0] == ':' {
					var k string
					if json.Unmarshal(b[i:j+1], &k) != nil {
						k = string(b[i+1 : j])
					}
					keys = append(keys, k)
				}
			}
			i = j
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				return keys
			}
		}
	}
	return keys
}

// depthExceeds reports whether the JSON text b nests arrays and objects
// deeper than limit.
func depthExceeds(b []byte, limit int) bool {
	return nesting(b, func(depth int) bool { return depth > limit })
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("the byte 0x%02x", c)
}

// fill reads more input into the window, keeping buf[r:w] and moving it
// to the front. It returns how far the bytes moved (subtract it from any
// index into buf) and false when no more input comes (end of input, or a
// read error, kept in x.err).
func (x *Reader) fill() (shift int, ok bool) {
	if x.eof || x.err != nil {
		return 0, false
	}
	if x.buf == nil {
		x.buf = make([]byte, readChunk)
	}
	if x.r > 0 {
		shift = x.r
		x.w = copy(x.buf, x.buf[x.r:x.w])
		x.r = 0
	}
	if x.w == len(x.buf) {
		// The window holds one record that is still within the limits
		// (the scanners stop keeping a record once it passes
		// MaxRecordBytes), so this growth stops near that size.
		nb := make([]byte, 2*len(x.buf))
		copy(nb, x.buf[:x.w])
		x.buf = nb
	}
	for range 100 {
		n, err := x.src.Read(x.buf[x.w:])
		if n < 0 || n > len(x.buf)-x.w {
			x.err = errors.New("xapi: the stream's reader returned an invalid count")
			return shift, false
		}
		x.w += n
		if err == io.EOF {
			x.eof = true
			return shift, n > 0
		}
		if err != nil {
			x.err = fmt.Errorf("xapi: reading the stream: %w", err)
			return shift, false
		}
		if n > 0 {
			return shift, true
		}
	}
	x.err = fmt.Errorf("xapi: reading the stream: %w", io.ErrNoProgress)
	return shift, false
}

// ensure reads until n bytes are unread, or the input ends.
func (x *Reader) ensure(n int) {
	for x.w-x.r < n {
		if _, ok := x.fill(); !ok {
			return
		}
	}
}

// skipWS consumes JSON white space and returns the next byte, which it
// leaves unread; false at the end of the input.
func (x *Reader) skipWS() (byte, bool) {
	for {
		for x.r < x.w {
			switch c := x.buf[x.r]; c {
			case ' ', '\t', '\r':
				x.r++
			case '\n':
				x.r++
				x.line++
			default:
				return c, true
			}
		}
		if _, ok := x.fill(); !ok {
			return 0, false
		}
	}
}

// nextLine consumes the next line and returns it without its line end,
// with its number. A line longer than the record limit is skipped and
// reported with tooLong (and no bytes). ok is false at the end of input.
func (x *Reader) nextLine() (line []byte, num int, tooLong, ok bool) {
	num = x.line
	i := x.r // where the search for '\n' goes on
	for {
		if j := bytes.IndexByte(x.buf[i:x.w], '\n'); j >= 0 {
			end := i + j
			line = x.buf[x.r:end]
			x.r = end + 1
			x.line++
			return x.checkLine(line, num)
		}
		if x.w-x.r > x.maxRec+1 { // longer than the limit and its "\r"
			x.skipLine()
			return nil, num, true, true
		}
		i = x.w
		shift, more := x.fill()
		i -= shift
		if !more {
			if x.r == x.w || x.err != nil {
				return nil, num, false, false
			}
			line = x.buf[x.r:x.w]
			x.r = x.w
			return x.checkLine(line, num)
		}
	}
}

func (x *Reader) checkLine(line []byte, num int) ([]byte, int, bool, bool) {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if len(line) > x.maxRec {
		return nil, num, true, true
	}
	return line, num, false, true
}

// skipLine discards input up to and including the next '\n'.
func (x *Reader) skipLine() {
	for {
		if j := bytes.IndexByte(x.buf[x.r:x.w], '\n'); j >= 0 {
			x.r += j + 1
			x.line++
			return
		}
		x.r = x.w
		if _, ok := x.fill(); !ok {
			return
		}
	}
}

// scanned is a JSON value read by scanValue.
type scanned struct {
	raw      []byte // nil when not kept
	line     int
	tooLarge bool
	tooDeep  bool
}

// scanValue consumes the JSON value that starts at buf[r], judging its end
// by brackets and strings only (the validator judges the rest), and
// returns its text when keep is set and it is within the size limit. A
// value that is not an array, an object or a string ends at the next
// delimiter, or with toEOL at the end of the line.
func (x *Reader) scanValue(keep, toEOL bool) (v scanned) {
	v.line = x.line
	i := x.r
	const (
		container = iota
		str
		bare
	)
	mode := bare
	switch x.buf[i] {
	case '{', '[':
		mode = container
	case '"':
		mode = str
	}
	depth, inStr, esc, first := 0, false, false, true
scan:
	for {
		if i == x.w {
			if keep && i-x.r > x.maxRec {
				keep, v.tooLarge = false, true
			}
			if !keep {
				x.r = i
			}
			shift, ok := x.fill()
			i -= shift
			if !ok {
				break // the input ends within the value
			}
			continue
		}
		c := x.buf[i]
		if c == '\n' {
			x.line++
		}
		switch {
		case mode == bare:
			if !first && (c == '\n' || !toEOL && isDelim(c)) {
				if c == '\n' {
					x.line-- // not part of the value
				}
				break scan
			}
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if mode == str {
					i++
					break scan
				}
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if depth > x.maxDepth {
				v.tooDeep = true
			}
		case c == '}' || c == ']':
			depth--
			if depth <= 0 {
				i++
				break scan
			}
		}
		first = false
		i++
	}
	if keep && i-x.r > x.maxRec {
		keep, v.tooLarge = false, true
	}
	if keep {
		v.raw = x.buf[x.r:i]
	}
	x.r = i
	return v
}

// isDelim reports whether c ends a value that is not an array, an object
// or a string.
func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ']', '}', '[', '{', '"', ':':
		return true
	}
	return false
}

// value reads the record that starts at buf[r]. When reading fails
// within it, it returns the read error and no record.
func (x *Reader) value(toEOL bool) (Record, error) {
	v := x.scanValue(true, toEOL)
	if x.err != nil {
		return Record{}, x.err
	}
	return x.emit(v.raw, v.line, v.tooLarge, v.tooDeep && x.maxDepth < MaxDepth), nil
}

// emit validates a record and counts it. tooLarge and tooDeep records are
// not validated.
func (x *Reader) emit(raw []byte, line int, tooLarge, tooDeep bool) Record {
	rec := Record{Index: x.index, Line: line, Raw: raw}
	switch {
	case tooLarge:
		rec.Raw = nil
		rec.Report.Add(ota.Issue{Code: "xapi.stream.record-too-large", Severity: ota.Error,
			Message: fmt.Sprintf("the record is larger than %d bytes, the limit of this reader; a statement is a few kilobytes at most, so check that records are separated (one statement per line in NDJSON); a program reading the stream can raise the limit", x.maxRec)})
		rec.Report.Apply(x.opts.Validate.Policy)
	case tooDeep:
		rec.Raw = nil
		rec.Report.Add(ota.Issue{Code: "xapi.json.too-deep", Severity: ota.Error,
			Message: fmt.Sprintf("the record nests arrays and objects deeper than %d levels, the limit of this reader; flatten the extension values that nest this deep", x.maxDepth)})
		rec.Report.Apply(x.opts.Validate.Policy)
	case x.opts.Decode:
		rec.Statement, rec.Report, _ = x.v.Decode(raw)
	default:
		rec.Report = x.v.Validate(raw)
	}
	ptr := ""
	if x.prefix != "" {
		ptr = x.prefix + strconv.Itoa(x.index)
	}
	last := line // the record's last line
	if len(rec.Report.Issues) > 0 {
		last += bytes.Count(raw, []byte{'\n'})
	}
	for i := range rec.Report.Issues {
		is := &rec.Report.Issues[i]
		if is.Line > 0 {
			// Lines within the record count from 1; the parser also ends
			// lines at a lone "\r", which the stream does not, so keep
			// the line within the record.
			is.Line = min(is.Line+line-1, last)
			if line > 1 && strings.HasPrefix(is.Code, "xapi.json.") {
				is.Message = shiftLines(is.Message, line-1, last)
			}
		} else {
			is.Line = line
		}
		is.Pointer = ptr + is.Pointer
	}
	if rec.Report.HasErrors() {
		x.invalid++
	} else {
		x.valid++
	}
	x.index++
	return rec
}

// lineRE finds the line numbers in the parser's messages ("at line 3,
// column 7", "(line 3, column 7)").
var lineRE = regexp.MustCompile(`\bline (\d+)`)

// shiftLines adds delta to the line numbers of a parser's message about a
// record, so that they are lines of the stream, at most last.
func shiftLines(msg string, delta, last int) string {
	return lineRE.ReplaceAllStringFunc(msg, func(m string) string {
		n, err := strconv.Atoi(m[len("line "):])
		if err != nil {
			return m
		}
		return "line " + strconv.Itoa(min(n+delta, last))
	})
}

// streamIssue records a problem with the layout, at the current line.
func (x *Reader) streamIssue(ptr, msg string) {
	sev := x.opts.Validate.Policy.SeverityOf("xapi.stream.syntax", ota.Error)
	if sev == ota.Ignore {
		return
	}
	if len(x.issues) >= maxStreamIssues {
		x.dropped++
		return
	}
	x.issues = append(x.issues, ota.Issue{Pointer: ptr, Line: x.line, Code: "xapi.stream.syntax", Severity: sev, Message: msg})
}

// unclosed reports a stream that ends within the array or the
// StatementResult, and ends reading.
func (x *Reader) unclosed(want string) {
	if x.err == nil {
		what := "array of statements"
		if x.format == StreamStatements {
			what = "StatementResult object"
		}
		x.streamIssue("", fmt.Sprintf("the stream ends inside the %s; expected %s (is the file truncated?)", what, want))
	}
	x.st = stDone
}

// wrapperMember reads one member of a StatementResult object, or its end.
func (x *Reader) wrapperMember() {
	c, ok := x.skipWS()
	switch {
	case !ok:
		x.unclosed(`a member name or '}'`)
		return
	case c == '}':
		x.r++
		x.endWrapper()
		return
	case c != '"':
		x.streamIssue("", fmt.Sprintf("unexpected %s in the StatementResult object; expected a member name in double quotes", describeByte(c)))
		x.st = stDone
		return
	}
	k := x.scanValue(true, false)
	var key string
	if k.raw == nil || json.Unmarshal(k.raw, &key) != nil {
		x.streamIssue("", "a member name of the StatementResult object is not a valid JSON string")
		x.st = stDone
		return
	}
	ptr := jsontree.AppendPointerToken("", key)
	if c, ok = x.skipWS(); !ok || c != ':' {
		if !ok {
			x.unclosed("':'")
			return
		}
		x.streamIssue(ptr, fmt.Sprintf("expected ':' after the member name %s, found %s", quote(key), describeByte(c)))
		x.st = stDone
		return
	}
	x.r++
	if c, ok = x.skipWS(); !ok {
		x.unclosed("a value")
		return
	}
	if key == "statements" && c == '[' {
		if x.sawStatements {
			x.streamIssue(ptr, `the StatementResult object has two "statements" members; both are read, but an LRS keeps only one: merge them`)
		}
		x.sawStatements = true
		x.r++
		x.prefix, x.st, x.after = "/statements/", stArrayFirst, stWrapComma
		return
	}
	v := x.scanValue(key == "more", false)
	switch key {
	case "statements":
		x.streamIssue(ptr, `"statements" must be an array of statements`)
	case "more":
		if v.raw == nil || json.Unmarshal(v.raw, &x.more) != nil {
			x.streamIssue(ptr, `"more" must be a string, the IRL of the next page of results`)
		}
	}
	x.st = stWrapComma
}

// endWrapper finishes a StatementResult object.
func (x *Reader) endWrapper() {
	if !x.sawStatements {
		x.streamIssue("/statements", `the StatementResult object has no "statements" array; an LRS returns {"statements": […], "more": "…"}`)
	}
	x.st = stWrapEnd
}
