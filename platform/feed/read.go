package feed

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/internal/jsontree"
	"github.com/metaacademy/ota/internal/otadate"
)

// Default limits of [ReadOptions].
const (
	// DefaultMaxBytes is the default size limit of a page: 8 MiB, some
	// twenty times what a page of 500 entries takes.
	DefaultMaxBytes = 8 << 20
	// DefaultMaxEntries is the default limit on the entries of a page.
	DefaultMaxEntries = 5000
	// maxDepth bounds the nesting of a page; the format needs 5 levels,
	// unknown members get some room.
	maxDepth = 32
)

// ReadOptions bound what [Read] accepts. The zero value uses the defaults.
type ReadOptions struct {
	// MaxBytes is the largest page read, in bytes; 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxEntries is the most entries a page may hold; 0 means
	// DefaultMaxEntries.
	MaxEntries int
}

// Read reads one feed page from r and checks it: the syntax (no duplicate
// member names), every member's type, the format version (major version 1),
// the required members, and the rules across members — the page number
// within the page count, a next link on every page but the last, entry IDs
// that are absolute IRIs and unique on the page, a digest on every entry
// that is not a tombstone and none on a tombstone, RFC 3339 dates, download
// formats unique within an entry, and the "ota" download's digest matching
// the entry's.
//
// Read never reads more than opts.MaxBytes (+1) bytes from r. Every error
// is an *[Error] wrapping [ErrFeed], [ErrVersion] or [ErrTooLarge] (or the
// reader's error) that says where the problem is. Members this version does
// not define are kept in the Unknown maps. URLs are checked for syntax
// only: whether a harvester may fetch them is its own policy.
func Read(r io.Reader, opts ReadOptions) (*Page, error) {
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	maxEntries := opts.MaxEntries
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, &Error{Err: err, Msg: fmt.Sprintf("reading the page: %v", err)}
	}
	if int64(len(data)) > maxBytes {
		return nil, errorf(ErrTooLarge, "", "the page is larger than the limit of %d bytes (ReadOptions.MaxBytes)", maxBytes)
	}
	tree, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: maxDepth})
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			return nil, &Error{Err: ErrFeed, Pointer: se.Pointer, Line: se.Line, Msg: strings.TrimPrefix(se.Error(), "jsontree: ")}
		}
		return nil, &Error{Err: ErrFeed, Msg: err.Error()}
	}
	if entries := tree.Get("entries"); entries != nil && len(entries.Elems) > maxEntries {
		return nil, errorf(ErrTooLarge, "/entries", "the page holds %d entries, more than the limit of %d (ReadOptions.MaxEntries)", len(entries.Elems), maxEntries)
	}
	m, err := object(data, "")
	if err != nil {
		return nil, err
	}
	p := new(Page)
	if err := p.decode(m, ""); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

var (
	versionRE = regexp.MustCompile(`^([0-9]+)\.[0-9]+$`)
	digestRE  = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	formatRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
)

// parseDate parses an RFC 3339 date or date-time.
func parseDate(s string) (time.Time, bool) { return otadate.Parse(s) }

// check applies the rules across members.
func (p *Page) check() error {
	if p.Format == "" {
		return errorf(ErrFeed, "/format", `the page has no "format" member; a feed page starts with "format": %q`, FormatVersion)
	}
	mv := versionRE.FindStringSubmatch(p.Format)
	if mv == nil {
		return errorf(ErrFeed, "/format", "format %q is not a version MAJOR.MINOR such as %q", p.Format, FormatVersion)
	}
	if mv[1] != "1" {
		return errorf(ErrVersion, "/format", "format %q is a major version this reader does not know (it reads 1.x)", p.Format)
	}
	if p.Entries == nil {
		return errorf(ErrFeed, "/entries", `the page has no "entries" member; an empty page has "entries": []`)
	}
	if strings.TrimSpace(p.Publisher.Name) == "" {
		return errorf(ErrFeed, "/publisher/name", "the publisher has no name; give the page a \"publisher\": {\"name\": …}")
	}
	if p.Publisher.ID != "" {
		if err := iri.CheckAbsolute(p.Publisher.ID); err != nil {
			return errorf(ErrFeed, "/publisher/id", "the publisher's id %q %v", p.Publisher.ID, err)
		}
	}
	if err := checkRef("/publisher/url", p.Publisher.URL); err != nil {
		return err
	}
	if p.Updated != "" {
		if _, ok := parseDate(p.Updated); !ok || len(p.Updated) == len(time.DateOnly) {
			return errorf(ErrFeed, "/updated", "updated %q is not an RFC 3339 date-time such as 2024-05-01T09:30:00Z", p.Updated)
		}
	}
	if !digestRE.MatchString(p.Digest) {
		return errorf(ErrFeed, "/digest", "digest %q is not \"sha256:\" and 64 lowercase hexadecimal digits", p.Digest)
	}
	switch {
	case p.Number < 1:
		return errorf(ErrFeed, "/page", "page number %d: pages are numbered from 1", p.Number)
	case p.Pages < p.Number:
		return errorf(ErrFeed, "/pages", "page %d of %d: the page number is beyond the page count", p.Number, p.Pages)
	case p.Total < len(p.Entries):
		return errorf(ErrFeed, "/total", "total %d is less than the %d entries of this page", p.Total, len(p.Entries))
	case p.Number < p.Pages && p.Next == "":
		return errorf(ErrFeed, "/next", "page %d of %d has no next link", p.Number, p.Pages)
	case p.Number == p.Pages && p.Next != "":
		return errorf(ErrFeed, "/next", "the last page (%d of %d) has a next link %q", p.Number, p.Pages, p.Next)
	}
	if err := checkRef("/next", p.Next); err != nil {
		return err
	}
	if err := checkRef("/prev", p.Prev); err != nil {
		return err
	}
	for i, k := range p.Keys {
		ptr := "/keys/" + strconv.Itoa(i)
		if k.ID == "" {
			return errorf(ErrFeed, ptr+"/id", "key %d has no id", i)
		}
		raw, err := base64.StdEncoding.DecodeString(k.PublicKey)
		if err != nil || len(raw) != 32 {
			return errorf(ErrFeed, ptr+"/publicKey", "key %q: publicKey is not a 32-byte Ed25519 key in standard base64", k.ID)
		}
	}
	seen := make(map[string]int, len(p.Entries))
	for i := range p.Entries {
		ptr := "/entries/" + strconv.Itoa(i)
		if err := p.Entries[i].check(ptr); err != nil {
			return err
		}
		if j, dup := seen[p.Entries[i].ID]; dup {
			return errorf(ErrFeed, ptr+"/id", "entry %d has the id %q of entry %d; a feed lists each asset once", i, p.Entries[i].ID, j)
		}
		seen[p.Entries[i].ID] = i
	}
	return nil
}

func (e *Entry) check(ptr string) error {
	if err := iri.CheckAbsolute(e.ID); err != nil {
		return errorf(ErrFeed, ptr+"/id", "entry id %q %v", e.ID, err)
	}
	if e.Kind != "" && !e.Kind.Valid() {
		return errorf(ErrFeed, ptr+"/kind", "kind %q is not one of the OTA kinds (course, module, lesson, …)", e.Kind)
	}
	for tag := range e.Title {
		if err := asset.CheckTag(tag); err != nil {
			return errorf(ErrFeed, ptr+"/title", "title language %q: %v", tag, err)
		}
	}
	if e.Modified != "" {
		if _, ok := parseDate(e.Modified); !ok {
			return errorf(ErrFeed, ptr+"/modified", "modified %q is not an RFC 3339 date or date-time", e.Modified)
		}
	}
	if e.Deleted {
		if e.Digest != "" || e.Page != "" || len(e.Downloads) > 0 {
			return errorf(ErrFeed, ptr, "entry %q is deleted but has a digest, page or downloads; a tombstone has none", e.ID)
		}
		return nil
	}
	if !digestRE.MatchString(e.Digest) {
		return errorf(ErrFeed, ptr+"/digest", "entry %q: digest %q is not \"sha256:\" and 64 lowercase hexadecimal digits (every entry but a tombstone has one)", e.ID, e.Digest)
	}
	if err := checkRef(ptr+"/page", e.Page); err != nil {
		return err
	}
	formats := map[string]bool{}
	for j, d := range e.Downloads {
		dp := ptr + "/downloads/" + strconv.Itoa(j)
		if !formatRE.MatchString(d.Format) {
			return errorf(ErrFeed, dp+"/format", "download format %q is not a lowercase name such as %q", d.Format, FormatSCORM12)
		}
		if formats[d.Format] {
			return errorf(ErrFeed, dp+"/format", "entry %q lists the format %q twice", e.ID, d.Format)
		}
		formats[d.Format] = true
		if d.URL == "" {
			return errorf(ErrFeed, dp+"/url", "the %s download has no url", d.Format)
		}
		if err := checkRef(dp+"/url", d.URL); err != nil {
			return err
		}
		if d.Size < 0 {
			return errorf(ErrFeed, dp+"/size", "size %d is negative", d.Size)
		}
		if d.SHA256 != "" && !sha256RE.MatchString(d.SHA256) {
			return errorf(ErrFeed, dp+"/sha256", "sha256 %q is not 64 lowercase hexadecimal digits", d.SHA256)
		}
		if d.Format == FormatOTA && d.SHA256 != "" && "sha256:"+d.SHA256 != e.Digest {
			return errorf(ErrFeed, dp+"/sha256", "entry %q: the ota download's sha256 differs from the entry's digest", e.ID)
		}
	}
	return nil
}

// checkRef checks that s, when set, is a URL reference.
func checkRef(ptr, s string) error {
	if s == "" {
		return nil
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errorf(ErrFeed, ptr, "%q holds spaces or control characters; it is not a URL reference", s)
	}
	if _, err := url.Parse(s); err != nil {
		return errorf(ErrFeed, ptr, "%q is not a URL reference: %v", s, err)
	}
	return nil
}
