package xapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsondec"
	"github.com/metaacademy/ota/internal/jsontree"
)

// MaxDepth is the deepest nesting of JSON arrays and objects a statement
// may have. A valid statement needs about ten levels; extension values may
// nest further.
const MaxDepth = 128

// Validate checks one statement, given as JSON text, against the version
// of xAPI that opts selects, and returns every issue found: malformed JSON
// (code "xapi.json.syntax", with its line), duplicate keys, members of the
// wrong type, null values, unknown members and every rule of the data part
// of the specification. Each issue carries a JSON Pointer, the line it
// is on, a stable code, the ADL requirement id where there is one and a
// message saying how to fix it. The statement is valid when the report has
// no error-severity issue (report.HasErrors() is false).
//
// To validate many statements, reuse a [Validator].
func Validate(data []byte, opts ValidateOptions) ota.Report {
	return NewValidator(opts).Validate(data)
}

// Validator validates statements one after the other, reusing its
// internal buffers: it reads each statement in one pass over its bytes,
// judging every value as it decodes it, and allocates nothing for a valid
// statement. The zero value validates against xAPI 1.0.3 with the default
// severities. A Validator must not be used by several goroutines at once;
// make one per goroutine.
//
// Issue lines count from 1 at the start of the data given; a reader of a
// record stream adds the line its record starts on, minus one.
type Validator struct {
	opts ValidateOptions
	c    checker
}

// NewValidator returns a Validator configured by opts.
func NewValidator(opts ValidateOptions) *Validator {
	return &Validator{opts: opts}
}

// Validate checks one statement as the package function [Validate] does.
// The returned report does not share memory with the Validator or with
// data.
func (v *Validator) Validate(data []byte) ota.Report {
	rep, _, _ := v.validate(data)
	return rep
}

// validate checks data and returns the report and the kind of JSON value
// data holds; ok is false when data is not JSON at all (or the options
// are not usable).
func (v *Validator) validate(data []byte) (rep ota.Report, root jsontree.Kind, ok bool) {
	c := &v.c
	c.reset(data, v.opts.Version)
	defer c.release()
	if err := v.opts.Version.Check(); err != nil {
		c.issues = append(c.issues, ota.Issue{Code: "xapi.options.version", Severity: ota.Error,
			Message: err.Error()})
		return c.report(v.opts.Policy), jsontree.Null, false
	}
	root, _ = c.kindAt()
	c.statement(false)
	if !c.bad {
		c.ws()
		if c.i != len(data) {
			c.fail()
		}
	}
	if c.bad {
		c.issues = append(c.issues[:0], c.syntaxIssue())
		return c.report(v.opts.Policy), jsontree.Null, false
	}
	return c.report(v.opts.Policy), root, true
}

// syntaxIssue describes the syntax error the scanner stopped at. The
// message is jsontree's, which says what was expected where.
func (c *checker) syntaxIssue() ota.Issue {
	_, err := jsontree.Parse(c.data, jsontree.Limits{MaxDepth: MaxDepth})
	if err == nil {
		// Not reached: the scanner accepts what jsontree accepts (see
		// FuzzValidateDifferential).
		err = errors.New("the statement is not well-formed JSON")
	}
	return syntaxIssue(err)
}

// syntaxIssue turns a parse error into an issue.
func syntaxIssue(err error) ota.Issue {
	is := ota.Issue{Code: "xapi.json.syntax", Severity: ota.Error, Requirement: "XAPI-00014"}
	var se *jsontree.SyntaxError
	if errors.As(err, &se) {
		is.Pointer, is.Line = se.Pointer, se.Line
		is.Message = se.Msg
		switch {
		case errors.Is(err, jsontree.ErrDuplicateKey):
			is.Code, is.Requirement = "xapi.json.duplicate-key", "XAPI-00021"
			is.Message += "; every property may appear only once, remove one of them"
		case errors.Is(err, jsontree.ErrInvalidUTF8):
			is.Code, is.Requirement = "xapi.json.invalid-utf8", "XAPI-00015"
			is.Message += "; statements must be UTF-8 encoded"
		case errors.Is(err, jsontree.ErrTooDeep):
			is.Code, is.Requirement = "xapi.json.too-deep", ""
			is.Message = fmt.Sprintf("%s; a statement may nest arrays and objects at most %d levels deep", se.Msg, MaxDepth)
		}
		return is
	}
	is.Message = err.Error()
	return is
}

// checker reads a statement (see scan.go) and checks it as it goes,
// collecting issues. Its buffers are reused from one statement to the
// next.
type checker struct {
	// The scan.
	data     []byte
	i        int  // offset of the next byte to read
	bad      bool // a syntax error was found
	depth    int  // arrays and objects open
	key      string
	keyStart int
	keys     []string              // keys of the open objects, for finding duplicates
	keySets  []map[string]struct{} // the keys of large objects, by depth
	scratch  []byte                // decoded strings that held escapes

	// The checks.
	version Version
	issues  []ota.Issue
	path    []string // JSON Pointer tokens of the value being checked
	lines   jsondec.Lines
	tags    verdicts // of the language tags seen, kept across statements
	media   verdicts // of the attachment media types seen
	compIDs []string // ids of the interaction components of the list being read
	ptrBuf  []byte   // where pointer builds a pointer
}

// maxVerdicts bounds a checker's cache of verdicts of one kind.
const maxVerdicts = 1024

// verdicts remembers what a check said of the values it was given:
// streams of statements repeat the same few language tags and media
// types, and checking one allocates.
type verdicts map[string]string

// of returns check(s), remembered.
func (m *verdicts) of(s string, check func(string) string) string {
	if msg, ok := (*m)[s]; ok {
		return msg
	}
	msg := check(s)
	if *m == nil || len(*m) >= maxVerdicts {
		*m = make(verdicts, 16)
	}
	(*m)[strings.Clone(s)] = msg
	return msg
}

// tagProblem returns tagProblem(s), remembering the verdict.
func (c *checker) tagProblem(s string) string { return c.tags.of(s, tagProblem) }

func (c *checker) reset(data []byte, v Version) {
	c.data, c.i, c.bad, c.depth = data, 0, false, 0
	c.keys, c.scratch = c.keys[:0], c.scratch[:0]
	c.version = v.resolve()
	c.issues = c.issues[:0]
	c.path = c.path[:0]
	c.lines.Reset(data)
	c.compIDs = c.compIDs[:0]
}

// release drops the references to the statement, whose views the buffers
// hold, so that the checker does not keep the input alive.
func (c *checker) release() {
	c.data = nil
	c.key = ""
	clear(c.keys[:cap(c.keys)])
	clear(c.path[:cap(c.path)])
	clear(c.compIDs[:cap(c.compIDs)])
	for i, s := range c.keySets {
		if len(s) > 4*dupScanLimit {
			c.keySets[i] = nil // do not keep a large object's set
		} else {
			clear(s)
		}
	}
}

// report returns the issues found with the policy applied, in a slice the
// checker does not keep.
func (c *checker) report(p ota.Policy) ota.Report {
	if len(c.issues) == 0 {
		return ota.Report{}
	}
	issues := make([]ota.Issue, len(c.issues))
	copy(issues, c.issues)
	rep := ota.Report{Issues: issues}
	rep.Apply(p)
	return rep
}

func (c *checker) v2() bool { return c.version == Version200 }

// push enters the member or element tok; pop leaves it.
func (c *checker) push(tok string) { c.path = append(c.path, tok) }
func (c *checker) pop()            { c.path = c.path[:len(c.path)-1] }

// indexTokens are the pointer tokens of the first array indexes.
var indexTokens = func() (t [64]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func (c *checker) pushIndex(i int) {
	if i < len(indexTokens) {
		c.push(indexTokens[i])
		return
	}
	c.push(strconv.Itoa(i))
}

// pointer returns the JSON Pointer of the current value, followed by extra
// tokens.
func (c *checker) pointer(extra ...string) string {
	b := c.ptrBuf[:0]
	for _, t := range c.path {
		b = jsontree.AppendToken(b, t)
	}
	for _, t := range extra {
		b = jsontree.AppendToken(b, t)
	}
	c.ptrBuf = b
	return string(b)
}

// line returns the 1-based line of byte offset off.
func (c *checker) line(off int) int { return c.lines.Line(off) }

// add records an issue about the value starting at offset start, at the
// current path.
func (c *checker) add(start int, sev ota.Severity, code, req, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: c.pointer(), Line: c.line(start),
		Code: code, Severity: sev, Message: msg, Requirement: req})
}

// err records an error about the value at start, at the current path.
func (c *checker) err(start int, code, req, msg string) { c.add(start, ota.Error, code, req, msg) }

// warn records a warning about the value at start, at the current path.
func (c *checker) warn(start int, code, req, msg string) { c.add(start, ota.Warning, code, req, msg) }

// missing records that the object at start, at the current path, lacks
// member key.
func (c *checker) missing(start int, key, code, req, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: c.pointer(key), Line: c.line(start),
		Code: code, Severity: ota.Error, Message: msg, Requirement: req})
}

// moveTail moves the issues recorded from index from on to index at,
// before the ones recorded since at: issues about an object that the
// checker could only judge after reading past some of its members, but
// that belong before theirs.
func (c *checker) moveTail(at, from int) {
	if at >= from || from >= len(c.issues) {
		return
	}
	rotate(c.issues[at:], from-at)
}

// rotate moves s[k:] to the front of s.
func rotate(s []ota.Issue, k int) {
	reverse := func(s []ota.Issue) {
		for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
			s[i], s[j] = s[j], s[i]
		}
	}
	reverse(s[:k])
	reverse(s[k:])
	reverse(s)
}

// mismatch records that v is not of the kind wanted. want describes the
// expected value ("a string", "an Agent object").
func (c *checker) mismatch(v val, want, req string) {
	if v.kind == jsontree.Null {
		c.err(v.start, "xapi.json.null", "XAPI-00001",
			"null is not allowed outside extension values; remove the property or give it "+want)
		return
	}
	if req == "" {
		req = "XAPI-00006"
	}
	c.err(v.start, "xapi.json.wrong-type", req, "expected "+want+", found "+describe(v))
}

// is reports whether v has kind k, recording an error when it does not.
func (c *checker) is(v val, k jsontree.Kind, want, req string) bool {
	if v.kind == k {
		return true
	}
	c.mismatch(v, want, req)
	return false
}

// open reports whether the value at c.i is an array or object of kind k,
// leaving it unread; otherwise it reads the value and records an error.
func (c *checker) open(k jsontree.Kind, want, req string) (start int, ok bool) {
	got, ok := c.kindAt()
	if !ok {
		return c.i, false
	}
	if got == k {
		return c.i, true
	}
	c.mismatch(c.value(), want, req)
	return c.i, false
}

// describe names the JSON value v for a message.
func describe(v val) string {
	switch v.kind {
	case jsontree.String:
		if v.text == "" {
			return "an empty string"
		}
		return "the string " + quote(v.text)
	case jsontree.Number:
		return "the number " + v.text
	case jsontree.Bool:
		return "the boolean " + strconv.FormatBool(v.b)
	case jsontree.Array:
		return "an array"
	case jsontree.Object:
		return "an object"
	}
	return "null"
}

// quote quotes s for a message, cutting it short when it is long.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// str reads the value at c.i, recording an error when it is not a string.
func (c *checker) str(want, req string) (val, bool) {
	v := c.value()
	return v, c.is(v, jsontree.String, want, req)
}

// unknown reads the value of member key of an object at the current path
// (already pushed) and records the member as not allowed. known lists the
// members the object may have, to recognise a key written in the wrong
// case.
func (c *checker) unknown(key, where string, known []string) {
	start := c.valueStart()
	c.skip()
	c.unknownAt(start, key, where, known)
}

// unknownAt records member key, whose value starts at start, as not
// allowed (see unknown).
func (c *checker) unknownAt(start int, key, where string, known []string) {
	for _, k := range known {
		if strings.EqualFold(k, key) {
			c.err(start, "xapi.json.unknown-property", "XAPI-00008",
				fmt.Sprintf("%s has no property %s: property names are case-sensitive; write %s", where, quote(key), quote(k)))
			return
		}
	}
	c.err(start, "xapi.json.unknown-property", "XAPI-00010",
		fmt.Sprintf("%s has no property %s; xAPI does not allow additional properties: remove it, or move the data into \"extensions\" under an IRI key", where, quote(key)))
}

// valueStart returns the offset of the value at c.i, after white space.
func (c *checker) valueStart() int {
	c.ws()
	return c.i
}

// iri reads a string holding an absolute IRI.
func (c *checker) iri(what, code, req string) (string, bool) {
	v, ok := c.str("an IRI string", req)
	if !ok {
		return "", false
	}
	if r := checkIRI(v.text); r != "" {
		c.err(v.start, code, req, fmt.Sprintf("%s %s is not an absolute IRI: %s; write a full IRI such as \"https://example.org/…\"", what, quote(v.text), r))
		return v.text, false
	}
	return v.text, true
}

// uuid reads a string holding a UUID.
func (c *checker) uuid(what, req string) {
	v, ok := c.str("a UUID string", req)
	if !ok {
		return
	}
	reason, rfc := checkUUID(v.text)
	switch {
	case reason != "":
		c.err(v.start, "xapi.uuid.invalid", req, fmt.Sprintf("%s %s is not a UUID: %s; write it like \"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f\"", what, quote(v.text), reason))
	case !rfc:
		c.warn(v.start, "xapi.uuid.not-rfc4122", "XAPI-00030", fmt.Sprintf("%s %s is not an RFC 4122 UUID (its version or variant digit is wrong); strict LRSs reject it, so generate it with an RFC 4122 generator (version 4 or 5)", what, quote(v.text)))
	}
}

// langTag reads a string holding a language tag.
func (c *checker) langTag(req string) {
	v, ok := c.str("a language tag string", req)
	if !ok {
		return
	}
	if msg := c.tagProblem(v.text); msg != "" {
		c.err(v.start, "xapi.language.invalid", req, msg)
	}
}

// languageMap reads a language map: an object whose keys are RFC 5646
// language tags and whose values are strings.
func (c *checker) languageMap(req string) {
	if _, ok := c.open(jsontree.Object, `a language map such as {"en-US": "…"}`, req); !ok {
		return
	}
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		v := c.value()
		if msg := c.tagProblem(key); msg != "" {
			c.err(v.start, "xapi.language.invalid", "XAPI-00013", "language map key: "+msg)
		}
		c.is(v, jsontree.String, "a string", req)
		c.pop()
	}
}

// extensions reads an extensions object: keys are absolute IRIs, values
// may be any JSON value, including null.
func (c *checker) extensions(req string) {
	if _, ok := c.open(jsontree.Object, "an object whose keys are IRIs", req); !ok {
		return
	}
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		start := c.valueStart()
		c.skip()
		if r := checkIRI(key); r != "" {
			c.push(key)
			c.err(start, "xapi.extension.key-invalid", "XAPI-00118",
				fmt.Sprintf("extension key %s is not an absolute IRI: %s; extension keys must be IRIs such as \"https://example.org/xapi/extensions/room\"", quote(key), r))
			c.pop()
		}
	}
}

// timestamp reads a timestamp property: ISO 8601 in xAPI 1.0.3, RFC 3339
// in xAPI 2.0.
func (c *checker) timestamp(req string) {
	v, ok := c.str("a timestamp string", req)
	if !ok {
		return
	}
	s := v.text
	const example = "; write it in RFC 3339 form with a zone, such as \"2024-05-31T14:02:00.000Z\""
	_, info, reason := parseTimestamp(s)
	switch {
	case reason == errNegativeZero.Error():
		c.err(v.start, "xapi.timestamp.invalid", "XAPI-00123",
			fmt.Sprintf("timestamp %s has the offset -00:00, which RFC 3339 reserves for an unknown local offset; write Z or +00:00 for UTC", quote(s)))
	case reason != "":
		c.err(v.start, "xapi.timestamp.invalid", "XAPI-00123",
			fmt.Sprintf("timestamp %s is not an ISO 8601 date and time: %s%s", quote(s), reason, example))
	case c.v2() && !info.rfc3339:
		c.err(v.start, "xapi.timestamp.not-rfc3339", "",
			fmt.Sprintf("xAPI 2.0 requires RFC 3339 timestamps, and %s is not one (it needs YYYY-MM-DDThh:mm:ss, optional fraction, and Z or ±hh:mm)%s", quote(s), example))
	case !info.zone:
		c.warn(v.start, "xapi.timestamp.zone-missing", "",
			fmt.Sprintf("timestamp %s has no time zone, so the instant it names is ambiguous (xAPI 2.0 rejects it)%s", quote(s), example))
	case !info.rfc3339:
		c.warn(v.start, "xapi.timestamp.not-rfc3339", "",
			fmt.Sprintf("timestamp %s is valid ISO 8601 but not RFC 3339, which xAPI recommends and xAPI 2.0 requires%s", quote(s), example))
	}
}
