package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/metaacademy/ota/platform/store"
)

// RelatedMaxDF is how many records at most may share a term for it to
// find overlap candidates: a word or node held by more says little and
// would make the work grow with the square of the hub (as
// catalogue.OverlapOptions.MaxBlock does in memory).
const RelatedMaxDF = 200

// Coverage implements store.Store.
func (s *Store) Coverage(ctx context.Context, framework string) ([]store.NodeCount, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT n.code, COUNT(*), COUNT(DISTINCT a.source), `+fmt.Sprintf(s.d.Aggregate, "a.source")+`
		FROM asset_nodes n JOIN assets a ON a.pk = n.pk WHERE n.framework = ? AND n.covers = 1 AND a.deleted = 0 GROUP BY n.code ORDER BY n.code`), framework)
	if err != nil {
		return nil, fmt.Errorf("store %s: coverage: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []store.NodeCount
	for rows.Next() {
		var n store.NodeCount
		var names string
		if err := rows.Scan(&n.Code, &n.Assets, &n.Sources, &names); err != nil {
			return nil, err
		}
		n.SourceNames = splitList(names)
		out = append(out, n)
	}
	return out, rows.Err()
}

func (s *Store) pk(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, k store.Key) (int64, error) {
	var pk int64
	err := q.QueryRowContext(ctx, s.q(`SELECT pk FROM assets WHERE source = ? AND id = ? AND deleted = 0`), k.Source, k.ID).Scan(&pk)
	return pk, notFound(err, k.String())
}

// Related implements store.Store.
func (s *Store) Related(ctx context.Context, k store.Key, limit int) ([]store.Key, error) {
	if s.version < 2 {
		return nil, fmt.Errorf("%w: overlap candidates need schema version 2", store.ErrSchema)
	}
	pk, err := s.pk(ctx, s.db, k)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	// The candidates' keys come from the narrow search table (version 3,
	// live records only) rather than from the records themselves.
	join := `JOIN assets b ON b.pk = m.pk AND b.deleted = 0 AND b.source <> ?`
	if s.version >= 3 {
		join = `JOIN asset_search b ON b.pk = m.pk AND b.source <> ?`
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT b.source, b.id FROM (
			SELECT t2.pk AS pk, COUNT(*) AS c FROM asset_terms t1
			JOIN term_df d ON d.term = t1.term AND d.df <= ?
			JOIN asset_terms t2 ON t2.term = t1.term AND t2.pk <> t1.pk
			WHERE t1.pk = ? GROUP BY t2.pk) m
		`+join+`
		ORDER BY m.c DESC, b.source, b.id LIMIT ?`), RelatedMaxDF, pk, k.Source, limit)
	if err != nil {
		return nil, fmt.Errorf("store %s: related: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []store.Key
	for rows.Next() {
		var r store.Key
		if err := rows.Scan(&r.Source, &r.ID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutOverlaps implements store.Store.
func (s *Store) PutOverlaps(ctx context.Context, k store.Key, os []store.Overlap) error {
	for _, o := range os {
		if o.A != k && o.B != k {
			return fmt.Errorf("%w: overlap %s ~ %s does not involve %s", store.ErrInvalid, o.A, o.B, k)
		}
		if o.A.Source == o.B.Source {
			return fmt.Errorf("%w: overlap %s ~ %s is within one source", store.ErrInvalid, o.A, o.B)
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		pk, err := s.pk(ctx, tx, k)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM asset_overlaps WHERE a_pk = ? OR b_pk = ?`), pk, pk); err != nil {
			return err
		}
		for _, o := range os {
			if keyLess(o.B, o.A) || (o.A == o.B && o.BPointer < o.APointer) {
				o.A, o.B, o.APointer, o.BPointer, o.AID, o.BID = o.B, o.A, o.BPointer, o.APointer, o.BID, o.AID
			}
			apk, err := s.pk(ctx, tx, o.A)
			if err != nil {
				return err
			}
			bpk, err := s.pk(ctx, tx, o.B)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO asset_overlaps (a_pk, a_pointer, a_id, b_pk, b_pointer, b_id, score, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (a_pk, a_pointer, b_pk, b_pointer) DO UPDATE SET score = excluded.score, evidence = excluded.evidence`),
				apk, o.APointer, o.AID, bpk, o.BPointer, o.BID, o.Score, string(o.Evidence)); err != nil {
				return err
			}
		}
		return nil
	})
}

func keyLess(a, b store.Key) bool {
	return a.Source < b.Source || (a.Source == b.Source && a.ID < b.ID)
}

// Overlaps implements store.Store.
func (s *Store) Overlaps(ctx context.Context, q store.OverlapQuery) ([]store.Overlap, int, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	var where []string
	var args []any
	if q.Key != nil {
		where, args = append(where, `((a.source = ? AND a.id = ?) OR (b.source = ? AND b.id = ?))`), append(args, q.Key.Source, q.Key.ID, q.Key.Source, q.Key.ID)
	}
	if q.Source != "" {
		where, args = append(where, `(a.source = ? OR b.source = ?)`), append(args, q.Source, q.Source)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	from := ` FROM asset_overlaps o JOIN assets a ON a.pk = o.a_pk JOIN assets b ON b.pk = o.b_pk` + cond
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*)`+from), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store %s: overlaps: %w", s.d.Name, err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.source, a.id, o.a_pointer, o.a_id, b.source, b.id, o.b_pointer, o.b_id, o.score, o.evidence`+from+
		` ORDER BY o.score DESC, a.source, a.id, o.a_pointer, b.source, b.id, o.b_pointer`+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(q.Offset, 0))), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store %s: overlaps: %w", s.d.Name, err)
	}
	defer rows.Close()
	out := []store.Overlap{}
	for rows.Next() {
		var o store.Overlap
		var ev string
		if err := rows.Scan(&o.A.Source, &o.A.ID, &o.APointer, &o.AID, &o.B.Source, &o.B.ID, &o.BPointer, &o.BID, &o.Score, &ev); err != nil {
			return nil, 0, err
		}
		o.Evidence = []byte(ev)
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// Derivations implements store.Store.
func (s *Store) Derivations(ctx context.Context, offset, limit int) ([]store.Derivation, int, error) {
	if limit <= 0 {
		limit = 50
	}
	from := ` FROM asset_relations r JOIN assets a ON a.pk = r.pk JOIN asset_ids i ON i.id = r.target JOIN assets t ON t.pk = i.pk
		WHERE t.source <> a.source AND a.deleted = 0 AND t.deleted = 0`
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store %s: derivations: %w", s.d.Name, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.source, a.id, r.from_id, r.type, t.source, t.id, r.target`+from+
		` ORDER BY a.source, a.id, r.from_id, r.type, t.source, t.id`+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(offset, 0)))
	if err != nil {
		return nil, 0, fmt.Errorf("store %s: derivations: %w", s.d.Name, err)
	}
	defer rows.Close()
	out := []store.Derivation{}
	for rows.Next() {
		var d store.Derivation
		if err := rows.Scan(&d.From.Source, &d.From.ID, &d.FromID, &d.Type, &d.To.Source, &d.To.ID, &d.ToID); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// DerivedFrom implements store.Store.
func (s *Store) DerivedFrom(ctx context.Context, id string) ([]store.Key, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT a.source, a.id FROM asset_relations r JOIN assets a ON a.pk = r.pk
		WHERE r.target = ? AND a.deleted = 0 ORDER BY a.source, a.id`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Key
	for rows.Next() {
		var k store.Key
		if err := rows.Scan(&k.Source, &k.ID); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
