package lesson

import (
	"flag"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/metaacademy/ota"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// gitLessonDir is the real Workbench lesson of the shared reference set.
const gitLessonDir = "../../../shared/reference/lessons/ModernStats_Git"

// gitLesson returns the real lesson's folder, or skips the test.
func gitLesson(tb testing.TB) fs.FS {
	tb.Helper()
	if _, err := os.Stat(gitLessonDir + "/config.yaml"); err != nil {
		tb.Skipf("the reference lesson is not at %s (it lives in ../shared beside the clone): %v", gitLessonDir, err)
	}
	return os.DirFS(gitLessonDir)
}

// openDir opens a lesson under testdata and fails on an error.
func openDir(tb testing.TB, dir string, opts Options) (*Lesson, ota.Report) {
	tb.Helper()
	l, rep, err := OpenFS(os.DirFS("testdata/"+dir), opts)
	require.NoError(tb, err)
	return l, rep
}

// codes lists the codes of a report's issues, optionally only those
// pointing at file.
func codes(r ota.Report, file string) []string {
	var out []string
	for _, is := range r.Issues {
		if file == "" || is.Pointer == file {
			out = append(out, is.Code)
		}
	}
	return out
}

// sections parses an HTML page and counts its <section> elements by
// kind (the class after "callout"), and returns the html lang and title.
func sections(tb testing.TB, page []byte) (kinds map[string]int, total int, lang, title string) {
	tb.Helper()
	doc, err := html.Parse(strings.NewReader(string(page)))
	require.NoError(tb, err)
	kinds = map[string]int{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				lang = attr(n, "lang")
			case "title":
				if n.FirstChild != nil {
					title = n.FirstChild.Data
				}
			case "section":
				total++
				cls := strings.Fields(attr(n, "class"))
				if len(cls) > 1 && cls[0] == "callout" {
					kinds[cls[1]]++
				} else if len(cls) == 1 {
					kinds[cls[0]]++
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return kinds, total, lang, title
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
