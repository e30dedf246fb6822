package bundle

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these (or an
// error of the internal archive reader, or an I/O error) so that errors.Is
// tells them apart.
var (
	// ErrNotBundle is the class of input that is a zip archive but not an
	// OTA bundle: its first entry is not a stored "mimetype" entry holding
	// [MediaType].
	ErrNotBundle = errors.New("bundle: not an OTA bundle")
	// ErrManifest is the class of a missing, unreadable or invalid
	// manifest.json.
	ErrManifest = errors.New("bundle: invalid manifest")
	// ErrFormatVersion is the class of a manifest declaring a major format
	// version this package does not read.
	ErrFormatVersion = errors.New("bundle: unsupported format version")
	// ErrAsset is the class of an OTA document in the bundle that cannot
	// be read.
	ErrAsset = errors.New("bundle: unreadable asset document")
	// ErrPath is the class of a file path the writer refuses: not clean,
	// not portable, a duplicate, or colliding with another in case or as
	// file and folder.
	ErrPath = errors.New("bundle: bad path")
	// ErrClosed is returned by a [Writer] used after Close or after a
	// failure.
	ErrClosed = errors.New("bundle: writer closed")
	// ErrUnsigned is returned by [Bundle.VerifySignature] for a bundle
	// without a signature.
	ErrUnsigned = errors.New("bundle: not signed")
	// ErrBadSignature is the class of a signature that does not verify
	// with the given public key, or a signature file that cannot be read.
	ErrBadSignature = errors.New("bundle: bad signature")
	// ErrDigestMismatch is the class of content that does not match the
	// digest recorded for it: a file against the manifest, or the
	// manifest against the signature.
	ErrDigestMismatch = errors.New("bundle: digest mismatch")
	// ErrKey is the class of a key file that cannot be parsed or holds a
	// key of the wrong type.
	ErrKey = errors.New("bundle: bad key")
)
