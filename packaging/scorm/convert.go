package scorm

import (
	"encoding/json"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/mediatype"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// ExtensionIRI keys the asset extension that keeps what the asset model
// cannot hold of a SCORM package (identifiers, launch URLs, parameters,
// sequencing, shared data maps, ADL item elements, raw LOM), so that an
// exporter can restore it.
const ExtensionIRI = "https://metaacademy.github.io/ota/ext/scorm"

// courseExt is the extension value of the course asset.
type courseExt struct {
	Version              Version         `json:"version"`
	Manifest             string          `json:"manifest"`
	ManifestVersion      string          `json:"manifestVersion,omitempty"`
	Base                 string          `json:"base,omitempty"`
	SchemaLocation       string          `json:"schemaLocation,omitempty"`
	ResourcesBase        string          `json:"resourcesBase,omitempty"`
	Organization         string          `json:"organization"`
	Title                string          `json:"title,omitempty"`
	Structure            string          `json:"structure,omitempty"`
	Attrs                []xmlnode.Attr  `json:"attrs,omitempty"`
	Sequencing           *xmlnode.Node   `json:"sequencing,omitempty"`
	SequencingCollection []*xmlnode.Node `json:"sequencingCollection,omitempty"`
	Metadata             *Metadata       `json:"metadata,omitempty"`
	OrgMetadata          *Metadata       `json:"organizationMetadata,omitempty"`
	Extra                []*xmlnode.Node `json:"extra,omitempty"`
	Resources            []*resExt       `json:"resources,omitempty"`
	OtherOrganizations   []string        `json:"otherOrganizations,omitempty"`
	// Unlisted are the package files no resource of the manifest lists
	// (control documents, stray files); they are the course's own
	// resources, so that nothing of the package is lost.
	Unlisted []string `json:"unlisted,omitempty"`
}

// itemExt is the extension value of an item's asset.
type itemExt struct {
	Identifier          string          `json:"identifier"`
	Title               string          `json:"title,omitempty"`
	IdentifierRef       string          `json:"identifierref,omitempty"`
	IsVisible           *bool           `json:"isvisible,omitempty"`
	Parameters          string          `json:"parameters,omitempty"`
	LaunchURL           string          `json:"launch,omitempty"`
	ScormType           string          `json:"scormType,omitempty"`
	Prerequisites       string          `json:"prerequisites,omitempty"`
	PrerequisitesType   string          `json:"prerequisitesType,omitempty"`
	MaxTimeAllowed      string          `json:"maxTimeAllowed,omitempty"`
	TimeLimitAction     string          `json:"timeLimitAction,omitempty"`
	DataFromLMS         string          `json:"dataFromLMS,omitempty"`
	MasteryScore        string          `json:"masteryScore,omitempty"`
	CompletionThreshold *xmlnode.Node   `json:"completionThreshold,omitempty"`
	Data                *xmlnode.Node   `json:"data,omitempty"`
	Sequencing          *xmlnode.Node   `json:"sequencing,omitempty"`
	Presentation        *xmlnode.Node   `json:"presentation,omitempty"`
	Metadata            *Metadata       `json:"metadata,omitempty"`
	Extra               []*xmlnode.Node `json:"extra,omitempty"`
}

// resExt records a resource as written, for exporters.
type resExt struct {
	Identifier string   `json:"identifier"`
	Type       string   `json:"type,omitempty"`
	ScormType  string   `json:"scormType,omitempty"`
	Href       string   `json:"href,omitempty"`
	Base       string   `json:"base,omitempty"`
	Files      []string `json:"files,omitempty"`
	// FileMetadata is the metadata of the files that have some, by the
	// file's index in Files.
	FileMetadata map[string]*Metadata `json:"fileMetadata,omitempty"`
	Dependencies []string             `json:"dependencies,omitempty"`
	Metadata     *Metadata            `json:"metadata,omitempty"`
	Extra        []*xmlnode.Node      `json:"extra,omitempty"`
}

// convert converts the package's default organization into an asset tree:
// the organization becomes a course, items with child items modules, leaf
// items lessons (SCO) or activities (asset), their resources (with
// dependencies) the leaf's resources, the launch file with the launch
// role. Metadata from LOM fills title, description, keywords, languages
// and duration. IDs are derived with asset.DeriveID, so the same package
// gives the same tree. What the model cannot hold is kept under
// [ExtensionIRI]; what is not carried over at all is listed in the
// report's Losses. A package without organizations (a resource package)
// gives a course holding the package's files and no parts, with a warning.
func (p *Package) convert() (*asset.Asset, ota.Report) {
	var rep ota.Report
	sizes := map[string]int64{}
	for _, f := range p.Files {
		sizes[f.Name] = f.Size
	}
	c := &converter{p: p, rep: &rep, sizes: sizes}
	o, resourcesOnly := p.Default(), false
	if o == nil {
		resourcesOnly = true
		// A resource package: legal, with files but nothing to launch.
		rep.Add(ota.Issue{Pointer: "manifest/organizations[0]", Code: "scorm.convert.no-organization", Severity: ota.Warning,
			Message: "the package has no organization (a resource package): the asset holds its files but has no parts"})
		o = &Organization{Identifier: "", Title: p.Identifier, Pointer: "manifest"}
	}
	course := asset.Asset{
		ID:    asset.DeriveID("scorm", p.Identifier, o.Identifier),
		Kind:  asset.KindCourse,
		Title: c.title(o.Title, o.Pointer),
	}
	if p.Metadata != nil {
		c.applyLOM(&course, p.Metadata.LOM, "manifest/metadata[0]")
	}
	if o.Metadata != nil {
		c.applyLOM(&course, o.Metadata.LOM, o.Metadata.Pointer)
	}
	ext := courseExt{
		Version: p.Version, Manifest: p.Identifier, ManifestVersion: p.ManifestVersion,
		Base: p.Base, SchemaLocation: p.SchemaLocation, ResourcesBase: p.ResourcesBase,
		Organization: o.Identifier, Title: o.Title, Structure: o.Structure, Attrs: o.Attrs,
		Sequencing: o.Sequencing, SequencingCollection: p.SequencingCollection,
		Metadata: p.Metadata, OrgMetadata: o.Metadata, Extra: append(append([]*xmlnode.Node(nil), p.Extra...), o.Extra...),
	}
	if resourcesOnly {
		ext.Title = ""
	}
	for _, r := range p.Resources {
		re := &resExt{Identifier: r.Identifier, Type: r.Type, ScormType: r.ScormType, Href: r.Href, Base: r.Base,
			Dependencies: r.Dependencies, Metadata: r.Metadata, Extra: r.Extra}
		for i, f := range r.Files {
			re.Files = append(re.Files, f.Href)
			if f.Metadata != nil {
				if re.FileMetadata == nil {
					re.FileMetadata = map[string]*Metadata{}
				}
				re.FileMetadata[strconv.Itoa(i)] = f.Metadata
			}
		}
		ext.Resources = append(ext.Resources, re)
	}
	for _, other := range p.Organizations {
		if other != o {
			ext.OtherOrganizations = append(ext.OtherOrganizations, other.Identifier)
			rep.AddLoss(ota.Loss{Code: "scorm.lost.organization", Pointer: other.Pointer, AssetID: course.ID, What: "organization " + other.Identifier,
				Why: "an asset tree holds one organization; only the default one is converted"})
		}
	}
	for _, it := range o.Items {
		course.Parts = append(course.Parts, c.item(it))
	}
	c.courseFiles(&course, &ext)
	course.Extensions = map[string]json.RawMessage{ExtensionIRI: mustJSON(ext)}
	return &course, rep
}

// courseFiles makes every package file that no item's resources hold a
// resource of the course, so that nothing of the package is lost: control
// documents, files of resources no item of the default organization
// launches, and files no resource lists (recorded as unlisted). The
// launch page files this package writes on export are left out: an
// exporter writes them afresh.
func (c *converter) courseFiles(course *asset.Asset, ext *courseExt) {
	held := map[string]bool{}
	for _, x := range course.All() {
		for _, r := range x.Resources {
			held[r.Path] = true
		}
	}
	listed := map[string]bool{}
	for _, r := range c.p.Resources {
		for _, f := range r.Files {
			if f.Path != "" {
				listed[f.Path] = true
			}
		}
		if r.URL != "" && !hasScheme(r.URL) {
			if d, _ := filePart(r.URL); d != "" {
				listed[path.Clean(d)] = true
			}
		}
	}
	manifest := path.Base(c.p.ManifestPath)
	for _, f := range c.p.Files {
		if held[f.Name] || f.Name == manifest || strings.HasPrefix(f.Name, playerDir) {
			continue
		}
		role := roleOf(f.Name)
		if ext := strings.ToLower(path.Ext(f.Name)); ext == ".xsd" || ext == ".dtd" {
			role = asset.RoleMetadata
		}
		course.Resources = append(course.Resources, asset.Resource{Path: f.Name, MediaType: mediaType(f.Name), Size: f.Size, Role: role})
		if !listed[f.Name] {
			ext.Unlisted = append(ext.Unlisted, f.Name)
		}
	}
}

type converter struct {
	p     *Package
	rep   *ota.Report
	sizes map[string]int64
}

// title turns a SCORM title, which has no language, into a LangString.
func (c *converter) title(s, ptr string) asset.LangString {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = "Untitled"
		c.rep.Add(ota.Issue{Pointer: ptr, Code: "scorm.convert.untitled", Severity: ota.Warning, Message: "no title; the asset is titled \"Untitled\""})
	}
	return asset.LangString{"und": s}
}

func (c *converter) item(it *Item) asset.Asset {
	a := asset.Asset{
		ID:    asset.DeriveID("scorm", c.p.Identifier, it.Identifier),
		Title: c.title(it.Title, it.Pointer),
	}
	ext := itemExt{
		Identifier: it.Identifier, Title: it.Title, IdentifierRef: it.IdentifierRef, IsVisible: it.IsVisible,
		Parameters: it.Parameters, LaunchURL: it.LaunchURL,
		Prerequisites: it.Prerequisites, PrerequisitesType: it.PrerequisitesType,
		MaxTimeAllowed: it.MaxTimeAllowed, TimeLimitAction: it.TimeLimitAction,
		DataFromLMS: it.DataFromLMS, MasteryScore: it.MasteryScore,
		CompletionThreshold: it.CompletionThreshold, Data: it.Data,
		Sequencing: it.Sequencing, Presentation: it.Presentation,
		Metadata: it.Metadata, Extra: it.Extra,
	}
	if it.Metadata != nil {
		c.applyLOM(&a, it.Metadata.LOM, it.Metadata.Pointer)
	}
	switch {
	case len(it.Items) > 0:
		a.Kind = asset.KindModule
	default:
		a.Kind = asset.KindActivity
	}
	if r := c.p.Resource(it.IdentifierRef); r != nil {
		ext.ScormType = r.ScormType
		if r.ScormType == "sco" && len(it.Items) == 0 {
			a.Kind = asset.KindLesson
		}
		a.Resources = c.resources(r)
	}
	a.Extensions = map[string]json.RawMessage{ExtensionIRI: mustJSON(ext)}
	for _, ch := range it.Items {
		a.Parts = append(a.Parts, c.item(ch))
	}
	return a
}

// resources lists the files of r and its dependencies, the launch file
// first with the launch role.
func (c *converter) resources(r *Resource) []asset.Resource {
	var out []asset.Resource
	launch := ""
	if r.URL != "" && !hasScheme(r.URL) {
		d, lit := filePart(r.URL)
		if d == "" {
			d = lit
		}
		launch = path.Clean(d)
		if content, ok := playerContent(r.URL, launch); ok {
			launch = content // this package's launch page: the content is what it shows
		}
		out = append(out, asset.Resource{Path: launch, MediaType: mediaType(launch), Size: c.sizes[launch], Role: asset.RoleLaunch})
	}
	for _, f := range c.p.ResourceFiles(r) {
		if f.Path == "" || f.Path == launch || strings.HasPrefix(f.Path, playerDir) {
			continue
		}
		out = append(out, asset.Resource{Path: f.Path, MediaType: mediaType(f.Path), Size: c.sizes[f.Path], Role: roleOf(f.Path)})
	}
	return out
}

// applyLOM fills the asset's descriptive fields from LOM where empty.
func (c *converter) applyLOM(a *asset.Asset, l *LOM, ptr string) {
	if l == nil {
		return
	}
	if len(l.Title) > 0 {
		a.Title = c.langs(l.Title, ptr)
	}
	if len(a.Description) == 0 && len(l.Description) > 0 {
		a.Description = c.langs(l.Description, ptr)
	}
	if len(a.Keywords) == 0 && len(l.Keywords) > 0 {
		a.Keywords = asset.LangList{}
		for _, k := range sortedKeys(l.Keywords) {
			t := c.tag(k, ptr)
			a.Keywords[t] = append(a.Keywords[t], l.Keywords[k]...)
		}
	}
	if len(a.Languages) == 0 {
		for _, t := range l.Languages {
			if tag := c.tag(t, ptr); tag != "und" && !slices.Contains(a.Languages, tag) {
				a.Languages = append(a.Languages, tag)
			}
		}
	}
	if a.Duration.IsZero() && l.Duration != "" {
		d, err := asset.ParseDuration(l.Duration)
		if err != nil {
			c.rep.Add(ota.Issue{Pointer: ptr, Code: "scorm.convert.duration", Severity: ota.Warning, Message: "LOM duration " + l.Duration + " is not an ISO 8601 duration; left out"})
		} else {
			a.Duration = d
		}
	}
	if len(a.Contributors) == 0 {
		a.Contributors = l.Contributors
	}
	if len(a.Alignments) == 0 {
		a.Alignments = l.Alignments
	}
	if len(l.Rights) > 0 && a.License == "" {
		for _, tag := range sortedKeys(l.Rights) {
			if id := licenseFromText(l.Rights[tag]); id != "" {
				a.License = id
				break
			}
		}
		if a.License == "" {
			c.rep.AddLoss(ota.Loss{Code: "scorm.lost.rights", Pointer: ptr, AssetID: a.ID, What: "LOM rights description", Why: "no SPDX licence recognised in it; the text stays in the LOM record (inline records are kept under the scorm extension)"})
		}
	}
}

// sortedKeys returns a map's keys in order, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (c *converter) langs(s asset.LangString, ptr string) asset.LangString {
	out := asset.LangString{}
	for _, k := range sortedKeys(s) {
		if t := c.tag(k, ptr); out[t] == "" {
			out[t] = s[k]
		}
	}
	return out
}

// tag canonicalises a language tag ("en-us" → "en-US"); an unparsable
// tag becomes "und" with a warning.
func (c *converter) tag(s, ptr string) string {
	t, err := language.Parse(s)
	if err != nil {
		c.rep.Add(ota.Issue{Pointer: ptr, Code: "scorm.convert.language", Severity: ota.Warning, Message: "language tag " + s + " is not BCP 47; read as und"})
		return "und"
	}
	return t.String()
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data types: cannot happen
	}
	return b
}

// mediaType is the media type of a package file, "" when unknown.
func mediaType(name string) string { return mediatype.Of(name) }

// roleOf gives media files the media role and others the supporting role.
func roleOf(name string) asset.ResourceRole {
	mt := mediaType(name)
	if strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "audio/") || strings.HasPrefix(mt, "video/") {
		return asset.RoleMedia
	}
	return asset.RoleSupporting
}

// playerContent returns the content file a launch URL of one of this
// package's own pages shows: "ota-scorm/launch.html?content=…" or the SCO
// of "ota-scorm/adapter.html?sco=…".
func playerContent(launchURL, file string) (string, bool) {
	param := ""
	switch file {
	case playerLaunch:
		param = "content"
	case adapterLaunch:
		param = "sco"
	default:
		return "", false
	}
	_, q, _ := strings.Cut(launchURL, "?")
	q, _, _ = strings.Cut(q, "#")
	v, err := url.ParseQuery(q)
	if err != nil || v.Get(param) == "" {
		return "", false
	}
	target := v.Get(param)
	if i := strings.IndexAny(target, "?#"); i >= 0 && param == "content" {
		target = target[:i] // the content's own query, which the item's launch URL keeps
	}
	if param == "sco" {
		d, lit := filePart(target)
		if d == "" {
			d = lit
		}
		target = path.Clean(d)
	}
	if !fs.ValidPath(target) {
		return "", false
	}
	return target, true
}
