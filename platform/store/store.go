// Package store defines where a hub keeps what it harvests: the [Store]
// interface, its record and query types, and the indexing every
// implementation shares ([Prepare]), so that search, filters, gap, overlap
// and lineage views give the same answers on every database.
//
// Two implementations ship with OTA: platform/store/sqlite (pure Go, the
// embedded default) and platform/store/postgres (for a hub that outgrows one
// machine). Both pass the conformance suite in platform/store/storetest.
//
// # Identity
//
// A stored asset is keyed by its source — the name of the publisher it was
// harvested from, as the trust list and the harvest configuration give it —
// and its asset ID ([Key]). Two sources publishing the same ID are kept
// apart: a publisher can change and delete only its own records, so a
// hostile feed cannot overwrite another office's asset by claiming its ID.
package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
)

// Errors a Store returns; test with errors.Is.
var (
	// ErrNotFound: no record, trust entry or harvest state with that key.
	ErrNotFound = errors.New("store: not found")
	// ErrInvalid: a record, query or argument the store cannot accept.
	ErrInvalid = errors.New("store: invalid")
	// ErrSchema: the database holds a schema newer than this code knows,
	// or a migration failed.
	ErrSchema = errors.New("store: schema")
)

// Key identifies one stored asset: the source that published it and the
// asset's ID (the ID of the root of its tree).
type Key struct {
	Source string `json:"source"`
	ID     string `json:"id"`
}

// String returns "SOURCE ID".
func (k Key) String() string { return k.Source + " " + k.ID }

// Provenance records who published an asset, where and when the hub got it,
// and under which key it was verified.
type Provenance struct {
	// Source names the publisher the asset was harvested from (the trust
	// list's and the harvest configuration's name for it, e.g. "ine-es").
	Source string `json:"source"`
	// Publisher is the publisher's display name; empty means Source.
	Publisher string `json:"publisher,omitempty"`
	// Origin is the URL the asset was fetched from (a feed entry's
	// document or bundle, an OAI-PMH endpoint).
	Origin string `json:"origin,omitempty"`
	// Protocol is how it was harvested: "feed", "oai-pmh" or "bundle".
	Protocol string `json:"protocol,omitempty"`
	// KeyID is the ID of the publisher key whose signature was verified
	// (packaging/bundle.KeyID), or empty when the asset came unsigned.
	KeyID string `json:"keyId,omitempty"`
	// Digest is the publisher's digest of what was fetched
	// ("sha256:HEX"), when it gave one.
	Digest string `json:"digest,omitempty"`
	// Fetched is when the hub last fetched it.
	Fetched time.Time `json:"fetched"`
}

// Record is one stored asset tree with its provenance.
type Record struct {
	Provenance
	// ID and Version are the root asset's.
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
	// Doc is the canonical OTA JSON document of the asset tree
	// (asset.Marshal). Empty for a deleted record.
	Doc []byte `json:"-"`
	// Downloads maps a format ("ota", "scorm12", "scorm2004-4", "cmi5",
	// "json") to the URL where the publisher offers the asset in it.
	Downloads map[string]string `json:"downloads,omitempty"`
	// Datestamp is when the record last changed in the store (its
	// content, or its deletion); Seq orders changes: every change takes
	// a larger Seq than any before it. Both are set by the store.
	Datestamp time.Time `json:"datestamp"`
	Seq       int64     `json:"seq"`
	// Deleted marks a tombstone: the publisher removed the asset. It stays
	// so that OAI-PMH harvesters of the hub learn of the deletion.
	Deleted bool `json:"deleted,omitempty"`
}

// Key returns the record's key.
func (r *Record) Key() Key { return Key{Source: r.Source, ID: r.ID} }

// PublisherName returns Publisher, or Source when it is empty.
func (r *Record) PublisherName() string {
	if r.Publisher != "" {
		return r.Publisher
	}
	return r.Source
}

// TrustedKey is one publisher key of the trust list: bundles from Source
// are accepted when signed by it.
type TrustedKey struct {
	// Source is the publisher the key belongs to.
	Source string `json:"source"`
	// KeyID is packaging/bundle.KeyID of the key.
	KeyID string `json:"keyId"`
	// PublicKey is the Ed25519 public key in PEM (packaging/bundle
	// .MarshalPublicKey).
	PublicKey []byte `json:"publicKey"`
	// Note says who vouched for the key, and how.
	Note string `json:"note,omitempty"`
	// Added is when the key was trusted.
	Added time.Time `json:"added"`
}

// HarvestState is what an incremental harvest of one endpoint remembers
// between runs.
type HarvestState struct {
	// Source is the publisher; URL the endpoint (feed or OAI-PMH base).
	Source string `json:"source"`
	URL    string `json:"url"`
	// ETag and LastModified are the validators of the last full response,
	// sent back as If-None-Match and If-Modified-Since.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	// Token is what the protocol needs to resume or skip: for a feed,
	// the feed digest of the last complete harvest (an unchanged digest
	// means nothing to fetch).
	Token string `json:"token,omitempty"`
	// From is the OAI-PMH datestamp the next run asks from: a little
	// before the start of the last complete run (RFC 3339).
	From string `json:"from,omitempty"`
	// LastRun is when the endpoint was last harvested; LastError what went
	// wrong then, empty on success.
	LastRun   time.Time `json:"lastRun"`
	LastError string    `json:"lastError,omitempty"`
}

// Publisher summarises one source of the hub.
type Publisher struct {
	Source string `json:"source"`
	// Name is the publisher's display name as its newest record gives it.
	Name string `json:"name"`
	// Assets counts its live records.
	Assets int `json:"assets"`
	// LastFetched is the newest Fetched of its records.
	LastFetched time.Time `json:"lastFetched"`
}

// ChangesQuery selects records in change order, for OAI-PMH and for
// recomputing derived views.
type ChangesQuery struct {
	// AfterSeq returns changes with a larger Seq only (a cursor).
	AfterSeq int64
	// From and Until bound the Datestamp (inclusive); zero means open.
	From, Until time.Time
	// Source, when set, limits to one source.
	Source string
	// Deleted includes tombstones.
	Deleted bool
	// Limit is the most records returned; 0 means 100.
	Limit int
	// WithDoc loads each record's document too.
	WithDoc bool
	// ByStamp orders by (Datestamp truncated to the second, ID) instead of
	// Seq, starting after (AfterStamp, AfterID) when AfterStamp is set:
	// the order OAI-PMH lists need. AfterSeq is then ignored.
	ByStamp    bool
	AfterStamp time.Time
	AfterID    string
}

// Store keeps a hub's harvested assets, their derived indexes, the trust
// list and the harvest state. Implementations are safe for concurrent use.
type Store interface {
	// Put inserts or replaces the record with r's key, indexing its
	// document (see [Prepare]), and reports whether anything changed: a
	// record whose Doc, Version, Digest, KeyID and Downloads are the same
	// as stored only has its Fetched time updated, and keeps its
	// Datestamp and Seq. A Put revives a deleted record.
	Put(ctx context.Context, r Record) (changed bool, err error)
	// Delete turns the record into a tombstone (its document and indexes
	// go, the key, Datestamp and Seq stay) and reports whether it was
	// live. Deleting an unknown key records a tombstone too, so that a
	// deletion seen before the asset is still passed on.
	Delete(ctx context.Context, k Key, at time.Time) (bool, error)
	// Touch sets the Fetched time of a live record whose content a
	// harvest found unchanged (ErrNotFound when there is none).
	Touch(ctx context.Context, k Key, fetched time.Time) error
	// Prune deletes, as Delete does, every live record of source fetched
	// before the given time — those a complete harvest of the source no
	// longer saw — and returns their keys.
	Prune(ctx context.Context, source string, before, at time.Time) ([]Key, error)
	// Get returns the record with its document; deleted records come back
	// with Deleted set. ErrNotFound when the key was never stored.
	Get(ctx context.Context, k Key) (Record, error)
	// FindID returns the live records holding an asset with this ID —
	// the root or any part of its tree — in key order.
	FindID(ctx context.Context, id string) ([]Record, error)
	// Keys returns the live keys of one source, or of every source when
	// source is empty, in key order.
	Keys(ctx context.Context, source string) iter.Seq2[Key, error]
	// Changes returns records in Seq order.
	Changes(ctx context.Context, q ChangesQuery) ([]Record, error)

	// Search finds live records.
	Search(ctx context.Context, q Query) (*Results, error)
	// Publishers lists the sources with their counts, by source.
	Publishers(ctx context.Context) ([]Publisher, error)

	// Coverage tallies, for one framework key ("gsbpm"), how many live
	// records and how many sources cover each node, itself or through a
	// node below it.
	Coverage(ctx context.Context, framework string) ([]NodeCount, error)
	// Related returns the live records whose trees share an aligned node
	// or a title term with the record k, at most limit of them, nearest
	// first by the number of shared nodes and terms: the candidates for
	// overlap detection.
	Related(ctx context.Context, k Key, limit int) ([]Key, error)
	// PutOverlaps replaces the overlaps stored for record k (as either
	// side) with os; every pair must involve k.
	PutOverlaps(ctx context.Context, k Key, os []Overlap) error
	// Overlaps lists stored overlaps by descending score, optionally only
	// those involving one record or one source.
	Overlaps(ctx context.Context, q OverlapQuery) ([]Overlap, int, error)
	// Derivations lists lineage relations (isBasedOn, isTranslationOf,
	// isVersionOf) between live records of different sources, by the
	// deriving record's key.
	Derivations(ctx context.Context, offset, limit int) ([]Derivation, int, error)
	// DerivedFrom returns the live records with a lineage relation whose
	// target is id.
	DerivedFrom(ctx context.Context, id string) ([]Key, error)

	// Trust adds or replaces a key of the trust list; Distrust removes
	// one; TrustList returns them, of one source or all, by source and
	// key ID.
	Trust(ctx context.Context, k TrustedKey) error
	Distrust(ctx context.Context, source, keyID string) error
	TrustList(ctx context.Context, source string) ([]TrustedKey, error)

	// HarvestState returns the state of an endpoint (ErrNotFound when it
	// was never harvested); SetHarvestState stores it.
	HarvestState(ctx context.Context, source, url string) (HarvestState, error)
	SetHarvestState(ctx context.Context, s HarvestState) error

	// Close releases the database.
	Close() error
}

// NodeCount is how much of the catalogue covers one framework node.
type NodeCount struct {
	Code string `json:"code"`
	// Assets and Sources count the live records, and their distinct
	// sources, whose trees cover the node or a node below it (through
	// teaches or assesses).
	Assets  int `json:"assets"`
	Sources int `json:"sources"`
	// SourceNames lists the sources, sorted.
	SourceNames []string `json:"sourceNames"`
}

// Overlap is a stored pair of overlapping assets from different sources,
// with the evidence that was found for it (see catalogue.Catalogue.Overlaps).
type Overlap struct {
	// A and B are the records; APointer and BPointer the JSON Pointers of
	// the overlapping assets within their trees ("" for the roots), AID
	// and BID their IDs. A's key sorts before B's.
	A, B               Key
	APointer, BPointer string
	AID, BID           string
	// Score is between 0 and 1.
	Score float64
	// Evidence is the JSON of the evidence (shared nodes, shared words),
	// as the hub wrote it.
	Evidence []byte
}

// OverlapQuery selects stored overlaps.
type OverlapQuery struct {
	// Key, when set, keeps the overlaps involving this record.
	Key *Key
	// Source, when set, keeps those with a record of this source.
	Source string
	// Offset and Limit page the results; Limit 0 means 50.
	Offset, Limit int
}

// Derivation is one lineage relation from an asset of one source to an
// asset of another.
type Derivation struct {
	// From is the deriving record, FromID the ID of the asset (root or
	// part) carrying the relation.
	From   Key
	FromID string
	// Type is isBasedOn, isTranslationOf or isVersionOf.
	Type string
	// To is the record holding the target, ToID the target's ID.
	To   Key
	ToID string
}

// Validate checks what every Store needs of a record it is given to Put.
func (r *Record) Validate() error {
	switch {
	case r.Source == "":
		return fmt.Errorf("%w: record %q has no source", ErrInvalid, r.ID)
	case r.ID == "":
		return fmt.Errorf("%w: record from %q has no ID", ErrInvalid, r.Source)
	case len(r.Doc) == 0:
		return fmt.Errorf("%w: record %s has no document", ErrInvalid, r.Key())
	case !ValidSource(r.Source):
		return fmt.Errorf("%w: source name %q: use 1 to %d letters, digits, '.', '_' or '-'", ErrInvalid, r.Source, MaxSourceLen)
	}
	return nil
}

// ValidSource reports whether s can name a source: 1 to MaxSourceLen ASCII
// letters, digits, '.', '_' or '-'. Source names appear in URLs, file
// names and comma-joined lists, so nothing else is allowed.
func ValidSource(s string) bool {
	if s == "" || len(s) > MaxSourceLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// MaxSourceLen is the longest source name a store accepts.
const MaxSourceLen = 200
