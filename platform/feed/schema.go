package feed

import (
	"bytes"
	"encoding/json"

	"github.com/invopop/jsonschema"
)

// Schema returns the JSON Schema (draft 2020-12) of a feed page, generated
// from the [Page] type, indented with two spaces and ending in a newline.
// Its $id is [SchemaURI]. The schema checks the shape of each member; the
// rules across members (page numbers, next links, unique IDs, tombstones
// without digests) are [Read]'s.
func Schema() ([]byte, error) {
	r := &jsonschema.Reflector{
		AllowAdditionalProperties: true,
		ExpandedStruct:            true,
	}
	s := r.Reflect(&Page{})
	s.ID = SchemaURI
	s.Title = "OTA publisher feed page " + FormatVersion
	s.Description = "One page of an OTA publisher's feed: the feed's head (publisher, digest, counts, links to the other pages) and some of its entries, one per published asset or tombstone. See docs/platform.md. " +
		"Unknown members are allowed: readers keep them."
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
