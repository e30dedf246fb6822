// Package lrs is the client of an xAPI Learning Record Store: a [Client]
// ([New]) sends statements in batches with their attachments, retries what
// may be retried, follows "more" pages of queries and reads and writes the
// state, activity profile and agent profile documents. Statements are the
// model of package xapi and are validated before they are sent.
package lrs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/metaacademy/ota/packaging/xapi"

	"github.com/metaacademy/ota"
)

// Client talks to an xAPI Learning Record Store (LRS): the Statement
// resource (POST, PUT, GET, queries with `more` paging, voiding,
// attachments), the State, Activity Profile and Agent Profile document
// resources, and /about.
//
// A Client is configured once by [New] and its options and is then
// safe for concurrent use by several goroutines. Every method takes a
// context.Context that cancels the request, including the waits between
// retries.
//
// # Versions
//
// The client speaks xAPI 1.0.3 unless [WithVersion] selects [xapi.Version200]:
// the version goes into the X-Experience-API-Version header of every
// request and is the version outgoing statements are validated against.
//
// # Retries
//
// A request is retried, up to the [RetryPolicy]'s MaxAttempts, when the LRS
// answers 429 Too Many Requests, or, for a request that is safe to repeat,
// a 5xx status (other than 501 and 505) or a transport error. The wait
// before a retry is the Retry-After the LRS sent (in seconds or as an
// HTTP-date) or else an exponential backoff with jitter. A Retry-After
// longer than the policy's MaxDelay ends the retries: the error is
// returned with [Error.RetryAfter] set.
//
// What is safe to repeat:
//
//   - GET, PUT of a statement (it carries its id) and unconditional
//     PUT and DELETE of documents;
//   - POST of statements, because the client gives every statement without
//     an id a new UUID before sending the first attempt, so a repeated POST
//     names the same statements: a conforming LRS stores a statement once
//     and answers a repeated identical one with success (Learning Locker
//     does). An LRS that answers 409 to such a repetition shows up as an
//     [Error] matching [ErrConflict] with Attempts > 1;
//   - not: POST of documents (a merge) and conditional document writes
//     (If-Match / If-None-Match), whose repetition after a lost answer would
//     fail with 412 although the first attempt succeeded. They are retried
//     only on 429, which says the request was not processed.
type Client struct {
	endpoint    *url.URL // absolute, path ends with "/"
	version     xapi.Version
	auth        string // Authorization header value, "" for none
	hc          *http.Client
	batchSize   int
	retry       RetryPolicy
	userAgent   string
	validate    bool
	policy      ota.Policy
	maxResponse int64
}

// Option configures a [Client]; pass options to [New].
type Option func(*Client) error

// Defaults of a [Client].
const (
	// DefaultBatchSize is how many statements one POST carries at most.
	DefaultBatchSize = 100
	// DefaultMaxResponseBytes caps the body of a successful response
	// (statements, documents, attachments).
	DefaultMaxResponseBytes = 64 << 20
	// DefaultUserAgent is the User-Agent header the client sends.
	DefaultUserAgent = "ota-xapi-client/1 (+https://github.com/metaacademy/ota)"
	// maxErrorBody caps the part of an error response that is read.
	maxErrorBody = 64 << 10
)

// RetryPolicy says how often and how long a [Client] retries. Zero fields
// take the default: MaxAttempts 4, BaseDelay 250 ms, MaxDelay 30 s.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts, the first included; 1
	// disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry when the LRS sends
	// no Retry-After; it doubles with every further retry, and a random
	// jitter of up to half of it is taken off.
	BaseDelay time.Duration
	// MaxDelay caps the backoff. A Retry-After longer than MaxDelay is not
	// waited for: the error is returned instead.
	MaxDelay time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 250 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	return p
}

// backoff returns the wait before retry number n (1 for the first retry):
// BaseDelay·2^(n-1), capped at MaxDelay, minus a random jitter of up to
// half of it.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	half := int64(d / 2)
	if half <= 0 {
		return d
	}
	return d - time.Duration(rand.Int64N(half+1))
}

// WithVersion selects the xAPI version the client speaks: [xapi.Version103]
// (the default) or [xapi.Version200]. It is sent as X-Experience-API-Version and
// used to validate outgoing statements.
func WithVersion(v xapi.Version) Option {
	return func(c *Client) error {
		if err := v.Check(); err != nil {
			return err
		}
		if v == "" {
			v = xapi.Version103
		}
		c.version = v
		return nil
	}
}

// WithBasicAuth makes the client authenticate with HTTP Basic
// authentication, as LRSs do for their "key" and "secret".
func WithBasicAuth(user, password string) Option {
	return func(c *Client) error {
		if strings.Contains(user, ":") {
			return errors.New("xapi: a Basic authentication user name cannot contain ':'")
		}
		c.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
		return nil
	}
}

// WithAuthorization sets the Authorization header to value as it is, for
// LRSs that take a token ("Bearer …") or a pre-encoded Basic credential.
// It replaces [WithBasicAuth], and the other way round: the last wins.
func WithAuthorization(value string) Option {
	return func(c *Client) error {
		if strings.ContainsAny(value, "\r\n") {
			return errors.New("xapi: an Authorization value cannot contain line breaks")
		}
		c.auth = value
		return nil
	}
}

// WithHTTPClient makes the client send its requests with hc (for its
// transport, proxy, TLS settings or timeout). The default is a new
// http.Client with no timeout: use contexts to bound calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("xapi: WithHTTPClient needs an *http.Client")
		}
		c.hc = hc
		return nil
	}
}

// WithBatchSize sets how many statements one POST carries at most
// ([DefaultBatchSize] unless set); PostStatements splits longer lists.
func WithBatchSize(n int) Option {
	return func(c *Client) error {
		if n < 1 {
			return fmt.Errorf("xapi: batch size %d; it must be at least 1", n)
		}
		c.batchSize = n
		return nil
	}
}

// WithRetry sets the retry policy (see [RetryPolicy] for the defaults);
// RetryPolicy{MaxAttempts: 1} disables retries.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.BaseDelay < 0 || p.MaxDelay < 0 {
			return errors.New("xapi: retry delays cannot be negative")
		}
		c.retry = p.withDefaults()
		return nil
	}
}

// WithUserAgent sets the User-Agent header ([DefaultUserAgent] unless set).
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("xapi: a User-Agent cannot contain line breaks")
		}
		c.userAgent = ua
		return nil
	}
}

// WithoutValidation stops the client from validating outgoing statements.
// By default every statement is validated against the client's version
// before anything is sent, and an invalid one fails the call with an
// error holding an *ota.ValidationError.
func WithoutValidation() Option {
	return func(c *Client) error {
		c.validate = false
		return nil
	}
}

// WithValidationPolicy changes the severity of validation issues by code
// for the validation of outgoing statements (see [xapi.ValidateOptions]).
func WithValidationPolicy(p ota.Policy) Option {
	return func(c *Client) error {
		c.policy = p
		return nil
	}
}

// WithMaxResponseBytes caps the size of a successful response body
// ([DefaultMaxResponseBytes] unless set). A larger response fails with
// [ErrResponseTooLarge].
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n < 1 {
			return fmt.Errorf("xapi: response size limit %d; it must be positive", n)
		}
		c.maxResponse = n
		return nil
	}
}

// New returns a client for the LRS whose xAPI base URL is endpoint,
// such as "https://lrs.example.org/xAPI/": resources (statements,
// activities/state, …) are resolved below it, with or without a trailing
// slash. The endpoint must be an absolute http or https URL without a query,
// fragment or user information (use [WithBasicAuth]).
func New(endpoint string, opts ...Option) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("xapi: endpoint: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("xapi: endpoint %q: the scheme must be http or https", endpoint)
	case u.Host == "":
		return nil, fmt.Errorf("xapi: endpoint %q has no host", endpoint)
	case u.User != nil:
		return nil, errors.New("xapi: the endpoint contains user information; pass credentials with WithBasicAuth")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("xapi: endpoint %q: remove the query or fragment", endpoint)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	c := &Client{
		endpoint:    u,
		version:     xapi.Version103,
		hc:          &http.Client{},
		batchSize:   DefaultBatchSize,
		retry:       RetryPolicy{}.withDefaults(),
		userAgent:   DefaultUserAgent,
		validate:    true,
		maxResponse: DefaultMaxResponseBytes,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Endpoint returns the LRS base URL the client was made for, with a
// trailing slash.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// Version returns the xAPI version the client speaks.
func (c *Client) Version() xapi.Version { return c.version }

// Errors of the client. An error response of the LRS is an *[Error];
// errors.Is matches it against the sentinel of its status code.
var (
	// ErrBadRequest matches an Error with status 400.
	ErrBadRequest = errors.New("xapi: bad request")
	// ErrUnauthorized matches an Error with status 401.
	ErrUnauthorized = errors.New("xapi: unauthorized")
	// ErrForbidden matches an Error with status 403.
	ErrForbidden = errors.New("xapi: forbidden")
	// ErrNotFound matches an Error with status 404.
	ErrNotFound = errors.New("xapi: not found")
	// ErrConflict matches an Error with status 409.
	ErrConflict = errors.New("xapi: conflict")
	// ErrPreconditionFailed matches an Error with status 412.
	ErrPreconditionFailed = errors.New("xapi: precondition failed")
	// ErrRequestTooLarge matches an Error with status 413.
	ErrRequestTooLarge = errors.New("xapi: request too large")
	// ErrTooManyRequests matches an Error with status 429.
	ErrTooManyRequests = errors.New("xapi: too many requests")
	// ErrServer matches an Error with a 5xx status.
	ErrServer = errors.New("xapi: LRS server error")
	// ErrResponseTooLarge means a response body was larger than the
	// client's limit (see [WithMaxResponseBytes]).
	ErrResponseTooLarge = errors.New("xapi: response too large")
	// ErrBadResponse means the LRS answered with a success status but a
	// body the client cannot read as the spec defines it.
	ErrBadResponse = errors.New("xapi: malformed LRS response")
)

// Error is an error status from the LRS.
type Error struct {
	// StatusCode is the HTTP status, such as 404.
	StatusCode int
	// Method and URL are those of the request; the URL has no credentials.
	Method string
	URL    string
	// Message is the LRS's explanation: the "message" member of a JSON
	// error body, else the start of the body as text.
	Message string
	// Warnings are the "warnings" of a JSON error body (Learning Locker
	// lists validation failures there).
	Warnings []string
	// Body is the start of the response body (at most 64 KiB).
	Body []byte
	// RetryAfter is the wait the LRS asked for, when it sent Retry-After.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error describes the status, the request and the LRS's message.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "xapi: LRS answered %d %s to %s %s", e.StatusCode, http.StatusText(e.StatusCode), e.Method, shorten(e.URL, 160))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(shorten(e.Message, 300))
	}
	if len(e.Warnings) > 0 {
		b.WriteString(" (")
		for i, w := range e.Warnings {
			if i == 3 {
				fmt.Fprintf(&b, "; and %d more", len(e.Warnings)-3)
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(shorten(w, 200))
		}
		b.WriteString(")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [after %d attempts]", e.Attempts)
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's status code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrPreconditionFailed:
		return e.StatusCode == http.StatusPreconditionFailed
	case ErrRequestTooLarge:
		return e.StatusCode == http.StatusRequestEntityTooLarge
	case ErrTooManyRequests:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// About is what an LRS says about itself at /about.
type About struct {
	// Versions are the xAPI versions the LRS supports, such as ["1.0.3"].
	Versions []string
	// Extensions are the LRS's extensions, if any.
	Extensions xapi.Extensions
}

// Supports reports whether the LRS lists version v (or a 1.0.x / 2.0.x
// version of the same minor release).
func (a *About) Supports(v xapi.Version) bool {
	want, err := xapi.ParseVersion(v.String())
	if err != nil {
		return false
	}
	for _, s := range a.Versions {
		if got, err := xapi.ParseVersion(s); err == nil && got == want {
			return true
		}
	}
	return false
}

// About asks the LRS which xAPI versions it supports (GET /about).
func (c *Client) About(ctx context.Context) (*About, error) {
	r := &request{method: http.MethodGet, resource: "about", idempotent: true}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Version    []string        `json:"version"`
		Extensions xapi.Extensions `json:"extensions"`
	}
	if err := json.Unmarshal(resp.body, &raw); err != nil {
		return nil, badResponse(r, c.target(r).String(), "%v", err)
	}
	return &About{Versions: raw.Version, Extensions: raw.Extensions}, nil
}
