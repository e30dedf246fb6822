package bundle

import (
	"archive/zip"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/internal/zipw"
)

// SignatureAlgorithm is the only signature algorithm of format 1.
const SignatureAlgorithm = "ed25519"

// signingContext prefixes the signed message, so that a signature over a
// bundle manifest cannot be taken for a signature over anything else.
const signingContext = "ota-bundle-v1 manifest sha256 "

// maxSignatureSize bounds META-INF/signature.json.
const maxSignatureSize = 64 << 10

// Signature is the content of META-INF/signature.json.
type Signature struct {
	// Algorithm is "ed25519".
	Algorithm string `json:"algorithm"`
	// ManifestSHA256 is the lowercase hexadecimal SHA-256 digest of
	// manifest.json as stored in the bundle.
	ManifestSHA256 string `json:"manifestSha256"`
	// KeyID is [KeyID] of the signing key, to help people pick the right
	// public key; informational.
	KeyID string `json:"keyId,omitempty"`
	// PublicKey is the signer's 32-byte public key, standard base64. It
	// is informational: a verifier uses a key it obtained out of band and
	// must never trust this one.
	PublicKey string `json:"publicKey,omitempty"`
	// Value is the 64-byte ed25519 signature, standard base64, over the
	// ASCII message "ota-bundle-v1 manifest sha256 " followed by
	// ManifestSHA256.
	Value string `json:"signature"`
}

// signedMessage returns the bytes a signature covers.
func signedMessage(manifestHex string) []byte { return []byte(signingContext + manifestHex) }

// Sign writes to dst a signed copy of the bundle in src (size bytes). The
// bundle is opened and verified first: one whose content does not match
// its manifest is not signed (the error wraps [ErrDigestMismatch] and an
// *ota.ValidationError with every issue). Every entry is then copied in
// its raw, compressed form, in the same order, except an existing
// signature, and META-INF/signature.json is appended. Signing is
// deterministic: the same bundle and key give the same bytes. opts are the
// limits for opening src, as for [Open].
func Sign(ctx context.Context, dst io.Writer, src io.ReaderAt, size int64, priv ed25519.PrivateKey, opts Options) error {
	if len(priv) != ed25519.PrivateKeySize {
		return fmt.Errorf("%w: private key of %d bytes", ErrKey, len(priv))
	}
	b, _, err := Open(src, size, opts)
	if err != nil {
		return err
	}
	if rep := b.Verify(ctx); rep.HasErrors() {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fmt.Errorf("%w: the bundle fails verification, not signing it: %w", ErrDigestMismatch, rep.Err())
	}
	sum := b.ManifestSHA256()
	digest := hex.EncodeToString(sum[:])
	pub := priv.Public().(ed25519.PublicKey)
	sig := Signature{
		Algorithm:      SignatureAlgorithm,
		ManifestSHA256: digest,
		KeyID:          KeyID(pub),
		PublicKey:      base64.StdEncoding.EncodeToString(pub),
		Value:          base64.StdEncoding.EncodeToString(ed25519.Sign(priv, signedMessage(digest))),
	}
	data, err := json.MarshalIndent(sig, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')

	zr, err := zip.NewReader(src, size)
	if err != nil {
		return err
	}
	zw := zipw.NewWriter(dst)
	for _, f := range zr.File {
		if f.Name == signatureName {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := zw.CopyEntry(f); err != nil {
			return err
		}
	}
	if err := zw.WriteStored(signatureName, data); err != nil {
		return err
	}
	return zw.Close()
}

// SignFile signs the bundle at path in place, atomically: the signed copy
// is written to a temporary file beside it and renamed over it, so that
// after an error or a cancellation path is unchanged. opts are as for
// [Sign].
func SignFile(ctx context.Context, path string, priv ed25519.PrivateKey, opts Options) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "sign", Path: path, Err: errors.New("not a regular file")}
	}
	return atomicfile.Write(path, fi.Mode().Perm(), func(w io.Writer) error {
		return Sign(ctx, w, f, fi.Size(), priv, opts)
	})
}

// Signature returns the bundle's parsed signature file. The error wraps
// [ErrUnsigned] when there is none and [ErrBadSignature] when it cannot be
// read. It checks nothing: see [Bundle.VerifySignature].
func (b *Bundle) Signature() (*Signature, error) {
	data, err := readSmall(b.a, signatureName, maxSignatureSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrUnsigned
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	var s Signature
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadSignature, signatureName, err)
	}
	return &s, nil
}

// VerifySignature checks the bundle's signature with pub, a key the
// caller obtained out of band (the key inside the signature file is never
// used). It fails with [ErrUnsigned] when there is no signature, with
// [ErrDigestMismatch] when the signature is for another manifest, and
// with [ErrBadSignature] when the signature file is malformed, names
// another algorithm, or does not verify with pub.
//
// A valid signature proves that the holder of the private key signed this
// manifest; that the files match the manifest is [Bundle.Verify]'s job,
// and both are needed to trust the content.
func (b *Bundle) VerifySignature(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key of %d bytes", ErrKey, len(pub))
	}
	s, err := b.Signature()
	if err != nil {
		return err
	}
	if s.Algorithm != SignatureAlgorithm {
		return fmt.Errorf("%w: algorithm %q; only %s is defined", ErrBadSignature, s.Algorithm, SignatureAlgorithm)
	}
	sum := b.ManifestSHA256()
	if digest := hex.EncodeToString(sum[:]); s.ManifestSHA256 != digest {
		return fmt.Errorf("%w: the signature covers manifest sha256 %s; manifest.json has %s", ErrDigestMismatch, s.ManifestSHA256, digest)
	}
	value, err := base64.StdEncoding.DecodeString(s.Value)
	if err != nil || len(value) != ed25519.SignatureSize {
		return fmt.Errorf("%w: the signature value is not %d bytes of base64", ErrBadSignature, ed25519.SignatureSize)
	}
	if !ed25519.Verify(pub, signedMessage(s.ManifestSHA256), value) {
		return fmt.Errorf("%w: it does not verify with key %s", ErrBadSignature, KeyID(pub))
	}
	return nil
}
