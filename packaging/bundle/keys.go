package bundle

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// Key file formats: PEM, the private key as PKCS #8 ("PRIVATE KEY"), the
// public key as PKIX SubjectPublicKeyInfo ("PUBLIC KEY"), as OpenSSL
// writes them (`openssl genpkey -algorithm ed25519`).
const (
	privatePEMType = "PRIVATE KEY"
	publicPEMType  = "PUBLIC KEY"
)

// GenerateKey returns a new ed25519 key pair from crypto/rand.
func GenerateKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	return ed25519.GenerateKey(rand.Reader)
}

// KeyID returns a short fingerprint of pub: the first 16 hexadecimal
// digits of the SHA-256 of its 32 bytes. It names a key for people; it
// says nothing about who holds it.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// MarshalPrivateKey encodes priv as a PEM "PRIVATE KEY" block (PKCS #8).
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: private key of %d bytes", ErrKey, len(priv))
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: privatePEMType, Bytes: der}), nil
}

// MarshalPublicKey encodes pub as a PEM "PUBLIC KEY" block (PKIX).
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: public key of %d bytes", ErrKey, len(pub))
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: publicPEMType, Bytes: der}), nil
}

// ParsePrivateKey decodes the first PEM "PRIVATE KEY" block of data,
// which must hold an ed25519 key.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	der, err := pemBlock(data, privatePEMType)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %T is not an ed25519 private key", ErrKey, k)
	}
	return priv, nil
}

// ParsePublicKey decodes the first PEM "PUBLIC KEY" block of data, which
// must hold an ed25519 key.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	der, err := pemBlock(data, publicPEMType)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: %T is not an ed25519 public key", ErrKey, k)
	}
	return pub, nil
}

// pemBlock returns the bytes of the first PEM block of type typ.
func pemBlock(data []byte, typ string) ([]byte, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("%w: no PEM %q block", ErrKey, typ)
		}
		if b.Type == typ {
			return b.Bytes, nil
		}
	}
}

// ReadPrivateKeyFile reads a private key file written by [WriteKeyFiles]
// or OpenSSL.
func ReadPrivateKeyFile(path string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ReadPublicKeyFile reads a public key file written by [WriteKeyFiles] or
// OpenSSL.
func ReadPublicKeyFile(path string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// WriteKeyFiles writes priv to prefix+".key" (mode 0600) and pub to
// prefix+".pub" (mode 0644). It never overwrites: when either file exists
// it fails with an error wrapping fs.ErrExist and writes nothing. When the
// second write fails the first file is removed again.
func WriteKeyFiles(prefix string, pub ed25519.PublicKey, priv ed25519.PrivateKey) error {
	privPEM, err := MarshalPrivateKey(priv)
	if err != nil {
		return err
	}
	pubPEM, err := MarshalPublicKey(pub)
	if err != nil {
		return err
	}
	if !pub.Equal(priv.Public()) {
		return fmt.Errorf("%w: the public key does not belong to the private key", ErrKey)
	}
	keyPath, pubPath := prefix+".key", prefix+".pub"
	if _, err := os.Lstat(pubPath); err == nil {
		return fmt.Errorf("%s: %w", pubPath, os.ErrExist)
	}
	if err := writeNew(keyPath, privPEM, 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, pubPEM, 0o644); err != nil {
		_ = os.Remove(keyPath)
		return err
	}
	return nil
}

// writeNew creates path exclusively and writes data to it, removing it
// again on failure.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return errors.Join(fmt.Errorf("writing %s", path), err)
	}
	return nil
}
