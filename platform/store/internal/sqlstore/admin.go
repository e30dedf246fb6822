package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/metaacademy/ota/platform/store"
)

// Trust implements store.Store.
func (s *Store) Trust(ctx context.Context, k store.TrustedKey) error {
	if !store.ValidSource(k.Source) || k.KeyID == "" || len(k.PublicKey) == 0 {
		return fmt.Errorf("%w: a trusted key needs a valid source name, a key ID and a public key", store.ErrInvalid)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO trust (source, key_id, public_key, note, added) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source, key_id) DO UPDATE SET public_key = excluded.public_key, note = excluded.note, added = excluded.added`),
			k.Source, k.KeyID, string(k.PublicKey), k.Note, micros(k.Added))
		return err
	})
}

// Distrust implements store.Store.
func (s *Store) Distrust(ctx context.Context, source, keyID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM trust WHERE source = ? AND key_id = ?`), source, keyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: no trusted key %s of %s", store.ErrNotFound, keyID, source)
		}
		return nil
	})
}

// TrustList implements store.Store.
func (s *Store) TrustList(ctx context.Context, source string) ([]store.TrustedKey, error) {
	query, args := `SELECT source, key_id, public_key, note, added FROM trust`, []any{}
	if source != "" {
		query, args = query+` WHERE source = ?`, append(args, source)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+` ORDER BY source, key_id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.TrustedKey{}
	for rows.Next() {
		var k store.TrustedKey
		var pub string
		var added int64
		if err := rows.Scan(&k.Source, &k.KeyID, &pub, &k.Note, &added); err != nil {
			return nil, err
		}
		k.PublicKey, k.Added = []byte(pub), fromMicros(added)
		out = append(out, k)
	}
	return out, rows.Err()
}

// HarvestState implements store.Store.
func (s *Store) HarvestState(ctx context.Context, source, url string) (store.HarvestState, error) {
	st := store.HarvestState{Source: source, URL: url}
	var last int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT etag, last_modified, token, from_date, last_run, last_error FROM harvest_state WHERE source = ? AND url = ?`), source, url).
		Scan(&st.ETag, &st.LastModified, &st.Token, &st.From, &last, &st.LastError)
	if err != nil {
		return st, notFound(err, "harvest state of "+source+" "+url)
	}
	st.LastRun = fromMicros(last)
	return st, nil
}

// SetHarvestState implements store.Store.
func (s *Store) SetHarvestState(ctx context.Context, st store.HarvestState) error {
	if st.Source == "" || st.URL == "" {
		return fmt.Errorf("%w: harvest state needs a source and a URL", store.ErrInvalid)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO harvest_state (source, url, etag, last_modified, token, from_date, last_run, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, token = excluded.token,
			from_date = excluded.from_date, last_run = excluded.last_run, last_error = excluded.last_error`),
			st.Source, st.URL, st.ETag, st.LastModified, st.Token, st.From, micros(st.LastRun), st.LastError)
		return err
	})
}
