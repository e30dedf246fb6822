package catalogue

import (
	"slices"
	"strings"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/metaacademy/ota/asset"
)

// This file holds what overlap detection knows about each entry — its
// tokens, keywords and alignments as small sorted integer sets — and the
// similarity measures on them.

// langToks is the distinct tokens of one language's text, as sorted IDs.
type langToks struct {
	lang string // primary language subtag, lower case
	toks []int32
}

// ovNode is one framework node an entry's tree is aligned to.
type ovNode struct {
	id      int32   // interned node key
	w       float64 // specificity × relation weight, the largest over the tree
	version string  // of the alignment that gave w
	rel     asset.AlignmentRelation
}

// ovFeatures are an entry's comparable features.
type ovFeatures struct {
	title, obj       []langToks // per language, sorted by language
	titleAll, objAll []int32    // every language together
	kw               []int32    // folded keyword phrases, every language
	nodes            []ovNode   // sorted by id
	in               bool       // taking part (its kind is selected)
	minTitle         int        // size of the smallest language's title token set
}

// dict interns strings as dense IDs.
type dict struct {
	ids   map[string]int32
	names []string
}

func newDict() *dict { return &dict{ids: make(map[string]int32)} }

func (d *dict) id(s string) int32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	id := int32(len(d.names))
	d.ids[s] = id
	d.names = append(d.names, s)
	return id
}

// featureBuilder computes features with shared dictionaries and scratch
// space.
type featureBuilder struct {
	toks, kws, nodes *dict
	spec             map[string]float64 // node key -> specificity
	opts             *OverlapOptions
	scratch          []string
	frameworkIndex   map[*framework.Framework]*framework.Index
}

func newFeatureBuilder(opts *OverlapOptions) *featureBuilder {
	return &featureBuilder{
		toks: newDict(), kws: newDict(), nodes: newDict(),
		spec: make(map[string]float64), opts: opts,
		frameworkIndex: make(map[*framework.Framework]*framework.Index),
	}
}

// langSets tokenises each language of a set of texts. Languages whose texts
// hold no token (only stop words, say) are left out. Token IDs depend on
// the order texts are met in, which may vary; the similarities do not.
func (b *featureBuilder) langSets(texts []asset.LangString) (per []langToks, all []int32) {
	for _, ls := range texts {
		for tag, text := range ls {
			b.scratch = appendTokens(b.scratch[:0], text)
			base := langBase(tag)
			k := slices.IndexFunc(per, func(l langToks) bool { return l.lang == base })
			if k < 0 {
				k = len(per)
				per = append(per, langToks{lang: base})
			}
			for _, t := range b.scratch {
				per[k].toks = append(per[k].toks, b.toks.id(t))
			}
		}
	}
	n := 0
	per = slices.DeleteFunc(per, func(l langToks) bool { return len(l.toks) == 0 })
	for k := range per {
		per[k].toks = sortedSet(per[k].toks)
		n += len(per[k].toks)
	}
	if len(per) == 1 {
		return per, per[0].toks
	}
	all = make([]int32, 0, n)
	for _, l := range per {
		all = append(all, l.toks...)
	}
	slices.SortFunc(per, func(a, b langToks) int { return strings.Compare(a.lang, b.lang) })
	return per, sortedSet(all)
}

// sortedSet sorts ids and removes repeats, in place.
func sortedSet(ids []int32) []int32 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// features computes what an entry is compared on: nothing when its kind is
// not selected.
func (b *featureBuilder) features(e *Entry) ovFeatures {
	a := e.Asset
	var f ovFeatures
	f.in = len(b.opts.Kinds) == 0 || slices.Contains(b.opts.Kinds, a.Kind)
	if !f.in {
		return f
	}
	f.title, f.titleAll = b.langSets([]asset.LangString{a.Title})
	for k, l := range f.title {
		if k == 0 || len(l.toks) < f.minTitle {
			f.minTitle = len(l.toks)
		}
	}
	objs := make([]asset.LangString, len(a.Objectives))
	for i, o := range a.Objectives {
		objs[i] = o.Text
	}
	f.obj, f.objAll = b.langSets(objs)
	for _, words := range a.Keywords {
		for _, w := range words {
			if k := foldKeyword(w); k != "" {
				f.kw = append(f.kw, b.kws.id(k))
			}
		}
	}
	f.kw = sortedSet(f.kw)
	byID := make(map[int32]int)
	for _, x := range a.All() {
		fwkit.EachAlignment(x, func(al asset.Alignment) {
			key := fwkit.NodeKey(al.Framework, al.Code)
			if strings.TrimSpace(al.Code) == "" {
				return
			}
			rel := fwkit.RelationOf(al)
			w := b.specificity(key, al) * b.opts.relationWeight(rel)
			id := b.nodes.id(key)
			if k, ok := byID[id]; ok {
				if w > f.nodes[k].w {
					f.nodes[k] = ovNode{id, w, al.Version, rel}
				}
				return
			}
			byID[id] = len(f.nodes)
			f.nodes = append(f.nodes, ovNode{id, w, al.Version, rel})
		})
	}
	slices.SortFunc(f.nodes, func(a, b ovNode) int { return int(a.id - b.id) })
	return f
}

// specificity weighs a node by its depth d in its framework: 1 − 2^−d, so
// a top-level node (a GSBPM phase) weighs 0.5, its children (sub-processes)
// 0.75, theirs 0.875. The depth comes from the matching framework of
// OverlapOptions.Frameworks when the node is found there, else from the
// code's dotted segments ("5" is 1, "5.3" is 2).
func (b *featureBuilder) specificity(key string, al asset.Alignment) float64 {
	if s, ok := b.spec[key]; ok {
		return s
	}
	code := strings.TrimSpace(al.Code)
	depth := strings.Count(code, ".") + 1
	if f := framework.Match(b.opts.Frameworks, al.Framework, al.Version); f != nil {
		x := b.frameworkIndex[f]
		if x == nil {
			x = f.Index()
			b.frameworkIndex[f] = x
		}
		if x.Node(code) != nil {
			depth = len(x.Ancestors(code)) + 1
		}
	}
	s := 1.0
	for range depth {
		s /= 2
	}
	s = 1 - s
	b.spec[key] = s
	return s
}

// jaccard returns |a ∩ b| / |a ∪ b| of two sorted sets, and appends the
// shared IDs to shared when it is not nil.
func jaccard(a, b []int32, shared *[]int32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, n := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			if shared != nil {
				*shared = append(*shared, a[i])
			}
			n++
			i++
			j++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

// langJaccard compares two texts language by language and returns the best
// Jaccard similarity among the languages both have, with that language;
// when they share no language it compares all their tokens together and
// returns the language "". With shared non-nil it appends the shared
// tokens of the comparison chosen.
func langJaccard(a, b []langToks, aAll, bAll []int32, shared *[]int32) (float64, string) {
	if len(a) == 1 && len(b) == 1 && a[0].lang == b[0].lang {
		return jaccard(a[0].toks, b[0].toks, shared), a[0].lang
	}
	best, lang, found := 0.0, "", false
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := strings.Compare(a[i].lang, b[j].lang); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			if s := jaccard(a[i].toks, b[j].toks, nil); !found || s > best {
				best, lang, found = s, a[i].lang, true
			}
			i++
			j++
		}
	}
	if !found {
		best = jaccard(aAll, bAll, shared)
		return best, ""
	}
	if shared != nil {
		ai, _ := slices.BinarySearchFunc(a, lang, func(x langToks, l string) int { return strings.Compare(x.lang, l) })
		bi, _ := slices.BinarySearchFunc(b, lang, func(x langToks, l string) int { return strings.Compare(x.lang, l) })
		jaccard(a[ai].toks, b[bi].toks, shared)
	}
	return best, lang
}

// weightedJaccard returns Σ min(wa, wb) / Σ max(wa, wb) over the union of
// two node sets, calling each for the nodes both have.
func weightedJaccard(a, b []ovNode, each func(x, y ovNode)) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var num, den float64
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i].id < b[j].id):
			den += a[i].w
			i++
		case i >= len(a) || a[i].id > b[j].id:
			den += b[j].w
			j++
		default:
			num += min(a[i].w, b[j].w)
			den += max(a[i].w, b[j].w)
			if each != nil {
				each(a[i], b[j])
			}
			i++
			j++
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}
