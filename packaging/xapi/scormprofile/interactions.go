package scormprofile

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	oiri "github.com/metaacademy/ota/internal/iri"
	"github.com/metaacademy/ota/packaging/xapi"
)

// interactionTypes are the cmi.interactions.n.type values of each data
// model; they are also xAPI's interactionType values.
var cmiInteractionTypes = map[CMIVersion]map[string]bool{
	CMI12: {"true-false": true, "choice": true, "fill-in": true, "matching": true, "performance": true,
		"sequencing": true, "likert": true, "numeric": true},
	CMI2004: {"true-false": true, "choice": true, "fill-in": true, "long-fill-in": true, "matching": true,
		"performance": true, "sequencing": true, "likert": true, "numeric": true, "other": true},
}

// subActivity returns the activity <SCO ID>/<kind>/<id>, or "" and an
// issue when that is not an IRI.
func (c *cmiConv) subActivity(key, kind, id string) string {
	iri := c.sco.ID + "/" + kind + "/" + url.PathEscape(id)
	if err := oiri.CheckAbsolute(iri); err != nil {
		c.issue(key, "identifier", fmt.Sprintf("identifier %q does not give an activity IRI (it %v)", id, err))
		return ""
	}
	return iri
}

// interactions emits one statement per cmi.interactions.n.
func (c *cmiConv) interactions(end time.Time) {
	const prefix = "cmi.interactions."
	verb := c.opts.InteractionVerb
	if verb == "" {
		verb = xapi.VerbResponded
	}
	for _, n := range c.indices(prefix) {
		p := prefix + strconv.Itoa(n) + "."
		id, ok := c.get(p + "id")
		if !ok {
			c.issue(p+"id", "missing", fmt.Sprintf("interaction %d has no id; it makes no statement", n))
			continue
		}
		iri := c.subActivity(p+"id", "interactions", id)
		if iri == "" {
			continue
		}
		def := &xapi.ActivityDefinition{Type: xapi.ActivityTypeInteraction}
		typ, hasType := c.get(p + "type")
		if hasType {
			if !cmiInteractionTypes[c.v][typ] {
				c.issue(p+"type", "vocabulary", fmt.Sprintf("interaction type %q is not one of SCORM %s's", typ, c.v))
				hasType = false
			} else {
				def.InteractionType = typ
			}
		}
		if d, ok := c.get(p + "description"); ok && c.v == CMI2004 {
			def.Description = xapi.LanguageMap{"und": d}
		}
		if hasType {
			for _, m := range c.indices(p + "correct_responses.") {
				if pat, ok := c.snap[p+"correct_responses."+strconv.Itoa(m)+".pattern"]; ok {
					def.CorrectResponsesPattern = append(def.CorrectResponsesPattern, c.response(typ, pat))
				}
			}
		}
		res := &xapi.Result{}
		respKey := p + "learner_response"
		if c.v == CMI12 {
			respKey = p + "student_response"
		}
		if r, ok := c.snap[respKey]; ok {
			if hasType {
				res.Response = c.response(typ, r)
			} else {
				res.Response = r
			}
		}
		if r, ok := c.get(p + "result"); ok {
			switch r {
			case "correct":
				res.Success = ptr(true)
			case "wrong", "incorrect":
				res.Success = ptr(false)
			case "unanticipated", "neutral":
			default:
				if _, err := strconv.ParseFloat(r, 64); err != nil {
					c.issue(p+"result", "vocabulary", fmt.Sprintf("interaction result %q is not correct, incorrect, unanticipated, neutral or a number", r))
				}
			}
		}
		if _, d, ok := c.timespan(p + "latency"); ok {
			res.Duration = d
		}
		at := end
		if c.v == CMI2004 {
			if ts, ok := c.get(p + "timestamp"); ok {
				if t, err := xapi.ParseTimestamp(ts); err == nil {
					at = t
				} else {
					c.issue(p+"timestamp", "time", fmt.Sprintf("%q is not an ISO 8601 timestamp such as 2024-05-31T14:02:00Z", ts))
				}
			}
		} else if ts, ok := c.get(p + "time"); ok {
			if t, err := time.Parse("15:04:05", strings.SplitN(ts, ".", 2)[0]); err == nil {
				st := c.opts.Timestamp
				if st.IsZero() {
					st = end
				}
				st = st.UTC()
				at = time.Date(st.Year(), st.Month(), st.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
			} else {
				c.issue(p+"time", "time", fmt.Sprintf("%q is not a SCORM 1.2 time of day HH:MM:SS", ts))
			}
		}
		if res.Response == "" && res.Success == nil && res.Duration == "" {
			res = nil
		}
		c.emit(verb, &xapi.Activity{ObjectType: xapi.ObjectTypeActivity, ID: iri, Definition: def}, res, at, false)
	}
}

// response writes a SCORM response or pattern of interaction type typ in
// xAPI's syntax. SCORM 2004 already uses it; SCORM 1.2 separates
// choices with "," (optionally in braces) and matching pairs with ".",
// and writes true-false as t / f / 1 / 0.
func (c *cmiConv) response(typ, s string) string {
	if c.v != CMI12 {
		return s
	}
	switch typ {
	case "true-false":
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "t", "true", "1":
			return "true"
		case "f", "false", "0":
			return "false"
		}
	case "choice", "sequencing":
		s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
		return strings.Join(strings.Split(s, ","), "[,]")
	case "matching":
		s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
		pairs := strings.Split(s, ",")
		for i, pr := range pairs {
			pairs[i] = strings.Replace(pr, ".", "[.]", 1)
		}
		return strings.Join(pairs, "[,]")
	}
	return s
}

// objectives emits one statement per objective with a known status.
func (c *cmiConv) objectives(end time.Time) {
	const prefix = "cmi.objectives."
	for _, n := range c.indices(prefix) {
		p := prefix + strconv.Itoa(n) + "."
		id, ok := c.get(p + "id")
		if !ok {
			c.issue(p+"id", "missing", fmt.Sprintf("objective %d has no id; it makes no statement", n))
			continue
		}
		var success, completion *bool
		if c.v == CMI12 {
			if s, ok := c.get(p + "status"); ok {
				switch s {
				case "passed":
					success = ptr(true)
				case "failed":
					success = ptr(false)
				case "completed":
					completion = ptr(true)
				case "incomplete", "browsed", "not attempted":
				default:
					c.issue(p+"status", "vocabulary", fmt.Sprintf("objective status %q is not passed, completed, failed, incomplete, browsed or not attempted", s))
				}
			}
		} else {
			if s, ok := c.get(p + "success_status"); ok {
				switch s {
				case "passed":
					success = ptr(true)
				case "failed":
					success = ptr(false)
				case "unknown":
				default:
					c.issue(p+"success_status", "vocabulary", fmt.Sprintf("success_status %q is not passed, failed or unknown", s))
				}
			}
			if s, ok := c.get(p + "completion_status"); ok {
				switch s {
				case "completed":
					completion = ptr(true)
				case "incomplete", "not attempted", "unknown":
				default:
					c.issue(p+"completion_status", "vocabulary", fmt.Sprintf("completion_status %q is not completed, incomplete, not attempted or unknown", s))
				}
			}
		}
		score := c.score(p)
		if success == nil && completion == nil {
			continue
		}
		iri := c.subActivity(p+"id", "objectives", id)
		if iri == "" {
			continue
		}
		def := &xapi.ActivityDefinition{Name: xapi.LanguageMap{"und": id}, Type: ActivityTypeObjective}
		if d, ok := c.get(p + "description"); ok && c.v == CMI2004 {
			def.Description = xapi.LanguageMap{"und": d}
		}
		obj := &xapi.Activity{ObjectType: xapi.ObjectTypeActivity, ID: iri, Definition: def}
		switch {
		case success != nil && *success:
			c.emit(xapi.VerbPassed, obj, &xapi.Result{Success: success, Completion: completion, Score: score}, end, false)
		case success != nil:
			c.emit(xapi.VerbFailed, obj, &xapi.Result{Success: success, Completion: completion, Score: score}, end, false)
		default:
			c.emit(xapi.VerbCompleted, obj, &xapi.Result{Completion: completion, Score: score}, end, false)
		}
	}
}
