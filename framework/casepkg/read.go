package casepkg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/fwkit"
	"github.com/metaacademy/ota/internal/jsondec"

	"github.com/google/uuid"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
)

// Extension keys used by the CASE codec.
const (
	// ExtCASE keys, in the Extensions of a Framework, Node, Scale, Level or
	// Association, the CASE facts [Read] keeps so that [Write]
	// writes the same package back: an object with the members
	// "identifier" (the CASE UUID, when it is not the one Write would
	// derive), "uri" (the uri of an association, scale or level, which
	// have no ID of their own), "itemType" (the CFItemType
	// text, when it is not the usual title of the node's kind) and
	// "humanCodingScheme" (an item's code, when it could not be the node's
	// code because another item has it too). Write does not copy it
	// into the CASE output.
	ExtCASE = "https://metaacademy.github.io/ota/ext/case"
	// ExtOTA keys, in the "extensions" of the CASE objects [Write]
	// writes, the OTA facts CASE has no member for: texts in further
	// languages, unofficial and unconfirmed flags, previous names, level
	// groups, the registered key and so on. Read takes them back.
	ExtOTA = "https://metaacademy.github.io/ota/ext/framework"
)

// Defaults of [Read].
const (
	// DefaultMaxBytes is the largest package Read accepts by
	// default: 16 MiB, several times the largest published frameworks.
	DefaultMaxBytes = 16 << 20
	// DefaultMaxValues is the most JSON values a package may hold by
	// default: an item is some ten values and costs about 3 KB read, so
	// that this bounds memory where the byte limit alone does not.
	DefaultMaxValues = 200_000
	// DefaultMaxDepth is the deepest nesting of JSON arrays and
	// objects Read accepts by default. CASE packages are shallow; the
	// rest is room for extensions.
	DefaultMaxDepth = 64
)

// Errors of [Read] and [Write]; test with errors.Is.
var (
	// ErrSyntax means the input is not well-formed JSON, has a
	// duplicate key, invalid UTF-8 or nesting beyond the limit.
	ErrSyntax = errors.New("framework: malformed CASE JSON")
	// ErrNotCASE means the input is JSON but not a CASE package: its root
	// is not an object with a CFDocument object.
	ErrNotCASE = errors.New("framework: not a CASE package")
	// ErrTooLarge means the input is larger than the limit.
	ErrTooLarge = errors.New("framework: input too large")
)

// ReadOptions configure [Read]. The zero value is ready to use.
type ReadOptions struct {
	// MaxBytes is the largest package accepted; 0 means
	// [DefaultMaxBytes].
	MaxBytes int64
	// MaxDepth is the deepest nesting accepted; 0 means
	// [DefaultMaxDepth].
	MaxDepth int
	// MaxValues is the most JSON values accepted; 0 means
	// [DefaultMaxValues], a negative value no limit.
	MaxValues int
	// DefaultKind is the kind given to items whose CFItemType is missing
	// or not recognised; empty (or a kind that is not valid) means
	// [framework.KindCompetence].
	DefaultKind framework.NodeKind
	// Policy changes the severity of issues by code.
	Policy ota.Policy
}

// Read reads a CASE 1.1 package (the JSON of a CFPackage) from r and
// returns it as a framework, with a report of the issues found and of what
// the framework could not carry over (the losses).
//
// The error is non-nil only when r does not hold a CASE package at all: it
// cannot be read, is larger than the limit ([ErrTooLarge]), is not
// well-formed JSON or repeats a key in an object ([ErrSyntax]), or is not
// an object with a CFDocument object ([ErrNotCASE]). Everything else is an
// issue with a JSON Pointer into the package and a line: members of the
// wrong type (ignored), missing required members, identifiers that are not
// UUIDs, duplicate identifiers (the later object is ignored), association
// ends that resolve to nothing or point into the package without matching
// an item or the document (the association is ignored; see
// docs/interpretations.md), unknown members (warnings), and what
// [framework.Framework.Check] finds in the result, located at the CASE object it came
// from. The framework is returned whenever the error is nil, even when the
// report has errors.
//
// A UTF-8 byte order mark at the start is skipped.
func Read(r io.Reader, opts ReadOptions) (*framework.Framework, ota.Report, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := jsondec.ReadAll(r, limit, ErrTooLarge, "ReadOptions.MaxBytes", "framework: reading CASE package")
	if err != nil {
		return nil, ota.Report{}, err
	}
	data = jsondec.TrimBOM(data)
	depth := opts.MaxDepth
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	maxValues := opts.MaxValues
	if maxValues == 0 {
		maxValues = DefaultMaxValues
	}
	root, err := jsondec.Parse(data, jsontree.Limits{MaxDepth: depth, MaxValues: max(maxValues, 0)}, ErrTooLarge, "ReadOptions.MaxValues")
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, ota.Report{}, err
		}
		return nil, ota.Report{}, jsondec.Syntax(ErrSyntax, err)
	}
	if root.Kind != jsontree.Object {
		return nil, ota.Report{}, fmt.Errorf("%w: the input is a JSON %s; a CASE package is an object with a CFDocument", ErrNotCASE, root.Kind)
	}
	if doc := root.Get("CFDocument"); doc == nil || doc.Kind != jsontree.Object {
		return nil, ota.Report{}, fmt.Errorf("%w: the root object has no CFDocument object", ErrNotCASE)
	}
	kind := opts.DefaultKind
	if kind == "" || !kind.Valid() {
		kind = framework.KindCompetence
	}
	cr := &caseReader{data: data, lines: jsondec.NewLines(data), defaultKind: kind, seenIDs: map[string]string{}}
	f := cr.read(root)
	rep := cr.report()
	rep.Apply(opts.Policy)
	return f, rep, nil
}

// caseLinkIn is a LinkURI or LinkGenURI as read.
type caseLinkIn struct {
	title, identifier, uri, targetType string
}

// caseItemIn is a CFItem as read.
type caseItemIn struct {
	ptr                                         string
	node                                        *jsontree.Node
	identifier, uri, full, abbr, alt, hcs, lang string
	itemType, lastChange                        string
	typeLink                                    caseLinkIn
	ext                                         map[string]json.RawMessage
	facts                                       otaFacts
	role                                        int // itemNode, itemScale, itemLevel
	parent                                      int // index of the parent item; -1 none (top level or document)
	parentSeq                                   int
	hasSeq                                      bool
	code                                        string
	outID                                       string // the identifier Write will write
	unofficial                                  bool
	dupCode                                     bool
	children                                    []int
	candidateLevel, scaleTyped, levelTyped      bool
}

const (
	itemNode = iota
	itemScale
	itemLevel
)

// caseAssocIn is a CFAssociation as read.
type caseAssocIn struct {
	ptr                              string
	node                             *jsontree.Node
	identifier, uri, typ, lastChange string
	seq                              int
	hasSeq                           bool
	origin, dest                     caseLinkIn
	originPtr, destPtr               string
	ext                              map[string]json.RawMessage
	facts                            otaFacts
	originItem, destItem             int // index into items, -1 when not an item
	destIsDoc, originIsDoc           bool
	// originDangling and destDangling say why an end that is neither an
	// item nor the document still points into this package; "" otherwise.
	originDangling, destDangling string
}

// otaFacts are the OTA facts Write keeps in the ExtOTA extension of CASE
// objects.
type otaFacts struct {
	Key          string                    `json:"key,omitempty"`
	Omitted      []string                  `json:"omitted,omitempty"`
	Notes        []string                  `json:"notes,omitempty"`
	Modified     string                    `json:"modified,omitempty"`
	Unofficial   bool                      `json:"unofficial,omitempty"`
	Unconfirmed  bool                      `json:"unconfirmed,omitempty"`
	AltNames     []string                  `json:"altNames,omitempty"`
	PreviousName string                    `json:"previousName,omitempty"`
	Name         asset.LangString          `json:"name,omitempty"`
	Description  asset.LangString          `json:"description,omitempty"`
	Type         framework.AssociationType `json:"type,omitempty"`
	Source       string                    `json:"source,omitempty"`
	Target       string                    `json:"target,omitempty"`
	Group        string                    `json:"group,omitempty"`
	Rank         *int                      `json:"rank,omitempty"`
}

// caseFacts are the CASE facts Read keeps in the ExtCASE extension of
// OTA values.
type caseFacts struct {
	Identifier        string `json:"identifier,omitempty"`
	URI               string `json:"uri,omitempty"`
	ItemType          string `json:"itemType,omitempty"`
	HumanCodingScheme string `json:"humanCodingScheme,omitempty"`
}

// caseLicenseIn is a CFLicense as read.
type caseLicenseIn struct {
	ptr, title, text string
}

type caseItemType struct {
	title, typeCode string
}

type caseReader struct {
	data        []byte
	defaultKind framework.NodeKind
	issues      []ota.Issue
	losses      lossList
	lines       *jsondec.Lines
	seenIDs     map[string]string // identifier → pointer of its first object
	errPtrs     map[string]bool

	docID, docURI, docLang string
	docOutID               string
	outIDs                 map[string]bool // identifiers Write will write
	docLastChange          string
	docFacts               otaFacts
	itemTypes              map[string]caseItemType  // by identifier
	licenses               map[string]caseLicenseIn // by identifier
	items                  []*caseItemIn
	byID                   map[string]int
	assocs                 []*caseAssocIn
}

func (d *caseReader) line(off int) int { return d.lines.Line(off) }

func (d *caseReader) add(n *jsontree.Node, ptr, code string, sev ota.Severity, msg string) {
	line := 0
	if n != nil {
		line = d.line(n.Start)
	}
	if sev == ota.Error {
		if d.errPtrs == nil {
			d.errPtrs = map[string]bool{}
		}
		d.errPtrs[ptr] = true
	}
	d.issues = append(d.issues, ota.Issue{Pointer: ptr, Line: line, Code: code, Severity: sev, Message: msg})
}

// lose records a loss; see lossList.
func (d *caseReader) lose(code, ptr, what, why string) { d.losses.add(code, ptr, what, why) }

func (d *caseReader) report() ota.Report {
	return ota.Report{Issues: d.issues, Losses: d.losses.list()}
}

func (d *caseReader) wrongType(n *jsontree.Node, ptr, want string) {
	found := "a " + n.Kind.String()
	switch n.Kind {
	case jsontree.Null:
		found = "null"
	case jsontree.Array, jsontree.Object:
		found = "an " + n.Kind.String()
	}
	d.add(n, ptr, "case.json.wrong-type", ota.Error, fmt.Sprintf("expected %s, found %s; the member is ignored", want, found))
}

func (d *caseReader) unknown(m jsontree.Member, ptr, where string) {
	d.add(m.Value, ptr, "case.json.unknown-member", ota.Warning,
		fmt.Sprintf("%s has no member %q in CASE 1.1; it is ignored (check the spelling, or move it under \"extensions\")", where, m.Key))
	d.lose("case.lost.unknown-member", ptr, fmt.Sprintf("the unknown member %q of %s", m.Key, where), "it is not part of CASE 1.1 and OTA has nowhere to keep it")
}

func (d *caseReader) str(n *jsontree.Node, ptr string) string {
	if n.Kind != jsontree.String {
		d.wrongType(n, ptr, "a string")
		return ""
	}
	return n.Str
}

func (d *caseReader) array(n *jsontree.Node, ptr, what string) []*jsontree.Node {
	if n.Kind != jsontree.Array {
		d.wrongType(n, ptr, "an array of "+what)
		return nil
	}
	return n.Elems
}

func (d *caseReader) integer(n *jsontree.Node, ptr string) (int, bool) {
	if n.Kind != jsontree.Number {
		d.wrongType(n, ptr, "an integer")
		return 0, false
	}
	v, err := strconv.ParseInt(n.Num, 10, 32)
	if err != nil {
		d.add(n, ptr, "case.json.not-integer", ota.Error, fmt.Sprintf("%s is not a 32-bit integer; the member is ignored", n.Num))
		return 0, false
	}
	return int(v), true
}

// link reads a LinkURI or LinkGenURI object.
func (d *caseReader) link(n *jsontree.Node, ptr string, gen bool) (caseLinkIn, bool) {
	var l caseLinkIn
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "a link object with title, identifier and uri")
		return l, false
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "title":
			l.title = d.str(m.Value, p)
		case "identifier":
			l.identifier = d.str(m.Value, p)
		case "uri":
			l.uri = d.str(m.Value, p)
		case "targetType":
			if gen {
				l.targetType = d.str(m.Value, p)
				continue
			}
			d.unknown(m, p, "a LinkURI")
		default:
			d.unknown(m, p, "a link")
		}
	}
	if l.identifier == "" {
		d.add(n, ptr, "case.link.identifier-missing", ota.Error, `the link has no "identifier"; give the UUID of the object it points at`)
	}
	if l.uri == "" {
		d.add(n, ptr, "case.link.uri-missing", ota.Error, `the link has no "uri"; give the URI of the object it points at`)
	}
	if l.title == "" && n.Get("title") == nil {
		d.add(n, ptr, "case.link.title-missing", ota.Warning, `the link has no "title"; CASE requires one`)
	}
	return l, true
}

// extensions reads a CASE "extensions" object: members keyed by absolute
// IRIs are kept, the ExtOTA member is decoded into facts, and the rest is
// lost.
func (d *caseReader) extensions(n *jsontree.Node, ptr string, facts *otaFacts) map[string]json.RawMessage {
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "an object")
		return nil
	}
	var out map[string]json.RawMessage
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		// Kept compact, as encoding/json writes it in the canonical form.
		var buf bytes.Buffer
		if jsontree.Compact(&buf, m.Value.Raw(d.data)) != nil {
			continue // cannot happen: the value was parsed
		}
		raw := json.RawMessage(buf.Bytes())
		switch {
		case m.Key == ExtOTA:
			if m.Value.Kind != jsontree.Object || json.Unmarshal(raw, facts) != nil {
				*facts = otaFacts{}
				d.add(m.Value, p, "case.extension.ota-invalid", ota.Warning, "the OTA extension does not have the form OTA writes; it is ignored")
			}
		case m.Key == ExtCASE:
			d.lose("case.lost.reserved-extension", p, "an extension keyed "+ExtCASE, "OTA reserves this key for the CASE identifiers it keeps")
		case iri.IsAbsolute(m.Key):
			if out == nil {
				out = map[string]json.RawMessage{}
			}
			out[m.Key] = raw
		default:
			d.lose("case.lost.extension-key", p, "extensions whose key is not an absolute IRI", "OTA keeps extensions keyed by absolute IRIs only")
		}
	}
	return out
}

// identifier checks an object's identifier: present, shaped like a UUID and
// not used by an earlier object. It returns false for a duplicate.
func (d *caseReader) identifier(obj *jsontree.Node, id, ptr, what string) bool {
	if id == "" {
		d.add(obj, ptr, "case."+what+".identifier-missing", ota.Error, `the object has no "identifier"; give it a UUID`)
		return true
	}
	if err := uuid.Validate(id); err != nil || len(id) != 36 {
		d.add(obj.Get("identifier"), ptr+"/identifier", "case.identifier.not-uuid", ota.Error,
			fmt.Sprintf("the identifier %q is not a UUID in the 8-4-4-4-12 form CASE requires", id))
	}
	if first, dup := d.seenIDs[id]; dup {
		consequence := "so this object is ignored"
		if what == "document" {
			consequence = "links to the document by this identifier are ambiguous"
		}
		d.add(obj.Get("identifier"), ptr+"/identifier", "case.identifier.duplicate", ota.Error,
			fmt.Sprintf("the identifier %q is already used by %s; identifiers must be unique, %s", id, first, consequence))
		return false
	}
	d.seenIDs[id] = ptr
	return true
}

func (d *caseReader) lastChange(n *jsontree.Node, ptr string) string {
	s := d.str(n, ptr)
	if s != "" {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			d.add(n, ptr, "case.date-time.invalid", ota.Warning, fmt.Sprintf("%q is not an RFC 3339 date-time such as 2024-05-01T12:00:00Z", s))
		}
	}
	return s
}

func (d *caseReader) read(root *jsontree.Node) *framework.Framework {
	f := &framework.Framework{}
	var docNode *jsontree.Node
	for _, m := range root.Members {
		p := jsontree.AppendPointerToken("", m.Key)
		switch m.Key {
		case "CFDocument":
			docNode = m.Value
		case "CFItems", "CFAssociations":
		case "CFDefinitions":
			d.definitions(m.Value, p)
		case "CFRubrics":
			if m.Value.Kind != jsontree.Array {
				d.wrongType(m.Value, p, "an array of CFRubric objects")
			} else if len(m.Value.Elems) > 0 {
				d.lose("case.lost.rubrics", p, fmt.Sprintf("%d CFRubrics", len(m.Value.Elems)), "OTA frameworks do not model rubrics")
			}
		case "extensions":
			var facts otaFacts
			if ext := d.extensions(m.Value, p, &facts); len(ext) > 0 {
				d.lose("case.lost.package-extensions", p, "the extensions of the CFPackage", "OTA keeps the extensions of the CFDocument, not of the package around it")
			}
		default:
			d.unknown(m, p, "a CFPackage")
		}
	}
	d.document(docNode, "/CFDocument", f)
	if n := root.Get("CFItems"); n != nil {
		for i, e := range d.array(n, "/CFItems", "CFItem objects") {
			d.item(e, "/CFItems/"+strconv.Itoa(i))
		}
	}
	if n := root.Get("CFAssociations"); n != nil {
		for i, e := range d.array(n, "/CFAssociations", "CFAssociation objects") {
			d.association(e, "/CFAssociations/"+strconv.Itoa(i))
		}
	}
	d.build(f)
	return f
}

func (d *caseReader) definitions(n *jsontree.Node, ptr string) {
	d.itemTypes = map[string]caseItemType{}
	d.licenses = map[string]caseLicenseIn{}
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "a CFDefinitions object")
		return
	}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "CFItemTypes":
			for i, e := range d.array(m.Value, p, "CFItemType objects") {
				d.itemType(e, p+"/"+strconv.Itoa(i))
			}
		case "CFLicenses":
			for i, e := range d.array(m.Value, p, "CFLicense objects") {
				d.license(e, p+"/"+strconv.Itoa(i))
			}
		case "CFConcepts", "CFSubjects", "CFAssociationGroupings":
			if es := d.array(m.Value, p, m.Key[2:len(m.Key)-1]+" objects"); len(es) > 0 {
				d.lose("case.lost.definitions", p, fmt.Sprintf("%d %s", len(es), m.Key), "OTA frameworks do not model "+definitionNames[m.Key])
			}
		case "extensions":
			var facts otaFacts
			if ext := d.extensions(m.Value, p, &facts); len(ext) > 0 {
				d.lose("case.lost.definitions-extensions", p, "the extensions of CFDefinitions", "OTA keeps the extensions of the CFDocument, items and associations only")
			}
		default:
			d.unknown(m, p, "CFDefinitions")
		}
	}
}

func (d *caseReader) itemType(n *jsontree.Node, ptr string) {
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "a CFItemType object")
		return
	}
	var id string
	var t caseItemType
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "identifier":
			id = d.str(m.Value, p)
		case "title":
			t.title = d.str(m.Value, p)
		case "typeCode":
			t.typeCode = d.str(m.Value, p)
		case "uri", "description", "hierarchyCode", "lastChangeDateTime":
			d.str(m.Value, p)
		case "extensions":
			var facts otaFacts
			d.extensions(m.Value, p, &facts)
		default:
			d.unknown(m, p, "a CFItemType")
		}
	}
	if d.identifier(n, id, ptr, "item-type") && id != "" {
		d.itemTypes[id] = t
	}
}

func (d *caseReader) license(n *jsontree.Node, ptr string) {
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "a CFLicense object")
		return
	}
	l := caseLicenseIn{ptr: ptr}
	var id string
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		switch m.Key {
		case "identifier":
			id = d.str(m.Value, p)
		case "title":
			l.title = strings.TrimSpace(d.str(m.Value, p))
		case "licenseText":
			l.text = d.str(m.Value, p)
		case "uri", "description", "lastChangeDateTime":
			d.str(m.Value, p)
		case "extensions":
			var facts otaFacts
			d.extensions(m.Value, p, &facts)
		default:
			d.unknown(m, p, "a CFLicense")
		}
	}
	if d.identifier(n, id, ptr, "license") && id != "" {
		d.licenses[id] = l
	}
}

func (d *caseReader) document(n *jsontree.Node, ptr string, f *framework.Framework) {
	var title, description, creator, publisher, notes string
	var license caseLinkIn
	var ext map[string]json.RawMessage
	hasLicense := false
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		v := m.Value
		switch m.Key {
		case "identifier":
			d.docID = d.str(v, p)
		case "uri":
			d.docURI = d.str(v, p)
		case "title":
			title = d.str(v, p)
		case "description":
			description = d.str(v, p)
		case "creator":
			creator = d.str(v, p)
		case "publisher":
			publisher = d.str(v, p)
		case "version":
			f.Version = d.str(v, p)
		case "language":
			d.docLang = d.str(v, p)
		case "officialSourceURL":
			f.Source = d.str(v, p)
			if f.Source != "" && !iri.IsAbsolute(f.Source) {
				d.add(v, p, "case.document.source-invalid", ota.Warning, fmt.Sprintf("officialSourceURL %q is not an absolute URL; it is dropped", f.Source))
				d.lose("case.lost.source-url", p, "the officialSourceURL", "it is not an absolute URL")
				f.Source = ""
			}
		case "lastChangeDateTime":
			d.docLastChange = d.lastChange(v, p)
		case "notes":
			notes = d.str(v, p)
		case "licenseURI":
			license, hasLicense = d.link(v, p, false)
		case "caseVersion":
			if s := d.str(v, p); s != "" && s != "1.1" {
				d.add(v, p, "case.document.case-version", ota.Warning, fmt.Sprintf("the package declares CASE version %q; it is read as CASE 1.1", s))
			}
		case "CFPackageURI":
			d.link(v, p, false)
		case "extensions":
			ext = d.extensions(v, p, &d.docFacts)
		case "frameworkType", "adoptionStatus", "statusStartDate", "statusEndDate":
			if s := d.str(v, p); s != "" {
				d.lose("case.lost.document-member", p, "the CFDocument's "+m.Key, "OTA frameworks do not model it")
			}
		case "subject", "subjectURI":
			if v.Kind != jsontree.Array {
				d.wrongType(v, p, "an array")
			} else if len(v.Elems) > 0 {
				d.lose("case.lost.subjects", p, "the CFDocument's "+m.Key, "OTA frameworks do not model subjects")
			}
		default:
			d.unknown(m, p, "a CFDocument")
		}
	}
	facts := &d.docFacts
	d.identifier(n, d.docID, ptr, "document")
	// The framework ID is the document's uri.
	switch {
	case d.docURI == "":
		d.add(n, ptr, "case.document.uri-missing", ota.Error, `the CFDocument has no "uri"; give the URI of the framework`)
	case !iri.IsAbsolute(d.docURI):
		d.add(n.Get("uri"), ptr+"/uri", "case.document.uri-invalid", ota.Error, fmt.Sprintf("the CFDocument uri %q is not an absolute URI", d.docURI))
	default:
		f.ID = d.docURI
	}
	if f.ID == "" && d.docID != "" {
		f.ID = "urn:uuid:" + uuid.NewSHA1(asset.Namespace, []byte("case document "+d.docID)).String()
		if uuid.Validate(d.docID) == nil && len(d.docID) == 36 {
			f.ID = "urn:uuid:" + strings.ToLower(d.docID)
		}
	}
	// Language.
	lang := d.docLang
	switch {
	case lang == "":
		if n.Get("language") == nil {
			d.add(n, ptr, "case.document.language-missing", ota.Warning, `the CFDocument has no "language"; its texts are read as undetermined ("und")`)
		}
		d.docLang = "und"
	case asset.CheckTag(lang) != nil:
		d.add(n.Get("language"), ptr+"/language", "case.document.language-invalid", ota.Error, fmt.Sprintf("the language %q is not a BCP 47 tag; its texts are read as undetermined (\"und\")", lang))
		d.docLang = "und"
	default:
		f.Language = lang
	}
	if title == "" {
		d.add(n, ptr, "case.document.title-missing", ota.Error, `the CFDocument has no "title"`)
	} else {
		f.Title = asset.LangString{d.docLang: title}
	}
	if description != "" {
		f.Description = asset.LangString{d.docLang: description}
	}
	for _, t := range facts.Name.Tags() {
		f.Title = f.Title.Set(t, facts.Name[t])
	}
	for _, t := range facts.Description.Tags() {
		f.Description = f.Description.Set(t, facts.Description[t])
	}
	if creator == "" {
		d.add(n, ptr, "case.document.creator-missing", ota.Error, `the CFDocument has no "creator"; CASE requires the entity with authority over the framework`)
	}
	f.Publisher = publisher
	if f.Publisher == "" {
		f.Publisher = creator
	} else if creator != "" && creator != publisher {
		d.lose("case.lost.creator", ptr+"/creator", "the CFDocument's creator", fmt.Sprintf("OTA records one publisher; %q is kept, %q is not", publisher, creator))
	}
	if d.docLastChange == "" {
		d.add(n, ptr, "case.document.last-change-missing", ota.Error, `the CFDocument has no "lastChangeDateTime"`)
	} else if fwkit.ValidDate(d.docLastChange) {
		f.Modified = d.docLastChange
	} else {
		d.lose("case.lost.date", ptr+"/lastChangeDateTime", "the CFDocument's lastChangeDateTime", "it is not an RFC 3339 date-time")
	}
	if facts.Modified != "" && fwkit.ValidDate(facts.Modified) {
		f.Modified = facts.Modified
	}
	if notes != "" {
		f.Notes = []string{notes}
		if len(facts.Notes) > 0 && strings.Join(facts.Notes, "\n\n") == notes {
			f.Notes = facts.Notes
		}
	}
	if hasLicense {
		f.License = license.title
		if l, ok := d.licenses[license.identifier]; ok && license.identifier != "" {
			if l.title != "" {
				f.License = l.title
			}
			if l.text != "" && l.text != l.title {
				d.lose("case.lost.licence-text", l.ptr+"/licenseText", "the licence text", "OTA records the licence by its name or SPDX identifier")
			}
		}
		if f.License == "" {
			f.License = license.uri
		}
	}
	f.Key = facts.Key
	if f.Key != "" && !fwkit.IsKey(f.Key) {
		f.Key = ""
	}
	for _, o := range facts.Omitted {
		switch o {
		case "publisher":
			f.Publisher = ""
		case "modified":
			f.Modified = ""
		case "language":
			f.Language = ""
		}
	}
	d.docOutID = d.keptID(d.docID, deriveDocID(f.ID), ptr+"/identifier")
	if d.docOutID != deriveDocID(f.ID) {
		ext = withCASEFacts(ext, caseFacts{Identifier: d.docOutID})
	}
	f.Extensions = ext
}

func (d *caseReader) item(n *jsontree.Node, ptr string) {
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "a CFItem object")
		return
	}
	it := &caseItemIn{ptr: ptr, node: n, parent: -1}
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		v := m.Value
		switch m.Key {
		case "identifier":
			it.identifier = d.str(v, p)
		case "uri":
			it.uri = d.str(v, p)
		case "fullStatement":
			it.full = d.str(v, p)
		case "abbreviatedStatement":
			it.abbr = d.str(v, p)
		case "alternativeLabel":
			it.alt = d.str(v, p)
		case "humanCodingScheme":
			it.hcs = strings.TrimSpace(d.str(v, p))
		case "CFItemType":
			it.itemType = strings.TrimSpace(d.str(v, p))
		case "CFItemTypeURI":
			it.typeLink, _ = d.link(v, p, false)
		case "language":
			it.lang = d.str(v, p)
		case "lastChangeDateTime":
			it.lastChange = d.lastChange(v, p)
		case "CFDocumentURI":
			if l, ok := d.link(v, p, false); ok && l.identifier != "" && d.docID != "" && l.identifier != d.docID {
				d.add(v, p, "case.item.other-document", ota.Warning, fmt.Sprintf("the item says it belongs to the document %q, not to this package's %q", l.identifier, d.docID))
			}
		case "extensions":
			it.ext = d.extensions(v, p, &it.facts)
		case "listEnumeration", "notes", "statusStartDate", "statusEndDate":
			if s := d.str(v, p); s != "" {
				d.lose("case.lost.item-member", p, "the "+m.Key+" of items", "OTA framework nodes do not model it")
			}
		case "conceptKeywords", "educationLevel", "subject", "subjectURI":
			if v.Kind != jsontree.Array {
				d.wrongType(v, p, "an array")
			} else if len(v.Elems) > 0 {
				d.lose("case.lost.item-member", p, "the "+m.Key+" of items", "OTA framework nodes do not model it")
			}
		case "conceptKeywordsURI":
			d.link(v, p, false)
			d.lose("case.lost.item-member", p, "the conceptKeywordsURI of items", "OTA framework nodes do not model concepts")
		case "licenseURI":
			d.link(v, p, false)
			d.lose("case.lost.item-licence", p, "the licenseURI of items", "OTA records one licence, the framework's")
		default:
			d.unknown(m, p, "a CFItem")
		}
	}
	if !d.identifier(n, it.identifier, ptr, "item") {
		return
	}
	if it.uri == "" {
		d.add(n, ptr, "case.item.uri-missing", ota.Error, `the item has no "uri"`)
	} else if !iri.IsAbsolute(it.uri) {
		d.add(n.Get("uri"), ptr+"/uri", "case.item.uri-invalid", ota.Error, fmt.Sprintf("the item uri %q is not an absolute URI", it.uri))
		it.uri = ""
	}
	if strings.TrimSpace(it.full) == "" {
		d.add(n, ptr, "case.item.statement-missing", ota.Error, `the item has no "fullStatement"; CASE requires its text`)
	}
	if it.lastChange == "" {
		d.add(n, ptr, "case.item.last-change-missing", ota.Error, `the item has no "lastChangeDateTime"`)
	}
	if it.lang != "" && asset.CheckTag(it.lang) != nil {
		d.add(n.Get("language"), ptr+"/language", "case.item.language-invalid", ota.Error, fmt.Sprintf("the language %q is not a BCP 47 tag; the document's language is used", it.lang))
		it.lang = ""
	}
	if it.identifier == "" && it.hcs == "" {
		return // nothing can name it
	}
	d.items = append(d.items, it)
}

func (d *caseReader) association(n *jsontree.Node, ptr string) {
	if n.Kind != jsontree.Object {
		d.wrongType(n, ptr, "a CFAssociation object")
		return
	}
	a := &caseAssocIn{ptr: ptr, node: n, originItem: -1, destItem: -1}
	var hasOrigin, hasDest bool
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		v := m.Value
		switch m.Key {
		case "identifier":
			a.identifier = d.str(v, p)
		case "uri":
			a.uri = d.str(v, p)
		case "associationType":
			a.typ = d.str(v, p)
		case "sequenceNumber":
			a.seq, a.hasSeq = d.integer(v, p)
		case "originNodeURI":
			a.origin, hasOrigin = d.link(v, p, true)
			a.originPtr = p
		case "destinationNodeURI":
			a.dest, hasDest = d.link(v, p, true)
			a.destPtr = p
		case "lastChangeDateTime":
			a.lastChange = d.lastChange(v, p)
		case "CFDocumentURI":
			d.link(v, p, false)
		case "CFAssociationGroupingURI":
			d.link(v, p, false)
			d.lose("case.lost.association-grouping", p, "the association groupings of associations", "OTA does not model association groupings")
		case "notes":
			if s := d.str(v, p); s != "" {
				d.lose("case.lost.association-notes", p, "the notes of associations", "OTA associations have no notes")
			}
		case "extensions":
			a.ext = d.extensions(v, p, &a.facts)
		default:
			d.unknown(m, p, "a CFAssociation")
		}
	}
	if !d.identifier(n, a.identifier, ptr, "association") {
		return
	}
	if a.uri == "" {
		d.add(n, ptr, "case.association.uri-missing", ota.Error, `the association has no "uri"`)
	}
	if a.lastChange == "" {
		d.add(n, ptr, "case.association.last-change-missing", ota.Error, `the association has no "lastChangeDateTime"`)
	}
	switch {
	case a.typ == "":
		d.add(n, ptr, "case.association.type-missing", ota.Error, `the association has no "associationType"; it is ignored`)
		return
	case !hasOrigin:
		d.add(n, ptr, "case.association.origin-missing", ota.Error, `the association has no "originNodeURI"; it is ignored`)
		return
	case !hasDest:
		d.add(n, ptr, "case.association.destination-missing", ota.Error, `the association has no "destinationNodeURI"; it is ignored`)
		return
	}
	switch a.typ {
	case "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf":
	default:
		if !strings.HasPrefix(a.typ, "ext:") || len(a.typ) == 4 {
			d.add(n.Get("associationType"), ptr+"/associationType", "case.association.type-invalid", ota.Error,
				fmt.Sprintf("%q is not a CASE 1.1 association type (isChildOf, isPeerOf, isPartOf, exactMatchOf, precedes, isRelatedTo, replacedBy, exemplar, hasSkillLevel, isTranslationOf, or ext: and a name); the association is ignored", a.typ))
			return
		}
	}
	d.assocs = append(d.assocs, a)
}

// build turns the items and associations read into nodes, scales and
// associations of f.
func (d *caseReader) build(f *framework.Framework) {
	d.byID = make(map[string]int, len(d.items))
	for i, it := range d.items {
		if it.identifier != "" {
			d.byID[it.identifier] = i
		}
	}
	// Resolve the ends of every association.
	for _, a := range d.assocs {
		if i, ok := d.byID[a.origin.identifier]; ok && a.origin.identifier != "" {
			a.originItem = i
		} else if a.origin.identifier != "" && a.origin.identifier == d.docID {
			a.originIsDoc = true
		}
		if i, ok := d.byID[a.dest.identifier]; ok && a.dest.identifier != "" {
			a.destItem = i
		} else if a.dest.identifier != "" && a.dest.identifier == d.docID {
			a.destIsDoc = true
		}
	}
	d.danglingEnds()
	d.kindsAndRoles()
	// Parents: the first isChildOf of each item whose origin is the item.
	hasParent := make([]bool, len(d.items))
	consumed := make([]bool, len(d.assocs))
	for j, a := range d.assocs {
		if a.typ != "isChildOf" || a.originItem < 0 || hasParent[a.originItem] {
			continue
		}
		it := d.items[a.originItem]
		switch {
		case a.destItem >= 0:
			if a.destItem == a.originItem {
				continue // reported by Check as a self-parent
			}
			it.parent = a.destItem
		case a.destIsDoc:
			it.parent = -1
		default:
			continue // an external parent: kept as a ChildOf association
		}
		hasParent[a.originItem] = true
		it.parentSeq, it.hasSeq = a.seq, a.hasSeq
		consumed[j] = true
	}
	for i, it := range d.items {
		if it.parent >= 0 {
			d.items[it.parent].children = append(d.items[it.parent].children, i)
		}
	}
	d.scalesAndLevels()
	d.codes()
	// Nodes, in package order with siblings sorted by sequenceNumber.
	var nodeItems []int
	for i, it := range d.items {
		if it.role == itemNode {
			nodeItems = append(nodeItems, i)
		}
	}
	nodeItems = d.orderSiblings(nodeItems)
	nodePtr := make([]string, 0, len(nodeItems))
	for _, i := range nodeItems {
		it := d.items[i]
		f.Nodes = append(f.Nodes, d.node(f, it))
		nodePtr = append(nodePtr, it.ptr)
	}
	d.scales(f)
	// The identifiers of consumed isChildOf associations are derived anew
	// when written back; say so when they differ.
	counter := map[string]int{}
	for j, a := range d.assocs {
		if !consumed[j] {
			continue
		}
		it := d.items[a.originItem]
		dest := d.docOutID
		if a.destItem >= 0 {
			dest = d.items[a.destItem].outID
		}
		if it.role != itemNode {
			continue
		}
		want := deriveAssocID(f.ID, "isChildOf", it.outID, dest, counter)
		if a.identifier != want {
			d.lose("case.lost.association-identifier", a.ptr+"/identifier", "the identifiers of isChildOf associations", "the hierarchy is kept as each node's parent; written back, these associations get identifiers derived from the framework ID and node codes")
		}
		if a.lastChange != "" && a.lastChange != d.docLastChange {
			d.lose("case.lost.date", a.ptr+"/lastChangeDateTime", "the lastChangeDateTime of associations", "OTA keeps one date, the framework's")
		}
	}
	assocPtr := d.associations(f, consumed, counter)
	d.check(f, nodePtr, assocPtr)
}

// kindsAndRoles works out which items are proficiency scales or levels.
func (d *caseReader) kindsAndRoles() {
	for _, it := range d.items {
		t := d.typeOf(it)
		if framework.NodeKind(t.typeCode).Valid() {
			continue // a node, whatever its type is called
		}
		switch normType(t.title) {
		case "proficiencyscale", "skilllevelscale", "levelscale", "scale":
			it.scaleTyped = true
		case "proficiencylevel", "skilllevel", "level", "performancelevel":
			it.levelTyped = true
		}
		switch t.typeCode {
		case "ota-scale":
			it.scaleTyped = true
		case "ota-level":
			it.levelTyped = true
		}
		it.candidateLevel = it.levelTyped
	}
	for _, a := range d.assocs {
		if a.typ == "hasSkillLevel" && a.destItem >= 0 {
			d.items[a.destItem].candidateLevel = true
		}
	}
}

// typeOf returns the item type of it: its CFItemType text and the typeCode of
// its CFItemType definition.
func (d *caseReader) typeOf(it *caseItemIn) caseItemType {
	t := caseItemType{title: it.itemType}
	if def, ok := d.itemTypes[it.typeLink.identifier]; ok && it.typeLink.identifier != "" {
		t.typeCode = def.typeCode
		if t.title == "" {
			t.title = def.title
		}
	}
	if t.title == "" {
		t.title = strings.TrimSpace(it.typeLink.title)
	}
	return t
}

func (d *caseReader) scalesAndLevels() {
	top := func(it *caseItemIn) bool { return it.parent < 0 }
	for _, it := range d.items {
		if it.candidateLevel && !it.scaleTyped {
			continue
		}
		if it.scaleTyped && top(it) {
			it.role = itemScale
			continue
		}
		if top(it) && len(it.children) > 0 {
			all := true
			for _, c := range it.children {
				all = all && d.items[c].candidateLevel
			}
			if all {
				it.role = itemScale
			}
		}
	}
	for _, it := range d.items {
		if it.role != itemNode {
			continue
		}
		switch {
		case it.parent >= 0 && d.items[it.parent].role == itemScale:
			it.role = itemLevel
		case it.candidateLevel && top(it) && len(it.children) == 0:
			it.role = itemLevel
		}
	}
	// Children of a level stay nodes, but lose their parent.
	for _, it := range d.items {
		if it.role == itemNode && it.parent >= 0 && d.items[it.parent].role == itemLevel {
			d.lose("case.lost.level-children", it.ptr, "the parent of items under a proficiency level", "proficiency levels are read as levels of a scale, which have no children; the item is made top-level")
			it.parent = -1
		}
	}
}

// codes gives every node item its code: its humanCodingScheme when that is
// unique, otherwise its identifier, marked unofficial.
func (d *caseReader) codes() {
	count := map[string]int{}
	for _, it := range d.items {
		if it.role == itemNode && it.hcs != "" {
			count[it.hcs]++
		}
	}
	used := map[string]bool{}
	for _, it := range d.items {
		if it.role != itemNode {
			continue
		}
		switch {
		case it.hcs != "" && count[it.hcs] == 1:
			it.code = it.hcs
		case it.hcs != "":
			d.add(it.node.Get("humanCodingScheme"), it.ptr+"/humanCodingScheme", "case.item.code-duplicate", ota.Warning,
				fmt.Sprintf("the humanCodingScheme %q is used by %d items; this one is given its identifier as code", it.hcs, count[it.hcs]))
			it.code, it.unofficial, it.dupCode = it.identifier, true, true
		default:
			it.code, it.unofficial = it.identifier, true
		}
		if it.code == "" || used[it.code] {
			it.code, it.unofficial = it.identifier, true
			if it.hcs != "" {
				it.dupCode = true
			}
		}
		used[it.code] = true
	}
}

// orderSiblings returns the items in package order, except that the
// children of each parent are put in the order of their sequence numbers
// within the places they occupy.
func (d *caseReader) orderSiblings(idx []int) []int {
	groups := map[int][]int{} // parent item (or -1) → positions in idx
	for pos, i := range idx {
		groups[d.items[i].parent] = append(groups[d.items[i].parent], pos)
	}
	out := slices.Clone(idx)
	for _, positions := range groups {
		members := make([]int, len(positions))
		for k, pos := range positions {
			members[k] = idx[pos]
		}
		slices.SortStableFunc(members, func(a, b int) int {
			return cmpSeq(d.items[a], d.items[b])
		})
		for k, pos := range positions {
			out[pos] = members[k]
		}
	}
	return out
}

func cmpSeq(a, b *caseItemIn) int {
	switch {
	case a.hasSeq && b.hasSeq:
		return a.parentSeq - b.parentSeq
	case a.hasSeq:
		return -1
	case b.hasSeq:
		return 1
	}
	return 0
}

// text returns the name and description of an item, with the texts in
// other languages kept by Write.
func (d *caseReader) text(it *caseItemIn) (name, desc asset.LangString) {
	lang := it.lang
	if lang == "" {
		lang = d.docLang
	}
	full := it.full
	if strings.TrimSpace(it.abbr) != "" {
		name = asset.LangString{lang: it.abbr}
		if full != "" && full != it.abbr {
			desc = asset.LangString{lang: full}
		}
	} else if full != "" {
		name = asset.LangString{lang: full}
	}
	for _, t := range it.facts.Name.Tags() {
		name = name.Set(t, it.facts.Name[t])
	}
	for _, t := range it.facts.Description.Tags() {
		desc = desc.Set(t, it.facts.Description[t])
	}
	if slices.Contains(it.facts.Omitted, "name") {
		name = nil
	}
	return name, desc
}

func (d *caseReader) node(f *framework.Framework, it *caseItemIn) framework.Node {
	n := framework.Node{Code: it.code, Unofficial: it.unofficial || it.facts.Unofficial, Unconfirmed: it.facts.Unconfirmed, PreviousName: it.facts.PreviousName}
	n.Name, n.Description = d.text(it)
	if it.parent >= 0 {
		n.Parent = d.items[it.parent].code
	}
	if it.alt != "" {
		n.AltNames = append(n.AltNames, it.alt)
	}
	n.AltNames = append(n.AltNames, it.facts.AltNames...)
	// A uri that is the urn:uuid: form of the identifier Write derives
	// for a node without an ID stands for no ID.
	if !(strings.EqualFold(it.uri, "urn:uuid:"+it.identifier) && it.identifier == deriveItemID(f.ID, "", n.Code)) {
		n.ID = it.uri
	}
	t := d.typeOf(it)
	kind, ok := kindOfType(t)
	if !ok {
		kind = d.defaultKind
		if t.title != "" {
			d.add(it.node, it.ptr, "case.item.type-unknown", ota.Info,
				fmt.Sprintf("the item type %q is not one OTA recognises; the node is given the kind %q and the type is kept", t.title, kind))
		}
	}
	n.Kind = kind
	var facts caseFacts
	if t.title != "" && t.title != kindTitle(kind) {
		facts.ItemType = t.title
	}
	if it.dupCode {
		facts.HumanCodingScheme = it.hcs
	}
	it.outID = d.keptID(it.identifier, deriveItemID(f.ID, n.ID, n.Code), it.ptr+"/identifier")
	if n.ID == "" && it.outID != deriveItemID(f.ID, "", n.Code) {
		// The item has no usable uri but an identifier of its own: the
		// node's ID is the identifier's urn:uuid: form, which is also the
		// uri Write gives it.
		n.ID = "urn:uuid:" + it.outID
	}
	if it.outID != deriveItemID(f.ID, n.ID, n.Code) {
		facts.Identifier = it.outID
	}
	if it.lastChange != "" && it.lastChange != d.docLastChange {
		d.lose("case.lost.date", it.ptr+"/lastChangeDateTime", "the lastChangeDateTime of items", "OTA keeps one date, the framework's")
	}
	n.Extensions = withCASEFacts(it.ext, facts)
	return n
}

// scales builds the proficiency scales from the scale and level items.
func (d *caseReader) scales(f *framework.Framework) {
	var loose []int // levels without a scale item
	for i, it := range d.items {
		if it.role == itemLevel && it.parent < 0 {
			loose = append(loose, i)
		}
	}
	build := func(sc *framework.Scale, levels []int) {
		levels = slices.Clone(levels)
		slices.SortStableFunc(levels, func(a, b int) int { return cmpSeq(d.items[a], d.items[b]) })
		used := map[string]bool{}
		for k, li := range levels {
			it := d.items[li]
			l := framework.Level{Code: it.hcs, Rank: k + 1, Group: it.facts.Group}
			if it.facts.Rank != nil {
				l.Rank = *it.facts.Rank
			}
			if l.Code == "" || used[l.Code] {
				l.Code = strconv.Itoa(k + 1)
				if used[l.Code] {
					l.Code = it.identifier
				}
			}
			used[l.Code] = true
			l.Name, l.Description = d.text(it)
			var facts caseFacts
			it.outID = d.keptID(it.identifier, deriveLevelID(f.ID, sc.ID, l.Code), it.ptr+"/identifier")
			if it.outID != deriveLevelID(f.ID, sc.ID, l.Code) {
				facts.Identifier = it.outID
			}
			if it.uri != "" && it.uri != "urn:uuid:"+it.outID {
				facts.URI = it.uri
			}
			l.Extensions = withCASEFacts(it.ext, facts)
			sc.Levels = append(sc.Levels, l)
		}
	}
	for _, it := range d.items {
		if it.role != itemScale {
			continue
		}
		sc := framework.Scale{ID: it.hcs}
		if sc.ID == "" || f.Scale(sc.ID) != nil {
			sc.ID = it.identifier
		}
		sc.Name, sc.Description = d.text(it)
		build(&sc, it.children)
		var facts caseFacts
		it.outID = d.keptID(it.identifier, deriveScaleID(f.ID, sc.ID), it.ptr+"/identifier")
		if it.outID != deriveScaleID(f.ID, sc.ID) {
			facts.Identifier = it.outID
		}
		if it.uri != "" && it.uri != "urn:uuid:"+it.outID {
			facts.URI = it.uri
		}
		sc.Extensions = withCASEFacts(it.ext, facts)
		f.Scales = append(f.Scales, sc)
	}
	if len(loose) > 0 {
		sc := framework.Scale{ID: "levels", Name: asset.LangString{"en": "Proficiency levels"}}
		if f.Scale(sc.ID) != nil {
			sc.ID = "case-levels"
		}
		build(&sc, loose)
		f.Scales = append(f.Scales, sc)
	}
}

// associations maps the CASE associations not consumed by the hierarchy.
// It returns the pointer of the CASE association of each one.
func (d *caseReader) associations(f *framework.Framework, consumed []bool, counter map[string]int) []string {
	var ptrs []string
	for j, a := range d.assocs {
		if consumed[j] {
			continue
		}
		var t framework.AssociationType
		switch a.typ {
		case "isChildOf":
			t = framework.ChildOf
		case "precedes":
			t = framework.Precedes
		case "isRelatedTo":
			t = framework.Related
			if a.facts.Type == framework.CloseMatch || a.facts.Type == framework.BroadMatch || a.facts.Type == framework.NarrowMatch {
				t = a.facts.Type
			}
		case "exactMatchOf":
			t = framework.ExactMatch
		case "ext:closeMatch":
			t = framework.CloseMatch
		case "ext:broadMatch":
			t = framework.BroadMatch
		case "ext:narrowMatch":
			t = framework.NarrowMatch
		case "hasSkillLevel":
			d.lose("case.lost.skill-level-association", a.ptr, "hasSkillLevel associations", "OTA does not record which proficiency levels apply to which node; the levels are kept as the framework's scales")
			continue
		default:
			d.lose("case.lost.association-type", a.ptr, a.typ+" associations", "OTA frameworks have no association type for it")
			continue
		}
		src, ok1 := d.end(a, a.origin, a.originItem, a.originIsDoc, a.originDangling, a.facts.Source, a.originPtr, "origin")
		dst, ok2 := d.end(a, a.dest, a.destItem, a.destIsDoc, a.destDangling, a.facts.Target, a.destPtr, "destination")
		if !ok1 || !ok2 {
			continue
		}
		as := framework.Association{Type: t, Source: src, Target: dst}
		var facts caseFacts
		caseType := caseAssocType(t)
		want := deriveAssocID(f.ID, caseType, d.endID(a.originItem, src), d.endID(a.destItem, dst), counter)
		id := d.keptID(a.identifier, want, a.ptr+"/identifier")
		if id != want {
			facts.Identifier = id
		}
		switch {
		case a.uri == "" || a.uri == "urn:uuid:"+id:
		case iri.IsAbsolute(a.uri):
			facts.URI = a.uri
		default:
			d.lose("case.lost.association-uri", a.ptr+"/uri", "association uris that are not absolute URIs", "written back, the association gets a urn:uuid: URI")
		}
		if a.lastChange != "" && a.lastChange != d.docLastChange {
			d.lose("case.lost.date", a.ptr+"/lastChangeDateTime", "the lastChangeDateTime of associations", "OTA keeps one date, the framework's")
		}
		if a.hasSeq {
			d.lose("case.lost.sequence-number", a.ptr+"/sequenceNumber", "the sequenceNumber of associations other than isChildOf", "OTA keeps associations in the order they are listed")
		}
		as.Extensions = withCASEFacts(a.ext, facts)
		f.Associations = append(f.Associations, as)
		ptrs = append(ptrs, a.ptr)
	}
	return ptrs
}

// end resolves one end of an association to a node reference.
func (d *caseReader) end(a *caseAssocIn, l caseLinkIn, item int, isDoc bool, dangling, kept, ptr, what string) (string, bool) {
	switch {
	case dangling != "":
		d.add(a.node.Get(what+"NodeURI"), ptr, "case.association."+what+"-dangling", ota.Error,
			fmt.Sprintf("the %s points into this package (%s) but no item or document of it has the identifier %q; the association is ignored — fix the identifier, add the item, or remove the association", what, dangling, l.identifier))
		return "", false
	case item >= 0:
		it := d.items[item]
		if it.role != itemNode {
			d.lose("case.lost.level-association", ptr, "associations with proficiency levels or scales", "OTA scales have no associations")
			return "", false
		}
		return it.code, true
	case isDoc:
		d.lose("case.lost.document-association", ptr, "associations of the CFDocument itself", "OTA associations link nodes")
		return "", false
	case kept != "":
		if _, err := framework.ParseNodeRef(kept); err == nil {
			return kept, true
		}
	}
	if l.uri != "" && iri.IsAbsolute(l.uri) {
		if a.typ == "isChildOf" && what == "destination" {
			d.add(a.node, ptr, "case.association.parent-external", ota.Warning,
				fmt.Sprintf("the item is a child of %q, which is not in this package; it is kept as a childOf association", l.uri))
		}
		return l.uri, true
	}
	d.add(a.node.Get(what+"NodeURI"), ptr, "case.association."+what+"-unresolved", ota.Error,
		fmt.Sprintf("the %s %q is neither an item of this package nor an absolute URI; the association is ignored", what, l.identifier))
	return "", false
}

// endID returns the identifier Write writes for an association end.
func (d *caseReader) endID(item int, ref string) string {
	if item >= 0 {
		return d.items[item].outID
	}
	return refID(ref)
}

// check runs Framework.Check on the result and adds its issues, located at
// the CASE objects they come from; issues at an object the reader already
// found an error in are left out.
func (d *caseReader) check(f *framework.Framework, nodePtr, assocPtr []string) {
	for _, is := range f.Check().Issues {
		p := is.Pointer
		var idx int
		switch {
		case scanIndex(p, "/nodes/", &idx) && idx < len(nodePtr):
			p = nodePtr[idx]
		case scanIndex(p, "/associations/", &idx) && idx < len(assocPtr):
			p = assocPtr[idx]
		case strings.HasPrefix(p, "/scales/"):
			p = "/CFItems"
		default:
			p = "/CFDocument"
		}
		if d.hasErrorAt(p) {
			continue
		}
		is.Pointer = p
		is.Line = d.lineAt(p)
		d.issues = append(d.issues, is)
	}
}

func (d *caseReader) hasErrorAt(p string) bool {
	for ep := range d.errPtrs {
		if ep == p || strings.HasPrefix(ep, p+"/") {
			return true
		}
	}
	return false
}

func (d *caseReader) lineAt(p string) int {
	for _, it := range d.items {
		if it.ptr == p {
			return d.line(it.node.Start)
		}
	}
	for _, a := range d.assocs {
		if a.ptr == p {
			return d.line(a.node.Start)
		}
	}
	return 0
}

// scanIndex reports whether p starts with prefix followed by an index, and
// stores the index.
func scanIndex(p, prefix string, idx *int) bool {
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok {
		return false
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return false
	}
	*idx = n
	return true
}

// keptID returns the identifier to write back for an object read with the
// identifier id: id itself when it is a UUID, and derived otherwise (a loss:
// CASE identifiers are UUIDs, and Write makes URIs from them).
//
// The identifiers returned are unique: one that an earlier object already
// has (a node whose ID is the urn:uuid: form of another item's identifier)
// is replaced by one derived from it and ptr.
func (d *caseReader) keptID(id, derived, ptr string) string {
	out := derived
	if validUUID(id) {
		out = id
	} else if id != "" {
		d.lose("case.lost.identifier", ptr, "identifiers that are not UUIDs", "CASE identifiers are UUIDs; written back, these objects get identifiers derived from the framework ID and codes")
	}
	if d.outIDs == nil {
		d.outIDs = map[string]bool{}
	}
	for d.outIDs[out] {
		out = caseUUID("dedup", out, ptr)
	}
	d.outIDs[out] = true
	return out
}

// validUUID reports whether s is a UUID in the 8-4-4-4-12 form.
func validUUID(s string) bool { return len(s) == 36 && uuid.Validate(s) == nil }

// withCASEFacts returns ext with the CASE facts added under ExtCASE when
// there are any.
func withCASEFacts(ext map[string]json.RawMessage, facts caseFacts) map[string]json.RawMessage {
	if facts == (caseFacts{}) {
		return ext
	}
	raw, _ := json.Marshal(facts)
	if ext == nil {
		ext = map[string]json.RawMessage{}
	}
	ext[ExtCASE] = raw
	return ext
}

var definitionNames = map[string]string{
	"CFConcepts":             "concepts",
	"CFSubjects":             "subjects",
	"CFAssociationGroupings": "association groupings",
}

// kindTitles are the CFItemType texts Write writes for each kind.
var kindTitles = map[framework.NodeKind]string{
	framework.KindArea:        "Area",
	framework.KindCompetence:  "Competence",
	framework.KindCapability:  "Capability",
	framework.KindSkill:       "Skill",
	framework.KindKnowledge:   "Knowledge",
	framework.KindPhase:       "Phase",
	framework.KindSubprocess:  "Sub-process",
	framework.KindActivity:    "Activity",
	framework.KindOverarching: "Overarching process",
}

func kindTitle(k framework.NodeKind) string { return kindTitles[k] }

// normType lower-cases an item type and removes spaces, hyphens and
// underscores, so that "Sub-process", "sub process" and "SubProcess"
// compare equal.
func normType(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r == ' ' || r == '-' || r == '_' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// kindOfType recognises a node kind from an item type: first from the
// typeCode of its definition, then from its text.
func kindOfType(t caseItemType) (framework.NodeKind, bool) {
	if k := framework.NodeKind(t.typeCode); k.Valid() {
		return k, true
	}
	switch normType(t.title) {
	case "area", "domain", "competencearea", "competencyarea", "strand", "category", "cluster", "dimension":
		return framework.KindArea, true
	case "competence", "competency", "competencystatement":
		return framework.KindCompetence, true
	case "capability":
		return framework.KindCapability, true
	case "skill", "subskill", "skillstatement":
		return framework.KindSkill, true
	case "knowledge", "knowledgestatement":
		return framework.KindKnowledge, true
	case "phase", "stage":
		return framework.KindPhase, true
	case "subprocess":
		return framework.KindSubprocess, true
	case "activity":
		return framework.KindActivity, true
	case "overarchingprocess", "overarching":
		return framework.KindOverarching, true
	}
	return "", false
}

// caseUUID derives a CASE identifier, a plain UUID, from parts.
func caseUUID(parts ...string) string {
	return strings.TrimPrefix(asset.DeriveID(append([]string{"case"}, parts...)...), "urn:uuid:")
}

// uuidOfIRI returns the UUID of a "urn:uuid:" IRI, lower-cased, or "".
func uuidOfIRI(s string) string {
	if len(s) == 45 && strings.EqualFold(s[:9], "urn:uuid:") && uuid.Validate(s[9:]) == nil {
		return strings.ToLower(s[9:])
	}
	return ""
}

func deriveDocID(fid string) string {
	if u := uuidOfIRI(fid); u != "" {
		return u
	}
	return caseUUID("document", fid)
}

func deriveItemID(fid, nodeID, code string) string {
	if u := uuidOfIRI(nodeID); u != "" {
		return u
	}
	return caseUUID("item", fid, code)
}

func deriveScaleID(fid, scale string) string { return caseUUID("scale", fid, scale) }

func deriveLevelID(fid, scale, level string) string { return caseUUID("level", fid, scale, level) }

// refID is the identifier written for an association end outside the
// framework.
func refID(ref string) string {
	if u := uuidOfIRI(ref); u != "" {
		return u
	}
	return caseUUID("ref", ref)
}

// deriveAssocID derives the identifier of an association; counter tells
// repeated associations apart.
func deriveAssocID(fid, typ, origin, dest string, counter map[string]int) string {
	k := typ + "\x00" + origin + "\x00" + dest
	n := counter[k]
	counter[k] = n + 1
	if n == 0 {
		return caseUUID("association", fid, typ, origin, dest)
	}
	return caseUUID("association", fid, typ, origin, dest, strconv.Itoa(n))
}

// caseAssocType is the CASE association type an OTA type is written as.
func caseAssocType(t framework.AssociationType) string {
	switch t {
	case framework.ChildOf:
		return "isChildOf"
	case framework.Precedes:
		return "precedes"
	case framework.ExactMatch:
		return "exactMatchOf"
	}
	return "isRelatedTo"
}
