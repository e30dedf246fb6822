package scorm

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/interop"
)

// lmsPage is a test LMS: a SCORM 2004 API that keeps the data model in a
// plain object (preloaded from the URL fragment), a frame with the
// single-SCO launch page, and a driver that presses "Next" until the
// course reports completion and then closes the SCO. The API sends its log
// to /log when the SCO terminates.
const lmsPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>LMS</title><script>
var store = JSON.parse(decodeURIComponent(location.hash.slice(1) || "%7B%7D"));
var calls = [];
function log(c) { calls.push(c); }
window.API_1484_11 = {
  Initialize: function () { log(["Initialize"]); return "true"; },
  Terminate: function () {
    log(["Terminate"]);
    fetch("/log", {method: "POST", body: JSON.stringify({calls: calls, store: store})}).then(function () { window.done = true; });
    return "true";
  },
  GetValue: function (k) { log(["GetValue", k]); return store[k] || ""; },
  SetValue: function (k, v) { log(["SetValue", k, String(v)]); store[k] = String(v); return "true"; },
  Commit: function () { log(["Commit"]); return "true"; },
  GetLastError: function () { return "0"; },
  GetErrorString: function () { return ""; },
  GetDiagnostic: function () { return ""; }
};
</script></head><body>
<iframe id="sco" src="pkg/ota-scorm/launch.html?course=1&amp;v=2004" width="800" height="600"></iframe>
<script>
var frame = document.getElementById("sco");
var clicks = 0;
function shown() { return calls.filter(function (c) { return c[0] === "SetValue" && c[1] === "cmi.location"; }).length; }
setInterval(function () {
  // Once the course is complete the LMS closes the SCO, as when the
  // learner leaves it; the SCO terminates then.
  if (store["cmi.completion_status"] === "completed") {
    if (frame.getAttribute("src") !== "about:blank") { frame.setAttribute("src", "about:blank"); }
    return;
  }
  var d = frame.contentDocument;
  var next = d && d.getElementById("next");
  // Press Next once the SCO has recorded the page it shows.
  if (next && !next.disabled && shown() > clicks) {
    clicks++;
    next.click();
  }
}, 200);
</script></body></html>`

// TestSingleSCONavigation runs the single-SCO launch page against a test
// LMS in headless Chromium: going through every page completes the course
// (progress 1, every page seen), and a second session resumes where the
// first left off.
func TestSingleSCONavigation(t *testing.T) {
	if testing.Short() {
		t.Skip("launches Chromium: not with -short")
	}
	b := interop.RequireBrowser(t)
	s := exportSources(t)[0]
	data, _ := export(t, s, ExportOptions{SingleSCO: true})
	dir := interop.Unzip(t, data)

	var mu sync.Mutex
	var logs []json.RawMessage
	mux := http.NewServeMux()
	mux.Handle("/pkg/", http.StripPrefix("/pkg/", http.FileServer(http.Dir(dir))))
	mux.HandleFunc("/lms.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, lmsPage)
	})
	mux.HandleFunc("/log", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		logs = append(logs, body)
		mu.Unlock()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	type session struct {
		Calls [][]string        `json:"calls"`
		Store map[string]string `json:"store"`
	}
	run := func(preload map[string]string) (map[string]string, session) {
		t.Helper()
		mu.Lock()
		logs = nil
		mu.Unlock()
		frag, _ := json.Marshal(preload)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		rep, err := b.Open(ctx, srv.URL+"/lms.html#"+url.PathEscape(string(frag)), interop.PageOptions{
			WaitFor: "window.done && store", Timeout: 30 * time.Second, Settle: time.Second})
		require.NoError(t, err)
		require.True(t, rep.OK, "the course did not complete: %+v", rep)
		assert.Empty(t, rep.PageErrors)
		var store map[string]string
		require.NoError(t, json.Unmarshal(rep.Value, &store))
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, logs, 1, "the SCO terminates once when the learner leaves; requests %+v console %v", rep.Requests, rep.Console)
		var sess session
		require.NoError(t, json.Unmarshal(logs[0], &sess))
		return store, sess
	}

	store, sess := run(map[string]string{"cmi.completion_status": "unknown", "cmi.entry": "ab-initio"})
	assert.Equal(t, "completed", store["cmi.completion_status"])
	assert.Equal(t, "1", store["cmi.progress_measure"])
	assert.Equal(t, "111", store["cmi.suspend_data"], "every page seen")
	assert.Equal(t, "2", store["cmi.location"])
	assert.Equal(t, []string{"Initialize"}, sess.Calls[0])
	assert.Equal(t, []string{"Terminate"}, sess.Calls[len(sess.Calls)-1])
	assert.Equal(t, "normal", sess.Store["cmi.exit"])
	assert.Regexp(t, `^PT\d+H\d+M[\d.]+S$`, sess.Store["cmi.session_time"])

	// A learner who saw the first two pages and left comes back on the
	// second and completes the course by seeing the third.
	store, _ = run(map[string]string{"cmi.completion_status": "incomplete", "cmi.entry": "resume",
		"cmi.location": "1", "cmi.suspend_data": "110"})
	assert.Equal(t, "completed", store["cmi.completion_status"])
	assert.Equal(t, "111", store["cmi.suspend_data"])
}
