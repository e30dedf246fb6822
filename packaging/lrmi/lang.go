package lrmi

import (
	"fmt"
	"net/url"
	"slices"

	"golang.org/x/text/language"

	"github.com/metaacademy/ota/asset"
)

// iso6391 returns the ISO 639-1 code of a BCP 47 tag's language ("fr" for
// "fr-CA"), or "" when the tag does not parse or its language has none
// ("fil", "und"). The AMB profile tags languages with ISO 639-1 codes only.
func iso6391(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	base, conf := t.Base()
	if conf == language.No {
		return ""
	}
	s := base.String()
	if len(s) != 2 {
		return ""
	}
	return s
}

// chooseLanguage picks the document's language among the title's: the best
// match for opts.Language, else the first of the asset's languages the
// title has, else English, else the first title tag in order that has an
// ISO 639-1 code. It falls back to "en" when no title tag has one.
func (b *builder) chooseLanguage() string {
	title := b.a.Title
	has := func(code string) bool {
		for tag := range title {
			if iso6391(tag) == code {
				return true
			}
		}
		return false
	}
	if b.opts.Language != "" {
		if _, tag, ok := title.Best(b.opts.Language); ok {
			if c := iso6391(tag); c != "" && c == iso6391(b.opts.Language) {
				return c
			}
		}
	}
	for _, l := range b.a.Languages {
		if c := iso6391(l); c != "" && has(c) {
			return c
		}
	}
	if has("en") {
		return "en"
	}
	for _, tag := range title.Tags() {
		if c := iso6391(tag); c != "" {
			return c
		}
	}
	b.loss("/title", "the title's language", "no title language has an ISO 639-1 code, which the AMB profile needs; the document says English")
	return "en"
}

// textIn returns the text of s in the language code (ISO 639-1), preferring
// a tag that is exactly the code, then the first regional one in tag order.
func textIn(s asset.LangString, code string) (string, bool) {
	if t, ok := s.Get(code); ok {
		return t, true
	}
	for _, tag := range s.Tags() {
		if iso6391(tag) == code {
			return s[tag], true
		}
	}
	return "", false
}

// texts writes name, description and keywords: in the document's language
// as AMB's plain strings, and every language in the language maps when
// there is more than one.
func (b *builder) texts(d *document) {
	a := b.a
	d.Name, _ = textIn(a.Title, b.lang)
	if d.Name == "" { // a title in no language AMB can tag
		d.Name, _, _ = a.Title.Best(b.lang)
	}
	if len(a.Title) > 1 {
		d.NameByLanguage = langMap(a.Title)
	}
	if len(a.Description) > 0 {
		d.Description, _ = textIn(a.Description, b.lang)
		if len(a.Description) > 1 || d.Description == "" {
			d.DescriptionByLanguage = langMap(a.Description)
		}
	}
	if len(a.Keywords) > 0 {
		for _, tag := range sortedTags(a.Keywords) {
			if iso6391(tag) == b.lang {
				d.Keywords = append(d.Keywords, a.Keywords[tag]...)
			}
		}
		other := false
		for tag := range a.Keywords {
			if iso6391(tag) != b.lang {
				other = true
			}
		}
		if other {
			d.KeywordsByLanguage = make(map[string][]string, len(a.Keywords))
			for tag, kws := range a.Keywords {
				if tag == "und" {
					tag = "@none"
				}
				if len(kws) > 0 {
					d.KeywordsByLanguage[tag] = kws
				}
			}
		}
	}
	if len(a.Accessibility) > 0 {
		for _, tag := range a.Accessibility.Tags() {
			d.AccessibilitySummary = append(d.AccessibilitySummary, langValue{Value: a.Accessibility[tag], Language: tag})
		}
	}
}

// langMap copies a LangString as a JSON-LD language map. "und" (no
// language) is the map's "@none".
func langMap(s asset.LangString) map[string]string {
	m := make(map[string]string, len(s))
	for tag, text := range s {
		if tag == "und" {
			tag = "@none"
		}
		m[tag] = text
	}
	return m
}

func sortedTags(l asset.LangList) []string {
	tags := make([]string, 0, len(l))
	for t := range l {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	return tags
}

// prefLabel returns s as an AMB localized string: keys are ISO 639-1 codes;
// of several tags of one language the first in tag order wins; tags without
// a code are left out.
func prefLabel(s asset.LangString) map[string]string {
	m := map[string]string{}
	for _, tag := range s.Tags() {
		if c := iso6391(tag); c != "" {
			if _, dup := m[c]; !dup {
				m[c] = s[tag]
			}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// languages writes inLanguage: the ISO 639-1 codes of the asset's
// languages, each once.
func (b *builder) languages(d *document) {
	for i, l := range b.a.Languages {
		c := iso6391(l)
		if c == "" {
			b.loss(fmt.Sprintf("/languages/%d", i), fmt.Sprintf("the language %q", l), "the AMB profile's inLanguage admits ISO 639-1 codes only")
			continue
		}
		if !slices.Contains(d.InLanguage, c) {
			d.InLanguage = append(d.InLanguage, c)
		}
	}
}

// isURI reports whether s is an absolute URI with a scheme, as JSON-LD
// node IDs and the AMB profile's "uri" format need.
func isURI(s string) bool {
	if s == "" {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}
