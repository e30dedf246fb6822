package lrs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/packaging/xapi/lrs"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/packaging/xapi"
)

// testStatement returns a valid statement about activity n.
func testStatement(n int, id string) *xapi.Statement {
	return &xapi.Statement{
		ID:    id,
		Actor: xapi.MboxAgent("Learner", "learner@example.org"),
		Verb:  &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/experienced", Display: xapi.LanguageMap{"en-US": "experienced"}},
		Object: xapi.Object{Activity: &xapi.Activity{ID: fmt.Sprintf("https://example.org/ota/activities/%d", n),
			Definition: &xapi.ActivityDefinition{Name: xapi.LanguageMap{"en": fmt.Sprintf("Activity %d", n)}}}},
		Timestamp: "2024-05-31T10:00:00.000Z",
	}
}

// normalised returns the JSON of s without what an LRS sets or rewrites:
// stored, authority, version, a timestamp it filled in (when want had
// none), default objectTypes and the form of timestamps.
func normalised(t *testing.T, s *xapi.Statement, keepTimestamp bool) string {
	t.Helper()
	c := s.Clone()
	c.Stored, c.Authority, c.Version = "", nil, ""
	if !keepTimestamp {
		c.Timestamp = ""
	} else if ts, err := xapi.ParseTimestamp(c.Timestamp); err == nil {
		c.Timestamp = xapi.FormatTimestamp(ts)
	}
	if c.Actor != nil && c.Actor.ObjectType == "" {
		c.Actor.ObjectType = xapi.ObjectTypeAgent
	}
	if c.Object.Activity != nil && c.Object.Activity.ObjectType == "" {
		c.Object.Activity.ObjectType = xapi.ObjectTypeActivity
	}
	if c.Context != nil && c.Context.ContextActivities != nil {
		ca := c.Context.ContextActivities
		for _, list := range [][]xapi.Activity{ca.Parent, ca.Grouping, ca.Category, ca.Other} {
			for i := range list {
				if list[i].ObjectType == "" {
					list[i].ObjectType = xapi.ObjectTypeActivity
				}
			}
		}
	}
	data, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func sameStatement(t *testing.T, want, got *xapi.Statement) {
	t.Helper()
	keep := want.Timestamp != ""
	if w, g := normalised(t, want, keep), normalised(t, got, keep); w != g {
		t.Errorf("statement changed on the way:\n sent %s\n  got %s", w, g)
	}
	if got.Stored == "" {
		t.Errorf("statement %s has no stored time", got.ID)
	}
}

func count(reqs []seenRequest, method, path string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func TestClientNewClient(t *testing.T) {
	bad := []struct {
		name, endpoint string
		opts           []lrs.Option
	}{
		{"relative", "/xAPI/", nil},
		{"ftp", "ftp://lrs.example.org/xAPI", nil},
		{"no host", "http:///xAPI", nil},
		{"userinfo", "https://key:secret@lrs.example.org/xAPI", nil},
		{"query", "https://lrs.example.org/xAPI?x=1", nil},
		{"version", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithVersion("1.1.0")}},
		{"batch", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithBatchSize(0)}},
		{"http client", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithHTTPClient(nil)}},
		{"user with colon", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithBasicAuth("a:b", "c")}},
		{"agent header", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithUserAgent("x\r\ny")}},
		{"limit", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithMaxResponseBytes(0)}},
		{"retry", "https://lrs.example.org/xAPI", []lrs.Option{lrs.WithRetry(lrs.RetryPolicy{BaseDelay: -1})}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := lrs.New(tc.endpoint, tc.opts...); err == nil {
				t.Fatalf("New(%q) = %v, want an error", tc.endpoint, c.Endpoint())
			}
		})
	}
	c, err := lrs.New("https://lrs.example.org/xAPI")
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != "https://lrs.example.org/xAPI/" || c.Version() != xapi.Version103 {
		t.Errorf("endpoint %q version %q", c.Endpoint(), c.Version())
	}
}

func TestClientHeadersAndVersions(t *testing.T) {
	d := newLRSDouble(t)
	ctx := context.Background()
	for _, tc := range []struct {
		opts []lrs.Option
		want string
	}{
		{nil, "1.0.3"},
		{[]lrs.Option{lrs.WithVersion(xapi.Version103)}, "1.0.3"},
		{[]lrs.Option{lrs.WithVersion(xapi.Version200)}, "2.0.0"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			c := d.client(t, append(tc.opts, lrs.WithUserAgent("ota-test/1"))...)
			before := len(d.seen())
			if _, err := c.PostStatements(ctx, []*xapi.Statement{testStatement(1, "")}); err != nil {
				t.Fatal(err)
			}
			r := d.seen()[before]
			if got := r.Header.Get("X-Experience-API-Version"); got != tc.want {
				t.Errorf("X-Experience-API-Version = %q, want %q", got, tc.want)
			}
			if got := r.Header.Get("User-Agent"); got != "ota-test/1" {
				t.Errorf("User-Agent = %q", got)
			}
			if got := r.Header.Get("Authorization"); got != "Basic a2V5OnNlY3JldA==" { // key:secret
				t.Errorf("Authorization = %q", got)
			}
		})
	}

	t.Run("2.0 statements are validated as 2.0", func(t *testing.T) {
		s := testStatement(2, "")
		s.Context = &xapi.Context{ContextAgents: []xapi.ContextAgent{xapi.NewContextAgent(xapi.MboxAgent("", "trainer@example.org"))}}
		_, err := d.client(t).PostStatements(ctx, []*xapi.Statement{s})
		if !hasIssue(err, "xapi.context.v2-only") {
			t.Errorf("a 1.0.3 client sent a 2.0 statement: %v", err)
		}
		if _, err := d.client(t, lrs.WithVersion(xapi.Version200)).PostStatements(ctx, []*xapi.Statement{s}); err != nil {
			t.Errorf("a 2.0 client: %v", err)
		}
	})

	t.Run("an LRS that speaks only 1.0.3 refuses 2.0", func(t *testing.T) {
		only := newLRSDouble(t)
		only.versions = []string{"1.0.3"}
		c := only.client(t, lrs.WithVersion(xapi.Version200))
		about, err := c.About(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if about.Supports(xapi.Version200) || !about.Supports(xapi.Version103) {
			t.Errorf("About = %+v", about)
		}
		_, err = c.GetStatement(ctx, xapi.NewID())
		var le *lrs.Error
		if !errors.Is(err, lrs.ErrBadRequest) || !errors.As(err, &le) || le.Attempts != 1 {
			t.Errorf("GET with 2.0.0: %v, want a 400 Error after one attempt", err)
		}
	})
}

func hasIssue(err error, code string) bool {
	for _, is := range ota.IssuesOf(err) {
		if is.Code == code {
			return true
		}
	}
	return false
}

func TestClientPostGetPut(t *testing.T) {
	d := newLRSDouble(t)
	c := d.client(t, lrs.WithBatchSize(2))
	ctx := context.Background()

	given := "6f2c9a4e-1b3d-4c5e-8f70-9a1b2c3d4e5f"
	stmts := []*xapi.Statement{testStatement(1, given), testStatement(2, ""), testStatement(3, ""), testStatement(4, ""), testStatement(5, "")}
	stmts[2].Timestamp = ""
	ids, err := c.PostStatements(ctx, stmts)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(stmts) || ids[0] != given {
		t.Fatalf("ids = %v", ids)
	}
	for _, s := range stmts[1:] {
		if s.ID != "" {
			t.Errorf("PostStatements changed the caller's statement (id %s)", s.ID)
		}
	}
	if n := count(d.seen(), http.MethodPost, "/xAPI/statements"); n != 3 {
		t.Errorf("5 statements in batches of 2 took %d POSTs, want 3", n)
	}
	for i, id := range ids {
		got, err := c.GetStatement(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := *stmts[i]
		want.ID = id
		sameStatement(t, &want, got)
	}

	t.Run("PUT", func(t *testing.T) {
		s := testStatement(9, xapi.NewID())
		if err := c.PutStatement(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := c.PutStatement(ctx, s); err != nil {
			t.Errorf("PUT of the identical statement again: %v", err)
		}
		other := testStatement(10, s.ID)
		if err := c.PutStatement(ctx, other); !errors.Is(err, lrs.ErrConflict) {
			t.Errorf("PUT of another statement with the same id: %v, want ErrConflict", err)
		}
		if err := c.PutStatement(ctx, testStatement(1, "")); err == nil {
			t.Error("PUT without an id succeeded")
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := c.GetStatement(ctx, xapi.NewID())
		var le *lrs.Error
		if !errors.Is(err, lrs.ErrNotFound) || !errors.As(err, &le) || le.StatusCode != 404 || le.Message == "" {
			t.Errorf("GetStatement of an unknown id: %#v", err)
		}
	})

	t.Run("invalid statements are not sent", func(t *testing.T) {
		before := len(d.seen())
		bad := testStatement(1, "")
		bad.Verb.ID = "not an IRI"
		_, err := c.PostStatements(ctx, []*xapi.Statement{testStatement(1, ""), bad})
		if !hasIssue(err, "xapi.verb.id-invalid") && len(ota.IssuesOf(err)) == 0 {
			t.Errorf("PostStatements with an invalid statement: %v", err)
		}
		if !strings.Contains(fmt.Sprint(err), "statement 1") {
			t.Errorf("the error does not name the statement: %v", err)
		}
		if n := len(d.seen()) - before; n != 0 {
			t.Errorf("%d requests sent", n)
		}
		dup := testStatement(2, given)
		if _, err := c.PostStatements(ctx, []*xapi.Statement{dup, dup}); err == nil {
			t.Error("a batch repeating an id was sent")
		}
		if _, err := c.PostStatements(ctx, []*xapi.Statement{nil}); err == nil {
			t.Error("a nil statement was accepted")
		}
	})

	t.Run("WithoutValidation sends what it is given", func(t *testing.T) {
		bad := testStatement(1, "")
		bad.Verb.ID = "not an IRI"
		_, err := d.client(t, lrs.WithoutValidation()).PostStatements(ctx, []*xapi.Statement{bad})
		if err != nil {
			t.Errorf("the double stores what it gets, but: %v", err)
		}
	})

	t.Run("validation policy", func(t *testing.T) {
		s := testStatement(1, "12345678-1234-5678-1234-567812345678") // not RFC 4122: a warning
		if _, err := c.PostStatements(ctx, []*xapi.Statement{s}); err != nil {
			t.Fatalf("a warning stopped the statement: %v", err)
		}
		strict := d.client(t, lrs.WithValidationPolicy(ota.Policy{"xapi.uuid.not-rfc4122": ota.Error}))
		s.ID = "12345678-1234-5678-1234-567812345679"
		if _, err := strict.PostStatements(ctx, []*xapi.Statement{s}); !hasIssue(err, "xapi.uuid.not-rfc4122") {
			t.Errorf("with the policy: %v", err)
		}
	})
}

func TestClientRetries(t *testing.T) {
	ctx := context.Background()
	httpDate := time.Now().Add(time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name     string
		faults   []fault
		call     func(c *lrs.Client) error
		method   string
		path     string
		attempts int
		wantErr  error
	}{
		{"429 with Retry-After seconds, then success", []fault{{status: 429, retryAfter: "0"}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 2, nil},
		{"503 with Retry-After HTTP-date, then success", []fault{{status: 503, retryAfter: httpDate}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 2, nil},
		{"502, 500, 504 without Retry-After, then success", []fault{{status: 502}, {status: 500}, {status: 504}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 4, nil},
		{"gives up after MaxAttempts", []fault{{status: 503}, {status: 503}, {status: 503}, {status: 503}, {status: 503}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 4, lrs.ErrServer},
		{"Retry-After beyond MaxDelay is not waited for", []fault{{status: 429, retryAfter: "3600"}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 1, lrs.ErrTooManyRequests},
		{"501 is not retried", []fault{{status: 501}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 1, lrs.ErrServer},
		{"400 is not retried", []fault{{status: 400}},
			func(c *lrs.Client) error { _, err := c.About(ctx); return err }, "GET", "/xAPI/about", 1, lrs.ErrBadRequest},
		{"POST of statements is retried (they carry ids)", []fault{{status: 503}, {status: 429, retryAfter: "0"}},
			func(c *lrs.Client) error {
				_, err := c.PostStatements(ctx, []*xapi.Statement{testStatement(1, "")})
				return err
			}, "POST", "/xAPI/statements", 3, nil},
		{"POST of a document is not retried on 503", []fault{{status: 503}},
			func(c *lrs.Client) error {
				return c.PostDocument(ctx, lrs.ActivityProfileKey{ActivityID: "https://example.org/a", ProfileID: "p"},
					lrs.Document{Content: []byte(`{"a":1}`)}, lrs.Precondition{})
			}, "POST", "/xAPI/activities/profile", 1, lrs.ErrServer},
		{"POST of a document is retried on 429", []fault{{status: 429}},
			func(c *lrs.Client) error {
				return c.PostDocument(ctx, lrs.ActivityProfileKey{ActivityID: "https://example.org/a", ProfileID: "p"},
					lrs.Document{Content: []byte(`{"a":1}`)}, lrs.Precondition{})
			}, "POST", "/xAPI/activities/profile", 2, nil},
		{"a conditional PUT of a document is not retried on 503", []fault{{status: 503}},
			func(c *lrs.Client) error {
				return c.PutDocument(ctx, lrs.ActivityProfileKey{ActivityID: "https://example.org/a", ProfileID: "q"},
					lrs.Document{Content: []byte(`x`)}, lrs.Precondition{IfNoneMatch: "*"})
			}, "PUT", "/xAPI/activities/profile", 1, lrs.ErrServer},
		{"an unconditional PUT of a document is retried on 503", []fault{{status: 503}},
			func(c *lrs.Client) error {
				return c.PutDocument(ctx, lrs.ActivityProfileKey{ActivityID: "https://example.org/a", ProfileID: "r"},
					lrs.Document{Content: []byte(`x`)}, lrs.Precondition{})
			}, "PUT", "/xAPI/activities/profile", 2, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newLRSDouble(t)
			d.script(tc.faults...)
			err := tc.call(d.client(t))
			if tc.wantErr == nil && err != nil {
				t.Fatalf("error: %v", err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if got := count(d.seen(), tc.method, tc.path); got != tc.attempts {
				t.Errorf("%d attempts, want %d", got, tc.attempts)
			}
			var le *lrs.Error
			if errors.As(err, &le) {
				if le.Attempts != tc.attempts {
					t.Errorf("Error.Attempts = %d, want %d", le.Attempts, tc.attempts)
				}
				if tc.faults[0].retryAfter == "3600" && le.RetryAfter != time.Hour {
					t.Errorf("RetryAfter = %v", le.RetryAfter)
				}
			}
		})
	}

	t.Run("a lost answer to a POST: the retry stores nothing twice", func(t *testing.T) {
		d := newLRSDouble(t)
		d.script(fault{status: 502, after: true})
		c := d.client(t)
		ids, err := c.PostStatements(ctx, []*xapi.Statement{testStatement(1, ""), testStatement(2, "")})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range c.Query(ctx, lrs.StatementQuery{}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 2 || len(ids) != 2 {
			t.Errorf("%d statements stored, %d ids; want 2 and 2", n, len(ids))
		}
	})

	t.Run("a transport error is retried for safe requests", func(t *testing.T) {
		d := newLRSDouble(t)
		calls := 0
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			calls++
			if calls == 1 {
				return nil, errors.New("connection reset by peer (simulated)")
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		if _, err := d.client(t, lrs.WithHTTPClient(hc)).About(ctx); err != nil || calls != 2 {
			t.Errorf("About: %v after %d calls", err, calls)
		}
	})

	t.Run("context cancelled while waiting to retry", func(t *testing.T) {
		d := newLRSDouble(t)
		d.script(fault{status: 503, retryAfter: "2"})
		c := d.client(t, lrs.WithRetry(lrs.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: time.Minute}))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.About(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want context.DeadlineExceeded", err)
		}
		if !strings.Contains(fmt.Sprint(err), "503") {
			t.Errorf("the error does not tell what the LRS answered: %v", err)
		}
		if el := time.Since(start); el > 1500*time.Millisecond {
			t.Errorf("the call took %v: the wait did not stop with the context", el)
		}
		if n := count(d.seen(), "GET", "/xAPI/about"); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})

	t.Run("a cancelled context sends nothing", func(t *testing.T) {
		d := newLRSDouble(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.client(t).About(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v", err)
		}
		if n := len(d.seen()); n != 0 {
			t.Errorf("%d requests", n)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClientQueryPaging(t *testing.T) {
	d := newLRSDouble(t)
	c := d.client(t)
	ctx := context.Background()
	var stmts []*xapi.Statement
	for i := range 7 {
		stmts = append(stmts, testStatement(i, ""))
	}
	other := testStatement(99, "")
	other.Verb = &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/attempted"}
	ids, err := c.PostStatements(ctx, append(stmts, other))
	if err != nil {
		t.Fatal(err)
	}
	q := lrs.StatementQuery{Verb: "http://adlnet.gov/expapi/verbs/experienced", Limit: 2, Ascending: true}

	var got []string
	for s, err := range c.Query(ctx, q) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s.ID)
	}
	if strings.Join(got, ",") != strings.Join(ids[:7], ",") {
		t.Errorf("query gave\n %v\nwant\n %v", got, ids[:7])
	}
	pages := 0
	for page, err := range c.QueryPages(ctx, q) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if !page.ConsistentThrough.Equal(d.consistency) {
			t.Errorf("page %d: consistent-through %v, want %v", pages, page.ConsistentThrough, d.consistency)
		}
		if (page.More == "") != (pages == 4) {
			t.Errorf("page %d: more %q", pages, page.More)
		}
		if page.More != "" && !strings.HasPrefix(page.More, "/xAPI/statements?") {
			t.Errorf("the double's more link is not server-relative: %q", page.More)
		}
	}
	if pages != 4 {
		t.Errorf("%d pages, want 4", pages)
	}
	reqs := d.seen()
	last := reqs[len(reqs)-1]
	if last.Query.Get("verb") == "" || last.Query.Get("cursor") != "6" {
		t.Errorf("the last page was fetched with %v", last.Query)
	}

	t.Run("stopping early fetches no more pages", func(t *testing.T) {
		before := len(d.seen())
		n := 0
		for _, err := range c.Query(ctx, q) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 3 {
				break
			}
		}
		if r := len(d.seen()) - before; r != 2 {
			t.Errorf("%d requests for 3 statements in pages of 2, want 2", r)
		}
	})

	t.Run("more by hand", func(t *testing.T) {
		var first *lrs.StatementPage
		for p, err := range c.QueryPages(ctx, q) {
			if err != nil {
				t.Fatal(err)
			}
			first = p
			break
		}
		second, err := c.MorePage(ctx, first.More)
		if err != nil || len(second.Statements) != 2 || second.Statements[0].ID != ids[2] {
			t.Errorf("MorePage: %v %+v", err, second)
		}
	})

	t.Run("filters are sent", func(t *testing.T) {
		since := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		full := lrs.StatementQuery{Agent: xapi.MboxAgent("", "learner@example.org"), Verb: q.Verb,
			Activity: "https://example.org/ota/activities/1", Registration: "c2b4d3a8-6a55-4b8e-9f1d-2f3e4a5b6c7d",
			RelatedActivities: true, RelatedAgents: true, Since: since, Until: since.Add(time.Hour),
			Limit: 5, Format: lrs.FormatIDs, Attachments: true, Ascending: true}
		for _, err := range c.Query(ctx, full) {
			if err != nil {
				t.Fatal(err)
			}
		}
		reqs := d.seen()
		got := reqs[len(reqs)-1].Query
		want := map[string]string{"agent": `{"objectType":"Agent","mbox":"mailto:learner@example.org"}`,
			"verb": q.Verb, "activity": full.Activity, "registration": full.Registration,
			"related_activities": "true", "related_agents": "true", "since": "2024-01-02T03:04:05.000Z",
			"until": "2024-01-02T04:04:05.000Z", "limit": "5", "format": "ids", "attachments": "true", "ascending": "true"}
		for k, v := range want {
			if got.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, got.Get(k), v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("sent %v", got)
		}
		for _, bad := range []lrs.StatementQuery{{Limit: -1}, {Format: "full"}} {
			for _, err := range c.Query(ctx, bad) {
				if err == nil {
					t.Errorf("query %+v was sent", bad)
				}
			}
		}
	})
}

func TestClientQueryBadMore(t *testing.T) {
	cases := map[string]string{
		"another host":  `{"statements":[],"more":"http://198.51.100.7/xAPI/statements?cursor=1"}`,
		"the same page": `{"statements":[],"more":"/xAPI/statements"}`,
		"not JSON":      `<html>`,
		"null":          `{"statements":[null],"more":""}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			c, err := lrs.New(srv.URL + "/xAPI")
			if err != nil {
				t.Fatal(err)
			}
			var last error
			for _, err := range c.Query(context.Background(), lrs.StatementQuery{}) {
				last = err
			}
			if !errors.Is(last, lrs.ErrBadResponse) {
				t.Errorf("error %v, want ErrBadResponse", last)
			}
			if calls != 1 {
				t.Errorf("%d calls", calls)
			}
		})
	}

	t.Run("endless empty pages", func(t *testing.T) {
		calls := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			fmt.Fprintf(w, `{"statements":[],"more":"/xAPI/statements?cursor=%d"}`, calls)
		}))
		defer srv.Close()
		c, _ := lrs.New(srv.URL + "/xAPI")
		var last error
		for _, err := range c.Query(context.Background(), lrs.StatementQuery{}) {
			last = err
		}
		if !errors.Is(last, lrs.ErrBadResponse) || calls > 20 {
			t.Errorf("error %v after %d calls", last, calls)
		}
	})
}

func TestClientVoiding(t *testing.T) {
	d := newLRSDouble(t)
	c := d.client(t)
	ctx := context.Background()
	ids, err := c.PostStatements(ctx, []*xapi.Statement{testStatement(1, ""), testStatement(2, "")})
	if err != nil {
		t.Fatal(err)
	}
	voider := xapi.MboxAgent("Admin", "admin@example.org")
	vid, err := c.VoidStatement(ctx, ids[0], voider)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStatement(ctx, ids[0]); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("the voided statement by statementId: %v, want ErrNotFound", err)
	}
	v, err := c.GetVoidedStatement(ctx, ids[0])
	if err != nil || v.ID != ids[0] {
		t.Fatalf("GetVoidedStatement: %v", err)
	}
	if _, err := c.GetVoidedStatement(ctx, ids[1]); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("a statement that is not voided by voidedStatementId: %v", err)
	}
	vs, err := c.GetStatement(ctx, vid)
	if err != nil || vs.Verb.ID != xapi.VerbVoided || vs.Object.StatementRef == nil || vs.Object.StatementRef.ID != ids[0] {
		t.Errorf("the voiding statement: %v %+v", err, vs)
	}
	for s, err := range c.Query(ctx, lrs.StatementQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		if s.ID == ids[0] {
			t.Error("the voided statement is still listed")
		}
	}
	if _, err := c.VoidStatement(ctx, "not-a-uuid", voider); len(ota.IssuesOf(err)) == 0 {
		t.Errorf("voiding a malformed id: %v", err)
	}
}

func TestClientAttachments(t *testing.T) {
	d := newLRSDouble(t)
	c := d.client(t)
	ctx := context.Background()
	cert := lrs.NewAttachmentPayload("text/plain; charset=utf-8", []byte("Certificate of completion\n\x00binary\xff"))
	pic := lrs.NewAttachmentPayload("image/png", bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 300))
	s1 := testStatement(1, "")
	s1.Attachments = []xapi.Attachment{cert.Attachment("http://id.tincanapi.com/attachment/certificate-of-completion", xapi.LanguageMap{"en": "Certificate"})}
	s2 := testStatement(2, "")
	s2.Attachments = []xapi.Attachment{
		cert.Attachment("http://id.tincanapi.com/attachment/certificate-of-completion", xapi.LanguageMap{"en": "Certificate"}),
		pic.Attachment("https://example.org/attachments/picture", xapi.LanguageMap{"en": "Picture"}),
	}
	ids, err := c.PostStatements(ctx, []*xapi.Statement{s1, s2}, cert, pic)
	if err != nil {
		t.Fatal(err)
	}
	var post seenRequest
	for _, r := range d.seen() {
		if r.Method == http.MethodPost {
			post = r
		}
	}
	if !strings.HasPrefix(post.Header.Get("Content-Type"), "multipart/mixed; boundary=") {
		t.Errorf("Content-Type %q", post.Header.Get("Content-Type"))
	}

	got, err := c.FetchStatement(ctx, ids[1], lrs.FetchOptions{Attachments: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attachments) != 2 {
		t.Fatalf("%d attachments back", len(got.Attachments))
	}
	for i, want := range []lrs.AttachmentPayload{cert, pic} {
		p := got.Attachments[i]
		if p.SHA2 != want.SHA2 || p.ContentType != want.ContentType || !bytes.Equal(p.Data, want.Data) {
			t.Errorf("attachment %d: %s %q %d bytes", i, p.SHA2, p.ContentType, len(p.Data))
		}
	}
	if got.LastModified.IsZero() {
		t.Error("no Last-Modified")
	}
	want := *s2
	want.ID = ids[1]
	sameStatement(t, &want, got.Statement)

	n := 0
	for page, err := range c.QueryPages(ctx, lrs.StatementQuery{Attachments: true}) {
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Attachments)
	}
	if n != 2 {
		t.Errorf("the query returned %d attachment parts, want 2 (one per content)", n)
	}

	t.Run("PUT with an attachment", func(t *testing.T) {
		s := testStatement(3, xapi.NewID())
		s.Attachments = []xapi.Attachment{pic.Attachment("https://example.org/attachments/picture", xapi.LanguageMap{"en": "Picture"})}
		if err := c.PutStatement(ctx, s, pic); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("mistakes are caught before sending", func(t *testing.T) {
		before := len(d.seen())
		bad := pic
		bad.Data = []byte("other")
		for name, call := range map[string]func() error{
			"missing payload": func() error { _, err := c.PostStatements(ctx, []*xapi.Statement{s1}); return err },
			"unused payload": func() error {
				_, err := c.PostStatements(ctx, []*xapi.Statement{s1}, cert, pic)
				return err
			},
			"wrong digest": func() error {
				s := testStatement(4, "")
				s.Attachments = []xapi.Attachment{bad.Attachment("https://example.org/attachments/picture", xapi.LanguageMap{"en": "P"})}
				_, err := c.PostStatements(ctx, []*xapi.Statement{s}, bad)
				return err
			},
		} {
			if err := call(); err == nil {
				t.Errorf("%s: no error", name)
			}
		}
		if n := len(d.seen()) - before; n != 0 {
			t.Errorf("%d requests sent", n)
		}
		withURL := testStatement(5, "")
		a := pic.Attachment("https://example.org/attachments/picture", xapi.LanguageMap{"en": "P"})
		a.FileURL = "https://example.org/files/picture.png"
		withURL.Attachments = []xapi.Attachment{a}
		if _, err := c.PostStatements(ctx, []*xapi.Statement{withURL}); err != nil {
			t.Errorf("an attachment with a fileUrl needs no payload: %v", err)
		}
	})
}

func TestClientDocuments(t *testing.T) {
	d := newLRSDouble(t)
	d.strictProfiles = true
	c := d.client(t)
	ctx := context.Background()
	agent := xapi.AccountAgent("", "https://lms.example.org/", "learner-1")
	activity := "https://example.org/ota/activities/1"
	keys := []struct {
		name string
		key  lrs.DocumentKey
		set  lrs.DocumentKey // the same set with another id
	}{
		{"state", lrs.StateKey{ActivityID: activity, Agent: agent, Registration: "c2b4d3a8-6a55-4b8e-9f1d-2f3e4a5b6c7d", StateID: "bookmark"},
			lrs.StateKey{ActivityID: activity, Agent: agent, Registration: "c2b4d3a8-6a55-4b8e-9f1d-2f3e4a5b6c7d", StateID: "progress"}},
		{"activity profile", lrs.ActivityProfileKey{ActivityID: activity, ProfileID: "settings"},
			lrs.ActivityProfileKey{ActivityID: activity, ProfileID: "other"}},
		{"agent profile", lrs.AgentProfileKey{Agent: agent, ProfileID: "preferences"},
			lrs.AgentProfileKey{Agent: agent, ProfileID: "other"}},
	}
	for _, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			if _, err := c.GetDocument(ctx, k.key); !errors.Is(err, lrs.ErrNotFound) {
				t.Fatalf("GetDocument before PUT: %v", err)
			}
			created := lrs.Document{Content: []byte(`{"page":3}`), ContentType: "application/json"}
			if err := c.PutDocument(ctx, k.key, created, lrs.Precondition{IfNoneMatch: "*"}); err != nil {
				t.Fatal(err)
			}
			if err := c.PutDocument(ctx, k.key, created, lrs.Precondition{IfNoneMatch: "*"}); !errors.Is(err, lrs.ErrPreconditionFailed) {
				t.Errorf("If-None-Match * on an existing document: %v", err)
			}
			doc, err := c.GetDocument(ctx, k.key)
			if err != nil {
				t.Fatal(err)
			}
			if string(doc.Content) != `{"page":3}` || doc.ETag == "" || doc.Updated.IsZero() || doc.ContentType != "application/json" {
				t.Errorf("GetDocument = %+v", doc)
			}
			if err := c.PutDocument(ctx, k.key, lrs.Document{Content: []byte(`{"page":4}`), ContentType: "application/json"},
				lrs.Precondition{IfMatch: `"0000000000000000000000000000000000000000"`}); !errors.Is(err, lrs.ErrPreconditionFailed) {
				t.Errorf("If-Match with a stale ETag: %v", err)
			}
			if err := c.PostDocument(ctx, k.key, lrs.Document{Content: []byte(`{"done":false}`)}, lrs.Precondition{IfMatch: doc.ETag}); err != nil {
				t.Fatal(err)
			}
			merged, err := c.GetDocument(ctx, k.key)
			if err != nil || string(merged.Content) != `{"done":false,"page":3}` || merged.ETag == doc.ETag {
				t.Errorf("after POST: %v %+v", err, merged)
			}
			err = c.PutDocument(ctx, k.key, lrs.Document{Content: []byte("plain")}, lrs.Precondition{})
			if _, ok := k.key.(lrs.StateKey); ok {
				if err != nil {
					t.Errorf("unconditional PUT of a state: %v", err)
				}
			} else if !errors.Is(err, lrs.ErrConflict) {
				t.Errorf("unconditional PUT of an existing profile: %v, want ErrConflict from this LRS", err)
			}
			if err := c.PutDocument(ctx, k.set, lrs.Document{Content: []byte("x")}, lrs.Precondition{IfNoneMatch: "*"}); err != nil {
				t.Fatal(err)
			}
			ids, err := c.DocumentIDs(ctx, k.key, time.Time{})
			if err != nil || len(ids) != 2 {
				t.Errorf("DocumentIDs = %v, %v", ids, err)
			}
			if err := c.DeleteDocument(ctx, k.key, lrs.Precondition{IfMatch: `"stale"`}); !errors.Is(err, lrs.ErrPreconditionFailed) {
				t.Errorf("DELETE with a stale ETag: %v", err)
			}
			if err := c.DeleteDocument(ctx, k.key, lrs.Precondition{}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetDocument(ctx, k.key); !errors.Is(err, lrs.ErrNotFound) {
				t.Errorf("after DELETE: %v", err)
			}
		})
	}

	t.Run("delete every state of a registration", func(t *testing.T) {
		all := lrs.StateKey{ActivityID: activity, Agent: agent, Registration: "c2b4d3a8-6a55-4b8e-9f1d-2f3e4a5b6c7d"}
		if err := c.DeleteDocument(ctx, all, lrs.Precondition{}); err != nil {
			t.Fatal(err)
		}
		if ids, err := c.DocumentIDs(ctx, all, time.Time{}); err != nil || len(ids) != 0 {
			t.Errorf("after deleting all: %v %v", ids, err)
		}
	})

	t.Run("bad keys and documents", func(t *testing.T) {
		before := len(d.seen())
		for name, err := range map[string]error{
			"no activity":         c.PutDocument(ctx, lrs.StateKey{Agent: agent, StateID: "s"}, lrs.Document{}, lrs.Precondition{}),
			"no agent":            func() error { _, err := c.GetDocument(ctx, lrs.AgentProfileKey{ProfileID: "p"}); return err }(),
			"no id":               func() error { _, err := c.GetDocument(ctx, lrs.ActivityProfileKey{ActivityID: activity}); return err }(),
			"nil key":             func() error { _, err := c.GetDocument(ctx, nil); return err }(),
			"merge text":          c.PostDocument(ctx, keys[1].key, lrs.Document{Content: []byte("text"), ContentType: "text/plain"}, lrs.Precondition{}),
			"merge array":         c.PostDocument(ctx, keys[1].key, lrs.Document{Content: []byte("[1]")}, lrs.Precondition{}),
			"delete all profiles": c.DeleteDocument(ctx, lrs.ActivityProfileKey{ActivityID: activity}, lrs.Precondition{}),
		} {
			if err == nil {
				t.Errorf("%s: no error", name)
			}
		}
		if n := len(d.seen()) - before; n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	d := newLRSDouble(t)

	t.Run("401", func(t *testing.T) {
		c := d.client(t, lrs.WithBasicAuth("nobody", ""))
		_, err := c.GetStatement(ctx, xapi.NewID())
		if !errors.Is(err, lrs.ErrUnauthorized) || errors.Is(err, lrs.ErrNotFound) {
			t.Errorf("error %v", err)
		}
	})

	t.Run("message and warnings", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errorId":"e1","warnings":["Missing required value in 'statements.0.verb'","Problem in 'statements.0.actor'"]}`))
		}))
		defer srv.Close()
		c, _ := lrs.New(srv.URL+"/xAPI", lrs.WithoutValidation())
		_, err := c.PostStatements(ctx, []*xapi.Statement{{Actor: xapi.MboxAgent("", "a@example.org")}})
		var le *lrs.Error
		if !errors.As(err, &le) || len(le.Warnings) != 2 || le.Method != "POST" || !strings.HasSuffix(le.URL, "/xAPI/statements") {
			t.Fatalf("error %#v", err)
		}
		msg := err.Error()
		for _, want := range []string{"400 Bad Request", "POST", "statements.0.verb"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%q does not say %q", msg, want)
			}
		}
	})

	t.Run("response too large", func(t *testing.T) {
		c := d.client(t, lrs.WithMaxResponseBytes(10))
		if _, err := c.About(ctx); !errors.Is(err, lrs.ErrResponseTooLarge) {
			t.Errorf("error %v", err)
		}
	})

	t.Run("sentinels", func(t *testing.T) {
		for status, want := range map[int]error{400: lrs.ErrBadRequest, 401: lrs.ErrUnauthorized, 403: lrs.ErrForbidden,
			404: lrs.ErrNotFound, 409: lrs.ErrConflict, 412: lrs.ErrPreconditionFailed, 413: lrs.ErrRequestTooLarge,
			429: lrs.ErrTooManyRequests, 500: lrs.ErrServer, 503: lrs.ErrServer} {
			e := &lrs.Error{StatusCode: status}
			if !errors.Is(e, want) {
				t.Errorf("%d is not %v", status, want)
			}
			if status != 404 && errors.Is(e, lrs.ErrNotFound) {
				t.Errorf("%d is ErrNotFound", status)
			}
		}
	})
}
