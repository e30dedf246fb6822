package mapping

import (
	"cmp"
	"slices"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// Entry is one asset tree of a catalogue, with the publisher it came from
// (an NSO's name or IRI; empty when unknown).
type Entry struct {
	Asset     *asset.Asset
	Publisher string
}

// CoverageOptions configure [NewCoverage] and [NewCoverageBuilder]. The
// zero value counts alignments, and treats teaches and assesses as covering
// a node.
type CoverageOptions struct {
	// Weighted weighs each alignment by the duration of the asset that
	// carries it, in hours (asset.Duration.Approx, totalled over parts as
	// Asset.TotalDuration does), instead of counting it as 1. Assets with
	// no duration then weigh nothing, though they still count in
	// NodeCoverage.Assets.
	Weighted bool
	// Covering lists the relations through which an asset covers a node,
	// for NodeCoverage.Assets, gaps and publisher coverage. Nil means
	// teaches and assesses: a course that requires a skill does not offer
	// training in it. The three relations are always tallied apart in
	// Counts whatever Covering says.
	Covering []asset.AlignmentRelation
	// Versions lists further framework versions whose alignments count
	// as alignments to the framework's own version, because their codes
	// mean the same (see [Registry.SharedCodes]). Alignments that state no
	// version always count.
	Versions []string
	// Totals leaves the node × asset matrix out: Coverage.Assets and
	// Coverage.Cells stay empty (Cell and Row find nothing), so memory is
	// bounded by the framework and the number of publishers, not by the
	// number of assets. Node counts, gaps, publisher coverage and
	// [Coverage.AssetCount] are the same as without it.
	Totals bool
}

// Counts tallies alignments to a node by relation. Values are numbers of
// alignments, or hours when the coverage is weighted.
type Counts struct {
	Teaches  float64 `json:"teaches"`
	Assesses float64 `json:"assesses"`
	Requires float64 `json:"requires"`
}

// Sum returns Teaches + Assesses + Requires.
func (c Counts) Sum() float64 { return c.Teaches + c.Assesses + c.Requires }

func (c *Counts) add(o Counts) {
	c.Teaches += o.Teaches
	c.Assesses += o.Assesses
	c.Requires += o.Requires
}

func (c *Counts) addRel(rel asset.AlignmentRelation, w float64) {
	switch rel {
	case asset.Assesses:
		c.Assesses += w
	case asset.Requires:
		c.Requires += w
	default:
		c.Teaches += w
	}
}

// NodeCoverage is the coverage of one framework node.
type NodeCoverage struct {
	// Code, Name, Kind and Parent describe the node; Name is in the
	// framework's language.
	Code   string             `json:"code"`
	Name   string             `json:"name"`
	Kind   framework.NodeKind `json:"kind"`
	Parent string             `json:"parent,omitempty"`
	// Depth is 0 for top-level nodes, 1 for their children and so on.
	Depth int `json:"depth"`
	// Leaf is true for nodes without children.
	Leaf bool `json:"leaf"`
	// Unofficial and Unconfirmed copy the node's flags: its code is
	// OTA's, or its name could not be confirmed against the publisher's
	// text.
	Unofficial  bool `json:"unofficial,omitempty"`
	Unconfirmed bool `json:"unconfirmed,omitempty"`
	// Direct tallies the alignments that name this node.
	Direct Counts `json:"direct"`
	// Total tallies the alignments that name this node or any node below
	// it: a sub-process alignment counts for its phase.
	Total Counts `json:"total"`
	// DirectAssets is the number of assets (entries) that cover this node
	// itself through a covering relation.
	DirectAssets int `json:"directAssets"`
	// Assets is the number of assets that cover this node or any node
	// below it; an asset aligned to two sub-processes of a phase counts
	// once for the phase.
	Assets int `json:"assets"`
}

// Gap reports whether no asset covers the node or any node below it.
func (n *NodeCoverage) Gap() bool { return n.Assets == 0 }

// AssetCoverage describes one column of the matrix: one entry.
type AssetCoverage struct {
	// ID is the asset's ID.
	ID string `json:"id"`
	// Title is the asset's title in English, or the best substitute.
	Title string `json:"title,omitempty"`
	// Publisher is the entry's publisher.
	Publisher string `json:"publisher,omitempty"`
	// Hours is the asset's total duration in hours.
	Hours float64 `json:"hours"`
	// Alignments is the number of alignments of the tree that count
	// toward this coverage.
	Alignments int `json:"alignments"`
}

// Cell is one non-empty cell of the node × asset matrix: the alignments of
// one asset tree that name one node directly.
type Cell struct {
	// Node indexes Coverage.Nodes, Asset indexes Coverage.Assets.
	Node  int `json:"node"`
	Asset int `json:"asset"`
	Counts
}

// Gaps lists the nodes no asset covers, by code, in hierarchy order.
type Gaps struct {
	// Leaves are uncovered nodes without children (GSBPM sub-processes and
	// overarching processes).
	Leaves []string `json:"leaves"`
	// Parents are uncovered nodes with children, none of which is
	// covered either.
	Parents []string `json:"parents"`
}

// PublisherCoverage is how much of a framework one publisher's assets
// cover.
type PublisherCoverage struct {
	// Publisher is the publisher's name as the entries give it.
	Publisher string `json:"publisher"`
	// Assets is the number of the publisher's entries.
	Assets int `json:"assets"`
	// Covered lists the codes of the leaf nodes the publisher's assets
	// cover, in hierarchy order.
	Covered []string `json:"covered"`
	// Leaves is the number of leaf nodes of the framework.
	Leaves int `json:"leaves"`
	// Fraction is len(Covered) / Leaves.
	Fraction float64 `json:"fraction"`
}

// Coverage is what a set of assets covers of a framework: a sparse matrix of
// nodes × assets holding the alignments of each asset tree to each node,
// teaches, assesses and requires tallied apart; per-node totals rolled up
// the hierarchy; the gaps; and per-publisher coverage of leaf nodes. A
// coverage computed with CoverageOptions.Totals holds all but the matrix.
type Coverage struct {
	// Framework is the framework covered.
	Framework *framework.Framework `json:"-"`
	// Weighted is true when Counts hold hours rather than alignments.
	Weighted bool `json:"weighted"`
	// Covering lists the relations that count as covering a node.
	Covering []asset.AlignmentRelation `json:"covering"`
	// Nodes are the framework's nodes in hierarchy order: depth first,
	// each node before its children.
	Nodes []NodeCoverage `json:"nodes"`
	// Assets are the entries, in the order given (nil assets left out);
	// empty when the coverage was computed with CoverageOptions.Totals
	// ([Coverage.AssetCount] counts the entries either way).
	Assets []AssetCoverage `json:"assets"`
	// Cells are the non-empty cells of the matrix, ordered by asset and
	// then by node; empty with CoverageOptions.Totals.
	Cells []Cell `json:"cells"`
	// Gaps are the nodes no asset covers.
	Gaps Gaps `json:"gaps"`
	// Publishers is the coverage of each publisher, ordered by name.
	Publishers []PublisherCoverage `json:"publishers"`
	// Leaves is the number of leaf nodes; LeavesCovered how many of them
	// some asset covers.
	Leaves        int `json:"leaves"`
	LeavesCovered int `json:"leavesCovered"`
	// Unresolved counts the alignments to this framework whose code is not
	// one of its nodes; they are not in the matrix. [Registry.CheckAlignments]
	// says which they are.
	Unresolved int `json:"unresolved"`

	rowStart []int          // per asset, first index in Cells; len(Assets)+1, or nil with Totals
	byCode   map[string]int // code → index in Nodes
	nAssets  int            // entries counted (non-nil assets)
}

// AssetCount returns the number of entries counted (those with a non-nil
// asset), whether or not the coverage holds the matrix: it equals
// len(c.Assets) unless the coverage was computed with CoverageOptions.Totals.
func (c *Coverage) AssetCount() int { return c.nAssets }

// NodeIndex returns the index in Nodes of the node whose code is code, or
// -1.
func (c *Coverage) NodeIndex(code string) int {
	if i, ok := c.byCode[code]; ok {
		return i
	}
	return -1
}

// Cell returns the direct counts of asset a for node n (indexes into Nodes
// and Assets): the alignments of a's tree that name n itself.
func (c *Coverage) Cell(n, a int) Counts {
	if a < 0 || a+1 >= len(c.rowStart) {
		return Counts{}
	}
	row := c.Cells[c.rowStart[a]:c.rowStart[a+1]]
	if i, ok := slices.BinarySearchFunc(row, n, func(x Cell, n int) int { return cmp.Compare(x.Node, n) }); ok {
		return row[i].Counts
	}
	return Counts{}
}

// Row returns the non-empty cells of asset a, ordered by node.
func (c *Coverage) Row(a int) []Cell {
	if a < 0 || a+1 >= len(c.rowStart) {
		return nil
	}
	return c.Cells[c.rowStart[a]:c.rowStart[a+1]]
}

// Fraction returns the share of leaf nodes covered, from 0 to 1.
func (c *Coverage) Fraction() float64 {
	if c.Leaves == 0 {
		return 0
	}
	return float64(c.LeavesCovered) / float64(c.Leaves)
}
