package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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
	if q.Facets {
		// The total and every facet from one pass over the matches.
		fc, total, err := s.facets(ctx, from, cond, args)
		if err != nil {
			return nil, fmt.Errorf("store %s: facets: %w", s.d.Name, err)
		}
		res.Facets, res.Total = fc, total
		if total > store.MaxFacetRows {
			// The facets counted a sample; the total is counted apart.
			res.Facets.Partial = true
			if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+from+` WHERE `+cond), args...).Scan(&res.Total); err != nil {
				return nil, fmt.Errorf("store %s: search: %w", s.d.Name, err)
			}
		}
	} else if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+from+` WHERE `+cond), args...).Scan(&res.Total); err != nil {
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
	return res, nil
}

// facets counts the matching records and their values of each facet in
// one statement: the matches are computed once (a materialized common
// table expression) and grouped six ways.
func (s *Store) facets(ctx context.Context, from, cond string, args []any) (*store.Facets, int, error) {
	query := `WITH m AS MATERIALIZED (SELECT a.pk FROM ` + from + ` WHERE ` + cond + ` LIMIT ` + fmt.Sprint(store.MaxFacetRows+1) + `)
		SELECT 't', '', COUNT(*) FROM m
		UNION ALL SELECT 'l', lang, COUNT(*) FROM asset_langs WHERE pk IN (SELECT pk FROM m) GROUP BY lang
		UNION ALL SELECT 'c', license, COUNT(*) FROM assets WHERE license <> '' AND pk IN (SELECT pk FROM m) GROUP BY license
		UNION ALL SELECT 'v', level, COUNT(*) FROM assets WHERE level <> '' AND pk IN (SELECT pk FROM m) GROUP BY level
		UNION ALL SELECT 'k', kind, COUNT(*) FROM assets WHERE kind <> '' AND pk IN (SELECT pk FROM m) GROUP BY kind
		UNION ALL SELECT 's', source, COUNT(*) FROM assets WHERE pk IN (SELECT pk FROM m) GROUP BY source
		UNION ALL SELECT 'f', framework, COUNT(DISTINCT pk) FROM asset_nodes WHERE pk IN (SELECT pk FROM m) GROUP BY framework`
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	fc := &store.Facets{Languages: []store.FacetValue{}, Licenses: []store.FacetValue{}, Levels: []store.FacetValue{}, Kinds: []store.FacetValue{},
		Sources: []store.FacetValue{}, Frameworks: []store.FacetValue{}}
	dst := map[string]*[]store.FacetValue{"l": &fc.Languages, "c": &fc.Licenses, "v": &fc.Levels, "k": &fc.Kinds, "s": &fc.Sources, "f": &fc.Frameworks}
	total := 0
	for rows.Next() {
		var which string
		var v store.FacetValue
		if err := rows.Scan(&which, &v.Value, &v.Count); err != nil {
			return nil, 0, err
		}
		if which == "t" {
			total = v.Count
			continue
		}
		*dst[which] = append(*dst[which], v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, d := range dst {
		slices.SortFunc(*d, func(a, b store.FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if len(*d) > store.MaxFacetValues {
			*d = (*d)[:store.MaxFacetValues]
		}
	}
	return fc, total, nil
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
