// Package schemagen generates the JSON Schemas (draft 2020-12) of OTA's
// small JSON formats from their Go types, in the one layout docs/schema
// holds: additional members allowed, the type's own struct at the root,
// indented with two spaces, ending in a newline.
package schemagen

import (
	"bytes"
	"encoding/json"

	"github.com/invopop/jsonschema"
)

// Generate reflects v (a pointer to a struct) into a schema with the given
// $id, title and description.
func Generate(v any, id, title, description string) ([]byte, error) {
	r := &jsonschema.Reflector{
		AllowAdditionalProperties: true,
		ExpandedStruct:            true,
	}
	defs := assetTypes(r)
	s := r.Reflect(v)
	if s.Definitions == nil && len(defs) > 0 {
		s.Definitions = jsonschema.Definitions{}
	}
	for name, def := range defs {
		s.Definitions[name] = def
	}
	s.ID = jsonschema.ID(id)
	s.Title = title
	s.Description = description
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
