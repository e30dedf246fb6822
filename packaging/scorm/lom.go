package scorm

import (
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/lom"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// lomOf reads the fields of a LOM record that map onto the asset model.
// Both bindings are read by local name: IEEE LOM (<string language>) and
// IMS MD 1.2.1 (<langstring xml:lang>).
func lomOf(rec *xmlnode.Node) *LOM {
	l := &LOM{}
	for _, cat := range rec.Children {
		switch cat.Local {
		case "general":
			for _, f := range cat.Children {
				switch f.Local {
				case "title":
					l.Title = addLang(l.Title, f)
				case "description":
					l.Description = addLang(l.Description, f)
				case "keyword":
					for _, s := range langStrings(f) {
						if l.Keywords == nil {
							l.Keywords = asset.LangList{}
						}
						l.Keywords[s.lang] = append(l.Keywords[s.lang], s.text)
					}
				case "language":
					if f.Text != "" {
						l.Languages = append(l.Languages, f.Text)
					}
				}
			}
		case "technical":
			if d := childLocal(cat, "duration"); d != nil && l.Duration == "" {
				l.Duration = durationText(d)
			}
		case "educational":
			if d := childLocal(cat, "typicalLearningTime", "typicallearningtime"); d != nil && l.Duration == "" {
				l.Duration = durationText(d)
			}
		case "lifeCycle", "lifecycle":
			l.Contributors = append(l.Contributors, contributorsOf(cat)...)
		case "rights":
			if d := childLocal(cat, "description"); d != nil {
				l.Rights = addLang(l.Rights, d)
			}
		case "classification":
			if al, ok := alignmentOf(cat); ok {
				l.Alignments = append(l.Alignments, al)
			}
		}
	}
	return l
}

// alignmentMarker starts the classification description this package
// writes for an alignment (internal/lom writes it); the rest holds its
// relation and level.
const alignmentMarker = lom.AlignmentMarker

// alignmentOf reads a LOM classification written for an alignment
// (purpose competency or prerequisite, taxon path source "FRAMEWORK
// [VERSION]", taxon id the code, the description starting with
// "ota-alignment"). A classification without the marker is read as an
// alignment only when its source is an absolute IRI, as the model
// requires of frameworks other than the built-in ones.
func alignmentOf(c *xmlnode.Node) (asset.Alignment, bool) {
	var purpose, source, code, desc string
	if p := childLocal(c, "purpose"); p != nil {
		if v := childLocal(p, "value"); v != nil {
			purpose = strings.ToLower(strings.TrimSpace(langOrText(v)))
		}
	}
	if tp := childLocal(c, "taxonPath", "taxonpath"); tp != nil {
		if s := childLocal(tp, "source"); s != nil {
			if ls := langStrings(s); len(ls) > 0 {
				source = ls[0].text
			}
		}
		if tx := childLocal(tp, "taxon"); tx != nil {
			if id := childLocal(tx, "id"); id != nil {
				code = strings.TrimSpace(id.Text)
			}
		}
	}
	if d := childLocal(c, "description"); d != nil {
		if ls := langStrings(d); len(ls) > 0 {
			desc = ls[0].text
		}
	}
	framework, version, _ := strings.Cut(strings.TrimSpace(source), " ")
	marked := strings.HasPrefix(desc, alignmentMarker)
	if framework == "" || code == "" || (!marked && !hasScheme(framework)) {
		return asset.Alignment{}, false
	}
	al := asset.Alignment{Framework: framework, Version: strings.TrimSpace(version), Code: code, Relation: asset.Teaches}
	if purpose == "prerequisite" {
		al.Relation = asset.Requires
	}
	for _, f := range strings.Fields(strings.TrimPrefix(desc, alignmentMarker)) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "relation":
			if r := asset.AlignmentRelation(v); r.Valid() {
				al.Relation = r
			}
		case "level":
			al.Level = v
		}
	}
	return al, true
}

// childLocal returns the first child of n with one of the local names.
func childLocal(n *xmlnode.Node, names ...string) *xmlnode.Node {
	for _, c := range n.Children {
		if contains(names, c.Local) {
			return c
		}
	}
	return nil
}

// durationText returns a LOM duration's value: <duration><duration>
// (IEEE LOM), <datetime> (IMS MD) or the element's own text.
func durationText(d *xmlnode.Node) string {
	if c := childLocal(d, "duration", "datetime"); c != nil {
		return c.Text
	}
	return d.Text
}

type langText struct{ lang, text string }

// langStrings reads the language strings of a LOM field.
func langStrings(f *xmlnode.Node) []langText {
	var out []langText
	for _, s := range f.Children {
		if s.Local != "string" && s.Local != "langstring" {
			continue
		}
		lang, ok := s.Attr("", "language")
		if !ok {
			lang, _ = s.Attr(xmlNS, "lang")
		}
		lang = strings.TrimSpace(lang)
		if lang == "" || strings.EqualFold(lang, "x-none") {
			lang = "und"
		}
		if t := strings.Join(strings.Fields(s.Text), " "); t != "" {
			out = append(out, langText{lang, t})
		}
	}
	if len(out) == 0 && f.Text != "" {
		out = append(out, langText{"und", f.Text})
	}
	return out
}

func addLang(s asset.LangString, f *xmlnode.Node) asset.LangString {
	for _, lt := range langStrings(f) {
		if s == nil {
			s = asset.LangString{}
		}
		if _, dup := s[lt.lang]; !dup {
			s[lt.lang] = lt.text
		}
	}
	return s
}

// mergeLOM adds b's fields to a where a lacks them.
func mergeLOM(a, b *LOM) *LOM {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	a.Title = mergeLang(a.Title, b.Title)
	a.Description = mergeLang(a.Description, b.Description)
	a.Rights = mergeLang(a.Rights, b.Rights)
	for k, v := range b.Keywords {
		if a.Keywords == nil {
			a.Keywords = asset.LangList{}
		}
		a.Keywords[k] = append(a.Keywords[k], v...)
	}
	a.Languages = append(a.Languages, b.Languages...)
	a.Contributors = append(a.Contributors, b.Contributors...)
	a.Alignments = append(a.Alignments, b.Alignments...)
	if a.Duration == "" {
		a.Duration = b.Duration
	}
	return a
}

func mergeLang(a, b asset.LangString) asset.LangString {
	for k, v := range b {
		if a == nil {
			a = asset.LangString{}
		}
		if _, ok := a[k]; !ok {
			a[k] = v
		}
	}
	return a
}
