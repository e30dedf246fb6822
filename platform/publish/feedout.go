package publish

import (
	"bytes"
	"cmp"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
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
func (s *site) publisher() (feed.Publisher, error) {
	p := s.opts.Publisher
	if p.Name == "" {
		var names []string
		err := s.l.query(func(scan func(...any) error) error {
			var n string
			err := scan(&n)
			names = append(names, n)
			return err
		}, `SELECT DISTINCT publisher FROM entry WHERE publisher != '' LIMIT 2`)
		if err != nil {
			return p, err
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
	return p, nil
}

// maxPreviousPages bounds how much of the previous feed is read.
const maxPreviousPages = 10000

// previousFeed reads the feed the output folder holds from an earlier
// publication, page by page from feed.json, into the ledger: each ID once,
// with its first entry. It follows only next links to feed page names in
// the folder. No feed is no error.
func (s *site) previousFeed() error {
	name := feedPage(1)
	ord := 0
	for range maxPreviousPages {
		f, err := os.Open(filepath.Join(s.out, name))
		if err != nil {
			if os.IsNotExist(err) && name == feedPage(1) {
				return nil
			}
			return err
		}
		p, err := feed.Read(f, feed.ReadOptions{})
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := s.l.addPrevious(p.Entries, ord); err != nil {
			return err
		}
		ord += len(p.Entries)
		if p.Next == "" {
			return nil
		}
		if !feedPageName.MatchString(p.Next) {
			return fmt.Errorf("%s: next link %q is not a feed page of this folder", name, p.Next)
		}
		name = p.Next
	}
	return fmt.Errorf("the previous feed has more than %d pages", maxPreviousPages)
}

// feedEntry is the feed entry of a tree whose worker is done, or nil when
// it has no bundle.
func (s *site) feedEntry(t *tree, root *asset.Asset) *feed.Entry {
	digest := t.digest()
	if digest == "" {
		return nil
	}
	e := &feed.Entry{ID: root.ID, Version: root.Version, Kind: root.Kind, Title: root.Title, Digest: digest, Page: "assets/" + t.slug + ".html"}
	for _, d := range []string{root.Modified, root.Published, root.Created} {
		if d != "" {
			e.Modified = d
			break
		}
	}
	for _, d := range t.downloads {
		f := d.spec()
		e.Downloads = append(e.Downloads, feed.Download{Format: f.format, URL: t.downloadPath(d), MediaType: f.mediaType, Size: d.size, SHA256: d.sha256()})
	}
	return e
}

// writeFeed writes the feed pages: an entry for every tree that has its
// bundle (recorded by its worker), and a tombstone for every asset the
// previous feed had that this publication does not (dated now, or when the
// previous feed withdrew it). The entries are sorted by the ledger, which
// lists them twice to feed.Feed.WritePages: for the digest every page
// carries, then a page at a time.
func (s *site) writeFeed() (int, error) {
	if err := s.previousFeed(); err != nil {
		s.addIssue(ota.Issue{Pointer: "feed.json", Code: "publish.feed.previous-unreadable", Severity: ota.Warning,
			Message: fmt.Sprintf("the previous publication's feed cannot be read (%v), so assets it listed and this one does not get no tombstone", err)})
	}
	withdrawn, err := s.tombstones()
	if err != nil {
		return 0, err
	}
	f := &feed.Feed{Publisher: s.pub}
	if s.opts.Key != nil {
		pub := s.opts.Key.Public().(ed25519.PublicKey)
		f.Keys = []feed.Key{{ID: bundle.KeyID(pub), PublicKey: base64.StdEncoding.EncodeToString(pub)}}
	}
	// The ledger lists the entries in feed order, as Feed.Sort puts them.
	each := func(fn func(feed.Entry) error) error {
		return s.l.query(func(scan func(...any) error) error {
			var b []byte
			if err := scan(&b); err != nil {
				return err
			}
			var e feed.Entry
			if err := json.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("publish: ledger: feed entry: %w", err)
			}
			return fn(e)
		}, `SELECT entry FROM feed ORDER BY dated DESC, secs DESC, nanos DESC, id`)
	}
	err = f.WritePages(s.opts.FeedPageSize, feedPage, each, func(p *feed.Page) error {
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			return fmt.Errorf("publish: feed: %w", err)
		}
		return s.writeFile(feedPage(p.Number), buf.Bytes())
	})
	if err != nil {
		return 0, err
	}
	return withdrawn, nil
}

// tombstones adds to the feed a tombstone for every asset of the previous
// feed this publication does not list, in the previous feed's order, a
// batch at a time, and returns how many.
func (s *site) tombstones() (int, error) {
	now := s.opts.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	n, last := 0, -1
	for {
		var batch []feed.Entry
		err := s.l.query(func(scan func(...any) error) error {
			var e feed.Entry
			if err := scan(&e.ID, &last, &e.Deleted, &e.Modified); err != nil {
				return err
			}
			batch = append(batch, e)
			return nil
		}, `SELECT id, ord, deleted, modified FROM prev WHERE ord > ? AND id NOT IN (SELECT id FROM feed) ORDER BY ord LIMIT 500`, last)
		if err != nil || len(batch) == 0 {
			return n, cmp.Or(err, s.l.commit())
		}
		for _, e := range batch {
			ts := feed.Entry{ID: e.ID, Deleted: true, Modified: now}
			if e.Deleted && e.Modified != "" {
				ts.Modified = e.Modified
			}
			if err := s.l.addFeed(ts); err != nil {
				return n, err
			}
			n++
		}
	}
}

// sitemapMax is the most URLs one sitemap file may list.
const sitemapMax = 50000

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// writeSitemap writes sitemap.xml: the index and every asset page, with
// the asset's modified date; beyond 50 000 URLs, a sitemap index over
// sitemap-N.xml files. The pages are read from the ledger as the files are
// written.
func (s *site) writeSitemap() error {
	const ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
	urls := 1 + s.pages
	// sitemap writes one file of URLs, from the page at offset on.
	sitemap := func(name string, offset, limit int) error {
		return s.writeStream(name, func(w io.Writer) error {
			io.WriteString(w, xml.Header)
			enc := xml.NewEncoder(w)
			enc.Indent("", "  ")
			start := xml.StartElement{Name: xml.Name{Local: "urlset"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
			if err := enc.EncodeToken(start); err != nil {
				return err
			}
			if offset == 0 {
				if err := enc.EncodeElement(sitemapURL{Loc: s.base + "index.html"}, urlElement); err != nil {
					return err
				}
				limit--
			} else {
				offset--
			}
			err := s.l.query(func(scan func(...any) error) error {
				var slug, mod string
				if err := scan(&slug, &mod); err != nil {
					return err
				}
				return enc.EncodeElement(sitemapURL{Loc: s.base + "assets/" + slug + ".html", LastMod: mod}, urlElement)
			}, `SELECT slug, modified FROM entry WHERE slug IS NOT NULL ORDER BY pos LIMIT ? OFFSET ?`, limit, offset)
			if err != nil {
				return err
			}
			if err := enc.EncodeToken(start.End()); err != nil {
				return err
			}
			if err := enc.Flush(); err != nil {
				return err
			}
			_, err = io.WriteString(w, "\n")
			return err
		})
	}
	if urls <= s.maxURLs {
		return sitemap("sitemap.xml", 0, urls)
	}
	type index struct {
		XMLName  xml.Name     `xml:"sitemapindex"`
		NS       string       `xml:"xmlns,attr"`
		Sitemaps []sitemapURL `xml:"sitemap"`
	}
	idx := index{NS: ns}
	for i := 0; i*s.maxURLs < urls; i++ {
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		if err := sitemap(name, i*s.maxURLs, s.maxURLs); err != nil {
			return err
		}
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: s.base + name})
	}
	return s.writeStream("sitemap.xml", func(w io.Writer) error {
		io.WriteString(w, xml.Header)
		enc := xml.NewEncoder(w)
		enc.Indent("", "  ")
		if err := enc.Encode(idx); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	})
}

// urlElement names a sitemap's url elements.
var urlElement = xml.StartElement{Name: xml.Name{Local: "url"}}
