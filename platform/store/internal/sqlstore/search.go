package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/metaacademy/ota/platform/store"
)

// Search implements store.Store.
func (s *Store) Search(ctx context.Context, q store.Query) (*store.Results, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	from := `assets a`
	where := []string{`a.deleted = 0`}
	var args []any
	rank := ""
	if len(q.Terms) > 0 {
		join, cond, r, arg := s.d.Match(q.Terms)
		from += " " + join
		where = append(where, cond)
		args = append(args, arg)
		rank = r
	}
	f := q.Filters
	if f.Language != "" {
		where, args = append(where, `EXISTS (SELECT 1 FROM asset_langs l WHERE l.pk = a.pk AND l.lang = ?)`), append(args, f.Language)
	}
	if f.Framework != "" {
		if f.Node != "" {
			where, args = append(where, `EXISTS (SELECT 1 FROM asset_nodes n WHERE n.pk = a.pk AND n.framework = ? AND n.code = ?)`), append(args, f.Framework, f.Node)
		} else {
			where, args = append(where, `EXISTS (SELECT 1 FROM asset_nodes n WHERE n.pk = a.pk AND n.framework = ?)`), append(args, f.Framework)
		}
	}
	for _, eq := range []struct{ col, v string }{{"a.license_key", f.License}, {"a.level", f.Level}, {"a.kind", f.Kind}, {"a.source", f.Source}} {
		if eq.v != "" {
			where, args = append(where, eq.col+` = ?`), append(args, eq.v)
		}
	}
	if f.MinDuration > 0 {
		where, args = append(where, `a.duration >= ?`), append(args, int64(f.MinDuration/time.Second))
	}
	if f.MaxDuration > 0 {
		where, args = append(where, `a.duration > 0 AND a.duration <= ?`), append(args, int64(f.MaxDuration/time.Second))
	}
	cond := strings.Join(where, " AND ")

	res := &store.Results{Hits: []store.Hit{}}
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+from+` WHERE `+cond), args...).Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("store %s: search: %w", s.d.Name, err)
	}
	order := `a.title_sort, a.source, a.id`
	switch {
	case q.Sort == store.SortModified:
		order = `a.modified DESC, a.source, a.id`
	case q.Sort == store.SortRelevance && rank != "":
		order = rank + `, a.title_sort, a.source, a.id`
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.pk, a.source, a.id, a.publisher, a.version, a.kind, a.level, a.license, a.modified, a.duration, a.title, a.description
		FROM `+from+` WHERE `+cond+` ORDER BY `+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, q.Limit, q.Offset)), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: search: %w", s.d.Name, err)
	}
	var pks []int64
	for rows.Next() {
		var h store.Hit
		var pk, dur int64
		var title, desc string
		if err := rows.Scan(&pk, &h.Source, &h.ID, &h.Publisher, &h.Version, &h.Kind, &h.Level, &h.License, &h.Modified, &dur, &title, &desc); err != nil {
			rows.Close()
			return nil, err
		}
		h.Duration = time.Duration(dur) * time.Second
		if h.Publisher == "" {
			h.Publisher = h.Source
		}
		_ = json.Unmarshal([]byte(title), &h.Title)
		_ = json.Unmarshal([]byte(desc), &h.Description)
		res.Hits = append(res.Hits, h)
		pks = append(pks, pk)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, pk := range pks {
		langs, err := s.strings(ctx, `SELECT lang FROM asset_langs WHERE pk = ? ORDER BY lang`, pk)
		if err != nil {
			return nil, err
		}
		res.Hits[i].Languages = langs
	}
	if q.Facets {
		sub := `SELECT a.pk FROM ` + from + ` WHERE ` + cond
		fc := &store.Facets{}
		for _, f := range []struct {
			dst   *[]store.FacetValue
			query string
		}{
			{&fc.Languages, `SELECT lang, COUNT(*) FROM asset_langs WHERE pk IN (` + sub + `) GROUP BY lang`},
			{&fc.Licenses, `SELECT license, COUNT(*) FROM assets WHERE license <> '' AND pk IN (` + sub + `) GROUP BY license`},
			{&fc.Levels, `SELECT level, COUNT(*) FROM assets WHERE level <> '' AND pk IN (` + sub + `) GROUP BY level`},
			{&fc.Kinds, `SELECT kind, COUNT(*) FROM assets WHERE kind <> '' AND pk IN (` + sub + `) GROUP BY kind`},
			{&fc.Sources, `SELECT source, COUNT(*) FROM assets WHERE pk IN (` + sub + `) GROUP BY source`},
			{&fc.Frameworks, `SELECT framework, COUNT(DISTINCT pk) FROM asset_nodes WHERE pk IN (` + sub + `) GROUP BY framework`},
		} {
			vals, err := s.facet(ctx, f.query+` ORDER BY 2 DESC, 1 LIMIT `+fmt.Sprint(store.MaxFacetValues), args)
			if err != nil {
				return nil, fmt.Errorf("store %s: facets: %w", s.d.Name, err)
			}
			*f.dst = vals
		}
		res.Facets = fc
	}
	return res, nil
}

func (s *Store) facet(ctx context.Context, query string, args []any) ([]store.FacetValue, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.FacetValue{}
	for rows.Next() {
		var v store.FacetValue
		if err := rows.Scan(&v.Value, &v.Count); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
