package framework

import (
	"iter"
)

// Node returns the node whose code is code, or nil. It scans the nodes;
// for many look-ups build an [Index].
func (f *Framework) Node(code string) *Node {
	for i := range f.Nodes {
		if f.Nodes[i].Code == code {
			return &f.Nodes[i]
		}
	}
	return nil
}

// Children returns the nodes whose parent is code, in the order of Nodes.
// Children("") returns the nodes without a parent.
func (f *Framework) Children(code string) []*Node {
	var out []*Node
	for i := range f.Nodes {
		if f.Nodes[i].Parent == code {
			out = append(out, &f.Nodes[i])
		}
	}
	return out
}

// Roots returns the top-level nodes, in the order of Nodes: those without a
// parent and those whose parent does not exist.
func (f *Framework) Roots() []*Node { return f.Index().Roots() }

// Ancestors returns the ancestors of the node whose code is code, from its
// parent up to the top level. It stops before a node seen twice, so it ends
// on parent cycles, and at a parent that does not exist. It returns nil for
// an unknown code or a top-level node.
func (f *Framework) Ancestors(code string) []*Node { return f.Index().Ancestors(code) }

// All returns every node once, in hierarchy order: depth first, each node
// before its children, siblings in the order of Nodes, starting from
// [Framework.Roots]. Nodes that hang in a parent cycle, and so are reachable
// from no root, come last in the order of Nodes.
func (f *Framework) All() iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		for _, n := range f.Walk() {
			if !yield(n) {
				return
			}
		}
	}
}

// Walk is [Framework.All] with each node's depth: 0 for the roots, 1 for
// their children and so on. Nodes in a parent cycle are given depth 0.
func (f *Framework) Walk() iter.Seq2[int, *Node] { return f.Index().Walk() }

// Count returns how many nodes are of kind k; Count("") returns how many
// nodes there are.
func (f *Framework) Count(k NodeKind) int {
	if k == "" {
		return len(f.Nodes)
	}
	n := 0
	for i := range f.Nodes {
		if f.Nodes[i].Kind == k {
			n++
		}
	}
	return n
}

// Scale returns the scale whose ID is id, or nil.
func (f *Framework) Scale(id string) *Scale {
	for i := range f.Scales {
		if f.Scales[i].ID == id {
			return &f.Scales[i]
		}
	}
	return nil
}

// Index is a snapshot of a framework's hierarchy for fast look-ups. It
// points into the framework's Nodes slice: rebuild it after changing the
// nodes.
type Index struct {
	nodes    []*Node
	byCode   map[string]*Node
	children map[string][]*Node
	roots    []*Node
}

// Index builds an [Index] of f. When two nodes share a code, the first
// wins.
func (f *Framework) Index() *Index {
	x := &Index{
		nodes:    make([]*Node, len(f.Nodes)),
		byCode:   make(map[string]*Node, len(f.Nodes)),
		children: make(map[string][]*Node),
	}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		x.nodes[i] = n
		if _, dup := x.byCode[n.Code]; !dup {
			x.byCode[n.Code] = n
		}
	}
	for _, n := range x.nodes {
		if n.Parent == "" || x.byCode[n.Parent] == nil {
			x.roots = append(x.roots, n)
			continue
		}
		x.children[n.Parent] = append(x.children[n.Parent], n)
	}
	return x
}

// Node returns the node whose code is code, or nil.
func (x *Index) Node(code string) *Node { return x.byCode[code] }

// Children returns the nodes whose parent is code, in the order of the
// framework's Nodes. Children("") returns nil; use [Index.Roots].
func (x *Index) Children(code string) []*Node {
	if code == "" {
		return nil
	}
	return x.children[code]
}

// Roots returns the top-level nodes: those without a parent and those whose
// parent does not exist.
func (x *Index) Roots() []*Node { return x.roots }

// Ancestors returns the ancestors of the node whose code is code, as
// [Framework.Ancestors] does.
func (x *Index) Ancestors(code string) []*Node {
	n := x.byCode[code]
	if n == nil {
		return nil
	}
	var out []*Node
	seen := map[*Node]bool{n: true}
	for p := x.byCode[n.Parent]; p != nil && n.Parent != "" && !seen[p]; p = x.byCode[n.Parent] {
		seen[p] = true
		out = append(out, p)
		n = p
	}
	return out
}

// Walk yields every node once with its depth, as [Framework.Walk] does.
func (x *Index) Walk() iter.Seq2[int, *Node] {
	return func(yield func(int, *Node) bool) {
		type frame struct {
			n     *Node
			depth int
		}
		seen := make(map[*Node]bool, len(x.nodes))
		var stack []frame
		visit := func(start *Node) bool {
			stack = append(stack[:0], frame{start, 0})
			for len(stack) > 0 {
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if seen[f.n] {
					continue
				}
				seen[f.n] = true
				if !yield(f.depth, f.n) {
					return false
				}
				// A node shadowed by an earlier one with the same code
				// has no children of its own.
				if x.byCode[f.n.Code] != f.n {
					continue
				}
				kids := x.children[f.n.Code]
				for i := len(kids) - 1; i >= 0; i-- {
					if !seen[kids[i]] {
						stack = append(stack, frame{kids[i], f.depth + 1})
					}
				}
			}
			return true
		}
		for _, r := range x.roots {
			if !visit(r) {
				return
			}
		}
		for _, n := range x.nodes {
			if !seen[n] && !visit(n) {
				return
			}
		}
	}
}
