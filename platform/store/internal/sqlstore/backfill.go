package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/metaacademy/ota/platform/store"
)

// BackfillTerms is the Go step of schema version 2: it indexes the
// overlap-candidate terms of every live record already stored, a page at a
// time so that memory stays bounded.
func BackfillTerms(ctx context.Context, s *Store, tx *sql.Tx) error {
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT pk, `+recordColumns+`, doc FROM assets WHERE deleted = 0 AND pk > ? ORDER BY pk LIMIT 500`), after)
		if err != nil {
			return err
		}
		type item struct {
			pk int64
			r  store.Record
		}
		var page []item
		for rows.Next() {
			var it item
			r, err := scanRecord(prefixScanner{rows, &it.pk}, true)
			if err != nil {
				rows.Close()
				return err
			}
			it.r = r
			page = append(page, it)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		for _, it := range page {
			p, err := store.Prepare(&it.r, s.reg)
			if err != nil {
				return fmt.Errorf("record %s: %w", it.r.Key(), err)
			}
			if err := s.addTerms(ctx, tx, it.pk, p.Terms); err != nil {
				return err
			}
		}
		if len(page) < 500 {
			return nil
		}
		after = page[len(page)-1].pk
	}
}

// prefixScanner scans one leading column into pk, then the rest.
type prefixScanner struct {
	rows *sql.Rows
	pk   *int64
}

func (p prefixScanner) Scan(dst ...any) error {
	return p.rows.Scan(append([]any{p.pk}, dst...)...)
}

// BackfillSearch is the Go step of schema version 3: it writes the search
// row of every live record already stored, a page at a time. The text
// column, where the dialect has one, is filled by the statements that
// follow (Types.SearchTextIndex).
func BackfillSearch(ctx context.Context, s *Store, tx *sql.Tx) error {
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT pk, source, id, kind, level, license, license_key, duration, modified, title_sort
			FROM assets WHERE deleted = 0 AND pk > ? ORDER BY pk LIMIT 500`), after)
		if err != nil {
			return err
		}
		var page [][]any
		for rows.Next() {
			var pk, dur int64
			var src, id, kind, level, lic, licKey, mod, title string
			if err := rows.Scan(&pk, &src, &id, &kind, &level, &lic, &licKey, &dur, &mod, &title); err != nil {
				rows.Close()
				return err
			}
			page = append(page, []any{pk, src, id, kind, level, lic, licKey, dur, mod, title, "", ""})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		first, last := page[0][0].(int64), page[len(page)-1][0].(int64)
		langs, err := s.lists(ctx, tx, `SELECT DISTINCT pk, lang FROM asset_langs WHERE pk BETWEEN ? AND ? ORDER BY pk, lang`, first, last)
		if err != nil {
			return err
		}
		fws, err := s.lists(ctx, tx, `SELECT DISTINCT pk, framework FROM asset_nodes WHERE pk BETWEEN ? AND ? ORDER BY pk, framework`, first, last)
		if err != nil {
			return err
		}
		for _, row := range page {
			pk := row[0].(int64)
			row[10], row[11] = strings.Join(langs[pk], ","), strings.Join(fws[pk], ",")
		}
		if err := s.insertRows(ctx, tx, `INSERT INTO asset_search (`+searchColumns+`) VALUES `, "", page); err != nil {
			return err
		}
		if len(page) < 500 {
			return nil
		}
		after = last
	}
}

// lists reads (pk, value) rows into the values of each pk, in row order.
func (s *Store) lists(ctx context.Context, tx *sql.Tx, query string, args ...any) (map[int64][]string, error) {
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var pk int64
		var v string
		if err := rows.Scan(&pk, &v); err != nil {
			return nil, err
		}
		out[pk] = append(out[pk], v)
	}
	return out, rows.Err()
}
