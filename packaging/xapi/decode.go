package xapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsontree"
)

// Errors of [Decode] and the UnmarshalJSON methods; test with errors.Is.
var (
	// ErrSyntax means the input is not well-formed JSON (or has duplicate
	// keys, invalid UTF-8 or nesting deeper than [MaxDepth]).
	ErrSyntax = errors.New("xapi: malformed JSON")
	// ErrNotObject means the input is JSON but not a JSON object.
	ErrNotObject = errors.New("xapi: not a JSON object")
)

// Decode reads one statement from data and validates it as [Validate]
// does. The error is non-nil only when data is not a JSON object at all
// ([ErrSyntax], [ErrNotObject]); the report then holds the same problem
// with its line. Otherwise the statement is returned whatever its
// validity: members of the wrong type, null values and members xAPI does
// not define are kept verbatim in the Unknown fields, so that writing the
// statement back reproduces them. A single context activity given as an
// object is read as an array of one.
func Decode(data []byte, opts ValidateOptions) (*Statement, ota.Report, error) {
	return NewValidator(opts).Decode(data)
}

// Decode reads and validates one statement as the package function
// [Decode] does, reusing the Validator's buffers.
func (v *Validator) Decode(data []byte) (*Statement, ota.Report, error) {
	rep, kind, ok := v.validate(data)
	if !ok {
		if err := v.opts.Version.Check(); err != nil {
			return nil, rep, err
		}
		return nil, rep, fmt.Errorf("%w: %s", ErrSyntax, firstMessage(rep))
	}
	if kind != jsontree.Object {
		return nil, rep, fmt.Errorf("%w: the input is a JSON %s; a statement is a JSON object", ErrNotObject, kind)
	}
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: MaxDepth})
	if err != nil {
		// Not reached: the validator has read data as JSON.
		return nil, rep, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	b := builder{data: data}
	return b.statement(root), rep, nil
}

func firstMessage(rep ota.Report) string {
	if len(rep.Issues) == 0 {
		return "unknown problem"
	}
	return rep.Issues[0].Message
}

// parseObject parses data for the UnmarshalJSON methods.
func parseObject(data []byte) (*jsontree.Node, error) {
	root, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: MaxDepth})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if root.Kind != jsontree.Object {
		return nil, fmt.Errorf("%w: found a JSON %s", ErrNotObject, root.Kind)
	}
	return root, nil
}

// UnmarshalJSON reads a statement without validating it: it fails only
// when data is not a JSON object. Members it cannot represent are kept in
// Unknown fields, as [Decode] keeps them. Use [Decode] or [Statement.Check]
// to validate.
func (s *Statement) UnmarshalJSON(data []byte) error {
	return unmarshalWith(s, data, (*builder).statement)
}

// UnmarshalJSON reads an Agent or Group without validating it, as
// [Statement.UnmarshalJSON] does.
func (a *Actor) UnmarshalJSON(data []byte) error {
	return unmarshalWith(a, data, (*builder).actor)
}

// UnmarshalJSON reads an Activity without validating it, as
// [Statement.UnmarshalJSON] does.
func (a *Activity) UnmarshalJSON(data []byte) error {
	return unmarshalWith(a, data, (*builder).activity)
}

// unmarshalWith parses data as a JSON object and sets *dst to what read
// builds from it.
func unmarshalWith[T any](dst *T, data []byte, read func(*builder, *jsontree.Node) *T) error {
	root, err := parseObject(data)
	if err != nil {
		return err
	}
	b := builder{data: data}
	*dst = *read(&b, root)
	return nil
}

// builder turns a parsed tree into the model. It does not judge validity:
// whatever a typed field cannot hold is kept verbatim in Unknown.
type builder struct {
	data []byte
}

// keep stores member m verbatim in *u.
func (b *builder) keep(u *Unknown, m *jsontree.Member) {
	if *u == nil {
		*u = Unknown{}
	}
	(*u)[m.Key] = b.raw(m.Value)
}

// raw returns a copy of the text of n without insignificant white space.
// n comes from a successful parse, so its text is valid JSON.
func (b *builder) raw(n *jsontree.Node) json.RawMessage {
	src := n.Raw(b.data)
	out := make([]byte, 0, len(src))
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			out = append(out, c)
			switch c {
			case '\\':
				i++
				out = append(out, src[i])
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inString = true
		}
		out = append(out, c)
	}
	return out
}

// str stores a non-empty string member in *dst, or keeps it.
func (b *builder) str(dst *string, u *Unknown, m *jsontree.Member) {
	if m.Value.Kind == jsontree.String && m.Value.Str != "" {
		*dst = m.Value.Str
		return
	}
	b.keep(u, m)
}

// boolean stores a boolean member in *dst, or keeps it.
func (b *builder) boolean(dst **bool, u *Unknown, m *jsontree.Member) {
	if m.Value.Kind == jsontree.Bool {
		v := m.Value.Bool
		*dst = &v
		return
	}
	b.keep(u, m)
}

// number stores a finite number member in *dst, or keeps it.
func (b *builder) number(dst **float64, u *Unknown, m *jsontree.Member) {
	if m.Value.Kind == jsontree.Number {
		if f, err := strconv.ParseFloat(m.Value.Num, 64); err == nil && !math.IsInf(f, 0) {
			*dst = &f
			return
		}
	}
	b.keep(u, m)
}

// langMap stores a language map member in *dst, or keeps it when it is not
// an object of strings.
func (b *builder) langMap(dst *LanguageMap, u *Unknown, m *jsontree.Member) {
	v := m.Value
	if v.Kind == jsontree.Object {
		lm := make(LanguageMap, len(v.Members))
		ok := true
		for _, e := range v.Members {
			if e.Value.Kind != jsontree.String {
				ok = false
				break
			}
			lm[e.Key] = e.Value.Str
		}
		if ok {
			*dst = lm
			return
		}
	}
	b.keep(u, m)
}

// extensions stores an extensions member in *dst, or keeps it.
func (b *builder) extensions(dst *Extensions, u *Unknown, m *jsontree.Member) {
	v := m.Value
	if v.Kind != jsontree.Object {
		b.keep(u, m)
		return
	}
	ext := make(Extensions, len(v.Members))
	for _, e := range v.Members {
		ext[e.Key] = b.raw(e.Value)
	}
	*dst = ext
}

// strings stores an array of non-empty strings in *dst, or keeps it.
func (b *builder) strings(dst *[]string, u *Unknown, m *jsontree.Member) {
	v := m.Value
	if v.Kind == jsontree.Array {
		out := make([]string, 0, len(v.Elems))
		for _, e := range v.Elems {
			if e.Kind != jsontree.String || e.Str == "" {
				b.keep(u, m)
				return
			}
			out = append(out, e.Str)
		}
		*dst = out
		return
	}
	b.keep(u, m)
}

// objects reports whether n is an array of objects.
func objects(n *jsontree.Node) bool {
	if n.Kind != jsontree.Array {
		return false
	}
	for _, e := range n.Elems {
		if e.Kind != jsontree.Object {
			return false
		}
	}
	return true
}

func (b *builder) statement(n *jsontree.Node) *Statement {
	s := &Statement{}
	c := core{&s.Actor, &s.Verb, &s.Object, &s.Result, &s.Context, &s.Timestamp, &s.Attachments, &s.Unknown}
	for i := range n.Members {
		m := &n.Members[i]
		switch m.Key {
		case "id":
			b.str(&s.ID, &s.Unknown, m)
		case "stored":
			b.str(&s.Stored, &s.Unknown, m)
		case "authority":
			b.actorMember(&s.Authority, &s.Unknown, m)
		case "version":
			b.str(&s.Version, &s.Unknown, m)
		default:
			b.coreMember(c, m)
		}
	}
	return s
}

func (b *builder) subStatement(n *jsontree.Node) *SubStatement {
	s := &SubStatement{}
	c := core{&s.Actor, &s.Verb, &s.Object, &s.Result, &s.Context, &s.Timestamp, &s.Attachments, &s.Unknown}
	for i := range n.Members {
		m := &n.Members[i]
		if m.Key == "objectType" {
			b.str(&s.ObjectType, &s.Unknown, m)
			continue
		}
		b.coreMember(c, m)
	}
	return s
}

// core points at the members a statement and a sub-statement share.
type core struct {
	actor       **Actor
	verb        **Verb
	object      *Object
	result      **Result
	context     **Context
	timestamp   *string
	attachments *[]Attachment
	unknown     *Unknown
}

// coreMember stores one of the members every statement has, and keeps any
// other member in Unknown.
func (b *builder) coreMember(c core, m *jsontree.Member) {
	switch m.Key {
	case "actor":
		b.actorMember(c.actor, c.unknown, m)
	case "verb":
		if m.Value.Kind == jsontree.Object {
			*c.verb = b.verb(m.Value)
		} else {
			b.keep(c.unknown, m)
		}
	case "object":
		b.object(c.object, c.unknown, m)
	case "result":
		b.result(c.result, c.unknown, m)
	case "context":
		b.context(c.context, c.unknown, m)
	case "timestamp":
		b.str(c.timestamp, c.unknown, m)
	case "attachments":
		b.attachments(c.attachments, c.unknown, m)
	default:
		b.keep(c.unknown, m)
	}
}

// actorMember stores an Agent or Group member in *dst, or keeps it.
func (b *builder) actorMember(dst **Actor, u *Unknown, m *jsontree.Member) {
	if m.Value.Kind == jsontree.Object {
		*dst = b.actor(m.Value)
		return
	}
	b.keep(u, m)
}

func (b *builder) actor(n *jsontree.Node) *Actor {
	a := &Actor{}
	for i := range n.Members {
		m := &n.Members[i]
		v := m.Value
		switch m.Key {
		case "objectType":
			b.str(&a.ObjectType, &a.Unknown, m)
		case "name":
			b.str(&a.Name, &a.Unknown, m)
		case "mbox":
			b.str(&a.Mbox, &a.Unknown, m)
		case "mbox_sha1sum":
			b.str(&a.MboxSHA1Sum, &a.Unknown, m)
		case "openid":
			b.str(&a.OpenID, &a.Unknown, m)
		case "account":
			if v.Kind != jsontree.Object {
				b.keep(&a.Unknown, m)
				break
			}
			acc := &Account{}
			for j := range v.Members {
				am := &v.Members[j]
				switch am.Key {
				case "homePage":
					b.str(&acc.HomePage, &acc.Unknown, am)
				case "name":
					b.str(&acc.Name, &acc.Unknown, am)
				default:
					b.keep(&acc.Unknown, am)
				}
			}
			a.Account = acc
		case "member":
			if !objects(v) {
				b.keep(&a.Unknown, m)
				break
			}
			a.Member = make([]Actor, len(v.Elems))
			for j, e := range v.Elems {
				a.Member[j] = *b.actor(e)
			}
		default:
			b.keep(&a.Unknown, m)
		}
	}
	return a
}

func (b *builder) verb(n *jsontree.Node) *Verb {
	vb := &Verb{}
	for i := range n.Members {
		m := &n.Members[i]
		switch m.Key {
		case "id":
			b.str(&vb.ID, &vb.Unknown, m)
		case "display":
			b.langMap(&vb.Display, &vb.Unknown, m)
		default:
			b.keep(&vb.Unknown, m)
		}
	}
	return vb
}

// kindOfNode returns the kind of the statement object n by its
// objectType (see kindOf); objNone when n is not a JSON object.
func kindOfNode(n *jsontree.Node) objKind {
	if n == nil || n.Kind != jsontree.Object {
		return objNone
	}
	ot := n.Get("objectType")
	if ot == nil {
		return objActivity
	}
	return kindOf(val{kind: ot.Kind, text: ot.Str})
}

// object stores a statement object in *dst, choosing the field by
// objectType, or keeps it when it is not a JSON object.
func (b *builder) object(dst *Object, u *Unknown, m *jsontree.Member) {
	v := m.Value
	switch kindOfNode(v) {
	case objNone:
		b.keep(u, m)
	case objActor:
		dst.Actor = b.actor(v)
	case objStatementRef:
		dst.StatementRef = b.statementRef(v)
	case objSubStatement:
		dst.SubStatement = b.subStatement(v)
	default: // objActivity, objInvalid
		dst.Activity = b.activity(v)
	}
}

func (b *builder) statementRef(n *jsontree.Node) *StatementRef {
	r := &StatementRef{}
	for i := range n.Members {
		m := &n.Members[i]
		switch m.Key {
		case "objectType":
			b.str(&r.ObjectType, &r.Unknown, m)
		case "id":
			b.str(&r.ID, &r.Unknown, m)
		default:
			b.keep(&r.Unknown, m)
		}
	}
	return r
}

func (b *builder) activity(n *jsontree.Node) *Activity {
	a := &Activity{}
	for i := range n.Members {
		m := &n.Members[i]
		switch m.Key {
		case "objectType":
			b.str(&a.ObjectType, &a.Unknown, m)
		case "id":
			b.str(&a.ID, &a.Unknown, m)
		case "definition":
			if m.Value.Kind == jsontree.Object {
				a.Definition = b.definition(m.Value)
			} else {
				b.keep(&a.Unknown, m)
			}
		default:
			b.keep(&a.Unknown, m)
		}
	}
	return a
}

func (b *builder) definition(n *jsontree.Node) *ActivityDefinition {
	d := &ActivityDefinition{}
	for i := range n.Members {
		m := &n.Members[i]
		switch m.Key {
		case "name":
			b.langMap(&d.Name, &d.Unknown, m)
		case "description":
			b.langMap(&d.Description, &d.Unknown, m)
		case "type":
			b.str(&d.Type, &d.Unknown, m)
		case "moreInfo":
			b.str(&d.MoreInfo, &d.Unknown, m)
		case "extensions":
			b.extensions(&d.Extensions, &d.Unknown, m)
		case "interactionType":
			b.str(&d.InteractionType, &d.Unknown, m)
		case "correctResponsesPattern":
			b.responses(&d.CorrectResponsesPattern, &d.Unknown, m)
		case "choices":
			b.components(&d.Choices, &d.Unknown, m)
		case "scale":
			b.components(&d.Scale, &d.Unknown, m)
		case "source":
			b.components(&d.Source, &d.Unknown, m)
		case "target":
			b.components(&d.Target, &d.Unknown, m)
		case "steps":
			b.components(&d.Steps, &d.Unknown, m)
		default:
			b.keep(&d.Unknown, m)
		}
	}
	return d
}

// responses stores a correctResponsesPattern, whose strings may be empty
// (an empty response is a valid pattern), or keeps it.
func (b *builder) responses(dst *[]string, u *Unknown, m *jsontree.Member) {
	v := m.Value
	if v.Kind == jsontree.Array {
		out := make([]string, 0, len(v.Elems))
		for _, e := range v.Elems {
			if e.Kind != jsontree.String {
				b.keep(u, m)
				return
			}
			out = append(out, e.Str)
		}
		*dst = out
		return
	}
	b.keep(u, m)
}

func (b *builder) components(dst *[]InteractionComponent, u *Unknown, m *jsontree.Member) {
	v := m.Value
	if !objects(v) {
		b.keep(u, m)
		return
	}
	out := make([]InteractionComponent, len(v.Elems))
	for j, e := range v.Elems {
		c := &out[j]
		for i := range e.Members {
			cm := &e.Members[i]
			switch cm.Key {
			case "id":
				b.str(&c.ID, &c.Unknown, cm)
			case "description":
				b.langMap(&c.Description, &c.Unknown, cm)
			default:
				b.keep(&c.Unknown, cm)
			}
		}
	}
	*dst = out
}
