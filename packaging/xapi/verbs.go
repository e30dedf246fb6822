package xapi

// The ADL verbs: the IRIs of the verbs ADL defined with xAPI (under
// http://adlnet.gov/expapi/verbs/) and those the cmi5 profile added
// (under https://w3id.org/xapi/adl/verbs/). [NewVerb] gives a Verb with
// its English display name. [VerbVoided] is in model.go.
const (
	VerbAnswered    = "http://adlnet.gov/expapi/verbs/answered"
	VerbAsked       = "http://adlnet.gov/expapi/verbs/asked"
	VerbAttempted   = "http://adlnet.gov/expapi/verbs/attempted"
	VerbAttended    = "http://adlnet.gov/expapi/verbs/attended"
	VerbCommented   = "http://adlnet.gov/expapi/verbs/commented"
	VerbCompleted   = "http://adlnet.gov/expapi/verbs/completed"
	VerbExited      = "http://adlnet.gov/expapi/verbs/exited"
	VerbExperienced = "http://adlnet.gov/expapi/verbs/experienced"
	VerbFailed      = "http://adlnet.gov/expapi/verbs/failed"
	VerbImported    = "http://adlnet.gov/expapi/verbs/imported"
	VerbInitialized = "http://adlnet.gov/expapi/verbs/initialized"
	VerbInteracted  = "http://adlnet.gov/expapi/verbs/interacted"
	VerbLaunched    = "http://adlnet.gov/expapi/verbs/launched"
	VerbMastered    = "http://adlnet.gov/expapi/verbs/mastered"
	VerbPassed      = "http://adlnet.gov/expapi/verbs/passed"
	VerbPreferred   = "http://adlnet.gov/expapi/verbs/preferred"
	VerbProgressed  = "http://adlnet.gov/expapi/verbs/progressed"
	VerbRegistered  = "http://adlnet.gov/expapi/verbs/registered"
	VerbResponded   = "http://adlnet.gov/expapi/verbs/responded"
	VerbResumed     = "http://adlnet.gov/expapi/verbs/resumed"
	VerbScored      = "http://adlnet.gov/expapi/verbs/scored"
	VerbShared      = "http://adlnet.gov/expapi/verbs/shared"
	VerbSuspended   = "http://adlnet.gov/expapi/verbs/suspended"
	VerbTerminated  = "http://adlnet.gov/expapi/verbs/terminated"

	VerbAbandoned = "https://w3id.org/xapi/adl/verbs/abandoned"
	VerbWaived    = "https://w3id.org/xapi/adl/verbs/waived"
	VerbSatisfied = "https://w3id.org/xapi/adl/verbs/satisfied"
	VerbLoggedIn  = "https://w3id.org/xapi/adl/verbs/logged-in"
	VerbLoggedOut = "https://w3id.org/xapi/adl/verbs/logged-out"
)

// verbNames are the English display names of the ADL verbs, as ADL's
// vocabulary gives them (under "en-US").
var verbNames = map[string]string{
	VerbAnswered:    "answered",
	VerbAsked:       "asked",
	VerbAttempted:   "attempted",
	VerbAttended:    "attended",
	VerbCommented:   "commented",
	VerbCompleted:   "completed",
	VerbExited:      "exited",
	VerbExperienced: "experienced",
	VerbFailed:      "failed",
	VerbImported:    "imported",
	VerbInitialized: "initialized",
	VerbInteracted:  "interacted",
	VerbLaunched:    "launched",
	VerbMastered:    "mastered",
	VerbPassed:      "passed",
	VerbPreferred:   "preferred",
	VerbProgressed:  "progressed",
	VerbRegistered:  "registered",
	VerbResponded:   "responded",
	VerbResumed:     "resumed",
	VerbScored:      "scored",
	VerbShared:      "shared",
	VerbSuspended:   "suspended",
	VerbTerminated:  "terminated",
	VerbVoided:      "voided",
	VerbAbandoned:   "abandoned",
	VerbWaived:      "waived",
	VerbSatisfied:   "satisfied",
	VerbLoggedIn:    "logged-in",
	VerbLoggedOut:   "logged-out",
}

// NewVerb returns a Verb with IRI id. For the ADL verbs above and
// [VerbVoided] its Display is the verb's English name under "en-US"
// (a new map each time, which the caller may change); for other IRIs
// Display is nil.
func NewVerb(id string) *Verb {
	v := &Verb{ID: id}
	if name, ok := verbNames[id]; ok {
		v.Display = LanguageMap{"en-US": name}
	}
	return v
}
