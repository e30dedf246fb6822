package publish

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
)

// feedPageName matches the feed's page files: feed.json, feed-2.json, …
var feedPageName = regexp.MustCompile(`^feed(-[1-9][0-9]*)?\.json$`)

// sitemapName matches the sitemap files: sitemap.xml, sitemap-1.xml, …
var sitemapName = regexp.MustCompile(`^sitemap(-[1-9][0-9]*)?\.xml$`)

// feedPage names page n of the feed.
func feedPage(n int) string {
	if n == 1 {
		return "feed.json"
	}
	return fmt.Sprintf("feed-%d.json", n)
}

// publisher is who the feed says publishes the site.
func (s *site) publisher() feed.Publisher {
	p := s.opts.Publisher
	if p.Name == "" {
		var names []string
		for _, n := range s.cat.Publishers() {
			if n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 1 {
			p.Name = names[0]
		} else {
			p.Name = "OTA publisher"
		}
	}
	if p.URL == "" && s.base != "" {
		p.URL = s.base
	}
	return p
}

// maxPreviousPages bounds how much of the previous feed is read.
const maxPreviousPages = 10000

// previousFeed reads the feed the output folder holds from an earlier
// publication, page by page from feed.json, and returns its entries; nil
// when there is none. It follows only next links to feed page names in the
// folder.
func (s *site) previousFeed() ([]feed.Entry, error) {
	var out []feed.Entry
	name := feedPage(1)
	for range maxPreviousPages {
		f, err := os.Open(filepath.Join(s.out, name))
		if err != nil {
			if os.IsNotExist(err) && name == feedPage(1) {
				return nil, nil
			}
			return out, err
		}
		p, err := feed.Read(f, feed.ReadOptions{})
		_ = f.Close()
		if err != nil {
			return out, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, p.Entries...)
		if p.Next == "" {
			return out, nil
		}
		if !feedPageName.MatchString(p.Next) {
			return out, fmt.Errorf("%s: next link %q is not a feed page of this folder", name, p.Next)
		}
		name = p.Next
	}
	return out, fmt.Errorf("the previous feed has more than %d pages", maxPreviousPages)
}

// writeFeed writes the feed pages: an entry for every tree that has its
// bundle, and a tombstone for every asset the previous feed had that this
// publication does not (dated now, or when the previous feed withdrew it).
func (s *site) writeFeed() (int, error) {
	f := &feed.Feed{Publisher: s.publisher()}
	if s.opts.Key != nil {
		pub := s.opts.Key.Public().(ed25519.PublicKey)
		f.Keys = []feed.Key{{ID: bundle.KeyID(pub), PublicKey: base64.StdEncoding.EncodeToString(pub)}}
	}
	live := map[string]bool{}
	for _, t := range s.trees {
		digest := t.digest()
		if digest == "" {
			continue
		}
		a := t.root.Asset
		e := feed.Entry{ID: a.ID, Version: a.Version, Kind: a.Kind, Title: a.Title, Digest: digest, Page: "assets/" + t.slug + ".html"}
		for _, d := range []string{a.Modified, a.Published, a.Created} {
			if d != "" {
				e.Modified = d
				break
			}
		}
		for _, d := range t.downloads {
			f := d.spec()
			e.Downloads = append(e.Downloads, feed.Download{Format: f.format, URL: t.downloadPath(d), MediaType: f.mediaType, Size: d.size, SHA256: d.sha256()})
		}
		f.Entries = append(f.Entries, e)
		live[a.ID] = true
	}
	prev, err := s.previousFeed()
	if err != nil {
		s.addIssue(ota.Issue{Pointer: "feed.json", Code: "publish.feed.previous-unreadable", Severity: ota.Warning,
			Message: fmt.Sprintf("the previous publication's feed cannot be read (%v), so assets it listed and this one does not get no tombstone", err)})
	}
	withdrawn := 0
	now := s.opts.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	seen := map[string]bool{}
	for _, e := range prev {
		if live[e.ID] || seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		ts := feed.Entry{ID: e.ID, Deleted: true, Modified: now}
		if e.Deleted && e.Modified != "" {
			ts.Modified = e.Modified
		}
		f.Entries = append(f.Entries, ts)
		withdrawn++
	}
	pages, err := f.Pages(s.opts.FeedPageSize, feedPage)
	if err != nil {
		return 0, fmt.Errorf("publish: feed: %w", err)
	}
	for _, p := range pages {
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			return 0, fmt.Errorf("publish: feed: %w", err)
		}
		if err := s.writeFile(feedPage(p.Number), buf.Bytes()); err != nil {
			return 0, err
		}
	}
	return withdrawn, nil
}

// sitemapMax is the most URLs one sitemap file may list.
const sitemapMax = 50000

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// writeSitemap writes sitemap.xml: the index and every asset page, with
// the asset's modified date; beyond 50 000 URLs, a sitemap index over
// sitemap-N.xml files.
func (s *site) writeSitemap() error {
	urls := []sitemapURL{{Loc: s.base + "index.html"}}
	for _, p := range s.pages {
		u := sitemapURL{Loc: s.base + "assets/" + p.slug + ".html"}
		if m := p.entry.Asset.Modified; m != "" {
			u.LastMod = m
		}
		urls = append(urls, u)
	}
	const ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
	write := func(name string, v any) error {
		var buf bytes.Buffer
		buf.WriteString(xml.Header)
		enc := xml.NewEncoder(&buf)
		enc.Indent("", "  ")
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("publish: %s: %w", name, err)
		}
		buf.WriteByte('\n')
		return s.writeFile(name, buf.Bytes())
	}
	type urlset struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		URLs    []sitemapURL `xml:"url"`
	}
	if len(urls) <= sitemapMax {
		return write("sitemap.xml", urlset{NS: ns, URLs: urls})
	}
	type index struct {
		XMLName  xml.Name     `xml:"sitemapindex"`
		NS       string       `xml:"xmlns,attr"`
		Sitemaps []sitemapURL `xml:"sitemap"`
	}
	idx := index{NS: ns}
	for i := 0; i*sitemapMax < len(urls); i++ {
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		if err := write(name, urlset{NS: ns, URLs: urls[i*sitemapMax : min(len(urls), (i+1)*sitemapMax)]}); err != nil {
			return err
		}
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: s.base + name})
	}
	return write("sitemap.xml", idx)
}
