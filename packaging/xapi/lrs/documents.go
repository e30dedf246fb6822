package lrs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/metaacademy/ota/packaging/xapi"
)

// Document is a document of the State, Activity Profile or Agent Profile
// resource: arbitrary content with a media type.
type Document struct {
	// Content is the document's content.
	Content []byte
	// ContentType is its media type; "application/json" for documents that
	// can be merged with POST. Empty when writing means
	// "application/octet-stream".
	ContentType string
	// ETag is the entity tag the LRS sent with the document, as sent
	// (quotes included); pass it back in [Precondition].IfMatch to update
	// the document only if nobody changed it in between.
	ETag string
	// Updated is when the document last changed (Last-Modified), zero when
	// the LRS did not say.
	Updated time.Time
}

// Precondition makes a document write or delete conditional.
type Precondition struct {
	// IfMatch is the ETag the document must still have, or "*" for "the
	// document must exist". A mismatch fails with [ErrPreconditionFailed].
	IfMatch string
	// IfNoneMatch "*" means "the document must not exist yet"; when it
	// does, the write fails with [ErrPreconditionFailed].
	IfNoneMatch string
}

func (p Precondition) empty() bool { return p.IfMatch == "" && p.IfNoneMatch == "" }

func (p Precondition) header() (http.Header, error) {
	h := http.Header{}
	if strings.ContainsAny(p.IfMatch+p.IfNoneMatch, "\r\n") {
		return nil, errors.New("xapi: an ETag cannot contain line breaks")
	}
	if p.IfMatch != "" {
		h.Set("If-Match", p.IfMatch)
	}
	if p.IfNoneMatch != "" {
		h.Set("If-None-Match", p.IfNoneMatch)
	}
	return h, nil
}

// DocumentKey identifies a document, or with an empty id a set of
// documents, of one of the three document resources: a [StateKey], an
// [ActivityProfileKey] or an [AgentProfileKey].
type DocumentKey interface {
	// document returns the resource path, the query that identifies the
	// document (without its id when withID is false) and the id.
	document(withID bool) (resource string, q url.Values, id string, err error)
}

// StateKey identifies a State document (activities/state): the state a
// learning activity keeps for an agent, optionally per registration.
type StateKey struct {
	// ActivityID is the activity's IRI. Required.
	ActivityID string
	// Agent is the agent the state is about. Required.
	Agent *xapi.Actor
	// Registration is the registration UUID, if any.
	Registration string
	// StateID names the document; empty to name every state document of
	// the activity, agent and registration (for listing and deleting).
	StateID string
}

func (k StateKey) document(withID bool) (string, url.Values, string, error) {
	if k.ActivityID == "" || k.Agent == nil {
		return "", nil, "", errors.New("xapi: a StateKey needs an ActivityID and an Agent")
	}
	agent, err := k.Agent.MarshalJSON()
	if err != nil {
		return "", nil, "", fmt.Errorf("xapi: StateKey agent: %w", err)
	}
	q := url.Values{"activityId": {k.ActivityID}, "agent": {string(agent)}}
	if k.Registration != "" {
		q.Set("registration", k.Registration)
	}
	if withID && k.StateID != "" {
		q.Set("stateId", k.StateID)
	}
	return "activities/state", q, k.StateID, nil
}

// ActivityProfileKey identifies an Activity Profile document
// (activities/profile).
type ActivityProfileKey struct {
	// ActivityID is the activity's IRI. Required.
	ActivityID string
	// ProfileID names the document.
	ProfileID string
}

func (k ActivityProfileKey) document(withID bool) (string, url.Values, string, error) {
	if k.ActivityID == "" {
		return "", nil, "", errors.New("xapi: an ActivityProfileKey needs an ActivityID")
	}
	q := url.Values{"activityId": {k.ActivityID}}
	if withID && k.ProfileID != "" {
		q.Set("profileId", k.ProfileID)
	}
	return "activities/profile", q, k.ProfileID, nil
}

// AgentProfileKey identifies an Agent Profile document (agents/profile).
type AgentProfileKey struct {
	// Agent is the agent. Required.
	Agent *xapi.Actor
	// ProfileID names the document.
	ProfileID string
}

func (k AgentProfileKey) document(withID bool) (string, url.Values, string, error) {
	if k.Agent == nil {
		return "", nil, "", errors.New("xapi: an AgentProfileKey needs an Agent")
	}
	agent, err := k.Agent.MarshalJSON()
	if err != nil {
		return "", nil, "", fmt.Errorf("xapi: AgentProfileKey agent: %w", err)
	}
	q := url.Values{"agent": {string(agent)}}
	if withID && k.ProfileID != "" {
		q.Set("profileId", k.ProfileID)
	}
	return "agents/profile", q, k.ProfileID, nil
}

// docRequest builds a request for the single document key names.
func docRequest(key DocumentKey, method string) (*request, error) {
	if key == nil {
		return nil, errors.New("xapi: a document key is needed")
	}
	res, q, id, err := key.document(true)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, fmt.Errorf("xapi: %s %s needs a document id (stateId or profileId)", method, res)
	}
	return &request{method: method, resource: res, query: q}, nil
}

// GetDocument returns the document key names; [ErrNotFound] when there is
// none.
func (c *Client) GetDocument(ctx context.Context, key DocumentKey) (*Document, error) {
	r, err := docRequest(key, http.MethodGet)
	if err != nil {
		return nil, err
	}
	r.idempotent = true
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	return &Document{Content: resp.body, ContentType: resp.header.Get("Content-Type"),
		ETag: resp.header.Get("ETag"), Updated: parseHTTPTime(resp.header.Get("Last-Modified"))}, nil
}

// PutDocument stores doc under key, replacing any document there. Its
// ETag and Updated are ignored: use pre for If-Match / If-None-Match.
// Some LRSs (Learning Locker among them) require one of the two when
// writing an Activity or Agent Profile document and answer 409
// ([ErrConflict]) or 400 without it.
//
// An unconditional PUT is retried like other safe requests; a conditional
// one only on 429 (see [Client]).
func (c *Client) PutDocument(ctx context.Context, key DocumentKey, doc Document, pre Precondition) error {
	return c.writeDocument(ctx, key, http.MethodPut, doc, pre)
}

// PostDocument merges doc, a JSON object, into the JSON document at key
// (creating it when absent): the LRS sets each top-level member of doc in
// the stored document. ContentType must be "application/json" or empty.
// It is retried only on 429 (see [Client]).
func (c *Client) PostDocument(ctx context.Context, key DocumentKey, doc Document, pre Precondition) error {
	if doc.ContentType == "" {
		doc.ContentType = "application/json"
	}
	if mt, _, err := mime.ParseMediaType(doc.ContentType); err != nil || mt != "application/json" {
		return fmt.Errorf("xapi: PostDocument merges JSON documents; the content type is %q", doc.ContentType)
	}
	var obj map[string]json.RawMessage
	if t := bytes.TrimSpace(doc.Content); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &obj) != nil {
		return errors.New("xapi: PostDocument needs a JSON object to merge")
	}
	return c.writeDocument(ctx, key, http.MethodPost, doc, pre)
}

func (c *Client) writeDocument(ctx context.Context, key DocumentKey, method string, doc Document, pre Precondition) error {
	r, err := docRequest(key, method)
	if err != nil {
		return err
	}
	if r.header, err = pre.header(); err != nil {
		return err
	}
	r.body = doc.Content
	if r.body == nil {
		r.body = []byte{}
	}
	r.contentType = doc.ContentType
	if r.contentType == "" {
		r.contentType = "application/octet-stream"
	}
	if strings.ContainsAny(r.contentType, "\r\n") {
		return errors.New("xapi: a content type cannot contain line breaks")
	}
	r.idempotent = method == http.MethodPut && pre.empty()
	_, err = c.do(ctx, r)
	return err
}

// DeleteDocument deletes the document key names. A [StateKey] with an
// empty StateID deletes every state document of its activity, agent and
// registration; profile keys need a ProfileID.
func (c *Client) DeleteDocument(ctx context.Context, key DocumentKey, pre Precondition) error {
	if key == nil {
		return errors.New("xapi: a document key is needed")
	}
	var r *request
	if sk, ok := key.(StateKey); ok && sk.StateID == "" {
		res, q, _, err := sk.document(false)
		if err != nil {
			return err
		}
		r = &request{method: http.MethodDelete, resource: res, query: q}
	} else {
		var err error
		if r, err = docRequest(key, http.MethodDelete); err != nil {
			return err
		}
	}
	h, err := pre.header()
	if err != nil {
		return err
	}
	r.header = h
	r.idempotent = pre.empty()
	_, err = c.do(ctx, r)
	return err
}

// DocumentIDs lists the ids of the documents of key's resource that share
// key's other members (the activity, agent and registration of a
// StateKey; the activity or agent of a profile key), changed after since
// when since is not zero. key's own id is ignored.
func (c *Client) DocumentIDs(ctx context.Context, key DocumentKey, since time.Time) ([]string, error) {
	if key == nil {
		return nil, errors.New("xapi: a document key is needed")
	}
	res, q, _, err := key.document(false)
	if err != nil {
		return nil, err
	}
	if !since.IsZero() {
		q.Set("since", xapi.FormatTimestamp(since))
	}
	r := &request{method: http.MethodGet, resource: res, query: q, idempotent: true}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal(resp.body, &ids); err != nil {
		return nil, badResponse(r, c.target(r).String(), "the body is not a JSON array of ids: %v", err)
	}
	return ids, nil
}
