package asset

import (
	"bytes"
	"encoding/json"

	"github.com/invopop/jsonschema"
)

//go:generate go run ../internal/genschema

// schemaDoc describes the JSON form of a [Document] for schema generation:
// the root asset plus the document header.
type schemaDoc struct {
	// OTA is the format version of the document, MAJOR.MINOR.
	OTA string `json:"ota" jsonschema:"pattern=^[0-9]+\\.[0-9]+$,example=1.0"`
	// Schema is the URI of the JSON Schema the document follows.
	Schema string `json:"$schema,omitempty" jsonschema:"format=uri"`
	Asset
}

// GenerateSchema returns the JSON Schema (draft 2020-12) of OTA documents,
// generated from the Go types of this package. The published copy is
// docs/schema/asset.schema.json; `go generate ./...` refreshes it, and a test
// fails when the two differ.
//
// The schema checks shapes and simple patterns. Rules that need the whole
// tree (unique IDs, resolvable prerequisites, cycles) or a registry (SPDX
// identifiers) are left to [Check]. Members the schema does not define are
// allowed, because readers keep them.
func GenerateSchema() ([]byte, error) {
	r := &jsonschema.Reflector{
		AllowAdditionalProperties:  true,
		RequiredFromJSONSchemaTags: false,
		DoNotReference:             false,
		ExpandedStruct:             true,
	}
	if err := r.AddGoComments("github.com/metaacademy/ota/asset", "."); err != nil {
		// Comments are only available from a source checkout; the schema
		// is generated from one.
		_ = err
	}
	s := r.Reflect(&schemaDoc{})
	s.ID = SchemaURI
	s.Title = "OTA document " + FormatVersion
	s.Description = "An OTA (Open Training Asset) document: the root asset of a tree of training assets, with the format version in \"ota\". See docs/spec/asset.md."
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
