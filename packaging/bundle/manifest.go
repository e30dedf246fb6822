package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/internal/zipw"
)

// Format constants.
const (
	// MediaType is the media type of an OTA bundle, held by its first
	// entry "mimetype". Files conventionally end in ".ota".
	MediaType = "application/vnd.ota.bundle+zip"
	// FormatVersion is the manifest format version this package writes,
	// and the newest it reads. Manifests of the same major version are
	// read whatever their minor version; other major versions are refused
	// with [ErrFormatVersion].
	FormatVersion = "1.0"
	// ManifestSchemaURI is the $id of the manifest's JSON Schema.
	ManifestSchemaURI = "https://metaacademy.github.io/ota/schema/bundle-manifest-1.0.json"
)

// Reserved entry names.
const (
	mimetypeName  = "mimetype"
	manifestName  = "manifest.json"
	signatureName = "META-INF/signature.json"
	contentDir    = "content/"
	assetsDir     = "assets/"
)

// Manifest is the content of manifest.json: the format version, the asset
// documents and every file of the bundle with its size, media type and
// digest.
type Manifest struct {
	// Format is the bundle format version, MAJOR.MINOR ("1.0").
	Format string `json:"format" jsonschema:"pattern=^[0-9]+\\.[0-9]+$" jsonschema_description:"The bundle format version MAJOR.MINOR. Readers of format 1 accept any 1.x manifest and refuse other major versions."`
	// Generator names the software that wrote the bundle; informational.
	Generator string `json:"generator,omitempty" jsonschema_description:"The software that wrote the bundle; informational only."`
	// Assets lists the OTA documents of the bundle, in the order they
	// were added. Each is also listed in Files.
	Assets []AssetRef `json:"assets" jsonschema:"minItems=1" jsonschema_description:"The OTA documents of the bundle, each a file under assets/ that is also listed in files."`
	// Files lists every file of the bundle except mimetype, manifest.json
	// and META-INF/signature.json, sorted by path.
	Files []File `json:"files" jsonschema_description:"Every file of the bundle except mimetype, manifest.json and META-INF/signature.json, sorted by path; paths are unique."`
}

// AssetRef points at one OTA document in the bundle.
type AssetRef struct {
	// Path is the document's entry name, under "assets/".
	Path string `json:"path" jsonschema:"pattern=^assets/[^/]+$" jsonschema_description:"The entry name of the OTA document, directly under assets/."`
	// ID is the ID of the document's root asset, so that tools can list a
	// bundle without reading its documents; informational.
	ID string `json:"id,omitempty" jsonschema_description:"The ID of the document's root asset; informational."`
}

// File describes one file of the bundle.
type File struct {
	// Path is the entry name: a clean relative slash path under
	// "content/" or "assets/".
	Path string `json:"path" jsonschema:"pattern=^(content|assets)/[^/].*$" jsonschema_description:"The entry name: a clean relative slash path under content/ or assets/."`
	// Size is the file's length in bytes.
	Size int64 `json:"size" jsonschema:"minimum=0" jsonschema_description:"The file's length in bytes, uncompressed."`
	// MediaType is the file's media type ("text/html").
	MediaType string `json:"mediaType" jsonschema:"pattern=^[^/; ]+/[^/; ]+" jsonschema_description:"The file's media type, such as text/html; parameters may follow."`
	// SHA256 is the lowercase hexadecimal SHA-256 digest of the file's
	// uncompressed bytes.
	SHA256 string `json:"sha256" jsonschema:"pattern=^[0-9a-f]{64}$" jsonschema_description:"The lowercase hexadecimal SHA-256 digest of the file's uncompressed bytes."`
}

// isHexDigest reports whether s matches the schema's pattern for sha256,
// ^[0-9a-f]{64}$ (a loop: a regexp costs more than the rest of a
// manifest entry's checks).
func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// hasMediaTypeStart reports whether s matches the schema's pattern for a
// media type, ^[^/; ]+/[^/; ]+ (type/subtype, parameters allowed after).
func hasMediaTypeStart(s string) bool {
	typ, rest, ok := strings.Cut(s, "/")
	other := func(c rune) bool { return c == '/' || c == ';' || c == ' ' }
	return ok && typ != "" && !strings.ContainsFunc(typ, other) && rest != "" && !other(rune(rest[0]))
}

// marshalManifest returns the manifest as written: two-space indented
// JSON, no HTML escaping, final newline.
func marshalManifest(m *Manifest) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ParseManifest decodes and checks a manifest. Unknown members are
// ignored, as the specification allows. The error wraps
// [ErrFormatVersion] for another major version and [ErrManifest] for
// anything else: malformed JSON, a missing or malformed member, a path
// that is not clean or not under content/ or assets/, a duplicate path
// (also ignoring case), a negative size, a digest that is not 64
// lowercase hexadecimal digits, or an asset not listed among the files.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrManifest, err)
	}
	if err := checkFormat(m.Format); err != nil {
		return nil, err
	}
	if len(m.Assets) == 0 {
		return nil, fmt.Errorf("%w: no assets", ErrManifest)
	}
	files := make(map[string]bool, len(m.Files))
	var names zipw.Names
	for i, f := range m.Files {
		if !strings.HasPrefix(f.Path, contentDir) && !strings.HasPrefix(f.Path, assetsDir) {
			return nil, fmt.Errorf("%w: files[%d]: path %q is not under content/ or assets/", ErrManifest, i, f.Path)
		}
		if err := names.Add(f.Path); err != nil {
			return nil, fmt.Errorf("%w: files[%d]: %v", ErrManifest, i, err)
		}
		if f.Size < 0 {
			return nil, fmt.Errorf("%w: files[%d]: negative size", ErrManifest, i)
		}
		if !isHexDigest(f.SHA256) {
			return nil, fmt.Errorf("%w: files[%d]: sha256 %q is not 64 lowercase hexadecimal digits", ErrManifest, i, f.SHA256)
		}
		if !hasMediaTypeStart(f.MediaType) {
			return nil, fmt.Errorf("%w: files[%d]: mediaType %q is not type/subtype", ErrManifest, i, f.MediaType)
		}
		files[f.Path] = true
	}
	seen := make(map[string]bool, len(m.Assets))
	for i, a := range m.Assets {
		if !strings.HasPrefix(a.Path, assetsDir) || strings.Contains(a.Path[len(assetsDir):], "/") || !files[a.Path] {
			return nil, fmt.Errorf("%w: assets[%d]: %q is not a file directly under assets/ listed in files", ErrManifest, i, a.Path)
		}
		if seen[a.Path] {
			return nil, fmt.Errorf("%w: assets[%d]: %q listed twice", ErrManifest, i, a.Path)
		}
		seen[a.Path] = true
	}
	return &m, nil
}

// checkFormat accepts MAJOR.MINOR with the major version of
// [FormatVersion].
func checkFormat(v string) error {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || !digits(major) || !digits(minor) {
		return fmt.Errorf("%w: format %q is not MAJOR.MINOR", ErrManifest, v)
	}
	want, _, _ := strings.Cut(FormatVersion, ".")
	if n, err := strconv.Atoi(major); err != nil || strconv.Itoa(n) != want {
		return fmt.Errorf("%w: format %q; this reader reads %s.x", ErrFormatVersion, v, want)
	}
	return nil
}

func digits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
