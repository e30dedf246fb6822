package casepkg

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/framework"

	"github.com/google/uuid"

	"github.com/metaacademy/ota/asset"
)

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
