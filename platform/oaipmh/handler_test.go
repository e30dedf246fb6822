package oaipmh_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/metaacademy/ota/platform/oaipmh"
)

// TestVerbsValidate sends every verb, with and without errors, and checks
// each response against the OAI-PMH, oai_dc, LOM and OTA schemas, and the
// error codes.
func TestVerbsValidate(t *testing.T) {
	h := nsoHandler(t, oaipmh.HandlerOptions{PageSize: 4})
	const id = "https://www.insee.fr/fr/formation/ota/correction-variations-saisonnieres"
	tests := []struct {
		name string
		args url.Values
		code string // the error expected, or ""
	}{
		{"Identify", url.Values{"verb": {"Identify"}}, ""},
		{"ListMetadataFormats", url.Values{"verb": {"ListMetadataFormats"}}, ""},
		{"ListMetadataFormats/identifier", url.Values{"verb": {"ListMetadataFormats"}, "identifier": {id}}, ""},
		{"ListSets", url.Values{"verb": {"ListSets"}}, ""},
		{"GetRecord/oai_dc", url.Values{"verb": {"GetRecord"}, "identifier": {id}, "metadataPrefix": {"oai_dc"}}, ""},
		{"GetRecord/lom", url.Values{"verb": {"GetRecord"}, "identifier": {id}, "metadataPrefix": {"lom"}}, ""},
		{"GetRecord/ota", url.Values{"verb": {"GetRecord"}, "identifier": {id}, "metadataPrefix": {"ota"}}, ""},
		{"ListIdentifiers", url.Values{"verb": {"ListIdentifiers"}, "metadataPrefix": {"oai_dc"}}, ""},
		{"ListRecords/oai_dc", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}}, ""},
		{"ListRecords/lom", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"lom"}}, ""},
		{"ListRecords/ota", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"ota"}}, ""},
		{"ListRecords/set", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"lom"}, "set": {"framework:gsbpm"}}, ""},
		{"ListRecords/from-until", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}, "from": {"2000-01-01"}, "until": {"2100-01-01"}}, ""},
		{"noVerb", url.Values{}, "badVerb"},
		{"badVerb", url.Values{"verb": {"Harvest"}}, "badVerb"},
		{"repeatedVerb", url.Values{"verb": {"Identify", "Identify"}}, "badVerb"},
		{"extraArgument", url.Values{"verb": {"Identify"}, "set": {"x"}}, "badArgument"},
		{"missingPrefix", url.Values{"verb": {"ListRecords"}}, "badArgument"},
		{"badDate", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}, "from": {"2024-13-01"}}, "badArgument"},
		{"mixedGranularity", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}, "from": {"2024-01-01"}, "until": {"2024-02-01T00:00:00Z"}}, "badArgument"},
		{"fromAfterUntil", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}, "from": {"2024-02-01"}, "until": {"2024-01-01"}}, "badArgument"},
		{"tokenNotExclusive", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}, "resumptionToken": {"x"}}, "badArgument"},
		{"badToken", url.Values{"verb": {"ListRecords"}, "resumptionToken": {"eyJ2IjoxfQ.AAAA"}}, "badResumptionToken"},
		{"unknownFormat", url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"marc21"}}, "cannotDisseminateFormat"},
		{"GetRecord/unknownFormat", url.Values{"verb": {"GetRecord"}, "identifier": {id}, "metadataPrefix": {"marc21"}}, "cannotDisseminateFormat"},
		{"unknownID", url.Values{"verb": {"GetRecord"}, "identifier": {"https://example.org/none"}, "metadataPrefix": {"oai_dc"}}, "idDoesNotExist"},
		{"formatsUnknownID", url.Values{"verb": {"ListMetadataFormats"}, "identifier": {"urn:x:none"}}, "idDoesNotExist"},
		{"noMatch", url.Values{"verb": {"ListIdentifiers"}, "metadataPrefix": {"oai_dc"}, "set": {"publisher:nobody"}}, "noRecordsMatch"},
		{"noMatchDates", url.Values{"verb": {"ListIdentifiers"}, "metadataPrefix": {"oai_dc"}, "from": {"2100-01-01"}}, "noRecordsMatch"},
		{"setsToken", url.Values{"verb": {"ListSets"}, "resumptionToken": {"abc"}}, "badResumptionToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := get(t, h, tt.args)
			r := parse(t, body)
			switch {
			case tt.code == "" && len(r.Errors) > 0:
				t.Fatalf("unexpected error %s: %s", r.Errors[0].Code, r.Errors[0].Text)
			case tt.code != "" && (len(r.Errors) == 0 || r.Errors[0].Code != tt.code):
				t.Fatalf("want error %s, got %+v", tt.code, r.Errors)
			}
			if tt.code == "badVerb" || tt.code == "badArgument" {
				if r.Request.Verb != "" {
					t.Errorf("the request element of a %s response has attributes", tt.code)
				}
			}
			lint(t, body)
		})
	}
}

// TestNoSetHierarchy: a repository without sets says so.
func TestNoSetHierarchy(t *testing.T) {
	h := oaipmh.NewHandler(oaipmh.NewCatalogueRepository(emptyCatalogue(), oaipmh.CatalogueOptions{}), oaipmh.HandlerOptions{BaseURL: "http://x.example/oai"})
	for _, args := range []url.Values{
		{"verb": {"ListSets"}},
		{"verb": {"ListRecords"}, "metadataPrefix": {"oai_dc"}, "set": {"kind"}},
	} {
		r := parse(t, get(t, h, args))
		if len(r.Errors) != 1 || r.Errors[0].Code != "noSetHierarchy" {
			t.Errorf("%v: want noSetHierarchy, got %+v", args, r.Errors)
		}
	}
	body := get(t, h, url.Values{"verb": {"Identify"}})
	if !strings.Contains(string(body), "<adminEmail>postmaster@x.example</adminEmail>") {
		t.Errorf("Identify without admin e-mail does not fall back to postmaster@host:\n%s", body)
	}
	lint(t, body)
}
