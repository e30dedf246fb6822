package feed

import (
	"errors"

	"github.com/metaacademy/ota/docs/schema"
)

// Schema returns the JSON Schema (draft 2020-12) of a feed page, generated
// from the [Page] type by `go generate ./...` and embedded from
// docs/schema, indented with two spaces and ending in a newline. Its $id
// is [SchemaURI]. The schema checks the shape of each member; the rules
// across members (page numbers, next links, unique IDs, tombstones without
// digests) are [Read]'s. The error is for a build without the embedded
// file, which a test rules out.
func Schema() ([]byte, error) {
	b, ok := schema.Get("feed")
	if !ok {
		return nil, errors.New("feed: docs/schema/feed.schema.json is not embedded")
	}
	return b, nil
}
