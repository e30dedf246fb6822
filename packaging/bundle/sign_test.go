package bundle

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func signBytes(t *testing.T, data []byte, priv ed25519.PrivateKey) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := Sign(context.Background(), &out, bytes.NewReader(data), int64(len(data)), priv, Options{}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func mustKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func TestSignVerify(t *testing.T) {
	pub, priv := mustKey(t)
	otherPub, otherPriv := mustKey(t)
	unsigned := writeTestBundle(t)
	signed := signBytes(t, unsigned, priv)

	if again := signBytes(t, unsigned, priv); !bytes.Equal(again, signed) {
		t.Error("signing is not deterministic")
	}
	if resigned := signBytes(t, signBytes(t, unsigned, otherPriv), priv); !bytes.Equal(resigned, signed) {
		t.Error("re-signing does not replace the signature")
	}

	b, err := openBytes(signed)
	if err != nil {
		t.Fatal(err)
	}
	if rep := b.Verify(context.Background()); len(rep.Issues) > 0 {
		t.Fatalf("signed bundle fails Verify: %v", rep.Issues)
	}
	if s, err := b.Signature(); err != nil || s.KeyID != KeyID(pub) {
		t.Errorf("Signature: %+v, %v", s, err)
	}

	replaceEntry := func(name string, fn func([]byte) []byte) []byte {
		return edit(t, signed, func(es []entry) []entry {
			for i := range es {
				if es[i].name == name {
					es[i].data = fn(bytes.Clone(es[i].data))
				}
			}
			return es
		})
	}
	tests := []struct {
		name string
		data []byte
		key  ed25519.PublicKey
		want error
	}{
		{"good", signed, pub, nil},
		{"other key", signed, otherPub, ErrBadSignature},
		{"unsigned", unsigned, pub, ErrUnsigned},
		{"manifest changed", replaceEntry(manifestName, func(b []byte) []byte {
			return bytes.Replace(b, []byte("bundle test"), []byte("bundle TEST"), 1)
		}), pub, ErrDigestMismatch},
		{"signature value changed", replaceEntry(signatureName, func(b []byte) []byte {
			i := bytes.Index(b, []byte(`"signature": "`)) + len(`"signature": "`)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			return b
		}), pub, ErrBadSignature},
		{"signature not JSON", replaceEntry(signatureName, func([]byte) []byte { return []byte("{") }), pub, ErrBadSignature},
		{"other algorithm", replaceEntry(signatureName, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"ed25519"`), []byte(`"rsa"`), 1)
		}), pub, ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := openBytes(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			err = b.VerifySignature(tc.key)
			if tc.want == nil && err != nil || !errors.Is(err, tc.want) {
				t.Fatalf("VerifySignature: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSignRefusesTampered(t *testing.T) {
	_, priv := mustKey(t)
	bad := edit(t, writeTestBundle(t), func(es []entry) []entry {
		for i := range es {
			if es[i].name == "content/index.html" {
				es[i].data = []byte("changed")
			}
		}
		return es
	})
	err := Sign(context.Background(), &bytes.Buffer{}, bytes.NewReader(bad), int64(len(bad)), priv, Options{})
	if !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Sign: %v, want ErrDigestMismatch", err)
	}
}

func TestSignFileAndKeyFiles(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "nso")
	pub, priv := mustKey(t)
	if err := WriteKeyFiles(prefix, pub, priv); err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFiles(prefix, pub, priv); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second WriteKeyFiles: %v", err)
	}
	if fi, err := os.Stat(prefix + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi.Mode(), err)
	}
	priv2, err := ReadPrivateKeyFile(prefix + ".key")
	if err != nil || !priv2.Equal(priv) {
		t.Fatalf("ReadPrivateKeyFile: %v", err)
	}
	pub2, err := ReadPublicKeyFile(prefix + ".pub")
	if err != nil || !pub2.Equal(pub) {
		t.Fatalf("ReadPublicKeyFile: %v", err)
	}
	if _, err := ReadPublicKeyFile(prefix + ".key"); !errors.Is(err, ErrKey) {
		t.Errorf("private key read as public: %v", err)
	}

	path := filepath.Join(dir, "course.ota")
	if err := os.WriteFile(path, writeTestBundle(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SignFile(context.Background(), path, priv2, Options{}); err != nil {
		t.Fatal(err)
	}
	b, _, err := OpenFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.VerifySignature(pub2); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("files left in dir: %v", entries)
	}
}

func TestParseKeyErrors(t *testing.T) {
	for _, data := range []string{"", "not pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := ParsePublicKey([]byte(data)); !errors.Is(err, ErrKey) {
			t.Errorf("ParsePublicKey(%q): %v", data, err)
		}
		if _, err := ParsePrivateKey([]byte(data)); !errors.Is(err, ErrKey) {
			t.Errorf("ParsePrivateKey(%q): %v", data, err)
		}
	}
}
