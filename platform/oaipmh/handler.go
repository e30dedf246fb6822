package oaipmh

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/metaacademy/ota/internal/xmltree"
	"github.com/metaacademy/ota/mapping"
)

// Defaults of [HandlerOptions].
const (
	// DefaultPageSize is the number of records or headers per list page.
	DefaultPageSize = 100
	// DefaultTokenTTL is how long a resumption token stays valid.
	DefaultTokenTTL = 24 * time.Hour
	// maxRequestBytes bounds the body of a POST request.
	maxRequestBytes = 64 << 10
)

// nsXSI is the XML Schema instance namespace (schemaLocation).
const nsXSI = "http://www.w3.org/2001/XMLSchema-instance"

// Counter is implemented by repositories that can count the records a
// query matches (ignoring After and Limit). The handler then tells
// harvesters the list's size (completeListSize).
type Counter interface {
	Count(ctx context.Context, q Query) (int, error)
}

// HandlerOptions configure a [Handler]. The zero value is ready to use.
type HandlerOptions struct {
	// BaseURL is the endpoint's address as harvesters reach it, written
	// in every response. Empty derives it from each request (scheme, Host
	// header and path).
	BaseURL string
	// PageSize is the most records (ListRecords) or headers
	// (ListIdentifiers) per response; 0 means [DefaultPageSize].
	PageSize int
	// TokenKey is the HMAC-SHA256 key resumption tokens are signed with.
	// Give the same key to every instance behind one endpoint so that
	// tokens survive restarts and load balancing; nil makes a random key
	// per Handler.
	TokenKey []byte
	// TokenTTL is how long a resumption token is valid; 0 means
	// [DefaultTokenTTL].
	TokenTTL time.Duration
	// Frameworks names alignments in oai_dc subjects; nil means
	// mapping.Default().
	Frameworks *mapping.Registry
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Handler serves a [Repository] over OAI-PMH 2.0 at any path: GET and
// POST (application/x-www-form-urlencoded) requests, responses in UTF-8
// XML. Protocol errors are OAI-PMH error elements with status 200, as the
// protocol wants; a failure of the repository is a 500 without details.
// A Handler is safe for concurrent use.
type Handler struct {
	repo Repository
	opts HandlerOptions
	key  []byte
	reg  *mapping.Registry
}

// NewHandler returns a Handler serving repo.
func NewHandler(repo Repository, opts HandlerOptions) *Handler {
	h := &Handler{repo: repo, opts: opts, key: opts.TokenKey, reg: opts.Frameworks}
	if len(h.key) == 0 {
		h.key = make([]byte, 32)
		_, _ = rand.Read(h.key) // crypto/rand.Read does not fail
	}
	if h.reg == nil {
		h.reg = mapping.Default()
	}
	if h.opts.PageSize <= 0 {
		h.opts.PageSize = DefaultPageSize
	}
	if h.opts.TokenTTL <= 0 {
		h.opts.TokenTTL = DefaultTokenTTL
	}
	if h.opts.Now == nil {
		h.opts.Now = time.Now
	}
	return h
}

// ServeHTTP answers one OAI-PMH request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var values url.Values
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		values = r.URL.Query()
	case http.MethodPost:
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/x-www-form-urlencoded" {
			http.Error(w, "OAI-PMH POST requests are application/x-www-form-urlencoded", http.StatusUnsupportedMediaType)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "the request body is not a readable form", http.StatusBadRequest)
			return
		}
		values = r.PostForm
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "OAI-PMH takes GET and POST requests", http.StatusMethodNotAllowed)
		return
	}
	body, err := h.Respond(r.Context(), values, h.baseURL(r))
	if err != nil {
		http.Error(w, "the repository failed to answer; try again later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

// baseURL is the configured base URL or the request's own.
func (h *Handler) baseURL(r *http.Request) string {
	if h.opts.BaseURL != "" {
		return h.opts.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path}).String()
}

// Respond returns the response document to the request with the given
// arguments, as ServeHTTP writes it, with baseURL in its request element.
// The error is the repository's, when it fails.
func (h *Handler) Respond(ctx context.Context, args url.Values, baseURL string) ([]byte, error) {
	now := h.opts.Now().UTC().Truncate(time.Second)
	req, errs := parseRequest(args)
	x := xmltree.NewWriter(map[string]string{NSOAI: "", nsXSI: "xsi"})
	x.Start(NSOAI, "OAI-PMH", xmltree.Attr{Space: nsXSI, Local: "schemaLocation", Value: NSOAI + " " + SchemaOAI})
	x.Leaf(NSOAI, "responseDate", formatDatestamp(now))
	var attrs []xmltree.Attr
	if len(errs) == 0 {
		attrs = append(attrs, xmltree.Attr{Local: "verb", Value: req.Verb})
		for _, name := range []string{"identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"} {
			if v, ok := req.args[name]; ok {
				attrs = append(attrs, xmltree.Attr{Local: name, Value: v})
			}
		}
	}
	x.Leaf(NSOAI, "request", baseURL, attrs...)
	if len(errs) == 0 {
		var err error
		errs, err = h.answer(ctx, x, req, now, baseURL)
		if err != nil {
			return nil, err
		}
	}
	for _, e := range errs {
		x.Leaf(NSOAI, "error", e.Message, xmltree.Attr{Local: "code", Value: e.Code})
	}
	x.End()
	return x.Bytes(), nil
}

// answer writes the verb's element, or returns the protocol errors to
// write instead (having written nothing).
func (h *Handler) answer(ctx context.Context, x *xmltree.Writer, req request, now time.Time, baseURL string) ([]oaiError, error) {
	switch req.Verb {
	case verbIdentify:
		return nil, h.identify(ctx, x, baseURL)
	case verbListMetadataFormats:
		return h.listFormats(ctx, x, req)
	case verbListSets:
		return h.listSets(ctx, x, req)
	case verbGetRecord:
		return h.getRecord(ctx, x, req)
	default:
		return h.list(ctx, x, req, now)
	}
}

func (h *Handler) identify(ctx context.Context, x *xmltree.Writer, baseURL string) error {
	id, err := h.repo.Identity(ctx)
	if err != nil {
		return err
	}
	deleted := id.Deleted
	if deleted == "" {
		deleted = DeletedPersistent
	}
	emails := id.AdminEmails
	if len(emails) == 0 {
		host := "localhost"
		if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		emails = []string{"postmaster@" + host}
	}
	name := id.Name
	if name == "" {
		name = "OTA catalogue"
	}
	earliest := id.Earliest
	if earliest.IsZero() {
		earliest = time.Unix(0, 0)
	}
	x.Start(NSOAI, verbIdentify)
	x.Leaf(NSOAI, "repositoryName", name)
	x.Leaf(NSOAI, "baseURL", baseURL)
	x.Leaf(NSOAI, "protocolVersion", "2.0")
	for _, e := range emails {
		x.Leaf(NSOAI, "adminEmail", e)
	}
	x.Leaf(NSOAI, "earliestDatestamp", formatDatestamp(earliest))
	x.Leaf(NSOAI, "deletedRecord", deleted)
	x.Leaf(NSOAI, "granularity", "YYYY-MM-DDThh:mm:ssZ")
	if id.Description != "" {
		x.Start(NSOAI, "description")
		x.Declare(map[string]string{NSDC: "oai_dc", NSDCElements: "dc"})
		x.Start(NSDC, "dc", xmltree.Attr{Space: nsXSI, Local: "schemaLocation", Value: NSDC + " " + SchemaDC})
		x.Leaf(NSDCElements, "description", id.Description)
		x.End()
		x.End()
	}
	x.End()
	return nil
}

func (h *Handler) listFormats(ctx context.Context, x *xmltree.Writer, req request) ([]oaiError, error) {
	if req.Identifier != "" {
		if _, err := h.repo.Get(ctx, req.Identifier); err != nil {
			if errors.Is(err, ErrNotFound) {
				return []oaiError{{codeIDDoesNotExist, fmt.Sprintf("no record has the identifier %q", clip(req.Identifier))}}, nil
			}
			return nil, err
		}
	}
	x.Start(NSOAI, verbListMetadataFormats)
	for _, f := range formats {
		x.Start(NSOAI, "metadataFormat")
		x.Leaf(NSOAI, "metadataPrefix", f.prefix)
		x.Leaf(NSOAI, "schema", f.schema)
		x.Leaf(NSOAI, "metadataNamespace", f.ns)
		x.End()
	}
	x.End()
	return nil, nil
}

func (h *Handler) listSets(ctx context.Context, x *xmltree.Writer, req request) ([]oaiError, error) {
	if req.Token != "" {
		return []oaiError{{codeBadResumptionToken, "this repository lists its sets in one response and issues no ListSets tokens"}}, nil
	}
	sets, err := h.repo.Sets(ctx)
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		return []oaiError{{codeNoSetHierarchy, "this repository has no sets"}}, nil
	}
	x.Start(NSOAI, verbListSets)
	for _, s := range sets {
		x.Start(NSOAI, "set")
		x.Leaf(NSOAI, "setSpec", s.Spec)
		x.Leaf(NSOAI, "setName", s.Name)
		x.End()
	}
	x.End()
	return nil, nil
}

func (h *Handler) getRecord(ctx context.Context, x *xmltree.Writer, req request) ([]oaiError, error) {
	f, ok := formatOf(req.Prefix)
	if !ok {
		return []oaiError{cannotDisseminate(req.Prefix)}, nil
	}
	rec, err := h.repo.Get(ctx, req.Identifier)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return []oaiError{{codeIDDoesNotExist, fmt.Sprintf("no record has the identifier %q", clip(req.Identifier))}}, nil
		}
		return nil, err
	}
	x.Start(NSOAI, verbGetRecord)
	h.writeRecord(x, rec, f)
	x.End()
	return nil, nil
}

func cannotDisseminate(prefix string) oaiError {
	return oaiError{codeCannotDisseminateFormat, fmt.Sprintf("the metadata format %q is not one this repository disseminates (oai_dc, lom, ota)", clip(prefix))}
}

// list answers ListRecords and ListIdentifiers, first pages and resumed.
func (h *Handler) list(ctx context.Context, x *xmltree.Writer, req request, now time.Time) ([]oaiError, error) {
	var t token
	if req.Token != "" {
		var err error
		t, err = decodeToken(req.Token, h.key, now)
		if err != nil || t.Verb != req.Verb {
			return []oaiError{{codeBadResumptionToken, "the resumption token is not one this repository issued for this verb, was changed, or has expired; start the list again"}}, nil
		}
	} else {
		if _, ok := formatOf(req.Prefix); !ok {
			return []oaiError{cannotDisseminate(req.Prefix)}, nil
		}
		if req.Set != "" {
			sets, err := h.repo.Sets(ctx)
			if err != nil {
				return nil, err
			}
			if len(sets) == 0 {
				return []oaiError{{codeNoSetHierarchy, "this repository has no sets"}}, nil
			}
		}
		// The list's upper bound is fixed now, a second back, so that a
		// record changed while the harvester pages through the list moves
		// out of it instead of appearing twice; the next harvest, from this
		// response's date, gets it.
		until := now.Add(-time.Second)
		if !req.Until.IsZero() && req.Until.Before(until) {
			until = req.Until
		}
		t = token{V: 1, Verb: req.Verb, Prefix: req.Prefix, Set: req.Set, Until: until.Unix()}
		if !req.From.IsZero() {
			t.From = req.From.Unix()
		}
		if c, ok := h.repo.(Counter); ok {
			n, err := c.Count(ctx, t.query(0, true))
			if err != nil {
				return nil, err
			}
			t.Total = n
		}
	}
	f, _ := formatOf(t.Prefix)
	headersOnly := t.Verb == verbListIdentifiers
	recs, err := h.repo.List(ctx, t.query(h.opts.PageSize+1, headersOnly))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		if t.Sent == 0 {
			return []oaiError{{codeNoRecordsMatch, "no record matches the arguments"}}, nil
		}
		// The list shrank below the position of the token (records
		// deleted under a repository that does not keep them): end it.
	}
	more := len(recs) > h.opts.PageSize
	if more {
		recs = recs[:h.opts.PageSize]
	}
	x.Start(NSOAI, t.Verb)
	for _, rec := range recs {
		if headersOnly {
			writeHeader(x, rec.Header)
		} else {
			h.writeRecord(x, rec, f)
		}
	}
	if more || t.Sent > 0 {
		var attrs []xmltree.Attr
		value := ""
		if more {
			last := recs[len(recs)-1]
			next := t
			next.After, next.AfterI = last.Datestamp.Unix(), last.Identifier
			next.Sent = t.Sent + len(recs)
			next.Exp = now.Add(h.opts.TokenTTL).Unix()
			value = encodeToken(next, h.key)
			attrs = append(attrs, xmltree.Attr{Local: "expirationDate", Value: formatDatestamp(time.Unix(next.Exp, 0))})
		}
		if t.Total > 0 {
			attrs = append(attrs, xmltree.Attr{Local: "completeListSize", Value: strconv.Itoa(t.Total)})
		}
		attrs = append(attrs, xmltree.Attr{Local: "cursor", Value: strconv.Itoa(t.Sent)})
		x.Leaf(NSOAI, "resumptionToken", value, attrs...)
	}
	x.End()
	return nil, nil
}

// query is the repository query of the token's list, from its position.
func (t token) query(limit int, headersOnly bool) Query {
	q := Query{Set: t.Set, Until: time.Unix(t.Until, 0).UTC(), Limit: limit, HeadersOnly: headersOnly}
	if t.From != 0 {
		q.From = time.Unix(t.From, 0).UTC()
	}
	if t.AfterI != "" || t.After != 0 {
		q.After = Cursor{Datestamp: time.Unix(t.After, 0).UTC(), Identifier: t.AfterI}
	}
	return q
}

func writeHeader(x *xmltree.Writer, hd Header) {
	var attrs []xmltree.Attr
	if hd.Deleted {
		attrs = append(attrs, xmltree.Attr{Local: "status", Value: "deleted"})
	}
	x.Start(NSOAI, "header", attrs...)
	x.Leaf(NSOAI, "identifier", hd.Identifier)
	x.Leaf(NSOAI, "datestamp", formatDatestamp(hd.Datestamp))
	for _, s := range hd.Sets {
		x.Leaf(NSOAI, "setSpec", s)
	}
	x.End()
}

func (h *Handler) writeRecord(x *xmltree.Writer, rec Record, f format) {
	x.Start(NSOAI, "record")
	writeHeader(x, rec.Header)
	if !rec.Deleted && rec.Asset != nil {
		x.Start(NSOAI, "metadata")
		f.write(h, x, rec)
		x.End()
	}
	x.End()
}

// formatDatestamp writes t in UTC at seconds granularity.
func formatDatestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
