package asset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/metaacademy/ota/internal/jsonesc"
)

// canon writes the canonical JSON of the model in one pass: members in the
// order of the format, unknown members after the known ones sorted by key,
// map keys sorted, no HTML escaping, and — when indent is set — two-space
// indentation. It produces the same bytes as encoding/json would with the
// struct tags, escaping and indentation above, without the cost of
// re-encoding nested values at every level.
type canon struct {
	b      []byte
	indent bool
	depth  int
	first  bool // the current container has no element yet
	err    error
}

func (e *canon) open(c byte) {
	e.b = append(e.b, c)
	e.depth++
	e.first = true
}

func (e *canon) close(c byte) {
	e.depth--
	if !e.first {
		e.newline()
	}
	e.b = append(e.b, c)
	e.first = false
}

func (e *canon) newline() {
	if e.indent {
		e.b = append(e.b, '\n')
		for range e.depth {
			e.b = append(e.b, ' ', ' ')
		}
	}
}

// elem starts an array element.
func (e *canon) elem() {
	if !e.first {
		e.b = append(e.b, ',')
	}
	e.first = false
	e.newline()
}

// key starts an object member.
func (e *canon) key(k string) {
	e.elem()
	e.str(k)
	e.b = append(e.b, ':')
	if e.indent {
		e.b = append(e.b, ' ')
	}
}

// str appends s as a JSON string, escaped as [jsonesc.AppendString] does.
func (e *canon) str(s string) { e.b = jsonesc.AppendString(e.b, s) }

// raw appends a JSON value given as text, compacted and re-indented at the
// current depth.
func (e *canon) raw(name string, v json.RawMessage) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		if e.err == nil {
			e.err = fmt.Errorf("asset: %s does not hold valid JSON: %w", name, err)
		}
		e.b = append(e.b, "null"...)
		return
	}
	if !e.indent {
		e.b = append(e.b, buf.Bytes()...)
		return
	}
	var out bytes.Buffer
	prefix := make([]byte, 2*e.depth)
	for i := range prefix {
		prefix[i] = ' '
	}
	_ = json.Indent(&out, buf.Bytes(), string(prefix), "  ") // valid after Compact
	e.b = append(e.b, out.Bytes()...)
}

func (e *canon) optStr(k, v string) {
	if v != "" {
		e.key(k)
		e.str(v)
	}
}

func (e *canon) strList(k string, v []string) {
	if len(v) == 0 {
		return
	}
	e.key(k)
	e.open('[')
	for _, s := range v {
		e.elem()
		e.str(s)
	}
	e.close(']')
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

func (e *canon) langString(k string, v LangString) {
	if len(v) == 0 {
		return
	}
	e.key(k)
	e.open('{')
	for _, tag := range sortedKeys(v) {
		e.key(tag)
		e.str(v[tag])
	}
	e.close('}')
}

func (e *canon) langList(k string, v LangList) {
	if len(v) == 0 {
		return
	}
	e.key(k)
	e.open('{')
	for _, tag := range sortedKeys(v) {
		e.key(tag)
		if v[tag] == nil {
			e.b = append(e.b, "null"...)
			continue
		}
		e.open('[')
		for _, s := range v[tag] {
			e.elem()
			e.str(s)
		}
		e.close(']')
	}
	e.close('}')
}

// rawMap appends a map of raw JSON values with sorted keys.
func (e *canon) rawMap(k string, m map[string]json.RawMessage) {
	if len(m) == 0 {
		return
	}
	e.key(k)
	e.open('{')
	for _, key := range sortedKeys(m) {
		e.key(key)
		e.raw("extension "+strconv.Quote(key), m[key])
	}
	e.close('}')
}

// unknown appends the unknown members, sorted, skipping keys the object
// defines so that the output never holds a duplicate key.
func (e *canon) unknown(m map[string]json.RawMessage, known func(string) bool) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if !known(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		e.key(k)
		e.raw("unknown member "+strconv.Quote(k), m[k])
	}
}

func (e *canon) assetMembers(a *Asset) {
	e.key("id")
	e.str(a.ID)
	e.optStr("version", a.Version)
	e.key("kind")
	e.str(string(a.Kind))
	e.langString("title", a.Title)
	e.langString("description", a.Description)
	e.langList("keywords", a.Keywords)
	e.strList("languages", a.Languages)
	writeArray(e, "contributors", a.Contributors, (*canon).contributor)
	e.optStr("license", a.License)
	e.langString("audience", a.Audience)
	e.optStr("level", string(a.Level))
	if !a.Duration.IsZero() {
		text, err := a.Duration.MarshalText()
		if err != nil && e.err == nil {
			e.err = err
		}
		e.key("duration")
		e.str(string(text))
	}
	e.strList("deliveryModes", strs(a.DeliveryModes))
	e.langString("accessibility", a.Accessibility)
	writeArray(e, "objectives", a.Objectives, (*canon).objective)
	e.alignments("alignments", a.Alignments)
	e.strList("prerequisites", a.Prerequisites)
	writeArray(e, "parts", a.Parts, (*canon).asset)
	writeArray(e, "resources", a.Resources, (*canon).resource)
	writeArray(e, "relations", a.Relations, (*canon).relation)
	e.optStr("created", a.Created)
	e.optStr("modified", a.Modified)
	e.optStr("published", a.Published)
	e.rawMap("extensions", a.Extensions)
	e.unknown(a.Unknown, isAssetKey)
}

func (e *canon) asset(a *Asset) {
	e.open('{')
	e.assetMembers(a)
	e.close('}')
}

func (e *canon) contributor(c *Contributor) {
	e.open('{')
	e.key("name")
	e.str(c.Name)
	e.optStr("type", string(c.Type))
	e.strList("roles", strs(c.Roles))
	e.optStr("id", c.ID)
	e.optStr("email", c.Email)
	e.optStr("affiliation", c.Affiliation)
	e.unknown(c.Unknown, keyIn("name", "type", "roles", "id", "email", "affiliation"))
	e.close('}')
}

func (e *canon) objective(o *Objective) {
	e.open('{')
	e.key("id")
	e.str(o.ID)
	e.langString("text", o.Text)
	e.alignments("alignments", o.Alignments)
	e.unknown(o.Unknown, keyIn("id", "text", "alignments"))
	e.close('}')
}

func (e *canon) alignments(k string, v []Alignment) { writeArray(e, k, v, (*canon).alignment) }

// writeArray writes the member k holding v, each element by write; an empty
// v is left out.
func writeArray[T any](e *canon, k string, v []T, write func(*canon, *T)) {
	if len(v) == 0 {
		return
	}
	e.key(k)
	e.open('[')
	for i := range v {
		e.elem()
		write(e, &v[i])
	}
	e.close(']')
}

func (e *canon) alignment(al *Alignment) {
	e.open('{')
	e.key("framework")
	e.str(al.Framework)
	e.optStr("version", al.Version)
	e.key("code")
	e.str(al.Code)
	e.optStr("relation", string(al.Relation))
	e.optStr("level", al.Level)
	e.unknown(al.Unknown, keyIn("framework", "version", "code", "relation", "level"))
	e.close('}')
}

func (e *canon) resource(r *Resource) {
	e.open('{')
	e.key("path")
	e.str(r.Path)
	e.optStr("mediaType", r.MediaType)
	if r.Size != 0 {
		e.key("size")
		e.b = strconv.AppendInt(e.b, r.Size, 10)
	}
	e.optStr("sha256", r.SHA256)
	e.optStr("role", string(r.Role))
	e.langString("title", r.Title)
	e.unknown(r.Unknown, keyIn("path", "mediaType", "size", "sha256", "role", "title"))
	e.close('}')
}

func (e *canon) relation(r *Relation) {
	e.open('{')
	e.key("type")
	e.str(string(r.Type))
	e.key("target")
	e.str(r.Target)
	e.unknown(r.Unknown, keyIn("type", "target"))
	e.close('}')
}

func keyIn(keys ...string) func(string) bool {
	return func(k string) bool { return slices.Contains(keys, k) }
}

// assetKeys are the members an asset object defines.
var assetKeys = map[string]bool{
	"id": true, "version": true, "kind": true, "title": true, "description": true, "keywords": true,
	"languages": true, "contributors": true, "license": true, "audience": true, "level": true,
	"duration": true, "deliveryModes": true, "accessibility": true, "objectives": true,
	"alignments": true, "prerequisites": true, "parts": true, "resources": true, "relations": true,
	"created": true, "modified": true, "published": true, "extensions": true,
}

func isAssetKey(k string) bool { return assetKeys[k] }
