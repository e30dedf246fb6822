package scorm

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/metaacademy/ota/asset"
)

func TestLicenseFromText(t *testing.T) {
	tests := map[string]string{
		"subject to the Creative Commons Attribution 3.0 United States License.": "CC-BY-3.0-US",
		"Creative Commons Attribution-ShareAlike 4.0 International":              "CC-BY-SA-4.0",
		"Creative Commons Attribution-NonCommercial-NoDerivatives 4.0":           "CC-BY-NC-ND-4.0",
		"see https://creativecommons.org/licenses/by/4.0/":                       "CC-BY-4.0",
		"http://creativecommons.org/licenses/by-nc-sa/3.0/":                      "CC-BY-NC-SA-3.0",
		"Licensed CC BY 4.0":               "CC-BY-4.0",
		"Open Government Licence v3.0":     "OGL-UK-3.0",
		"All rights reserved":              "",
		"Creative Commons Attribution 9.9": "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) { assert.Equal(t, want, licenseFromText(in)) })
	}
}

func TestParseVCard(t *testing.T) {
	tests := []struct {
		name, in string
		want     asset.Contributor
		ok       bool
	}{
		{"person", "BEGIN:VCARD\nFN:Ada Lovelace\nORG:Stats Office;Methods\nEMAIL;INTERNET:ada@example.org\nEND:VCARD",
			asset.Contributor{Name: "Ada Lovelace", Type: asset.Person, Affiliation: "Stats Office, Methods", Email: "ada@example.org"}, true},
		{"organisation", "BEGIN:VCARD\r\nORG:Example NSO\r\nEND:VCARD", asset.Contributor{Name: "Example NSO", Type: asset.Organization}, true},
		{"bad email dropped", "FN:X\nEMAIL:not an email", asset.Contributor{Name: "X", Type: asset.Person}, true},
		{"one line", "BEGIN:vCard FN:Joe Smith ORG:NSO EMAIL;INTERNET:joe@nso.example END:vCard",
			asset.Contributor{Name: "Joe Smith", Type: asset.Person, Affiliation: "NSO", Email: "joe@nso.example"}, true},
		{"nothing", "BEGIN:VCARD\nEND:VCARD", asset.Contributor{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseVCard(tc.in)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
