package casepkg

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/metaacademy/ota/framework"

	"github.com/metaacademy/ota"
)

// scale writes a scale as an item under the document and its levels as
// items under it; seq is its place among the document's children.
func (w *caseWriter) scale(pkg *casePackageOut, k, seq int) {
	f := w.f
	s := &f.Scales[k]
	ptr := "/scales/" + strconv.Itoa(k)
	var facts otaFacts
	cf := readCASEFacts(s.Extensions)
	id := cf.Identifier
	if id == "" {
		id = deriveScaleID(f.ID, s.ID)
	}
	w.claim(id, ptr)
	name, desc, tag := w.texts(s.Name, s.Description, ptr+"/name", &facts)
	if name == "" {
		name = s.ID
		facts.Omitted = append(facts.Omitted, "name")
	}
	uri := "urn:uuid:" + id
	if cf.URI != "" {
		uri = cf.URI
	}
	it := caseItemOut{Identifier: id, URI: uri, HumanCodingScheme: s.ID, CFItemType: scaleItemType,
		CFItemTypeURI: w.itemType(scaleItemType, "ota-scale"), LastChangeDateTime: w.modTime}
	if desc != "" {
		it.AbbreviatedStatement, it.FullStatement = name, desc
	} else {
		it.FullStatement = name
	}
	if tag != "" && tag != w.lang {
		it.Language = tag
	}
	it.Extensions = caseExtensions(s.Extensions, facts)
	pkg.CFItems = append(pkg.CFItems, it)
	scaleLink := caseLinkOut{Title: it.FullStatement, Identifier: id, URI: it.URI}
	pkg.CFAssociations = append(pkg.CFAssociations, w.assoc("isChildOf", seq, scaleLink, w.docLink(&pkg.CFDocument), caseFacts{}, nil, otaFacts{}))
	for j := range s.Levels {
		l := &s.Levels[j]
		lp := ptr + "/levels/" + strconv.Itoa(j)
		var lf otaFacts
		lcf := readCASEFacts(l.Extensions)
		lid := lcf.Identifier
		if lid == "" {
			lid = deriveLevelID(f.ID, s.ID, l.Code)
		}
		w.claim(lid, lp)
		name, desc, tag := w.texts(l.Name, l.Description, lp+"/name", &lf)
		if name == "" {
			name = l.Code
			lf.Omitted = append(lf.Omitted, "name")
		}
		if l.Rank != j+1 {
			r := l.Rank
			lf.Rank = &r
		}
		lf.Group = l.Group
		if l.Group != "" {
			w.losses.add("case.lost.level-group", lp+"/group", "the groups of proficiency levels", "CASE has no member for a level's band; it is kept in the OTA extension only")
		}
		luri := "urn:uuid:" + lid
		if lcf.URI != "" {
			luri = lcf.URI
		}
		li := caseItemOut{Identifier: lid, URI: luri, HumanCodingScheme: l.Code, CFItemType: levelItemType,
			CFItemTypeURI: w.itemType(levelItemType, "ota-level"), LastChangeDateTime: w.modTime}
		if desc != "" {
			li.AbbreviatedStatement, li.FullStatement = name, desc
		} else {
			li.FullStatement = name
		}
		if tag != "" && tag != w.lang {
			li.Language = tag
		}
		li.Extensions = caseExtensions(l.Extensions, lf)
		pkg.CFItems = append(pkg.CFItems, li)
		pkg.CFAssociations = append(pkg.CFAssociations, w.assoc("isChildOf", j+1, caseLinkOut{Title: li.FullStatement, Identifier: lid, URI: li.URI}, scaleLink, caseFacts{}, nil, otaFacts{}))
	}
}

// assoc builds an association; cf may override its identifier and uri.
func (w *caseWriter) assoc(typ string, seq int, origin, dest caseLinkOut, cf caseFacts, ext map[string]json.RawMessage, facts otaFacts) caseAssocOut {
	id := deriveAssocID(w.f.ID, typ, origin.Identifier, dest.Identifier, w.counter)
	if cf.Identifier != "" {
		id = cf.Identifier
	}
	uri := "urn:uuid:" + id
	if cf.URI != "" {
		uri = cf.URI
	}
	return caseAssocOut{
		Identifier:         id,
		AssociationType:    typ,
		SequenceNumber:     seq,
		URI:                uri,
		OriginNodeURI:      origin,
		DestinationNodeURI: dest,
		LastChangeDateTime: w.modTime,
		Extensions:         caseExtensions(ext, facts),
	}
}

func (w *caseWriter) association(pkg *casePackageOut, j int, a framework.Association) {
	ptr := "/associations/" + strconv.Itoa(j)
	var facts otaFacts
	typ := caseAssocType(a.Type)
	if a.Type == framework.CloseMatch || a.Type == framework.BroadMatch || a.Type == framework.NarrowMatch {
		facts.Type = a.Type
		w.losses.add("case.lost.match-type", ptr+"/type", "close, broad and narrow matches", "CASE has no such association types; they are written as isRelatedTo, with the OTA type in the OTA extension")
	}
	origin := w.end(a.Source, ptr+"/source", &facts.Source)
	dest := w.end(a.Target, ptr+"/target", &facts.Target)
	cf := readCASEFacts(a.Extensions)
	out := w.assoc(typ, 0, origin, dest, cf, a.Extensions, facts)
	w.claim(out.Identifier, ptr)
	pkg.CFAssociations = append(pkg.CFAssociations, out)
}

// end returns the link for an association end. A reference to a node of a
// registered framework has no URI: it is kept in *kept.
func (w *caseWriter) end(ref, ptr string, kept *string) caseLinkOut {
	if l, ok := w.items[ref]; ok && w.idx.Node(ref) != nil {
		return l
	}
	r, _ := framework.ParseNodeRef(ref)
	id := refID(ref)
	if r.IRI != "" {
		return caseLinkOut{Title: ref, Identifier: id, URI: ref}
	}
	*kept = ref
	w.losses.add("case.lost.node-reference", ptr, "references to nodes of registered frameworks", "CASE links need a URI, and a key@version:code reference has none; it is written as a urn:uuid: URI and kept in the OTA extension")
	return caseLinkOut{Title: ref, Identifier: id, URI: "urn:uuid:" + id}
}

// lossList collects losses, reporting each kind (its What) once, at its
// first pointer, with a count.
type lossList struct {
	losses []ota.Loss
	n      []int
	at     map[string]int
}

func (l *lossList) add(code, ptr, what, why string) {
	if i, ok := l.at[what]; ok {
		l.n[i]++
		return
	}
	if l.at == nil {
		l.at = map[string]int{}
	}
	l.at[what] = len(l.losses)
	l.losses = append(l.losses, ota.Loss{Code: code, Pointer: ptr, What: what, Why: why})
	l.n = append(l.n, 1)
}

func (l *lossList) list() []ota.Loss {
	out := slices.Clone(l.losses)
	for i := range out {
		if l.n[i] > 1 {
			out[i].What = fmt.Sprintf("%s (%d times; the first is here)", out[i].What, l.n[i])
		}
	}
	return out
}
