package lrs_test

// Integration tests of the LRS client against a real LRS: Learning
// Locker's statement and activity profile services, started by
// internal/interop/lrs-start.mjs (see internal/interop/README.md), whose
// xAPI base URL is in OTA_TEST_LRS. Without it, and under -short, they
// skip.
//
// What the real LRS cannot do is tested against the double in
// client_test.go: it answers xAPI 1.0.3 only (a 2.0.0 header gets 400),
// has no State or Agent Profile resource, and cannot be made to fail with
// 429 or 503.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/packaging/xapi/lrs"

	"github.com/metaacademy/ota/packaging/xapi"
)

// lrsEnv names the environment variable holding the real LRS's address.
const lrsEnv = "OTA_TEST_LRS"

func realLRS(t *testing.T) *lrs.Client {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped under -short: the real-LRS tests need Learning Locker running")
	}
	endpoint := os.Getenv(lrsEnv)
	if endpoint == "" {
		t.Skipf("%s is not set: start Learning Locker with internal/interop/lrs-start.mjs (see internal/interop/README.md) and export %s=http://127.0.0.1:PORT/xAPI to run the real-LRS tests", lrsEnv, lrsEnv)
	}
	c, err := lrs.New(endpoint, lrs.WithBasicAuth("ota-test", "secret"),
		lrs.WithRetry(lrs.RetryPolicy{MaxAttempts: 2, BaseDelay: 50 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientLRS(t *testing.T) {
	c := realLRS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The LRS keeps statements for as long as it runs: everything this run
	// posts is told apart by a registration and activity IRIs of its own.
	run := xapi.NewID()
	activity := func(n string) string { return "https://example.org/ota/test/" + run + "/" + n }
	learner := xapi.MboxAgent("Ana Pereira", "ana.pereira."+run[:8]+"@example.org")
	statement := func(n string) *xapi.Statement {
		s := testStatement(0, "")
		s.Actor = learner
		s.Object.Activity.ID = activity(n)
		s.Context = &xapi.Context{Registration: run}
		return s
	}

	t.Run("About", func(t *testing.T) {
		about, err := c.About(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !about.Supports(xapi.Version103) {
			t.Errorf("the LRS does not list 1.0.3: %v", about.Versions)
		}
		t.Logf("the LRS supports %v", about.Versions)
	})

	t.Run("post a batch and get it back", func(t *testing.T) {
		small, err := lrs.New(os.Getenv(lrsEnv), lrs.WithBasicAuth("ota-test", "secret"), lrs.WithBatchSize(2))
		if err != nil {
			t.Fatal(err)
		}
		scaled, raw, lo, hi, yes := 0.85, 17.0, 0.0, 20.0, true
		rich := statement("rich")
		rich.Verb = &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/passed", Display: xapi.LanguageMap{"en-US": "passed", "fr": "a réussi"}}
		rich.Result = &xapi.Result{Score: &xapi.Score{Scaled: &scaled, Raw: &raw, Min: &lo, Max: &hi},
			Success: &yes, Completion: &yes, Duration: "PT12M30S",
			Extensions: xapi.Extensions{"https://example.org/ext/attempt": []byte(`{"n":2,"tags":["a","b"]}`)}}
		rich.Context.Language = "pt-BR"
		rich.Context.Platform = "OTA test"
		rich.Context.ContextActivities = &xapi.ContextActivities{
			Parent:   []xapi.Activity{{ID: activity("course")}},
			Category: []xapi.Activity{{ID: "https://w3id.org/xapi/cmi5/context/categories/cmi5"}},
		}
		noTimestamp := statement("no-timestamp")
		noTimestamp.Timestamp = ""
		given := statement("given-id")
		given.ID = xapi.NewID()
		stmts := []*xapi.Statement{rich, noTimestamp, given, statement("four"), statement("five")}
		ids, err := small.PostStatements(ctx, stmts)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != len(stmts) || ids[2] != given.ID {
			t.Fatalf("ids %v", ids)
		}
		for i, id := range ids {
			got, err := c.GetStatement(ctx, id)
			if err != nil {
				t.Fatalf("statement %d: %v", i, err)
			}
			want := *stmts[i]
			want.ID = id
			sameStatement(t, &want, got)
			if got.Authority == nil || got.Version == "" {
				t.Errorf("statement %d: the LRS did not set authority and version: %+v", i, got)
			}
			if stmts[i].Timestamp == "" && got.Timestamp != got.Stored {
				t.Errorf("statement %d: timestamp %q, stored %q", i, got.Timestamp, got.Stored)
			}
		}
		// Posting the same statements again is a no-op for the LRS: what
		// makes a retried POST safe.
		again := *given
		if _, err := c.PostStatements(ctx, []*xapi.Statement{&again}); err != nil {
			t.Errorf("posting an identical statement again: %v", err)
		}
		changed := *given
		changed.Verb = &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/failed"}
		if _, err := c.PostStatements(ctx, []*xapi.Statement{&changed}); !errors.Is(err, lrs.ErrConflict) {
			t.Errorf("posting a different statement with a used id: %v, want ErrConflict", err)
		}
	})

	t.Run("PUT", func(t *testing.T) {
		s := statement("put")
		s.ID = xapi.NewID()
		if err := c.PutStatement(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := c.PutStatement(ctx, s); err != nil {
			t.Errorf("PUT of the identical statement again: %v", err)
		}
		got, err := c.GetStatement(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameStatement(t, s, got)
		other := statement("put-other")
		other.ID = s.ID
		if err := c.PutStatement(ctx, other); !errors.Is(err, lrs.ErrConflict) {
			t.Errorf("a conflicting PUT: %v, want ErrConflict", err)
		}
		if _, err := c.GetStatement(ctx, xapi.NewID()); !errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("an unknown id: %v, want ErrNotFound", err)
		}
	})

	t.Run("voiding", func(t *testing.T) {
		target := statement("voided")
		keep := statement("kept")
		ids, err := c.PostStatements(ctx, []*xapi.Statement{target, keep})
		if err != nil {
			t.Fatal(err)
		}
		vid, err := c.VoidStatement(ctx, ids[0], xapi.MboxAgent("Admin", "admin@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetStatement(ctx, ids[0]); !errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("the voided statement by statementId: %v, want ErrNotFound", err)
		}
		v, err := c.GetVoidedStatement(ctx, ids[0])
		if err != nil {
			t.Fatalf("GetVoidedStatement: %v", err)
		}
		want := *target
		want.ID = ids[0]
		sameStatement(t, &want, v)
		if _, err := c.GetVoidedStatement(ctx, ids[1]); !errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("a statement that is not voided, by voidedStatementId: %v", err)
		}
		seen := map[string]bool{}
		for s, err := range c.Query(ctx, lrs.StatementQuery{Agent: learner}) {
			if err != nil {
				t.Fatal(err)
			}
			seen[s.ID] = true
		}
		if seen[ids[0]] || !seen[ids[1]] {
			t.Errorf("after voiding, the list has the voided statement: %v, the kept one: %v", seen[ids[0]], seen[ids[1]])
		}
		vs, err := c.GetStatement(ctx, vid)
		if err != nil || vs.Object.StatementRef == nil || vs.Object.StatementRef.ID != ids[0] {
			t.Errorf("the voiding statement: %v %+v", err, vs)
		}
	})

	t.Run("paging with limit 1", func(t *testing.T) {
		reg := xapi.NewID()
		var stmts []*xapi.Statement
		for _, n := range []string{"p1", "p2", "p3", "p4", "p5"} {
			s := statement(n)
			s.Context.Registration = reg
			stmts = append(stmts, s)
		}
		// One POST per statement, so that their stored times are in order.
		var ids []string
		for _, s := range stmts {
			id, err := c.PostStatements(ctx, []*xapi.Statement{s})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id...)
		}
		q := lrs.StatementQuery{Registration: reg, Limit: 1, Ascending: true}
		var got []string
		pages := 0
		for page, err := range c.QueryPages(ctx, q) {
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if pages == 1 && page.ConsistentThrough.IsZero() {
				t.Error("no X-Experience-API-Consistent-Through")
			}
			if page.More != "" && !strings.HasPrefix(page.More, "/") {
				t.Logf("more link %q is not server-relative", page.More)
			}
			for _, s := range page.Statements {
				got = append(got, s.ID)
			}
			if pages > 20 {
				t.Fatal("more than 20 pages")
			}
		}
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Errorf("paged query gave\n %v\nwant\n %v", got, ids)
		}
		if pages < len(ids) {
			t.Errorf("%d pages for %d statements with limit 1", pages, len(ids))
		}
		var again []string
		for s, err := range c.Query(ctx, lrs.StatementQuery{Registration: reg, Limit: 2}) {
			if err != nil {
				t.Fatal(err)
			}
			again = append(again, s.ID)
		}
		if len(again) != len(ids) || again[0] != ids[len(ids)-1] {
			t.Errorf("descending query gave %v", again)
		}
		for _, filter := range []lrs.StatementQuery{
			{Registration: reg, Activity: activity("p3")},
			{Registration: reg, Verb: "http://adlnet.gov/expapi/verbs/experienced", Agent: learner, Activity: activity("p3")},
		} {
			n := 0
			for _, err := range c.Query(ctx, filter) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 1 {
				t.Errorf("query %+v: %d statements, want 1", filter, n)
			}
		}
	})

	t.Run("attachments", func(t *testing.T) {
		// Contents this LRS keeps intact: it reads a multipart request as
		// UTF-8 text and strips CR, LF and "s" from the start of each
		// part's content (see the subtest below and the README).
		cert := lrs.NewAttachmentPayload("application/pdf", []byte("%PDF-1.4 certificate of completion\r\nÉtienne Müller — 2024\r\n%%EOF"))
		note := lrs.NewAttachmentPayload("text/plain", []byte("Reviewed by the Meta Academy\n"))
		s := statement("attachments")
		s.Attachments = []xapi.Attachment{
			cert.Attachment("http://id.tincanapi.com/attachment/certificate-of-completion", xapi.LanguageMap{"en": "Certificate"}),
			note.Attachment("https://example.org/attachments/note", xapi.LanguageMap{"en": "Note"}),
		}
		ids, err := c.PostStatements(ctx, []*xapi.Statement{s}, cert, note)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.FetchStatement(ctx, ids[0], lrs.FetchOptions{Attachments: true})
		if err != nil {
			t.Fatal(err)
		}
		want := *s
		want.ID = ids[0]
		sameStatement(t, &want, got.Statement)
		if len(got.Attachments) != 2 {
			t.Fatalf("%d attachment parts back, want 2", len(got.Attachments))
		}
		for _, p := range got.Attachments {
			var sent lrs.AttachmentPayload
			switch p.SHA2 {
			case cert.SHA2:
				sent = cert
			case note.SHA2:
				sent = note
			default:
				t.Fatalf("unexpected part %s", p.SHA2)
			}
			if !bytes.Equal(p.Data, sent.Data) {
				t.Errorf("part %s: %q, want %q", p.SHA2, p.Data, sent.Data)
			}
			if !strings.HasPrefix(p.ContentType, sent.ContentType) {
				t.Errorf("part %s came back as %q (sent %q)", p.SHA2, p.ContentType, sent.ContentType)
			}
		}
		n := 0
		for page, err := range c.QueryPages(ctx, lrs.StatementQuery{Activity: activity("attachments"), Attachments: true}) {
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.Attachments)
		}
		if n != 2 {
			t.Errorf("the query with attachments=true returned %d parts, want 2", n)
		}
		plain, err := c.FetchStatement(ctx, ids[0], lrs.FetchOptions{})
		if err != nil || len(plain.Attachments) != 0 || len(plain.Statement.Attachments) != 2 {
			t.Errorf("without attachments=true: %v %+v", err, plain)
		}
	})

	t.Run("attachment contents this LRS alters are refused", func(t *testing.T) {
		// xapi-statements 5.0.1 decodes a multipart request as UTF-8 (bytes
		// that are not UTF-8 become U+FFFD) and strips CR, LF and "s" from
		// the start of each part's content. The client checks every part
		// against its hash: it must answer with an error, never with
		// altered content. Should the LRS keep the bytes, they must come
		// back exactly.
		for name, data := range map[string][]byte{
			"not UTF-8":             {'O', 'T', 'A', 0, 1, 2, 0xff, 0xfe, 0x80},
			"starts with s":         []byte("summary of the course"),
			"starts with a CR LF":   []byte("\r\nline two"),
			"UTF-8, kept (control)": []byte("Résumé: ĉu ŝi?"),
		} {
			t.Run(name, func(t *testing.T) {
				blob := lrs.NewAttachmentPayload("application/octet-stream", data)
				s := statement("blob")
				s.Attachments = []xapi.Attachment{blob.Attachment("https://example.org/attachments/blob", xapi.LanguageMap{"en": "Blob"})}
				ids, err := c.PostStatements(ctx, []*xapi.Statement{s}, blob)
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.FetchStatement(ctx, ids[0], lrs.FetchOptions{Attachments: true})
				switch {
				case errors.Is(err, lrs.ErrBadResponse) && strings.Contains(err.Error(), "does not match its content"):
					t.Logf("the LRS altered the attachment and the client refused it: %v", err)
				case err != nil:
					t.Fatal(err)
				case len(got.Attachments) != 1 || !bytes.Equal(got.Attachments[0].Data, blob.Data):
					t.Errorf("the client returned altered content: %+v", got.Attachments)
				default:
					t.Log("the LRS kept the attachment intact")
				}
			})
		}
	})

	t.Run("activity profile with ETags", func(t *testing.T) {
		key := lrs.ActivityProfileKey{ActivityID: activity("profiled"), ProfileID: "settings"}
		if _, err := c.GetDocument(ctx, key); !errors.Is(err, lrs.ErrNotFound) {
			t.Fatalf("before PUT: %v, want ErrNotFound", err)
		}
		first := lrs.Document{Content: []byte(`{"theme":"dark"}`), ContentType: "application/json"}
		if err := c.PutDocument(ctx, key, first, lrs.Precondition{IfNoneMatch: "*"}); err != nil {
			t.Fatal(err)
		}
		if err := c.PutDocument(ctx, key, first, lrs.Precondition{IfNoneMatch: "*"}); !errors.Is(err, lrs.ErrPreconditionFailed) {
			t.Errorf("If-None-Match * on an existing document: %v, want ErrPreconditionFailed", err)
		}
		doc, err := c.GetDocument(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if string(doc.Content) != `{"theme":"dark"}` || doc.ETag == "" || !strings.HasPrefix(doc.ContentType, "application/json") {
			t.Errorf("GET = %q, ETag %q, type %q", doc.Content, doc.ETag, doc.ContentType)
		}
		if doc.Updated.IsZero() {
			t.Error("no Last-Modified")
		}
		if err := c.PutDocument(ctx, key, lrs.Document{Content: []byte(`{"theme":"light"}`), ContentType: "application/json"},
			lrs.Precondition{IfMatch: `"0000000000000000000000000000000000000000"`}); !errors.Is(err, lrs.ErrPreconditionFailed) {
			t.Errorf("If-Match with a stale ETag: %v, want ErrPreconditionFailed", err)
		}
		if err := c.PutDocument(ctx, key, lrs.Document{Content: []byte(`{"theme":"light"}`), ContentType: "application/json"},
			lrs.Precondition{}); !errors.Is(err, lrs.ErrConflict) && !errors.Is(err, lrs.ErrBadRequest) {
			t.Errorf("an unconditional PUT of an existing profile: %v, want 409 (or 400, as this LRS does for new ones)", err)
		}
		if err := c.PutDocument(ctx, key, lrs.Document{Content: []byte(`{"theme":"light"}`), ContentType: "application/json"},
			lrs.Precondition{IfMatch: doc.ETag}); err != nil {
			t.Fatalf("If-Match with the current ETag: %v", err)
		}
		if err := c.PostDocument(ctx, key, lrs.Document{Content: []byte(`{"fontSize":14}`)}, lrs.Precondition{}); err != nil {
			t.Fatalf("POST (merge): %v", err)
		}
		merged, err := c.GetDocument(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if string(merged.Content) != `{"theme":"light","fontSize":14}` && string(merged.Content) != `{"fontSize":14,"theme":"light"}` {
			t.Errorf("after the merge: %s", merged.Content)
		}
		if merged.ETag == doc.ETag {
			t.Error("the ETag did not change")
		}
		other := lrs.ActivityProfileKey{ActivityID: key.ActivityID, ProfileID: "binary"}
		blob := []byte{0, 1, 2, 3, 0xff}
		if err := c.PutDocument(ctx, other, lrs.Document{Content: blob, ContentType: "application/octet-stream"}, lrs.Precondition{IfNoneMatch: "*"}); err != nil {
			t.Fatal(err)
		}
		if got, err := c.GetDocument(ctx, other); err != nil || !bytes.Equal(got.Content, blob) {
			t.Errorf("binary document: %v %v", err, got)
		}
		ids, err := c.DocumentIDs(ctx, key, time.Time{})
		if err != nil || strings.Join(ids, ",") != "settings,binary" && strings.Join(ids, ",") != "binary,settings" {
			t.Errorf("DocumentIDs = %v, %v", ids, err)
		}
		if err := c.DeleteDocument(ctx, key, lrs.Precondition{IfMatch: doc.ETag}); !errors.Is(err, lrs.ErrPreconditionFailed) {
			t.Errorf("DELETE with a stale ETag: %v", err)
		}
		if err := c.DeleteDocument(ctx, key, lrs.Precondition{IfMatch: merged.ETag}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetDocument(ctx, key); !errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("after DELETE: %v", err)
		}
	})

	t.Run("errors", func(t *testing.T) {
		endpoint := os.Getenv(lrsEnv)
		for _, tc := range []struct {
			auth string
			want error
		}{
			{"Basic missing_token", lrs.ErrUnauthorized},
			{"invalid_scope_client", lrs.ErrForbidden},
		} {
			bad, err := lrs.New(endpoint, lrs.WithAuthorization(tc.auth))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := bad.GetStatement(ctx, xapi.NewID()); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.auth, err, tc.want)
			}
		}
		v2, err := lrs.New(endpoint, lrs.WithBasicAuth("ota-test", "secret"), lrs.WithVersion(xapi.Version200))
		if err != nil {
			t.Fatal(err)
		}
		_, err = v2.GetStatement(ctx, xapi.NewID())
		var le *lrs.Error
		if !errors.As(err, &le) || le.StatusCode != 400 {
			t.Errorf("xAPI 2.0.0 against this 1.0.3-only LRS: %v, want 400", err)
		} else {
			t.Logf("as expected, this LRS refuses xAPI 2.0.0 (2.0 client paths are tested against the double): %v", err)
		}
		invalid := statement("invalid")
		invalid.Verb = &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/experienced", Display: xapi.LanguageMap{"en_US": "x"}}
		raw, err := lrs.New(endpoint, lrs.WithBasicAuth("ota-test", "secret"), lrs.WithoutValidation())
		if err != nil {
			t.Fatal(err)
		}
		_, err = raw.PostStatements(ctx, []*xapi.Statement{invalid})
		if !errors.Is(err, lrs.ErrBadRequest) || !errors.As(err, &le) || le.Message == "" && len(le.Warnings) == 0 {
			t.Errorf("an invalid statement sent without validation: %v, want 400 with the LRS's reasons", err)
		} else {
			t.Logf("the LRS's own validation: %v", err)
		}
	})
}
