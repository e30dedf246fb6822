package xapi

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/metaacademy/ota/internal/jsontree"
)

var (
	definitionKeys = []string{"name", "description", "type", "moreInfo", "extensions", "interactionType",
		"correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
	componentKeys = []string{"id", "description"}

	// interactionTypes are the values of interactionType.
	interactionTypes = []string{"true-false", "choice", "fill-in", "long-fill-in", "matching",
		"performance", "sequencing", "likert", "numeric", "other"}

	// componentLists maps each interaction component list to its ADL
	// requirement id and the interaction types that use it.
	componentLists = map[string]struct {
		req   string
		types []string
	}{
		"choices": {"XAPI-00055", []string{"choice", "sequencing"}},
		"scale":   {"XAPI-00054", []string{"likert"}},
		"source":  {"XAPI-00053", []string{"matching"}},
		"target":  {"XAPI-00052", []string{"matching"}},
		"steps":   {"XAPI-00051", []string{"performance"}},
	}
)

// activity reads an Activity object: as the statement's object (where
// says "the object") or in contextActivities.
//
// With guess set (the statement's object, read as an Activity before its
// kind is known; see object) it stops at an objectType that names
// another kind, and returns the objectType it read, if any.
func (c *checker) activity(where string, guess bool) (objectType val, found bool) {
	start, ok := c.open(jsontree.Object, `an Activity object {"id": IRI, …}`, "XAPI-00094")
	if !ok {
		return val{}, false
	}
	id := false
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "objectType":
			// The statement object's objectType is checked by object;
			// context activities are checked here.
			switch {
			case guess:
				objectType, found = c.value(), true
				if kindOf(objectType) != objActivity {
					return objectType, true
				}
			case where != "the object":
				if v, ok := c.str(`"Activity"`, "XAPI-00094"); ok && v.text != ObjectTypeActivity {
					c.err(v.start, "xapi.object-type.invalid", "XAPI-00094",
						fmt.Sprintf(`a context activity's objectType must be "Activity" (or left out), not %s`, quote(v.text)))
				}
			default:
				c.skip()
			}
		case "id":
			id = true
			c.iri("activity id", "xapi.activity.id-invalid", "XAPI-00047")
		case "definition":
			c.definition()
		default:
			c.unknown(key, "an Activity", activityKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(start, "id", "xapi.activity.id-missing", "XAPI-00047",
			where+` is an Activity without "id"; add the activity's IRI (an object without "objectType" is read as an Activity)`)
	}
	return objectType, found
}

// componentList is an interaction component list read in a definition.
type componentList struct {
	key   string
	start int
}

// definition reads an Activity Definition.
func (c *checker) definition() {
	start, ok := c.open(jsontree.Object, "an activity definition object", "XAPI-00048")
	if !ok {
		return
	}
	itype := ""
	hasType, hasPattern := false, false
	var lists [5]componentList
	nlists := 0
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "name":
			c.languageMap("XAPI-00056")
		case "description":
			c.languageMap("XAPI-00059")
		case "type":
			c.iri("activity type", "xapi.activity.type-invalid", "XAPI-00060")
		case "moreInfo":
			c.iri("moreInfo", "xapi.activity.more-info-invalid", "XAPI-00061")
		case "extensions":
			c.extensions("XAPI-00057")
		case "interactionType":
			hasType = true
			if v, ok := c.str("an interaction type string", "XAPI-00049"); ok {
				itype = c.interactionType(v)
			}
		case "correctResponsesPattern":
			hasPattern = true
			if _, ok := c.open(jsontree.Array, "an array of strings", "XAPI-00050"); ok {
				a := c.openArray()
				for c.nextElem(&a) {
					c.pushIndex(a.n - 1)
					c.is(c.value(), jsontree.String, "a string", "XAPI-00050")
					c.pop()
				}
			}
		case "choices", "scale", "source", "target", "steps":
			if nlists < len(lists) {
				lists[nlists] = componentList{key, c.valueStart()}
				nlists++
			}
			c.components(componentLists[key].req)
		default:
			c.unknown(key, "an activity definition", definitionKeys)
		}
		c.pop()
	}
	if hasPattern && !hasType {
		c.missing(start, "interactionType", "xapi.interaction.type-missing", "XAPI-00064",
			`"correctResponsesPattern" is given without "interactionType"; add the interaction type (choice, fill-in, …)`)
	}
	if nlists > 0 && !hasType && !hasPattern {
		c.missing(start, "interactionType", "xapi.interaction.type-missing", "",
			fmt.Sprintf(`interaction components (%q) are given without "interactionType"; interaction activities must have one`, lists[0].key))
	}
	if itype == "" {
		return
	}
	for _, l := range lists[:nlists] {
		allowed := componentLists[l.key].types
		if !contains(allowed, itype) {
			c.push(l.key)
			c.warn(l.start, "xapi.interaction.component-unexpected", "",
				fmt.Sprintf("%q is not used by %s interactions (only by %s); remove it or correct interactionType", l.key, itype, strings.Join(allowed, " and ")))
			c.pop()
		}
	}
}

// interactionType checks the value v of interactionType and returns it
// when it is valid.
func (c *checker) interactionType(v val) string {
	s := v.text
	if contains(interactionTypes, s) {
		return s
	}
	for _, t := range interactionTypes {
		if strings.EqualFold(t, s) {
			c.err(v.start, "xapi.interaction.type-invalid", "XAPI-00009",
				fmt.Sprintf("interactionType %s must be written exactly %q (values are case-sensitive)", quote(s), t))
			return ""
		}
	}
	c.err(v.start, "xapi.interaction.type-invalid", "XAPI-00049",
		fmt.Sprintf("interactionType %s is not one of %s", quote(s), strings.Join(interactionTypes, ", ")))
	return ""
}

// components reads an array of interaction components.
func (c *checker) components(req string) {
	if _, ok := c.open(jsontree.Array, "an array of interaction components", req); !ok {
		return
	}
	base := len(c.compIDs)
	a := c.openArray()
	for c.nextElem(&a) {
		c.pushIndex(a.n - 1)
		c.component(base)
		c.pop()
	}
	c.compIDs = c.compIDs[:base]
}

// component reads one interaction component; c.compIDs[base:] are the ids
// of the components before it in its list, to find duplicates.
func (c *checker) component(base int) {
	start, ok := c.open(jsontree.Object, `an interaction component {"id": string, "description": {…}}`, "XAPI-00063")
	if !ok {
		return
	}
	id, ownID, hasOwnID := false, "", false
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "id":
			id = true
			v, ok := c.str("a string", "XAPI-00058")
			if !ok {
				break
			}
			s := v.text
			ownID, hasOwnID = s, true
			for _, b := range c.compIDs[base:] {
				if b == s {
					c.err(v.start, "xapi.interaction.component-id-duplicate", "XAPI-00058",
						fmt.Sprintf("interaction component id %s is used twice in this list; ids must be distinct", quote(s)))
					break
				}
			}
			if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
				c.warn(v.start, "xapi.interaction.component-id-whitespace", "",
					fmt.Sprintf("interaction component id %s contains white space, which breaks response patterns; use '-' or '_' instead", quote(s)))
			}
		case "description":
			c.languageMap("XAPI-00062")
		default:
			c.unknown(key, "an interaction component", componentKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(start, "id", "xapi.interaction.component-id-missing", "XAPI-00058", `an interaction component needs "id"`)
	}
	if hasOwnID {
		c.compIDs = append(c.compIDs, ownID)
	}
}

func contains(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}
