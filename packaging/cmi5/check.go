package cmi5

import (
	"encoding/json"
	"fmt"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/xapi"
)

// CheckOptions give what the checker cannot read from the statements.
type CheckOptions struct {
	// MoveOn is the AU's moveOn criterion; empty means the one in the
	// launched statement's moveon extension, if any.
	MoveOn string
	// MasteryScore is the AU's mastery score; nil means the one in the
	// statements' masteryscore extension, if any.
	MasteryScore *float64
}

// auVerbs are the verbs of the cmi5-defined statements an AU sends.
var auVerbs = map[string]bool{
	xapi.VerbInitialized: true, xapi.VerbCompleted: true, xapi.VerbPassed: true,
	xapi.VerbFailed: true, xapi.VerbTerminated: true,
}

// lmsVerbs are the verbs of the cmi5-defined statements an LMS sends.
var lmsVerbs = map[string]bool{
	xapi.VerbLaunched: true, xapi.VerbSatisfied: true, xapi.VerbAbandoned: true, xapi.VerbWaived: true,
}

// sessionState is what the checker knows of one session.
type sessionState struct {
	launched, initialized, terminated, abandoned bool
	launchMode                                   string
}

// CheckStatements checks the statements of one registration of one AU, in
// the order they were sent, against the cmi5 rules: the cmi5 context
// (category, registration, session id), the order within each session
// (initialized first, nothing from the AU after terminated or abandoned),
// the results of completed, passed and failed (completion, success, the
// mastery score, at most one completed and one passed per registration,
// none outside Normal mode) and that satisfied comes only once moveOn is
// met. Statements without the cmi5 category are cmi5-allowed: they are
// checked only for their place in the session. Pointers are
// "statements/INDEX".
func CheckStatements(stmts []*xapi.Statement, opts CheckOptions) ota.Report {
	var rep ota.Report
	add := func(i int, code string, sev ota.Severity, format string, args ...any) {
		rep.Add(ota.Issue{Pointer: fmt.Sprintf("statements/%d", i), Code: code, Severity: sev, Message: fmt.Sprintf(format, args...), Requirement: requirements[code]})
	}
	sessions := map[string]*sessionState{}
	moveOn, mastery := opts.MoveOn, opts.MasteryScore
	var completed, passed, waived bool
	registration := ""
	for i, s := range stmts {
		if s == nil || s.Verb == nil {
			add(i, "cmi5.statement.invalid", ota.Error, "the statement has no verb")
			continue
		}
		verb := s.Verb.ID
		cmi5 := hasCategory(s, CategoryCmi5)
		defined := cmi5 && (auVerbs[verb] || lmsVerbs[verb])
		sid := stringExt(s, ExtSessionID)
		reg := ""
		if s.Context != nil {
			reg = s.Context.Registration
		}
		if defined {
			if reg == "" {
				add(i, "cmi5.statement.registration", ota.Error, "the cmi5 %s statement has no context registration", verbName(verb))
			}
			if sid == "" {
				add(i, "cmi5.statement.sessionid", ota.Error, "the cmi5 %s statement has no session id extension %s", verbName(verb), ExtSessionID)
			}
		}
		if reg != "" {
			if registration == "" {
				registration = reg
			} else if reg != registration {
				add(i, "cmi5.statement.registrationMismatch", ota.Error, "the registration %s differs from %s of the earlier statements", reg, registration)
			}
		}
		if lmsVerbs[verb] {
			// LMS statements, cmi5-defined or not, are not bound by the
			// AU's session order, except launched and abandoned.
			if !defined {
				continue
			}
			st := session(sessions, sid)
			switch verb {
			case xapi.VerbLaunched:
				if st.launched {
					add(i, "cmi5.launched.duplicate", ota.Error, "a second launched in the same session")
				}
				if st.initialized {
					add(i, "cmi5.sequence.launchedLate", ota.Error, "launched comes after the session's initialized")
				}
				st.launched = true
				st.launchMode = stringExt(s, ExtLaunchMode)
				if moveOn == "" {
					moveOn = stringExt(s, ExtMoveOn)
				}
				if mastery == nil {
					mastery = floatExt(s, ExtMasteryScore)
				}
			case xapi.VerbAbandoned:
				if st.terminated {
					add(i, "cmi5.sequence.abandonedTerminated", ota.Error, "abandoned is sent for a session that was terminated")
				}
				st.abandoned = true
			case xapi.VerbSatisfied:
				if !moveOnMet(moveOn, completed, passed) {
					add(i, "cmi5.satisfied.early", ota.Error, "satisfied is sent before moveOn %s is met", moveOn)
				}
			case xapi.VerbWaived:
				if waived {
					add(i, "cmi5.waived.duplicate", ota.Error, "a second waived in the same registration")
				}
				waived = true
				if s.Result == nil || s.Result.Success == nil || !*s.Result.Success || s.Result.Completion == nil || !*s.Result.Completion {
					add(i, "cmi5.waived.result", ota.Error, "a waived statement needs result success and completion true")
				}
			}
			continue
		}
		st := session(sessions, sid)
		what := "the allowed statement"
		if defined {
			what = "the " + verbName(verb) + " statement"
		}
		switch {
		case st.terminated:
			add(i, "cmi5.sequence.afterTerminated", ota.Error, "%s comes after the session's terminated", what)
		case st.abandoned:
			add(i, "cmi5.sequence.afterAbandoned", ota.Error, "%s comes after the session was abandoned", what)
		case !st.initialized && !(defined && verb == xapi.VerbInitialized):
			add(i, "cmi5.sequence.notInitialized", ota.Error, "%s comes before the session's initialized", what)
		}
		if !defined {
			continue
		}
		judged := verb == xapi.VerbCompleted || verb == xapi.VerbPassed || verb == xapi.VerbFailed
		if judged {
			if !hasCategory(s, CategoryMoveOn) {
				add(i, "cmi5.statement.moveOnCategory", ota.Error, "the %s statement lacks the moveOn category %s", verbName(verb), CategoryMoveOn)
			}
			if st.launchMode != "" && st.launchMode != LaunchModeNormal {
				add(i, "cmi5.statement.launchMode", ota.Error, "%s is sent in launch mode %s; only Normal allows it", verbName(verb), st.launchMode)
			}
		}
		if judged && (s.Result == nil || s.Result.Duration == "") {
			add(i, "cmi5.statement.duration", ota.Error, "%s has no result duration", verbName(verb))
		}
		if s.Result != nil {
			if s.Result.Score != nil && verb != xapi.VerbPassed && verb != xapi.VerbFailed {
				add(i, "cmi5.statement.score", ota.Error, "%s must not have a score; only passed and failed do", verbName(verb))
			}
			if s.Result.Success != nil && verb != xapi.VerbPassed && verb != xapi.VerbFailed {
				add(i, "cmi5.statement.success", ota.Error, "%s must not set result success", verbName(verb))
			}
			if s.Result.Completion != nil && verb != xapi.VerbCompleted {
				add(i, "cmi5.statement.completion", ota.Error, "%s must not set result completion", verbName(verb))
			}
		}
		switch verb {
		case xapi.VerbInitialized:
			if st.initialized {
				add(i, "cmi5.initialized.duplicate", ota.Error, "a second initialized in the same session")
			}
			st.initialized = true
		case xapi.VerbTerminated:
			st.terminated = true
			if s.Result == nil || s.Result.Duration == "" {
				add(i, "cmi5.terminated.duration", ota.Error, "terminated has no result duration")
			}
		case xapi.VerbCompleted:
			if completed {
				add(i, "cmi5.completed.duplicate", ota.Error, "a second completed in the same registration")
			}
			completed = true
			if s.Result == nil || s.Result.Completion == nil || !*s.Result.Completion {
				add(i, "cmi5.completed.result", ota.Error, "completed needs result completion true")
			}
		case xapi.VerbPassed, xapi.VerbFailed:
			success := verb == xapi.VerbPassed
			if passed {
				add(i, "cmi5."+verbName(verb)+".afterPassed", ota.Error, "%s comes after a passed in the same registration", verbName(verb))
			}
			if success {
				passed = true
			}
			if s.Result == nil || s.Result.Success == nil || *s.Result.Success != success {
				add(i, "cmi5."+verbName(verb)+".result", ota.Error, "%s needs result success %v", verbName(verb), success)
			}
			ms := mastery
			if own := floatExt(s, ExtMasteryScore); own != nil {
				if ms != nil && *own != *ms {
					add(i, "cmi5.masteryScore.mismatch", ota.Error, "the masteryscore extension %v differs from the AU's mastery score %v", *own, *ms)
				}
				ms = own
			} else if ms != nil {
				add(i, "cmi5.masteryScore.missing", ota.Error, "the AU has mastery score %v, so %s needs the masteryscore extension", *ms, verbName(verb))
			}
			if ms != nil {
				var scaled *float64
				if s.Result != nil && s.Result.Score != nil {
					scaled = s.Result.Score.Scaled
				}
				switch {
				case scaled == nil:
					add(i, "cmi5.score.missing", ota.Error, "with a mastery score, %s needs a scaled score", verbName(verb))
				case success && *scaled < *ms:
					add(i, "cmi5.score.belowMastery", ota.Error, "passed with scaled score %v below mastery score %v", *scaled, *ms)
				case !success && *scaled >= *ms:
					add(i, "cmi5.score.atMastery", ota.Error, "failed with scaled score %v at or above mastery score %v", *scaled, *ms)
				}
			}
		}
	}
	for sid, st := range sessions {
		if st.initialized && !st.terminated && !st.abandoned {
			rep.Add(ota.Issue{Pointer: "statements", Code: "cmi5.sequence.open", Severity: ota.Warning,
				Message: fmt.Sprintf("session %s was initialized but neither terminated nor abandoned", sid)})
		}
	}
	rep.Sort()
	return rep
}

func session(m map[string]*sessionState, id string) *sessionState {
	st, ok := m[id]
	if !ok {
		st = &sessionState{}
		m[id] = st
	}
	return st
}

func moveOnMet(moveOn string, completed, passed bool) bool {
	switch moveOn {
	case MoveOnCompleted:
		return completed
	case MoveOnPassed:
		return passed
	case MoveOnCompletedAndPassed:
		return completed && passed
	case MoveOnCompletedOrPassed:
		return completed || passed
	}
	return true
}

func hasCategory(s *xapi.Statement, id string) bool {
	if s.Context == nil || s.Context.ContextActivities == nil {
		return false
	}
	for _, a := range s.Context.ContextActivities.Category {
		if a.ID == id {
			return true
		}
	}
	return false
}

func stringExt(s *xapi.Statement, key string) string {
	if s.Context == nil {
		return ""
	}
	var v string
	if raw, ok := s.Context.Extensions[key]; ok && json.Unmarshal(raw, &v) == nil {
		return v
	}
	return ""
}

func floatExt(s *xapi.Statement, key string) *float64 {
	if s.Context == nil {
		return nil
	}
	var v float64
	if raw, ok := s.Context.Extensions[key]; ok && json.Unmarshal(raw, &v) == nil {
		return &v
	}
	return nil
}

// requirements map issue codes to the cmi5 requirement ids (as CATAPULT
// numbers them) they enforce.
var requirements = map[string]string{
	"cmi5.sequence.afterTerminated": "9.3.8.0-2",
	"cmi5.sequence.notInitialized":  "7.1.3.0-1",
	"cmi5.launched.duplicate":       "9.3.1.0-2",
	"cmi5.initialized.duplicate":    "9.3.2.0-3",
	"cmi5.completed.duplicate":      "9.3.3.0-2",
	"cmi5.passed.afterPassed":       "9.3.4.0-3",
	"cmi5.failed.afterPassed":       "9.3.0.0-8",
	"cmi5.waived.duplicate":         "9.3.7.0-4",
	"cmi5.score.belowMastery":       "9.3.4.0-2",
	"cmi5.score.atMastery":          "9.3.5.0-2",
	"cmi5.passed.result":            "9.5.2.0-1",
	"cmi5.failed.result":            "9.5.2.0-2",
	"cmi5.completed.result":         "9.5.3.0-1",
	"cmi5.statement.score":          "9.5.1.0-2",
	"cmi5.statement.success":        "9.5.2.0-3",
	"cmi5.statement.completion":     "9.5.3.0-2",
	"cmi5.terminated.duration":      "9.5.4.1-1",
	"cmi5.statement.moveOnCategory": "9.6.2.2-1",
}
