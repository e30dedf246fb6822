package publish

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/metaacademy/ota/mapping"
)

type indexView struct {
	chrome
	Count      int
	Coverage   []coverageView
	Publishers []publisherView
}

type coverageView struct {
	Key, Label, Href, Percent, Gaps string
	Leaves, Covered                 int
}

type publisherView struct {
	Name, Anchor string
	Assets       []link
}

var anchorWord = regexp.MustCompile(`[^a-z0-9]+`)

// writeIndex writes index.html and a coverage heatmap per framework the
// asset trees are aligned to.
func (s *site) writeIndex() error {
	v := indexView{chrome: chrome{Lang: s.opts.Language, SiteTitle: s.siteTitle(), Root: "", HasSitemap: s.base != ""}, Count: len(s.trees)}
	v.PageTitle = v.SiteTitle
	if s.base != "" {
		v.Canonical = s.base + "index.html"
	}
	var entries []mapping.Entry
	byPub := map[string]*publisherView{}
	for _, t := range s.trees {
		a := t.root.Asset
		entries = append(entries, mapping.Entry{Asset: a, Publisher: t.root.Publisher})
		name := t.root.Publisher
		if name == "" {
			name = "Publisher not stated"
		}
		pv, ok := byPub[name]
		if !ok {
			pv = &publisherView{Name: name, Anchor: strings.Trim(anchorWord.ReplaceAllString(strings.ToLower(name), "-"), "-")}
			byPub[name] = pv
		}
		note := kindLabel(a.Kind)
		if d := a.TotalDuration(); !d.IsZero() {
			note += ", " + humanDuration(d)
		}
		if len(a.Languages) > 0 {
			note += ", " + strings.Join(a.Languages, " ")
		}
		pv.Assets = append(pv.Assets, link{Href: "assets/" + t.slug + ".html", Title: s.titleOf(a), Note: note})
	}
	for _, name := range slices.Sorted(maps.Keys(byPub)) {
		v.Publishers = append(v.Publishers, *byPub[name])
	}
	seen := map[string]bool{}
	for _, fw := range s.reg.List() {
		key := fw.Key
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		cov, err := s.reg.Coverage(key, "", entries, mapping.CoverageOptions{})
		if err != nil || len(cov.Cells) == 0 {
			continue
		}
		var svg bytes.Buffer
		if err := cov.WriteSVG(&svg); err != nil {
			return fmt.Errorf("publish: %s heatmap: %w", key, err)
		}
		rel := "coverage/" + anchorWord.ReplaceAllString(key, "-") + ".svg"
		if err := s.writeFile(rel, svg.Bytes()); err != nil {
			return err
		}
		label := s.reg.Label(key, cov.Framework.Version)
		gaps := cov.Gaps.Leaves
		gapText := strings.Join(gaps, ", ")
		if len(gaps) > 12 {
			gapText = strings.Join(gaps[:12], ", ") + fmt.Sprintf(" and %d more", len(gaps)-12)
		}
		v.Coverage = append(v.Coverage, coverageView{
			Key: anchorWord.ReplaceAllString(key, "-"), Label: label, Href: rel,
			Leaves: cov.Leaves, Covered: cov.LeavesCovered, Percent: fmt.Sprintf("%.0f%%", 100*cov.Fraction()), Gaps: gapText,
		})
	}
	var buf bytes.Buffer
	if err := indexTemplate.ExecuteTemplate(&buf, "index.html", v); err != nil {
		return fmt.Errorf("publish: index: %w", err)
	}
	return s.writeFile("index.html", buf.Bytes())
}
