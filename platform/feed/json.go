package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/metaacademy/ota/internal/jsontree"
)

// This file holds the JSON coding of the feed types: known members by their
// exact names (encoding/json would match "ID" to "id"), unknown members
// kept and written back after the known ones, sorted by name.

// MarshalJSON writes the page's members, then its unknown members.
func (p Page) MarshalJSON() ([]byte, error) {
	type plain Page
	return withUnknown(plain(p), p.Unknown)
}

// MarshalJSON writes the publisher's members, then its unknown members.
func (p Publisher) MarshalJSON() ([]byte, error) {
	type plain Publisher
	return withUnknown(plain(p), p.Unknown)
}

// MarshalJSON writes the key's members, then its unknown members.
func (k Key) MarshalJSON() ([]byte, error) {
	type plain Key
	return withUnknown(plain(k), k.Unknown)
}

// MarshalJSON writes the entry's members, then its unknown members.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	return withUnknown(plain(e), e.Unknown)
}

// MarshalJSON writes the download's members, then its unknown members.
func (d Download) MarshalJSON() ([]byte, error) {
	type plain Download
	return withUnknown(plain(d), d.Unknown)
}

// UnmarshalJSON reads a page as [Read] does, without its limits and checks
// across members.
func (p *Page) UnmarshalJSON(data []byte) error { return decodeInto(data, p.decode) }

// UnmarshalJSON reads a publisher by exact member names.
func (p *Publisher) UnmarshalJSON(data []byte) error { return decodeInto(data, p.decode) }

// UnmarshalJSON reads a key by exact member names.
func (k *Key) UnmarshalJSON(data []byte) error { return decodeInto(data, k.decode) }

// UnmarshalJSON reads an entry by exact member names.
func (e *Entry) UnmarshalJSON(data []byte) error { return decodeInto(data, e.decode) }

// UnmarshalJSON reads a download by exact member names.
func (d *Download) UnmarshalJSON(data []byte) error { return decodeInto(data, d.decode) }

func decodeInto(data []byte, decode func(members, string) error) error {
	m, err := object(data, "")
	if err != nil {
		return err
	}
	return decode(m, "")
}

// withUnknown marshals v, an object, and appends the members of unknown
// whose names v does not have, sorted by name.
func withUnknown(v any, unknown map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(unknown) == 0 {
		return b, err
	}
	var known map[string]json.RawMessage
	if err := json.Unmarshal(b, &known); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	first := len(known) == 0
	for _, k := range slices.Sorted(maps.Keys(unknown)) {
		if _, dup := known[k]; dup {
			continue
		}
		var val bytes.Buffer
		if err := json.Compact(&val, unknown[k]); err != nil {
			return nil, fmt.Errorf("feed: unknown member %q does not hold JSON: %w", k, err)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(val.Bytes())
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// members are an object's members by exact name, with the object's JSON
// Pointer, taken one by one; what is left is unknown.
type members map[string]json.RawMessage

// object decodes data as a JSON object.
func object(data []byte, ptr string) (members, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, errorf(ErrFeed, ptr, "%s is %s, not a JSON object", where(ptr), kindOf(data))
	}
	var m members
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, errorf(ErrFeed, ptr, "%s: %v", where(ptr), err)
	}
	return m, nil
}

// take decodes member key into dst and removes it; a missing member leaves
// dst alone, null is refused.
func (m members) take(ptr, key string, dst any) error {
	raw, ok := m[key]
	if !ok {
		return nil
	}
	delete(m, key)
	p := jsontree.AppendPointerToken(ptr, key)
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return errorf(ErrFeed, p, "%s is null; leave the member out instead", where(p))
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return fe
		}
		return errorf(ErrFeed, p, "%s is %s, which does not fit: %v", where(p), kindOf(raw), plainJSONError(err))
	}
	return nil
}

// takeList decodes an array member element by element with decode.
func takeList[T any](m members, ptr, key string, dst *[]T, decode func(*T, members, string) error) error {
	raw, ok := m[key]
	if !ok {
		return nil
	}
	delete(m, key)
	p := jsontree.AppendPointerToken(ptr, key)
	var elems []json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '[' {
		return errorf(ErrFeed, p, "%s is %s, not an array", where(p), kindOf(raw))
	}
	if err := json.Unmarshal(raw, &elems); err != nil {
		return errorf(ErrFeed, p, "%s: %v", where(p), err)
	}
	out := make([]T, len(elems))
	for i, e := range elems {
		ep := jsontree.AppendPointerToken(p, fmt.Sprint(i))
		em, err := object(e, ep)
		if err != nil {
			return err
		}
		if err := decode(&out[i], em, ep); err != nil {
			return err
		}
	}
	*dst = out
	return nil
}

// rest returns the members not taken, each value compacted, or nil.
func (m members) rest() map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	for k, v := range m {
		var buf bytes.Buffer
		if json.Compact(&buf, v) == nil {
			m[k] = buf.Bytes()
		}
	}
	return map[string]json.RawMessage(m)
}

func (p *Page) decode(m members, ptr string) error {
	*p = Page{}
	for _, err := range []error{
		m.take(ptr, "format", &p.Format),
		p.Publisher.takeFrom(m, ptr),
		m.take(ptr, "updated", &p.Updated),
		m.take(ptr, "digest", &p.Digest),
		m.take(ptr, "total", &p.Total),
		m.take(ptr, "page", &p.Number),
		m.take(ptr, "pages", &p.Pages),
		m.take(ptr, "next", &p.Next),
		m.take(ptr, "prev", &p.Prev),
		takeList(m, ptr, "keys", &p.Keys, (*Key).decodeAt),
		takeList(m, ptr, "entries", &p.Entries, (*Entry).decodeAt),
	} {
		if err != nil {
			return err
		}
	}
	if len(p.Keys) == 0 {
		p.Keys = nil // written as absent
	}
	p.Unknown = m.rest()
	return nil
}

func (p *Publisher) takeFrom(m members, ptr string) error {
	raw, ok := m["publisher"]
	if !ok {
		return nil
	}
	delete(m, "publisher")
	pp := jsontree.AppendPointerToken(ptr, "publisher")
	pm, err := object(raw, pp)
	if err != nil {
		return err
	}
	return p.decode(pm, pp)
}

func (p *Publisher) decode(m members, ptr string) error {
	*p = Publisher{}
	for _, err := range []error{
		m.take(ptr, "name", &p.Name),
		m.take(ptr, "id", &p.ID),
		m.take(ptr, "url", &p.URL),
	} {
		if err != nil {
			return err
		}
	}
	p.Unknown = m.rest()
	return nil
}

func (k *Key) decodeAt(m members, ptr string) error { return k.decode(m, ptr) }

func (k *Key) decode(m members, ptr string) error {
	*k = Key{}
	for _, err := range []error{
		m.take(ptr, "id", &k.ID),
		m.take(ptr, "publicKey", &k.PublicKey),
	} {
		if err != nil {
			return err
		}
	}
	k.Unknown = m.rest()
	return nil
}

func (e *Entry) decodeAt(m members, ptr string) error { return e.decode(m, ptr) }

func (e *Entry) decode(m members, ptr string) error {
	*e = Entry{}
	for _, err := range []error{
		m.take(ptr, "id", &e.ID),
		m.take(ptr, "version", &e.Version),
		m.take(ptr, "kind", &e.Kind),
		m.take(ptr, "title", &e.Title),
		m.take(ptr, "modified", &e.Modified),
		m.take(ptr, "deleted", &e.Deleted),
		m.take(ptr, "digest", &e.Digest),
		m.take(ptr, "page", &e.Page),
		takeList(m, ptr, "downloads", &e.Downloads, (*Download).decodeAt),
	} {
		if err != nil {
			return err
		}
	}
	if len(e.Title) == 0 {
		e.Title = nil // written as absent
	}
	if len(e.Downloads) == 0 {
		e.Downloads = nil
	}
	e.Unknown = m.rest()
	return nil
}

func (d *Download) decodeAt(m members, ptr string) error { return d.decode(m, ptr) }

func (d *Download) decode(m members, ptr string) error {
	*d = Download{}
	for _, err := range []error{
		m.take(ptr, "format", &d.Format),
		m.take(ptr, "url", &d.URL),
		m.take(ptr, "mediaType", &d.MediaType),
		m.take(ptr, "size", &d.Size),
		m.take(ptr, "sha256", &d.SHA256),
	} {
		if err != nil {
			return err
		}
	}
	d.Unknown = m.rest()
	return nil
}

// kindOf names the JSON kind of a value for messages.
func kindOf(raw []byte) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "empty"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// plainJSONError shortens encoding/json's type errors, which name Go types.
func plainJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("expected %s", goTypeName(te.Type.String()))
	}
	return err.Error()
}

func goTypeName(t string) string {
	switch t {
	case "string", "asset.Kind":
		return "a string"
	case "int", "int64":
		return "an integer"
	case "bool":
		return "true or false"
	}
	return t
}
