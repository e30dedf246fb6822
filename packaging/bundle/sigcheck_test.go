package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
)

// TestCheckSignature: without a key, an intact signature gives its key
// ID; one over another manifest, malformed, or not verifying with the key
// it carries is an error.
func TestCheckSignature(t *testing.T) {
	pub, priv := mustKey(t)
	unsigned := writeTestBundle(t)
	signed := signBytes(t, unsigned, priv)
	b, err := openBytes(signed)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := b.CheckSignature(); err != nil || id != KeyID(pub) {
		t.Fatalf("CheckSignature = %q, %v; want %q", id, err, KeyID(pub))
	}
	if b, _ := openBytes(unsigned); b != nil {
		if _, err := b.CheckSignature(); !errors.Is(err, ErrUnsigned) {
			t.Errorf("unsigned: %v", err)
		}
	}
	orig, err := b.Signature()
	if err != nil {
		t.Fatal(err)
	}
	otherPub, otherPriv := mustKey(t)
	otherDigest := sha256.Sum256([]byte("another manifest"))
	other := hex.EncodeToString(otherDigest[:])
	tests := []struct {
		name string
		edit func(s *Signature)
		raw  []byte // the signature file, instead of an edited one
		want error
		// authentic is true when the value still verifies with the real
		// key: VerifySignature, which ignores the carried key, accepts it.
		authentic bool
	}{
		{name: "covers another manifest, signed properly", edit: func(s *Signature) {
			s.ManifestSHA256 = other
			s.Value = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, signedMessage(other)))
		}, want: ErrDigestMismatch},
		{name: "value from another key", edit: func(s *Signature) {
			s.Value = base64.StdEncoding.EncodeToString(ed25519.Sign(otherPriv, signedMessage(s.ManifestSHA256)))
		}, want: ErrBadSignature},
		{name: "key swapped for the forger's", edit: func(s *Signature) {
			s.PublicKey = base64.StdEncoding.EncodeToString(otherPub)
		}, want: ErrBadSignature, authentic: true},
		{name: "value flipped", edit: func(s *Signature) {
			v, _ := base64.StdEncoding.DecodeString(s.Value)
			v[0] ^= 1
			s.Value = base64.StdEncoding.EncodeToString(v)
		}, want: ErrBadSignature},
		{name: "value not base64", edit: func(s *Signature) { s.Value = "!!" }, want: ErrBadSignature},
		{name: "value too short", edit: func(s *Signature) { s.Value = "AAAA" }, want: ErrBadSignature},
		{name: "other algorithm", edit: func(s *Signature) { s.Algorithm = "rsa" }, want: ErrBadSignature},
		{name: "public key not base64", edit: func(s *Signature) { s.PublicKey = "%%" }, want: ErrBadSignature, authentic: true},
		{name: "not JSON", raw: []byte("{"), want: ErrBadSignature},
		{name: "JSON of the wrong shape", raw: []byte(`{"signature":42}`), want: ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.raw
			if data == nil {
				s := *orig
				tc.edit(&s)
				data, _ = json.Marshal(s)
			}
			forged := edit(t, signed, func(es []entry) []entry {
				for i := range es {
					if es[i].name == signatureName {
						es[i].data = data
					}
				}
				return es
			})
			fb, err := openBytes(forged)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fb.CheckSignature(); !errors.Is(err, tc.want) {
				t.Errorf("CheckSignature: %v, want %v", err, tc.want)
			}
			if err := fb.VerifySignature(pub); (err == nil) != tc.authentic {
				t.Errorf("VerifySignature with the real key: %v", err)
			}
		})
	}
	if !bytes.Equal(signed, signBytes(t, unsigned, priv)) {
		t.Error("signing is deterministic")
	}
}
