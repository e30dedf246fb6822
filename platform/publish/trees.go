package publish

import (
	"context"
	"io/fs"
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

// loadedTrees is the eachTree of a catalogue whose entries hold full trees.
func (s *site) loadedTrees(ctx context.Context, fn func(t *tree, root *asset.Asset) error) error {
	for i, root := range s.loaded {
		if err := ctx.Err(); err != nil {
			return err
		}
		t, err := s.l.tree("t.seq = ?", i+1)
		if err != nil {
			return err
		}
		if err := fn(t, root); err != nil {
			return err
		}
	}
	return nil
}

// rereadTrees is the eachTree that reads every tree's document again from
// src; a tree whose document is gone or changed is reported.
func (s *site) rereadTrees(src fs.FS) eachTree {
	return func(ctx context.Context, fn func(t *tree, root *asset.Asset) error) error {
		_, err := catalogue.Walk(src, s.opts.Load, func(path string, root *asset.Asset, _ *ota.Report) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			t, err := s.l.tree("t.source = ? AND t.reread = 0", path)
			if err != nil || t == nil {
				return err // nil: a duplicate tree, or a document added since the first reading
			}
			if err := s.l.markReread(t.seq); err != nil {
				return err
			}
			if root.ID != t.id {
				s.changed(t.loc)
				return nil
			}
			return fn(t, root)
		})
		if err != nil {
			return err
		}
		gone, err := s.l.unread()
		for _, loc := range gone {
			s.changed(loc)
		}
		return err
	}
}

// changed reports a tree whose document changed during the publication.
func (s *site) changed(loc string) {
	s.addIssue(ota.Issue{Pointer: loc, Code: CodeDocumentChanged, Severity: ota.Error,
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
// tree root, and records them in the ledger.
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
		a := full[p.ptr]
		if a == nil || a.ID != p.id {
			if !changed {
				s.changed(t.loc)
			}
			changed = true
			continue
		}
		var parent *asset.Asset
		if ptr, ok := parentPointer(p.ptr); ok {
			parent = full[ptr]
		}
		if err := s.writePage(p, a, parent); err != nil {
			return err
		}
	}
	return s.l.finishTree(t, s.feedEntry(t, root))
}
