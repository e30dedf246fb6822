package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	"github.com/metaacademy/ota/asset"
	docschema "github.com/metaacademy/ota/docs/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDurationJSONSchema(t *testing.T) {
	s := schemaDuration()
	assert.Equal(t, "string", s.Type)
	assert.Equal(t, durationPattern, s.Pattern)
	require.NotNil(t, s.MaxLength)
	assert.Equal(t, uint64(64), *s.MaxLength)
	assert.NotEmpty(t, s.Description)
	for _, ex := range s.Examples {
		_, err := asset.ParseDuration(ex.(string))
		assert.NoError(t, err, ex)
	}

	// The pattern agrees with ParseDuration on the test data (checkDuration
	// compares them), and the reflector refers to it.
	type doc struct {
		Length asset.Duration `json:"length"`
	}
	r := jsonschema.Reflector{}
	defs := assetTypes(&r)
	reflected := r.Reflect(doc{})
	for name, def := range defs {
		reflected.Definitions[name] = def
	}
	b, err := json.Marshal(reflected)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"pattern":`+strconv.Quote(durationPattern))
	assert.NotContains(t, durationPattern, `\d`, "\\d may match non-ASCII digits in some engines")
}

func TestLangStringJSONSchema(t *testing.T) {
	for _, tc := range []struct {
		name   string
		schema *jsonschema.Schema
		items  string
	}{
		{"LangString", schemaLangString(), "string"},
		{"LangList", schemaLangList(), "array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.schema
			assert.Equal(t, "object", s.Type)
			require.NotNil(t, s.MinProperties)
			assert.EqualValues(t, 1, *s.MinProperties)
			assert.NotEmpty(t, s.Description)
			require.NotNil(t, s.PropertyNames)
			assert.Equal(t, tagPattern, s.PropertyNames.Pattern)
			require.NotNil(t, s.AdditionalProperties)
			assert.Equal(t, tc.items, s.AdditionalProperties.Type)
			if tc.items == "array" {
				require.NotNil(t, s.AdditionalProperties.MinItems)
				assert.EqualValues(t, 1, *s.AdditionalProperties.MinItems)
				require.NotNil(t, s.AdditionalProperties.Items)
				assert.Equal(t, "string", s.AdditionalProperties.Items.Type)
			}
			_, err := json.Marshal(s)
			require.NoError(t, err)
		})
	}
}

func TestLangJSONSchemaReflect(t *testing.T) {
	type doc struct {
		Title    asset.LangString `json:"title"`
		Keywords asset.LangList   `json:"keywords"`
	}
	r := jsonschema.Reflector{}
	defs := assetTypes(&r)
	s := r.Reflect(&doc{})
	for name, def := range defs {
		s.Definitions[name] = def
	}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"minProperties":1`)
	assert.Contains(t, string(b), `"minItems":1`)
	assert.Contains(t, string(b), `"propertyNames"`)
}

// TestSchemaEnumsComplete checks that the enums of the schema list exactly
// the constants asset.go declares for each closed vocabulary, in order.
func TestSchemaEnumsComplete(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "..", "asset", "asset.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string][]string{} // type -> "Name=value" in order
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			typ, ok := vs.Type.(*ast.Ident)
			if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			declared[typ.Name] = append(declared[typ.Name], vs.Names[0].Name+"="+v)
		}
	}
	tables := map[string][]string{
		"Kind":              schemaTestPairs(schemaKinds),
		"Level":             schemaTestPairs(schemaLevels),
		"DeliveryMode":      schemaTestPairs(schemaDeliveryModes),
		"ContributorType":   schemaTestPairs(schemaContributorTypes),
		"Role":              schemaTestPairs(schemaRoles),
		"AlignmentRelation": schemaTestPairs(schemaAlignmentRelations),
		"ResourceRole":      schemaTestPairs(schemaResourceRoles),
		"RelationType":      schemaTestPairs(schemaRelationTypes),
	}
	for typ, want := range tables {
		if got := declared[typ]; !slices.Equal(got, want) {
			t.Errorf("%s: asset.go declares %v, internal/schemagen lists %v", typ, got, want)
		}
	}
}

func schemaTestPairs[T ~string](values []schemaEnumValue[T]) []string {
	var out []string
	for _, v := range values {
		out = append(out, v.name+"="+string(v.value))
	}
	return out
}

func TestSchemaUpToDate(t *testing.T) {
	t.Chdir(filepath.Join("..", "..", "asset"))
	got, err := Asset()
	if err != nil {
		t.Fatal(err)
	}
	want, ok := docschema.Get("asset")
	if !ok {
		t.Fatal(`docs/schema has no "asset" schema; run go generate ./...`)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/schema/asset.schema.json is not the schema the Go types generate; run go generate ./... and commit the result\n%s", schemaTestFirstDiff(want, got))
	}
}

// schemaTestFirstDiff describes the first line where a and b differ.
func schemaTestFirstDiff(committed, generated []byte) string {
	al, bl := strings.Split(string(committed), "\n"), strings.Split(string(generated), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("first difference at line %d:\ncommitted: %s\ngenerated: %s", i+1, x, y)
		}
	}
	return "the files differ only in their line endings"
}
