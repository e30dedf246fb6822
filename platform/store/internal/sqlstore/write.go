package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/metaacademy/ota/platform/store"
)

// assetColumns are the columns Put writes, in order.
const assetColumns = `source, id, publisher, version, origin, protocol, key_id, digest, fetched, doc, downloads, datestamp, stamp, seq, deleted,
	kind, level, license, license_key, duration, modified, title, description, title_sort`

// Put implements store.Store.
func (s *Store) Put(ctx context.Context, r store.Record) (bool, error) {
	p, err := store.Prepare(&r, s.reg)
	if err != nil {
		return false, err
	}
	downloads := []byte("{}")
	if len(r.Downloads) > 0 {
		if downloads, err = json.Marshal(r.Downloads); err != nil {
			return false, err
		}
	}
	changed := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		var (
			pk                                     int64
			oldDoc                                 []byte
			oldVersion, oldDigest, oldKey, oldDown string
			oldDeleted                             int
		)
		err := tx.QueryRowContext(ctx, s.q(`SELECT pk, doc, version, digest, key_id, downloads, deleted FROM assets WHERE source = ? AND id = ?`), r.Source, r.ID).
			Scan(&pk, &oldDoc, &oldVersion, &oldDigest, &oldKey, &oldDown, &oldDeleted)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if exists && oldDeleted == 0 && bytes.Equal(oldDoc, r.Doc) && oldVersion == r.Version && oldDigest == r.Digest &&
			oldKey == r.KeyID && sameDownloads(oldDown, r.Downloads) {
			_, err := tx.ExecContext(ctx, s.q(`UPDATE assets SET fetched = ?, origin = ?, protocol = ?, publisher = ? WHERE pk = ?`),
				micros(r.Fetched), r.Origin, r.Protocol, r.Publisher, pk)
			return err
		}
		changed = true
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		stamp := micros(s.now())
		args := []any{r.Source, r.ID, r.Publisher, r.Version, r.Origin, r.Protocol, r.KeyID, r.Digest, micros(r.Fetched), r.Doc, string(downloads), stamp, stamp / 1e6, seq, 0,
			p.Kind, p.Level, p.License, p.LicenseKey, p.DurationSeconds, p.Modified, string(p.Title), string(p.Description), sortKey(p.TitleText)}
		if exists {
			if err := s.removeIndexes(ctx, tx, pk, oldDeleted == 0); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, s.q(`UPDATE assets SET (`+assetColumns+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE pk = ?`), append(args, pk)...)
		} else {
			err = tx.QueryRowContext(ctx, s.q(`INSERT INTO assets (`+assetColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`), args...).Scan(&pk)
		}
		if err != nil {
			return err
		}
		return s.addIndexes(ctx, tx, pk, r.Key(), p)
	})
	if err != nil {
		return false, fmt.Errorf("store %s: put %s: %w", s.d.Name, r.Key(), err)
	}
	return changed, nil
}

func sameDownloads(stored string, d map[string]string) bool {
	var old map[string]string
	if json.Unmarshal([]byte(stored), &old) != nil {
		return false
	}
	return maps.Equal(old, d)
}

// sortKey is the folded title cut to a length fit for an index.
func sortKey(title string) string {
	if len(title) > 200 {
		title = title[:200]
		for len(title) > 0 && title[len(title)-1] >= 0x80 {
			title = title[:len(title)-1]
		}
	}
	return title
}

func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) FROM assets`).Scan(&seq); err != nil {
		return 0, err
	}
	return seq.Int64 + 1, nil
}

// addIndexes writes the derived rows of a live record, one statement per
// table.
func (s *Store) addIndexes(ctx context.Context, tx *sql.Tx, pk int64, k store.Key, p *store.Prepared) error {
	if s.version >= 3 {
		if err := s.addSearchRow(ctx, tx, pk, k, p); err != nil {
			return err
		}
	}
	if s.version < 3 || s.d.SearchText == "" {
		if err := s.d.IndexText(ctx, tx, pk, p.TitleText, p.BodyText); err != nil {
			return err
		}
	}
	var langs, nodes, ids, rels [][]any
	for _, l := range p.Languages {
		langs = append(langs, []any{pk, l})
	}
	for _, n := range p.Nodes {
		nodes = append(nodes, []any{pk, n.Framework, n.Code, boolInt(n.Direct), boolInt(n.Covers)})
	}
	seen := map[string]bool{}
	for _, id := range p.IDs {
		if id.ID == "" || seen[id.ID] {
			continue
		}
		seen[id.ID] = true
		ids = append(ids, []any{pk, id.ID, id.Pointer})
	}
	for _, r := range p.Relations {
		rels = append(rels, []any{pk, r.FromID, r.Pointer, r.Type, r.Target})
	}
	for _, t := range []struct {
		head string
		rows [][]any
	}{
		{`INSERT INTO asset_langs (pk, lang) VALUES `, langs},
		{`INSERT INTO asset_nodes (pk, framework, code, direct, covers) VALUES `, nodes},
		{`INSERT INTO asset_ids (pk, id, pointer) VALUES `, ids},
		{`INSERT INTO asset_relations (pk, from_id, pointer, type, target) VALUES `, rels},
	} {
		if err := s.insertRows(ctx, tx, t.head, "", t.rows); err != nil {
			return err
		}
	}
	if s.version >= 2 {
		return s.addTerms(ctx, tx, pk, p.Terms)
	}
	return nil
}

// searchColumns are the columns of asset_search but its text.
const searchColumns = `pk, source, id, kind, level, license, license_key, duration, modified, title_sort, langs, frameworks`

// addSearchRow writes the search row of a live record (schema version 3),
// with its text when the dialect keeps it there.
func (s *Store) addSearchRow(ctx context.Context, tx *sql.Tx, pk int64, k store.Key, p *store.Prepared) error {
	var fws []string
	for _, n := range p.Nodes {
		if !slices.Contains(fws, n.Framework) {
			fws = append(fws, n.Framework)
		}
	}
	slices.Sort(fws)
	args := []any{pk, k.Source, k.ID, p.Kind, p.Level, p.License, p.LicenseKey, p.DurationSeconds, p.Modified, sortKey(p.TitleText),
		strings.Join(p.Languages, ","), strings.Join(fws, ",")}
	cols, vals := searchColumns, `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`
	if s.d.SearchText != "" {
		cols += ", " + s.d.SearchTextColumn
		vals += ", " + s.d.SearchText
		args = append(args, p.TitleText, p.BodyText)
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO asset_search (`+cols+`) VALUES (`+vals+`)`), args...)
	return err
}

// insertRows inserts rows with multi-row INSERT statements of at most 200
// rows: head ("INSERT INTO t (a, b) VALUES "), the rows, then tail.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, head, tail string, rows [][]any) error {
	for start := 0; start < len(rows); start += 200 {
		chunk := rows[start:min(start+200, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteByte('?')
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		b.WriteString(tail)
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) addTerms(ctx context.Context, tx *sql.Tx, pk int64, terms []string) error {
	var rows, dfs [][]any
	for _, t := range terms {
		rows = append(rows, []any{pk, t})
		dfs = append(dfs, []any{t})
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO asset_terms (pk, term) VALUES `, "", rows); err != nil {
		return err
	}
	// Terms are distinct (Prepare sorts and compacts them), as one
	// statement may touch each conflicting row once only.
	return s.insertRowsDF(ctx, tx, dfs)
}

func (s *Store) insertRowsDF(ctx context.Context, tx *sql.Tx, terms [][]any) error {
	for start := 0; start < len(terms); start += 200 {
		chunk := terms[start:min(start+200, len(terms))]
		var b strings.Builder
		b.WriteString(`INSERT INTO term_df (term, df) VALUES `)
		args := make([]any, 0, len(chunk))
		for i, t := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, 1)")
			args = append(args, t[0])
		}
		b.WriteString(` ON CONFLICT (term) DO UPDATE SET df = term_df.df + 1`)
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// removeIndexes drops the derived rows of record pk, and its overlaps.
func (s *Store) removeIndexes(ctx context.Context, tx *sql.Tx, pk int64, live bool) error {
	if live && (s.version < 3 || s.d.SearchText == "") {
		if err := s.d.RemoveText(ctx, tx, pk); err != nil {
			return err
		}
	}
	if s.version >= 2 {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE term_df SET df = df - 1 WHERE term IN (SELECT term FROM asset_terms WHERE pk = ?)`), pk); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM term_df WHERE df <= 0`); err != nil {
			return err
		}
	}
	tables := []string{"asset_langs", "asset_nodes", "asset_ids", "asset_relations"}
	if s.version >= 2 {
		tables = append(tables, "asset_terms")
	}
	if s.version >= 3 {
		tables = append(tables, "asset_search")
	}
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM `+t+` WHERE pk = ?`), pk); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, s.q(`DELETE FROM asset_overlaps WHERE a_pk = ? OR b_pk = ?`), pk, pk)
	return err
}

// Delete implements store.Store.
func (s *Store) Delete(ctx context.Context, k store.Key, at time.Time) (bool, error) {
	if k.Source == "" || k.ID == "" {
		return false, fmt.Errorf("%w: delete needs a source and an ID (got %q)", store.ErrInvalid, k)
	}
	was := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var pk int64
		var deleted int
		err := tx.QueryRowContext(ctx, s.q(`SELECT pk, deleted FROM assets WHERE source = ? AND id = ?`), k.Source, k.ID).Scan(&pk, &deleted)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && deleted == 1 {
			return nil
		}
		seq, err2 := s.nextSeq(ctx, tx)
		if err2 != nil {
			return err2
		}
		stamp := micros(s.now())
		if errors.Is(err, sql.ErrNoRows) {
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO assets (`+assetColumns+`) VALUES (?, ?, '', '', '', '', '', '', ?, NULL, '{}', ?, ?, ?, 1, '', '', '', '', 0, '', '{}', '{}', '')`),
				k.Source, k.ID, micros(at), stamp, stamp/1e6, seq)
			return err
		}
		was = true
		if err := s.removeIndexes(ctx, tx, pk, true); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE assets SET doc = NULL, deleted = 1, datestamp = ?, stamp = ?, seq = ?, fetched = ? WHERE pk = ?`), stamp, stamp/1e6, seq, micros(at), pk)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store %s: delete %s: %w", s.d.Name, k, err)
	}
	return was, nil
}

// Touch implements store.Store.
func (s *Store) Touch(ctx context.Context, k store.Key, fetched time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE assets SET fetched = ? WHERE source = ? AND id = ? AND deleted = 0`), micros(fetched), k.Source, k.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", store.ErrNotFound, k)
		}
		return nil
	})
}

// Prune implements store.Store.
func (s *Store) Prune(ctx context.Context, source string, before, at time.Time) ([]store.Key, error) {
	var stale []store.Key
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id FROM assets WHERE source = ? AND deleted = 0 AND fetched < ? ORDER BY id`), source, micros(before))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		k := store.Key{Source: source}
		if err := rows.Scan(&k.ID); err != nil {
			rows.Close()
			return nil, err
		}
		stale = append(stale, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range stale {
		if _, err := s.Delete(ctx, k, at); err != nil {
			return nil, err
		}
	}
	return stale, nil
}
