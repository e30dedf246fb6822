package framework

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/fwkit"
	"github.com/metaacademy/ota/internal/iri"
)

// Framework is a competency or capability framework: an identified,
// versioned, published set of nodes arranged in a hierarchy, with the
// proficiency scales its nodes are assessed on and typed associations
// between nodes.
//
// Its JSON form is the canonical one: encoding/json with the field tags
// below gives the same bytes for the same value.
type Framework struct {
	// ID identifies the framework: an absolute IRI, the publisher's where
	// there is one ("https://statswiki.unece.org/…"), otherwise a
	// "urn:uuid:" IRI.
	ID string `json:"id"`
	// Key is the short registered key of a built-in framework ("gsbpm",
	// "gamso", "digcomp", "un-bigdata"), as used in asset alignments. It
	// is empty for every other framework, which alignments name by ID.
	Key string `json:"key,omitempty"`
	// Version is the framework's version as its publisher writes it
	// ("5.1", "2.2").
	Version string `json:"version,omitempty"`
	// Title is the framework's name, in one or more languages.
	Title asset.LangString `json:"title,omitempty"`
	// Description says what the framework covers, in one or more
	// languages.
	Description asset.LangString `json:"description,omitempty"`
	// Publisher is the organisation that publishes the framework
	// ("UNECE", "European Commission JRC").
	Publisher string `json:"publisher,omitempty"`
	// License is the licence the framework is published under: an SPDX
	// expression ("CC-BY-4.0") where one fits, otherwise the licence's
	// name or URL as the publisher gives it.
	License string `json:"license,omitempty"`
	// Language is the BCP 47 tag of the framework's main language, the
	// one its codes and official names are written in.
	Language string `json:"language,omitempty"`
	// Source is the URL of the publisher's official text of the
	// framework.
	Source string `json:"source,omitempty"`
	// Modified is when this version of the framework was last changed:
	// an RFC 3339 date ("2024-05-01") or date-time.
	Modified string `json:"modified,omitempty"`
	// Nodes are the framework's nodes. Their order is the publisher's:
	// children of a node are ordered by their position in this slice.
	Nodes []Node `json:"nodes,omitempty"`
	// Scales are the proficiency-level scales the framework's nodes are
	// assessed on.
	Scales []Scale `json:"scales,omitempty"`
	// Associations are typed links between nodes of this framework, or
	// from them to nodes of other frameworks.
	Associations []Association `json:"associations,omitempty"`
	// Notes are remarks on the framework, such as where its data came
	// from and how far it was checked against the publisher's text.
	Notes []string `json:"notes,omitempty"`
	// Extensions hold additions keyed by absolute IRI; their values are
	// any JSON and are written back unchanged.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	// Unknown holds members the framework JSON does not define, kept as
	// read and written back by [Write].
	Unknown map[string]json.RawMessage `json:"-"`
}

// NodeKind says what a framework node is.
type NodeKind string

// The node kinds. Frameworks about people (competency frameworks) use
// areas, competences, skills and knowledge; frameworks about organisations
// and processes (GSBPM, GAMSO) use phases, sub-processes, activities,
// capabilities and overarching processes.
const (
	// KindArea is a top-level grouping: a GAMSO area (Strategy and
	// Leadership, Capability Management, Corporate Support, Production) or
	// a DigComp competence area (Information and data literacy…).
	KindArea NodeKind = "area"
	// KindCompetence is a competence a person can hold, such as one of
	// DigComp's 21 competences ("1.1 Browsing, searching and filtering
	// data, information and digital content").
	KindCompetence NodeKind = "competence"
	// KindCapability is an ability of an organisation, as in capability
	// frameworks.
	KindCapability NodeKind = "capability"
	// KindSkill is a concrete, observable skill, usually below a
	// competence.
	KindSkill NodeKind = "skill"
	// KindKnowledge is a body of knowledge a person needs, usually below a
	// competence.
	KindKnowledge NodeKind = "knowledge"
	// KindPhase is a phase of a process model: one of GSBPM's eight
	// phases (1 Specify needs … 8 Evaluate).
	KindPhase NodeKind = "phase"
	// KindSubprocess is a sub-process of a phase: one of GSBPM's
	// sub-processes ("5.3 Review and validate").
	KindSubprocess NodeKind = "subprocess"
	// KindActivity is an activity of a GAMSO area ("1.1 Define vision").
	KindActivity NodeKind = "activity"
	// KindOverarching is an overarching process that runs across phases,
	// such as GSBPM's quality management and metadata management.
	KindOverarching NodeKind = "overarching"
)

// NodeKinds returns every node kind, in a new slice the caller may change.
func NodeKinds() []NodeKind { return slices.Clone(nodeKinds[:]) }

// nodeKinds lists every node kind.
var nodeKinds = [...]NodeKind{
	KindArea, KindCompetence, KindCapability, KindSkill, KindKnowledge,
	KindPhase, KindSubprocess, KindActivity, KindOverarching,
}

// Valid reports whether k is one of the defined node kinds.
func (k NodeKind) Valid() bool { return slices.Contains(nodeKinds[:], k) }

// Node is one node of a framework: an area, a competence, a phase, a
// sub-process and so on. Nodes form a tree through Parent.
type Node struct {
	// ID is the node's own absolute IRI, where its publisher gives one.
	// Optional: within OTA a node is named by its framework and Code.
	ID string `json:"id,omitempty"`
	// Code is the node's code as its publisher writes it ("5.3", "1.2"),
	// unique within the framework. Alignments and associations name
	// nodes by code.
	Code string `json:"code"`
	// Kind says what the node is.
	Kind NodeKind `json:"kind"`
	// Name is the node's name, in one or more languages.
	Name asset.LangString `json:"name,omitempty"`
	// Description explains the node, in one or more languages.
	Description asset.LangString `json:"description,omitempty"`
	// Parent is the code of the parent node; empty for a top-level node.
	Parent string `json:"parent,omitempty"`
	// Unofficial is true when the code was assigned by OTA rather than by
	// the publisher, because the publisher numbers nothing there (GSBPM's
	// overarching processes, for example).
	Unofficial bool `json:"unofficial,omitempty"`
	// Unconfirmed is true when the name could not be confirmed against the
	// publisher's own text, so that users can tell a checked fact from a
	// best reading.
	Unconfirmed bool `json:"unconfirmed,omitempty"`
	// AltNames are other names the node is known by (abbreviations, older
	// or unofficial spellings), in the framework's language.
	AltNames []string `json:"altNames,omitempty"`
	// PreviousName is the node's name in the framework's previous version,
	// when it was renamed, in the framework's language.
	PreviousName string `json:"previousName,omitempty"`
	// Extensions hold additions keyed by absolute IRI; their values are
	// any JSON and are written back unchanged. casepkg.Read keeps a CASE
	// item's identifier here under casepkg.ExtCASE.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	// Unknown holds members the framework JSON does not define, kept as
	// read and written back by [Write].
	Unknown map[string]json.RawMessage `json:"-"`
}

// Scale is a proficiency-level scale: an ordered list of levels a person
// can reach in a competence, such as Basic / Intermediate / Advanced or
// DigComp's eight levels.
type Scale struct {
	// ID names the scale within its framework: a short key
	// ("basic-intermediate-advanced", "digcomp-proficiency") or an
	// absolute IRI.
	ID string `json:"id"`
	// Name is the scale's name, in one or more languages.
	Name asset.LangString `json:"name,omitempty"`
	// Description explains the scale, in one or more languages.
	Description asset.LangString `json:"description,omitempty"`
	// Levels are the scale's levels, from the lowest to the highest.
	Levels []Level `json:"levels"`
	// Extensions hold additions keyed by absolute IRI; their values are
	// any JSON and are written back unchanged.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	// Unknown holds members the framework JSON does not define, kept as
	// read and written back by [Write].
	Unknown map[string]json.RawMessage `json:"-"`
}

// Level is one level of a proficiency [Scale].
type Level struct {
	// Code names the level within its scale ("basic", "4"). Alignments
	// give it as their Level.
	Code string `json:"code"`
	// Name is the level's name, in one or more languages.
	Name asset.LangString `json:"name,omitempty"`
	// Group is the band the level belongs to, for scales whose levels come
	// in bands, such as DigComp's Foundation, Intermediate, Advanced and
	// Highly specialised; empty otherwise.
	Group string `json:"group,omitempty"`
	// Rank orders the levels of a scale: a higher rank is a higher
	// proficiency. Ranks start at 1.
	Rank int `json:"rank"`
	// Description says what a person at this level can do, in one or more
	// languages.
	Description asset.LangString `json:"description,omitempty"`
	// Extensions hold additions keyed by absolute IRI; their values are
	// any JSON and are written back unchanged.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	// Unknown holds members the framework JSON does not define, kept as
	// read and written back by [Write].
	Unknown map[string]json.RawMessage `json:"-"`
}

// The level codes of [BasicIntermediateAdvanced]; they equal asset.Level's
// basic, intermediate and advanced.
const (
	LevelBasic        = "basic"
	LevelIntermediate = "intermediate"
	LevelAdvanced     = "advanced"
)

// ScaleBasicIntermediateAdvanced is the ID of the scale returned by
// [BasicIntermediateAdvanced].
const ScaleBasicIntermediateAdvanced = "basic-intermediate-advanced"

// BasicIntermediateAdvanced returns the common three-level scale, Basic (1),
// Intermediate (2) and Advanced (3), whose codes match the asset.Level
// values of the same names. Each call returns a new value that the caller
// may change.
func BasicIntermediateAdvanced() Scale {
	return Scale{
		ID:   ScaleBasicIntermediateAdvanced,
		Name: asset.LangString{"en": "Basic / Intermediate / Advanced"},
		Levels: []Level{
			{Code: LevelBasic, Name: asset.LangString{"en": "Basic"}, Rank: 1,
				Description: asset.LangString{"en": "Knows the main concepts and can carry out simple tasks with guidance."}},
			{Code: LevelIntermediate, Name: asset.LangString{"en": "Intermediate"}, Rank: 2,
				Description: asset.LangString{"en": "Carries out routine tasks independently and solves common problems."}},
			{Code: LevelAdvanced, Name: asset.LangString{"en": "Advanced"}, Rank: 3,
				Description: asset.LangString{"en": "Handles complex and new situations, guides others and improves practice."}},
		},
	}
}

// Level returns the level of s whose code is code, or nil.
func (s *Scale) Level(code string) *Level {
	for i := range s.Levels {
		if s.Levels[i].Code == code {
			return &s.Levels[i]
		}
	}
	return nil
}

// AssociationType is the kind of an [Association].
type AssociationType string

// The association types. ChildOf, Precedes and Related link nodes of one
// framework; the four match types follow SKOS mapping properties and are
// used for crosswalks between frameworks.
const (
	// ChildOf: the source is a child of the target, in addition to the
	// hierarchy given by Node.Parent (a node with several parents).
	ChildOf AssociationType = "childOf"
	// Precedes: the source comes before the target (a learning or process
	// order).
	Precedes AssociationType = "precedes"
	// Related: the source and target are related, without a more precise
	// meaning (skos:related).
	Related AssociationType = "related"
	// ExactMatch: the source and target mean the same, and can be used
	// interchangeably (skos:exactMatch).
	ExactMatch AssociationType = "exactMatch"
	// CloseMatch: the source and target are close enough to be used
	// interchangeably in some applications (skos:closeMatch).
	CloseMatch AssociationType = "closeMatch"
	// BroadMatch: the target is broader than the source
	// (skos:broadMatch).
	BroadMatch AssociationType = "broadMatch"
	// NarrowMatch: the target is narrower than the source
	// (skos:narrowMatch).
	NarrowMatch AssociationType = "narrowMatch"
)

// AssociationTypes returns every association type, in a new slice the
// caller may change.
func AssociationTypes() []AssociationType { return slices.Clone(associationTypes[:]) }

// associationTypes lists every association type.
var associationTypes = [...]AssociationType{ChildOf, Precedes, Related, ExactMatch, CloseMatch, BroadMatch, NarrowMatch}

// Valid reports whether t is one of the defined association types.
func (t AssociationType) Valid() bool { return slices.Contains(associationTypes[:], t) }

// IsMatch reports whether t is one of the SKOS-style match types
// (exactMatch, closeMatch, broadMatch, narrowMatch).
func (t AssociationType) IsMatch() bool {
	return t == ExactMatch || t == CloseMatch || t == BroadMatch || t == NarrowMatch
}

// Association is a typed link from one node to another. Each end is a node
// reference as [ParseNodeRef] reads it: the code of a node of this
// framework ("5.3"), a node of a registered framework ("gsbpm@5.1:5.3") or
// the absolute IRI of a node anywhere.
type Association struct {
	// Type is the kind of link.
	Type AssociationType `json:"type"`
	// Source is the node the link goes from.
	Source string `json:"source"`
	// Target is the node the link goes to.
	Target string `json:"target"`
	// Extensions hold additions keyed by absolute IRI; their values are
	// any JSON and are written back unchanged.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	// Unknown holds members the framework JSON does not define, kept as
	// read and written back by [Write].
	Unknown map[string]json.RawMessage `json:"-"`
}

// NodeRef is a parsed node reference; see [ParseNodeRef]. Exactly one of
// three forms is set: IRI alone, Framework (with Version and Code), or Code
// alone (a node of the framework at hand).
type NodeRef struct {
	// IRI is the node's absolute IRI, for a reference by IRI.
	IRI string
	// Framework is the registered key of the framework ("gsbpm") for a
	// "key@version:code" reference.
	Framework string
	// Version is the framework's version ("5.1"); it may be empty in a
	// "key@:code" reference, meaning the newest known.
	Version string
	// Code is the node's code.
	Code string
}

// ErrNodeRef is wrapped by the errors of [ParseNodeRef].
var ErrNodeRef = errors.New("framework: invalid node reference")

// ParseNodeRef reads a node reference in one of three forms:
//
//   - "key@version:code", a node of a registered framework, such as
//     "gsbpm@5.1:5.3"; the key is lower-case letters, digits, '-', '_' and
//     '.', starting with a letter; the version holds no ':' and may be
//     empty ("gsbpm@:5.3", the newest version); the code is the rest and
//     must not be empty;
//   - an absolute IRI ("https://example.org/fw/item/42",
//     "urn:uuid:…"), a node anywhere;
//   - anything else that is not empty, the code of a node in the framework
//     at hand ("5.3").
//
// The forms are tried in that order. A reference that has a scheme but is
// not a valid absolute IRI is an error, so a mistyped IRI is not taken for a
// local code. Codes of nodes that should be referenced locally therefore
// must not look like "word:…"; [Framework.Check] looks a reference up as a
// local code before parsing it, so such codes still work within a
// framework.
func ParseNodeRef(s string) (NodeRef, error) {
	if s == "" {
		return NodeRef{}, fmt.Errorf("%w: it is empty", ErrNodeRef)
	}
	if at := strings.IndexByte(s, '@'); at > 0 && fwkit.IsKey(s[:at]) {
		rest := s[at+1:]
		colon := strings.IndexByte(rest, ':')
		if colon < 0 {
			return NodeRef{}, fmt.Errorf("%w: %q has no ':' between version and code; write key@version:code", ErrNodeRef, s)
		}
		if rest[colon+1:] == "" {
			return NodeRef{}, fmt.Errorf("%w: %q has no code after the ':'", ErrNodeRef, s)
		}
		return NodeRef{Framework: s[:at], Version: rest[:colon], Code: rest[colon+1:]}, nil
	}
	if iri.HasScheme(s) {
		if err := iri.CheckAbsolute(s); err != nil {
			return NodeRef{}, fmt.Errorf("%w: %q %v", ErrNodeRef, s, err)
		}
		return NodeRef{IRI: s}, nil
	}
	return NodeRef{Code: s}, nil
}

// IsLocal reports whether r names a node of the framework at hand.
func (r NodeRef) IsLocal() bool { return r.IRI == "" && r.Framework == "" }

// String writes r back in the form [ParseNodeRef] reads.
func (r NodeRef) String() string {
	switch {
	case r.IRI != "":
		return r.IRI
	case r.Framework != "":
		return r.Framework + "@" + r.Version + ":" + r.Code
	}
	return r.Code
}

// Match returns the framework among fs whose Key or ID is name,
// preferring one of the given version; nil when none matches.
func Match(fs []*Framework, name, version string) *Framework {
	name = strings.TrimSpace(name)
	var fallback *Framework
	for _, f := range fs {
		if f == nil || name == "" || (f.Key != name && f.ID != name) {
			continue
		}
		if version != "" && f.Version == version {
			return f
		}
		if fallback == nil {
			fallback = f
		}
	}
	return fallback
}
