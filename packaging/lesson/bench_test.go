package lesson

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/metaacademy/ota/packaging/scorm"
)

// BenchmarkImportRender opens a lesson and maps it to an asset tree, which
// renders every page and hashes every referenced file: on the reference
// Git lesson and on synthetic lessons of 20 and 200 episodes built in
// memory.
func BenchmarkImportRender(b *testing.B) {
	b.Run("git", func(b *testing.B) {
		benchLesson(b, gitLesson(b))
	})
	for _, n := range []int{20, 200} {
		b.Run(fmt.Sprintf("synthetic-%d", n), func(b *testing.B) {
			benchLesson(b, syntheticLesson(n))
		})
	}
}

func benchLesson(b *testing.B, fsys fs.FS) {
	var size int64
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (isMarkdown(p) || p == "config.yaml") {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		l, _, err := OpenFS(fsys, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if a, rep := l.convert(); a == nil || rep.HasErrors() {
			b.Fatal(rep.Issues)
		}
	}
}

// syntheticLesson builds a Workbench lesson of n episodes, each about the
// size of a long real episode (objectives, callouts, challenges with
// solutions, code, a table, a figure).
func syntheticLesson(n int) fstest.MapFS {
	fsys := fstest.MapFS{"episodes/fig/figure.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}}
	var cfg strings.Builder
	cfg.WriteString("title: Synthetic\nlicense: CC-BY 4.0\nsource: https://example.org/synthetic\nepisodes:\n")
	for i := range n {
		name := fmt.Sprintf("%03d-episode.md", i+1)
		fmt.Fprintf(&cfg, "- %s\n", name)
		var e strings.Builder
		fmt.Fprintf(&e, "---\ntitle: Episode %d\nteaching: 20\nexercises: 10\n---\n\n", i+1)
		e.WriteString("::::: objectives\n\n- Do the first thing\n- Do the second thing\n\n:::::\n\n::::: questions\n\n- Why?\n\n:::::\n\n")
		for s := range 6 {
			fmt.Fprintf(&e, "## Section %d\n\nSome *text* with `code` and a [link](%03d-episode.md) to the next episode.\n", s, (i+1)%n+1)
			e.WriteString("Another paragraph that explains the idea at a reasonable length, as lessons do.\n\n")
			e.WriteString("```bash\n$ git status\n$ git add file.txt\n$ git commit -m \"message\"\n```\n\n")
			e.WriteString("| a | b |\n|---|---|\n| 1 | 2 |\n\n![](fig/figure.svg){alt='figure'}\n\n")
			e.WriteString("::: callout\n\n### Note\n\nA remark.\n\n:::\n\n")
			fmt.Fprintf(&e, "::: challenge\n\n## Exercise %d\n\nDo it.\n\n:::: solution\n\nDone.\n\n::::\n\n:::\n\n", s)
		}
		e.WriteString("::::: keypoints\n\n- One\n- Two\n\n:::::\n")
		fsys["episodes/"+name] = &fstest.MapFile{Data: []byte(e.String())}
	}
	fsys["config.yaml"] = &fstest.MapFile{Data: []byte(cfg.String())}
	return fsys
}

// BenchmarkToSCORM is the whole road from a lesson folder to an LMS
// package: open, map (rendering every page) and export as SCORM 2004 4th
// Edition, one SCO per episode and challenge, on the Git lesson and on a
// synthetic lesson of 200 episodes.
func BenchmarkToSCORM(b *testing.B) {
	for _, tc := range []struct {
		name string
		fsys func(b *testing.B) fs.FS
	}{
		{"git", func(b *testing.B) fs.FS { return gitLesson(b) }},
		{"synthetic-200", func(*testing.B) fs.FS { return syntheticLesson(200) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			fsys := tc.fsys(b)
			b.ReportAllocs()
			for b.Loop() {
				l, _, err := OpenFS(fsys, Options{})
				if err != nil {
					b.Fatal(err)
				}
				a, _ := l.convert()
				if _, err := scorm.Export(io.Discard, a, l.Content(), scorm.ExportOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
