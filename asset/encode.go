package asset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// FormatVersion is the version of the OTA document format this package
// writes, and the newest it reads without a warning. Documents with the same
// major version and a newer minor version are read with a warning; a newer
// major version is refused.
const FormatVersion = "1.0"

// MediaType is the media type of an OTA document. Files conventionally end
// in ".ota.json".
const MediaType = "application/vnd.ota.asset+json"

// SchemaURI is the $id of the JSON Schema for OTA documents, which
// documents may name in their "$schema" member.
const SchemaURI = "https://metaacademy.github.io/ota/schema/asset-1.0.json"

// Document is an OTA document: one asset tree and the format version it is
// written in. Its JSON form is the root asset's object with two more
// members: "ota", the format version, and optionally "$schema".
type Document struct {
	// Format is the format version the document declares ("1.0"). Empty
	// means [FormatVersion] when writing.
	Format string
	// Schema is the document's "$schema" member, kept as written; empty
	// when absent.
	Schema string
	// Asset is the root of the asset tree.
	Asset Asset
}

// NewDocument returns a document of the current format version holding a.
func NewDocument(a Asset) *Document { return &Document{Format: FormatVersion, Asset: a} }

// MarshalJSON encodes the document as compact canonical JSON.
func (d Document) MarshalJSON() ([]byte, error) {
	body, err := d.Asset.MarshalJSON()
	if err != nil {
		return nil, err
	}
	format := d.Format
	if format == "" {
		format = FormatVersion
	}
	var b bytes.Buffer
	b.WriteString(`{"ota":`)
	writeString(&b, format)
	if d.Schema != "" {
		b.WriteString(`,"$schema":`)
		writeString(&b, d.Schema)
	}
	if len(body) > 2 {
		b.WriteByte(',')
		b.Write(body[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}

// Write writes doc to w as canonical JSON: members in the order of the
// format (unknown members last, sorted), map keys sorted, two-space
// indentation, no HTML escaping, and a final newline. The same document
// always gives the same bytes.
func Write(w io.Writer, doc *Document) error {
	b, err := Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Marshal returns the canonical JSON of doc, as [Write] writes it.
func Marshal(doc *Document) ([]byte, error) {
	compact, err := doc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(compact) + len(compact)/2)
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, fmt.Errorf("asset: encoding document: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// The MarshalJSON methods below write the known members in the order the
// struct declares them, then the Unknown members sorted by key.

// MarshalJSON encodes the asset as compact canonical JSON, unknown members
// included.
func (a Asset) MarshalJSON() ([]byte, error) {
	type plain Asset
	return marshalObject(plain(a), a.Unknown)
}

// MarshalJSON encodes the contributor, unknown members included.
func (c Contributor) MarshalJSON() ([]byte, error) {
	type plain Contributor
	return marshalObject(plain(c), c.Unknown)
}

// MarshalJSON encodes the objective, unknown members included.
func (o Objective) MarshalJSON() ([]byte, error) {
	type plain Objective
	return marshalObject(plain(o), o.Unknown)
}

// MarshalJSON encodes the alignment, unknown members included.
func (al Alignment) MarshalJSON() ([]byte, error) {
	type plain Alignment
	return marshalObject(plain(al), al.Unknown)
}

// MarshalJSON encodes the resource, unknown members included.
func (r Resource) MarshalJSON() ([]byte, error) {
	type plain Resource
	return marshalObject(plain(r), r.Unknown)
}

// MarshalJSON encodes the relation, unknown members included.
func (r Relation) MarshalJSON() ([]byte, error) {
	type plain Relation
	return marshalObject(plain(r), r.Unknown)
}

// marshalObject encodes v (a struct) without HTML escaping and appends the
// unknown members in key order, skipping any whose key the struct already
// defines so that the output never holds a duplicate key.
func marshalObject(v any, unknown map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(unknown) == 0 {
		return b, nil
	}
	known := jsonKeys(reflect.TypeOf(v))
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		if !known[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return b, nil
	}
	slices.Sort(keys)
	out := bytes.NewBuffer(b[: len(b)-1 : len(b)-1])
	for i, k := range keys {
		if i > 0 || len(b) > 2 {
			out.WriteByte(',')
		}
		writeString(out, k)
		out.WriteByte(':')
		if err := json.Compact(out, unknown[k]); err != nil {
			return nil, fmt.Errorf("asset: unknown member %q does not hold valid JSON: %w", k, err)
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

var keyCache sync.Map // reflect.Type -> map[string]bool

// jsonKeys returns the JSON member names a struct type defines.
func jsonKeys(t reflect.Type) map[string]bool {
	if m, ok := keyCache.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = true
	}
	keyCache.Store(t, m)
	return m
}

// writeString writes s as a JSON string without HTML escaping.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	b.Truncate(b.Len() - 1)
}
