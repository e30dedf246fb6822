package xapi

import (
	"fmt"
	"math"
	"mime"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/isodur"
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

// result reads a Result object.
func (c *checker) result() {
	if _, ok := c.open(jsontree.Object, "a result object", ""); !ok {
		return
	}
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "score":
			c.score()
		case "success":
			c.is(c.value(), jsontree.Bool, "true or false", "XAPI-00074")
		case "completion":
			c.is(c.value(), jsontree.Bool, "true or false", "XAPI-00075")
		case "response":
			c.str("a string", "XAPI-00076")
		case "duration":
			if v, ok := c.str(`an ISO 8601 duration string such as "PT4M30S"`, "XAPI-00077"); ok {
				if r := isodur.Check(v.text); r != "" {
					c.err(v.start, "xapi.duration.invalid", "XAPI-00124",
						fmt.Sprintf("duration %s is not an ISO 8601 duration: %s; write it like PT1H30M or PT4M12.5S", quote(v.text), r))
				}
			}
		case "extensions":
			c.extensions("XAPI-00078")
		default:
			c.unknown(key, "a result", resultKeys)
		}
		c.pop()
	}
}

// score reads a Score object.
func (c *checker) score() {
	if _, ok := c.open(jsontree.Object, "a score object", "XAPI-00079"); !ok {
		return
	}
	var vals [4]float64
	var has [4]bool
	var nums [4]val
	reqs := [4]string{"XAPI-00083", "XAPI-00082", "XAPI-00081", "XAPI-00080"}
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		k := -1
		for j, name := range scoreKeys {
			if key == name {
				k = j
			}
		}
		if k < 0 {
			c.unknown(key, "a score", scoreKeys)
		} else if v := c.value(); c.is(v, jsontree.Number, "a number", reqs[k]) {
			f, err := strconv.ParseFloat(v.text, 64)
			if err != nil || math.IsInf(f, 0) {
				c.err(v.start, "xapi.score.out-of-range", reqs[k], fmt.Sprintf("%s %s is too large to be a score", key, v.text))
			} else {
				vals[k], has[k], nums[k] = f, true, v
			}
		}
		c.pop()
	}
	const scaled, raw, mn, mx = 0, 1, 2, 3
	if has[scaled] && (vals[scaled] < -1 || vals[scaled] > 1) {
		c.push("scaled")
		c.err(nums[scaled].start, "xapi.score.out-of-range", "XAPI-00083",
			fmt.Sprintf("scaled %s is outside [-1, 1]; scaled is the score divided by the maximum, between -1 and 1", nums[scaled].text))
		c.pop()
	}
	if has[mn] && has[mx] && vals[mn] >= vals[mx] {
		c.push("min")
		c.err(nums[mn].start, "xapi.score.min-not-below-max", "XAPI-00081",
			fmt.Sprintf("min %s is not less than max %s; min must be below max", nums[mn].text, nums[mx].text))
		c.pop()
	}
	if has[raw] {
		switch {
		case has[mn] && vals[raw] < vals[mn]:
			c.push("raw")
			c.err(nums[raw].start, "xapi.score.raw-out-of-range", "XAPI-00082",
				fmt.Sprintf("raw %s is less than min %s; raw must lie between min and max", nums[raw].text, nums[mn].text))
			c.pop()
		case has[mx] && vals[raw] > vals[mx]:
			c.push("raw")
			c.err(nums[raw].start, "xapi.score.raw-out-of-range", "XAPI-00082",
				fmt.Sprintf("raw %s is greater than max %s; raw must lie between min and max", nums[raw].text, nums[mx].text))
			c.pop()
		}
	}
}

// context reads a Context object. Whether "revision" and "platform" are
// allowed depends on the kind of the statement's object, which st holds
// once the object is read; before, their errors wait in st (see
// objectState).
func (c *checker) context(st *objectState) {
	if _, ok := c.open(jsontree.Object, "a context object", ""); !ok {
		return
	}
	keys := contextKeys103
	if c.v2() {
		keys = contextKeys200
	}
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "registration":
			c.uuid("registration", "XAPI-00087")
		case "instructor":
			c.actor(roleInstructor)
		case "team":
			c.actor(roleTeam)
		case "contextActivities":
			c.contextActivities()
		case "revision", "platform":
			typeReq := "XAPI-00089"
			if key == "platform" {
				typeReq = "XAPI-00090"
			}
			v, ok := c.str("a string", typeReq)
			switch {
			case !ok:
			case !st.known:
				if st.n < len(st.pending) {
					st.pending[st.n] = pendingIssue{platform: key == "platform", start: v.start, at: len(c.issues)}
					st.n++
				}
			case st.kind != objActivity && st.kind != objNone:
				c.notActivity(key == "platform", v.start, false)
			}
		case "language":
			c.langTag("XAPI-00091")
		case "statement":
			c.statementRef("XAPI-00092")
		case "extensions":
			c.extensions("XAPI-00078")
		case "contextAgents", "contextGroups":
			if !c.v2() {
				v := c.valueStart()
				c.skip()
				c.err(v, "xapi.context.v2-only", "XAPI-00010",
					fmt.Sprintf("%q is an xAPI 2.0 property, not part of xAPI 1.0.3; validate as 2.0.0, or remove it for a 1.0.3 LRS (downgrading the statement to 1.0.3 does)", key))
				break
			}
			c.contextAgents(key == "contextGroups")
		default:
			c.unknown(key, "a context", keys)
		}
		c.pop()
	}
}

// notActivity records that the context's revision, or its platform, at
// start is not allowed with the statement's object. fromStatement says
// the current path is the statement's rather than the member's.
func (c *checker) notActivity(platform bool, start int, fromStatement bool) {
	key, req := "revision", "XAPI-00084"
	if platform {
		key, req = "platform", "XAPI-00085"
	}
	ptr := c.pointer()
	if fromStatement {
		ptr = c.pointer("context", key)
	}
	c.issues = append(c.issues, ota.Issue{Pointer: ptr, Line: c.line(start),
		Code: "xapi.context." + key + "-not-activity", Severity: ota.Error, Requirement: req,
		Message: fmt.Sprintf("context %q is allowed only when the statement's object is an Activity; remove it", key)})
}

// contextActivities reads a contextActivities object. A single Activity
// object is accepted where an array is expected, as an LRS must accept it.
func (c *checker) contextActivities() {
	start, ok := c.open(jsontree.Object, `an object with "parent", "grouping", "category" or "other"`, "XAPI-00086")
	if !ok {
		return
	}
	o := c.openObject()
	if c.ws(); c.i < len(c.data) && c.data[c.i] == '}' {
		c.err(start, "xapi.context-activities.empty", "XAPI-00095",
			`contextActivities is empty; give at least one of "parent", "grouping", "category" or "other", or leave it out`)
	}
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "parent", "grouping", "category", "other":
			switch k, _ := c.kindAt(); k {
			case jsontree.Array:
				a := c.openArray()
				for c.nextElem(&a) {
					c.pushIndex(a.n - 1)
					c.activity("a context activity", false)
					c.pop()
				}
			case jsontree.Object:
				c.activity("a context activity", false)
			default:
				c.is(c.value(), jsontree.Array, "an array of Activity objects", "XAPI-00094")
			}
		default:
			known := false
			for _, k := range contextActivitiesKeys {
				if equalFoldASCII(k, key) {
					known = true
				}
			}
			if known {
				c.unknown(key, "contextActivities", contextActivitiesKeys)
				break
			}
			v := c.valueStart()
			c.skip()
			c.err(v, "xapi.json.unknown-property", "XAPI-00093",
				fmt.Sprintf(`contextActivities has no property %s; its keys are "parent", "grouping", "category" and "other"`, quote(key)))
		}
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

// contextAgents reads the xAPI 2.0 contextAgents or contextGroups array.
func (c *checker) contextAgents(groups bool) {
	what, ot, member, role, keys := "contextAgent", ObjectTypeContextAgent, "agent", roleContextAgent, contextAgentKeys
	wantArray, wantObject, wantType := "an array of contextAgent objects", "a contextAgent object", `"contextAgent"`
	if groups {
		what, ot, member, role, keys = "contextGroup", ObjectTypeContextGroup, "group", roleContextGroup, contextGroupKeys
		wantArray, wantObject, wantType = "an array of contextGroup objects", "a contextGroup object", `"contextGroup"`
	}
	if _, ok := c.open(jsontree.Array, wantArray, ""); !ok {
		return
	}
	a := c.openArray()
	for c.nextElem(&a) {
		c.pushIndex(a.n - 1)
		if start, ok := c.open(jsontree.Object, wantObject, ""); ok {
			var hasType, hasMember bool
			o := c.openObject()
			for c.nextMember(&o) {
				key := c.key
				c.push(key)
				switch key {
				case "objectType":
					hasType = true
					if v, ok := c.str(wantType, ""); ok && v.text != ot {
						c.err(v.start, "xapi.object-type.invalid", "", fmt.Sprintf("the objectType of a %s must be exactly %q, not %s", what, ot, quote(v.text)))
					}
				case member:
					hasMember = true
					c.actor(role)
				case "relevantTypes":
					if rs, ok := c.open(jsontree.Array, "an array of IRIs", ""); ok {
						ts := c.openArray()
						if c.ws(); c.i < len(c.data) && c.data[c.i] == ']' {
							c.err(rs, "xapi.context.relevant-types-empty", "", `relevantTypes must hold at least one IRI; leave it out if there is none`)
						}
						for c.nextElem(&ts) {
							c.pushIndex(ts.n - 1)
							c.iri("relevant type", "xapi.context.relevant-type-invalid", "")
							c.pop()
						}
					}
				default:
					c.unknown(key, "a "+what, keys)
				}
				c.pop()
			}
			if !hasType {
				c.missing(start, "objectType", "xapi.object-type.missing", "", fmt.Sprintf(`a %s must say "objectType": %q`, what, ot))
			}
			if !hasMember {
				c.missing(start, member, "xapi.context."+member+"-missing", "", fmt.Sprintf(`a %s needs %q`, what, member))
			}
		}
		c.pop()
	}
}

// attachments reads the attachments array.
func (c *checker) attachments() {
	if _, ok := c.open(jsontree.Array, "an array of attachment objects", "XAPI-00025"); !ok {
		return
	}
	a := c.openArray()
	for c.nextElem(&a) {
		c.pushIndex(a.n - 1)
		c.attachment()
		c.pop()
	}
}

// attachment reads one Attachment object.
func (c *checker) attachment() {
	start, ok := c.open(jsontree.Object, "an attachment object", "XAPI-00025")
	if !ok {
		return
	}
	var seen [7]bool
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "usageType":
			seen[0] = true
			c.iri("usageType", "xapi.attachment.usage-type-invalid", "XAPI-00107")
		case "display":
			seen[1] = true
			c.languageMap("XAPI-00106")
		case "description":
			c.languageMap("XAPI-00106")
		case "contentType":
			seen[3] = true
			if v, ok := c.str("a media type string such as \"application/pdf\"", "XAPI-00105"); ok {
				if r := c.media.of(v.text, checkMediaType); r != "" {
					c.err(v.start, "xapi.attachment.content-type-invalid", "XAPI-00105",
						fmt.Sprintf("contentType %s is not an Internet media type: %s; write it like \"application/pdf\" or \"text/plain; charset=utf-8\"", quote(v.text), r))
				}
			}
		case "length":
			seen[4] = true
			if v := c.value(); c.is(v, jsontree.Number, "a whole number of octets", "XAPI-00102") {
				if f, err := strconv.ParseFloat(v.text, 64); err != nil || f < 0 || f != math.Trunc(f) || f > 1<<53 {
					c.err(v.start, "xapi.attachment.length-invalid", "XAPI-00102",
						fmt.Sprintf("length %s is not a whole, non-negative number of octets", v.text))
				}
			}
		case "sha2":
			seen[5] = true
			if v, ok := c.str("a hexadecimal SHA-2 digest string", "XAPI-00103"); ok {
				if v.text == "" {
					c.err(v.start, "xapi.attachment.sha2-invalid", "XAPI-00103", "sha2 is empty; give the hexadecimal SHA-256 (or other SHA-2) digest of the attachment")
				} else if r := checkSHA2Hex(v.text); r != "" {
					c.warn(v.start, "xapi.attachment.sha2-form", "XAPI-00103",
						fmt.Sprintf("sha2 %s does not look like a hexadecimal SHA-2 digest: %s", quote(v.text), r))
				}
			}
		case "fileUrl":
			c.iri("fileUrl", "xapi.attachment.file-url-invalid", "XAPI-00104")
		default:
			c.unknown(key, "an attachment", attachmentKeys)
		}
		c.pop()
	}
	for k, name := range attachmentKeys {
		if seen[k] || name == "description" || name == "fileUrl" {
			continue
		}
		c.missing(start, name, "xapi.attachment.property-missing", attachmentRequirement(name), fmt.Sprintf("an attachment needs %q", name))
	}
}

// attachmentRequirement returns the requirement id of a required member
// of an attachment.
func attachmentRequirement(name string) string {
	switch name {
	case "usageType":
		return "XAPI-00107"
	case "display":
		return "XAPI-00106"
	case "contentType":
		return "XAPI-00105"
	case "length":
		return "XAPI-00102"
	}
	return "XAPI-00103"
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
	if plainMediaType(s) {
		return ""
	}
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

// plainMediaType reports whether s is a media type without parameters
// that checkMediaType accepts: two non-empty tokens (RFC 2045) joined by
// '/'. It lets the common case skip mime.ParseMediaType, which allocates.
func plainMediaType(s string) bool {
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if i == slash {
			continue
		}
		if ch <= ' ' || ch >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, ch) >= 0 {
			return false
		}
	}
	return true
}
