package cmi5

import (
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Namespace is the XML namespace of cmi5 course structures.
const Namespace = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

// ExtensionIRI keys the cmi5 specifics kept in the extensions of an
// imported asset.
const ExtensionIRI = "https://metaacademy.github.io/ota/ext/cmi5"

// The moveOn values of an AU.
const (
	// MoveOnPassed: the AU is satisfied when passed.
	MoveOnPassed = "Passed"
	// MoveOnCompleted: the AU is satisfied when completed.
	MoveOnCompleted = "Completed"
	// MoveOnCompletedAndPassed: the AU is satisfied when both completed
	// and passed.
	MoveOnCompletedAndPassed = "CompletedAndPassed"
	// MoveOnCompletedOrPassed: the AU is satisfied when completed or
	// passed.
	MoveOnCompletedOrPassed = "CompletedOrPassed"
	// MoveOnNotApplicable: the AU is satisfied without being launched. It
	// is the default.
	MoveOnNotApplicable = "NotApplicable"
)

// The launchMethod values of an AU.
const (
	// LaunchAnyWindow lets the LMS choose the window. It is the default.
	LaunchAnyWindow = "AnyWindow"
	// LaunchOwnWindow asks for a new window or tab.
	LaunchOwnWindow = "OwnWindow"
)

// Course is a cmi5 course structure.
type Course struct {
	// ID is the course's IRI (course/@id).
	ID string `json:"id"`
	// Title is the course's title per language.
	Title asset.LangString `json:"title,omitempty"`
	// Description is the course's description per language.
	Description asset.LangString `json:"description,omitempty"`
	// Objectives are the objectives the course declares.
	Objectives []Objective `json:"objectives,omitempty"`
	// Items are the course's top-level blocks and AUs, in document order.
	Items []Item `json:"items,omitempty"`
	// Extra are the extensions of the course element: its attributes and
	// child elements in other namespaces (those of a pre-Quartz
	// customExtensions element included), and those of its title and
	// description. Nil when there are none.
	Extra *Extensions `json:"extra,omitempty"`
	// StructureExtra are the extensions of the courseStructure element:
	// its attributes and child elements in other namespaces, and those of
	// the objectives element and the objectives it declares. Nil when
	// there are none.
	StructureExtra *Extensions `json:"structureExtra,omitempty"`
	// Base is the folder of cmi5.xml inside its package ("." at the root,
	// "" when read standalone); relative AU URLs resolve against it.
	Base string `json:"base,omitempty"`
}

// Objective is an objective declared in the course structure.
type Objective struct {
	// ID is the objective's IRI.
	ID string `json:"id"`
	// Title is the objective's title per language.
	Title asset.LangString `json:"title,omitempty"`
	// Description is the objective's description per language.
	Description asset.LangString `json:"description,omitempty"`
}

// Item is one entry of a course or block: exactly one of Block and AU is
// set.
type Item struct {
	// Block is set when the item is a block.
	Block *Block `json:"block,omitempty"`
	// AU is set when the item is an assignable unit.
	AU *AU `json:"au,omitempty"`
}

// Block groups AUs and other blocks.
type Block struct {
	// ID is the block's IRI.
	ID string `json:"id"`
	// Title is the block's title per language.
	Title asset.LangString `json:"title,omitempty"`
	// Description is the block's description per language.
	Description asset.LangString `json:"description,omitempty"`
	// Objectives are the IRIs of the objectives the block references.
	Objectives []string `json:"objectives,omitempty"`
	// Items are the block's blocks and AUs, in document order.
	Items []Item `json:"items,omitempty"`
	// Extra are the extensions of the block element and of its title,
	// description and objectives; nil when there are none.
	Extra *Extensions `json:"extra,omitempty"`

	ptr string
}

// AU is an assignable unit: the launchable content of a cmi5 course.
type AU struct {
	// ID is the AU's IRI; it is also its xAPI activity ID.
	ID string `json:"id"`
	// Title is the AU's title per language.
	Title asset.LangString `json:"title,omitempty"`
	// Description is the AU's description per language.
	Description asset.LangString `json:"description,omitempty"`
	// Objectives are the IRIs of the objectives the AU references.
	Objectives []string `json:"objectives,omitempty"`
	// URL is the launch URL with surrounding white space removed: relative
	// to the package or absolute.
	URL string `json:"url"`
	// LaunchMethod is AnyWindow or OwnWindow; AnyWindow when absent.
	LaunchMethod string `json:"launchMethod"`
	// MoveOn says when the AU is satisfied; NotApplicable when absent.
	MoveOn string `json:"moveOn"`
	// MasteryScore is the scaled score needed to pass, in [0, 1]; nil when
	// absent.
	MasteryScore *float64 `json:"masteryScore,omitempty"`
	// ActivityType is the xAPI activity type IRI, when given.
	ActivityType string `json:"activityType,omitempty"`
	// LaunchParameters are passed to the AU as read, white space trimmed.
	LaunchParameters string `json:"launchParameters,omitempty"`
	// EntitlementKey is the AU's entitlement key, white space trimmed.
	EntitlementKey string `json:"entitlementKey,omitempty"`
	// Extra are the extensions of the au element and of its title,
	// description and objectives; nil when there are none.
	Extra *Extensions `json:"extra,omitempty"`

	ptr string
}

// Extensions are what an element of a course structure holds in other
// namespaces than cmi5's, kept as read and written back by [Course.Write]
// where the XML Schema allows them (xs:anyAttribute and xs:any
// namespace="##other"): attributes on the element, and child elements
// after its cmi5 children, in document order.
//
// Parts holds the extensions of the element's cmi5 children that have no
// type of their own in this package, by name: "title" and "description"
// (their langstrings under "langstring[TAG]", TAG the language tag),
// "objectives" (on courseStructure its objectives under
// "objective[IRI]", and theirs under "title" and "description").
//
// Elements and attributes in no namespace or in cmi5's are not extensions:
// the XML Schema does not allow them, so [Parse] reports and leaves them
// out and Write does not write them.
type Extensions struct {
	// Attrs are the element's attributes in other namespaces, in
	// document order.
	Attrs []xmlnode.Attr `json:"attrs,omitempty"`
	// Elements are the element's child elements in other namespaces, in
	// document order.
	Elements []*xmlnode.Node `json:"elements,omitempty"`
	// Parts are the extensions of the element's cmi5 children, by name.
	Parts map[string]*Extensions `json:"parts,omitempty"`
}

// Part returns the extensions of the child named name, or nil. It may be
// called on a nil *Extensions.
func (e *Extensions) Part(name string) *Extensions {
	if e == nil {
		return nil
	}
	return e.Parts[name]
}

// empty reports whether e holds nothing.
func (e *Extensions) empty() bool {
	return e == nil || len(e.Attrs) == 0 && len(e.Elements) == 0 && len(e.Parts) == 0
}

// foreign reports whether a namespace is one an extension may use: not
// cmi5's and not none.
func foreign(space string) bool { return space != "" && space != Namespace }

// Blocks returns every block of the course, depth first in document
// order.
func (c *Course) Blocks() []*Block {
	var out []*Block
	walk(c.Items, func(it Item) {
		if it.Block != nil {
			out = append(out, it.Block)
		}
	})
	return out
}

// AUs returns every AU of the course, depth first in document order.
func (c *Course) AUs() []*AU {
	var out []*AU
	walk(c.Items, func(it Item) {
		if it.AU != nil {
			out = append(out, it.AU)
		}
	})
	return out
}

func walk(items []Item, f func(Item)) {
	for _, it := range items {
		f(it)
		if it.Block != nil {
			walk(it.Block.Items, f)
		}
	}
}
