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
	"net/url"
	"path"
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

// LaunchURL returns the URL, relative to the package root, that an
// importer recorded as launching a, when it launches a's launch resource
// with a query or a fragment: a SCORM item's launch URL (the xml:base
// chain, the resource href with its query, the item's parameters joined
// as the SCORM CAM says), or a cmi5 AU's relative url. When the recorded
// URL is a launch page that shows a's launch resource (its "content" or
// "sco" query parameter names it, as OTA's own launch pages do), the value
// of that parameter is returned. Exporters launch the returned URL instead
// of the bare path of the launch resource, so that parameters such as
// "?questions=Playing" reach every target. ok is false when nothing is
// recorded, the URL is absolute, it has neither query nor fragment, or it
// does not launch a's launch resource.
func LaunchURL(a *asset.Asset) (u string, ok bool) {
	launch := ""
	for _, r := range a.Resources {
		if r.Role == asset.RoleLaunch {
			launch = r.Path
			break
		}
	}
	if launch == "" {
		return "", false
	}
	for _, rec := range recordedURLs(a) {
		if u, ok := launching(rec, launch, 2); ok {
			return u, true
		}
	}
	return "", false
}

// LaunchQuery returns the query and fragment of [LaunchURL] ("?a=1#p"),
// or "" when there is none: what to append to the path of a's launch
// resource to launch it as its importer did.
func LaunchQuery(a *asset.Asset) string {
	u, ok := LaunchURL(a)
	if !ok {
		return ""
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[i:]
	}
	return ""
}

// recordedURLs returns the launch URLs the importers' extensions of a
// hold: the cmi5 AU url first, then the SCORM item's launch URL.
func recordedURLs(a *asset.Asset) []string {
	var out []string
	if raw, ok := a.Extensions[CMI5Extension]; ok {
		var e struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Type == "au" && e.URL != "" {
			out = append(out, e.URL)
		}
	}
	if raw, ok := a.Extensions[SCORMExtension]; ok {
		var e struct {
			Launch string `json:"launch"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Launch != "" {
			out = append(out, e.Launch)
		}
	}
	return out
}

// launching returns rec when it launches the file launch with a query or
// a fragment, or the value of its content or sco parameter when that
// does (a launch page showing launch); depth bounds the unwrapping.
func launching(rec, launch string, depth int) (string, bool) {
	u, err := url.Parse(rec)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	if path.Clean(u.Path) == path.Clean(launch) {
		if u.RawQuery == "" && u.Fragment == "" {
			return "", false
		}
		return rec, true
	}
	if depth == 0 {
		return "", false
	}
	q := u.Query()
	for _, name := range []string{"content", "sco"} {
		if v := q.Get(name); v != "" {
			if inner, ok := launching(v, launch, depth-1); ok {
				return inner, true
			}
		}
	}
	return "", false
}
