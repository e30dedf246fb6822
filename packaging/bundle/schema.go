package bundle

import "github.com/metaacademy/ota/internal/schemagen"

// ManifestSchema returns the JSON Schema (draft 2020-12) of manifest.json,
// generated from the [Manifest] type, indented with two spaces and ending
// in a newline. Its $id is [ManifestSchemaURI]. The schema checks the
// shape of each member; the rules across members (unique paths, assets
// listed among the files, the major version) are [ParseManifest]'s.
func ManifestSchema() ([]byte, error) {
	return schemagen.Generate(&Manifest{}, ManifestSchemaURI, "OTA bundle manifest "+FormatVersion,
		"manifest.json of an OTA bundle (.ota): the format version, the OTA documents and every file with its size, media type and SHA-256 digest. See docs/spec/bundle.md. "+
			"Unknown members are allowed: readers ignore them.")
}
