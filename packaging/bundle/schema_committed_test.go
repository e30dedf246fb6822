package bundle_test

import (
	"bytes"
	"testing"

	"github.com/metaacademy/ota/internal/schemagen"
	"github.com/metaacademy/ota/packaging/bundle"
)

// TestManifestSchemaUpToDate fails when the schema ManifestSchema hands
// out (the committed one) differs from the one generated from the Go
// types.
func TestManifestSchemaUpToDate(t *testing.T) {
	want, err := schemagen.BundleManifest()
	if err != nil {
		t.Fatal(err)
	}
	got, err := bundle.ManifestSchema()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/schema/bundle-manifest.schema.json is out of date; run go generate ./... and commit the result")
	}
}
