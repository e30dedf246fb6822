package scorm

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/imported"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// ExportOptions choose what [FromAsset] and [Export] write.
type ExportOptions struct {
	// Version is the SCORM version to write: [Version12],
	// [Version2004Ed3] or [Version2004Ed4]. The zero value writes
	// [Version2004Ed4]. 2nd edition is read, not written.
	Version Version
	// SingleSCO packages the whole course as one SCO: our launch page
	// shows the lessons one after another with its own navigation and
	// reports progress over all of them. Some LMSs handle only one SCO
	// per package. Content that is already a SCO (a re-exported package's
	// own SCOs) cannot be merged into one and makes FromAsset fail.
	SingleSCO bool
	// Schemas, when not nil, holds the control documents (the XSDs of
	// the target version, with the LOM folders) that [Export] ships at
	// the package root, as conformant packages do; their namespaces are
	// then named in xsi:schemaLocation. This module does not ship the
	// XSDs itself: they are ADL's and IMS's files. FromAsset ignores it.
	Schemas fs.FS
}

// version resolves the zero value.
func (o ExportOptions) version() Version {
	if o.Version == VersionUnknown {
		return Version2004Ed4
	}
	return o.Version
}

// Paths of the launch page this package writes for content that is not
// already a SCO.
const (
	playerDir      = "ota-scorm/"
	playerLaunch   = playerDir + "launch.html"
	playerScript   = playerDir + "ota-scorm.js"
	playerCourse   = playerDir + "course.js"
	playerResource = "ota-scorm-runtime"
	adapterLaunch  = playerDir + "adapter.html"
	adapterScript  = playerDir + "ota-adapter.js"
)

// ncName matches an XML NCName in its ASCII subset, the form xs:ID
// values must have.
var ncName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*$`)

// uuidText matches a UUID in its lower-case text form.
var uuidText = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// builder turns an asset tree into a Package.
type builder struct {
	opts    ExportOptions
	v       Version
	rep     ota.Report
	p       *Package
	src     *courseExt // the course extension of a tree imported from SCORM
	ids     map[string]bool
	files   map[string]bool // every package file, by path
	res     map[string]*resExt
	used    map[string]bool // restored resources referenced
	itemIDs map[string]string
	wrapped bool
	adapted bool   // a SCO of the other SCORM family runs through the API adapter
	pages   []page // SingleSCO: the launchable leaves in order
	fails   []ota.Issue
}

// page is one leaf of a single-SCO course.
type page struct{ Title, Href string }

// FromAsset makes the manifest model of a SCORM package for opts.Version from
// an asset tree: the root becomes the organization, assets with parts
// aggregating items, launchable leaves (those with a resource of the
// launch role, or failing that one a browser can show) items with a
// resource of their own. A tree imported from SCORM (see [ExtensionIRI])
// gets back its identifiers, resources, SCO/asset types, parameters, ADL
// item elements, sequencing and metadata records, converted to the target
// version where SCORM changed them; other content is wrapped in this
// package's launch page, which makes it a SCO. Files lists every file the
// package needs, the launch page's included.
//
// The report says what the target version cannot carry (Losses) and why
// the tree cannot be packaged at all (errors; then the Package is nil).
func FromAsset(a *asset.Asset, opts ExportOptions) (*Package, ota.Report) {
	b := &builder{opts: opts, v: opts.version(), ids: map[string]bool{}, files: map[string]bool{},
		res: map[string]*resExt{}, used: map[string]bool{}, itemIDs: map[string]string{}}
	switch b.v {
	case Version12, Version2004Ed3, Version2004Ed4:
	default:
		b.rep.Add(ota.Issue{Code: "scorm.export.version", Severity: ota.Error, Message: fmt.Sprintf("cannot write SCORM %q: write 1.2, 2004 3rd Edition or 2004 4th Edition", b.v)})
		return nil, b.rep
	}
	if a == nil {
		b.rep.Add(ota.Issue{Code: "scorm.export.empty", Severity: ota.Error, Message: "no asset to export"})
		return nil, b.rep
	}
	b.build(a)
	b.sanitize(b.p)
	for _, is := range b.fails {
		b.rep.Add(is)
	}
	if b.rep.HasErrors() {
		return nil, b.rep
	}
	b.p.asset = a
	return b.p, b.rep
}

// loss records something the package cannot carry: code is one of the
// scorm.lost codes of docs/losses.md, id the asset's ID ("" when the loss
// is about the package as a whole).
func (b *builder) loss(code, ptr, id, what, why string) {
	b.rep.AddLoss(ota.Loss{Code: code, Pointer: ptr, AssetID: id, What: what, Why: why})
}

// sameFamily reports whether the source package was of the target's
// family (1.2, or any 2004 edition), so that its kept XML fits.
func (b *builder) sameFamily() bool {
	return b.src != nil && b.src.Version.Is2004() == b.v.Is2004() && b.src.Version != VersionUnknown
}

func (b *builder) build(root *asset.Asset) {
	if raw, ok := root.Extensions[ExtensionIRI]; ok {
		var ce courseExt
		if err := json.Unmarshal(raw, &ce); err == nil {
			b.src = &ce
			for _, r := range ce.Resources {
				if _, dup := b.res[r.Identifier]; !dup && r.Identifier != "" {
					b.res[r.Identifier] = r
				}
			}
		} else {
			b.rep.Add(ota.Issue{Pointer: "/extensions", Code: "scorm.export.extension", Severity: ota.Warning, Message: "the SCORM extension of the root asset is not readable (" + err.Error() + "); the package is built from the asset alone"})
		}
	}
	p := &Package{Version: b.v}
	b.p = p
	p.Identifier = b.ident(b.srcString(func(c *courseExt) string { return c.Manifest }), "MANIFEST", root.ID)
	p.ManifestVersion = root.Version
	if b.src != nil {
		if b.src.ManifestVersion != "" {
			p.ManifestVersion = b.src.ManifestVersion
		}
		if b.sameFamily() {
			p.Base, p.ResourcesBase = b.src.Base, b.src.ResourcesBase
		}
		switch {
		case b.src.SchemaLocation == "":
		case b.src.Version == b.v:
			p.SchemaLocation = b.src.SchemaLocation
		default:
			b.loss("scorm.lost.schema-location", "/extensions", root.ID, "the manifest's xsi:schemaLocation",
				fmt.Sprintf("it names the control documents of SCORM %s, not %s; the manifest names the target's when they are given (ota convert --schemas DIR)", b.src.Version, b.v))
		}
	}
	p.Metadata = b.manifestMetadata(root)
	for ptr, x := range root.All() {
		b.modelLoss(x, ptr, x == root)
	}

	o := &Organization{Title: display(root.Title)}
	o.Identifier = b.ident(b.srcString(func(c *courseExt) string { return c.Organization }), "ORG", root.ID)
	if b.src != nil {
		o.Structure = b.src.Structure
		b.orgAttrs(o, root.ID)
		if b.v.Is2004() && b.src.Version.Is2004() {
			o.Sequencing = b.sequencing(b.src.Sequencing, "/extensions", root.ID)
			p.SequencingCollection = b.src.SequencingCollection
		} else if b.src.Sequencing != nil || len(b.src.SequencingCollection) > 0 {
			b.loss("scorm.lost.sequencing", "/extensions", root.ID, "organization sequencing", "SCORM 1.2 has no sequencing")
		}
		if b.sameFamily() {
			o.Metadata = b.src.OrgMetadata
			p.Extra = b.src.Extra
		}
	}
	if b.sameFamily() && b.src.Title != "" {
		o.Title = b.src.Title // the asset's title may come from LOM, which is kept
	}
	if o.Sequencing == nil && b.v.Is2004() && !b.opts.SingleSCO && !b.src2004() {
		o.Sequencing = flowSequencing()
	}
	p.DefaultOrganization = o.Identifier
	p.Organizations = []*Organization{o}

	if b.opts.SingleSCO {
		b.singleSCO(root, o)
	} else {
		if len(root.Parts) == 0 {
			if it := b.item(root, ""); it != nil {
				o.Items = append(o.Items, it)
			}
		} else {
			if it := b.ownContent(root, ""); it != nil {
				o.Items = append(o.Items, it)
			}
			for i := range root.Parts {
				if it := b.item(&root.Parts[i], fmt.Sprintf("/parts/%d", i)); it != nil {
					o.Items = append(o.Items, it)
				}
			}
		}
	}
	if len(o.Items) == 0 {
		b.fails = append(b.fails, ota.Issue{Code: "scorm.export.nothing", Severity: ota.Error, Message: "the tree has nothing to launch: no asset has a launch resource or a file a browser can show"})
	}
	b.prerequisites(root, o)
	b.restoredResources()
	b.courseFiles(root)
	if b.wrapped || b.adapted {
		b.playerResource()
		for _, f := range b.playerFiles() {
			b.files[f.Path] = true
		}
	}
	for _, f := range b.fileList() {
		p.Files = append(p.Files, FileEntry{Name: f})
	}
}

// src2004 reports whether the tree was imported from a SCORM 2004 package,
// whose sequencing is restored as it was (none included).
func (b *builder) src2004() bool { return b.src != nil && b.src.Version.Is2004() }

// modelLoss reports, one loss per member, the members of asset x that a
// SCORM manifest has no place for (LOM carries title, description,
// keywords, languages, contributors, licence and duration; sequencing the
// objectives' IDs in 2004).
func (b *builder) modelLoss(x *asset.Asset, ptr string, root bool) {
	const why = "a SCORM manifest has no place for them; an OTA bundle keeps them"
	add := func(cond bool, code, member, what string) {
		if cond {
			p := ptr
			if member != "" {
				p += "/" + member
			}
			b.loss(code, p, x.ID, what, why)
		}
	}
	add(x.Version != "" && !root, "scorm.lost.version", "version", "the version of a part")
	add(len(x.Audience) > 0, "scorm.lost.audience", "audience", "audience")
	add(x.Level != "", "scorm.lost.level", "level", "level")
	add(len(x.DeliveryModes) > 0, "scorm.lost.delivery-modes", "deliveryModes", "delivery modes")
	add(len(x.Accessibility) > 0, "scorm.lost.accessibility", "accessibility", "accessibility notes")
	add(len(x.Objectives) > 0 && !b.v.Is2004(), "scorm.lost.objectives", "objectives", "objectives")
	add(len(x.Objectives) > 0 && b.v.Is2004(), "scorm.lost.objective-texts", "objectives", "objective texts (their IDs are kept as sequencing objectives)")
	add(slices.ContainsFunc(x.Objectives, func(o asset.Objective) bool { return len(o.Alignments) > 0 }), "scorm.lost.objective-alignments", "objectives", "objective alignments")
	add(len(x.Relations) > 0, "scorm.lost.relations", "relations", "relations")
	add(x.Created != "" || x.Modified != "" || x.Published != "", "scorm.lost.dates", "created", "dates")
	for _, k := range slices.Sorted(maps.Keys(x.Extensions)) {
		if k != ExtensionIRI && k != imported.CMI5Extension {
			b.loss("scorm.lost.extension", ptr+"/extensions", x.ID, "extension "+k, why)
		}
	}
	add(len(x.Unknown) > 0, "scorm.lost.unknown-members", "", "members OTA does not define")
}

// srcString returns a field of the source course extension, or "".
func (b *builder) srcString(f func(*courseExt) string) string {
	if b.src == nil {
		return ""
	}
	return f(b.src)
}

// ident returns want when it is a free xs:ID, and otherwise an identifier
// derived from the asset ID: kind, "-", and the asset's UUID (the one in
// a urn:uuid: ID, else a name-based one), so that the same tree always
// gets the same identifiers.
func (b *builder) ident(want, kind, assetID string) string {
	if want != "" && ncName.MatchString(want) && !b.ids[want] {
		b.ids[want] = true
		return want
	}
	u := strings.TrimPrefix(strings.ToLower(assetID), "urn:uuid:")
	if !uuidText.MatchString(u) {
		u = strings.TrimPrefix(asset.DeriveID("scorm-export", assetID), "urn:uuid:")
	}
	id := kind + "-" + u
	for n := 2; b.ids[id]; n++ {
		id = fmt.Sprintf("%s-%s-%d", kind, u, n)
	}
	b.ids[id] = true
	return id
}

// orgAttrs restores the organization's extra attributes that the target
// version can hold.
func (b *builder) orgAttrs(o *Organization, id string) {
	for _, at := range b.src.Attrs {
		switch {
		case !b.v.Is2004():
			b.loss("scorm.lost.organization-attribute", "/extensions", id, "organization attribute "+at.Local, "SCORM 1.2 has no such attribute")
		case at.Local == "sharedDataGlobalToSystem" && b.v != Version2004Ed4:
			b.loss("scorm.lost.organization-attribute", "/extensions", id, "organization attribute "+at.Local, "it is new in SCORM 2004 4th Edition")
		default:
			o.Attrs = append(o.Attrs, at)
		}
	}
}

// flowSequencing is the sequencing written for a course or module made
// here: the learner may choose any activity and may also go forward and
// back in order (SCORM's defaults are choice without flow).
func flowSequencing() *xmlnode.Node {
	return &xmlnode.Node{Space: NSIMSSS, Local: "sequencing", Children: []*xmlnode.Node{
		{Space: NSIMSSS, Local: "controlMode", Attrs: []xmlnode.Attr{{Local: "choice", Value: "true"}, {Local: "flow", Value: "true"}}},
	}}
}

// display picks the text of a LangString for a SCORM title, which has no
// language: the English one or the best substitute.
func display(s asset.LangString) string {
	if t := strings.Join(strings.Fields(s.String()), " "); t != "" {
		return t
	}
	return "Untitled"
}

// itemExtOf reads the SCORM extension of an item's asset.
func itemExtOf(a *asset.Asset) *itemExt {
	raw, ok := a.Extensions[ExtensionIRI]
	if !ok {
		return nil
	}
	var ie itemExt
	if json.Unmarshal(raw, &ie) != nil {
		return nil
	}
	return &ie
}

// item builds the item of asset x, or nil when x has nothing to launch
// and no parts.
func (b *builder) item(x *asset.Asset, ptr string) *Item {
	ie := itemExtOf(x)
	want := ""
	if ie != nil {
		want = ie.Identifier
	}
	it := &Item{Identifier: b.ident(want, "ITEM", x.ID), Title: display(x.Title)}
	b.itemIDs[x.ID] = it.Identifier
	if ie != nil {
		it.IsVisible = ie.IsVisible
		if b.sameFamily() {
			it.Metadata = ie.Metadata
			if ie.Title != "" {
				it.Title = ie.Title
			}
		}
	}
	if !b.sameFamily() {
		it.Metadata = b.assetMetadata(x, false)
	}
	if len(x.Parts) > 0 {
		if own := b.ownContent(x, ptr); own != nil {
			it.Items = append(it.Items, own)
		}
		for i := range x.Parts {
			if c := b.item(&x.Parts[i], fmt.Sprintf("%s/parts/%d", ptr, i)); c != nil {
				it.Items = append(it.Items, c)
			}
		}
		if len(it.Items) == 0 {
			b.loss("scorm.lost.unlaunchable", ptr, x.ID, "the asset", "none of its parts has anything to launch")
			return nil
		}
		b.itemElements(it, ie, x, ptr, true)
		return it
	}
	if !b.launch(it, x, ie, ptr) {
		b.loss("scorm.lost.unlaunchable", ptr, x.ID, "the asset", "it has no launch resource and no file a browser can show")
		return nil
	}
	b.itemElements(it, ie, x, ptr, false)
	return it
}

// ownContent returns an item for the launch resource of an asset that
// also has parts: SCORM launches only leaves, so it becomes the first
// child. nil when the asset has no launch resource of its own.
func (b *builder) ownContent(x *asset.Asset, ptr string) *Item {
	if launchOf(x) == nil {
		return nil
	}
	leaf := *x
	leaf.Parts = nil
	leaf.Extensions = nil
	leaf.ID = asset.DeriveID("scorm-export-own", x.ID)
	it := &Item{Identifier: b.ident("", "ITEM", leaf.ID), Title: display(x.Title)}
	if !b.launch(it, &leaf, nil, ptr) {
		return nil
	}
	b.rep.Add(ota.Issue{Pointer: ptr, Code: "scorm.export.own-content", Severity: ota.Info, Message: "the asset has parts and a launch resource of its own; SCORM launches only leaves, so its own content is the first child item"})
	return it
}

// launchOf returns the resource to launch for x: the one with the launch
// role, else the first a browser can show.
func launchOf(x *asset.Asset) *asset.Resource {
	for i := range x.Resources {
		if x.Resources[i].Role == asset.RoleLaunch {
			return &x.Resources[i]
		}
	}
	for i := range x.Resources {
		mt := x.Resources[i].MediaType
		if mt == "" {
			mt = mediaType(x.Resources[i].Path)
		}
		if mt == "text/html" || mt == "application/pdf" || strings.HasPrefix(mt, "video/") || strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "audio/") {
			return &x.Resources[i]
		}
	}
	return nil
}

// launch gives a leaf item its resource: the restored one of an imported
// package, or a new one wrapping the asset's content in the launch page.
func (b *builder) launch(it *Item, x *asset.Asset, ie *itemExt, ptr string) bool {
	for _, r := range x.Resources {
		b.files[r.Path] = true
	}
	if ie != nil && ie.IdentifierRef != "" {
		if re, ok := b.res[ie.IdentifierRef]; ok && !isPlayerHref(re.Href) {
			if b.opts.SingleSCO && re.ScormType == "sco" {
				b.fails = append(b.fails, ota.Issue{Pointer: ptr, Code: "scorm.export.single-sco", Severity: ota.Error,
					Message: fmt.Sprintf("item %q launches a SCO of its own (resource %q), which talks to the LMS itself; SCOs cannot be merged into a single SCO: export without the single-SCO option", ie.Identifier, re.Identifier)})
				return true
			}
			b.used[re.Identifier] = true
			it.IdentifierRef = re.Identifier
			it.Parameters = ie.Parameters
			return true
		}
	}
	l := launchOf(x)
	if l == nil {
		return false
	}
	query := launchQuery(x, l)
	if b.opts.SingleSCO {
		b.pages = append(b.pages, page{Title: display(x.Title), Href: hrefOf(l.Path) + query})
		return true
	}
	b.wrapped = true
	r := &Resource{
		Identifier: b.ident("", "RES", x.ID), Type: "webcontent", ScormType: "sco",
		Href:         playerLaunch + "?content=" + url.QueryEscape(l.Path+query) + "&v=" + b.apiVersion(),
		Dependencies: []string{playerResource},
	}
	for _, f := range x.Resources {
		r.Files = append(r.Files, &File{Href: hrefOf(f.Path), Path: f.Path})
	}
	b.p.Resources = append(b.p.Resources, r)
	it.IdentifierRef = r.Identifier
	return true
}

// launchQuery returns the query and fragment with which x's importer
// launched l, its launch resource (a cmi5 AU url's query, a SCORM item's
// parameters), or "".
func launchQuery(x *asset.Asset, l *asset.Resource) string {
	if l.Role != asset.RoleLaunch {
		return ""
	}
	return imported.LaunchQuery(x)
}

// apiVersion is the v parameter of the launch page: the API it looks for
// first.
func (b *builder) apiVersion() string {
	if b.v.Is2004() {
		return "2004"
	}
	return "1.2"
}

// percent turns a 0–1 score into SCORM 1.2's 0–100 masteryscore text.
func percent(f float64) string { return strconv.FormatFloat(f*100, 'f', -1, 64) }

// sanitize drops, with a loss each, the kept XML trees and attributes of
// a hand-edited extension that cannot be written as XML (a bad element or
// attribute name), so that FromAsset's package always writes.
func (b *builder) sanitize(p *Package) {
	keep := func(n *xmlnode.Node, what string) *xmlnode.Node {
		if err := n.Check(); err != nil {
			b.loss("scorm.lost.invalid-xml", "/extensions", "", what, "it cannot be written as XML: "+err.Error())
			return nil
		}
		return n
	}
	keepAll := func(ns []*xmlnode.Node, what string) []*xmlnode.Node {
		out := ns[:0:0]
		for _, n := range ns {
			if keep(n, what) != nil {
				out = append(out, n)
			}
		}
		return out
	}
	meta := func(m *Metadata, what string) {
		if m != nil {
			m.Records = keepAll(m.Records, what+" metadata")
		}
	}
	p.Extra = keepAll(p.Extra, "manifest element")
	p.SequencingCollection = keepAll(p.SequencingCollection, "sequencing collection entry")
	meta(p.Metadata, "manifest")
	for _, o := range p.Organizations {
		o.Sequencing = keep(o.Sequencing, "organization sequencing")
		o.Extra = keepAll(o.Extra, "organization element")
		meta(o.Metadata, "organization")
		attrs := o.Attrs[:0:0]
		for _, at := range o.Attrs {
			if err := at.Check(); err != nil {
				b.loss("scorm.lost.invalid-xml", "/extensions", "", "organization attribute "+at.Local, "it cannot be written as XML: "+err.Error())
				continue
			}
			attrs = append(attrs, at)
		}
		o.Attrs = attrs
		o.Walk(func(it *Item) {
			what := "item " + it.Identifier
			it.Sequencing = keep(it.Sequencing, what+" sequencing")
			it.CompletionThreshold = keep(it.CompletionThreshold, what+" completion threshold")
			it.Data = keep(it.Data, what+" data map")
			it.Presentation = keep(it.Presentation, what+" presentation")
			it.Extra = keepAll(it.Extra, what+" element")
			meta(it.Metadata, what)
		})
	}
	for _, r := range p.Resources {
		r.Extra = keepAll(r.Extra, "resource "+r.Identifier+" element")
		meta(r.Metadata, "resource "+r.Identifier)
		for _, f := range r.Files {
			meta(f.Metadata, "file "+f.Href)
		}
	}
}
