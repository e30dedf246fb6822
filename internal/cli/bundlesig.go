package cli

import (
	"errors"
	"fmt"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/bundle"
)

// signatureIssues checks a bundle's signature: with pub, against that
// key; without, as far as it can be checked without one (well formed,
// over this manifest, verifying with the key it carries). An intact
// signature from a key nobody vouched for is a warning naming the key; a
// broken or forged one is an error; none at all is an error only when
// required.
func signatureIssues(b *bundle.Bundle, pub []byte, require bool) []ota.Issue {
	const ptr = "META-INF/signature.json"
	invalid := func(err error) []ota.Issue {
		return []ota.Issue{{Pointer: ptr, Code: "bundle.signature.invalid", Severity: ota.Error, Message: "signature invalid: " + trimBundle(err)}}
	}
	if pub != nil {
		err := b.VerifySignature(pub)
		switch {
		case errors.Is(err, bundle.ErrUnsigned):
			return []ota.Issue{{Pointer: ptr, Code: "bundle.signature.missing", Severity: ota.Error,
				Message: "the bundle is not signed, so --key cannot check it; sign it with ota sign"}}
		case err != nil:
			return invalid(err)
		}
		return nil
	}
	id, err := b.CheckSignature()
	switch {
	case errors.Is(err, bundle.ErrUnsigned) && require:
		return []ota.Issue{{Pointer: ptr, Code: "bundle.signature.missing", Severity: ota.Error,
			Message: "the bundle is not signed; sign it with ota sign, or drop --require-signature"}}
	case errors.Is(err, bundle.ErrUnsigned):
		return nil
	case err != nil:
		return invalid(err)
	}
	who := "an unverified key"
	if id != "" {
		who += " " + id
	}
	msg := fmt.Sprintf("signed by %s: the signature is intact, but only --key with the signer's public key says who signed", who)
	if require {
		return []ota.Issue{{Pointer: ptr, Code: "bundle.signature.unverified", Severity: ota.Error,
			Message: msg + "; --require-signature needs it"}}
	}
	return []ota.Issue{{Pointer: ptr, Code: "bundle.signature.unverified", Severity: ota.Warning, Message: msg}}
}

// trimBundle drops the package prefix of a bundle error: the line already
// says which file it is about.
func trimBundle(err error) string {
	s := err.Error()
	for _, p := range []string{"bundle: bad signature: ", "bundle: digest mismatch: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}
