package xapi

// This file keeps the statement validator as it was before the single-pass
// validator replaced it (parse into a jsontree, then walk the tree), as a
// test oracle: the differential tests and FuzzValidateDifferential check
// that the production validator reports exactly the same issues (codes,
// pointers, lines, messages, requirement ids, order) on every input.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/isodur"
	"github.com/metaacademy/ota/internal/jsontree"
)

// oracleValidate validates data as the former Validator.Validate did.
func oracleValidate(data []byte, opts ValidateOptions) ota.Report {
	c := &oracle{}
	c.reset(data, opts.Version)
	if err := opts.Version.Check(); err != nil {
		c.issues = append(c.issues, ota.Issue{Code: "xapi.options.version", Severity: ota.Error,
			Message: err.Error()})
		return c.report(opts.Policy)
	}
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: MaxDepth})
	if err != nil {
		c.issues = append(c.issues, syntaxIssue(err))
		return c.report(opts.Policy)
	}
	c.statement(root, false)
	return c.report(opts.Policy)
}

// oracle walks a parsed statement and collects issues. Its buffers are
// reused from one statement to the next.
type oracle struct {
	data    []byte
	version Version
	issues  []ota.Issue
	path    []string // JSON Pointer tokens of the value being checked
	nl      []int    // offsets of '\n' in data, computed on first use
	nlDone  bool
}

// tagProblem returns tagProblem(s).
func (c *oracle) tagProblem(s string) string { return tagProblem(s) }

func (c *oracle) reset(data []byte, v Version) {
	c.data, c.version = data, v.resolve()
	c.issues = c.issues[:0]
	c.path = c.path[:0]
	c.nl = c.nl[:0]
	c.nlDone = false
}

// report returns the issues found with the policy applied, in a slice the
// oracle does not keep.
func (c *oracle) report(p ota.Policy) ota.Report {
	if len(c.issues) == 0 {
		return ota.Report{}
	}
	issues := make([]ota.Issue, len(c.issues))
	copy(issues, c.issues)
	rep := ota.Report{Issues: issues}
	rep.Apply(p)
	return rep
}

func (c *oracle) v2() bool { return c.version == Version200 }

// push enters the member or element tok; pop leaves it.
func (c *oracle) push(tok string) { c.path = append(c.path, tok) }

func (c *oracle) pop() { c.path = c.path[:len(c.path)-1] }

func (c *oracle) pushIndex(i int) {
	if i < len(indexTokens) {
		c.push(indexTokens[i])
		return
	}
	c.push(strconv.Itoa(i))
}

// pointer returns the JSON Pointer of the current value, followed by extra
// tokens.
func (c *oracle) pointer(extra ...string) string {
	var b strings.Builder
	for _, t := range c.path {
		b.WriteString(jsontree.AppendPointerToken("", t))
	}
	for _, t := range extra {
		b.WriteString(jsontree.AppendPointerToken("", t))
	}
	return b.String()
}

// line returns the 1-based line of byte offset off.
func (c *oracle) line(off int) int {
	if !c.nlDone {
		for i, b := range c.data {
			if b == '\n' {
				c.nl = append(c.nl, i)
			}
		}
		c.nlDone = true
	}
	return sort.SearchInts(c.nl, off) + 1
}

// add records an issue about value n at the current path.
func (c *oracle) add(n *jsontree.Node, sev ota.Severity, code, req, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: c.pointer(), Line: c.line(n.Start),
		Code: code, Severity: sev, Message: msg, Requirement: req})
}

// err records an error about value n at the current path.
func (c *oracle) err(n *jsontree.Node, code, req, msg string) { c.add(n, ota.Error, code, req, msg) }

// warn records a warning about value n at the current path.
func (c *oracle) warn(n *jsontree.Node, code, req, msg string) {
	c.add(n, ota.Warning, code, req, msg)
}

// missing records that object n, at the current path, lacks member key.
func (c *oracle) missing(n *jsontree.Node, key, code, req, msg string) {
	c.issues = append(c.issues, ota.Issue{Pointer: c.pointer(key), Line: c.line(n.Start),
		Code: code, Severity: ota.Error, Message: msg, Requirement: req})
}

// is reports whether n has kind k, recording an error when it does not.
// want describes the expected value ("a string", "an Agent object").
func (c *oracle) is(n *jsontree.Node, k jsontree.Kind, want, req string) bool {
	if n.Kind == k {
		return true
	}
	if n.Kind == jsontree.Null {
		c.err(n, "xapi.json.null", "XAPI-00001",
			"null is not allowed outside extension values; remove the property or give it "+want)
		return false
	}
	if req == "" {
		req = "XAPI-00006"
	}
	c.err(n, "xapi.json.wrong-type", req, "expected "+want+", found "+oracleDescribe(n))
	return false
}

// describe names the JSON value n for a message.
func oracleDescribe(n *jsontree.Node) string {
	switch n.Kind {
	case jsontree.String:
		if n.Str == "" {
			return "an empty string"
		}
		return "the string " + quote(n.Str)
	case jsontree.Number:
		return "the number " + n.Num
	case jsontree.Bool:
		return "the boolean " + strconv.FormatBool(n.Bool)
	case jsontree.Array:
		return "an array"
	case jsontree.Object:
		return "an object"
	}
	return "null"
}

// str returns the string value of n, recording an error when n is not a
// string.
func (c *oracle) str(n *jsontree.Node, want, req string) (string, bool) {
	if !c.is(n, jsontree.String, want, req) {
		return "", false
	}
	return n.Str, true
}

// unknown records member key of an object at the current path (already
// pushed) as not allowed. known lists the members the object may have, to
// recognise a key written in the wrong case.
func (c *oracle) unknown(n *jsontree.Node, key, where string, known []string) {
	for _, k := range known {
		if strings.EqualFold(k, key) {
			c.err(n, "xapi.json.unknown-property", "XAPI-00008",
				fmt.Sprintf("%s has no property %s: property names are case-sensitive; write %s", where, quote(key), quote(k)))
			return
		}
	}
	c.err(n, "xapi.json.unknown-property", "XAPI-00010",
		fmt.Sprintf("%s has no property %s; xAPI does not allow additional properties: remove it, or move the data into \"extensions\" under an IRI key", where, quote(key)))
}

// iri checks that n is a string holding an absolute IRI.
func (c *oracle) iri(n *jsontree.Node, what, code, req string) (string, bool) {
	s, ok := c.str(n, "an IRI string", req)
	if !ok {
		return "", false
	}
	if r := checkIRI(s); r != "" {
		c.err(n, code, req, fmt.Sprintf("%s %s is not an absolute IRI: %s; write a full IRI such as \"https://example.org/…\"", what, quote(s), r))
		return s, false
	}
	return s, true
}

// uuid checks that n is a string holding a UUID.
func (c *oracle) uuid(n *jsontree.Node, what, req string) {
	s, ok := c.str(n, "a UUID string", req)
	if !ok {
		return
	}
	reason, rfc := checkUUID(s)
	switch {
	case reason != "":
		c.err(n, "xapi.uuid.invalid", req, fmt.Sprintf("%s %s is not a UUID: %s; write it like \"6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f\"", what, quote(s), reason))
	case !rfc:
		c.warn(n, "xapi.uuid.not-rfc4122", "XAPI-00030", fmt.Sprintf("%s %s is not an RFC 4122 UUID (its version or variant digit is wrong); strict LRSs reject it, so generate it with an RFC 4122 generator (version 4 or 5)", what, quote(s)))
	}
}

// langTag checks that n is a string holding a language tag.
func (c *oracle) langTag(n *jsontree.Node, req string) {
	s, ok := c.str(n, "a language tag string", req)
	if !ok {
		return
	}
	if msg := c.tagProblem(s); msg != "" {
		c.err(n, "xapi.language.invalid", req, msg)
	}
}

// languageMap checks a language map: an object whose keys are RFC 5646
// language tags and whose values are strings.
func (c *oracle) languageMap(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Object, `a language map such as {"en-US": "…"}`, req) {
		return
	}
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		if msg := c.tagProblem(m.Key); msg != "" {
			c.err(m.Value, "xapi.language.invalid", "XAPI-00013", "language map key: "+msg)
		}
		c.is(m.Value, jsontree.String, "a string", req)
		c.pop()
	}
}

// extensions checks an extensions object: keys are absolute IRIs, values
// may be any JSON value, including null.
func (c *oracle) extensions(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Object, "an object whose keys are IRIs", req) {
		return
	}
	for i := range n.Members {
		m := &n.Members[i]
		if r := checkIRI(m.Key); r != "" {
			c.push(m.Key)
			c.err(m.Value, "xapi.extension.key-invalid", "XAPI-00118",
				fmt.Sprintf("extension key %s is not an absolute IRI: %s; extension keys must be IRIs such as \"https://example.org/xapi/extensions/room\"", quote(m.Key), r))
			c.pop()
		}
	}
}

// timestamp checks a timestamp property: ISO 8601 in xAPI 1.0.3, RFC 3339
// in xAPI 2.0.
func (c *oracle) timestamp(n *jsontree.Node, req string) {
	s, ok := c.str(n, "a timestamp string", req)
	if !ok {
		return
	}
	const example = "; write it in RFC 3339 form with a zone, such as \"2024-05-31T14:02:00.000Z\""
	_, info, reason := parseTimestamp(s)
	switch {
	case reason == errNegativeZero.Error():
		c.err(n, "xapi.timestamp.invalid", "XAPI-00123",
			fmt.Sprintf("timestamp %s has the offset -00:00, which RFC 3339 reserves for an unknown local offset; write Z or +00:00 for UTC", quote(s)))
	case reason != "":
		c.err(n, "xapi.timestamp.invalid", "XAPI-00123",
			fmt.Sprintf("timestamp %s is not an ISO 8601 date and time: %s%s", quote(s), reason, example))
	case c.v2() && !info.rfc3339:
		c.err(n, "xapi.timestamp.not-rfc3339", "",
			fmt.Sprintf("xAPI 2.0 requires RFC 3339 timestamps, and %s is not one (it needs YYYY-MM-DDThh:mm:ss, optional fraction, and Z or ±hh:mm)%s", quote(s), example))
	case !info.zone:
		c.warn(n, "xapi.timestamp.zone-missing", "",
			fmt.Sprintf("timestamp %s has no time zone, so the instant it names is ambiguous (xAPI 2.0 rejects it)%s", quote(s), example))
	case !info.rfc3339:
		c.warn(n, "xapi.timestamp.not-rfc3339", "",
			fmt.Sprintf("timestamp %s is valid ISO 8601 but not RFC 3339, which xAPI recommends and xAPI 2.0 requires%s", quote(s), example))
	}
}

// statement checks a statement object; sub is true for a SubStatement.
func (c *oracle) statement(n *jsontree.Node, sub bool) {
	what := "a statement"
	keys := statementKeys
	if sub {
		what, keys = "a SubStatement", subStatementKeys
	}
	if !c.is(n, jsontree.Object, "a statement object", "") {
		return
	}
	objNode := n.Get("object")
	kind := kindOfNode(objNode)
	var actor, verb *jsontree.Node
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "actor":
			actor = v
			c.actor(v, roleActor)
		case "verb":
			verb = v
			c.verb(v)
		case "object":
			c.object(v, kind, sub)
		case "result":
			c.result(v)
		case "context":
			c.context(v, kind)
		case "timestamp":
			c.timestamp(v, "XAPI-00022")
		case "attachments":
			c.attachments(v)
		case "objectType":
			// A SubStatement's objectType was matched by kindOf; the
			// exact value is checked by object.
			if !sub {
				c.unknown(v, m.Key, what, keys)
			}
		case "id", "stored", "authority", "version":
			if sub {
				req := map[string]string{"id": "XAPI-00070", "stored": "XAPI-00069", "authority": "XAPI-00067", "version": "XAPI-00068"}[m.Key]
				c.err(v, "xapi.substatement.property-forbidden", req,
					fmt.Sprintf("a SubStatement cannot have %q; remove it (only the outer statement has an id, stored, authority and version)", m.Key))
				break
			}
			switch m.Key {
			case "id":
				c.uuid(v, "statement id", "XAPI-00027")
			case "stored":
				c.timestamp(v, "XAPI-00023")
			case "authority":
				c.actor(v, roleAuthority)
			case "version":
				c.versionProperty(v)
			}
		default:
			c.unknown(v, m.Key, what, keys)
		}
		c.pop()
	}
	if actor == nil {
		c.missing(n, "actor", "xapi.actor.missing", "XAPI-00003", what+` has no "actor"; add the Agent or Group the statement is about`)
	}
	if verb == nil {
		c.missing(n, "verb", "xapi.verb.missing", "XAPI-00004", what+` has no "verb"; add one such as {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}`)
	}
	if objNode == nil {
		c.missing(n, "object", "xapi.object.missing", "XAPI-00005", what+` has no "object"; add the Activity, Agent, Group, StatementRef or SubStatement acted on`)
	}
	if !sub && verb != nil && objNode != nil && kind != objStatementRef && kind != objNone {
		if id := verb.Get("id"); id != nil && id.Kind == jsontree.String && id.Str == VerbVoided {
			c.push("object")
			c.err(objNode, "xapi.voiding.object-not-statement-ref", "XAPI-00017",
				`a voiding statement (verb "`+VerbVoided+`") must have a StatementRef object: {"objectType": "StatementRef", "id": "<UUID of the voided statement>"}`)
			c.pop()
		}
	}
}

// versionProperty checks the statement's "version".
func (c *oracle) versionProperty(n *jsontree.Node) {
	s, ok := c.str(n, `a version string such as "1.0.3"`, "XAPI-00101")
	if !ok {
		return
	}
	if reason, _ := checkVersion(s, c.version); reason != "" {
		c.err(n, "xapi.version.invalid", "XAPI-00101", fmt.Sprintf("version %s is not accepted: %s; or leave the property out", quote(s), reason))
	}
}

// actor checks an Agent or Group in the given role.
func (c *oracle) actor(n *jsontree.Node, role actorRole) {
	if !c.is(n, jsontree.Object, "an Agent or Group object", role.requirement()) {
		return
	}
	group := false
	if ot := n.Get("objectType"); ot != nil {
		c.push("objectType")
		if s, ok := c.str(ot, `"Agent" or "Group"`, "XAPI-00032"); ok {
			switch s {
			case ObjectTypeAgent:
			case ObjectTypeGroup:
				group = true
			default:
				group = strings.EqualFold(s, ObjectTypeGroup)
				if role == roleObject {
					break // reported by object
				}
				req := role.requirement()
				msg := fmt.Sprintf("objectType %s is not \"Agent\" or \"Group\"", quote(s))
				if group || strings.EqualFold(s, ObjectTypeAgent) {
					req = "XAPI-00009"
					msg = fmt.Sprintf("objectType %s must be written exactly \"Agent\" or \"Group\" (values are case-sensitive)", quote(s))
				}
				c.err(ot, "xapi.object-type.invalid", req, msg)
			}
		}
		c.pop()
	} else if role == roleObject {
		// Not reached: without objectType the object is an Activity.
		c.missing(n, "objectType", "xapi.object-type.missing", "XAPI-00065", `an Agent or Group used as the object must say "objectType": "Agent" or "Group"`)
	}
	switch {
	case group && (role == roleMember || role == roleContextAgent):
		c.err(n, "xapi.group.not-allowed", role.requirement(),
			fmt.Sprintf("%s must be an Agent, not a Group (groups cannot contain groups); give it \"objectType\": \"Agent\" and one identifier", role))
	case !group && (role == roleTeam || role == roleContextGroup):
		req := role.requirement()
		if n.Get("objectType") == nil {
			c.missing(n, "objectType", "xapi.group.required", req, fmt.Sprintf(`%s must be a Group: add "objectType": "Group"`, role))
		} else {
			c.err(n, "xapi.group.required", req, fmt.Sprintf(`%s must be a Group with "objectType": "Group"`, role))
		}
	}

	ifis, members := 0, -1
	var memberNode *jsontree.Node
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "objectType":
		case "name":
			c.str(v, "a string", "XAPI-00033")
		case "mbox":
			ifis += oracleCountIFI(v)
			if s, ok := c.str(v, `a "mailto:" IRI string`, "XAPI-00038"); ok {
				if r := checkMbox(s); r != "" {
					c.err(v, "xapi.mbox.invalid", "XAPI-00038", fmt.Sprintf("mbox %s is not a mailto IRI: %s", quote(s), r))
				}
			}
		case "mbox_sha1sum":
			ifis += oracleCountIFI(v)
			if s, ok := c.str(v, "a string of 40 hexadecimal digits", "XAPI-00039"); ok {
				if r := checkSHA1Hex(s); r != "" {
					c.err(v, "xapi.mbox-sha1sum.invalid", "XAPI-00039", fmt.Sprintf("mbox_sha1sum %s is not a SHA-1 digest: %s; it is the hexadecimal SHA-1 of the whole \"mailto:\" IRI", quote(s), r))
				}
			}
		case "openid":
			ifis += oracleCountIFI(v)
			if s, ok := c.str(v, "a URI string", "XAPI-00040"); ok {
				if r := checkURI(s); r != "" {
					c.err(v, "xapi.openid.invalid", "XAPI-00040", fmt.Sprintf("openid %s is not an absolute URI: %s", quote(s), r))
				}
			}
		case "account":
			ifis += oracleCountIFI(v)
			c.account(v)
		case "member":
			if !group {
				c.err(v, "xapi.agent.member", "XAPI-00035", `an Agent cannot have "member"; only a Group (with "objectType": "Group") lists members`)
				break
			}
			memberNode = v
			if c.is(v, jsontree.Array, "an array of Agent objects", "XAPI-00036") {
				members = len(v.Elems)
				for j, e := range v.Elems {
					c.pushIndex(j)
					c.actor(e, roleMember)
					c.pop()
				}
			}
		default:
			c.unknown(v, m.Key, role.String(), actorKeys)
		}
		c.pop()
	}

	if !group {
		switch {
		case ifis == 0:
			c.err(n, "xapi.agent.ifi-missing", "XAPI-00034",
				fmt.Sprintf(`%s is an Agent without an identifier; give it exactly one of "mbox", "mbox_sha1sum", "openid" or "account"`, role))
		case ifis > 1:
			c.err(n, "xapi.agent.ifi-multiple", "XAPI-00034",
				fmt.Sprintf(`%s is an Agent with %d identifiers; keep exactly one of "mbox", "mbox_sha1sum", "openid" or "account"`, role, ifis))
		}
		return
	}
	switch {
	case ifis > 1:
		c.err(n, "xapi.group.ifi-multiple", "XAPI-00037",
			fmt.Sprintf(`%s is a Group with %d identifiers; an identified Group has exactly one of "mbox", "mbox_sha1sum", "openid" or "account"`, role, ifis))
	case role == roleAuthority && ifis > 0:
		c.err(n, "xapi.authority.group-identified", "XAPI-00098",
			`an authority Group must be an anonymous group of two Agents (an OAuth consumer and a user); remove its identifier`)
	case ifis == 0 && memberNode == nil:
		c.missing(n, "member", "xapi.group.member-missing", "XAPI-00035",
			fmt.Sprintf(`%s is an anonymous Group (it has no identifier), so it must list its agents in "member"; or give it one identifier`, role))
	case ifis == 0 && members == 0:
		c.push("member")
		c.err(memberNode, "xapi.group.member-missing", "XAPI-00037",
			fmt.Sprintf(`%s is an anonymous Group with no members; list at least one Agent in "member", or give the group an identifier`, role))
		c.pop()
	}
	if role == roleAuthority && ifis == 0 && members >= 0 && members != 2 {
		c.push("member")
		c.err(memberNode, "xapi.authority.group-members", "XAPI-00098",
			fmt.Sprintf("an authority Group has exactly two members (an OAuth consumer and a user), not %d", members))
		c.pop()
	}
}

// countIFI returns 1 unless n is null, which is reported on its own.
func oracleCountIFI(n *jsontree.Node) int {
	if n.Kind == jsontree.Null {
		return 0
	}
	return 1
}

// account checks an Account object.
func (c *oracle) account(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, `an account object {"homePage": IRL, "name": string}`, "XAPI-00041") {
		return
	}
	var home, name bool
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "homePage":
			home = true
			c.iri(m.Value, "account homePage", "xapi.account.home-page-invalid", "XAPI-00042")
		case "name":
			name = true
			c.str(m.Value, "a string", "XAPI-00043")
		default:
			c.unknown(m.Value, m.Key, "an account", accountKeys)
		}
		c.pop()
	}
	if !home {
		c.missing(n, "homePage", "xapi.account.home-page-missing", "XAPI-00042", `an account needs "homePage", the IRL of the system the account is on`)
	}
	if !name {
		c.missing(n, "name", "xapi.account.name-missing", "XAPI-00043", `an account needs "name", the account's name or id on that system`)
	}
}

// verb checks a Verb object.
func (c *oracle) verb(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, `a verb object {"id": IRI, "display": {…}}`, "XAPI-00044") {
		return
	}
	id := false
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "id":
			id = true
			c.iri(m.Value, "verb id", "xapi.verb.id-invalid", "XAPI-00044")
		case "display":
			c.languageMap(m.Value, "XAPI-00045")
		default:
			c.unknown(m.Value, m.Key, "a verb", verbKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(n, "id", "xapi.verb.id-missing", "XAPI-00044", `the verb has no "id"; add the verb's IRI, such as "http://adlnet.gov/expapi/verbs/completed"`)
	}
}

// object checks the object of a statement, whose kind was found by kindOf.
func (c *oracle) object(n *jsontree.Node, kind objKind, sub bool) {
	if !c.is(n, jsontree.Object, "an Activity, Agent, Group, StatementRef or SubStatement object", "XAPI-00046") {
		return
	}
	if ot := n.Get("objectType"); ot != nil {
		c.push("objectType")
		if s, ok := c.str(ot, `an objectType string such as "Activity"`, "XAPI-00046"); ok {
			switch s {
			case ObjectTypeActivity, ObjectTypeAgent, ObjectTypeGroup, ObjectTypeStatementRef, ObjectTypeSubStatement:
			default:
				if kind == objInvalid {
					c.err(ot, "xapi.object-type.invalid", "XAPI-00046",
						fmt.Sprintf(`objectType %s is not one of "Activity", "Agent", "Group", "StatementRef" or "SubStatement"`, quote(s)))
				} else {
					c.err(ot, "xapi.object-type.invalid", "XAPI-00009",
						fmt.Sprintf(`objectType %s must be written with exact case, as "Activity", "Agent", "Group", "StatementRef" or "SubStatement"`, quote(s)))
				}
			}
		}
		c.pop()
	}
	switch kind {
	case objActivity:
		c.activity(n, "the object")
	case objActor:
		c.actor(n, roleObject)
	case objStatementRef:
		c.statementRef(n, "XAPI-00072")
	case objSubStatement:
		if sub {
			c.err(n, "xapi.substatement.nested", "XAPI-00071",
				"a SubStatement cannot have a SubStatement as its object; use a StatementRef or an Activity")
			return
		}
		c.statement(n, true)
	}
}

// statementRef checks a StatementRef, as an object (XAPI-00072) or as
// context.statement (XAPI-00092). Its objectType is required.
func (c *oracle) statementRef(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Object, `a StatementRef object {"objectType": "StatementRef", "id": UUID}`, req) {
		return
	}
	var ot, id bool
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "objectType":
			ot = true
			if s, ok := c.str(m.Value, `"StatementRef"`, req); ok && s != ObjectTypeStatementRef {
				code := "xapi.object-type.invalid"
				if req == "XAPI-00092" {
					code = "xapi.context.statement-invalid"
				}
				c.err(m.Value, code, req, fmt.Sprintf(`objectType %s must be exactly "StatementRef"`, quote(s)))
			}
		case "id":
			id = true
			c.uuid(m.Value, "StatementRef id", req)
		default:
			c.unknown(m.Value, m.Key, "a StatementRef", statementRefKeys)
		}
		c.pop()
	}
	if !ot {
		c.missing(n, "objectType", "xapi.object-type.missing", "XAPI-00073", `a StatementRef must say "objectType": "StatementRef"`)
	}
	if !id {
		c.missing(n, "id", "xapi.statement-ref.id-missing", "XAPI-00072", `a StatementRef needs "id", the UUID of the statement it refers to`)
	}
}

// result checks a Result object.
func (c *oracle) result(n *jsontree.Node) {
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
				if r := isodur.Check(s); r != "" {
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
func (c *oracle) score(n *jsontree.Node) {
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
func (c *oracle) context(n *jsontree.Node, kind objKind) {
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
func (c *oracle) contextActivities(n *jsontree.Node) {
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

// contextAgents checks the xAPI 2.0 contextAgents or contextGroups array.
func (c *oracle) contextAgents(n *jsontree.Node, groups bool) {
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
func (c *oracle) attachments(n *jsontree.Node) {
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
func (c *oracle) attachment(n *jsontree.Node) {
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

// activity checks an Activity object: as the statement's object (where
// says "the object") or in contextActivities.
func (c *oracle) activity(n *jsontree.Node, where string) {
	if !c.is(n, jsontree.Object, `an Activity object {"id": IRI, …}`, "XAPI-00094") {
		return
	}
	id := false
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "objectType":
			// The statement object's objectType is checked by object;
			// context activities are checked here.
			if where != "the object" {
				if s, ok := c.str(m.Value, `"Activity"`, "XAPI-00094"); ok && s != ObjectTypeActivity {
					c.err(m.Value, "xapi.object-type.invalid", "XAPI-00094",
						fmt.Sprintf(`a context activity's objectType must be "Activity" (or left out), not %s`, quote(s)))
				}
			}
		case "id":
			id = true
			c.iri(m.Value, "activity id", "xapi.activity.id-invalid", "XAPI-00047")
		case "definition":
			c.definition(m.Value)
		default:
			c.unknown(m.Value, m.Key, "an Activity", activityKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(n, "id", "xapi.activity.id-missing", "XAPI-00047",
			where+` is an Activity without "id"; add the activity's IRI (an object without "objectType" is read as an Activity)`)
	}
}

// definition checks an Activity Definition.
func (c *oracle) definition(n *jsontree.Node) {
	if !c.is(n, jsontree.Object, "an activity definition object", "XAPI-00048") {
		return
	}
	itype := ""
	var pattern *jsontree.Node
	var lists []*jsontree.Member
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		c.push(m.Key)
		switch m.Key {
		case "name":
			c.languageMap(v, "XAPI-00056")
		case "description":
			c.languageMap(v, "XAPI-00059")
		case "type":
			c.iri(v, "activity type", "xapi.activity.type-invalid", "XAPI-00060")
		case "moreInfo":
			c.iri(v, "moreInfo", "xapi.activity.more-info-invalid", "XAPI-00061")
		case "extensions":
			c.extensions(v, "XAPI-00057")
		case "interactionType":
			if s, ok := c.str(v, "an interaction type string", "XAPI-00049"); ok {
				itype = c.interactionType(v, s)
			}
		case "correctResponsesPattern":
			pattern = v
			if c.is(v, jsontree.Array, "an array of strings", "XAPI-00050") {
				for j, e := range v.Elems {
					c.pushIndex(j)
					c.is(e, jsontree.String, "a string", "XAPI-00050")
					c.pop()
				}
			}
		case "choices", "scale", "source", "target", "steps":
			lists = append(lists, m)
			c.components(v, componentLists[m.Key].req)
		default:
			c.unknown(v, m.Key, "an activity definition", definitionKeys)
		}
		c.pop()
	}
	hasType := n.Get("interactionType") != nil
	if pattern != nil && !hasType {
		c.missing(n, "interactionType", "xapi.interaction.type-missing", "XAPI-00064",
			`"correctResponsesPattern" is given without "interactionType"; add the interaction type (choice, fill-in, …)`)
	}
	if len(lists) > 0 && !hasType && pattern == nil {
		c.missing(n, "interactionType", "xapi.interaction.type-missing", "",
			fmt.Sprintf(`interaction components (%q) are given without "interactionType"; interaction activities must have one`, lists[0].Key))
	}
	if itype == "" {
		return
	}
	for _, m := range lists {
		allowed := componentLists[m.Key].types
		if !contains(allowed, itype) {
			c.push(m.Key)
			c.warn(m.Value, "xapi.interaction.component-unexpected", "",
				fmt.Sprintf("%q is not used by %s interactions (only by %s); remove it or correct interactionType", m.Key, itype, strings.Join(allowed, " and ")))
			c.pop()
		}
	}
}

// interactionType checks the value s of interactionType and returns it
// when it is valid.
func (c *oracle) interactionType(n *jsontree.Node, s string) string {
	if contains(interactionTypes, s) {
		return s
	}
	for _, t := range interactionTypes {
		if strings.EqualFold(t, s) {
			c.err(n, "xapi.interaction.type-invalid", "XAPI-00009",
				fmt.Sprintf("interactionType %s must be written exactly %q (values are case-sensitive)", quote(s), t))
			return ""
		}
	}
	c.err(n, "xapi.interaction.type-invalid", "XAPI-00049",
		fmt.Sprintf("interactionType %s is not one of %s", quote(s), strings.Join(interactionTypes, ", ")))
	return ""
}

// components checks an array of interaction components.
func (c *oracle) components(n *jsontree.Node, req string) {
	if !c.is(n, jsontree.Array, "an array of interaction components", req) {
		return
	}
	for j, e := range n.Elems {
		c.pushIndex(j)
		c.component(e, n.Elems[:j])
		c.pop()
	}
}

// component checks one interaction component; before are the components
// that precede it in its list, to find duplicate ids.
func (c *oracle) component(n *jsontree.Node, before []*jsontree.Node) {
	if !c.is(n, jsontree.Object, `an interaction component {"id": string, "description": {…}}`, "XAPI-00063") {
		return
	}
	id := false
	for i := range n.Members {
		m := &n.Members[i]
		c.push(m.Key)
		switch m.Key {
		case "id":
			id = true
			s, ok := c.str(m.Value, "a string", "XAPI-00058")
			if !ok {
				break
			}
			for _, b := range before {
				if o := b.Get("id"); o != nil && o.Kind == jsontree.String && o.Str == s {
					c.err(m.Value, "xapi.interaction.component-id-duplicate", "XAPI-00058",
						fmt.Sprintf("interaction component id %s is used twice in this list; ids must be distinct", quote(s)))
					break
				}
			}
			if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
				c.warn(m.Value, "xapi.interaction.component-id-whitespace", "",
					fmt.Sprintf("interaction component id %s contains white space, which breaks response patterns; use '-' or '_' instead", quote(s)))
			}
		case "description":
			c.languageMap(m.Value, "XAPI-00062")
		default:
			c.unknown(m.Value, m.Key, "an interaction component", componentKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(n, "id", "xapi.interaction.component-id-missing", "XAPI-00058", `an interaction component needs "id"`)
	}
}
