// Package publish writes an OTA catalogue as a static web site that any web
// server can host, so that a statistical office can publish its training
// and hubs can harvest it:
//
//   - index.html: the catalogue's assets by publisher, and a coverage heatmap
//     (SVG) for each framework the assets are aligned to;
//   - assets/NAME.html: one page per asset, parts included, with its title,
//     description, objectives, duration, licence, contributors, alignments
//     (framework names, codes and node names), lineage, parts and downloads,
//     and its schema.org JSON-LD (packaging/lrmi, in the AMB profile);
//   - downloads/NAME.ota (signed when a key is given), NAME.scorm12.zip,
//     NAME.scorm2004.zip and NAME.cmi5.zip for each asset tree, made with
//     the codecs of packaging/;
//   - feed.json (and feed-2.json, … when paginated): the machine feed hubs
//     harvest (platform/feed), with tombstones for assets withdrawn since the
//     previous publication;
//   - sitemap.xml, when the site's base URL is known; style.css.
//
// The output is deterministic: the same catalogue and options give the same
// bytes. [Publish] owns the files it writes in the output folder and
// removes those of its own folders (assets/, downloads/, coverage/) and
// feed pages that the new publication no longer has; it leaves any other
// file alone.
package publish

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/platform/feed"
)

// Options configure [Publish]. The zero value publishes with relative links
// only, unsigned bundles and the defaults below.
type Options struct {
	// BaseURL is the absolute URL the site will be served at
	// ("https://training.example.org/catalogue/"). It makes the pages'
	// JSON-LD name the page (url) and the downloads (encoding), and the
	// sitemap possible; without it both are left out, with a warning.
	BaseURL string
	// Key signs the OTA bundles; its public key is listed in the feed.
	// Nil writes unsigned bundles.
	Key ed25519.PrivateKey
	// Title is the site's title; empty means "Training catalogue" and the
	// publisher's name.
	Title string
	// Publisher names who publishes the site, in the feed; empty means the
	// catalogue's publisher when it has one, else "OTA publisher".
	Publisher feed.Publisher
	// Language is the preferred language of the pages' texts (a BCP 47
	// tag); empty means English. Texts missing in it are shown in the
	// best other language, marked with their own lang attribute.
	Language string
	// Frameworks resolves alignments and draws coverage; nil means
	// mapping.Default().
	Frameworks *mapping.Registry
	// FeedPageSize is the number of entries per feed page; 0 means
	// feed.DefaultPageSize.
	FeedPageSize int
	// Load configures the reading of the catalogue (catalogue.LoadFS).
	Load catalogue.LoadOptions
	// Now is the clock that dates tombstones (assets withdrawn since the
	// previous publication); nil means time.Now. Nothing else depends on
	// it.
	Now func() time.Time
	// Workers is the number of asset trees packaged at once; 0 means
	// GOMAXPROCS.
	Workers int
}

// Result says what Publish did.
type Result struct {
	// Report holds the catalogue's issues (paths "SOURCE#POINTER"), the
	// issues of publishing ("publish.…" codes) and the losses of the
	// conversions, by source document: at most MaxLossExamples of each
	// loss code, the first by location.
	Report ota.Report
	// LossCounts counts every loss of the conversions by code, in code
	// order.
	LossCounts []LossCount
	// Pages is the number of asset pages written, Trees the number of
	// asset trees packaged, Files every file written.
	Pages, Trees, Files int
	// Withdrawn is the number of tombstones in the feed.
	Withdrawn int
}

// Issue codes of Publish.
const (
	// CodeNoBaseURL: no base URL was given, so the JSON-LD has no url and
	// no encoding and there is no sitemap (warning).
	CodeNoBaseURL = "publish.base-url.missing"
	// CodeDownloadSkipped: a download could not be made for an asset tree
	// (warning; the message says why, e.g. nothing to launch).
	CodeDownloadSkipped = "publish.download.skipped"
	// CodeNothingToLaunch: no SCORM or cmi5 download was made for an asset
	// tree because none of its assets has content to launch (info).
	CodeNothingToLaunch = "publish.download.nothing-to-launch"
	// CodeBundleFailed: the OTA bundle of an asset tree could not be made,
	// so the tree is left out of the feed (error).
	CodeBundleFailed = "publish.bundle.failed"
	// CodeJSONLD: the JSON-LD of a page could not be made (error).
	CodeJSONLD = "publish.jsonld.failed"
	// CodeDuplicateID: an asset ID held by several trees is published
	// once, from its first tree (warning).
	CodeDuplicateID = "publish.id.duplicate"
)

// ErrOutput is the class of an output folder Publish refuses or cannot
// write.
var ErrOutput = errors.New("publish: bad output folder")

// Publish reads the catalogue under src (as catalogue.LoadFS does) and
// writes the site into the folder out, creating it when needed. The error
// is non-nil only when the catalogue cannot be read at all, the output
// cannot be written, or ctx is cancelled; problems with single documents or
// downloads are in the result's report.
//
// Publish reads the catalogue twice, one document at a time: first to
// record what the index, the feed, the sitemap, cross-links, lineage and
// coverage need of each asset, then to package each tree and write its
// pages. What it records is kept in a temporary SQLite database (deleted
// when Publish returns) with a bounded cache, so its memory does not grow
// with the number of assets.
func Publish(ctx context.Context, src fs.FS, out string, opts Options) (*Result, error) {
	s, err := newSite(ctx, src, out, opts)
	if err != nil {
		return nil, err
	}
	defer s.l.Close()
	rep, err := s.readSummaries(ctx, src)
	if err != nil {
		return nil, err
	}
	res, err := s.run(ctx, s.rereadTrees(src))
	if res != nil {
		rep.Merge(res.Report)
		res.Report = rep
	}
	return res, err
}

// PublishCatalogue writes the site of a catalogue already loaded. src is
// the file system the entries' Source paths are relative to: the files
// their resources name are read from the folder of their document. Entries
// added in code (without a Source) are published with no content files.
func PublishCatalogue(ctx context.Context, cat *catalogue.Catalogue, src fs.FS, out string, opts Options) (*Result, error) {
	s, err := newSite(ctx, src, out, opts)
	if err != nil {
		return nil, err
	}
	defer s.l.Close()
	if err := s.addEntries(cat); err != nil {
		return nil, err
	}
	return s.run(ctx, s.loadedTrees)
}

// site is one publication in progress. What it knows of every asset is in
// its ledger; it holds one tree at a time in each worker.
type site struct {
	src  fs.FS
	out  string
	opts Options
	reg  *mapping.Registry
	base string // BaseURL with a trailing slash, or ""
	l    *ledger
	covs []coverageBuilder // one per framework key, fed as trees are added

	trees, pages int            // published trees and asset pages
	loaded       []*asset.Asset // PublishCatalogue: the full trees, by tree number - 1
	pub          feed.Publisher // who publishes, once the ledger is filled
	maxURLs      int            // URLs per sitemap file: sitemapMax (tests lower it)

	mu      sync.Mutex
	rep     ota.Report
	losses  map[string]*lossGroup // by code
	written map[string]bool       // slash paths relative to out, but of pages and downloads
}

// coverageBuilder is the coverage of one framework, built tree by tree.
type coverageBuilder struct {
	key string
	b   *mapping.CoverageBuilder
}

// tree is one published asset tree (document), loaded from the ledger by
// the worker that writes it, and what was made of it.
type tree struct {
	seq       int64 // its number, from 1, in catalogue order
	id, loc   string
	source    string
	slug      string
	title     asset.LangString
	pages     []*page    // the tree's published assets, root first
	downloads []download // made, in format order; the OTA bundle first
}

// download is one file made for a tree: its format (an index in formats),
// size and SHA-256; its path is named by the tree's slug.
type download struct {
	format int
	size   int64
	sum    [sha256.Size]byte
}

// spec is the download's entry in formats.
func (d download) spec() downloadFormat { return formats[d.format] }

// sha256 is the download's SHA-256 in hexadecimal.
func (d download) sha256() string { return hex.EncodeToString(d.sum[:]) }

// downloadPath is the slash path, relative to out, of a tree's download.
func (t *tree) downloadPath(d download) string {
	return "downloads/" + t.slug + d.spec().suffix
}

// digest is "sha256:…" of the tree's OTA bundle, or "" when it could not
// be made (nor, then, any other download).
func (t *tree) digest() string {
	if len(t.downloads) == 0 || t.downloads[0].spec().format != feed.FormatOTA {
		return ""
	}
	return "sha256:" + t.downloads[0].sha256()
}

// has reports whether the tree has a download of formats[f].
func (t *tree) has(f int) bool {
	return slices.ContainsFunc(t.downloads, func(d download) bool { return d.format == f })
}

func newSite(ctx context.Context, src fs.FS, out string, opts Options) (*site, error) {
	if out == "" {
		return nil, fmt.Errorf("%w: no output folder given", ErrOutput)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOutput, err)
	}
	st, err := os.Lstat(out)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a folder", ErrOutput, out)
	}
	s := &site{src: src, out: out, opts: opts, reg: opts.Frameworks, maxURLs: sitemapMax, losses: map[string]*lossGroup{}, written: map[string]bool{}}
	if s.reg == nil {
		s.reg = mapping.Default()
	}
	if opts.BaseURL != "" {
		s.base = strings.TrimSuffix(opts.BaseURL, "/") + "/"
	}
	if s.opts.Language == "" {
		s.opts.Language = "en"
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	if s.opts.Workers <= 0 {
		s.opts.Workers = runtime.GOMAXPROCS(0)
	}
	seen := map[string]bool{}
	for _, fw := range s.reg.List() {
		if fw.Key == "" || seen[fw.Key] {
			continue
		}
		seen[fw.Key] = true
		b, err := s.reg.CoverageBuilder(fw.Key, "", mapping.CoverageOptions{Totals: true})
		if err != nil {
			continue
		}
		s.covs = append(s.covs, coverageBuilder{key: fw.Key, b: b})
	}
	if s.l, err = openLedger(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// content is the file system of a tree's content files: its document's
// folder, or nil for a tree added in code.
func (s *site) content(t *tree) fs.FS {
	if t.source == "" || s.src == nil {
		return nil
	}
	if dir := path.Dir(t.source); dir != "." {
		if sub, err := fs.Sub(s.src, dir); err == nil {
			return sub
		}
		return nil
	}
	return s.src
}

// run writes everything, each tree's downloads and pages from the full
// trees that each calls fn with.
func (s *site) run(ctx context.Context, each eachTree) (*Result, error) {
	if s.base == "" {
		s.rep.Add(ota.Issue{Code: CodeNoBaseURL, Severity: ota.Warning,
			Message: "no base URL given (--base-url): the pages' JSON-LD names neither the page nor the downloads, and no sitemap.xml is written"})
	}
	var err error
	if s.pub, err = s.publisher(); err != nil {
		return nil, err
	}
	if err := s.writeTrees(ctx, each); err != nil {
		return nil, err
	}
	withdrawn, err := s.writeFeed()
	if err != nil {
		return nil, err
	}
	if err := s.writeIndex(); err != nil {
		return nil, err
	}
	if err := s.writeFile("style.css", []byte(stylesheet)); err != nil {
		return nil, err
	}
	if s.base != "" {
		if err := s.writeSitemap(); err != nil {
			return nil, err
		}
	}
	if err := s.removeStale(); err != nil {
		return nil, err
	}
	s.rep.Sort()
	res := &Result{Report: s.rep, Pages: s.pages, Trees: s.trees, Files: len(s.written), Withdrawn: withdrawn}
	var pages, downloads int
	err = s.l.query(func(scan func(...any) error) error { return scan(&pages, &downloads) },
		`SELECT (SELECT COUNT(*) FROM entry WHERE written = 1), (SELECT COALESCE(SUM(LENGTH(downloads)), 0) FROM tree)`)
	if err != nil {
		return nil, err
	}
	res.Files += pages + downloads/downloadSize
	res.Report.Losses, res.LossCounts = s.lossResult()
	return res, nil
}

// addIssue records an issue safely from any worker.
func (s *site) addIssue(is ota.Issue) {
	s.mu.Lock()
	s.rep.Add(is)
	s.mu.Unlock()
}

// record records a file written, by its slash path relative to out.
func (s *site) record(rel string) {
	s.mu.Lock()
	s.written[rel] = true
	s.mu.Unlock()
}

// made reports whether the file name in the owned folder dir is an asset
// page or a download this publication wrote.
func (s *site) made(dir, name string) (bool, error) {
	switch dir {
	case "assets":
		slug, ok := strings.CutSuffix(name, ".html")
		if !ok {
			return false, nil
		}
		written := false
		err := s.l.query(func(scan func(...any) error) error { return scan(&written) },
			`SELECT written FROM entry WHERE slug = ?`, slug)
		return written, err
	case "downloads":
		for i, f := range formats {
			slug, ok := strings.CutSuffix(name, f.suffix)
			if !ok {
				continue
			}
			var blob []byte
			err := s.l.query(func(scan func(...any) error) error { return scan(&blob) },
				`SELECT downloads FROM tree WHERE slug = ?`, slug)
			if err != nil {
				return false, err
			}
			if (&tree{downloads: decodeDownloads(blob)}).has(i) {
				return true, nil
			}
		}
	}
	return false, nil
}

// ownedDirs are the folders of out whose files Publish manages.
var ownedDirs = []string{"assets", "downloads", "coverage"}

// removeStale removes the files of the owned folders, feed pages and
// sitemaps that this publication did not write. Folders are read a batch
// of names at a time.
func (s *site) removeStale() error {
	for _, dir := range ownedDirs {
		err := eachDirEntry(filepath.Join(s.out, dir), func(e fs.DirEntry) error {
			rel := dir + "/" + e.Name()
			if !e.Type().IsRegular() || s.written[rel] {
				return nil
			}
			made, err := s.made(dir, e.Name())
			if err != nil || made {
				return err
			}
			return os.Remove(filepath.Join(s.out, filepath.FromSlash(rel)))
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %w", ErrOutput, err)
		}
	}
	err := eachDirEntry(s.out, func(e fs.DirEntry) error {
		n := e.Name()
		if e.Type().IsRegular() && (feedPageName.MatchString(n) || sitemapName.MatchString(n)) && !s.written[n] {
			return os.Remove(filepath.Join(s.out, n))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrOutput, err)
	}
	return nil
}

// eachDirEntry calls fn with the entries of the folder dir, read a batch
// at a time, so that a folder of many files is never listed whole.
func eachDirEntry(dir string, fn func(fs.DirEntry) error) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		batch, err := f.ReadDir(1024)
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
