// Package scormprofile turns SCORM run-time data (a CMI snapshot of SCORM
// 1.2 or 2004: [ReadCMISnapshot]) into the xAPI statements of the ADL SCORM
// profile ([FromCMI]), with a report of what could not be carried over.
package scormprofile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/internal/isodur"
	"github.com/metaacademy/ota/packaging/xapi"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// CMIVersion is the SCORM run-time data model a CMI snapshot follows.
type CMIVersion string

// The SCORM run-time data models.
const (
	// CMI12 is SCORM 1.2 (cmi.core.lesson_status, cmi.core.score.raw…).
	CMI12 CMIVersion = "1.2"
	// CMI2004 is SCORM 2004, any edition (cmi.completion_status,
	// cmi.success_status, cmi.score.scaled…).
	CMI2004 CMIVersion = "2004"
)

// ParseCMIVersion reads "1.2" or "2004" (also "2004 3rd Edition" and the
// like, as [scorm.Version] writes them).
func ParseCMIVersion(s string) (CMIVersion, error) {
	switch {
	case s == "1.2":
		return CMI12, nil
	case strings.HasPrefix(s, "2004"):
		return CMI2004, nil
	}
	return "", fmt.Errorf("xapi: unknown SCORM run-time version %q; use 1.2 or 2004", s)
}

// IRIs of the xAPI SCORM profile (ADL, https://github.com/adlnet/xAPI-SCORM-Profile).
const (
	// CategorySCORMProfile is the activity every statement of the profile
	// lists in contextActivities.category.
	CategorySCORMProfile = "http://adlnet.gov/xapi/profile/scorm"
	// ActivityTypeAttempt is the type of the attempt activity the profile
	// puts in contextActivities.grouping.
	ActivityTypeAttempt = "http://adlnet.gov/expapi/activities/attempt"
	// ActivityTypeObjective is the type of objective activities.
	ActivityTypeObjective = "http://adlnet.gov/expapi/activities/objective"
	// ExtensionSCORMTotalTime is the result extension of the terminated
	// or suspended statement holding the SCO's cmi total_time as an ISO
	// 8601 duration (an OTA extension: the profile keeps total time out
	// of statements).
	ExtensionSCORMTotalTime = "https://w3id.org/ota/extensions/scorm-total-time"
)

// Options configure [FromCMI].
type Options struct {
	// Actor is the learner. When nil, the learner's id in the snapshot
	// (cmi.core.student_id, cmi.learner_id) becomes an account on
	// HomePage, named as the snapshot names the learner.
	Actor *xapi.Actor
	// HomePage is the IRL of the LMS holding learner accounts, used when
	// Actor is nil.
	HomePage string
	// Root is the asset tree holding the SCO: contextActivities.parent
	// and grouping of the SCO's statements come from it, as
	// [xapi.StatementOptions].Root gives them.
	Root *asset.Asset
	// Activity configures the activity IDs and types.
	Activity xapi.ActivityOptions
	// Registration is the UUID of the registration, if any.
	Registration string
	// AttemptID identifies the attempt (the profile's attempt activity is
	// the SCO's activity ID with "?attemptId=" and it); "" means
	// Registration, or a new random UUID when there is none.
	AttemptID string
	// Timestamp is when the session started; the zero value means now.
	// The statements about the end of the session are timestamped at
	// Timestamp plus the session time.
	Timestamp time.Time
	// InteractionVerb is the verb of interaction statements; "" means
	// [xapi.VerbResponded], as the profile says ([xapi.VerbAnswered] is the other
	// usual choice).
	InteractionVerb string
	// Platform names the LMS (context.platform).
	Platform string
	// Version is the xAPI version the statements must conform to.
	Version xapi.Version
}

// ReadCMISnapshot reads a CMI snapshot file: one JSON object whose
// members are CMI element names and whose values are the elements' values
// as the LMS stores them, as strings ({"cmi.core.lesson_status":
// "passed", "cmi.core.score.raw": "85"}). Numbers and booleans are
// accepted and kept as their JSON text; null, objects, arrays and
// duplicate names are errors.
func ReadCMISnapshot(r io.Reader) (map[string]string, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("xapi: CMI snapshot: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("xapi: CMI snapshot: not a JSON object of element names and values")
	}
	out := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("xapi: CMI snapshot: %w", err)
		}
		key := tok.(string)
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("xapi: CMI snapshot: %q appears twice", key)
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, fmt.Errorf("xapi: CMI snapshot: %w", err)
		}
		switch v := tok.(type) {
		case string:
			out[key] = v
		case json.Number:
			out[key] = v.String()
		case bool:
			out[key] = strconv.FormatBool(v)
		default:
			return nil, fmt.Errorf("xapi: CMI snapshot: the value of %q is not a string, number or boolean", key)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("xapi: CMI snapshot: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("xapi: CMI snapshot: data after the JSON object")
	}
	return out, nil
}

// cmiCodePrefix starts the codes of the issues [FromCMI] reports:
//
//	xapi.cmi.version          the CMIVersion is neither 1.2 nor 2004
//	xapi.cmi.sco              no SCO asset, or it is not in Options.Root
//	xapi.cmi.actor            no actor, and no learner id with a HomePage
//	xapi.cmi.number           a value that must be a real number is not
//	xapi.cmi.range            a score or progress out of range; left out
//	xapi.cmi.timespan         a SCORM 1.2 time that is not HHHH:MM:SS.SS
//	xapi.cmi.timeinterval     a SCORM 2004 time that is not an ISO 8601 duration
//	xapi.cmi.time             an interaction time or timestamp that cannot be read
//	xapi.cmi.vocabulary       a status, entry, exit, type or result outside its vocabulary
//	xapi.cmi.missing          an interaction or objective without id
//	xapi.cmi.index            an interaction or objective element without index n
//	xapi.cmi.identifier       an id that does not give an activity IRI
//	xapi.cmi.unknown-element  (warning) an element the data model does not define
//	xapi.cmi.statement        a statement that would be invalid; left out
//
// They are built from this prefix; docs/xapi-versions.md lists them, and
// TestCodesDocumented checks that it does.
const cmiCodePrefix = "xapi.cmi."

// cmiConv holds the state of one FromCMI run.
type cmiConv struct {
	snap    map[string]string
	v       CMIVersion
	rep     ota.Report
	sco     *xapi.Activity
	ctxBase xapi.ContextActivities
	opts    Options
	actor   *xapi.Actor
	out     []*xapi.Statement
}

func (c *cmiConv) issue(key, code, msg string) {
	c.rep.Add(ota.Issue{Pointer: "/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1"),
		Code: cmiCodePrefix + code, Severity: ota.Error, Message: msg})
}

func (c *cmiConv) warn(key, code, msg string) {
	c.rep.Add(ota.Issue{Pointer: "/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1"),
		Code: cmiCodePrefix + code, Severity: ota.Warning, Message: msg})
}

// get returns the value of key, trimmed, and whether it is set and not
// empty.
func (c *cmiConv) get(key string) (string, bool) {
	v, ok := c.snap[key]
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// k returns the key of an element in the version's naming: core is the
// 1.2 name under cmi.core, plain the 2004 name under cmi.
func (c *cmiConv) k(core, plain string) string {
	if c.v == CMI12 {
		return "cmi.core." + core
	}
	return "cmi." + plain
}

// number reads a real number; a bad one is reported.
func (c *cmiConv) number(key string) (float64, bool) {
	s, ok := c.get(key)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		c.issue(key, "number", fmt.Sprintf("%q is not a number; write a decimal such as 85 or 0.85", s))
		return 0, false
	}
	return f, true
}

// timespan reads a duration: SCORM 1.2 CMITimespan (HHHH:MM:SS.SS) or
// SCORM 2004 ISO 8601 timeinterval (PT1H2M3.5S). It returns the duration
// and its xAPI form.
func (c *cmiConv) timespan(key string) (time.Duration, string, bool) {
	s, ok := c.get(key)
	if !ok {
		return 0, "", false
	}
	if c.v == CMI12 {
		d, ok := parseCMITimespan(s)
		if !ok {
			c.issue(key, "timespan", fmt.Sprintf("%q is not a SCORM 1.2 timespan; write HHHH:MM:SS.SS, such as 0001:30:05.5", s))
			return 0, "", false
		}
		return d, xapi.FormatDuration(d), true
	}
	d, ok := isodur.Approx(s)
	if !ok || isodur.Check(s) != "" {
		c.issue(key, "timeinterval", fmt.Sprintf("%q is not an ISO 8601 duration; write one such as PT1H30M5.5S", s))
		return 0, "", false
	}
	return d, s, true
}

// parseCMITimespan reads HHHH:MM:SS(.S{1,2}), hours of 2 to 4 digits.
func parseCMITimespan(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || len(parts[0]) < 2 || len(parts[0]) > 4 || len(parts[1]) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, frac, _ := strings.Cut(parts[2], ".")
	if len(sec) != 2 || len(frac) > 2 || strings.Contains(parts[2], ".") && frac == "" {
		return 0, false
	}
	sv, err3 := strconv.Atoi(sec)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || m < 0 || m > 59 || sv < 0 || sv > 59 || !allDigits(parts[0]+parts[1]+sec+frac) {
		return 0, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sv)*time.Second
	if frac != "" {
		f, _ := strconv.Atoi(frac)
		if len(frac) == 1 {
			f *= 10
		}
		d += time.Duration(f) * 10 * time.Millisecond
	}
	return d, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FromCMI returns the statements an LMS sends, following ADL's xAPI SCORM
// profile, for one session of a SCO whose run-time data is snapshot (CMI
// element name → value as stored, see [ReadCMISnapshot]) in data model
// version, the SCO being the asset sco (an item of a package converted
// with scorm.Package.Asset, or any asset). The SCO's activity is
// [xapi.NewActivity]'s, typed lesson as the profile says unless
// opts.Activity.Types sets the type of the asset's kind. In order:
//
//   - initialized (cmi entry ab-initio or unset) or resumed (entry
//     resume) at the session start;
//   - one statement per interaction (cmi.interactions.n), verb
//     [Options].InteractionVerb (responded, as the profile says): an
//     interaction activity with ID <SCO activity ID>/interactions/<id>,
//     type cmi.interaction, its interactionType, description and correct
//     responses pattern; result.response in xAPI syntax (SCORM 1.2 "a,b"
//     becomes "a[,]b"), success from the result (correct / wrong or
//     incorrect), duration from the latency; parent the SCO;
//   - one statement per objective with a known status: passed / failed
//     (success_status, or 1.2 status passed / failed), else completed,
//     about the activity <SCO activity ID>/objectives/<id> of type
//     objective, with its score; parent the SCO;
//   - progressed with result.score.scaled the progress_measure (2004);
//   - completed when the completion status is completed (1.2
//     lesson_status completed);
//   - passed or failed from the success status (1.2 lesson_status passed
//     or failed), with the score;
//   - terminated (or suspended when cmi exit is suspend) at the session's
//     end, with the SCO's overall result: success, completion, score,
//     duration (session_time) and total_time under
//     [ExtensionSCORMTotalTime].
//
// Scores carry raw, min and max as given; scaled is cmi.score.scaled, or
// (raw-min)/(max-min) when absent and min and max are known. The default
// statuses (incomplete, not attempted, unknown, browsed) make no
// statement of their own, as the profile recommends. Every statement has
// the SCORM profile activity in contextActivities.category and the
// attempt activity (SCO ID + "?attemptId=…") in grouping, with the
// asset's ancestors from opts.Root (parent its parent, grouping the
// ones above).
//
// Invalid values are reported with codes "*" and pointers
// "/<element name>", and what they would have set is left out. Every
// returned statement passes [xapi.Statement.Check]; a statement that would not
// is reported (code "statement") and left out.
func FromCMI(snapshot map[string]string, version CMIVersion, sco *asset.Asset, opts Options) ([]*xapi.Statement, ota.Report) {
	c := &cmiConv{snap: snapshot, v: version, opts: opts}
	if version != CMI12 && version != CMI2004 {
		c.issue("", "version", fmt.Sprintf("unknown SCORM run-time version %q; use 1.2 or 2004", version))
		return nil, c.rep
	}
	if sco == nil || sco.ID == "" {
		c.issue("", "sco", "no SCO asset, or one without an ID; pass the asset of the SCO's item")
		return nil, c.rep
	}
	act, err := xapi.NewActivity(sco, opts.Activity)
	if err != nil {
		c.issue("", "sco", err.Error())
		return nil, c.rep
	}
	if _, set := opts.Activity.Types[sco.Kind]; !set {
		// The profile types SCOs as lessons, whatever their kind.
		act.Definition.Type = xapi.ActivityTypeLesson
	}
	c.sco = act
	if !c.context(sco) || !c.learner() {
		return nil, c.rep
	}
	c.checkKeys()

	start := opts.Timestamp
	if start.IsZero() {
		start = time.Now()
	}
	sessionD, sessionISO, hasSession := c.timespan(c.k("session_time", "session_time"))
	end := start.Add(sessionD)

	entry, _ := c.get(c.k("entry", "entry"))
	switch entry {
	case "resume":
		c.emit(xapi.VerbResumed, c.sco, nil, start, true)
	case "", "ab-initio":
		c.emit(xapi.VerbInitialized, c.sco, nil, start, true)
	default:
		c.issue(c.k("entry", "entry"), "vocabulary", fmt.Sprintf("entry %q is not ab-initio, resume or empty", entry))
		c.emit(xapi.VerbInitialized, c.sco, nil, start, true)
	}

	c.interactions(end)
	c.objectives(end)

	if version == CMI2004 {
		if pm, ok := c.number("cmi.progress_measure"); ok {
			if pm < 0 || pm > 1 {
				c.issue("cmi.progress_measure", "range", fmt.Sprintf("progress_measure %v is outside 0 to 1", pm))
			} else {
				c.emit(xapi.VerbProgressed, c.sco, &xapi.Result{Score: &xapi.Score{Scaled: ptr(pm)}}, end, true)
			}
		}
	}

	completion, success := c.statuses()
	score := c.score("")
	if completion != nil && *completion {
		c.emit(xapi.VerbCompleted, c.sco, &xapi.Result{Completion: ptr(true)}, end, true)
	}
	if success != nil {
		verb := xapi.VerbFailed
		if *success {
			verb = xapi.VerbPassed
		}
		c.emit(verb, c.sco, &xapi.Result{Success: success, Score: score}, end, true)
	}

	res := &xapi.Result{Success: success, Completion: completion, Score: score}
	if hasSession {
		res.Duration = sessionISO
	}
	if _, total, ok := c.timespan(c.k("total_time", "total_time")); ok {
		v, _ := json.Marshal(total)
		res.Extensions = xapi.Extensions{ExtensionSCORMTotalTime: v}
	}
	if res.Success == nil && res.Completion == nil && res.Score == nil && res.Duration == "" && res.Extensions == nil {
		res = nil
	}
	exit, _ := c.get(c.k("exit", "exit"))
	switch exit {
	case "suspend":
		c.emit(xapi.VerbSuspended, c.sco, res, end, true)
	case "", "normal", "logout", "time-out":
		c.emit(xapi.VerbTerminated, c.sco, res, end, true)
	default:
		c.issue(c.k("exit", "exit"), "vocabulary", fmt.Sprintf("exit %q is not time-out, suspend, logout, normal or empty", exit))
		c.emit(xapi.VerbTerminated, c.sco, res, end, true)
	}
	return c.out, c.rep
}

// context builds the context activities shared by the statements.
func (c *cmiConv) context(sco *asset.Asset) bool {
	attempt := c.opts.AttemptID
	if attempt == "" {
		attempt = c.opts.Registration
	}
	if attempt == "" {
		attempt = xapi.NewID()
	}
	c.ctxBase.Category = []xapi.Activity{{ID: CategorySCORMProfile}}
	var parent []xapi.Activity
	var grouping []xapi.Activity
	if c.opts.Root != nil {
		ca, err := xapi.ContextActivitiesOf(c.opts.Root, sco, c.opts.Activity)
		if err != nil {
			c.issue("", "sco", err.Error())
			return false
		}
		if ca != nil {
			parent, grouping = ca.Parent, ca.Grouping
		}
	}
	grouping = append(grouping, xapi.Activity{ID: c.sco.ID + "?attemptId=" + url.QueryEscape(attempt),
		Definition: &xapi.ActivityDefinition{Type: ActivityTypeAttempt}})
	c.ctxBase.Parent = parent
	c.ctxBase.Grouping = grouping
	return true
}

// learner sets the actor.
func (c *cmiConv) learner() bool {
	if c.opts.Actor != nil {
		c.actor = c.opts.Actor
		return true
	}
	idKey, nameKey := "cmi.learner_id", "cmi.learner_name"
	if c.v == CMI12 {
		idKey, nameKey = "cmi.core.student_id", "cmi.core.student_name"
	}
	id, ok := c.get(idKey)
	if !ok || c.opts.HomePage == "" {
		c.issue("", "actor", "no actor: give the learner as the actor, or the LMS's home page with a snapshot holding "+idKey+" (the learner's account there)")
		return false
	}
	name, _ := c.get(nameKey)
	c.actor = xapi.AccountAgent(name, c.opts.HomePage, id)
	return true
}

// known lists the element names (with n for indices) FromCMI reads or
// knows; others get a warning.
var cmiKnown = map[CMIVersion][]string{
	CMI12: {"cmi.core.", "cmi.suspend_data", "cmi.launch_data", "cmi.comments", "cmi.comments_from_lms",
		"cmi.objectives.", "cmi.student_data.", "cmi.student_preference.", "cmi.interactions."},
	CMI2004: {"cmi.completion_status", "cmi.success_status", "cmi.score.", "cmi.session_time", "cmi.total_time",
		"cmi.progress_measure", "cmi.entry", "cmi.exit", "cmi.learner_id", "cmi.learner_name", "cmi.location",
		"cmi.suspend_data", "cmi.launch_data", "cmi.mode", "cmi.credit", "cmi.interactions.", "cmi.objectives.",
		"cmi.comments_from_learner.", "cmi.comments_from_lms.", "cmi.learner_preference.", "cmi.max_time_allowed",
		"cmi.time_limit_action", "cmi.scaled_passing_score", "cmi.completion_threshold", "cmi._version", "adl."},
}

func (c *cmiConv) checkKeys() {
	for _, key := range sortedKeys(c.snap) {
		known := false
		for _, p := range cmiKnown[c.v] {
			if key == p || strings.HasSuffix(p, ".") && strings.HasPrefix(key, p) {
				known = true
				break
			}
		}
		if !known {
			c.warn(key, "unknown-element", fmt.Sprintf("%q is not an element of the SCORM %s run-time data model; it is ignored", key, c.v))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
