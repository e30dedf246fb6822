package xapi

import (
	"fmt"
	"strings"

	"github.com/metaacademy/ota/internal/jsontree"
)

var (
	statementKeys    = []string{"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"}
	subStatementKeys = []string{"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
	actorKeys        = []string{"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"}
	accountKeys      = []string{"homePage", "name"}
	verbKeys         = []string{"id", "display"}
	activityKeys     = []string{"objectType", "id", "definition"}
	statementRefKeys = []string{"objectType", "id"}
)

// objKind is the kind of a statement's object, as its objectType says.
type objKind uint8

const (
	objNone objKind = iota // absent or not an object
	objActivity
	objActor
	objStatementRef
	objSubStatement
	objInvalid // an objectType that matches nothing
)

// kindOf returns the kind of object node n by its objectType. Values that
// match a kind only when case is ignored select that kind, so that the
// rest of the object is still checked; the case error is reported by the
// caller.
func kindOf(n *jsontree.Node) objKind {
	if n == nil || n.Kind != jsontree.Object {
		return objNone
	}
	ot := n.Get("objectType")
	if ot == nil || ot.Kind != jsontree.String {
		return objActivity
	}
	switch {
	case strings.EqualFold(ot.Str, ObjectTypeActivity):
		return objActivity
	case strings.EqualFold(ot.Str, ObjectTypeAgent), strings.EqualFold(ot.Str, ObjectTypeGroup):
		return objActor
	case strings.EqualFold(ot.Str, ObjectTypeStatementRef):
		return objStatementRef
	case strings.EqualFold(ot.Str, ObjectTypeSubStatement):
		return objSubStatement
	}
	return objInvalid
}

// statement checks a statement object; sub is true for a SubStatement.
func (c *checker) statement(n *jsontree.Node, sub bool) {
	what := "a statement"
	keys := statementKeys
	if sub {
		what, keys = "a SubStatement", subStatementKeys
	}
	if !c.is(n, jsontree.Object, "a statement object", "") {
		return
	}
	objNode := n.Get("object")
	kind := kindOf(objNode)
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
func (c *checker) versionProperty(n *jsontree.Node) {
	s, ok := c.str(n, `a version string such as "1.0.3"`, "XAPI-00101")
	if !ok {
		return
	}
	if reason, _ := checkVersion(s, c.version); reason != "" {
		c.err(n, "xapi.version.invalid", "XAPI-00101", fmt.Sprintf("version %s is not accepted: %s; or leave the property out", quote(s), reason))
	}
}

// actorRole is where an actor appears, which decides its allowed forms.
type actorRole uint8

const (
	roleActor        actorRole = iota // statement actor: Agent or Group
	roleAuthority                     // Agent, or anonymous Group of two agents
	roleInstructor                    // Agent or Group
	roleTeam                          // Group
	roleMember                        // Agent within a Group
	roleObject                        // object of a statement: Agent or Group, objectType required
	roleContextAgent                  // agent of a contextAgent: Agent
	roleContextGroup                  // group of a contextGroup: Group
)

func (r actorRole) String() string {
	return [...]string{"the actor", "the authority", "the instructor", "the team", "a group member",
		"the object", "the contextAgent's agent", "the contextGroup's group"}[r]
}

// requirement returns the ADL requirement id of "is an Agent or Group" for
// the role.
func (r actorRole) requirement() string {
	return [...]string{"XAPI-00031", "XAPI-00024", "XAPI-00087", "XAPI-00088", "XAPI-00036", "XAPI-00046", "", ""}[r]
}

// actor checks an Agent or Group in the given role.
func (c *checker) actor(n *jsontree.Node, role actorRole) {
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
			ifis += countIFI(v)
			if s, ok := c.str(v, `a "mailto:" IRI string`, "XAPI-00038"); ok {
				if r := checkMbox(s); r != "" {
					c.err(v, "xapi.mbox.invalid", "XAPI-00038", fmt.Sprintf("mbox %s is not a mailto IRI: %s", quote(s), r))
				}
			}
		case "mbox_sha1sum":
			ifis += countIFI(v)
			if s, ok := c.str(v, "a string of 40 hexadecimal digits", "XAPI-00039"); ok {
				if r := checkSHA1Hex(s); r != "" {
					c.err(v, "xapi.mbox-sha1sum.invalid", "XAPI-00039", fmt.Sprintf("mbox_sha1sum %s is not a SHA-1 digest: %s; it is the hexadecimal SHA-1 of the whole \"mailto:\" IRI", quote(s), r))
				}
			}
		case "openid":
			ifis += countIFI(v)
			if s, ok := c.str(v, "a URI string", "XAPI-00040"); ok {
				if r := checkURI(s); r != "" {
					c.err(v, "xapi.openid.invalid", "XAPI-00040", fmt.Sprintf("openid %s is not an absolute URI: %s", quote(s), r))
				}
			}
		case "account":
			ifis += countIFI(v)
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
func countIFI(n *jsontree.Node) int {
	if n.Kind == jsontree.Null {
		return 0
	}
	return 1
}

// account checks an Account object.
func (c *checker) account(n *jsontree.Node) {
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
func (c *checker) verb(n *jsontree.Node) {
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
func (c *checker) object(n *jsontree.Node, kind objKind, sub bool) {
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
func (c *checker) statementRef(n *jsontree.Node, req string) {
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
