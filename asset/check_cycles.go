package asset

import (
	"fmt"
	"slices"
	"strings"

	"github.com/metaacademy/ota"
)

// cycles reports each prerequisite cycle among the assets of the tree once,
// naming the assets in it.
func (c *checker) cycles(root *Asset) {
	type node struct {
		ptr  string
		pres []string
	}
	nodes := map[string]node{}
	var order []string
	for ptr, x := range root.All() {
		if _, seen := nodes[x.ID]; seen || x.ID == "" {
			continue
		}
		nodes[x.ID] = node{ptr, x.Prerequisites}
		order = append(order, x.ID)
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	for _, start := range order {
		if color[start] != white {
			continue
		}
		// Iterative depth-first search keeping the current path.
		type frame struct {
			id   string
			next int
		}
		stack := []frame{{start, 0}}
		color[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			pres := nodes[top.id].pres
			if top.next >= len(pres) {
				color[top.id] = black
				stack = stack[:len(stack)-1]
				continue
			}
			next := pres[top.next]
			top.next++
			if _, inTree := nodes[next]; !inTree || next == top.id {
				continue // outside the tree, or a self-reference reported elsewhere
			}
			switch color[next] {
			case white:
				color[next] = grey
				stack = append(stack, frame{next, 0})
			case grey:
				var cycle []string
				for i := len(stack) - 1; i >= 0; i-- {
					cycle = append(cycle, stack[i].id)
					if stack[i].id == next {
						break
					}
				}
				slices.Reverse(cycle)
				cycle = append(cycle, next)
				first := nodes[cycle[0]]
				c.add(first.ptr+"/prerequisites", "asset.prerequisite.cycle", ota.Error,
					fmt.Sprintf("prerequisites form a cycle: %s; remove one of these prerequisites", strings.Join(cycle, " → ")))
			}
		}
	}
}

func kindList() string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func kindRank(k Kind) int { return slices.Index(kinds[:], k) }

func relationList() string {
	return "isBasedOn, isTranslationOf, isVersionOf, replaces, isReplacedBy, isPartOf, hasPart, references, requires, isFormatOf"
}

func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>") && strings.Contains(s[at+1:], ".")
}

// validSemver reports whether s is a semantic version 2.0.0:
// MAJOR.MINOR.PATCH with optional -prerelease and +build parts.
func validSemver(s string) bool {
	core, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !validIdents(build, false) {
		return false
	}
	core, pre, hasPre := strings.Cut(core, "-")
	if hasPre && !validIdents(pre, true) {
		return false
	}
	nums := strings.Split(core, ".")
	if len(nums) != 3 {
		return false
	}
	for _, n := range nums {
		if !isDigits(n) || (len(n) > 1 && n[0] == '0') {
			return false
		}
	}
	return true
}

func validIdents(s string, noLeadingZero bool) bool {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" {
			return false
		}
		for i := 0; i < len(id); i++ {
			ch := id[i]
			if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '-') {
				return false
			}
		}
		if noLeadingZero && isDigits(id) && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}
