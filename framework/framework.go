package framework

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/fwkit"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
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
	// any JSON and are written back unchanged. [ReadCASE] keeps a CASE
	// item's identifier here under [ExtCASE].
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

// Node returns the node whose code is code, or nil. It scans the nodes;
// for many look-ups build an [Index].
func (f *Framework) Node(code string) *Node {
	for i := range f.Nodes {
		if f.Nodes[i].Code == code {
			return &f.Nodes[i]
		}
	}
	return nil
}

// Children returns the nodes whose parent is code, in the order of Nodes.
// Children("") returns the nodes without a parent.
func (f *Framework) Children(code string) []*Node {
	var out []*Node
	for i := range f.Nodes {
		if f.Nodes[i].Parent == code {
			out = append(out, &f.Nodes[i])
		}
	}
	return out
}

// Roots returns the top-level nodes, in the order of Nodes: those without a
// parent and those whose parent does not exist.
func (f *Framework) Roots() []*Node { return f.Index().Roots() }

// Ancestors returns the ancestors of the node whose code is code, from its
// parent up to the top level. It stops before a node seen twice, so it ends
// on parent cycles, and at a parent that does not exist. It returns nil for
// an unknown code or a top-level node.
func (f *Framework) Ancestors(code string) []*Node { return f.Index().Ancestors(code) }

// All returns every node once, in hierarchy order: depth first, each node
// before its children, siblings in the order of Nodes, starting from
// [Framework.Roots]. Nodes that hang in a parent cycle, and so are reachable
// from no root, come last in the order of Nodes.
func (f *Framework) All() iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		for _, n := range f.Walk() {
			if !yield(n) {
				return
			}
		}
	}
}

// Walk is [Framework.All] with each node's depth: 0 for the roots, 1 for
// their children and so on. Nodes in a parent cycle are given depth 0.
func (f *Framework) Walk() iter.Seq2[int, *Node] { return f.Index().Walk() }

// Count returns how many nodes are of kind k; Count("") returns how many
// nodes there are.
func (f *Framework) Count(k NodeKind) int {
	if k == "" {
		return len(f.Nodes)
	}
	n := 0
	for i := range f.Nodes {
		if f.Nodes[i].Kind == k {
			n++
		}
	}
	return n
}

// Scale returns the scale whose ID is id, or nil.
func (f *Framework) Scale(id string) *Scale {
	for i := range f.Scales {
		if f.Scales[i].ID == id {
			return &f.Scales[i]
		}
	}
	return nil
}

// Index is a snapshot of a framework's hierarchy for fast look-ups. It
// points into the framework's Nodes slice: rebuild it after changing the
// nodes.
type Index struct {
	nodes    []*Node
	byCode   map[string]*Node
	children map[string][]*Node
	roots    []*Node
}

// Index builds an [Index] of f. When two nodes share a code, the first
// wins.
func (f *Framework) Index() *Index {
	x := &Index{
		nodes:    make([]*Node, len(f.Nodes)),
		byCode:   make(map[string]*Node, len(f.Nodes)),
		children: make(map[string][]*Node),
	}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		x.nodes[i] = n
		if _, dup := x.byCode[n.Code]; !dup {
			x.byCode[n.Code] = n
		}
	}
	for _, n := range x.nodes {
		if n.Parent == "" || x.byCode[n.Parent] == nil {
			x.roots = append(x.roots, n)
			continue
		}
		x.children[n.Parent] = append(x.children[n.Parent], n)
	}
	return x
}

// Node returns the node whose code is code, or nil.
func (x *Index) Node(code string) *Node { return x.byCode[code] }

// Children returns the nodes whose parent is code, in the order of the
// framework's Nodes. Children("") returns nil; use [Index.Roots].
func (x *Index) Children(code string) []*Node {
	if code == "" {
		return nil
	}
	return x.children[code]
}

// Roots returns the top-level nodes: those without a parent and those whose
// parent does not exist.
func (x *Index) Roots() []*Node { return x.roots }

// Ancestors returns the ancestors of the node whose code is code, as
// [Framework.Ancestors] does.
func (x *Index) Ancestors(code string) []*Node {
	n := x.byCode[code]
	if n == nil {
		return nil
	}
	var out []*Node
	seen := map[*Node]bool{n: true}
	for p := x.byCode[n.Parent]; p != nil && n.Parent != "" && !seen[p]; p = x.byCode[n.Parent] {
		seen[p] = true
		out = append(out, p)
		n = p
	}
	return out
}

// Walk yields every node once with its depth, as [Framework.Walk] does.
func (x *Index) Walk() iter.Seq2[int, *Node] {
	return func(yield func(int, *Node) bool) {
		type frame struct {
			n     *Node
			depth int
		}
		seen := make(map[*Node]bool, len(x.nodes))
		var stack []frame
		visit := func(start *Node) bool {
			stack = append(stack[:0], frame{start, 0})
			for len(stack) > 0 {
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if seen[f.n] {
					continue
				}
				seen[f.n] = true
				if !yield(f.depth, f.n) {
					return false
				}
				// A node shadowed by an earlier one with the same code
				// has no children of its own.
				if x.byCode[f.n.Code] != f.n {
					continue
				}
				kids := x.children[f.n.Code]
				for i := len(kids) - 1; i >= 0; i-- {
					if !seen[kids[i]] {
						stack = append(stack, frame{kids[i], f.depth + 1})
					}
				}
			}
			return true
		}
		for _, r := range x.roots {
			if !visit(r) {
				return
			}
		}
		for _, n := range x.nodes {
			if !seen[n] && !visit(n) {
				return
			}
		}
	}
}

// Check validates f and returns every issue found, each with a JSON Pointer
// into the framework's canonical JSON form ("/nodes/3/parent") and a code
// starting with "framework.". It checks that the ID is an absolute IRI; the
// title and language; that every node has a code, a valid kind and a name,
// that codes are unique, that parents exist and form no cycle; that
// associations have a valid type and ends that resolve (local codes must
// exist, other references must parse); that scales have unique IDs and
// their levels unique codes; and that extension keys are absolute IRIs.
func (f *Framework) Check() ota.Report {
	c := &checker{}
	c.framework(f)
	return c.R
}

type checker struct {
	fwkit.Checker
}

func (c *checker) framework(f *Framework) {
	switch {
	case f.ID == "":
		c.Add("/id", "framework.id.missing", ota.Error, `the framework has no "id"; give it an absolute IRI, the publisher's or a "urn:uuid:" one`)
	default:
		if err := iri.CheckAbsolute(f.ID); err != nil {
			c.Add("/id", "framework.id.invalid", ota.Error, fmt.Sprintf("the framework ID %q %v; use an absolute IRI", f.ID, err))
		}
	}
	if f.Key != "" && !fwkit.IsKey(f.Key) {
		c.Add("/key", "framework.key.invalid", ota.Error, fmt.Sprintf("the key %q is not a registered-key form; use lower-case letters, digits and '-', starting with a letter, such as \"gsbpm\"", f.Key))
	}
	if len(f.Title) == 0 {
		c.Add("/title", "framework.title.missing", ota.Error, `the framework has no "title"; name it in at least one language`)
	}
	c.LangString(f.Title, "/title")
	c.LangString(f.Description, "/description")
	if f.Language != "" {
		if err := asset.CheckTag(f.Language); err != nil {
			c.Add("/language", "framework.language.invalid", ota.Error, err.Error())
		}
	}
	if f.Source != "" {
		if err := iri.CheckAbsolute(f.Source); err != nil {
			c.Add("/source", "framework.source.invalid", ota.Error, fmt.Sprintf("the source %q %v; give the URL of the publisher's text", f.Source, err))
		}
	}
	if f.Modified != "" && !fwkit.ValidDate(f.Modified) {
		c.Add("/modified", "framework.modified.invalid", ota.Error, fmt.Sprintf("%q is not an RFC 3339 date or date-time; write it as 2024-05-01 or 2024-05-01T12:00:00Z", f.Modified))
	}
	c.extensions(f.Extensions, "/extensions")
	c.nodes(f)
	c.associations(f)
	c.scales(f)
}

func (c *checker) nodes(f *Framework) {
	first := make(map[string]int, len(f.Nodes))
	ids := make(map[string]int)
	for i := range f.Nodes {
		n := &f.Nodes[i]
		p := "/nodes/" + strconv.Itoa(i)
		if n.Code == "" {
			c.Add(p+"/code", "framework.node.code-missing", ota.Error, `the node has no "code"; give the publisher's code, or assign one and mark the node unofficial`)
		} else if strings.TrimSpace(n.Code) != n.Code {
			c.Add(p+"/code", "framework.node.code-space", ota.Error, fmt.Sprintf("the code %q begins or ends with white space, which formats that trim texts lose; remove it", n.Code))
		} else if j, dup := first[n.Code]; dup {
			c.Add(p+"/code", "framework.node.code-duplicate", ota.Error, fmt.Sprintf("the code %q is already used by /nodes/%d; codes must be unique within a framework", n.Code, j))
		} else {
			first[n.Code] = i
		}
		if n.ID != "" {
			if err := iri.CheckAbsolute(n.ID); err != nil {
				c.Add(p+"/id", "framework.node.id-invalid", ota.Error, fmt.Sprintf("the node ID %q %v; use an absolute IRI or leave it out", n.ID, err))
			} else if j, dup := ids[n.ID]; dup {
				c.Add(p+"/id", "framework.node.id-duplicate", ota.Error, fmt.Sprintf("the node ID %q is already used by /nodes/%d", n.ID, j))
			} else {
				ids[n.ID] = i
			}
		}
		switch {
		case n.Kind == "":
			c.Add(p+"/kind", "framework.node.kind-missing", ota.Error, "the node has no \"kind\"; use one of "+kindList())
		case !n.Kind.Valid():
			c.Add(p+"/kind", "framework.node.kind-invalid", ota.Error, fmt.Sprintf("the kind %q is not known; use one of %s", n.Kind, kindList()))
		}
		if len(n.Name) == 0 {
			c.Add(p+"/name", "framework.node.name-missing", ota.Error, `the node has no "name"; name it in at least one language`)
		}
		c.LangString(n.Name, p+"/name")
		c.LangString(n.Description, p+"/description")
		for j, alt := range n.AltNames {
			if strings.TrimSpace(alt) == "" {
				c.Add(p+"/altNames/"+strconv.Itoa(j), "framework.node.altname-empty", ota.Error, "the alternative name is empty; remove it")
			}
		}
		if n.Parent != "" && n.Parent == n.Code {
			c.Add(p+"/parent", "framework.node.parent-self", ota.Error, fmt.Sprintf("the node %q is its own parent; give the code of another node or leave parent out", n.Code))
		}
		c.extensions(n.Extensions, p+"/extensions")
	}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Parent != "" && n.Parent != n.Code {
			if _, ok := first[n.Parent]; !ok {
				c.Add("/nodes/"+strconv.Itoa(i)+"/parent", "framework.node.parent-unknown", ota.Error,
					fmt.Sprintf("the parent %q is not the code of a node of this framework; give an existing code or leave parent out for a top-level node", n.Parent))
			}
		}
	}
	c.cycles(f, first)
}

// cycles reports each parent cycle once, at the node of the cycle that
// comes first in Nodes, naming the cycle's codes.
func (c *checker) cycles(f *Framework, first map[string]int) {
	const (
		unvisited = iota
		active
		done
	)
	state := make([]int, len(f.Nodes))
	for start := range f.Nodes {
		if state[start] != unvisited {
			continue
		}
		var path []int
		i := start
		for {
			if state[i] == done {
				break
			}
			if state[i] == active {
				k := slices.Index(path, i)
				cyc := path[k:]
				low := slices.Min(cyc)
				codes := make([]string, 0, len(cyc)+1)
				// Name the cycle starting from its first node in Nodes.
				at := slices.Index(cyc, low)
				for j := range cyc {
					codes = append(codes, strconv.Quote(f.Nodes[cyc[(at+j)%len(cyc)]].Code))
				}
				codes = append(codes, codes[0])
				if len(cyc) > 1 {
					c.Add("/nodes/"+strconv.Itoa(low)+"/parent", "framework.node.parent-cycle", ota.Error,
						"the parents form a cycle: "+strings.Join(codes, " → ")+"; break it by making one of these nodes top-level or the child of another node")
				}
				break
			}
			state[i] = active
			path = append(path, i)
			n := &f.Nodes[i]
			if n.Parent == "" || n.Parent == n.Code {
				break
			}
			j, ok := first[n.Parent]
			if !ok {
				break
			}
			i = j
		}
		for _, j := range path {
			state[j] = done
		}
	}
}

func (c *checker) associations(f *Framework) {
	for i, a := range f.Associations {
		p := "/associations/" + strconv.Itoa(i)
		switch {
		case a.Type == "":
			c.Add(p+"/type", "framework.association.type-missing", ota.Error, "the association has no \"type\"; use one of "+assocList())
		case !a.Type.Valid():
			c.Add(p+"/type", "framework.association.type-invalid", ota.Error, fmt.Sprintf("the type %q is not known; use one of %s", a.Type, assocList()))
		}
		c.end(f, a.Source, p+"/source", "source")
		c.end(f, a.Target, p+"/target", "target")
		if a.Source != "" && a.Source == a.Target {
			c.Add(p, "framework.association.self", ota.Warning, fmt.Sprintf("the association links %q to itself; point the target at another node", a.Source))
		}
		c.extensions(a.Extensions, p+"/extensions")
	}
}

func (c *checker) end(f *Framework, ref, ptr, what string) {
	if ref == "" {
		c.Add(ptr, "framework.association."+what+"-missing", ota.Error, fmt.Sprintf("the association has no %q; give a node code, key@version:code or an absolute IRI", what))
		return
	}
	if f.Node(ref) != nil {
		return
	}
	r, err := ParseNodeRef(ref)
	switch {
	case err != nil:
		c.Add(ptr, "framework.association."+what+"-invalid", ota.Error, err.Error())
	case r.IsLocal():
		c.Add(ptr, "framework.association."+what+"-unknown", ota.Error,
			fmt.Sprintf("the %s %q is not the code of a node of this framework; give an existing code, key@version:code or an absolute IRI", what, ref))
	}
}

func (c *checker) scales(f *Framework) {
	seen := make(map[string]int)
	for i, s := range f.Scales {
		p := "/scales/" + strconv.Itoa(i)
		if s.ID == "" {
			c.Add(p+"/id", "framework.scale.id-missing", ota.Error, `the scale has no "id"; give it a short key or an absolute IRI`)
		} else if j, dup := seen[s.ID]; dup {
			c.Add(p+"/id", "framework.scale.id-duplicate", ota.Error, fmt.Sprintf("the scale ID %q is already used by /scales/%d", s.ID, j))
		} else {
			seen[s.ID] = i
		}
		c.LangString(s.Name, p+"/name")
		c.LangString(s.Description, p+"/description")
		if len(s.Levels) == 0 {
			c.Add(p+"/levels", "framework.scale.levels-missing", ota.Error, "the scale has no levels; list them from the lowest to the highest")
		}
		codes := make(map[string]int)
		ranks := make(map[int]int)
		for j, l := range s.Levels {
			lp := p + "/levels/" + strconv.Itoa(j)
			if l.Code == "" {
				c.Add(lp+"/code", "framework.scale.level.code-missing", ota.Error, `the level has no "code"; give it a short code such as "basic" or "4"`)
			} else if k, dup := codes[l.Code]; dup {
				c.Add(lp+"/code", "framework.scale.level.code-duplicate", ota.Error, fmt.Sprintf("the level code %q is already used by %s/levels/%d", l.Code, p, k))
			} else {
				codes[l.Code] = j
			}
			if k, dup := ranks[l.Rank]; dup {
				c.Add(lp+"/rank", "framework.scale.level.rank-duplicate", ota.Warning, fmt.Sprintf("the rank %d is already used by %s/levels/%d; give each level its own rank", l.Rank, p, k))
			} else {
				ranks[l.Rank] = j
			}
			c.LangString(l.Name, lp+"/name")
			c.LangString(l.Description, lp+"/description")
			c.extensions(l.Extensions, lp+"/extensions")
		}
		c.extensions(s.Extensions, p+"/extensions")
	}
}

func (c *checker) extensions(m map[string]json.RawMessage, ptr string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := iri.CheckAbsolute(k); err != nil {
			c.Add(jsontree.AppendPointerToken(ptr, k), "framework.extension.key-not-iri", ota.Error,
				fmt.Sprintf("extension key %q %v; key extensions by an absolute IRI you control", k, err))
		}
		if !json.Valid(m[k]) {
			c.Add(jsontree.AppendPointerToken(ptr, k), "framework.extension.invalid-json", ota.Error, "the extension value is not valid JSON")
		}
	}
}

func kindList() string {
	s := make([]string, len(nodeKinds))
	for i, k := range nodeKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func assocList() string {
	s := make([]string, len(associationTypes))
	for i, t := range associationTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
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
