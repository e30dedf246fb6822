package lesson_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"

	"github.com/metaacademy/ota/packaging/lesson"
)

func ExampleOpenFS() {
	l, report, err := lesson.OpenFS(os.DirFS("testdata/plain"), lesson.Options{Language: "en"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Title, "—", l.License)
	for _, ep := range l.Episodes {
		fmt.Printf("%s: %q, %d+%d min → %s\n", ep.File, ep.Title, ep.Teaching, ep.Exercises, ep.Page)
	}
	fmt.Println(len(report.Issues), "issues")

	course := l.Asset()
	for _, x := range course.All() {
		fmt.Println(x.Kind, x.Title["en"], x.Duration)
	}
	page, _ := fs.ReadFile(l.Content(), "a-simple.html")
	fmt.Println(len(page) > 0)
	// Output:
	// Plain Notes on Sampling — CC-BY-4.0
	// a-simple.md: "Simple Random Samples", 5+5 min → a-simple.html
	// b-stratified.md: "Stratified Samples", 10+0 min → b-stratified.html
	// 0 issues
	// course Plain Notes on Sampling PT20M
	// lesson Simple Random Samples PT10M
	// lesson Stratified Samples PT10M
	// activity Allocate PT0S
	// true
}

func ExampleOpenFile() {
	// OpenFile reads a lesson folder on disk refusing symbolic links and
	// special files at every depth (FollowLinks follows those that stay
	// inside the folder).
	l, _, err := lesson.OpenFile("testdata/plain", lesson.Options{Language: "en"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	fmt.Println(l.Title, len(l.Episodes))
	// Output:
	// Plain Notes on Sampling 2
}

// ExampleOpen reads a zipped lesson, here one made in memory: a plain
// folder of Markdown files, each page an episode.
func ExampleOpen() {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, text := range map[string]string{
		"01-frames.md":  "---\ntitle: Sampling frames\nteaching: 10\n---\n\nA frame lists the units.\n",
		"02-weights.md": "---\ntitle: Design weights\nteaching: 15\n---\n\nA weight is an inverse probability.\n",
	} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(text))
	}
	if err := zw.Close(); err != nil {
		fmt.Println(err)
		return
	}
	l, report, err := lesson.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), lesson.Options{Language: "en"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, part := range l.Asset().Parts {
		fmt.Println(part.Kind, part.Title["en"], part.Duration)
	}
	fmt.Println(len(report.Errors()), "errors")
	// Output:
	// lesson Sampling frames PT10M
	// lesson Design weights PT15M
	// 0 errors
}
