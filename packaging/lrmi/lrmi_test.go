package lrmi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/lrmi"
)

func TestLicenseURL(t *testing.T) {
	tests := []struct {
		id, url string
		amb     bool
	}{
		{"CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/", true},
		{"CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/", true},
		{"CC-BY-3.0-DE", "https://creativecommons.org/licenses/by/3.0/de/", true},
		{"CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", true},
		{"MIT", "https://opensource.org/licenses/MIT", true},
		{"Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0", true},
		{"GPL-3.0-or-later", "https://www.gnu.org/licenses/gpl-3.0.html", true},
		{"BSD-3-Clause", "https://www.opensource.org/licenses/BSD-3-Clause", true},
		{"etalab-2.0", "https://spdx.org/licenses/etalab-2.0.html", false},
		{"OGL-UK-3.0", "https://spdx.org/licenses/OGL-UK-3.0.html", false},
		{"MPL-2.0", "https://spdx.org/licenses/MPL-2.0.html", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := lrmi.LicenseURL(tt.id); got != tt.url {
				t.Errorf("LicenseURL = %s, want %s", got, tt.url)
			}
			if got := lrmi.AMBLicense(tt.url); got != tt.amb {
				t.Errorf("AMBLicense(%s) = %v", tt.url, got)
			}
		})
	}
}

func marshal(t *testing.T, a *asset.Asset, opts lrmi.Options) (map[string]any, []string) {
	t.Helper()
	data, rep, err := lrmi.Marshal(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := interop.ValidateAMB(t, data); err != nil {
		t.Errorf("%v\n%s", err, data)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var losses []string
	for _, l := range rep.Losses {
		losses = append(losses, l.String())
	}
	return m, losses
}

func TestMapping(t *testing.T) {
	a := &asset.Asset{
		ID: "urn:uuid:0f3a2a61-7d55-4c3e-8f59-5d1f6c8a9b01", Kind: asset.KindModule,
		Title:       asset.LangString{"de": "Stichproben", "en-GB": "Sampling", "und": "Sampling?"},
		Description: asset.LangString{"en": "Only in English."},
		Languages:   []string{"de", "fil"},
		License:     "CC-BY-4.0 OR OGL-UK-3.0",
		Level:       asset.LevelBasic, Audience: asset.LangString{"en": "new staff"},
		DeliveryModes: []asset.DeliveryMode{asset.DeliveryBlended},
		Contributors: []asset.Contributor{
			{Name: "Destatis", Roles: []asset.Role{asset.RolePublisher, asset.RoleFunder}},
			{Name: "A. Person"},
			{Name: "R. Viewer", Roles: []asset.Role{asset.RoleReviewer}, Affiliation: "INSEE"},
		},
		Objectives: []asset.Objective{{ID: "o1", Text: asset.LangString{"de": "Ziehen"}}},
		Alignments: []asset.Alignment{
			{Framework: "gsbpm", Code: "2.4", Relation: asset.Requires},
			{Framework: "https://example.org/my-framework", Code: "X1", Level: "2"},
		},
		Relations:  []asset.Relation{{Type: asset.Replaces, Target: "https://example.org/old"}, {Type: asset.IsVersionOf, Target: "https://example.org/v1"}},
		Extensions: map[string]json.RawMessage{"https://example.org/ext": json.RawMessage(`1`)},
	}
	m, losses := marshal(t, a, lrmi.Options{Language: "de"})
	ctx := m["@context"].([]any)
	if ctx[1].(map[string]any)["@language"] != "de" || m["name"] != "Stichproben" {
		t.Errorf("language: context %v, name %v", ctx[1], m["name"])
	}
	if m["description"] != nil || m["descriptionByLanguage"].(map[string]any)["en"] != "Only in English." {
		t.Errorf("a description not in the document's language: %v / %v", m["description"], m["descriptionByLanguage"])
	}
	if m["license"].(map[string]any)["id"] != "https://creativecommons.org/licenses/by/4.0/" {
		t.Errorf("license %v", m["license"])
	}
	if len(m["competencyRequired"].([]any)) != 1 || m["teaches"].([]any)[0].(map[string]any)["id"] != "urn:uuid:0f3a2a61-7d55-4c3e-8f59-5d1f6c8a9b01#o1" {
		t.Errorf("competencyRequired %v, teaches %v", m["competencyRequired"], m["teaches"])
	}
	if len(m["educationalAlignment"].([]any)) != 2 {
		t.Errorf("educationalAlignment %v", m["educationalAlignment"])
	}
	if pub := m["publisher"].([]any)[0].(map[string]any); pub["type"] != "Organization" || m["funder"] == nil {
		t.Errorf("publisher %v, funder %v", pub, m["funder"])
	}
	if cr := m["creator"].([]any)[0].(map[string]any); cr["name"] != "A. Person" || cr["type"] != "Person" {
		t.Errorf("creator %v", cr)
	}
	if co := m["contributor"].([]any)[0].(map[string]any); co["affiliation"].(map[string]any)["name"] != "INSEE" {
		t.Errorf("contributor %v", co)
	}
	joined := strings.Join(losses, "\n")
	for _, want := range []string{"/license", "/level", "/audience", "/deliveryModes", "/languages/1", "/alignments/1", "/alignments/1/level", "/relations/0", "/extensions"} {
		if !strings.Contains(joined, want+":") {
			t.Errorf("no loss at %s in:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "/relations/1") {
		t.Errorf("isVersionOf is written as isBasedOn, not lost:\n%s", joined)
	}
}

func TestMarshalErrors(t *testing.T) {
	if _, _, err := lrmi.Marshal(nil, lrmi.Options{}); err == nil {
		t.Error("nil asset: no error")
	}
	if _, _, err := lrmi.Marshal(&asset.Asset{ID: "urn:x:y"}, lrmi.Options{}); err == nil {
		t.Error("asset without a title: no error")
	}
}

// TestScriptSafe: the output can sit in an HTML script element.
func TestScriptSafe(t *testing.T) {
	a := &asset.Asset{ID: "https://example.org/a", Kind: asset.KindLesson, Title: asset.LangString{"en": "</script><script>alert(1)</script> & more"}}
	data, _, err := lrmi.Marshal(a, lrmi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(data), "<>&") {
		t.Errorf("output holds <, > or &:\n%s", data)
	}
}
