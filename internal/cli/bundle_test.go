package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/cli"
	"github.com/metaacademy/ota/packaging/bundle"
)

func TestKeygenSignVerify(t *testing.T) {
	dir := t.TempDir()
	doc := asset.NewDocument(asset.Asset{
		ID: "https://example.org/courses/x", Kind: asset.KindCourse, Title: asset.LangString{"en": "X"}, License: "CC-BY-4.0",
		Resources: []asset.Resource{{Path: "index.html", MediaType: "text/html", Role: asset.RoleLaunch}},
	})
	path := filepath.Join(dir, "course.ota")
	require.NoError(t, bundle.WriteFile(context.Background(), path, bundle.WriterOptions{}, func(w *bundle.Writer) error {
		if err := w.AddAsset(doc); err != nil {
			return err
		}
		return w.AddFile(context.Background(), "index.html", strings.NewReader("<h1>X</h1>"), "text/html")
	}))

	r := run(t, nil, "verify", path)
	require.Equal(t, cli.ExitOK, r.code, r)
	assert.Contains(t, r.stdout, "1 valid, 0 invalid")

	r = run(t, nil, "verify", path, "--require-signature")
	require.Equal(t, cli.ExitInvalid, r.code, r)
	assert.Contains(t, r.stdout, "bundle.signature.missing")

	prefix := filepath.Join(dir, "nso")
	r = run(t, nil, "keygen", prefix)
	require.Equal(t, cli.ExitOK, r.code, r)
	require.FileExists(t, prefix+".key")
	require.FileExists(t, prefix+".pub")
	assert.Equal(t, cli.ExitUsage, run(t, nil, "keygen", prefix).code, "keygen never overwrites")

	r = run(t, nil, "sign", path, "--key", prefix+".key")
	require.Equal(t, cli.ExitOK, r.code, r)
	r = run(t, nil, "verify", "--key", prefix+".pub", path, "--require-signature")
	require.Equal(t, cli.ExitOK, r.code, r)

	other := filepath.Join(dir, "other")
	require.Equal(t, cli.ExitOK, run(t, nil, "keygen", other).code)
	r = run(t, nil, "verify", path, "--key", other+".pub")
	require.Equal(t, cli.ExitInvalid, r.code, r)
	assert.Contains(t, r.stdout, "bundle.signature.invalid")

	garbage := filepath.Join(dir, "garbage.ota")
	require.NoError(t, os.WriteFile(garbage, []byte("not a zip"), 0o644))
	assert.Equal(t, cli.ExitUsage, run(t, nil, "verify", garbage).code)
	assert.Equal(t, cli.ExitUsage, run(t, nil, "sign", path).code, "sign needs --key")
	assert.Equal(t, cli.ExitUsage, run(t, nil, "verify").code)
}
