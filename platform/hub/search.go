package hub

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/platform/store"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// mappingDefaults are the coverage options of the node lists.
var mappingDefaults = mapping.CoverageOptions{}

// pageSize is the number of hits per search page.
const pageSize = 20

// builtinFrameworks are the frameworks the node filter and the gap view
// offer, in this order.
var builtinFrameworks = []string{"gsbpm", "gamso", "digcomp", "un-bigdata"}

// option is one choice of a select.
type option struct {
	Value, Label string
	Count        int
	Selected     bool
}

// optGroup is a group of options.
type optGroup struct {
	Label   string
	Options []option
}

// searchData is the search page.
type searchData struct {
	Q                          string
	Node, Lang, License, Level string
	Kind, Publisher, Sort      string
	MinHours, MaxHours         string
	Error                      string
	Total                      int
	TotalText                  string // "1,000" (followed by "+") when Capped
	Capped                     bool
	Hits                       []hitView
	Page, Pages                int
	PrevURL, NextURL           string
	Nodes                      []optGroup
	Langs, Licenses, Levels    []option
	Kinds, Publishers, Sorts   []option
	Searched                   bool
	FacetsPartial              bool
}

// hitView is one search result.
type hitView struct {
	URL                string
	Title, Description text
	Publisher, Kind    string
	Level, License     string
	Languages          string
	Duration           string
	Version            string
}

func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &searchData{
		Q: q.Get("q"), Node: q.Get("node"), Lang: q.Get("lang"), License: q.Get("license"), Level: q.Get("level"),
		Kind: q.Get("kind"), Publisher: q.Get("publisher"), Sort: q.Get("sort"), MinHours: q.Get("min"), MaxHours: q.Get("max"),
	}
	d.Searched = len(q) > 0
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 || page > 10000 {
		page = 1
	}
	d.Page = page
	base := store.Filters{Language: d.Lang, License: d.License, Level: d.Level, Kind: d.Kind, Source: d.Publisher}
	if fw, code, ok := strings.Cut(d.Node, "/"); ok {
		base.Framework, base.Node = fw, code
	} else if d.Node != "" {
		base.Framework = d.Node
	}
	var errs []string
	hours := func(s, what string) time.Duration {
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 100000 {
			errs = append(errs, what+" must be a number of hours, such as 1.5")
			return 0
		}
		return time.Duration(f * float64(time.Hour))
	}
	base.MinDuration, base.MaxDuration = hours(d.MinHours, "The shortest duration"), hours(d.MaxHours, "The longest duration")
	terms, filters, err := store.ParseQuery(d.Q, base)
	if err != nil {
		errs = append(errs, err.Error())
	}
	query := store.Query{Terms: terms, Filters: filters, Offset: (page - 1) * pageSize, Limit: pageSize, Facets: true}
	switch d.Sort {
	case "title":
		query.Sort = store.SortTitle
	case "modified":
		query.Sort = store.SortModified
	}
	var res *store.Results
	if len(errs) == 0 {
		res, err = h.st.Search(r.Context(), query)
		if errors.Is(err, store.ErrInvalid) {
			errs = append(errs, strings.TrimPrefix(err.Error(), "store: invalid: "))
		} else if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		// The page itself is fine: it shows the form again with the
		// problem, as a person needs it.
		d.Error = strings.Join(errs, " ")
		res, err = h.st.Search(r.Context(), store.Query{Limit: 1, Facets: true})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		res.Hits, res.Total = nil, 0
	}
	d.Total, d.TotalText = res.Total, fmt.Sprint(res.Total)
	if res.Capped {
		d.TotalText, d.Capped = thousands(res.Total), true
	}
	d.Pages = (res.Total + pageSize - 1) / pageSize
	for _, hit := range res.Hits {
		d.Hits = append(d.Hits, hitView{
			URL: assetURL(hit.Key, ""), Title: pick(hit.Title), Description: shortText(pick(hit.Description), 280),
			Publisher: hit.Publisher, Kind: hit.Kind, Level: hit.Level, License: hit.License,
			Languages: strings.Join(hit.Languages, ", "), Duration: formatDuration(hit.Duration), Version: hit.Version,
		})
		if d.Hits[len(d.Hits)-1].Title.Text == "" {
			d.Hits[len(d.Hits)-1].Title = text{Text: hit.ID}
		}
	}
	if page > 1 {
		d.PrevURL = pageURL(q, page-1)
	}
	if page < d.Pages {
		d.NextURL = pageURL(q, page+1)
	}
	d.FacetsPartial = res.Facets != nil && res.Facets.Partial
	h.fillOptions(r, d, res.Facets)
	h.render(w, r, http.StatusOK, "search", d)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func shortText(t text, n int) text {
	t.Text = shorten(t.Text, n)
	return t
}

func pageURL(q url.Values, page int) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "page" {
			v[k] = vs
		}
	}
	v.Set("page", strconv.Itoa(page))
	return "/?" + v.Encode()
}

// fillOptions builds the filter controls from the facets of the results
// and the built-in frameworks' nodes.
func (h *Handler) fillOptions(r *http.Request, d *searchData, f *store.Facets) {
	if f == nil {
		f = &store.Facets{}
	}
	facet := func(values []store.FacetValue, selected string, label func(string) string) []option {
		out := []option{{Value: "", Label: "Any"}}
		found := false
		for _, v := range values {
			sel := strings.EqualFold(v.Value, selected)
			found = found || sel
			out = append(out, option{Value: v.Value, Label: label(v.Value), Count: v.Count, Selected: sel})
		}
		if selected != "" && !found {
			out = append(out, option{Value: selected, Label: label(selected), Selected: true})
		}
		return out
	}
	same := func(s string) string { return s }
	d.Langs = facet(f.Languages, d.Lang, languageName)
	d.Licenses = facet(f.Licenses, d.License, same)
	d.Levels = facet(f.Levels, d.Level, same)
	d.Kinds = facet(f.Kinds, d.Kind, same)
	names := map[string]string{}
	if pubs, err := h.st.Publishers(r.Context()); err == nil {
		for _, p := range pubs {
			names[p.Source] = p.Name
		}
	}
	d.Publishers = facet(f.Sources, d.Publisher, func(s string) string {
		if n := names[s]; n != "" && n != s {
			return n + " (" + s + ")"
		}
		return s
	})
	d.Sorts = []option{{Value: "", Label: "Relevance"}, {Value: "title", Label: "Title"}, {Value: "modified", Label: "Newest"}}
	for i := range d.Sorts {
		d.Sorts[i].Selected = d.Sorts[i].Value == d.Sort
	}
	d.Nodes = []optGroup{{Options: []option{{Value: "", Label: "Any", Selected: d.Node == ""}}}}
	for _, key := range builtinFrameworks {
		cov, err := h.reg.Coverage(key, "", nil, mappingDefaults)
		if err != nil {
			continue
		}
		label := h.reg.Label(key, "")
		g := optGroup{Label: label, Options: []option{{Value: key, Label: "All of " + label, Selected: d.Node == key}}}
		for _, n := range cov.Nodes {
			v := key + "/" + n.Code
			g.Options = append(g.Options, option{Value: v, Label: strings.Repeat("\u00a0\u00a0", n.Depth+1) + n.Code + " " + n.Name, Selected: d.Node == v})
		}
		d.Nodes = append(d.Nodes, g)
	}
}

// languageName names a language subtag in English, or returns it.
func languageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if n := display.English.Languages().Name(t); n != "" {
		return n + " (" + tag + ")"
	}
	return tag
}
