package interop_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/interop"
)

// recorder is a test server that records the requests it gets.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // "METHOD /path"
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r.mu.Lock()
		r.seen = append(r.seen, req.Method+" "+req.URL.Path)
		r.mu.Unlock()
		h(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

func TestOpen(t *testing.T) {
	b := interop.RequireBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// other: a loopback origin the page is not allowed to reach.
	other := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		fmt.Fprint(w, "{}")
	})
	// lrs: a second origin the page may reach (as a cmi5 AU reaches the LRS).
	lrs := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"stored":true}`)
	})
	page := fmt.Sprintf(`<!doctype html><title>AU</title><script>
fetch("/fetch", {method: "POST"}).then(function (r) { return r.json(); }).then(function (j) {
  window.token = j["auth-token"];
  return fetch(%[1]q + "/statements", {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"});
}).then(function (r) { return r.json(); }).then(function (j) { window.done = {token: window.token, stored: j.stored}; });
fetch(%[2]q + "/leak").catch(function () { window.leakFailed = true; });
fetch("https://lrs.example.invalid/xAPI/statements").catch(function () {});
window.addEventListener("pagehide", function () {
  navigator.sendBeacon(%[1]q + "/terminated", "{}");
  navigator.sendBeacon(%[2]q + "/unload-leak", "{}");
});
</script>`, lrs.URL, other.URL)
	site := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/au.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		case "/fetch":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"auth-token":"dG9rZW4="}`)
		default:
			http.NotFound(w, r)
		}
	})

	t.Run("a page that fetches, with one origin allowed", func(t *testing.T) {
		start := time.Now()
		r, err := b.Open(ctx, site.URL+"/au.html", interop.PageOptions{
			Allow:   []string{lrs.URL},
			WaitFor: "window.done && window.leakFailed && window.done",
			Timeout: 20 * time.Second,
			Unload:  true,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("browse.mjs ran in %v (page %d ms of it)", time.Since(start).Round(time.Millisecond), r.ElapsedMS)
		if !r.OK || !r.Satisfied || r.Status != 200 || !r.Unloaded {
			t.Fatalf("ok %v, satisfied %v, status %d, unloaded %v, error %q, wait error %q, console %q",
				r.OK, r.Satisfied, r.Status, r.Unloaded, r.Error, r.WaitError, r.Console)
		}
		if got := string(r.Value); got != `{"token":"dG9rZW4=","stored":true}` {
			t.Errorf("value %s", got)
		}
		has := func(list []interop.Request, method, url string, status int) bool {
			return slices.ContainsFunc(list, func(q interop.Request) bool {
				return q.Method == method && q.URL == url && q.Status == status
			})
		}
		for _, want := range []struct {
			method, url string
			status      int
		}{
			{"GET", site.URL + "/au.html", 200},
			{"POST", site.URL + "/fetch", 200},
			{"POST", lrs.URL + "/statements", 200},
			// sent while the page unloaded, and still seen
			{"POST", lrs.URL + "/terminated", 200},
		} {
			if !has(r.Requests, want.method, want.url, want.status) {
				t.Errorf("no %s %s → %d in %v", want.method, want.url, want.status, r.Requests)
			}
		}
		for _, u := range []string{other.URL + "/leak", other.URL + "/unload-leak", "https://lrs.example.invalid/xAPI/statements"} {
			if !slices.Contains(r.Blocked, u) {
				t.Errorf("%s is not listed as blocked: %v", u, r.Blocked)
			}
		}
		if got := other.requests(); len(got) != 0 {
			t.Errorf("the origin that is not allowed got requests: %v", got)
		}
		if got := lrs.requests(); !slices.Contains(got, "POST /terminated") {
			t.Errorf("the allowed origin did not get the unload beacon: %v", got)
		}
	})

	t.Run("a wait that never ends", func(t *testing.T) {
		r, err := b.Open(ctx, site.URL+"/au.html", interop.PageOptions{WaitFor: "window.neverSet", Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.Satisfied || r.Status != 200 {
			t.Errorf("ok %v, satisfied %v, status %d", r.OK, r.Satisfied, r.Status)
		}
		// without Allow, the second origin is blocked too
		if !slices.Contains(r.Blocked, lrs.URL+"/statements") {
			t.Errorf("%s/statements is not listed as blocked: %v", lrs.URL, r.Blocked)
		}
	})

	t.Run("a page that is not there", func(t *testing.T) {
		r, err := b.Open(ctx, site.URL+"/missing.html", interop.PageOptions{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.Status != 404 || !strings.Contains(r.Error, "404") {
			t.Errorf("ok %v, status %d, error %q", r.OK, r.Status, r.Error)
		}
	})

	t.Run("only loopback", func(t *testing.T) {
		if _, err := b.Open(ctx, "https://example.org/", interop.PageOptions{}); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("a URL that is not loopback: %v", err)
		}
		if _, err := b.Open(ctx, site.URL, interop.PageOptions{Allow: []string{"https://lrs.example.org"}}); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("an --allow origin that is not loopback: %v", err)
		}
	})
}
