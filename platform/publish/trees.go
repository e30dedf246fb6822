package publish

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/catalogue"
)

// CodeDocumentChanged: a document read again to package its tree and write
// its pages was gone or no longer the tree first read, so the tree's pages
// and downloads were not written (error; publish again).
const CodeDocumentChanged = "publish.document.changed"

// eachTree calls fn with every tree to publish and its full asset tree,
// and stops at the first error fn returns.
type eachTree func(ctx context.Context, fn func(t *tree, root *asset.Asset) error) error

// loadSummaries reads the catalogue under src as catalogue.LoadFS does,
// with the same report, but keeps of each asset only its summary.
func loadSummaries(ctx context.Context, src fs.FS, opts catalogue.LoadOptions) (*catalogue.Catalogue, ota.Report, error) {
	cat := &catalogue.Catalogue{}
	rep, err := catalogue.Walk(src, opts, func(path string, root *asset.Asset, rep *ota.Report) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep.Merge(cat.AddDocument(opts.Publisher, path, summary(root)))
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	return cat, rep, nil
}

// summary copies of an asset tree what a site needs of every asset besides
// its own page and downloads: what the index, the feed, the sitemap,
// coverage, links to it (title, kind) and lineage read, and what
// catalogue.LoadFS chooses publishers and languages by. Every string is
// copied: the decoder's share the whole document's text.
func summary(a *asset.Asset) *asset.Asset {
	c := strings.Clone
	x := &asset.Asset{
		ID: c(a.ID), Version: c(a.Version), Kind: asset.Kind(c(string(a.Kind))), Title: cloneLangString(a.Title),
		Duration: a.Duration, Created: c(a.Created), Modified: c(a.Modified), Published: c(a.Published),
		Alignments: cloneAlignments(a.Alignments),
	}
	for _, l := range a.Languages {
		x.Languages = append(x.Languages, c(l))
	}
	for _, ct := range a.Contributors {
		if slices.Contains(ct.Roles, asset.RolePublisher) {
			x.Contributors = append(x.Contributors, asset.Contributor{Name: c(ct.Name), Roles: []asset.Role{asset.RolePublisher}})
		}
	}
	for _, o := range a.Objectives {
		if len(o.Alignments) > 0 {
			x.Objectives = append(x.Objectives, asset.Objective{Alignments: cloneAlignments(o.Alignments)})
		}
	}
	for _, r := range a.Relations {
		x.Relations = append(x.Relations, asset.Relation{Type: asset.RelationType(c(string(r.Type))), Target: c(r.Target)})
	}
	if len(a.Parts) > 0 {
		x.Parts = make([]asset.Asset, len(a.Parts))
		for i := range a.Parts {
			x.Parts[i] = *summary(&a.Parts[i])
		}
	}
	return x
}

func cloneLangString(ls asset.LangString) asset.LangString {
	if ls == nil {
		return nil
	}
	out := make(asset.LangString, len(ls))
	for tag, v := range ls {
		out[strings.Clone(tag)] = strings.Clone(v)
	}
	return out
}

func cloneAlignments(als []asset.Alignment) []asset.Alignment {
	var out []asset.Alignment
	for _, al := range als {
		out = append(out, asset.Alignment{Framework: strings.Clone(al.Framework), Version: strings.Clone(al.Version),
			Code: strings.Clone(al.Code), Relation: asset.AlignmentRelation(strings.Clone(string(al.Relation))), Level: strings.Clone(al.Level)})
	}
	return out
}

// loadedTrees is the eachTree of a catalogue whose entries hold full trees.
func (s *site) loadedTrees(ctx context.Context, fn func(t *tree, root *asset.Asset) error) error {
	for _, t := range s.trees {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(t, t.root.Asset); err != nil {
			return err
		}
	}
	return nil
}

// rereadTrees is the eachTree that reads every tree's document again from
// src; a tree whose document is gone or changed is reported.
func (s *site) rereadTrees(src fs.FS) eachTree {
	return func(ctx context.Context, fn func(t *tree, root *asset.Asset) error) error {
		byPath := make(map[string]*tree, len(s.trees))
		for _, t := range s.trees {
			byPath[t.root.Source] = t
		}
		_, err := catalogue.Walk(src, s.opts.Load, func(path string, root *asset.Asset, _ *ota.Report) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			t := byPath[path]
			if t == nil {
				return nil // a duplicate tree, or a document added since the first reading
			}
			delete(byPath, path)
			if root.ID != t.root.Asset.ID {
				s.changed(t)
				return nil
			}
			return fn(t, root)
		})
		for _, t := range s.trees {
			if byPath[t.root.Source] == t {
				s.changed(t)
			}
		}
		return err
	}
}

// changed reports a tree whose document changed during the publication.
func (s *site) changed(t *tree) {
	s.addIssue(ota.Issue{Pointer: t.root.Location(), Code: CodeDocumentChanged, Severity: ota.Error,
		Message: "the document was gone or changed when read again to write its pages and downloads, which were not written; publish again"})
}

// writeTrees packages every tree and writes its pages with a pool of
// workers, the trees coming from each.
func (s *site) writeTrees(ctx context.Context, each eachTree) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		t    *tree
		root *asset.Asset
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var firstErr error
	var errMu sync.Mutex
	for range s.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := s.writeTree(ctx, j.t, j.root); err != nil {
					errMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					errMu.Unlock()
					cancel()
				}
			}
		}()
	}
	err := each(ctx, func(t *tree, root *asset.Asset) error {
		select {
		case jobs <- job{t, root}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return err
}

// writeTree makes a tree's downloads and writes its pages, from its full
// tree root.
func (s *site) writeTree(ctx context.Context, t *tree, root *asset.Asset) error {
	if err := s.packageTree(ctx, t, root); err != nil {
		return err
	}
	full := map[string]*asset.Asset{}
	for ptr, x := range root.All() {
		full[ptr] = x
	}
	changed := false
	for _, p := range t.pages {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := full[p.entry.Pointer]
		if a == nil || a.ID != p.entry.Asset.ID {
			if !changed {
				s.changed(t)
			}
			changed = true
			continue
		}
		var parent *asset.Asset
		if ptr, ok := parentPointer(p.entry.Pointer); ok {
			parent = full[ptr]
		}
		if err := s.writePage(p, a, parent); err != nil {
			return err
		}
	}
	return nil
}
