package curriculum

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/metaacademy/ota/asset"
)

// Duration returns how long the whole pathway takes, optional steps
// included: the sum of the steps' durations, normalised (see
// [asset.Duration.Normalize]). Steps whose asset is unknown or states no
// duration add nothing.
func (pl *Plan) Duration() asset.Duration { return pl.sum(false) }

// RequiredDuration returns how long the required steps take.
func (pl *Plan) RequiredDuration() asset.Duration { return pl.sum(true) }

func (pl *Plan) sum(requiredOnly bool) asset.Duration {
	var d asset.Duration
	for _, s := range pl.Steps {
		if !requiredOnly || s.Required {
			d = d.Add(s.Duration)
		}
	}
	return d.Normalize()
}

// CoveredNode is a framework node a pathway teaches or assesses.
type CoveredNode struct {
	// Framework is the node's framework, as the alignments name it.
	Framework string
	// Code is the node's code.
	Code string
	// Versions are the framework versions the alignments give, sorted;
	// empty when none gives one.
	Versions []string
	// Level is the highest level any alignment to the node gives, empty
	// when none gives one; see [Plan.Covers] for how levels are ranked.
	Level string
	// Relations are how the steps relate to the node: teaches, assesses
	// or both, in that order.
	Relations []asset.AlignmentRelation
	// Steps are the indexes of the steps that cover the node, ascending.
	Steps []int
	// Required is true when at least one required step covers the node.
	Required bool
}

// Covers returns the framework nodes the pathway teaches or assesses: the
// union of the alignments with relation teaches or assesses (or none) of
// every asset of every step's tree and of their objectives, one
// CoveredNode per framework and code whatever the version, sorted by
// framework and then by code, numerically for dotted numbers ("5.2" before
// "5.10").
//
// Each node's Level is the highest level the alignments give. Levels are
// ranked by the scales of the matching framework among frameworks (one
// whose Key or ID equals the alignment's framework, the same version
// preferred); a level no such scale knows is ranked as a number when it is
// one ("4"), else as basic < intermediate < advanced < expert, else below
// all of these. Equal ranks keep the level seen first.
func (pl *Plan) Covers(frameworks ...*framework.Framework) []CoveredNode {
	byKey := make(map[string]*CoveredNode)
	ranks := make(map[string]int)
	var keys []string
	for i, s := range pl.Steps {
		if s.Asset == nil {
			continue
		}
		for _, x := range s.Asset.All() {
			fwkit.EachAlignment(x, func(al asset.Alignment) {
				rel := fwkit.RelationOf(al)
				if rel != asset.Teaches && rel != asset.Assesses {
					return
				}
				k := fwkit.NodeKey(al.Framework, al.Code)
				n := byKey[k]
				if n == nil {
					n = &CoveredNode{Framework: strings.TrimSpace(al.Framework), Code: strings.TrimSpace(al.Code)}
					byKey[k] = n
					ranks[k] = -1
					keys = append(keys, k)
				}
				if al.Version != "" && !slices.Contains(n.Versions, al.Version) {
					n.Versions = append(n.Versions, al.Version)
				}
				if al.Level != "" {
					if r := levelRank(frameworks, al); r > ranks[k] {
						ranks[k], n.Level = r, al.Level
					}
				}
				if !slices.Contains(n.Relations, rel) {
					n.Relations = append(n.Relations, rel)
				}
				if len(n.Steps) == 0 || n.Steps[len(n.Steps)-1] != i {
					n.Steps = append(n.Steps, i)
				}
				n.Required = n.Required || s.Required
			})
		}
	}
	out := make([]CoveredNode, 0, len(keys))
	for _, k := range keys {
		n := byKey[k]
		slices.Sort(n.Versions)
		slices.SortFunc(n.Relations, func(a, b asset.AlignmentRelation) int {
			return cmp.Compare(relationRank(a), relationRank(b))
		})
		out = append(out, *n)
	}
	slices.SortFunc(out, func(a, b CoveredNode) int {
		return cmp.Or(cmp.Compare(a.Framework, b.Framework), fwkit.CompareCodes(a.Code, b.Code))
	})
	return out
}

func relationRank(r asset.AlignmentRelation) int {
	switch r {
	case asset.Teaches:
		return 0
	case asset.Assesses:
		return 1
	}
	return 2
}

// levelRank ranks an alignment's level as [Plan.Covers] describes; 0 when
// it cannot be ranked.
func levelRank(frameworks []*framework.Framework, al asset.Alignment) int {
	if f := framework.Match(frameworks, al.Framework, al.Version); f != nil {
		for i := range f.Scales {
			if l := f.Scales[i].Level(al.Level); l != nil {
				return l.Rank
			}
		}
	}
	if n, err := strconv.Atoi(al.Level); err == nil && n > 0 {
		return n
	}
	switch asset.Level(strings.ToLower(al.Level)) {
	case asset.LevelBasic:
		return 1
	case asset.LevelIntermediate:
		return 2
	case asset.LevelAdvanced:
		return 3
	case asset.LevelExpert:
		return 4
	}
	return 0
}

// EntryRequirements returns what a learner must have before starting: the
// pathway's declared requirements, then those its assets imply.
//
// Implied assets are the prerequisites outside the pathway (Plan.Outside),
// in step order. Implied alignments are the alignments with relation
// requires, of any asset of any step's tree or of their objectives, to a
// node that no required step placed earlier in [Plan.Order] teaches or
// assesses (an optional step may be skipped, so it satisfies nothing). With
// a prerequisite cycle, the pathway's own order is used instead. Each asset
// and each node (framework and code) is listed once, the first occurrence
// winning.
func (pl *Plan) EntryRequirements() EntryRequirements {
	p := pl.Pathway
	var out EntryRequirements
	haveAsset := make(map[string]bool)
	for _, id := range p.EntryRequirements.Assets {
		if !haveAsset[id] {
			haveAsset[id] = true
			out.Assets = append(out.Assets, id)
		}
	}
	for _, o := range pl.Outside {
		if !haveAsset[o.Requires] {
			haveAsset[o.Requires] = true
			out.Assets = append(out.Assets, o.Requires)
		}
	}
	haveNode := make(map[string]bool)
	for _, al := range p.EntryRequirements.Alignments {
		if k := fwkit.NodeKey(al.Framework, al.Code); !haveNode[k] {
			haveNode[k] = true
			out.Alignments = append(out.Alignments, al)
		}
	}
	order := pl.order
	if order == nil {
		order = make([]int, len(pl.Steps))
		for i := range order {
			order[i] = i
		}
	}
	taught := make(map[string]bool)
	for _, i := range order {
		s := pl.Steps[i]
		if s.Asset == nil {
			continue
		}
		var teaches []string
		for _, x := range s.Asset.All() {
			fwkit.EachAlignment(x, func(al asset.Alignment) {
				k := fwkit.NodeKey(al.Framework, al.Code)
				switch fwkit.RelationOf(al) {
				case asset.Requires:
					if !taught[k] && !haveNode[k] {
						haveNode[k] = true
						out.Alignments = append(out.Alignments, al)
					}
				case asset.Teaches, asset.Assesses:
					teaches = append(teaches, k)
				}
			})
		}
		if s.Required {
			for _, k := range teaches {
				taught[k] = true
			}
		}
	}
	return out
}
