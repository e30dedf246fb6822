package interop

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ecmaRegexp adapts regexp2 (in ECMAScript mode) to jsonschema.Regexp.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }

// ambSchemaBase is the URL prefix of the AMB profile's schema files; their
// $ids and $refs use it, and AMBSchema maps it to the local copies.
const ambSchemaBase = "https://w3id.org/kim/amb/20231019/schemas/"

var (
	ambOnce   sync.Once
	ambSchema *jsonschema.Schema
	ambErr    error
)

// AMBSchema returns the AMB profile's JSON Schema (the one OERSI harvests
// by), compiled from ../shared/reference/amb/schemas with every $ref
// resolved to the local files and formats (uri, date, date-time) asserted.
// The test is skipped when the reference material is absent.
func AMBSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	dir := Reference(t, "amb/schemas")
	ambOnce.Do(func() { ambSchema, ambErr = compileAMB(dir) })
	if ambErr != nil {
		t.Fatalf("interop.AMBSchema: %v", ambErr)
	}
	return ambSchema
}

func compileAMB(dir string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	// AMB describes date-times as CCYY-MM-DDThh:mm:ss[Z|(+|-)hh:mm], the
	// zone optional, and its own valid examples omit it; RFC 3339, which
	// the validator's date-time follows, requires it.
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: ambDateTime})
	// JSON Schema patterns are ECMA-262 regular expressions; AMB's
	// duration pattern uses a lookahead, which Go's regexp lacks.
	c.UseRegexpEngine(func(s string) (jsonschema.Regexp, error) {
		re, err := regexp2.Compile(s, regexp2.ECMAScript)
		if err != nil {
			return nil, err
		}
		return ecmaRegexp{re}, nil
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if err := c.AddResource(ambSchemaBase+e.Name(), doc); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return c.Compile(ambSchemaBase + "schema.json")
}

var ambDateTimeRE = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$`)

// ambDateTime checks an AMB date-time: an ISO 8601 calendar date and time,
// the zone optional.
func ambDateTime(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	m := ambDateTimeRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("%q is not a date-time CCYY-MM-DDThh:mm:ss[Z|(+|-)hh:mm]", s)
	}
	if _, err := time.Parse(time.DateOnly, m[1]); err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	return nil
}

// ValidateAMB validates a JSON-LD document against [AMBSchema] and returns
// nil when it passes, else an error listing every violation.
func ValidateAMB(t testing.TB, doc []byte) error {
	t.Helper()
	s := AMBSchema(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("fails the AMB schema: %v", err)
	}
	return nil
}
