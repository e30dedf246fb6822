package catalogue

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/metaacademy/ota/asset"
)

// This file holds the machinery of [Catalogue.Overlaps]: blocking, the
// candidate filter and scoring.

// detector holds the state of one overlap detection.
type detector struct {
	c *Catalogue
	o *OverlapOptions
	b *featureBuilder
	f []ovFeatures
	// hot holds, in one compact array, what the candidate filter reads
	// for each entry, and arena its title tokens and keywords, so that
	// rejecting a candidate touches little memory.
	hot   []ovHot
	arena []int32
	// Postings of the blocking keys that are used (at most MaxBlock
	// entries); nil for keys held by too many.
	tokPost, kwPost, nodePost [][]int32
	comboPost                 map[uint64][]int32
	tokN, nodeN               []int32 // how many entries hold each title token and node
}

// ovHot is what the candidate filter needs to know about an entry.
type ovHot struct {
	pub, root, family int32 // publisher, tree and lineage family (-1: none) IDs
	title, kw         span  // title tokens (all languages) and keywords in the arena
	minTitle          int32 // size of the smallest language's title token set
	commonT, commonK  int32 // title tokens and keywords held by more than MaxBlock entries
}

// span is a slice of the detector's arena.
type span struct{ off, n int32 }

func (d *detector) set(sp span) []int32 { return d.arena[sp.off : sp.off+sp.n] }

// newDetector computes every entry's features. The caller holds the
// catalogue's read lock.
func newDetector(c *Catalogue, o *OverlapOptions) *detector {
	n := len(c.entries)
	d := &detector{c: c, o: o, b: newFeatureBuilder(o), f: make([]ovFeatures, n), hot: make([]ovHot, n)}
	pubs := newDict()
	roots := make(map[*asset.Asset]int32)
	family := c.lineageFamilies()
	put := func(ids []int32) span {
		sp := span{int32(len(d.arena)), int32(len(ids))}
		d.arena = append(d.arena, ids...)
		return sp
	}
	for i, e := range c.entries {
		f := d.b.features(e)
		d.f[i] = f
		r, ok := roots[e.Root]
		if !ok {
			r = int32(len(roots))
			roots[e.Root] = r
		}
		d.hot[i] = ovHot{pub: pubs.id(e.Publisher), root: r, family: family[i],
			title: put(f.titleAll), kw: put(f.kw), minTitle: int32(f.minTitle)}
	}
	return d
}

// run builds the blocking keys, finds and scores the candidate pairs, and
// returns the overlaps with their evidence, sorted.
func (d *detector) run() []Overlap {
	d.block()
	workers := d.o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(d.f)/1024))
	// Workers take the entries in chunks; each pairs its entries with the
	// later ones. The order in which pairs are found does not matter: they
	// are sorted at the end.
	const chunk = 256
	var next atomic.Int64
	found := make([][]Overlap, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			s := newScan(len(d.f))
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= len(d.f) {
					break
				}
				for i := from; i < min(from+chunk, len(d.f)); i++ {
					found[w] = d.pairsOf(s, int32(i), found[w])
				}
			}
		})
	}
	wg.Wait()
	out := slices.Concat(found...)
	for k := range out {
		a, b := out[k].A.pos, out[k].B.pos
		out[k], _ = d.score(a, b, true)
		out[k].Lineage = d.hot[a].family >= 0 && d.hot[a].family == d.hot[b].family
	}
	slices.SortFunc(out, func(a, b Overlap) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.A.pos, b.A.pos), cmp.Compare(a.B.pos, b.B.pos))
	})
	return out
}

// scan is one worker's scratch space for finding the candidates of an
// entry.
type scan struct {
	mark     []int32 // the last entry for which j was touched
	shT, shK []int32 // title tokens and keywords j shares with that entry, through keys
	touched  []int32 // the candidates of that entry
}

func newScan(n int) *scan {
	s := &scan{mark: make([]int32, n), shT: make([]int32, n), shK: make([]int32, n)}
	for i := range s.mark {
		s.mark[i] = -1
	}
	return s
}

// touch makes every entry after i in post a candidate of i, counting the
// key in count when it is not nil.
func (s *scan) touch(i int32, post []int32, count []int32) {
	k, _ := slices.BinarySearch(post, i+1)
	for _, j := range post[k:] {
		if s.mark[j] != i {
			s.mark[j] = i
			s.shT[j], s.shK[j] = 0, 0
			s.touched = append(s.touched, j)
		}
		if count != nil {
			count[j]++
		}
	}
}

// pairsOf appends to out the overlaps of entry i with the later entries
// that share a blocking key with it.
func (d *detector) pairsOf(s *scan, i int32, out []Overlap) []Overlap {
	f := &d.f[i]
	if !f.in {
		return out
	}
	m := int32(d.o.MaxBlock)
	s.touched = s.touched[:0]
	for _, t := range f.titleAll {
		if l := d.tokPost[t]; l != nil {
			s.touch(i, l, s.shT)
		}
	}
	for _, k := range f.kw {
		if l := d.kwPost[k]; l != nil {
			s.touch(i, l, s.shK)
		}
	}
	for _, nd := range f.nodes {
		if l := d.nodePost[nd.id]; l != nil {
			s.touch(i, l, nil)
			continue
		}
		if d.nodeN[nd.id] <= m {
			continue
		}
		for _, t := range f.titleAll {
			if d.tokN[t] > m {
				if l := d.comboPost[combo(nd.id, t)]; l != nil {
					s.touch(i, l, nil)
				}
			}
		}
	}
	hi := &d.hot[i]
	for _, j := range s.touched {
		hj := &d.hot[j]
		if hi.pub == hj.pub || hi.root == hj.root || !d.mayReachMinText(hi, hj, s.shT[j], s.shK[j]) {
			continue
		}
		if hi.family >= 0 && hi.family == hj.family && !d.o.IncludeLineage {
			continue
		}
		if ov, ok := d.score(i, j, false); ok {
			out = append(out, ov)
		}
	}
	return out
}

// mayReachMinText reports whether the title or keyword similarity of two
// entries can reach MinText; it spares the scoring of most candidates.
//
// A Jaccard similarity J ≥ t of sets of sizes a and b needs an intersection
// of at least t(a+b)/(1+t). Titles are compared language by language, so a
// and b are the sizes of the smallest language's token set, and the
// intersection is at most that of all the titles' tokens. First a bound
// that reads no sets: the blocking keys found the title tokens (sharedT)
// and keywords (sharedK) the two share, except those held by more than
// MaxBlock entries, of which they share at most the fewer either has. Then,
// when the bound allows it, the exact intersections.
func (d *detector) mayReachMinText(a, b *ovHot, sharedT, sharedK int32) bool {
	t := d.o.MinText
	if t <= 0 {
		return true
	}
	need := func(sizeA, sizeB int32) int32 {
		if sizeA == 0 || sizeB == 0 {
			return math.MaxInt32
		}
		return max(1, int32(math.Ceil(t*float64(sizeA+sizeB)/(1+t)-1e-9)))
	}
	needT, needK := need(a.minTitle, b.minTitle), need(a.kw.n, b.kw.n)
	okT := sharedT+min(a.commonT, b.commonT) >= needT
	okK := sharedK+min(a.commonK, b.commonK) >= needK
	switch {
	case !okT && !okK:
		return false
	case okT && intersection(d.set(a.title), d.set(b.title)) >= needT:
		return true
	}
	return okK && intersection(d.set(a.kw), d.set(b.kw)) >= needK
}

// intersection returns the size of the intersection of two sorted sets.
func intersection(a, b []int32) int32 {
	var n int32
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

func combo(node, tok int32) uint64 { return uint64(node)<<32 | uint64(uint32(tok)) }

// block builds the postings of the blocking keys held by 2 to MaxBlock
// entries. Node–token combinations are keyed only for a node and a title
// token that are both too common to be keys on their own: otherwise any
// pair sharing the combination already shares a key.
func (d *detector) block() {
	m := int32(d.o.MaxBlock)
	d.tokN = make([]int32, len(d.b.toks.names))
	kwN := make([]int32, len(d.b.kws.names))
	d.nodeN = make([]int32, len(d.b.nodes.names))
	for i := range d.f {
		f := &d.f[i]
		for _, t := range f.titleAll {
			d.tokN[t]++
		}
		for _, k := range f.kw {
			kwN[k]++
		}
		for _, nd := range f.nodes {
			d.nodeN[nd.id]++
		}
	}
	for i := range d.f {
		f, h := &d.f[i], &d.hot[i]
		for _, t := range f.titleAll {
			if d.tokN[t] > m {
				h.commonT++
			}
		}
		for _, k := range f.kw {
			if kwN[k] > m {
				h.commonK++
			}
		}
	}
	d.tokPost = postings(d.tokN, m, func(add func(k, i int32)) {
		for i := range d.f {
			for _, t := range d.f[i].titleAll {
				add(t, int32(i))
			}
		}
	})
	d.kwPost = postings(kwN, m, func(add func(k, i int32)) {
		for i := range d.f {
			for _, k := range d.f[i].kw {
				add(k, int32(i))
			}
		}
	})
	d.nodePost = postings(d.nodeN, m, func(add func(k, i int32)) {
		for i := range d.f {
			for _, nd := range d.f[i].nodes {
				add(nd.id, int32(i))
			}
		}
	})
	count := make(map[uint64]int32)
	d.combos(func(k uint64, _ int32) { count[k]++ })
	d.comboPost = make(map[uint64][]int32)
	d.combos(func(k uint64, i int32) {
		if n := count[k]; n >= 2 && n <= m {
			d.comboPost[k] = append(d.comboPost[k], i)
		}
	})
}

// combos calls fn for each node–token combination of each entry whose node
// and token are both held by more than MaxBlock entries.
func (d *detector) combos(fn func(k uint64, i int32)) {
	m := int32(d.o.MaxBlock)
	for i := range d.f {
		f := &d.f[i]
		for _, nd := range f.nodes {
			if d.nodeN[nd.id] <= m {
				continue
			}
			for _, t := range f.titleAll {
				if d.tokN[t] > m {
					fn(combo(nd.id, t), int32(i))
				}
			}
		}
	}
}

// postings lays out, in one array, the ascending postings of the keys held
// by 2 to m entries, given how many entries hold each key; fill adds each
// (key, entry) pair in entry order. Other keys get nil.
func postings(counts []int32, m int32, fill func(add func(k, i int32))) [][]int32 {
	total := 0
	for _, n := range counts {
		if n >= 2 && n <= m {
			total += int(n)
		}
	}
	buf := make([]int32, total)
	out := make([][]int32, len(counts))
	off := 0
	for k, n := range counts {
		if n >= 2 && n <= m {
			out[k] = buf[off : off : off+int(n)]
			off += int(n)
		}
	}
	fill(func(k, i int32) {
		if l := out[k]; l != nil {
			out[k] = append(l, i)
		}
	})
	return out
}

// score measures the pair (i, j) and reports whether it is an overlap.
// With evidence it also lists what the two share. Without, it stops as
// soon as the pair cannot qualify: when neither title nor keywords reach
// MinText, or when even identical objectives would leave the score below
// the threshold.
func (d *detector) score(i, j int32, evidence bool) (Overlap, bool) {
	a, b := &d.f[i], &d.f[j]
	w := d.o.Weights
	ov := Overlap{A: d.c.entries[i], B: d.c.entries[j]}
	var num, den float64
	var shared []int32
	var sh *[]int32
	if evidence {
		sh = &shared
	}
	evidenceOf := func(ev *TextEvidence, names *dict) {
		for _, id := range shared {
			ev.Shared = append(ev.Shared, names.names[id])
		}
		slices.Sort(ev.Shared)
		shared = shared[:0]
	}
	text := -1.0
	if len(a.titleAll) > 0 && len(b.titleAll) > 0 {
		s, lang := langJaccard(a.title, b.title, a.titleAll, b.titleAll, sh)
		ov.Title = TextEvidence{Compared: true, Similarity: s, Language: lang}
		evidenceOf(&ov.Title, d.b.toks)
		num += w.Title * s
		den += w.Title
		text = s
	}
	if len(a.kw) > 0 && len(b.kw) > 0 {
		s := jaccard(a.kw, b.kw, sh)
		ov.Keywords = TextEvidence{Compared: true, Similarity: s}
		evidenceOf(&ov.Keywords, d.b.kws)
		num += w.Keywords * s
		den += w.Keywords
		text = max(text, s)
	}
	if d.o.MinText > 0 && text < d.o.MinText && !evidence {
		return ov, false
	}
	if len(a.nodes) > 0 && len(b.nodes) > 0 {
		var each func(x, y ovNode)
		if evidence {
			each = func(x, y ovNode) {
				fw, code, _ := strings.Cut(d.b.nodes.names[x.id], "\x00")
				ov.Alignments.Shared = append(ov.Alignments.Shared, SharedAlignment{
					Framework: fw, Code: code, VersionA: x.version, VersionB: y.version,
					RelationA: x.rel, RelationB: y.rel, Weight: min(x.w, y.w),
				})
			}
		}
		s := weightedJaccard(a.nodes, b.nodes, each)
		ov.Alignments.Compared, ov.Alignments.Similarity = true, s
		slices.SortFunc(ov.Alignments.Shared, func(x, y SharedAlignment) int {
			return cmp.Or(cmp.Compare(x.Framework, y.Framework), fwkit.CompareCodes(x.Code, y.Code))
		})
		num += w.Alignments * s
		den += w.Alignments
	}
	if len(a.objAll) > 0 && len(b.objAll) > 0 {
		if !evidence && (num+w.Objectives)/(den+w.Objectives) < d.o.Threshold {
			return ov, false
		}
		s, lang := langJaccard(a.obj, b.obj, a.objAll, b.objAll, sh)
		ov.Objectives = TextEvidence{Compared: true, Similarity: s, Language: lang}
		evidenceOf(&ov.Objectives, d.b.toks)
		num += w.Objectives * s
		den += w.Objectives
	}
	if den == 0 {
		return ov, false
	}
	ov.Score = num / den
	return ov, ov.Score >= d.o.Threshold && (d.o.MinText <= 0 || text >= d.o.MinText)
}
