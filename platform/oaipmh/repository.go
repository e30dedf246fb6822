package oaipmh

import (
	"context"
	"errors"
	"time"

	"github.com/metaacademy/ota/asset"
)

// Repository is what a [Handler] serves: a set of records, each an OTA asset
// tree with a datestamp and the sets it belongs to. A hub's store
// implements it; [NewCatalogueRepository] serves a loaded catalogue.
//
// Implementations must be safe for concurrent use.
type Repository interface {
	// Identity describes the repository for the Identify verb.
	Identity(ctx context.Context) (Identity, error)
	// Sets lists the repository's sets, in a stable order. An empty list
	// means the repository has no set hierarchy (noSetHierarchy).
	Sets(ctx context.Context) ([]Set, error)
	// List returns up to q.Limit records matching q, ordered by
	// (Datestamp, Identifier) ascending and starting after q.After. The
	// order must be total and stable, so that a harvest resumed after a
	// record sees every later record exactly once.
	List(ctx context.Context, q Query) ([]Record, error)
	// Get returns the record with the given OAI identifier, deleted or
	// not; an error wrapping [ErrNotFound] when there is none.
	Get(ctx context.Context, identifier string) (Record, error)
}

// ErrNotFound is returned by [Repository.Get] for an identifier the
// repository does not know; the handler answers idDoesNotExist.
var ErrNotFound = errors.New("oaipmh: no such record")

// Identity is what the Identify verb reports.
type Identity struct {
	// Name is the repository's name for people.
	Name string
	// AdminEmails are the repository administrators' e-mail addresses;
	// OAI-PMH needs at least one.
	AdminEmails []string
	// Earliest is the datestamp of the oldest record, or of the
	// repository's start; the zero time means 1970-01-01.
	Earliest time.Time
	// Deleted says how the repository keeps track of deleted records:
	// [DeletedNo], [DeletedTransient] or [DeletedPersistent]; empty means
	// [DeletedPersistent].
	Deleted string
	// Description is a sentence about the repository, served as an
	// oai_dc description of Identify; empty leaves it out.
	Description string
}

// The values of Identity.Deleted (OAI-PMH's deletedRecord).
const (
	// DeletedNo: the repository does not keep deleted records.
	DeletedNo = "no"
	// DeletedTransient: deleted records are kept for a while.
	DeletedTransient = "transient"
	// DeletedPersistent: deleted records are kept for ever.
	DeletedPersistent = "persistent"
)

// Set is one set of a repository: a group of records harvesters can ask for
// alone.
type Set struct {
	// Spec is the set's specification: colon-separated tokens of letters,
	// digits and the marks - _ . ! ~ * ' ( ) ("publisher:insee",
	// "framework:gsbpm:5.3"). A record in "a:b" is also in "a".
	Spec string
	// Name is the set's name for people.
	Name string
}

// Query selects records for [Repository.List].
type Query struct {
	// From and Until bound the records' datestamps, inclusive; the zero
	// time leaves that end open. Both are UTC and whole seconds.
	From, Until time.Time
	// Set, when not empty, keeps the records in the set whose spec is Set
	// or starts with Set + ":".
	Set string
	// After, when not zero, is the position of the last record already
	// returned: only records ordered after it are wanted.
	After Cursor
	// Limit is the most records to return; at least 1.
	Limit int
	// HeadersOnly says that the records' Asset is not needed
	// (ListIdentifiers); a repository may leave it nil.
	HeadersOnly bool
}

// Cursor is a position in the (Datestamp, Identifier) order of records.
type Cursor struct {
	Datestamp  time.Time
	Identifier string
}

// IsZero reports whether c is the start of the order.
func (c Cursor) IsZero() bool { return c.Datestamp.IsZero() && c.Identifier == "" }

// Less reports whether the record at (datestamp, identifier) comes before c
// or is c: that is, whether a list resumed after c skips it.
func (c Cursor) Less(datestamp time.Time, identifier string) bool {
	if d := datestamp.Compare(c.Datestamp); d != 0 {
		return d < 0
	}
	return identifier <= c.Identifier
}

// Header is a record's OAI-PMH header.
type Header struct {
	// Identifier is the record's OAI identifier: the asset's ID, an
	// absolute IRI.
	Identifier string
	// Datestamp is when the record last changed in the repository (was
	// created, modified or deleted), in UTC to the second. A repository
	// must give every change a datestamp no earlier than the changes
	// before it, or incremental harvests (from) miss it.
	Datestamp time.Time
	// Sets are the specs of the sets the record is in.
	Sets []string
	// Deleted marks a record the repository deleted; it has no metadata.
	Deleted bool
}

// Record is one record: its header and the asset tree its metadata is
// made from.
type Record struct {
	Header
	// Asset is the asset tree; nil for a deleted record, and possibly for
	// a record listed with Query.HeadersOnly.
	Asset *asset.Asset
	// Metadata is the record's metadata element as received, for records
	// read by a [Client] in a format other than [PrefixOTA] (whose
	// records are decoded into Asset instead); nil otherwise.
	Metadata []byte
}
