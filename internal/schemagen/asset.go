package schemagen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/invopop/jsonschema"
	"github.com/metaacademy/ota/asset"
)

// schemaDoc describes the JSON form of a [asset.Document] for schema generation:
// the root asset plus the document header.
type schemaDoc struct {
	// OTA is the format version of the document, MAJOR.MINOR.
	OTA string `json:"ota"`
	// Schema is the URI of the JSON Schema the document follows.
	Schema string `json:"$schema,omitempty"`
	asset.Asset
}

// extendDoc refines the root object: the asset's refinements plus
// the document header.
func extendDoc(s *jsonschema.Schema) {
	extendAsset(s)
	schemaRefine(s, "ota", &jsonschema.Schema{
		Type:    "string",
		Pattern: schemaFormatPattern,
		Description: "The version of the OTA format the document is written in, MAJOR.MINOR: \"" + asset.FormatVersion + "\" for this version. " +
			"Readers of format 1 accept any 1.x version (a newer minor version with a warning) and refuse other major versions.",
		Examples: []any{asset.FormatVersion},
	})
	schemaRefine(s, "$schema", &jsonschema.Schema{
		Type:        "string",
		MinLength:   new(uint64(1)),
		Format:      "uri",
		Description: "The URI of the JSON Schema the document follows, such as \"" + asset.SchemaURI + "\". It is kept as written and not otherwise checked.",
	})
}

// Asset returns the JSON Schema (draft 2020-12) of OTA documents,
// generated from the Go types of package asset. The published copy is
// docs/schema/asset.schema.json; `go generate ./...` refreshes it, and a test
// fails when the two differ.
//
// The schema checks shapes, closed vocabularies and the syntax of the
// strings whose syntax the format defines (IDs, dates, versions, paths,
// digests). Rules that need the whole tree (unique IDs, resolvable
// prerequisites, cycles, durations of parts) or a registry (SPDX
// identifiers, language subtags) are left to [asset.Check], as are the rules
// whose breach is only a warning. Members the schema does not define are
// allowed, because readers keep them.
//
// The descriptions come from the doc comments of package asset's source
// files, which Asset reads from the current directory: it must run in that
// package's source directory, as `go generate` does there, and it returns
// an error anywhere else.
func Asset() ([]byte, error) {
	r := &jsonschema.Reflector{
		AllowAdditionalProperties:  true,
		RequiredFromJSONSchemaTags: false,
		DoNotReference:             false,
		ExpandedStruct:             true,
	}
	defs := assetTypes(r)
	pkg := reflect.TypeFor[asset.Asset]().PkgPath()
	if err := r.AddGoComments(pkg, "."); err != nil {
		return nil, fmt.Errorf("schemagen: reading the doc comments of package asset: %w", err)
	}
	if r.CommentMap[pkg+".Asset"] == "" {
		return nil, errors.New("schemagen: Asset must run in the source directory of package asset, where it reads the doc comments")
	}
	s := r.Reflect(&schemaDoc{})
	for name, def := range defs {
		s.Definitions[name] = def
	}
	extendDoc(s)
	for name, extend := range assetExtensions {
		if d := s.Definitions[name]; d != nil {
			extend(d)
		}
	}
	for name, def := range schemaExtraDefs() {
		s.Definitions[name] = def
	}
	schemaRefineLangDefs(s.Definitions)
	s.ID = asset.SchemaURI
	s.Title = "OTA document " + asset.FormatVersion
	s.Description = "An OTA (Open Training Asset) document: the root asset of a tree of training assets, with the format version in \"ota\". See docs/spec/asset.md."
	schemaTidy(s, map[*jsonschema.Schema]bool{})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return schemaUnescape(buf.Bytes()), nil
}

// assetTypes makes r describe the asset types of [assetTypeSchemas] by a
// reference to a definition of their own, as a JSONSchema method would. The
// definitions are collected in the map returned, for the caller to add to
// the schema r reflects.
func assetTypes(r *jsonschema.Reflector) jsonschema.Definitions {
	defs := jsonschema.Definitions{}
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		mk, ok := assetTypeSchemas[t]
		if !ok {
			return nil
		}
		defs[t.Name()] = mk()
		return &jsonschema.Schema{Ref: "#/$defs/" + t.Name()}
	}
	return defs
}

// assetTypeSchemas are the schemas of the asset types that are not
// reflected from their Go form, each a definition of its own.
var assetTypeSchemas = map[reflect.Type]func() *jsonschema.Schema{
	reflect.TypeFor[asset.Kind]():              schemaKind,
	reflect.TypeFor[asset.Level]():             schemaLevel,
	reflect.TypeFor[asset.DeliveryMode]():      schemaDeliveryMode,
	reflect.TypeFor[asset.ContributorType]():   schemaContributorType,
	reflect.TypeFor[asset.Role]():              schemaRole,
	reflect.TypeFor[asset.AlignmentRelation](): schemaAlignmentRelation,
	reflect.TypeFor[asset.ResourceRole]():      schemaResourceRole,
	reflect.TypeFor[asset.RelationType]():      schemaRelationType,
	reflect.TypeFor[asset.Duration]():          schemaDuration,
	reflect.TypeFor[asset.LangString]():        schemaLangString,
	reflect.TypeFor[asset.LangList]():          schemaLangList,
}

// assetExtensions refine the reflected definitions of the asset's objects.
var assetExtensions = map[string]func(*jsonschema.Schema){
	"Asset":       extendAsset,
	"Contributor": extendContributor,
	"Objective":   extendObjective,
	"Alignment":   extendAlignment,
	"Resource":    extendResource,
	"Relation":    extendRelation,
}

// schemaTidy rewrites the descriptions of s and every schema below it for
// readers of JSON rather than of Go: see schemaTidyText.
func schemaTidy(s *jsonschema.Schema, seen map[*jsonschema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	s.Description = schemaTidyText(s.Description)
	var subs []*jsonschema.Schema
	for _, d := range s.Definitions {
		subs = append(subs, d)
	}
	if s.Properties != nil {
		for p := range s.Properties.ValuesFromOldest() {
			subs = append(subs, p)
		}
	}
	for _, p := range s.PatternProperties {
		subs = append(subs, p)
	}
	for _, p := range s.DependentSchemas {
		subs = append(subs, p)
	}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	subs = append(subs, s.PrefixItems...)
	subs = append(subs, s.Not, s.If, s.Then, s.Else, s.Items, s.Contains,
		s.AdditionalProperties, s.PropertyNames, s.ContentSchema)
	for _, sub := range subs {
		schemaTidy(sub, seen)
	}
}

// schemaDocLink matches a Go doc link such as [asset.Teaches] or [asset.NewID].
var schemaDocLink = regexp.MustCompile(`\[([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\]`)

// schemaTidyText joins the lines of each paragraph of a doc comment and
// rewrites Go doc links: a link to a constant of a closed vocabulary
// becomes its JSON value in quotes ([asset.Teaches] becomes "teaches"), any
// other link loses its brackets.
func schemaTidyText(s string) string {
	if s == "" {
		return s
	}
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	s = strings.Join(paras, "\n\n")
	consts := schemaConstValues()
	return schemaDocLink.ReplaceAllStringFunc(s, func(link string) string {
		name := link[1 : len(link)-1]
		if v, ok := consts[name]; ok {
			return `"` + v + `"`
		}
		return name
	})
}

// schemaConstValues maps the Go name of every constant of a closed
// vocabulary to its JSON value.
func schemaConstValues() map[string]string {
	m := map[string]string{}
	addConsts(m, schemaKinds)
	addConsts(m, schemaLevels)
	addConsts(m, schemaDeliveryModes)
	addConsts(m, schemaContributorTypes)
	addConsts(m, schemaRoles)
	addConsts(m, schemaAlignmentRelations)
	addConsts(m, schemaResourceRoles)
	addConsts(m, schemaRelationTypes)
	return m
}

func addConsts[T ~string](m map[string]string, values []schemaEnumValue[T]) {
	for _, v := range values {
		m[v.name] = string(v.value)
	}
}

// schemaUnescape makes encoded JSON easier to read without changing what it
// means: the \u003c, \u003e and \u0026 escapes that encoding/json writes
// for '<', '>' and '&' become the characters again, and characters that
// cannot be seen (white space other than the ASCII space, and characters
// that are not printable) become \uXXXX escapes.
func schemaUnescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b) && b[i+1] == 'u' && i+6 <= len(b):
			switch string(b[i+2 : i+6]) {
			case "003c":
				out = append(out, '<')
			case "003e":
				out = append(out, '>')
			case "0026":
				out = append(out, '&')
			default:
				out = append(out, b[i:i+6]...)
			}
			i += 6
		case c == '\\' && i+1 < len(b):
			out = append(out, b[i:i+2]...) // any other escape, "\\" included
			i += 2
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			if unicode.IsSpace(r) || !unicode.IsPrint(r) {
				if r > 0xFFFF {
					r1, r2 := utf16.EncodeRune(r)
					out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
				} else {
					out = fmt.Appendf(out, `\u%04x`, r)
				}
			} else {
				out = append(out, b[i:i+size]...)
			}
			i += size
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}
