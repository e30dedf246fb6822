package archive

import (
	"slices"
	"strings"
	"sync/atomic"
)

// node is a file or folder of an accepted archive.
type node struct {
	name     string  // cleaned path; "." for the root
	isDir    bool    // a folder, explicit or implied
	entry    int     // index into Archive.entries; -1 for an implied folder or the root
	source   int     // Index of the entry that created the node, for messages
	children []*node // sorted by name
	hw       atomic.Int64
}

// treeBuilder assembles the nodes of an archive and finds duplicates,
// case collisions and file/folder conflicts on the way.
type treeBuilder struct {
	c         *collector
	allowCase bool
	nodes     map[string]*node
	fold      map[string]string
	ambiguous map[string]bool
	slab      []node // nodes are allocated from here, a chunk at a time
	lastDir   string // the parent folder of the previous name, known to exist
	lastNode  *node  // the parent node of the previous insert
}

// newTree starts a tree for about n names.
func newTree(c *collector, allowCase bool, n int) *treeBuilder {
	t := &treeBuilder{
		c:         c,
		allowCase: allowCase,
		nodes:     make(map[string]*node, n+n/8+1),
		fold:      make(map[string]string, n+n/8+1),
		ambiguous: map[string]bool{},
		lastDir:   ".",
	}
	t.nodes["."] = &node{name: ".", isDir: true, entry: -1, source: -1}
	return t
}

// newNode allocates a node from the slab.
func (t *treeBuilder) newNode(name string, isDir bool, entry, source int) *node {
	if len(t.slab) == cap(t.slab) {
		t.slab = make([]node, 0, 1024) // a new chunk: earlier nodes keep their addresses
	}
	t.slab = append(t.slab, node{name: name, isDir: isDir, entry: entry, source: source})
	return &t.slab[len(t.slab)-1]
}

// add inserts a checked name with its implied parent folders. entry is the
// index into Archive.entries; idx and raw identify the entry in messages.
func (t *treeBuilder) add(name string, isDir bool, entry, idx int, raw string) {
	parent := "."
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		parent = name[:i]
	}
	if parent != t.lastDir { // archives list a folder's files together: skip the walk up
		for i := 0; i < len(name); i++ {
			if name[i] == '/' && !t.dir(name[:i], -1, idx, raw) {
				return
			}
		}
		t.lastDir = parent
	}
	if isDir {
		t.dir(name, entry, idx, raw)
		return
	}
	if n, ok := t.nodes[name]; ok {
		if n.isDir {
			t.c.add(ErrConflict, idx, raw, "%q is also a folder (from entry %d)", name, n.source)
		} else {
			t.c.add(ErrDuplicate, idx, raw, "%q is also entry %d", name, n.source)
		}
		return
	}
	t.insert(t.newNode(name, false, entry, idx), raw)
}

// dir makes sure the folder p exists, and reports false when p is a file.
func (t *treeBuilder) dir(p string, entry, idx int, raw string) bool {
	if n, ok := t.nodes[p]; ok {
		if !n.isDir {
			t.c.add(ErrConflict, idx, raw, "%q is also a file (entry %d)", p, n.source)
			return false
		}
		if n.entry < 0 {
			n.entry = entry
		}
		return true
	}
	t.insert(t.newNode(p, true, entry, idx), raw)
	return true
}

// insert adds a new node under its parent, which exists, after checking
// that no other name differs from it only in case.
func (t *treeBuilder) insert(n *node, raw string) {
	k := foldKey(n.name)
	if other, ok := t.fold[k]; ok {
		if t.allowCase {
			t.ambiguous[k] = true
		} else {
			t.c.add(ErrCaseCollision, n.source, raw, "%q and %q (from entry %d) are one name on case-insensitive file systems", n.name, other, t.nodes[other].source)
		}
	} else {
		t.fold[k] = n.name
	}
	t.nodes[n.name] = n
	parent := "."
	if i := strings.LastIndexByte(n.name, '/'); i >= 0 {
		parent = n.name[:i]
	}
	p := t.lastNode
	if p == nil || p.name != parent {
		p = t.nodes[parent]
		t.lastNode = p
	}
	p.children = append(p.children, n)
}

// finish sorts every folder's children and hands the tree to a.
func (t *treeBuilder) finish(a *Archive) {
	byName := func(x, y *node) int { return strings.Compare(x.name, y.name) }
	for _, n := range t.nodes {
		if len(n.children) > 1 && !slices.IsSortedFunc(n.children, byName) {
			slices.SortFunc(n.children, byName)
		}
	}
	a.nodes, a.fold, a.ambiguous = t.nodes, t.fold, t.ambiguous
}
