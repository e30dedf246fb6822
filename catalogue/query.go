package catalogue

import (
	"slices"
	"strings"

	"github.com/metaacademy/ota/internal/fwkit"

	"github.com/metaacademy/ota/asset"
)

// Query selects catalogue entries. Every field that is set must match (the
// criteria are joined by AND); the zero Query matches every entry.
type Query struct {
	// Framework matches entries aligned to a node of this framework: a
	// registered key ("gsbpm") or an IRI, compared exactly.
	Framework string
	// Version, with Framework or Code, matches only alignments that name
	// this framework version exactly ("5.1"). Empty matches every
	// version: alignments are indexed version-insensitively.
	Version string
	// Code matches entries aligned to the node with this code ("5.3"), in
	// Framework when it is set, else in any framework.
	Code string
	// Relation matches entries whose alignment has this relation; an
	// alignment without one teaches. With Framework, Code or Version, the
	// same alignment must match all of them.
	Relation asset.AlignmentRelation
	// Language matches entries that teach in this language (their own
	// Languages, or the nearest ancestor's). Tags are compared ignoring
	// case; a tag without subtags also matches its regional variants:
	// "fr" finds "fr-CA", while "fr-CA" finds only "fr-CA".
	Language string
	// Kind matches entries of this kind.
	Kind asset.Kind
	// Level matches entries pitched at this level.
	Level asset.Level
	// Keyword matches entries with this keyword, compared after folding
	// case and accents and collapsing white space, in any language unless
	// KeywordLanguage is set.
	Keyword string
	// KeywordLanguage, with Keyword, matches the keyword only in the
	// keyword list of this language, compared as Language is.
	KeywordLanguage string
	// Publisher matches entries of this publisher, ignoring case and
	// accents.
	Publisher string
	// Text matches entries whose title, description, keywords or
	// objectives hold every word of Text, compared after folding case and
	// accents. Stop words ("the", "de", "para") are ignored, so a Text of
	// stop words only constrains nothing.
	Text string
	// RootsOnly matches only the roots of trees (whole documents), not
	// their parts.
	RootsOnly bool
}

// Query returns the entries that match q, in catalogue order.
//
// Each criterion is answered by an index; the postings lists are
// intersected starting from the shortest, so a query costs about the
// length of its most selective criterion rather than the catalogue's size.
// Criteria no single index answers exactly (a Version, or a Relation with
// Framework or Code but not both) are checked on the survivors.
func (c *Catalogue) Query(q Query) []*Entry {
	c.readLock()
	defer c.mu.RUnlock()
	lists, ok := c.postingsFor(q)
	if !ok {
		return nil
	}
	var hits []int32
	if len(lists) == 0 {
		hits = make([]int32, len(c.entries))
		for i := range hits {
			hits[i] = int32(i)
		}
	} else {
		hits = intersect(lists)
	}
	check := alignmentFilter(q)
	out := make([]*Entry, 0, len(hits))
	for _, p := range hits {
		e := c.entries[p]
		if q.RootsOnly && !e.IsRoot() {
			continue
		}
		if check != nil && !check(e.Asset) {
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// postingsFor returns the postings lists the criteria of q select, or false
// when one of them selects nothing. The caller holds the read lock.
func (c *Catalogue) postingsFor(q Query) ([][]int32, bool) {
	x := &c.idx
	var lists [][]int32
	ok := true
	need := func(l []int32) {
		if len(l) == 0 {
			ok = false
		}
		lists = append(lists, l)
	}
	fw, code := strings.TrimSpace(q.Framework), strings.TrimSpace(q.Code)
	switch {
	case fw != "" && code != "" && q.Relation != "":
		need(x.byNodeRel.get(nodeRelK{nodeOf(fw, code), q.Relation}))
	case fw != "" && code != "":
		need(x.byNode.get(nodeOf(fw, code)))
	default:
		if fw != "" {
			need(x.byFramework.get(fw))
		}
		if code != "" {
			need(x.byCode.get(code))
		}
		if q.Relation != "" {
			need(x.byRelation.get(q.Relation))
		}
	}
	if q.Language != "" {
		need(x.byLanguage.get(strings.ToLower(strings.TrimSpace(q.Language))))
	}
	if q.Kind != "" {
		need(x.byKind.get(q.Kind))
	}
	if q.Level != "" {
		need(x.byLevel.get(q.Level))
	}
	if kw := foldKeyword(q.Keyword); kw != "" {
		if q.KeywordLanguage != "" {
			need(x.byKwLang.get(langWord{strings.ToLower(strings.TrimSpace(q.KeywordLanguage)), kw}))
		} else {
			need(x.byKeyword.get(kw))
		}
	}
	if q.Publisher != "" {
		need(x.byPublisher.get(fold(q.Publisher)))
	}
	for _, t := range tokenSet(q.Text) {
		need(x.byToken.get(t))
	}
	return lists, ok
}

// alignmentFilter returns a check for the alignment criteria of q that the
// indexes do not answer exactly, or nil when there is none.
func alignmentFilter(q Query) func(*asset.Asset) bool {
	fw, code := strings.TrimSpace(q.Framework), strings.TrimSpace(q.Code)
	exact := q.Version == "" && (q.Relation == "" || (fw != "") == (code != ""))
	if exact {
		return nil
	}
	return func(a *asset.Asset) bool {
		found := false
		fwkit.EachAlignment(a, func(al asset.Alignment) {
			found = found ||
				(fw == "" || strings.TrimSpace(al.Framework) == fw) &&
					(code == "" || strings.TrimSpace(al.Code) == code) &&
					(q.Version == "" || al.Version == q.Version) &&
					(q.Relation == "" || fwkit.RelationOf(al) == q.Relation)
		})
		return found
	}
}

// intersect returns the positions in every list, ascending. It starts from
// the shortest list and looks each survivor up in the next shortest by
// galloping search, so the cost follows the shortest list.
func intersect(lists [][]int32) []int32 {
	slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		n, from := 0, 0
		for _, p := range out {
			i, found := gallop(l, from, p)
			from = i
			if found {
				out[n] = p
				n++
			}
		}
		out = out[:n]
		if n == 0 {
			return nil
		}
	}
	return out
}

// gallop finds p in the ascending l[from:], doubling the step before a
// binary search. It returns where p is or would be, and whether it is there.
func gallop(l []int32, from int, p int32) (int, bool) {
	step, hi := 1, from
	for hi < len(l) && l[hi] < p {
		from = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi+1, len(l))
	i, found := slices.BinarySearch(l[from:hi], p)
	return from + i, found
}
