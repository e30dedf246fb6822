package publish

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/lrmi"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed style.css
var stylesheet string

var (
	pageTemplate  = template.Must(template.ParseFS(templateFiles, "templates/base.html", "templates/page.html"))
	indexTemplate = template.Must(template.ParseFS(templateFiles, "templates/base.html", "templates/index.html"))
)

// page is one asset page: its entry in the ledger.
type page struct {
	pos       int64 // the entry's place in catalogue order
	id        string
	ptr       string // JSON Pointer in its tree
	loc       string // the entry's location
	publisher string
	slug      string
	tree      *tree
	written   bool // set by the worker of its tree
}

// text is a text in a language; Lang is empty when the language is not
// known ("und").
type text struct{ Value, Lang string }

// link is a link to a page, or a bare target.
type link struct {
	Href  string
	Title text
	Note  string
}

// chrome is what every page's head and foot need.
type chrome struct {
	Lang, PageTitle, SiteTitle, Root, Canonical string
	HasSitemap                                  bool
	JSONLD                                      template.JS
}

type pageView struct {
	chrome
	ID, Kind, Version, Publisher string
	Title                        text
	Description                  *text
	PartOf                       *link
	Duration, Level              string
	Languages, Modes             []string
	License                      *struct{ Expr, URL string }
	Keywords                     []text
	Dates                        []struct{ Label, Value string }
	Objectives                   []objectiveView
	Alignments                   []alignView
	Contributors                 []contributorView
	Parts, Prerequisites         []link
	Lineage, Derivatives         []lineView
	Downloads                    []downloadView
	DownloadsAt                  *link
	Missing                      string
}

type objectiveView struct {
	Text       text
	Alignments []alignView
}

type alignView struct {
	Framework, Code, URL, Relation, Level string
	Name                                  text
}

type contributorView struct{ Name, Href, Affiliation, Roles string }

type lineView struct {
	Relation, Href, Target, Publisher string
	Title                             text
}

type downloadView struct{ Label, Href, MediaType, Size, SHA256 string }

// best picks a LangString's text in the site's language or its best
// substitute.
func (s *site) best(ls asset.LangString) text {
	v, tag, ok := ls.Best(s.opts.Language)
	if !ok {
		return text{}
	}
	if tag == "und" {
		tag = ""
	}
	return text{Value: v, Lang: tag}
}

// titleOf is an asset's title, or its ID when it has none.
func (s *site) titleOf(a *asset.Asset) text {
	if t := s.best(a.Title); t.Value != "" {
		return t
	}
	return text{Value: a.ID}
}

// pageHref is the link from one asset page to another asset's page, or ""
// when that asset is not published.
func (s *site) pageHref(id string) (string, error) {
	slug, err := s.l.slugOfID(id)
	if slug == "" || err != nil {
		return "", err
	}
	return slug + ".html", nil
}

// lookup is the asset lrmi and links name for an ID: a summary of the
// first entry holding it, or nil.
func (s *site) lookup(id string) (*asset.Asset, error) {
	r, err := s.l.first(id)
	if r == nil || err != nil {
		return nil, err
	}
	return r.asset(), nil
}

func (s *site) siteTitle() string {
	if s.opts.Title != "" {
		return s.opts.Title
	}
	return "Training catalogue — " + s.pub.Name
}

// writePage writes the page of p, whose asset is a in its full tree (the
// entry may hold a summary) and whose parent there is parent (nil for a
// root).
func (s *site) writePage(p *page, a, parent *asset.Asset) error {
	v := pageView{
		chrome: chrome{Lang: s.opts.Language, SiteTitle: s.siteTitle(), Root: "../", HasSitemap: s.base != ""},
		ID:     a.ID, Kind: kindLabel(a.Kind), Version: a.Version, Publisher: p.publisher,
		Title: s.titleOf(a), Level: string(a.Level), Languages: a.Languages,
	}
	v.PageTitle = v.Title.Value + " — " + v.SiteTitle
	if s.base != "" {
		v.Canonical = s.base + "assets/" + p.slug + ".html"
	}
	if d := s.best(a.Description); d.Value != "" {
		v.Description = &d
	}
	if !a.Duration.IsZero() {
		v.Duration = humanDuration(a.Duration)
	} else if tot := a.TotalDuration(); !tot.IsZero() {
		v.Duration = humanDuration(tot) + " (its parts together)"
	}
	for _, m := range a.DeliveryModes {
		v.Modes = append(v.Modes, string(m))
	}
	if a.License != "" {
		v.License = &struct{ Expr, URL string }{Expr: a.License}
		if ids := strings.Fields(a.License); len(ids) == 1 {
			v.License.URL = lrmi.LicenseURL(ids[0])
		}
	}
	for _, tag := range slices.Sorted(maps.Keys(a.Keywords)) {
		lang := tag
		if lang == "und" {
			lang = ""
		}
		for _, k := range a.Keywords[tag] {
			v.Keywords = append(v.Keywords, text{Value: k, Lang: lang})
		}
	}
	for _, d := range []struct{ label, value string }{{"Created", a.Created}, {"Published", a.Published}, {"Modified", a.Modified}} {
		if d.value != "" {
			v.Dates = append(v.Dates, struct{ Label, Value string }{d.label, d.value})
		}
	}
	for _, o := range a.Objectives {
		ov := objectiveView{Text: s.best(o.Text)}
		for _, al := range o.Alignments {
			ov.Alignments = append(ov.Alignments, s.alignView(al))
		}
		v.Objectives = append(v.Objectives, ov)
	}
	for _, al := range a.Alignments {
		v.Alignments = append(v.Alignments, s.alignView(al))
	}
	for _, c := range a.Contributors {
		cv := contributorView{Name: c.Name, Affiliation: c.Affiliation}
		if strings.HasPrefix(c.ID, "https://") || strings.HasPrefix(c.ID, "http://") {
			cv.Href = c.ID
		}
		var roles []string
		for _, r := range c.Roles {
			roles = append(roles, string(r))
		}
		cv.Roles = strings.Join(roles, ", ")
		v.Contributors = append(v.Contributors, cv)
	}
	var err error
	href := func(id string) string {
		h, e := s.pageHref(id)
		err = cmp.Or(err, e)
		return h
	}
	for i := range a.Parts {
		part := &a.Parts[i]
		l := link{Href: href(part.ID), Title: s.titleOf(part), Note: kindLabel(part.Kind)}
		if !part.Duration.IsZero() {
			l.Note += ", " + humanDuration(part.Duration)
		}
		v.Parts = append(v.Parts, l)
	}
	lookup := func(id string) *asset.Asset {
		x, e := s.lookup(id)
		err = cmp.Or(err, e)
		return x
	}
	for _, id := range a.Prerequisites {
		l := link{Href: href(id), Note: id}
		if x := lookup(id); x != nil {
			l.Title = s.titleOf(x)
		}
		v.Prerequisites = append(v.Prerequisites, l)
	}
	if err != nil {
		return err // the ledger's
	}
	if v.Lineage, err = s.lineage(a.ID, false); err != nil {
		return err
	}
	if v.Derivatives, err = s.lineage(a.ID, true); err != nil {
		return err
	}
	if parent != nil {
		v.PartOf = &link{Href: href(parent.ID), Title: s.titleOf(parent)}
	}
	var lds []lrmi.Download
	if p.ptr == "" {
		have := map[string]bool{}
		for _, d := range p.tree.downloads {
			f, rel := d.spec(), p.tree.downloadPath(d)
			have[f.format] = true
			v.Downloads = append(v.Downloads, downloadView{Label: f.label, Href: "../" + rel, MediaType: f.mediaType, Size: humanSize(d.size), SHA256: d.sha256()})
			if s.base != "" {
				lds = append(lds, lrmi.Download{URL: s.base + rel, MediaType: f.mediaType, Size: d.size, SHA256: d.sha256()})
			}
		}
		var missing []string
		if len(p.tree.downloads) > 0 {
			for _, f := range formats {
				if !have[f.format] {
					missing = append(missing, f.label)
				}
			}
		}
		v.Missing = strings.Join(missing, ", ")
	} else {
		v.DownloadsAt = &link{Href: p.tree.slug + ".html", Title: s.titleOf(&asset.Asset{ID: p.tree.id, Title: p.tree.title})}
	}
	ld, rep, ldErr := lrmi.Marshal(a, lrmi.Options{Language: s.opts.Language, URL: v.Canonical, Frameworks: s.reg,
		Lookup: lookup, Parent: parent, Downloads: lds})
	if err != nil {
		return err // the ledger's
	}
	if ldErr != nil {
		s.addIssue(ota.Issue{Pointer: p.loc, Code: CodeJSONLD, Severity: ota.Error, Message: fmt.Sprintf("the page has no JSON-LD: %v", ldErr)})
	} else {
		v.JSONLD = template.JS(ld) // lrmi escapes <, > and &: safe in a script element
		losses := make([]ota.Loss, 0, len(rep.Losses))
		for _, l := range rep.Losses {
			l.Pointer = joinPointer(p.loc, l.Pointer) + " (JSON-LD)"
			losses = append(losses, l)
		}
		s.addLosses(losses)
	}
	var buf bytes.Buffer
	if err := pageTemplate.ExecuteTemplate(&buf, "page.html", v); err != nil {
		return fmt.Errorf("publish: page of %s: %w", a.ID, err)
	}
	if err := s.put("assets/"+p.slug+".html", buf.Bytes()); err != nil {
		return err
	}
	p.written = true
	return nil
}

// joinPointer appends a JSON Pointer to a location "PATH" or
// "PATH#POINTER".
func joinPointer(loc, ptr string) string {
	switch {
	case ptr == "":
		return loc
	case strings.Contains(loc, "#"):
		return loc + ptr
	}
	return loc + "#" + ptr
}

// parentPointer returns the JSON Pointer of the asset a part at ptr
// belongs to directly, and false for a root.
func parentPointer(ptr string) (string, bool) {
	i := strings.LastIndex(ptr, "/parts/")
	if i < 0 {
		return "", false
	}
	return ptr[:i], true
}

// alignView describes an alignment by its framework's label and its node.
func (s *site) alignView(al asset.Alignment) alignView {
	rel := string(al.Relation)
	if rel == "" {
		rel = string(asset.Teaches)
	}
	v := alignView{Framework: strings.TrimSpace(al.Framework + " " + al.Version), Code: al.Code, Relation: rel, Level: al.Level}
	if fw, node, err := s.reg.Resolve(al); err == nil && node != nil {
		key := fw.Key
		if key == "" {
			key = fw.ID
		}
		if l := s.reg.Label(key, fw.Version); l != "" {
			v.Framework = l
		}
		v.Name = s.best(node.Name)
		if strings.HasPrefix(node.ID, "http") {
			v.URL = node.ID
		}
	}
	return v
}

// lineage describes the lineage of the asset id, or with derived its
// derivatives.
func (s *site) lineage(id string, derived bool) ([]lineView, error) {
	steps, err := s.l.lineage(id)
	if derived {
		steps, err = s.l.derivatives(id)
	}
	if err != nil {
		return nil, err
	}
	var out []lineView
	for _, st := range steps {
		target := st.to
		if derived {
			target = st.from
		}
		href, err := s.pageHref(target)
		if err != nil {
			return nil, err
		}
		lv := lineView{Relation: relationLabel(st.typ, derived), Target: target, Href: href}
		if st.depth > 1 {
			lv.Relation = "(via another) " + lv.Relation
		}
		if st.entry != nil {
			lv.Title = s.titleOf(st.entry.asset())
			lv.Publisher = st.entry.Publisher
		}
		out = append(out, lv)
	}
	return out, nil
}

func relationLabel(t asset.RelationType, derived bool) string {
	switch {
	case t == asset.IsTranslationOf && !derived:
		return "a translation of"
	case t == asset.IsTranslationOf:
		return "translated as"
	case t == asset.IsVersionOf && !derived:
		return "a version of"
	case t == asset.IsVersionOf:
		return "another version:"
	case !derived:
		return "an adaptation of"
	}
	return "adapted as"
}

func kindLabel(k asset.Kind) string {
	if k == "" {
		return "asset"
	}
	return string(k)
}

// humanDuration writes a duration as hours and minutes ("4 h 30 min"), or
// days for long ones, with the ISO 8601 form.
func humanDuration(d asset.Duration) string {
	t := d.Approx()
	var s string
	switch {
	case t >= 48*time.Hour:
		s = fmt.Sprintf("about %d days", int(t.Hours()/24+0.5))
	case t >= time.Hour:
		h, m := int(t.Hours()), int(t.Minutes())%60
		s = fmt.Sprintf("%d h", h)
		if m > 0 {
			s += fmt.Sprintf(" %d min", m)
		}
	default:
		s = fmt.Sprintf("%d min", int(t.Minutes()+0.5))
	}
	return s + " (" + d.String() + ")"
}

func humanSize(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
