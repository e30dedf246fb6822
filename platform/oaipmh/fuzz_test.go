package oaipmh

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/metaacademy/ota/catalogue"

	"github.com/metaacademy/ota/internal/xmltree"
)

func fuzzHandler(f *testing.F) *Handler {
	cat, _, err := catalogue.LoadDir("../../catalogue/testdata/catalogue/nsos", catalogue.LoadOptions{})
	if err != nil {
		f.Fatal(err)
	}
	return NewHandler(NewCatalogueRepository(cat, CatalogueOptions{Name: "fuzz"}), HandlerOptions{
		BaseURL: "https://example.org/oai", PageSize: 3, TokenKey: []byte("fuzz"),
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
}

// FuzzRequest sends arbitrary request arguments: the handler answers every
// one with a well-formed OAI-PMH document, and a token it did not issue is
// refused.
func FuzzRequest(f *testing.F) {
	h := fuzzHandler(f)
	for _, s := range []string{
		"verb=Identify", "verb=ListSets", "verb=ListMetadataFormats&identifier=urn:x",
		"verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2025-01-01",
		"verb=ListIdentifiers&metadataPrefix=lom&set=publisher:insee",
		"verb=GetRecord&metadataPrefix=ota&identifier=https://www.insee.fr/fr/formation/ota/correction-variations-saisonnieres",
		"verb=ListRecords&resumptionToken=eyJ2IjoxfQ.AAAA", "verb=ListRecords&verb=Identify", "verb=x&%zz",
		"verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00Z&until=2024-01-01",
	} {
		f.Add(s)
	}
	// A real token, so that the fuzzer mutates one.
	first, _ := h.Respond(context.Background(), url.Values{"verb": {"ListIdentifiers"}, "metadataPrefix": {"oai_dc"}}, "x")
	root, _, _ := xmltree.Parse(bytes.NewReader(first), xmltree.Limits{})
	if li := root.Child(NSOAI, "ListIdentifiers"); li != nil {
		if tok := li.Child(NSOAI, "resumptionToken"); tok != nil {
			f.Add("verb=ListIdentifiers&resumptionToken=" + url.QueryEscape(tok.Text))
		}
	}
	f.Fuzz(func(t *testing.T, raw string) {
		args, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		body, err := h.Respond(context.Background(), args, "https://example.org/oai")
		if err != nil {
			t.Fatalf("Respond: %v", err)
		}
		root, _, err := xmltree.Parse(bytes.NewReader(body), xmltree.Limits{})
		if err != nil {
			t.Fatalf("the response is not well-formed XML: %v\n%s", err, body)
		}
		if root.Child(NSOAI, "responseDate") == nil || root.Child(NSOAI, "request") == nil {
			t.Fatalf("the response lacks responseDate or request:\n%s", body)
		}
		if tok := args.Get("resumptionToken"); tok != "" {
			if _, err := decodeToken(tok, h.key, h.opts.Now()); err != nil && root.Child(NSOAI, "error") == nil {
				t.Fatalf("a token that does not verify was accepted:\n%s", body)
			}
		}
	})
}

// FuzzToken: decodeToken never panics, and accepts only what verifies.
func FuzzToken(f *testing.F) {
	key := []byte("k")
	now := time.Unix(1_000_000, 0)
	f.Add(encodeToken(token{V: 1, Verb: verbListRecords, Prefix: "oai_dc", Until: 5, Exp: now.Unix() + 10}, key))
	f.Add("e30.AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := decodeToken(s, key, now)
		if err != nil {
			if !errors.Is(err, errToken) {
				t.Fatalf("error %v is not errToken", err)
			}
			return
		}
		if encodeToken(tok, key) == "" || tok.V != 1 {
			t.Fatalf("accepted %q as %+v", s, tok)
		}
	})
}

// FuzzParseResponse feeds the client's parser arbitrary responses: it
// returns a response or an error wrapping ErrResponse, and never panics.
func FuzzParseResponse(f *testing.F) {
	h := fuzzHandler(f)
	for _, q := range []string{
		"verb=Identify", "verb=ListSets", "verb=ListRecords&metadataPrefix=ota",
		"verb=ListRecords&metadataPrefix=lom", "verb=ListIdentifiers&metadataPrefix=oai_dc", "verb=Harvest",
	} {
		args, _ := url.ParseQuery(q)
		body, _ := h.Respond(context.Background(), args, "x")
		f.Add(body, args.Get("metadataPrefix"))
	}
	f.Fuzz(func(t *testing.T, data []byte, prefix string) {
		r, err := parseResponse(data, prefix, parseLimits{maxBytes: 1 << 20, maxElements: 10000, maxDocument: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrResponse) {
				t.Fatalf("error %v does not wrap ErrResponse", err)
			}
			return
		}
		for _, rec := range r.records {
			if rec.Identifier == "" || rec.Datestamp.IsZero() {
				t.Fatalf("record without identifier or datestamp: %+v", rec.Header)
			}
			if prefix == PrefixOTA && !rec.Deleted && rec.Asset == nil {
				t.Fatalf("ota record %s without an asset", rec.Identifier)
			}
		}
	})
}
