package bundle_test

import (
	"bytes"
	"testing"

	"github.com/metaacademy/ota/docs/schema"
	"github.com/metaacademy/ota/packaging/bundle"
)

// TestManifestSchemaUpToDate fails when the committed schema differs from
// the one generated from the Go types.
func TestManifestSchemaUpToDate(t *testing.T) {
	want, err := bundle.ManifestSchema()
	if err != nil {
		t.Fatal(err)
	}
	got, ok := schema.Get("bundle-manifest")
	if !ok {
		t.Fatal("docs/schema/bundle-manifest.schema.json is not embedded; run go generate ./...")
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/schema/bundle-manifest.schema.json is out of date; run go generate ./... and commit the result")
	}
}
