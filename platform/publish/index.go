package publish

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/metaacademy/ota/mapping"
)

type indexView struct {
	chrome
	Count, PublisherCount int
	Coverage              []coverageView
}

type coverageView struct {
	Key, Label, Href, Percent, Gaps string
	Leaves, Covered                 int
}

type publisherView struct{ Name, Anchor string }

var anchorWord = regexp.MustCompile(`[^a-z0-9]+`)

// writeIndex writes index.html — the trees by publisher, read from the
// ledger as the page is written — and a coverage heatmap per framework the
// asset trees are aligned to.
func (s *site) writeIndex() error {
	v := indexView{chrome: chrome{Lang: s.opts.Language, SiteTitle: s.siteTitle(), Root: "", HasSitemap: s.base != ""}, Count: s.trees}
	v.PageTitle = v.SiteTitle
	if s.base != "" {
		v.Canonical = s.base + "index.html"
	}
	err := s.l.query(func(scan func(...any) error) error { return scan(&v.PublisherCount) }, `SELECT COUNT(DISTINCT listed) FROM tree`)
	if err != nil {
		return err
	}
	for _, c := range s.covs {
		cov := c.b.Coverage()
		if !slices.ContainsFunc(cov.Nodes, func(n mapping.NodeCoverage) bool { return n.Direct.Sum() > 0 }) {
			continue // no tree aligned to it
		}
		var svg bytes.Buffer
		if err := cov.WriteSVG(&svg); err != nil {
			return fmt.Errorf("publish: %s heatmap: %w", c.key, err)
		}
		rel := "coverage/" + anchorWord.ReplaceAllString(c.key, "-") + ".svg"
		if err := s.writeFile(rel, svg.Bytes()); err != nil {
			return err
		}
		label := s.reg.Label(c.key, cov.Framework.Version)
		gaps := cov.Gaps.Leaves
		gapText := strings.Join(gaps, ", ")
		if len(gaps) > 12 {
			gapText = strings.Join(gaps[:12], ", ") + fmt.Sprintf(" and %d more", len(gaps)-12)
		}
		v.Coverage = append(v.Coverage, coverageView{
			Key: anchorWord.ReplaceAllString(c.key, "-"), Label: label, Href: rel,
			Leaves: cov.Leaves, Covered: cov.LeavesCovered, Percent: fmt.Sprintf("%.0f%%", 100*cov.Fraction()), Gaps: gapText,
		})
	}
	return s.writeStream("index.html", func(w io.Writer) error {
		if err := indexTemplate.ExecuteTemplate(w, "index-top", v); err != nil {
			return err
		}
		var pub string
		err := s.l.query(func(scan func(...any) error) error {
			var l link
			var listed, id string
			var title []byte
			if err := scan(&listed, &l.Href, &l.Note, &id, &title); err != nil {
				return err
			}
			if listed != pub {
				if pub != "" {
					if err := indexTemplate.ExecuteTemplate(w, "index-publisher-end", nil); err != nil {
						return err
					}
				}
				pub = listed
				pv := publisherView{Name: listed, Anchor: strings.Trim(anchorWord.ReplaceAllString(strings.ToLower(listed), "-"), "-")}
				if err := indexTemplate.ExecuteTemplate(w, "index-publisher", pv); err != nil {
					return err
				}
			}
			a, err := summaryOf(id, title)
			if err != nil {
				return err
			}
			l.Href = "assets/" + l.Href + ".html"
			l.Title = s.titleOf(a)
			return indexTemplate.ExecuteTemplate(w, "index-asset", l)
		}, `SELECT t.listed, t.slug, t.note, e.id, e.title FROM tree t JOIN entry e ON e.pos = t.pos ORDER BY t.listed, t.seq`)
		if err != nil {
			return err
		}
		if pub != "" {
			if err := indexTemplate.ExecuteTemplate(w, "index-publisher-end", nil); err != nil {
				return err
			}
		}
		return indexTemplate.ExecuteTemplate(w, "index-bottom", v)
	})
}
