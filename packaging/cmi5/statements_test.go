package cmi5

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/packaging/xapi"
)

const testReg = "8c59cfbb-223b-4c60-b27c-6b04540d9740"

func launchURL(drop string) string {
	q := url.Values{}
	q.Set("endpoint", "https://lrs.example.org/xapi/")
	q.Set("fetch", "https://lms.example.org/fetch/abc")
	q.Set("actor", `{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"learner-1"}}`)
	q.Set("registration", testReg)
	q.Set("activityId", "https://example.org/c/au1")
	q.Del(drop)
	return "https://content.example.org/index.html?" + q.Encode()
}

// TestParseLaunchURL checks the launch parameters, and that each is
// required.
func TestParseLaunchURL(t *testing.T) {
	p, err := ParseLaunchURL(launchURL(""))
	if err != nil {
		t.Fatal(err)
	}
	if p.Endpoint != "https://lrs.example.org/xapi/" || p.Registration != testReg || p.ActivityID != "https://example.org/c/au1" ||
		p.Actor == nil || p.Actor.Account == nil || p.Actor.Account.Name != "learner-1" {
		t.Errorf("params = %+v", p)
	}
	for _, drop := range []string{"endpoint", "fetch", "actor", "registration", "activityId"} {
		t.Run("without "+drop, func(t *testing.T) {
			if _, err := ParseLaunchURL(launchURL(drop)); !errors.Is(err, ErrLaunch) {
				t.Errorf("err = %v, want ErrLaunch", err)
			}
		})
	}
	bad := strings.Replace(launchURL(""), "registration="+testReg, "registration=nope", 1)
	if _, err := ParseLaunchURL(bad); !errors.Is(err, ErrLaunch) {
		t.Errorf("bad registration: err = %v", err)
	}
}

func newTestSession(t *testing.T, moveOn string, mastery *float64) *Session {
	t.Helper()
	p, err := ParseLaunchURL(launchURL(""))
	if err != nil {
		t.Fatal(err)
	}
	d := &LaunchData{LaunchMode: LaunchModeNormal, MoveOn: moveOn, MasteryScore: mastery}
	s := NewSession(*p, d)
	s.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	return s
}

func f64(v float64) *float64 { return &v }

// TestSessionStatements builds whole sessions and checks each statement
// with the xAPI validator and the sequence with CheckStatements.
func TestSessionStatements(t *testing.T) {
	tests := []struct {
		name    string
		moveOn  string
		mastery *float64
		build   func(s *Session) ([]*xapi.Statement, error)
	}{
		{"typical", MoveOnNotApplicable, nil, func(s *Session) ([]*xapi.Statement, error) {
			return []*xapi.Statement{s.Initialized(), s.Terminated(time.Minute)}, nil
		}},
		{"completed", MoveOnCompleted, nil, func(s *Session) ([]*xapi.Statement, error) {
			c, err := s.Completed(time.Second)
			return []*xapi.Statement{s.Launched("https://content.example.org/index.html"), s.Initialized(), c,
				s.Satisfied("https://example.org/c"), s.Terminated(time.Minute)}, err
		}},
		{"abandoned", MoveOnPassed, f64(0.5), func(s *Session) ([]*xapi.Statement, error) {
			return []*xapi.Statement{s.Launched("https://content.example.org/index.html"), s.Initialized(), s.Abandoned(time.Minute)}, nil
		}},
		{"waived", MoveOnPassed, nil, func(s *Session) ([]*xapi.Statement, error) {
			return []*xapi.Statement{s.Waived("Tested Out")}, nil
		}},
		{"failed then passed with mastery", MoveOnCompletedAndPassed, f64(0.8), func(s *Session) ([]*xapi.Statement, error) {
			f, err1 := s.Failed(f64(0.5), time.Second)
			p, err2 := s.Passed(f64(0.9), time.Second)
			c, err3 := s.Completed(time.Second)
			return []*xapi.Statement{s.Initialized(), f, p, c, s.Terminated(time.Minute)}, errors.Join(err1, err2, err3)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSession(t, tt.moveOn, tt.mastery)
			stmts, err := tt.build(s)
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range stmts {
				if errs := st.Check(xapi.ValidateOptions{}).Errors(); len(errs) > 0 {
					t.Errorf("statement %d is not valid xAPI: %v", i, errs)
				}
				if stringExt(st, ExtSessionID) != s.ID || !hasCategory(st, CategoryCmi5) || st.Context.Registration != testReg {
					t.Errorf("statement %d lacks the cmi5 context: %+v", i, st.Context)
				}
			}
			if rep := CheckStatements(stmts, CheckOptions{MoveOn: tt.moveOn, MasteryScore: tt.mastery}); len(rep.Issues) > 0 {
				t.Errorf("sequence issues: %v", rep.Issues)
			}
		})
	}
}

// TestSessionRefusals checks the statements the builder refuses.
func TestSessionRefusals(t *testing.T) {
	tests := []struct {
		name string
		call func(s *Session) error
		mode string
	}{
		{"passed below mastery", func(s *Session) error { _, err := s.Passed(f64(0.5), 0); return err }, LaunchModeNormal},
		{"failed at mastery", func(s *Session) error { _, err := s.Failed(f64(0.8), 0); return err }, LaunchModeNormal},
		{"passed without score", func(s *Session) error { _, err := s.Passed(nil, 0); return err }, LaunchModeNormal},
		{"scaled out of range", func(s *Session) error { _, err := s.Passed(f64(2), 0); return err }, LaunchModeNormal},
		{"completed in review", func(s *Session) error { _, err := s.Completed(0); return err }, LaunchModeReview},
		{"passed in browse", func(s *Session) error { _, err := s.Passed(f64(0.9), 0); return err }, LaunchModeBrowse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSession(t, MoveOnPassed, f64(0.8))
			s.Data.LaunchMode = tt.mode
			if err := tt.call(s); !errors.Is(err, ErrNotAllowed) {
				t.Errorf("err = %v, want ErrNotAllowed", err)
			}
		})
	}
}

// TestCheckStatementsRules breaks one rule per case in a valid session.
func TestCheckStatementsRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *Session) []*xapi.Statement
		code   string
	}{
		{"before initialized", func(s *Session) []*xapi.Statement {
			c, _ := s.Completed(0)
			return []*xapi.Statement{c, s.Initialized(), s.Terminated(0)}
		}, "cmi5.sequence.notInitialized"},
		{"after terminated", func(s *Session) []*xapi.Statement {
			c, _ := s.Completed(0)
			return []*xapi.Statement{s.Initialized(), s.Terminated(0), c}
		}, "cmi5.sequence.afterTerminated"},
		{"two initialized", func(s *Session) []*xapi.Statement {
			return []*xapi.Statement{s.Initialized(), s.Initialized(), s.Terminated(0)}
		}, "cmi5.initialized.duplicate"},
		{"two completed", func(s *Session) []*xapi.Statement {
			c, _ := s.Completed(0)
			c2, _ := s.Completed(0)
			return []*xapi.Statement{s.Initialized(), c, c2, s.Terminated(0)}
		}, "cmi5.completed.duplicate"},
		{"no session id", func(s *Session) []*xapi.Statement {
			i := s.Initialized()
			delete(i.Context.Extensions, ExtSessionID)
			return []*xapi.Statement{i}
		}, "cmi5.statement.sessionid"},
		{"no registration", func(s *Session) []*xapi.Statement {
			i := s.Initialized()
			i.Context.Registration = ""
			return []*xapi.Statement{i, s.Terminated(0)}
		}, "cmi5.statement.registration"},
		{"no moveOn category", func(s *Session) []*xapi.Statement {
			c, _ := s.Completed(0)
			c.Context.ContextActivities.Category = c.Context.ContextActivities.Category[:1]
			return []*xapi.Statement{s.Initialized(), c, s.Terminated(0)}
		}, "cmi5.statement.moveOnCategory"},
		{"terminated without duration", func(s *Session) []*xapi.Statement {
			tm := s.Terminated(0)
			tm.Result = nil
			return []*xapi.Statement{s.Initialized(), tm}
		}, "cmi5.terminated.duration"},
		{"passed below mastery", func(s *Session) []*xapi.Statement {
			p, _ := s.Passed(f64(0.9), 0)
			p.Result.Score.Scaled = f64(0.1)
			return []*xapi.Statement{s.Initialized(), p, s.Terminated(0)}
		}, "cmi5.score.belowMastery"},
		{"failed after passed", func(s *Session) []*xapi.Statement {
			p, _ := s.Passed(f64(0.9), 0)
			f, _ := s.Failed(f64(0.1), 0)
			return []*xapi.Statement{s.Initialized(), p, f, s.Terminated(0)}
		}, "cmi5.failed.afterPassed"},
		{"completed with success", func(s *Session) []*xapi.Statement {
			c, _ := s.Completed(0)
			yes := true
			c.Result.Success = &yes
			return []*xapi.Statement{s.Initialized(), c, s.Terminated(0)}
		}, "cmi5.statement.success"},
		{"completed without completion", func(s *Session) []*xapi.Statement {
			c, _ := s.Completed(0)
			c.Result.Completion = nil
			return []*xapi.Statement{s.Initialized(), c, s.Terminated(0)}
		}, "cmi5.completed.result"},
		{"passed without duration", func(s *Session) []*xapi.Statement {
			p, _ := s.Passed(f64(0.9), 0)
			p.Result.Duration = ""
			return []*xapi.Statement{s.Initialized(), p, s.Terminated(0)}
		}, "cmi5.statement.duration"},
		{"terminated with score", func(s *Session) []*xapi.Statement {
			tm := s.Terminated(0)
			tm.Result.Score = &xapi.Score{Scaled: f64(1)}
			return []*xapi.Statement{s.Initialized(), tm}
		}, "cmi5.statement.score"},
		{"two launched", func(s *Session) []*xapi.Statement {
			return []*xapi.Statement{s.Launched("https://x.org/"), s.Launched("https://x.org/")}
		}, "cmi5.launched.duplicate"},
		{"two waived", func(s *Session) []*xapi.Statement {
			return []*xapi.Statement{s.Waived("Administrative"), s.Waived("Administrative")}
		}, "cmi5.waived.duplicate"},
		{"satisfied early", func(s *Session) []*xapi.Statement {
			sat := s.statement(xapi.VerbSatisfied, false)
			return []*xapi.Statement{s.Initialized(), sat, s.Terminated(0)}
		}, "cmi5.satisfied.early"},
		{"abandoned after terminated", func(s *Session) []*xapi.Statement {
			ab := s.statement(xapi.VerbAbandoned, false)
			return []*xapi.Statement{s.Initialized(), s.Terminated(0), ab}
		}, "cmi5.sequence.abandonedTerminated"},
		{"allowed after abandoned", func(s *Session) []*xapi.Statement {
			ab := s.statement(xapi.VerbAbandoned, false)
			ex := s.statement(xapi.VerbExperienced, false)
			ex.Context.ContextActivities.Category = nil
			return []*xapi.Statement{s.Initialized(), ab, ex}
		}, "cmi5.sequence.afterAbandoned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSession(t, MoveOnPassed, f64(0.8))
			rep := CheckStatements(tt.mutate(s), CheckOptions{MoveOn: MoveOnPassed, MasteryScore: f64(0.8)})
			found := false
			for _, is := range rep.Errors() {
				found = found || is.Code == tt.code
			}
			if !found {
				t.Errorf("no %s; got %v", tt.code, rep.Issues)
			}
		})
	}
}

// TestParseLaunchData reads a scenario's LMS.LaunchData and builds a
// session from it: the session id comes from the context template.
func TestParseLaunchData(t *testing.T) {
	ref := referenceDir(t)
	data, err := os.ReadFile(filepath.Join(ref, "scenarios", "11-completed_and_passed-masteryScore-failed_first", "02-lms_launch_data.json"))
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	d, err := ParseLaunchData(data)
	if err != nil {
		t.Fatal(err)
	}
	if d.MoveOn != MoveOnCompletedAndPassed || d.MasteryScore == nil || *d.MasteryScore != 0.86 || d.LaunchMode != LaunchModeNormal {
		t.Errorf("launch data = %+v", d)
	}
	p, err := ParseLaunchURL(launchURL(""))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(*p, d)
	if s.ID != "54eb9f12-71d4-472d-a359-8c1184b5edbc" {
		t.Errorf("session id = %q", s.ID)
	}
	pass, err := s.Passed(f64(0.91), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(pass.Context.ContextActivities.Grouping) != 1 || floatExt(pass, ExtMasteryScore) == nil || *floatExt(pass, ExtMasteryScore) != 0.86 {
		t.Errorf("context template not applied: %+v", pass.Context)
	}
	raw, _ := json.Marshal(pass)
	if !strings.Contains(string(raw), CategoryMoveOn) {
		t.Errorf("no moveOn category in %s", raw)
	}
	if _, err := ParseLaunchData([]byte("{")); !errors.Is(err, ErrLaunch) {
		t.Errorf("bad JSON: err = %v", err)
	}
}
