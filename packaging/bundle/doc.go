// Package bundle reads and writes OTA bundles (".ota"): zip archives that
// carry one or more OTA documents together with every file their resources
// name, a manifest giving each file's size, media type and SHA-256 digest,
// and optionally an ed25519 signature over the manifest. The format is
// specified in docs/spec/bundle.md.
//
// A bundle is laid out as
//
//	mimetype                 "application/vnd.ota.bundle+zip", stored, first
//	content/…                the files the assets' resources name
//	assets/NNNN.ota.json     the OTA documents, one per asset tree
//	manifest.json            the manifest, written last
//	META-INF/signature.json  the signature, when signed
//
// [Writer] streams a bundle to an io.Writer, computing sizes and digests in
// the same pass as it writes; [WriteFile] writes one to a path atomically;
// [Export] writes one asset tree and its files, as the other codecs'
// Export do. [Open] (a zip in an io.ReaderAt), [OpenFS] (an unpacked
// bundle) and [OpenFile] (either, at a path) read one through the
// hostile-archive checks of package [archive] without loading it; [Bundle.Verify] checks every size and digest;
// [Sign] and [Bundle.VerifySignature] add and check a signature.
package bundle
