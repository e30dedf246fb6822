package xapi

// Result is the outcome of a statement.
type Result struct {
	// Score is the score achieved.
	Score *Score
	// Success says whether the attempt was successful.
	Success *bool
	// Completion says whether the activity was completed.
	Completion *bool
	// Response is the learner's response, in the syntax of the
	// interaction type for interaction activities.
	Response string
	// Duration is how long the experience took, an ISO 8601 duration kept
	// as written (such as "PT4M30S").
	Duration string
	// Extensions hold further data keyed by IRI.
	Extensions Extensions
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// Score is a score. Scaled is in [-1, 1]; Raw lies between Min and Max,
// and Min is below Max, when they are given.
type Score struct {
	// Scaled is the score scaled to [-1, 1].
	Scaled *float64
	// Raw is the score as the activity counted it.
	Raw *float64
	// Min is the lowest possible raw score.
	Min *float64
	// Max is the highest possible raw score.
	Max *float64
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// Context is the context of a statement.
type Context struct {
	// Registration is the UUID of the registration (an enrolment or
	// attempt) the statement belongs to.
	Registration string
	// Instructor is the instructor, an Agent or Group.
	Instructor *Actor
	// Team is the team the actor belongs to, a Group.
	Team *Actor
	// ContextActivities relates the statement to other activities. A
	// single activity given as an object instead of an array is read as an
	// array of one, as an LRS must; it is always written as an array.
	ContextActivities *ContextActivities
	// Revision is the revision of the activity; only when the object is an
	// Activity.
	Revision string
	// Platform is the platform used; only when the object is an Activity.
	Platform string
	// Language is the RFC 5646 tag of the language the experience was in.
	Language string
	// Statement refers to another statement that gives context.
	Statement *StatementRef
	// Extensions hold further data keyed by IRI.
	Extensions Extensions
	// ContextAgents relate other agents to the statement (xAPI 2.0 only).
	ContextAgents []ContextAgent
	// ContextGroups relate other groups to the statement (xAPI 2.0 only).
	ContextGroups []ContextGroup
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// ContextActivities relates a statement to other activities.
type ContextActivities struct {
	// Parent are the activities the object is directly part of.
	Parent []Activity
	// Grouping are activities the object is indirectly related to.
	Grouping []Activity
	// Category are activities that categorise the statement, such as the
	// profile it follows.
	Category []Activity
	// Other are activities related in some other way.
	Other []Activity
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// ContextAgent relates an agent other than the actor to a statement (xAPI
// 2.0 only), with optional IRIs saying how it is relevant.
type ContextAgent struct {
	// ObjectType must be "contextAgent" (see [NewContextAgent]).
	ObjectType string
	// Agent is the agent. Required.
	Agent *Actor
	// RelevantTypes are IRIs saying how the agent is relevant; when given,
	// at least one.
	RelevantTypes []string
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// ContextGroup relates a group other than the actor to a statement (xAPI
// 2.0 only), with optional IRIs saying how it is relevant.
type ContextGroup struct {
	// ObjectType must be "contextGroup" (see [NewContextGroup]).
	ObjectType string
	// Group is the group. Required.
	Group *Actor
	// RelevantTypes are IRIs saying how the group is relevant; when given,
	// at least one.
	RelevantTypes []string
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}

// Attachment describes a file sent with a statement, either in the same
// multipart/mixed request or at FileURL.
type Attachment struct {
	// UsageType is an IRI saying what the attachment is for. Required.
	UsageType string
	// Display is the attachment's title. Required.
	Display LanguageMap
	// Description describes the attachment.
	Description LanguageMap
	// ContentType is the media type of the file. Required.
	ContentType string
	// Length is the size of the file in octets. Required.
	Length *int64
	// SHA2 is the hexadecimal SHA-2 digest of the file. Required.
	SHA2 string
	// FileURL is an IRL the file can be fetched from.
	FileURL string
	// Unknown holds members the typed fields do not hold (see [Unknown]).
	Unknown Unknown
}
