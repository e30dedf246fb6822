package lesson

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLinksRefused: a link the lesson would read — a page, a figure, a
// folder of pages — refuses the whole lesson with ErrRefused naming it,
// even through an fs.FS other than OpenFile's that reports links.
func TestLinksRefused(t *testing.T) {
	base := fstest.MapFS{
		"config.yaml":         {Data: []byte("title: T\n")},
		"episodes/a.md":       {Data: []byte("---\ntitle: A\n---\n\n![f](fig/ok.png)\n")},
		"episodes/fig/ok.png": {Data: []byte("\x89PNG")},
	}
	tests := []struct {
		name  string
		add   fstest.MapFS
		where string
	}{
		{"a linked page", fstest.MapFS{"episodes/b.md": {Data: []byte("a.md"), Mode: fs.ModeSymlink}}, "episodes/b.md"},
		{"a linked figure", fstest.MapFS{
			"episodes/fig/ok.png": {Data: []byte("../../secret"), Mode: fs.ModeSymlink},
		}, "episodes/fig/ok.png"},
		{"a linked config", fstest.MapFS{"config.yaml": {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}}, "config.yaml"},
		{"a pipe among the pages", fstest.MapFS{"episodes/p.md": {Mode: fs.ModeNamedPipe}}, "episodes/p.md"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			for k, v := range tc.add {
				fsys[k] = v
			}
			l, _, err := OpenFS(fsys, Options{})
			assert.Nil(t, l)
			require.ErrorIs(t, err, ErrRefused)
			assert.Contains(t, err.Error(), tc.where)
		})
	}
	l, _, err := OpenFS(base, Options{})
	require.NoError(t, err, "the lesson without them is read")
	assert.Len(t, l.Episodes, 1)
}

// TestMaxMarkdownSize: pages past the total are left out with an error.
func TestMaxTotalSize(t *testing.T) {
	page := "---\ntitle: P\n---\n\n" + strings.Repeat("word ", 16) + "\n"
	fsys := fstest.MapFS{"config.yaml": {Data: []byte("title: T\n")}}
	for _, n := range []string{"a.md", "b.md", "c.md"} {
		fsys["episodes/"+n] = &fstest.MapFile{Data: []byte(page)}
	}
	l, rep, err := OpenFS(fsys, Options{MaxMarkdownSize: int64(2*len(page) + 10)})
	require.NoError(t, err)
	assert.Len(t, l.Episodes, 2)
	assert.Equal(t, []string{"lesson.pages.too-large"}, codes(rep, "episodes/c.md"))
	assert.True(t, rep.HasErrors())
}

// TestMaxNodes: pages past the element budget are left out with an error.
func TestMaxNodes(t *testing.T) {
	fsys := fstest.MapFS{"config.yaml": {Data: []byte("title: T\n")}}
	for _, n := range []string{"a.md", "b.md"} {
		fsys["episodes/"+n] = &fstest.MapFile{Data: []byte("---\ntitle: P\n---\n\n" + strings.Repeat("a\n\n", 50))}
	}
	l, rep, err := OpenFS(fsys, Options{MaxNodes: 150})
	require.NoError(t, err)
	assert.Len(t, l.Episodes, 1)
	assert.Equal(t, []string{"lesson.pages.too-large"}, codes(rep, "episodes/b.md"))
}
