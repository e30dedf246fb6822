package schemagen

import "github.com/invopop/jsonschema"

// schemaLangString describes an asset.LangString: an
// object with at least one property, whose property names look like BCP 47
// language tags and whose values are strings.
func schemaLangString() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:          "object",
		Description:   "Text in one or more languages: an object whose keys are BCP 47 language tags (such as \"en\", \"fr-CA\" or \"zh-Hant\") and whose values are the text in that language. Equivalent to an xAPI language map.",
		MinProperties: new(uint64(1)),
		PropertyNames: tagNameSchema(),
		AdditionalProperties: &jsonschema.Schema{
			Type: "string",
		},
		Examples: []any{
			map[string]any{"en": "Introduction to sampling", "fr": "Introduction à l'échantillonnage"},
		},
	}
}

// schemaLangList describes an asset.LangList: an
// object with at least one property, whose property names look like BCP 47
// language tags and whose values are non-empty arrays of strings.
func schemaLangList() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:          "object",
		Description:   "Short texts such as keywords in one or more languages: an object whose keys are BCP 47 language tags (such as \"en\", \"fr-CA\" or \"zh-Hant\") and whose values are lists of texts in that language.",
		MinProperties: new(uint64(1)),
		PropertyNames: tagNameSchema(),
		AdditionalProperties: &jsonschema.Schema{
			Type:     "array",
			MinItems: new(uint64(1)),
			Items:    &jsonschema.Schema{Type: "string"},
		},
		Examples: []any{
			map[string]any{"en": []any{"sampling", "survey"}, "de": []any{"Stichprobe", "Erhebung"}},
		},
	}
}

func tagNameSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:      "string",
		Pattern:   tagPattern,
		MinLength: new(uint64(1)),
		MaxLength: new(uint64(maxTagLen)),
	}
}

// tagPattern approximates BCP 47 syntax for JSON Schema: a primary language
// subtag of 2–8 letters, or the single-letter "i" and "x" prefixes, followed
// by subtags of 1–8 ASCII letters or digits. It is deliberately looser than
// [asset.CheckTag]. It is valid both as an ECMA-262 and as a Go regular
// expression.
const tagPattern = `^(?:[A-Za-z]{2,8}|[IiXx])(?:-[A-Za-z0-9]{1,8})*$`

// schemaDuration describes an asset.Duration as a string with a pattern that accepts
// exactly what ParseDuration accepts, apart from numbers too large for an
// int64, plus a maxLength of 64.
func schemaDuration() *jsonschema.Schema {
	maxLen := uint64(maxDurationLen)
	return &jsonschema.Schema{
		Type:      "string",
		Pattern:   durationPattern,
		MaxLength: &maxLen,
		Description: "ISO 8601 duration: 'P', then years (Y), months (M), weeks (W), days (D), " +
			"then 'T' and hours (H), minutes (M), seconds (S), each optional but at least one, " +
			"in that order, with unsigned whole numbers; only seconds may have a fraction " +
			"(up to 9 digits). Examples: PT45M, P1DT2H30M, PT1.5S.",
		Examples: []any{"PT45M", "P1DT2H30M", "P2W"},
	}
}

// durationPattern is a regular expression (valid both in Go and ECMA 262)
// for the language ParseDuration accepts, except for the 64-byte limit
// (maxLength in the schema) and int64 overflow, which a regex cannot express.
const durationPattern = `^P(?:` + durReDate + `(?:` + durReTime + `)?|` + durReTime + `)$`

const (
	durReNum     = `[0-9]+`
	durReSeconds = durReNum + `(?:[.,][0-9]{1,9})?S`
	durReDate    = `(?:` + durReNum + `Y(?:` + durReNum + `M)?(?:` + durReNum + `W)?(?:` + durReNum + `D)?|` + durReNum + `M(?:` + durReNum + `W)?(?:` + durReNum + `D)?|` + durReNum + `W(?:` + durReNum + `D)?|` + durReNum + `D)`
	durReTime    = `T(?:` + durReNum + `H(?:` + durReNum + `M)?(?:` + durReSeconds + `)?|` + durReNum + `M(?:` + durReSeconds + `)?|` + durReSeconds + `)`
)

// maxTagLen is the longest language tag asset.CheckTag accepts (RFC 5646
// section 4.4.1: 35 characters suffice for any tag without extensions or
// private-use subtags).
const maxTagLen = 35

// maxDurationLen is the longest input asset.ParseDuration looks at, in
// bytes.
const maxDurationLen = 64
