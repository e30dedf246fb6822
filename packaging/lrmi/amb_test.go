package lrmi_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/lrmi"
)

// TestAMBValidatorAgreesWithExamples checks the validator the other tests
// rely on: every valid example of the AMB profile passes and every invalid
// one fails, so a pass below means something.
func TestAMBValidatorAgreesWithExamples(t *testing.T) {
	dir := interop.Reference(t, "amb/examples")
	for _, want := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join(dir, want, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no %s examples in %s", want, dir)
		}
		for _, f := range files {
			t.Run(want+"/"+filepath.Base(f), func(t *testing.T) {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				err = interop.ValidateAMB(t, data)
				if (err == nil) != (want == "valid") {
					t.Errorf("validator says %v for a %s example", err, want)
				}
			})
		}
	}
}

// TestCatalogueAMB writes every asset of the three test NSOs' catalogues,
// parts included, and validates each document against the AMB schema.
func TestCatalogueAMB(t *testing.T) {
	cat, _, err := catalogue.LoadDir("../../catalogue/testdata/catalogue/nsos", catalogue.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cat.Len() < 10 {
		t.Fatalf("the catalogue has %d entries; expected the test NSOs' assets", cat.Len())
	}
	for _, e := range cat.Entries() {
		t.Run(e.Location(), func(t *testing.T) {
			opts := lrmi.Options{Lookup: cat.Lookup, URL: "https://example.org/assets/x.html"}
			if !e.IsRoot() {
				opts.Parent = e.Root
			}
			data, rep, err := lrmi.Marshal(e.Asset, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := interop.ValidateAMB(t, data); err != nil {
				t.Errorf("%v\n%s", err, data)
			}
			for _, l := range rep.Losses {
				t.Logf("loss: %s", l)
			}
		})
	}
}
