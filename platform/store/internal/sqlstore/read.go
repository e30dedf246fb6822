package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/metaacademy/ota/platform/store"
)

const recordColumns = `source, id, publisher, version, origin, protocol, key_id, digest, fetched, downloads, datestamp, seq, deleted`

// scanRecord scans recordColumns, plus doc when withDoc.
func scanRecord(row interface{ Scan(...any) error }, withDoc bool) (store.Record, error) {
	var (
		r                  store.Record
		fetched, datestamp int64
		downloads          string
		deleted            int
		doc                []byte
	)
	dst := []any{&r.Source, &r.ID, &r.Publisher, &r.Version, &r.Origin, &r.Protocol, &r.KeyID, &r.Digest, &fetched, &downloads, &datestamp, &r.Seq, &deleted}
	if withDoc {
		dst = append(dst, &doc)
	}
	if err := row.Scan(dst...); err != nil {
		return r, err
	}
	r.Fetched, r.Datestamp, r.Deleted = fromMicros(fetched), fromMicros(datestamp), deleted == 1
	if len(doc) > 0 {
		r.Doc = doc
	}
	if downloads != "" && downloads != "{}" {
		if err := json.Unmarshal([]byte(downloads), &r.Downloads); err != nil {
			return r, fmt.Errorf("record %s: downloads: %w", r.Key(), err)
		}
	}
	return r, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, k store.Key) (store.Record, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+recordColumns+`, doc FROM assets WHERE source = ? AND id = ?`), k.Source, k.ID)
	r, err := scanRecord(row, true)
	if err != nil {
		return store.Record{}, notFound(err, k.String())
	}
	return r, nil
}

// FindID implements store.Store.
func (s *Store) FindID(ctx context.Context, id string) ([]store.Record, error) {
	return s.records(ctx, true, `SELECT `+prefixed("a.", recordColumns)+`, a.doc FROM asset_ids i JOIN assets a ON a.pk = i.pk
		WHERE i.id = ? AND a.deleted = 0 ORDER BY a.source, a.id`, id)
}

func (s *Store) records(ctx context.Context, withDoc bool, query string, args ...any) ([]store.Record, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		r, err := scanRecord(rows, withDoc)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// prefixed qualifies each column of a comma-separated list.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// Keys implements store.Store. It pages through the keys 1000 at a time,
// so that a hub of any size is walked in bounded memory.
func (s *Store) Keys(ctx context.Context, source string) iter.Seq2[store.Key, error] {
	return func(yield func(store.Key, error) bool) {
		var last store.Key
		first := true
		for {
			where := `deleted = 0`
			var args []any
			if source != "" {
				where += ` AND source = ?`
				args = append(args, source)
			}
			if !first {
				where += ` AND (source > ? OR (source = ? AND id > ?))`
				args = append(args, last.Source, last.Source, last.ID)
			}
			rows, err := s.db.QueryContext(ctx, s.q(`SELECT source, id FROM assets WHERE `+where+` ORDER BY source, id LIMIT 1000`), args...)
			if err != nil {
				yield(store.Key{}, err)
				return
			}
			var page []store.Key
			for rows.Next() {
				var k store.Key
				if err := rows.Scan(&k.Source, &k.ID); err != nil {
					rows.Close()
					yield(store.Key{}, err)
					return
				}
				page = append(page, k)
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				yield(store.Key{}, err)
				return
			}
			for _, k := range page {
				if !yield(k, nil) {
					return
				}
			}
			if len(page) < 1000 {
				return
			}
			last, first = page[len(page)-1], false
		}
	}
}

// Changes implements store.Store.
func (s *Store) Changes(ctx context.Context, q store.ChangesQuery) ([]store.Record, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	where := []string{`seq > ?`}
	args := []any{q.AfterSeq}
	order := `seq`
	if q.ByStamp {
		where, args, order = where[:0], args[:0], `stamp, id, source`
		if !q.AfterStamp.IsZero() {
			s := q.AfterStamp.Unix()
			where, args = append(where, `(stamp > ? OR (stamp = ? AND id > ?))`), append(args, s, s, q.AfterID)
		}
	}
	if !q.From.IsZero() {
		where, args = append(where, `datestamp >= ?`), append(args, micros(q.From))
	}
	if !q.Until.IsZero() {
		where, args = append(where, `datestamp <= ?`), append(args, micros(q.Until))
	}
	if q.Source != "" {
		where, args = append(where, `source = ?`), append(args, q.Source)
	}
	if !q.Deleted {
		where = append(where, `deleted = 0`)
	}
	cols := recordColumns
	if q.WithDoc {
		cols += ", doc"
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, " AND ")
	}
	return s.records(ctx, q.WithDoc, `SELECT `+cols+` FROM assets`+cond+` ORDER BY `+order+` LIMIT `+fmt.Sprint(limit), args...)
}

// Publishers implements store.Store.
func (s *Store) Publishers(ctx context.Context) ([]store.Publisher, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, SUM(1 - deleted), MAX(fetched) FROM assets GROUP BY source ORDER BY source`)
	if err != nil {
		return nil, err
	}
	var out []store.Publisher
	for rows.Next() {
		var p store.Publisher
		var fetched sql.NullInt64
		if err := rows.Scan(&p.Source, &p.Assets, &fetched); err != nil {
			rows.Close()
			return nil, err
		}
		p.LastFetched = fromMicros(fetched.Int64)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		var name string
		err := s.db.QueryRowContext(ctx, s.q(`SELECT publisher FROM assets WHERE source = ? AND deleted = 0 AND publisher <> '' ORDER BY seq DESC LIMIT 1`), out[i].Source).Scan(&name)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		out[i].Name = name
		if name == "" {
			out[i].Name = out[i].Source
		}
	}
	return out, nil
}

func sortStrings(s []string) { slices.Sort(s) }
