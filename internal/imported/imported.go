// Package imported reads, in one place, the facts that the SCORM and cmi5
// importers keep in their asset extensions and that the other exporters
// honour (a mastery score, whether content was a SCO), so that no codec
// parses another codec's extension itself. The extensions' IRIs are
// defined here; packaging/scorm and packaging/cmi5 export them as their
// ExtensionIRI.
package imported

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/metaacademy/ota/asset"
)

// The extension IRIs of the importers.
const (
	// SCORMExtension keys what packaging/scorm keeps of a package.
	SCORMExtension = "https://metaacademy.github.io/ota/ext/scorm"
	// CMI5Extension keys what packaging/cmi5 keeps of a course.
	CMI5Extension = "https://metaacademy.github.io/ota/ext/cmi5"
)

// MasteryScore returns the mastery score, in [0, 1], that an importer
// recorded for a: a cmi5 AU's masteryScore, else a SCORM 1.2 item's
// masteryscore (0–100, scaled). ok is false when neither is recorded; err
// says why a recorded value is not a score (it is then not used).
func MasteryScore(a *asset.Asset) (score float64, ok bool, err error) {
	if raw, has := a.Extensions[CMI5Extension]; has {
		var e struct {
			MasteryScore *float64 `json:"masteryScore"`
		}
		if json.Unmarshal(raw, &e) == nil && e.MasteryScore != nil {
			if s := *e.MasteryScore; s >= 0 && s <= 1 {
				return s, true, nil
			}
			return 0, false, fmt.Errorf("the cmi5 mastery score %v is not from 0 to 1", *e.MasteryScore)
		}
	}
	if raw, has := a.Extensions[SCORMExtension]; has {
		var e struct {
			MasteryScore string `json:"masteryScore"`
		}
		if json.Unmarshal(raw, &e) != nil || strings.TrimSpace(e.MasteryScore) == "" {
			return 0, false, nil
		}
		f, perr := strconv.ParseFloat(strings.TrimSpace(e.MasteryScore), 64)
		if perr != nil || math.IsNaN(f) || f < 0 || f > 100 {
			return 0, false, fmt.Errorf("the SCORM mastery score %q is not a number from 0 to 100", e.MasteryScore)
		}
		return f / 100, true, nil
	}
	return 0, false, nil
}

// WasSCO reports whether a was imported from a SCORM SCO: content that
// talks to the SCORM API itself.
func WasSCO(a *asset.Asset) bool {
	var e struct {
		ScormType string `json:"scormType"`
	}
	raw, ok := a.Extensions[SCORMExtension]
	return ok && json.Unmarshal(raw, &e) == nil && strings.EqualFold(e.ScormType, "sco")
}
