package harvest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/store"
)

// Limits of a sources file.
const (
	// MaxSourcesBytes is the largest sources file read.
	MaxSourcesBytes = 1 << 20
	// MaxSources is the most publishers one file may list.
	MaxSources = 10000
	// maxKeys is the most keys one publisher may list.
	maxKeys = 32
	// maxURL is the longest URL accepted.
	maxURL = 2048
)

// ErrSources is the class of a sources file that cannot be used.
var ErrSources = errors.New("harvest: invalid sources file")

// Sources is a hub's federation: the publishers it harvests, where, and
// the keys it trusts them to sign with. It is read from a JSON file
// ([ReadSources]) that the hub's operator keeps; it is the trust list.
type Sources struct {
	Sources []Source `json:"sources"`
}

// Source is one publisher of the federation.
type Source struct {
	// Name names the publisher in the hub: its records' source, in URLs.
	// 1 to 200 ASCII letters, digits, '.', '_' or '-'.
	Name string `json:"name"`
	// Title is the publisher's display name.
	Title string `json:"title,omitempty"`
	// Feed is the URL of the first page of its publisher feed.
	Feed string `json:"feed,omitempty"`
	// OAI is the base URL of its OAI-PMH endpoint; records are asked for
	// in the "ota" metadata format.
	OAI string `json:"oai,omitempty"`
	// Bundles are URLs of signed OTA bundles to harvest.
	Bundles []string `json:"bundles,omitempty"`
	// Keys are the publisher's public keys the hub trusts.
	Keys []TrustedKey `json:"keys,omitempty"`
	// AllowUnsigned accepts bundles from this publisher that are not
	// signed by one of its keys (and OAI-PMH records, which carry no
	// signature). Off by default: only signed bundles are accepted.
	AllowUnsigned bool `json:"allowUnsigned,omitempty"`
}

// TrustedKey is one key of a publisher.
type TrustedKey struct {
	// ID is packaging/bundle.KeyID of the key; optional, checked when
	// given.
	ID string `json:"id,omitempty"`
	// PublicKey is the Ed25519 public key: 32 bytes in standard base64 (as
	// the feed and signature files write it), or a PEM block
	// (packaging/bundle.MarshalPublicKey, as `ota keygen` writes it).
	PublicKey string `json:"publicKey"`
	// Note says who vouched for the key and how.
	Note string `json:"note,omitempty"`

	pub ed25519.PublicKey
}

// Key returns the parsed public key (valid after ReadSources).
func (k *TrustedKey) Key() ed25519.PublicKey { return k.pub }

// ReadSources reads and checks a sources file: strict JSON (unknown
// members and duplicate names are errors), at most MaxSourcesBytes, valid
// source names, absolute http(s) URLs, well-formed keys whose ID matches.
// Every error wraps ErrSources and says which source and member is wrong.
func ReadSources(r io.Reader) (*Sources, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSourcesBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSources, err)
	}
	if len(data) > MaxSourcesBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrSources, MaxSourcesBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Sources
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSources, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrSources)
	}
	if len(s.Sources) > MaxSources {
		return nil, fmt.Errorf("%w: %d sources, at most %d", ErrSources, len(s.Sources), MaxSources)
	}
	seen := map[string]bool{}
	for i := range s.Sources {
		src := &s.Sources[i]
		where := fmt.Sprintf("sources[%d]", i)
		if !store.ValidSource(src.Name) {
			return nil, fmt.Errorf("%w: %s.name %q: use 1 to %d letters, digits, '.', '_' or '-'", ErrSources, where, src.Name, store.MaxSourceLen)
		}
		where = fmt.Sprintf("source %q", src.Name)
		if seen[src.Name] {
			return nil, fmt.Errorf("%w: %s is listed twice", ErrSources, where)
		}
		seen[src.Name] = true
		if len(src.Title) > 500 {
			return nil, fmt.Errorf("%w: %s: title longer than 500 bytes", ErrSources, where)
		}
		if src.Feed == "" && src.OAI == "" && len(src.Bundles) == 0 {
			return nil, fmt.Errorf("%w: %s has no feed, oai or bundles to harvest", ErrSources, where)
		}
		for _, u := range append([]string{src.Feed, src.OAI}, src.Bundles...) {
			if u == "" {
				continue
			}
			if err := checkURL(u); err != nil {
				return nil, fmt.Errorf("%w: %s: %v", ErrSources, where, err)
			}
		}
		if len(src.Keys) > maxKeys {
			return nil, fmt.Errorf("%w: %s has %d keys, at most %d", ErrSources, where, len(src.Keys), maxKeys)
		}
		for j := range src.Keys {
			k := &src.Keys[j]
			pub, err := parseKey(k.PublicKey)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: keys[%d]: %v", ErrSources, where, j, err)
			}
			if id := bundle.KeyID(pub); k.ID != "" && k.ID != id {
				return nil, fmt.Errorf("%w: %s: keys[%d]: id %q, but the key's ID is %s", ErrSources, where, j, k.ID, id)
			} else {
				k.ID = id
			}
			k.pub = pub
		}
	}
	return &s, nil
}

// parseKey reads a raw base64 or PEM Ed25519 public key.
func parseKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-----BEGIN") {
		return bundle.ParsePublicKey([]byte(s))
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("publicKey is neither PEM nor standard base64: %v", err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("publicKey holds %d bytes; an Ed25519 key has %d", len(raw), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}

// checkURL accepts absolute http and https URLs without user information.
func checkURL(s string) error {
	if len(s) > maxURL {
		return fmt.Errorf("URL longer than %d bytes", maxURL)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("URL %q: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("URL %q: only http and https are harvested", s)
	}
	if u.Host == "" {
		return fmt.Errorf("URL %q has no host", s)
	}
	if u.User != nil {
		return fmt.Errorf("URL %q holds user information", s)
	}
	return nil
}
