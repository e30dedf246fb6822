package bundle

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := ManifestSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(ManifestSchemaURI, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(ManifestSchemaURI)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestManifestSchema validates with an independent validator the manifest
// the writer produces and the testdata manifests: every valid one passes,
// and the invalid ones that break the schema's own rules fail.
func TestManifestSchema(t *testing.T) {
	s := compileSchema(t)
	validate := func(data []byte) error {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return err
		}
		return s.Validate(inst)
	}
	b, err := openBytes(writeTestBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	data, err := marshalManifest(b.Manifest())
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(data); err != nil {
		t.Errorf("written manifest: %v", err)
	}
	valid, _ := filepath.Glob("testdata/manifest/valid/*.json")
	invalid, _ := filepath.Glob("testdata/manifest/schema-invalid/*.json")
	if len(valid) == 0 || len(invalid) == 0 {
		t.Fatal("no testdata manifests")
	}
	for _, p := range valid {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(data); err != nil {
				t.Errorf("schema: %v", err)
			}
			if _, err := ParseManifest(data); err != nil {
				t.Errorf("ParseManifest: %v", err)
			}
		})
	}
	for _, p := range invalid {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(data); err == nil {
				t.Error("schema accepts it")
			}
			if _, err := ParseManifest(data); err == nil {
				t.Error("ParseManifest accepts it")
			}
		})
	}
}
