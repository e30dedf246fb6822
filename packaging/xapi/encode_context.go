package xapi

import "strconv"

func (e *encoder) resultValue(r *Result) {
	f := e.object(r.Unknown, resultKeys)
	if f.has("score", r.Score != nil) {
		s := r.Score
		g := e.object(s.Unknown, scoreKeys)
		for _, v := range []struct {
			key string
			val *float64
		}{{"scaled", s.Scaled}, {"raw", s.Raw}, {"min", s.Min}, {"max", s.Max}} {
			if g.has(v.key, v.val != nil) {
				e.number(*v.val)
			}
		}
		g.end()
	}
	if f.has("success", r.Success != nil) {
		e.buf.WriteString(strconv.FormatBool(*r.Success))
	}
	if f.has("completion", r.Completion != nil) {
		e.buf.WriteString(strconv.FormatBool(*r.Completion))
	}
	f.str("response", r.Response)
	f.str("duration", r.Duration)
	if f.has("extensions", r.Extensions != nil) {
		e.extensions(r.Extensions)
	}
	f.end()
}

func (e *encoder) context(c *Context) {
	f := e.object(c.Unknown, contextKeys200)
	f.str("registration", c.Registration)
	if f.has("instructor", c.Instructor != nil) {
		e.actor(c.Instructor, "")
	}
	if f.has("team", c.Team != nil) {
		e.actor(c.Team, "")
	}
	if f.has("contextActivities", c.ContextActivities != nil) {
		ca := c.ContextActivities
		g := e.object(ca.Unknown, contextActivitiesKeys)
		for _, l := range []struct {
			key  string
			list []Activity
		}{{"parent", ca.Parent}, {"grouping", ca.Grouping}, {"category", ca.Category}, {"other", ca.Other}} {
			if g.has(l.key, l.list != nil) {
				e.buf.WriteByte('[')
				for i := range l.list {
					if i > 0 {
						e.buf.WriteByte(',')
					}
					e.activity(&l.list[i])
				}
				e.buf.WriteByte(']')
			}
		}
		g.end()
	}
	f.str("revision", c.Revision)
	f.str("platform", c.Platform)
	f.str("language", c.Language)
	if f.has("statement", c.Statement != nil) {
		e.statementRef(c.Statement, "")
	}
	if f.has("extensions", c.Extensions != nil) {
		e.extensions(c.Extensions)
	}
	if f.has("contextAgents", c.ContextAgents != nil) {
		e.buf.WriteByte('[')
		for i := range c.ContextAgents {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			a := &c.ContextAgents[i]
			g := e.object(a.Unknown, contextAgentKeys)
			g.str("objectType", a.ObjectType)
			if g.has("agent", a.Agent != nil) {
				e.actor(a.Agent, "")
			}
			if g.has("relevantTypes", a.RelevantTypes != nil) {
				e.strings(a.RelevantTypes)
			}
			g.end()
		}
		e.buf.WriteByte(']')
	}
	if f.has("contextGroups", c.ContextGroups != nil) {
		e.buf.WriteByte('[')
		for i := range c.ContextGroups {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			a := &c.ContextGroups[i]
			g := e.object(a.Unknown, contextGroupKeys)
			g.str("objectType", a.ObjectType)
			if g.has("group", a.Group != nil) {
				e.actor(a.Group, "")
			}
			if g.has("relevantTypes", a.RelevantTypes != nil) {
				e.strings(a.RelevantTypes)
			}
			g.end()
		}
		e.buf.WriteByte(']')
	}
	f.end()
}

func (e *encoder) attachments(list []Attachment) {
	e.buf.WriteByte('[')
	for i := range list {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		a := &list[i]
		f := e.object(a.Unknown, attachmentKeys)
		f.str("usageType", a.UsageType)
		if f.has("display", a.Display != nil) {
			e.langMap(a.Display)
		}
		if f.has("description", a.Description != nil) {
			e.langMap(a.Description)
		}
		f.str("contentType", a.ContentType)
		if f.has("length", a.Length != nil) {
			e.buf.WriteString(strconv.FormatInt(*a.Length, 10))
		}
		f.str("sha2", a.SHA2)
		f.str("fileUrl", a.FileURL)
		f.end()
	}
	e.buf.WriteByte(']')
}
