package lesson

import (
	"io/fs"
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
			l, _, err := Open(fsys, Options{})
			assert.Nil(t, l)
			require.ErrorIs(t, err, ErrRefused)
			assert.Contains(t, err.Error(), tc.where)
		})
	}
	l, _, err := Open(base, Options{})
	require.NoError(t, err, "the lesson without them is read")
	assert.Len(t, l.Episodes, 1)
}
