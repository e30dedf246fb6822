package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Types names the column types of a dialect, and its full-text
// statements, for [Migrations].
type Types struct {
	// Serial is the auto-incrementing primary key column ("INTEGER PRIMARY
	// KEY", "BIGSERIAL PRIMARY KEY"); Int a 64-bit integer; Blob bytes;
	// Float a double; SortText a text compared byte by byte.
	Serial, Int, Blob, Float, SortText string
	// TextColumn is an extra column of assets for full-text search ("" for
	// none); TextIndex are the statements that create the full-text index.
	TextColumn string
	TextIndex  []string
	// SearchTextColumn is the full-text column of asset_search from
	// version 3 ("" when the text index is a table of its own);
	// SearchTextIndex are the statements, run after the backfill of
	// version 3, that index it and move the text there.
	SearchTextColumn string
	SearchTextIndex  []string
}

// Migrations returns the schema versions, the same tables in every dialect.
// Version 2 adds the overlap-candidate terms and fills them from the
// stored documents; version 3 adds the search table (asset_search) and
// fills it from the stored records.
func Migrations(t Types) []Migration {
	r := strings.NewReplacer("{serial}", t.Serial, "{int}", t.Int, "{blob}", t.Blob, "{float}", t.Float, "{sorttext}", t.SortText)
	textCol := ""
	if t.TextColumn != "" {
		textCol = " " + t.TextColumn + ","
	}
	v1 := []string{
		`CREATE TABLE assets (
			pk {serial},
			source TEXT NOT NULL, id TEXT NOT NULL, publisher TEXT NOT NULL, version TEXT NOT NULL,
			origin TEXT NOT NULL, protocol TEXT NOT NULL, key_id TEXT NOT NULL, digest TEXT NOT NULL,
			fetched {int} NOT NULL, doc {blob}, downloads TEXT NOT NULL,
			datestamp {int} NOT NULL, stamp {int} NOT NULL, seq {int} NOT NULL, deleted INTEGER NOT NULL,
			kind TEXT NOT NULL, level TEXT NOT NULL, license TEXT NOT NULL, license_key TEXT NOT NULL,
			duration {int} NOT NULL, modified TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
			title_sort {sorttext} NOT NULL,` + textCol + `
			UNIQUE (source, id))`,
		`CREATE UNIQUE INDEX assets_seq ON assets (seq)`,
		`CREATE INDEX assets_datestamp ON assets (datestamp)`,
		`CREATE INDEX assets_stamp ON assets (stamp, id)`,
		`CREATE INDEX assets_title ON assets (deleted, title_sort)`,
	}
	v1 = append(v1, t.TextIndex...)
	v1 = append(v1,
		`CREATE TABLE asset_langs (pk {int} NOT NULL, lang TEXT NOT NULL)`,
		`CREATE INDEX asset_langs_pk ON asset_langs (pk)`,
		`CREATE INDEX asset_langs_lang ON asset_langs (lang, pk)`,
		`CREATE TABLE asset_nodes (pk {int} NOT NULL, framework TEXT NOT NULL, code TEXT NOT NULL, direct INTEGER NOT NULL, covers INTEGER NOT NULL)`,
		`CREATE INDEX asset_nodes_pk ON asset_nodes (pk)`,
		`CREATE INDEX asset_nodes_node ON asset_nodes (framework, code, pk)`,
		`CREATE TABLE asset_ids (pk {int} NOT NULL, id TEXT NOT NULL, pointer TEXT NOT NULL)`,
		`CREATE INDEX asset_ids_pk ON asset_ids (pk)`,
		`CREATE INDEX asset_ids_id ON asset_ids (id)`,
		`CREATE TABLE asset_relations (pk {int} NOT NULL, from_id TEXT NOT NULL, pointer TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL)`,
		`CREATE INDEX asset_relations_pk ON asset_relations (pk)`,
		`CREATE INDEX asset_relations_target ON asset_relations (target)`,
		`CREATE TABLE asset_overlaps (a_pk {int} NOT NULL, a_pointer TEXT NOT NULL, a_id TEXT NOT NULL, b_pk {int} NOT NULL, b_pointer TEXT NOT NULL, b_id TEXT NOT NULL,
			score {float} NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY (a_pk, a_pointer, b_pk, b_pointer))`,
		`CREATE INDEX overlaps_b ON asset_overlaps (b_pk)`,
		`CREATE INDEX overlaps_score ON asset_overlaps (score)`,
		`CREATE TABLE trust (source TEXT NOT NULL, key_id TEXT NOT NULL, public_key TEXT NOT NULL, note TEXT NOT NULL, added {int} NOT NULL, PRIMARY KEY (source, key_id))`,
		`CREATE TABLE harvest_state (source TEXT NOT NULL, url TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL, token TEXT NOT NULL,
			from_date TEXT NOT NULL, last_run {int} NOT NULL, last_error TEXT NOT NULL, PRIMARY KEY (source, url))`,
	)
	v2 := []string{
		`CREATE TABLE asset_terms (pk {int} NOT NULL, term TEXT NOT NULL)`,
		`CREATE INDEX asset_terms_pk ON asset_terms (pk)`,
		`CREATE INDEX asset_terms_term ON asset_terms (term, pk)`,
		`CREATE TABLE term_df (term TEXT PRIMARY KEY, df {int} NOT NULL)`,
	}
	searchText := ""
	if t.SearchTextColumn != "" {
		searchText = ", " + t.SearchTextColumn
	}
	// Version 3: the search table, one narrow row per live record with
	// what search filters, sorts and counts facets on, so that a search
	// reads neither the documents nor the side tables of its matches.
	v3 := []string{
		`CREATE TABLE asset_search (pk {int} PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL,
			kind TEXT NOT NULL, level TEXT NOT NULL, license TEXT NOT NULL, license_key TEXT NOT NULL,
			duration {int} NOT NULL, modified TEXT NOT NULL, title_sort {sorttext} NOT NULL,
			langs TEXT NOT NULL, frameworks TEXT NOT NULL` + searchText + `)`,
		`CREATE INDEX asset_search_title ON asset_search (title_sort, source, id)`,
		`CREATE INDEX asset_search_modified ON asset_search (modified)`,
		`CREATE INDEX asset_search_source ON asset_search (source, title_sort)`,
	}
	for _, v := range [][]string{v1, v2, v3} {
		for i := range v {
			v[i] = r.Replace(v[i])
		}
	}
	after := t.SearchTextIndex
	return []Migration{{Statements: v1}, {Statements: v2, Go: BackfillTerms}, {Statements: v3, Go: func(ctx context.Context, s *Store, tx *sql.Tx) error {
		if err := BackfillSearch(ctx, s, tx); err != nil {
			return err
		}
		for i, stmt := range after {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("statement %d after the backfill: %w", i+1, err)
			}
		}
		return nil
	}}}
}
