package catalogue

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// Catalogue is a set of training assets from one or many publishers —
// national statistical offices and international organisations — indexed
// for queries ([Catalogue.Query]), overlap detection ([Catalogue.Overlaps])
// and lineage ([Catalogue.Lineage], [Catalogue.Derivatives]).
//
// Every asset of every tree added is an entry of its own, parts included,
// so a query finds a lesson inside a course as readily as the course.
// Entries keep their catalogue order: documents in the order they were
// added (for [LoadFS], lexical path order), and within a tree the order of
// [asset.Asset.All]. Every list a Catalogue returns is in this order unless
// it says otherwise, so results are deterministic.
//
// The catalogue keeps the asset trees it is given and does not copy them;
// do not change a tree after adding it. Indexes are built on the first
// query after a change (or by [Catalogue.BuildIndex]), for the entries
// added since the last build only. A Catalogue is safe for concurrent use.
//
// The zero value is an empty catalogue ready to use.
type Catalogue struct {
	mu      sync.RWMutex
	entries []*Entry
	idx     catalogueIndex
}

// Entry is one asset of a catalogue together with where it came from.
// Treat it as read-only.
type Entry struct {
	// Asset is the asset itself, a node of the tree rooted at Root.
	Asset *asset.Asset
	// Root is the root of the asset's tree: the asset of the document it
	// was read from, or the asset given to [Catalogue.Add].
	Root *asset.Asset
	// Pointer is the JSON Pointer of Asset within its tree: "" for the
	// root, "/parts/0/parts/2" for a grandchild.
	Pointer string
	// Source is the slash-separated path of the document the tree was read
	// from, relative to the file system given to [LoadFS]; empty for trees
	// given to [Catalogue.Add].
	Source string
	// Publisher is who published the asset; see [LoadFS] for how it is
	// chosen. Empty when it is not known.
	Publisher string
	// Languages are the languages the asset teaches in: its own Languages,
	// or when it lists none those of its nearest ancestor that does.
	Languages []string

	pos int32 // index in the catalogue's entries
}

// Location names the entry for people: for an entry read from a document,
// its source path, followed for a part by "#" and its JSON Pointer
// ("statcan/sa.ota.json#/parts/1"); for one added in code, the asset's ID.
func (e *Entry) Location() string {
	if e.Source == "" {
		return e.Asset.ID
	}
	return locate(e.Source, e.Pointer)
}

// locate joins a document's path and a JSON Pointer into it as
// "PATH#POINTER", or PATH alone for the whole document.
func locate(path, ptr string) string {
	if ptr == "" {
		return path
	}
	return path + "#" + ptr
}

// IsRoot reports whether the entry is the root of its tree.
func (e *Entry) IsRoot() bool { return e.Pointer == "" }

// Add adds the tree rooted at a, every asset of it an entry. publisher
// names who published it; when empty, each asset's publisher is the name of
// the first contributor with the role publisher on the asset itself or, if
// it has none, on its nearest ancestor that has one (so a module borrowed
// from another office can say so); when none is found the publisher is
// empty. A nil a adds nothing.
//
// An ID already in the catalogue is kept as a separate entry; see
// [Catalogue.Duplicates].
func (c *Catalogue) Add(publisher string, a *asset.Asset) {
	if a == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.add(publisher, "", "", a)
}

// add appends the entries of the tree rooted at a (see entriesOf). The
// caller holds the write lock.
func (c *Catalogue) add(explicit, fallback, source string, a *asset.Asset) []*Entry {
	added := entriesOf(explicit, fallback, source, a)
	for _, e := range added {
		e.pos = int32(len(c.entries))
		c.entries = append(c.entries, e)
	}
	return added
}

// entriesOf makes the entries of the tree rooted at a, in the order of
// asset.Asset.Walk. explicit, when set, is every entry's publisher;
// otherwise the contributor rule of Add applies, and fallback names the
// publisher when it finds none.
func entriesOf(explicit, fallback, source string, a *asset.Asset) []*Entry {
	var out []*Entry
	byAsset := make(map[*asset.Asset]*Entry)
	_ = a.Walk(func(x *asset.Asset, ptr string, parent *asset.Asset) error {
		e := &Entry{Asset: x, Root: a, Pointer: ptr, Source: source}
		up := byAsset[parent]
		switch {
		case explicit != "":
			e.Publisher = explicit
		case publisherOf(x) != "":
			e.Publisher = publisherOf(x)
		case up != nil:
			e.Publisher = up.Publisher
		default:
			e.Publisher = fallback
		}
		e.Languages = x.Languages
		if len(e.Languages) == 0 && up != nil {
			e.Languages = up.Languages
		}
		byAsset[x] = e
		out = append(out, e)
		return nil
	})
	return out
}

// publisherOf returns the name of the first contributor of a with the role
// publisher, or "".
func publisherOf(a *asset.Asset) string {
	for _, ct := range a.Contributors {
		if slices.Contains(ct.Roles, asset.RolePublisher) {
			if name := strings.TrimSpace(ct.Name); name != "" {
				return name
			}
		}
	}
	return ""
}

// Merge adds every entry of others to c, keeping each entry's publisher and
// source; the asset trees are shared, not copied. An asset ID that ends up
// held by several entries is not merged away: each entry stays, and the
// report has a warning "framework.catalogue.id.duplicate" for every entry
// added whose ID was already in the catalogue, saying whether the
// publishers differ. Merging a catalogue into itself is a no-op.
func (c *Catalogue) Merge(others ...*Catalogue) ota.Report {
	var rep ota.Report
	for _, o := range others {
		if o == nil || o == c {
			continue
		}
		added := o.Entries()
		c.mu.Lock()
		for _, e := range added {
			cp := *e
			cp.pos = int32(len(c.entries))
			c.entries = append(c.entries, &cp)
		}
		rep.Add(c.duplicatesAmong(len(c.entries) - len(added))...)
		c.mu.Unlock()
	}
	return rep
}

// duplicatesAmong reports the entries from index from on whose ID is held
// by an earlier entry. The caller holds the write lock.
func (c *Catalogue) duplicatesAmong(from int) []ota.Issue {
	c.ensureIndexLocked()
	var out []ota.Issue
	for _, e := range c.entries[from:] {
		if e.Asset.ID == "" {
			continue
		}
		holders := c.idx.byID.get(e.Asset.ID)
		if len(holders) < 2 || holders[0] == e.pos {
			continue
		}
		first := c.entries[holders[0]]
		out = append(out, DuplicateIssue(e, first.Location(), first.Publisher))
	}
	return out
}

// DuplicateIssue is the warning "framework.catalogue.id.duplicate" that
// [LoadFS], [Catalogue.AddDocument] and [Catalogue.Merge] give an entry
// whose asset ID an earlier entry holds, that entry being at firstLocation
// ([Entry.Location]) and published by firstPublisher. It is for programs
// that read a catalogue with [Walk] and [DocumentEntries] without holding
// it, and keep their own index of the IDs seen.
func DuplicateIssue(e *Entry, firstLocation, firstPublisher string) ota.Issue {
	msg := fmt.Sprintf("asset ID %q is also held by %s, published by %s; both entries are kept",
		e.Asset.ID, firstLocation, orUnknown(firstPublisher))
	if firstPublisher == e.Publisher {
		msg = fmt.Sprintf("asset ID %q is also held by %s of the same publisher; both entries are kept — remove one copy, or give a changed asset a new version",
			e.Asset.ID, firstLocation)
	} else {
		msg += " — if this is an adaptation, give it its own ID and an isBasedOn relation"
	}
	return ota.Issue{Pointer: e.Location(), Code: "framework.catalogue.id.duplicate", Severity: ota.Warning, Message: msg}
}

func orUnknown(publisher string) string {
	if publisher == "" {
		return "an unknown publisher"
	}
	return publisher
}

// Len returns the number of entries.
func (c *Catalogue) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Entries returns every entry, in catalogue order. The slice is the
// caller's; the entries are shared.
func (c *Catalogue) Entries() []*Entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.entries)
}

// ByID returns the entries whose asset has the given ID, in catalogue
// order: one normally, several when publishers reuse an ID.
func (c *Catalogue) ByID(id string) []*Entry {
	c.readLock()
	defer c.mu.RUnlock()
	return c.resolve(c.idx.byID.get(id))
}

// Lookup returns the asset with the given ID — the first entry's when
// several hold it — or nil. Its signature is a curriculum.Resolver, so a pathway can
// be resolved against a catalogue: p.Resolve(cat.Lookup).
func (c *Catalogue) Lookup(id string) *asset.Asset {
	if es := c.ByID(id); len(es) > 0 {
		return es[0].Asset
	}
	return nil
}

// Publishers returns the distinct publishers of the entries, sorted. The
// empty name of entries whose publisher is unknown is included when there
// are any.
func (c *Catalogue) Publishers() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	seen := make(map[string]bool)
	var out []string
	for _, e := range c.entries {
		if !seen[e.Publisher] {
			seen[e.Publisher] = true
			out = append(out, e.Publisher)
		}
	}
	slices.Sort(out)
	return out
}

// Duplicate is an asset ID held by more than one entry of a catalogue.
type Duplicate struct {
	// ID is the asset ID.
	ID string
	// Entries hold it, in catalogue order.
	Entries []*Entry
}

// CrossPublisher reports whether the entries come from more than one
// publisher.
func (d Duplicate) CrossPublisher() bool {
	for _, e := range d.Entries[1:] {
		if e.Publisher != d.Entries[0].Publisher {
			return true
		}
	}
	return false
}

// Duplicates returns every asset ID held by more than one entry, in the
// catalogue order of the ID's first entry.
func (c *Catalogue) Duplicates() []Duplicate {
	c.readLock()
	defer c.mu.RUnlock()
	var out []Duplicate
	for _, e := range c.entries {
		holders := c.idx.byID.get(e.Asset.ID)
		if e.Asset.ID == "" || len(holders) < 2 || holders[0] != e.pos {
			continue
		}
		out = append(out, Duplicate{ID: e.Asset.ID, Entries: c.resolve(holders)})
	}
	return out
}

// resolve turns entry positions into entries.
func (c *Catalogue) resolve(ps []int32) []*Entry {
	if len(ps) == 0 {
		return nil
	}
	out := make([]*Entry, len(ps))
	for i, p := range ps {
		out[i] = c.entries[p]
	}
	return out
}
