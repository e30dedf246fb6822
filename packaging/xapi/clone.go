package xapi

import (
	"encoding/json"
	"maps"
	"slices"
)

// Clone returns a deep copy of s, field by field: changing the copy, down
// to its extension values and attachments, leaves s as it was. Clone of
// nil is nil.
func (s *Statement) Clone() *Statement {
	if s == nil {
		return nil
	}
	c := *s
	c.Actor = s.Actor.clone()
	c.Verb = s.Verb.clone()
	c.Object = s.Object.clone()
	c.Result = s.Result.clone()
	c.Context = s.Context.clone()
	c.Authority = s.Authority.clone()
	c.Attachments = cloneEach(s.Attachments, Attachment.clone)
	c.Unknown = Unknown(cloneRaw(s.Unknown))
	return &c
}

// cloneRaw copies a map of JSON values, the values included.
func cloneRaw(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

// cloneEach copies a slice with fn copying each element.
func cloneEach[T any](in []T, fn func(T) T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = fn(v)
	}
	return out
}

// clonePtr copies the value p points to.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func (a *Actor) clone() *Actor {
	if a == nil {
		return nil
	}
	c := *a
	if a.Account != nil {
		acc := *a.Account
		acc.Unknown = Unknown(cloneRaw(a.Account.Unknown))
		c.Account = &acc
	}
	c.Member = cloneEach(a.Member, func(m Actor) Actor { return *m.clone() })
	c.Unknown = Unknown(cloneRaw(a.Unknown))
	return &c
}

func (v *Verb) clone() *Verb {
	if v == nil {
		return nil
	}
	c := *v
	c.Display = maps.Clone(v.Display)
	c.Unknown = Unknown(cloneRaw(v.Unknown))
	return &c
}

func (o Object) clone() Object {
	return Object{
		Activity:     o.Activity.clone(),
		Actor:        o.Actor.clone(),
		StatementRef: o.StatementRef.clone(),
		SubStatement: o.SubStatement.clone(),
	}
}

func (a *Activity) clone() *Activity {
	if a == nil {
		return nil
	}
	c := *a
	c.Definition = a.Definition.clone()
	c.Unknown = Unknown(cloneRaw(a.Unknown))
	return &c
}

func (d *ActivityDefinition) clone() *ActivityDefinition {
	if d == nil {
		return nil
	}
	c := *d
	c.Name = maps.Clone(d.Name)
	c.Description = maps.Clone(d.Description)
	c.Extensions = Extensions(cloneRaw(d.Extensions))
	c.CorrectResponsesPattern = slices.Clone(d.CorrectResponsesPattern)
	c.Choices = cloneEach(d.Choices, InteractionComponent.clone)
	c.Scale = cloneEach(d.Scale, InteractionComponent.clone)
	c.Source = cloneEach(d.Source, InteractionComponent.clone)
	c.Target = cloneEach(d.Target, InteractionComponent.clone)
	c.Steps = cloneEach(d.Steps, InteractionComponent.clone)
	c.Unknown = Unknown(cloneRaw(d.Unknown))
	return &c
}

func (ic InteractionComponent) clone() InteractionComponent {
	ic.Description = maps.Clone(ic.Description)
	ic.Unknown = Unknown(cloneRaw(ic.Unknown))
	return ic
}

func (r *StatementRef) clone() *StatementRef {
	if r == nil {
		return nil
	}
	c := *r
	c.Unknown = Unknown(cloneRaw(r.Unknown))
	return &c
}

func (s *SubStatement) clone() *SubStatement {
	if s == nil {
		return nil
	}
	c := *s
	c.Actor = s.Actor.clone()
	c.Verb = s.Verb.clone()
	c.Object = s.Object.clone()
	c.Result = s.Result.clone()
	c.Context = s.Context.clone()
	c.Attachments = cloneEach(s.Attachments, Attachment.clone)
	c.Unknown = Unknown(cloneRaw(s.Unknown))
	return &c
}

func (r *Result) clone() *Result {
	if r == nil {
		return nil
	}
	c := *r
	if r.Score != nil {
		sc := *r.Score
		sc.Scaled, sc.Raw, sc.Min, sc.Max = clonePtr(r.Score.Scaled), clonePtr(r.Score.Raw), clonePtr(r.Score.Min), clonePtr(r.Score.Max)
		sc.Unknown = Unknown(cloneRaw(r.Score.Unknown))
		c.Score = &sc
	}
	c.Success = clonePtr(r.Success)
	c.Completion = clonePtr(r.Completion)
	c.Extensions = Extensions(cloneRaw(r.Extensions))
	c.Unknown = Unknown(cloneRaw(r.Unknown))
	return &c
}

func (x *Context) clone() *Context {
	if x == nil {
		return nil
	}
	c := *x
	c.Instructor = x.Instructor.clone()
	c.Team = x.Team.clone()
	if ca := x.ContextActivities; ca != nil {
		act := func(a Activity) Activity { return *a.clone() }
		c.ContextActivities = &ContextActivities{
			Parent:   cloneEach(ca.Parent, act),
			Grouping: cloneEach(ca.Grouping, act),
			Category: cloneEach(ca.Category, act),
			Other:    cloneEach(ca.Other, act),
			Unknown:  Unknown(cloneRaw(ca.Unknown)),
		}
	}
	c.Statement = x.Statement.clone()
	c.Extensions = Extensions(cloneRaw(x.Extensions))
	c.ContextAgents = cloneEach(x.ContextAgents, func(a ContextAgent) ContextAgent {
		a.Agent = a.Agent.clone()
		a.RelevantTypes = slices.Clone(a.RelevantTypes)
		a.Unknown = Unknown(cloneRaw(a.Unknown))
		return a
	})
	c.ContextGroups = cloneEach(x.ContextGroups, func(g ContextGroup) ContextGroup {
		g.Group = g.Group.clone()
		g.RelevantTypes = slices.Clone(g.RelevantTypes)
		g.Unknown = Unknown(cloneRaw(g.Unknown))
		return g
	})
	c.Unknown = Unknown(cloneRaw(x.Unknown))
	return &c
}

func (a Attachment) clone() Attachment {
	a.Display = maps.Clone(a.Display)
	a.Description = maps.Clone(a.Description)
	a.Length = clonePtr(a.Length)
	a.Unknown = Unknown(cloneRaw(a.Unknown))
	return a
}
