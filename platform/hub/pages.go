package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/packaging/lrmi"
	"github.com/metaacademy/ota/platform/store"
)

// record reads the record the query's source and id name, and decodes it.
func (h *Handler) record(w http.ResponseWriter, r *http.Request) (*store.Record, *asset.Asset, bool) {
	k := store.Key{Source: r.URL.Query().Get("source"), ID: r.URL.Query().Get("id")}
	if k.Source == "" || k.ID == "" {
		h.render(w, r, http.StatusBadRequest, "notfound", "An asset page needs a source and an id.")
		return nil, nil, false
	}
	rec, err := h.st.Get(r.Context(), k)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.Deleted) {
		h.notFound(w, r, "The hub holds no asset "+k.ID+" from "+k.Source+".")
		return nil, nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	doc, _, err := asset.Unmarshal(rec.Doc, asset.ReadOptions{MaxBytes: store.MaxDocBytes})
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	return &rec, &doc.Asset, true
}

// assetData is the asset page.
type assetData struct {
	Rec          *store.Record
	Title        text
	Description  text
	Objectives   []text
	Kind, Level  string
	Duration     string
	License      string
	LicenseURL   string
	Languages    string
	Keywords     []text
	Contributors []asset.Contributor
	Alignments   []alignView
	Parts        []partView
	Up, Down     []lineView
	Overlaps     []overlapView
	Downloads    []downloadView
	JSONLD       template.JS
	Fetched      string
}

type alignView struct {
	Framework, Code, Name, Relation, FilterURL string
}

type partView struct {
	Anchor, Kind, Duration string
	Title                  text
	Depth                  int
}

type lineView struct {
	Depth int
	Type  string
	From  side
	To    side
	Known bool
}

type downloadView struct{ Label, URL string }

// formatLabels name the download formats.
var formatLabels = map[string]string{
	"ota": "OTA bundle (.ota, signed)", "scorm12": "SCORM 1.2 package", "scorm2004-4": "SCORM 2004 4th Edition package",
	"cmi5": "cmi5 course package", "html": "Page on the publisher's site", "json": "OTA document (JSON)",
}

func (h *Handler) asset(w http.ResponseWriter, r *http.Request) {
	rec, a, ok := h.record(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	d := &assetData{Rec: rec, Title: pick(a.Title), Description: pick(a.Description), Kind: string(a.Kind), Level: string(a.Level),
		Duration: formatDuration(a.TotalDuration().Approx()), License: a.License, Languages: strings.Join(a.Languages, ", "),
		Contributors: a.Contributors, Fetched: rec.Fetched.UTC().Format(time.RFC3339)}
	if d.Title.Text == "" {
		d.Title = text{Text: a.ID}
	}
	if a.License != "" {
		d.LicenseURL = lrmi.LicenseURL(a.License)
	}
	for _, o := range a.Objectives {
		if t := pick(o.Text); t.Text != "" {
			d.Objectives = append(d.Objectives, t)
		}
	}
	for _, tag := range sortedKeys(a.Keywords) {
		for _, kw := range a.Keywords[tag] {
			d.Keywords = append(d.Keywords, text{Text: kw, Lang: tag})
		}
	}
	for ptr, x := range a.All() {
		for _, al := range x.Alignments {
			d.Alignments = append(d.Alignments, h.alignView(al))
		}
		for _, o := range x.Objectives {
			for _, al := range o.Alignments {
				d.Alignments = append(d.Alignments, h.alignView(al))
			}
		}
		if ptr != "" {
			t := pick(x.Title)
			if t.Text == "" {
				t = text{Text: x.ID}
			}
			d.Parts = append(d.Parts, partView{Anchor: partAnchor(ptr), Kind: string(x.Kind), Title: t,
				Duration: formatDuration(x.TotalDuration().Approx()), Depth: strings.Count(ptr, "/parts/") - 1})
		}
	}
	d.Alignments = uniqueAligns(d.Alignments)

	names := h.titles(ctx)
	up, down, keys, err := lineage(ctx, h.st, a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	step := func(s catalogue.LineageStep, derived bool) lineView {
		v := lineView{Depth: s.Depth, Type: string(s.Type)}
		v.From = side{Title: text{Text: s.From}}
		v.To = side{Title: text{Text: s.To}}
		if s.Entry != nil {
			k := keys[s.Entry.Root]
			other := names.of(k, s.Entry.Pointer)
			v.Known = true
			if derived {
				v.From = other
			} else {
				v.To = other
			}
		}
		return v
	}
	for _, s := range up {
		d.Up = append(d.Up, step(s, false))
	}
	for _, s := range down {
		d.Down = append(d.Down, step(s, true))
	}
	k := rec.Key()
	ovs, _, err := h.st.Overlaps(ctx, store.OverlapQuery{Key: &k, Limit: 20})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Overlaps = h.overlapViews(names, ovs)

	base := h.baseURL(r)
	var dls []lrmi.Download
	for _, f := range sortedKeys(rec.Downloads) {
		label := formatLabels[f]
		if label == "" {
			label = f
		}
		d.Downloads = append(d.Downloads, downloadView{Label: label + " — from " + rec.PublisherName(), URL: rec.Downloads[f]})
		if f != "html" {
			dls = append(dls, lrmi.Download{URL: rec.Downloads[f], MediaType: mediaTypes[f]})
		}
	}
	d.Downloads = append(d.Downloads,
		downloadView{Label: "OTA document (JSON) — from this hub", URL: "/asset.json?" + r.URL.RawQuery},
		downloadView{Label: "schema.org JSON-LD — from this hub", URL: "/asset.jsonld?" + r.URL.RawQuery})
	ld, _, err := lrmi.Marshal(a, lrmi.Options{URL: base + assetURL(k, ""), Frameworks: h.reg, Downloads: dls})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.JSONLD = scriptJSON(ld)
	h.render(w, r, http.StatusOK, "asset", d)
}

// mediaTypes are the media types of the download formats.
var mediaTypes = map[string]string{"ota": "application/vnd.ota+zip", "scorm12": "application/zip", "scorm2004-4": "application/zip", "cmi5": "application/zip"}

// scriptJSON makes JSON safe inside a script element: "<" (which could
// close it) and the line separators JavaScript parsers choke on become
// escapes, which every JSON reader decodes back.
func scriptJSON(data []byte) template.JS {
	data = bytes.ReplaceAll(data, []byte("<"), []byte(`\u003c`))
	data = bytes.ReplaceAll(data, []byte(">"), []byte(`\u003e`))
	data = bytes.ReplaceAll(data, []byte("&"), []byte(`\u0026`))
	data = bytes.ReplaceAll(data, []byte("\u2028"), []byte(`\u2028`))
	data = bytes.ReplaceAll(data, []byte("\u2029"), []byte(`\u2029`))
	return template.JS(data) //nolint:gosec // escaped above; JSON, not script
}

func (h *Handler) alignView(al asset.Alignment) alignView {
	v := alignView{Framework: al.Framework, Code: al.Code, Relation: string(al.Relation)}
	if v.Relation == "" {
		v.Relation = string(asset.Teaches)
	}
	if fw, n, err := h.reg.Resolve(al); err == nil {
		if fw.Key != "" {
			v.Framework = h.reg.Label(fw.Key, fw.Version)
			v.FilterURL = "/?node=" + fw.Key + "/" + n.Code
		}
		v.Name = nodeName(n)
	}
	return v
}

func nodeName(n *framework.Node) string {
	if n == nil {
		return ""
	}
	t, _, _ := n.Name.Best("en")
	return t
}

func uniqueAligns(in []alignView) []alignView {
	seen := map[alignView]bool{}
	var out []alignView
	for _, a := range in {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (h *Handler) assetJSON(w http.ResponseWriter, r *http.Request) {
	rec, _, ok := h.record(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="asset.ota.json"`)
	w.Write(rec.Doc) //nolint:errcheck // the client went away
}

func (h *Handler) assetJSONLD(w http.ResponseWriter, r *http.Request) {
	rec, a, ok := h.record(w, r)
	if !ok {
		return
	}
	ld, _, err := lrmi.Marshal(a, lrmi.Options{URL: h.baseURL(r) + assetURL(rec.Key(), ""), Frameworks: h.reg})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json")
	w.Write(ld) //nolint:errcheck // the client went away
}

// overlapView is one overlap with its evidence.
type overlapView struct {
	Score    string
	A, B     side
	Evidence store.Evidence
}

func (h *Handler) overlapViews(names *titles, ovs []store.Overlap) []overlapView {
	var out []overlapView
	for _, o := range ovs {
		v := overlapView{Score: strconv.Itoa(int(100*o.Score+0.5)) + "%", A: names.of(o.A, o.APointer), B: names.of(o.B, o.BPointer)}
		_ = json.Unmarshal(o.Evidence, &v.Evidence)
		out = append(out, v)
	}
	return out
}
