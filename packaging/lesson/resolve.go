package lesson

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/mediatype"
)

// linkRefs reads the link reference definitions of links.md, which the
// Workbench appends to every page.
func (o *opener) linkRefs() []parser.Reference {
	b, err := o.readFile("links.md", o.l.opts.MaxFileSize)
	if err != nil {
		return nil
	}
	pc := parser.NewContext()
	o.l.md.Parser().Parse(text.NewReader(b), parser.WithContext(pc))
	return pc.References()
}

// isPlaceholder reports whether a page is the Workbench template's
// placeholder ("FIXME", "This is a placeholder file").
func isPlaceholder(ep *Episode, txt string) bool {
	return strings.EqualFold(ep.Title, "FIXME") || strings.EqualFold(txt, "FIXME") ||
		strings.HasPrefix(txt, "This is a placeholder") || txt == ""
}

// pageMetadata fills what the lesson takes from its pages: titles,
// description, prerequisites, audience, lineage.
func (o *opener) pageMetadata() {
	l := o.l
	var index *Episode
	for _, ep := range l.Pages {
		if ep.Section == "index" {
			index = ep
		}
	}
	if l.Title == "" {
		switch {
		case index != nil && index.Title != "":
			l.Title = index.Title
		case index != nil && index.doc.firstH1 != "":
			l.Title = index.doc.firstH1
		default:
			l.Title = "Untitled lesson"
			if l.Workbench {
				o.add("config.yaml", o.cfg.line["title"], "lesson.title.missing", ota.Warning, "the lesson has no title; give config.yaml a title: line")
			} else {
				o.add("", 0, "lesson.title.missing", ota.Warning, "the lesson has no title; give index.md or README.md a title or a first heading")
			}
		}
	}
	for _, ep := range l.all {
		if ep.Title != "" {
			continue
		}
		switch {
		case ep.doc.firstH1 != "":
			ep.Title = ep.doc.firstH1
		case ep.Section == "index":
			ep.Title = l.Title
		default:
			ep.Title = ep.Slug
		}
		if ep.Section == "episodes" {
			o.add(ep.File, 0, "lesson.frontmatter.title-missing", ota.Warning,
				"the episode has no title in its front matter; it is titled "+quote(ep.Title)+" — add a title: line")
		}
	}
	if index != nil {
		for c := index.doc.root.FirstChild(); c != nil; c = c.NextSibling() {
			if para, ok := c.(*ast.Paragraph); ok {
				if txt := plainText(para, index.body); !isPlaceholder(index, txt) {
					l.Description = txt
				}
				break
			}
		}
		for _, b := range index.Blocks {
			if b.Kind == "prereq" {
				var parts []string
				for c := b.node.FirstChild(); c != nil; c = c.NextSibling() {
					if _, h := c.(*ast.Heading); !h {
						parts = append(parts, plainText(c, index.body))
					}
				}
				if txt := strings.Join(parts, " "); txt != "" {
					l.Prerequisites = append(l.Prerequisites, txt)
				}
			}
		}
	}
	var audience []string
	for _, ep := range l.Pages {
		if ep.Section != "profiles" {
			continue
		}
		if txt := plainText(ep.doc.root, ep.body); isPlaceholder(ep, txt) {
			o.add(ep.File, 0, "lesson.page.placeholder", ota.Info, "the learner profile is the template's placeholder; it is not used as the audience")
		} else {
			audience = append(audience, txt)
		}
	}
	l.Audience = strings.Join(audience, "\n\n")
	for _, ep := range l.all {
		if ep.Section == "index" || ep.Section == "extra" {
			for _, t := range ep.BasedOn {
				if !slices.Contains(l.BasedOn, t) {
					l.BasedOn = append(l.BasedOn, t)
				}
			}
		}
	}
}

var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// resolve checks every link and image of the packaged pages: links to
// pages are rewritten to the rendered pages, files are hashed and become
// the pages' resources, and what cannot be found is reported.
func (o *opener) resolve() {
	l := o.l
	outputs := map[string]*Episode{}
	for _, ep := range l.pages {
		if ep.Page != "" {
			outputs[ep.Page] = ep
		}
	}
	for _, ep := range l.Episodes {
		for i, b := range ep.challenges {
			b.page = strings.TrimSuffix(ep.Page, ".html") + "-challenge-" + strconv.Itoa(i+1) + ".html"
			for outputs[b.page] != nil || l.pages[b.page] != nil {
				b.page = strings.TrimSuffix(b.page, ".html") + "-" + strconv.Itoa(i+1) + ".html"
			}
		}
	}
	for _, ep := range append(slices.Clone(l.Episodes), l.Pages...) {
		if ep.Page == "" {
			continue
		}
		for _, r := range ep.doc.refs {
			o.resolveRef(ep, r, outputs)
		}
	}
}

func (o *opener) resolveRef(ep *Episode, r *linkRef, outputs map[string]*Episode) {
	var dest *[]byte
	switch n := r.node.(type) {
	case *ast.Link:
		dest = &n.Destination
	case *ast.Image:
		dest = &n.Destination
	}
	s := string(*dest)
	warn := func(code, msg string) { o.add(ep.File, r.line, code, ota.Warning, msg) }
	switch {
	case s == "" || scheme.MatchString(s) || strings.HasPrefix(s, "//"):
		return
	case strings.HasPrefix(s, "#"):
		if frag, err := url.PathUnescape(s[1:]); err == nil && frag != "" && !ep.doc.ids[frag] {
			warn("lesson.link.anchor", "the link points at #"+frag+", which is no heading or block id of this page")
		}
		return
	case strings.HasPrefix(s, "/"):
		warn("lesson.link.absolute", "the link "+s+" is relative to a web site's root, which a package does not have; make it relative to the page")
		return
	}
	p, frag, _ := strings.Cut(s, "#")
	p, _, _ = strings.Cut(p, "?")
	u, err := url.PathUnescape(p)
	if err != nil {
		warn("lesson.link.broken", "the link "+s+" is not a valid URL path")
		return
	}
	target := path.Join(path.Dir(ep.File), u)
	if !fs.ValidPath(target) || strings.Contains(u, "\\") {
		warn("lesson.link.outside", "the link "+s+" leads outside the lesson; it is left as written")
		return
	}
	tp := o.l.pages[target]
	if tp == nil {
		tp = outputs[target]
	}
	if tp != nil {
		if tp.Page == "" {
			warn("lesson.link.unpackaged", "the link points at "+target+", a page that is not packaged for learners")
			return
		}
		if frag != "" && !tp.doc.ids[frag] {
			warn("lesson.link.anchor", "the link points at #"+frag+", which is no heading or block id of "+target)
		}
		nd := relPath(path.Dir(ep.File), tp.Page)
		if frag != "" {
			nd += "#" + frag
		}
		*dest = []byte(nd)
		return
	}
	if _, ok := o.l.files[target]; !ok {
		ref, err := o.hashFile(target)
		if err != nil {
			code, what := "lesson.link.broken", "the link points at "+target+", "
			if r.image {
				code, what = "lesson.image.missing", "the image "+target+" "
			}
			switch {
			case errors.Is(err, ErrTooLarge):
				code, what = "lesson.file.too-large", target+" is larger than MaxResourceSize; it is left out"
			case errors.Is(err, fs.ErrNotExist) && r.image:
				what += "does not exist; add it or fix the path"
			case errors.Is(err, fs.ErrNotExist):
				what += "which does not exist"
			default:
				what += "which cannot be read: " + err.Error()
			}
			warn(code, what)
			return
		}
		o.l.files[target] = ref
	}
	if !slices.Contains(ep.Files, target) {
		ep.Files = append(ep.Files, target)
	}
	for _, b := range r.in {
		if !slices.Contains(b.files, target) {
			b.files = append(b.files, target)
		}
	}
}

// hashFile measures and hashes a referenced file as a stream.
func (o *opener) hashFile(name string) (*fileRef, error) {
	max := o.l.opts.MaxResourceSize
	f, err := o.openFile(name, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, ErrTooLarge
	}
	return &fileRef{size: n, sha256: hex.EncodeToString(h.Sum(nil)), mediaType: mediaType(name)}, nil
}

// mediaType is the media type of a lesson file, application/octet-stream
// when unknown.
func mediaType(name string) string { return mediatype.OrOctetStream(name) }
