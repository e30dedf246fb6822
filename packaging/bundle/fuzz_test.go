package bundle

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/metaacademy/ota/internal/fuzzseed"
	"github.com/metaacademy/ota/packaging/archive"
)

// FuzzManifest checks that ParseManifest never panics and that a manifest
// it accepts survives a write and a second read unchanged.
func FuzzManifest(f *testing.F) {
	fuzzseed.Files(f, "testdata/manifest/*/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		out, err := marshalManifest(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := ParseManifest(out)
		if err != nil {
			t.Fatalf("re-reading the written manifest: %v\n%s", err, out)
		}
		out2, err := marshalManifest(m2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
	})
}

// FuzzOpen checks that Open, Verify and VerifySignature never panic on
// any input, seeded with a written bundle, a signed one and a few broken
// ones.
func FuzzOpen(f *testing.F) {
	good := writeTestBundle(f)
	_, priv, err := GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	var signed bytes.Buffer
	if err := Sign(f.Context(), &signed, bytes.NewReader(good), int64(len(good)), priv, Options{}); err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(signed.Bytes())
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	pub := priv.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{Limits: archive.Limits{MaxEntries: 100, MaxTotalSize: 1 << 20}})
		if err != nil {
			return
		}
		_ = b.Verify(t.Context())
		_ = b.VerifySignature(pub)
	})
}
