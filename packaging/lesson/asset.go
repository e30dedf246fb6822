package lesson

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/iri"
)

// ExtensionIRI keys the asset extension that keeps what the asset model
// has no member for: an [Ext] value.
const ExtensionIRI = "https://metaacademy.github.io/ota/ext/lesson"

// Ext is the value kept under [ExtensionIRI] in the assets [Lesson.Asset]
// makes. Texts are in the lesson's language (the asset's Languages).
type Ext struct {
	// Type is "lesson" on the course, "episode" on an episode's asset and
	// "challenge" on a challenge's.
	Type string `json:"type"`
	// File is the source page of an episode or challenge.
	File string `json:"file,omitempty"`
	// Carpentry is config.yaml's carpentry (swc, dc, lc, cp, incubator…).
	Carpentry string `json:"carpentry,omitempty"`
	// LifeCycle is config.yaml's life_cycle.
	LifeCycle string `json:"lifeCycle,omitempty"`
	// Branch is config.yaml's branch.
	Branch string `json:"branch,omitempty"`
	// URL is config.yaml's url, the published site.
	URL string `json:"url,omitempty"`
	// Contact is config.yaml's contact.
	Contact string `json:"contact,omitempty"`
	// License is the licence as config.yaml writes it.
	License string `json:"license,omitempty"`
	// Created is config.yaml's created when it is not an RFC 3339 date.
	Created string `json:"created,omitempty"`
	// Prerequisites are the texts of the index page's prerequisite
	// blocks (the asset's prerequisites are asset IDs, not text).
	Prerequisites []string `json:"prerequisites,omitempty"`
	// Teaching and Exercises are an episode's minutes as its front matter
	// gives them; the asset's duration is their sum.
	Teaching *int `json:"teaching,omitempty"`
	// Exercises is the episode's exercise time in minutes.
	Exercises *int `json:"exercises,omitempty"`
	// Questions are the episode's questions block items.
	Questions []string `json:"questions,omitempty"`
	// Keypoints are the episode's keypoints block items.
	Keypoints []string `json:"keypoints,omitempty"`
	// Anchor is the id of a challenge's section in its episode's page.
	Anchor string `json:"anchor,omitempty"`
	// Line is the line of a challenge's opening fence in File.
	Line int `json:"line,omitempty"`
}

// convert maps the lesson onto an asset tree (see [Lesson.Asset]), with
// the losses and the problems met while rendering.
func (l *Lesson) convert() (*asset.Asset, ota.Report) {
	var rep ota.Report
	key := l.Source
	if key == "" {
		key = l.Title
	}
	css := resource(Stylesheet, stylesheet, asset.RoleSupporting)
	course := asset.Asset{
		ID:          asset.DeriveID("lesson", key),
		Kind:        asset.KindCourse,
		Title:       l.text(l.Title),
		Description: l.text(l.Description),
		Audience:    l.text(l.Audience),
		License:     l.License,
	}
	if l.Language != "und" {
		course.Languages = []string{l.Language}
	}
	if len(l.Keywords) > 0 {
		course.Keywords = asset.LangList{l.Language: l.Keywords}
	}
	ext := Ext{Type: "lesson", Carpentry: l.Carpentry, LifeCycle: l.LifeCycle, Branch: l.Branch, URL: l.URL,
		Contact: l.Contact, License: l.LicenseText, Prerequisites: l.Prerequisites}
	if _, err := time.Parse(time.DateOnly, l.Created); err == nil {
		course.Created = l.Created
	} else {
		ext.Created = l.Created
	}
	for i, name := range l.Authors {
		course.Contributors = append(course.Contributors, asset.Contributor{Name: name, Type: asset.Person,
			Roles: []asset.Role{asset.RoleAuthor}, Email: l.AuthorEmails[i]})
	}
	course.Relations = relations(l.BasedOn)
	for _, u := range []string{l.Source, l.URL} {
		if u != "" && iri.CheckAbsolute(u) == nil {
			course.Relations = append(course.Relations, asset.Relation{Type: asset.IsFormatOf, Target: u})
		}
	}
	course.Extensions = extValue(ext)
	course.Resources = append(course.Resources, css)
	var pageFiles []string
	for _, ep := range l.Pages {
		switch {
		case ep.Page != "":
			course.Resources = append(course.Resources, l.pageResource(ep, nil, asset.RoleSupporting, &rep))
			for _, f := range ep.Files {
				if !slices.Contains(pageFiles, f) {
					pageFiles = append(pageFiles, f)
				}
			}
		case ep.Section == "instructors":
			rep.AddLoss(ota.Loss{Code: "lesson.lost.instructor-page", Pointer: ep.File, What: "instructor page", Why: "pages for instructors are not packaged for learners"})
		}
		l.pageLosses(ep, &rep)
	}
	course.Resources = append(course.Resources, l.fileResources(pageFiles)...)
	var total asset.Duration
	for _, ep := range l.Episodes {
		a := l.episodeAsset(ep, key, css, &rep)
		total = total.Add(a.Duration)
		course.Parts = append(course.Parts, a)
	}
	course.Duration = total.Normalize()
	return &course, rep
}

func (l *Lesson) episodeAsset(ep *Episode, key string, css asset.Resource, rep *ota.Report) asset.Asset {
	a := asset.Asset{
		ID:        asset.DeriveID("lesson", key, ep.File),
		Kind:      asset.KindLesson,
		Title:     l.text(ep.Title),
		Duration:  asset.Duration{Minutes: int64(ep.Teaching + ep.Exercises)},
		Relations: relations(ep.BasedOn),
	}
	for i, o := range ep.Objectives {
		if o != "" {
			a.Objectives = append(a.Objectives, asset.Objective{ID: "obj-" + strconv.Itoa(i+1), Text: l.text(o)})
		}
	}
	teaching, exercises := ep.Teaching, ep.Exercises
	a.Extensions = extValue(Ext{Type: "episode", File: ep.File, Teaching: &teaching, Exercises: &exercises,
		Questions: ep.Questions, Keypoints: ep.Keypoints})
	a.Resources = append(a.Resources, l.pageResource(ep, nil, asset.RoleLaunch, rep), css)
	a.Resources = append(a.Resources, l.fileResources(ep.Files)...)
	l.pageLosses(ep, rep)
	for i, b := range ep.challenges {
		n := strconv.Itoa(i + 1)
		title := b.Title
		if title == "" {
			title = kindLabel(l.Language, "challenge") + " " + n
			rep.Add(ota.Issue{Pointer: ep.File, Line: b.Line, Code: "lesson.challenge.untitled", Severity: ota.Warning,
				Message: "the challenge starts with no heading; its activity is titled " + quote(title) + " — start it with a ## heading"})
		}
		c := asset.Asset{
			ID:         asset.DeriveID("lesson", key, ep.File, "challenge-"+n),
			Kind:       asset.KindActivity,
			Title:      l.text(title),
			Extensions: extValue(Ext{Type: "challenge", File: ep.File, Anchor: b.ID, Line: b.Line}),
		}
		c.Resources = append(c.Resources, l.pageResource(ep, b, asset.RoleLaunch, rep), css)
		c.Resources = append(c.Resources, l.fileResources(b.files)...)
		a.Parts = append(a.Parts, c)
	}
	return a
}

// pageLosses reports what a page's rendering leaves out.
func (l *Lesson) pageLosses(ep *Episode, rep *ota.Report) {
	if ep.doc.htmlDrop > 0 {
		rep.AddLoss(ota.Loss{Code: "lesson.lost.raw-html", Pointer: ep.File, What: strconv.Itoa(ep.doc.htmlDrop) + " raw HTML fragment(s)",
			Why: "raw HTML is not passed into the rendered page, for safety"})
	}
	if ep.doc.rmdChunks > 0 {
		rep.AddLoss(ota.Loss{Code: "lesson.lost.rmd-output", Pointer: ep.File, What: "the output of " + strconv.Itoa(ep.doc.rmdChunks) + " R Markdown chunk(s)",
			Why: "chunks need executing with R; the page shows their source only"})
	}
}

func (l *Lesson) text(s string) asset.LangString {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return asset.LangString{l.Language: s}
}

func (l *Lesson) pageResource(ep *Episode, b *Block, role asset.ResourceRole, rep *ota.Report) asset.Resource {
	p := ep.Page
	if b != nil {
		p = b.page
	}
	html, err := l.render(ep, b)
	if err != nil {
		rep.Add(ota.Issue{Pointer: ep.File, Code: "lesson.render", Severity: ota.Error, Message: "the page cannot be rendered: " + err.Error()})
	}
	return resource(p, html, role)
}

func resource(p string, data []byte, role asset.ResourceRole) asset.Resource {
	sum := sha256.Sum256(data)
	return asset.Resource{Path: p, MediaType: mediaType(p), Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Role: role}
}

// fileResources lists referenced lesson files: images, audio and video
// with the media role, style sheets, scripts and HTML as supporting, the
// rest as data.
func (l *Lesson) fileResources(files []string) []asset.Resource {
	var out []asset.Resource
	for _, f := range files {
		ref := l.files[f]
		if ref == nil {
			continue
		}
		role := asset.RoleData
		switch {
		case strings.HasPrefix(ref.mediaType, "image/"), strings.HasPrefix(ref.mediaType, "audio/"), strings.HasPrefix(ref.mediaType, "video/"):
			role = asset.RoleMedia
		case ref.mediaType == "text/css", ref.mediaType == "text/javascript", ref.mediaType == "text/html":
			role = asset.RoleSupporting
		}
		out = append(out, asset.Resource{Path: f, MediaType: ref.mediaType, Size: ref.size, SHA256: ref.sha256, Role: role})
	}
	return out
}

func relations(targets []string) []asset.Relation {
	var out []asset.Relation
	for _, t := range targets {
		if iri.CheckAbsolute(t) == nil {
			out = append(out, asset.Relation{Type: asset.IsBasedOn, Target: t})
		}
	}
	return out
}

func extValue(e Ext) map[string]json.RawMessage {
	b, err := json.Marshal(e)
	if err != nil {
		return nil // plain data: cannot happen
	}
	return map[string]json.RawMessage{ExtensionIRI: b}
}
