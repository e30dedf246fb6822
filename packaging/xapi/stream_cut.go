package xapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsontree"
)

// This file cuts a stream into records: it detects the layout, reads the
// input through a window, finds where each record ends (by brackets and
// strings, or by lines in NDJSON) and reports problems with the layout.
// Judging the records is stream_record.go's work.

// cut reads the next record from the stream without validating it. It
// returns io.EOF after the last record, and any other error (reading
// failed, or the options are not usable) again on every later call.
// Problems with the layout of the stream go to x.issues as they are met.
func (x *Reader) cut() (cutRecord, error) {
	for {
		if x.err != nil {
			return cutRecord{}, x.err
		}
		switch x.st {
		case stStart:
			x.start()
		case stLines:
			line, num, tooLong, ok := x.nextLine()
			if x.err != nil {
				return cutRecord{}, x.err
			}
			if !ok {
				x.st = stDone
				continue
			}
			if tooLong {
				return x.record(nil, num, true, false), nil
			}
			if isBlank(line) {
				continue
			}
			deep := x.maxDepth < MaxDepth && depthExceeds(line, x.maxDepth)
			return x.record(line, num, false, deep), nil
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
			return cutRecord{}, io.EOF
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
func (x *Reader) value(toEOL bool) (cutRecord, error) {
	v := x.scanValue(true, toEOL)
	if x.err != nil {
		return cutRecord{}, x.err
	}
	return x.record(v.raw, v.line, v.tooLarge, v.tooDeep && x.maxDepth < MaxDepth), nil
}

// record makes the cut record of raw, which starts on line, and counts
// it.
func (x *Reader) record(raw []byte, line int, tooLarge, tooDeep bool) cutRecord {
	r := cutRecord{raw: raw, line: line, index: x.index, prefix: x.prefix, tooLarge: tooLarge, tooDeep: tooDeep}
	x.index++
	return r
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
