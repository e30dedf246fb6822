package xapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/isodur"
)

// Activity types of the assets OTA describes. Courses, modules, lessons and
// assessments have the ADL activity types that LRS reports and cmi5
// recognise. Programmes, learning activities (exercises, readings, videos)
// and resources have no ADL type; OTA names them under
// https://w3id.org/ota/activity-types/.
const (
	ActivityTypeCourse     = "http://adlnet.gov/expapi/activities/course"
	ActivityTypeModule     = "http://adlnet.gov/expapi/activities/module"
	ActivityTypeLesson     = "http://adlnet.gov/expapi/activities/lesson"
	ActivityTypeAssessment = "http://adlnet.gov/expapi/activities/assessment"
	ActivityTypeQuestion   = "http://adlnet.gov/expapi/activities/question"
	ActivityTypeMedia      = "http://adlnet.gov/expapi/activities/media"
	ActivityTypeLink       = "http://adlnet.gov/expapi/activities/link"
	ActivityTypeFile       = "http://adlnet.gov/expapi/activities/file"

	ActivityTypeProgramme        = "https://w3id.org/ota/activity-types/programme"
	ActivityTypeLearningActivity = "https://w3id.org/ota/activity-types/activity"
	ActivityTypeResource         = "https://w3id.org/ota/activity-types/resource"
)

// DefaultActivityIDBase is the prefix of the activity IDs derived for
// assets whose ID is not an http(s) IRI (see [ActivityID]).
const DefaultActivityIDBase = "https://w3id.org/ota/activities/"

// ExtensionAssetID is the key of the activity definition extension that
// holds the asset's own ID when the activity ID is derived from it.
const ExtensionAssetID = "https://w3id.org/ota/extensions/asset-id"

// ExtensionProgress is the cmi5 result extension holding progress
// towards completion, a whole number of percent from 0 to 100.
const ExtensionProgress = "https://w3id.org/xapi/cmi5/result/extensions/progress"

// Errors of the builders; test with errors.Is.
var (
	// ErrNoAsset means a builder was given a nil asset or one without ID.
	ErrNoAsset = errors.New("xapi: no asset, or an asset without an ID")
	// ErrNotInTree means StatementOptions.Root does not hold the asset.
	ErrNotInTree = errors.New("xapi: the asset is not in the tree of StatementOptions.Root")
)

// ActivityOptions configure how assets become activities.
type ActivityOptions struct {
	// IDBase is the prefix of derived activity IDs; "" means
	// [DefaultActivityIDBase]. Publishers who want activity IDs under
	// their own domain set it ("https://training.example.org/xapi/").
	IDBase string
	// Types overrides the activity type of some kinds of asset (see
	// [ActivityType]); an empty value leaves the type out.
	Types map[asset.Kind]string
}

// ActivityType returns the activity type IRI of assets of kind k: the ADL
// types for courses, modules, lessons and assessments, OTA's for
// programmes, activities and resources, and "" for an unknown kind.
func ActivityType(k asset.Kind) string {
	switch k {
	case asset.KindProgramme:
		return ActivityTypeProgramme
	case asset.KindCourse:
		return ActivityTypeCourse
	case asset.KindModule:
		return ActivityTypeModule
	case asset.KindLesson:
		return ActivityTypeLesson
	case asset.KindActivity:
		return ActivityTypeLearningActivity
	case asset.KindAssessment:
		return ActivityTypeAssessment
	case asset.KindResource:
		return ActivityTypeResource
	}
	return ""
}

func (o ActivityOptions) typeOf(k asset.Kind) string {
	if t, ok := o.Types[k]; ok {
		return t
	}
	return ActivityType(k)
}

// ActivityID returns the xAPI activity ID of an asset:
//
//   - an asset ID that is an absolute http or https IRI is the activity
//     ID as it is (publishers who mint such IDs control them, as xAPI
//     asks of activity IDs);
//   - any other asset ID (urn:uuid:…, tag:…) gives IDBase followed by
//     the derived UUID [asset.DeriveID]("xapi", ID): the version 5 UUID,
//     in OTA's namespace, of the parts "xapi" and the asset ID (section 8
//     of the asset specification). The same asset always gives the same
//     activity ID, so statements stay attached to it across imports and
//     versions, and two assets never share one.
//
// derived says which rule applied.
func ActivityID(a *asset.Asset, opts ActivityOptions) (id string, derived bool, err error) {
	if a == nil || a.ID == "" {
		return "", false, ErrNoAsset
	}
	if isHTTP(a.ID) && checkIRI(a.ID) == "" {
		return a.ID, false, nil
	}
	base := opts.IDBase
	if base == "" {
		base = DefaultActivityIDBase
	}
	id = base + strings.TrimPrefix(asset.DeriveID("xapi", a.ID), "urn:uuid:")
	if r := checkIRI(id); r != "" {
		return "", true, fmt.Errorf("xapi: ActivityOptions.IDBase %q does not give an IRI: %s", base, r)
	}
	return id, true, nil
}

func isHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// NewActivity returns the Activity of an asset: its ID (see
// [ActivityID]) and a definition with the asset's title as name, its
// description, the activity type of its kind (see [ActivityType]) and,
// when the ID was derived, the asset's own ID under the extension
// [ExtensionAssetID]. Language maps are copies of the asset's
// LangStrings; asset tags are BCP 47 tags, as xAPI's are.
func NewActivity(a *asset.Asset, opts ActivityOptions) (*Activity, error) {
	id, derived, err := ActivityID(a, opts)
	if err != nil {
		return nil, err
	}
	def := &ActivityDefinition{
		Name:        nonEmpty(a.Title),
		Description: nonEmpty(a.Description),
		Type:        opts.typeOf(a.Kind),
	}
	if derived {
		v, err := json.Marshal(a.ID)
		if err != nil {
			return nil, err
		}
		def.Extensions = Extensions{ExtensionAssetID: v}
	}
	return &Activity{ObjectType: ObjectTypeActivity, ID: id, Definition: def}, nil
}

// contextActivity returns the short form of an asset's activity used in
// contextActivities: ID, name and type.
func contextActivity(a *asset.Asset, opts ActivityOptions) (Activity, error) {
	id, _, err := ActivityID(a, opts)
	if err != nil {
		return Activity{}, err
	}
	return Activity{ID: id, Definition: &ActivityDefinition{Name: nonEmpty(a.Title), Type: opts.typeOf(a.Kind)}}, nil
}

// nonEmpty copies a LangString, without empty texts; nil when nothing is
// left.
func nonEmpty(s asset.LangString) LanguageMap {
	var out LanguageMap
	for tag, text := range s {
		if text == "" {
			continue
		}
		if out == nil {
			out = LanguageMap{}
		}
		out[tag] = text
	}
	return out
}

// StatementOptions configure the statements built about assets
// ([Experienced], [Completed], …). The zero value builds a statement with
// a new random ID and the current time, and no context.
type StatementOptions struct {
	// Root is the asset tree the asset belongs to. When set, the context
	// relates the statement to the tree: contextActivities.parent is the
	// asset's parent and contextActivities.grouping the assets above the
	// parent, from the root down (for a lesson in a module of a course:
	// parent the module, grouping the course). The asset is found in the
	// tree by identity, or else by ID.
	Root *asset.Asset
	// Activity configures the activity IDs and types.
	Activity ActivityOptions
	// ID is the statement's UUID; "" gives a new random one.
	ID string
	// Timestamp is when the experience happened; the zero value means
	// now. It is written in UTC with milliseconds (see [FormatTimestamp]).
	Timestamp time.Time
	// Registration is the UUID of the registration (enrolment or attempt)
	// the statement belongs to, if any.
	Registration string
	// Duration, when positive, is the result's duration.
	Duration time.Duration
	// Language is the BCP 47 tag of the language the experience was in,
	// if known (context.language).
	Language string
	// Platform names the platform, such as the LMS (context.platform).
	Platform string
	// Instructor is the instructor, if any (context.instructor).
	Instructor *Actor
	// Version is the xAPI version the statement must conform to; the zero
	// value means [Version103].
	Version Version
}

// AssetStatement returns a statement that actor did verb (an IRI, such
// as [VerbExperienced]) to asset a, with the asset's activity as object
// ([NewActivity]), the verb's display name for ADL verbs ([NewVerb]), and
// the context and result opts ask for. The statement is checked before
// it is returned: when it is not valid (an actor without identifier, a
// registration that is not a UUID…), the error is an
// *[ota.ValidationError] holding the issues, and the statement is
// returned with it so that the caller can see what was built.
func AssetStatement(actor *Actor, verb string, a *asset.Asset, opts StatementOptions) (*Statement, error) {
	return build(actor, verb, a, nil, opts)
}

// Experienced returns a statement that actor experienced a (read, watched
// or took part in it), as [AssetStatement] builds it.
func Experienced(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
	return build(actor, VerbExperienced, a, nil, opts)
}

// Attempted returns a statement that actor attempted a: started an
// attempt at it.
func Attempted(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
	return build(actor, VerbAttempted, a, nil, opts)
}

// Completed returns a statement that actor completed a, with
// result.completion true.
func Completed(actor *Actor, a *asset.Asset, opts StatementOptions) (*Statement, error) {
	return build(actor, VerbCompleted, a, &Result{Completion: ptr(true)}, opts)
}

// Passed returns a statement that actor passed a, with result.success
// true and the score, if any (see [ScaledScore] and [RawScore]).
func Passed(actor *Actor, a *asset.Asset, score *Score, opts StatementOptions) (*Statement, error) {
	return build(actor, VerbPassed, a, &Result{Success: ptr(true), Score: score}, opts)
}

// Failed returns a statement that actor failed a, with result.success
// false and the score, if any.
func Failed(actor *Actor, a *asset.Asset, score *Score, opts StatementOptions) (*Statement, error) {
	return build(actor, VerbFailed, a, &Result{Success: ptr(false), Score: score}, opts)
}

// Answered returns a statement that actor answered a (a question or an
// assessment) with response, in result.response. For an interaction,
// write the response in the syntax of its interaction type, and add the
// interaction's definition to the object's Definition.
func Answered(actor *Actor, a *asset.Asset, response string, opts StatementOptions) (*Statement, error) {
	return build(actor, VerbAnswered, a, &Result{Response: response}, opts)
}

// Progressed returns a statement that actor progressed in a, with the
// percentage of the asset done (0 to 100) in the cmi5 result extension
// [ExtensionProgress].
func Progressed(actor *Actor, a *asset.Asset, percent int, opts StatementOptions) (*Statement, error) {
	if percent < 0 || percent > 100 {
		return nil, fmt.Errorf("xapi: progress %d%% is outside 0 to 100", percent)
	}
	return build(actor, VerbProgressed, a,
		&Result{Extensions: Extensions{ExtensionProgress: json.RawMessage(strconv.Itoa(percent))}}, opts)
}

// ScaledScore returns a score with only its scaled value, from -1 to 1
// (usually 0 to 1).
func ScaledScore(scaled float64) *Score { return &Score{Scaled: ptr(scaled)} }

// RawScore returns a score of raw points between min and max, with its
// scaled value (raw-min)/(max-min) when max is above min.
func RawScore(raw, min, max float64) *Score {
	s := &Score{Raw: ptr(raw), Min: ptr(min), Max: ptr(max)}
	if max > min {
		s.Scaled = ptr((raw - min) / (max - min))
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// build makes and checks a statement about asset a.
func build(actor *Actor, verb string, a *asset.Asset, res *Result, opts StatementOptions) (*Statement, error) {
	if a == nil || a.ID == "" {
		return nil, ErrNoAsset
	}
	obj, err := NewActivity(a, opts.Activity)
	if err != nil {
		return nil, err
	}
	s := &Statement{ID: opts.ID, Actor: actor, Verb: NewVerb(verb), Object: Object{Activity: obj}, Result: res}
	if s.ID == "" {
		s.ID = NewID()
	}
	ts := opts.Timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	s.Timestamp = FormatTimestamp(ts)
	switch {
	case opts.Duration < 0:
		return nil, fmt.Errorf("xapi: StatementOptions.Duration %v is negative", opts.Duration)
	case opts.Duration > 0:
		if s.Result == nil {
			s.Result = &Result{}
		}
		s.Result.Duration = FormatDuration(opts.Duration)
	}
	ctx := &Context{Registration: opts.Registration, Language: opts.Language, Platform: opts.Platform, Instructor: opts.Instructor}
	if opts.Root != nil {
		ca, err := ContextActivitiesOf(opts.Root, a, opts.Activity)
		if err != nil {
			return nil, err
		}
		ctx.ContextActivities = ca
	}
	if !ctx.isEmpty() {
		s.Context = ctx
	}
	if err := s.Check(ValidateOptions{Version: opts.Version}).Err(); err != nil {
		return s, err
	}
	return s, nil
}

// ContextActivitiesOf returns the context activities of asset a in the tree
// rooted at root: the asset just above a as parent, the ones above it as
// grouping (root first), each in the short form of [ActivityID], its title
// and type; nil when a is the root. The error says that a is not in the
// tree or that an activity ID cannot be made.
func ContextActivitiesOf(root, a *asset.Asset, opts ActivityOptions) (*ContextActivities, error) {
	chain, err := ancestors(root, a)
	if err != nil || len(chain) == 0 {
		return nil, err
	}
	n := len(chain)
	ca := &ContextActivities{}
	p, err := contextActivity(chain[n-1], opts)
	if err != nil {
		return nil, err
	}
	ca.Parent = []Activity{p}
	for _, g := range chain[:n-1] {
		act, err := contextActivity(g, opts)
		if err != nil {
			return nil, err
		}
		ca.Grouping = append(ca.Grouping, act)
	}
	return ca, nil
}

// ancestors returns the assets above a in the tree rooted at root, from
// the root down; empty when a is the root.
func ancestors(root, a *asset.Asset) ([]*asset.Asset, error) {
	parents := map[*asset.Asset]*asset.Asset{}
	var found *asset.Asset
	var byID *asset.Asset
	stop := errors.New("found")
	_ = root.Walk(func(x *asset.Asset, _ string, parent *asset.Asset) error {
		parents[x] = parent
		if x == a {
			found = x
			return stop
		}
		if byID == nil && x.ID == a.ID {
			byID = x
		}
		return nil
	})
	if found == nil {
		found = byID
	}
	if found == nil {
		return nil, fmt.Errorf("%w: no asset with ID %q", ErrNotInTree, a.ID)
	}
	var chain []*asset.Asset
	for p := parents[found]; p != nil; p = parents[p] {
		chain = append(chain, p)
		if len(chain) > len(parents) {
			break // a cycle; Walk does not make them, but stay safe
		}
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}

// FormatDuration writes d as an ISO 8601 duration of hours, minutes and
// seconds, as xAPI results carry them: "PT1H2M3.5S", "PT0S". Seconds keep
// up to hundredths (an LRS compares durations to 0.01 s); a negative d
// is written as its absolute value.
func FormatDuration(d time.Duration) string { return isodur.FormatHMS(d) }
