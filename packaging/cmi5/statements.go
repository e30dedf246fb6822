package cmi5

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/metaacademy/ota/packaging/xapi"
)

// The cmi5 context IRIs.
const (
	// CategoryCmi5 is the category activity of every cmi5-defined
	// statement.
	CategoryCmi5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
	// CategoryMoveOn is the category activity of the completed, passed and
	// failed statements that count towards moveOn.
	CategoryMoveOn = "https://w3id.org/xapi/cmi5/context/categories/moveon"
	// ExtSessionID is the context extension holding the session id.
	ExtSessionID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	// ExtMasteryScore is the context extension holding the mastery score.
	ExtMasteryScore = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
	// ExtLaunchMode is the context extension of launched statements
	// holding the launch mode.
	ExtLaunchMode = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
	// ExtLaunchURL is the context extension of launched statements holding
	// the launch URL.
	ExtLaunchURL = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"
	// ExtMoveOn is the context extension of launched statements holding
	// the moveOn criterion.
	ExtMoveOn = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
	// ExtLaunchParameters is the context extension of launched statements
	// holding the launch parameters.
	ExtLaunchParameters = "https://w3id.org/xapi/cmi5/context/extensions/launchparameters"
	// ExtReason is the result extension of waived statements holding the
	// reason.
	ExtReason = "https://w3id.org/xapi/cmi5/result/extensions/reason"
)

// The launch modes.
const (
	// LaunchModeNormal lets the AU record completion and success.
	LaunchModeNormal = "Normal"
	// LaunchModeBrowse forbids completed, passed and failed.
	LaunchModeBrowse = "Browse"
	// LaunchModeReview forbids completed, passed and failed.
	LaunchModeReview = "Review"
)

// LaunchParams are the query parameters an LMS launches an AU with.
type LaunchParams struct {
	// Endpoint is the LRS endpoint the AU sends statements to.
	Endpoint string
	// Fetch is the URL the AU POSTs to once to get its auth token.
	Fetch string
	// Actor is the learner, decoded from the actor parameter.
	Actor *xapi.Actor
	// Registration is the registration UUID.
	Registration string
	// ActivityID is the AU's activity IRI.
	ActivityID string
}

// ErrLaunch means a launch URL lacks a parameter or holds an invalid one.
var ErrLaunch = errors.New("cmi5: invalid launch parameters")

// ParseLaunchURL reads the launch parameters from the query of the URL an
// AU was launched with. All five parameters are required.
func ParseLaunchURL(raw string) (*LaunchParams, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLaunch, err)
	}
	q := u.Query()
	p := &LaunchParams{
		Endpoint:     q.Get("endpoint"),
		Fetch:        q.Get("fetch"),
		Registration: q.Get("registration"),
		ActivityID:   q.Get("activityId"),
	}
	var missing []string
	for _, k := range []string{"endpoint", "fetch", "actor", "registration", "activityId"} {
		if q.Get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing %s", ErrLaunch, strings.Join(missing, ", "))
	}
	var actor xapi.Actor
	if err := actor.UnmarshalJSON([]byte(q.Get("actor"))); err != nil {
		return nil, fmt.Errorf("%w: actor: %w", ErrLaunch, err)
	}
	p.Actor = &actor
	if _, err := uuid.Parse(p.Registration); err != nil {
		return nil, fmt.Errorf("%w: registration %q is not a UUID", ErrLaunch, p.Registration)
	}
	for _, v := range []string{p.Endpoint, p.Fetch, p.ActivityID} {
		if err := checkIRI(v); err != nil {
			return nil, fmt.Errorf("%w: %q: %w", ErrLaunch, v, err)
		}
	}
	return p, nil
}

// LaunchData is the LMS.LaunchData state document an LMS writes before
// launching an AU.
type LaunchData struct {
	// ContextTemplate is the context every AU statement starts from; it
	// holds the session id extension.
	ContextTemplate *xapi.Context
	// LaunchMode is Normal, Browse or Review.
	LaunchMode string
	// LaunchParameters are the AU's launch parameters from the course
	// structure.
	LaunchParameters string
	// MasteryScore is the AU's mastery score, when it has one.
	MasteryScore *float64
	// MoveOn is the AU's moveOn criterion.
	MoveOn string
	// ReturnURL is where the AU sends the learner when done.
	ReturnURL string
	// EntitlementKey is the AU's entitlement key.
	EntitlementKey json.RawMessage
}

// ParseLaunchData reads an LMS.LaunchData document.
func ParseLaunchData(data []byte) (*LaunchData, error) {
	var raw struct {
		ContextTemplate  json.RawMessage `json:"contextTemplate"`
		LaunchMode       string          `json:"launchMode"`
		LaunchParameters string          `json:"launchParameters"`
		MasteryScore     *float64        `json:"masteryScore"`
		MoveOn           string          `json:"moveOn"`
		ReturnURL        string          `json:"returnURL"`
		EntitlementKey   json.RawMessage `json:"entitlementKey"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: LMS.LaunchData: %w", ErrLaunch, err)
	}
	d := &LaunchData{LaunchMode: raw.LaunchMode, LaunchParameters: raw.LaunchParameters, MasteryScore: raw.MasteryScore,
		MoveOn: raw.MoveOn, ReturnURL: raw.ReturnURL, EntitlementKey: raw.EntitlementKey}
	if len(raw.ContextTemplate) > 0 {
		var s xapi.Statement
		wrapped := append(append([]byte(`{"context":`), raw.ContextTemplate...), '}')
		if err := s.UnmarshalJSON(wrapped); err != nil {
			return nil, fmt.Errorf("%w: contextTemplate: %w", ErrLaunch, err)
		}
		d.ContextTemplate = s.Context
	}
	return d, nil
}

// Session builds the cmi5-defined statements of one AU session.
type Session struct {
	// Params are the launch parameters.
	Params LaunchParams
	// ID is the session id, sent in the session id extension.
	ID string
	// Data is the LMS.LaunchData document, when the AU read it; its
	// context template, moveOn and mastery score are used.
	Data *LaunchData
	// Now gives statement timestamps; nil means time.Now.
	Now func() time.Time
}

// NewSession returns a session for p and d (d may be nil). Its id is the
// one in d's context template, or a new UUID.
func NewSession(p LaunchParams, d *LaunchData) *Session {
	s := &Session{Params: p, Data: d}
	if d != nil && d.ContextTemplate != nil {
		var id string
		if raw, ok := d.ContextTemplate.Extensions[ExtSessionID]; ok && json.Unmarshal(raw, &id) == nil {
			s.ID = id
		}
	}
	if s.ID == "" {
		s.ID = uuid.NewString()
	}
	return s
}

// statement returns a statement about the AU with the cmi5 context.
func (s *Session) statement(verb string, moveOn bool) *xapi.Statement {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ctx := &xapi.Context{}
	if s.Data != nil && s.Data.ContextTemplate != nil {
		if c := (&xapi.Statement{Context: s.Data.ContextTemplate}).Clone(); c.Context != nil {
			ctx = c.Context
		}
	}
	ctx.Registration = s.Params.Registration
	if ctx.ContextActivities == nil {
		ctx.ContextActivities = &xapi.ContextActivities{}
	}
	ctx.ContextActivities.Category = append(ctx.ContextActivities.Category, xapi.Activity{ID: CategoryCmi5})
	if moveOn {
		ctx.ContextActivities.Category = append(ctx.ContextActivities.Category, xapi.Activity{ID: CategoryMoveOn})
	}
	if ctx.Extensions == nil {
		ctx.Extensions = xapi.Extensions{}
	}
	sid, _ := json.Marshal(s.ID)
	ctx.Extensions[ExtSessionID] = sid
	return &xapi.Statement{
		ID:        uuid.NewString(),
		Actor:     s.Params.Actor,
		Verb:      xapi.NewVerb(verb),
		Object:    xapi.Object{Activity: &xapi.Activity{ID: s.Params.ActivityID}},
		Context:   ctx,
		Timestamp: xapi.FormatTimestamp(now()),
	}
}

func (s *Session) masteryScore() *float64 {
	if s.Data != nil {
		return s.Data.MasteryScore
	}
	return nil
}

// ErrNotAllowed means a statement the cmi5 rules forbid was asked for.
var ErrNotAllowed = errors.New("cmi5: statement not allowed")

// Initialized returns the initialized statement that opens the session.
func (s *Session) Initialized() *xapi.Statement { return s.statement(xapi.VerbInitialized, false) }

// Terminated returns the terminated statement that ends the session,
// with the session's duration.
func (s *Session) Terminated(d time.Duration) *xapi.Statement {
	st := s.statement(xapi.VerbTerminated, false)
	st.Result = &xapi.Result{Duration: xapi.FormatDuration(d)}
	return st
}

// Completed returns the completed statement. It fails in Browse and
// Review launch modes.
func (s *Session) Completed(d time.Duration) (*xapi.Statement, error) {
	if err := s.normal(); err != nil {
		return nil, err
	}
	st := s.statement(xapi.VerbCompleted, true)
	t := true
	st.Result = &xapi.Result{Completion: &t, Duration: xapi.FormatDuration(d)}
	return st, nil
}

// Passed returns the passed statement with the scaled score (nil when the
// AU has no score). It fails outside Normal mode, and when the AU has a
// mastery score and scaled is nil or below it.
func (s *Session) Passed(scaled *float64, d time.Duration) (*xapi.Statement, error) {
	return s.judged(xapi.VerbPassed, true, scaled, d)
}

// Failed returns the failed statement with the scaled score (nil when the
// AU has no score). It fails outside Normal mode, and when the AU has a
// mastery score and scaled is nil or not below it.
func (s *Session) Failed(scaled *float64, d time.Duration) (*xapi.Statement, error) {
	return s.judged(xapi.VerbFailed, false, scaled, d)
}

func (s *Session) judged(verb string, success bool, scaled *float64, d time.Duration) (*xapi.Statement, error) {
	if err := s.normal(); err != nil {
		return nil, err
	}
	if scaled != nil && (*scaled < -1 || *scaled > 1) {
		return nil, fmt.Errorf("%w: scaled score %v outside [-1, 1]", ErrNotAllowed, *scaled)
	}
	ms := s.masteryScore()
	if ms != nil {
		if scaled == nil {
			return nil, fmt.Errorf("%w: the AU has a mastery score, so %s needs a scaled score", ErrNotAllowed, verbName(verb))
		}
		if success != (*scaled >= *ms) {
			return nil, fmt.Errorf("%w: scaled score %v against mastery score %v does not make %s", ErrNotAllowed, *scaled, *ms, verbName(verb))
		}
	}
	st := s.statement(verb, true)
	st.Result = &xapi.Result{Success: &success, Duration: xapi.FormatDuration(d)}
	if scaled != nil {
		v := *scaled
		st.Result.Score = &xapi.Score{Scaled: &v}
	}
	if ms != nil {
		raw, _ := json.Marshal(*ms)
		st.Context.Extensions[ExtMasteryScore] = raw
	}
	return st, nil
}

func (s *Session) normal() error {
	if s.Data != nil && s.Data.LaunchMode != "" && s.Data.LaunchMode != LaunchModeNormal {
		return fmt.Errorf("%w: launch mode %s allows no completed, passed or failed", ErrNotAllowed, s.Data.LaunchMode)
	}
	return nil
}

func verbName(id string) string { return id[strings.LastIndexByte(id, '/')+1:] }

// The LMS-side statements. An LMS sends them, not the AU; they are here
// so that an LMS, a test double or a checker's tests can build them with
// the same context.

// Launched returns the launched statement the LMS sends before launching
// the AU at launchURL, with the launch mode, URL, moveOn and launch
// parameters of the session's launch data.
func (s *Session) Launched(launchURL string) *xapi.Statement {
	st := s.statement(xapi.VerbLaunched, false)
	mode, moveOn, params := LaunchModeNormal, MoveOnNotApplicable, ""
	if s.Data != nil {
		if s.Data.LaunchMode != "" {
			mode = s.Data.LaunchMode
		}
		if s.Data.MoveOn != "" {
			moveOn = s.Data.MoveOn
		}
		params = s.Data.LaunchParameters
		if s.Data.MasteryScore != nil {
			raw, _ := json.Marshal(*s.Data.MasteryScore)
			st.Context.Extensions[ExtMasteryScore] = raw
		}
	}
	for k, v := range map[string]string{ExtLaunchMode: mode, ExtLaunchURL: launchURL, ExtMoveOn: moveOn, ExtLaunchParameters: params} {
		if v != "" {
			raw, _ := json.Marshal(v)
			st.Context.Extensions[k] = raw
		}
	}
	return st
}

// Abandoned returns the abandoned statement an LMS sends for a session
// that ended without terminated, with the session's duration.
func (s *Session) Abandoned(d time.Duration) *xapi.Statement {
	st := s.statement(xapi.VerbAbandoned, false)
	st.Result = &xapi.Result{Duration: xapi.FormatDuration(d)}
	return st
}

// Waived returns the waived statement an LMS sends when it waives the AU
// for reason ("Tested Out", "Equivalent AU", "Equivalent Outside
// Activity", "Administrative").
func (s *Session) Waived(reason string) *xapi.Statement {
	st := s.statement(xapi.VerbWaived, true)
	t := true
	raw, _ := json.Marshal(reason)
	st.Result = &xapi.Result{Success: &t, Completion: &t, Extensions: xapi.Extensions{ExtReason: raw}}
	return st
}

// Satisfied returns the satisfied statement an LMS sends when the block
// or course with activity IRI id is satisfied.
func (s *Session) Satisfied(id string) *xapi.Statement {
	st := s.statement(xapi.VerbSatisfied, false)
	st.Object = xapi.Object{Activity: &xapi.Activity{ID: id}}
	return st
}
