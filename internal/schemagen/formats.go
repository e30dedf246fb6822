package schemagen

import (
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/feed"
)

// BundleManifest generates the schema of an OTA bundle's manifest.json
// from [bundle.Manifest]; bundle.ManifestSchema hands out the copy
// committed in docs/schema.
func BundleManifest() ([]byte, error) {
	return Generate(&bundle.Manifest{}, bundle.ManifestSchemaURI, "OTA bundle manifest "+bundle.FormatVersion,
		"manifest.json of an OTA bundle (.ota): the format version, the OTA documents and every file with its size, media type and SHA-256 digest. See docs/spec/bundle.md. "+
			"Unknown members are allowed: readers ignore them.")
}

// Feed generates the schema of a publisher feed page from [feed.Page];
// feed.Schema hands out the copy committed in docs/schema.
func Feed() ([]byte, error) {
	return Generate(&feed.Page{}, feed.SchemaURI, "OTA publisher feed page "+feed.FormatVersion,
		"One page of an OTA publisher's feed: the feed's head (publisher, digest, counts, links to the other pages) and some of its entries, one per published asset or tombstone. See docs/platform.md. "+
			"Unknown members are allowed: readers keep them.")
}
