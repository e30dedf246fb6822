package harvest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/store"
)

// ErrUntrusted is the class of a bundle not signed by a key the trust list
// gives its publisher.
var ErrUntrusted = errors.New("harvest: not signed by a trusted key")

// fetchedDoc is one asset document of a fetched bundle.
type fetchedDoc struct {
	id, version string
	json        []byte
}

// fetchBundle downloads a bundle, checks its digest against want ("sha256:
// HEX", when given), its signature against the source's trusted keys and
// its files against its manifest, and returns its asset documents and the
// ID of the key that signed it ("" when unsigned and the source allows
// that).
func (r *run) fetchBundle(ctx context.Context, url, want string) ([]fetchedDoc, string, error) {
	f, size, err := r.h.download(ctx, url, r.h.opts.MaxBundleBytes)
	if err != nil {
		return nil, "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if want != "" {
		sum := sha256.New()
		if _, err := io.Copy(sum, io.NewSectionReader(f, 0, size)); err != nil {
			return nil, "", err
		}
		if got := "sha256:" + hex.EncodeToString(sum.Sum(nil)); got != want {
			return nil, "", fmt.Errorf("%w: the bundle's digest is %s, the feed says %s", bundle.ErrDigestMismatch, got, want)
		}
	}
	b, _, err := bundle.Open(f, size, bundle.Options{Limits: archive.Limits{MaxTotalSize: 4 * r.h.opts.MaxBundleBytes}, MaxManifestSize: 8 << 20, Asset: asset.ReadOptions{MaxBytes: store.MaxDocBytes}})
	if err != nil {
		return nil, "", err
	}
	defer b.Close()
	keyID, err := r.verifySignature(b)
	if err != nil {
		return nil, "", err
	}
	if rep := b.Verify(ctx); rep.HasErrors() {
		return nil, "", fmt.Errorf("%w: %w", bundle.ErrDigestMismatch, rep.Err())
	}
	var docs []fetchedDoc
	for _, d := range b.Assets() {
		data, err := asset.Marshal(d)
		if err != nil {
			return nil, "", err
		}
		docs = append(docs, fetchedDoc{id: d.Asset.ID, version: d.Asset.Version, json: data})
	}
	return docs, keyID, nil
}

// verifySignature checks b's signature against the source's trusted keys:
// the key the signature names first, then every other. An unsigned bundle
// passes only when the source allows it.
func (r *run) verifySignature(b *bundle.Bundle) (string, error) {
	sig, err := b.Signature()
	if errors.Is(err, bundle.ErrUnsigned) {
		if r.src.AllowUnsigned {
			return "", nil
		}
		return "", fmt.Errorf("%w: the bundle is not signed, and %s's bundles must be", ErrUntrusted, r.src.Name)
	}
	if err != nil {
		return "", err
	}
	if len(r.keys) == 0 {
		if r.src.AllowUnsigned {
			return "", nil
		}
		return "", fmt.Errorf("%w: the trust list has no key for %s", ErrUntrusted, r.src.Name)
	}
	ids := make([]string, 0, len(r.keys))
	for id := range r.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	try := func(id string, pub ed25519.PublicKey) bool { return b.VerifySignature(pub) == nil }
	if pub, ok := r.keys[sig.KeyID]; ok && try(sig.KeyID, pub) {
		return sig.KeyID, nil
	}
	for _, id := range ids {
		if try(id, r.keys[id]) {
			return id, nil
		}
	}
	return "", fmt.Errorf("%w: the signature (key %q) verifies with none of the %d keys trusted for %s", ErrUntrusted, sig.KeyID, len(r.keys), r.src.Name)
}

// bundleURL harvests every asset of a signed bundle.
func (r *run) bundleURL(ctx context.Context, u string) error {
	docs, keyID, err := r.fetchBundle(ctx, u, "")
	if err != nil {
		return err
	}
	for _, d := range docs {
		rec := store.Record{
			Provenance: store.Provenance{Source: r.src.Name, Publisher: r.publisherName(""), Origin: u, Protocol: "bundle", KeyID: keyID, Fetched: r.start},
			ID:         d.id, Version: d.version, Doc: d.json, Downloads: map[string]string{"ota": u},
		}
		if err := r.put(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}
