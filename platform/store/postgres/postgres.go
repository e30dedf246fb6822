// Package postgres is the store of an OTA hub that outgrows one machine:
// platform/store.Store on PostgreSQL through github.com/jackc/pgx/v5, with
// a tsvector column (the 'simple' configuration over text the store has
// already folded) and a GIN index for full-text search in every language.
//
// It is the same implementation as the SQLite store with another SQL
// dialect, and passes the same conformance suite (platform/store/storetest).
// Create the database with UTF-8 encoding; the C locale keeps title order
// the same as SQLite's.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/internal/sqlstore"
)

// Options configure [Open].
type Options struct {
	// Registry resolves alignments for coverage; nil means mapping.Default().
	Registry *mapping.Registry
	// MaxConns bounds the connections to the server; 0 means 8.
	MaxConns int
	// schemaVersion, when set (by tests), migrates only this far.
	schemaVersion int
}

// Open connects to the database at url ("postgres://user@host:5432/db")
// and migrates it to the newest schema.
func Open(ctx context.Context, url string, opts Options) (store.Store, error) {
	if url == "" {
		return nil, fmt.Errorf("%w: postgres: no database URL given", store.ErrInvalid)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 8
	}
	db.SetMaxOpenConns(n)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s, err := sqlstore.Open(ctx, db, dialect, sqlstore.Options{Registry: opts.Registry, Version: opts.schemaVersion})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

var _ = stdlib.GetDefaultDriver // the database/sql driver "pgx"

// placeholders turns each ? into $1, $2, … (the store's SQL holds no ? in
// literals).
func placeholders(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

var dialect = &sqlstore.Dialect{
	Name:         "postgres",
	Placeholders: placeholders,
	Migrations:   migrations,
	// One writer at a time, so that Seq order is commit order and an
	// OAI-PMH harvester paging by Seq or datestamp misses nothing.
	LockWrites: `SELECT pg_advisory_xact_lock(7434001)`,
	Aggregate:  "string_agg(DISTINCT %s, ',')",
	IndexText: func(ctx context.Context, tx *sql.Tx, pk int64, title, body string) error {
		_, err := tx.ExecContext(ctx, `UPDATE assets SET tsv = setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B') WHERE pk = $3`, title, body, pk)
		return err
	},
	RemoveText: func(ctx context.Context, tx *sql.Tx, pk int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE assets SET tsv = NULL WHERE pk = $1`, pk)
		return err
	},
	Match: func(terms []store.Term) (string, string, string, any) {
		return `CROSS JOIN to_tsquery('simple', ?) AS tq`, `a.tsv @@ tq`, `-ts_rank(a.tsv, tq, 0)`, TSQuery(terms)
	},
}

// TSQuery writes terms as a tsquery: each word quoted as a lexeme,
// phrases joined with <->, prefixes marked :*, positive terms joined by &
// and excluded ones negated.
func TSQuery(terms []store.Term) string {
	var parts []string
	for _, t := range terms {
		words := make([]string, len(t.Words))
		for i, w := range t.Words {
			words[i] = "'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(w) + "'"
		}
		if t.Prefix {
			words[len(words)-1] += ":*"
		}
		s := strings.Join(words, " <-> ")
		if len(words) > 1 {
			s = "(" + s + ")"
		}
		if t.Not {
			s = "!" + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " & ")
}

var migrations = []sqlstore.Migration{
	{Statements: []string{
		`CREATE TABLE assets (
			pk BIGSERIAL PRIMARY KEY,
			source TEXT NOT NULL, id TEXT NOT NULL, publisher TEXT NOT NULL, version TEXT NOT NULL,
			origin TEXT NOT NULL, protocol TEXT NOT NULL, key_id TEXT NOT NULL, digest TEXT NOT NULL,
			fetched BIGINT NOT NULL, doc BYTEA, downloads TEXT NOT NULL,
			datestamp BIGINT NOT NULL, stamp BIGINT NOT NULL, seq BIGINT NOT NULL, deleted INTEGER NOT NULL,
			kind TEXT NOT NULL, level TEXT NOT NULL, license TEXT NOT NULL, license_key TEXT NOT NULL,
			duration BIGINT NOT NULL, modified TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
			title_sort TEXT COLLATE "C" NOT NULL, tsv tsvector,
			UNIQUE (source, id))`,
		`CREATE UNIQUE INDEX assets_seq ON assets (seq)`,
		`CREATE INDEX assets_datestamp ON assets (datestamp)`,
		`CREATE INDEX assets_stamp ON assets (stamp, id)`,
		`CREATE INDEX assets_title ON assets (deleted, title_sort)`,
		`CREATE INDEX assets_tsv ON assets USING GIN (tsv)`,
		`CREATE TABLE asset_langs (pk BIGINT NOT NULL, lang TEXT NOT NULL)`,
		`CREATE INDEX asset_langs_pk ON asset_langs (pk)`,
		`CREATE INDEX asset_langs_lang ON asset_langs (lang, pk)`,
		`CREATE TABLE asset_nodes (pk BIGINT NOT NULL, framework TEXT NOT NULL, code TEXT NOT NULL, direct INTEGER NOT NULL, covers INTEGER NOT NULL)`,
		`CREATE INDEX asset_nodes_pk ON asset_nodes (pk)`,
		`CREATE INDEX asset_nodes_node ON asset_nodes (framework, code, pk)`,
		`CREATE TABLE asset_ids (pk BIGINT NOT NULL, id TEXT NOT NULL, pointer TEXT NOT NULL)`,
		`CREATE INDEX asset_ids_pk ON asset_ids (pk)`,
		`CREATE INDEX asset_ids_id ON asset_ids (id)`,
		`CREATE TABLE asset_relations (pk BIGINT NOT NULL, from_id TEXT NOT NULL, pointer TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL)`,
		`CREATE INDEX asset_relations_pk ON asset_relations (pk)`,
		`CREATE INDEX asset_relations_target ON asset_relations (target)`,
		`CREATE TABLE asset_overlaps (a_pk BIGINT NOT NULL, a_pointer TEXT NOT NULL, a_id TEXT NOT NULL, b_pk BIGINT NOT NULL, b_pointer TEXT NOT NULL, b_id TEXT NOT NULL,
			score DOUBLE PRECISION NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY (a_pk, a_pointer, b_pk, b_pointer))`,
		`CREATE INDEX overlaps_b ON asset_overlaps (b_pk)`,
		`CREATE INDEX overlaps_score ON asset_overlaps (score)`,
		`CREATE TABLE trust (source TEXT NOT NULL, key_id TEXT NOT NULL, public_key TEXT NOT NULL, note TEXT NOT NULL, added BIGINT NOT NULL, PRIMARY KEY (source, key_id))`,
		`CREATE TABLE harvest_state (source TEXT NOT NULL, url TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL, token TEXT NOT NULL,
			from_date TEXT NOT NULL, last_run BIGINT NOT NULL, last_error TEXT NOT NULL, PRIMARY KEY (source, url))`,
	}},
	{
		// Version 2: overlap candidates by shared title words and nodes.
		Statements: []string{
			`CREATE TABLE asset_terms (pk BIGINT NOT NULL, term TEXT NOT NULL)`,
			`CREATE INDEX asset_terms_pk ON asset_terms (pk)`,
			`CREATE INDEX asset_terms_term ON asset_terms (term, pk)`,
			`CREATE TABLE term_df (term TEXT PRIMARY KEY, df BIGINT NOT NULL)`,
		},
		Go: sqlstore.BackfillTerms,
	},
}
