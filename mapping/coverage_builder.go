package mapping

import (
	"fmt"
	"slices"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

// CoverageBuilder computes a coverage one asset tree at a time, for
// catalogues read as a stream rather than held in memory: [CoverageBuilder.Add]
// counts one entry's tree and keeps nothing of it but the tallies (and,
// unless CoverageOptions.Totals is set, the entry's column of the matrix),
// and [CoverageBuilder.Coverage] rolls the totals up and works out the gaps
// and publisher coverage. With Totals set its memory is bounded by the
// framework and the number of publishers, whatever the number of entries.
// The result is the one [NewCoverage] gives for the same entries in the same
// order; NewCoverage is Add over every entry followed by Coverage.
//
// A CoverageBuilder is not safe for concurrent use.
type CoverageBuilder struct {
	c        *Coverage
	totals   bool
	weighted bool
	versions []string

	parent []int // per node, index of its parent in c.Nodes, or -1

	// Per-asset scratch: accumulated counts per node and the list of nodes
	// touched; stamps (the entry's ordinal, from 1) avoid clearing between
	// assets.
	scratch    []Counts
	covered    []bool
	touchStamp []int
	rollStamp  []int
	touched    []int
	stamp      int
	nal        int // alignments of the current entry that count

	pubs  map[string]*pubTally
	stack []frame
	done  bool
}

// pubTally is what the builder keeps of one publisher.
type pubTally struct {
	assets int
	leaves []bool // per node, covered by one of the publisher's assets; nil until one is
}

// frame is one asset of the tree walk in [CoverageBuilder.Add].
type frame struct {
	a    *asset.Asset
	next int     // next part to visit
	sum  float64 // hours of the parts visited
}

// NewCoverageBuilder returns a builder of the coverage of fw, counting as
// [NewCoverage] does under opts. The builder keeps its own copies of
// opts.Covering and opts.Versions.
func NewCoverageBuilder(fw *framework.Framework, opts CoverageOptions) *CoverageBuilder {
	c := &Coverage{
		Framework: fw, Weighted: opts.Weighted, Covering: slices.Clone(opts.Covering),
		Assets: []AssetCoverage{}, Cells: []Cell{},
	}
	if c.Covering == nil {
		c.Covering = []asset.AlignmentRelation{asset.Teaches, asset.Assesses}
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

	return &CoverageBuilder{
		c: c, totals: opts.Totals, weighted: opts.Weighted, versions: slices.Clone(opts.Versions),
		parent:     parent,
		scratch:    make([]Counts, len(c.Nodes)),
		covered:    make([]bool, len(c.Nodes)),
		touchStamp: make([]int, len(c.Nodes)),
		rollStamp:  make([]int, len(c.Nodes)),
		pubs:       make(map[string]*pubTally),
	}
}

// CoverageBuilder returns a builder of the coverage of the framework
// registered under key in the given version (the newest when empty),
// resolved as [Registry.Coverage] resolves it, with the same errors
// ([ErrUnknownFramework], [ErrUnknownVersion]). Alignments to other
// registered versions whose codes are shared ([Registry.SharedCodes]) count
// as alignments to this one, in addition to opts.Versions.
func (r *Registry) CoverageBuilder(key, version string, opts CoverageOptions) (*CoverageBuilder, error) {
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
	return NewCoverageBuilder(fw, opts), nil
}

// Coverage computes the coverage of the framework registered under key in
// the given version (the newest when empty) by entries. Alignments to other
// registered versions whose codes are shared ([Registry.SharedCodes]) count
// as alignments to this one, in addition to opts.Versions. It is
// [Registry.CoverageBuilder] fed every entry.
func (r *Registry) Coverage(key, version string, entries []Entry, opts CoverageOptions) (*Coverage, error) {
	b, err := r.CoverageBuilder(key, version, opts)
	if err != nil {
		return nil, err
	}
	return b.addAll(entries), nil
}

// NewCoverage computes the coverage of fw by entries. An alignment counts
// when it names fw by its Key or its ID, states fw's version, no version or
// one of opts.Versions, and its code is a node of fw; alignments of every
// asset of a tree (and of their objectives) count for the tree's entry. The
// work is linear in the number of assets and alignments. It is
// [NewCoverageBuilder] fed every entry.
func NewCoverage(fw *framework.Framework, entries []Entry, opts CoverageOptions) *Coverage {
	return NewCoverageBuilder(fw, opts).addAll(entries)
}

// addAll adds entries and returns the coverage, making room for the
// matrix first.
func (b *CoverageBuilder) addAll(entries []Entry) *Coverage {
	if !b.totals {
		// Most catalogue entries touch a few nodes; room for two cells each
		// saves most of the copying as Cells grows.
		b.c.Assets = make([]AssetCoverage, 0, len(entries))
		b.c.Cells = make([]Cell, 0, 2*len(entries))
		b.c.rowStart = make([]int, 0, len(entries)+1)
	}
	for _, e := range entries {
		b.Add(e)
	}
	return b.Coverage()
}

// Add counts the asset tree of one entry; an entry with a nil Asset is
// ignored. Add keeps no reference to the tree: with CoverageOptions.Totals
// it keeps none of its strings either (a publisher's name is copied the
// first time it is seen), so the tree may be dropped or reused as soon as
// Add returns. Add panics when called after [CoverageBuilder.Coverage].
func (b *CoverageBuilder) Add(e Entry) {
	if b.done {
		panic("mapping: CoverageBuilder.Add called after Coverage")
	}
	if e.Asset == nil {
		return
	}
	c := b.c
	ai := c.nAssets
	c.nAssets++
	b.stamp = ai + 1
	b.touched = b.touched[:0]
	b.nal = 0

	// Post-order walk so that each asset's total duration is known when
	// its alignments are counted, as Asset.TotalDuration reckons it: the
	// sum of the parts' totals, or the asset's own duration when the parts
	// state none.
	var rootHours float64
	stack := append(b.stack[:0], frame{a: e.Asset})
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
		b.visit(top.a, h)
		// Clear the frame as it is popped: the stack outlives the tree.
		stack[len(stack)-1] = frame{}
		stack = stack[:len(stack)-1]
		if len(stack) == 0 {
			rootHours = h
		} else {
			stack[len(stack)-1].sum += h
		}
	}
	b.stack = stack

	pt := b.pubs[e.Publisher]
	if pt == nil {
		pt = &pubTally{}
		b.pubs[strings.Clone(e.Publisher)] = pt
	}
	pt.assets++
	if !b.totals {
		title, ok := e.Asset.Title["en"]
		if !ok {
			title = e.Asset.Title.String()
		}
		c.Assets = append(c.Assets, AssetCoverage{
			ID: e.Asset.ID, Title: title, Publisher: e.Publisher, Hours: rootHours, Alignments: b.nal,
		})
		c.rowStart = append(c.rowStart, len(c.Cells))
	}

	// Emit the asset's row, ordered by node, and count what it covers.
	slices.Sort(b.touched)
	for _, ni := range b.touched {
		if !b.totals {
			c.Cells = append(c.Cells, Cell{Node: ni, Asset: ai, Counts: b.scratch[ni]})
		}
		c.Nodes[ni].Direct.add(b.scratch[ni])
		if !b.covered[ni] {
			continue
		}
		c.Nodes[ni].DirectAssets++
		for m := ni; m >= 0; m = b.parent[m] {
			if b.rollStamp[m] == b.stamp {
				break
			}
			b.rollStamp[m] = b.stamp
			c.Nodes[m].Assets++
		}
		if c.Nodes[ni].Leaf {
			if pt.leaves == nil {
				pt.leaves = make([]bool, len(c.Nodes))
			}
			pt.leaves[ni] = true
		}
	}
}

// visit counts the alignments of one asset of the current tree (and of its
// objectives), each weighing hours when the coverage is weighted.
func (b *CoverageBuilder) visit(a *asset.Asset, hours float64) {
	w := 1.0
	if b.weighted {
		w = hours
	}
	for i := range a.Alignments {
		b.count(&a.Alignments[i], w)
	}
	for j := range a.Objectives {
		for i := range a.Objectives[j].Alignments {
			b.count(&a.Objectives[j].Alignments[i], w)
		}
	}
}

// count counts one alignment of the current tree.
func (b *CoverageBuilder) count(al *asset.Alignment, w float64) {
	c := b.c
	fw := c.Framework
	if al.Framework == "" || (al.Framework != fw.Key && al.Framework != fw.ID) {
		return
	}
	if v := al.Version; v != "" && v != fw.Version && !slices.Contains(b.versions, v) {
		return
	}
	ni, ok := c.byCode[al.Code]
	if !ok {
		c.Unresolved++
		return
	}
	b.nal++
	if b.touchStamp[ni] != b.stamp {
		b.touchStamp[ni] = b.stamp
		b.scratch[ni] = Counts{}
		b.covered[ni] = false
		b.touched = append(b.touched, ni)
	}
	b.scratch[ni].addRel(al.Relation, w)
	rel := al.Relation
	if rel == "" {
		rel = asset.Teaches
	}
	if slices.Contains(c.Covering, rel) {
		b.covered[ni] = true
	}
}

// Coverage finishes the computation and returns the coverage of the
// entries added so far: it rolls the totals up the hierarchy and works out
// the gaps and each publisher's coverage. Call it once, after the last
// [CoverageBuilder.Add]; a later call returns the same Coverage, and Add
// panics once Coverage has been called.
func (b *CoverageBuilder) Coverage() *Coverage {
	c := b.c
	if b.done {
		return c
	}
	b.done = true
	if !b.totals {
		c.rowStart = append(c.rowStart, len(c.Cells))
	}

	// Roll totals up: children come after their parents in hierarchy
	// order, so a reverse sweep sees every child before its parent.
	for i := range c.Nodes {
		c.Nodes[i].Total = c.Nodes[i].Direct
	}
	for i := len(c.Nodes) - 1; i >= 0; i-- {
		if p := b.parent[i]; p >= 0 {
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

	pubs := make([]string, 0, len(b.pubs))
	for p := range b.pubs {
		pubs = append(pubs, p)
	}
	slices.Sort(pubs)
	c.Publishers = make([]PublisherCoverage, 0, len(pubs))
	for _, p := range pubs {
		pt := b.pubs[p]
		pc := PublisherCoverage{Publisher: p, Assets: pt.assets, Leaves: c.Leaves, Covered: []string{}}
		for i, ok := range pt.leaves {
			if ok {
				pc.Covered = append(pc.Covered, c.Nodes[i].Code)
			}
		}
		if c.Leaves > 0 {
			pc.Fraction = float64(len(pc.Covered)) / float64(c.Leaves)
		}
		c.Publishers = append(c.Publishers, pc)
	}

	// Let the scratch go; only the result outlives the builder's work.
	b.parent, b.scratch, b.covered, b.touchStamp, b.rollStamp, b.touched = nil, nil, nil, nil, nil, nil
	b.pubs, b.stack, b.versions = nil, nil, nil
	return c
}
