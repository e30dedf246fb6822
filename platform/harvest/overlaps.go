package harvest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
)

// OverlapOptions configure [UpdateOverlaps]. The zero value uses the
// defaults.
type OverlapOptions struct {
	// Candidates is how many records at most are compared with each
	// changed record (store.Store.Related); 0 means 30.
	Candidates int
	// Batch is how many changed records are compared together; 0 means
	// 200. Memory grows with Batch × Candidates, not with the hub.
	Batch int
	// Detect configures the comparison (catalogue.OverlapOptions).
	Detect catalogue.OverlapOptions
}

// UpdateOverlaps recomputes the stored overlaps of the records keys name,
// with catalogue.Catalogue's overlap detection: each changed record is
// compared with its candidates from the store (records of other sources
// sharing title words or aligned nodes), a batch at a time in a small
// catalogue, so the work and memory stay bounded however large the hub.
// Deleted records are skipped (their overlaps went with them).
func UpdateOverlaps(ctx context.Context, st store.Store, keys []store.Key, opts OverlapOptions) error {
	if opts.Candidates <= 0 {
		opts.Candidates = 30
	}
	if opts.Batch <= 0 {
		opts.Batch = 200
	}
	seen := map[store.Key]bool{}
	var uniq []store.Key
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	for start := 0; start < len(uniq); start += opts.Batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := overlapBatch(ctx, st, uniq[start:min(start+opts.Batch, len(uniq))], &opts); err != nil {
			return err
		}
	}
	return nil
}

func overlapBatch(ctx context.Context, st store.Store, batch []store.Key, opts *OverlapOptions) error {
	cat := &catalogue.Catalogue{}
	keyOf := map[*asset.Asset]store.Key{}
	loaded := map[store.Key]bool{}
	inBatch := map[store.Key]bool{}
	load := func(k store.Key) (bool, error) {
		if loaded[k] {
			return true, nil
		}
		rec, err := st.Get(ctx, k)
		if errors.Is(err, store.ErrNotFound) || (err == nil && rec.Deleted) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		doc, _, err := asset.Unmarshal(rec.Doc, asset.ReadOptions{MaxBytes: store.MaxDocBytes})
		if err != nil {
			return false, fmt.Errorf("record %s: %w", k, err)
		}
		loaded[k] = true
		keyOf[&doc.Asset] = k
		cat.Add(k.Source, &doc.Asset)
		return true, nil
	}
	var live []store.Key
	for _, k := range batch {
		ok, err := load(k)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		live = append(live, k)
		inBatch[k] = true
		related, err := st.Related(ctx, k, opts.Candidates)
		if err != nil {
			return err
		}
		for _, c := range related {
			if _, err := load(c); err != nil {
				return err
			}
		}
	}
	per := map[store.Key][]store.Overlap{}
	for _, o := range cat.Overlaps(opts.Detect) {
		ka, kb := keyOf[o.A.Root], keyOf[o.B.Root]
		if ka.Source == kb.Source || (!inBatch[ka] && !inBatch[kb]) {
			continue
		}
		ev, err := json.Marshal(evidenceOf(o))
		if err != nil {
			return err
		}
		so := store.Overlap{A: ka, B: kb, APointer: o.A.Pointer, BPointer: o.B.Pointer, AID: o.A.Asset.ID, BID: o.B.Asset.ID, Score: o.Score, Evidence: ev}
		for _, k := range []store.Key{ka, kb} {
			if inBatch[k] {
				per[k] = append(per[k], so)
			}
		}
	}
	for _, k := range live {
		if err := st.PutOverlaps(ctx, k, per[k]); err != nil {
			return err
		}
	}
	return nil
}

// evidenceOf turns an overlap's evidence into what the store keeps.
func evidenceOf(o catalogue.Overlap) store.Evidence {
	var ev store.Evidence
	if o.Alignments.Compared {
		ne := &store.NodeEvidence{Similarity: o.Alignments.Similarity, Shared: []store.SharedNode{}}
		for _, s := range o.Alignments.Shared {
			ne.Shared = append(ne.Shared, store.SharedNode{Framework: s.Framework, Code: s.Code})
		}
		ev.Alignments = ne
	}
	text := func(t catalogue.TextEvidence) *store.TextEvidence {
		if !t.Compared {
			return nil
		}
		shared := t.Shared
		if shared == nil {
			shared = []string{}
		}
		return &store.TextEvidence{Similarity: t.Similarity, Language: t.Language, Shared: shared}
	}
	ev.Title, ev.Keywords, ev.Objectives = text(o.Title), text(o.Keywords), text(o.Objectives)
	return ev
}
