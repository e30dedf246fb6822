package hub

import (
	"context"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
)

// maxLineage bounds the records read to follow one asset's lineage (and,
// five times over, the IDs looked up).
const maxLineage = 200

// lineage follows an asset's lineage both ways through the store with
// catalogue.Catalogue's Lineage and Derivatives: the records reachable by
// lineage relations are read into a small catalogue (at most maxLineage),
// so the walk costs what the family costs, not what the hub does.
func lineage(ctx context.Context, st store.Store, id string) (up, down []catalogue.LineageStep, keys map[*asset.Asset]store.Key, err error) {
	cat := &catalogue.Catalogue{}
	keys = map[*asset.Asset]store.Key{}
	loaded := map[store.Key]bool{}
	queue := []string{id}
	seen := map[string]bool{id: true}
	add := func(rec *store.Record) ([]string, error) {
		if loaded[rec.Key()] || len(loaded) >= maxLineage {
			return nil, nil
		}
		loaded[rec.Key()] = true
		doc, _, err := asset.Unmarshal(rec.Doc, asset.ReadOptions{MaxBytes: store.MaxDocBytes})
		if err != nil {
			return nil, err
		}
		keys[&doc.Asset] = rec.Key()
		cat.Add(rec.Source, &doc.Asset)
		var next []string
		for _, x := range doc.Asset.All() {
			next = append(next, x.ID)
			for _, r := range x.Relations {
				if r.Type == asset.IsBasedOn || r.Type == asset.IsTranslationOf || r.Type == asset.IsVersionOf {
					next = append(next, r.Target)
				}
			}
		}
		return next, nil
	}
	for lookups := 0; len(queue) > 0 && len(loaded) < maxLineage && lookups < 5*maxLineage; lookups++ {
		cur := queue[0]
		queue = queue[1:]
		recs, err := st.FindID(ctx, cur)
		if err != nil {
			return nil, nil, nil, err
		}
		derived, err := st.DerivedFrom(ctx, cur)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, k := range derived {
			rec, err := st.Get(ctx, k)
			if err != nil {
				return nil, nil, nil, err
			}
			recs = append(recs, rec)
		}
		for i := range recs {
			ids, err := add(&recs[i])
			if err != nil {
				return nil, nil, nil, err
			}
			for _, x := range ids {
				if x != "" && !seen[x] {
					seen[x] = true
					queue = append(queue, x)
				}
			}
		}
	}
	return cat.Lineage(id), cat.Derivatives(id), keys, nil
}
