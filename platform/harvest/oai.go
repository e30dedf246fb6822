package harvest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/oaipmh"
	"github.com/metaacademy/ota/platform/store"
)

// oai harvests the source's OAI-PMH endpoint in the "ota" metadata format,
// which carries whole OTA documents: everything changed since the last
// complete run (its HarvestState.From), following resumption tokens. An
// interrupted list is asked again from the same date next time. OAI-PMH
// records carry no signature, so the source must allow unsigned records.
func (r *run) oai(ctx context.Context) error {
	st, err := r.state(ctx, r.src.OAI)
	if err != nil {
		return err
	}
	if !r.src.AllowUnsigned {
		return r.saveState(ctx, st, fmt.Errorf("%w: OAI-PMH records are not signed; harvest %s by its feed, or set allowUnsigned", ErrUntrusted, r.src.Name))
	}
	var from time.Time
	if st.From != "" {
		if from, err = time.Parse(time.RFC3339, st.From); err != nil {
			from = time.Time{}
		}
	}
	// The next run asks from a little before this one started: a
	// repository's list stops a moment before the request, and records
	// seen twice are simply unchanged.
	next := r.start.UTC().Truncate(time.Second).Add(-2 * time.Second)
	client := &oaipmh.Client{BaseURL: r.src.OAI, HTTP: r.h.client, MaxResponseBytes: r.h.opts.MaxPageBytes,
		MaxDocumentBytes: store.MaxDocBytes, UserAgent: userAgent}
	maxRecords := r.h.opts.MaxPages * 1000
	n := 0
	for rec, err := range client.Records(ctx, oaipmh.ListOptions{Prefix: oaipmh.PrefixOTA, From: from}) {
		if err != nil {
			return r.saveState(ctx, st, err)
		}
		if n++; n > maxRecords {
			return r.saveState(ctx, st, fmt.Errorf("more than %d records in one run (Options.MaxPages × 1000)", maxRecords))
		}
		if err := r.oaiRecord(ctx, rec); err != nil {
			if isStoreError(err) || ctx.Err() != nil {
				return r.saveState(ctx, st, err)
			}
			r.res.Rejected = append(r.res.Rejected, fmt.Errorf("%s: %w", rec.Identifier, err))
		}
	}
	st.From = next.Format(time.RFC3339)
	return r.saveState(ctx, st, nil)
}

func (r *run) oaiRecord(ctx context.Context, rec oaipmh.Record) error {
	k := store.Key{Source: r.src.Name, ID: rec.Identifier}
	if rec.Deleted {
		if err := r.remove(ctx, k); err != nil {
			return storeError{err}
		}
		return nil
	}
	if rec.Asset == nil {
		return errors.New("the record has no OTA document")
	}
	if rec.Asset.ID != rec.Identifier {
		return fmt.Errorf("the record's identifier differs from its asset's ID %q", rec.Asset.ID)
	}
	doc, err := asset.Marshal(asset.NewDocument(*rec.Asset))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(doc)
	err = r.put(ctx, store.Record{
		Provenance: store.Provenance{Source: r.src.Name, Publisher: r.publisherName(""), Origin: r.src.OAI, Protocol: "oai-pmh",
			Digest: "sha256:" + hex.EncodeToString(sum[:]), Fetched: r.start},
		ID: rec.Asset.ID, Version: rec.Asset.Version, Doc: doc,
	})
	if err != nil && !errors.Is(err, store.ErrInvalid) {
		return storeError{err}
	}
	return err
}
