package lrmi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
)

// ContextAMB is the JSON-LD context of the AMB profile, the first entry of
// every document's @context.
const ContextAMB = "https://w3id.org/kim/amb/context.jsonld"

// The terms OTA adds to the AMB context, in a context object of their own
// (AMB allows added terms). Each is another name for a schema.org property,
// used where AMB fixes the shape of the property's usual name: AMB's name,
// description and keywords are plain strings in the document's language,
// so the other languages go in language maps; AMB's license admits five
// families of licences by URL, so other licences are stated under
// spdxLicense. Expanded, the terms are schema:name, schema:description,
// schema:keywords and schema:license, as the usual names are.
const (
	TermNameByLanguage        = "nameByLanguage"
	TermDescriptionByLanguage = "descriptionByLanguage"
	TermKeywordsByLanguage    = "keywordsByLanguage"
	TermSPDXLicense           = "spdxLicense"
)

// Options configure [Marshal]. The zero value is ready to use.
type Options struct {
	// Language is the preferred language of the document: the language of
	// name and description and the @language of the context, when the
	// asset has a title in it (best match). Empty prefers the first of
	// the asset's Languages that has a title, then English.
	Language string
	// URL is the address of the asset's page, written as url.
	URL string
	// Frameworks resolves alignments to framework nodes for their IRIs and
	// names; nil means mapping.Default(). Alignments that do not resolve
	// are written as educationalAlignment only (with the framework and the
	// code as written), since teaches and the like need the node's IRI.
	Frameworks *mapping.Registry
	// Lookup finds an asset by ID, to name the targets of relations (AMB's
	// isBasedOn needs a name). When it is nil or returns nil, the target's
	// IRI is its name.
	Lookup func(id string) *asset.Asset
	// Parent is the asset whose part a is, written as isPartOf; nil for a
	// root.
	Parent *asset.Asset
	// Downloads are files the asset can be downloaded as, written as
	// encoding (schema:MediaObject).
	Downloads []Download
}

// Download is a file an asset can be downloaded as.
type Download struct {
	// URL is the file's absolute URL or URL reference.
	URL string
	// MediaType is its media type ("application/zip").
	MediaType string
	// Size is its length in bytes; 0 leaves it out.
	Size int64
	// SHA256 is its lowercase hexadecimal SHA-256 digest; "" leaves it out.
	SHA256 string
}

// Marshal writes the asset a (not its parts, which are linked by hasPart)
// as one schema.org JSON-LD object in the AMB profile: types
// LearningResource, with Course for programmes and courses and Quiz for
// assessments; name, description and keywords in the document's language
// and in language maps; inLanguage; timeRequired; the license; creator,
// publisher, contributor and funder; teaches, assesses and
// competencyRequired from the alignments of the asset and its objectives
// (framework nodes as DefinedTerm with inDefinedTermSet) and from its
// objectives themselves; educationalAlignment (AlignmentObject) for every
// alignment; isBasedOn, translationOfWork, isPartOf, hasPart and citation
// from relations; hasPart from parts; dates; version; url; encoding from
// opts.Downloads.
//
// The output is indented JSON, deterministic, and safe to embed in an HTML
// script element (<, > and & are escaped). The report holds, as losses,
// what schema.org or the AMB profile cannot carry (the level, the audience
// text, delivery modes of assets that are not courses, some relations,
// languages without an ISO 639-1 code, extensions). The error is non-nil
// only for a nil asset or one without a title.
func Marshal(a *asset.Asset, opts Options) ([]byte, ota.Report, error) {
	var rep ota.Report
	if a == nil {
		return nil, rep, fmt.Errorf("lrmi: nil asset")
	}
	if len(a.Title) == 0 {
		return nil, rep, fmt.Errorf("lrmi: asset %q has no title; schema.org needs a name", a.ID)
	}
	reg := opts.Frameworks
	if reg == nil {
		reg = mapping.Default()
	}
	b := &builder{a: a, opts: opts, reg: reg, rep: &rep}
	d := b.build()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, rep, fmt.Errorf("lrmi: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), rep, nil
}

// builder holds what one Marshal call works with.
type builder struct {
	a    *asset.Asset
	opts Options
	reg  *mapping.Registry
	rep  *ota.Report
	lang string // the document's language, an ISO 639-1 code
}

func (b *builder) loss(ptr, what, why string) {
	b.rep.AddLoss(ota.Loss{Pointer: ptr, What: what, Why: why})
}

// document is the JSON-LD object; the field order is the output order.
type document struct {
	Context               []any               `json:"@context"`
	ID                    string              `json:"id,omitempty"`
	Type                  []string            `json:"type"`
	Name                  string              `json:"name"`
	NameByLanguage        map[string]string   `json:"nameByLanguage,omitempty"`
	Description           string              `json:"description,omitempty"`
	DescriptionByLanguage map[string]string   `json:"descriptionByLanguage,omitempty"`
	Keywords              []string            `json:"keywords,omitempty"`
	KeywordsByLanguage    map[string][]string `json:"keywordsByLanguage,omitempty"`
	InLanguage            []string            `json:"inLanguage,omitempty"`
	LearningResourceType  []concept           `json:"learningResourceType,omitempty"`
	Version               string              `json:"version,omitempty"`
	URL                   string              `json:"url,omitempty"`
	TimeRequired          string              `json:"timeRequired,omitempty"`
	CourseMode            []string            `json:"courseMode,omitempty"`
	License               *ref                `json:"license,omitempty"`
	SPDXLicense           string              `json:"spdxLicense,omitempty"`
	Creator               []agent             `json:"creator,omitempty"`
	Contributor           []agent             `json:"contributor,omitempty"`
	Publisher             []agent             `json:"publisher,omitempty"`
	Funder                []agent             `json:"funder,omitempty"`
	DateCreated           string              `json:"dateCreated,omitempty"`
	DatePublished         string              `json:"datePublished,omitempty"`
	DateModified          string              `json:"dateModified,omitempty"`
	Teaches               []concept           `json:"teaches,omitempty"`
	Assesses              []concept           `json:"assesses,omitempty"`
	CompetencyRequired    []concept           `json:"competencyRequired,omitempty"`
	EducationalAlignment  []alignmentObject   `json:"educationalAlignment,omitempty"`
	CoursePrerequisites   []ref               `json:"coursePrerequisites,omitempty"`
	AccessibilitySummary  []langValue         `json:"accessibilitySummary,omitempty"`
	IsBasedOn             []work              `json:"isBasedOn,omitempty"`
	TranslationOfWork     []ref               `json:"translationOfWork,omitempty"`
	IsPartOf              []work              `json:"isPartOf,omitempty"`
	HasPart               []work              `json:"hasPart,omitempty"`
	Citation              []ref               `json:"citation,omitempty"`
	Encoding              []mediaObject       `json:"encoding,omitempty"`
}

type ref struct {
	ID string `json:"id"`
}

// langValue is a JSON-LD value object with a language.
type langValue struct {
	Value    string `json:"@value"`
	Language string `json:"@language,omitempty"`
}

type concept struct {
	ID               string            `json:"id"`
	Type             string            `json:"type,omitempty"`
	PrefLabel        map[string]string `json:"prefLabel,omitempty"`
	Name             *langValue        `json:"name,omitempty"`
	TermCode         string            `json:"termCode,omitempty"`
	InDefinedTermSet *termSet          `json:"inDefinedTermSet,omitempty"`
}

type termSet struct {
	ID      string     `json:"id"`
	Type    string     `json:"type"`
	Name    *langValue `json:"name,omitempty"`
	Version string     `json:"version,omitempty"`
}

type alignmentObject struct {
	Type                 string     `json:"type"`
	AlignmentType        string     `json:"alignmentType"`
	EducationalFramework string     `json:"educationalFramework"`
	TargetName           *langValue `json:"targetName,omitempty"`
	TargetURL            string     `json:"targetUrl,omitempty"`
	TargetDescription    string     `json:"targetDescription,omitempty"`
}

type agent struct {
	Type        string `json:"type"`
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Email       string `json:"email,omitempty"`
	Affiliation *org   `json:"affiliation,omitempty"`
}

type org struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// work is a related creative work: the target of isBasedOn, isPartOf,
// hasPart.
type work struct {
	ID   string   `json:"id"`
	Type []string `json:"type,omitempty"`
	Name string   `json:"name,omitempty"`
}

type mediaObject struct {
	Type           string `json:"type"`
	ContentURL     string `json:"contentUrl"`
	EncodingFormat string `json:"encodingFormat,omitempty"`
	ContentSize    string `json:"contentSize,omitempty"`
	SHA256         string `json:"sha256,omitempty"`
}

func (b *builder) build() *document {
	a := b.a
	d := &document{ID: a.ID}
	b.lang = b.chooseLanguage()
	d.Type, d.LearningResourceType = types(a.Kind)
	b.texts(d)
	b.languages(d)
	d.Version = a.Version
	d.URL = b.opts.URL
	if dur := a.Duration; !dur.IsZero() {
		d.TimeRequired = dur.String()
	} else if tot := a.TotalDuration(); !tot.IsZero() {
		d.TimeRequired = tot.String()
	}
	b.modes(d)
	b.license(d)
	b.agents(d)
	d.DateCreated, d.DatePublished, d.DateModified = a.Created, a.Published, a.Modified
	b.alignments(d)
	b.prerequisites(d)
	b.relations(d)
	b.parts(d)
	for _, dl := range b.opts.Downloads {
		mo := mediaObject{Type: "MediaObject", ContentURL: dl.URL, EncodingFormat: dl.MediaType, SHA256: dl.SHA256}
		if dl.Size > 0 {
			mo.ContentSize = fmt.Sprint(dl.Size)
		}
		d.Encoding = append(d.Encoding, mo)
	}
	if a.Level != "" {
		b.loss("/level", "the proficiency level", "the AMB profile's educationalLevel admits only the KIM education-level vocabulary (ISCED stages), not proficiency")
	}
	if len(a.Audience) > 0 {
		b.loss("/audience", "the audience description", "schema.org's audience is an Audience object, and the AMB profile admits only concepts of the LRMI audience-role vocabulary")
	}
	if len(a.Extensions) > 0 {
		b.loss("/extensions", fmt.Sprintf("%d extensions", len(a.Extensions)), "extensions are OTA's own; schema.org has no place for them (the OTA document carries them)")
	}
	if len(a.Resources) > 0 {
		b.loss("/resources", fmt.Sprintf("%d resources", len(a.Resources)), "the files an asset is made of are listed in its downloads, not one by one")
	}
	d.Context = b.context(d)
	return d
}

// context returns the @context: AMB's, the document's language and, when
// used, OTA's added terms.
func (b *builder) context(d *document) []any {
	ctx := []any{ContextAMB, map[string]string{"@language": b.lang}}
	terms := map[string]any{}
	if d.NameByLanguage != nil {
		terms[TermNameByLanguage] = map[string]string{"@id": "http://schema.org/name", "@container": "@language"}
	}
	if d.DescriptionByLanguage != nil {
		terms[TermDescriptionByLanguage] = map[string]string{"@id": "http://schema.org/description", "@container": "@language"}
	}
	if d.KeywordsByLanguage != nil {
		terms[TermKeywordsByLanguage] = map[string]string{"@id": "http://schema.org/keywords", "@container": "@language"}
	}
	if d.SPDXLicense != "" {
		terms[TermSPDXLicense] = map[string]string{"@id": "http://schema.org/license", "@type": "@id"}
	}
	if len(terms) > 0 {
		ctx = append(ctx, terms)
	}
	return ctx
}

// types returns the schema.org types and the HCRT learning resource type of
// a kind.
func types(k asset.Kind) ([]string, []concept) {
	switch k {
	case asset.KindProgramme, asset.KindCourse:
		return []string{"LearningResource", "Course"}, []concept{{ID: "https://w3id.org/kim/hcrt/course"}}
	case asset.KindAssessment:
		return []string{"LearningResource", "Quiz"}, []concept{{ID: "https://w3id.org/kim/hcrt/assessment"}}
	}
	return []string{"LearningResource"}, nil
}

// modes writes delivery modes as courseMode, which schema.org defines on
// courses only.
func (b *builder) modes(d *document) {
	if len(b.a.DeliveryModes) == 0 {
		return
	}
	if !slices.Contains(d.Type, "Course") {
		b.loss("/deliveryModes", "the delivery modes", "schema.org's courseMode is defined for courses only")
		return
	}
	names := map[asset.DeliveryMode]string{
		asset.DeliverySelfPaced: "online", asset.DeliveryOnlineLive: "online",
		asset.DeliveryInPerson: "onsite", asset.DeliveryBlended: "blended",
	}
	for _, m := range b.a.DeliveryModes {
		if n, ok := names[m]; ok && !slices.Contains(d.CourseMode, n) {
			d.CourseMode = append(d.CourseMode, n)
		}
	}
}

// license writes the licence as license when AMB admits its URL, else as
// spdxLicense. Of alternatives (OR) the first AMB admits is chosen; other
// licences of the expression are losses.
func (b *builder) license(d *document) {
	ids, alternatives := licenses(b.a.License)
	if len(ids) == 0 {
		return
	}
	pick := 0
	if alternatives {
		for i, id := range ids {
			if AMBLicense(LicenseURL(id)) {
				pick = i
				break
			}
		}
	}
	u := LicenseURL(ids[pick])
	if AMBLicense(u) {
		d.License = &ref{ID: u}
	} else {
		d.SPDXLicense = u
	}
	if len(ids) > 1 {
		why := "schema.org's license names licences, not SPDX expressions; one of the alternatives is stated"
		if !alternatives {
			why = "schema.org's license names licences, not SPDX expressions; the first licence of the conjunction is stated"
		}
		b.loss("/license", fmt.Sprintf("the licence expression %q", b.a.License), why)
	}
}

// agents writes the contributors by role: authors (and contributors without
// a role) as creator, publishers as publisher, funders as funder, everyone
// else as contributor. A contributor of no stated type is an Organization
// when it publishes or funds, else a Person.
func (b *builder) agents(d *document) {
	for _, c := range b.a.Contributors {
		if strings.TrimSpace(c.Name) == "" {
			continue
		}
		ag := agent{Name: c.Name, Email: c.Email}
		switch {
		case c.Type == asset.Organization:
			ag.Type = "Organization"
		case c.Type == asset.Person:
			ag.Type = "Person"
		case slices.Contains(c.Roles, asset.RolePublisher) || slices.Contains(c.Roles, asset.RoleFunder):
			ag.Type = "Organization"
		default:
			ag.Type = "Person"
		}
		if isURI(c.ID) {
			ag.ID = c.ID
		}
		if c.Affiliation != "" && ag.Type == "Person" {
			ag.Affiliation = &org{Type: "Organization", Name: c.Affiliation}
		}
		roles := c.Roles
		if len(roles) == 0 {
			roles = []asset.Role{asset.RoleAuthor}
		}
		other := false
		for _, r := range roles {
			switch r {
			case asset.RoleAuthor:
				d.Creator = appendAgent(d.Creator, ag)
			case asset.RolePublisher:
				d.Publisher = appendAgent(d.Publisher, ag)
			case asset.RoleFunder:
				d.Funder = appendAgent(d.Funder, ag)
			default:
				other = true
			}
		}
		if other {
			d.Contributor = appendAgent(d.Contributor, ag)
		}
	}
}

func appendAgent(list []agent, ag agent) []agent {
	if slices.Contains(list, ag) {
		return list
	}
	return append(list, ag)
}

// prerequisites writes prerequisite assets as coursePrerequisites, which
// schema.org defines on courses.
func (b *builder) prerequisites(d *document) {
	if len(b.a.Prerequisites) == 0 {
		return
	}
	if !slices.Contains(d.Type, "Course") {
		b.loss("/prerequisites", "the prerequisite assets", "schema.org's coursePrerequisites is defined for courses only")
		return
	}
	for _, p := range b.a.Prerequisites {
		if isURI(p) {
			d.CoursePrerequisites = append(d.CoursePrerequisites, ref{ID: p})
		}
	}
}

// relations writes the asset's relations.
func (b *builder) relations(d *document) {
	for i, r := range b.a.Relations {
		if !isURI(r.Target) {
			continue
		}
		ptr := fmt.Sprintf("/relations/%d", i)
		switch r.Type {
		case asset.IsBasedOn, asset.IsVersionOf:
			d.IsBasedOn = appendWork(d.IsBasedOn, b.work(r.Target))
		case asset.IsTranslationOf:
			d.IsBasedOn = appendWork(d.IsBasedOn, b.work(r.Target))
			d.TranslationOfWork = append(d.TranslationOfWork, ref{ID: r.Target})
		case asset.IsPartOf:
			d.IsPartOf = appendWork(d.IsPartOf, b.work(r.Target))
		case asset.HasPart:
			d.HasPart = appendWork(d.HasPart, b.work(r.Target))
		case asset.References:
			d.Citation = append(d.Citation, ref{ID: r.Target})
		default:
			b.loss(ptr, fmt.Sprintf("the relation %s %s", r.Type, r.Target), "schema.org has no property for it")
		}
	}
	if p := b.opts.Parent; p != nil && isURI(p.ID) {
		d.IsPartOf = appendWork(d.IsPartOf, b.describe(p))
	}
}

// parts links the asset's parts by hasPart.
func (b *builder) parts(d *document) {
	for i := range b.a.Parts {
		if p := &b.a.Parts[i]; isURI(p.ID) {
			d.HasPart = appendWork(d.HasPart, b.describe(p))
		}
	}
}

// work describes the asset with the given ID, found by opts.Lookup, or
// names it by its IRI.
func (b *builder) work(id string) work {
	if b.opts.Lookup != nil {
		if x := b.opts.Lookup(id); x != nil {
			w := b.describe(x)
			w.ID = id
			return w
		}
	}
	return work{ID: id, Name: id}
}

// describe returns a related asset's ID, types and name in the document's
// language (or its best substitute).
func (b *builder) describe(x *asset.Asset) work {
	t, _ := types(x.Kind)
	name, _, _ := x.Title.Best(b.lang)
	if name == "" {
		name = x.ID
	}
	return work{ID: x.ID, Type: t, Name: name}
}

func appendWork(list []work, w work) []work {
	for _, o := range list {
		if o.ID == w.ID {
			return list
		}
	}
	return append(list, w)
}
