package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/packaging/bundle"
)

func TestPublish(t *testing.T) {
	const catalogue = "../../platform/publish/testdata/catalogue"
	t.Run("site", func(t *testing.T) {
		dir := t.TempDir()
		pub, priv, err := bundle.GenerateKey()
		require.NoError(t, err)
		require.NoError(t, bundle.WriteKeyFiles(filepath.Join(dir, "key"), pub, priv))
		out := filepath.Join(dir, "site")
		r := run(t, nil, "publish", catalogue, out, "--base-url", "https://example.org/t/", "--key", filepath.Join(dir, "key.key"))
		require.Equal(t, 0, r.code, "%s", r)
		assert.Contains(t, r.stderr, "wrote 4 pages of 2 asset trees")
		for _, f := range []string{"index.html", "feed.json", "sitemap.xml", "style.css"} {
			assert.FileExists(t, filepath.Join(out, f))
		}
		entries, err := os.ReadDir(filepath.Join(out, "downloads"))
		require.NoError(t, err)
		assert.Len(t, entries, 5, "4 formats of the ONS course, the bundle of the Istat one")
		r = run(t, nil, "publish", catalogue, out, "-v")
		assert.Equal(t, 0, r.code, "%s", r)
		assert.Contains(t, r.stderr, "warning publish.base-url.missing")
		assert.Contains(t, r.stderr, "info publish.download.nothing-to-launch")
		assert.Contains(t, r.stderr, "loss: ")
	})
	t.Run("invalid document", func(t *testing.T) {
		src := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(src, "nso"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(src, "nso", "bad.ota.json"), []byte(`{"ota":"1.0","id":"nope","kind":"course"}`), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(src, "nso", "good.ota.json"), []byte(`{"ota":"1.0","id":"urn:x:good","kind":"course","title":{"en":"Good"}}`), 0o644))
		r := run(t, nil, "publish", src, filepath.Join(t.TempDir(), "out"))
		assert.Equal(t, 1, r.code, "%s", r)
		assert.Contains(t, r.stderr, "nso/bad.ota.json")
		assert.Contains(t, r.stderr, "wrote 1 pages of 1 asset trees")
	})
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no arguments", []string{"publish"}, "want CATALOGUE_DIR and OUT_DIR"},
		{"one argument", []string{"publish", catalogue}, "want CATALOGUE_DIR and OUT_DIR"},
		{"not a folder", []string{"publish", "testdata/valid.ota.json", "x"}, "is not a folder"},
		{"bad base URL", []string{"publish", catalogue, "x", "--base-url", "example.org"}, "--base-url"},
		{"bad key", []string{"publish", catalogue, "x", "--key", "testdata/valid.ota.json"}, "--key"},
		{"output inside", []string{"publish", catalogue, catalogue + "/out"}, "inside the catalogue folder"},
		{"bad page size", []string{"publish", catalogue, "x", "--feed-page-size", "0"}, "--feed-page-size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, 2, r.code, "%s", r)
			assert.True(t, strings.Contains(r.stderr, tc.msg), "%s", r)
		})
	}
}
