package harvest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/metaacademy/ota/platform/feed"
	"github.com/metaacademy/ota/platform/store"
)

// state returns the stored harvest state of an endpoint, or a new one.
func (r *run) state(ctx context.Context, endpoint string) (store.HarvestState, error) {
	st, err := r.h.st.HarvestState(ctx, r.src.Name, endpoint)
	if errors.Is(err, store.ErrNotFound) {
		return store.HarvestState{Source: r.src.Name, URL: endpoint}, nil
	}
	return st, err
}

// saveState records the outcome of a run on an endpoint.
func (r *run) saveState(ctx context.Context, st store.HarvestState, runErr error) error {
	st.LastRun = r.h.opts.Now()
	st.LastError = ""
	if runErr != nil {
		st.LastError = runErr.Error()
	}
	if err := r.h.st.SetHarvestState(ctx, st); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

// feed harvests the source's feed. Its HarvestState keeps the first
// page's validators and, in Token, the feed digest of the last complete
// harvest.
func (r *run) feed(ctx context.Context) error {
	st, err := r.state(ctx, r.src.Feed)
	if err != nil {
		return err
	}
	resp, err := r.h.get(ctx, r.src.Feed, st.ETag, st.LastModified, r.h.opts.MaxPageBytes)
	if err != nil {
		return r.saveState(ctx, st, err)
	}
	if resp.status == 304 {
		r.res.NotModified = true
		return r.saveState(ctx, st, nil)
	}
	page, err := feed.Read(bytes.NewReader(resp.body), feed.ReadOptions{MaxBytes: r.h.opts.MaxPageBytes})
	if err != nil {
		return r.saveState(ctx, st, fmt.Errorf("page 1: %w", err))
	}
	if page.Digest != "" && page.Digest == st.Token {
		r.res.NotModified = true
		st.ETag, st.LastModified = resp.etag, resp.lastModified
		return r.saveState(ctx, st, nil)
	}
	digest, etag, lastModified := page.Digest, resp.etag, resp.lastModified
	seen := map[string]bool{}
	pageURL := resp.url
	for n := 1; ; n++ {
		seen[pageURL] = true
		base, err := url.Parse(pageURL)
		if err != nil {
			return r.saveState(ctx, st, err)
		}
		for i := range page.Entries {
			if err := ctx.Err(); err != nil {
				return r.saveState(ctx, st, err)
			}
			if err := r.entry(ctx, base, page, &page.Entries[i]); err != nil {
				if ctx.Err() != nil || isStoreError(err) {
					return r.saveState(ctx, st, err)
				}
				r.res.Rejected = append(r.res.Rejected, fmt.Errorf("%s: %w", page.Entries[i].ID, err))
			}
		}
		if page.Next == "" {
			break
		}
		if n >= r.h.opts.MaxPages {
			return r.saveState(ctx, st, fmt.Errorf("more than %d pages (Options.MaxPages)", r.h.opts.MaxPages))
		}
		next, err := resolve(base, page.Next)
		if err != nil {
			return r.saveState(ctx, st, fmt.Errorf("page %d: next: %w", n, err))
		}
		if seen[next] {
			return r.saveState(ctx, st, fmt.Errorf("page %d: next %s was already read: the pages loop", n, next))
		}
		resp, err = r.h.get(ctx, next, "", "", r.h.opts.MaxPageBytes)
		if err != nil {
			return r.saveState(ctx, st, fmt.Errorf("page %d: %w", n+1, err))
		}
		if page, err = feed.Read(bytes.NewReader(resp.body), feed.ReadOptions{MaxBytes: r.h.opts.MaxPageBytes}); err != nil {
			return r.saveState(ctx, st, fmt.Errorf("page %d (%s): %w", n+1, next, err))
		}
		pageURL = resp.url
	}
	r.feedComplete = true
	st.ETag, st.LastModified, st.Token = etag, lastModified, digest
	return r.saveState(ctx, st, nil)
}

// storeError marks errors from the store, which stop a run.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

func isStoreError(err error) bool {
	var se storeError
	return errors.As(err, &se)
}

// entry harvests one feed entry.
func (r *run) entry(ctx context.Context, base *url.URL, page *feed.Page, e *feed.Entry) error {
	k := store.Key{Source: r.src.Name, ID: e.ID}
	if e.Deleted {
		if err := r.remove(ctx, k); err != nil {
			return storeError{err}
		}
		return nil
	}
	old, err := r.h.st.Get(ctx, k)
	existed := err == nil && !old.Deleted
	if existed && old.Digest == e.Digest && e.Digest != "" {
		if err := r.h.st.Touch(ctx, k, r.start); err != nil {
			return storeError{err}
		}
		r.res.Unchanged++
		return nil
	}
	d := e.Download(feed.FormatOTA)
	if d == nil {
		return errors.New("the entry has no OTA bundle download")
	}
	bundleURL, err := resolve(base, d.URL)
	if err != nil {
		return err
	}
	docs, keyID, err := r.fetchBundle(ctx, bundleURL, e.Digest)
	if err != nil {
		return err
	}
	var doc []byte
	var version string
	for _, d := range docs {
		if d.id == e.ID {
			doc, version = d.json, d.version
		}
	}
	if doc == nil {
		return fmt.Errorf("the bundle %s holds no asset %s", bundleURL, e.ID)
	}
	downloads := map[string]string{}
	for _, dl := range e.Downloads {
		if u, err := resolve(base, dl.URL); err == nil {
			downloads[dl.Format] = u
		}
	}
	if e.Page != "" {
		if u, err := resolve(base, e.Page); err == nil {
			downloads["html"] = u
		}
	}
	rec := store.Record{
		Provenance: store.Provenance{
			Source: r.src.Name, Publisher: r.publisherName(page.Publisher.Name), Origin: bundleURL, Protocol: "feed",
			KeyID: keyID, Digest: e.Digest, Fetched: r.start,
		},
		ID: e.ID, Version: version, Doc: doc, Downloads: downloads,
	}
	if err := r.putKnown(ctx, rec, existed); err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return err
		}
		return storeError{err}
	}
	return nil
}

// publisherName is the source's title, or the name the publisher gives.
func (r *run) publisherName(given string) string {
	if r.src.Title != "" {
		return r.src.Title
	}
	if len(given) > 200 {
		given = given[:200]
	}
	return given
}

// resolve resolves a reference against base and checks the result is an
// http(s) URL.
func resolve(base *url.URL, ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("URL reference %q: %v", ref, err)
	}
	abs := base.ResolveReference(u)
	abs.Fragment = ""
	s := abs.String()
	if err := checkURL(s); err != nil {
		return "", err
	}
	return s, nil
}
