// Package sqlite is the embedded store of an OTA hub: platform/store.Store
// on SQLite through modernc.org/sqlite (pure Go, no cgo), with FTS5 for
// full-text search in every language. One file holds the whole hub; it is
// the default of `ota serve` and `ota harvest`.
//
// Text is folded (lower case, no accents) by the store before FTS5 sees it,
// and FTS5 tokenises it with unicode61, so a search matches in any language
// written with spaces between words.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/internal/sqlstore"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Options configure [Open].
type Options struct {
	// Registry resolves alignments for coverage; nil means mapping.Default().
	Registry *mapping.Registry
	// schemaVersion, when set (by tests), migrates only this far.
	schemaVersion int
}

// Open opens (creating it when absent) the hub database in the file at
// path and migrates it to the newest schema.
func Open(ctx context.Context, path string, opts Options) (store.Store, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: sqlite: no database file given", store.ErrInvalid)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Reads run in parallel under WAL; writes are serialised by the store.
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s, err := sqlstore.Open(ctx, db, dialect, sqlstore.Options{Registry: opts.Registry, Version: opts.schemaVersion})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

var dialect = &sqlstore.Dialect{
	Name:            "sqlite",
	Placeholders:    func(q string) string { return q },
	Migrations:      migrations,
	SerializeWrites: true,
	Aggregate:       "group_concat(DISTINCT %s)",
	IndexText: func(ctx context.Context, tx *sql.Tx, pk int64, title, body string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO assets_fts (rowid, title, body) VALUES (?, ?, ?)`, pk, title, body)
		return err
	},
	RemoveText: func(ctx context.Context, tx *sql.Tx, pk int64) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM assets_fts WHERE rowid = ?`, pk)
		return err
	},
	Match: func(terms []store.Term) (string, string, string, any) {
		return `JOIN assets_fts ON assets_fts.rowid = a.pk`, `assets_fts MATCH ?`, `bm25(assets_fts, 5.0, 1.0)`, MatchExpr(terms)
	},
}

// MatchExpr writes terms as an FTS5 query: every word quoted (so nothing
// in it is FTS5 syntax), phrases as quoted word sequences, prefixes with
// *, positive terms joined by AND, each excluded term applied with NOT.
func MatchExpr(terms []store.Term) string {
	var pos, neg []string
	for _, t := range terms {
		s := `"` + strings.ReplaceAll(strings.Join(t.Words, " "), `"`, `""`) + `"`
		if t.Prefix {
			s += "*"
		}
		if t.Not {
			neg = append(neg, s)
		} else {
			pos = append(pos, s)
		}
	}
	expr := "(" + strings.Join(pos, " AND ") + ")"
	for _, n := range neg {
		expr = "(" + expr + " NOT " + n + ")"
	}
	return expr
}

var migrations = []sqlstore.Migration{
	{Statements: []string{
		`CREATE TABLE assets (
			pk INTEGER PRIMARY KEY,
			source TEXT NOT NULL, id TEXT NOT NULL, publisher TEXT NOT NULL, version TEXT NOT NULL,
			origin TEXT NOT NULL, protocol TEXT NOT NULL, key_id TEXT NOT NULL, digest TEXT NOT NULL,
			fetched INTEGER NOT NULL, doc BLOB, downloads TEXT NOT NULL,
			datestamp INTEGER NOT NULL, stamp INTEGER NOT NULL, seq INTEGER NOT NULL, deleted INTEGER NOT NULL,
			kind TEXT NOT NULL, level TEXT NOT NULL, license TEXT NOT NULL, license_key TEXT NOT NULL,
			duration INTEGER NOT NULL, modified TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
			title_sort TEXT NOT NULL,
			UNIQUE (source, id))`,
		`CREATE UNIQUE INDEX assets_seq ON assets (seq)`,
		`CREATE INDEX assets_datestamp ON assets (datestamp)`,
		`CREATE INDEX assets_stamp ON assets (stamp, id)`,
		`CREATE INDEX assets_title ON assets (deleted, title_sort)`,
		`CREATE VIRTUAL TABLE assets_fts USING fts5 (title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
		`CREATE TABLE asset_langs (pk INTEGER NOT NULL, lang TEXT NOT NULL)`,
		`CREATE INDEX asset_langs_pk ON asset_langs (pk)`,
		`CREATE INDEX asset_langs_lang ON asset_langs (lang, pk)`,
		`CREATE TABLE asset_nodes (pk INTEGER NOT NULL, framework TEXT NOT NULL, code TEXT NOT NULL, direct INTEGER NOT NULL, covers INTEGER NOT NULL)`,
		`CREATE INDEX asset_nodes_pk ON asset_nodes (pk)`,
		`CREATE INDEX asset_nodes_node ON asset_nodes (framework, code, pk)`,
		`CREATE TABLE asset_ids (pk INTEGER NOT NULL, id TEXT NOT NULL, pointer TEXT NOT NULL)`,
		`CREATE INDEX asset_ids_pk ON asset_ids (pk)`,
		`CREATE INDEX asset_ids_id ON asset_ids (id)`,
		`CREATE TABLE asset_relations (pk INTEGER NOT NULL, from_id TEXT NOT NULL, pointer TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL)`,
		`CREATE INDEX asset_relations_pk ON asset_relations (pk)`,
		`CREATE INDEX asset_relations_target ON asset_relations (target)`,
		`CREATE TABLE asset_overlaps (a_pk INTEGER NOT NULL, a_pointer TEXT NOT NULL, a_id TEXT NOT NULL, b_pk INTEGER NOT NULL, b_pointer TEXT NOT NULL, b_id TEXT NOT NULL,
			score REAL NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY (a_pk, a_pointer, b_pk, b_pointer))`,
		`CREATE INDEX overlaps_b ON asset_overlaps (b_pk)`,
		`CREATE INDEX overlaps_score ON asset_overlaps (score)`,
		`CREATE TABLE trust (source TEXT NOT NULL, key_id TEXT NOT NULL, public_key TEXT NOT NULL, note TEXT NOT NULL, added INTEGER NOT NULL, PRIMARY KEY (source, key_id))`,
		`CREATE TABLE harvest_state (source TEXT NOT NULL, url TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL, token TEXT NOT NULL,
			from_date TEXT NOT NULL, last_run INTEGER NOT NULL, last_error TEXT NOT NULL, PRIMARY KEY (source, url))`,
	}},
	{
		// Version 2: overlap candidates by shared title words and nodes.
		Statements: []string{
			`CREATE TABLE asset_terms (pk INTEGER NOT NULL, term TEXT NOT NULL)`,
			`CREATE INDEX asset_terms_pk ON asset_terms (pk)`,
			`CREATE INDEX asset_terms_term ON asset_terms (term, pk)`,
			`CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL)`,
		},
		Go: sqlstore.BackfillTerms,
	},
}
