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
	// maxTotal, when set (by tests), replaces store.MaxTotal.
	maxTotal int
}

// Open opens (creating it when absent) the hub database in the file at
// path and migrates it to the newest schema.
func Open(ctx context.Context, path string, opts Options) (store.Store, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: sqlite: no database file given", store.ErrInvalid)
	}
	q := url.Values{}
	// A page cache of 16 MiB a connection (SQLite's default is 2 MiB): the
	// indexes a harvest and a search walk stay in memory on a large hub.
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "cache_size(-16384)"} {
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
	s, err := sqlstore.Open(ctx, db, dialect, sqlstore.Options{Registry: opts.Registry, Version: opts.schemaVersion, MaxTotal: opts.maxTotal})
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
	// FTS5 lists its matches in rowid order, either way, for nothing.
	Newest: `assets_fts.rowid DESC`,
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

var migrations = sqlstore.Migrations(sqlstore.Types{
	Serial: "INTEGER PRIMARY KEY", Int: "INTEGER", Blob: "BLOB", Float: "REAL", SortText: "TEXT",
	TextIndex: []string{`CREATE VIRTUAL TABLE assets_fts USING fts5 (title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`},
})
