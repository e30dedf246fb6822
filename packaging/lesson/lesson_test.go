package lesson

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

func TestWorkbenchFixture(t *testing.T) {
	l, rep := openDir(t, "workbench", Options{})

	t.Run("metadata", func(t *testing.T) {
		assert.Equal(t, "Tidy Survey Data", l.Title)
		assert.Equal(t, "CC-BY-SA-4.0", l.License)
		assert.Equal(t, []string{"survey", "tidy data", "official statistics"}, l.Keywords)
		assert.Equal(t, "2024-02-19", l.Created)
		assert.Equal(t, []string{"https://datacarpentry.org/R-ecology-lesson/"}, l.BasedOn)
		assert.Equal(t, []string{"A spreadsheet program and curiosity about households."}, l.Prerequisites)
		assert.Equal(t, "Ana works in a statistical office and cleans survey files every month.", l.Audience)
		assert.Equal(t, []string{"Ada Analyst", "Ben Builder"}, l.Authors)
		assert.Equal(t, []string{"ada@example.org", ""}, l.AuthorEmails)
		assert.True(t, strings.HasPrefix(l.Description, "Survey microdata arrive messy."))
		var pages []string
		for _, p := range l.Pages {
			pages = append(pages, p.File+"→"+p.Page)
		}
		assert.Equal(t, []string{"index.md→index.html", "learners/setup.md→learners/setup.html",
			"learners/reference.md→learners/reference.html", "instructors/notes.md→", "profiles/analyst.md→"}, pages)
	})

	t.Run("episodes", func(t *testing.T) {
		tests := []struct {
			file, title         string
			teaching, exercises int
			obj, q, kp, blocks  int
			challenges          []string
			files               []string
		}{
			{"episodes/01-first-look.md", "A First Look at the Survey", 15, 10, 2, 2, 2, 5,
				[]string{"Counting households"}, []string{"episodes/data/households.csv", "episodes/fig/flow.svg"}},
			{"episodes/02-cleaning.md", "Cleaning Values", 20, 15, 3, 1, 1, 8, []string{"Spot the codes", "Ranges"}, nil},
			{"episodes/03-weights.Rmd", "Survey Weights", 10, 5, 1, 0, 0, 2, []string{"Weighted mean"}, nil},
		}
		require.Len(t, l.Episodes, len(tests))
		for i, tt := range tests {
			t.Run(tt.file, func(t *testing.T) {
				ep := l.Episodes[i]
				assert.Equal(t, tt.file, ep.File)
				assert.Equal(t, tt.title, ep.Title)
				assert.Equal(t, [2]int{tt.teaching, tt.exercises}, [2]int{ep.Teaching, ep.Exercises})
				assert.Equal(t, [3]int{tt.obj, tt.q, tt.kp}, [3]int{len(ep.Objectives), len(ep.Questions), len(ep.Keypoints)})
				assert.Len(t, ep.Blocks, tt.blocks)
				var titles []string
				for _, b := range ep.challenges {
					titles = append(titles, b.Title)
				}
				assert.Equal(t, tt.challenges, titles)
				assert.Equal(t, tt.files, ep.Files)
			})
		}
		ep := l.Episodes[0]
		assert.Equal(t, []string{"Open the survey file and describe its columns.", "Tell identifiers from measures."}, ep.Objectives)
		assert.Equal(t, "Which columns hold identifiers?", ep.Questions[1])
		ch := ep.Blocks[3]
		assert.Equal(t, "challenge", ch.Kind)
		assert.Equal(t, "count-rows", ch.ID)
		assert.Equal(t, 45, ch.Line)
		require.Len(t, ch.Children, 1)
		assert.Equal(t, "solution", ch.Children[0].Kind)
		// Nested divs closed by lines of three colons each (Pandoc's rule).
		spot := l.Episodes[1].Blocks[2]
		assert.Equal(t, "Spot the codes", spot.Title)
		require.Len(t, spot.Children, 2)
		assert.Equal(t, []string{"hint", "solution"}, []string{spot.Children[0].Kind, spot.Children[1].Kind})
		assert.Equal(t, "Answer", spot.Children[1].Title)
	})

	t.Run("issues", func(t *testing.T) {
		assert.Equal(t, []string{"lesson.html.dropped"}, codes(rep, "episodes/01-first-look.md"))
		assert.Equal(t, []string{"lesson.div.unknown-class", "lesson.image.missing", "lesson.link.broken", "lesson.link.anchor"},
			codes(rep, "episodes/02-cleaning.md"))
		assert.Equal(t, []string{"lesson.rmd.chunk", "lesson.rmd.inline"}, codes(rep, "episodes/03-weights.Rmd"))
		lines := map[string]int{}
		for _, is := range rep.Issues {
			lines[is.Code] = is.Line
		}
		assert.Equal(t, map[string]int{"lesson.html.dropped": 33, "lesson.div.unknown-class": 53, "lesson.image.missing": 73,
			"lesson.link.broken": 75, "lesson.link.anchor": 75, "lesson.rmd.chunk": 13, "lesson.rmd.inline": 17}, lines)
		assert.Len(t, rep.Issues, 7)
	})

	t.Run("render", func(t *testing.T) {
		page, err := l.Render(l.Episodes[1])
		require.NoError(t, err)
		s := string(page)
		assert.Contains(t, s, `<a href="https://example.org/survey-guide" title="Survey guide">survey guide</a>`, "links.md reference")
		assert.Contains(t, s, `<a href="01-first-look.html#the-file">`, "link to another episode")
		assert.Contains(t, s, "<summary>Hint</summary>")
		assert.Contains(t, s, `<section class="callout aside" id="aside">`)
		kinds, total, _, _ := sections(t, page)
		assert.Equal(t, 10, total)
		assert.Equal(t, 2, kinds["challenge"])

		page, err = l.Render(l.Episodes[0])
		require.NoError(t, err)
		s = string(page)
		assert.NotContains(t, s, "<script")
		assert.NotContains(t, s, "a note for editors")
		assert.Contains(t, s, "<kbd>Ctrl</kbd>")
		assert.Contains(t, s, `<img src="fig/flow.svg" alt="From raw file to tidy table" width="60%">`)
		assert.Contains(t, s, `<a href="../learners/reference.html#tidy-data">`)
		assert.Contains(t, s, `<link rel="stylesheet" href="../ota-lesson.css">`)

		page, err = l.Render(l.Episodes[2])
		require.NoError(t, err)
		assert.Contains(t, string(page), `<pre><code class="language-r">hh &lt;- read.csv`)

		_, err = l.Render(&Episode{File: "episodes/01-first-look.md"})
		assert.ErrorIs(t, err, ErrNotInLesson)
	})

	t.Run("asset", func(t *testing.T) {
		a, arep := l.convert()
		assert.Empty(t, arep.Issues)
		assert.Equal(t, []string{
			"lesson.lost.instructor-page at instructors/notes.md: instructor page: pages for instructors are not packaged for learners",
			"lesson.lost.raw-html at episodes/01-first-look.md: 2 raw HTML fragment(s): raw HTML is not passed into the rendered page, for safety",
			"lesson.lost.rmd-output at episodes/03-weights.Rmd: the output of 2 R Markdown chunk(s): chunks need executing with R; the page shows their source only",
		}, lossStrings(arep))
		assert.Empty(t, asset.Check(a, asset.CheckOptions{}).Issues)
		assert.Equal(t, asset.DeriveID("lesson", "https://example.org/lessons/tidy-survey"), a.ID)
		assert.Equal(t, "PT1H15M", a.Duration.String())
		assert.Equal(t, asset.LangString{"en": "Ana works in a statistical office and cleans survey files every month."}, a.Audience)
		assert.Equal(t, []asset.Contributor{
			{Name: "Ada Analyst", Type: asset.Person, Roles: []asset.Role{asset.RoleAuthor}, Email: "ada@example.org"},
			{Name: "Ben Builder", Type: asset.Person, Roles: []asset.Role{asset.RoleAuthor}},
		}, a.Contributors)
		require.Len(t, a.Parts, 3)
		ep := a.Parts[0]
		assert.Equal(t, asset.DeriveID("lesson", "https://example.org/lessons/tidy-survey", "episodes/01-first-look.md"), ep.ID)
		assert.Equal(t, "PT25M", ep.Duration.String())
		var ext Ext
		require.NoError(t, json.Unmarshal(ep.Extensions[ExtensionIRI], &ext))
		assert.Equal(t, "episode", ext.Type)
		assert.Equal(t, []string{"One row is one household.", "Identifiers are not measures."}, ext.Keypoints)
		assert.Equal(t, 15, *ext.Teaching)
		roles := map[string]asset.ResourceRole{}
		for _, r := range ep.Resources {
			roles[r.Path] = r.Role
		}
		assert.Equal(t, map[string]asset.ResourceRole{"episodes/01-first-look.html": asset.RoleLaunch, Stylesheet: asset.RoleSupporting,
			"episodes/data/households.csv": asset.RoleData, "episodes/fig/flow.svg": asset.RoleMedia}, roles)
		require.Len(t, ep.Parts, 1)
		ch := ep.Parts[0]
		assert.Equal(t, asset.KindActivity, ch.Kind)
		assert.Equal(t, asset.LangString{"en": "Counting households"}, ch.Title)
		assert.Equal(t, "episodes/01-first-look-challenge-1.html", ch.Resources[0].Path)
		assert.Equal(t, asset.RoleLaunch, ch.Resources[0].Role)
	})

	t.Run("content", func(t *testing.T) {
		a, _ := l.convert()
		content := l.Content()
		var want []string
		for _, x := range a.All() {
			for _, r := range x.Resources {
				want = append(want, r.Path)
				b, err := fs.ReadFile(content, r.Path)
				require.NoError(t, err, r.Path)
				sum := sha256.Sum256(b)
				assert.Equal(t, hex.EncodeToString(sum[:]), r.SHA256, r.Path)
				assert.Equal(t, r.Size, int64(len(b)), r.Path)
			}
		}
		require.NoError(t, fstest.TestFS(content, want...))
		_, err := content.Open("episodes/01-first-look.md")
		assert.ErrorIs(t, err, fs.ErrNotExist, "sources are not content")
		_, err = content.Open("../config.yaml")
		assert.ErrorIs(t, err, fs.ErrInvalid)
		page, err := fs.ReadFile(content, "episodes/01-first-look-challenge-1.html")
		require.NoError(t, err)
		kinds, _, _, title := sections(t, page)
		assert.Equal(t, map[string]int{"challenge": 1, "solution": 1}, kinds)
		assert.Equal(t, "Counting households – A First Look at the Survey – Tidy Survey Data", title)
	})
}

func lossStrings(r ota.Report) []string {
	var out []string
	for _, l := range r.Losses {
		out = append(out, l.String())
	}
	return out
}

func TestPlainFolder(t *testing.T) {
	l, rep := openDir(t, "plain", Options{Language: "en-gb"})
	assert.Empty(t, rep.Issues)
	assert.False(t, l.Workbench)
	assert.Equal(t, "Plain Notes on Sampling", l.Title)
	assert.Equal(t, "en-GB", l.Language)
	assert.Equal(t, "CC-BY-4.0", l.License, "from the Creative Commons URL in LICENSE.md")
	require.Len(t, l.Episodes, 2)
	assert.Equal(t, "a-simple.md", l.Episodes[0].File)
	assert.Equal(t, "a-simple.html", l.Episodes[0].Page)
	assert.Equal(t, "Stratified Samples", l.Episodes[1].Title)
	a, _ := l.convert()
	assert.Empty(t, asset.Check(a, asset.CheckOptions{}).Issues)
	assert.Equal(t, asset.DeriveID("lesson", "Plain Notes on Sampling"), a.ID)
	page, err := l.Render(l.Episodes[0])
	require.NoError(t, err)
	assert.Contains(t, string(page), `<link rel="stylesheet" href="ota-lesson.css">`)
	assert.Contains(t, string(page), `<html lang="en-GB">`)
	require.NoError(t, fstest.TestFS(l.Content(), "a-simple.html", "b-stratified.html", "b-stratified-challenge-1.html", "README.html", Stylesheet))
}

func TestBadInputs(t *testing.T) {
	t.Run("config syntax", func(t *testing.T) {
		_, _, err := OpenFS(os.DirFS("testdata/bad/config-syntax"), Options{})
		require.ErrorIs(t, err, ErrConfig)
		assert.Equal(t, "lesson: config.yaml:5: the YAML does not parse (found unexpected end of stream)", err.Error())
	})
	t.Run("config not a mapping", func(t *testing.T) {
		_, _, err := OpenFS(fstest.MapFS{"config.yaml": {Data: []byte("- a\n- b\n")}}, Options{})
		require.ErrorIs(t, err, ErrConfig)
		assert.Contains(t, err.Error(), "config.yaml:1:")
	})
	t.Run("config too large", func(t *testing.T) {
		_, _, err := OpenFS(fstest.MapFS{"config.yaml": {Data: bytes.Repeat([]byte("# x\n"), 100)}}, Options{MaxFileSize: 64})
		require.ErrorIs(t, err, ErrTooLarge)
		assert.Equal(t, "lesson: file too large: config.yaml is larger than MaxFileSize (64 bytes)", err.Error())
	})
	t.Run("nothing", func(t *testing.T) {
		_, _, err := OpenFS(fstest.MapFS{"data.csv": {Data: []byte("a,b\n")}}, Options{})
		require.ErrorIs(t, err, ErrNoLesson)
	})
	t.Run("config types", func(t *testing.T) {
		l, rep := openDir(t, "bad/config-types", Options{})
		assert.Equal(t, []string{"lesson.config.type", "lesson.config.language", "lesson.config.license",
			"lesson.config.page", "lesson.config.page", "lesson.page.missing", "lesson.title.missing"}, codes(rep, ""))
		assert.Equal(t, "und", l.Language)
		assert.Empty(t, l.License)
		require.Len(t, l.Episodes, 1)
		assert.Equal(t, "Untitled lesson", l.Title)
	})
	t.Run("pages", func(t *testing.T) {
		l, rep := openDir(t, "bad/pages", Options{})
		want := map[string][]string{
			"episodes/a-yaml.md":         {"lesson.frontmatter.invalid", "lesson.frontmatter.title-missing"},
			"episodes/b-unterminated.md": {"lesson.frontmatter.unterminated", "lesson.frontmatter.title-missing"},
			"episodes/c-types.md": {"lesson.frontmatter.type", "lesson.frontmatter.type", "lesson.frontmatter.type",
				"lesson.div.attributes", "lesson.div.unclosed", "lesson.frontmatter.title-missing"},
			"episodes/d-stray.md":    {"lesson.div.stray-close"},
			"episodes/e-encoding.md": {"lesson.page.encoding"},
			"episodes/f-notitle.md":  {"lesson.frontmatter.title-missing"},
		}
		for file, w := range want {
			assert.Equal(t, w, codes(rep, file), file)
		}
		assert.False(t, rep.HasErrors())
		require.Len(t, l.Episodes, 6)
		assert.Equal(t, "Heading Title", l.Episodes[2].Title, "falls back to the first heading")
		assert.Equal(t, "Latin-1 \uFFFDt\uFFFD", l.Episodes[4].Title)
		assert.Equal(t, "only-id", l.Episodes[3].Blocks[0].ID)
		for _, ep := range l.Episodes {
			_, err := l.Render(ep)
			require.NoError(t, err)
		}
		a, _ := l.convert()
		assert.False(t, asset.Check(a, asset.CheckOptions{}).HasErrors())
	})
}

func TestHostile(t *testing.T) {
	fsys := fstest.MapFS{
		"config.yaml":         {Data: []byte("title: T\nepisodes:\n- a.md\n- big.md\n")},
		"episodes/a.md":       {Data: []byte(hostilePage)},
		"episodes/big.md":     {Data: bytes.Repeat([]byte("x"), 2000)},
		"episodes/fig/ok.png": {Data: []byte("\x89PNG")},
		"episodes/huge.csv":   {Data: bytes.Repeat([]byte("1,2\n"), 100)},
	}
	l, rep, err := OpenFS(fsys, Options{MaxFileSize: 1024, MaxResourceSize: 64})
	require.NoError(t, err)
	assert.Equal(t, []string{"lesson.page.too-large"}, codes(rep, "episodes/big.md"))
	assert.Equal(t, []string{"lesson.div.attributes", "lesson.div.attributes", "lesson.div.attributes",
		"lesson.div.stray-close", "lesson.div.stray-close", "lesson.html.dropped",
		"lesson.image.missing", "lesson.link.outside", "lesson.link.absolute", "lesson.file.too-large",
		"lesson.challenge.untitled"}, codes(rep, "episodes/a.md"), "reading's issues, then the conversion's")
	require.Len(t, l.Episodes, 1)
	page, err := l.Render(l.Episodes[0])
	require.NoError(t, err)
	s := string(page)
	for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "style=", "<iframe", "<img src=x", `"><b>`, "evil"} {
		assert.NotContains(t, s, bad)
	}
	assert.Contains(t, s, `<h2 id="t" class="c">Title</h2>`)
	assert.Equal(t, 1, strings.Count(s, "<section"))
	assert.Contains(t, s, `<section class="callout challenge" id="challenge">`, "key=value attributes are not written")
	assert.Contains(t, s, `<title>&lt;/title&gt;&lt;script&gt; – T</title>`)
	assert.Equal(t, []string{"episodes/fig/ok.png"}, l.Episodes[0].Files)
}

const hostilePage = `---
title: "</title><script>"
---

[js](javascript:alert(1)) [js2](JaVaScRiPt:alert(1)) <iframe src="https://evil.example"></iframe>

<img src=x onerror=alert(1)>

## Title {#t .c onclick="alert(1)" style="color:red"}

::: {.challenge title="<script>alert(1)</script>"}

::: {.x"><b>}
:::

::: {#a .x"><b>}
:::

::: x"><b>

![ok](fig/ok.png) ![ln](fig/ln.png) [up](../../etc/passwd) [root](/etc/passwd) [big](huge.csv)

:::
`

func TestTooDeep(t *testing.T) {
	// A Markdown parser spends time on every open container for every
	// following line; a page nesting thousands deep is cut where it starts.
	page := "---\ntitle: Deep\n---\n\nIntro.\n\n" + strings.Repeat(">", 5000) + " x\n" + strings.Repeat("lazy\n", 1000)
	l, rep, err := OpenFS(fstest.MapFS{"a.md": {Data: []byte(page)}}, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"lesson.page.too-deep", "lesson.title.missing"}, codes(rep, ""))
	assert.Equal(t, ota.Issue{Pointer: "a.md", Line: 7, Code: "lesson.page.too-deep", Severity: ota.Error,
		Message: "this line nests lists or block quotes more than 32 deep, which no lesson needs; the page is read up to here"}, rep.Issues[0])
	assert.Equal(t, "Deep", l.Episodes[0].Title)
	for _, s := range []string{strings.Repeat("- ", 33) + "x", strings.Repeat("1. ", 33) + "x", strings.Repeat("> ", 33)} {
		off, _ := tooDeep([]byte("ok\n" + s + "\n"))
		assert.Equal(t, 3, off, s)
	}
	off, _ := tooDeep([]byte(strings.Repeat("> ", 32) + "x\n    - a\n\t\t\t\t\t- deep code"))
	assert.Equal(t, -1, off)
}

func TestDeterministic(t *testing.T) {
	var prev []byte
	for range 3 {
		l, rep := openDir(t, "workbench", Options{})
		a, arep := l.convert()
		b, err := json.Marshal(struct {
			A    *asset.Asset
			R, L ota.Report
		}{a, rep, arep})
		require.NoError(t, err)
		if prev != nil {
			require.Equal(t, string(prev), string(b))
		}
		prev = b
	}
}

func TestLabelsFollowLanguage(t *testing.T) {
	l, _ := openDir(t, "workbench", Options{Language: "fr"})
	page, err := l.Render(l.Episodes[0])
	require.NoError(t, err)
	s := string(page)
	assert.Contains(t, s, `<html lang="fr">`)
	assert.Contains(t, s, `<p class="callout-kind">Défi</p>`)
	assert.Contains(t, s, "Enseignement: 15 min · Exercices: 10 min")
}

func TestSPDX(t *testing.T) {
	for in, want := range map[string]string{
		"CC-BY 4.0": "CC-BY-4.0", "CC BY-SA 4.0": "CC-BY-SA-4.0", "cc-by-4.0": "CC-BY-4.0", "CC0": "CC0-1.0",
		"MIT": "MIT", "Apache 2.0": "Apache-2.0", "https://creativecommons.org/licenses/by-nc/3.0/": "CC-BY-NC-3.0",
		"CC-BY-4.0 OR MIT": "CC-BY-4.0 OR MIT", "Custom terms": "", "": "",
	} {
		assert.Equal(t, want, spdxLicense(in), in)
	}
}

func TestParseFence(t *testing.T) {
	tests := []struct {
		line    string
		open    bool
		ok      bool
		classes []string
		id      string
	}{
		{":::", false, true, nil, ""},
		{"::::::::::   ", false, true, nil, ""},
		{"::::::: objectives", true, true, []string{"objectives"}, ""},
		{"::: challenge :::", true, true, []string{"challenge"}, ""},
		{"::: {.challenge #c1 data-x=\"a b\"}", true, true, []string{"challenge"}, "c1"},
		{":: challenge", false, false, nil, ""},
		{"::: {.challenge", true, false, nil, ""},
		{"::: {}", true, false, nil, ""},
		{"::: two words", true, true, []string{"two", "words"}, ""},
		{"::: 1bad", true, false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			open, a, ok := parseFence([]byte(tt.line))
			assert.Equal(t, tt.open, open)
			assert.Equal(t, tt.ok, ok)
			if ok {
				assert.Equal(t, tt.classes, a.classes)
				assert.Equal(t, tt.id, a.id)
			}
		})
	}
}

func TestRelPath(t *testing.T) {
	for _, tt := range [][3]string{
		{"episodes", "ota-lesson.css", "../ota-lesson.css"},
		{".", "ota-lesson.css", "ota-lesson.css"},
		{"episodes", "episodes/fig/a.png", "fig/a.png"},
		{"episodes", "learners/setup.html", "../learners/setup.html"},
		{"a/b", "a/c/d.html", "../c/d.html"},
	} {
		assert.Equal(t, tt[2], relPath(tt[0], tt[1]), tt)
	}
}

func TestConcurrentRender(t *testing.T) {
	l, _ := openDir(t, "workbench", Options{})
	done := make(chan []byte, 8)
	for range 8 {
		go func() {
			var all []byte
			for _, ep := range l.Episodes {
				b, err := l.Render(ep)
				if err != nil {
					all = nil
					break
				}
				all = append(all, b...)
			}
			done <- all
		}()
	}
	first := <-done
	require.NotEmpty(t, first)
	for range 7 {
		assert.Equal(t, first, <-done)
	}
}
