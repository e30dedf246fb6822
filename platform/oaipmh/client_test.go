package oaipmh_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/oaipmh"
)

// TestClientRoundTrip harvests the test NSOs in the ota format and checks
// that every asset comes back as the same canonical document: a hub
// harvesting a hub loses nothing.
func TestClientRoundTrip(t *testing.T) {
	cat := nsoCatalogue(t)
	srv := httptest.NewServer(nsoHandler(t, oaipmh.HandlerOptions{PageSize: 3}))
	defer srv.Close()
	c := &oaipmh.Client{BaseURL: srv.URL}
	ctx := context.Background()
	id, err := c.Identify(ctx)
	if err != nil || id.Name != "Test NSOs" || id.Deleted != oaipmh.DeletedNo || len(id.AdminEmails) != 1 {
		t.Fatalf("Identify: %+v, %v", id, err)
	}
	n := 0
	for rec, err := range c.Records(ctx, oaipmh.ListOptions{Prefix: oaipmh.PrefixOTA}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		want, err := asset.Marshal(asset.NewDocument(*cat.Lookup(rec.Identifier)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := asset.Marshal(asset.NewDocument(*rec.Asset))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the harvested document differs from the published one", rec.Identifier)
		}
	}
	roots := 0
	for _, e := range cat.Entries() {
		if e.IsRoot() {
			roots++
		}
	}
	if n != roots {
		t.Fatalf("harvested %d records, the catalogue has %d trees", n, roots)
	}
	rec, err := c.Record(ctx, "https://www.insee.fr/fr/formation/ota/correction-variations-saisonnieres", oaipmh.PrefixLOM)
	if err != nil || !bytes.Contains(rec.Metadata, []byte("<lom")) || rec.Asset != nil {
		t.Fatalf("GetRecord lom: %v\n%s", err, rec.Metadata)
	}
	_, err = c.Record(ctx, "urn:x:none", oaipmh.PrefixDC)
	var pe *oaipmh.ProtocolError
	if !errors.As(err, &pe) || pe.Code != "idDoesNotExist" {
		t.Fatalf("GetRecord of an unknown id: %v", err)
	}
	for _, err := range c.Records(ctx, oaipmh.ListOptions{Prefix: "marc21"}) {
		if !errors.As(err, &pe) || pe.Code != "cannotDisseminateFormat" {
			t.Fatalf("ListRecords marc21: %v", err)
		}
	}
	for _, err := range c.Records(ctx, oaipmh.ListOptions{Prefix: oaipmh.PrefixDC, Set: "publisher:nobody"}) {
		t.Fatalf("an empty list yields %v", err)
	}
}

const envelope = `<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-01-01T00:00:00Z</responseDate><request>x</request>%s</OAI-PMH>`

// TestClientHostileResponses: every kind of bad response is an error
// wrapping ErrResponse, never a panic or an endless loop.
func TestClientHostileResponses(t *testing.T) {
	okDoc := `{"ota":"1.0","id":"urn:x:a","kind":"lesson","title":{"en":"A"}}`
	rec := func(id, doc string) string {
		return fmt.Sprintf(`<record><header><identifier>%s</identifier><datestamp>2025-01-01</datestamp></header><metadata><document xmlns="https://w3id.org/ota/oai/1.0" format="1.0">%s</document></metadata></record>`, id, doc)
	}
	tests := []struct {
		name, body string
		status     int
	}{
		{"not XML", "{}", 200},
		{"HTML", "<html><body>hello</body></html>", 200},
		{"status 500", fmt.Sprintf(envelope, "<ListRecords/>"), 500},
		{"wrong verb", fmt.Sprintf(envelope, "<ListIdentifiers/>"), 200},
		{"two verbs", fmt.Sprintf(envelope, "<ListRecords/><GetRecord/>"), 200},
		{"nothing", fmt.Sprintf(envelope, ""), 200},
		{"no identifier", fmt.Sprintf(envelope, `<ListRecords><record><header><datestamp>2025-01-01</datestamp></header></record></ListRecords>`), 200},
		{"bad datestamp", fmt.Sprintf(envelope, `<ListRecords><record><header><identifier>urn:x:a</identifier><datestamp>yesterday</datestamp></header></record></ListRecords>`), 200},
		{"no metadata", fmt.Sprintf(envelope, `<ListRecords><record><header><identifier>urn:x:a</identifier><datestamp>2025-01-01</datestamp></header></record></ListRecords>`), 200},
		{"bad document", fmt.Sprintf(envelope, "<ListRecords>"+rec("urn:x:a", `{"ota":"1.0"`)+"</ListRecords>"), 200},
		{"id mismatch", fmt.Sprintf(envelope, "<ListRecords>"+rec("urn:x:b", okDoc)+"</ListRecords>"), 200},
		{"entities", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">&a;</OAI-PMH>`, 200},
		{"too large", fmt.Sprintf(envelope, "<ListRecords>"+strings.Repeat(" ", 2<<20)+"</ListRecords>"), 200},
		{"token loop", fmt.Sprintf(envelope, "<ListRecords>"+rec("urn:x:a", okDoc)+"<resumptionToken>same</resumptionToken></ListRecords>"), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			c := &oaipmh.Client{BaseURL: srv.URL, MaxResponseBytes: 1 << 20}
			var last error
			n := 0
			for _, err := range c.Records(context.Background(), oaipmh.ListOptions{Prefix: oaipmh.PrefixOTA}) {
				if n++; n > 10 {
					t.Fatal("the client keeps going")
				}
				last = err
			}
			if !errors.Is(last, oaipmh.ErrResponse) {
				t.Fatalf("got %v, want an error wrapping ErrResponse", last)
			}
		})
	}
}
