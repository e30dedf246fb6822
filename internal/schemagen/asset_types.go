package schemagen

import (
	"strings"

	"github.com/invopop/jsonschema"
	"github.com/metaacademy/ota/asset"
)

// This file refines the JSON Schema that [Asset] derives from the
// Go types: the closed vocabularies become enums, and the strings whose
// syntax the format defines get patterns that accept every value the
// specification (docs/spec/asset.md) allows and reject as many of the
// values it forbids as a regular expression can. Where [asset.Check] is more
// lenient than the specification — it treats an empty optional string as
// absent, and accepts the date-times Go's time.Parse accepts beyond
// RFC 3339 — the schema follows the specification.
//
// JSON Schema patterns are ECMA-262 regular expressions, while Go validators
// compile them with RE2. Every pattern here keeps to the syntax the two
// share: no \d, \s or \w (their meanings differ), no lookaround, no inline
// flags, no \u escapes (RE2 lacks them) and no \x{…} escapes (ECMA-262 lacks
// them outside Unicode mode). Characters above U+00FF are written as
// themselves.

// schemaEnumValue is one value of a closed vocabulary: the Go constant's
// name, its JSON value and what it means.
type schemaEnumValue[T ~string] struct {
	name    string
	value   T
	meaning string
}

var schemaKinds = []schemaEnumValue[asset.Kind]{
	{"KindProgramme", asset.KindProgramme, "a set of courses leading to a qualification or a role"},
	{"KindCourse", asset.KindCourse, "a unit of training a learner enrols in"},
	{"KindModule", asset.KindModule, "a part of a course"},
	{"KindLesson", asset.KindLesson, "one sitting's worth of learning"},
	{"KindActivity", asset.KindActivity, "an exercise, a reading or a video"},
	{"KindAssessment", asset.KindAssessment, "a quiz, an exam or an assignment"},
	{"KindResource", asset.KindResource, "supporting material that is not itself a learning activity, such as a dataset or a handout"},
}

var schemaLevels = []schemaEnumValue[asset.Level]{
	{"LevelBasic", asset.LevelBasic, "for learners new to the subject"},
	{"LevelIntermediate", asset.LevelIntermediate, "for learners who know the basics"},
	{"LevelAdvanced", asset.LevelAdvanced, "for practitioners"},
	{"LevelExpert", asset.LevelExpert, "for specialists"},
}

var schemaDeliveryModes = []schemaEnumValue[asset.DeliveryMode]{
	{"DeliverySelfPaced", asset.DeliverySelfPaced, "online, at the learner's own pace"},
	{"DeliveryOnlineLive", asset.DeliveryOnlineLive, "online, led by a trainer in real time"},
	{"DeliveryInPerson", asset.DeliveryInPerson, "in a classroom"},
	{"DeliveryBlended", asset.DeliveryBlended, "a mix of online and in-person learning"},
}

var schemaContributorTypes = []schemaEnumValue[asset.ContributorType]{
	{"Person", asset.Person, "an individual"},
	{"Organization", asset.Organization, "an organisation, such as a national statistical office or an international body"},
}

var schemaRoles = []schemaEnumValue[asset.Role]{
	{"RoleAuthor", asset.RoleAuthor, "wrote the asset"},
	{"RolePublisher", asset.RolePublisher, "published it"},
	{"RoleTranslator", asset.RoleTranslator, "translated it"},
	{"RoleReviewer", asset.RoleReviewer, "reviewed it"},
	{"RoleEditor", asset.RoleEditor, "edited it"},
	{"RoleInstructor", asset.RoleInstructor, "teaches it"},
	{"RoleFunder", asset.RoleFunder, "paid for it"},
	{"RoleMaintainer", asset.RoleMaintainer, "keeps it up to date"},
}

var schemaAlignmentRelations = []schemaEnumValue[asset.AlignmentRelation]{
	{"Teaches", asset.Teaches, "the asset develops the competence or capability"},
	{"Assesses", asset.Assesses, "the asset measures it"},
	{"Requires", asset.Requires, "a learner needs it before starting"},
}

var schemaResourceRoles = []schemaEnumValue[asset.ResourceRole]{
	{"RoleLaunch", asset.RoleLaunch, "the file a player opens to start the asset"},
	{"RoleSupporting", asset.RoleSupporting, "a file the launch file needs, such as a script or a style sheet"},
	{"RoleMedia", asset.RoleMedia, "an image, audio or video file"},
	{"RoleData", asset.RoleData, "a dataset used in exercises"},
	{"RoleMetadata", asset.RoleMetadata, "a metadata file, such as a LOM record"},
}

var schemaRelationTypes = []schemaEnumValue[asset.RelationType]{
	{"IsBasedOn", asset.IsBasedOn, "the asset adapts the target"},
	{"IsTranslationOf", asset.IsTranslationOf, "the asset translates the target"},
	{"IsVersionOf", asset.IsVersionOf, "the asset is a version of the target"},
	{"Replaces", asset.Replaces, "the asset supersedes the target"},
	{"IsReplacedBy", asset.IsReplacedBy, "the target supersedes the asset"},
	{"IsPartOf", asset.IsPartOf, "the asset is part of the target, outside this tree"},
	{"HasPart", asset.HasPart, "the target is part of the asset, outside this tree"},
	{"References", asset.References, "the asset cites or links to the target"},
	{"RequiresResource", asset.RequiresResource, "the asset needs the target, such as software or data, to work"},
	{"IsFormatOf", asset.IsFormatOf, "the asset is the same content as the target in another format"},
}

// schemaEnum returns a string schema whose enum is the values, in order,
// and whose description is intro followed by each value and its meaning.
func schemaEnum[T ~string](intro string, values []schemaEnumValue[T]) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "string"}
	var b strings.Builder
	b.WriteString(intro)
	b.WriteString(" One of: ")
	for i, v := range values {
		s.Enum = append(s.Enum, string(v.value))
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(`"` + string(v.value) + `", ` + v.meaning)
	}
	b.WriteString(".")
	s.Description = b.String()
	return s
}

// schemaKind describes a asset.Kind.
func schemaKind() *jsonschema.Schema {
	return schemaEnum("The granularity of an asset, from the largest to the smallest.", schemaKinds)
}

// schemaLevel describes a asset.Level.
func schemaLevel() *jsonschema.Schema {
	return schemaEnum("The proficiency level an asset is pitched at.", schemaLevels)
}

// schemaDeliveryMode describes a asset.DeliveryMode.
func schemaDeliveryMode() *jsonschema.Schema {
	return schemaEnum("How an asset is delivered.", schemaDeliveryModes)
}

// schemaContributorType describes a asset.ContributorType.
func schemaContributorType() *jsonschema.Schema {
	return schemaEnum("Whether a contributor is a person or an organisation.", schemaContributorTypes)
}

// schemaRole describes a asset.Role.
func schemaRole() *jsonschema.Schema {
	return schemaEnum("What a contributor did.", schemaRoles)
}

// schemaAlignmentRelation describes an asset.AlignmentRelation.
func schemaAlignmentRelation() *jsonschema.Schema {
	return schemaEnum("How an asset relates to a framework node; when absent, \"teaches\".", schemaAlignmentRelations)
}

// schemaResourceRole describes a asset.ResourceRole.
func schemaResourceRole() *jsonschema.Schema {
	return schemaEnum("What a resource is for; when absent, \"supporting\".", schemaResourceRoles)
}

// schemaRelationType describes a asset.RelationType.
func schemaRelationType() *jsonschema.Schema {
	return schemaEnum("The kind of a relation, named after schema.org and Dublin Core terms.", schemaRelationTypes)
}

// Patterns shared by several members.
const (
	// schemaSchemePattern matches a string that starts with a URI scheme
	// and a colon, as iri.HasScheme tests.
	schemaSchemePattern = `^[A-Za-z][A-Za-z0-9+.-]*:`

	// schemaIRIPattern is iri.CheckAbsolute's syntax: a scheme, a colon,
	// then at least one character that is not a control, a space or one of
	// <>"{}|\^` and in which '%' starts a %XX escape.
	schemaIRIPattern = `^[A-Za-z][A-Za-z0-9+.-]*:(?:[^\x00-\x20\x7F-\x9F<>"{}|\\^\x60%]|%[0-9A-Fa-f]{2})+$`

	// A urn:uuid: IRI must hold a UUID in its 8-4-4-4-12 form.
	schemaURNUUIDPrefix  = `^[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:`
	schemaURNUUIDPattern = schemaURNUUIDPrefix + `[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`

	// An http or https IRI must have "//" and a non-empty host, which is
	// what follows the last '@' of the authority and does not start with
	// ':' (a port).
	schemaHTTPPrefix  = `^[Hh][Tt][Tt][Pp][Ss]?:`
	schemaHTTPPattern = schemaHTTPPrefix + `//(?:[^/?#]*@)?[^/?#@:][^/?#@]*(?:[/?#]|$)`

	// schemaFrameworkKeyPattern is a registered framework key, as Check's
	// frameworkKey.
	schemaFrameworkKeyPattern = `^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$`

	// schemaSpaceClass lists, inside a character class, the characters
	// strings.TrimSpace removes: those with the Unicode White_Space
	// property.
	schemaSpaceClass = `\t\n\v\f\r \x85\xA0` + "\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"

	// schemaNonBlankPattern matches a string holding at least one
	// character that is not white space.
	schemaNonBlankPattern = `[^` + schemaSpaceClass + `]`

	// schemaObjectiveIDPattern is a token without spaces or control
	// characters.
	schemaObjectiveIDPattern = `^[^\x00-\x20\x7F]+$`

	// schemaSemverPattern is a Semantic Versioning 2.0.0 version:
	// MAJOR.MINOR.PATCH without leading zeros, then an optional
	// pre-release (dot-separated identifiers; numeric ones without leading
	// zeros) and optional build metadata.
	schemaSemverPattern = `^` + schemaSemverNum + `\.` + schemaSemverNum + `\.` + schemaSemverNum +
		`(?:-` + schemaSemverPre + `(?:\.` + schemaSemverPre + `)*)?` +
		`(?:\+` + schemaSemverBuild + `(?:\.` + schemaSemverBuild + `)*)?$`
	schemaSemverNum   = `(?:0|[1-9][0-9]*)`
	schemaSemverPre   = `(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`
	schemaSemverBuild = `[0-9A-Za-z-]+`

	// schemaFormatPattern is a format version this package reads: major 1
	// and a minor of at most four digits without leading zeros, as
	// parseFormat requires. Other majors are refused by Read.
	schemaFormatPattern = `^1\.(?:0|[1-9][0-9]{0,3})$`

	// schemaDatePattern is an RFC 3339 full-date, or a date-time with
	// upper-case 'T' and 'Z', a '.' before any fraction of a second and
	// no leap second. Days are checked against their month, and
	// February 29 against the Gregorian leap-year rule.
	schemaDatePattern = `^(?:` + schemaFullDate + `)(?:T` + schemaTime + `)?$`
	schemaFullDate    = `[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))` +
		`|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29`
	schemaTime = `(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])`

	// schemaPathSegment is one segment of a resource path: no '/', '\',
	// '?', '#' or control characters.
	schemaPathSegment = `[^/\\?#\x00-\x1F\x7F]+`
	// schemaPathPattern is a relative path of non-empty segments: no
	// leading or trailing '/', no "//".
	schemaPathPattern = `^` + schemaPathSegment + `(?:/` + schemaPathSegment + `)*$`
	// schemaDotSegmentPattern finds a "." or ".." segment.
	schemaDotSegmentPattern = `(?:^|/)\.\.?(?:/|$)`

	// schemaMediaTypePattern is a type/subtype pair of RFC 2045 tokens,
	// optionally surrounded by white space and followed by parameters,
	// which are not checked.
	schemaMediaTypePattern = `^[` + schemaSpaceClass + `]*` + schemaToken + `/` + schemaToken +
		`[` + schemaSpaceClass + `]*(?:;[\s\S]*)?$`
	schemaToken = "[!#$%&'*+.0-9A-Z^_\\x60a-z{|}~-]+"

	// schemaEmailPattern is Check's test of an address: something, an '@'
	// and a domain holding a '.', with no spaces or angle brackets.
	schemaEmailPattern = `^[^ \t\r\n<>]+@[^ \t\r\n<>@]*\.[^ \t\r\n<>@]*$`

	// schemaSHA256Pattern is 64 lowercase hexadecimal digits.
	schemaSHA256Pattern = `^[0-9a-f]{64}$`
)

// Names of the definitions the extensions below add to the schema.
const (
	schemaIRIRef  = "#/$defs/IRI"
	schemaDateRef = "#/$defs/Date"
)

// schemaExtraDefs returns the definitions the member refinements refer to,
// keyed by name.
func schemaExtraDefs() map[string]*jsonschema.Schema {
	return map[string]*jsonschema.Schema{
		"IRI": {
			Type:      "string",
			MinLength: new(uint64(1)),
			Pattern:   schemaIRIPattern,
			AllOf: []*jsonschema.Schema{
				{
					Comments: "A urn:uuid: IRI holds a UUID in its 8-4-4-4-12 hexadecimal form.",
					If:       &jsonschema.Schema{Pattern: schemaURNUUIDPrefix},
					Then:     &jsonschema.Schema{Pattern: schemaURNUUIDPattern},
				},
				{
					Comments: "An http or https IRI has \"//\" and a non-empty host.",
					If:       &jsonschema.Schema{Pattern: schemaHTTPPrefix},
					Then:     &jsonschema.Schema{Pattern: schemaHTTPPattern},
				},
			},
			Description: "An absolute IRI (RFC 3987): a scheme such as \"https:\" or \"urn:\", then at least one character; " +
				"no spaces, control characters or <>\"{}|\\^` (percent-encode them); '%' only in %XX escapes.",
			Examples: []any{"urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "https://example.org/training/sampling"},
		},
		"Date": {
			Type:    "string",
			Pattern: schemaDatePattern,
			Description: "An RFC 3339 full-date (\"2024-05-01\") or date-time (\"2024-05-01T09:30:00Z\", " +
				"\"2024-05-01T09:30:00.5+02:00\") with upper-case T and Z, a real calendar day and seconds from 00 to 59.",
			Examples: []any{"2024-05-01", "2024-05-01T09:30:00Z"},
		},
	}
}

// schemaRefineLangDefs adds to the LangString and LangList definitions,
// which their own JSONSchema methods make, that every text holds a
// character other than white space: an empty text is an error
// (asset.langstring.empty, asset.keywords.empty), not a missing one.
func schemaRefineLangDefs(defs jsonschema.Definitions) {
	text := func(s *jsonschema.Schema) {
		if s != nil && s.Type == "string" && s.Pattern == "" {
			s.MinLength = new(uint64(1))
			s.Pattern = schemaNonBlankPattern
		}
	}
	if ls := defs["LangString"]; ls != nil {
		text(ls.AdditionalProperties)
	}
	if ll := defs["LangList"]; ll != nil && ll.AdditionalProperties != nil {
		text(ll.AdditionalProperties.Items)
	}
}

// schemaRefine replaces the property name of s with r, keeping the
// property's description. It does nothing when s has no such property.
func schemaRefine(s *jsonschema.Schema, name string, r *jsonschema.Schema) {
	if s.Properties == nil {
		return
	}
	old, ok := s.Properties.Get(name)
	if !ok {
		return
	}
	if old != nil && r.Description == "" {
		r.Description = old.Description
	}
	s.Properties.Set(name, r)
}

// schemaProperty returns the property name of s, or a throwaway schema
// when there is none, so that refinements can be written unconditionally.
func schemaProperty(s *jsonschema.Schema, name string) *jsonschema.Schema {
	if s.Properties != nil {
		if p, ok := s.Properties.Get(name); ok && p != nil {
			return p
		}
	}
	return &jsonschema.Schema{}
}

func schemaIRI() *jsonschema.Schema { return &jsonschema.Schema{Ref: schemaIRIRef} }

func schemaNonBlank() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", MinLength: new(uint64(1)), Pattern: schemaNonBlankPattern}
}

// extendAsset refines the generated schema of an asset object.
func extendAsset(s *jsonschema.Schema) {
	schemaRefine(s, "id", schemaIRI())
	schemaRefine(s, "version", &jsonschema.Schema{Type: "string", Pattern: schemaSemverPattern, Examples: []any{"1.0.0", "2.1.0-rc.1"}})
	schemaProperty(s, "title").MinProperties = new(uint64(1))
	schemaRefine(s, "languages", &jsonschema.Schema{
		Type: "array",
		Items: &jsonschema.Schema{
			Type:      "string",
			MinLength: new(uint64(1)),
			MaxLength: new(uint64(maxTagLen)),
			Pattern:   tagPattern,
		},
	})
	schemaRefine(s, "license", &jsonschema.Schema{Type: "string", MinLength: new(uint64(1)), Pattern: schemaNonBlankPattern, Examples: []any{"CC-BY-4.0", "CC-BY-4.0 OR OGL-UK-3.0"}})
	schemaRefine(s, "prerequisites", &jsonschema.Schema{Type: "array", Items: schemaIRI()})
	for _, name := range []string{"created", "modified", "published"} {
		schemaRefine(s, name, &jsonschema.Schema{Ref: schemaDateRef})
	}
	schemaRefine(s, "extensions", &jsonschema.Schema{Type: "object", PropertyNames: schemaIRI()})
}

// extendContributor refines the generated schema of a contributor object.
func extendContributor(s *jsonschema.Schema) {
	schemaRefine(s, "name", schemaNonBlank())
	schemaRefine(s, "id", schemaIRI())
	schemaRefine(s, "email", &jsonschema.Schema{Type: "string", Pattern: schemaEmailPattern})
	schemaProperty(s, "affiliation").MinLength = new(uint64(1))
}

// extendObjective refines the generated schema of an objective object.
func extendObjective(s *jsonschema.Schema) {
	schemaRefine(s, "id", &jsonschema.Schema{Type: "string", MinLength: new(uint64(1)), Pattern: schemaObjectiveIDPattern, Examples: []any{"obj-1"}})
	schemaProperty(s, "text").MinProperties = new(uint64(1))
}

// extendAlignment refines the generated schema of an alignment object.
func extendAlignment(s *jsonschema.Schema) {
	schemaRefine(s, "framework", &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: schemaFrameworkKeyPattern},
			schemaIRI(),
		},
		Examples: []any{"gsbpm", "gamso", "digcomp", "un-bigdata", "https://example.org/frameworks/data-skills"},
	})
	schemaRefine(s, "code", schemaNonBlank())
	schemaProperty(s, "version").MinLength = new(uint64(1))
	schemaProperty(s, "level").MinLength = new(uint64(1))
}

// extendResource refines the generated schema of a resource object.
func extendResource(s *jsonschema.Schema) {
	schemaRefine(s, "path", &jsonschema.Schema{
		Type:      "string",
		MinLength: new(uint64(1)),
		Pattern:   schemaPathPattern,
		AllOf: []*jsonschema.Schema{
			{Comments: "Not a URL, nor a path with a drive letter.", Not: &jsonschema.Schema{Pattern: schemaSchemePattern}},
			{Comments: "No \".\" or \"..\" segments.", Not: &jsonschema.Schema{Pattern: schemaDotSegmentPattern}},
		},
		Examples: []any{"lessons/01/index.html"},
	})
	schemaRefine(s, "mediaType", &jsonschema.Schema{Type: "string", Pattern: schemaMediaTypePattern, Examples: []any{"text/html", "text/csv; charset=utf-8"}})
	size := schemaProperty(s, "size")
	size.Minimum = "0"
	size.Maximum = "9223372036854775807"
	schemaRefine(s, "sha256", &jsonschema.Schema{Type: "string", Pattern: schemaSHA256Pattern})
}

// extendRelation refines the generated schema of a relation object.
func extendRelation(s *jsonschema.Schema) {
	schemaRefine(s, "target", schemaIRI())
}
