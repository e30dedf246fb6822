package lesson

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renderedPage renders the page of a lesson whose file is file.
func renderedPage(t *testing.T, l *Lesson, file string) string {
	t.Helper()
	for _, ep := range append(append([]*Episode(nil), l.Episodes...), l.Pages...) {
		if ep.File == file {
			page, err := l.Render(ep)
			require.NoError(t, err)
			return string(page)
		}
	}
	t.Fatalf("no page %s", file)
	return ""
}

// glossary is a Workbench glossary of our own, in the form every
// learners/reference.md has: each term a bracketed span in a definition
// list.
const glossary = `---
title: 'Glossary'
---

## Glossary

[changeset]{#changeset}
:   A group of changes to one or more files that go into a single [commit](#commit).

[commit]{#commit}
:   To record the current state of a set of files (a changeset) in a version control repository.

[revision]{#revision .term data-x="a}b"}
:   A synonym for [commit](#commit), *the state* of the files at one point.
`

func TestBracketedSpans(t *testing.T) {
	fsys := fstest.MapFS{
		"config.yaml":           {Data: []byte("title: Spans\ncarpentry: incubator\nepisodes:\n- one.md\n")},
		"learners/reference.md": {Data: []byte(glossary)},
		"episodes/one.md": {Data: []byte(`---
title: One
---

Record a [commit](../learners/reference.md#commit) of the [changeset](../learners/reference.md#changeset);
it is also a [revision](../learners/reference.md#revision). See [here](#local) and [gone](../learners/reference.md#nowhere).

[A local span with *emphasis*, ` + "`code ]{x}`" + ` and [a link](#local)]{#local}.

Left as written: [a space] {#no}, \[escaped]{#esc}, *[crossing* emphasis]{#cross}, [empty]{}, [unclosed]{#u
`)},
	}
	l, rep, err := OpenFS(fsys, Options{})
	require.NoError(t, err)

	// Links to span ids resolve; only the one to an id that is nowhere is
	// reported.
	var anchors []string
	for _, is := range rep.Issues {
		if is.Code == "lesson.link.anchor" {
			anchors = append(anchors, is.Message)
		}
	}
	require.Len(t, anchors, 1, "%v", rep.Issues)
	assert.Contains(t, anchors[0], "#nowhere")

	ref := renderedPage(t, l, "learners/reference.md")
	assert.Contains(t, ref, `<dt><span id="changeset">changeset</span></dt>`)
	assert.Contains(t, ref, `<dt><span id="commit">commit</span></dt>`)
	assert.Contains(t, ref, `<dt><span id="revision" class="term">revision</span></dt>`, "id and classes; other attributes are not written")
	assert.NotContains(t, ref, "{#", "no attribute block is printed literally")

	one := renderedPage(t, l, "episodes/one.md")
	assert.Contains(t, one, `<a href="../learners/reference.html#commit">commit</a>`)
	assert.Contains(t, one, `<span id="local">A local span with <em>emphasis</em>, <code>code ]{x}</code> and <a href="#local">a link</a></span>.`)
	for _, literal := range []string{"[a space] {#no}", "[escaped]{#esc}", "{#cross}", "[empty]{}", "[unclosed]{#u"} {
		assert.Contains(t, one, literal, "not a span: written as text")
	}
	assert.NotContains(t, one, `id="no"`)
	assert.NotContains(t, one, `id="esc"`)
	assert.NotContains(t, one, `id="cross"`)
}

// TestGitLessonGlossary: the reference lesson's episodes link to glossary
// entries (#commit, #revision, #changeset). Its learners/reference.md is
// still the template's placeholder, so those three links are rightly
// reported; with a glossary written the Workbench way the same lesson
// reports no anchor at all, and the links lead to the terms.
func TestGitLessonGlossary(t *testing.T) {
	real := gitLesson(t)
	_, rep, err := OpenFS(real, Options{})
	require.NoError(t, err)
	var anchors []string
	for _, is := range rep.Issues {
		if is.Code == "lesson.link.anchor" {
			anchors = append(anchors, is.Message)
		}
	}
	require.Len(t, anchors, 3, "the placeholder glossary has none of the three terms")

	fsys := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(real, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(real, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	}))
	fsys["learners/reference.md"] = &fstest.MapFile{Data: []byte(glossary)}
	l, rep, err := OpenFS(fsys, Options{})
	require.NoError(t, err)
	for _, is := range rep.Issues {
		assert.NotEqual(t, "lesson.link.anchor", is.Code, "%s", is.Error())
	}
	ep := renderedPage(t, l, "episodes/05-track_changes.md")
	for _, term := range []string{"commit", "revision", "changeset"} {
		assert.Contains(t, ep, `href="../learners/reference.html#`+term+`"`)
	}
	ref := renderedPage(t, l, "learners/reference.md")
	assert.Equal(t, 3, strings.Count(ref, "<dt><span id="))
}
