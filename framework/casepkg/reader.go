package casepkg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/jsondec"

	"github.com/google/uuid"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
)

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
