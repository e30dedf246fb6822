package scorm

import (
	"strconv"
	"strings"

	"github.com/metaacademy/ota/packaging/xmlnode"
)

// SequencingInfo is a typed view of the most used parts of an
// imsss:sequencing element. The element itself stays on the [Item] or
// [Organization] as a [xmlnode.Node]; this view is for reading, not for writing
// back.
type SequencingInfo struct {
	// ControlMode holds the controlMode attributes as written (choice,
	// choiceExit, flow, forwardOnly, useCurrentAttempt…); absent ones take
	// their defaults in an LMS (choice and choiceExit true, the others
	// false).
	ControlMode map[string]bool
	// DeliveryControls holds the deliveryControls attributes (tracked,
	// completionSetByContent, objectiveSetByContent).
	DeliveryControls map[string]bool
	// Objectives are the objective IDs, the primary objective first (""
	// when it has no objectiveID).
	Objectives []string
	// HasPrimaryObjective is true when imsss:primaryObjective is present.
	HasPrimaryObjective bool
	// SatisfiedByMeasure is primaryObjective/@satisfiedByMeasure.
	SatisfiedByMeasure bool
	// MinNormalizedMeasure is primaryObjective/minNormalizedMeasure, the
	// SCORM 2004 mastery score in [-1, 1]; nil when absent.
	MinNormalizedMeasure *float64
	// PreConditionRules, ExitConditionRules and PostConditionRules count
	// the sequencing rules of each kind.
	PreConditionRules, ExitConditionRules, PostConditionRules int
	// RollupRules holds the rollupRules attributes
	// (rollupObjectiveSatisfied, rollupProgressCompletion,
	// objectiveMeasureWeight).
	RollupRules map[string]string
	// RollupRuleCount counts the rollupRule children of rollupRules.
	RollupRuleCount int
	// GlobalObjectives are the targetObjectiveIDs of imsss:mapInfo and
	// adlseq:mapInfo elements.
	GlobalObjectives []string
}

// SequencingInfo returns the typed view of the sequencing that applies to
// it, the shared collection entry (IDRef) merged under the item's own
// elements, or nil when the item has no sequencing.
func (p *Package) SequencingInfo(it *Item) *SequencingInfo {
	shared, own := p.SequencingOf(it)
	return ReadSequencing(shared, own)
}

// ReadSequencing builds the typed view of own, an imsss:sequencing element,
// with the children of shared (its sequencingCollection entry, or nil)
// that own does not override. It returns nil when own is nil.
func ReadSequencing(shared, own *xmlnode.Node) *SequencingInfo {
	if own == nil {
		return nil
	}
	children := append([]*xmlnode.Node(nil), own.Children...)
	if shared != nil {
		overridden := make(map[[2]string]bool, len(own.Children))
		for _, c := range own.Children {
			overridden[[2]string{c.Space, c.Local}] = true
		}
		for _, c := range shared.Children {
			if !overridden[[2]string{c.Space, c.Local}] {
				children = append(children, c)
			}
		}
	}
	s := &SequencingInfo{}
	for _, c := range children {
		switch {
		case c.Space == NSIMSSS && c.Local == "controlMode":
			s.ControlMode = boolAttrs(c)
		case c.Space == NSIMSSS && c.Local == "deliveryControls":
			s.DeliveryControls = boolAttrs(c)
		case c.Space == NSIMSSS && c.Local == "sequencingRules":
			for _, r := range c.Children {
				switch r.Local {
				case "preConditionRule":
					s.PreConditionRules++
				case "exitConditionRule":
					s.ExitConditionRules++
				case "postConditionRule":
					s.PostConditionRules++
				}
			}
		case c.Space == NSIMSSS && c.Local == "rollupRules":
			s.RollupRules = map[string]string{}
			for _, a := range c.Attrs {
				s.RollupRules[a.Local] = a.Value
			}
			s.RollupRuleCount = len(c.Children)
		case c.Space == NSIMSSS && c.Local == "objectives":
			s.objectives(c)
		case c.Space == NSADLSeq && c.Local == "objectives":
			for _, o := range c.Children {
				s.mapInfo(o)
			}
		}
	}
	return s
}

func (s *SequencingInfo) objectives(n *xmlnode.Node) {
	for _, o := range n.Children {
		id, _ := o.Attr("", "objectiveID")
		switch o.Local {
		case "primaryObjective":
			s.HasPrimaryObjective = true
			s.Objectives = append([]string{id}, s.Objectives...)
			v, _ := o.Attr("", "satisfiedByMeasure")
			s.SatisfiedByMeasure, _ = parseBool(v)
			if m := o.Child(NSIMSSS, "minNormalizedMeasure"); m != nil {
				if f, err := strconv.ParseFloat(strings.TrimSpace(m.Text), 64); err == nil {
					s.MinNormalizedMeasure = &f
				}
			}
		case "objective":
			s.Objectives = append(s.Objectives, id)
		}
		s.mapInfo(o)
	}
}

// mapInfo collects the global objective targets of an objective.
func (s *SequencingInfo) mapInfo(o *xmlnode.Node) {
	for _, m := range o.Children {
		if m.Local == "mapInfo" {
			if t, ok := m.Attr("", "targetObjectiveID"); ok {
				s.GlobalObjectives = append(s.GlobalObjectives, t)
			}
		}
	}
}

func boolAttrs(n *xmlnode.Node) map[string]bool {
	out := map[string]bool{}
	for _, a := range n.Attrs {
		if b, ok := parseBool(a.Value); ok {
			out[a.Local] = b
		}
	}
	return out
}
