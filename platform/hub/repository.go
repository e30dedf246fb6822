package hub

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/oaipmh"
	"github.com/metaacademy/ota/platform/store"
)

// Repository serves a hub's store over OAI-PMH (platform/oaipmh): every
// record of every source, deleted ones included (deletedRecord
// "persistent": tombstones are kept), identified by the asset's ID, with
// the sets "publisher:SOURCE". When two sources publish the same ID, both
// records are listed under it and GetRecord returns the first source's.
type Repository struct {
	st          store.Store
	name        string
	adminEmails []string
}

var _ oaipmh.Repository = (*Repository)(nil)

// NewRepository returns the OAI-PMH repository of a store.
func NewRepository(st store.Store, name string, adminEmails []string) *Repository {
	return &Repository{st: st, name: name, adminEmails: adminEmails}
}

// Identity implements oaipmh.Repository.
func (r *Repository) Identity(ctx context.Context) (oaipmh.Identity, error) {
	id := oaipmh.Identity{Name: r.name, AdminEmails: r.adminEmails, Deleted: oaipmh.DeletedPersistent,
		Description: "An OTA hub: training assets harvested from the publishers of a federation of statistical offices."}
	first, err := r.st.Changes(ctx, store.ChangesQuery{ByStamp: true, Deleted: true, Limit: 1})
	if err != nil {
		return id, err
	}
	if len(first) > 0 {
		id.Earliest = first[0].Datestamp.Truncate(time.Second)
	}
	return id, nil
}

// Sets implements oaipmh.Repository.
func (r *Repository) Sets(ctx context.Context) ([]oaipmh.Set, error) {
	pubs, err := r.st.Publishers(ctx)
	if err != nil {
		return nil, err
	}
	sets := []oaipmh.Set{}
	for _, p := range pubs {
		sets = append(sets, oaipmh.Set{Spec: "publisher:" + p.Source, Name: p.Name})
	}
	return sets, nil
}

// setSource returns the source a set spec selects, or an error for a set
// the repository does not have.
func setSource(spec string) (string, bool) {
	if spec == "" {
		return "", true
	}
	src, ok := strings.CutPrefix(spec, "publisher:")
	return src, ok && store.ValidSource(src)
}

// List implements oaipmh.Repository.
func (r *Repository) List(ctx context.Context, q oaipmh.Query) ([]oaipmh.Record, error) {
	src, ok := setSource(q.Set)
	if !ok {
		return []oaipmh.Record{}, nil
	}
	cq := store.ChangesQuery{ByStamp: true, Deleted: true, Source: src, Limit: q.Limit, WithDoc: !q.HeadersOnly,
		AfterStamp: q.After.Datestamp, AfterID: q.After.Identifier}
	if !q.From.IsZero() {
		cq.From = q.From
	}
	if !q.Until.IsZero() {
		// Until is inclusive to the second.
		cq.Until = q.Until.Add(time.Second - time.Microsecond)
	}
	recs, err := r.st.Changes(ctx, cq)
	if err != nil {
		return nil, err
	}
	out := make([]oaipmh.Record, 0, len(recs))
	for i := range recs {
		rec, err := toOAI(&recs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// Get implements oaipmh.Repository.
func (r *Repository) Get(ctx context.Context, identifier string) (oaipmh.Record, error) {
	recs, err := r.st.FindID(ctx, identifier)
	if err != nil {
		return oaipmh.Record{}, err
	}
	for i := range recs {
		if recs[i].ID == identifier {
			return toOAI(&recs[i])
		}
	}
	// A tombstone: look for it among the sources.
	pubs, err := r.st.Publishers(ctx)
	if err != nil {
		return oaipmh.Record{}, err
	}
	for _, p := range pubs {
		rec, err := r.st.Get(ctx, store.Key{Source: p.Source, ID: identifier})
		if err == nil {
			return toOAI(&rec)
		}
	}
	return oaipmh.Record{}, fmt.Errorf("%w: %s", oaipmh.ErrNotFound, identifier)
}

func toOAI(rec *store.Record) (oaipmh.Record, error) {
	out := oaipmh.Record{Header: oaipmh.Header{
		Identifier: rec.ID, Datestamp: rec.Datestamp.Truncate(time.Second).UTC(), Deleted: rec.Deleted,
		Sets: []string{"publisher:" + rec.Source},
	}}
	if rec.Deleted || len(rec.Doc) == 0 {
		return out, nil
	}
	doc, _, err := asset.Unmarshal(rec.Doc, asset.ReadOptions{MaxBytes: store.MaxDocBytes})
	if err != nil {
		return out, fmt.Errorf("record %s: %w", rec.Key(), err)
	}
	out.Asset = &doc.Asset
	return out, nil
}
