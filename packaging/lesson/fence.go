package lesson

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Pandoc fenced divs ("::: challenge" … ":::") are read in two steps. The
// block parser below turns every fence line into a leaf fenceNode, so
// goldmark itself decides what is code (a fence inside a code block stays
// code) and which container (list item, block quote) a fence belongs to.
// group then pairs the fences of each container into divNodes, Pandoc's
// way: an opening fence has attributes, a closing fence has none, and a
// closing fence closes the innermost open div whatever its colon count.

var (
	kindFence   = ast.NewNodeKind("LessonFence")
	kindDiv     = ast.NewNodeKind("LessonDiv")
	kindSummary = ast.NewNodeKind("LessonSummary")
)

// divAttrs are the attributes of an opening fence.
type divAttrs struct {
	id      string
	classes []string
	kv      map[string]string
}

// fenceNode is one fence line; group removes every one of them.
type fenceNode struct {
	ast.BaseBlock
	open  bool
	attrs divAttrs
}

func (n *fenceNode) Kind() ast.NodeKind                            { return kindFence }
func (n *fenceNode) Dump(source []byte, level int)                 { ast.DumpHelper(n, source, level, nil, nil) }
func (n *divNode) Kind() ast.NodeKind                              { return kindDiv }
func (n *divNode) Dump(source []byte, level int)                   { ast.DumpHelper(n, source, level, nil, nil) }
func (n *summaryNode) Kind() ast.NodeKind                          { return kindSummary }
func (n *summaryNode) Dump(source []byte, level int)               { ast.DumpHelper(n, source, level, nil, nil) }
func (p *fenceParser) Trigger() []byte                             { return []byte{':'} }
func (p *fenceParser) CanInterruptParagraph() bool                 { return true }
func (p *fenceParser) CanAcceptIndentedLine() bool                 { return false }
func (p *fenceParser) Close(ast.Node, text.Reader, parser.Context) {}
func (p *fenceParser) Continue(ast.Node, text.Reader, parser.Context) parser.State {
	return parser.Close
}

// divNode is a fenced div; block describes it.
type divNode struct {
	ast.BaseBlock
	block *Block
	label string // the kind's name in the page's language; "" for none
	fold  bool   // rendered collapsed (<details>)
}

// summaryNode holds what a collapsed div shows when folded: its heading,
// or its label.
type summaryNode struct {
	ast.BaseBlock
}

// fenceParser is the goldmark block parser of fence lines.
type fenceParser struct{}

// badFencesKey keys the offsets of lines that look like opening fences but
// whose attributes do not parse, in the parser context.
var badFencesKey = parser.NewContextKey()

func (p *fenceParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) || line[pos] != ':' {
		return nil, parser.NoChildren
	}
	open, attrs, ok := parseFence(line[pos:])
	if !ok {
		if open { // colons and something that is not an attribute list
			bad, _ := pc.Get(badFencesKey).([]int)
			pc.Set(badFencesKey, append(bad, seg.Start))
		}
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	n := &fenceNode{open: open, attrs: attrs}
	return n, parser.NoChildren
}

// parseFence reads a fence line from its first colon. ok is false when the
// line is not a fence; open is then true when it starts like one (three
// colons and more) but its attributes are not valid.
func parseFence(line []byte) (open bool, a divAttrs, ok bool) {
	n := 0
	for n < len(line) && line[n] == ':' {
		n++
	}
	if n < 3 {
		return false, a, false
	}
	rest := bytes.TrimSpace(line[n:])
	if len(rest) == 0 {
		return false, a, true
	}
	rest = bytes.TrimSpace(bytes.TrimRight(rest, ":"))
	if len(rest) == 0 {
		return true, a, false
	}
	if rest[0] == '{' {
		if rest[len(rest)-1] != '}' {
			return true, a, false
		}
		a, ok = parseAttrs(string(rest[1 : len(rest)-1]))
		return true, a, ok && (a.id != "" || len(a.classes) > 0 || len(a.kv) > 0)
	}
	for _, w := range strings.Fields(string(rest)) {
		if !isName(w) {
			return true, divAttrs{}, false
		}
		a.classes = append(a.classes, w)
	}
	return true, a, true
}

// parseAttrs reads a Pandoc attribute list without its braces:
// "#id .class key=value key="quoted value"".
func parseAttrs(s string) (divAttrs, bool) {
	var a divAttrs
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return a, true
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		switch {
		case s[0] == '#' && a.id == "" && isName(s[1:end]):
			a.id = s[1:end]
		case s[0] == '.' && isName(s[1:end]):
			a.classes = append(a.classes, s[1:end])
		default:
			eq := strings.IndexByte(s, '=')
			if eq <= 0 || !isName(s[:eq]) {
				return a, false
			}
			key, v := s[:eq], s[eq+1:]
			var val string
			if v != "" && (v[0] == '"' || v[0] == '\'') {
				q := strings.IndexByte(v[1:], v[0])
				if q < 0 {
					return a, false
				}
				val, v = v[1:q+1], v[q+2:]
			} else {
				e := strings.IndexAny(v, " \t")
				if e < 0 {
					e = len(v)
				}
				val, v = v[:e], v[e:]
			}
			if a.kv == nil {
				a.kv = map[string]string{}
			}
			a.kv[key] = val
			s = v
			continue
		}
		s = s[end:]
	}
}

// isName reports whether s is a usable class, id or key: letters, digits,
// '-', '_', ':' and '.', not starting with a digit or punctuation.
func isName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_' || r == ':' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// maxDivDepth bounds the nesting of containers that group walks, and of
// divs in one container.
const maxDivDepth = 100

// grouper pairs fences into divs across a page's AST.
type grouper struct {
	unclosed []*fenceNode // openers never closed
	stray    []*fenceNode // closers with nothing to close
	tooDeep  bool
}

// group pairs the fences among container's children into divs, then does
// the same inside every child that holds blocks.
func (g *grouper) group(container ast.Node, depth int) {
	if depth > maxDivDepth {
		g.tooDeep = true
		return
	}
	var stack []*divNode
	var openers []*fenceNode
	skipped := 0 // openers beyond maxDivDepth, still open
	for c := container.FirstChild(); c != nil; {
		next := c.NextSibling()
		f, isFence := c.(*fenceNode)
		switch {
		case isFence && f.open && len(stack) >= maxDivDepth:
			container.RemoveChild(container, c)
			skipped++
			g.tooDeep = true
		case isFence && f.open:
			d := &divNode{block: &Block{ID: f.attrs.id, Classes: f.attrs.classes, Attrs: f.attrs.kv}}
			d.SetPos(f.Pos())
			if len(stack) == 0 {
				container.InsertBefore(container, c, d)
			} else {
				top := stack[len(stack)-1]
				top.AppendChild(top, d)
			}
			container.RemoveChild(container, c)
			stack = append(stack, d)
			openers = append(openers, f)
		case isFence && skipped > 0:
			container.RemoveChild(container, c)
			skipped--
		case isFence:
			container.RemoveChild(container, c)
			if len(stack) == 0 {
				g.stray = append(g.stray, f)
			} else {
				stack = stack[:len(stack)-1]
				openers = openers[:len(openers)-1]
			}
		case len(stack) > 0:
			container.RemoveChild(container, c)
			top := stack[len(stack)-1]
			top.AppendChild(top, c)
		}
		c = next
	}
	g.unclosed = append(g.unclosed, openers...)
	for c := container.FirstChild(); c != nil; c = c.NextSibling() {
		if fc := c.FirstChild(); fc != nil && fc.Type() == ast.TypeBlock {
			g.group(c, depth+1)
		}
	}
}
