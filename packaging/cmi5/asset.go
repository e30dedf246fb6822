package cmi5

import (
	"encoding/json"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/mediatype"
)

// activityAssessment is the xAPI activity type that maps to an
// assessment.
const activityAssessment = "http://adlnet.gov/expapi/activities/assessment"

// Ext is the value kept under [ExtensionIRI] in an imported asset: the
// cmi5 facts the asset model has no member for.
type Ext struct {
	// ID is the cmi5 IRI of the course, block or AU.
	ID string `json:"id"`
	// Type is "course", "block" or "au".
	Type string `json:"type"`
	// URL is the AU's launch URL as written.
	URL string `json:"url,omitempty"`
	// LaunchMethod is the AU's launch method.
	LaunchMethod string `json:"launchMethod,omitempty"`
	// MoveOn is the AU's moveOn criterion.
	MoveOn string `json:"moveOn,omitempty"`
	// MasteryScore is the AU's mastery score, when given.
	MasteryScore *float64 `json:"masteryScore,omitempty"`
	// ActivityType is the AU's xAPI activity type, when given.
	ActivityType string `json:"activityType,omitempty"`
	// LaunchParameters are the AU's launch parameters, when given.
	LaunchParameters string `json:"launchParameters,omitempty"`
	// EntitlementKey is the AU's entitlement key, when given.
	EntitlementKey string `json:"entitlementKey,omitempty"`
	// Objectives are the IRIs of the objectives referenced.
	Objectives []string `json:"objectives,omitempty"`
	// Extra are the extensions of the course, block or au element
	// ([Course.Extra], [Block.Extra], [AU.Extra]).
	Extra *Extensions `json:"extra,omitempty"`
	// StructureExtra are the extensions of the courseStructure element
	// ([Course.StructureExtra]), on the course's Ext.
	StructureExtra *Extensions `json:"structureExtra,omitempty"`
	// ObjectiveDescriptions are the descriptions of the course's
	// objectives, by objective IRI, on the course's Ext: an asset
	// objective has one text, which is the cmi5 title, so the description
	// is kept here and written back on export.
	ObjectiveDescriptions map[string]asset.LangString `json:"objectiveDescriptions,omitempty"`
}

// Asset maps the course to an asset tree: the course becomes a course,
// each block a module and each AU a lesson (an assessment when its
// activity type is the xAPI assessment type). IDs are derived from the
// cmi5 IRIs with [asset.DeriveID]("cmi5", courseID[, itemID]). A relative
// AU URL becomes the lesson's launch resource, resolved against
// [Course.Base]; an absolute one becomes a references relation. The cmi5
// facts, extension elements and attributes included, are kept as an [Ext]
// under [ExtensionIRI] of the course, block or AU they belong to. The
// report lists what the asset model cannot hold as losses.
func (c *Course) Asset() (*asset.Asset, ota.Report) {
	var rep ota.Report
	objs := map[string]Objective{}
	a := &asset.Asset{
		ID:          asset.DeriveID("cmi5", c.ID),
		Kind:        asset.KindCourse,
		Title:       cloneLS(c.Title),
		Description: cloneLS(c.Description),
	}
	var descs map[string]asset.LangString
	for _, o := range c.Objectives {
		objs[o.ID] = o
		a.Objectives = append(a.Objectives, toObjective(o))
		if len(o.Title) > 0 && len(o.Description) > 0 {
			if descs == nil {
				descs = map[string]asset.LangString{}
			}
			descs[o.ID] = cloneLS(o.Description)
		}
	}
	setExt(a, Ext{ID: c.ID, Type: "course", Extra: c.Extra.orNil(), StructureExtra: c.StructureExtra.orNil(), ObjectiveDescriptions: descs})
	a.Parts = c.parts(c.Items, objs, &rep)
	return a, rep
}

func (c *Course) parts(items []Item, objs map[string]Objective, rep *ota.Report) []asset.Asset {
	var out []asset.Asset
	for _, it := range items {
		switch {
		case it.Block != nil:
			b := it.Block
			m := asset.Asset{
				ID:          asset.DeriveID("cmi5", c.ID, b.ID),
				Kind:        asset.KindModule,
				Title:       cloneLS(b.Title),
				Description: cloneLS(b.Description),
				Objectives:  refObjectives(b.Objectives, objs),
			}
			setExt(&m, Ext{ID: b.ID, Type: "block", Objectives: b.Objectives, Extra: b.Extra.orNil()})
			m.Parts = c.parts(b.Items, objs, rep)
			out = append(out, m)
		case it.AU != nil:
			out = append(out, c.auAsset(it.AU, objs))
		}
	}
	return out
}

func (c *Course) auAsset(au *AU, objs map[string]Objective) asset.Asset {
	kind := asset.KindLesson
	if au.ActivityType == activityAssessment {
		kind = asset.KindAssessment
	}
	l := asset.Asset{
		ID:          asset.DeriveID("cmi5", c.ID, au.ID),
		Kind:        kind,
		Title:       cloneLS(au.Title),
		Description: cloneLS(au.Description),
		Objectives:  refObjectives(au.Objectives, objs),
	}
	if rel, ok := relativePath(au.URL); ok {
		if content, ok := launchPageContent(au.URL, rel); ok {
			rel = content // OTA's launch page: the content is what it shows
		}
		p := rel
		if c.Base != "" && c.Base != "." {
			p = path.Join(c.Base, rel)
		}
		l.Resources = []asset.Resource{{Path: p, Role: asset.RoleLaunch, MediaType: mediaType(p)}}
	} else if checkIRI(au.URL) == nil {
		l.Relations = []asset.Relation{{Type: asset.References, Target: au.URL}}
	}
	setExt(&l, Ext{
		ID: au.ID, Type: "au", URL: au.URL, LaunchMethod: au.LaunchMethod, MoveOn: au.MoveOn,
		MasteryScore: au.MasteryScore, ActivityType: au.ActivityType, LaunchParameters: au.LaunchParameters,
		EntitlementKey: au.EntitlementKey, Objectives: au.Objectives, Extra: au.Extra.orNil(),
	})
	return l
}

// mediaType is the media type of an AU's launch file, "" when unknown.
func mediaType(p string) string { return mediatype.Of(p) }

func refObjectives(ids []string, objs map[string]Objective) []asset.Objective {
	var out []asset.Objective
	for _, id := range ids {
		if o, ok := objs[id]; ok {
			out = append(out, toObjective(o))
		}
	}
	return out
}

func toObjective(o Objective) asset.Objective {
	text := cloneLS(o.Title)
	if len(text) == 0 {
		text = cloneLS(o.Description)
	}
	return asset.Objective{ID: o.ID, Text: text}
}

func setExt(a *asset.Asset, e Ext) {
	raw, err := json.Marshal(e)
	if err != nil {
		return
	}
	a.Extensions = map[string]json.RawMessage{ExtensionIRI: raw}
}

func cloneLS(s asset.LangString) asset.LangString {
	if len(s) == 0 {
		return nil
	}
	out := make(asset.LangString, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

// launchPageContent returns the content file that a URL of OTA's own
// launch page ([LaunchPage]?content=…) shows.
func launchPageContent(raw, rel string) (string, bool) {
	if rel != LaunchPage {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	c := u.Query().Get("content")
	if i := strings.IndexAny(c, "?#"); i >= 0 {
		c = c[:i] // the content's own query, which Ext.URL keeps
	}
	if c == "" || !fs.ValidPath(c) {
		return "", false
	}
	return c, true
}
