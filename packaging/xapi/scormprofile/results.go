package scormprofile

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/packaging/xapi"

	"github.com/metaacademy/ota"
)

// statuses returns the SCO's completion and success.
func (c *cmiConv) statuses() (completion, success *bool) {
	if c.v == CMI12 {
		key := "cmi.core.lesson_status"
		s, ok := c.get(key)
		if !ok {
			return nil, nil
		}
		switch s {
		case "passed":
			return nil, ptr(true)
		case "failed":
			return nil, ptr(false)
		case "completed":
			return ptr(true), nil
		case "incomplete":
			return ptr(false), nil
		case "browsed", "not attempted":
			return nil, nil
		}
		c.issue(key, "vocabulary", fmt.Sprintf("lesson_status %q is not passed, completed, failed, incomplete, browsed or not attempted", s))
		return nil, nil
	}
	if s, ok := c.get("cmi.completion_status"); ok {
		switch s {
		case "completed":
			completion = ptr(true)
		case "incomplete":
			completion = ptr(false)
		case "not attempted", "unknown":
		default:
			c.issue("cmi.completion_status", "vocabulary", fmt.Sprintf("completion_status %q is not completed, incomplete, not attempted or unknown", s))
		}
	}
	if s, ok := c.get("cmi.success_status"); ok {
		switch s {
		case "passed":
			success = ptr(true)
		case "failed":
			success = ptr(false)
		case "unknown":
		default:
			c.issue("cmi.success_status", "vocabulary", fmt.Sprintf("success_status %q is not passed, failed or unknown", s))
		}
	}
	return completion, success
}

// score reads the score elements under prefix ("" for the SCO's own
// score, "cmi.objectives.n." for an objective's).
func (c *cmiConv) score(prefix string) *xapi.Score {
	base := prefix + "score."
	if prefix == "" {
		base = c.k("score.", "score.")
	}
	var s xapi.Score
	if v, ok := c.number(base + "raw"); ok {
		s.Raw = ptr(v)
	}
	if v, ok := c.number(base + "min"); ok {
		s.Min = ptr(v)
	}
	if v, ok := c.number(base + "max"); ok {
		s.Max = ptr(v)
	}
	if c.v == CMI2004 {
		if v, ok := c.number(base + "scaled"); ok {
			if v < -1 || v > 1 {
				c.issue(base+"scaled", "range", fmt.Sprintf("scaled score %v is outside -1 to 1", v))
			} else {
				s.Scaled = ptr(v)
			}
		}
	}
	if s.Min != nil && s.Max != nil && *s.Min >= *s.Max {
		c.issue(base+"max", "range", fmt.Sprintf("score max %v is not above min %v; both are left out", *s.Max, *s.Min))
		s.Min, s.Max = nil, nil
	}
	if s.Raw != nil && (s.Min != nil && *s.Raw < *s.Min || s.Max != nil && *s.Raw > *s.Max) {
		c.issue(base+"raw", "range", fmt.Sprintf("raw score %v is outside min to max; it is left out", *s.Raw))
		s.Raw = nil
	}
	if s.Scaled == nil && s.Raw != nil && s.Min != nil && s.Max != nil {
		s.Scaled = ptr((*s.Raw - *s.Min) / (*s.Max - *s.Min))
	}
	if s.Scaled == nil && s.Raw == nil && s.Min == nil && s.Max == nil {
		return nil
	}
	return &s
}

// indices returns the sorted indices n of the elements prefix.n.*.
func (c *cmiConv) indices(prefix string) []int {
	seen := map[int]bool{}
	for key := range c.snap {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		ns, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(ns)
		if err != nil || n < 0 || !allDigits(ns) {
			if ns != "_count" && ns != "_children" {
				c.issue(key, "index", fmt.Sprintf("%q has no index after %s; write %s0.…", key, prefix, prefix))
			}
			continue
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// emit builds, checks and keeps a statement. self says whether the
// object is the SCO itself; otherwise the SCO is the parent.
func (c *cmiConv) emit(verb string, obj *xapi.Activity, res *xapi.Result, at time.Time, self bool) {
	ca := &xapi.ContextActivities{
		Parent:   append([]xapi.Activity(nil), c.ctxBase.Parent...),
		Grouping: append([]xapi.Activity(nil), c.ctxBase.Grouping...),
		Category: append([]xapi.Activity(nil), c.ctxBase.Category...),
	}
	if !self {
		// About something in the SCO: the SCO is the parent, and the
		// SCO's own parent joins the grouping, before the attempt.
		n := len(ca.Grouping) - 1
		ca.Grouping = append(append(append([]xapi.Activity(nil), ca.Grouping[:n]...), ca.Parent...), ca.Grouping[n])
		ca.Parent = []xapi.Activity{{ID: c.sco.ID, Definition: &xapi.ActivityDefinition{Name: c.sco.Definition.Name, Type: c.sco.Definition.Type}}}
	}
	if len(ca.Parent) == 0 {
		ca.Parent = nil
	}
	s := &xapi.Statement{
		ID:        xapi.NewID(),
		Actor:     c.actor,
		Verb:      xapi.NewVerb(verb),
		Object:    xapi.Object{Activity: obj},
		Result:    res,
		Timestamp: xapi.FormatTimestamp(at),
		Context: &xapi.Context{Registration: c.opts.Registration, Platform: c.opts.Platform,
			ContextActivities: ca},
	}
	if r := s.Check(xapi.ValidateOptions{Version: c.opts.Version}); r.HasErrors() {
		for _, is := range r.Errors() {
			c.rep.Add(ota.Issue{Pointer: is.Pointer, Code: cmiCodePrefix + "statement", Severity: ota.Error,
				Requirement: is.Requirement,
				Message:     fmt.Sprintf("the %s statement would be invalid (%s) and is left out: %s", xapi.NewVerb(verb).Display["en-US"], is.Code, is.Message)})
		}
		return
	}
	c.out = append(c.out, s)
}

func ptr[T any](v T) *T { return &v }
