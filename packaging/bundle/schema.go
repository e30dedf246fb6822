package bundle

import (
	"errors"

	"github.com/metaacademy/ota/docs/schema"
)

// ManifestSchema returns the JSON Schema (draft 2020-12) of manifest.json,
// generated from the [Manifest] type by `go generate ./...` and embedded
// from docs/schema, indented with two spaces and ending in a newline. Its
// $id is [ManifestSchemaURI]. The schema checks the shape of each member;
// the rules across members (unique paths, assets listed among the files,
// the major version) are [ParseManifest]'s. The error is for a build
// without the embedded file, which a test rules out.
func ManifestSchema() ([]byte, error) {
	b, ok := schema.Get("bundle-manifest")
	if !ok {
		return nil, errors.New("bundle: docs/schema/bundle-manifest.schema.json is not embedded")
	}
	return b, nil
}
