package asset

import (
	"io"
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
func (d Document) MarshalJSON() ([]byte, error) { return d.encode(false) }

func (d *Document) encode(indent bool) ([]byte, error) {
	format := d.Format
	if format == "" {
		format = FormatVersion
	}
	e := &canon{indent: indent, b: make([]byte, 0, 4096)}
	e.open('{')
	e.key("ota")
	e.str(format)
	e.optStr("$schema", d.Schema)
	e.assetMembers(&d.Asset)
	e.close('}')
	if e.err != nil {
		return nil, e.err
	}
	return e.b, nil
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
	b, err := doc.encode(true)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// The MarshalJSON methods below write the known members in the order the
// struct declares them, then the Unknown members sorted by key.

// MarshalJSON encodes the asset as compact canonical JSON, unknown members
// included.
func (a Asset) MarshalJSON() ([]byte, error) {
	return compact(func(e *canon) { e.asset(&a) })
}

// MarshalJSON encodes the contributor, unknown members included.
func (c Contributor) MarshalJSON() ([]byte, error) {
	return compact(func(e *canon) { e.contributor(&c) })
}

// MarshalJSON encodes the objective, unknown members included.
func (o Objective) MarshalJSON() ([]byte, error) {
	return compact(func(e *canon) { e.objective(&o) })
}

// MarshalJSON encodes the alignment, unknown members included.
func (al Alignment) MarshalJSON() ([]byte, error) {
	return compact(func(e *canon) { e.alignment(&al) })
}

// MarshalJSON encodes the resource, unknown members included.
func (r Resource) MarshalJSON() ([]byte, error) {
	return compact(func(e *canon) { e.resource(&r) })
}

// MarshalJSON encodes the relation, unknown members included.
func (r Relation) MarshalJSON() ([]byte, error) {
	return compact(func(e *canon) { e.relation(&r) })
}

// compact runs fill on a compact canonical writer.
func compact(fill func(e *canon)) ([]byte, error) {
	e := &canon{first: true}
	fill(e)
	if e.err != nil {
		return nil, e.err
	}
	return e.b, nil
}
