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

// kindOf returns the kind of object an objectType value v names. Values
// that match a kind only when case is ignored select that kind, so that
// the rest of the object is still checked; the case error is reported by
// object. A value that is not a string leaves the object an Activity.
func kindOf(v val) objKind {
	if v.kind != jsontree.String {
		return objActivity
	}
	s := v.text
	switch s {
	case ObjectTypeActivity:
		return objActivity
	case ObjectTypeAgent, ObjectTypeGroup:
		return objActor
	case ObjectTypeStatementRef:
		return objStatementRef
	case ObjectTypeSubStatement:
		return objSubStatement
	}
	switch {
	case strings.EqualFold(s, ObjectTypeActivity):
		return objActivity
	case strings.EqualFold(s, ObjectTypeAgent), strings.EqualFold(s, ObjectTypeGroup):
		return objActor
	case strings.EqualFold(s, ObjectTypeStatementRef):
		return objStatementRef
	case strings.EqualFold(s, ObjectTypeSubStatement):
		return objSubStatement
	}
	return objInvalid
}

// objectState is what a statement knows of its object while its members
// are read. A context read before the object cannot yet tell whether its
// "revision" and "platform" are allowed; the errors they would get wait
// in pending, with the place they belong at, until the object is read.
type objectState struct {
	kind    objKind
	known   bool // the object has been read
	pending [2]pendingIssue
	n       int
}

// pendingIssue is the error a context's revision or platform gets if the
// statement's object, not yet read, is not an Activity.
type pendingIssue struct {
	platform bool // platform, else revision
	start    int  // where its value starts
	at       int  // the index in c.issues it belongs at
}

// statement reads a statement object; sub is true for a SubStatement.
func (c *checker) statement(sub bool) {
	what := "a statement"
	keys := statementKeys
	if sub {
		what, keys = "a SubStatement", subStatementKeys
	}
	start, ok := c.open(jsontree.Object, "a statement object", "")
	if !ok {
		return
	}
	var (
		st                        objectState
		hasActor, hasVerb, hasObj bool
		voiding                   bool // the verb's id is VerbVoided
		objStart                  int
	)
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "actor":
			hasActor = true
			c.actor(roleActor)
		case "verb":
			hasVerb = true
			voiding = c.verb()
		case "object":
			hasObj = true
			objStart = c.valueStart()
			st.kind, st.known = c.object(sub), true
		case "result":
			c.result()
		case "context":
			c.context(&st)
		case "timestamp":
			c.timestamp("XAPI-00022")
		case "attachments":
			c.attachments()
		case "objectType":
			// A SubStatement's objectType was matched by object; the
			// exact value is checked there.
			if sub {
				c.skip()
			} else {
				c.unknown(key, what, keys)
			}
		case "id", "stored", "authority", "version":
			if sub {
				v := c.valueStart()
				c.skip()
				c.err(v, "xapi.substatement.property-forbidden", subStatementForbidden(key),
					fmt.Sprintf("a SubStatement cannot have %q; remove it (only the outer statement has an id, stored, authority and version)", key))
				break
			}
			switch key {
			case "id":
				c.uuid("statement id", "XAPI-00027")
			case "stored":
				c.timestamp("XAPI-00023")
			case "authority":
				c.actor(roleAuthority)
			case "version":
				c.versionProperty()
			}
		default:
			c.unknown(key, what, keys)
		}
		c.pop()
	}
	if !st.known {
		st.kind = objNone
	}
	if st.kind != objActivity && st.kind != objNone {
		for k, p := range st.pending[:st.n] {
			c.notActivity(p.platform, p.start, true)
			c.moveTail(p.at+k, len(c.issues)-1)
		}
	}
	if !hasActor {
		c.missing(start, "actor", "xapi.actor.missing", "XAPI-00003", what+` has no "actor"; add the Agent or Group the statement is about`)
	}
	if !hasVerb {
		c.missing(start, "verb", "xapi.verb.missing", "XAPI-00004", what+` has no "verb"; add one such as {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}`)
	}
	if !hasObj {
		c.missing(start, "object", "xapi.object.missing", "XAPI-00005", what+` has no "object"; add the Activity, Agent, Group, StatementRef or SubStatement acted on`)
	}
	if !sub && voiding && hasObj && st.kind != objStatementRef && st.kind != objNone {
		c.push("object")
		c.err(objStart, "xapi.voiding.object-not-statement-ref", "XAPI-00017",
			`a voiding statement (verb "`+VerbVoided+`") must have a StatementRef object: {"objectType": "StatementRef", "id": "<UUID of the voided statement>"}`)
		c.pop()
	}
}

// subStatementForbidden returns the requirement id of a member of the
// outer statement found in a SubStatement.
func subStatementForbidden(key string) string {
	switch key {
	case "id":
		return "XAPI-00070"
	case "stored":
		return "XAPI-00069"
	case "authority":
		return "XAPI-00067"
	}
	return "XAPI-00068"
}

// versionProperty reads the statement's "version".
func (c *checker) versionProperty() {
	v, ok := c.str(`a version string such as "1.0.3"`, "XAPI-00101")
	if !ok {
		return
	}
	if reason, _ := checkVersion(v.text, c.version); reason != "" {
		c.err(v.start, "xapi.version.invalid", "XAPI-00101", fmt.Sprintf("version %s is not accepted: %s; or leave the property out", quote(v.text), reason))
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

// actor reads an Agent or Group in the given role.
//
// Whether it is a Group decides how "member" is judged, and the issues
// about its objectType and its role come before those about its members,
// but "objectType" may come last. So the actor is read as an Agent until
// its objectType says otherwise; only when that happens after a "member"
// was read as an Agent's is the object read again. The issues about
// objectType and role are made at the end and moved before the members'.
func (c *checker) actor(role actorRole) {
	start, ok := c.open(jsontree.Object, "an Agent or Group object", role.requirement())
	if !ok {
		return
	}
	m := c.mark()
	group, known := false, false
read:
	var ot val
	hasType, sawMember := false, false
	ifis, members, memberStart := 0, -1, -1
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "objectType":
			ot, hasType = c.value(), true
			if !known {
				g := ot.kind == jsontree.String && (ot.text == ObjectTypeGroup || strings.EqualFold(ot.text, ObjectTypeGroup))
				if g && sawMember {
					c.rewind(m)
					group, known = true, true
					goto read
				}
				group = g
			}
		case "name":
			c.str("a string", "XAPI-00033")
		case "mbox":
			v, ok := c.str(`a "mailto:" IRI string`, "XAPI-00038")
			ifis += countIFI(v)
			if ok {
				if r := checkMbox(v.text); r != "" {
					c.err(v.start, "xapi.mbox.invalid", "XAPI-00038", fmt.Sprintf("mbox %s is not a mailto IRI: %s", quote(v.text), r))
				}
			}
		case "mbox_sha1sum":
			v, ok := c.str("a string of 40 hexadecimal digits", "XAPI-00039")
			ifis += countIFI(v)
			if ok {
				if r := checkSHA1Hex(v.text); r != "" {
					c.err(v.start, "xapi.mbox-sha1sum.invalid", "XAPI-00039", fmt.Sprintf("mbox_sha1sum %s is not a SHA-1 digest: %s; it is the hexadecimal SHA-1 of the whole \"mailto:\" IRI", quote(v.text), r))
				}
			}
		case "openid":
			v, ok := c.str("a URI string", "XAPI-00040")
			ifis += countIFI(v)
			if ok {
				if r := checkURI(v.text); r != "" {
					c.err(v.start, "xapi.openid.invalid", "XAPI-00040", fmt.Sprintf("openid %s is not an absolute URI: %s", quote(v.text), r))
				}
			}
		case "account":
			if k, _ := c.kindAt(); k != jsontree.Null {
				ifis++
			}
			c.account()
		case "member":
			sawMember = true
			v := c.valueStart()
			if !group {
				c.skip()
				c.err(v, "xapi.agent.member", "XAPI-00035", `an Agent cannot have "member"; only a Group (with "objectType": "Group") lists members`)
				break
			}
			memberStart = v
			if _, ok := c.open(jsontree.Array, "an array of Agent objects", "XAPI-00036"); ok {
				a := c.openArray()
				for c.nextElem(&a) {
					c.pushIndex(a.n - 1)
					c.actor(roleMember)
					c.pop()
				}
				members = a.n
			}
		default:
			c.unknown(key, role.String(), actorKeys)
		}
		c.pop()
	}

	// The issues that belong before the members'.
	first := len(c.issues)
	if hasType {
		c.push("objectType")
		if c.is(ot, jsontree.String, `"Agent" or "Group"`, "XAPI-00032") {
			switch s := ot.text; s {
			case ObjectTypeAgent, ObjectTypeGroup:
			default:
				if role == roleObject {
					break // reported by object
				}
				req := role.requirement()
				msg := fmt.Sprintf("objectType %s is not \"Agent\" or \"Group\"", quote(s))
				if group || strings.EqualFold(s, ObjectTypeAgent) {
					req = "XAPI-00009"
					msg = fmt.Sprintf("objectType %s must be written exactly \"Agent\" or \"Group\" (values are case-sensitive)", quote(s))
				}
				c.err(ot.start, "xapi.object-type.invalid", req, msg)
			}
		}
		c.pop()
	} else if role == roleObject {
		// Not reached: without objectType the object is an Activity.
		c.missing(start, "objectType", "xapi.object-type.missing", "XAPI-00065", `an Agent or Group used as the object must say "objectType": "Agent" or "Group"`)
	}
	switch {
	case group && (role == roleMember || role == roleContextAgent):
		c.err(start, "xapi.group.not-allowed", role.requirement(),
			fmt.Sprintf("%s must be an Agent, not a Group (groups cannot contain groups); give it \"objectType\": \"Agent\" and one identifier", role))
	case !group && (role == roleTeam || role == roleContextGroup):
		req := role.requirement()
		if !hasType {
			c.missing(start, "objectType", "xapi.group.required", req, fmt.Sprintf(`%s must be a Group: add "objectType": "Group"`, role))
		} else {
			c.err(start, "xapi.group.required", req, fmt.Sprintf(`%s must be a Group with "objectType": "Group"`, role))
		}
	}
	c.moveTail(m.issues, first)

	if !group {
		switch {
		case ifis == 0:
			c.err(start, "xapi.agent.ifi-missing", "XAPI-00034",
				fmt.Sprintf(`%s is an Agent without an identifier; give it exactly one of "mbox", "mbox_sha1sum", "openid" or "account"`, role))
		case ifis > 1:
			c.err(start, "xapi.agent.ifi-multiple", "XAPI-00034",
				fmt.Sprintf(`%s is an Agent with %d identifiers; keep exactly one of "mbox", "mbox_sha1sum", "openid" or "account"`, role, ifis))
		}
		return
	}
	switch {
	case ifis > 1:
		c.err(start, "xapi.group.ifi-multiple", "XAPI-00037",
			fmt.Sprintf(`%s is a Group with %d identifiers; an identified Group has exactly one of "mbox", "mbox_sha1sum", "openid" or "account"`, role, ifis))
	case role == roleAuthority && ifis > 0:
		c.err(start, "xapi.authority.group-identified", "XAPI-00098",
			`an authority Group must be an anonymous group of two Agents (an OAuth consumer and a user); remove its identifier`)
	case ifis == 0 && memberStart < 0:
		c.missing(start, "member", "xapi.group.member-missing", "XAPI-00035",
			fmt.Sprintf(`%s is an anonymous Group (it has no identifier), so it must list its agents in "member"; or give it one identifier`, role))
	case ifis == 0 && members == 0:
		c.push("member")
		c.err(memberStart, "xapi.group.member-missing", "XAPI-00037",
			fmt.Sprintf(`%s is an anonymous Group with no members; list at least one Agent in "member", or give the group an identifier`, role))
		c.pop()
	}
	if role == roleAuthority && ifis == 0 && members >= 0 && members != 2 {
		c.push("member")
		c.err(memberStart, "xapi.authority.group-members", "XAPI-00098",
			fmt.Sprintf("an authority Group has exactly two members (an OAuth consumer and a user), not %d", members))
		c.pop()
	}
}

// countIFI returns 1 unless v is null, which is reported on its own.
func countIFI(v val) int {
	if v.kind == jsontree.Null {
		return 0
	}
	return 1
}

// account reads an Account object.
func (c *checker) account() {
	start, ok := c.open(jsontree.Object, `an account object {"homePage": IRL, "name": string}`, "XAPI-00041")
	if !ok {
		return
	}
	var home, name bool
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "homePage":
			home = true
			c.iri("account homePage", "xapi.account.home-page-invalid", "XAPI-00042")
		case "name":
			name = true
			c.str("a string", "XAPI-00043")
		default:
			c.unknown(key, "an account", accountKeys)
		}
		c.pop()
	}
	if !home {
		c.missing(start, "homePage", "xapi.account.home-page-missing", "XAPI-00042", `an account needs "homePage", the IRL of the system the account is on`)
	}
	if !name {
		c.missing(start, "name", "xapi.account.name-missing", "XAPI-00043", `an account needs "name", the account's name or id on that system`)
	}
}

// verb reads a Verb object and reports whether its id is the voiding
// verb's.
func (c *checker) verb() (voiding bool) {
	start, ok := c.open(jsontree.Object, `a verb object {"id": IRI, "display": {…}}`, "XAPI-00044")
	if !ok {
		return false
	}
	id := false
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "id":
			id = true
			s, _ := c.iri("verb id", "xapi.verb.id-invalid", "XAPI-00044")
			voiding = s == VerbVoided
		case "display":
			c.languageMap("XAPI-00045")
		default:
			c.unknown(key, "a verb", verbKeys)
		}
		c.pop()
	}
	if !id {
		c.missing(start, "id", "xapi.verb.id-missing", "XAPI-00044", `the verb has no "id"; add the verb's IRI, such as "http://adlnet.gov/expapi/verbs/completed"`)
	}
	return voiding
}

// object reads the object of a statement and returns its kind.
//
// The kind depends on the object's objectType, which may come after the
// members it decides about. The object is read as an Activity (what it
// is without objectType) until an objectType naming another kind turns
// up; then it is read again as that kind.
func (c *checker) object(sub bool) objKind {
	if _, ok := c.open(jsontree.Object, "an Activity, Agent, Group, StatementRef or SubStatement object", "XAPI-00046"); !ok {
		return objNone
	}
	m := c.mark()
	ot, found := c.activity("the object", true)
	if !found {
		return objActivity
	}
	kind := kindOf(ot)
	if kind == objActivity {
		first := len(c.issues)
		c.objectType(ot, kind)
		c.moveTail(m.issues, first)
		return kind
	}
	c.rewind(m)
	c.objectType(ot, kind)
	switch kind {
	case objActor:
		c.actor(roleObject)
	case objStatementRef:
		c.statementRef("XAPI-00072")
	case objSubStatement:
		if sub {
			start := c.valueStart()
			c.skip()
			c.err(start, "xapi.substatement.nested", "XAPI-00071",
				"a SubStatement cannot have a SubStatement as its object; use a StatementRef or an Activity")
			break
		}
		c.statement(true)
	default:
		c.skip()
	}
	return kind
}

// objectType checks the objectType v of a statement's object of the given
// kind.
func (c *checker) objectType(v val, kind objKind) {
	c.push("objectType")
	if c.is(v, jsontree.String, `an objectType string such as "Activity"`, "XAPI-00046") {
		switch s := v.text; s {
		case ObjectTypeActivity, ObjectTypeAgent, ObjectTypeGroup, ObjectTypeStatementRef, ObjectTypeSubStatement:
		default:
			if kind == objInvalid {
				c.err(v.start, "xapi.object-type.invalid", "XAPI-00046",
					fmt.Sprintf(`objectType %s is not one of "Activity", "Agent", "Group", "StatementRef" or "SubStatement"`, quote(s)))
			} else {
				c.err(v.start, "xapi.object-type.invalid", "XAPI-00009",
					fmt.Sprintf(`objectType %s must be written with exact case, as "Activity", "Agent", "Group", "StatementRef" or "SubStatement"`, quote(s)))
			}
		}
	}
	c.pop()
}

// statementRef reads a StatementRef, as an object (XAPI-00072) or as
// context.statement (XAPI-00092). Its objectType is required.
func (c *checker) statementRef(req string) {
	start, ok := c.open(jsontree.Object, `a StatementRef object {"objectType": "StatementRef", "id": UUID}`, req)
	if !ok {
		return
	}
	var ot, id bool
	o := c.openObject()
	for c.nextMember(&o) {
		key := c.key
		c.push(key)
		switch key {
		case "objectType":
			ot = true
			if v, ok := c.str(`"StatementRef"`, req); ok && v.text != ObjectTypeStatementRef {
				code := "xapi.object-type.invalid"
				if req == "XAPI-00092" {
					code = "xapi.context.statement-invalid"
				}
				c.err(v.start, code, req, fmt.Sprintf(`objectType %s must be exactly "StatementRef"`, quote(v.text)))
			}
		case "id":
			id = true
			c.uuid("StatementRef id", req)
		default:
			c.unknown(key, "a StatementRef", statementRefKeys)
		}
		c.pop()
	}
	if !ot {
		c.missing(start, "objectType", "xapi.object-type.missing", "XAPI-00073", `a StatementRef must say "objectType": "StatementRef"`)
	}
	if !id {
		c.missing(start, "id", "xapi.statement-ref.id-missing", "XAPI-00072", `a StatementRef needs "id", the UUID of the statement it refers to`)
	}
}
