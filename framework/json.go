package framework

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsondec"
	"github.com/metaacademy/ota/internal/jsontree"
)

// DefaultMaxBytes is the largest framework JSON [Read] accepts by default:
// 16 MiB.
const DefaultMaxBytes = 16 << 20

var (
	// ErrSyntax means the input is not well-formed JSON.
	ErrSyntax = errors.New("framework: malformed JSON")
	// ErrNotFramework means the input is JSON but not a framework: not
	// an object, or a member with a value of the wrong type.
	ErrNotFramework = errors.New("framework: not framework JSON")
	// ErrTooLarge means the input is larger than the limit.
	ErrTooLarge = errors.New("framework: input too large")
)

// ReadOptions configures [Read].
type ReadOptions struct {
	// MaxBytes is the largest input accepted; 0 means [DefaultMaxBytes].
	MaxBytes int64
	// Policy changes the severity of the issues Read reports.
	Policy ota.Policy
}

// Read reads framework JSON, as [Write] writes it. It is strict: a member
// the format does not define is reported as a warning
// ("framework.json.unknown-member", with its JSON Pointer and line) — it
// may be a typo — and kept in the Unknown field of its object, so that
// [Write] writes it back. The report also holds what [Framework.Check]
// finds. The error is non-nil when the input cannot be read, is larger
// than the limit ([ErrTooLarge]), is not JSON ([ErrSyntax]) or not a
// framework ([ErrNotFramework]).
func Read(r io.Reader, opts ReadOptions) (*Framework, ota.Report, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := jsondec.ReadAll(r, limit, ErrTooLarge, "ReadOptions.MaxBytes", "framework: reading JSON")
	if err != nil {
		return nil, ota.Report{}, err
	}
	data = jsondec.TrimBOM(data)
	root, err := jsondec.Parse(data, jsontree.Limits{MaxDepth: 64}, ErrTooLarge, "")
	if err != nil {
		return nil, ota.Report{}, jsondec.Syntax(ErrSyntax, err)
	}
	if root.Kind != jsontree.Object {
		return nil, ota.Report{}, fmt.Errorf("%w: the input is a JSON %s; framework JSON is an object", ErrNotFramework, root.Kind)
	}
	var rep ota.Report
	lines := jsondec.NewLines(data)
	unknownMembers(root, reflect.TypeFor[Framework](), "", func(n *jsontree.Node, ptr, key string) {
		rep.Add(ota.Issue{Pointer: ptr, Line: lines.Line(n.Start), Code: "framework.json.unknown-member", Severity: ota.Warning,
			Message: fmt.Sprintf("framework JSON has no member %q here; it is kept as is, but check the spelling, or move it under \"extensions\" with an IRI key", key)})
	})
	f := new(Framework)
	if err := json.Unmarshal(data, f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, ota.Report{}, fmt.Errorf("%w: %q holds a JSON %s where %s is expected: %w", ErrNotFramework, "/"+strings.ReplaceAll(te.Field, ".", "/"), te.Value, te.Type, err)
		}
		return nil, ota.Report{}, fmt.Errorf("%w: %w", ErrNotFramework, err)
	}
	for _, is := range f.Check().Issues {
		is.Line = lines.Line(jsondec.At(root, is.Pointer).Start)
		rep.Add(is)
	}
	rep.Apply(opts.Policy)
	return f, rep, nil
}

// Write writes f as OTA's framework JSON: the members of [Framework] under
// their JSON names, then the Unknown members of each object in key order,
// indented by two spaces, with '<', '>' and '&' written as themselves, and
// a final newline. Map members (texts in several languages, extensions) are
// written with sorted keys, so the same framework always gives the same
// bytes. [Read] reads it back.
func Write(w io.Writer, f *Framework) error {
	if f == nil {
		return fmt.Errorf("framework: Write: no framework")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("framework: writing JSON: %w", err)
	}
	return nil
}

// members returns the JSON member names of the struct type t.
var members = sync.OnceValue(func() map[reflect.Type]map[string]reflect.Type {
	out := map[reflect.Type]map[string]reflect.Type{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		if _, ok := out[t]; ok {
			return
		}
		m := map[string]reflect.Type{}
		out[t] = m
		for sf := range t.Fields() {
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" || !sf.IsExported() {
				continue
			}
			ft := sf.Type
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				ft = ft.Elem()
				add(ft)
			} else {
				ft = nil
			}
			m[name] = ft
		}
	}
	for _, t := range []reflect.Type{reflect.TypeFor[Framework](), reflect.TypeFor[Node](), reflect.TypeFor[Scale](), reflect.TypeFor[Level](), reflect.TypeFor[Association]()} {
		add(t)
	}
	return out
})

// unknownMembers calls fn for each member of the object n (of struct type
// t) and of its arrays of objects that t does not define.
func unknownMembers(n *jsontree.Node, t reflect.Type, ptr string, fn func(n *jsontree.Node, ptr, key string)) {
	known := members()[t]
	for _, m := range n.Members {
		p := jsontree.AppendPointerToken(ptr, m.Key)
		elem, ok := known[m.Key]
		switch {
		case !ok:
			fn(m.Value, p, m.Key)
		case elem != nil && m.Value.Kind == jsontree.Array:
			for i, e := range m.Value.Elems {
				if e.Kind == jsontree.Object {
					unknownMembers(e, elem, jsontree.AppendPointerToken(p, fmt.Sprint(i)), fn)
				}
			}
		}
	}
}

// keepUnknown sets *dst to the members of the JSON object data that the
// struct type t does not define, nil when there are none.
func keepUnknown(data []byte, t reflect.Type, dst *map[string]json.RawMessage) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := members()[t]
	*dst = nil
	for k, v := range all {
		if _, ok := known[k]; ok {
			continue
		}
		if *dst == nil {
			*dst = map[string]json.RawMessage{}
		}
		(*dst)[k] = v
	}
	return nil
}

// withUnknown marshals v (the plain form of a framework type) and appends
// the unknown members in key order.
func withUnknown(v any, unknown map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	if len(unknown) == 0 {
		return b, nil
	}
	b = b[:len(b)-1] // '}'
	for i, k := range slices.Sorted(maps.Keys(unknown)) {
		if i > 0 || len(b) > 1 {
			b = append(b, ',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b = append(b, key...)
		b = append(b, ':')
		b = append(b, unknown[k]...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads a framework, keeping unknown members in Unknown.
func (f *Framework) UnmarshalJSON(data []byte) error {
	type plain Framework
	if err := json.Unmarshal(data, (*plain)(f)); err != nil {
		return err
	}
	return keepUnknown(data, reflect.TypeFor[Framework](), &f.Unknown)
}

// MarshalJSON writes a framework with its unknown members.
func (f Framework) MarshalJSON() ([]byte, error) {
	type plain Framework
	return withUnknown(plain(f), f.Unknown)
}

// UnmarshalJSON reads a node, keeping unknown members in Unknown.
func (n *Node) UnmarshalJSON(data []byte) error {
	type plain Node
	if err := json.Unmarshal(data, (*plain)(n)); err != nil {
		return err
	}
	return keepUnknown(data, reflect.TypeFor[Node](), &n.Unknown)
}

// MarshalJSON writes a node with its unknown members.
func (n Node) MarshalJSON() ([]byte, error) {
	type plain Node
	return withUnknown(plain(n), n.Unknown)
}

// UnmarshalJSON reads a scale, keeping unknown members in Unknown.
func (s *Scale) UnmarshalJSON(data []byte) error {
	type plain Scale
	if err := json.Unmarshal(data, (*plain)(s)); err != nil {
		return err
	}
	return keepUnknown(data, reflect.TypeFor[Scale](), &s.Unknown)
}

// MarshalJSON writes a scale with its unknown members.
func (s Scale) MarshalJSON() ([]byte, error) {
	type plain Scale
	return withUnknown(plain(s), s.Unknown)
}

// UnmarshalJSON reads a level, keeping unknown members in Unknown.
func (l *Level) UnmarshalJSON(data []byte) error {
	type plain Level
	if err := json.Unmarshal(data, (*plain)(l)); err != nil {
		return err
	}
	return keepUnknown(data, reflect.TypeFor[Level](), &l.Unknown)
}

// MarshalJSON writes a level with its unknown members.
func (l Level) MarshalJSON() ([]byte, error) {
	type plain Level
	return withUnknown(plain(l), l.Unknown)
}

// UnmarshalJSON reads an association, keeping unknown members in Unknown.
func (a *Association) UnmarshalJSON(data []byte) error {
	type plain Association
	if err := json.Unmarshal(data, (*plain)(a)); err != nil {
		return err
	}
	return keepUnknown(data, reflect.TypeFor[Association](), &a.Unknown)
}

// MarshalJSON writes an association with its unknown members.
func (a Association) MarshalJSON() ([]byte, error) {
	type plain Association
	return withUnknown(plain(a), a.Unknown)
}
