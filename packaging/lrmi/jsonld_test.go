package lrmi_test

import (
	"slices"
	"testing"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/lrmi"
)

const sdo = "http://schema.org/"

// TestJSONLDExpands expands every catalogue asset's JSON-LD with jsonld.js
// and checks the properties a harvester reads: the types, every title
// language, the licence (under license or spdxLicense, both schema:license),
// the alignments as teaches, and lineage as isBasedOn.
func TestJSONLDExpands(t *testing.T) {
	cat, _, err := catalogue.LoadDir("../../catalogue/testdata/catalogue/nsos", catalogue.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	entries := cat.Entries()
	for _, e := range entries {
		data, _, err := lrmi.Marshal(e.Asset, lrmi.Options{Lookup: cat.Lookup})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, data)
	}
	results := interop.ExpandJSONLD(t, docs...)
	for i, e := range entries {
		t.Run(e.Location(), func(t *testing.T) {
			r := results[i]
			if r.Error != "" {
				t.Fatalf("jsonld.js cannot expand it: %s\n%s", r.Error, docs[i])
			}
			a := e.Asset
			types := interop.ExpandedValues(r.Expanded, a.ID, "@type")
			if !slices.Contains(types, any(sdo+"LearningResource")) {
				t.Errorf("types %v lack schema:LearningResource", types)
			}
			names := interop.ExpandedValues(r.Expanded, a.ID, sdo+"name")
			for _, title := range a.Title {
				if !slices.Contains(names, any(title)) {
					t.Errorf("schema:name %v lacks the title %q", names, title)
				}
			}
			if a.License != "" {
				lic := interop.ExpandedValues(r.Expanded, a.ID, sdo+"license")
				if want := lrmi.LicenseURL(a.License); !slices.Contains(lic, any(want)) {
					t.Errorf("schema:license %v, want %s", lic, want)
				}
			}
			if len(a.Alignments) > 0 && len(interop.ExpandedValues(r.Expanded, a.ID, sdo+"educationalAlignment")) == 0 {
				t.Error("no schema:educationalAlignment")
			}
			for _, rel := range a.Relations {
				if rel.Type == "isBasedOn" && !slices.ContainsFunc(interop.ExpandedValues(r.Expanded, a.ID, sdo+"isBasedOn"), func(v any) bool {
					m, ok := v.(map[string]any)
					return ok && m["@id"] == rel.Target
				}) {
					t.Errorf("no schema:isBasedOn %s", rel.Target)
				}
			}
		})
	}
}
