// Package sqlstore implements platform/store.Store over database/sql for
// any SQL database given a [Dialect]: the SQLite and PostgreSQL stores are
// this one implementation with two dialects, so they cannot drift apart.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/platform/store"
)

// Migration is one version of the schema: SQL statements run in order,
// then an optional Go step (a backfill), in one transaction.
type Migration struct {
	Statements []string
	Go         func(ctx context.Context, s *Store, tx *sql.Tx) error
}

// Dialect is what differs between databases.
type Dialect struct {
	// Name is "sqlite" or "postgres", for messages.
	Name string
	// Placeholders rewrites "?" placeholders into the database's form.
	Placeholders func(q string) string
	// Migrations are the schema versions, Migrations[0] being version 1.
	// The table schema_migrations is created by the store itself.
	Migrations []Migration
	// LockWrites is run first in every write transaction, to serialise
	// writers so that Seq order is commit order.
	LockWrites string
	// IndexText stores the folded text of record pk; RemoveText drops it.
	IndexText  func(ctx context.Context, tx *sql.Tx, pk int64, title, body string) error
	RemoveText func(ctx context.Context, tx *sql.Tx, pk int64) error
	// SearchTextColumn and SearchText, when set, keep the full-text index
	// in the search table from schema version 3 (IndexText and RemoveText
	// then serve older versions only): the column, and the SQL expression
	// of its value from two placeholders, the title's text and the body's.
	SearchTextColumn, SearchText string
	// Match returns the FROM-clause join, WHERE condition and rank
	// expression (smaller is better) for full-text terms, with the
	// argument, all for the search table (asset_search) aliased "a".
	Match func(terms []store.Term) (join, where, rank string, arg any)
	// Newest is the ORDER BY expression listing matches of Match newest
	// (highest pk) first the cheapest way ("a.pk DESC").
	Newest string
	// Aggregate is the expression listing the distinct values of a column
	// joined by commas ("group_concat(DISTINCT %s)").
	Aggregate string
	// Upsert is the "ON CONFLICT … DO UPDATE SET x = excluded.x" syntax
	// marker both SQLite and PostgreSQL share; kept for clarity.
	// SerializeWrites: the database allows one writer at a time, so the
	// store serialises write transactions itself.
	SerializeWrites bool
}

// Store is the database/sql implementation of store.Store.
type Store struct {
	db      *sql.DB
	d       *Dialect
	reg     *mapping.Registry
	version int // the schema version the database is at
	wmu     sync.Mutex
	now     func() time.Time
	// capTotal replaces store.MaxTotal when set (tests).
	capTotal int
}

var _ store.Store = (*Store)(nil)

// Options configure [Open].
type Options struct {
	// Registry resolves alignments for coverage; nil means mapping.Default().
	Registry *mapping.Registry
	// Version migrates only up to this schema version (0: the newest);
	// tests use it to make an old database.
	Version int
	// Now is the clock for datestamps (nil: time.Now).
	Now func() time.Time
	// MaxTotal replaces store.MaxTotal, the most matches a search counts
	// and ranks, when set: tests use a small one.
	MaxTotal int
}

// Open migrates db to the newest schema version and returns the store.
func Open(ctx context.Context, db *sql.DB, d *Dialect, opts Options) (*Store, error) {
	s := &Store{db: db, d: d, reg: opts.Registry, now: opts.Now, capTotal: opts.MaxTotal}
	if s.reg == nil {
		s.reg = mapping.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	target := len(d.Migrations)
	if opts.Version > 0 && opts.Version < target {
		target = opts.Version
	}
	if err := s.migrate(ctx, target); err != nil {
		return nil, err
	}
	return s, nil
}

// SchemaVersion is the newest schema version of the dialect's migrations.
func (s *Store) SchemaVersion() int { return s.version }

// DB returns the database, for tests.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) q(query string) string { return s.d.Placeholders(query) }

func (s *Store) migrate(ctx context.Context, target int) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("%w: %s: cannot create schema_migrations: %w", store.ErrSchema, s.d.Name, err)
	}
	var have sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("%w: %s: %w", store.ErrSchema, s.d.Name, err)
	}
	s.version = int(have.Int64)
	if s.version > len(s.d.Migrations) {
		return fmt.Errorf("%w: the database is at schema version %d, newer than this program knows (%d): upgrade ota", store.ErrSchema, s.version, len(s.d.Migrations))
	}
	for v := s.version + 1; v <= target; v++ {
		m := s.d.Migrations[v-1]
		err := s.write(ctx, func(tx *sql.Tx) error {
			for i, stmt := range m.Statements {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("statement %d: %w", i+1, err)
				}
			}
			s.version = v
			if m.Go != nil {
				if err := m.Go(ctx, s, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied) VALUES (?, ?)`), v, s.now().UnixMicro())
			return err
		})
		if err != nil {
			s.version = v - 1
			return fmt.Errorf("%w: %s: migration to version %d failed: %w", store.ErrSchema, s.d.Name, v, err)
		}
	}
	return nil
}

// write runs fn in a write transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.d.SerializeWrites {
		s.wmu.Lock()
		defer s.wmu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if s.d.LockWrites != "" {
		if _, err := tx.ExecContext(ctx, s.d.LockWrites); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFound wraps sql.ErrNoRows as store.ErrNotFound.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", store.ErrNotFound, what)
	}
	return err
}

// splitList splits an aggregate of comma-joined values, sorted.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.Split(s, ",")
	sortStrings(out)
	return out
}
