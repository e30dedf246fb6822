package xapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/isodur"
)

// assetFixtures reads the valid asset documents of the asset package.
func assetFixtures(t *testing.T) map[string]*asset.Document {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "asset", "testdata", "valid", "*.ota.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]*asset.Document{}
	for _, f := range files {
		fh, err := os.Open(f)
		require.NoError(t, err)
		doc, _, err := asset.Read(fh, asset.ReadOptions{})
		fh.Close()
		require.NoError(t, err, f)
		out[filepath.Base(f)] = doc
	}
	return out
}

func TestActivityID(t *testing.T) {
	for _, tc := range []struct {
		id, base, want string
		derived        bool
	}{
		{"https://academy.unece.org/ota/git", "", "https://academy.unece.org/ota/git", false},
		{"http://example.org/c", "", "http://example.org/c", false},
		{"HTTPS://example.org/c", "", "HTTPS://example.org/c", false},
		// asset.DeriveID("xapi", ID): the UUIDv5 of "4:xapi;45:urn:uuid:…;".
		{"urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7", "", DefaultActivityIDBase + strings.TrimPrefix(asset.DeriveID("xapi", "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7"), "urn:uuid:"), true},
		{"urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7", "https://training.example.org/xapi/", "https://training.example.org/xapi/" + strings.TrimPrefix(asset.DeriveID("xapi", "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7"), "urn:uuid:"), true},
		{"https://example.org/a b", "", DefaultActivityIDBase + strings.TrimPrefix(asset.DeriveID("xapi", "https://example.org/a b"), "urn:uuid:"), true},
		{"tag:example.org,2024:c", "", DefaultActivityIDBase + strings.TrimPrefix(asset.DeriveID("xapi", "tag:example.org,2024:c"), "urn:uuid:"), true},
	} {
		got, derived, err := ActivityID(&asset.Asset{ID: tc.id}, ActivityOptions{IDBase: tc.base})
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, tc.id)
		assert.Equal(t, tc.derived, derived, tc.id)
	}
	// The rule is fixed: this value must never change.
	got, _, err := ActivityID(&asset.Asset{ID: "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7"}, ActivityOptions{})
	require.NoError(t, err)
	assert.Equal(t, "https://w3id.org/ota/activities/"+strings.TrimPrefix(asset.DeriveID("xapi", "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7"), "urn:uuid:"), got)
	assert.Regexp(t, `^https://w3id\.org/ota/activities/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, got)

	_, _, err = ActivityID(nil, ActivityOptions{})
	require.ErrorIs(t, err, ErrNoAsset)
	_, _, err = ActivityID(&asset.Asset{}, ActivityOptions{})
	require.ErrorIs(t, err, ErrNoAsset)
	_, _, err = ActivityID(&asset.Asset{ID: "urn:x:y"}, ActivityOptions{IDBase: "not an iri/"})
	require.Error(t, err)
}

func TestNewActivity(t *testing.T) {
	a := &asset.Asset{ID: "urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7", Kind: asset.KindLesson,
		Title: asset.LangString{"en": "Branches", "fr": "Branches", "es": ""}, Description: asset.LangString{"en": "How to branch"}}
	act, err := NewActivity(a, ActivityOptions{})
	require.NoError(t, err)
	assert.Equal(t, ObjectTypeActivity, act.ObjectType)
	assert.Equal(t, LanguageMap{"en": "Branches", "fr": "Branches"}, act.Definition.Name, "empty texts are left out")
	assert.Equal(t, LanguageMap{"en": "How to branch"}, act.Definition.Description)
	assert.Equal(t, ActivityTypeLesson, act.Definition.Type)
	assert.JSONEq(t, `"urn:uuid:8a03c432-0257-4d54-8dac-55e6a9f4f2b7"`, string(act.Definition.Extensions[ExtensionAssetID]))
	a.Title["en"] = "changed"
	assert.Equal(t, "Branches", act.Definition.Name["en"], "the name is a copy")

	a = &asset.Asset{ID: "https://example.org/c", Kind: asset.KindCourse}
	act, err = NewActivity(a, ActivityOptions{Types: map[asset.Kind]string{asset.KindCourse: "https://example.org/types/course"}})
	require.NoError(t, err)
	assert.Nil(t, act.Definition.Extensions, "no extension when the asset ID is the activity ID")
	assert.Nil(t, act.Definition.Name)
	assert.Equal(t, "https://example.org/types/course", act.Definition.Type)

	for _, k := range asset.Kinds() {
		assert.NotEmpty(t, ActivityType(k), k)
		assert.Empty(t, checkIRI(ActivityType(k)))
	}
	assert.Empty(t, ActivityType("unit"))
}

func TestVerbs(t *testing.T) {
	v := NewVerb(VerbCompleted)
	assert.Equal(t, LanguageMap{"en-US": "completed"}, v.Display)
	v.Display["fr"] = "a terminé"
	assert.Len(t, NewVerb(VerbCompleted).Display, 1, "each verb has its own display map")
	assert.Nil(t, NewVerb("https://example.org/verbs/x").Display)
	for id, name := range verbNames {
		assert.True(t, strings.HasSuffix(id, "/"+name), id)
		assert.Empty(t, checkIRI(id))
	}
	assert.Equal(t, "voided", NewVerb(VerbVoided).Display["en-US"])
}

// TestTemplatesOverFixtures builds every template for every asset of
// every valid asset fixture, in both versions, and checks that each
// statement validates without any issue and relates the asset to its
// tree.
func TestTemplatesOverFixtures(t *testing.T) {
	actor := MboxAgent("Ana", "ana@example.org")
	ts := time.Date(2024, 5, 31, 14, 2, 0, 0, time.FixedZone("CEST", 2*3600))
	for name, doc := range assetFixtures(t) {
		root := &doc.Asset
		n := 0
		for ptr, a := range root.All() {
			chain, err := ancestors(root, a)
			require.NoError(t, err)
			for _, v := range []Version{Version103, Version200} {
				opts := StatementOptions{Root: root, Timestamp: ts, Registration: "6f1e0c3e-9b7d-4c1a-8e2f-3a5b7c9d1e0f",
					Duration: 90 * time.Second, Language: "en", Platform: "OTA tests", Version: v}
				builders := map[string]func() (*Statement, error){
					"experienced": func() (*Statement, error) { return Experienced(actor, a, opts) },
					"attempted":   func() (*Statement, error) { return Attempted(actor, a, opts) },
					"completed":   func() (*Statement, error) { return Completed(actor, a, opts) },
					"passed":      func() (*Statement, error) { return Passed(actor, a, RawScore(8, 0, 10), opts) },
					"failed":      func() (*Statement, error) { return Failed(actor, a, ScaledScore(0.3), opts) },
					"answered":    func() (*Statement, error) { return Answered(actor, a, "true", opts) },
					"progressed":  func() (*Statement, error) { return Progressed(actor, a, 40, opts) },
					"terminated":  func() (*Statement, error) { return AssetStatement(actor, VerbTerminated, a, opts) },
				}
				for verb, build := range builders {
					s, err := build()
					require.NoError(t, err, "%s %s %s", name, ptr, verb)
					rep := s.Check(ValidateOptions{Version: v})
					assert.Empty(t, rep.Issues, "%s %s %s %s", name, ptr, verb, v)
					assert.True(t, strings.HasSuffix(s.Verb.ID, "/"+verb))
					assert.Equal(t, "2024-05-31T12:02:00.000Z", s.Timestamp)
					assert.Equal(t, "PT1M30S", s.Result.Duration)
					want, _, err := ActivityID(a, ActivityOptions{})
					require.NoError(t, err)
					assert.Equal(t, want, s.Object.Activity.ID)
					if len(chain) == 0 {
						assert.Nil(t, s.Context.ContextActivities, "the root has no parent")
						continue
					}
					ca := s.Context.ContextActivities
					parent, _, _ := ActivityID(chain[len(chain)-1], ActivityOptions{})
					require.Len(t, ca.Parent, 1)
					assert.Equal(t, parent, ca.Parent[0].ID)
					require.Len(t, ca.Grouping, len(chain)-1)
					if len(chain) > 1 {
						top, _, _ := ActivityID(root, ActivityOptions{})
						assert.Equal(t, top, ca.Grouping[0].ID, "grouping starts at the root")
					}
				}
			}
			n++
		}
		assert.Positive(t, n)
	}
}

func TestTemplateDetails(t *testing.T) {
	doc := assetFixtures(t)["git-for-official-statistics.ota.json"]
	root := &doc.Asset
	lesson := &root.Parts[0].Parts[0]
	actor := AccountAgent("", "https://lms.example.org", "u-42")
	opts := StatementOptions{Root: root, ID: "5c2f1b0e-8a1d-4f6e-9b3a-1d2e3f4a5b6c", Timestamp: time.Date(2024, 5, 31, 14, 2, 0, 0, time.UTC)}

	s, err := Completed(actor, lesson, opts)
	require.NoError(t, err)
	assert.Equal(t, opts.ID, s.ID)
	assert.Equal(t, true, *s.Result.Completion)
	assert.Equal(t, "completed", s.Verb.Display["en-US"])
	require.NotNil(t, s.Context)
	assert.Equal(t, []string{"https://academy.unece.org/ota/git-for-official-statistics"}, activityIDs(s.Context.ContextActivities.Grouping))
	assert.Equal(t, ActivityTypeModule, s.Context.ContextActivities.Parent[0].Definition.Type)
	assert.Equal(t, ActivityTypeCourse, s.Context.ContextActivities.Grouping[0].Definition.Type)

	s, err = Passed(actor, lesson, RawScore(8, 0, 10), opts)
	require.NoError(t, err)
	assert.Equal(t, 0.8, *s.Result.Score.Scaled)
	assert.Equal(t, true, *s.Result.Success)
	s, err = Failed(actor, lesson, nil, opts)
	require.NoError(t, err)
	assert.Equal(t, false, *s.Result.Success)
	assert.Nil(t, s.Result.Score)
	s, err = Progressed(actor, lesson, 40, opts)
	require.NoError(t, err)
	assert.JSONEq(t, "40", string(s.Result.Extensions[ExtensionProgress]))
	s, err = Answered(actor, lesson, "a[,]b", opts)
	require.NoError(t, err)
	assert.Equal(t, "a[,]b", s.Result.Response)

	// A copy of the asset is found by its ID.
	cp := lesson.Clone()
	s, err = Experienced(actor, cp, opts)
	require.NoError(t, err)
	assert.Len(t, s.Context.ContextActivities.Parent, 1)

	// No Root: no context; no ID or time: new ones.
	s, err = Experienced(actor, lesson, StatementOptions{})
	require.NoError(t, err)
	assert.Nil(t, s.Context)
	assert.Nil(t, s.Result)
	assert.Len(t, s.ID, 36)
	ts, err := ParseTimestamp(s.Timestamp)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), ts, time.Minute)
	s2, err := Experienced(actor, lesson, StatementOptions{})
	require.NoError(t, err)
	assert.NotEqual(t, s.ID, s2.ID)
}

func activityIDs(list []Activity) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func TestTemplateErrors(t *testing.T) {
	a := &asset.Asset{ID: "https://example.org/c", Kind: asset.KindCourse, Title: asset.LangString{"en": "C"}}
	actor := MboxAgent("", "a@example.org")

	_, err := Experienced(actor, nil, StatementOptions{})
	require.ErrorIs(t, err, ErrNoAsset)
	_, err = Experienced(actor, &asset.Asset{}, StatementOptions{})
	require.ErrorIs(t, err, ErrNoAsset)
	_, err = Progressed(actor, a, 101, StatementOptions{})
	require.Error(t, err)
	_, err = Experienced(actor, a, StatementOptions{Duration: -time.Second})
	require.Error(t, err)
	_, err = Experienced(actor, a, StatementOptions{Root: &asset.Asset{ID: "https://example.org/other"}})
	require.ErrorIs(t, err, ErrNotInTree)

	// Statements that do not validate come back with their issues.
	for _, tc := range []struct {
		name string
		run  func() (*Statement, error)
		code string
	}{
		{"no actor", func() (*Statement, error) { return Experienced(nil, a, StatementOptions{}) }, "xapi.actor.missing"},
		{"two IFIs", func() (*Statement, error) {
			return Experienced(&Actor{Mbox: "mailto:a@example.org", OpenID: "https://id.example.org/a"}, a, StatementOptions{})
		}, "xapi.agent.ifi-multiple"},
		{"registration", func() (*Statement, error) { return Experienced(actor, a, StatementOptions{Registration: "42"}) }, "xapi.uuid.invalid"},
		{"score", func() (*Statement, error) { return Passed(actor, a, ScaledScore(1.5), StatementOptions{}) }, "xapi.score.out-of-range"},
		{"language", func() (*Statement, error) { return Experienced(actor, a, StatementOptions{Language: "en_US"}) }, "xapi.language.invalid"},
		{"version", func() (*Statement, error) { return Experienced(actor, a, StatementOptions{Version: "9"}) }, "xapi.options.version"},
	} {
		s, err := tc.run()
		require.Error(t, err, tc.name)
		var ve *ota.ValidationError
		require.True(t, errors.As(err, &ve), tc.name)
		assert.Contains(t, codes(ve.Issues), tc.code, tc.name)
		if tc.code != "xapi.options.version" {
			assert.NotNil(t, s, tc.name)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "PT0S"},
		{time.Millisecond, "PT0S"},
		{5 * time.Millisecond, "PT0.01S"},
		{1500 * time.Millisecond, "PT1.5S"},
		{1234 * time.Millisecond, "PT1.23S"},
		{59*time.Second + 999*time.Millisecond, "PT1M"},
		{90 * time.Second, "PT1M30S"},
		{time.Hour, "PT1H"},
		{time.Hour + 2*time.Minute + 3*time.Second + 450*time.Millisecond, "PT1H2M3.45S"},
		{50 * time.Hour, "PT50H"},
		{-90 * time.Second, "PT1M30S"},
		{time.Duration(-1 << 63), "PT2562047H47M16.85S"},
	} {
		got := FormatDuration(tc.d)
		assert.Equal(t, tc.want, got, tc.d)
		assert.Empty(t, isodur.Check(got), got)
	}
}
