package lrs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/metaacademy/ota/packaging/xapi"
)

// PostStatements stores statements in the LRS (POST /statements) and
// returns their ids in order.
//
// Every statement without an ID is sent with a new UUID (the statements
// given are not modified), so that a POST can be repeated safely (see
// [Client]). Unless [WithoutValidation] was given, every statement is
// validated against the client's version first, and nothing is sent when
// one is invalid: the error names the statement's index and holds an
// *ota.ValidationError. Two statements with the same id are rejected
// before sending too, as an LRS would reject the batch.
//
// The statements are sent in batches of at most the client's batch size
// (see [WithBatchSize]). When a batch fails, the ids of the statements
// stored by the batches before it are returned with the error.
//
// payloads carry the content of attachments that have no FileURL: each
// batch is sent as multipart/mixed with the payloads its statements refer
// to by SHA2 (see [NewAttachmentPayload]). An attachment without FileURL
// and without a payload, or a payload no statement refers to, is an error.
func (c *Client) PostStatements(ctx context.Context, stmts []*xapi.Statement, payloads ...AttachmentPayload) ([]string, error) {
	if len(stmts) == 0 {
		return nil, nil
	}
	prep, err := c.prepare(stmts, payloads)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(stmts))
	for start := 0; start < len(prep.json); start += c.batchSize {
		end := min(start+c.batchSize, len(prep.json))
		body := make([]byte, 0, 2+len(prep.json[start])*(end-start))
		body = append(body, '[')
		for i := start; i < end; i++ {
			if i > start {
				body = append(body, ',')
			}
			body = append(body, prep.json[i]...)
		}
		body = append(body, ']')
		r := &request{method: http.MethodPost, resource: "statements", body: body,
			contentType: "application/json", idempotent: true}
		if parts := prep.payloadsFor(start, end); len(parts) > 0 {
			r.body, r.contentType = multipartBody(body, parts)
		}
		resp, err := c.do(ctx, r)
		if err != nil {
			if end-start < len(prep.json) {
				err = fmt.Errorf("xapi: statements %d to %d: %w", start, end-1, err)
			}
			return ids, err
		}
		var got []string
		if err := json.Unmarshal(resp.body, &got); err != nil {
			return ids, badResponse(r, c.target(r).String(), "the body is not a JSON array of statement ids: %v", err)
		}
		if len(got) != end-start {
			return ids, badResponse(r, c.target(r).String(), "%d ids for %d statements", len(got), end-start)
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

// PutStatement stores s under its ID (PUT /statements?statementId=…),
// which must be set. The LRS answers success again for an identical
// statement and 409 ([ErrConflict]) for a different one with the same id.
// Validation and payloads are as for [Client.PostStatements].
func (c *Client) PutStatement(ctx context.Context, s *xapi.Statement, payloads ...AttachmentPayload) error {
	if s == nil || s.ID == "" {
		return errors.New("xapi: PutStatement needs a statement with an ID; use PostStatements to let the client choose one")
	}
	prep, err := c.prepare([]*xapi.Statement{s}, payloads)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodPut, resource: "statements",
		query: url.Values{"statementId": {s.ID}}, body: prep.json[0],
		contentType: "application/json", idempotent: true}
	if parts := prep.payloadsFor(0, 1); len(parts) > 0 {
		r.body, r.contentType = multipartBody(prep.json[0], parts)
	}
	_, err = c.do(ctx, r)
	return err
}

// VoidStatement voids the statement with UUID id by posting a voiding
// statement made by actor (the verb [xapi.VerbVoided], a StatementRef to id)
// and returns the voiding statement's id. The voided statement then no
// longer appears in queries; [Client.GetVoidedStatement] still returns it.
func (c *Client) VoidStatement(ctx context.Context, id string, actor *xapi.Actor) (string, error) {
	if actor == nil {
		return "", errors.New("xapi: VoidStatement needs the actor who voids the statement")
	}
	s := &xapi.Statement{
		Actor:  actor,
		Verb:   &xapi.Verb{ID: xapi.VerbVoided, Display: xapi.LanguageMap{"en-US": "voided"}},
		Object: xapi.Object{StatementRef: xapi.NewStatementRef(id)},
	}
	ids, err := c.PostStatements(ctx, []*xapi.Statement{s})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// prepared holds statements written as JSON, ready to send.
type prepared struct {
	json  [][]byte
	refs  [][]string // per statement, the SHA2 of attachments without FileURL
	parts map[string]AttachmentPayload
}

// prepare gives statements without an id one, writes and validates them,
// and matches their attachments with the payloads.
func (c *Client) prepare(stmts []*xapi.Statement, payloads []AttachmentPayload) (*prepared, error) {
	p := &prepared{json: make([][]byte, len(stmts)), refs: make([][]string, len(stmts))}
	var v *xapi.Validator
	if c.validate {
		v = xapi.NewValidator(xapi.ValidateOptions{Version: c.version, Policy: c.policy})
	}
	seen := make(map[string]int, len(stmts))
	for i, s := range stmts {
		if s == nil {
			return nil, fmt.Errorf("xapi: statement %d is nil", i)
		}
		cp := *s
		if cp.ID == "" {
			cp.ID = xapi.NewID()
		}
		if j, dup := seen[cp.ID]; dup {
			return nil, fmt.Errorf("xapi: statements %d and %d have the same id %s; an LRS rejects such a batch", j, i, cp.ID)
		}
		seen[cp.ID] = i
		data, err := cp.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("xapi: statement %d: %w", i, err)
		}
		if v != nil {
			if err := v.Validate(data).Err(); err != nil {
				return nil, fmt.Errorf("xapi: statement %d (%s) is not valid xAPI %s: %w", i, cp.ID, c.version, err)
			}
		}
		p.json[i] = data
		p.refs[i] = payloadRefs(&cp)
	}
	if len(payloads) == 0 {
		for i, refs := range p.refs {
			if len(refs) > 0 {
				return nil, fmt.Errorf("xapi: statement %d has an attachment without fileUrl (sha2 %s); pass its content as an AttachmentPayload", i, refs[0])
			}
		}
		return p, nil
	}
	p.parts = make(map[string]AttachmentPayload, len(payloads))
	for _, pl := range payloads {
		if err := pl.check(); err != nil {
			return nil, err
		}
		p.parts[pl.SHA2] = pl
	}
	used := make(map[string]bool, len(payloads))
	for i, refs := range p.refs {
		for _, h := range refs {
			if _, ok := p.parts[h]; !ok {
				return nil, fmt.Errorf("xapi: statement %d has an attachment without fileUrl whose sha2 %s matches no payload", i, h)
			}
			used[h] = true
		}
	}
	for _, pl := range payloads {
		if !used[pl.SHA2] {
			return nil, fmt.Errorf("xapi: attachment payload %s is not referred to by any statement (an attachment with that sha2 and no fileUrl)", pl.SHA2)
		}
	}
	return p, nil
}

// payloadsFor returns the payloads statements [start, end) refer to, each
// once, in the order they are first referred to.
func (p *prepared) payloadsFor(start, end int) []AttachmentPayload {
	var out []AttachmentPayload
	seen := map[string]bool{}
	for i := start; i < end; i++ {
		for _, h := range p.refs[i] {
			if !seen[h] {
				seen[h] = true
				out = append(out, p.parts[h])
			}
		}
	}
	return out
}

// payloadRefs lists the SHA2 of the attachments of s (and of a
// SubStatement object) that have no FileURL, each once.
func payloadRefs(s *xapi.Statement) []string {
	var out []string
	add := func(list []xapi.Attachment) {
		for _, a := range list {
			if a.FileURL == "" && a.SHA2 != "" && !slices.Contains(out, a.SHA2) {
				out = append(out, a.SHA2)
			}
		}
	}
	add(s.Attachments)
	if s.Object.SubStatement != nil {
		add(s.Object.SubStatement.Attachments)
	}
	return out
}

// Statement formats of GET /statements ([StatementQuery].Format).
const (
	// FormatExact returns statements as they were stored (the default).
	FormatExact = "exact"
	// FormatIDs returns agents, activities and groups by their identifiers
	// only.
	FormatIDs = "ids"
	// FormatCanonical returns language maps reduced to the language of the
	// request's Accept-Language.
	FormatCanonical = "canonical"
)

// StatementQuery holds the filters of a statement query (GET /statements);
// zero fields are not sent. The LRS returns the statements that match every
// filter given, newest stored first unless Ascending.
type StatementQuery struct {
	// Agent matches statements whose actor or object is this agent or
	// group (identified by its IFI).
	Agent *xapi.Actor
	// Verb matches the verb IRI.
	Verb string
	// Activity matches the object activity IRI.
	Activity string
	// Registration matches the context registration UUID.
	Registration string
	// RelatedActivities extends Activity to context activities and
	// sub-statements.
	RelatedActivities bool
	// RelatedAgents extends Agent to the authority, instructor, team,
	// context agents and sub-statements.
	RelatedAgents bool
	// Since and Until bound the stored time: after Since, at or before Until.
	Since, Until time.Time
	// Limit caps the statements per page; 0 lets the LRS choose.
	Limit int
	// Format is FormatExact, FormatIDs or FormatCanonical; "" for the
	// LRS's default (exact).
	Format string
	// Attachments asks for the attachments' content as well; the answer
	// is then multipart and the pages of [Client.QueryPages] carry them.
	Attachments bool
	// Ascending returns the oldest stored statements first.
	Ascending bool
}

func (q *StatementQuery) values() (url.Values, error) {
	v := url.Values{}
	if q.Agent != nil {
		a, err := q.Agent.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("xapi: query agent: %w", err)
		}
		v.Set("agent", string(a))
	}
	if q.Verb != "" {
		v.Set("verb", q.Verb)
	}
	if q.Activity != "" {
		v.Set("activity", q.Activity)
	}
	if q.Registration != "" {
		v.Set("registration", q.Registration)
	}
	if q.RelatedActivities {
		v.Set("related_activities", "true")
	}
	if q.RelatedAgents {
		v.Set("related_agents", "true")
	}
	if !q.Since.IsZero() {
		v.Set("since", xapi.FormatTimestamp(q.Since))
	}
	if !q.Until.IsZero() {
		v.Set("until", xapi.FormatTimestamp(q.Until))
	}
	if q.Limit < 0 {
		return nil, fmt.Errorf("xapi: query limit %d is negative", q.Limit)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if err := setFormat(v, q.Format); err != nil {
		return nil, err
	}
	if q.Attachments {
		v.Set("attachments", "true")
	}
	if q.Ascending {
		v.Set("ascending", "true")
	}
	return v, nil
}

func setFormat(v url.Values, f string) error {
	switch f {
	case "":
	case FormatExact, FormatIDs, FormatCanonical:
		v.Set("format", f)
	default:
		return fmt.Errorf("xapi: statement format %q; use %q, %q or %q", f, FormatExact, FormatIDs, FormatCanonical)
	}
	return nil
}

// StatementPage is one page of a statement query.
type StatementPage struct {
	// Statements are the page's statements.
	Statements []*xapi.Statement
	// More is the page's "more" link as the LRS gave it (usually relative
	// to the LRS's host); "" on the last page.
	More string
	// ConsistentThrough is the X-Experience-API-Consistent-Through time:
	// statements stored before it are all visible to queries. Zero when
	// the LRS did not send it (or sent something that is not a timestamp).
	ConsistentThrough time.Time
	// Attachments hold the attachment contents sent with the page when the
	// query asked for them.
	Attachments []AttachmentPayload
}

// maxEmptyPages bounds the pages without statements that QueryPages
// follows in a row before it decides the LRS is looping.
const maxEmptyPages = 16

// QueryPages runs a statement query and yields its pages, following each
// page's "more" link (resolved against the endpoint; a link to another
// host or scheme is refused, so credentials never leave the LRS) until
// the last page, the first error, or until the loop stops. A "more" link
// equal to the page's own URL, or more than 16 empty pages in a row, ends
// the iteration with [ErrBadResponse].
func (c *Client) QueryPages(ctx context.Context, q StatementQuery) iter.Seq2[*StatementPage, error] {
	return func(yield func(*StatementPage, error) bool) {
		v, err := q.values()
		if err != nil {
			yield(nil, err)
			return
		}
		r := &request{method: http.MethodGet, resource: "statements", query: v, idempotent: true}
		empty := 0
		for {
			page, err := c.getPage(ctx, r)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) {
				return
			}
			if page.More == "" {
				return
			}
			cur := c.target(r)
			next, err := c.resolveMore(page.More)
			if err != nil {
				yield(nil, badResponse(r, cur.String(), "%v", err))
				return
			}
			if next.String() == cur.String() {
				yield(nil, badResponse(r, cur.String(), "the more link %q points at the same page", page.More))
				return
			}
			if len(page.Statements) == 0 {
				empty++
				if empty > maxEmptyPages {
					yield(nil, badResponse(r, cur.String(), "%d pages in a row without statements", empty))
					return
				}
			} else {
				empty = 0
			}
			r = &request{method: http.MethodGet, url: next, idempotent: true}
		}
	}
}

// Query runs a statement query and yields its statements one by one,
// following "more" links as [Client.QueryPages] does. An error ends the
// iteration. Use QueryPages for the consistent-through time and for
// attachment contents.
//
//	for s, err := range client.Query(ctx, StatementQuery{Verb: verb}) {
//		if err != nil {
//			return err
//		}
//		…
//	}
func (c *Client) Query(ctx context.Context, q StatementQuery) iter.Seq2[*xapi.Statement, error] {
	return func(yield func(*xapi.Statement, error) bool) {
		for page, err := range c.QueryPages(ctx, q) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, s := range page.Statements {
				if !yield(s, nil) {
					return
				}
			}
		}
	}
}

// MorePage fetches the page a "more" link names, for callers that page
// by hand (keeping the link between sessions, say).
func (c *Client) MorePage(ctx context.Context, more string) (*StatementPage, error) {
	u, err := c.resolveMore(more)
	if err != nil {
		return nil, err
	}
	return c.getPage(ctx, &request{method: http.MethodGet, url: u, idempotent: true})
}

// resolveMore resolves a more link against the endpoint and checks that it
// stays on the LRS's scheme and host.
func (c *Client) resolveMore(more string) (*url.URL, error) {
	ref, err := url.Parse(more)
	if err != nil {
		return nil, fmt.Errorf("xapi: more link %q: %w", more, err)
	}
	u := c.endpoint.ResolveReference(ref)
	if u.Scheme != c.endpoint.Scheme || u.Host != c.endpoint.Host {
		return nil, fmt.Errorf("xapi: more link %q leaves the LRS %s://%s", more, c.endpoint.Scheme, c.endpoint.Host)
	}
	u.Fragment = ""
	return u, nil
}

// getPage fetches and reads one StatementResult.
func (c *Client) getPage(ctx context.Context, r *request) (*StatementPage, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	where := c.target(r).String()
	first, parts, err := splitResponse(resp)
	if err != nil {
		return nil, badResponse(r, where, "%v", err)
	}
	var res struct {
		Statements []*xapi.Statement `json:"statements"`
		More       string            `json:"more"`
	}
	if err := json.Unmarshal(first, &res); err != nil {
		return nil, badResponse(r, where, "the body is not a StatementResult: %v", err)
	}
	for i, s := range res.Statements {
		if s == nil {
			return nil, badResponse(r, where, "statement %d is null", i)
		}
	}
	return &StatementPage{Statements: res.Statements, More: res.More,
		ConsistentThrough: consistentThrough(resp.header), Attachments: parts}, nil
}

func consistentThrough(h http.Header) time.Time {
	t, err := xapi.ParseTimestamp(h.Get("X-Experience-API-Consistent-Through"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// GetStatement returns the statement with UUID id (GET
// /statements?statementId=…); a voided statement is not found
// ([ErrNotFound]): use [Client.GetVoidedStatement].
func (c *Client) GetStatement(ctx context.Context, id string) (*xapi.Statement, error) {
	res, err := c.FetchStatement(ctx, id, FetchOptions{})
	if err != nil {
		return nil, err
	}
	return res.Statement, nil
}

// GetVoidedStatement returns the voided statement with UUID id (GET
// /statements?voidedStatementId=…).
func (c *Client) GetVoidedStatement(ctx context.Context, id string) (*xapi.Statement, error) {
	res, err := c.FetchStatement(ctx, id, FetchOptions{Voided: true})
	if err != nil {
		return nil, err
	}
	return res.Statement, nil
}

// FetchOptions refine [Client.FetchStatement].
type FetchOptions struct {
	// Voided looks the id up among voided statements (voidedStatementId).
	Voided bool
	// Format is FormatExact, FormatIDs or FormatCanonical; "" for the
	// LRS's default.
	Format string
	// Attachments asks for the statement's attachment contents.
	Attachments bool
}

// FetchedStatement is a statement with what the LRS sent along with it.
type FetchedStatement struct {
	// Statement is the statement.
	Statement *xapi.Statement
	// Attachments hold the attachment contents when they were asked for.
	Attachments []AttachmentPayload
	// LastModified is the Last-Modified time (the time the statement was
	// stored), zero when absent.
	LastModified time.Time
	// ConsistentThrough is as in [StatementPage].
	ConsistentThrough time.Time
}

// FetchStatement returns one statement by id, voided or not, with the
// format and attachments asked for.
func (c *Client) FetchStatement(ctx context.Context, id string, o FetchOptions) (*FetchedStatement, error) {
	if id == "" {
		return nil, errors.New("xapi: a statement id is needed")
	}
	v := url.Values{}
	if o.Voided {
		v.Set("voidedStatementId", id)
	} else {
		v.Set("statementId", id)
	}
	if err := setFormat(v, o.Format); err != nil {
		return nil, err
	}
	if o.Attachments {
		v.Set("attachments", "true")
	}
	r := &request{method: http.MethodGet, resource: "statements", query: v, idempotent: true}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	where := c.target(r).String()
	first, parts, err := splitResponse(resp)
	if err != nil {
		return nil, badResponse(r, where, "%v", err)
	}
	var s xapi.Statement
	if err := s.UnmarshalJSON(first); err != nil {
		return nil, badResponse(r, where, "the body is not a statement: %v", err)
	}
	return &FetchedStatement{Statement: &s, Attachments: parts,
		LastModified:      parseHTTPTime(resp.header.Get("Last-Modified")),
		ConsistentThrough: consistentThrough(resp.header)}, nil
}

// parseHTTPTime reads a date header as an HTTP-date or, as some LRSs
// write it, an ISO 8601 timestamp; zero when it is neither.
func parseHTTPTime(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	if t, err := http.ParseTime(v); err == nil {
		return t
	}
	if t, err := xapi.ParseTimestamp(v); err == nil {
		return t
	}
	return time.Time{}
}

// splitResponse returns the JSON part of a response and, for a
// multipart/mixed one, the attachment parts after it.
func splitResponse(resp *response) ([]byte, []AttachmentPayload, error) {
	mt, params, err := mime.ParseMediaType(resp.header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		return bytes.TrimSpace(resp.body), nil, nil
	}
	return readMultipart(resp.body, params["boundary"])
}
