package casepkg

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/framework"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
)

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
