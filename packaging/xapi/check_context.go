package xapi

import (
	"fmt"
	"math"
	"mime"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/jsontree"
)

var (
	resultKeys            = []string{"score", "success", "completion", "response", "duration", "extensions"}
	scoreKeys             = []string{"scaled", "raw", "min", "max"}
	contextKeys103        = []string{"registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement", "extensions"}
	contextKeys200        = append(contextKeys103[:len(contextKeys103):len(contextKeys103)], "contextAgents", "contextGroups")
	contextActivitiesKeys = []string{"parent", "grouping", "category", "other"}
	contextAgentKeys      = []string{"objectType", "agent", "relevantTypes"}
	contextGroupKeys      = []string{"objectType", "group", "relevantTypes"}
	attachmentKeys        = []string{"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)

// result checks a Result object.
func (c *checker) result(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, "a result object", "") {
		return
	}
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "score":
			c.score(v)
		case "success":
			c.is(v, jsontree.Bool, "true or false", "XAPI-00074")
		case "completion":
			c.is(v, jsontree.Bool, "true or false", "XAPI-00075")
		case "response":
			c.str(v, "a string", "XAPI-00076")
		case "duration":
			if s, ok := c.str(v, `an ISO 8601 duration string such as "PT4M30S"`, "XAPI-00077"); ok {
				if r := checkDuration(s); r != "" {
					c.err(v, "xapi.duration.invalid", "XAPI-00124",
						fmt.Sprintf("duration %s is not an ISO 8601 duration: %s; write it like PT1H30M or PT4M12.5S", quote(s), r))
				}
			}
		case "extensions":
			c.extensions(v, "XAPI-00078")
		default:
			c.unknown(v, m.Key, "a result", resultKeys)
		}
		c.pop()
	}
}

// score checks a Score object.
func (c *checker) score(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, "a score object", "XAPI-00079") {
		return
	}
	var vals [4]float64
	var has [4]bool
	var nodes [4]*jsontree.Node
	reqs := [4]string{"XAPI-00083", "XAPI-00082", "XAPI-00081", "XAPI-00080"}
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		k := -1
		for j, name := range scoreKeys {
			if m.Key == name {
				k = j
			}
		}
		if k < 0 {
			c.unknown(m.Value, m.Key, "a score", scoreKeys)
		} else if c.is(m.Value, jsontree.Number, "a number", reqs[k]) {
			f, err := strconv.ParseFloat(m.Value.Num, 64)
			if err != nil || math.IsInf(f, 0) {
				c.err(m.Value, "xapi.score.out-of-range", reqs[k], fmt.Sprintf("%s %s is too large to be a score", m.Key, m.Value.Num))
			} else {
				vals[k], has[k], nodes[k] = f, true, m.Value
			}
		}
		c.pop()
	}
	const scaled, raw, mn, mx = 0, 1, 2, 3
	if has[scaled] && (vals[scaled] < -1 || vals[scaled] > 1) {
		c.push("scaled")
		c.err(nodes[scaled], "xapi.score.out-of-range", "XAPI-00083",
			fmt.Sprintf("scaled %s is outside [-1, 1]; scaled is the score divided by the maximum, between -1 and 1", nodes[scaled].Num))
		c.pop()
	}
	if has[mn] && has[mx] && vals[mn] >= vals[mx] {
		c.push("min")
		c.err(nodes[mn], "xapi.score.min-not-below-max", "XAPI-00081",
			fmt.Sprintf("min %s is not less than max %s; min must be below max", nodes[mn].Num, nodes[mx].Num))
		c.pop()
	}
	if has[raw] {
		switch {
		case has[mn] && vals[raw] < vals[mn]:
			c.push("raw")
			c.err(nodes[raw], "xapi.score.raw-out-of-range", "XAPI-00082",
				fmt.Sprintf("raw %s is less than min %s; raw must lie between min and max", nodes[raw].Num, nodes[mn].Num))
			c.pop()
		case has[mx] && vals[raw] > vals[mx]:
			c.push("raw")
			c.err(nodes[raw], "xapi.score.raw-out-of-range", "XAPI-00082",
				fmt.Sprintf("raw %s is greater than max %s; raw must lie between min and max", nodes[raw].Num, nodes[mx].Num))
			c.pop()
		}
	}
}

// context checks a Context object; kind is the kind of the statement's
// object, which decides whether revision and platform are allowed.
func (c *checker) context(n *jsontree.Node, kind objKind) {
	if !c.is(n, jsontree.Object, "a context object", "") {
		return
	}
	keys := contextKeys103
	if c.v2() {
		keys = contextKeys200
	}
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "registration":
			c.uuid(v, "registration", "XAPI-00087")
		case "instructor":
			c.actor(v, roleInstructor)
		case "team":
			c.actor(v, roleTeam)
		case "contextActivities":
			c.contextActivities(v)
		case "revision", "platform":
			typeReq, req := "XAPI-00089", "XAPI-00084"
			if m.Key == "platform" {
				typeReq, req = "XAPI-00090", "XAPI-00085"
			}
			if _, ok := c.str(v, "a string", typeReq); ok && kind != objActivity && kind != objNone {
				c.err(v, "xapi.context."+m.Key+"-not-activity", req,
					fmt.Sprintf("context %q is allowed only when the statement's object is an Activity; remove it", m.Key))
			}
		case "language":
			c.langTag(v, "XAPI-00091")
		case "statement":
			c.statementRef(v, "XAPI-00092")
		case "extensions":
			c.extensions(v, "XAPI-00078")
		case "contextAgents", "contextGroups":
			if !c.v2() {
				c.err(v, "xapi.context.v2-only", "XAPI-00010",
					fmt.Sprintf("%q is an xAPI 2.0 property, not part of xAPI 1.0.3; validate as 2.0.0, or remove it for a 1.0.3 LRS (downgrading the statement to 1.0.3 does)", m.Key))
				break
			}
			c.contextAgents(v, m.Key == "contextGroups")
		default:
			c.unknown(v, m.Key, "a context", keys)
		}
		c.pop()
	}
}

// contextActivities checks a contextActivities object. A single Activity
// object is accepted where an array is expected, as an LRS must accept it.
func (c *checker) contextActivities(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, `an object with "parent", "grouping", "category" or "other"`, "XAPI-00086") {
		return
	}
	if len(n.Members) == 0 {
		c.err(n, "xapi.context-activities.empty", "XAPI-00095",
			`contextActivities is empty; give at least one of "parent", "grouping", "category" or "other", or leave it out`)
	}
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "parent", "grouping", "category", "other":
			switch v.Kind {
			case jsontree.Array:
				for j, e := range v.Elems {
					c.pushIndex(j)
					c.activity(e, "a context activity")
					c.pop()
				}
			case jsontree.Object:
				c.activity(v, "a context activity")
			default:
				c.is(v, jsontree.Array, "an array of Activity objects", "XAPI-00094")
			}
		default:
			for _, k := range contextActivitiesKeys {
				if equalFoldASCII(k, m.Key) {
					c.unknown(v, m.Key, "contextActivities", contextActivitiesKeys)
					goto next
				}
			}
			c.err(v, "xapi.json.unknown-property", "XAPI-00093",
				fmt.Sprintf(`contextActivities has no property %s; its keys are "parent", "grouping", "category" and "other"`, quote(m.Key)))
		}
	next:
		c.pop()
	}
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// contextAgents checks the xAPI 2.0 contextAgents or contextGroups array.
func (c *checker) contextAgents(n *jsontree.Node, groups bool) {
	what, ot, member, role, keys := "contextAgent", ObjectTypeContextAgent, "agent", roleContextAgent, contextAgentKeys
	if groups {
		what, ot, member, role, keys = "contextGroup", ObjectTypeContextGroup, "group", roleContextGroup, contextGroupKeys
	}
	if !c.is(n, jsontree.Array, "an array of "+what+" objects", "") {
		return
	}
	for j, e := range n.Elems {
		c.pushIndex(j)
		if c.is(e, jsontree.Object, "a "+what+" object", "") {
			var hasType, hasMember bool
			for i := range e.Members {
				m := &e.Members[i]
				v := m.Value
				c.push(m.Key)
				switch m.Key {
				case "objectType":
					hasType = true
					if s, ok := c.str(v, fmt.Sprintf("%q", ot), ""); ok && s != ot {
						c.err(v, "xapi.object-type.invalid", "", fmt.Sprintf("the objectType of a %s must be exactly %q, not %s", what, ot, quote(s)))
					}
				case member:
					hasMember = true
					c.actor(v, role)
				case "relevantTypes":
					if c.is(v, jsontree.Array, "an array of IRIs", "") {
						if len(v.Elems) == 0 {
							c.err(v, "xapi.context.relevant-types-empty", "", `relevantTypes must hold at least one IRI; leave it out if there is none`)
						}
						for k, t := range v.Elems {
							c.pushIndex(k)
							c.iri(t, "relevant type", "xapi.context.relevant-type-invalid", "")
							c.pop()
						}
					}
				default:
					c.unknown(v, m.Key, "a "+what, keys)
				}
				c.pop()
			}
			if !hasType {
				c.missing(e, "objectType", "xapi.object-type.missing", "", fmt.Sprintf(`a %s must say "objectType": %q`, what, ot))
			}
			if !hasMember {
				c.missing(e, member, "xapi.context."+member+"-missing", "", fmt.Sprintf(`a %s needs %q`, what, member))
			}
		}
		c.pop()
	}
}

// attachments checks the attachments array.
func (c *checker) attachments(n *jsontree.Node) {
	if !c.is(n, jsontree.Array, "an array of attachment objects", "XAPI-00025") {
		return
	}
	for j, e := range n.Elems {
		c.pushIndex(j)
		c.attachment(e)
		c.pop()
	}
}

// attachment checks one Attachment object.
func (c *checker) attachment(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, "an attachment object", "XAPI-00025") {
		return
	}
	var seen [7]bool
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "usageType":
			seen[0] = true
			c.iri(v, "usageType", "xapi.attachment.usage-type-invalid", "XAPI-00107")
		case "display":
			seen[1] = true
			c.languageMap(v, "XAPI-00106")
		case "description":
			c.languageMap(v, "XAPI-00106")
		case "contentType":
			seen[3] = true
			if s, ok := c.str(v, "a media type string such as \"application/pdf\"", "XAPI-00105"); ok {
				if r := checkMediaType(s); r != "" {
					c.err(v, "xapi.attachment.content-type-invalid", "XAPI-00105",
						fmt.Sprintf("contentType %s is not an Internet media type: %s; write it like \"application/pdf\" or \"text/plain; charset=utf-8\"", quote(s), r))
				}
			}
		case "length":
			seen[4] = true
			if c.is(v, jsontree.Number, "a whole number of octets", "XAPI-00102") {
				if f, err := strconv.ParseFloat(v.Num, 64); err != nil || f < 0 || f != math.Trunc(f) || f > 1<<53 {
					c.err(v, "xapi.attachment.length-invalid", "XAPI-00102",
						fmt.Sprintf("length %s is not a whole, non-negative number of octets", v.Num))
				}
			}
		case "sha2":
			seen[5] = true
			if s, ok := c.str(v, "a hexadecimal SHA-2 digest string", "XAPI-00103"); ok {
				if s == "" {
					c.err(v, "xapi.attachment.sha2-invalid", "XAPI-00103", "sha2 is empty; give the hexadecimal SHA-256 (or other SHA-2) digest of the attachment")
				} else if r := checkSHA2Hex(s); r != "" {
					c.warn(v, "xapi.attachment.sha2-form", "XAPI-00103",
						fmt.Sprintf("sha2 %s does not look like a hexadecimal SHA-2 digest: %s", quote(s), r))
				}
			}
		case "fileUrl":
			c.iri(v, "fileUrl", "xapi.attachment.file-url-invalid", "XAPI-00104")
		default:
			c.unknown(v, m.Key, "an attachment", attachmentKeys)
		}
		c.pop()
	}
	for k, name := range attachmentKeys {
		if seen[k] || name == "description" || name == "fileUrl" {
			continue
		}
		req := map[string]string{"usageType": "XAPI-00107", "display": "XAPI-00106", "contentType": "XAPI-00105", "length": "XAPI-00102", "sha2": "XAPI-00103"}[name]
		c.missing(n, name, "xapi.attachment.property-missing", req, fmt.Sprintf("an attachment needs %q", name))
	}
}

// tagProblem returns a message when s is not a language tag xAPI accepts,
// and "" when it is.
func tagProblem(s string) string {
	if err := asset.CheckTag(s); err != nil {
		return err.Error()
	}
	return ""
}

// checkMediaType checks an Internet media type (RFC 2045, RFC 6838):
// type "/" subtype, optionally followed by parameters.
func checkMediaType(s string) string {
	mt, _, err := mime.ParseMediaType(s)
	if err != nil {
		return err.Error()
	}
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok || typ == "" || sub == "" {
		return "it has no \"type/subtype\""
	}
	return ""
}
