package main

import (
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/xapi"
)

// The simulated learner and session. Everything is fixed or derived, so
// that the statements are the same on every run.
var (
	// namespace is the UUID namespace of the statement and registration
	// IDs this example derives.
	namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/metaacademy/ota/examples/gitcourse"))
	// learner is identified by an account on the LMS, as LMSs usually do,
	// without an e-mail address.
	learner = xapi.AccountAgent("Learner One", "https://lms.example.org", "learner-0001")
	// start is when the learner launches the first episode.
	start = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
)

// session builds, validates and writes the statements of one learner.
type session struct {
	course *asset.Asset
	reg    string // registration UUID
	lang   string
	v      *xapi.Validator
	w      *xapi.Writer
	n      int
}

// simulate writes to path, as NDJSON, the statements of one learner going
// through the course: for each episode launched, initialized, answered,
// passed and progressed for each challenge, completed; the course's
// progress after each episode; the course completed. Timestamps run from
// start through each episode's duration. It returns the number of
// statements.
func simulate(path string, course *asset.Asset, lang string) (int, error) {
	s := &session{
		course: course,
		reg:    uuid.NewSHA1(namespace, []byte(course.ID+" "+learner.Account.Name)).String(),
		lang:   lang,
		v:      xapi.NewValidator(xapi.ValidateOptions{}),
	}
	err := writeFile(path, func(w io.Writer) error {
		s.w = xapi.NewWriter(w, xapi.StreamNDJSON)
		if err := s.run(); err != nil {
			return err
		}
		return s.w.Close()
	})
	return s.n, err
}

func (s *session) run() error {
	t := start
	var episodes []*asset.Asset
	for i := range s.course.Parts {
		if s.course.Parts[i].Kind == asset.KindLesson {
			episodes = append(episodes, &s.course.Parts[i])
		}
	}
	for k, ep := range episodes {
		// An episode lasts its duration; one without takes a minute.
		d := max(ep.TotalDuration().Approx(), time.Minute)
		if err := s.add(xapi.AssetStatement(learner, xapi.VerbLaunched, ep, s.opts(t, 0))); err != nil {
			return err
		}
		if err := s.add(xapi.AssetStatement(learner, xapi.VerbInitialized, ep, s.opts(t.Add(time.Second), 0))); err != nil {
			return err
		}
		// Challenges are spread over the episode; each is answered, passed
		// half a minute later, and moves the episode's progress on.
		steps := len(ep.Parts) + 1
		for i := range ep.Parts {
			ch := &ep.Parts[i]
			at := t.Add(d * time.Duration(i+1) / time.Duration(steps))
			answer := fmt.Sprintf("answer to %q", ch.Title[s.lang])
			if err := s.add(xapi.Answered(learner, ch, answer, s.opts(at, 0))); err != nil {
				return err
			}
			if err := s.add(xapi.Passed(learner, ch, xapi.RawScore(1, 0, 1), s.opts(at.Add(30*time.Second), 0))); err != nil {
				return err
			}
			if err := s.add(xapi.Progressed(learner, ep, 100*(i+1)/steps, s.opts(at.Add(31*time.Second), 0))); err != nil {
				return err
			}
		}
		if len(ep.Parts) == 0 {
			if err := s.add(xapi.Progressed(learner, ep, 50, s.opts(t.Add(d/2), 0))); err != nil {
				return err
			}
		}
		t = t.Add(d)
		if err := s.add(xapi.Completed(learner, ep, s.opts(t, d))); err != nil {
			return err
		}
		if k < len(episodes)-1 {
			pct := 100 * (k + 1) / len(episodes)
			if err := s.add(xapi.Progressed(learner, s.course, pct, s.opts(t.Add(time.Second), 0))); err != nil {
				return err
			}
		}
		t = t.Add(2 * time.Second)
	}
	return s.add(xapi.Completed(learner, s.course, s.opts(t, t.Sub(start))))
}

// opts are the statement options of the next statement: a derived ID, the
// timestamp, the registration, the course as the root of the context.
func (s *session) opts(at time.Time, d time.Duration) xapi.StatementOptions {
	return xapi.StatementOptions{
		Root:         s.course,
		ID:           uuid.NewSHA1(namespace, fmt.Appendf(nil, "%s/%d", s.reg, s.n+1)).String(),
		Timestamp:    at,
		Registration: s.reg,
		Duration:     d,
		Language:     s.lang,
		Platform:     "OTA gitcourse example",
	}
}

// add validates a statement as an LRS would, from its JSON, and writes it.
func (s *session) add(st *xapi.Statement, err error) error {
	if err != nil {
		return err
	}
	data, err := st.MarshalJSON()
	if err != nil {
		return err
	}
	if err := s.v.Validate(data).Err(); err != nil {
		return fmt.Errorf("statement %d (%s): %w", s.n+1, st.Verb.ID, err)
	}
	if err := s.w.WriteRaw(data); err != nil {
		return err
	}
	s.n++
	return nil
}
