package lesson

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// FuzzParseEpisode feeds arbitrary pages to the front matter, Markdown and
// fenced-div reader and to the renderer. It checks that nothing panics,
// that issues point at the page with a line inside it, that every div is
// one <section> of the page, and that no script tag gets through.
func FuzzParseEpisode(f *testing.F) {
	_ = filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isMarkdown(p) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, isRmd(p))
			}
		}
		return nil
	})
	for _, s := range []string{
		"---\ntitle: x\n---\n::: challenge\n:::: solution\n",
		":::\n::: {#a .b c=d}\n- x\n:::\n:::\n",
		"> ::: callout\n> text\n> :::\n",
		"1. ::: hint\n   inside\n   :::\n",
		"```\n::: challenge\n```\n:::\n",
		"![](a.png){alt='x}' width=1}\n",
		"<kbd>a</kbd><b x=1>c</b><foo bar><!-- c --><?pi?>",
		"---\na: &a [*a, *a]\nb: *a\n---\n",
		"[term]{#term}\n:   def [x]{.c}\n\n[a [b](c) `]{` d]{#e k='}'} *[f* g]{#h} [i]{#",
		"[[nested]{#in}]{#out} [x\n]{#y}",
	} {
		f.Add([]byte(s), false)
	}
	md := newMarkdown()
	f.Fuzz(func(t *testing.T, data []byte, rmd bool) {
		file := "episodes/x.md"
		if rmd {
			file = "episodes/x.Rmd"
		}
		ep, issues := parsePage(md, file, data, "en", nil)
		lines := strings.Count(string(data), "\n") + 1
		for _, is := range issues {
			if is.Pointer != file || is.Line < 0 || is.Line > lines {
				t.Fatalf("issue %v points outside the page (%d lines)", is, lines)
			}
		}
		divs := 0
		_ = ast.Walk(ep.doc.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if _, ok := n.(*divNode); ok && entering {
				divs++
			}
			if _, ok := n.(*fenceNode); ok && entering && !isLeftover(n) {
				t.Fatalf("a fence survived grouping")
			}
			if _, ok := n.(*spanMark); ok {
				t.Fatalf("a span marker survived wrapSpans")
			}
			return ast.WalkContinue, nil
		})
		if n := countBlocks(ep.Blocks); n != divs {
			t.Fatalf("%d blocks for %d divs", n, divs)
		}
		ep.Title, ep.Page = "T", "episodes/x.html"
		l := &Lesson{Title: "L", Language: "en", md: md, pages: map[string]*Episode{file: ep}, rendered: map[string][]byte{}}
		page, err := l.Render(ep)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(page) {
			t.Fatal("the page is not UTF-8")
		}
		low := strings.ToLower(string(page))
		if n := strings.Count(low, "<section"); n != divs {
			t.Fatalf("%d sections for %d divs", n, divs)
		}
		if strings.Contains(low, "<script") || strings.Contains(low, "<iframe") {
			t.Fatalf("active content in the page:\n%s", page)
		}
		for _, b := range ep.challenges {
			if _, err := l.render(ep, b); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// isLeftover reports whether a fence node sits deeper than group goes.
func isLeftover(n ast.Node) bool {
	d := 0
	for p := n.Parent(); p != nil; p = p.Parent() {
		d++
	}
	return d > maxDivDepth
}

func countBlocks(bs []*Block) int {
	n := len(bs)
	for _, b := range bs {
		n += countBlocks(b.Children)
	}
	return n
}
