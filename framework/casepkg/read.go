package casepkg

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/jsondec"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/internal/jsontree"
)

// Extension keys used by the CASE codec.
const (
	// ExtCASE keys, in the Extensions of a Framework, Node, Scale, Level or
	// Association, the CASE facts [Read] keeps so that [Write]
	// writes the same package back: an object with the members
	// "identifier" (the CASE UUID, when it is not the one Write would
	// derive), "uri" (the uri of an association, scale or level, which
	// have no ID of their own), "itemType" (the CFItemType
	// text, when it is not the usual title of the node's kind) and
	// "humanCodingScheme" (an item's code, when it could not be the node's
	// code because another item has it too). Write does not copy it
	// into the CASE output.
	ExtCASE = "https://metaacademy.github.io/ota/ext/case"
	// ExtOTA keys, in the "extensions" of the CASE objects [Write]
	// writes, the OTA facts CASE has no member for: texts in further
	// languages, unofficial and unconfirmed flags, previous names, level
	// groups, the registered key and so on. Read takes them back.
	ExtOTA = "https://metaacademy.github.io/ota/ext/framework"
)

// Defaults of [Read].
const (
	// DefaultMaxBytes is the largest package Read accepts by
	// default: 16 MiB, several times the largest published frameworks.
	DefaultMaxBytes = 16 << 20
	// DefaultMaxValues is the most JSON values a package may hold by
	// default: an item is some ten values and costs about 3 KB read, so
	// that this bounds memory where the byte limit alone does not.
	DefaultMaxValues = 200_000
	// DefaultMaxDepth is the deepest nesting of JSON arrays and
	// objects Read accepts by default. CASE packages are shallow; the
	// rest is room for extensions.
	DefaultMaxDepth = 64
)

// Errors of [Read] and [Write]; test with errors.Is.
var (
	// ErrSyntax means the input is not well-formed JSON, has a
	// duplicate key, invalid UTF-8 or nesting beyond the limit.
	ErrSyntax = errors.New("framework: malformed CASE JSON")
	// ErrNotCASE means the input is JSON but not a CASE package: its root
	// is not an object with a CFDocument object.
	ErrNotCASE = errors.New("framework: not a CASE package")
	// ErrTooLarge means the input is larger than the limit.
	ErrTooLarge = errors.New("framework: input too large")
)

// ReadOptions configure [Read]. The zero value is ready to use.
type ReadOptions struct {
	// MaxBytes is the largest package accepted; 0 means
	// [DefaultMaxBytes].
	MaxBytes int64
	// MaxDepth is the deepest nesting accepted; 0 means
	// [DefaultMaxDepth].
	MaxDepth int
	// MaxValues is the most JSON values accepted; 0 means
	// [DefaultMaxValues], a negative value no limit.
	MaxValues int
	// DefaultKind is the kind given to items whose CFItemType is missing
	// or not recognised; empty (or a kind that is not valid) means
	// [framework.KindCompetence].
	DefaultKind framework.NodeKind
	// Policy changes the severity of issues by code.
	Policy ota.Policy
}

// Read reads a CASE 1.1 package (the JSON of a CFPackage) from r and
// returns it as a framework, with a report of the issues found and of what
// the framework could not carry over (the losses).
//
// The error is non-nil only when r does not hold a CASE package at all: it
// cannot be read, is larger than the limit ([ErrTooLarge]), is not
// well-formed JSON or repeats a key in an object ([ErrSyntax]), or is not
// an object with a CFDocument object ([ErrNotCASE]). Everything else is an
// issue with a JSON Pointer into the package and a line: members of the
// wrong type (ignored), missing required members, identifiers that are not
// UUIDs, duplicate identifiers (the later object is ignored), association
// ends that resolve to nothing or point into the package without matching
// an item or the document (the association is ignored; see
// docs/interpretations.md), unknown members (warnings), and what
// [framework.Framework.Check] finds in the result, located at the CASE object it came
// from. The framework is returned whenever the error is nil, even when the
// report has errors.
//
// A UTF-8 byte order mark at the start is skipped.
func Read(r io.Reader, opts ReadOptions) (*framework.Framework, ota.Report, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := jsondec.ReadAll(r, limit, ErrTooLarge, "ReadOptions.MaxBytes", "framework: reading CASE package")
	if err != nil {
		return nil, ota.Report{}, err
	}
	data = jsondec.TrimBOM(data)
	depth := opts.MaxDepth
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	maxValues := opts.MaxValues
	if maxValues == 0 {
		maxValues = DefaultMaxValues
	}
	root, err := jsondec.Parse(data, jsontree.Limits{MaxDepth: depth, MaxValues: max(maxValues, 0)}, ErrTooLarge, "ReadOptions.MaxValues")
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, ota.Report{}, err
		}
		return nil, ota.Report{}, jsondec.Syntax(ErrSyntax, err)
	}
	if root.Kind != jsontree.Object {
		return nil, ota.Report{}, fmt.Errorf("%w: the input is a JSON %s; a CASE package is an object with a CFDocument", ErrNotCASE, root.Kind)
	}
	if doc := root.Get("CFDocument"); doc == nil || doc.Kind != jsontree.Object {
		return nil, ota.Report{}, fmt.Errorf("%w: the root object has no CFDocument object", ErrNotCASE)
	}
	kind := opts.DefaultKind
	if kind == "" || !kind.Valid() {
		kind = framework.KindCompetence
	}
	cr := &caseReader{data: data, lines: jsondec.NewLines(data), defaultKind: kind, seenIDs: map[string]string{}}
	f := cr.read(root)
	rep := cr.report()
	rep.Apply(opts.Policy)
	return f, rep, nil
}

func (d *caseReader) read(root *jsontree.Node) *framework.Framework {
	f := &framework.Framework{}
	var docNode *jsontree.Node
	for _, m := range root.Members {
		p := jsontree.AppendPointerToken("", m.Key)
		switch m.Key {
		case "CFDocument":
			docNode = m.Value
		case "CFItems", "CFAssociations":
		case "CFDefinitions":
			d.definitions(m.Value, p)
		case "CFRubrics":
			if m.Value.Kind != jsontree.Array {
				d.wrongType(m.Value, p, "an array of CFRubric objects")
			} else if len(m.Value.Elems) > 0 {
				d.lose("case.lost.rubrics", p, fmt.Sprintf("%d CFRubrics", len(m.Value.Elems)), "OTA frameworks do not model rubrics")
			}
		case "extensions":
			var facts otaFacts
			if ext := d.extensions(m.Value, p, &facts); len(ext) > 0 {
				d.lose("case.lost.package-extensions", p, "the extensions of the CFPackage", "OTA keeps the extensions of the CFDocument, not of the package around it")
			}
		default:
			d.unknown(m, p, "a CFPackage")
		}
	}
	d.document(docNode, "/CFDocument", f)
	if n := root.Get("CFItems"); n != nil {
		for i, e := range d.array(n, "/CFItems", "CFItem objects") {
			d.item(e, "/CFItems/"+strconv.Itoa(i))
		}
	}
	if n := root.Get("CFAssociations"); n != nil {
		for i, e := range d.array(n, "/CFAssociations", "CFAssociation objects") {
			d.association(e, "/CFAssociations/"+strconv.Itoa(i))
		}
	}
	d.build(f)
	return f
}
