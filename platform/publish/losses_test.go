package publish

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/metaacademy/ota"
)

func TestLossesKeepFirstExamplesAndCountAll(t *testing.T) {
	s := &site{losses: map[string]*lossGroup{}}
	// Trees finish in any order: the examples are the first by location
	// whatever the order losses arrive in.
	for _, i := range []int{7, 3, 9, 0, 5, 1, 8, 2, 6, 4} {
		loc := fmt.Sprintf("c%d.ota.json", i)
		s.addLosses([]ota.Loss{
			{Code: "scorm.lost.relations", Pointer: loc + " (SCORM 1.2)"},
			{Code: "lrmi.lost.x", Pointer: loc + " (JSON-LD)"},
		})
	}
	s.addLosses([]ota.Loss{{Code: "lrmi.lost.x", Pointer: "a (JSON-LD)"}, {Code: "lrmi.lost.y", Pointer: "a (JSON-LD)"}})
	examples, counts := s.lossResult()
	assert.Equal(t, []LossCount{{"lrmi.lost.x", 11}, {"lrmi.lost.y", 1}, {"scorm.lost.relations", 10}}, counts)
	var got []string
	for _, l := range examples {
		got = append(got, l.Code+" "+l.Pointer)
	}
	assert.Equal(t, []string{
		"lrmi.lost.x a (JSON-LD)", "lrmi.lost.y a (JSON-LD)",
		"lrmi.lost.x c0.ota.json (JSON-LD)", "scorm.lost.relations c0.ota.json (SCORM 1.2)",
		"lrmi.lost.x c1.ota.json (JSON-LD)", "scorm.lost.relations c1.ota.json (SCORM 1.2)",
		"lrmi.lost.x c2.ota.json (JSON-LD)", "scorm.lost.relations c2.ota.json (SCORM 1.2)",
		"lrmi.lost.x c3.ota.json (JSON-LD)", "scorm.lost.relations c3.ota.json (SCORM 1.2)",
		"scorm.lost.relations c4.ota.json (SCORM 1.2)",
	}, got)
}
