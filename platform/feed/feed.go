// Package feed reads and writes the publisher feed: the machine-readable
// list of every asset an OTA publisher (a national statistical office, an
// international organisation) makes available, which hubs harvest.
//
// A feed is JSON, split into pages of at most a few hundred entries linked
// by "next" and "prev" URL references. Each [Entry] names one published
// asset tree by its ID, with its version, when it last changed, the SHA-256
// digest of its signed OTA bundle (.ota), its title and the URLs of its page
// and of its downloads in every format; an asset the publisher withdrew
// stays in the feed as a tombstone (Deleted), so that hubs remove it too.
// Every page repeats the feed's head: the publisher, the number of entries
// and pages, and a digest over all entries of all pages, so a harvester
// that finds the digest unchanged on the first page needs no other.
//
// [Feed.Pages] splits a feed into pages in a fixed order (newest change
// first) and [Page.Encode] writes one; the output is deterministic. [Read]
// reads one page strictly and within limits: it is meant for documents from
// publishers a hub does not control. Members this version of the format
// does not define are kept in Unknown and written back unchanged.
//
// The format is specified in docs/platform.md, and its JSON Schema is
// [Schema] (docs/schema/feed.schema.json).
package feed

import (
	"encoding/json"

	"github.com/metaacademy/ota/asset"
)

// Format constants.
const (
	// FormatVersion is the feed format version this package writes, and
	// the newest it reads. Pages of the same major version are read
	// whatever their minor version; other major versions are refused with
	// [ErrVersion].
	FormatVersion = "1.0"
	// MediaType is the media type of a feed page.
	MediaType = "application/vnd.ota.feed+json"
	// SchemaURI is the $id of the feed's JSON Schema.
	SchemaURI = "https://metaacademy.github.io/ota/schema/feed-1.0.json"
)

// The download formats a publisher offers, as written by ota publish. Other
// names are allowed and kept.
const (
	// FormatOTA is a signed OTA bundle (.ota).
	FormatOTA = "ota"
	// FormatSCORM12 is a SCORM 1.2 package.
	FormatSCORM12 = "scorm12"
	// FormatSCORM2004 is a SCORM 2004 4th Edition package.
	FormatSCORM2004 = "scorm2004-4"
	// FormatCMI5 is a cmi5 course package.
	FormatCMI5 = "cmi5"
)

// Page is one page of a feed: the feed's head, repeated on every page, and
// some of its entries.
type Page struct {
	// Format is the feed format version, MAJOR.MINOR ("1.0").
	Format string `json:"format" jsonschema:"pattern=^[0-9]+\\.[0-9]+$" jsonschema_description:"The feed format version MAJOR.MINOR. Readers of format 1 accept any 1.x page and refuse other major versions."`
	// Publisher is who publishes the feed.
	Publisher Publisher `json:"publisher" jsonschema_description:"Who publishes the feed."`
	// Updated is the latest Modified of the feed's entries, as an RFC 3339
	// date-time in UTC; empty when no entry has a date.
	Updated string `json:"updated,omitempty" jsonschema:"format=date-time" jsonschema_description:"The latest modified date-time of the feed's entries, in UTC."`
	// Digest is "sha256:" and the lowercase hexadecimal SHA-256 digest
	// over all entries of all pages, in feed order (see [Feed.Digest]).
	// It changes whenever any entry does.
	Digest string `json:"digest" jsonschema:"pattern=^sha256:[0-9a-f]{64}$" jsonschema_description:"sha256: and the digest over every entry of every page, in feed order; unchanged digest, unchanged feed."`
	// Total is the number of entries of the whole feed, tombstones
	// included.
	Total int `json:"total" jsonschema:"minimum=0" jsonschema_description:"The number of entries of the whole feed, tombstones included."`
	// Number is this page's number, from 1; Pages is how many there are.
	Number int `json:"page" jsonschema:"minimum=1" jsonschema_description:"This page's number, from 1."`
	Pages  int `json:"pages" jsonschema:"minimum=1" jsonschema_description:"The number of pages."`
	// Next and Prev are URL references of the following and preceding
	// pages, relative to this page's URL or absolute; empty on the last
	// and the first page.
	Next string `json:"next,omitempty" jsonschema:"format=uri-reference" jsonschema_description:"The next page, a URL reference relative to this page; absent on the last page."`
	Prev string `json:"prev,omitempty" jsonschema:"format=uri-reference" jsonschema_description:"The previous page, a URL reference relative to this page; absent on the first page."`
	// Keys are the public keys the publisher signs its bundles with.
	// They are informational: a hub trusts a key because its own trust
	// list names it, never because a feed does.
	Keys []Key `json:"keys,omitempty" jsonschema_description:"The Ed25519 public keys the publisher signs its bundles with; informational, trust comes from the hub's trust list."`
	// Entries are this page's entries, in feed order.
	Entries []Entry `json:"entries" jsonschema_description:"This page's entries, newest change first."`
	// Unknown holds members this version of the format does not define,
	// exactly as read.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Publisher names who publishes a feed.
type Publisher struct {
	// Name is the publisher's name ("INSEE").
	Name string `json:"name" jsonschema:"minLength=1" jsonschema_description:"The publisher's name."`
	// ID identifies the publisher: an absolute IRI such as its ROR ID or
	// home page.
	ID string `json:"id,omitempty" jsonschema:"format=iri" jsonschema_description:"An absolute IRI identifying the publisher (a ROR ID, its home page)."`
	// URL is the address of the published site's home page.
	URL string `json:"url,omitempty" jsonschema:"format=uri-reference" jsonschema_description:"The published site's home page."`
	// Unknown holds members this version of the format does not define.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Key is a public key a publisher signs bundles with.
type Key struct {
	// ID is the key's ID as packaging/bundle computes it (bundle.KeyID).
	ID string `json:"id" jsonschema:"minLength=1" jsonschema_description:"The key ID, as in the bundles' signatures."`
	// PublicKey is the Ed25519 public key, standard base64.
	PublicKey string `json:"publicKey" jsonschema:"contentEncoding=base64" jsonschema_description:"The raw 32-byte Ed25519 public key, standard base64."`
	// Unknown holds members this version of the format does not define.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Entry is one published asset tree, or the tombstone of a withdrawn one.
type Entry struct {
	// ID is the root asset's ID, an absolute IRI.
	ID string `json:"id" jsonschema:"format=iri" jsonschema_description:"The asset's ID, an absolute IRI."`
	// Version is the asset's version.
	Version string `json:"version,omitempty" jsonschema_description:"The asset's version."`
	// Kind is the asset's kind.
	Kind asset.Kind `json:"kind,omitempty" jsonschema_description:"The asset's kind."`
	// Title is the asset's title.
	Title asset.LangString `json:"title,omitempty" jsonschema_description:"The asset's title, per language."`
	// Modified is when the entry last changed: for a live asset its own
	// modified date (or, lacking one, its published or created date), for
	// a tombstone when it was withdrawn. An RFC 3339 date or date-time;
	// empty when the asset gives no date.
	Modified string `json:"modified,omitempty" jsonschema_description:"When the entry last changed: the asset's modified date, or for a tombstone when it was withdrawn. RFC 3339 date or date-time."`
	// Deleted marks a tombstone: the publisher withdrew the asset. A
	// tombstone has no digest, page or downloads.
	Deleted bool `json:"deleted,omitempty" jsonschema_description:"The asset was withdrawn; hubs remove it."`
	// Digest is "sha256:" and the SHA-256 digest of the asset's OTA bundle
	// (the download of format "ota"): what a harvester compares to know
	// whether the asset changed. Required unless Deleted.
	Digest string `json:"digest,omitempty" jsonschema:"pattern=^sha256:[0-9a-f]{64}$" jsonschema_description:"sha256: and the SHA-256 digest of the asset's OTA bundle; required unless deleted."`
	// Page is the URL reference of the asset's HTML page.
	Page string `json:"page,omitempty" jsonschema:"format=uri-reference" jsonschema_description:"The asset's HTML page, relative to the feed page or absolute."`
	// Downloads are the asset's downloads, one per format.
	Downloads []Download `json:"downloads,omitempty" jsonschema_description:"The asset's downloads, one per format."`
	// Unknown holds members this version of the format does not define.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Download is one file an asset can be downloaded as.
type Download struct {
	// Format names the format: [FormatOTA], [FormatSCORM12],
	// [FormatSCORM2004], [FormatCMI5] or another name.
	Format string `json:"format" jsonschema:"pattern=^[a-z0-9][a-z0-9.-]*$" jsonschema_description:"The format: ota, scorm12, scorm2004-4, cmi5 or another lowercase name."`
	// URL is the file's URL reference, relative to the feed page or
	// absolute.
	URL string `json:"url" jsonschema:"format=uri-reference" jsonschema_description:"The file, relative to the feed page or absolute."`
	// MediaType is the file's media type.
	MediaType string `json:"mediaType,omitempty" jsonschema_description:"The file's media type."`
	// Size is the file's length in bytes.
	Size int64 `json:"size,omitempty" jsonschema:"minimum=0" jsonschema_description:"The file's length in bytes."`
	// SHA256 is the file's lowercase hexadecimal SHA-256 digest.
	SHA256 string `json:"sha256,omitempty" jsonschema:"pattern=^[0-9a-f]{64}$" jsonschema_description:"The file's lowercase hexadecimal SHA-256 digest."`
	// Unknown holds members this version of the format does not define.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Download returns the entry's download of the given format, or nil.
func (e *Entry) Download(format string) *Download {
	for i := range e.Downloads {
		if e.Downloads[i].Format == format {
			return &e.Downloads[i]
		}
	}
	return nil
}
