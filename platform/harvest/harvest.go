// Package harvest fills a hub's store from the publishers of a federation:
// publisher feeds (platform/feed) whose entries point at signed OTA
// bundles, OAI-PMH endpoints (platform/oaipmh, "ota" metadata format), and
// lists of signed bundles. Signatures are verified against the trust list
// (the keys the hub's sources file gives each publisher); harvests are
// incremental (ETag and If-Modified-Since, the feed's digest, OAI-PMH
// from and resumption tokens); a withdrawn asset (a feed tombstone, an
// OAI-PMH deleted record, an entry gone from a complete feed) is removed
// from the hub; provenance (source, URL, protocol, key, digest, time) is
// kept with every record.
//
// Everything a publisher sends is hostile: responses are size-capped and
// time-limited, redirects are bounded, and addresses that are not public
// (loopback, private ranges, link-local) are refused unless
// Options.AllowPrivate is set for tests.
package harvest

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/platform/store"
)

const userAgent = "ota-harvest/1 (+https://github.com/metaacademy/ota)"

// Default limits of [Options].
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRedirects = 3
	DefaultMaxPageBytes = 8 << 20
	DefaultMaxBundle    = 256 << 20
	DefaultMaxPages     = 10000
)

// Options configure a [Harvester]. The zero value uses the defaults.
type Options struct {
	// AllowPrivate lets the harvester reach loopback and private
	// addresses. For tests and for a hub inside one organisation's
	// network only.
	AllowPrivate bool
	// Timeout bounds each request, body included; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxRedirects bounds the redirects followed per request; 0 means
	// DefaultMaxRedirects.
	MaxRedirects int
	// MaxPageBytes caps a feed page or OAI-PMH response; 0 means
	// DefaultMaxPageBytes.
	MaxPageBytes int64
	// MaxBundleBytes caps a downloaded bundle; 0 means DefaultMaxBundle.
	MaxBundleBytes int64
	// MaxPages caps the pages of one feed or OAI-PMH list per run; 0
	// means DefaultMaxPages.
	MaxPages int
	// TempDir holds downloaded bundles while they are checked; empty
	// means os.TempDir.
	TempDir string
	// SkipOverlaps leaves the overlap view as it was; by default every
	// run recomputes the overlaps of the records it changed.
	SkipOverlaps bool
	// Log, when set, receives one line per problem and per source.
	Log io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTPClient replaces the harvester's own client (its address,
	// redirect and timeout rules with it): for tests only.
	HTTPClient *http.Client
}

// Harvester harvests publishers into a store.
type Harvester struct {
	st     store.Store
	opts   Options
	client *http.Client
}

// New returns a harvester writing to st.
func New(st store.Store, opts Options) *Harvester {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.MaxPageBytes <= 0 {
		opts.MaxPageBytes = DefaultMaxPageBytes
	}
	if opts.MaxBundleBytes <= 0 {
		opts.MaxBundleBytes = DefaultMaxBundle
	}
	if opts.MaxPages <= 0 {
		opts.MaxPages = DefaultMaxPages
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Harvester{st: st, opts: opts}
	h.client = opts.HTTPClient
	if h.client == nil {
		h.client = newClient(&h.opts)
	}
	return h
}

// Result is what one run did for one source.
type Result struct {
	Source string
	// Added, Updated, Unchanged and Deleted count records.
	Added, Updated, Unchanged, Deleted int
	// NotModified: the publisher said nothing changed (HTTP 304 or an
	// unchanged feed digest).
	NotModified bool
	// Rejected lists the entries refused, each with why (a bad or missing
	// signature, a digest mismatch, an unreadable bundle, a size limit).
	Rejected []error
	// Changed are the keys put or deleted.
	Changed []store.Key
}

func (r *Result) String() string {
	s := fmt.Sprintf("%s: %d added, %d updated, %d unchanged, %d deleted, %d rejected", r.Source, r.Added, r.Updated, r.Unchanged, r.Deleted, len(r.Rejected))
	if r.NotModified {
		s += " (not modified)"
	}
	return s
}

func (h *Harvester) logf(format string, args ...any) {
	if h.opts.Log != nil {
		fmt.Fprintf(h.opts.Log, format+"\n", args...)
	}
}

// SyncTrust makes the store's trust list that of sources: every listed key
// trusted, every stored key of a listed source that the file no longer
// names distrusted.
func (h *Harvester) SyncTrust(ctx context.Context, sources *Sources) error {
	for _, src := range sources.Sources {
		listed := map[string]bool{}
		for _, k := range src.Keys {
			pem, err := bundle.MarshalPublicKey(k.pub)
			if err != nil {
				return err
			}
			listed[k.ID] = true
			if err := h.st.Trust(ctx, store.TrustedKey{Source: src.Name, KeyID: k.ID, PublicKey: pem, Note: k.Note, Added: h.opts.Now()}); err != nil {
				return err
			}
		}
		have, err := h.st.TrustList(ctx, src.Name)
		if err != nil {
			return err
		}
		for _, k := range have {
			if !listed[k.KeyID] {
				if err := h.st.Distrust(ctx, src.Name, k.KeyID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// trusted returns the public keys the store trusts for a source.
func (h *Harvester) trusted(ctx context.Context, source string) (map[string]ed25519.PublicKey, error) {
	list, err := h.st.TrustList(ctx, source)
	if err != nil {
		return nil, err
	}
	keys := map[string]ed25519.PublicKey{}
	for _, k := range list {
		pub, err := bundle.ParsePublicKey(k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("trust list: key %s of %s: %w", k.KeyID, source, err)
		}
		keys[k.KeyID] = pub
	}
	return keys, nil
}

// Harvest harvests one source: its feed, its OAI-PMH endpoint and its
// bundles, then recomputes the overlaps of what changed. An error means
// the source could not be harvested at all (unreachable, an invalid feed
// page); problems with single entries are in Result.Rejected.
func (h *Harvester) Harvest(ctx context.Context, src Source) (*Result, error) {
	res := &Result{Source: src.Name}
	if !store.ValidSource(src.Name) {
		return res, fmt.Errorf("harvest: invalid source name %q", src.Name)
	}
	keys, err := h.trusted(ctx, src.Name)
	if err != nil {
		return res, err
	}
	run := &run{h: h, src: src, keys: keys, res: res, start: h.opts.Now()}
	var errs []error
	if src.Feed != "" {
		if err := run.feed(ctx); err != nil {
			errs = append(errs, fmt.Errorf("feed %s: %w", src.Feed, err))
		}
	}
	if src.OAI != "" {
		if err := run.oai(ctx); err != nil {
			errs = append(errs, fmt.Errorf("OAI-PMH %s: %w", src.OAI, err))
		}
	}
	for _, u := range src.Bundles {
		if err := run.bundleURL(ctx, u); err != nil {
			res.Rejected = append(res.Rejected, fmt.Errorf("bundle %s: %w", u, err))
		}
	}
	if run.feedComplete {
		// The feed lists every asset of the publisher: what it no longer
		// lists, and no other protocol fetched this run, is gone.
		gone, err := h.st.Prune(ctx, src.Name, run.start, h.opts.Now())
		if err != nil {
			errs = append(errs, err)
		}
		res.Deleted += len(gone)
		res.Changed = append(res.Changed, gone...)
	}
	for _, r := range res.Rejected {
		h.logf("%s: rejected: %v", src.Name, r)
	}
	if !h.opts.SkipOverlaps && len(res.Changed) > 0 {
		if err := UpdateOverlaps(ctx, h.st, res.Changed, OverlapOptions{}); err != nil {
			errs = append(errs, fmt.Errorf("overlaps: %w", err))
		}
	}
	h.logf("%s", res)
	return res, errors.Join(errs...)
}

// HarvestAll syncs the trust list with sources and harvests every source
// in turn. It returns the results and the errors of the sources that
// failed, joined; one failing publisher does not stop the others.
func (h *Harvester) HarvestAll(ctx context.Context, sources *Sources) ([]*Result, error) {
	var results []*Result
	err := h.harvestEach(ctx, sources, func(r *Result) { results = append(results, r) })
	return results, err
}

// HarvestEach is HarvestAll handing each source's result to fn as soon as
// the source is done, instead of keeping them all: the result's Changed
// list (a key per record put or deleted, which the source's overlaps were
// recomputed from) is dropped when fn returns, so that the memory of a
// harvest does not grow with the federation.
func (h *Harvester) HarvestEach(ctx context.Context, sources *Sources, fn func(*Result)) error {
	return h.harvestEach(ctx, sources, func(r *Result) {
		fn(r)
		r.Changed = nil
	})
}

func (h *Harvester) harvestEach(ctx context.Context, sources *Sources, fn func(*Result)) error {
	if err := h.SyncTrust(ctx, sources); err != nil {
		return err
	}
	var errs []error
	for _, src := range sources.Sources {
		res, err := h.Harvest(ctx, src)
		fn(res)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", src.Name, err))
			h.logf("%s: %v", src.Name, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// run is one harvest of one source.
type run struct {
	h     *Harvester
	src   Source
	keys  map[string]ed25519.PublicKey
	res   *Result
	start time.Time
	// feedComplete: the whole feed was read this run (it changed).
	feedComplete bool
}

// put stores a record and counts it.
func (r *run) put(ctx context.Context, rec store.Record) error {
	old, getErr := r.h.st.Get(ctx, rec.Key())
	return r.putKnown(ctx, rec, getErr == nil && !old.Deleted)
}

// putKnown stores a record and counts it, when the caller has read
// whether a live record of its key existed.
func (r *run) putKnown(ctx context.Context, rec store.Record, existed bool) error {
	changed, err := r.h.st.Put(ctx, rec)
	if err != nil {
		return err
	}
	switch {
	case !changed:
		r.res.Unchanged++
	case existed:
		r.res.Updated++
		r.res.Changed = append(r.res.Changed, rec.Key())
	default:
		r.res.Added++
		r.res.Changed = append(r.res.Changed, rec.Key())
	}
	return nil
}

// remove deletes a record and counts it when it was live.
func (r *run) remove(ctx context.Context, k store.Key) error {
	was, err := r.h.st.Delete(ctx, k, r.h.opts.Now())
	if err != nil {
		return err
	}
	if was {
		r.res.Deleted++
		r.res.Changed = append(r.res.Changed, k)
	}
	return nil
}
