package curriculum

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// Pathway is an ordered plan over training assets for a learner profile: a
// curriculum. Its steps name assets by ID; [Pathway.Resolve] looks them up
// in a catalogue or any other [Resolver] and gives a [Plan] that orders
// them by their prerequisites, adds up their durations and lists the
// competencies they cover.
//
// Its JSON form uses the field tags below.
type Pathway struct {
	// ID identifies the pathway: an absolute IRI.
	ID string `json:"id"`
	// Title is the pathway's name, in one or more languages.
	Title asset.LangString `json:"title,omitempty"`
	// Description says what the pathway leads to, in one or more
	// languages.
	Description asset.LangString `json:"description,omitempty"`
	// Profile is a short key of the learner profile the pathway is for
	// ("methodologist", "data-scientist"), for grouping pathways.
	Profile string `json:"profile,omitempty"`
	// Audience describes who the pathway is for, in prose.
	Audience asset.LangString `json:"audience,omitempty"`
	// Steps are the pathway's assets in the order the pathway proposes.
	// [Plan.Order] keeps this order wherever prerequisites allow.
	Steps []Step `json:"steps,omitempty"`
	// EntryRequirements are what a learner must already have before
	// starting.
	EntryRequirements EntryRequirements `json:"entryRequirements,omitzero"`
	// Prerequisites are ordering constraints the pathway adds between its
	// steps, on top of the prerequisites the assets declare themselves.
	Prerequisites []Prerequisite `json:"prerequisites,omitempty"`
}

// Step is one asset of a pathway.
type Step struct {
	// AssetID is the ID of the asset to take.
	AssetID string `json:"assetId"`
	// Required is true when the learner must take the step; false makes
	// it optional (an elective).
	Required bool `json:"required,omitempty"`
	// Note tells the learner why the step is there or how to take it.
	Note asset.LangString `json:"note,omitempty"`
}

// EntryRequirements are what a learner must have before starting a
// pathway.
type EntryRequirements struct {
	// Alignments are the framework nodes the learner must already master,
	// each with the relation requires and optionally a level.
	Alignments []asset.Alignment `json:"alignments,omitempty"`
	// Assets are the IDs of assets the learner must already have taken.
	Assets []string `json:"assets,omitempty"`
}

// IsZero reports whether r requires nothing.
func (r EntryRequirements) IsZero() bool { return len(r.Alignments) == 0 && len(r.Assets) == 0 }

// Prerequisite is an ordering constraint a pathway adds: the step whose
// asset is Asset comes after the step whose asset is Requires.
type Prerequisite struct {
	// Asset is the asset ID of the later step.
	Asset string `json:"asset"`
	// Requires is the asset ID of the step to take first.
	Requires string `json:"requires"`
}

// Resolver looks up an asset by ID, returning nil when it knows none.
// catalogue.Catalogue.Lookup is one; [LookupIn] makes one from asset trees.
type Resolver func(id string) *asset.Asset

// LookupIn returns a [Resolver] over every asset of the trees rooted at
// roots, parts included. When several assets share an ID the first, in the
// order of the roots and then of [asset.Asset.All], wins.
func LookupIn(roots ...*asset.Asset) Resolver {
	m := make(map[string]*asset.Asset)
	for _, r := range roots {
		if r == nil {
			continue
		}
		for _, x := range r.All() {
			if _, dup := m[x.ID]; !dup {
				m[x.ID] = x
			}
		}
	}
	return func(id string) *asset.Asset { return m[id] }
}

// Plan is a pathway resolved against a set of assets: each step with its
// asset and duration, and the prerequisite graph across the steps. Build
// one with [Pathway.Resolve]; it does not change afterwards.
type Plan struct {
	// Pathway is the pathway resolved.
	Pathway *Pathway
	// Steps are the pathway's steps in the pathway's order, resolved.
	Steps []PlanStep
	// Dependencies are the edges of the prerequisite graph across the
	// steps, sorted by step and then by the step required.
	Dependencies []Dependency
	// Outside are the prerequisites of the steps' assets that lie outside
	// the pathway: the learner must have them already, so they are entry
	// requirements the pathway implies (see [Plan.EntryRequirements]).
	Outside []OutsidePrerequisite

	cycles   [][]int      // prerequisite cycles, as step indexes
	order    []int        // step indexes in learning order; nil with cycles
	unknowns []unknownRef // pathway prerequisites naming no step
	nested   [][2]int     // (step, step whose tree holds its asset)
}

// unknownRef is an end of a pathway prerequisite that names no step.
type unknownRef struct {
	index int    // in Pathway.Prerequisites
	field string // "asset" or "requires"
}

// PlanStep is a step of a [Plan].
type PlanStep struct {
	// Step is the pathway's step.
	Step
	// Index is the step's position in Pathway.Steps.
	Index int
	// Asset is the step's asset, or nil when the resolver does not know
	// its ID.
	Asset *asset.Asset
	// Duration is how long the step takes: the asset's
	// [asset.Asset.TotalDuration]; zero when unknown.
	Duration asset.Duration
}

// Dependency is an edge of a plan's prerequisite graph: step Step requires
// step Requires (both indexes into Plan.Steps), so Requires comes first.
type Dependency struct {
	// Step is the index of the later step.
	Step int
	// Requires is the index of the step to take first.
	Requires int
	// By is the ID of the asset whose prerequisites declare the edge — the
	// step's asset or one of its parts — or empty when the pathway's own
	// Prerequisites add it.
	By string
}

// OutsidePrerequisite is a prerequisite of a step's asset, or of one of its
// parts, that names an asset no step holds.
type OutsidePrerequisite struct {
	// Step is the index of the step.
	Step int
	// By is the ID of the asset that declares the prerequisite.
	By string
	// Requires is the ID of the asset required.
	Requires string
}

// Resolve resolves the pathway's steps with lookup and builds the
// prerequisite graph across them. The graph has an edge from a step to
// another when any asset of the step's tree lists among its prerequisites
// the other step's asset or any asset of the other step's tree, and for
// each of the pathway's own Prerequisites, whose ends may likewise name a
// step's asset or an asset of its tree. Prerequisites inside one step's
// tree are that asset's own business and are left out; prerequisites that
// name no step's tree are listed in Plan.Outside. An ID that is both a
// step's asset and a part of another step's tree stands for its own step.
// A nil lookup resolves nothing.
func (p *Pathway) Resolve(lookup Resolver) *Plan {
	pl := &Plan{Pathway: p, Steps: make([]PlanStep, len(p.Steps))}
	stepOf := make(map[string]int) // asset ID of a step, or in its tree -> step
	for i, s := range p.Steps {
		ps := PlanStep{Step: s, Index: i}
		if lookup != nil && s.AssetID != "" {
			ps.Asset = lookup(s.AssetID)
		}
		if ps.Asset != nil {
			ps.Duration = ps.Asset.TotalDuration()
		}
		if _, dup := stepOf[s.AssetID]; !dup && s.AssetID != "" {
			stepOf[s.AssetID] = i
		}
		pl.Steps[i] = ps
	}
	for i, ps := range pl.Steps {
		if ps.Asset == nil {
			continue
		}
		for ptr, x := range ps.Asset.All() {
			j, known := stepOf[x.ID]
			switch {
			case x.ID == "":
			case !known:
				stepOf[x.ID] = i
			case ptr != "" && j != i && pl.Steps[j].AssetID == x.ID:
				pl.nested = append(pl.nested, [2]int{j, i})
			}
		}
	}
	seen := make(map[[2]int]bool)
	addDep := func(d Dependency) {
		k := [2]int{d.Step, d.Requires}
		if d.Step == d.Requires || seen[k] {
			return
		}
		seen[k] = true
		pl.Dependencies = append(pl.Dependencies, d)
	}
	for i, ps := range pl.Steps {
		if ps.Asset == nil || stepOf[ps.AssetID] != i {
			continue // unknown, or a repeat of an earlier step
		}
		inTree := make(map[string]bool)
		for _, x := range ps.Asset.All() {
			inTree[x.ID] = true
		}
		for _, x := range ps.Asset.All() {
			for _, pre := range x.Prerequisites {
				if pre == "" || inTree[pre] {
					continue
				}
				if j, ok := stepOf[pre]; ok {
					addDep(Dependency{Step: i, Requires: j, By: x.ID})
				} else {
					pl.Outside = append(pl.Outside, OutsidePrerequisite{Step: i, By: x.ID, Requires: pre})
				}
			}
		}
	}
	for k, pr := range p.Prerequisites {
		i, okA := stepOf[pr.Asset]
		j, okR := stepOf[pr.Requires]
		if !okA {
			pl.unknowns = append(pl.unknowns, unknownRef{k, "asset"})
		}
		if !okR {
			pl.unknowns = append(pl.unknowns, unknownRef{k, "requires"})
		}
		if okA && okR {
			addDep(Dependency{Step: i, Requires: j})
		}
	}
	slices.SortStableFunc(pl.Dependencies, func(a, b Dependency) int {
		if a.Step != b.Step {
			return a.Step - b.Step
		}
		return a.Requires - b.Requires
	})
	pl.cycles = pl.findCycles()
	if len(pl.cycles) == 0 {
		pl.order = pl.kahn()
	}
	return pl
}

// Order returns the steps in learning order: every step after the steps it
// requires, and otherwise in the pathway's own order — a stable
// topological sort (Kahn's algorithm, taking among the steps that are
// ready the one that comes first in the pathway). Optional steps are
// included; filter on Required to leave them out.
//
// When the prerequisites form a cycle there is no such order: Order returns
// nil and a *[ota.ValidationError] with one error "framework.pathway.cycle"
// per cycle, whose message names the cycle's assets in order, such as
// "A → B → C → A" (A requires B, which requires C, which requires A).
func (pl *Plan) Order() ([]PlanStep, error) {
	if len(pl.cycles) > 0 {
		return nil, &ota.ValidationError{Issues: pl.cycleIssues()}
	}
	out := make([]PlanStep, len(pl.order))
	for i, k := range pl.order {
		out[i] = pl.Steps[k]
	}
	return out, nil
}

// Cycles returns each prerequisite cycle as the asset IDs along it, the
// first repeated at the end: ["A", "B", "A"] when A requires B and B
// requires A. Each cycle starts at its step that comes first in the
// pathway. It returns nil when the graph is acyclic.
func (pl *Plan) Cycles() [][]string {
	var out [][]string
	for _, cyc := range pl.cycles {
		ids := make([]string, 0, len(cyc)+1)
		for _, i := range cyc {
			ids = append(ids, pl.Steps[i].AssetID)
		}
		out = append(out, append(ids, ids[0]))
	}
	return out
}

func (pl *Plan) cycleIssues() []ota.Issue {
	var out []ota.Issue
	for k, ids := range pl.Cycles() {
		out = append(out, ota.Issue{
			Pointer:  "/steps/" + strconv.Itoa(pl.cycles[k][0]),
			Code:     "framework.pathway.cycle",
			Severity: ota.Error,
			Message:  fmt.Sprintf("prerequisites form a cycle: %s; remove one of these prerequisites, from the assets or from the pathway", strings.Join(ids, " → ")),
		})
	}
	return out
}

// requires returns, for each step, the steps it requires, ascending.
func (pl *Plan) requires() [][]int {
	req := make([][]int, len(pl.Steps))
	for _, d := range pl.Dependencies {
		req[d.Step] = append(req[d.Step], d.Requires)
	}
	return req
}

// kahn returns the stable topological order of an acyclic plan.
func (pl *Plan) kahn() []int {
	n := len(pl.Steps)
	waiting := make([]int, n) // prerequisites not yet placed
	next := make([][]int, n)  // steps that require the step
	for _, d := range pl.Dependencies {
		waiting[d.Step]++
		next[d.Requires] = append(next[d.Requires], d.Step)
	}
	var ready []int // ascending step indexes
	for i := range n {
		if waiting[i] == 0 {
			ready = append(ready, i)
		}
	}
	order := make([]int, 0, n)
	for len(ready) > 0 {
		i := ready[0]
		ready = ready[1:]
		order = append(order, i)
		for _, j := range next[i] {
			if waiting[j]--; waiting[j] == 0 {
				k, _ := slices.BinarySearch(ready, j)
				ready = slices.Insert(ready, k, j)
			}
		}
	}
	return order
}

// findCycles finds the prerequisite cycles by depth-first search along
// "requires" edges, starting from the steps in pathway order, reporting
// each cycle once, rotated to start at its first step in pathway order.
func (pl *Plan) findCycles() [][]int {
	const (
		white = iota
		grey
		black
	)
	req := pl.requires()
	color := make([]int, len(pl.Steps))
	var out [][]int
	type frame struct{ step, next int }
	for start := range pl.Steps {
		if color[start] != white {
			continue
		}
		stack := []frame{{start, 0}}
		color[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next >= len(req[top.step]) {
				color[top.step] = black
				stack = stack[:len(stack)-1]
				continue
			}
			j := req[top.step][top.next]
			top.next++
			switch color[j] {
			case white:
				color[j] = grey
				stack = append(stack, frame{j, 0})
			case grey:
				var cyc []int
				for k := len(stack) - 1; k >= 0; k-- {
					cyc = append(cyc, stack[k].step)
					if stack[k].step == j {
						break
					}
				}
				slices.Reverse(cyc)
				low := slices.Index(cyc, slices.Min(cyc))
				rot := make([]int, 0, len(cyc))
				rot = append(append(rot, cyc[low:]...), cyc[:low]...)
				out = append(out, rot)
			}
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return slices.Compare(a, b) })
	return out
}
