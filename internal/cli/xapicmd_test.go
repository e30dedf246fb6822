package cli_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/packaging/xapi"
)

const golf12 = "../../../shared/reference/packages/golf_scorm12_multisco_onefilepersco.zip"

func TestXAPIFromSCORM(t *testing.T) {
	if _, err := os.Stat(golf12); err != nil {
		t.Skipf("the reference packages are absent (%v); skipping", err)
	}
	snap := filepath.Join("testdata", "xapicmd", "quiz12.json")
	r := run(t, nil, "xapi", "from-scorm", "--package", golf12, "--item", "playing_quiz_item",
		"--cmi", snap, "--actor", "mailto:ann@example.org", "--timestamp", "2026-05-31T14:00:00Z", "--attempt", "a1")
	require.Equal(t, 0, r.code, r)
	assert.Empty(t, r.stderr)

	x := xapi.NewReader(strings.NewReader(r.stdout), xapi.StreamOptions{Format: xapi.StreamNDJSON, Decode: true})
	var verbs []string
	var sco string
	for rec, err := range x.All() {
		require.NoError(t, err)
		require.True(t, rec.Valid(), "%s: %v", rec.Raw, rec.Report)
		s := rec.Statement
		verbs = append(verbs, s.Verb.Display["en-US"])
		assert.Equal(t, "mailto:ann@example.org", s.Actor.Mbox)
		if s.Verb.ID == xapi.VerbInitialized {
			sco = s.Object.Activity.ID
			assert.Equal(t, "2026-05-31T14:00:00.000Z", s.Timestamp)
			// The quiz item is under the "playing" item of the course.
			require.NotNil(t, s.Context.ContextActivities)
			assert.Len(t, s.Context.ContextActivities.Parent, 1)
		}
		if s.Verb.ID == xapi.VerbResponded {
			assert.Equal(t, xapi.ActivityTypeInteraction, s.Object.Activity.Definition.Type)
			assert.Equal(t, sco, s.Context.ContextActivities.Parent[0].ID)
		}
		if s.Verb.ID == xapi.VerbTerminated {
			assert.Equal(t, "PT3M20S", s.Result.Duration)
			assert.Equal(t, 0.8, *s.Result.Score.Scaled)
		}
	}
	assert.Equal(t, []string{"initialized", "responded", "responded", "responded", "passed", "terminated"}, verbs)

	// Input errors.
	r = run(t, nil, "xapi", "from-scorm", "--package", golf12, "--item", "nope", "--cmi", snap)
	assert.Equal(t, 2, r.code, r)
	assert.Contains(t, r.stderr, `no item with identifier "nope"`)
	r = run(t, nil, "xapi", "from-scorm", "--package", golf12, "--item", "playing_quiz_item", "--cmi", snap)
	assert.Equal(t, 1, r.code, r) // no actor and no learner id
	assert.Contains(t, r.stderr, "xapi.cmi.actor")
	r = run(t, strings.NewReader(`{"cmi.core.lesson_status":"done"}`), "xapi", "from-scorm", "--package", golf12,
		"--item", "playing_quiz_item", "--cmi", "-", "--actor", "mailto:a@example.org")
	assert.Equal(t, 1, r.code, r)
	assert.Contains(t, r.stderr, "-: error xapi.cmi.vocabulary at /cmi.core.lesson_status: ")
	assert.Equal(t, 2, strings.Count(r.stdout, "\n"), r) // initialized, terminated
}

func TestXAPIUsage(t *testing.T) {
	for _, args := range [][]string{
		{"xapi"},
		{"xapi", "frob"},
		{"xapi", "from-scorm"},
		{"xapi", "from-scorm", "--package", "x.zip", "--item", "i", "--cmi", "c.json", "--actor", "ann@example.org"},
		{"xapi", "from-scorm", "--package", "x.zip", "--item", "i", "--cmi", "c.json", "--version", "3"},
		{"xapi", "from-scorm", "--bogus"},
		{"xapi", "send", "f.ndjson"},
		{"xapi", "send", "--endpoint", "http://127.0.0.1:1/xapi/"},
		{"xapi", "send", "--endpoint", "http://127.0.0.1:1/xapi/", "--xapi-version", "3", "f"},
		{"xapi", "send", "--endpoint", "http://127.0.0.1:1/xapi/", "--batch-size", "0", "f"},
		{"xapi", "send", "--endpoint", "http://127.0.0.1:1/xapi/", "does-not-exist.ndjson"},
	} {
		r := run(t, nil, args...)
		assert.Equal(t, 2, r.code, "%v\n%s", args, r)
		assert.NotEmpty(t, r.stderr, args)
	}
	r := run(t, nil, "xapi", "send", "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "--endpoint")
	r = run(t, nil, "help", "xapi")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "from-scorm")
}

// lrs is a tiny LRS: it stores POSTed statement batches and counts them.
type lrs struct {
	mu         sync.Mutex
	posts      int
	statements []map[string]any
	auth       string
}

func (l *lrs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/statements") {
		http.Error(w, "not here", http.StatusNotFound)
		return
	}
	var batch []map[string]any
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &batch); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	l.mu.Lock()
	l.posts++
	l.auth = r.Header.Get("Authorization")
	var ids []string
	for _, s := range batch {
		l.statements = append(l.statements, s)
		id, _ := s["id"].(string)
		if id == "" {
			id = xapi.NewID()
		}
		ids = append(ids, id)
	}
	l.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(ids)
}

func newLRS(t *testing.T) (*lrs, string) {
	t.Helper()
	l := &lrs{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(l)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return l, srv.URL + "/xapi/"
}

func stmt(verb string) string {
	return `{"actor":{"mbox":"mailto:ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/` + verb +
		`"},"object":{"id":"https://example.org/activities/a"}}`
}

func TestXAPISend(t *testing.T) {
	l, endpoint := newLRS(t)
	in := strings.Join([]string{
		stmt("completed"),
		stmt("passed"),
		`{"actor":{"mbox":"ann@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/failed"},"object":{"id":"https://example.org/a"}}`,
		stmt("attempted"),
		stmt("experienced"),
		stmt("answered"),
	}, "\n") + "\n"
	path := filepath.Join(t.TempDir(), "s.ndjson")
	require.NoError(t, os.WriteFile(path, []byte(in), 0o600))

	r := run(t, nil, "xapi", "send", "--endpoint", endpoint, "--user", "u", "--password", "p", "--batch-size", "2", path)
	assert.Equal(t, 1, r.code, r)
	assert.Equal(t, 5, len(l.statements))
	assert.Equal(t, 3, l.posts) // 2 + 2 + 1
	assert.True(t, strings.HasPrefix(l.auth, "Basic "), l.auth)
	var verbs []string
	for _, s := range l.statements {
		id, _ := s["verb"].(map[string]any)["id"].(string)
		verbs = append(verbs, strings.TrimPrefix(id, "http://adlnet.gov/expapi/verbs/"))
	}
	// The invalid "failed" record is not sent; the others arrive intact
	// and in order across batches.
	assert.Equal(t, []string{"completed", "passed", "attempted", "experienced", "answered"}, verbs)
	assert.Contains(t, r.stdout, path+":3: error ")
	assert.Equal(t, "5 sent, 1 invalid\n", r.stderr)

	// All valid, from standard input: exit 0.
	l.statements, l.posts = nil, 0
	r = run(t, strings.NewReader(stmt("completed")+"\n"+stmt("passed")+"\n"), "xapi", "send", "--endpoint", endpoint, "-")
	assert.Equal(t, 0, r.code, r)
	assert.Equal(t, 2, len(l.statements))
	assert.Equal(t, 1, l.posts)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "2 sent, 0 invalid\n", r.stderr)
}

func TestXAPISendUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	r := run(t, strings.NewReader(stmt("completed")+"\n"), "xapi", "send", "--endpoint", "http://"+addr+"/xapi/", "-")
	assert.Equal(t, 2, r.code, r)
	assert.Contains(t, r.stderr, "0 sent, 0 invalid")
}

func TestXAPIFromSCORM2004(t *testing.T) {
	pkg := "../../../shared/reference/packages/golf_scorm2004_3rd_runtimebasiccalls.zip"
	if _, err := os.Stat(pkg); err != nil {
		t.Skipf("the reference packages are absent (%v); skipping", err)
	}
	snap := filepath.Join("testdata", "xapicmd", "sco2004.json")
	r := run(t, nil, "xapi", "from-scorm", "--package", pkg, "--item", "item_1", "--cmi", snap,
		"--home-page", "https://lms.example.org/", "--registration", "6f2e4a52-7c1b-4d0e-9a8f-1b2c3d4e5f60")
	require.Equal(t, 0, r.code, r)
	x := xapi.NewReader(strings.NewReader(r.stdout), xapi.StreamOptions{Format: xapi.StreamNDJSON, Decode: true})
	var verbs []string
	for rec, err := range x.All() {
		require.NoError(t, err)
		require.True(t, rec.Valid(), "%s: %v", rec.Raw, rec.Report)
		s := rec.Statement
		verbs = append(verbs, s.Verb.Display["en-US"])
		assert.Equal(t, "u-7", s.Actor.Account.Name)
		assert.Equal(t, "6f2e4a52-7c1b-4d0e-9a8f-1b2c3d4e5f60", s.Context.Registration)
	}
	assert.Equal(t, []string{"resumed", "responded", "passed", "progressed", "completed", "passed", "suspended"}, verbs)

	// --version overrides the package's: 2004 elements are unknown to 1.2.
	r = run(t, nil, "xapi", "from-scorm", "--package", pkg, "--item", "item_1", "--cmi", snap,
		"--actor", "mailto:a@example.org", "--version", "1.2")
	assert.Equal(t, 0, r.code, r)
	assert.Contains(t, r.stderr, "warning xapi.cmi.unknown-element at /cmi.completion_status")
}

func TestXAPISendRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"no"}`, http.StatusBadRequest)
	}))
	defer srv.Close()
	r := run(t, strings.NewReader(stmt("completed")+"\n"), "xapi", "send", "--endpoint", srv.URL+"/xapi/", "-")
	assert.Equal(t, 2, r.code, r)
	assert.Contains(t, r.stderr, "0 sent, 0 invalid")
}
