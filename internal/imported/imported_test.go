package imported

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/metaacademy/ota/asset"
)

func TestMasteryScore(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ext   map[string]json.RawMessage
		score float64
		ok    bool
		err   bool
	}{
		{"none", nil, 0, false, false},
		{"cmi5", map[string]json.RawMessage{CMI5Extension: json.RawMessage(`{"masteryScore":0.8}`)}, 0.8, true, false},
		{"cmi5 out of range", map[string]json.RawMessage{CMI5Extension: json.RawMessage(`{"masteryScore":1.5}`)}, 0, false, true},
		{"scorm", map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"masteryScore":" 70 "}`)}, 0.7, true, false},
		{"scorm not a number", map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"masteryScore":"high"}`)}, 0, false, true},
		{"scorm without one", map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"identifier":"i"}`)}, 0, false, false},
		{"cmi5 wins", map[string]json.RawMessage{CMI5Extension: json.RawMessage(`{"masteryScore":0.9}`), SCORMExtension: json.RawMessage(`{"masteryScore":"50"}`)}, 0.9, true, false},
		{"cmi5 without one, scorm's", map[string]json.RawMessage{CMI5Extension: json.RawMessage(`{"id":"x"}`), SCORMExtension: json.RawMessage(`{"masteryScore":"50"}`)}, 0.5, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok, err := MasteryScore(&asset.Asset{Extensions: tc.ext})
			assert.Equal(t, tc.ok, ok)
			assert.InDelta(t, tc.score, s, 1e-9)
			assert.Equal(t, tc.err, err != nil, "%v", err)
		})
	}
}

func TestWasSCO(t *testing.T) {
	assert.True(t, WasSCO(&asset.Asset{Extensions: map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"scormType":"SCO"}`)}}))
	assert.False(t, WasSCO(&asset.Asset{Extensions: map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"scormType":"asset"}`)}}))
	assert.False(t, WasSCO(&asset.Asset{}))
}

func TestLaunchURL(t *testing.T) {
	launch := []asset.Resource{{Path: "shared/launch page.html", Role: asset.RoleLaunch}}
	for _, tc := range []struct {
		name string
		res  []asset.Resource
		ext  map[string]json.RawMessage
		want string
		ok   bool
	}{
		{"nothing recorded", launch, nil, "", false},
		{"scorm item with parameters", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"shared/launch%20page.html?questions=Playing"}`)}, "shared/launch%20page.html?questions=Playing", true},
		{"scorm fragment only", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"shared/launch%20page.html#p2"}`)}, "shared/launch%20page.html#p2", true},
		{"scorm without query", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"shared/launch%20page.html"}`)}, "", false},
		{"another file", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"other.html?x=1"}`)}, "", false},
		{"absolute", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"https://example.org/shared/launch%20page.html?x=1"}`)}, "", false},
		{"launch page unwrapped", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"ota-scorm/launch.html?content=shared%2Flaunch+page.html%3Fq%3D1&v=2004"}`)}, "shared/launch page.html?q=1", true},
		{"adapter unwrapped", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"ota-scorm/adapter.html?sco=shared%2Flaunch%20page.html%3Fcontent%3Dplaying&v=1.2"}`)}, "shared/launch page.html?content=playing", true},
		{"cmi5 AU url", launch, map[string]json.RawMessage{CMI5Extension: json.RawMessage(`{"type":"au","url":"shared/launch%20page.html?lang=fr"}`)}, "shared/launch%20page.html?lang=fr", true},
		{"cmi5 block", launch, map[string]json.RawMessage{CMI5Extension: json.RawMessage(`{"type":"block","url":"shared/launch%20page.html?lang=fr"}`)}, "", false},
		{"no launch resource", []asset.Resource{{Path: "shared/launch page.html", Role: asset.RoleSupporting}}, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`{"launch":"shared/launch%20page.html?x=1"}`)}, "", false},
		{"unreadable extension", launch, map[string]json.RawMessage{SCORMExtension: json.RawMessage(`[1]`)}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, ok := LaunchURL(&asset.Asset{Resources: tc.res, Extensions: tc.ext})
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, u)
		})
	}
}
