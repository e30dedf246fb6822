package oaipmh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// Defaults of [Client].
const (
	// DefaultMaxResponseBytes bounds one response: 32 MiB.
	DefaultMaxResponseBytes = 32 << 20
	// DefaultMaxDocumentBytes bounds one OTA document in an ota record:
	// 8 MiB, as asset.DefaultMaxBytes.
	DefaultMaxDocumentBytes = 8 << 20
	// defaultMaxElements bounds the elements of one response.
	defaultMaxElements = 2_000_000
)

// Client harvests an OAI-PMH 2.0 repository. Its zero value is not usable:
// set BaseURL. A Client is safe for concurrent use.
type Client struct {
	// BaseURL is the repository's base URL, without arguments.
	BaseURL string
	// HTTP sends the requests; nil means a client with a 60-second
	// timeout. A harvester of untrusted repositories gives one whose
	// transport refuses the addresses it must not reach.
	HTTP *http.Client
	// MaxResponseBytes bounds each response; 0 means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// MaxDocumentBytes bounds each OTA document of an ota record; 0 means
	// DefaultMaxDocumentBytes.
	MaxDocumentBytes int64
	// UserAgent is sent with every request; empty sends "ota-oaipmh".
	UserAgent string
}

// ListOptions select the records of a list.
type ListOptions struct {
	// Prefix is the metadataPrefix: PrefixOTA (records decoded into
	// Asset), or another format (records' Metadata holds the XML).
	Prefix string
	// Set, when not empty, asks for one set.
	Set string
	// From and Until, when not zero, bound the datestamps; they are sent
	// at seconds granularity in UTC, or as dates when Days is set (for
	// repositories whose granularity is days).
	From, Until time.Time
	Days        bool
}

var defaultHTTP = &http.Client{Timeout: 60 * time.Second}

// Identify asks the repository to describe itself.
func (c *Client) Identify(ctx context.Context) (Identity, error) {
	r, err := c.do(ctx, url.Values{"verb": {verbIdentify}}, "")
	if err != nil {
		return Identity{}, err
	}
	if r.verb != verbIdentify {
		return Identity{}, fmt.Errorf("%w: Identify answered with %s", ErrResponse, r.verb)
	}
	return identity(r.root)
}

// Record fetches one record in the given format.
func (c *Client) Record(ctx context.Context, identifier, prefix string) (Record, error) {
	r, err := c.do(ctx, url.Values{"verb": {verbGetRecord}, "identifier": {identifier}, "metadataPrefix": {prefix}}, prefix)
	if err != nil {
		return Record{}, err
	}
	if r.verb != verbGetRecord || len(r.records) != 1 {
		return Record{}, fmt.Errorf("%w: GetRecord answered without one record", ErrResponse)
	}
	return r.records[0], nil
}

// Records iterates over the records of a ListRecords list, following
// resumption tokens until the list ends. An empty list (noRecordsMatch)
// yields nothing. Iteration stops at the first error, which is yielded: a
// *[ProtocolError], an error wrapping [ErrResponse], or the transport's.
func (c *Client) Records(ctx context.Context, opts ListOptions) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for r, err := range c.pages(ctx, verbListRecords, opts) {
			if err != nil {
				yield(Record{}, err)
				return
			}
			for _, rec := range r.records {
				if !yield(rec, nil) {
					return
				}
			}
		}
	}
}

// Identifiers iterates over the headers of a ListIdentifiers list, as
// Records does.
func (c *Client) Identifiers(ctx context.Context, opts ListOptions) iter.Seq2[Header, error] {
	return func(yield func(Header, error) bool) {
		for r, err := range c.pages(ctx, verbListIdentifiers, opts) {
			if err != nil {
				yield(Header{}, err)
				return
			}
			for _, h := range r.headers {
				if !yield(h, nil) {
					return
				}
			}
		}
	}
}

// pages yields the responses of a list, following resumption tokens.
func (c *Client) pages(ctx context.Context, verb string, opts ListOptions) iter.Seq2[*response, error] {
	return func(yield func(*response, error) bool) {
		args := url.Values{"verb": {verb}, "metadataPrefix": {opts.Prefix}}
		if opts.Set != "" {
			args.Set("set", opts.Set)
		}
		layout := "2006-01-02T15:04:05Z"
		if opts.Days {
			layout = time.DateOnly
		}
		if !opts.From.IsZero() {
			args.Set("from", opts.From.UTC().Format(layout))
		}
		if !opts.Until.IsZero() {
			args.Set("until", opts.Until.UTC().Format(layout))
		}
		seen := map[string]bool{}
		for {
			r, err := c.do(ctx, args, opts.Prefix)
			if err != nil {
				var pe *ProtocolError
				if errors.As(err, &pe) && pe.Code == codeNoRecordsMatch && args.Get("resumptionToken") == "" {
					return
				}
				yield(nil, err)
				return
			}
			if r.verb != verb {
				yield(nil, fmt.Errorf("%w: %s answered with %s", ErrResponse, verb, r.verb))
				return
			}
			if !yield(r, nil) {
				return
			}
			if r.token == "" {
				return
			}
			if seen[r.token] {
				yield(nil, fmt.Errorf("%w: the repository sent the resumption token %q twice", ErrResponse, clip(r.token)))
				return
			}
			seen[r.token] = true
			args = url.Values{"verb": {verb}, "resumptionToken": {r.token}}
		}
	}
}

// do sends one request and parses the response; an OAI-PMH error comes
// back as a *ProtocolError.
func (c *Client) do(ctx context.Context, args url.Values, prefix string) (*response, error) {
	if c.BaseURL == "" {
		return nil, fmt.Errorf("oaipmh: Client.BaseURL is empty")
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("oaipmh: base URL: %w", err)
	}
	u.RawQuery = args.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("oaipmh: %w", err)
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "ota-oaipmh"
	}
	req.Header.Set("User-Agent", ua)
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("oaipmh: %s: %w", args.Get("verb"), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("%w: %s: HTTP status %s", ErrResponse, args.Get("verb"), resp.Status)
	}
	maxBytes := c.MaxResponseBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxResponseBytes
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("oaipmh: reading the %s response: %w", args.Get("verb"), err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%w: the %s response is larger than %d bytes (Client.MaxResponseBytes)", ErrResponse, args.Get("verb"), maxBytes)
	}
	maxDoc := c.MaxDocumentBytes
	if maxDoc <= 0 {
		maxDoc = DefaultMaxDocumentBytes
	}
	r, err := parseResponse(data, prefix, parseLimits{maxBytes: maxBytes, maxElements: defaultMaxElements, maxDocument: maxDoc})
	if err != nil {
		return nil, err
	}
	if len(r.errs) > 0 {
		return nil, r.errs[0]
	}
	return r, nil
}
