package publish

import (
	"maps"
	"slices"
	"strings"

	"github.com/metaacademy/ota"
)

// MaxLossExamples is how many losses of each code a [Result]'s report
// holds: a catalogue of thousands of assets loses the same things in every
// tree, so the report keeps the first few by location and
// [Result.LossCounts] counts them all.
const MaxLossExamples = 5

// LossCount is how many losses of one code a publication had.
type LossCount struct {
	// Code is the losses' code (ota.Loss.Code).
	Code string
	// Count is the number of losses with that code.
	Count int
}

// lossGroup is the losses of one code so far: their number and the first
// MaxLossExamples by location.
type lossGroup struct {
	count    int
	examples []ota.Loss
}

// addLosses records losses safely from any worker.
func (s *site) addLosses(losses []ota.Loss) {
	if len(losses) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range losses {
		g := s.losses[l.Code]
		if g == nil {
			g = &lossGroup{}
			s.losses[l.Code] = g
		}
		g.count++
		// After the examples of the same location, so that losses of one
		// call keep their order.
		i := len(g.examples)
		for i > 0 && g.examples[i-1].Pointer > l.Pointer {
			i--
		}
		if i < MaxLossExamples {
			g.examples = slices.Insert(g.examples, i, l)
			if len(g.examples) > MaxLossExamples {
				g.examples = g.examples[:MaxLossExamples]
			}
		}
	}
}

// lossResult returns the examples of every code, sorted by location, and
// the counts by code.
func (s *site) lossResult() ([]ota.Loss, []LossCount) {
	var examples []ota.Loss
	var counts []LossCount
	for _, code := range slices.Sorted(maps.Keys(s.losses)) {
		g := s.losses[code]
		examples = append(examples, g.examples...)
		counts = append(counts, LossCount{Code: code, Count: g.count})
	}
	slices.SortStableFunc(examples, func(a, b ota.Loss) int { return strings.Compare(a.Pointer, b.Pointer) })
	return examples, counts
}
