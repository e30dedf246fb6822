package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	_ "modernc.org/sqlite" // the ledger's database engine: pure Go, no cgo

	"github.com/metaacademy/ota/asset"
)

// ledger is what a publication knows of every asset while it holds one
// tree at a time: the entries (their IDs, titles, kinds, publishers and
// relations, for links and lineage), which of them are published and under
// which slug, the trees (for the index and the downloads) and the feed's
// entries. It lives in a temporary SQLite database, which SQLite deletes
// when the ledger is closed: memory holds at most ledgerCacheKiB of it,
// the rest is on disk, so publish's memory does not grow with the number
// of assets.
//
// A ledger is safe for concurrent use; every method holds its lock until
// its rows are read.
type ledger struct {
	mu   sync.Mutex
	db   *sql.DB
	conn *sql.Conn // the one connection: a temporary database lives and dies with it
	tx   bool      // inside a batch (BEGIN … COMMIT)
	ops  int       // statements in the current batch
	stmt map[string]*sql.Stmt
}

// ledgerCacheKiB bounds the ledger's page cache.
const ledgerCacheKiB = 8192

// ledgerBatch is how many writes share one transaction while the ledger
// is filled.
const ledgerBatch = 5000

const ledgerSchema = `
CREATE TABLE entry (
	pos INTEGER PRIMARY KEY,   -- catalogue order, from 1
	id TEXT NOT NULL,
	loc TEXT NOT NULL,         -- Entry.Location()
	ptr TEXT NOT NULL,         -- JSON Pointer in its tree
	publisher TEXT NOT NULL,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,       -- asset.LangString as JSON
	modified TEXT NOT NULL,
	tree INTEGER,              -- the tree it is published in, or NULL
	slug TEXT,                 -- its page's slug when published
	written INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entry_id ON entry (id, pos);
CREATE INDEX entry_tree ON entry (tree, pos) WHERE tree IS NOT NULL;
CREATE UNIQUE INDEX entry_slug ON entry (slug) WHERE slug IS NOT NULL;
CREATE TABLE rel (
	pos INTEGER NOT NULL,      -- the entry carrying the relation
	ord INTEGER NOT NULL,      -- its place among the entry's relations
	type TEXT NOT NULL,
	target TEXT NOT NULL,
	PRIMARY KEY (pos, ord)
) WITHOUT ROWID;
CREATE INDEX rel_target ON rel (target, pos, ord);
CREATE TABLE slug (slug TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tree (
	seq INTEGER PRIMARY KEY,   -- catalogue order, from 1
	pos INTEGER NOT NULL,      -- its root entry
	source TEXT NOT NULL,
	slug TEXT NOT NULL,
	listed TEXT NOT NULL,      -- the publisher the index lists it under
	note TEXT NOT NULL,        -- the index's note: kind, duration, languages
	downloads BLOB,            -- the downloads made, once its worker is done
	reread INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tree_source ON tree (source);
CREATE INDEX tree_slug ON tree (slug);
CREATE INDEX tree_listed ON tree (listed, seq);
CREATE TABLE feed (
	id TEXT PRIMARY KEY,
	dated INTEGER NOT NULL,    -- 1 when Modified is a date
	secs INTEGER NOT NULL,
	nanos INTEGER NOT NULL,
	entry BLOB NOT NULL        -- the entry's JSON, as feed.Entry marshals it
);
CREATE INDEX feed_order ON feed (dated DESC, secs DESC, nanos DESC, id);
CREATE TABLE prev (
	id TEXT PRIMARY KEY,       -- each ID once: its first entry in the previous feed
	ord INTEGER NOT NULL,
	deleted INTEGER NOT NULL,
	modified TEXT NOT NULL
) WITHOUT ROWID;
`

// openLedger creates an empty ledger.
func openLedger(ctx context.Context) (*ledger, error) {
	// An empty file name is a temporary database: private to its
	// connection, deleted by SQLite when the connection closes.
	db, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	l := &ledger{db: db, conn: conn, stmt: map[string]*sql.Stmt{}}
	init := fmt.Sprintf("PRAGMA cache_size = -%d; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;", ledgerCacheKiB)
	if _, err := conn.ExecContext(ctx, init+ledgerSchema); err != nil {
		l.Close()
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	return l, nil
}

// Close deletes the ledger.
func (l *ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, st := range l.stmt {
		st.Close()
	}
	err := l.conn.Close()
	return errors.Join(err, l.db.Close())
}

// prepared returns the statement for query, prepared once. The caller
// holds the lock.
func (l *ledger) prepared(query string) (*sql.Stmt, error) {
	if st, ok := l.stmt[query]; ok {
		return st, nil
	}
	st, err := l.conn.PrepareContext(context.Background(), query)
	if err != nil {
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	l.stmt[query] = st
	return st, nil
}

// exec runs a write; with batch, inside the current batch, which it begins
// or commits every ledgerBatch writes. The caller holds the lock.
func (l *ledger) exec(batch bool, query string, args ...any) (sql.Result, error) {
	if batch && !l.tx {
		if _, err := l.conn.ExecContext(context.Background(), "BEGIN"); err != nil {
			return nil, fmt.Errorf("publish: ledger: %w", err)
		}
		l.tx, l.ops = true, 0
	}
	if !batch {
		if err := l.commitLocked(); err != nil {
			return nil, err
		}
	}
	st, err := l.prepared(query)
	if err != nil {
		return nil, err
	}
	res, err := st.Exec(args...)
	if err != nil {
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	if l.tx {
		if l.ops++; l.ops >= ledgerBatch {
			return res, l.commitLocked()
		}
	}
	return res, nil
}

// commit ends the current batch, if any.
func (l *ledger) commit() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.commitLocked()
}

func (l *ledger) commitLocked() error {
	if !l.tx {
		return nil
	}
	l.tx = false
	if _, err := l.conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		return fmt.Errorf("publish: ledger: %w", err)
	}
	return nil
}

// query runs a read and calls fn with each row's scanner, holding the
// lock until the rows are read.
func (l *ledger) query(fn func(scan func(dest ...any) error) error, query string, args ...any) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, err := l.prepared(query)
	if err != nil {
		return err
	}
	rows, err := st.Query(args...)
	if err != nil {
		return fmt.Errorf("publish: ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("publish: ledger: %w", err)
	}
	return nil
}

// write runs one write, outside any batch.
func (l *ledger) write(query string, args ...any) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.exec(false, query, args...)
	return err
}

// ref is what a link to an asset needs: the first entry holding an ID.
type ref struct {
	ID, Kind, Publisher, Location string
	Title                         asset.LangString
}

// asset is the ref as the summary asset lrmi's Lookup wants.
func (r *ref) asset() *asset.Asset {
	return &asset.Asset{ID: r.ID, Kind: asset.Kind(r.Kind), Title: r.Title}
}

// first returns the first entry holding id (in catalogue order), or nil.
func (l *ledger) first(id string) (*ref, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.firstLocked(id)
}

// firstLocked is first with the lock held.
func (l *ledger) firstLocked(id string) (*ref, error) {
	st, err := l.prepared(`SELECT id, kind, publisher, loc, title FROM entry WHERE id = ? ORDER BY pos LIMIT 1`)
	if err != nil {
		return nil, err
	}
	var r ref
	var title []byte
	switch err := st.QueryRow(id).Scan(&r.ID, &r.Kind, &r.Publisher, &r.Location, &title); {
	case err == nil:
	case isNoRows(err):
		return nil, nil
	default:
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	if err := json.Unmarshal(title, &r.Title); err != nil {
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	return &r, nil
}

// slugOfID returns the slug of the published page of the asset id, or "".
func (l *ledger) slugOfID(id string) (string, error) {
	var slug string
	err := l.query(func(scan func(...any) error) error { return scan(&slug) },
		`SELECT slug FROM entry WHERE id = ? AND slug IS NOT NULL LIMIT 1`, id)
	return slug, err
}
