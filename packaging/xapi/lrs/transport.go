package lrs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/metaacademy/ota/internal/jsondec"
)

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut-- // do not split a UTF-8 sequence
	}
	return s[:cut] + "…"
}

// request is one call to the LRS, sent one or more times.
type request struct {
	method      string
	resource    string     // below the endpoint, e.g. "statements"
	query       url.Values // for resource
	url         *url.URL   // when set, used instead of resource and query
	body        []byte
	contentType string
	header      http.Header // extra headers (If-Match, …)
	// idempotent says the request may be repeated after a transport
	// error or a 5xx answer; every request is repeated after a 429.
	idempotent bool
}

// response is a successful answer with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (c *Client) target(r *request) *url.URL {
	if r.url != nil {
		return r.url
	}
	u := c.endpoint.JoinPath(r.resource)
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	return u
}

// do sends r, retrying as the retry policy allows, and returns a 2xx
// response with its body read, or an error: an *Error for an error
// status, the context's error when it ends, or a transport error.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	u := c.target(r)
	where := u.String()
	var last error
	for attempt := 1; attempt <= c.retry.MaxAttempts; attempt++ {
		resp, wait, err := c.attempt(ctx, r, u, attempt)
		if err == nil {
			return resp, nil
		}
		last = err
		if wait < 0 || attempt == c.retry.MaxAttempts {
			break
		}
		if wait == 0 {
			wait = c.retry.backoff(attempt)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("xapi: %s %s: %w while waiting to retry (attempt %d: %v)", r.method, shorten(where, 160), ctx.Err(), attempt, last)
		case <-t.C:
		}
	}
	return nil, last
}

// attempt sends r once. On failure it returns how long to wait before the
// next attempt: 0 for the backoff, a positive Retry-After, or -1 when the
// request must not be repeated.
func (c *Client) attempt(ctx context.Context, r *request, u *url.URL, n int) (*response, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return nil, -1, fmt.Errorf("xapi: %s %s: %w", r.method, shorten(u.String(), 160), err)
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, -1, fmt.Errorf("xapi: %w", err)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	req.Header.Set("X-Experience-API-Version", c.version.String())
	req.Header.Set("User-Agent", c.userAgent)
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("Accept", "application/json, multipart/mixed;q=0.9, */*;q=0.5")
	res, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, -1, fmt.Errorf("xapi: %s %s: %w", r.method, shorten(u.String(), 160), ctx.Err())
		}
		wait := time.Duration(-1) // the request may have been processed
		if r.idempotent {
			wait = 0
		}
		return nil, wait, fmt.Errorf("xapi: %s %s: %w", r.method, shorten(u.String(), 160), err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		data, err := jsondec.ReadAll(res.Body, c.maxResponse, ErrResponseTooLarge, "", "xapi: reading the LRS response")
		if err != nil {
			return nil, -1, fmt.Errorf("xapi: %s %s: reading the response: %w", r.method, shorten(u.String(), 160), err)
		}
		return &response{status: res.StatusCode, header: res.Header, body: data}, 0, nil
	}
	data, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20)) // let the connection be reused
	e := &Error{StatusCode: res.StatusCode, Method: r.method, URL: u.String(), Body: data, Attempts: n}
	e.Message, e.Warnings = errorMessage(data, res.Header.Get("Content-Type"))
	wait := time.Duration(-1)
	if retryable(res.StatusCode, r.idempotent) {
		wait = 0
	}
	if ra, ok := parseRetryAfter(res.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = ra
		if wait == 0 {
			switch {
			case ra > c.retry.MaxDelay:
				wait = -1 // longer than we are prepared to wait
			case ra == 0:
				wait = time.Millisecond
			default:
				wait = ra
			}
		}
	}
	return nil, wait, e
}

// retryable reports whether status may be retried for a request that is
// (or is not) safe to repeat.
func retryable(status int, idempotent bool) bool {
	if status == http.StatusTooManyRequests {
		return true
	}
	if !idempotent {
		return false
	}
	return status >= 500 && status <= 599 &&
		status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported
}

// parseRetryAfter reads a Retry-After header: a number of seconds or an
// HTTP-date (a date in the past means now).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// errorMessage extracts the message and warnings of an error body.
func errorMessage(body []byte, contentType string) (string, []string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var e struct {
			Message  any   `json:"message"`
			Error    any   `json:"error"`
			Warnings []any `json:"warnings"`
		}
		if json.Unmarshal(trimmed, &e) == nil {
			msg := textOf(e.Message)
			if msg == "" {
				msg = textOf(e.Error)
			}
			var warns []string
			for _, w := range e.Warnings {
				if s := textOf(w); s != "" {
					warns = append(warns, s)
				}
			}
			if msg != "" || len(warns) > 0 {
				return msg, warns
			}
		}
	}
	if strings.HasPrefix(contentType, "text/html") {
		return "", nil
	}
	return shorten(strings.TrimSpace(string(trimmed)), 500), nil
}

func textOf(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// badResponse wraps a problem with a successful response.
func badResponse(r *request, u string, format string, args ...any) error {
	return fmt.Errorf("%w to %s %s: %s", ErrBadResponse, r.method, shorten(u, 160), fmt.Sprintf(format, args...))
}
