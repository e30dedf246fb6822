package catalogue

import (
	"fmt"
	"strings"

	"github.com/metaacademy/ota/framework"

	"github.com/metaacademy/ota/asset"
)

// Defaults of [OverlapOptions].
const (
	// DefaultOverlapThreshold is the score from which a pair is reported.
	DefaultOverlapThreshold = 0.5
	// DefaultOverlapMinText is the similarity a pair needs at least in its
	// titles or in its keywords.
	DefaultOverlapMinText = 0.4
	// DefaultOverlapMaxBlock is how many entries at most may hold a
	// blocking key for it to be used.
	DefaultOverlapMaxBlock = 100
)

// OverlapWeights weigh the four similarities that make up an overlap
// score. Only their ratios matter. The zero value means the defaults:
// alignments 0.4, title 0.3, keywords 0.15, objectives 0.15.
type OverlapWeights struct {
	// Alignments weighs the weighted Jaccard similarity of the framework
	// nodes the two assets' trees are aligned to.
	Alignments float64
	// Title weighs the token Jaccard similarity of the titles.
	Title float64
	// Keywords weighs the Jaccard similarity of the keyword sets.
	Keywords float64
	// Objectives weighs the token Jaccard similarity of the objectives'
	// texts.
	Objectives float64
}

// OverlapOptions configure [Catalogue.Overlaps]. The zero value uses the
// defaults documented on each field.
type OverlapOptions struct {
	// Threshold is the score from which a pair is reported; 0 means
	// [DefaultOverlapThreshold].
	Threshold float64
	// MinText is the similarity that the titles or the keywords of a pair
	// must reach, so that two assets aligned to the same nodes but about
	// different things are not reported — sharing GSBPM 5.3 does not make
	// two courses the same. 0 means [DefaultOverlapMinText]; a negative
	// value disables the rule, and with it the filter that spares most
	// candidates their scoring.
	MinText float64
	// Weights weigh the similarities; the zero value means the defaults
	// of [OverlapWeights]. Negative weights count as 0.
	Weights OverlapWeights
	// Relations weigh alignments by relation: how much an asset that
	// teaches, assesses or requires a node counts as being about it. Nil
	// means teaches 1, assesses 0.8, requires 0.3; a relation missing from
	// a non-nil map weighs 0.
	Relations map[asset.AlignmentRelation]float64
	// MaxBlock is how many entries at most may hold a blocking key for it
	// to be used to find candidate pairs; 0 means
	// [DefaultOverlapMaxBlock]. It bounds the work per entry, which keeps
	// overlap detection near-linear in the catalogue's size; see
	// [Catalogue.Overlaps].
	MaxBlock int
	// Frameworks, when given, tell how deep each aligned node sits in its
	// framework, which sets how specific (and so how telling) sharing it
	// is. Without them the depth is read from the code's dots.
	Frameworks []*framework.Framework
	// IncludeLineage also reports pairs whose assets are linked by lineage
	// (one adapts, translates or versions the other, or both derive from
	// the same asset, or they share an ID) — reuse rather than duplicated
	// effort, so they are left out by default.
	IncludeLineage bool
	// Kinds, when not empty, limits the comparison to entries of these
	// kinds (courses only, say).
	Kinds []asset.Kind
	// Workers is how many goroutines compare candidates; 0 means
	// runtime.GOMAXPROCS. Small catalogues use one. The result does not
	// depend on it.
	Workers int
}

func (o *OverlapOptions) withDefaults() OverlapOptions {
	d := *o
	if d.Threshold == 0 {
		d.Threshold = DefaultOverlapThreshold
	}
	if d.MinText == 0 {
		d.MinText = DefaultOverlapMinText
	}
	w := &d.Weights
	w.Alignments, w.Title, w.Keywords, w.Objectives = max(w.Alignments, 0), max(w.Title, 0), max(w.Keywords, 0), max(w.Objectives, 0)
	if *w == (OverlapWeights{}) {
		*w = OverlapWeights{Alignments: 0.4, Title: 0.3, Keywords: 0.15, Objectives: 0.15}
	}
	if d.MaxBlock <= 0 {
		d.MaxBlock = DefaultOverlapMaxBlock
	}
	return d
}

func (o *OverlapOptions) relationWeight(r asset.AlignmentRelation) float64 {
	if o.Relations != nil {
		return max(o.Relations[r], 0)
	}
	switch r {
	case asset.Teaches:
		return 1
	case asset.Assesses:
		return 0.8
	case asset.Requires:
		return 0.3
	}
	return 0
}

// Overlap is a pair of assets from different publishers that likely cover
// the same ground, with the evidence for its score.
type Overlap struct {
	// A and B are the two entries, A first in catalogue order.
	A, B *Entry
	// Score is the weighted mean of the similarities that were compared
	// (see [Catalogue.Overlaps]), between 0 and 1.
	Score float64
	// Alignments is the evidence from the framework nodes.
	Alignments AlignmentEvidence
	// Title, Keywords and Objectives are the evidence from the texts.
	Title, Keywords, Objectives TextEvidence
	// Lineage is true when the two are linked by lineage; such pairs are
	// reported only with OverlapOptions.IncludeLineage.
	Lineage bool
}

// AlignmentEvidence is what two assets' alignments have in common.
type AlignmentEvidence struct {
	// Compared is true when both assets' trees have alignments; otherwise
	// the similarity takes no part in the score.
	Compared bool
	// Similarity is Σ min(wA, wB) / Σ max(wA, wB) over the nodes either
	// is aligned to, a node's weight being its specificity times the
	// weight of the relation (the largest over the asset's tree).
	Similarity float64
	// Shared are the nodes both are aligned to, sorted by framework and
	// code.
	Shared []SharedAlignment
}

// SharedAlignment is a framework node two assets are both aligned to.
type SharedAlignment struct {
	// Framework and Code name the node.
	Framework, Code string
	// VersionA and VersionB are the framework versions each asset's
	// alignment names; they may differ, as nodes are compared across
	// versions.
	VersionA, VersionB string
	// RelationA and RelationB are each asset's relation to the node.
	RelationA, RelationB asset.AlignmentRelation
	// Weight is what the node adds to the similarity's numerator: the
	// smaller of the two weights.
	Weight float64
}

// TextEvidence is what two assets' texts of one kind have in common.
type TextEvidence struct {
	// Compared is true when both assets have text of this kind; otherwise
	// the similarity takes no part in the score.
	Compared bool
	// Similarity is the Jaccard similarity of the two token (or keyword)
	// sets compared.
	Similarity float64
	// Language is the primary language subtag of the texts compared, for
	// titles and objectives, which are compared language by language and
	// the best language kept; empty when the two share no language and all
	// their tokens were compared together, and for keywords.
	Language string
	// Shared are the tokens (for keywords, the folded keywords) both have,
	// sorted.
	Shared []string
}

// String summarises the overlap on one line: the two locations and
// publishers, the score, and each similarity compared with what was shared.
func (o Overlap) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s) ~ %s (%s): %.2f", o.A.Location(), orUnknown(o.A.Publisher), o.B.Location(), orUnknown(o.B.Publisher), o.Score)
	if o.Alignments.Compared {
		codes := make([]string, len(o.Alignments.Shared))
		for i, s := range o.Alignments.Shared {
			codes[i] = s.Framework + " " + s.Code
		}
		fmt.Fprintf(&b, "; alignments %.2f [%s]", o.Alignments.Similarity, strings.Join(codes, ", "))
	}
	for _, t := range []struct {
		name string
		ev   TextEvidence
	}{{"title", o.Title}, {"keywords", o.Keywords}, {"objectives", o.Objectives}} {
		if t.ev.Compared {
			fmt.Fprintf(&b, "; %s %.2f [%s]", t.name, t.ev.Similarity, strings.Join(t.ev.Shared, ", "))
		}
	}
	if o.Lineage {
		b.WriteString("; related by lineage")
	}
	return b.String()
}

// Overlaps finds pairs of entries from different publishers that likely
// cover the same ground, sorted by descending score, then by the catalogue
// order of A and of B.
//
// Four similarities are measured: of the framework nodes the two trees are
// aligned to — the asset's own alignments, its objectives' and its parts',
// since a course covers what its modules cover — (a weighted Jaccard, each
// node weighed by how specific it is and by the relation; see
// OverlapOptions.Frameworks and Relations), of
// the titles (the Jaccard similarity of their token sets after folding case
// and accents and removing stop words, in the best language the two share),
// of the keywords (Jaccard of the folded keywords) and of the objectives'
// texts (as titles). The score is their weighted mean over the
// similarities both assets can be compared on — an asset without keywords
// is not penalised for it. A pair is reported when its score reaches
// OverlapOptions.Threshold and its title or keyword similarity reaches
// MinText. Entries of the same tree are never paired, nor, unless
// IncludeLineage is set, entries linked by lineage.
//
// Not every pair is compared. Candidate pairs are those that share a
// blocking key: a title token, a keyword or an aligned node held by at most
// MaxBlock entries, or, when both a token and a node are held by more, the
// combination of the node and the title token. Keys held by too many
// entries say little and would make the work quadratic; with the cap each
// entry meets at most a bounded number of others per key, so the work
// grows linearly with the catalogue. The price is that two assets whose
// only common ground is words and nodes shared by more than MaxBlock
// entries each, in every combination, are not compared. Candidates whose
// titles and keywords share too few tokens to reach MinText are then
// dropped by counting, before any similarity is computed.
func (c *Catalogue) Overlaps(opts OverlapOptions) []Overlap {
	o := opts.withDefaults()
	c.readLock()
	defer c.mu.RUnlock()
	d := newDetector(c, &o)
	return d.run()
}
