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
	// maxTotal, when set (by tests), replaces store.MaxTotal.
	maxTotal int
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
	s, err := sqlstore.Open(ctx, db, dialect, sqlstore.Options{Registry: opts.Registry, Version: opts.schemaVersion, MaxTotal: opts.maxTotal})
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
	SearchTextColumn: "tsv",
	SearchText:       `setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B')`,
	Newest:           `a.pk DESC`,
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

var migrations = sqlstore.Migrations(sqlstore.Types{
	Serial: "BIGSERIAL PRIMARY KEY", Int: "BIGINT", Blob: "BYTEA", Float: "DOUBLE PRECISION", SortText: `TEXT COLLATE "C"`,
	TextColumn: "tsv tsvector",
	TextIndex:  []string{`CREATE INDEX assets_tsv ON assets USING GIN (tsv)`},
	// From version 3 the text is in the search table.
	SearchTextColumn: "tsv tsvector",
	SearchTextIndex: []string{
		`UPDATE asset_search s SET tsv = a.tsv FROM assets a WHERE a.pk = s.pk`,
		`CREATE INDEX asset_search_tsv ON asset_search USING GIN (tsv)`,
		`DROP INDEX assets_tsv`,
		`ALTER TABLE assets DROP COLUMN tsv`,
	},
})
