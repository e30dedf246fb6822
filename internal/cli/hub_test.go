package cli_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/packaging/bundle"
)

// TestHarvest publishes the publish test catalogue with ota publish,
// serves it on loopback and harvests it with ota harvest, twice.
func TestHarvest(t *testing.T) {
	const catalogue = "../../platform/publish/testdata/catalogue"
	t.Setenv("OTA_HUB_ADMIN_TOKEN", "")
	dir := t.TempDir()
	pub, priv, err := bundle.GenerateKey()
	require.NoError(t, err)
	require.NoError(t, bundle.WriteKeyFiles(filepath.Join(dir, "key"), pub, priv))
	site := filepath.Join(dir, "site")
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()
	r := run(t, nil, "publish", catalogue, site, "--base-url", srv.URL+"/", "--key", filepath.Join(dir, "key.key"))
	require.Equal(t, 0, r.code, "%s", r)

	sources := func(key []byte) string {
		path := filepath.Join(t.TempDir(), "sources.json")
		data, err := json.Marshal(map[string]any{"sources": []map[string]any{{
			"name": "nso", "feed": srv.URL + "/feed.json", "keys": []map[string]string{{"publicKey": base64.StdEncoding.EncodeToString(key)}},
		}}})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		return path
	}
	good := sources(pub)
	db := filepath.Join(dir, "hub.db")

	r = run(t, nil, "harvest", good, "--db", db)
	assert.Equal(t, 1, r.code, "loopback is refused without --allow-private: %s", r)
	assert.Contains(t, r.stderr, "not a public address")

	r = run(t, nil, "harvest", good, "--db", db, "--allow-private")
	require.Equal(t, 0, r.code, "%s", r)
	assert.Contains(t, r.stdout, "nso: 2 added, 0 updated, 0 unchanged, 0 deleted, 0 rejected")
	r = run(t, nil, "harvest", good, "--db", db, "--allow-private")
	require.Equal(t, 0, r.code, "%s", r)
	assert.Contains(t, r.stdout, "(not modified)")

	// Another key: every bundle is rejected, exit 1.
	other, _, err := bundle.GenerateKey()
	require.NoError(t, err)
	r = run(t, nil, "harvest", sources(other), "--db", filepath.Join(dir, "other.db"), "--allow-private")
	assert.Equal(t, 1, r.code, "%s", r)
	assert.Contains(t, r.stderr, "not signed by a trusted key")
	assert.Contains(t, r.stdout, "nso: 0 added")

	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no sources file", []string{"harvest"}, "give one SOURCES.json"},
		{"missing sources file", []string{"harvest", filepath.Join(dir, "none.json")}, "no such file"},
		{"invalid sources file", []string{"harvest", "testdata/valid.ota.json"}, "invalid sources file"},
		{"unknown source", []string{"harvest", good, "--source", "nope", "--db", db}, `--source "nope"`},
		{"serve with arguments", []string{"serve", "x"}, "takes no arguments"},
		{"serve --sources without a token", []string{"serve", "--db", db, "--sources", good}, "OTA_HUB_ADMIN_TOKEN"},
		{"serve on a bad address", []string{"serve", "--db", db, "--addr", "256.0.0.1:-1"}, "ota serve:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			assert.Equal(t, 2, r.code, "%s", r)
			assert.Contains(t, r.stderr, tc.msg)
		})
	}
}
