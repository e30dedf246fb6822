package lesson

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/metaacademy/ota"
)

// newMarkdown builds the Markdown reader and renderer: CommonMark with
// tables, strikethrough, task lists, footnotes, definition lists, heading
// ids and attributes, the fenced-div and bracketed-span parsers and this
// package's renderers.
// Raw HTML is never passed through (see htmlRenderer).
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList,
			extension.Footnote, extension.DefinitionList),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute(),
			parser.WithBlockParsers(util.Prioritized(&fenceParser{}, 50)), spanParsers()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(&htmlRenderer{}, 100))),
	)
}

// docInfo is the parsed form of a page.
type docInfo struct {
	root       ast.Node
	lineStarts []int // offset in the body of each line's start
	firstLine  int   // line of the file where the body starts
	lang       string
	ids        map[string]bool // HTML ids on the page
	idNext     map[string]int  // last number given to an id made from a kind
	refs       []*linkRef      // links and images, in order
	firstH1    string
	rmd        bool
	htmlDrop   int // raw HTML fragments dropped
	htmlLine   int // line of the first one
	rmdChunks  int // R Markdown chunks shown unexecuted
}

// linkRef is a link or image to resolve against the lesson's files.
type linkRef struct {
	node  ast.Node // *ast.Link or *ast.Image
	image bool
	line  int
	in    []*Block // enclosing challenges, innermost last
}

// line returns the file line of a body offset.
func (d *docInfo) line(off int) int {
	if off < 0 {
		return 0
	}
	return d.firstLine + sort.SearchInts(d.lineStarts, off+1) - 1
}

// nodeLine returns the file line of a node, or of its nearest ancestor
// with a position.
func (d *docInfo) nodeLine(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if p := n.Pos(); p >= 0 {
			return d.line(p)
		}
	}
	return 0
}

// pageParser holds the state of parsing one page.
type pageParser struct {
	file   string
	src    []byte // the body
	d      *docInfo
	ep     *Episode
	issues []ota.Issue
}

func (p *pageParser) add(line int, code string, sev ota.Severity, msg string) {
	p.issues = append(p.issues, ota.Issue{Pointer: p.file, Line: line, Code: code, Severity: sev, Message: msg})
}

var bom = []byte("\xef\xbb\xbf")

// parsePage parses one page: front matter, Markdown, fenced divs. refs
// are link reference definitions shared by every page (links.md). It never
// fails: what it cannot read it reports.
func parsePage(md goldmark.Markdown, file string, src []byte, lang string, refs []parser.Reference) (*Episode, []ota.Issue) {
	ep := &Episode{File: file, Slug: strings.TrimSuffix(path.Base(file), path.Ext(file))}
	p := &pageParser{file: file, ep: ep}
	src = bytes.TrimPrefix(src, bom)
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
		p.add(0, "lesson.page.encoding", ota.Warning, "the page is not valid UTF-8; the invalid bytes are replaced by U+FFFD — save it as UTF-8")
	}
	if bytes.IndexByte(src, 0) >= 0 {
		src = bytes.ReplaceAll(src, []byte{0}, []byte("\uFFFD"))
	}
	fmText, body, bodyLine, found, unterminated := splitFrontMatter(src)
	if unterminated {
		p.add(1, "lesson.frontmatter.unterminated", ota.Warning,
			"the front matter opened by --- is never closed; close it with a line --- (the page is read without front matter)")
	}
	if found {
		fm, issues := parseFrontMatter(file, fmText, 2)
		p.issues = append(p.issues, issues...)
		ep.Title, ep.Teaching, ep.Exercises = fm.title, fm.teaching, fm.exercises
	}
	if i, at := tooDeep(body); i >= 0 {
		p.add(bodyLine+at, "lesson.page.too-deep", ota.Error, "this line nests lists or block quotes more than "+
			strconv.Itoa(maxNesting)+" deep, which no lesson needs; the page is read up to here")
		body = body[:i]
	}
	p.src = body
	ep.body = body
	d := &docInfo{firstLine: bodyLine, lang: lang, ids: map[string]bool{}, idNext: map[string]int{}, rmd: isRmd(file)}
	p.d = d
	ep.doc = d
	d.lineStarts = append(d.lineStarts, 0)
	for i, c := range body {
		if c == '\n' {
			d.lineStarts = append(d.lineStarts, i+1)
		}
	}
	pc := parser.NewContext()
	for _, r := range refs {
		pc.AddReference(r)
	}
	d.root = md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	wrapSpans(d.root)
	if bad, _ := pc.Get(badFencesKey).([]int); len(bad) > 0 {
		for _, off := range bad {
			p.add(d.line(off), "lesson.div.attributes", ota.Warning,
				"this line starts like a fenced div but its attributes do not parse; write \"::: name\" or \"::: {.name #id}\" (the line is kept as text)")
		}
	}
	g := &grouper{}
	g.group(d.root, 0)
	for _, f := range g.unclosed {
		p.add(d.nodeLine(f), "lesson.div.unclosed", ota.Warning, "this fenced div is never closed; it is closed at the end of its container — add a line of colons")
	}
	for _, f := range g.stray {
		p.add(d.nodeLine(f), "lesson.div.stray-close", ota.Warning, "this line of colons closes no fenced div; it is ignored")
	}
	if g.tooDeep {
		p.add(0, "lesson.div.too-deep", ota.Warning, "the page nests blocks more than "+strconv.Itoa(maxDivDepth)+" deep; deeper fenced divs are not read")
	}
	p.walk()
	return ep, p.issues
}

// walk collects what the page holds and fixes up the AST for rendering.
func (p *pageParser) walk() {
	_ = ast.Walk(p.d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch x := n.(type) {
		case *ast.Heading:
			if entering {
				p.heading(x)
			}
		case *spanNode:
			if entering && x.attrs.id != "" {
				p.d.ids[x.attrs.id] = true
			}
		}
		return ast.WalkContinue, nil
	})
	var divs []*divNode     // open divs around the current node
	var challenges []*Block // open challenges around the current node
	var linked, raws, codes, paras []ast.Node
	_ = ast.Walk(p.d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*divNode); ok {
			if !entering {
				divs = divs[:len(divs)-1]
				if d.block.Kind == "challenge" {
					challenges = challenges[:len(challenges)-1]
				}
				return ast.WalkContinue, nil
			}
			var parent *Block
			if len(divs) > 0 {
				parent = divs[len(divs)-1].block
			}
			p.div(d, parent)
			divs = append(divs, d)
			if d.block.Kind == "challenge" {
				challenges = append(challenges, d.block)
			}
			return ast.WalkContinue, nil
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Image, *ast.Link:
			linked = append(linked, n)
			r := &linkRef{node: n, line: p.d.nodeLine(n), in: slices.Clone(challenges)}
			_, r.image = n.(*ast.Image)
			p.d.refs = append(p.d.refs, r)
		case *ast.RawHTML, *ast.HTMLBlock:
			raws = append(raws, n)
		case *ast.FencedCodeBlock, *ast.CodeSpan:
			codes = append(codes, n)
		case *ast.Paragraph, *ast.TextBlock:
			paras = append(paras, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range linked {
		p.attrsAfter(n)
	}
	for _, n := range raws {
		p.raw(n)
	}
	for _, n := range codes {
		p.code(n)
	}
	for _, n := range paras {
		p.para(n)
	}
	if p.d.htmlDrop > 0 {
		p.add(p.d.htmlLine, "lesson.html.dropped", ota.Warning, strconv.Itoa(p.d.htmlDrop)+
			" raw HTML fragment(s), the first here, are left out of the rendered page for safety; write them in Markdown")
	}
}

// heading keeps only a heading's id and class attributes and records its id.
func (p *pageParser) heading(h *ast.Heading) {
	var id, class any
	for _, a := range h.Attributes() {
		switch string(a.Name) {
		case "id":
			id = a.Value
		case "class":
			class = a.Value
		}
	}
	h.RemoveAttributes()
	if id != nil {
		h.SetAttributeString("id", id)
		if b, ok := id.([]byte); ok {
			p.d.ids[string(b)] = true
		}
	}
	if class != nil {
		h.SetAttributeString("class", class)
	}
	if h.Level == 1 && p.d.firstH1 == "" {
		p.d.firstH1 = plainText(h, p.src)
	}
}

// knownKinds are the fenced-div classes of the Workbench.
var knownKinds = map[string]bool{
	"objectives": true, "questions": true, "keypoints": true, "callout": true, "challenge": true,
	"solution": true, "hint": true, "instructor": true, "discussion": true, "prereq": true,
	"testimonial": true, "checklist": true, "spoiler": true, "caution": true, "tab": true, "group-tab": true,
}

// foldKinds are rendered collapsed, as <details>.
var foldKinds = map[string]bool{"solution": true, "hint": true, "spoiler": true, "instructor": true}

// div describes a fenced div and prepares it for rendering.
func (p *pageParser) div(d *divNode, parent *Block) {
	b := d.block
	b.node = d
	b.Line = p.d.nodeLine(d)
	for _, c := range b.Classes {
		if knownKinds[c] {
			b.Kind = c
			break
		}
	}
	if b.Kind == "" && len(b.Classes) > 0 {
		b.Kind = b.Classes[0]
		p.add(b.Line, "lesson.div.unknown-class", ota.Warning,
			"fenced div class "+quote(b.Kind)+" is not one the Workbench knows; it is rendered as a plain box")
	}
	if b.ID == "" || p.d.ids[b.ID] {
		base := b.Kind
		if base == "" {
			base = "div"
		}
		b.ID = base
		for p.d.ids[b.ID] {
			p.d.idNext[base]++
			b.ID = base + "-" + strconv.Itoa(p.d.idNext[base])
		}
	}
	p.d.ids[b.ID] = true
	if parent != nil {
		parent.Children = append(parent.Children, b)
	} else {
		p.ep.Blocks = append(p.ep.Blocks, b)
	}
	if h, ok := d.FirstChild().(*ast.Heading); ok {
		b.Title = plainText(h, p.src)
	}
	d.label = kindLabel(p.d.lang, b.Kind)
	d.fold = foldKinds[b.Kind]
	if d.fold {
		s := &summaryNode{}
		if h, ok := d.FirstChild().(*ast.Heading); ok {
			d.InsertBefore(d, h, s)
			d.RemoveChild(d, h)
			s.AppendChild(s, h)
		} else {
			s.AppendChild(s, ast.NewString([]byte(d.label)))
			d.InsertBefore(d, d.FirstChild(), s)
		}
	}
	switch b.Kind {
	case "objectives", "questions", "keypoints":
		b.Items = []string{}
		for c := d.FirstChild(); c != nil; c = c.NextSibling() {
			if l, ok := c.(*ast.List); ok {
				for it := l.FirstChild(); it != nil; it = it.NextSibling() {
					if it.FirstChild() != nil {
						b.Items = append(b.Items, plainText(it.FirstChild(), p.src))
					}
				}
			}
		}
		switch b.Kind {
		case "objectives":
			p.ep.Objectives = append(p.ep.Objectives, b.Items...)
		case "questions":
			p.ep.Questions = append(p.ep.Questions, b.Items...)
		default:
			p.ep.Keypoints = append(p.ep.Keypoints, b.Items...)
		}
	case "challenge":
		p.ep.challenges = append(p.ep.challenges, b)
	}
}

// attrsAfter reads a Pandoc attribute list written right after an image
// or link ("![](fig/a.png){alt='…' width=50%}"), which CommonMark leaves
// as text: it takes the alt text, width and height, and removes the list.
func (p *pageParser) attrsAfter(n ast.Node) {
	var texts []*ast.Text
	var buf []byte
	end := -1
	for c := n.NextSibling(); c != nil && end < 0 && len(texts) < 16; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			break
		}
		v := t.Segment.Value(p.src)
		if len(texts) == 0 && (len(v) == 0 || v[0] != '{') {
			return
		}
		texts = append(texts, t)
		if i := bytes.IndexByte(v, '}'); i >= 0 {
			end = len(buf) + i
		}
		buf = append(buf, v...)
		if t.SoftLineBreak() || t.HardLineBreak() {
			break
		}
	}
	if end < 0 {
		return
	}
	a, ok := parseAttrs(string(buf[1:end]))
	if !ok {
		return
	}
	if img, isImg := n.(*ast.Image); isImg {
		if alt, ok := a.kv["alt"]; ok && plainText(img, p.src) == "" {
			img.AppendChild(img, ast.NewString([]byte(alt)))
		}
		for _, k := range []string{"width", "height"} {
			if v, ok := a.kv[k]; ok && len(v) < 20 {
				img.SetAttributeString(k, []byte(v))
			}
		}
	}
	// Remove the consumed text: whole nodes, then the head of the last.
	used := end + 1
	for _, t := range texts {
		l := t.Segment.Len()
		if used >= l {
			used -= l
			if !t.SoftLineBreak() && !t.HardLineBreak() {
				t.Parent().RemoveChild(t.Parent(), t)
			} else {
				t.Segment = t.Segment.WithStart(t.Segment.Stop)
			}
			continue
		}
		t.Segment = t.Segment.WithStart(t.Segment.Start + used)
		break
	}
}

// raw counts raw HTML that the renderer leaves out.
func (p *pageParser) raw(n ast.Node) {
	drop := false
	switch x := n.(type) {
	case *ast.HTMLBlock:
		drop = x.HTMLBlockType != ast.HTMLBlockType2 // comments are not content
	case *ast.RawHTML:
		_, drop = inlineHTML(string(x.Segments.Value(p.src)))
	}
	if drop {
		if p.d.htmlDrop == 0 {
			p.d.htmlLine = p.d.nodeLine(n)
		}
		p.d.htmlDrop++
	}
}

var rmdInline = regexp.MustCompile(`^r\s`)

// code reports R Markdown chunks, which need executing.
func (p *pageParser) code(n ast.Node) {
	if !p.d.rmd {
		return
	}
	switch x := n.(type) {
	case *ast.FencedCodeBlock:
		if x.Info != nil && bytes.HasPrefix(x.Info.Segment.Value(p.src), []byte("{")) {
			p.d.rmdChunks++
			p.add(p.d.nodeLine(x), "lesson.rmd.chunk", ota.Warning,
				"this R Markdown chunk needs executing; the page shows its source without its output — render the lesson with sandpaper and import the Markdown it writes")
		}
	case *ast.CodeSpan:
		if rmdInline.MatchString(plainText(x, p.src)) {
			p.d.rmdChunks++
			p.add(p.d.nodeLine(x), "lesson.rmd.inline", ota.Warning, "this inline R expression needs executing; the page shows it as code")
		}
	}
}

var (
	undefinedRef = regexp.MustCompile(`\[([^\[\]]+)\]\[([^\[\]]*)\]`)
	adaptation   = regexp.MustCompile(`(?i)\b(?:adapted|modified|derived|remixed|translated|forked)\s+from\b|\bbased\s+(?:on|upon)\b|\badaptation\s+of\b`)
	knownSources = []struct{ name, iri string }{
		{"software carpentr", "https://software-carpentry.org/"},
		{"data carpentr", "https://datacarpentry.org/"},
		{"library carpentr", "https://librarycarpentry.org/"},
		{"the carpentries", "https://carpentries.org/"},
	}
)

// para looks in a paragraph for reference links with no definition, and
// for "adapted from" statements. Cheap substring tests keep the regular
// expressions off the paragraphs that cannot match.
func (p *pageParser) para(n ast.Node) {
	txt, links := paraText(n, p.src)
	if strings.Contains(txt, "][") {
		for _, m := range undefinedRef.FindAllStringSubmatch(txt, 8) {
			label := m[2]
			if label == "" {
				label = m[1]
			}
			p.add(p.d.nodeLine(n), "lesson.link.undefined-reference", ota.Warning,
				"the reference link ["+label+"] has no definition; the text shows as written — define it below the text or in links.md")
		}
	}
	if !mayAdapt(txt) {
		return
	}
	for _, m := range adaptation.FindAllStringIndex(txt, 4) {
		target := ""
		for _, l := range links {
			if l.off >= m[0] && l.off <= m[1]+200 && (strings.HasPrefix(l.dest, "https://") || strings.HasPrefix(l.dest, "http://")) {
				target = l.dest
				break
			}
		}
		if target == "" {
			tail := strings.ToLower(txt[m[1]:min(len(txt), m[1]+80)])
			for _, k := range knownSources {
				if strings.Contains(tail, k.name) {
					target = k.iri
					break
				}
			}
		}
		if target != "" && !slices.Contains(p.ep.BasedOn, target) {
			p.ep.BasedOn = append(p.ep.BasedOn, target)
		}
	}
}

// mayAdapt reports whether a text holds one of the words the adaptation
// pattern starts with.
func mayAdapt(txt string) bool {
	low := strings.ToLower(txt)
	for _, w := range []string{"from", "based", "adaptation"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}
