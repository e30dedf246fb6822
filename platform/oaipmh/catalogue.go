package oaipmh

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/otadate"
	"github.com/metaacademy/ota/mapping"
)

// CatalogueOptions configure [NewCatalogueRepository].
type CatalogueOptions struct {
	// Name, AdminEmails and Description are what Identify reports.
	Name        string
	AdminEmails []string
	Description string
	// Earliest is the datestamp of assets that give no date; the zero
	// time means 1970-01-01.
	Earliest time.Time
	// Frameworks names the framework sets; nil means mapping.Default().
	Frameworks *mapping.Registry
}

// CatalogueRepository serves the root assets of a [catalogue.Catalogue]:
// each asset tree is one record (its parts travel inside it), identified by
// the root asset's ID. A record's datestamp is the asset's modified date, or
// its published or created date, or CatalogueOptions.Earliest; a
// catalogue has no deleted records (its Identity says "no"). When several
// entries hold the same ID, the first is served.
//
// The sets are "publisher:NAME" (the publisher's name in lower case, runs
// of other characters than letters and digits as "-"), "kind:KIND" and
// "framework:KEY" with "framework:KEY:CODE" below it for each framework
// node an asset or one of its objectives is aligned to (built-in
// frameworks; codes that are not setSpec tokens are left out).
//
// The catalogue is read once, by NewCatalogueRepository; later changes to
// it are not seen.
type CatalogueRepository struct {
	id      Identity
	records []Record // by (Datestamp, Identifier)
	byID    map[string]int
	sets    []Set
}

var (
	_ Repository = (*CatalogueRepository)(nil)
	_ Counter    = (*CatalogueRepository)(nil)
)

var setTokenRE = regexp.MustCompile(`^[A-Za-z0-9\-_.!~*'()]+$`)

// NewCatalogueRepository returns a repository serving cat's root assets.
func NewCatalogueRepository(cat *catalogue.Catalogue, opts CatalogueOptions) *CatalogueRepository {
	reg := opts.Frameworks
	if reg == nil {
		reg = mapping.Default()
	}
	earliest := opts.Earliest.UTC().Truncate(time.Second)
	if opts.Earliest.IsZero() {
		earliest = time.Unix(0, 0).UTC()
	}
	r := &CatalogueRepository{byID: map[string]int{}}
	setNames := map[string]string{}
	addSet := func(spec, name string) {
		if _, ok := setNames[spec]; !ok {
			setNames[spec] = name
		}
	}
	seen := map[string]bool{}
	for _, e := range cat.Entries() {
		if !e.IsRoot() || e.Asset.ID == "" || seen[e.Asset.ID] {
			continue
		}
		seen[e.Asset.ID] = true
		a := e.Asset
		rec := Record{Header: Header{Identifier: a.ID, Datestamp: datestampOf(a, earliest)}, Asset: a}
		if e.Publisher != "" {
			if slug := slugify(e.Publisher); slug != "" {
				rec.Sets = append(rec.Sets, "publisher:"+slug)
				addSet("publisher", "Publishers")
				addSet("publisher:"+slug, e.Publisher)
			}
		}
		if a.Kind.Valid() {
			rec.Sets = append(rec.Sets, "kind:"+string(a.Kind))
			addSet("kind", "Kinds of asset")
			addSet("kind:"+string(a.Kind), string(a.Kind))
		}
		for _, fs := range frameworkSets(reg, a) {
			rec.Sets = append(rec.Sets, fs.Spec)
			addSet("framework", "Frameworks")
			key, _, _ := strings.Cut(strings.TrimPrefix(fs.Spec, "framework:"), ":")
			addSet("framework:"+key, fs.frameworkName)
			addSet(fs.Spec, fs.Name)
		}
		slices.Sort(rec.Sets)
		rec.Sets = slices.Compact(rec.Sets)
		r.records = append(r.records, rec)
	}
	sort.Slice(r.records, func(i, j int) bool {
		a, b := r.records[i], r.records[j]
		if !a.Datestamp.Equal(b.Datestamp) {
			return a.Datestamp.Before(b.Datestamp)
		}
		return a.Identifier < b.Identifier
	})
	for i, rec := range r.records {
		r.byID[rec.Identifier] = i
	}
	for spec, name := range setNames {
		r.sets = append(r.sets, Set{Spec: spec, Name: name})
	}
	slices.SortFunc(r.sets, func(a, b Set) int { return strings.Compare(a.Spec, b.Spec) })
	first := earliest
	if len(r.records) > 0 && r.records[0].Datestamp.Before(first) {
		first = r.records[0].Datestamp
	}
	r.id = Identity{Name: opts.Name, AdminEmails: opts.AdminEmails, Earliest: first, Deleted: DeletedNo, Description: opts.Description}
	return r
}

// datestampOf is the asset's modified, published or created date, else
// fallback.
func datestampOf(a *asset.Asset, fallback time.Time) time.Time {
	for _, d := range []string{a.Modified, a.Published, a.Created} {
		if d == "" {
			continue
		}
		if t, ok := otadate.Parse(d); ok {
			return t.UTC().Truncate(time.Second)
		}
	}
	return fallback
}

// slugify lowers a name and joins its runs of letters and digits with "-".
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

type frameworkSet struct {
	Set
	frameworkName string
}

// frameworkSets returns the framework node sets of an asset tree's
// alignments (the root's and its objectives').
func frameworkSets(reg *mapping.Registry, a *asset.Asset) []frameworkSet {
	var out []frameworkSet
	add := func(al asset.Alignment) {
		fw, node, err := reg.Resolve(al)
		if err != nil || node == nil || fw.Key == "" || !setTokenRE.MatchString(node.Code) {
			return
		}
		label := reg.Label(fw.Key, "")
		label, _, _ = strings.Cut(label, " ")
		name, _, _ := node.Name.Best("en")
		out = append(out, frameworkSet{
			Set:           Set{Spec: "framework:" + fw.Key + ":" + node.Code, Name: fmt.Sprintf("%s %s %s", label, node.Code, name)},
			frameworkName: label,
		})
	}
	for _, al := range a.Alignments {
		add(al)
	}
	for _, o := range a.Objectives {
		for _, al := range o.Alignments {
			add(al)
		}
	}
	return out
}

// Identity describes the repository.
func (r *CatalogueRepository) Identity(context.Context) (Identity, error) { return r.id, nil }

// Sets returns the sets, sorted by spec.
func (r *CatalogueRepository) Sets(context.Context) ([]Set, error) { return slices.Clone(r.sets), nil }

// Get returns the record of the asset with the given ID.
func (r *CatalogueRepository) Get(_ context.Context, id string) (Record, error) {
	i, ok := r.byID[id]
	if !ok {
		return Record{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return r.records[i], nil
}

// List returns the records q selects, in order.
func (r *CatalogueRepository) List(ctx context.Context, q Query) ([]Record, error) {
	start := 0
	if !q.After.IsZero() {
		start = sort.Search(len(r.records), func(i int) bool {
			return !q.After.Less(r.records[i].Datestamp, r.records[i].Identifier)
		})
	}
	limit := max(q.Limit, 1)
	var out []Record
	for _, rec := range r.records[start:] {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if matches(rec.Header, q) {
			out = append(out, rec)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// Count returns the number of records q selects, ignoring After and Limit.
func (r *CatalogueRepository) Count(_ context.Context, q Query) (int, error) {
	n := 0
	for _, rec := range r.records {
		if matches(rec.Header, q) {
			n++
		}
	}
	return n, nil
}

// matches reports whether a header is within q's dates and set.
func matches(h Header, q Query) bool {
	if !q.From.IsZero() && h.Datestamp.Before(q.From) {
		return false
	}
	if !q.Until.IsZero() && h.Datestamp.After(q.Until) {
		return false
	}
	return q.Set == "" || inSet(h.Sets, q.Set)
}
