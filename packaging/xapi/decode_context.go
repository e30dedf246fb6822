package xapi

import (
	"math"
	"strconv"

	"github.com/metaacademy/ota/internal/jsontree"
)

func (b *builder) result(dst **Result, u *Unknown, m *jsontree.Member) {
	n := m.Value
	if n.Kind != jsontree.Object {
		b.keep(u, m)
		return
	}
	r := &Result{}
	for i := range n.Members {
		rm := &n.Members[i]
		switch rm.Key {
		case "score":
			b.score(&r.Score, &r.Unknown, rm)
		case "success":
			b.boolean(&r.Success, &r.Unknown, rm)
		case "completion":
			b.boolean(&r.Completion, &r.Unknown, rm)
		case "response":
			b.str(&r.Response, &r.Unknown, rm)
		case "duration":
			b.str(&r.Duration, &r.Unknown, rm)
		case "extensions":
			b.extensions(&r.Extensions, &r.Unknown, rm)
		default:
			b.keep(&r.Unknown, rm)
		}
	}
	*dst = r
}

func (b *builder) score(dst **Score, u *Unknown, m *jsontree.Member) {
	n := m.Value
	if n.Kind != jsontree.Object {
		b.keep(u, m)
		return
	}
	s := &Score{}
	for i := range n.Members {
		sm := &n.Members[i]
		switch sm.Key {
		case "scaled":
			b.number(&s.Scaled, &s.Unknown, sm)
		case "raw":
			b.number(&s.Raw, &s.Unknown, sm)
		case "min":
			b.number(&s.Min, &s.Unknown, sm)
		case "max":
			b.number(&s.Max, &s.Unknown, sm)
		default:
			b.keep(&s.Unknown, sm)
		}
	}
	*dst = s
}

func (b *builder) context(dst **Context, u *Unknown, m *jsontree.Member) {
	n := m.Value
	if n.Kind != jsontree.Object {
		b.keep(u, m)
		return
	}
	c := &Context{}
	for i := range n.Members {
		cm := &n.Members[i]
		v := cm.Value
		switch cm.Key {
		case "registration":
			b.str(&c.Registration, &c.Unknown, cm)
		case "instructor":
			b.actorMember(&c.Instructor, &c.Unknown, cm)
		case "team":
			b.actorMember(&c.Team, &c.Unknown, cm)
		case "contextActivities":
			b.contextActivities(&c.ContextActivities, &c.Unknown, cm)
		case "revision":
			b.str(&c.Revision, &c.Unknown, cm)
		case "platform":
			b.str(&c.Platform, &c.Unknown, cm)
		case "language":
			b.str(&c.Language, &c.Unknown, cm)
		case "statement":
			if v.Kind == jsontree.Object {
				c.Statement = b.statementRef(v)
			} else {
				b.keep(&c.Unknown, cm)
			}
		case "extensions":
			b.extensions(&c.Extensions, &c.Unknown, cm)
		case "contextAgents":
			if !objects(v) {
				b.keep(&c.Unknown, cm)
				break
			}
			c.ContextAgents = make([]ContextAgent, len(v.Elems))
			for j, e := range v.Elems {
				ca := &c.ContextAgents[j]
				for k := range e.Members {
					am := &e.Members[k]
					switch am.Key {
					case "objectType":
						b.str(&ca.ObjectType, &ca.Unknown, am)
					case "agent":
						b.actorMember(&ca.Agent, &ca.Unknown, am)
					case "relevantTypes":
						b.strings(&ca.RelevantTypes, &ca.Unknown, am)
					default:
						b.keep(&ca.Unknown, am)
					}
				}
			}
		case "contextGroups":
			if !objects(v) {
				b.keep(&c.Unknown, cm)
				break
			}
			c.ContextGroups = make([]ContextGroup, len(v.Elems))
			for j, e := range v.Elems {
				cg := &c.ContextGroups[j]
				for k := range e.Members {
					gm := &e.Members[k]
					switch gm.Key {
					case "objectType":
						b.str(&cg.ObjectType, &cg.Unknown, gm)
					case "group":
						b.actorMember(&cg.Group, &cg.Unknown, gm)
					case "relevantTypes":
						b.strings(&cg.RelevantTypes, &cg.Unknown, gm)
					default:
						b.keep(&cg.Unknown, gm)
					}
				}
			}
		default:
			b.keep(&c.Unknown, cm)
		}
	}
	*dst = c
}

// contextActivities stores a contextActivities member, reading a single
// activity object as an array of one.
func (b *builder) contextActivities(dst **ContextActivities, u *Unknown, m *jsontree.Member) {
	n := m.Value
	if n.Kind != jsontree.Object {
		b.keep(u, m)
		return
	}
	ca := &ContextActivities{}
	for i := range n.Members {
		am := &n.Members[i]
		var list *[]Activity
		switch am.Key {
		case "parent":
			list = &ca.Parent
		case "grouping":
			list = &ca.Grouping
		case "category":
			list = &ca.Category
		case "other":
			list = &ca.Other
		default:
			b.keep(&ca.Unknown, am)
			continue
		}
		v := am.Value
		switch {
		case v.Kind == jsontree.Object:
			*list = []Activity{*b.activity(v)}
		case objects(v):
			*list = make([]Activity, len(v.Elems))
			for j, e := range v.Elems {
				(*list)[j] = *b.activity(e)
			}
		default:
			b.keep(&ca.Unknown, am)
		}
	}
	*dst = ca
}

func (b *builder) attachments(dst *[]Attachment, u *Unknown, m *jsontree.Member) {
	n := m.Value
	if !objects(n) {
		b.keep(u, m)
		return
	}
	out := make([]Attachment, len(n.Elems))
	for j, e := range n.Elems {
		a := &out[j]
		for i := range e.Members {
			am := &e.Members[i]
			switch am.Key {
			case "usageType":
				b.str(&a.UsageType, &a.Unknown, am)
			case "display":
				b.langMap(&a.Display, &a.Unknown, am)
			case "description":
				b.langMap(&a.Description, &a.Unknown, am)
			case "contentType":
				b.str(&a.ContentType, &a.Unknown, am)
			case "length":
				if am.Value.Kind == jsontree.Number {
					f, err := strconv.ParseFloat(am.Value.Num, 64)
					if err == nil && f >= 0 && f == math.Trunc(f) && f <= 1<<53 {
						l := int64(f)
						a.Length = &l
						break
					}
				}
				b.keep(&a.Unknown, am)
			case "sha2":
				b.str(&a.SHA2, &a.Unknown, am)
			case "fileUrl":
				b.str(&a.FileURL, &a.Unknown, am)
			default:
				b.keep(&a.Unknown, am)
			}
		}
	}
	*dst = out
}
