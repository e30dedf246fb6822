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
