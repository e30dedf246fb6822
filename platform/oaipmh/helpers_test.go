package oaipmh_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/platform/oaipmh"
)

// fixedNow is the clock of the tests' handlers.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// nsoCatalogue loads the three test NSOs' catalogues.
func nsoCatalogue(t testing.TB) *catalogue.Catalogue {
	t.Helper()
	cat, _, err := catalogue.LoadDir("../../catalogue/testdata/catalogue/nsos", catalogue.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func nsoHandler(t testing.TB, opts oaipmh.HandlerOptions) *oaipmh.Handler {
	t.Helper()
	repo := oaipmh.NewCatalogueRepository(nsoCatalogue(t), oaipmh.CatalogueOptions{
		Name: "Test NSOs", AdminEmails: []string{"training@example.org"}, Description: "Three statistical offices' training."})
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "https://example.org/oai"
	}
	return oaipmh.NewHandler(repo, opts)
}

// get sends a GET request with the arguments and returns the body.
func get(t testing.TB, h http.Handler, args url.Values) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/oai?"+args.Encode(), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// lint validates a response with xmllint against the OAI-PMH schemas.
func lint(t testing.TB, body []byte) {
	t.Helper()
	interop.RequireXMLLint(t)
	schema, catalog := interop.OAISchema(t)
	f := filepath.Join(t.TempDir(), "response.xml")
	if err := os.WriteFile(f, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := interop.XMLLint(schema, catalog, f); err != nil {
		t.Errorf("%v\n%s", err, head(body))
	}
}

func head(b []byte) string {
	if len(b) > 3000 {
		return string(b[:3000]) + "…"
	}
	return string(b)
}

// response is the part of a response the tests look at.
type response struct {
	Errors []struct {
		Code string `xml:"code,attr"`
		Text string `xml:",chardata"`
	} `xml:"error"`
	Request struct {
		Verb string `xml:"verb,attr"`
	} `xml:"request"`
	Headers []header `xml:"ListIdentifiers>header"`
	Records []struct {
		Header   header `xml:"header"`
		Metadata struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"metadata"`
	} `xml:"ListRecords>record"`
	Token  *token `xml:"ListIdentifiers>resumptionToken"`
	RToken *token `xml:"ListRecords>resumptionToken"`
	Sets   []struct {
		Spec string `xml:"setSpec"`
	} `xml:"ListSets>set"`
}

type header struct {
	Status     string   `xml:"status,attr"`
	Identifier string   `xml:"identifier"`
	Datestamp  string   `xml:"datestamp"`
	Sets       []string `xml:"setSpec"`
}

type token struct {
	Value    string `xml:",chardata"`
	Cursor   string `xml:"cursor,attr"`
	Complete string `xml:"completeListSize,attr"`
}

func parse(t testing.TB, body []byte) response {
	t.Helper()
	var r response
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&r); err != nil && err != io.EOF {
		t.Fatalf("response is not XML: %v\n%s", err, head(body))
	}
	return r
}

var _ = context.Background

func emptyCatalogue() *catalogue.Catalogue { return &catalogue.Catalogue{} }
