package catalogue

import (
	"strings"

	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/metaacademy/ota/asset"
)

// catalogueIndex maps each indexed value to the positions of the entries
// that have it. Postings lists are ascending, because entries are indexed in
// catalogue order and each position is added at most once per key.
type catalogueIndex struct {
	n int // entries indexed so far

	byID postingMap[string]
	// Alignments of the asset and of its objectives, version-insensitive:
	// the version stays in the asset and can be filtered on.
	byFramework postingMap[string] // framework
	byCode      postingMap[string] // code, whatever the framework
	byNode      postingMap[nodeK]
	byNodeRel   postingMap[nodeRelK]
	byRelation  postingMap[asset.AlignmentRelation]
	byLanguage  postingMap[string] // langKeys of the effective languages
	byKind      postingMap[asset.Kind]
	byLevel     postingMap[asset.Level]
	byKeyword   postingMap[string]   // folded keyword, any language
	byKwLang    postingMap[langWord] // langKeys and folded keyword
	byPublisher postingMap[string]   // folded publisher
	byToken     postingMap[string]   // tokens of title, description, keywords and objectives
	// derived maps a relation target to the entries whose lineage
	// relations point at it, for Derivatives.
	derived map[string][]lineageEdge
}

// nodeK is the index key of a framework node, without the version.
type nodeK struct{ framework, code string }

// nodeRelK is a framework node and a relation to it.
type nodeRelK struct {
	nodeK
	rel asset.AlignmentRelation
}

// langWord is a keyword in a language.
type langWord struct{ lang, word string }

func nodeOf(framework, code string) nodeK {
	return nodeK{strings.TrimSpace(framework), strings.TrimSpace(code)}
}

// postingMap maps each key to the ascending positions of the entries that
// have it. The lists are held by pointer so that adding to one costs a
// single look-up.
type postingMap[K comparable] map[K]*[]int32

// add appends position p to the list of k unless it is already the last
// one, which keeps lists free of repeats: an entry's positions are all
// added before the next entry's.
func (m postingMap[K]) add(k K, p int32) {
	l := m[k]
	if l == nil {
		l = new([]int32)
		m[k] = l
	} else if n := len(*l); n > 0 && (*l)[n-1] == p {
		return
	}
	*l = append(*l, p)
}

// get returns the list of k, nil when there is none.
func (m postingMap[K]) get(k K) []int32 {
	if l := m[k]; l != nil {
		return *l
	}
	return nil
}

// lineageEdge is a lineage relation seen from its target.
type lineageEdge struct {
	from int32 // position of the entry carrying the relation
	typ  asset.RelationType
}

// readLock takes the read lock with every index up to date. The caller
// releases it with c.mu.RUnlock.
func (c *Catalogue) readLock() {
	c.mu.RLock()
	for c.idx.n < len(c.entries) {
		c.mu.RUnlock()
		c.mu.Lock()
		c.ensureIndexLocked()
		c.mu.Unlock()
		c.mu.RLock()
	}
}

// BuildIndex builds the indexes for the entries added since the last build.
// Queries do this by themselves; call it to pay the cost up front.
func (c *Catalogue) BuildIndex() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ensureIndexLocked()
}

// ensureIndexLocked indexes the entries added since the last build. The
// caller holds the write lock.
func (c *Catalogue) ensureIndexLocked() {
	x := &c.idx
	if x.byID == nil {
		*x = catalogueIndex{
			byID:        make(postingMap[string]),
			byFramework: make(postingMap[string]),
			byCode:      make(postingMap[string]),
			byNode:      make(postingMap[nodeK]),
			byNodeRel:   make(postingMap[nodeRelK]),
			byRelation:  make(postingMap[asset.AlignmentRelation]),
			byLanguage:  make(postingMap[string]),
			byKind:      make(postingMap[asset.Kind]),
			byLevel:     make(postingMap[asset.Level]),
			byKeyword:   make(postingMap[string]),
			byKwLang:    make(postingMap[langWord]),
			byPublisher: make(postingMap[string]),
			byToken:     make(postingMap[string]),
			derived:     make(map[string][]lineageEdge),
		}
	}
	var toks []string
	for ; x.n < len(c.entries); x.n++ {
		e := c.entries[x.n]
		p := e.pos
		a := e.Asset
		x.byID.add(a.ID, p)
		fwkit.EachAlignment(a, func(al asset.Alignment) {
			rel := fwkit.RelationOf(al)
			node := nodeOf(al.Framework, al.Code)
			x.byFramework.add(node.framework, p)
			x.byCode.add(node.code, p)
			x.byNode.add(node, p)
			x.byNodeRel.add(nodeRelK{node, rel}, p)
			x.byRelation.add(rel, p)
		})
		for _, l := range e.Languages {
			for _, k := range langKeys(l) {
				x.byLanguage.add(k, p)
			}
		}
		if a.Kind != "" {
			x.byKind.add(a.Kind, p)
		}
		if a.Level != "" {
			x.byLevel.add(a.Level, p)
		}
		toks = toks[:0]
		for tag, words := range a.Keywords {
			keys := langKeys(tag)
			for _, w := range words {
				fw := foldKeyword(w)
				if fw == "" {
					continue
				}
				x.byKeyword.add(fw, p)
				for _, k := range keys {
					x.byKwLang.add(langWord{k, fw}, p)
				}
				toks = appendTokens(toks, w)
			}
		}
		x.byPublisher.add(fold(e.Publisher), p)
		for _, s := range a.Title {
			toks = appendTokens(toks, s)
		}
		for _, s := range a.Description {
			toks = appendTokens(toks, s)
		}
		for _, o := range a.Objectives {
			for _, s := range o.Text {
				toks = appendTokens(toks, s)
			}
		}
		for _, t := range toks {
			x.byToken.add(t, p)
		}
		for _, r := range a.Relations {
			if IsLineage(r.Type) && r.Target != "" {
				x.derived[r.Target] = append(x.derived[r.Target], lineageEdge{p, r.Type})
			}
		}
	}
}
