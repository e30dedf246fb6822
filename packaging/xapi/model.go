package xapi

import (
	"encoding/json"

	"github.com/metaacademy/ota/asset"
)

// LanguageMap maps RFC 5646 language tags to text, as xAPI language maps
// do ({"en-US": "completed"}). It is the same type as [asset.LangString],
// so the lookups of that type (Get, Best) work on it.
type LanguageMap = asset.LangString

// Extensions maps IRIs to arbitrary JSON values. Values are kept verbatim
// (only insignificant white space is removed when they are written), so
// content this package does not understand survives a read-write cycle.
type Extensions map[string]json.RawMessage

// Unknown holds the members of a JSON object that the typed fields of its
// Go type do not hold, keyed by member name and kept verbatim: members xAPI
// does not define (which make a statement invalid) and members xAPI defines
// whose value the typed field cannot represent (a wrong JSON type, null,
// an empty string, a number out of range). Writing the value back writes
// these members too, so a statement survives a read-write cycle unchanged,
// valid or not. When a typed field is set, an Unknown member of the same
// name is not written.
type Unknown map[string]json.RawMessage

// Common IRIs.
const (
	// VerbVoided is the verb of a voiding statement, whose object must be a
	// StatementRef to the statement it voids.
	VerbVoided = "http://adlnet.gov/expapi/verbs/voided"
	// ActivityTypeInteraction is the activity type that interaction
	// activities (those with an interactionType) should have.
	ActivityTypeInteraction = "http://adlnet.gov/expapi/activities/cmi.interaction"
	// UsageTypeSignature is the attachment usage type reserved for JWS
	// statement signatures.
	UsageTypeSignature = "http://adlnet.gov/expapi/attachments/signature"
)

// Object types, the values of "objectType" members.
const (
	// ObjectTypeAgent marks an Agent (the default for actors).
	ObjectTypeAgent = "Agent"
	// ObjectTypeGroup marks a Group.
	ObjectTypeGroup = "Group"
	// ObjectTypeActivity marks an Activity (the default for objects).
	ObjectTypeActivity = "Activity"
	// ObjectTypeStatementRef marks a reference to another statement.
	ObjectTypeStatementRef = "StatementRef"
	// ObjectTypeSubStatement marks a statement used as an object.
	ObjectTypeSubStatement = "SubStatement"
	// ObjectTypeContextAgent marks an xAPI 2.0 contextAgent.
	ObjectTypeContextAgent = "contextAgent"
	// ObjectTypeContextGroup marks an xAPI 2.0 contextGroup.
	ObjectTypeContextGroup = "contextGroup"
)

// Statement is an xAPI statement, version 1.0.3 or 2.0.0. Optional members
// are left at their zero value (empty string, nil pointer, nil map or
// slice) when absent; a non-nil empty slice is written as []. The model
// holds invalid statements too: use [Validate] or [Statement.Check] to find
// out whether a statement is valid.
type Statement struct {
	// ID is the statement's UUID; an LRS assigns one when it is empty.
	ID string
	// Actor is who the statement is about: an Agent or a Group. Required.
	Actor *Actor
	// Verb is the action. Required.
	Verb *Verb
	// Object is what the actor acted on. Required.
	Object Object
	// Result is the outcome, if any.
	Result *Result
	// Context gives further context, if any.
	Context *Context
	// Timestamp is when the experience happened, an ISO 8601 timestamp
	// kept as written (see [FormatTimestamp] and [ParseTimestamp]).
	Timestamp string
	// Stored is when the LRS stored the statement; set by the LRS.
	Stored string
	// Authority is who asserts the statement is true; set by the LRS.
	Authority *Actor
	// Version is the xAPI version the statement conforms to ("1.0.3",
	// "2.0.0"); usually left out by producers.
	Version string
	// Attachments describe files sent with the statement.
	Attachments []Attachment
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// Actor is an Agent or a Group. ObjectType says which: "Group" for a group,
// "Agent" or empty for an agent. An Agent has exactly one inverse
// functional identifier (IFI): Mbox, MboxSHA1Sum, OpenID or Account. A
// Group has at most one; an anonymous group (no IFI) lists its members.
type Actor struct {
	// ObjectType is "Agent", "Group" or empty (an agent).
	ObjectType string
	// Name is the display name.
	Name string
	// Mbox is a "mailto:" IRI.
	Mbox string
	// MboxSHA1Sum is the hexadecimal SHA-1 digest of the mbox IRI.
	MboxSHA1Sum string
	// OpenID is an OpenID URI.
	OpenID string
	// Account is an account on some system.
	Account *Account
	// Member lists the agents of a group.
	Member []Actor
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// IsGroup reports whether the actor is a Group.
func (a *Actor) IsGroup() bool { return a != nil && a.ObjectType == ObjectTypeGroup }

// Account identifies an agent by an account on a system.
type Account struct {
	// HomePage is the IRL of the system the account is on.
	HomePage string
	// Name is the account's name or identifier on that system.
	Name string
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// Verb is the action of a statement.
type Verb struct {
	// ID is the verb's IRI.
	ID string
	// Display is the verb's name in one or more languages.
	Display LanguageMap
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// Object is the object of a statement: exactly one of its fields is set.
// When decoding, the "objectType" member selects the field (an Activity
// when absent); an objectType that matches none, not even ignoring case,
// yields an Activity whose ObjectType holds the value as written.
type Object struct {
	// Activity is set when the object is an Activity.
	Activity *Activity
	// Actor is set when the object is an Agent or a Group.
	Actor *Actor
	// StatementRef is set when the object refers to another statement.
	StatementRef *StatementRef
	// SubStatement is set when the object is a statement within the
	// statement.
	SubStatement *SubStatement
}

// IsZero reports whether no field of o is set.
func (o Object) IsZero() bool {
	return o.Activity == nil && o.Actor == nil && o.StatementRef == nil && o.SubStatement == nil
}

// Activity is something an actor interacted with.
type Activity struct {
	// ObjectType is "Activity" or empty.
	ObjectType string
	// ID is the activity's IRI. Required.
	ID string
	// Definition describes the activity.
	Definition *ActivityDefinition
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// ActivityDefinition describes an activity. The interaction members
// (InteractionType and the ones after it) describe a question or other
// interaction, as SCORM's cmi.interactions do.
type ActivityDefinition struct {
	// Name is the activity's name in one or more languages.
	Name LanguageMap
	// Description is a longer description in one or more languages.
	Description LanguageMap
	// Type is the activity type IRI.
	Type string
	// MoreInfo is an IRL of a page about the activity.
	MoreInfo string
	// Extensions hold further data keyed by IRI.
	Extensions Extensions
	// InteractionType is one of true-false, choice, fill-in, long-fill-in,
	// matching, performance, sequencing, likert, numeric or other.
	InteractionType string
	// CorrectResponsesPattern lists the correct responses, in the syntax of
	// the interaction type.
	CorrectResponsesPattern []string
	// Choices are the options of a choice or sequencing interaction.
	Choices []InteractionComponent
	// Scale is the scale of a likert interaction.
	Scale []InteractionComponent
	// Source is the left-hand side of a matching interaction.
	Source []InteractionComponent
	// Target is the right-hand side of a matching interaction.
	Target []InteractionComponent
	// Steps are the steps of a performance interaction.
	Steps []InteractionComponent
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// InteractionComponent is one option, scale point, source, target or step
// of an interaction.
type InteractionComponent struct {
	// ID identifies the component within its list.
	ID string
	// Description says what the component is, in one or more languages.
	Description LanguageMap
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// StatementRef refers to another statement by its UUID.
type StatementRef struct {
	// ObjectType must be "StatementRef" (see [NewStatementRef]); when it is
	// empty it is written only where the StatementRef is a statement's
	// object.
	ObjectType string
	// ID is the UUID of the statement referred to.
	ID string
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// SubStatement is a statement used as the object of another statement,
// for example to say that an agent planned to do something. It has no ID,
// Stored, Version or Authority, and its object cannot be a SubStatement.
type SubStatement struct {
	// ObjectType must be "SubStatement"; an empty one is written as such.
	ObjectType string
	// Actor is who the sub-statement is about. Required.
	Actor *Actor
	// Verb is the action. Required.
	Verb *Verb
	// Object is what the actor acted on. Required.
	Object Object
	// Result is the outcome, if any.
	Result *Result
	// Context gives further context, if any.
	Context *Context
	// Timestamp is when the experience happened, kept as written.
	Timestamp string
	// Attachments describe files sent with the statement.
	Attachments []Attachment
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}
