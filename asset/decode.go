package asset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsondec"
	"github.com/metaacademy/ota/internal/jsontree"
)

// Default limits of [Read].
const (
	// DefaultMaxBytes is the largest document Read accepts by default:
	// 16 MiB, some hundred times a large course's document. Reading holds
	// the document, its parsed tree and the decoded assets at once, so
	// that this bounds memory together with the two limits below (see
	// docs/security.md for what to expect).
	DefaultMaxBytes = 16 << 20
	// DefaultMaxValues is the most JSON values (objects, arrays, strings,
	// numbers, literals) Read accepts by default: each costs about 100
	// bytes parsed and up to a kilobyte decoded and reported on, so that
	// a byte limit alone lets a document of small values take gigabytes.
	// A part with an ID, a kind and a title is five values.
	DefaultMaxValues = 100_000
	// DefaultMaxAssets is the most assets (the root and its parts at
	// every level) one document may hold by default; a decoded and
	// checked asset takes about 2 KB. Real courses have hundreds.
	DefaultMaxAssets = 10_000
	// DefaultMaxDepth is the deepest nesting of JSON arrays and objects
	// Read accepts by default: enough for asset trees over a hundred
	// levels deep.
	DefaultMaxDepth = 256
)

// Errors of [Read]. Each is wrapped with the details; test with errors.Is.
var (
	// ErrSyntax means the input is not well-formed JSON, or has a
	// duplicate key, invalid UTF-8 or nesting beyond the limit. The error
	// is a *[SyntaxError] giving the place.
	ErrSyntax = errors.New("asset: malformed JSON")
	// ErrTooLarge means the input is larger than ReadOptions.MaxBytes.
	ErrTooLarge = errors.New("asset: document too large")
	// ErrNotDocument means the input is JSON but not an OTA document (its
	// root is not an object).
	ErrNotDocument = errors.New("asset: not an OTA document")
	// ErrFormatVersion means the document declares a major format
	// version this package does not read.
	ErrFormatVersion = errors.New("asset: unsupported format version")
)

// SyntaxError locates malformed input. It matches [ErrSyntax] with
// errors.Is.
type SyntaxError struct {
	// Offset is the byte offset of the problem.
	Offset int
	// Line and Column are 1-based; Column counts bytes.
	Line, Column int
	// Pointer is the JSON Pointer of the value being read.
	Pointer string
	// Msg says what is wrong.
	Msg string
}

// Error returns "asset: line L, column C: MSG".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("asset: line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Is reports whether target is [ErrSyntax].
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// ReadOptions configure [Read]. The zero value is ready to use.
type ReadOptions struct {
	// MaxBytes is the largest document accepted; 0 means
	// [DefaultMaxBytes]. Read stops reading past it.
	MaxBytes int64
	// MaxDepth is the deepest nesting of arrays and objects accepted; 0
	// means [DefaultMaxDepth].
	MaxDepth int
	// MaxValues is the most JSON values accepted; 0 means
	// [DefaultMaxValues], a negative value no limit.
	MaxValues int
	// MaxAssets is the most assets the document's tree may hold; 0 means
	// [DefaultMaxAssets], a negative value no limit.
	MaxAssets int
	// Validate, when true, also runs [Check] on the decoded tree and adds
	// its issues to the report, each with the line it refers to.
	Validate bool
	// Check configures the validation run when Validate is true.
	Check CheckOptions
}

// Read decodes one OTA document from r.
//
// The error is non-nil only when r does not hold an OTA document at all:
// it cannot be read, is larger than the limit ([ErrTooLarge]), is not
// well-formed JSON ([ErrSyntax], as a *[SyntaxError]), is not a JSON object
// ([ErrNotDocument]) or declares a newer major format version
// ([ErrFormatVersion]). Everything else is reported in the returned report
// with a JSON Pointer and a line: members of the wrong type (left at their
// zero value), unknown members (warnings; kept in Unknown and written back),
// a missing or newer-minor format version. With ReadOptions.Validate the
// report also holds every issue [Check] finds.
//
// A UTF-8 byte order mark at the start is skipped.
func Read(r io.Reader, opts ReadOptions) (*Document, ota.Report, error) {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	data, err := jsondec.ReadAll(r, maxBytes, ErrTooLarge, "ReadOptions.MaxBytes", "asset: reading document")
	if err != nil {
		return nil, ota.Report{}, err
	}
	return decodeDocument(data, opts)
}

// Unmarshal decodes an OTA document from data, as [Read] does.
func Unmarshal(data []byte, opts ReadOptions) (*Document, ota.Report, error) {
	if opts.MaxBytes > 0 && int64(len(data)) > opts.MaxBytes {
		return nil, ota.Report{}, fmt.Errorf("%w: larger than the limit of %d bytes (ReadOptions.MaxBytes)", ErrTooLarge, opts.MaxBytes)
	}
	return decodeDocument(data, opts)
}

func decodeDocument(data []byte, opts ReadOptions) (*Document, ota.Report, error) {
	data = jsondec.TrimBOM(data)
	depth := opts.MaxDepth
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	root, err := parseTreeLimited(data, depth, jsondec.Limit(opts.MaxValues, DefaultMaxValues))
	if err != nil {
		return nil, ota.Report{}, err
	}
	if root.Kind != jsontree.Object {
		return nil, ota.Report{}, fmt.Errorf("%w: the input is a JSON %s; an OTA document is a JSON object with an \"ota\" member", ErrNotDocument, root.Kind)
	}
	if maxAssets := jsondec.Limit(opts.MaxAssets, DefaultMaxAssets); maxAssets > 0 && countAssets(root, maxAssets) > maxAssets {
		return nil, ota.Report{}, fmt.Errorf("%w: the document holds more than %d assets (ReadOptions.MaxAssets)", ErrTooLarge, maxAssets)
	}
	d := &decoder{data: data, lines: jsondec.NewLines(data)}
	doc := &Document{}
	if err := d.header(root, doc); err != nil {
		return nil, ota.Report{}, err
	}
	doc.Asset = d.asset(root, "")
	rep := ota.Report{Issues: d.issues}
	if opts.Validate {
		// A value of the wrong type was left at its zero value, which Check
		// would report again (as missing, or through its members): skip
		// Check's issues at or below such a value.
		var wrong []string
		for _, is := range d.issues {
			switch is.Code {
			case "asset.json.wrong-type", "asset.json.empty-string", "asset.duration.invalid", "asset.resource.size-invalid":
				wrong = append(wrong, is.Pointer)
			}
		}
		for _, is := range Check(&doc.Asset, opts.Check).Issues {
			if under(is.Pointer, wrong) {
				continue
			}
			is.Line = d.lineOf(root, is.Pointer)
			rep.Issues = append(rep.Issues, is)
		}
	}
	rep.Apply(opts.Check.Policy)
	return doc, rep, nil
}

// under reports whether ptr is one of prefixes or lies below one.
func under(ptr string, prefixes []string) bool {
	for _, p := range prefixes {
		if ptr == p || strings.HasPrefix(ptr, p+"/") {
			return true
		}
	}
	return false
}

func parseTree(data []byte, depth int) (*jsontree.Node, error) {
	return parseTreeLimited(data, depth, 0)
}

// countAssets counts the assets of the tree under root (root included),
// following "parts" arrays, and stops counting past max.
func countAssets(root *jsontree.Node, max int) int {
	n := 1
	var walk func(a *jsontree.Node)
	walk = func(a *jsontree.Node) {
		parts := a.Get("parts")
		if parts == nil || parts.Kind != jsontree.Array {
			return
		}
		for _, p := range parts.Elems {
			if n > max {
				return
			}
			if p.Kind == jsontree.Object {
				n++
				walk(p)
			}
		}
	}
	walk(root)
	return n
}

func parseTreeLimited(data []byte, depth, maxValues int) (*jsontree.Node, error) {
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: depth, MaxValues: maxValues})
	if errors.Is(err, jsontree.ErrTooMany) {
		return nil, fmt.Errorf("%w: the document holds more than %d JSON values (ReadOptions.MaxValues)", ErrTooLarge, maxValues)
	}
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			return nil, &SyntaxError{Offset: se.Offset, Line: se.Line, Column: se.Column, Pointer: se.Pointer, Msg: se.Msg}
		}
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	return root, nil
}

// header reads the "ota" and "$schema" members of the root object.
func (d *decoder) header(root *jsontree.Node, doc *Document) error {
	v := root.Get("ota")
	if v == nil {
		d.add(root, "", "asset.format.missing", ota.Error,
			`the document has no "ota" member; add "ota": "`+FormatVersion+`" to the root object`)
	} else if v.Kind != jsontree.String {
		d.wrongType(v, "/ota", "a string such as \""+FormatVersion+"\"")
	} else {
		doc.Format = v.Str
		major, minor, ok := parseFormat(v.Str)
		switch {
		case !ok:
			d.add(v, "/ota", "asset.format.invalid", ota.Error,
				fmt.Sprintf("format version %q is not MAJOR.MINOR; write \"%s\"", v.Str, FormatVersion))
		case major != 1:
			return fmt.Errorf("%w: the document is OTA format %s; this library reads format 1.x", ErrFormatVersion, v.Str)
		case minor > 0:
			d.add(v, "/ota", "asset.format.newer-minor", ota.Warning,
				fmt.Sprintf("the document is OTA format %s, newer than %s; members this library does not know are kept but not checked", v.Str, FormatVersion))
		}
	}
	if s := root.Get("$schema"); s != nil {
		if s.Kind != jsontree.String {
			d.wrongType(s, "/$schema", "a string (the schema's URI)")
		} else {
			doc.Schema = s.Str
		}
	}
	return nil
}

func parseFormat(s string) (major, minor int, ok bool) {
	a, b, found := strings.Cut(s, ".")
	if !found || !isDigits(a) || !isDigits(b) || (len(a) > 1 && a[0] == '0') || (len(b) > 1 && b[0] == '0') || len(a) > 4 || len(b) > 4 {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(a)
	minor, _ = strconv.Atoi(b)
	return major, minor, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decoder turns a parsed tree into the model, collecting issues instead of
// stopping at the first.
type decoder struct {
	data   []byte
	issues []ota.Issue
	lines  *jsondec.Lines
}

func (d *decoder) line(off int) int { return d.lines.Line(off) }

// lineOf returns the line of the deepest node of the tree that ptr reaches.
func (d *decoder) lineOf(root *jsontree.Node, ptr string) int {
	return d.line(jsondec.At(root, ptr).Start)
}

func (d *decoder) add(n *jsontree.Node, ptr, code string, sev ota.Severity, msg string) {
	d.issues = append(d.issues, ota.Issue{Pointer: ptr, Line: d.line(n.Start), Code: code, Severity: sev, Message: msg})
}

func (d *decoder) wrongType(n *jsontree.Node, ptr, want string) {
	d.add(n, ptr, "asset.json.wrong-type", ota.Error, fmt.Sprintf("expected %s, found %s", want, jsondec.Article(n.Kind)))
}

func (d *decoder) unknown(m jsontree.Member, ptr string, dst *map[string]json.RawMessage, where string) {
	d.add(m.Value, ptr, "asset.json.unknown-member", ota.Warning,
		fmt.Sprintf("%s has no member %q; it is kept as is, but check the spelling, or move it under \"extensions\" with an IRI key", where, m.Key))
	if *dst == nil {
		*dst = map[string]json.RawMessage{}
	}
	(*dst)[m.Key] = d.raw(m.Value)
}

func (d *decoder) raw(n *jsontree.Node) json.RawMessage {
	return json.RawMessage(bytes.Clone(d.data[n.Start:n.End]))
}

func (d *decoder) object(n *jsontree.Node, ptr, want string) bool {
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, want)
		return false
	}
	return true
}

func (d *decoder) array(n *jsontree.Node, ptr, want string) bool {
	if n.Kind != jsontree.Array {
		d.wrongType(n, ptr, want)
		return false
	}
	return true
}

func (d *decoder) str(n *jsontree.Node, ptr string) string {
	if n.Kind != jsontree.String {
		d.wrongType(n, ptr, "a string")
		return ""
	}
	return n.Str
}

// opt reads an optional string member. An empty string is an error:
// leave the member out instead.
func (d *decoder) opt(n *jsontree.Node, ptr string) string {
	s := d.str(n, ptr)
	if n.Kind == jsontree.String && s == "" {
		d.add(n, ptr, "asset.json.empty-string", ota.Error, "the value is an empty string; leave the member out when there is nothing to say")
	}
	return s
}

func (d *decoder) strs(n *jsontree.Node, ptr string) []string {
	if !d.array(n, ptr, "an array of strings") {
		return nil
	}
	out := make([]string, 0, len(n.Elems))
	for i, e := range n.Elems {
		out = append(out, d.str(e, ptr+"/"+strconv.Itoa(i)))
	}
	return out
}

func (d *decoder) langString(n *jsontree.Node, ptr string) LangString {
	if !d.object(n, ptr, `an object mapping language tags to text, such as {"en": "…"}`) {
		return nil
	}
	out := make(LangString, len(n.Members))
	for _, m := range n.Members {
		out[m.Key] = d.str(m.Value, jsontree.AppendPointerToken(ptr, m.Key))
	}
	return out
}

func (d *decoder) langList(n *jsontree.Node, ptr string) LangList {
	if !d.object(n, ptr, `an object mapping language tags to arrays of text, such as {"en": ["…"]}`) {
		return nil
	}
	out := make(LangList, len(n.Members))
	for _, m := range n.Members {
		out[m.Key] = d.strs(m.Value, jsontree.AppendPointerToken(ptr, m.Key))
	}
	return out
}

func (d *decoder) rawMap(n *jsontree.Node, ptr string) map[string]json.RawMessage {
	if !d.object(n, ptr, "an object whose keys are IRIs") {
		return nil
	}
	out := make(map[string]json.RawMessage, len(n.Members))
	for _, m := range n.Members {
		out[m.Key] = d.raw(m.Value)
	}
	return out
}

func (d *decoder) asset(n *jsontree.Node, ptr string) Asset {
	var a Asset
	if !d.object(n, ptr, "an asset object") {
		return a
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		v := m.Value
		switch m.Key {
		case "id":
			a.ID = d.str(v, p)
		case "version":
			a.Version = d.opt(v, p)
		case "kind":
			a.Kind = Kind(d.str(v, p))
		case "title":
			a.Title = d.langString(v, p)
		case "description":
			a.Description = d.langString(v, p)
		case "keywords":
			a.Keywords = d.langList(v, p)
		case "languages":
			a.Languages = d.strs(v, p)
		case "contributors":
			if d.array(v, p, "an array of contributor objects") {
				a.Contributors = make([]Contributor, len(v.Elems))
				for i, e := range v.Elems {
					a.Contributors[i] = d.contributor(e, p+"/"+strconv.Itoa(i))
				}
			}
		case "license":
			a.License = d.opt(v, p)
		case "audience":
			a.Audience = d.langString(v, p)
		case "level":
			a.Level = Level(d.opt(v, p))
		case "duration":
			if s := d.str(v, p); s != "" || v.Kind == jsontree.String {
				dur, err := ParseDuration(s)
				if err != nil {
					d.add(v, p, "asset.duration.invalid", ota.Error, durationMessage(err))
				}
				a.Duration = dur
			}
		case "deliveryModes":
			for _, s := range d.strs(v, p) {
				a.DeliveryModes = append(a.DeliveryModes, DeliveryMode(s))
			}
		case "accessibility":
			a.Accessibility = d.langString(v, p)
		case "objectives":
			if d.array(v, p, "an array of objective objects") {
				a.Objectives = make([]Objective, len(v.Elems))
				for i, e := range v.Elems {
					a.Objectives[i] = d.objective(e, p+"/"+strconv.Itoa(i))
				}
			}
		case "alignments":
			a.Alignments = d.alignments(v, p)
		case "prerequisites":
			a.Prerequisites = d.strs(v, p)
		case "parts":
			if d.array(v, p, "an array of asset objects") {
				a.Parts = make([]Asset, len(v.Elems))
				for i, e := range v.Elems {
					a.Parts[i] = d.asset(e, p+"/"+strconv.Itoa(i))
				}
			}
		case "resources":
			if d.array(v, p, "an array of resource objects") {
				a.Resources = make([]Resource, len(v.Elems))
				for i, e := range v.Elems {
					a.Resources[i] = d.resource(e, p+"/"+strconv.Itoa(i))
				}
			}
		case "relations":
			if d.array(v, p, "an array of relation objects") {
				a.Relations = make([]Relation, len(v.Elems))
				for i, e := range v.Elems {
					a.Relations[i] = d.relation(e, p+"/"+strconv.Itoa(i))
				}
			}
		case "created":
			a.Created = d.opt(v, p)
		case "modified":
			a.Modified = d.opt(v, p)
		case "published":
			a.Published = d.opt(v, p)
		case "extensions":
			a.Extensions = d.rawMap(v, p)
		case "ota", "$schema":
			if ptr != "" { // the document header belongs to the root only
				d.unknown(m, p, &a.Unknown, "an asset below the root")
			}
		default:
			d.unknown(m, p, &a.Unknown, "an asset")
		}
	}
	return a
}

func durationMessage(err error) string {
	var de *DurationError
	if errors.As(err, &de) {
		return fmt.Sprintf("%q is not an ISO 8601 duration: %s; write it like PT45M or P1DT2H30M", de.Input, de.Reason)
	}
	return err.Error()
}
