package lesson

import (
	"bytes"
	_ "embed"
	"errors"
	"html"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/language"
)

// Stylesheet is the path, in [Lesson.Content], of the stylesheet every
// rendered page links to.
const Stylesheet = "ota-lesson.css"

//go:embed lesson.css
var stylesheet []byte

// htmlRenderer renders the nodes this package adds or treats its own way:
// fenced divs, the summaries of collapsed divs, code blocks (the language
// of an R Markdown chunk "{r name}" is "r") and raw HTML, which is never
// passed through: a comment is left out, a small set of attribute-free
// inline tags (kbd, sub, sup, em…) is written anew, a tag that is not an
// HTML element ("<file name>") is shown as text, and the rest is dropped.
type htmlRenderer struct{}

func (r *htmlRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindDiv, r.div)
	reg.Register(kindSummary, r.summary)
	reg.Register(kindSpan, r.span)
	reg.Register(ast.KindFencedCodeBlock, r.code)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
}

func (r *htmlRenderer) div(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	d := n.(*divNode)
	if !entering {
		if d.fold {
			_, _ = w.WriteString("</details>\n")
		}
		_, _ = w.WriteString("</section>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<section class="callout`)
	for _, c := range d.block.Classes {
		if c == "callout" {
			continue
		}
		_ = w.WriteByte(' ')
		_, _ = w.WriteString(html.EscapeString(c))
	}
	_, _ = w.WriteString(`" id="`)
	_, _ = w.WriteString(html.EscapeString(d.block.ID))
	_, _ = w.WriteString("\">\n")
	switch {
	case d.fold:
		_, _ = w.WriteString("<details>\n")
	case d.label != "":
		_, _ = w.WriteString(`<p class="callout-kind">`)
		_, _ = w.WriteString(html.EscapeString(d.label))
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkContinue, nil
}

func (r *htmlRenderer) summary(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<summary>")
	} else {
		_, _ = w.WriteString("</summary>\n")
	}
	return ast.WalkContinue, nil
}

var langChars = regexp.MustCompile(`^[A-Za-z0-9_+#.-]{1,40}$`)

// codeLanguage returns the language of a fence's info string: its first
// word, or for an R Markdown chunk ("{r setup, echo=FALSE}") the engine.
func codeLanguage(info []byte) string {
	s := strings.TrimSpace(string(info))
	s = strings.TrimPrefix(s, "{")
	s = strings.TrimPrefix(s, ".")
	if i := strings.IndexAny(s, " \t,}"); i >= 0 {
		s = s[:i]
	}
	if !langChars.MatchString(s) {
		return ""
	}
	return s
}

func (r *htmlRenderer) code(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	c := n.(*ast.FencedCodeBlock)
	_, _ = w.WriteString("<pre><code")
	if c.Info != nil {
		if l := codeLanguage(c.Info.Segment.Value(src)); l != "" {
			_, _ = w.WriteString(` class="language-`)
			_, _ = w.WriteString(html.EscapeString(l))
			_ = w.WriteByte('"')
		}
	}
	_ = w.WriteByte('>')
	for i := range c.Lines().Len() {
		s := c.Lines().At(i)
		_, _ = w.Write(util.EscapeHTML(s.Value(src)))
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

func (r *htmlRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		out, _ := inlineHTML(string(n.(*ast.RawHTML).Segments.Value(src)))
		_, _ = w.WriteString(out)
	}
	return ast.WalkSkipChildren, nil
}

func (r *htmlRenderer) htmlBlock(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

var (
	tagRE = regexp.MustCompile(`^<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*?)?\s*(/?)>$`)
	// safeTags may be written again when they carry no attributes.
	safeTags = set("abbr b bdi br cite code del dfn em i ins kbd mark q s samp small strong sub sup u var wbr")
	// htmlTags are the element names of HTML (and SVG/MathML roots), so
	// that a tag that is none of them can be shown as the text it was
	// probably meant to be.
	htmlTags = set("a abbr address applet area article aside audio b base basefont bdi bdo big blink blockquote body br " +
		"button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em " +
		"embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html " +
		"i iframe img input ins isindex kbd keygen label legend li link main map mark marquee math menu menuitem meta " +
		"meter nav nobr noembed noframes noscript object ol optgroup option output p param picture plaintext portal pre " +
		"progress q rb rp rt rtc ruby s samp script search section select slot small source span strike strong style " +
		"sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// inlineHTML decides what inline raw HTML becomes: the HTML to write, and
// whether content was dropped.
func inlineHTML(s string) (out string, dropped bool) {
	if strings.HasPrefix(s, "<!--") {
		return "", false
	}
	m := tagRE.FindStringSubmatch(s)
	if m == nil {
		return "", true // declarations, processing instructions, CDATA
	}
	name := strings.ToLower(m[2])
	switch {
	case safeTags[name] && strings.TrimSpace(m[3]) == "":
		if name == "br" || name == "wbr" {
			return "<" + name + ">", false
		}
		return "<" + m[1] + name + ">", false
	case htmlTags[name]:
		return "", true
	}
	return html.EscapeString(s), false
}

// labels name the fenced-div kinds per language; English is the fallback.
var labels = map[string]map[string]string{
	"en": {"objectives": "Objectives", "questions": "Questions", "keypoints": "Key Points", "callout": "Callout",
		"challenge": "Challenge", "solution": "Solution", "hint": "Hint", "instructor": "Instructor note",
		"discussion": "Discussion", "prereq": "Prerequisite", "testimonial": "Testimonial", "checklist": "Checklist",
		"spoiler": "Details", "caution": "Caution", "teaching": "Teaching", "exercises": "Exercises", "min": "min"},
	"fr": {"objectives": "Objectifs", "questions": "Questions", "keypoints": "Points clés", "callout": "Remarque",
		"challenge": "Défi", "solution": "Solution", "hint": "Indice", "instructor": "Note pour l’instructeur",
		"discussion": "Discussion", "prereq": "Prérequis", "testimonial": "Témoignage", "checklist": "Liste de vérification",
		"spoiler": "Détails", "caution": "Attention", "teaching": "Enseignement", "exercises": "Exercices", "min": "min"},
	"es": {"objectives": "Objetivos", "questions": "Preguntas", "keypoints": "Puntos clave", "callout": "Nota",
		"challenge": "Desafío", "solution": "Solución", "hint": "Pista", "instructor": "Nota para instructores",
		"discussion": "Discusión", "prereq": "Requisito previo", "testimonial": "Testimonio", "checklist": "Lista de verificación",
		"spoiler": "Detalles", "caution": "Precaución", "teaching": "Enseñanza", "exercises": "Ejercicios", "min": "min"},
}

// kindLabel names a kind in the language of tag; "" for kinds without a
// label (tabs, unknown classes).
func kindLabel(tag, kind string) string {
	base, _ := language.Make(tag).Base()
	if l, ok := labels[base.String()][kind]; ok {
		return l
	}
	return labels["en"][kind]
}

// pageData is what the page template needs.
type pageData struct {
	lang, title, heading, lesson, css, meta string
}

// writePage writes a standalone HTML page around body.
func writePage(b *bytes.Buffer, d pageData, body func(*bytes.Buffer) error) error {
	esc := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"")
	b.WriteString(esc(d.lang))
	b.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	b.WriteString(esc(d.title))
	b.WriteString("</title>\n<link rel=\"stylesheet\" href=\"")
	b.WriteString(esc(d.css))
	b.WriteString("\">\n</head>\n<body>\n<main>\n<header>\n")
	if d.lesson != "" {
		b.WriteString("<p class=\"lesson-title\">")
		b.WriteString(esc(d.lesson))
		b.WriteString("</p>\n")
	}
	b.WriteString("<h1>")
	b.WriteString(esc(d.heading))
	b.WriteString("</h1>\n")
	if d.meta != "" {
		b.WriteString("<p class=\"episode-meta\">")
		b.WriteString(esc(d.meta))
		b.WriteString("</p>\n")
	}
	b.WriteString("</header>\n")
	if err := body(b); err != nil {
		return err
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	return nil
}

// relPath returns the path of target relative to the folder dir, both
// slash-separated paths from the lesson root.
func relPath(dir, target string) string {
	if dir == "." || dir == "" {
		return target
	}
	d, t := strings.Split(dir, "/"), strings.Split(target, "/")
	i := 0
	for i < len(d) && i < len(t)-1 && d[i] == t[i] {
		i++
	}
	return strings.Repeat("../", len(d)-i) + strings.Join(t[i:], "/")
}

// ErrNotInLesson is returned by [Lesson.Render] for an episode of another
// lesson.
var ErrNotInLesson = errors.New("lesson: the episode is not part of this lesson")

// Render renders a page of the lesson (an episode, or one of
// [Lesson.Pages]) as a standalone HTML page: a lang attribute and a title,
// the lesson's stylesheet (see [Stylesheet]) linked relatively, every
// fenced div a <section class="callout KIND"> with its label (solutions,
// hints, spoilers and instructor notes folded in a <details>), code
// blocks with their language class, links to other pages rewritten to
// their rendered paths, and no script, external style sheet or font.
func (l *Lesson) Render(ep *Episode) ([]byte, error) {
	if ep == nil || l.pages[ep.File] != ep {
		return nil, ErrNotInLesson
	}
	return l.render(ep, nil)
}

// render renders a page, or with b only that challenge of it.
func (l *Lesson) render(ep *Episode, b *Block) ([]byte, error) {
	out := ep.Page
	if b != nil {
		out = b.page
	}
	if out == "" {
		out = strings.TrimSuffix(ep.File, path.Ext(ep.File)) + ".html"
	}
	l.mu.Lock()
	if html, ok := l.rendered[out]; ok {
		l.mu.Unlock()
		return html, nil
	}
	l.mu.Unlock()
	d := pageData{lang: l.Language, lesson: l.Title, heading: ep.Title, css: relPath(path.Dir(out), Stylesheet)}
	d.title = ep.Title
	if l.Title != "" && l.Title != ep.Title {
		d.title += " – " + l.Title
	}
	if ep.Teaching > 0 || ep.Exercises > 0 {
		d.meta = kindLabel(l.Language, "teaching") + ": " + strconv.Itoa(ep.Teaching) + " " + kindLabel(l.Language, "min") +
			" · " + kindLabel(l.Language, "exercises") + ": " + strconv.Itoa(ep.Exercises) + " " + kindLabel(l.Language, "min")
	}
	var node ast.Node = ep.doc.root
	if b != nil {
		node, d.meta = b.node, ""
		if b.Title != "" {
			d.title = b.Title + " – " + d.title
		}
	}
	var buf bytes.Buffer
	err := writePage(&buf, d, func(w *bytes.Buffer) error {
		return l.md.Renderer().Render(w, ep.body, node)
	})
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if prev, ok := l.rendered[out]; ok {
		return prev, nil
	}
	l.rendered[out] = buf.Bytes()
	return buf.Bytes(), nil
}
