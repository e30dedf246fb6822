package feed

import "github.com/metaacademy/ota/internal/schemagen"

// Schema returns the JSON Schema (draft 2020-12) of a feed page, generated
// from the [Page] type, indented with two spaces and ending in a newline.
// Its $id is [SchemaURI]. The schema checks the shape of each member; the
// rules across members (page numbers, next links, unique IDs, tombstones
// without digests) are [Read]'s.
func Schema() ([]byte, error) {
	return schemagen.Generate(&Page{}, SchemaURI, "OTA publisher feed page "+FormatVersion,
		"One page of an OTA publisher's feed: the feed's head (publisher, digest, counts, links to the other pages) and some of its entries, one per published asset or tombstone. See docs/platform.md. "+
			"Unknown members are allowed: readers keep them.")
}
