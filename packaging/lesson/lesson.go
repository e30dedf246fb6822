package lesson

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"golang.org/x/text/language"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
)

// Errors returned by [Open]; test with errors.Is.
var (
	// ErrNoLesson means the folder holds neither a config.yaml nor an
	// episodes folder nor any Markdown file.
	ErrNoLesson = errors.New("lesson: no config.yaml, episodes folder or Markdown file")
	// ErrConfig means config.yaml is not a YAML mapping; the error says
	// at which line.
	ErrConfig = errors.New("lesson: config.yaml cannot be read")
	// ErrTooLarge means a file is larger than the limit the [Options]
	// set for it.
	ErrTooLarge = errors.New("lesson: file too large")
	// ErrRefused means a path the lesson reads is a symbolic link (one
	// not followed, or one leading outside the lesson's folder) or is
	// neither a regular file nor a folder (a named pipe, a device, a
	// socket). The whole lesson is refused, so that no file from outside
	// it ends up in an export; the error names the path.
	ErrRefused = errors.New("lesson: refused path")
)

// Defaults of [Options].
const (
	// DefaultMaxFileSize is the default cap of a text file read into
	// memory: 512 KiB, far above any real episode (tens of kilobytes).
	// Parsing a page builds a tree of up to some hundred bytes per byte
	// of Markdown (a paragraph per "a\n\n"), so this bounds one page's
	// memory.
	DefaultMaxFileSize = 512 << 10
	// DefaultMaxMarkdownSize is the default cap of the Markdown of all the
	// pages together: 4 MiB, several times the largest lessons. A page is
	// kept parsed until it is rendered, at some 25 bytes of memory per
	// byte of dense Markdown, so that this is what bounds memory.
	DefaultMaxMarkdownSize = 4 << 20
	// DefaultMaxNodes is the default cap of the Markdown elements
	// (paragraphs, emphasis, links, text runs…) of all the pages
	// together, which stay parsed until the pages are rendered: a real
	// episode has a few thousand.
	DefaultMaxNodes = 300_000
	// DefaultMaxResourceSize is the default cap of a referenced file
	// (figure, data set), which is hashed as a stream: 1 GiB.
	DefaultMaxResourceSize = 1 << 30
	// DefaultMaxPages is the default cap of the number of pages read.
	DefaultMaxPages = 5000
)

// Options configure [Open], [OpenFS] and [OpenFile]. The zero value
// applies the defaults.
type Options struct {
	// MaxFileSize caps the size of config.yaml and of every Markdown page,
	// which are read into memory; 0 means [DefaultMaxFileSize]. A larger
	// page is left out with an error issue; a larger config.yaml fails
	// Open with [ErrTooLarge].
	MaxFileSize int64
	// MaxResourceSize caps a figure or data file the pages reference,
	// which is read as a stream to hash it; 0 means
	// [DefaultMaxResourceSize]. A larger file is left out with a warning.
	MaxResourceSize int64
	// MaxPages caps the number of pages read; 0 means [DefaultMaxPages].
	MaxPages int
	// MaxMarkdownSize caps the Markdown of all pages together; 0 means
	// [DefaultMaxMarkdownSize]. Pages past it are left out with an error
	// issue.
	MaxMarkdownSize int64
	// MaxNodes caps the Markdown elements of all pages together; 0 means
	// [DefaultMaxNodes]. Pages past it are left out with an error issue.
	MaxNodes int
	// Language, when set, is the BCP 47 tag of the lesson's language,
	// overriding config.yaml's lang.
	Language string
	// Limits are the hostile-archive checks of a zipped lesson read by
	// [Open] or [OpenFile]. Of them, FollowLinks also holds for a folder
	// read by [OpenFile]: it follows symbolic links whose target lies
	// inside the lesson's folder. Links leading outside it are refused
	// whatever the setting, and by default every link is ([ErrRefused]).
	archive.Limits
	// Policy changes the severity of issues by code, those of the
	// conversion to an asset tree included.
	Policy ota.Policy
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxResourceSize <= 0 {
		o.MaxResourceSize = DefaultMaxResourceSize
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.MaxMarkdownSize <= 0 {
		o.MaxMarkdownSize = DefaultMaxMarkdownSize
	}
	if o.MaxNodes <= 0 {
		o.MaxNodes = DefaultMaxNodes
	}
	return o
}

// Lesson is a lesson read by [Open]: its metadata, its episodes in order
// and its other pages. A Lesson is safe for concurrent use; its exported
// fields are not to be changed after Open.
type Lesson struct {
	// Title is the lesson's title (config.yaml title; for a plain folder
	// the title or first heading of index.md or README.md).
	Title string
	// Language is the BCP 47 tag of the lesson's language.
	Language string
	// License is the lesson's licence as an SPDX expression, or "" when
	// none was recognised.
	License string
	// LicenseText is the licence as config.yaml writes it ("CC-BY 4.0").
	LicenseText string
	// Source is the URL of the lesson's source repository.
	Source string
	// URL is the address of the lesson's published site.
	URL string
	// Created is the date the lesson was created ("2023-03-07").
	Created string
	// Keywords are the lesson's keywords.
	Keywords []string
	// LifeCycle is the Workbench life-cycle stage: pre-alpha, alpha,
	// beta or stable.
	LifeCycle string
	// Carpentry is the Workbench carpentry code (swc, dc, lc, cp,
	// incubator…).
	Carpentry string
	// Branch is the default branch of the source repository.
	Branch string
	// Contact is who to contact about the lesson, usually an address.
	Contact string
	// Authors are the names listed in the AUTHORS file.
	Authors []string
	// AuthorEmails are the authors' addresses, index for index with
	// Authors; "" where none is given.
	AuthorEmails []string
	// Description is the first paragraph of the index page, as text.
	Description string
	// Audience is the text of the learner profiles, placeholders left out.
	Audience string
	// Prerequisites are the texts of the prerequisite blocks of the index
	// page.
	Prerequisites []string
	// BasedOn are the IRIs the lesson says it was adapted from (index.md,
	// README, CITATION).
	BasedOn []string
	// Workbench is true for a Workbench lesson (config.yaml or an
	// episodes folder) and false for a plain folder of Markdown files.
	Workbench bool
	// Episodes are the episodes, in order.
	Episodes []*Episode
	// Pages are the other pages: the index page, then the learners',
	// instructors' and profile pages in order.
	Pages []*Episode

	fsys   fs.FS
	asset  *asset.Asset // the tree the lesson converted to when opened
	closer io.Closer    // the folder OpenFile opened
	opts   Options
	md     goldmark.Markdown
	pages  map[string]*Episode // every parsed page by source path
	all    []*Episode          // every parsed page, in reading order
	files  map[string]*fileRef // referenced lesson files by path

	mu       sync.Mutex
	rendered map[string][]byte // page path -> HTML
}

// Episode is one page of a lesson: an episode, or another page (index,
// learners, instructors, profiles).
type Episode struct {
	// File is the page's path in the lesson ("episodes/01-intro.md").
	File string
	// Section is the folder role of the page: "episodes", "learners",
	// "instructors", "profiles", or "index" for the home page.
	Section string
	// Slug is the file name without its extension ("01-intro").
	Slug string
	// Page is the path of the rendered page in [Lesson.Content]
	// ("episodes/01-intro.html"), or "" for pages that are not packaged
	// (instructors' and profile pages).
	Page string
	// Title is the page's title: its front matter title, else its first
	// heading, else its slug.
	Title string
	// Teaching and Exercises are the minutes the front matter gives.
	Teaching, Exercises int
	// Objectives, Questions and Keypoints are the items of the page's
	// objectives, questions and keypoints blocks, as text.
	Objectives, Questions, Keypoints []string
	// Blocks are the page's top-level fenced divs, in order; nested divs
	// are their Children.
	Blocks []*Block
	// Files are the lesson files the page references (figures, data), in
	// order of first reference.
	Files []string
	// BasedOn are the IRIs the page says it was adapted from.
	BasedOn []string

	body       []byte
	doc        *docInfo
	challenges []*Block
}

// Block is a Pandoc fenced div of a page: "::: challenge" … ":::".
type Block struct {
	// Kind is the block's first class the Workbench knows ("challenge",
	// "callout", "solution"…), else its first class, else "".
	Kind string
	// Classes are the classes of the opening fence, in order.
	Classes []string
	// ID is the HTML id of the block's section: the fence's #id, or one
	// made from its kind ("challenge", "challenge-1"…).
	ID string
	// Attrs are the fence's key=value attributes.
	Attrs map[string]string
	// Title is the text of the heading the block starts with, or "".
	Title string
	// Line is the 1-based line of the opening fence in the page's file.
	Line int
	// Items are the texts of the list items of an objectives, questions
	// or keypoints block; nil for other kinds.
	Items []string
	// Children are the blocks nested inside, in order.
	Children []*Block

	node  *divNode
	files []string // lesson files referenced inside
	page  string   // standalone page of a challenge
}

// fileRef is a lesson file the pages reference.
type fileRef struct {
	size      int64
	sha256    string
	mediaType string
}

// opener holds the state of one Open.
type opener struct {
	l   *Lesson
	rep ota.Report
	cfg config
	// refused is the first path refused as a link or a special file.
	refused error
	// pageBytes is the Markdown read so far, pageNodes its elements.
	pageBytes int64
	pageNodes int
	// overTotal is true once the pages passed MaxMarkdownSize.
	overTotal bool
}

// refuse records err when it refuses a path (a link, a special file) and
// reports whether it did.
func (o *opener) refuse(err error) bool {
	if !errors.Is(err, errLink) && !errors.Is(err, errSpecial) && !errors.Is(err, archive.ErrSymlink) &&
		!errors.Is(err, archive.ErrSpecialFile) && !errors.Is(err, archive.ErrPathEscape) {
		return false
	}
	if o.refused == nil {
		o.refused = fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return true
}

func (o *opener) add(file string, line int, code string, sev ota.Severity, msg string) {
	o.rep.Add(ota.Issue{Pointer: file, Line: line, Code: code, Severity: sev, Message: msg})
}

// readFile reads a whole file of at most max bytes, refusing links.
func (o *opener) readFile(name string, max int64) ([]byte, error) {
	f, err := o.openFile(name, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, ErrTooLarge
	}
	return b, nil
}

var (
	errLink    = errors.New("symbolic link: a lesson may not contain links (FollowLinks follows those that stay inside the folder)")
	errSpecial = errors.New("not a regular file: only regular files and folders are read")
)

// openFile opens a regular file of at most max bytes (by its size), and
// refuses symbolic links where fsys can tell them (an fs.FS from
// [OpenFile] refuses them itself, at every depth).
func (o *opener) openFile(name string, max int64) (f fs.File, err error) {
	defer func() { o.refuse(err) }()
	if lfs, ok := o.l.fsys.(fs.ReadLinkFS); ok {
		fi, err := lfs.Lstat(name)
		if err != nil {
			return nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errLink}
		}
	}
	f, err = o.l.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errSpecial}
	}
	if fi.Size() > max {
		f.Close()
		return nil, ErrTooLarge
	}
	return f, nil
}

// exists reports whether name is a regular file or, with dir, a folder.
func (o *opener) exists(name string, dir bool) bool {
	fi, err := fs.Stat(o.l.fsys, name)
	o.refuse(err)
	return err == nil && (fi.IsDir() == dir)
}

// pageNames lists the Markdown files of a folder, by name. A link or a
// special file among them refuses the lesson.
func (o *opener) pageNames(dir string) []string {
	entries, err := fs.ReadDir(o.l.fsys, dir)
	if err != nil {
		o.refuse(err)
		return nil
	}
	var out []string
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		switch typ := e.Type(); {
		case typ&fs.ModeSymlink != 0:
			o.refuse(&fs.PathError{Op: "open", Path: p, Err: errLink})
		case !typ.IsRegular() && !typ.IsDir():
			o.refuse(&fs.PathError{Op: "open", Path: p, Err: errSpecial})
		case typ.IsRegular() && isMarkdown(e.Name()):
			out = append(out, e.Name())
		}
	}
	return out
}

func isMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".rmd", ".markdown":
		return true
	}
	return false
}

func isRmd(name string) bool { return strings.EqualFold(path.Ext(name), ".rmd") }

// repoFiles are Markdown files of a repository that are not lesson pages.
var repoFiles = map[string]bool{"readme": true, "license": true, "licence": true, "contributing": true,
	"code_of_conduct": true, "changelog": true, "authors": true, "citation": true, "index": true, "links": true}

func (o *opener) open() error {
	l := o.l
	b, err := o.readFile("config.yaml", l.opts.MaxFileSize)
	hasConfig := err == nil
	switch {
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("%w: config.yaml is larger than MaxFileSize (%d bytes)", ErrTooLarge, l.opts.MaxFileSize)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %w", ErrConfig, err)
	case hasConfig:
		var issues []ota.Issue
		o.cfg, issues, err = parseConfig(b)
		if err != nil {
			return err
		}
		o.rep.Add(issues...)
	}
	l.Workbench = hasConfig || o.exists("episodes", true)
	o.metadata()
	refs := o.linkRefs()

	specs := o.pageSpecs()
	if len(specs) == 0 && !hasConfig {
		return ErrNoLesson
	}
	if len(specs) > l.opts.MaxPages {
		o.add("", 0, "lesson.pages.too-many", ota.Error,
			"the lesson has more pages than MaxPages; only the first ones are read — raise the limit to read them all")
		specs = specs[:l.opts.MaxPages]
	}
	for _, s := range specs {
		ep := o.readPage(s, refs)
		if ep == nil {
			continue
		}
		switch s.section {
		case "episodes":
			l.Episodes = append(l.Episodes, ep)
		case "extra":
		default:
			l.Pages = append(l.Pages, ep)
		}
	}
	if len(l.Episodes) == 0 {
		o.add("", 0, "lesson.episodes.none", ota.Error, "the lesson has no episode; list them under episodes: in config.yaml or add Markdown files")
	}
	o.pageMetadata()
	o.resolve()
	return nil
}

// metadata fills the lesson's metadata from config.yaml.
func (o *opener) metadata() {
	l, c := o.l, o.cfg
	l.Title, l.Created, l.LifeCycle, l.LicenseText = c.title, c.created, c.lifeCycle, c.license
	l.Source, l.Branch, l.Contact, l.Carpentry, l.URL = c.source, c.branch, c.contact, c.carpentry, c.url
	l.Keywords = c.keywords
	lang := c.lang
	if l.opts.Language != "" {
		lang = l.opts.Language
	}
	switch t, err := language.Parse(lang); {
	case lang == "" && l.Workbench:
		l.Language = "en" // the Workbench's default
	case lang == "":
		l.Language = "und"
	case err != nil:
		o.add("config.yaml", o.cfg.line["lang"], "lesson.config.language", ota.Warning, "lang "+lang+" is not a BCP 47 language tag; the lesson is read as und")
		l.Language = "und"
	default:
		l.Language = t.String()
	}
	if c.license != "" {
		if l.License = spdxLicense(c.license); l.License == "" {
			o.add("config.yaml", o.cfg.line["license"], "lesson.config.license", ota.Warning,
				"license "+c.license+" is not a licence OTA recognises; write an SPDX identifier such as CC-BY-4.0")
		}
	} else {
		for _, name := range []string{"LICENSE.md", "LICENSE", "LICENCE.md", "LICENSE.txt"} {
			if b, err := o.readFile(name, l.opts.MaxFileSize); err == nil {
				l.License = licenseFromText(b)
				break
			}
		}
	}
	if b, err := o.readFile("AUTHORS", l.opts.MaxFileSize); err == nil {
		l.Authors, l.AuthorEmails = parseAuthors(b)
	}
}

// pageSpec names a page to read and its section.
type pageSpec struct{ file, section string }

// pageSpecs lists the pages to read, in order.
func (o *opener) pageSpecs() []pageSpec {
	var out []pageSpec
	if !o.l.Workbench {
		for _, n := range o.pageNames(".") {
			if !repoFiles[strings.ToLower(strings.TrimSuffix(n, path.Ext(n)))] {
				out = append(out, pageSpec{n, "episodes"})
			}
		}
		for _, n := range []string{"index.md", "README.md"} {
			if o.exists(n, false) {
				out = append(out, pageSpec{n, "index"})
				break
			}
		}
		return out
	}
	lists := []struct {
		dir  string
		list []string
	}{{"episodes", o.cfg.episodes}, {"learners", o.cfg.learners}, {"instructors", o.cfg.instructors}, {"profiles", o.cfg.profiles}}
	for i, s := range lists {
		if i == 1 {
			for _, n := range []string{"index.md", "index.Rmd"} {
				if o.exists(n, false) {
					out = append(out, pageSpec{n, "index"})
					break
				}
			}
		}
		names := s.list
		if names == nil {
			names = o.pageNames(s.dir)
		}
		seen := map[string]bool{}
		for _, n := range names {
			p := path.Join(s.dir, n)
			switch {
			case n == "" || strings.Contains(n, "\\") || !fs.ValidPath(p) || path.Dir(p) != s.dir:
				o.add("config.yaml", o.cfg.line[s.dir], "lesson.config.page", ota.Error,
					"the "+s.dir+" list names "+quote(n)+", which is not a file name in the "+s.dir+" folder")
			case seen[p]:
				o.add("config.yaml", o.cfg.line[s.dir], "lesson.config.page", ota.Warning,
					"the "+s.dir+" list names "+n+" twice; it is read once")
			default:
				seen[p] = true
				out = append(out, pageSpec{p, s.dir})
			}
		}
	}
	for _, n := range []string{"README.md", "CITATION", "CITATION.md"} {
		if o.exists(n, false) {
			out = append(out, pageSpec{n, "extra"})
		}
	}
	return out
}

// readPage reads and parses one page; nil when it cannot be read.
func (o *opener) readPage(s pageSpec, refs []parser.Reference) *Episode {
	if o.overTotal {
		return nil
	}
	b, err := o.readFile(s.file, o.l.opts.MaxFileSize)
	if err == nil && o.pageBytes+int64(len(b)) > o.l.opts.MaxMarkdownSize {
		o.overTotal = true
		o.add(s.file, 0, "lesson.pages.too-large", ota.Error, fmt.Sprintf(
			"the lesson's pages add up to more than MaxMarkdownSize (%d bytes); this page and those after it are left out", o.l.opts.MaxMarkdownSize))
		return nil
	}
	o.pageBytes += int64(len(b))
	if err != nil {
		code, msg := "lesson.page.unreadable", "cannot read the page: "+err.Error()
		switch {
		case errors.Is(err, fs.ErrNotExist):
			code, msg = "lesson.page.missing", "the page is listed but there is no such file; remove it from config.yaml or add it"
		case errors.Is(err, ErrTooLarge):
			code, msg = "lesson.page.too-large", "the page is larger than MaxFileSize and is left out"
		}
		o.add(s.file, 0, code, ota.Error, msg)
		return nil
	}
	ep, issues := parsePage(o.l.md, s.file, b, o.l.Language, refs)
	if o.pageNodes += countNodes(ep.doc.root); o.pageNodes > o.l.opts.MaxNodes {
		o.overTotal = true
		o.add(s.file, 0, "lesson.pages.too-large", ota.Error, fmt.Sprintf(
			"the lesson's pages hold more than MaxNodes (%d) Markdown elements; this page and those after it are left out", o.l.opts.MaxNodes))
		return nil
	}
	ep.Section = s.section
	if s.section == "episodes" || s.section == "index" || s.section == "learners" {
		ep.Page = strings.TrimSuffix(s.file, path.Ext(s.file)) + ".html"
	}
	if s.section != "extra" { // README and CITATION are read for lineage only
		o.rep.Add(issues...)
	}
	o.l.pages[s.file] = ep
	o.l.all = append(o.l.all, ep)
	return ep
}

func quote(s string) string { return "\"" + s + "\"" }

// countNodes counts the nodes of a parsed page.
func countNodes(root ast.Node) int {
	n := 0
	_ = ast.Walk(root, func(_ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}
