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

// activity checks an Activity object: as the statement's object (where
// says "the object") or in contextActivities.
func (c *checker) activity(n *jsontree.Node, where string) {
	if !c.is(n, jsontree.Object, `an Activity object {"id": IRI, …}`, "XAPI-00094") {
		return
	}
	id := false
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "objectType":
			// The statement object's objectType is checked by object;
			// context activities are checked here.
			if where != "the object" {
				if s, ok := c.str(m.Value, `"Activity"`, "XAPI-00094"); ok && s != ObjectTypeActivity {
					c.err(m.Value, "xapi.object-type.invalid", "XAPI-00094",
						fmt.Sprintf(`a context activity's objectType must be "Activity" (or left out), not %s`, quote(s)))
				}
			}
		case "id":
			id = true
			c.iri(m.Value, "activity id", "xapi.activity.id-invalid", "XAPI-00047")
		case "definition":
			c.definition(m.Value)
		default:
			c.unknown(m.Value, m.Key, "an Activity", activityKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(n, "id", "xapi.activity.id-missing", "XAPI-00047",
			where+` is an Activity without "id"; add the activity's IRI (an object without "objectType" is read as an Activity)`)
	}
}

// definition checks an Activity Definition.
func (c *checker) definition(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, "an activity definition object", "XAPI-00048") {
		return
	}
	itype := ""
	var pattern *jsontree.Node
	var lists []*jsontree.Member
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "name":
			c.languageMap(v, "XAPI-00056")
		case "description":
			c.languageMap(v, "XAPI-00059")
		case "type":
			c.iri(v, "activity type", "xapi.activity.type-invalid", "XAPI-00060")
		case "moreInfo":
			c.iri(v, "moreInfo", "xapi.activity.more-info-invalid", "XAPI-00061")
		case "extensions":
			c.extensions(v, "XAPI-00057")
		case "interactionType":
			if s, ok := c.str(v, "an interaction type string", "XAPI-00049"); ok {
				itype = c.interactionType(v, s)
			}
		case "correctResponsesPattern":
			pattern = v
			if c.is(v, jsontree.Array, "an array of strings", "XAPI-00050") {
				for j, e := range v.Elems {
					c.pushIndex(j)
					c.is(e, jsontree.String, "a string", "XAPI-00050")
					c.pop()
				}
			}
		case "choices", "scale", "source", "target", "steps":
			lists = append(lists, m)
			c.components(v, componentLists[m.Key].req)
		default:
			c.unknown(v, m.Key, "an activity definition", definitionKeys)
		}
		c.pop()
	}
	hasType := n.Get("interactionType") != nil
	if pattern != nil && !hasType {
		c.missing(n, "interactionType", "xapi.interaction.type-missing", "XAPI-00064",
			`"correctResponsesPattern" is given without "interactionType"; add the interaction type (choice, fill-in, …)`)
	}
	if len(lists) > 0 && !hasType && pattern == nil {
		c.missing(n, "interactionType", "xapi.interaction.type-missing", "",
			fmt.Sprintf(`interaction components (%q) are given without "interactionType"; interaction activities must have one`, lists[0].Key))
	}
	if itype == "" {
		return
	}
	for _, m := range lists {
		allowed := componentLists[m.Key].types
		if !contains(allowed, itype) {
			c.push(m.Key)
			c.warn(m.Value, "xapi.interaction.component-unexpected", "",
				fmt.Sprintf("%q is not used by %s interactions (only by %s); remove it or correct interactionType", m.Key, itype, strings.Join(allowed, " and ")))
			c.pop()
		}
	}
}

// interactionType checks the value s of interactionType and returns it
// when it is valid.
func (c *checker) interactionType(n *jsontree.Node, s string) string {
	if contains(interactionTypes, s) {
		return s
	}
	for _, t := range interactionTypes {
		if strings.EqualFold(t, s) {
			c.err(n, "xapi.interaction.type-invalid", "XAPI-00009",
				fmt.Sprintf("interactionType %s must be written exactly %q (values are case-sensitive)", quote(s), t))
			return ""
		}
	}
	c.err(n, "xapi.interaction.type-invalid", "XAPI-00049",
		fmt.Sprintf("interactionType %s is not one of %s", quote(s), strings.Join(interactionTypes, ", ")))
	return ""
}

// components checks an array of interaction components.
func (c *checker) components(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Array, "an array of interaction components", req) {
		return
	}
	for j, e := range n.Elems {
		c.pushIndex(j)
		c.component(e, n.Elems[:j])
		c.pop()
	}
}

// component checks one interaction component; before are the components
// that precede it in its list, to find duplicate ids.
func (c *checker) component(n *jsontree.Node, before []*jsontree.Node) {
	if !c.is(n, jsontree.Object, `an interaction component {"id": string, "description": {…}}`, "XAPI-00063") {
		return
	}
	id := false
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "id":
			id = true
			s, ok := c.str(m.Value, "a string", "XAPI-00058")
			if !ok {
				break
			}
			for _, b := range before {
				if o := b.Get("id"); o != nil && o.Kind == jsontree.String && o.Str == s {
					c.err(m.Value, "xapi.interaction.component-id-duplicate", "XAPI-00058",
						fmt.Sprintf("interaction component id %s is used twice in this list; ids must be distinct", quote(s)))
					break
				}
			}
			if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
				c.warn(m.Value, "xapi.interaction.component-id-whitespace", "",
					fmt.Sprintf("interaction component id %s contains white space, which breaks response patterns; use '-' or '_' instead", quote(s)))
			}
		case "description":
			c.languageMap(m.Value, "XAPI-00062")
		default:
			c.unknown(m.Value, m.Key, "an interaction component", componentKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(n, "id", "xapi.interaction.component-id-missing", "XAPI-00058", `an interaction component needs "id"`)
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
