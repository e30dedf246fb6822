package scorm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/imported"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// masteryOf returns the mastery score, in [0, 1], another importer (cmi5)
// recorded for an asset made outside SCORM.
func masteryOf(x *asset.Asset) (float64, bool) {
	ms, ok, _ := imported.MasteryScore(x) // an invalid one is not used
	return ms, ok
}

// itemElements sets the ADL item elements and sequencing of it for the
// target version, from the source package's (converted where SCORM
// changed them) or from the asset.
func (b *builder) itemElements(it *Item, ie *itemExt, x *asset.Asset, ptr string, aggregate bool) {
	if ie == nil {
		b.generated(it, x, aggregate)
		return
	}
	it.TimeLimitAction = ie.TimeLimitAction
	it.DataFromLMS = ie.DataFromLMS
	if !b.v.Is2004() {
		it.Prerequisites, it.PrerequisitesType = ie.Prerequisites, ie.PrerequisitesType
		it.MaxTimeAllowed = ie.MaxTimeAllowed
		it.MasteryScore = ie.MasteryScore
		if it.MasteryScore == "" {
			if s := ReadSequencing(nil, ie.Sequencing); s != nil && s.SatisfiedByMeasure && s.MinNormalizedMeasure != nil && *s.MinNormalizedMeasure >= 0 {
				it.MasteryScore = percent(*s.MinNormalizedMeasure)
			}
		}
		if it.MaxTimeAllowed == "" {
			it.MaxTimeAllowed = cmiTimespan(attemptLimit(ie.Sequencing))
		}
		for _, e := range []struct {
			code, name string
			n          *xmlnode.Node
		}{
			{"scorm.lost.sequencing", "sequencing", ie.Sequencing},
			{"scorm.lost.completion-threshold", "completion threshold", ie.CompletionThreshold},
			{"scorm.lost.shared-data", "shared data map", ie.Data},
			{"scorm.lost.presentation", "presentation", ie.Presentation},
		} {
			if e.n != nil {
				b.loss(e.code, ptr+"/extensions", x.ID, "item "+it.Identifier+" "+e.name, "SCORM 1.2 has no such element")
			}
		}
		return
	}
	if ie.Prerequisites != "" {
		b.loss("scorm.lost.prerequisites", ptr+"/extensions", x.ID, "item "+it.Identifier+" prerequisites", "SCORM 2004 replaced prerequisites scripts by sequencing rules, which are not made up here")
	}
	it.CompletionThreshold = b.completionThreshold(ie.CompletionThreshold, it.Identifier, ptr, x.ID)
	if ie.Data != nil {
		if b.v == Version2004Ed4 {
			it.Data = ie.Data
		} else {
			b.loss("scorm.lost.shared-data", ptr+"/extensions", x.ID, "item "+it.Identifier+" shared data map", "adlcp:data is new in SCORM 2004 4th Edition")
		}
	}
	it.Sequencing = b.sequencing(ie.Sequencing, ptr+"/extensions", x.ID)
	it.Presentation = ie.Presentation
	if it.Sequencing == nil && !b.src2004() {
		var kids []*xmlnode.Node
		if aggregate {
			kids = append(kids, flowSequencing().Children...)
		}
		if d := timespanDuration(ie.MaxTimeAllowed); d != "" {
			kids = append(kids, &xmlnode.Node{Space: NSIMSSS, Local: "limitConditions", Attrs: []xmlnode.Attr{{Local: "attemptAbsoluteDurationLimit", Value: d}}})
		}
		if ms, err := strconv.ParseFloat(strings.TrimSpace(ie.MasteryScore), 64); err == nil && ms >= 0 && ms <= 100 {
			kids = append(kids, objectivesNode(nil, &ms))
		}
		if len(kids) > 0 {
			it.Sequencing = &xmlnode.Node{Space: NSIMSSS, Local: "sequencing", Children: kids}
		}
	}
}

// generated sets the item elements of an asset made outside SCORM: flow
// navigation for aggregations; in 2004 the objectives and a mastery score
// as the primary objective's minimum measure, in 1.2 the masteryscore.
func (b *builder) generated(it *Item, x *asset.Asset, aggregate bool) {
	ms, hasMS := masteryOf(x)
	if !b.v.Is2004() {
		if hasMS && !aggregate {
			it.MasteryScore = percent(ms)
		}
		return
	}
	var kids []*xmlnode.Node
	if aggregate {
		kids = append(kids, flowSequencing().Children...)
	} else if len(x.Objectives) > 0 || hasMS {
		var pct *float64
		if hasMS {
			v := ms * 100
			pct = &v
		}
		kids = append(kids, objectivesNode(x.Objectives, pct))
	}
	if len(kids) > 0 {
		it.Sequencing = &xmlnode.Node{Space: NSIMSSS, Local: "sequencing", Children: kids}
	}
}

// objectivesNode builds imsss:objectives: the first objective (or an
// unnamed one) is primary, satisfied by measure when a mastery score (0–
// 100) is given.
func objectivesNode(objs []asset.Objective, masteryPct *float64) *xmlnode.Node {
	primary := &xmlnode.Node{Space: NSIMSSS, Local: "primaryObjective"}
	if len(objs) > 0 {
		primary.Attrs = append(primary.Attrs, xmlnode.Attr{Local: "objectiveID", Value: objs[0].ID})
	}
	if masteryPct != nil {
		primary.Attrs = append(primary.Attrs, xmlnode.Attr{Local: "satisfiedByMeasure", Value: "true"})
		primary.Children = []*xmlnode.Node{{Space: NSIMSSS, Local: "minNormalizedMeasure", Text: strconv.FormatFloat(*masteryPct/100, 'f', -1, 64)}}
	}
	n := &xmlnode.Node{Space: NSIMSSS, Local: "objectives", Children: []*xmlnode.Node{primary}}
	for _, o := range objs[min(1, len(objs)):] {
		n.Children = append(n.Children, &xmlnode.Node{Space: NSIMSSS, Local: "objective", Attrs: []xmlnode.Attr{{Local: "objectiveID", Value: o.ID}}})
	}
	return n
}

// sequencing returns a kept imsss:sequencing tree for the target edition:
// unchanged for 4th edition; for 3rd edition without the 4th edition's
// additions (adlseq:objectives), each reported as a loss.
func (b *builder) sequencing(n *xmlnode.Node, ptr, id string) *xmlnode.Node {
	if n == nil || b.v != Version2004Ed3 {
		return n
	}
	return b.strip(n, ptr, id)
}

// strip copies n without the elements SCORM 2004 3rd Edition lacks.
func (b *builder) strip(n *xmlnode.Node, ptr, id string) *xmlnode.Node {
	c := *n
	c.Children = nil
	for _, ch := range n.Children {
		if ch.Space == NSADLSeq && ch.Local == "objectives" {
			b.loss("scorm.lost.objective-maps", ptr, id, "adlseq:objectives (extended objective maps)", "new in SCORM 2004 4th Edition")
			continue
		}
		c.Children = append(c.Children, b.strip(ch, ptr, id))
	}
	return &c
}

// completionThreshold converts adlcp:completionThreshold between the 3rd
// edition form (the minimum progress measure as text) and the 4th
// (attributes).
func (b *builder) completionThreshold(n *xmlnode.Node, id, ptr, assetID string) *xmlnode.Node {
	if n == nil {
		return nil
	}
	_, hasMeasure := n.Attr("", "completedByMeasure")
	_, hasMin := n.Attr("", "minProgressMeasure")
	_, hasWeight := n.Attr("", "progressWeight")
	ed4 := hasMeasure || hasMin || hasWeight
	switch {
	case b.v == Version2004Ed4 && !ed4 && n.Text != "":
		return &xmlnode.Node{Space: NSADLCP2004, Local: "completionThreshold", Attrs: []xmlnode.Attr{{Local: "completedByMeasure", Value: "true"}, {Local: "minProgressMeasure", Value: n.Text}}}
	case b.v == Version2004Ed3 && ed4:
		by, _ := n.Attr("", "completedByMeasure")
		if hasWeight {
			b.loss("scorm.lost.progress-weight", ptr, assetID, "item "+id+" completionThreshold progressWeight", "new in SCORM 2004 4th Edition")
		}
		if by != "true" && by != "1" {
			b.loss("scorm.lost.completion-threshold", ptr, assetID, "item "+id+" completionThreshold", "not completed by measure, which 3rd Edition cannot say")
			return nil
		}
		v, ok := n.Attr("", "minProgressMeasure")
		if !ok {
			v = "1.0"
		}
		return &xmlnode.Node{Space: NSADLCP2004, Local: "completionThreshold", Text: v}
	}
	return n
}

// attemptLimit returns the attemptAbsoluteDurationLimit of a sequencing
// tree, or "".
func attemptLimit(seq *xmlnode.Node) string {
	if seq == nil {
		return ""
	}
	if lc := seq.Child(NSIMSSS, "limitConditions"); lc != nil {
		v, _ := lc.Attr("", "attemptAbsoluteDurationLimit")
		return v
	}
	return ""
}

// cmiTimespan turns an ISO 8601 duration into SCORM 1.2's
// HHHH:MM:SS.SS; "" when it is empty or has years or months.
func cmiTimespan(iso string) string {
	if iso == "" {
		return ""
	}
	d, err := asset.ParseDuration(iso)
	if err != nil {
		return ""
	}
	if d.Years != 0 || d.Months != 0 {
		return ""
	}
	s := d.Approx().Seconds()
	h := int(s) / 3600
	m := int(s) % 3600 / 60
	rest := s - float64(h*3600+m*60)
	return fmt.Sprintf("%02d:%02d:%05.2f", h, m, rest)
}

// timespanDuration turns SCORM 1.2's HHHH:MM:SS.SS into an ISO 8601
// duration; "" when it does not parse.
func timespanDuration(ts string) string {
	parts := strings.Split(strings.TrimSpace(ts), ":")
	if len(parts) != 3 {
		return ""
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	s, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || m < 0 || m > 59 || s < 0 || s >= 60 {
		return ""
	}
	return fmt.Sprintf("PT%dH%dM%sS", h, m, strconv.FormatFloat(s, 'f', -1, 64))
}

// prerequisites writes the assets' prerequisites as SCORM 1.2
// prerequisite scripts on items made here ("a&b": all of them). SCORM
// 2004 has no such element; there the flow order stands for them.
func (b *builder) prerequisites(root *asset.Asset, o *Organization) {
	byID := map[string]*Item{}
	o.Walk(func(it *Item) { byID[it.Identifier] = it })
	for ptr, x := range root.All() {
		if len(x.Prerequisites) == 0 || itemExtOf(x) != nil {
			continue
		}
		id, ok := b.itemIDs[x.ID]
		if !ok {
			continue
		}
		if b.v.Is2004() {
			b.loss("scorm.lost.prerequisites", ptr+"/prerequisites", x.ID, "prerequisites", "SCORM 2004 expresses them only as sequencing rules, which are not made up here; the flow order remains")
			continue
		}
		var refs []string
		for _, p := range x.Prerequisites {
			if ref, ok := b.itemIDs[p]; ok {
				refs = append(refs, ref)
			}
		}
		if it := byID[id]; it != nil && len(refs) > 0 {
			it.Prerequisites, it.PrerequisitesType = strings.Join(refs, "&"), "aicc_script"
		}
	}
}
