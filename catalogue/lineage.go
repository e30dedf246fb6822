package catalogue

import (
	"github.com/metaacademy/ota/asset"
)

// IsLineage reports whether a relation of type t makes one asset derive
// from another, so that [Catalogue.Lineage] and [Catalogue.Derivatives]
// follow it: isBasedOn (an adaptation), isTranslationOf or isVersionOf.
func IsLineage(t asset.RelationType) bool {
	return t == asset.IsBasedOn || t == asset.IsTranslationOf || t == asset.IsVersionOf
}

// LineageStep is one relation of a lineage chain: the asset From derives
// from the asset To by a relation of type Type.
type LineageStep struct {
	// Depth is how many relations away from the starting asset the step
	// reaches: 1 for a relation of the starting asset itself.
	Depth int
	// From is the ID of the derived asset, the one that carries the
	// relation.
	From string
	// Type is the relation: isBasedOn, isTranslationOf or isVersionOf.
	Type asset.RelationType
	// To is the ID of the asset derived from, the relation's target.
	To string
	// Entry is the catalogue entry of the asset the step reaches — To for
	// [Catalogue.Lineage], From for [Catalogue.Derivatives] — or nil when
	// that asset is not in the catalogue (the chain ends there). When
	// several entries hold the ID, it is the first.
	Entry *Entry
}

// Lineage follows the isBasedOn, isTranslationOf and isVersionOf relations
// of the asset with the given ID up to its origins: the translation of an
// adaptation of a course gives the adaptation (depth 1), then the course
// (depth 2). Relations of every entry holding an ID are followed. Steps are
// in breadth-first order — by depth, then catalogue order, then the order of
// each asset's relations — and each asset is reached once, so cycles end.
// A target outside the catalogue is a step with a nil Entry, and ends its
// branch. The result is nil when the asset derives from nothing.
func (c *Catalogue) Lineage(id string) []LineageStep {
	c.readLock()
	defer c.mu.RUnlock()
	var out []LineageStep
	seen := map[string]bool{id: true}
	level := []string{id}
	for depth := 1; len(level) > 0; depth++ {
		var next []string
		for _, from := range level {
			for _, p := range c.idx.byID.get(from) {
				for _, r := range c.entries[p].Asset.Relations {
					if !IsLineage(r.Type) || r.Target == "" || seen[r.Target] {
						continue
					}
					seen[r.Target] = true
					out = append(out, LineageStep{Depth: depth, From: from, Type: r.Type, To: r.Target, Entry: c.first(r.Target)})
					next = append(next, r.Target)
				}
			}
		}
		level = next
	}
	return out
}

// Derivatives follows the same relations down from the asset with the given
// ID: the assets that adapt, translate or version it, then theirs, in the
// order [Catalogue.Lineage] uses. Each step's Entry is the derived asset's.
// Only assets in the catalogue can be found this way.
func (c *Catalogue) Derivatives(id string) []LineageStep {
	c.readLock()
	defer c.mu.RUnlock()
	var out []LineageStep
	seen := map[string]bool{id: true}
	level := []string{id}
	for depth := 1; len(level) > 0; depth++ {
		var next []string
		for _, to := range level {
			for _, ed := range c.idx.derived[to] {
				e := c.entries[ed.from]
				from := e.Asset.ID
				if seen[from] {
					continue
				}
				seen[from] = true
				out = append(out, LineageStep{Depth: depth, From: from, Type: ed.typ, To: to, Entry: c.first(from)})
				next = append(next, from)
			}
		}
		level = next
	}
	return out
}

// first returns the first entry holding id, or nil. The caller holds the
// read lock.
func (c *Catalogue) first(id string) *Entry {
	if ps := c.idx.byID.get(id); len(ps) > 0 {
		return c.entries[ps[0]]
	}
	return nil
}

// lineageFamilies groups the entries linked by lineage: two entries are in
// one family when a chain of isBasedOn, isTranslationOf or isVersionOf
// relations, followed either way, joins their IDs — so two translations of
// one course are kin — or when they hold the same ID. It returns each
// entry's family number, or -1 for an entry in none. The caller holds the
// read lock.
func (c *Catalogue) lineageFamilies() []int32 {
	parent := make(map[string]string)
	find := func(x string) string {
		if _, ok := parent[x]; !ok {
			parent[x] = x
		}
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range c.entries {
		id := e.Asset.ID
		if id == "" {
			continue
		}
		if len(c.idx.byID.get(id)) > 1 {
			find(id)
		}
		for _, r := range e.Asset.Relations {
			if IsLineage(r.Type) && r.Target != "" && r.Target != id {
				if a, b := find(id), find(r.Target); a != b {
					parent[a] = b
				}
			}
		}
	}
	out := make([]int32, len(c.entries))
	numbers := make(map[string]int32)
	for i, e := range c.entries {
		out[i] = -1
		if _, ok := parent[e.Asset.ID]; !ok || e.Asset.ID == "" {
			continue
		}
		root := find(e.Asset.ID)
		n, ok := numbers[root]
		if !ok {
			n = int32(len(numbers))
			numbers[root] = n
		}
		out[i] = n
	}
	return out
}
