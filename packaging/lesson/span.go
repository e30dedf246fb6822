package lesson

import (
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Pandoc's bracketed spans, [text]{#id .class key=value}: every Workbench
// glossary (learners/reference.md) writes its terms as [commit]{#commit}
// so that episodes can link to ../learners/reference.md#commit. goldmark
// has no such syntax, so this file adds it:
//
//   - spanOpener, an inline parser for '[' that runs before the link
//     parser, looks along the line for the matching ']' followed at once by
//     an attribute block; when it finds one it consumes the '[' and leaves
//     a marker, and remembers where the ']' is;
//   - spanCloser, an inline parser for ']' (also before the link parser),
//     consumes "]{…}" at that place and leaves a closing marker;
//   - wrapSpans then moves what lies between each pair of markers into a
//     spanNode. The text between is parsed as any other inline content
//     (emphasis, code, links), since the parsers never see it as a link
//     label.
//
// A span ends on the line it starts on. When emphasis or a link crosses a
// span's boundary the markers are not siblings; the span is then written
// as the text it was.

var kindSpan = ast.NewNodeKind("LessonSpan")

// spanNode is a bracketed span: inline content with an id and classes,
// rendered as <span>. Other attributes are not rendered.
type spanNode struct {
	ast.BaseInline
	attrs divAttrs
}

func (n *spanNode) Kind() ast.NodeKind            { return kindSpan }
func (n *spanNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// spanMark is the opening or closing marker a span leaves while inline
// parsing goes on; wrapSpans replaces every marker. seg is the source the
// marker consumed, which it is written as when it cannot become a span.
type spanMark struct {
	ast.BaseInline
	open  bool
	attrs divAttrs
	seg   text.Segment
	pair  *spanMark
}

var kindSpanMark = ast.NewNodeKind("LessonSpanMark")

func (n *spanMark) Kind() ast.NodeKind            { return kindSpanMark }
func (n *spanMark) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// openSpansKey keys, in the parser context, the spans opened and not yet
// closed: the innermost last.
var openSpansKey = parser.NewContextKey()

// openSpan is a span whose ']' is awaited at offset close of the source.
type openSpan struct {
	close int
	mark  *spanMark
}

type spanOpener struct{}

func (spanOpener) Trigger() []byte { return []byte{'['} }

func (spanOpener) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	end, attrs, ok := bracketedSpan(line)
	if !ok {
		return nil
	}
	m := &spanMark{open: true, attrs: attrs, seg: text.NewSegment(seg.Start, seg.Start+1)}
	open, _ := pc.Get(openSpansKey).([]openSpan)
	pc.Set(openSpansKey, append(open, openSpan{close: seg.Start + end, mark: m}))
	block.Advance(1)
	return m
}

type spanCloser struct{}

func (spanCloser) Trigger() []byte { return []byte{']'} }

func (spanCloser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	open, _ := pc.Get(openSpansKey).([]openSpan)
	if len(open) == 0 {
		return nil
	}
	line, seg := block.PeekLine()
	top := open[len(open)-1]
	if top.close != seg.Start {
		return nil
	}
	n := attrBlockEnd(line[1:]) + 1
	if n < 2 {
		return nil // cannot happen: the opener saw the block
	}
	pc.Set(openSpansKey, open[:len(open)-1])
	m := &spanMark{seg: text.NewSegment(seg.Start, seg.Start+n), pair: top.mark}
	top.mark.pair = m
	block.Advance(n)
	return m
}

// bracketedSpan reports whether line, which starts with '[', starts a
// bracketed span: the matching ']' on the same line, followed at once by
// an attribute block that parses. end is the offset of that ']'.
func bracketedSpan(line []byte) (end int, attrs divAttrs, ok bool) {
	depth := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '\\':
			i++ // an escaped character is text
		case '`':
			// A code span is text: skip to the end of its backtick run.
			n := 1
			for i+n < len(line) && line[i+n] == '`' {
				n++
			}
			if j := closingTicks(line[i+n:], n); j >= 0 {
				i += n + j + n - 1
			} else {
				i += n - 1
			}
		case '[':
			depth++
		case ']':
			depth--
			if depth > 0 {
				continue
			}
			rest := line[i+1:]
			if len(rest) == 0 || rest[0] != '{' {
				return 0, divAttrs{}, false
			}
			n := attrBlockEnd(rest)
			if n < 0 {
				return 0, divAttrs{}, false
			}
			a, ok := parseAttrs(string(rest[1 : n-1]))
			if !ok || a.id == "" && len(a.classes) == 0 && len(a.kv) == 0 {
				return 0, divAttrs{}, false
			}
			return i, a, true
		case '\n', '\r':
			return 0, divAttrs{}, false
		}
	}
	return 0, divAttrs{}, false
}

// closingTicks returns the offset in s of a run of exactly n backticks,
// or -1.
func closingTicks(s []byte, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		if j-i == n {
			return i
		}
		i = j
	}
	return -1
}

// attrBlockEnd returns the length of the attribute block "{…}" that s
// starts with, closing brace included, or -1. Quoted values may hold '}'.
func attrBlockEnd(s []byte) int {
	if len(s) == 0 || s[0] != '{' {
		return -1
	}
	var quote byte
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '}':
			return i + 1
		case c == '\n' || c == '\r':
			return -1
		}
	}
	return -1
}

// wrapSpans replaces the markers under root: each opening marker whose
// closing marker is a later sibling becomes a spanNode holding what lies
// between them; any other marker becomes the text it was.
func wrapSpans(root ast.Node) {
	var marks []*spanMark
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if m, ok := n.(*spanMark); ok && entering {
			marks = append(marks, m)
		}
		return ast.WalkContinue, nil
	})
	for _, m := range marks {
		if !m.open || m.Parent() == nil {
			continue
		}
		c := m.pair
		if c == nil || c.Parent() != m.Parent() {
			continue
		}
		parent := m.Parent()
		span := &spanNode{attrs: m.attrs}
		for n := m.NextSibling(); n != nil && n != ast.Node(c); {
			next := n.NextSibling()
			parent.RemoveChild(parent, n)
			span.AppendChild(span, n)
			n = next
		}
		parent.ReplaceChild(parent, m, span)
		parent.RemoveChild(parent, c)
		m.pair, c.pair = nil, nil
	}
	// What is left could not become a span: back to text.
	for _, m := range marks {
		if parent := m.Parent(); parent != nil {
			parent.ReplaceChild(parent, m, ast.NewTextSegment(m.seg))
		}
	}
}

// span renders a spanNode.
func (r *htmlRenderer) span(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</span>")
		return ast.WalkContinue, nil
	}
	s := n.(*spanNode)
	_, _ = w.WriteString("<span")
	if s.attrs.id != "" {
		_, _ = w.WriteString(` id="`)
		_, _ = w.WriteString(html.EscapeString(s.attrs.id))
		_ = w.WriteByte('"')
	}
	if len(s.attrs.classes) > 0 {
		_, _ = w.WriteString(` class="`)
		for i, c := range s.attrs.classes {
			if i > 0 {
				_ = w.WriteByte(' ')
			}
			_, _ = w.WriteString(html.EscapeString(c))
		}
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// spanParsers are the inline parsers of bracketed spans, ahead of
// goldmark's link parser (priority 200).
func spanParsers() parser.Option {
	return parser.WithInlineParsers(util.Prioritized(spanOpener{}, 150), util.Prioritized(spanCloser{}, 150))
}
