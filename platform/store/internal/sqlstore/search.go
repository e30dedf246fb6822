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

// Search implements store.Store. It reads the search table (schema
// version 3) in three statements whatever the hub's size: the first
// store.MaxTotal+1 matches in storage order, for the total and the facets;
// the page's keys (by relevance: the best of the newest store.MaxTotal
// matches); the page's records.
func (s *Store) Search(ctx context.Context, q store.Query) (*store.Results, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if s.version < 3 {
		return nil, fmt.Errorf("%w: search needs schema version 3", store.ErrSchema)
	}
	from := `asset_search a`
	where := []string{`1 = 1`}
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
	if err := s.countMatches(ctx, res, from, cond, args, q.Facets); err != nil {
		return nil, fmt.Errorf("store %s: search: %w", s.d.Name, err)
	}
	var page string
	switch {
	case q.Sort == store.SortRelevance && rank != "":
		page = `SELECT w.pk, w.langs FROM (SELECT a.pk, a.langs, a.title_sort, a.source, a.id, ` + rank + ` AS r FROM ` + from + ` WHERE ` + cond +
			` ORDER BY ` + s.d.Newest + fmt.Sprintf(` LIMIT %d) w ORDER BY w.r, w.title_sort, w.source, w.id`, s.maxTotal())
	case q.Sort == store.SortModified:
		page = `SELECT a.pk, a.langs FROM ` + from + ` WHERE ` + cond + ` ORDER BY a.modified DESC, a.source, a.id`
	default:
		page = `SELECT a.pk, a.langs FROM ` + from + ` WHERE ` + cond + ` ORDER BY a.title_sort, a.source, a.id`
	}
	rows, err := s.db.QueryContext(ctx, s.q(page+fmt.Sprintf(` LIMIT %d OFFSET %d`, q.Limit, q.Offset)), args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: search: %w", s.d.Name, err)
	}
	var pks []int64
	var langs []string
	for rows.Next() {
		var pk int64
		var l string
		if err := rows.Scan(&pk, &l); err != nil {
			rows.Close()
			return nil, err
		}
		pks, langs = append(pks, pk), append(langs, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if res.Hits, err = s.hits(ctx, pks, langs); err != nil {
		return nil, fmt.Errorf("store %s: search: %w", s.d.Name, err)
	}
	return res, nil
}

// maxTotal is the most matches a search counts and ranks.
func (s *Store) maxTotal() int {
	if s.capTotal > 0 {
		return s.capTotal
	}
	return store.MaxTotal
}

// countMatches sets res.Total (and Capped) from the first maxTotal+1
// matches, and their facets when asked for: one statement reading the
// search rows of the matches, counted here.
func (s *Store) countMatches(ctx context.Context, res *store.Results, from, cond string, args []any, facets bool) error {
	limit := s.maxTotal()
	if !facets {
		err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM (SELECT 1 FROM `+from+` WHERE `+cond+fmt.Sprintf(` LIMIT %d) m`, limit+1)), args...).Scan(&res.Total)
		if res.Total > limit {
			res.Total, res.Capped = limit, true
		}
		return err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.source, a.kind, a.level, a.license, a.langs, a.frameworks FROM `+from+` WHERE `+cond+fmt.Sprintf(` LIMIT %d`, limit+1)), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	counts := [6]map[string]int{{}, {}, {}, {}, {}, {}}
	n := 0
	for rows.Next() {
		if n == limit {
			res.Capped = true
			break
		}
		n++
		var v [6]string
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return err
		}
		for i, val := range v {
			if i >= 4 {
				if val != "" {
					for _, x := range strings.Split(val, ",") {
						counts[i][x]++
					}
				}
			} else if val != "" {
				counts[i][val]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	res.Total = n
	fc := &store.Facets{Partial: res.Capped}
	for i, dst := range []*[]store.FacetValue{&fc.Sources, &fc.Kinds, &fc.Levels, &fc.Licenses, &fc.Languages, &fc.Frameworks} {
		*dst = []store.FacetValue{}
		for v, c := range counts[i] {
			*dst = append(*dst, store.FacetValue{Value: v, Count: c})
		}
		slices.SortFunc(*dst, func(a, b store.FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if len(*dst) > store.MaxFacetValues {
			*dst = (*dst)[:store.MaxFacetValues]
		}
	}
	res.Facets = fc
	return nil
}

// hits reads the records pks (with their languages, comma-joined) as
// search hits, in that order.
func (s *Store) hits(ctx context.Context, pks []int64, langs []string) ([]store.Hit, error) {
	out := make([]store.Hit, len(pks))
	if len(pks) == 0 {
		return out, nil
	}
	at := make(map[int64]int, len(pks))
	args := make([]any, len(pks))
	for i, pk := range pks {
		at[pk], args[i] = i, pk
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT pk, source, id, publisher, version, kind, level, license, modified, duration, title, description
		FROM assets WHERE pk IN (?`+strings.Repeat(`, ?`, len(pks)-1)+`)`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h store.Hit
		var pk, dur int64
		var title, desc string
		if err := rows.Scan(&pk, &h.Source, &h.ID, &h.Publisher, &h.Version, &h.Kind, &h.Level, &h.License, &h.Modified, &dur, &title, &desc); err != nil {
			return nil, err
		}
		h.Duration = time.Duration(dur) * time.Second
		if h.Publisher == "" {
			h.Publisher = h.Source
		}
		_ = json.Unmarshal([]byte(title), &h.Title)
		_ = json.Unmarshal([]byte(desc), &h.Description)
		i := at[pk]
		if langs[i] != "" {
			h.Languages = strings.Split(langs[i], ",")
		}
		out[i] = h
	}
	return out, rows.Err()
}
