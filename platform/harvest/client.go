package harvest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// ErrForbiddenAddress is the class of a request to an address a harvester
// must not reach: loopback, private, link-local, multicast or unspecified,
// unless Options.AllowPrivate is set.
var ErrForbiddenAddress = errors.New("harvest: forbidden address")

// ErrTooLarge is the class of a response larger than its limit.
var ErrTooLarge = errors.New("harvest: response too large")

// forbidden reports whether a harvester must not connect to ip.
func forbidden(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() ||
		// 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8.
		(ip.Is4() && (ip.As4()[0] == 0 || (ip.As4()[0] == 100 && ip.As4()[1]&0xc0 == 64)))
}

// newClient returns the HTTP client a harvester uses: no proxy from the
// environment, a check of every address actually dialled (so a name that
// resolves to a private address, or a redirect to one, is refused, and DNS
// rebinding cannot get round it), a bounded number of redirects to http(s)
// only, and timeouts.
func newClient(o *Options) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !o.AllowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: cannot read address %q", ErrForbiddenAddress, address)
			}
			if forbidden(ap.Addr()) {
				return fmt.Errorf("%w: %s is not a public address (harvest.Options.AllowPrivate allows it, for tests)", ErrForbiddenAddress, ap.Addr())
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > o.MaxRedirects {
				return fmt.Errorf("harvest: more than %d redirects", o.MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("harvest: redirect to %s: only http and https", req.URL.Scheme)
			}
			return nil
		},
	}
}

// response is a fetched body with its validators.
type response struct {
	status       int
	body         []byte
	etag         string
	lastModified string
	url          string // the final URL, after redirects
}

// get fetches url into memory (at most limit bytes), sending the
// validators for a conditional request. A 304 comes back with no body.
func (h *Harvester) get(ctx context.Context, url, etag, lastModified string, limit int64) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json, application/xml;q=0.9, */*;q=0.5")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := &response{status: resp.StatusCode, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified"), url: resp.Request.URL.String()}
	if resp.StatusCode == http.StatusNotModified {
		return r, nil
	}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) //nolint:errcheck // draining for reuse
		return nil, fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: GET %s: %d bytes, the limit is %d", ErrTooLarge, url, resp.ContentLength, limit)
	}
	r.body, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if int64(len(r.body)) > limit {
		return nil, fmt.Errorf("%w: GET %s: more than %d bytes", ErrTooLarge, url, limit)
	}
	return r, nil
}

// download fetches url into a new temporary file (at most limit bytes)
// and returns it, positioned anywhere; the caller removes it.
func (h *Harvester) download(ctx context.Context, url string, limit int64) (*os.File, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, 0, fmt.Errorf("%w: GET %s: %d bytes, the limit is %d", ErrTooLarge, url, resp.ContentLength, limit)
	}
	f, err := os.CreateTemp(h.opts.TempDir, "ota-harvest-*.ota")
	if err != nil {
		return nil, 0, err
	}
	n, err := io.Copy(f, io.LimitReader(resp.Body, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("%w: GET %s: more than %d bytes", ErrTooLarge, url, limit)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, 0, err
	}
	return f, n, nil
}
