package xapi

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"

	"github.com/metaacademy/ota"
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
	// Concurrency is the number of goroutines that validate records at
	// once; 0 means runtime.GOMAXPROCS(0), and 1 validates each record in
	// the goroutine that calls [Reader.Next]. Records come out of the
	// Reader in stream order whatever the concurrency.
	Concurrency int
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
// validates each. It streams: however long the stream, it holds a read
// window and at most 2×Concurrency+1 batches of records, each about 128
// KiB (or one record of up to [StreamOptions].MaxRecordBytes), so memory
// stays flat over millions of records. While the caller handles one
// batch, the next ones are validated on other cores (see
// [StreamOptions].Concurrency): the Reader reads that far ahead of the
// records [Reader.Next] has returned.
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
	v        *Validator // validates records when Concurrency is 1
	maxRec   int
	maxDepth int
	workers  int // goroutines validating at once

	pipe pipeline // the batches being validated, when workers > 1

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
	x := &Reader{src: src, opts: opts, line: 1}
	x.workers = opts.Concurrency
	if x.workers <= 0 {
		x.workers = runtime.GOMAXPROCS(0)
	}
	if x.workers == 1 {
		x.v = NewValidator(opts.Validate)
	}
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
// stream. As the Reader reads ahead, problems a little past the last
// record returned may be among them; after the last record, they are all
// there.
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
	var rec Record
	if x.workers > 1 {
		var err error
		if rec, err = x.nextParallel(); err != nil {
			return Record{}, err
		}
	} else {
		cr, err := x.cut()
		if err != nil {
			return Record{}, err
		}
		rec = x.finish(x.v, cr)
	}
	if rec.Report.HasErrors() {
		x.invalid++
	} else {
		x.valid++
	}
	return rec, nil
}
