package cmi5

// The launch page in headless Chromium against a real LRS.
//
// The test plays the LMS. It exports a package, serves it extracted on one
// origin, and serves on a second origin what an LMS serves an AU: the
// fetch URL, and the xAPI endpoint. The endpoint is a reverse proxy in
// front of the real LRS (Learning Locker's statement service, whose URL is
// in OTA_TEST_LRS) that holds the State resource itself: that LRS has no
// State resource (internal/interop/README.md), and the AU must read the
// LMS.LaunchData state document from the endpoint it is given. CORS alone
// would not need the proxy: the LRS answers preflight requests itself
// (checked with an OPTIONS request), but the proxy answers them for every
// path so that the State resource and the statements share one origin's
// rules. Statements the page POSTs are recorded by the proxy (to validate
// the exact bytes sent) and forwarded to the LRS, from which the test reads
// them back by registration.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/imported"
	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/xapi"
	xapilrs "github.com/metaacademy/ota/packaging/xapi/lrs"
)

// lrsUser and lrsPassword are the LRS credentials the fetch URL hands out
// (the test LRS accepts any; packaging/xapi's tests use the same).
const lrsUser, lrsPassword = "ota-test", "secret"

// launchTree is the package the browser test launches: a page, two
// quizzes with a mastery score of 0.8 that post a score once loaded, and a
// page an imported SCORM item launched with parameters.
func launchTree() (*asset.Asset, fstest.MapFS) {
	scorm := map[string]json.RawMessage{imported.SCORMExtension: json.RawMessage(`{"masteryScore":"80"}`)}
	leaf := func(id string, kind asset.Kind, file string, ext map[string]json.RawMessage) asset.Asset {
		return asset.Asset{ID: "https://example.org/ota-test/launch/" + id, Kind: kind, Title: asset.LangString{"en": id},
			Resources: []asset.Resource{{Path: file, Role: asset.RoleLaunch}}, Extensions: ext}
	}
	a := &asset.Asset{ID: "https://example.org/ota-test/launch", Kind: asset.KindCourse, Title: asset.LangString{"en": "Launch page test"},
		Parts: []asset.Asset{
			leaf("page", asset.KindLesson, "page/index.html", nil),
			leaf("quiz-pass", asset.KindAssessment, "quiz pass/index.html", scorm),
			leaf("quiz-fail", asset.KindAssessment, "quiz-fail/index.html", scorm),
			leaf("params", asset.KindLesson, "params/index.html", map[string]json.RawMessage{
				imported.SCORMExtension: json.RawMessage(`{"launch":"params/index.html?questions=Playing&n=2#q"}`)}),
		}}
	quiz := func(score string) []byte {
		return []byte(`<!DOCTYPE html><html lang="en"><title>Quiz</title><p>Quiz</p><script>
addEventListener('load', () => setTimeout(() => parent.postMessage({type: 'ota-score', scaled: ` + score + `}, '*'), 100));
</script></html>`)
	}
	return a, fstest.MapFS{
		"page/index.html":      {Data: []byte(`<!DOCTYPE html><html lang="en"><title>A page</title><p>Hello</p></html>`)},
		"quiz pass/index.html": {Data: quiz("0.9")},
		"quiz-fail/index.html": {Data: quiz("0.5")},
		"params/index.html":    {Data: []byte(`<!DOCTYPE html><html lang="en"><title>Parameters</title><p>Hello</p></html>`)},
	}
}

// fakeLMS serves the fetch URL and the xAPI endpoint of the test's LMS.
type fakeLMS struct {
	t       *testing.T
	lrs     *url.URL
	token   string
	allowed string // the content origin
	proxy   *httputil.ReverseProxy

	mu      sync.Mutex
	fetches map[string]int    // fetch id → calls
	state   map[string][]byte // state key → document
	posted  [][]byte          // statement bodies the AU POSTed, in order
}

func newFakeLMS(t *testing.T, lrs string) *fakeLMS {
	u, err := url.Parse(strings.TrimSuffix(lrs, "/") + "/")
	require.NoError(t, err)
	l := &fakeLMS{t: t, lrs: u, fetches: map[string]int{}, state: map[string][]byte{},
		token: base64.StdEncoding.EncodeToString([]byte(lrsUser + ":" + lrsPassword))}
	l.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			target := u.JoinPath(strings.TrimPrefix(r.In.URL.Path, "/xapi/"))
			target.RawQuery = r.In.URL.RawQuery
			r.Out.URL = target
			r.Out.Host = u.Host
		},
		ModifyResponse: func(resp *http.Response) error {
			for k := range resp.Header {
				if strings.HasPrefix(k, "Access-Control-") {
					resp.Header.Del(k) // this server answers CORS itself
				}
			}
			return nil
		},
	}
	return l
}

func (l *fakeLMS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if origin := r.Header.Get("Origin"); origin != "" && origin == l.allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match")
		h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified, X-Experience-API-Consistent-Through")
		h.Set("Access-Control-Max-Age", "600")
		h.Add("Vary", "Origin")
	}
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/fetch/"):
		l.fetch(w, r)
	case r.URL.Path == "/xapi/activities/state":
		l.serveState(w, r)
	case strings.HasPrefix(r.URL.Path, "/xapi/"):
		if r.Method == http.MethodPost && r.URL.Path == "/xapi/statements" {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			l.mu.Lock()
			l.posted = append(l.posted, body)
			l.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		l.proxy.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

// fetch hands out the auth token once per fetch URL, then the cmi5 error
// JSON (error code 1: already in use).
func (l *fakeLMS) fetch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	l.mu.Lock()
	l.fetches[r.URL.Path]++
	n := l.fetches[r.URL.Path]
	l.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n > 1 {
		_, _ = io.WriteString(w, `{"error-code": "1", "error-text": "the fetch URL was already used"}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"auth-token": l.token})
}

// serveState is a State resource, enough for LMS.LaunchData: PUT and GET
// of one document by activity, agent, registration and stateId.
func (l *fakeLMS) serveState(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Basic "+l.token || r.Header.Get("X-Experience-API-Version") == "" {
		http.Error(w, "the State resource needs the fetched token and the xAPI version header", http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	var agent xapi.Actor
	if err := agent.UnmarshalJSON([]byte(q.Get("agent"))); err != nil {
		http.Error(w, "agent: "+err.Error(), http.StatusBadRequest)
		return
	}
	canon, _ := agent.MarshalJSON()
	key := strings.Join([]string{q.Get("activityId"), string(canon), q.Get("registration"), q.Get("stateId")}, "\x00")
	l.mu.Lock()
	defer l.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		l.state[key] = body
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		doc, ok := l.state[key]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(doc)
	default:
		http.Error(w, "GET or PUT", http.StatusMethodNotAllowed)
	}
}

func (l *fakeLMS) postedSince(n int) [][]byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([][]byte(nil), l.posted[n:]...)
}

func TestLaunchPageBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: the launch page test needs Chromium and the Learning Locker LRS")
	}
	lrs := os.Getenv("OTA_TEST_LRS")
	if lrs == "" {
		t.Skip("OTA_TEST_LRS is not set: start Learning Locker with internal/interop/lrs-start.mjs (see internal/interop/README.md) and export OTA_TEST_LRS=http://127.0.0.1:PORT/xAPI to run the launch page in Chromium against it")
	}
	browser := interop.RequireBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute) // eight sessions in Chromium on a loaded machine
	defer cancel()

	a, content := launchTree()
	data, _ := exportZip(t, a, content, ExportOptions{})
	dir := interop.Unzip(t, data)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "returned.html"), []byte("<!DOCTYPE html><title>LMS</title>"), 0o644))
	course, rep, err := openCourse(dir, Options{})
	require.NoError(t, err)
	require.Empty(t, rep.Errors())
	aus := map[string]*AU{}
	for _, au := range course.AUs() {
		aus[au.ID[strings.LastIndexByte(au.ID, '/')+1:]] = au
	}

	site := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer site.Close()
	lms := newFakeLMS(t, lrs)
	lms.allowed = site.URL
	lmsSite := httptest.NewServer(lms)
	defer lmsSite.Close()
	endpoint := lmsSite.URL + "/xapi/"
	client, err := xapilrs.New(lrs, xapilrs.WithBasicAuth(lrsUser, lrsPassword))
	require.NoError(t, err)
	viaLMS, err := xapilrs.New(endpoint, xapilrs.WithBasicAuth(lrsUser, lrsPassword))
	require.NoError(t, err)

	tests := []struct {
		name, au, mode string
		// again launches a second session in the registration of the
		// test before.
		again   bool
		waitFor string
		// script, when set, is the whole expression waited for.
		script string
		// used spends the fetch URL before the launch: the page gets
		// the error JSON and must send nothing.
		used bool
		want []string
	}{
		{name: "page", au: "page", waitFor: "completed", want: []string{"initialized", "completed", "terminated"}},
		{name: "page, second session", au: "page", again: true, want: []string{"initialized", "terminated"}},
		{name: "quiz passed", au: "quiz-pass", waitFor: "passed", want: []string{"initialized", "completed", "passed", "terminated"}},
		{name: "quiz failed", au: "quiz-fail", waitFor: "failed", want: []string{"initialized", "completed", "failed", "terminated"}},
		{name: "done button", au: "page", want: []string{"initialized", "completed", "terminated"},
			script: "(window.otaCmi5 && window.otaCmi5.sent.includes('completed') && document.getElementById('done').click(), location.pathname === '/returned.html')"},
		{name: "fetch URL already used", au: "page", used: true, want: nil,
			script: "window.otaCmi5 && window.otaCmi5.state === 'error' && /already used/.test(window.otaCmi5.error)"},
		{name: "browse mode", au: "quiz-pass", mode: LaunchModeBrowse, want: []string{"initialized", "terminated"}},
		// The frame's path is /params/: the test's file server redirects
		// index.html to its folder, keeping the query and the fragment.
		{name: "content launched with its parameters", au: "params", want: []string{"initialized", "completed", "terminated"},
			script: "window.otaCmi5 && window.otaCmi5.sent.includes('completed') && (function (l) { return l.pathname.indexOf('/params/') === 0 && l.search === '?questions=Playing&n=2' && l.hash === '#q'; })(document.getElementById('content').contentWindow.location)"},
	}
	registration, learner := "", ""
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			au := aus[tt.au]
			require.NotNil(t, au, "no AU %s", tt.au)
			if !tt.again {
				registration, learner = xapi.NewID(), "ana-"+xapi.NewID()[:8]
			}
			actor := xapi.AccountAgent("Ana Pereira", "https://lms.example.org", learner)
			sessionID := xapi.NewID()
			mode := tt.mode
			if mode == "" {
				mode = LaunchModeNormal
			}
			// As an LMS: the LaunchData state document, then launched.
			template := map[string]any{
				"contextActivities": map[string]any{"grouping": []any{map[string]any{"id": course.ID}}},
				"extensions":        map[string]any{ExtSessionID: sessionID},
			}
			launchData := map[string]any{"contextTemplate": template, "launchMode": mode, "moveOn": au.MoveOn,
				"returnURL": site.URL + "/returned.html"}
			if au.MasteryScore != nil {
				launchData["masteryScore"] = *au.MasteryScore
			}
			doc, err := json.Marshal(launchData)
			require.NoError(t, err)
			require.NoError(t, viaLMS.PutDocument(ctx, xapilrs.StateKey{ActivityID: au.ID, Agent: actor, Registration: registration, StateID: "LMS.LaunchData"},
				xapilrs.Document{ContentType: "application/json", Content: doc}, xapilrs.Precondition{}))
			parsedData, err := ParseLaunchData(doc)
			require.NoError(t, err)
			params := LaunchParams{Endpoint: endpoint, Fetch: lmsSite.URL + "/fetch/" + xapi.NewID(), Actor: actor,
				Registration: registration, ActivityID: au.ID}
			actorJSON, err := actor.MarshalJSON()
			require.NoError(t, err)
			launchURL := site.URL + "/" + au.URL + "&" + url.Values{
				"endpoint": {params.Endpoint}, "fetch": {params.Fetch}, "actor": {string(actorJSON)},
				"registration": {registration}, "activityId": {au.ID}}.Encode()
			_, err = client.PostStatements(ctx, []*xapi.Statement{NewSession(params, parsedData).Launched(launchURL)})
			require.NoError(t, err)

			if tt.used {
				resp, err := http.Post(params.Fetch, "", nil)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
			}
			before := len(lms.postedSince(0))
			wait := "window.otaCmi5 && window.otaCmi5.state === 'running'"
			if tt.waitFor != "" {
				wait = fmt.Sprintf("window.otaCmi5 && window.otaCmi5.sent.includes(%q)", tt.waitFor)
			}
			if tt.script != "" {
				wait = tt.script
			}
			page, err := browser.Open(ctx, launchURL, interop.PageOptions{Allow: []string{lmsSite.URL}, WaitFor: wait,
				Timeout: 30 * time.Second, Settle: time.Second, Unload: true})
			require.NoError(t, err)
			assert.True(t, page.OK, "the page did not get to %s: %+v", wait, page)
			assert.Empty(t, page.PageErrors)
			assert.Empty(t, page.Blocked, "the page reached for origins it should not")
			for _, line := range page.Console {
				if strings.HasPrefix(line, "error") && !tt.used {
					t.Errorf("console: %s", line)
				}
			}

			// The statements of the registration, from the LRS.
			var got []*xapi.Statement
			deadline := time.Now().Add(10 * time.Second)
			for {
				got = got[:0]
				for s, err := range client.Query(ctx, xapilrs.StatementQuery{Registration: registration, Ascending: true}) {
					require.NoError(t, err)
					got = append(got, s)
				}
				if n := len(got); len(tt.want) == 0 || n > 0 && got[n-1].Verb.ID == xapi.VerbTerminated || time.Now().After(deadline) {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			var verbs []string
			for _, s := range got {
				if s.Context != nil && stringExt(s, ExtSessionID) == sessionID && s.Verb.ID != xapi.VerbLaunched {
					verbs = append(verbs, verbName(s.Verb.ID))
				}
			}
			assert.Equal(t, tt.want, verbs, "the session's statements in the LRS")
			t.Logf("%s: the LRS holds %s", tt.name, strings.Join(verbs, ", "))
			check := CheckStatements(got, CheckOptions{MoveOn: au.MoveOn, MasteryScore: au.MasteryScore})
			assert.Empty(t, check.Issues, "CheckStatements")

			// The bytes the page sent: valid xAPI 1.0.3, with the cmi5 context.
			posted := lms.postedSince(before)
			assert.Len(t, posted, len(tt.want))
			for i, body := range posted {
				if testing.Verbose() && tt.name == "quiz passed" {
					t.Logf("sent: %s", body)
				}
				vr := xapi.Validate(body, xapi.ValidateOptions{})
				assert.Empty(t, vr.Errors(), "statement %d: %s", i, body)
				var s xapi.Statement
				require.NoError(t, s.UnmarshalJSON(body))
				assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, s.Timestamp)
				assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, s.ID)
				assert.Equal(t, registration, s.Context.Registration)
				assert.True(t, hasCategory(&s, CategoryCmi5))
				require.NotEmpty(t, s.Context.ContextActivities.Grouping, "the context template's grouping")
				assert.Equal(t, course.ID, s.Context.ContextActivities.Grouping[0].ID)
				assert.Equal(t, au.ID, s.Object.Activity.ID)
				if v := verbName(s.Verb.ID); v == "passed" || v == "failed" {
					require.NotNil(t, s.Result.Score)
					assert.Equal(t, map[string]float64{"passed": 0.9, "failed": 0.5}[v], *s.Result.Score.Scaled)
					assert.Equal(t, *au.MasteryScore, *floatExt(&s, ExtMasteryScore))
				}
			}
			lms.mu.Lock()
			calls := 1
			if tt.used {
				calls = 2
			}
			assert.Equal(t, calls, lms.fetches[strings.TrimPrefix(params.Fetch, lmsSite.URL)], "the page calls the fetch URL once")
			lms.mu.Unlock()
		})
	}
}
