package casepkg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/google/uuid"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
)

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
