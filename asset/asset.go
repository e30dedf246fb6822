package asset

import (
	"encoding/json"
	"slices"
)

// Asset is one training asset of any granularity. A course is an asset
// whose Parts are assets; trees may be of any depth.
//
// Members the format does not define are kept in Unknown and written back
// unchanged; Extensions is the sanctioned place for additions.
type Asset struct {
	// ID identifies the asset: an absolute IRI, stable across versions.
	// New assets get "urn:uuid:" and a random UUID (see [NewID]);
	// importers derive IDs with [DeriveID] so that importing the same
	// input twice gives the same IDs.
	ID string `json:"id"`
	// Version is the asset's version, a semantic version ("1.2.0").
	Version string `json:"version,omitempty"`
	// Kind says what granularity of training the asset is.
	Kind Kind `json:"kind"`
	// Title is the asset's name, in one or more languages.
	Title LangString `json:"title,omitempty" jsonschema:"required"`
	// Description says what the asset is about, in one or more languages.
	Description LangString `json:"description,omitempty"`
	// Keywords are short subject terms per language.
	Keywords LangList `json:"keywords,omitempty"`
	// Languages are the BCP 47 tags of the languages the asset teaches
	// in (not the languages its metadata is translated into).
	Languages []string `json:"languages,omitempty"`
	// Contributors are the people and organisations who made, published,
	// translated or reviewed the asset.
	Contributors []Contributor `json:"contributors,omitempty"`
	// License is an SPDX licence expression ("CC-BY-4.0",
	// "CC-BY-4.0 OR OGL-UK-3.0"). Parts without one inherit their
	// parent's.
	License string `json:"license,omitempty"`
	// Audience describes who the asset is for, in prose.
	Audience LangString `json:"audience,omitempty"`
	// Level is the proficiency the asset is pitched at.
	Level Level `json:"level,omitempty"`
	// Duration is how long the asset takes a typical learner.
	Duration Duration `json:"duration,omitzero"`
	// DeliveryModes say how the asset is delivered.
	DeliveryModes []DeliveryMode `json:"deliveryModes,omitempty"`
	// Accessibility describes accessibility features and limits, in prose.
	Accessibility LangString `json:"accessibility,omitempty"`
	// Objectives are the learning objectives or outcomes of the asset.
	Objectives []Objective `json:"objectives,omitempty"`
	// Alignments point at nodes of competency or capability frameworks
	// that the asset as a whole teaches, assesses or requires.
	Alignments []Alignment `json:"alignments,omitempty"`
	// Prerequisites are the IDs of assets a learner should complete
	// first: assets in the same tree, or absolute IRIs of others.
	Prerequisites []string `json:"prerequisites,omitempty"`
	// Parts are the asset's child assets, in learning order.
	Parts []Asset `json:"parts,omitempty"`
	// Resources are the files the asset is made of.
	Resources []Resource `json:"resources,omitempty"`
	// Relations record reuse and adaptation: what the asset is based on, a
	// translation of, a version of, or replaces.
	Relations []Relation `json:"relations,omitempty"`
	// Created is when the asset was first made: an RFC 3339 date
	// ("2024-05-01") or date-time.
	Created string `json:"created,omitempty"`
	// Modified is when the asset was last changed, in the same form.
	Modified string `json:"modified,omitempty"`
	// Published is when the asset was first made public, in the same form.
	Published string `json:"published,omitempty"`
	// Extensions hold additions keyed by absolute IRI; their values are
	// any JSON and are written back unchanged.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	// Unknown holds members this version of the format does not define,
	// exactly as read, so that nothing is lost in a read–write cycle.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Kind is the granularity of an asset.
type Kind string

// The kinds of asset, from the largest to the smallest.
const (
	// KindProgramme is a programme: a set of courses leading to a
	// qualification or a role.
	KindProgramme Kind = "programme"
	// KindCourse is a course: a unit of training a learner enrols in.
	KindCourse Kind = "course"
	// KindModule is a module: a part of a course.
	KindModule Kind = "module"
	// KindLesson is a lesson: one sitting's worth of learning.
	KindLesson Kind = "lesson"
	// KindActivity is an activity: an exercise, a reading, a video.
	KindActivity Kind = "activity"
	// KindAssessment is an assessment: a quiz, an exam, an assignment.
	KindAssessment Kind = "assessment"
	// KindResource is a resource: supporting material that is not itself
	// learning activity (a dataset, a handout).
	KindResource Kind = "resource"
)

// kinds lists every kind, from the largest to the smallest.
var kinds = [...]Kind{KindProgramme, KindCourse, KindModule, KindLesson, KindActivity, KindAssessment, KindResource}

// Kinds returns every kind, from the largest to the smallest, in a new
// slice the caller may change.
func Kinds() []Kind { return slices.Clone(kinds[:]) }

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindProgramme, KindCourse, KindModule, KindLesson, KindActivity, KindAssessment, KindResource:
		return true
	}
	return false
}

// Level is the proficiency level an asset is pitched at.
type Level string

// The proficiency levels.
const (
	// LevelBasic is for learners new to the subject.
	LevelBasic Level = "basic"
	// LevelIntermediate is for learners who know the basics.
	LevelIntermediate Level = "intermediate"
	// LevelAdvanced is for practitioners.
	LevelAdvanced Level = "advanced"
	// LevelExpert is for specialists.
	LevelExpert Level = "expert"
)

// Valid reports whether l is one of the defined levels.
func (l Level) Valid() bool {
	switch l {
	case LevelBasic, LevelIntermediate, LevelAdvanced, LevelExpert:
		return true
	}
	return false
}

// DeliveryMode says how an asset is delivered.
type DeliveryMode string

// The delivery modes.
const (
	// DeliverySelfPaced is online learning at the learner's own pace.
	DeliverySelfPaced DeliveryMode = "self-paced"
	// DeliveryOnlineLive is online learning led by a trainer in real time.
	DeliveryOnlineLive DeliveryMode = "online-live"
	// DeliveryInPerson is classroom training.
	DeliveryInPerson DeliveryMode = "in-person"
	// DeliveryBlended mixes online and in-person learning.
	DeliveryBlended DeliveryMode = "blended"
)

// Valid reports whether m is one of the defined delivery modes.
func (m DeliveryMode) Valid() bool {
	switch m {
	case DeliverySelfPaced, DeliveryOnlineLive, DeliveryInPerson, DeliveryBlended:
		return true
	}
	return false
}

// Contributor is a person or organisation who contributed to an asset.
type Contributor struct {
	// Name is the contributor's display name.
	Name string `json:"name"`
	// Type says whether the contributor is a person or an organisation.
	Type ContributorType `json:"type,omitempty"`
	// Roles say what the contributor did.
	Roles []Role `json:"roles,omitempty"`
	// ID identifies the contributor: an absolute IRI such as an ORCID
	// ("https://orcid.org/…"), a ROR ID or an organisation's home page.
	ID string `json:"id,omitempty"`
	// Email is a contact address.
	Email string `json:"email,omitempty"`
	// Affiliation is the organisation a person contributed for.
	Affiliation string `json:"affiliation,omitempty"`
	// Unknown holds members the format does not define, kept as read.
	Unknown map[string]json.RawMessage `json:"-"`
}

// ContributorType says whether a contributor is a person or an
// organisation.
type ContributorType string

// The contributor types.
const (
	// Person is an individual.
	Person ContributorType = "person"
	// Organization is an organisation: an NSO, an international body.
	Organization ContributorType = "organization"
)

// Valid reports whether t is one of the defined contributor types.
func (t ContributorType) Valid() bool { return t == Person || t == Organization }

// Role is what a contributor did.
type Role string

// The contributor roles.
const (
	// RoleAuthor wrote the asset.
	RoleAuthor Role = "author"
	// RolePublisher published the asset.
	RolePublisher Role = "publisher"
	// RoleTranslator translated it.
	RoleTranslator Role = "translator"
	// RoleReviewer reviewed it.
	RoleReviewer Role = "reviewer"
	// RoleEditor edited it.
	RoleEditor Role = "editor"
	// RoleInstructor teaches it.
	RoleInstructor Role = "instructor"
	// RoleFunder paid for it.
	RoleFunder Role = "funder"
	// RoleMaintainer keeps it up to date.
	RoleMaintainer Role = "maintainer"
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAuthor, RolePublisher, RoleTranslator, RoleReviewer, RoleEditor, RoleInstructor, RoleFunder, RoleMaintainer:
		return true
	}
	return false
}

// Objective is a learning objective or outcome.
type Objective struct {
	// ID identifies the objective within its asset: a short token
	// ("obj-1") or an absolute IRI.
	ID string `json:"id"`
	// Text states the objective, in one or more languages.
	Text LangString `json:"text,omitempty" jsonschema:"required"`
	// Alignments point at framework nodes this objective teaches,
	// assesses or requires.
	Alignments []Alignment `json:"alignments,omitempty"`
	// Unknown holds members the format does not define, kept as read.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Alignment points at a node of a competency or capability framework.
type Alignment struct {
	// Framework names the framework: a registered key of a built-in
	// framework ("gsbpm", "gamso", "digcomp", "un-bigdata") or the
	// absolute IRI of any other.
	Framework string `json:"framework"`
	// Version is the framework's version ("5.1"); empty means the newest
	// known.
	Version string `json:"version,omitempty"`
	// Code is the node's code as its publisher writes it ("5.3").
	Code string `json:"code"`
	// Relation says how the asset relates to the node; empty means
	// [Teaches].
	Relation AlignmentRelation `json:"relation,omitempty"`
	// Level is the proficiency level on the framework's own scale ("4"
	// for DigComp's level 4, "advanced").
	Level string `json:"level,omitempty"`
	// Unknown holds members the format does not define, kept as read.
	Unknown map[string]json.RawMessage `json:"-"`
}

// AlignmentRelation says how an asset relates to a framework node.
type AlignmentRelation string

// The alignment relations.
const (
	// Teaches means the asset develops the competence or capability.
	Teaches AlignmentRelation = "teaches"
	// Assesses means the asset measures it.
	Assesses AlignmentRelation = "assesses"
	// Requires means a learner needs it before starting.
	Requires AlignmentRelation = "requires"
)

// Valid reports whether r is one of the defined alignment relations.
func (r AlignmentRelation) Valid() bool { return r == Teaches || r == Assesses || r == Requires }

// Resource is a file an asset is made of.
type Resource struct {
	// Path is the file's location, relative to the document or bundle
	// root, with '/' separators ("lessons/01/index.html"). A query or
	// fragment is not part of the path.
	Path string `json:"path"`
	// MediaType is the file's media type ("text/html").
	MediaType string `json:"mediaType,omitempty"`
	// Size is the file's length in bytes, when known.
	Size int64 `json:"size,omitempty"`
	// SHA256 is the lowercase hexadecimal SHA-256 digest of the file,
	// when known.
	SHA256 string `json:"sha256,omitempty"`
	// Role says what the file is for; empty means [RoleSupporting].
	Role ResourceRole `json:"role,omitempty"`
	// Title names the file for people, in one or more languages.
	Title LangString `json:"title,omitempty"`
	// Unknown holds members the format does not define, kept as read.
	Unknown map[string]json.RawMessage `json:"-"`
}

// ResourceRole says what a resource is for.
type ResourceRole string

// The resource roles.
const (
	// RoleLaunch is the file a player opens to start the asset.
	RoleLaunch ResourceRole = "launch"
	// RoleSupporting is a file the launch file needs (scripts, styles).
	RoleSupporting ResourceRole = "supporting"
	// RoleMedia is an image, audio or video file.
	RoleMedia ResourceRole = "media"
	// RoleData is a dataset used in exercises.
	RoleData ResourceRole = "data"
	// RoleMetadata is a metadata file (a LOM record).
	RoleMetadata ResourceRole = "metadata"
)

// Valid reports whether r is one of the defined resource roles.
func (r ResourceRole) Valid() bool {
	switch r {
	case RoleLaunch, RoleSupporting, RoleMedia, RoleData, RoleMetadata:
		return true
	}
	return false
}

// Relation links an asset to another resource it was made from or relates
// to.
type Relation struct {
	// Type is the kind of relation.
	Type RelationType `json:"type"`
	// Target is the related resource: the ID of an asset in the same tree
	// or an absolute IRI.
	Target string `json:"target"`
	// Unknown holds members the format does not define, kept as read.
	Unknown map[string]json.RawMessage `json:"-"`
}

// RelationType is the kind of a [Relation]. The names follow schema.org and
// Dublin Core terms.
type RelationType string

// The relation types.
const (
	// IsBasedOn: the asset adapts the target.
	IsBasedOn RelationType = "isBasedOn"
	// IsTranslationOf: the asset translates the target.
	IsTranslationOf RelationType = "isTranslationOf"
	// IsVersionOf: the asset is a version of the target.
	IsVersionOf RelationType = "isVersionOf"
	// Replaces: the asset supersedes the target.
	Replaces RelationType = "replaces"
	// IsReplacedBy: the target supersedes the asset.
	IsReplacedBy RelationType = "isReplacedBy"
	// IsPartOf: the asset is part of the target (outside this tree).
	IsPartOf RelationType = "isPartOf"
	// HasPart: the target is part of the asset (outside this tree).
	HasPart RelationType = "hasPart"
	// References: the asset cites or links to the target.
	References RelationType = "references"
	// RequiresResource: the asset needs the target to work (software,
	// data). Its JSON name is "requires".
	RequiresResource RelationType = "requires"
	// IsFormatOf: the asset is the same content in another format.
	IsFormatOf RelationType = "isFormatOf"
)

// Valid reports whether t is one of the defined relation types.
func (t RelationType) Valid() bool {
	switch t {
	case IsBasedOn, IsTranslationOf, IsVersionOf, Replaces, IsReplacedBy, IsPartOf, HasPart, References, RequiresResource, IsFormatOf:
		return true
	}
	return false
}
