package oaipmh_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/platform/oaipmh"
)

// firstToken returns the resumption token of the first ListIdentifiers
// page of h.
func firstToken(t *testing.T, h http.Handler) string {
	t.Helper()
	r := parse(t, get(t, h, url.Values{"verb": {"ListIdentifiers"}, "metadataPrefix": {"oai_dc"}}))
	if r.Token == nil || r.Token.Value == "" {
		t.Fatal("the first page has no resumption token")
	}
	return r.Token.Value
}

func TestTokens(t *testing.T) {
	now := fixedNow
	h := nsoHandler(t, oaipmh.HandlerOptions{PageSize: 2, TokenTTL: time.Hour, Now: func() time.Time { return now }})
	tok := firstToken(t, h)
	resume := func(verb, tok string) response {
		return parse(t, get(t, h, url.Values{"verb": {verb}, "resumptionToken": {tok}}))
	}
	t.Run("valid", func(t *testing.T) {
		r := resume("ListIdentifiers", tok)
		if len(r.Errors) > 0 || len(r.Headers) != 2 || r.Token.Cursor != "2" {
			t.Fatalf("resumed page: %+v", r)
		}
	})
	t.Run("tampered", func(t *testing.T) {
		payload, sig, _ := strings.Cut(tok, ".")
		b := []byte(payload)
		b[len(b)/2] ^= 1
		for _, bad := range []string{string(b) + "." + sig, payload + "." + sig[:len(sig)-2] + "AA", payload, tok + "x", "", strings.Repeat("A", 5000)} {
			r := resume("ListIdentifiers", bad)
			if bad == "" {
				continue // an empty argument is a badArgument, tested elsewhere
			}
			if len(r.Errors) != 1 || r.Errors[0].Code != "badResumptionToken" {
				t.Errorf("token %.40q: want badResumptionToken, got %+v", bad, r.Errors)
			}
		}
	})
	t.Run("other verb", func(t *testing.T) {
		r := resume("ListRecords", tok)
		if len(r.Errors) != 1 || r.Errors[0].Code != "badResumptionToken" {
			t.Errorf("a ListIdentifiers token used for ListRecords: got %+v", r.Errors)
		}
	})
	t.Run("other key", func(t *testing.T) {
		other := nsoHandler(t, oaipmh.HandlerOptions{PageSize: 2, Now: func() time.Time { return now }})
		r := parse(t, get(t, other, url.Values{"verb": {"ListIdentifiers"}, "resumptionToken": {tok}}))
		if len(r.Errors) != 1 || r.Errors[0].Code != "badResumptionToken" {
			t.Errorf("a token of another handler's key: got %+v", r.Errors)
		}
	})
	t.Run("expired", func(t *testing.T) {
		now = fixedNow.Add(2 * time.Hour)
		defer func() { now = fixedNow }()
		r := resume("ListIdentifiers", tok)
		if len(r.Errors) != 1 || r.Errors[0].Code != "badResumptionToken" {
			t.Errorf("an expired token: got %+v", r.Errors)
		}
	})
	t.Run("shared key", func(t *testing.T) {
		key := []byte("a key both instances share")
		a := nsoHandler(t, oaipmh.HandlerOptions{PageSize: 2, TokenKey: key})
		b := nsoHandler(t, oaipmh.HandlerOptions{PageSize: 2, TokenKey: key})
		r := parse(t, get(t, b, url.Values{"verb": {"ListIdentifiers"}, "resumptionToken": {firstToken(t, a)}}))
		if len(r.Errors) > 0 {
			t.Errorf("instances sharing a key refuse each other's tokens: %+v", r.Errors)
		}
	})
}

func TestLastPageHasEmptyToken(t *testing.T) {
	h := nsoHandler(t, oaipmh.HandlerOptions{PageSize: 5})
	tok := firstToken(t, h)
	var last response
	for tok != "" {
		last = parse(t, get(t, h, url.Values{"verb": {"ListIdentifiers"}, "resumptionToken": {tok}}))
		tok = last.Token.Value
	}
	if last.Token == nil || last.Token.Value != "" || last.Token.Complete == "" {
		t.Fatalf("the last page's resumptionToken: %+v", last.Token)
	}
}

func TestPostAndMethods(t *testing.T) {
	h := nsoHandler(t, oaipmh.HandlerOptions{})
	form := url.Values{"verb": {"Identify"}}.Encode()
	req := httptest.NewRequest(http.MethodPost, "/oai", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !bytes.Contains(rec.Body.Bytes(), []byte("<Identify>")) {
		t.Fatalf("POST Identify: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, tc := range []struct {
		method, ctype string
		want          int
	}{
		{http.MethodPut, "", http.StatusMethodNotAllowed},
		{http.MethodPost, "application/json", http.StatusUnsupportedMediaType},
	} {
		req := httptest.NewRequest(tc.method, "/oai", strings.NewReader("{}"))
		req.Header.Set("Content-Type", tc.ctype)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.ctype, rec.Code, tc.want)
		}
	}
	big := httptest.NewRequest(http.MethodPost, "/oai", strings.NewReader("verb=Identify&x="+strings.Repeat("a", 100<<10)))
	big.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, big)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("a 100 KiB form: status %d, want 400", rec.Code)
	}
}

// TestLintCatchesBadMetadata shows that the schema check of the other tests
// can fail: a LOM record with an element LOM does not define, inside a
// valid envelope, does not validate.
func TestLintCatchesBadMetadata(t *testing.T) {
	interop.RequireXMLLint(t)
	h := nsoHandler(t, oaipmh.HandlerOptions{})
	body := get(t, h, url.Values{"verb": {"GetRecord"}, "metadataPrefix": {"lom"}, "identifier": {"https://www.insee.fr/fr/formation/ota/correction-variations-saisonnieres"}})
	bad := bytes.Replace(body, []byte("<catalog>URI</catalog>"), []byte("<catalogue>URI</catalogue>"), 1)
	if bytes.Equal(bad, body) {
		t.Fatal("the LOM record has no catalog element to spoil")
	}
	schema, catalog := interop.OAISchema(t)
	f := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(f, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	var le *interop.LintError
	if err := interop.XMLLint(schema, catalog, f); !errors.As(err, &le) {
		t.Fatalf("xmllint accepted a LOM record with <catalogue>: %v", err)
	}
}

// failingRepo fails every call.
type failingRepo struct{}

var errDown = errors.New("database is down")

func (failingRepo) Identity(context.Context) (oaipmh.Identity, error) {
	return oaipmh.Identity{}, errDown
}
func (failingRepo) Sets(context.Context) ([]oaipmh.Set, error)                  { return nil, errDown }
func (failingRepo) List(context.Context, oaipmh.Query) ([]oaipmh.Record, error) { return nil, errDown }
func (failingRepo) Get(context.Context, string) (oaipmh.Record, error) {
	return oaipmh.Record{}, errDown
}

func TestRepositoryFailureIs500(t *testing.T) {
	h := oaipmh.NewHandler(failingRepo{}, oaipmh.HandlerOptions{})
	for _, args := range []string{"verb=Identify", "verb=ListSets", "verb=ListRecords&metadataPrefix=oai_dc", "verb=GetRecord&identifier=x:y&metadataPrefix=ota"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/oai?"+args, nil))
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "database") {
			t.Errorf("%s: status %d, body %q", args, rec.Code, rec.Body)
		}
	}
}
