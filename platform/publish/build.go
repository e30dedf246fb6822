package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/catalogue"
	"github.com/metaacademy/ota/mapping"
)

// readSummaries reads the catalogue under src as catalogue.LoadFS does,
// with the same report, and adds each document's tree to the ledger as it
// goes; no tree is kept.
func (s *site) readSummaries(ctx context.Context, src fs.FS) (ota.Report, error) {
	opts := s.opts.Load
	rep, err := catalogue.Walk(src, opts, func(path string, root *asset.Asset, rep *ota.Report) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		// The entries as LoadFS makes them; the IDs held by earlier
		// entries are the ledger's to find.
		entries, docRep := catalogue.DocumentEntries(opts.Publisher, path, root)
		rep.Merge(docRep)
		return s.addTree(entries, rep)
	})
	if err == nil {
		err = s.l.commit()
	}
	return rep, err
}

// addEntries adds the entries of a catalogue already loaded, tree by tree.
// Their full trees are kept for the second pass (loaded).
func (s *site) addEntries(cat *catalogue.Catalogue) error {
	entries := cat.Entries()
	for len(entries) > 0 {
		n := 1
		for n < len(entries) && entries[n].Root == entries[0].Root && !entries[n].IsRoot() {
			n++
		}
		before := s.trees
		if err := s.addTree(entries[:n], nil); err != nil {
			return err
		}
		if s.trees > before {
			s.loaded = append(s.loaded, entries[0].Root)
		}
		entries = entries[n:]
	}
	return s.l.commit()
}

// addTree adds one tree's entries, root first in catalogue order, to the
// ledger, and decides what of it is published: each asset ID once, from
// the first tree holding it (a tree whose root's ID is taken is left out
// whole), as CodeDuplicateID says. With catRep, the IDs held by earlier
// entries are reported there as catalogue.LoadFS reports them.
func (s *site) addTree(entries []*catalogue.Entry, catRep *ota.Report) error {
	if len(entries) == 0 {
		return nil
	}
	l := s.l
	l.mu.Lock()
	defer l.mu.Unlock()
	var cur int64 // the tree being added, 0 when none
	var treeSlug string
	for _, e := range entries {
		id := e.Asset.ID
		var prevTree int64
		var prevLoc string
		published := false
		if id != "" {
			first, err := l.firstLocked(id)
			if err != nil {
				return err
			}
			if first != nil && catRep != nil {
				catRep.Add(catalogue.DuplicateIssue(e, first.Location, first.Publisher))
			}
			published, prevTree, prevLoc, err = l.publishedLocked(id)
			if err != nil {
				return err
			}
		}
		slug := ""
		switch {
		case id == "":
		case published:
			if e.IsRoot() || prevTree != cur {
				s.rep.Add(ota.Issue{Pointer: e.Location(), Code: CodeDuplicateID, Severity: ota.Warning,
					Message: fmt.Sprintf("asset ID %q is also held by %s; only that one is published", id, prevLoc)})
			}
		case e.IsRoot():
			var err error
			if treeSlug, err = l.uniqueSlugLocked(id); err != nil {
				return err
			}
			s.trees++
			cur, slug = int64(s.trees), treeSlug
		case cur != 0 && e.Root == entries[0].Root:
			var err error
			if slug, err = l.uniqueSlugLocked(id); err != nil {
				return err
			}
		}
		pos, err := l.addEntryLocked(e, cur, slug)
		if err != nil {
			return err
		}
		if slug == "" {
			continue
		}
		s.pages++
		if e.IsRoot() {
			if err := s.addTreeRowLocked(cur, pos, e, treeSlug); err != nil {
				return err
			}
		}
	}
	return nil
}

// addTreeRowLocked records a published tree for the index, and counts it
// in the coverage of every framework.
func (s *site) addTreeRowLocked(seq, pos int64, root *catalogue.Entry, slug string) error {
	a := root.Asset
	note := kindLabel(a.Kind)
	if d := a.TotalDuration(); !d.IsZero() {
		note += ", " + humanDuration(d)
	}
	if len(a.Languages) > 0 {
		note += ", " + strings.Join(a.Languages, " ")
	}
	listed := root.Publisher
	if listed == "" {
		listed = "Publisher not stated"
	}
	_, err := s.l.exec(true, `INSERT INTO tree (seq, pos, source, slug, listed, note) VALUES (?, ?, ?, ?, ?, ?)`,
		seq, pos, root.Source, slug, listed, note)
	for _, c := range s.covs {
		c.b.Add(mapping.Entry{Asset: a, Publisher: root.Publisher})
	}
	return err
}

// publishedLocked reports whether an entry holding id is published, in
// which tree and where it is.
func (l *ledger) publishedLocked(id string) (bool, int64, string, error) {
	st, err := l.prepared(`SELECT tree, loc FROM entry WHERE id = ? AND slug IS NOT NULL LIMIT 1`)
	if err != nil {
		return false, 0, "", err
	}
	var tree int64
	var loc string
	switch err := st.QueryRow(id).Scan(&tree, &loc); {
	case err == nil:
		return true, tree, loc, nil
	case isNoRows(err):
		return false, 0, "", nil
	default:
		return false, 0, "", fmt.Errorf("publish: ledger: %w", err)
	}
}

// uniqueSlugLocked returns id's slug, lengthened on the rare collision of
// two IDs' 32-bit hashes and words (see slugOf).
func (l *ledger) uniqueSlugLocked(id string) (string, error) {
	st, err := l.prepared(`SELECT id FROM slug WHERE slug = ?`)
	if err != nil {
		return "", err
	}
	s := slugOf(id)
	for n := 2; ; n++ {
		var holder string
		switch err := st.QueryRow(s).Scan(&holder); {
		case isNoRows(err):
			if _, err := l.exec(true, `INSERT INTO slug (slug, id) VALUES (?, ?)`, s, id); err != nil {
				return "", err
			}
			return s, nil
		case err != nil:
			return "", fmt.Errorf("publish: ledger: %w", err)
		case holder == id:
			return s, nil
		}
		s = fmt.Sprintf("%s-%d", slugOf(id), n)
	}
}

// addEntryLocked records an entry and its lineage relations; tree and slug
// are 0 and "" for an entry not published.
func (l *ledger) addEntryLocked(e *catalogue.Entry, tree int64, slug string) (int64, error) {
	a := e.Asset
	title, err := json.Marshal(a.Title)
	if err != nil {
		return 0, fmt.Errorf("publish: ledger: %w", err)
	}
	var treeArg, slugArg any
	if slug != "" {
		treeArg, slugArg = tree, slug
	}
	res, err := l.exec(true, `INSERT INTO entry (id, loc, ptr, publisher, kind, title, modified, tree, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, e.Location(), e.Pointer, e.Publisher, string(a.Kind), title, a.Modified, treeArg, slugArg)
	if err != nil {
		return 0, err
	}
	pos, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("publish: ledger: %w", err)
	}
	for i, r := range a.Relations {
		if catalogue.IsLineage(r.Type) && r.Target != "" {
			if _, err := l.exec(true, `INSERT INTO rel (pos, ord, type, target) VALUES (?, ?, ?, ?)`, pos, i, string(r.Type), r.Target); err != nil {
				return 0, err
			}
		}
	}
	return pos, nil
}

// isNoRows reports whether a query found no row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
