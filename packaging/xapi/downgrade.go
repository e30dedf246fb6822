package xapi

import (
	"fmt"

	"github.com/metaacademy/ota"
)

// Downgrade converts an xAPI 2.0 statement into one an xAPI 1.0.3 LRS
// accepts, for the many LRSs that speak only 1.0.3. s is not modified.
// What cannot be carried over is returned as losses, each with the JSON
// Pointer of what was dropped or changed:
//
//   - context.contextAgents and context.contextGroups, in the statement and
//     in a SubStatement object, are removed: 1.0.3 has no place for them
//     and rejects them as unknown properties;
//   - a "version" of 2.0.x is rewritten to "1.0.3".
//
// Everything else is valid in both versions and is copied unchanged (2.0
// timestamps, which are RFC 3339, are valid 1.0.3 timestamps). A statement
// without 2.0 content is returned as a copy with no losses. The error is
// non-nil only when s cannot be written as JSON (see
// [Statement.MarshalJSON]).
func Downgrade(s *Statement) (*Statement, []ota.Loss, error) {
	if _, err := s.MarshalJSON(); err != nil {
		return nil, nil, err
	}
	c := s.Clone()
	var losses []ota.Loss
	if dropContext(c.Context, "/context", &losses) {
		c.Context = nil
	}
	if sub := c.Object.SubStatement; sub != nil && dropContext(sub.Context, "/object/context", &losses) {
		sub.Context = nil
	}
	if major, minor, _, ok := splitVersion(c.Version); ok && major == 2 && minor == 0 {
		losses = append(losses, ota.Loss{Code: "xapi.lost.version", Pointer: "/version", What: "version " + c.Version,
			Why: `an xAPI 1.0.3 LRS accepts only "1.0" and "1.0.x"; rewritten to "1.0.3"`})
		c.Version = string(Version103)
	}
	return c, losses, nil
}

// dropContext removes the xAPI 2.0 members of a context, and reports
// whether that left the context empty.
func dropContext(c *Context, ptr string, losses *[]ota.Loss) (emptied bool) {
	if c == nil {
		return false
	}
	before := len(*losses)
	if c.ContextAgents != nil {
		*losses = append(*losses, ota.Loss{Code: "xapi.lost.context-agents", Pointer: ptr + "/contextAgents",
			What: fmt.Sprintf("contextAgents (%d)", len(c.ContextAgents)),
			Why:  "xAPI 1.0.3 has no contextAgents; the agents related to the statement are dropped"})
		c.ContextAgents = nil
	}
	if c.ContextGroups != nil {
		*losses = append(*losses, ota.Loss{Code: "xapi.lost.context-groups", Pointer: ptr + "/contextGroups",
			What: fmt.Sprintf("contextGroups (%d)", len(c.ContextGroups)),
			Why:  "xAPI 1.0.3 has no contextGroups; the groups related to the statement are dropped"})
		c.ContextGroups = nil
	}
	for _, k := range []string{"contextAgents", "contextGroups"} {
		if raw, ok := c.Unknown[k]; ok {
			*losses = append(*losses, ota.Loss{Code: "xapi.lost.invalid-context-member", Pointer: ptr + "/" + k, What: k + " " + string(raw),
				Why: "xAPI 1.0.3 has no " + k + " (and this value is not valid 2.0 either); dropped"})
			delete(c.Unknown, k)
		}
	}
	return len(*losses) > before && c.isEmpty()
}

// isEmpty reports whether no member of c is set.
func (c *Context) isEmpty() bool {
	return c.Registration == "" && c.Instructor == nil && c.Team == nil && c.ContextActivities == nil &&
		c.Revision == "" && c.Platform == "" && c.Language == "" && c.Statement == nil &&
		c.Extensions == nil && c.ContextAgents == nil && c.ContextGroups == nil && len(c.Unknown) == 0
}
