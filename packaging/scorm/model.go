package scorm

import (
	"io/fs"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// Version is the SCORM version and edition of a package.
type Version string

// The versions this package reads.
const (
	// VersionUnknown means neither schemaversion nor the namespaces say.
	VersionUnknown Version = ""
	// Version12 is SCORM 1.2.
	Version12 Version = "1.2"
	// Version2004Ed2 is SCORM 2004 2nd edition ("CAM 1.3").
	Version2004Ed2 Version = "2004 2nd Edition"
	// Version2004Ed3 is SCORM 2004 3rd edition.
	Version2004Ed3 Version = "2004 3rd Edition"
	// Version2004Ed4 is SCORM 2004 4th edition.
	Version2004Ed4 Version = "2004 4th Edition"
)

// Is2004 reports whether v is an edition of SCORM 2004.
func (v Version) Is2004() bool {
	return v == Version2004Ed2 || v == Version2004Ed3 || v == Version2004Ed4
}

// Package is a SCORM content package as its manifest describes it.
type Package struct {
	// Version is the detected version and edition.
	Version Version
	// ManifestPath is where imsmanifest.xml was found in the archive
	// ("imsmanifest.xml", or "folder/imsmanifest.xml").
	ManifestPath string
	// Identifier is manifest/@identifier.
	Identifier string
	// ManifestVersion is manifest/@version, as written.
	ManifestVersion string
	// Base is manifest/@xml:base.
	Base string
	// SchemaLocation is manifest/@xsi:schemaLocation as written: pairs of
	// a namespace and the control document (XSD) describing it. It is
	// written back when WriteManifest is given no schema locations.
	SchemaLocation string
	// Metadata is the manifest's metadata: schema, schemaversion, LOM.
	Metadata *Metadata
	// DefaultOrganization is organizations/@default.
	DefaultOrganization string
	// Organizations are the organizations in document order.
	Organizations []*Organization
	// ResourcesBase is resources/@xml:base.
	ResourcesBase string
	// Resources are the resources in document order.
	Resources []*Resource
	// SequencingCollection holds the imsss:sequencing elements of
	// imsss:sequencingCollection, which items reference with IDRef.
	SequencingCollection []*xmlnode.Node
	// Extra holds child elements of manifest this package does not model
	// (sub-manifests, vendor extensions), kept as read.
	Extra []*xmlnode.Node
	// Files lists every file in the package (junk left out) relative to
	// the manifest's folder, with its size.
	Files []FileEntry

	// asset is the tree the package was read as, or made from.
	asset *asset.Asset
	// content is the package's files, under the manifest's folder; arc
	// the archive or folder they are read from, until Close.
	content fs.FS
	arc     *archive.Archive
	// policy is the Options' Policy, which Verify applies.
	policy ota.Policy

	// player is set by [FromAsset] for a single-SCO package: the pages its
	// launch page shows.
	player *playerData

	// Indexes built by [Package.index]; nil means "search the slices".
	resByID map[string]*Resource
	seqByID map[string]*xmlnode.Node
}

// index builds the identifier indexes so that lookups stay linear in the
// manifest's size. The first of duplicate identifiers wins, as in a
// linear search.
func (p *Package) index() {
	p.resByID = make(map[string]*Resource, len(p.Resources))
	for _, r := range p.Resources {
		if _, dup := p.resByID[r.Identifier]; !dup {
			p.resByID[r.Identifier] = r
		}
	}
	p.seqByID = make(map[string]*xmlnode.Node, len(p.SequencingCollection))
	for _, s := range p.SequencingCollection {
		if id, ok := s.Attr("", "ID"); ok {
			if _, dup := p.seqByID[id]; !dup {
				p.seqByID[id] = s
			}
		}
	}
}

// FileEntry is a file present in the package.
type FileEntry struct {
	// Name is the path relative to the manifest's folder.
	Name string
	// Size is the uncompressed size in bytes.
	Size int64
}

// Metadata is a metadata element of the manifest, an organization, an
// item, a resource or a file.
type Metadata struct {
	// Schema is metadata/schema ("ADL SCORM"); manifest level only.
	Schema string `json:"schema,omitempty"`
	// SchemaVersion is metadata/schemaversion as written; manifest level
	// only.
	SchemaVersion string `json:"schemaversion,omitempty"`
	// Locations are the adlcp:location values, as written. An absolute
	// URL is never opened.
	Locations []string `json:"locations,omitempty"`
	// LOM is what this package understood of the inline LOM records and of
	// the location files it could read from the package.
	LOM *LOM `json:"-"`
	// Records are the inline LOM records (IEEE LOM or IMS MD), kept as
	// read.
	Records []*xmlnode.Node `json:"records,omitempty"`
	// Pointer is the manifest path of the metadata element.
	Pointer string `json:"-"`
}

// LOM holds the LOM fields that map onto the asset model.
type LOM struct {
	// Title is general/title.
	Title asset.LangString
	// Description is general/description (each record adds languages).
	Description asset.LangString
	// Keywords are general/keyword values per language.
	Keywords asset.LangList
	// Languages are general/language values.
	Languages []string
	// Duration is technical/duration or, failing that,
	// educational/typicalLearningTime, as written (ISO 8601).
	Duration string
	// Rights is rights/description.
	Rights asset.LangString
	// Contributors are read from lifeCycle/contribute: the role (author,
	// publisher, editor; validators as reviewers) and each entity's vCard
	// (FN, ORG, EMAIL).
	Contributors []asset.Contributor
	// Alignments are read from classification entries: those this
	// package writes for an asset's alignments, and any whose taxon path
	// source is an absolute IRI (purpose prerequisite means requires).
	Alignments []asset.Alignment
}

// Organization is an organization of the manifest: one tree of items.
type Organization struct {
	// Identifier is organization/@identifier.
	Identifier string
	// Structure is organization/@structure.
	Structure string
	// Title is organization/title.
	Title string
	// Items are the top-level items.
	Items []*Item
	// Metadata is organization/metadata.
	Metadata *Metadata
	// Sequencing is organization/imsss:sequencing, kept as read.
	Sequencing *xmlnode.Node
	// Attrs are attributes beyond identifier and structure
	// (adlseq:objectivesGlobalToSystem, adlcp:sharedDataGlobalToSystem…).
	Attrs []xmlnode.Attr
	// Extra holds child elements not modelled, kept as read.
	Extra []*xmlnode.Node
	// Pointer is the manifest path of the organization.
	Pointer string
}

// Item is an item of an organization: an aggregation when it has child
// items, a launchable activity when it references a resource.
type Item struct {
	// Identifier is item/@identifier.
	Identifier string
	// IdentifierRef is item/@identifierref: the resource it launches.
	IdentifierRef string
	// IsVisible is item/@isvisible; nil when absent (true by default).
	IsVisible *bool
	// Parameters is item/@parameters, as written.
	Parameters string
	// Title is item/title.
	Title string
	// Items are the child items.
	Items []*Item
	// Metadata is item/metadata.
	Metadata *Metadata
	// Prerequisites is adlcp:prerequisites (SCORM 1.2).
	Prerequisites string
	// PrerequisitesType is adlcp:prerequisites/@type.
	PrerequisitesType string
	// MaxTimeAllowed is adlcp:maxtimeallowed (SCORM 1.2).
	MaxTimeAllowed string
	// TimeLimitAction is adlcp:timelimitaction (1.2) or
	// adlcp:timeLimitAction (2004).
	TimeLimitAction string
	// DataFromLMS is adlcp:datafromlms (1.2) or adlcp:dataFromLMS (2004).
	DataFromLMS string
	// MasteryScore is adlcp:masteryscore (SCORM 1.2; tolerated in 2004
	// with a warning).
	MasteryScore string
	// CompletionThreshold is adlcp:completionThreshold (2004), kept as
	// read: 3rd edition puts the value in the text, 4th edition in the
	// completedByMeasure, minProgressMeasure and progressWeight
	// attributes.
	CompletionThreshold *xmlnode.Node
	// Data is adlcp:data with its adlcp:map children (2004 4th edition).
	Data *xmlnode.Node
	// Sequencing is imsss:sequencing, kept as read; see
	// [Package.SequencingOf] for the IDRef merge.
	Sequencing *xmlnode.Node
	// Presentation is adlnav:presentation, kept as read.
	Presentation *xmlnode.Node
	// Extra holds child elements not modelled, kept as read.
	Extra []*xmlnode.Node
	// LaunchURL is the resolved launch URL: the xml:base chain, the
	// resource href and the item parameters. Empty when the item launches
	// nothing.
	LaunchURL string
	// Pointer is the manifest path of the item.
	Pointer string
}

// Resource is a resource of the manifest.
type Resource struct {
	// Identifier is resource/@identifier.
	Identifier string
	// Type is resource/@type ("webcontent").
	Type string
	// ScormType is adlcp:scormtype (1.2) or adlcp:scormType (2004),
	// lower-cased: "sco", "asset" or "" when missing.
	ScormType string
	// Href is resource/@href as written.
	Href string
	// Base is resource/@xml:base.
	Base string
	// URL is Href resolved against the xml:base chain (query and fragment
	// kept); empty when Href is.
	URL string
	// Files are the file children.
	Files []*File
	// Dependencies are the identifierrefs of the dependency children.
	Dependencies []string
	// Metadata is resource/metadata.
	Metadata *Metadata
	// Extra holds child elements not modelled, kept as read.
	Extra []*xmlnode.Node
	// Pointer is the manifest path of the resource.
	Pointer string
}

// File is a file element of a resource.
type File struct {
	// Href is file/@href as written.
	Href string
	// Path is the name of the file in the package, relative to the
	// manifest's folder, after xml:base resolution and URL-decoding;
	// empty when the file is missing.
	Path string
	// Metadata is file/metadata.
	Metadata *Metadata
}

// Launchable reports whether an item can launch: it references a resource.
func (it *Item) Launchable() bool { return it.IdentifierRef != "" }

// Resource returns the resource with the identifier id, or nil.
func (p *Package) Resource(id string) *Resource {
	if p.resByID != nil {
		return p.resByID[id]
	}
	for _, r := range p.Resources {
		if r.Identifier == id {
			return r
		}
	}
	return nil
}

// Organization returns the organization with the identifier id, or nil.
func (p *Package) Organization(id string) *Organization {
	for _, o := range p.Organizations {
		if o.Identifier == id {
			return o
		}
	}
	return nil
}

// Default returns the default organization, the first one when the
// default is missing or does not resolve, or nil when there is none.
func (p *Package) Default() *Organization {
	if o := p.Organization(p.DefaultOrganization); o != nil {
		return o
	}
	if len(p.Organizations) > 0 {
		return p.Organizations[0]
	}
	return nil
}

// Walk calls fn for every item of o, parents before children, in
// document order.
func (o *Organization) Walk(fn func(*Item)) {
	var walk func([]*Item)
	walk = func(items []*Item) {
		for _, it := range items {
			fn(it)
			walk(it.Items)
		}
	}
	walk(o.Items)
}

// SequencingOf returns the sequencing that applies to it: the shared
// imsss:sequencing from the sequencingCollection that IDRef names (nil
// when none), and the item's own, which overrides it element by element.
func (p *Package) SequencingOf(it *Item) (shared, own *xmlnode.Node) {
	own = it.Sequencing
	if own == nil {
		return nil, nil
	}
	ref, ok := own.Attr("", "IDRef")
	if !ok {
		return nil, own
	}
	if p.seqByID != nil {
		return p.seqByID[ref], own
	}
	for _, s := range p.SequencingCollection {
		if id, ok := s.Attr("", "ID"); ok && id == ref {
			return s, own
		}
	}
	return nil, own
}

// ResourceFiles returns the files of r and of every resource it depends on,
// directly or not, each once, in order of discovery. Dependency cycles
// are safe.
func (p *Package) ResourceFiles(r *Resource) []*File {
	seen := map[*Resource]bool{}
	files := map[string]bool{}
	var out []*File
	var visit func(*Resource)
	visit = func(r *Resource) {
		if r == nil || seen[r] {
			return
		}
		seen[r] = true
		for _, f := range r.Files {
			key := f.Path
			if key == "" {
				key = "\x00" + f.Href
			}
			if !files[key] {
				files[key] = true
				out = append(out, f)
			}
		}
		for _, d := range r.Dependencies {
			visit(p.Resource(d))
		}
	}
	visit(r)
	return out
}
