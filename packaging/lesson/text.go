package lesson

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// maxNesting bounds the nesting of block quotes and lists a line may
// open. Markdown parsers spend time on every open container for every
// following line, so a page nesting thousands deep (easy to write: one
// line of ">" characters) would take minutes to read.
const maxNesting = 32

// tooDeep returns the offset and 0-based line number of the first line
// that opens more than maxNesting containers (block quote markers and
// list markers, counting two columns of indentation as one level), or -1.
func tooDeep(body []byte) (off, line int) {
	for off < len(body) {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		l := body[off : off+end]
		depth, indent := 0, 0
		for i := 0; i < len(l) && depth <= 2*maxNesting; {
			switch c := l[i]; {
			case c == ' ':
				indent++
				i++
			case c == '\t':
				indent += 4
				i++
			case c == '>':
				depth++
				i++
			case (c == '-' || c == '*' || c == '+') && i+1 < len(l) && (l[i+1] == ' ' || l[i+1] == '\t'):
				depth++
				i += 2
			case c >= '0' && c <= '9':
				j := i
				for j < len(l) && j-i < 10 && l[j] >= '0' && l[j] <= '9' {
					j++
				}
				if j+1 < len(l) && (l[j] == '.' || l[j] == ')') && (l[j+1] == ' ' || l[j+1] == '\t') {
					depth++
					i = j + 2
					continue
				}
				i = len(l)
			default:
				i = len(l)
			}
		}
		if depth > maxNesting || depth+indent/2 > 2*maxNesting && depth > 0 {
			return off, line
		}
		off += end + 1
		line++
	}
	return -1, 0
}

type linkAt struct {
	off  int
	dest string
}

// paraText returns a paragraph's text with code spans blanked out, and
// its links with their offsets in that text.
func paraText(n ast.Node, src []byte) (string, []linkAt) {
	var b strings.Builder
	var links []linkAt
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.CodeSpan, *ast.RawHTML, *ast.Image:
			b.WriteByte(' ')
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			links = append(links, linkAt{b.Len(), string(x.Destination)})
		case *ast.AutoLink:
			links = append(links, linkAt{b.Len(), string(x.URL(src))})
		case *ast.Text:
			b.Write(x.Segment.Value(src))
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(x.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String(), links
}

// plainText returns the text of a node's inline content, whitespace
// collapsed, escapes and entities resolved; images are left out.
func plainText(n ast.Node, src []byte) string {
	var b []byte
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			v := x.Segment.Value(src)
			if !x.IsRaw() {
				v = util.UnescapePunctuations(v)
				v = util.ResolveNumericReferences(v)
				v = util.ResolveEntityNames(v)
			}
			b = append(b, v...)
			if x.SoftLineBreak() || x.HardLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			b = append(b, x.Value...)
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		}
		if c.Type() == ast.TypeBlock && c != n {
			b = append(b, ' ')
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(string(b)), " ")
}
