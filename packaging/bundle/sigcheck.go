package bundle

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// CheckSignature checks what can be checked of the bundle's signature
// without the signer's public key: that the signature file is well
// formed, names the ed25519 algorithm, covers this bundle's manifest
// ([ErrDigestMismatch] when it covers another), holds a 64-byte value,
// and — when it carries the signer's public key, as [Sign] writes it —
// that the value verifies with that key and the key ID matches it
// ([ErrBadSignature] otherwise). It returns the key ID of the signer (the
// carried key's, else the one the file names, else "").
//
// A nil error says the signature is intact, not who made it: anyone can
// sign a bundle with a key of their own. Trust needs
// [Bundle.VerifySignature] with a key obtained out of band. The error is
// [ErrUnsigned] when there is no signature.
func (b *Bundle) CheckSignature() (keyID string, err error) {
	s, err := b.Signature()
	if err != nil {
		return "", err
	}
	if s.Algorithm != SignatureAlgorithm {
		return s.KeyID, fmt.Errorf("%w: algorithm %q; only %s is defined", ErrBadSignature, s.Algorithm, SignatureAlgorithm)
	}
	sum := b.ManifestSHA256()
	if digest := hex.EncodeToString(sum[:]); s.ManifestSHA256 != digest {
		return s.KeyID, fmt.Errorf("%w: the signature covers manifest sha256 %s; manifest.json has %s", ErrDigestMismatch, clip(s.ManifestSHA256), digest)
	}
	value, err := base64.StdEncoding.DecodeString(s.Value)
	if err != nil || len(value) != ed25519.SignatureSize {
		return s.KeyID, fmt.Errorf("%w: the signature value is not %d bytes of base64", ErrBadSignature, ed25519.SignatureSize)
	}
	if s.PublicKey == "" {
		return s.KeyID, nil
	}
	pub, err := base64.StdEncoding.DecodeString(s.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return s.KeyID, fmt.Errorf("%w: the public key it carries is not %d bytes of base64", ErrBadSignature, ed25519.PublicKeySize)
	}
	id := KeyID(pub)
	if s.KeyID != "" && s.KeyID != id {
		return id, fmt.Errorf("%w: it names key %s but carries key %s", ErrBadSignature, clip(s.KeyID), id)
	}
	if !ed25519.Verify(pub, signedMessage(s.ManifestSHA256), value) {
		return id, fmt.Errorf("%w: it does not verify with the key it carries (%s)", ErrBadSignature, id)
	}
	return id, nil
}

// clip shortens a value from the input quoted in a message.
func clip(s string) string {
	if len(s) > 100 {
		return fmt.Sprintf("%s… (%d bytes)", s[:100], len(s))
	}
	return s
}
