package lrs_test

// An in-process LRS double for the client tests: a small xAPI 1.0.3 / 2.0
// server on 127.0.0.1 (httptest) with statements, voiding, queries with
// cursor paging, multipart attachments, the three document resources
// with ETags, and scripted faults (429, 503, Retry-After, a lost answer).
// It does what the real LRS the integration tests use cannot: answer
// xAPI 2.0, serve the State and Agent Profile resources, and fail on
// purpose.

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metaacademy/ota/packaging/xapi/lrs"

	"github.com/metaacademy/ota/packaging/xapi"
)

// fault is a scripted answer for one request.
type fault struct {
	status     int
	retryAfter string
	// after runs the request normally first (so its effect is stored) and
	// then answers status instead: an answer lost on the way back.
	after bool
}

// seenRequest is what the double records of a request.
type seenRequest struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
}

type storedStatement struct {
	id     string
	sent   []byte // the statement as sent, for conflict checks
	stmt   *xapi.Statement
	stored time.Time
}

type storedDoc struct {
	content     []byte
	contentType string
	updated     time.Time
}

type lrsDouble struct {
	srv *httptest.Server

	mu          sync.Mutex
	statements  []*storedStatement
	byID        map[string]*storedStatement
	voided      map[string]bool
	payloads    map[string]lrs.AttachmentPayload
	docs        map[string]*storedDoc // by docKey
	faults      []fault
	requests    []seenRequest
	versions    []string // xAPI versions this double accepts
	consistency time.Time
	// strictProfiles answers 409 to a PUT of an existing profile document
	// without If-Match or If-None-Match, as the spec allows.
	strictProfiles bool
}

func newLRSDouble(t testing.TB) *lrsDouble {
	t.Helper()
	d := startLRSDouble()
	t.Cleanup(d.close)
	return d
}

// startLRSDouble starts a double; close stops it.
func startLRSDouble() *lrsDouble {
	d := &lrsDouble{
		byID:        map[string]*storedStatement{},
		voided:      map[string]bool{},
		payloads:    map[string]lrs.AttachmentPayload{},
		docs:        map[string]*storedDoc{},
		versions:    []string{"1.0.3", "2.0.0"},
		consistency: time.Date(2024, 5, 31, 12, 0, 0, 0, time.UTC),
	}
	d.srv = httptest.NewServer(http.HandlerFunc(d.serve))
	return d
}

func (d *lrsDouble) close() { d.srv.Close() }

// endpoint is the double's xAPI base URL.
func (d *lrsDouble) endpoint() string { return d.srv.URL + "/xAPI/" }

// script queues faults, answered one per request before normal service.
func (d *lrsDouble) script(f ...fault) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.faults = append(d.faults, f...)
}

// seen returns the requests received so far.
func (d *lrsDouble) seen() []seenRequest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.requests)
}

func (d *lrsDouble) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.requests = append(d.requests, seenRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
	var f *fault
	if len(d.faults) > 0 {
		f = &d.faults[0]
		d.faults = d.faults[1:]
	}
	d.mu.Unlock()
	if f != nil && !f.after {
		d.writeFault(w, *f)
		return
	}
	if f != nil {
		rec := httptest.NewRecorder()
		d.handle(rec, r)
		d.writeFault(w, *f)
		return
	}
	d.handle(w, r)
}

func (d *lrsDouble) writeFault(w http.ResponseWriter, f fault) {
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
	fail(w, f.status, "scripted fault")
}

func fail(w http.ResponseWriter, status int, msg string, warnings ...string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]any{"message": msg}
	if len(warnings) > 0 {
		body["warnings"] = warnings
	}
	_ = json.NewEncoder(w).Encode(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (d *lrsDouble) handle(w http.ResponseWriter, r *http.Request) {
	res, ok := strings.CutPrefix(r.URL.Path, "/xAPI/")
	if !ok {
		fail(w, http.StatusNotFound, "not an xAPI path")
		return
	}
	if res == "about" {
		writeJSON(w, http.StatusOK, map[string]any{"version": d.versions})
		return
	}
	v := r.Header.Get("X-Experience-API-Version")
	if pv, err := xapi.ParseVersion(v); err != nil || !slices.Contains(d.versions, string(pv)) {
		fail(w, http.StatusBadRequest, "unsupported or missing X-Experience-API-Version "+strconv.Quote(v))
		return
	}
	w.Header().Set("X-Experience-API-Version", v)
	if r.Header.Get("Authorization") == "Basic bm9ib2R5Og==" { // nobody:
		fail(w, http.StatusUnauthorized, "unknown credentials")
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	switch res {
	case "statements":
		d.statementsResource(w, r)
	case "activities/state", "activities/profile", "agents/profile":
		d.documentResource(w, r, res)
	default:
		fail(w, http.StatusNotFound, "no resource "+res)
	}
}

// --- statements ---

func (d *lrsDouble) statementsResource(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		stmts, parts, ok := readStatementBody(w, r)
		if !ok {
			return
		}
		ids, status, msg := d.store(stmts, parts)
		if status != 0 {
			fail(w, status, msg)
			return
		}
		writeJSON(w, http.StatusOK, ids)
	case http.MethodPut:
		id := r.URL.Query().Get("statementId")
		if id == "" {
			fail(w, http.StatusBadRequest, "statementId is required")
			return
		}
		stmts, parts, ok := readStatementBody(w, r)
		if !ok {
			return
		}
		if len(stmts) != 1 || (stmts[0].ID != "" && stmts[0].ID != id) {
			fail(w, http.StatusBadRequest, "PUT takes one statement whose id is the statementId")
			return
		}
		stmts[0].ID = id
		if _, status, msg := d.store(stmts, parts); status != 0 {
			fail(w, status, msg)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		d.get(w, r)
	default:
		fail(w, http.StatusMethodNotAllowed, r.Method)
	}
}

// readStatementBody reads a JSON or multipart/mixed statement request.
func readStatementBody(w http.ResponseWriter, r *http.Request) ([]*xapi.Statement, map[string]lrs.AttachmentPayload, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return nil, nil, false
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	parts := map[string]lrs.AttachmentPayload{}
	if mt == "multipart/mixed" {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for i := 0; ; i++ {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				fail(w, http.StatusBadRequest, "multipart: "+err.Error())
				return nil, nil, false
			}
			data, _ := io.ReadAll(p)
			if i == 0 {
				if p.Header.Get("Content-Type") != "application/json" {
					fail(w, http.StatusBadRequest, "the first part must be application/json")
					return nil, nil, false
				}
				body = data
				continue
			}
			if p.Header.Get("Content-Transfer-Encoding") != "binary" {
				fail(w, http.StatusBadRequest, "attachment parts need Content-Transfer-Encoding: binary")
				return nil, nil, false
			}
			pl := lrs.AttachmentPayload{SHA2: p.Header.Get("X-Experience-API-Hash"), ContentType: p.Header.Get("Content-Type"), Data: data}
			if err := pl.Verify(); err != nil {
				fail(w, http.StatusBadRequest, err.Error())
				return nil, nil, false
			}
			parts[pl.SHA2] = pl
		}
	} else if mt != "application/json" {
		fail(w, http.StatusBadRequest, "unsupported content type "+mt)
		return nil, nil, false
	}
	var stmts []*xapi.Statement
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		err = json.Unmarshal(t, &stmts)
	} else {
		var s xapi.Statement
		err = s.UnmarshalJSON(t)
		stmts = []*xapi.Statement{&s}
	}
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return nil, nil, false
	}
	return stmts, parts, true
}

// store stores statements atomically; it returns their ids or an error
// status and message.
func (d *lrsDouble) store(stmts []*xapi.Statement, parts map[string]lrs.AttachmentPayload) ([]string, int, string) {
	ids := make([]string, len(stmts))
	seen := map[string]bool{}
	var fresh []*storedStatement
	for i, s := range stmts {
		if s.ID == "" {
			s.ID = xapi.NewID()
		}
		if seen[s.ID] {
			return nil, http.StatusBadRequest, "the batch repeats id " + s.ID
		}
		seen[s.ID] = true
		ids[i] = s.ID
		for _, a := range s.Attachments {
			if a.FileURL == "" {
				if _, ok := parts[a.SHA2]; !ok {
					return nil, http.StatusBadRequest, "no part for attachment " + a.SHA2
				}
			}
		}
		sent, _ := s.MarshalJSON()
		if old, ok := d.byID[s.ID]; ok {
			if !bytes.Equal(old.sent, sent) {
				return nil, http.StatusConflict, "a different statement has id " + s.ID
			}
			continue // identical: nothing to do
		}
		fresh = append(fresh, &storedStatement{id: s.ID, sent: sent, stmt: s})
	}
	now := time.Now().UTC()
	for i, st := range fresh {
		st.stored = now.Add(time.Duration(i) * time.Millisecond)
		st.stmt.Stored = xapi.FormatTimestamp(st.stored)
		if st.stmt.Timestamp == "" {
			st.stmt.Timestamp = st.stmt.Stored
		}
		st.stmt.Authority = xapi.MboxAgent("", "authority@example.org")
		d.statements = append(d.statements, st)
		d.byID[st.id] = st
		if st.stmt.Verb != nil && st.stmt.Verb.ID == xapi.VerbVoided && st.stmt.Object.StatementRef != nil {
			d.voided[st.stmt.Object.StatementRef.ID] = true
		}
	}
	maps.Copy(d.payloads, parts)
	return ids, 0, ""
}

var queryParams = []string{"statementId", "voidedStatementId", "agent", "verb", "activity", "registration",
	"related_activities", "related_agents", "since", "until", "limit", "format", "attachments", "ascending", "cursor"}

func (d *lrsDouble) get(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains(queryParams, k) {
			fail(w, http.StatusBadRequest, "unknown parameter "+k)
			return
		}
	}
	w.Header().Set("X-Experience-API-Consistent-Through", xapi.FormatTimestamp(d.consistency))
	withAttachments := q.Get("attachments") == "true"
	if id, voided := q.Get("statementId"), q.Get("voidedStatementId"); id != "" || voided != "" {
		look := id + voided
		st, ok := d.byID[look]
		if !ok || d.voided[look] != (voided != "") {
			fail(w, http.StatusNotFound, "no statement "+look)
			return
		}
		w.Header().Set("Last-Modified", st.stored.Format(http.TimeFormat))
		data, _ := st.stmt.MarshalJSON()
		d.writeStatements(w, data, []*xapi.Statement{st.stmt}, withAttachments)
		return
	}
	var list []*storedStatement
	for _, st := range d.statements {
		if !d.voided[st.id] && matches(st.stmt, q) {
			list = append(list, st)
		}
	}
	if q.Get("ascending") != "true" {
		slices.Reverse(list)
	}
	start, _ := strconv.Atoi(q.Get("cursor"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 100
	}
	start = min(start, len(list))
	end := min(start+limit, len(list))
	more := ""
	if end < len(list) {
		next := maps.Clone(q)
		next.Set("cursor", strconv.Itoa(end))
		more = "/xAPI/statements?" + next.Encode()
	}
	page := make([]*xapi.Statement, 0, end-start)
	for _, st := range list[start:end] {
		page = append(page, st.stmt)
	}
	data, _ := json.Marshal(map[string]any{"statements": page, "more": more})
	d.writeStatements(w, data, page, withAttachments)
}

// matches applies the query filters the tests use.
func matches(s *xapi.Statement, q url.Values) bool {
	if v := q.Get("verb"); v != "" && (s.Verb == nil || s.Verb.ID != v) {
		return false
	}
	if a := q.Get("activity"); a != "" && (s.Object.Activity == nil || s.Object.Activity.ID != a) {
		return false
	}
	if reg := q.Get("registration"); reg != "" && (s.Context == nil || s.Context.Registration != reg) {
		return false
	}
	if ag := q.Get("agent"); ag != "" {
		var want xapi.Actor
		if err := want.UnmarshalJSON([]byte(ag)); err != nil || s.Actor == nil || ifi(s.Actor) != ifi(&want) {
			return false
		}
	}
	return true
}

// ifi returns an agent's identifier as one string.
func ifi(a *xapi.Actor) string {
	acc := ""
	if a.Account != nil {
		acc = a.Account.HomePage + " " + a.Account.Name
	}
	return strings.Join([]string{a.Mbox, a.MboxSHA1Sum, a.OpenID, acc}, "|")
}

// writeStatements answers with JSON, or multipart/mixed with the
// attachments of stmts when asked for.
func (d *lrsDouble) writeStatements(w http.ResponseWriter, data []byte, stmts []*xapi.Statement, withAttachments bool) {
	if !withAttachments {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(data)
		return
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	pw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	_, _ = pw.Write(data)
	done := map[string]bool{}
	for _, s := range stmts {
		for _, a := range s.Attachments {
			p, ok := d.payloads[a.SHA2]
			if !ok || done[a.SHA2] {
				continue
			}
			done[a.SHA2] = true
			pw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ContentType},
				"Content-Transfer-Encoding": {"binary"}, "X-Experience-API-Hash": {p.SHA2}})
			_, _ = pw.Write(p.Data)
		}
	}
	_ = mw.Close()
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	_, _ = w.Write(buf.Bytes())
}

// --- documents ---

func (d *lrsDouble) documentResource(w http.ResponseWriter, r *http.Request, res string) {
	q := r.URL.Query()
	idParam := "profileId"
	if res == "activities/state" {
		idParam = "stateId"
	}
	agent := ""
	if a := q.Get("agent"); a != "" {
		var act xapi.Actor
		if err := act.UnmarshalJSON([]byte(a)); err != nil {
			fail(w, http.StatusBadRequest, "agent: "+err.Error())
			return
		}
		data, _ := act.MarshalJSON()
		agent = string(data)
	}
	switch {
	case res != "agents/profile" && q.Get("activityId") == "":
		fail(w, http.StatusBadRequest, "activityId is required")
		return
	case res != "activities/profile" && agent == "":
		fail(w, http.StatusBadRequest, "agent is required")
		return
	}
	set := res + "|" + q.Get("activityId") + "|" + agent + "|" + q.Get("registration") + "|"
	id := q.Get(idParam)
	key := set + id
	doc := d.docs[key]
	if id == "" {
		switch r.Method {
		case http.MethodGet:
			ids := []string{}
			for k := range d.docs {
				if rest, ok := strings.CutPrefix(k, set); ok {
					ids = append(ids, rest)
				}
			}
			slices.Sort(ids)
			writeJSON(w, http.StatusOK, ids)
		case http.MethodDelete:
			if res != "activities/state" {
				fail(w, http.StatusBadRequest, idParam+" is required")
				return
			}
			for k := range d.docs {
				if strings.HasPrefix(k, set) {
					delete(d.docs, k)
				}
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			fail(w, http.StatusBadRequest, idParam+" is required")
		}
		return
	}
	if r.Method == http.MethodGet {
		if doc == nil {
			fail(w, http.StatusNotFound, "no document")
			return
		}
		w.Header().Set("ETag", etag(doc.content))
		w.Header().Set("Last-Modified", doc.updated.Format(http.TimeFormat))
		w.Header().Set("Content-Type", doc.contentType)
		_, _ = w.Write(doc.content)
		return
	}
	// Preconditions.
	if im := r.Header.Get("If-Match"); im != "" && (doc == nil || (im != "*" && im != etag(doc.content))) {
		fail(w, http.StatusPreconditionFailed, "If-Match failed")
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm == "*" && doc != nil {
		fail(w, http.StatusPreconditionFailed, "If-None-Match failed: the document exists")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	ct := r.Header.Get("Content-Type")
	switch r.Method {
	case http.MethodPut:
		if d.strictProfiles && res != "activities/state" && doc != nil &&
			r.Header.Get("If-Match") == "" && r.Header.Get("If-None-Match") == "" {
			fail(w, http.StatusConflict, "the document exists; use If-Match or If-None-Match")
			return
		}
		d.docs[key] = &storedDoc{content: body, contentType: ct, updated: time.Now().UTC()}
	case http.MethodPost:
		var add map[string]json.RawMessage
		if json.Unmarshal(body, &add) != nil || !strings.HasPrefix(ct, "application/json") {
			fail(w, http.StatusBadRequest, "POST merges JSON objects")
			return
		}
		merged := map[string]json.RawMessage{}
		if doc != nil {
			if json.Unmarshal(doc.content, &merged) != nil {
				fail(w, http.StatusBadRequest, "the stored document is not a JSON object")
				return
			}
		}
		maps.Copy(merged, add)
		data, _ := json.Marshal(merged)
		d.docs[key] = &storedDoc{content: data, contentType: "application/json", updated: time.Now().UTC()}
	case http.MethodDelete:
		if doc == nil {
			fail(w, http.StatusNotFound, "no document")
			return
		}
		delete(d.docs, key)
	default:
		fail(w, http.StatusMethodNotAllowed, r.Method)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func etag(content []byte) string {
	sum := sha1.Sum(content)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// client returns a client for the double with fast retries.
func (d *lrsDouble) client(t testing.TB, opts ...lrs.Option) *lrs.Client {
	t.Helper()
	base := []lrs.Option{lrs.WithBasicAuth("key", "secret"),
		lrs.WithRetry(lrs.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second})}
	c, err := lrs.New(d.endpoint(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
