package xapi

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
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
// internal buffers, so that validating a stream of records allocates
// little beyond what parsing each record needs. The zero value validates
// against xAPI 1.0.3 with the default severities. A Validator must not be
// used by several goroutines at once; make one per goroutine.
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
// The returned report does not share memory with the Validator.
func (v *Validator) Validate(data []byte) ota.Report {
	_, rep := v.validate(data)
	return rep
}

// validate parses and checks data, returning the tree (nil when data is
// not JSON) and the report.
func (v *Validator) validate(data []byte) (*jsontree.Node, ota.Report) {
	c := &v.c
	c.reset(data, v.opts.Version)
	if err := v.opts.Version.Check(); err != nil {
		c.issues = append(c.issues, ota.Issue{Code: "xapi.options.version", Severity: ota.Error,
			Message: err.Error()})
		return nil, c.report(v.opts.Policy)
	}
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: MaxDepth})
	if err != nil {
		c.issues = append(c.issues, syntaxIssue(err))
		return nil, c.report(v.opts.Policy)
	}
	c.statement(root, false)
	return root, c.report(v.opts.Policy)
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

// checker walks a parsed statement and collects issues. Its buffers are
// reused from one statement to the next.
type checker struct {
	data    []byte
	version Version
	issues  []ota.Issue
	path    []string // JSON Pointer tokens of the value being checked
	nl      []int    // offsets of '\n' in data, computed on first use
	nlDone  bool
	tags    map[string]string // verdicts of language tags seen, kept across statements
}

// maxCachedTags bounds the language-tag cache of a checker.
const maxCachedTags = 1024

// tagProblem returns tagProblem(s), remembering the verdict: streams of
// statements repeat the same few tags, and checking one allocates.
func (c *checker) tagProblem(s string) string {
	if msg, ok := c.tags[s]; ok {
		return msg
	}
	msg := tagProblem(s)
	if c.tags == nil || len(c.tags) >= maxCachedTags {
		c.tags = make(map[string]string, 16)
	}
	c.tags[strings.Clone(s)] = msg
	return msg
}

func (c *checker) reset(data []byte, v Version) {
	c.data, c.version = data, v.resolve()
	c.issues = c.issues[:0]
	c.path = c.path[:0]
	c.nl = c.nl[:0]
	c.nlDone = false
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
	var b strings.Builder
	for _, t := range c.path {
		b.WriteString(jsontree.AppendPointerToken("", t))
	}
	for _, t := range extra {
		b.WriteString(jsontree.AppendPointerToken("", t))
	}
	return b.String()
}

// line returns the 1-based line of byte offset off.
func (c *checker) line(off int) int {
	if !c.nlDone {
		for i, b := range c.data {
			if b == '\n' {
				c.nl = append(c.nl, i)
			}
		}
		c.nlDone = true
	}
	return sort.SearchInts(c.nl, off) + 1
}

// add records an issue about value n at the current path.
func (c *checker) add(n *jsontree.Node, sev ota.Severity, code, req, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: c.pointer(), Line: c.line(n.Start),
		Code: code, Severity: sev, Message: msg, Requirement: req})
}

// err records an error about value n at the current path.
func (c *checker) err(n *jsontree.Node, code, req, msg string) { c.add(n, ota.Error, code, req, msg) }

// warn records a warning about value n at the current path.
func (c *checker) warn(n *jsontree.Node, code, req, msg string) {
	c.add(n, ota.Warning, code, req, msg)
}

// missing records that object n, at the current path, lacks member key.
func (c *checker) missing(n *jsontree.Node, key, code, req, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: c.pointer(key), Line: c.line(n.Start),
		Code: code, Severity: ota.Error, Message: msg, Requirement: req})
}

// is reports whether n has kind k, recording an error when it does not.
// want describes the expected value ("a string", "an Agent object").
func (c *checker) is(n *jsontree.Node, k jsontree.Kind, want, req string) bool {
	if n.Kind == k {
		return true
	}
	if n.Kind == jsontree.Null {
		c.err(n, "xapi.json.null", "XAPI-00001",
			"null is not allowed outside extension values; remove the property or give it "+want)
		return false
	}
	if req == "" {
		req = "XAPI-00006"
	}
	c.err(n, "xapi.json.wrong-type", req, "expected "+want+", found "+describe(n))
	return false
}

// describe names the JSON value n for a message.
func describe(n *jsontree.Node) string {
	switch n.Kind {
	case jsontree.String:
		if n.Str == "" {
			return "an empty string"
		}
		return "the string " + quote(n.Str)
	case jsontree.Number:
		return "the number " + n.Num
	case jsontree.Bool:
		return "the boolean " + strconv.FormatBool(n.Bool)
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

// str returns the string value of n, recording an error when n is not a
// string.
func (c *checker) str(n *jsontree.Node, want, req string) (string, bool) {
	if !c.is(n, jsontree.String, want, req) {
		return "", false
	}
	return n.Str, true
}

// unknown records member key of an object at the current path (already
// pushed) as not allowed. known lists the members the object may have, to
// recognise a key written in the wrong case.
func (c *checker) unknown(n *jsontree.Node, key, where string, known []string) {
	for _, k := range known {
		if strings.EqualFold(k, key) {
			c.err(n, "xapi.json.unknown-property", "XAPI-00008",
				fmt.Sprintf("%s has no property %s: property names are case-sensitive; write %s", where, quote(key), quote(k)))
			return
		}
	}
	c.err(n, "xapi.json.unknown-property", "XAPI-00010",
		fmt.Sprintf("%s has no property %s; xAPI does not allow additional properties: remove it, or move the data into \"extensions\" under an IRI key", where, quote(key)))
}

// iri checks that n is a string holding an absolute IRI.
func (c *checker) iri(n *jsontree.Node, what, code, req string) (string, bool) {
	s, ok := c.str(n, "an IRI string", req)
	if !ok {
		return "", false
	}
	if r := checkIRI(s); r != "" {
		c.err(n, code, req, fmt.Sprintf("%s %s is not an absolute IRI: %s; write a full IRI such as \"https://example.org/…\"", what, quote(s), r))
		return s, false
	}
	return s, true
}

// uuid checks that n is a string holding a UUID.
func (c *checker) uuid(n *jsontree.Node, what, req string) {
	s, ok := c.str(n, "a UUID string", req)
	if !ok {
		return
	}
	reason, rfc := checkUUID(s)
	switch {
	case reason != "":
		c.err(n, "xapi.uuid.invalid", req, fmt.Sprintf("%s %s is not a UUID: %s; write it like \"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f\"", what, quote(s), reason))
	case !rfc:
		c.warn(n, "xapi.uuid.not-rfc4122", "XAPI-00030", fmt.Sprintf("%s %s is not an RFC 4122 UUID (its version or variant digit is wrong); strict LRSs reject it, so generate it with an RFC 4122 generator (version 4 or 5)", what, quote(s)))
	}
}

// langTag checks that n is a string holding a language tag.
func (c *checker) langTag(n *jsontree.Node, req string) {
	s, ok := c.str(n, "a language tag string", req)
	if !ok {
		return
	}
	if msg := c.tagProblem(s); msg != "" {
		c.err(n, "xapi.language.invalid", req, msg)
	}
}

// languageMap checks a language map: an object whose keys are RFC 5646
// language tags and whose values are strings.
func (c *checker) languageMap(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Object, `a language map such as {"en-US": "…"}`, req) {
		return
	}
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		if msg := c.tagProblem(m.Key); msg != "" {
			c.err(m.Value, "xapi.language.invalid", "XAPI-00013", "language map key: "+msg)
		}
		c.is(m.Value, jsontree.String, "a string", req)
		c.pop()
	}
}

// extensions checks an extensions object: keys are absolute IRIs, values
// may be any JSON value, including null.
func (c *checker) extensions(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Object, "an object whose keys are IRIs", req) {
		return
	}
	for i := range n.Members {
		m := &n.Members[i]
		if r := checkIRI(m.Key); r != "" {
			c.push(m.Key)
			c.err(m.Value, "xapi.extension.key-invalid", "XAPI-00118",
				fmt.Sprintf("extension key %s is not an absolute IRI: %s; extension keys must be IRIs such as \"https://example.org/xapi/extensions/room\"", quote(m.Key), r))
			c.pop()
		}
	}
}

// timestamp checks a timestamp property: ISO 8601 in xAPI 1.0.3, RFC 3339
// in xAPI 2.0.
func (c *checker) timestamp(n *jsontree.Node, req string) {
	s, ok := c.str(n, "a timestamp string", req)
	if !ok {
		return
	}
	const example = "; write it in RFC 3339 form with a zone, such as \"2024-05-31T14:02:00.000Z\""
	_, info, reason := parseTimestamp(s)
	switch {
	case reason == errNegativeZero.Error():
		c.err(n, "xapi.timestamp.invalid", "XAPI-00123",
			fmt.Sprintf("timestamp %s has the offset -00:00, which RFC 3339 reserves for an unknown local offset; write Z or +00:00 for UTC", quote(s)))
	case reason != "":
		c.err(n, "xapi.timestamp.invalid", "XAPI-00123",
			fmt.Sprintf("timestamp %s is not an ISO 8601 date and time: %s%s", quote(s), reason, example))
	case c.v2() && !info.rfc3339:
		c.err(n, "xapi.timestamp.not-rfc3339", "",
			fmt.Sprintf("xAPI 2.0 requires RFC 3339 timestamps, and %s is not one (it needs YYYY-MM-DDThh:mm:ss, optional fraction, and Z or ±hh:mm)%s", quote(s), example))
	case !info.zone:
		c.warn(n, "xapi.timestamp.zone-missing", "",
			fmt.Sprintf("timestamp %s has no time zone, so the instant it names is ambiguous (xAPI 2.0 rejects it)%s", quote(s), example))
	case !info.rfc3339:
		c.warn(n, "xapi.timestamp.not-rfc3339", "",
			fmt.Sprintf("timestamp %s is valid ISO 8601 but not RFC 3339, which xAPI recommends and xAPI 2.0 requires%s", quote(s), example))
	}
}
