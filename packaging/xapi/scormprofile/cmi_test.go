package scormprofile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/isodur"
	"github.com/metaacademy/ota/packaging/xapi"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
)

func cmiTree() (*asset.Asset, *asset.Asset) {
	root := &asset.Asset{ID: "https://example.org/courses/golf", Kind: asset.KindCourse,
		Title: asset.LangString{"en": "Golf"},
		Parts: []asset.Asset{{ID: "https://example.org/courses/golf/playing", Kind: asset.KindModule,
			Title: asset.LangString{"en": "Playing"},
			Parts: []asset.Asset{{ID: "https://example.org/courses/golf/playing/quiz", Kind: asset.KindAssessment,
				Title: asset.LangString{"en": "Quiz"}}}}}}
	return root, &root.Parts[0].Parts[0]
}

func verbsOf(stmts []*xapi.Statement) []string {
	var out []string
	for _, s := range stmts {
		out = append(out, s.Verb.Display["en-US"])
	}
	return out
}

func TestFromCMI(t *testing.T) {
	root, sco := cmiTree()
	start := time.Date(2026, 5, 31, 14, 0, 0, 0, time.UTC)
	learner := xapi.MboxAgent("Ann", "ann@example.org")
	tests := []struct {
		name    string
		version CMIVersion
		snap    map[string]string
		verbs   []string
		codes   []string
		check   func(t *testing.T, s []*xapi.Statement)
	}{
		{
			name: "1.2 passed with interactions", version: CMI12,
			snap: map[string]string{
				"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "8", "cmi.core.score.min": "0",
				"cmi.core.score.max": "10", "cmi.core.session_time": "0000:12:30.5", "cmi.core.total_time": "0001:00:00",
				"cmi.core.entry": "ab-initio", "cmi.core.exit": "",
				"cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice",
				"cmi.interactions.0.student_response": "a,c", "cmi.interactions.0.result": "correct",
				"cmi.interactions.0.correct_responses.0.pattern": "a,c",
				"cmi.interactions.0.time":                        "14:05:00", "cmi.interactions.0.latency": "0000:00:15",
				"cmi.interactions.1.id": "q2", "cmi.interactions.1.type": "true-false",
				"cmi.interactions.1.student_response": "t", "cmi.interactions.1.result": "wrong",
				"cmi.interactions.2.id": "q3", "cmi.interactions.2.type": "matching",
				"cmi.interactions.2.student_response": "1.a,2.b", "cmi.interactions.2.result": "neutral",
				"cmi.objectives.0.id": "obj1", "cmi.objectives.0.status": "passed", "cmi.objectives.0.score.raw": "3",
			},
			verbs: []string{"initialized", "responded", "responded", "responded", "passed", "passed", "terminated"},
			check: func(t *testing.T, s []*xapi.Statement) {
				q1 := s[1]
				assert.Equal(t, sco.ID+"/interactions/q1", q1.Object.Activity.ID)
				assert.Equal(t, "choice", q1.Object.Activity.Definition.InteractionType)
				assert.Equal(t, []string{"a[,]c"}, q1.Object.Activity.Definition.CorrectResponsesPattern)
				assert.Equal(t, "a[,]c", q1.Result.Response)
				assert.True(t, *q1.Result.Success)
				assert.Equal(t, "PT15S", q1.Result.Duration)
				assert.Equal(t, "2026-05-31T14:05:00.000Z", q1.Timestamp)
				assert.Equal(t, sco.ID, q1.Context.ContextActivities.Parent[0].ID)
				g := q1.Context.ContextActivities.Grouping
				require.Len(t, g, 3)
				assert.Equal(t, []string{root.ID, root.Parts[0].ID, sco.ID + "?attemptId=att-1"}, []string{g[0].ID, g[1].ID, g[2].ID})
				assert.Equal(t, "true", s[2].Result.Response)
				assert.False(t, *s[2].Result.Success)
				assert.Equal(t, "1[.]a[,]2[.]b", s[3].Result.Response)
				assert.Nil(t, s[3].Result.Success)
				assert.Equal(t, sco.ID+"/objectives/obj1", s[4].Object.Activity.ID)
				assert.Equal(t, ActivityTypeObjective, s[4].Object.Activity.Definition.Type)
				passed := s[5]
				assert.Equal(t, sco.ID, passed.Object.Activity.ID)
				assert.Equal(t, 0.8, *passed.Result.Score.Scaled)
				term := s[6]
				assert.Equal(t, "PT12M30.5S", term.Result.Duration)
				assert.Equal(t, `"PT1H"`, string(term.Result.Extensions[ExtensionSCORMTotalTime]))
				assert.Equal(t, "2026-05-31T14:12:30.500Z", term.Timestamp)
				assert.Equal(t, "2026-05-31T14:00:00.000Z", s[0].Timestamp)
				ca := term.Context.ContextActivities
				assert.Equal(t, root.Parts[0].ID, ca.Parent[0].ID)
				assert.Equal(t, root.ID, ca.Grouping[0].ID)
				assert.Equal(t, sco.ID+"?attemptId=att-1", ca.Grouping[1].ID)
				assert.Equal(t, CategorySCORMProfile, ca.Category[0].ID)
			},
		},
		{
			name: "1.2 completed, suspended, resumed", version: CMI12,
			snap:  map[string]string{"cmi.core.lesson_status": "completed", "cmi.core.entry": "resume", "cmi.core.exit": "suspend"},
			verbs: []string{"resumed", "completed", "suspended"},
		},
		{
			name: "1.2 incomplete makes no status statement", version: CMI12,
			snap:  map[string]string{"cmi.core.lesson_status": "incomplete"},
			verbs: []string{"initialized", "terminated"},
			check: func(t *testing.T, s []*xapi.Statement) { assert.False(t, *s[1].Result.Completion) },
		},
		{
			name: "2004 failed with interactions of several types", version: CMI2004,
			snap: map[string]string{
				"cmi.completion_status": "completed", "cmi.success_status": "failed",
				"cmi.score.raw": "40", "cmi.score.min": "0", "cmi.score.max": "100", "cmi.score.scaled": "0.4",
				"cmi.session_time": "PT1H2M3S", "cmi.progress_measure": "0.75", "cmi.exit": "normal",
				"cmi.interactions.0.id": "urn:q:fill", "cmi.interactions.0.type": "fill-in",
				"cmi.interactions.0.learner_response": "birdie", "cmi.interactions.0.result": "incorrect",
				"cmi.interactions.0.description":                 "Name one under par",
				"cmi.interactions.0.correct_responses.0.pattern": "eagle",
				"cmi.interactions.0.correct_responses.1.pattern": "birdie",
				"cmi.interactions.0.timestamp":                   "2026-05-31T14:10:00Z",
				"cmi.interactions.1.id":                          "num", "cmi.interactions.1.type": "numeric",
				"cmi.interactions.1.learner_response": "4", "cmi.interactions.1.result": "1",
				"cmi.interactions.1.correct_responses.0.pattern": "3[:]5",
				"cmi.interactions.1.latency":                     "PT20S",
				"cmi.interactions.2.id":                          "seq", "cmi.interactions.2.type": "sequencing",
				"cmi.interactions.2.learner_response": "a[,]b[,]c", "cmi.interactions.2.result": "correct",
				"cmi.interactions.3.id": "lik", "cmi.interactions.3.type": "likert",
				"cmi.interactions.3.learner_response": "agree",
				"cmi.interactions.4.id":               "oth", "cmi.interactions.4.type": "other",
				"cmi.interactions.4.learner_response": "free text",
				"cmi.objectives.0.id":                 "putting", "cmi.objectives.0.success_status": "passed",
				"cmi.objectives.0.score.scaled": "0.9",
				"cmi.objectives.1.id":           "driving", "cmi.objectives.1.completion_status": "completed",
				"cmi.objectives.2.id": "chipping", "cmi.objectives.2.success_status": "unknown",
			},
			verbs: []string{"initialized", "responded", "responded", "responded", "responded", "responded",
				"passed", "completed", "progressed", "completed", "failed", "terminated"},
			check: func(t *testing.T, s []*xapi.Statement) {
				fill := s[1]
				assert.Equal(t, sco.ID+"/interactions/urn:q:fill", fill.Object.Activity.ID)
				assert.Equal(t, []string{"eagle", "birdie"}, fill.Object.Activity.Definition.CorrectResponsesPattern)
				assert.Equal(t, "Name one under par", fill.Object.Activity.Definition.Description["und"])
				assert.False(t, *fill.Result.Success)
				assert.Equal(t, "2026-05-31T14:10:00.000Z", fill.Timestamp)
				assert.Equal(t, "numeric", s[2].Object.Activity.Definition.InteractionType)
				assert.Equal(t, "PT20S", s[2].Result.Duration)
				assert.Equal(t, "a[,]b[,]c", s[3].Result.Response)
				assert.Equal(t, 0.75, *s[8].Result.Score.Scaled)
				assert.Equal(t, 0.4, *s[10].Result.Score.Scaled)
				term := s[11]
				assert.Equal(t, "PT1H2M3S", term.Result.Duration)
				assert.False(t, *term.Result.Success)
				assert.True(t, *term.Result.Completion)
				assert.Equal(t, "2026-05-31T15:02:03.000Z", term.Timestamp)
			},
		},
		{
			name: "2004 scaled computed from raw, min and max", version: CMI2004,
			snap:  map[string]string{"cmi.success_status": "passed", "cmi.score.raw": "15", "cmi.score.min": "10", "cmi.score.max": "20"},
			verbs: []string{"initialized", "passed", "terminated"},
			check: func(t *testing.T, s []*xapi.Statement) { assert.Equal(t, 0.5, *s[1].Result.Score.Scaled) },
		},
		{
			name: "invalid values reported and left out", version: CMI2004,
			snap: map[string]string{
				"cmi.completion_status": "done", "cmi.success_status": "passed",
				"cmi.score.raw": "abc", "cmi.score.scaled": "1.5", "cmi.session_time": "01:00:00",
				"cmi.interactions.0.type": "choice",
				"cmi.interactions.1.id":   "x", "cmi.interactions.1.type": "essay",
				"cmi.interactions.1.timestamp": "yesterday",
				"cmi.objectives.0.id":          "o", "cmi.objectives.0.success_status": "maybe",
				"cmi.foo": "bar", "cmi.exit": "away", "cmi.progress_measure": "2", "cmi.interactions.x.id": "q",
				"cmi.interactions._count": "2",
			},
			verbs: []string{"initialized", "responded", "passed", "terminated"},
			codes: []string{"xapi.cmi.vocabulary", "xapi.cmi.number", "xapi.cmi.range", "xapi.cmi.timeinterval",
				"xapi.cmi.missing", "xapi.cmi.time", "xapi.cmi.unknown-element", "xapi.cmi.index"},
		},
		{
			name: "1.2 bad timespan and score out of range", version: CMI12,
			snap: map[string]string{"cmi.core.session_time": "1:2:3", "cmi.core.score.raw": "120",
				"cmi.core.score.min": "0", "cmi.core.score.max": "100", "cmi.core.lesson_status": "failed"},
			verbs: []string{"initialized", "failed", "terminated"},
			codes: []string{"xapi.cmi.timespan", "xapi.cmi.range"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stmts, rep := FromCMI(tc.snap, tc.version, sco, Options{Actor: learner, Root: root, AttemptID: "att-1", Timestamp: start})
			assert.Equal(t, tc.verbs, verbsOf(stmts))
			var codes []string
			for _, is := range rep.Issues {
				codes = append(codes, is.Code)
				assert.True(t, strings.HasPrefix(is.Code, "xapi.cmi."), is.Code)
			}
			for _, want := range tc.codes {
				assert.Contains(t, codes, want)
			}
			if len(tc.codes) == 0 {
				assert.Empty(t, rep.Issues)
			}
			for _, s := range stmts {
				require.False(t, s.Check(xapi.ValidateOptions{}).HasErrors(), "%+v", s.Check(xapi.ValidateOptions{}))
				require.False(t, s.Check(xapi.ValidateOptions{Version: xapi.Version200}).HasErrors())
				data, err := s.MarshalJSON()
				require.NoError(t, err)
				require.False(t, xapi.Validate(data, xapi.ValidateOptions{}).HasErrors(), string(data))
			}
			if tc.check != nil && len(stmts) == len(tc.verbs) {
				tc.check(t, stmts)
			}
		})
	}
}

func TestFromCMIActor(t *testing.T) {
	_, sco := cmiTree()
	snap := map[string]string{"cmi.learner_id": "u-42", "cmi.learner_name": "Doe, Jane"}
	stmts, rep := FromCMI(snap, CMI2004, sco, Options{HomePage: "https://lms.example.org/"})
	require.Empty(t, rep.Issues)
	require.Len(t, stmts, 2)
	assert.Equal(t, "u-42", stmts[0].Actor.Account.Name)
	assert.Equal(t, xapi.ActivityTypeLesson, stmts[0].Object.Activity.Definition.Type)
	assert.Nil(t, stmts[0].Context.ContextActivities.Parent)

	_, rep = FromCMI(snap, CMI2004, sco, Options{})
	assert.True(t, rep.HasErrors())
	_, rep = FromCMI(snap, "3", sco, Options{})
	assert.Equal(t, "xapi.cmi.version", rep.Issues[0].Code)
	_, rep = FromCMI(snap, CMI12, nil, Options{})
	assert.Equal(t, "xapi.cmi.sco", rep.Issues[0].Code)
}

func TestReadCMISnapshot(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "cmi", "scorm12.json"))
	require.NoError(t, err)
	defer f.Close()
	snap, err := ReadCMISnapshot(f)
	require.NoError(t, err)
	assert.Equal(t, "passed", snap["cmi.core.lesson_status"])
	assert.Equal(t, "85", snap["cmi.core.score.raw"])

	for _, bad := range []string{`[]`, `{"a":"1","a":"2"}`, `{"a":null}`, `{"a":{}}`, `{"a":"1"} x`, `{"a":"1"`} {
		_, err := ReadCMISnapshot(strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
	snap, err = ReadCMISnapshot(strings.NewReader(`{"n":1.5,"b":true}`))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"n": "1.5", "b": "true"}, snap)
}

func TestParseCMIVersion(t *testing.T) {
	v, err := ParseCMIVersion("1.2")
	assert.NoError(t, err)
	assert.Equal(t, CMI12, v)
	v, err = ParseCMIVersion("2004 4th Edition")
	assert.NoError(t, err)
	assert.Equal(t, CMI2004, v)
	_, err = ParseCMIVersion("1.3")
	assert.Error(t, err)
}

func TestCMITimespans(t *testing.T) {
	for in, want := range map[string]time.Duration{"00:00:01": time.Second, "0001:30:05.5": 90*time.Minute + 5500*time.Millisecond, "12:00:00.25": 12*time.Hour + 250*time.Millisecond} {
		d, ok := parseCMITimespan(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, d, in)
	}
	for _, in := range []string{"1:00:00", "00:60:00", "00:00:00.", "00:00:00.123", "aa:00:00", "00:00"} {
		_, ok := parseCMITimespan(in)
		assert.False(t, ok, in)
	}
	for in, want := range map[string]time.Duration{"PT1H2M3.5S": time.Hour + 2*time.Minute + 3500*time.Millisecond, "P1DT1S": 24*time.Hour + time.Second, "PT0,5S": 500 * time.Millisecond} {
		d, ok := isodur.Approx(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, d, in)
	}
	for _, in := range []string{"P", "PT", "1H", "PT1X", "PT5"} {
		_, ok := isodur.Approx(in)
		assert.False(t, ok, in)
	}
}
