package feed

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"time"
)

// DefaultPageSize is the number of entries per page [Feed.Pages] uses when
// given 0.
const DefaultPageSize = 500

// Feed is a whole feed before it is split into pages.
type Feed struct {
	// Publisher is who publishes the feed.
	Publisher Publisher
	// Keys are the public keys the publisher signs bundles with.
	Keys []Key
	// Entries are the feed's entries, in any order: [Feed.Pages] puts them
	// in feed order.
	Entries []Entry
}

// Sort puts the entries in feed order: the most recently modified first,
// entries without a date last, and entries with the same date by ID. The
// order is total, so the same entries always give the same pages.
func (f *Feed) Sort() {
	type keyed struct {
		t   time.Time
		ok  bool
		idx int
	}
	keys := make([]keyed, len(f.Entries))
	for i, e := range f.Entries {
		t, ok := parseDate(e.Modified)
		keys[i] = keyed{t: t, ok: ok, idx: i}
	}
	slices.SortStableFunc(keys, func(a, b keyed) int {
		if a.ok != b.ok {
			if a.ok {
				return -1
			}
			return 1
		}
		if c := b.t.Compare(a.t); c != 0 {
			return c
		}
		return cmp.Compare(f.Entries[a.idx].ID, f.Entries[b.idx].ID)
	})
	sorted := make([]Entry, len(keys))
	for i, k := range keys {
		sorted[i] = f.Entries[k.idx]
	}
	f.Entries = sorted
}

// Digest returns "sha256:" and the SHA-256 digest of the entries in their
// current order: each entry's compact JSON (as [Entry.MarshalJSON] writes
// it) followed by a line feed. Call it after [Feed.Sort] to get the digest
// the pages carry.
func (f *Feed) Digest() (string, error) {
	h := sha256.New()
	for i := range f.Entries {
		b, err := json.Marshal(f.Entries[i])
		if err != nil {
			return "", err
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// Updated returns the latest Modified of the entries as an RFC 3339
// date-time in UTC (a date counts as its midnight UTC), or "" when no entry
// has a date.
func (f *Feed) Updated() string {
	var latest time.Time
	for _, e := range f.Entries {
		if t, ok := parseDate(e.Modified); ok && t.After(latest) {
			latest = t
		}
	}
	if latest.IsZero() {
		return ""
	}
	return latest.UTC().Format(time.RFC3339)
}

// Pages sorts the entries (see [Feed.Sort]) and splits them into pages of
// at most size entries (0 means [DefaultPageSize]); a feed without entries
// is one empty page. name returns the URL reference of page n, counted from
// 1, as the other pages refer to it: pages link to each other with these
// references, so give names that resolve from every page ("feed.json",
// "feed-2.json", … in one folder). Every page carries the feed's head.
func (f *Feed) Pages(size int, name func(n int) string) ([]Page, error) {
	if size <= 0 {
		size = DefaultPageSize
	}
	f.Sort()
	digest, err := f.Digest()
	if err != nil {
		return nil, err
	}
	updated := f.Updated()
	n := max(1, (len(f.Entries)+size-1)/size)
	pages := make([]Page, n)
	for i := range pages {
		lo, hi := i*size, min(len(f.Entries), (i+1)*size)
		p := Page{
			Format:    FormatVersion,
			Publisher: f.Publisher,
			Updated:   updated,
			Digest:    digest,
			Total:     len(f.Entries),
			Number:    i + 1,
			Pages:     n,
			Keys:      f.Keys,
			Entries:   f.Entries[lo:hi],
		}
		if p.Entries == nil {
			p.Entries = []Entry{}
		}
		if i+1 < n {
			p.Next = name(i + 2)
		}
		if i > 0 {
			p.Prev = name(i)
		}
		pages[i] = p
	}
	return pages, nil
}

// Encode writes the page as indented JSON followed by a line feed. The
// output is deterministic: the same page gives the same bytes.
func (p *Page) Encode(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
