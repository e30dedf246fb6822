package feed

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
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
		if err := digestEntry(h, &f.Entries[i]); err != nil {
			return "", err
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// digestEntry adds an entry to a feed digest.
func digestEntry(h hash.Hash, e *Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	h.Write(b)
	h.Write([]byte{'\n'})
	return nil
}

// Updated returns the latest Modified of the entries as an RFC 3339
// date-time in UTC (a date counts as its midnight UTC), or "" when no entry
// has a date.
func (f *Feed) Updated() string {
	var latest time.Time
	for i := range f.Entries {
		latest = later(latest, &f.Entries[i])
	}
	return formatUpdated(latest)
}

// later is the later of t and the entry's date.
func later(t time.Time, e *Entry) time.Time {
	if d, ok := parseDate(e.Modified); ok && d.After(t) {
		return d
	}
	return t
}

func formatUpdated(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Pages sorts the entries (see [Feed.Sort]) and splits them into pages of
// at most size entries (0 means [DefaultPageSize]); a feed without entries
// is one empty page. name returns the URL reference of page n, counted from
// 1, as the other pages refer to it: pages link to each other with these
// references, so give names that resolve from every page ("feed.json",
// "feed-2.json", … in one folder). Every page carries the feed's head.
func (f *Feed) Pages(size int, name func(n int) string) ([]Page, error) {
	f.Sort()
	var pages []Page
	each := func(fn func(Entry) error) error {
		for _, e := range f.Entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	err := f.WritePages(size, name, each, func(p *Page) error {
		pages = append(pages, *p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
}

// WritePages is [Feed.Pages] for a feed too large to hold in memory. In
// place of f.Entries, each lists the entries, already in feed order (as
// [Feed.Sort] puts them), by calling fn with each, and is called twice:
// first for the total, the digest and the date that every page carries,
// then again as the entries are cut into pages. write is given each page in
// turn, a new one each time. each must list the same entries both times;
// when the second listing has another number of entries WritePages fails.
// An error from each or write stops it and is returned.
func (f *Feed) WritePages(size int, name func(n int) string, each func(fn func(Entry) error) error, write func(*Page) error) error {
	if size <= 0 {
		size = DefaultPageSize
	}
	h := sha256.New()
	total := 0
	var latest time.Time
	err := each(func(e Entry) error {
		total++
		latest = later(latest, &e)
		return digestEntry(h, &e)
	})
	if err != nil {
		return err
	}
	head := Page{
		Format:    FormatVersion,
		Publisher: f.Publisher,
		Updated:   formatUpdated(latest),
		Digest:    "sha256:" + hex.EncodeToString(h.Sum(nil)),
		Total:     total,
		Pages:     max(1, (total+size-1)/size),
		Keys:      f.Keys,
	}
	page := head
	page.Number, page.Entries = 1, make([]Entry, 0, min(size, total))
	flush := func() error {
		if page.Number < head.Pages {
			page.Next = name(page.Number + 1)
		}
		if page.Number > 1 {
			page.Prev = name(page.Number - 1)
		}
		if err := write(&page); err != nil {
			return err
		}
		n := page.Number + 1
		page = head
		page.Number, page.Entries = n, make([]Entry, 0, min(size, total))
		return nil
	}
	seen := 0
	err = each(func(e Entry) error {
		if seen++; seen > total {
			return errChanged
		}
		page.Entries = append(page.Entries, e)
		if len(page.Entries) == size {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if seen != total {
		return errChanged
	}
	if len(page.Entries) > 0 || page.Number == 1 {
		return flush()
	}
	return nil
}

// errChanged is WritePages' error when the two listings differ.
var errChanged = errors.New("feed: the entries changed between the two listings")

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
