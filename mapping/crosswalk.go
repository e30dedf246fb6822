package mapping

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// Crosswalk maps the nodes of one framework to those of another, so that
// alignments written against the first can be re-expressed in the second.
//
// From and To name the two frameworks in the manner of a
// [framework.NodeRef] without a code: Framework is a registered key
// ("gamso") or a framework ID IRI, and Version the version the mappings
// were made for.
type Crosswalk struct {
	From, To framework.NodeRef
	// Mappings link codes of From to codes of To. A code may have several
	// mappings.
	Mappings []Mapping
}

// Mapping is one link of a [Crosswalk].
type Mapping struct {
	// FromCode is the code of a node of the crosswalk's From framework.
	FromCode string `json:"from"`
	// ToCode is the code of a node of the crosswalk's To framework.
	ToCode string `json:"to"`
	// Match says how the two nodes relate, in the SKOS sense, read from
	// FromCode to ToCode: framework.ExactMatch, CloseMatch, BroadMatch
	// (ToCode is broader) or NarrowMatch (ToCode is narrower).
	Match framework.AssociationType `json:"match"`
	// Note explains the mapping, when it needs explaining.
	Note string `json:"note,omitempty"`
}

// MatchStrength ranks match types for choosing among mappings: exactMatch
// 3, closeMatch 2, broadMatch and narrowMatch 1, anything else 0.
func MatchStrength(t framework.AssociationType) int {
	switch t {
	case framework.ExactMatch:
		return 3
	case framework.CloseMatch:
		return 2
	case framework.BroadMatch, framework.NarrowMatch:
		return 1
	}
	return 0
}

// invertMatch returns the match type read in the other direction.
func invertMatch(t framework.AssociationType) framework.AssociationType {
	switch t {
	case framework.BroadMatch:
		return framework.NarrowMatch
	case framework.NarrowMatch:
		return framework.BroadMatch
	}
	return t
}

// Inverse returns the crosswalk read the other way: To becomes From, each
// mapping is turned round and broad and narrow matches trade places.
func (cw *Crosswalk) Inverse() *Crosswalk {
	out := &Crosswalk{From: cw.To, To: cw.From, Mappings: make([]Mapping, len(cw.Mappings))}
	for i, m := range cw.Mappings {
		out.Mappings[i] = Mapping{FromCode: m.ToCode, ToCode: m.FromCode, Match: invertMatch(m.Match), Note: m.Note}
	}
	return out
}

// CrosswalkFromAssociations builds a crosswalk from the match associations
// (exactMatch, closeMatch, broadMatch, narrowMatch) of fw whose source is a
// node of fw and whose target is a node of the framework registered as
// toKey, written "toKey@version:code". The crosswalk goes from fw to toKey
// in the version the first such association names. It returns nil when fw
// has no such association.
func CrosswalkFromAssociations(fw *framework.Framework, toKey string) *Crosswalk {
	var cw *Crosswalk
	for _, a := range fw.Associations {
		if !a.Type.IsMatch() || fw.Node(a.Source) == nil {
			continue
		}
		ref, err := framework.ParseNodeRef(a.Target)
		if err != nil || ref.Framework != toKey {
			continue
		}
		if cw == nil {
			cw = &Crosswalk{
				From: framework.NodeRef{Framework: cmpOr(fw.Key, fw.ID), Version: fw.Version},
				To:   framework.NodeRef{Framework: ref.Framework, Version: ref.Version},
			}
		}
		if ref.Version != cw.To.Version {
			continue
		}
		cw.Mappings = append(cw.Mappings, Mapping{FromCode: a.Source, ToCode: ref.Code, Match: a.Type})
	}
	return cw
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// GAMSOToGSBPM returns the built-in crosswalk from GAMSO 1.2 to GSBPM 5.1.
// GAMSO's activity area 4, Production, is the statistical production
// process that the GSBPM describes, so area 4 has a narrowMatch to each of
// the eight GSBPM phases and each overarching process: every one of them is
// a part of Production. No other GAMSO node is mapped: the other areas are
// about running the organisation, not about producing statistics.
//
// Applied to an alignment to GAMSO 4 the crosswalk yields fourteen GSBPM
// alignments, all narrowMatch; callers who want only strong matches can
// keep the conversions whose MatchStrength is high enough. Its
// [Crosswalk.Inverse] maps every GSBPM phase and overarching process to
// GAMSO 4 with broadMatch, and [Registry.Apply] carries sub-processes there
// through their phase. The mappings come from the associations of the
// built-in GAMSO framework, so the two never disagree.
func GAMSOToGSBPM() *Crosswalk {
	fw, _ := shared().Lookup(KeyGAMSO, "1.2")
	cw := CrosswalkFromAssociations(fw, KeyGSBPM)
	for i := range cw.Mappings {
		cw.Mappings[i].Note = "GSBPM describes GAMSO's Production area; each phase and overarching process is a part of it"
	}
	return cw
}

// CheckCrosswalk reports crosswalk mappings whose codes are not nodes of the two
// frameworks, whose match type is not a SKOS match, and frameworks that
// are not registered. Pointers are "/mappings/N/…".
func (r *Registry) CheckCrosswalk(cw *Crosswalk) ota.Report {
	var rep ota.Report
	from, fok := r.Lookup(cw.From.Framework, cw.From.Version)
	to, tok := r.Lookup(cw.To.Framework, cw.To.Version)
	if !fok {
		rep.Add(ota.Issue{Pointer: "/from", Code: "mapping.crosswalk.unknown-framework", Severity: ota.Error,
			Message: fmt.Sprintf("framework %s %s is not registered", cw.From.Framework, cw.From.Version)})
	}
	if !tok {
		rep.Add(ota.Issue{Pointer: "/to", Code: "mapping.crosswalk.unknown-framework", Severity: ota.Error,
			Message: fmt.Sprintf("framework %s %s is not registered", cw.To.Framework, cw.To.Version)})
	}
	for i, m := range cw.Mappings {
		p := "/mappings/" + strconv.Itoa(i)
		if from != nil && from.Node(m.FromCode) == nil {
			rep.Add(ota.Issue{Pointer: p + "/from", Code: "mapping.crosswalk.unknown-code", Severity: ota.Error,
				Message: fmt.Sprintf("code %q is not a node of %s %s", m.FromCode, cw.From.Framework, from.Version)})
		}
		if to != nil && to.Node(m.ToCode) == nil {
			rep.Add(ota.Issue{Pointer: p + "/to", Code: "mapping.crosswalk.unknown-code", Severity: ota.Error,
				Message: fmt.Sprintf("code %q is not a node of %s %s", m.ToCode, cw.To.Framework, to.Version)})
		}
		if !m.Match.IsMatch() {
			rep.Add(ota.Issue{Pointer: p + "/match", Code: "mapping.crosswalk.match-invalid", Severity: ota.Error,
				Message: fmt.Sprintf("match %q is not one of exactMatch, closeMatch, broadMatch, narrowMatch", m.Match)})
		}
	}
	return rep
}

// Conversion records how one alignment was re-expressed by a crosswalk.
type Conversion struct {
	// Pointer is the JSON Pointer of the source alignment in the tree.
	Pointer string
	// From is the source alignment, To the alignment that replaced it.
	From, To asset.Alignment
	// Match is how To's node relates to From's, read from From to To.
	Match framework.AssociationType
	// Via is the code of the ancestor of From's node whose mapping was
	// used, when From's node has no mapping of its own; empty otherwise.
	Via string
	// Note is the mapping's note.
	Note string
}

// CrosswalkResult is what [Registry.Apply] returns.
type CrosswalkResult struct {
	// Asset is a deep copy of the input tree in which every alignment to
	// the crosswalk's From framework has been replaced by the alignments
	// it maps to. Alignments to other frameworks are unchanged. Within one
	// list of alignments a target that several sources map to appears
	// once.
	Asset *asset.Asset
	// Conversions lists every source alignment and target pair, in tree
	// order, with the strength of the match.
	Conversions []Conversion
	// Report holds the losses (alignments with no mapping, which are
	// dropped from Asset, and proficiency levels, which belong to the
	// source framework's scale) and warnings about alignments to the From
	// framework in a version the crosswalk was not made for.
	Report ota.Report
}

// Apply re-expresses the alignments of the tree rooted at root in the
// crosswalk's To framework, without changing root. An alignment is
// converted when it names the From framework (by key or ID) in the
// crosswalk's version, with no version, or in another version whose codes
// are the same ([Registry.SharedCodes]); each of its code's mappings yields
// an alignment to To with the same relation. A code with no mapping of its
// own uses its nearest mapped ancestor: the source is narrower than that
// ancestor, so an exact, close or broad match of the ancestor becomes a
// broadMatch, and a narrowMatch of the ancestor says nothing about the
// source and is not used. Alignments that nothing maps are dropped and
// reported as losses.
func (r *Registry) Apply(cw *Crosswalk, root *asset.Asset) CrosswalkResult {
	var res CrosswalkResult
	if root == nil {
		return res
	}
	res.Asset = root.Clone()
	r.mu.RLock()
	fromFam := r.family(cw.From.Framework)
	var fromIdx *framework.Index
	if fromFam != nil {
		if e := fromFam.find(cw.From.Version); e != nil {
			fromIdx = e.idx
		}
	}
	toLabel := cw.To.Framework + " " + cw.To.Version
	if f := r.family(cw.To.Framework); f != nil {
		toLabel = f.label + " " + cw.To.Version
	}
	fromLabel := cw.From.Framework + " " + cw.From.Version
	var otherVersions []string // versions whose codes are the crosswalk version's
	if fromFam != nil {
		fromLabel = fromFam.label + " " + cw.From.Version
		if fromFam.shared {
			otherVersions = fromFam.versionList()
		}
	}
	r.mu.RUnlock()

	byCode := make(map[string][]Mapping)
	for _, m := range cw.Mappings {
		byCode[m.FromCode] = append(byCode[m.FromCode], m)
	}
	isFrom := func(name string) bool {
		if name == cw.From.Framework {
			return true
		}
		return fromFam != nil && r.sameFamily(name, fromFam)
	}
	versionOK := func(v string) bool {
		if v == "" || v == cw.From.Version || cw.From.Version == "" {
			return true
		}
		return slices.Contains(otherVersions, v)
	}
	// mappingsFor returns the mappings for code and the code of the
	// ancestor whose mappings were used, if any.
	mappingsFor := func(code string) ([]Mapping, string) {
		if ms := byCode[code]; len(ms) > 0 {
			return ms, ""
		}
		if fromIdx == nil {
			return nil, ""
		}
		for _, anc := range fromIdx.Ancestors(code) {
			ms := byCode[anc.Code]
			if len(ms) == 0 {
				continue
			}
			var out []Mapping
			for _, m := range ms {
				if m.Match == framework.NarrowMatch {
					continue
				}
				m.Match = framework.BroadMatch
				out = append(out, m)
			}
			return out, anc.Code
		}
		return nil, ""
	}
	convert := func(list []asset.Alignment, base, assetID string) []asset.Alignment {
		if len(list) == 0 {
			return list
		}
		out := make([]asset.Alignment, 0, len(list))
		for i, al := range list {
			ptr := base + "/" + strconv.Itoa(i)
			if !isFrom(al.Framework) {
				out = append(out, al)
				continue
			}
			if !versionOK(al.Version) {
				res.Report.Add(ota.Issue{Pointer: ptr + "/version", Code: "mapping.crosswalk.version-mismatch", Severity: ota.Warning,
					Message: fmt.Sprintf("the alignment is to version %q but the crosswalk was made for %s; it was left unchanged", al.Version, fromLabel)})
				out = append(out, al)
				continue
			}
			ms, via := mappingsFor(al.Code)
			if len(ms) == 0 {
				res.Report.AddLoss(ota.Loss{Code: "mapping.lost.unmapped-alignment", Pointer: ptr, AssetID: assetID, What: fmt.Sprintf("alignment to %s %s", fromLabel, al.Code),
					Why: fmt.Sprintf("the crosswalk maps neither %s nor any node above it to %s", al.Code, toLabel)})
				continue
			}
			if al.Level != "" {
				res.Report.AddLoss(ota.Loss{Code: "mapping.lost.level", Pointer: ptr + "/level", AssetID: assetID, What: fmt.Sprintf("proficiency level %q", al.Level),
					Why: fmt.Sprintf("the level is on the scale of %s, which %s does not share", fromLabel, toLabel)})
			}
			for _, m := range ms {
				to := asset.Alignment{
					Framework: cw.To.Framework,
					Version:   cw.To.Version,
					Code:      m.ToCode,
					Relation:  al.Relation,
					Unknown:   cloneRaw(al.Unknown),
				}
				res.Conversions = append(res.Conversions, Conversion{
					Pointer: ptr, From: al, To: to, Match: m.Match, Via: via, Note: m.Note,
				})
				k := slices.IndexFunc(out, func(x asset.Alignment) bool { return sameAlignment(x, to) })
				switch {
				case k < 0:
					out = append(out, to)
				case len(to.Unknown) > 0 && !reflect.DeepEqual(out[k].Unknown, to.Unknown):
					res.Report.AddLoss(ota.Loss{Code: "mapping.lost.merged-members", Pointer: ptr, AssetID: assetID, What: "members of the alignment OTA does not define",
						Why: fmt.Sprintf("the alignment became a duplicate of another alignment to %s %s and was merged into it", toLabel, m.ToCode)})
				}
			}
		}
		return out
	}
	for ptr, a := range res.Asset.All() {
		for j := range a.Objectives {
			o := &a.Objectives[j]
			o.Alignments = convert(o.Alignments, ptr+"/objectives/"+strconv.Itoa(j)+"/alignments", a.ID)
		}
		a.Alignments = convert(a.Alignments, ptr+"/alignments", a.ID)
	}
	return res
}

// Apply applies cw to the tree rooted at root using the built-in
// frameworks; see [Registry.Apply].
func Apply(cw *Crosswalk, root *asset.Asset) CrosswalkResult { return shared().Apply(cw, root) }

func (r *Registry) sameFamily(name string, f *family) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.family(name) == f
}

func sameAlignment(a, b asset.Alignment) bool {
	return a.Framework == b.Framework && a.Version == b.Version && a.Code == b.Code &&
		a.Relation == b.Relation && a.Level == b.Level
}

func cloneRaw(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}
