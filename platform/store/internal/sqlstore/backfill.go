package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

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
