package mapping

import (
	"cmp"
	"fmt"
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

// CoverageOptions configure [NewCoverage]. The zero value counts
// alignments, and treats teaches and assesses as covering a node.
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
// the hierarchy; the gaps; and per-publisher coverage of leaf nodes.
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
	// Assets are the entries, in the order given (nil assets left out).
	Assets []AssetCoverage `json:"assets"`
	// Cells are the non-empty cells of the matrix, ordered by asset and
	// then by node.
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

	rowStart []int          // per asset, first index in Cells; len(Assets)+1
	byCode   map[string]int // code → index in Nodes
}

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

// Coverage computes the coverage of the framework registered under key in
// the given version (the newest when empty) by entries. Alignments to other
// registered versions whose codes are shared ([Registry.SharedCodes]) count
// as alignments to this one, in addition to opts.Versions.
func (r *Registry) Coverage(key, version string, entries []Entry, opts CoverageOptions) (*Coverage, error) {
	fw, ok := r.Lookup(key, version)
	if !ok {
		if vs := r.Versions(key); len(vs) > 0 {
			return nil, fmt.Errorf("%w: %q has no version %q (known: %v)", ErrUnknownVersion, key, version, vs)
		}
		return nil, fmt.Errorf("%w %q", ErrUnknownFramework, key)
	}
	if r.SharedCodes(key) {
		opts.Versions = append(slices.Clip(opts.Versions), r.Versions(key)...)
	}
	return NewCoverage(fw, entries, opts), nil
}

// NewCoverage computes the coverage of fw by entries. An alignment counts
// when it names fw by its Key or its ID, states fw's version, no version or
// one of opts.Versions, and its code is a node of fw; alignments of every
// asset of a tree (and of their objectives) count for the tree's entry. The
// work is linear in the number of assets and alignments.
func NewCoverage(fw *framework.Framework, entries []Entry, opts CoverageOptions) *Coverage {
	c := &Coverage{
		Framework: fw, Weighted: opts.Weighted, Covering: opts.Covering,
		// Most catalogue entries touch a few nodes; room for two cells each
		// saves most of the copying as Cells grows.
		Assets: make([]AssetCoverage, 0, len(entries)), Cells: make([]Cell, 0, 2*len(entries)),
	}
	if c.Covering == nil {
		c.Covering = []asset.AlignmentRelation{asset.Teaches, asset.Assesses}
	}
	covers := func(rel asset.AlignmentRelation) bool {
		if rel == "" {
			rel = asset.Teaches
		}
		return slices.Contains(c.Covering, rel)
	}

	// Nodes in hierarchy order, with parent indexes.
	idx := fw.Index()
	c.byCode = make(map[string]int, len(fw.Nodes))
	for depth, n := range idx.Walk() {
		if _, dup := c.byCode[n.Code]; dup {
			continue
		}
		c.byCode[n.Code] = len(c.Nodes)
		c.Nodes = append(c.Nodes, NodeCoverage{
			Code: n.Code, Name: nodeName(fw, n), Kind: n.Kind, Parent: n.Parent, Depth: depth,
			Unofficial: n.Unofficial, Unconfirmed: n.Unconfirmed,
		})
	}
	parent := make([]int, len(c.Nodes))
	for i := range c.Nodes {
		parent[i] = -1
		if p, ok := c.byCode[c.Nodes[i].Parent]; ok && c.Nodes[i].Parent != "" && c.Nodes[i].Depth > 0 {
			parent[i] = p
		}
	}
	hasKids := make([]bool, len(c.Nodes))
	for _, p := range parent {
		if p >= 0 {
			hasKids[p] = true
		}
	}
	for i := range c.Nodes {
		c.Nodes[i].Leaf = !hasKids[i]
		if c.Nodes[i].Leaf {
			c.Leaves++
		}
	}

	versionOK := func(v string) bool {
		return v == "" || v == fw.Version || slices.Contains(opts.Versions, v)
	}
	names := func(f string) bool { return f != "" && (f == fw.Key || f == fw.ID) }

	// Per-asset scratch: accumulated counts per node and the list of nodes
	// touched; stamps avoid clearing between assets.
	scratch := make([]Counts, len(c.Nodes))
	covered := make([]bool, len(c.Nodes))
	touchStamp := make([]int, len(c.Nodes))
	rollStamp := make([]int, len(c.Nodes))
	var touched []int
	pubLeaves := make(map[string][]bool)
	pubAssets := make(map[string]int)
	c.rowStart = make([]int, 0, len(entries)+1)

	type frame struct {
		a    *asset.Asset
		next int
		sum  float64
	}
	var stack []frame

	for _, e := range entries {
		if e.Asset == nil {
			continue
		}
		ai := len(c.Assets)
		stamp := ai + 1
		touched = touched[:0]
		nal := 0
		visit := func(a *asset.Asset, hours float64) {
			w := 1.0
			if opts.Weighted {
				w = hours
			}
			count := func(al *asset.Alignment) {
				if !names(al.Framework) || !versionOK(al.Version) {
					return
				}
				ni, ok := c.byCode[al.Code]
				if !ok {
					c.Unresolved++
					return
				}
				nal++
				if touchStamp[ni] != stamp {
					touchStamp[ni] = stamp
					scratch[ni] = Counts{}
					covered[ni] = false
					touched = append(touched, ni)
				}
				scratch[ni].addRel(al.Relation, w)
				if covers(al.Relation) {
					covered[ni] = true
				}
			}
			for i := range a.Alignments {
				count(&a.Alignments[i])
			}
			for j := range a.Objectives {
				for i := range a.Objectives[j].Alignments {
					count(&a.Objectives[j].Alignments[i])
				}
			}
		}
		// Post-order walk so that each asset's total duration is known
		// when its alignments are counted, as Asset.TotalDuration reckons
		// it: the sum of the parts' totals, or the asset's own duration
		// when the parts state none.
		var rootHours float64
		stack = append(stack[:0], frame{a: e.Asset})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(top.a.Parts) {
				child := &top.a.Parts[top.next]
				top.next++
				stack = append(stack, frame{a: child})
				continue
			}
			h := top.sum
			if h == 0 {
				h = top.a.Duration.Approx().Hours()
			}
			visit(top.a, h)
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootHours = h
			} else {
				stack[len(stack)-1].sum += h
			}
		}
		title, ok := e.Asset.Title["en"]
		if !ok {
			title = e.Asset.Title.String()
		}
		c.Assets = append(c.Assets, AssetCoverage{
			ID: e.Asset.ID, Title: title, Publisher: e.Publisher, Hours: rootHours, Alignments: nal,
		})
		pubAssets[e.Publisher]++
		// Emit the asset's row, ordered by node.
		slices.Sort(touched)
		c.rowStart = append(c.rowStart, len(c.Cells))
		var pl []bool
		for _, ni := range touched {
			c.Cells = append(c.Cells, Cell{Node: ni, Asset: ai, Counts: scratch[ni]})
			c.Nodes[ni].Direct.add(scratch[ni])
			if !covered[ni] {
				continue
			}
			c.Nodes[ni].DirectAssets++
			for m := ni; m >= 0; m = parent[m] {
				if rollStamp[m] == stamp {
					break
				}
				rollStamp[m] = stamp
				c.Nodes[m].Assets++
			}
			if c.Nodes[ni].Leaf {
				if pl == nil {
					pl = pubLeaves[e.Publisher]
					if pl == nil {
						pl = make([]bool, len(c.Nodes))
						pubLeaves[e.Publisher] = pl
					}
				}
				pl[ni] = true
			}
		}
	}
	c.rowStart = append(c.rowStart, len(c.Cells))

	// Roll totals up: children come after their parents in hierarchy
	// order, so a reverse sweep sees every child before its parent.
	for i := range c.Nodes {
		c.Nodes[i].Total = c.Nodes[i].Direct
	}
	for i := len(c.Nodes) - 1; i >= 0; i-- {
		if p := parent[i]; p >= 0 {
			c.Nodes[p].Total.add(c.Nodes[i].Total)
		}
	}

	c.Gaps = Gaps{Leaves: []string{}, Parents: []string{}}
	for i := range c.Nodes {
		n := &c.Nodes[i]
		switch {
		case n.Assets > 0:
			if n.Leaf {
				c.LeavesCovered++
			}
		case n.Leaf:
			c.Gaps.Leaves = append(c.Gaps.Leaves, n.Code)
		default:
			c.Gaps.Parents = append(c.Gaps.Parents, n.Code)
		}
	}

	pubs := make([]string, 0, len(pubAssets))
	for p := range pubAssets {
		pubs = append(pubs, p)
	}
	slices.Sort(pubs)
	c.Publishers = make([]PublisherCoverage, 0, len(pubs))
	for _, p := range pubs {
		pc := PublisherCoverage{Publisher: p, Assets: pubAssets[p], Leaves: c.Leaves, Covered: []string{}}
		if pl := pubLeaves[p]; pl != nil {
			for i, ok := range pl {
				if ok {
					pc.Covered = append(pc.Covered, c.Nodes[i].Code)
				}
			}
		}
		if c.Leaves > 0 {
			pc.Fraction = float64(len(pc.Covered)) / float64(c.Leaves)
		}
		c.Publishers = append(c.Publishers, pc)
	}
	return c
}
