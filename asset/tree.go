package asset

import (
	"encoding/json"
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
)

// SkipParts is returned by a [WalkFunc] to skip the parts of the asset it
// was called for. It is not returned by [Asset.Walk]. It is named like
// fs.SkipDir, which plays the same part.
//
//lint:ignore ST1012 a control value named after fs.SkipDir, not an error
var SkipParts = errors.New("skip parts")

// WalkFunc is called by [Asset.Walk] for each asset of a tree. ptr is the
// JSON Pointer of the asset relative to the root ("" for the root,
// "/parts/0/parts/2" for a grandchild) and parent is nil for the root.
type WalkFunc func(a *Asset, ptr string, parent *Asset) error

// Walk calls fn for a and every asset below it, depth first, parents before
// their parts, parts in order. It stops at the first error fn returns other
// than [SkipParts] and returns it. Walk does not recurse without bound on
// the Go stack: it keeps its own stack.
func (a *Asset) Walk(fn WalkFunc) error {
	type frame struct {
		a      *Asset
		ptr    string
		parent *Asset
	}
	stack := []frame{{a, "", nil}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		err := fn(f.a, f.ptr, f.parent)
		if err == SkipParts {
			continue
		}
		if err != nil {
			return err
		}
		for i := len(f.a.Parts) - 1; i >= 0; i-- {
			stack = append(stack, frame{&f.a.Parts[i], f.ptr + "/parts/" + strconv.Itoa(i), f.a})
		}
	}
	return nil
}

// All returns an iterator over a and every asset below it, in the order of
// [Asset.Walk], yielding each asset's JSON Pointer with it.
func (a *Asset) All() iter.Seq2[string, *Asset] {
	return func(yield func(string, *Asset) bool) {
		stop := errors.New("stop")
		_ = a.Walk(func(x *Asset, ptr string, _ *Asset) error {
			if !yield(ptr, x) {
				return stop
			}
			return nil
		})
	}
}

// Find returns the asset with the given ID in the tree rooted at a, and its
// JSON Pointer, or nil and "" when there is none.
func (a *Asset) Find(id string) (*Asset, string) {
	for ptr, x := range a.All() {
		if x.ID == id {
			return x, ptr
		}
	}
	return nil, ""
}

// Leaves returns the assets of the tree that have no parts, in order.
func (a *Asset) Leaves() []*Asset {
	var out []*Asset
	for _, x := range a.All() {
		if len(x.Parts) == 0 {
			out = append(out, x)
		}
	}
	return out
}

// CountLeaves returns the number of assets in the tree that have no parts.
func (a *Asset) CountLeaves() int {
	n := 0
	for _, x := range a.All() {
		if len(x.Parts) == 0 {
			n++
		}
	}
	return n
}

// Count returns the number of assets in the tree, a included.
func (a *Asset) Count() int {
	n := 0
	for range a.All() {
		n++
	}
	return n
}

// TotalDuration returns how long the whole tree takes: the sum of its
// parts' total durations, or the asset's own Duration when it has no parts
// or when none of its parts states a duration. A parent's stated duration is
// thus used only where its parts say nothing. The sum is normalised (PT45M +
// PT45M is PT1H30M; see [Duration.Normalize]).
func (a *Asset) TotalDuration() Duration {
	// Iterative post-order so that deep trees do not exhaust the stack.
	type frame struct {
		a    *Asset
		next int
		sum  Duration
	}
	stack := []frame{{a: a}}
	var result Duration
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.a.Parts) {
			child := &top.a.Parts[top.next]
			top.next++
			stack = append(stack, frame{a: child})
			continue
		}
		total := top.sum
		if total.IsZero() {
			total = top.a.Duration
		}
		stack = stack[:len(stack)-1]
		if len(stack) == 0 {
			result = total.Normalize()
		} else {
			p := &stack[len(stack)-1]
			p.sum = p.sum.Add(total)
		}
	}
	return result
}

// Clone returns a deep copy of the tree rooted at a: changing the copy never
// changes a.
func (a *Asset) Clone() *Asset {
	c := a.clone()
	return &c
}

func (a *Asset) clone() Asset {
	c := *a
	c.Title = a.Title.Clone()
	c.Description = a.Description.Clone()
	c.Keywords = a.Keywords.Clone()
	c.Languages = slices.Clone(a.Languages)
	c.Audience = a.Audience.Clone()
	c.Accessibility = a.Accessibility.Clone()
	c.DeliveryModes = slices.Clone(a.DeliveryModes)
	c.Prerequisites = slices.Clone(a.Prerequisites)
	c.Extensions = cloneRaw(a.Extensions)
	c.Unknown = cloneRaw(a.Unknown)
	if a.Contributors != nil {
		c.Contributors = make([]Contributor, len(a.Contributors))
		for i, x := range a.Contributors {
			x.Roles = slices.Clone(x.Roles)
			x.Unknown = cloneRaw(x.Unknown)
			c.Contributors[i] = x
		}
	}
	if a.Objectives != nil {
		c.Objectives = make([]Objective, len(a.Objectives))
		for i, x := range a.Objectives {
			x.Text = x.Text.Clone()
			x.Alignments = cloneAlignments(x.Alignments)
			x.Unknown = cloneRaw(x.Unknown)
			c.Objectives[i] = x
		}
	}
	c.Alignments = cloneAlignments(a.Alignments)
	if a.Resources != nil {
		c.Resources = make([]Resource, len(a.Resources))
		for i, x := range a.Resources {
			x.Title = x.Title.Clone()
			x.Unknown = cloneRaw(x.Unknown)
			c.Resources[i] = x
		}
	}
	if a.Relations != nil {
		c.Relations = make([]Relation, len(a.Relations))
		for i, x := range a.Relations {
			x.Unknown = cloneRaw(x.Unknown)
			c.Relations[i] = x
		}
	}
	if a.Parts != nil {
		c.Parts = make([]Asset, len(a.Parts))
		for i := range a.Parts {
			c.Parts[i] = a.Parts[i].clone()
		}
	}
	return c
}

func cloneAlignments(in []Alignment) []Alignment {
	if in == nil {
		return nil
	}
	out := make([]Alignment, len(in))
	for i, x := range in {
		x.Unknown = cloneRaw(x.Unknown)
		out[i] = x
	}
	return out
}

func cloneRaw(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = slices.Clone(v)
	}
	return out
}
