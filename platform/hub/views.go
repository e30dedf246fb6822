package hub

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/metaacademy/ota/platform/store"
)

// gapData is the gap view of one framework.
type gapData struct {
	Frameworks    []option
	Key, Label    string
	Version       string
	Nodes         []gapNode
	Gaps          []gapNode
	Leaves        int
	LeavesCovered int
	Sources       int
}

type gapNode struct {
	Code, Name string
	Depth      int
	Leaf, Gap  bool
	Assets     int
	Sources    []string
	FilterURL  string
}

func (h *Handler) gaps(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("framework")
	if key == "" {
		key = builtinFrameworks[0]
	}
	cov, err := h.reg.Coverage(key, "", nil, mappingDefaults)
	if err != nil {
		h.notFound(w, r, "The hub knows no framework "+strconv.Quote(key)+".")
		return
	}
	counts, err := h.st.Coverage(r.Context(), key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	byCode := map[string]store.NodeCount{}
	for _, c := range counts {
		byCode[c.Code] = c
	}
	pubs, err := h.st.Publishers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &gapData{Key: key, Label: h.reg.Label(key, ""), Version: cov.Framework.Version}
	for _, p := range pubs {
		if p.Assets > 0 {
			d.Sources++
		}
	}
	for _, k := range builtinFrameworks {
		d.Frameworks = append(d.Frameworks, option{Value: k, Label: h.reg.Label(k, ""), Selected: k == key})
	}
	for _, n := range cov.Nodes {
		c := byCode[n.Code]
		g := gapNode{Code: n.Code, Name: n.Name, Depth: n.Depth, Leaf: n.Leaf, Gap: c.Assets == 0, Assets: c.Assets, Sources: c.SourceNames,
			FilterURL: "/?" + url.Values{"node": {key + "/" + n.Code}}.Encode()}
		d.Nodes = append(d.Nodes, g)
		if n.Leaf {
			d.Leaves++
			if g.Gap {
				d.Gaps = append(d.Gaps, g)
			} else {
				d.LeavesCovered++
			}
		}
	}
	h.render(w, r, http.StatusOK, "gaps", d)
}

// listData is a paged list page.
type listData struct {
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	Publisher        string
	Publishers       []option
	Overlaps         []overlapView
	Chains           []chainView
}

// chainView is one derivation across publishers with the chain it ends.
type chainView struct {
	From, To side
	Type     string
	Chain    []lineView
}

func (h *Handler) paging(r *http.Request, total, size int, d *listData) int {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	d.Total, d.Pages = total, (total+size-1)/size
	if page < 1 {
		page = 1
	}
	d.Page = page
	if page > 1 {
		d.PrevURL = pageURL(r.URL.Query(), page-1)
	}
	if page < d.Pages {
		d.NextURL = pageURL(r.URL.Query(), page+1)
	}
	return page
}

func (h *Handler) overlaps(w http.ResponseWriter, r *http.Request) {
	const size = 20
	d := &listData{Publisher: r.URL.Query().Get("publisher")}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	ovs, total, err := h.st.Overlaps(r.Context(), store.OverlapQuery{Source: d.Publisher, Offset: (page - 1) * size, Limit: size})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.paging(r, total, size, d)
	d.Overlaps = h.overlapViews(h.titles(r.Context()), ovs)
	pubs, err := h.st.Publishers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Publishers = []option{{Value: "", Label: "Every publisher", Selected: d.Publisher == ""}}
	for _, p := range pubs {
		d.Publishers = append(d.Publishers, option{Value: p.Source, Label: p.Name, Selected: p.Source == d.Publisher})
	}
	h.render(w, r, http.StatusOK, "overlaps", d)
}

func (h *Handler) lineagePage(w http.ResponseWriter, r *http.Request) {
	const size = 20
	ctx := r.Context()
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	ds, total, err := h.st.Derivations(ctx, (page-1)*size, size)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &listData{}
	h.paging(r, total, size, d)
	names := h.titles(ctx)
	for _, dv := range ds {
		c := chainView{Type: dv.Type, From: names.of(dv.From, pointerOf(names, dv.From, dv.FromID)), To: names.of(dv.To, pointerOf(names, dv.To, dv.ToID))}
		up, _, keys, err := lineage(ctx, h.st, dv.FromID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, s := range up {
			v := lineView{Depth: s.Depth, Type: string(s.Type), To: side{Title: text{Text: s.To}}}
			if s.Entry != nil {
				v.To, v.Known = names.of(keys[s.Entry.Root], s.Entry.Pointer), true
			}
			c.Chain = append(c.Chain, v)
		}
		d.Chains = append(d.Chains, c)
	}
	h.render(w, r, http.StatusOK, "lineage", d)
}

// pointerOf finds the pointer of the asset id within record k's tree.
func pointerOf(t *titles, k store.Key, id string) string {
	t.of(k, "")
	if a := t.trees[k]; a != nil {
		if _, ptr := a.Find(id); ptr != "" {
			return ptr
		}
	}
	return ""
}

func (h *Handler) publishers(w http.ResponseWriter, r *http.Request) {
	pubs, err := h.st.Publishers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "publishers", pubs)
}
