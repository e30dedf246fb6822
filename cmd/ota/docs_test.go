package main

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/platform/store/postgres/pgtest"
)

// TestDocCommands runs every `ota …` command of the fenced sh blocks of
// README.md and docs/**/*.md, in the order they appear, with the ota binary
// this test built, in one folder seeded with what examples/gitcourse writes
// and with the fixture files the commands name (docSeeds). Each must exit
// 0. New lines are picked up as they are added: a command that names a new
// file needs that file in docSeeds; a command that needs something not
// available offline goes to docSkips, with the reason.
func TestDocCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the gitcourse example and every documented command; skipped with -short")
	}
	root := filepath.Join("..", "..")
	cmds := docCommands(t, root)
	require.NotEmpty(t, cmds, "the README has ota commands")

	dir := t.TempDir()
	seedDocFolder(t, root, dir)
	lrs := newLRSDouble(t, "U", "P")
	// The README's publisher hosts site/ (what `ota publish` writes) at
	// http://127.0.0.1:8081/: a file server of the test's stands in for it.
	site := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(dir, "site"))))
	t.Cleanup(site.Close)
	hubAddr := freeAddr(t)
	parent := t
	var (
		pgOnce sync.Once
		pgDB   string
	)
	bin := filepath.Dir(otaBin)
	for _, c := range cmds {
		line := c.line
		for _, r := range [][2]string{
			// The README's LRS is an example address; the test's own LRS
			// double stands in for it.
			{"https://lrs.example.org/xAPI", lrs.URL + "/xAPI"},
			{"http://127.0.0.1:8081/", site.URL + "/"},
			{"127.0.0.1:8080", hubAddr},
			{"--addr :8080", "--addr " + hubAddr},
		} {
			line = strings.ReplaceAll(line, r[0], r[1])
		}
		// docs/platform.md's hub on PostgreSQL: a throw-away cluster of the
		// test's stands in for db.example, and as the test's publisher is
		// on loopback, its harvest needs --allow-private.
		const pgURL = "'postgres://ota@db.example:5432/ota_hub?sslmode=require'"
		pgLine := strings.Contains(line, pgURL)
		if pgLine && strings.HasPrefix(line, "ota harvest ") && !strings.Contains(line, "--allow-private") {
			line += " --allow-private"
		}
		t.Run(c.where+" "+c.line, func(t *testing.T) {
			if why, ok := docSkips[c.line]; ok {
				t.Skip(why)
			}
			if pgLine {
				// The cluster lives as long as the whole test: the serve
				// line reads what the harvest line wrote.
				pgOnce.Do(func() { pgDB = "'" + pgtest.Start(parent).NewDatabase(parent) + "'" })
				if pgDB == "" {
					t.Skip("no PostgreSQL cluster for the documented hub on PostgreSQL")
				}
				line = strings.ReplaceAll(line, pgURL, pgDB)
			}
			if strings.HasPrefix(line, "ota harvest sources.json") {
				writeDocSources(t, dir, site.URL)
			}
			if strings.HasPrefix(line, "ota serve ") {
				runDocServer(t, dir, bin, line, hubAddr)
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "sh", "-c", line)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			out, err := cmd.CombinedOutput()
			assert.NoError(t, err, "%s: %s\n%s", c.where, c.line, out)
			assert.NotContains(t, string(out), "internal error", "%s", out)
		})
	}
	// The send line reached the LRS with the statements the from-scorm
	// line made.
	assert.Positive(t, lrs.received(), "no statement reached the LRS double")
}

// docSkips are documented commands the test does not run, each with the
// reason. Keep it short: prefer a seed file or a local stand-in.
var docSkips = map[string]string{}

// docCommand is one `ota` command line of the documentation.
type docCommand struct {
	where string // FILE:LINE
	line  string // without its trailing comment
}

// comment matches a trailing shell comment: white space, #, white space.
var comment = regexp.MustCompile(`\s+#(\s.*)?$`)

// docCommands returns the `ota …` lines of the fenced sh blocks of
// README.md and of every Markdown file under docs/, in order.
func docCommands(t *testing.T, root string) []docCommand {
	t.Helper()
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	require.NoError(t, err)
	var out []docCommand
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		rel, _ := filepath.Rel(root, f)
		inSh := false
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for n := 1; sc.Scan(); n++ {
			l := sc.Text()
			trimmed := strings.TrimSpace(l)
			if strings.HasPrefix(trimmed, "```") {
				info := strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))
				switch {
				case inSh:
					inSh = false
				case info == "sh" || info == "shell" || info == "bash":
					inSh = true
				}
				continue
			}
			if !inSh {
				continue
			}
			cmd := strings.TrimSpace(comment.ReplaceAllString(l, ""))
			if strings.HasPrefix(cmd, "ota ") {
				out = append(out, docCommand{where: fmt.Sprintf("%s:%d", filepath.ToSlash(rel), n), line: cmd})
			}
		}
	}
	return out
}

// seedDocFolder fills dir with what the documented commands read: the
// outputs of examples/gitcourse (course.ota.json with its files, course.ota,
// the packages, statements.ndjson) and the files the README's examples
// name (docSeeds).
func seedDocFolder(t *testing.T, root, dir string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err)
	run := exec.Command(goTool, "run", "./examples/gitcourse", "-o", dir)
	run.Dir = root
	out, err := run.CombinedOutput()
	require.NoError(t, err, "go run ./examples/gitcourse: %s", out)
	for name, seed := range docSeeds {
		target := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(target), 0o755))
		require.NoError(t, seed(t, root, dir, target), "seeding %s", name)
	}
}

// docSeeds make the files the documented commands name, beyond what
// gitcourse writes. Each writes target.
var docSeeds = map[string]func(t *testing.T, root, dir, target string) error{
	// Two more documents, a catalogue folder and a package, from gitcourse's.
	"a.json":                  copyFrom("course.ota.json"),
	"b.json":                  copyFrom("course.ota.json"),
	"courses/course.ota.json": copyFrom("course.ota.json"),
	"package.zip":             copyFrom("course-scorm2004.zip"),
	// A catalogue folder to publish: the publish package's test catalogue.
	"catalogue": func(t *testing.T, root, _, target string) error {
		return os.CopyFS(target, os.DirFS(filepath.Join(root, "platform", "publish", "testdata", "catalogue")))
	},
	// A lesson folder: gitcourse's own.
	"path/to/lesson": func(t *testing.T, root, _, target string) error {
		return os.CopyFS(target, os.DirFS(filepath.Join(root, "examples", "gitcourse", "testdata", "lesson")))
	},
	// A CASE framework: one of the framework package's fixtures.
	"framework.case.json": func(t *testing.T, root, _, target string) error {
		return copyFile(filepath.Join(root, "framework", "casepkg", "testdata", "case", "gsbpm-training.json"), target)
	},
	// A SCORM 1.2 package whose SCO's item is ITEM, and a CMI snapshot of
	// a session of it.
	"p.zip": func(t *testing.T, _, _, target string) error {
		f, err := os.Create(target)
		if err != nil {
			return err
		}
		zw := zip.NewWriter(f)
		for name, body := range map[string]string{
			"imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="P" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>Sampling</title>
    <item identifier="ITEM" identifierref="R"><title>Why sample?</title></item>
  </organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`,
			"index.html": "<!DOCTYPE html><title>Why sample?</title><p>A SCO.</p>",
		} {
			w, err := zw.Create(name)
			if err != nil {
				return err
			}
			if _, err := io.WriteString(w, body); err != nil {
				return err
			}
		}
		if err := zw.Close(); err != nil {
			return err
		}
		return f.Close()
	},
	"snapshot.json": func(t *testing.T, _, _, target string) error {
		return os.WriteFile(target, []byte(`{"cmi.core.student_id": "learner-1", "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85", "cmi.core.session_time": "00:12:30"}`), 0o644)
	},
}

// copyFrom seeds a file with a copy of one gitcourse wrote.
func copyFrom(name string) func(t *testing.T, root, dir, target string) error {
	return func(t *testing.T, _, dir, target string) error {
		return copyFile(filepath.Join(dir, name), target)
	}
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// lrsDouble is a stand-in LRS: it accepts statements POSTed with the right
// credentials and answers with their ids.
type lrsDouble struct {
	*httptest.Server
	mu sync.Mutex
	n  int
}

func (l *lrsDouble) received() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func newLRSDouble(t *testing.T, user, password string) *lrsDouble {
	l := &lrsDouble{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/xAPI/statements" {
			http.Error(w, "the double takes POST /xAPI/statements only", http.StatusNotFound)
			return
		}
		var stmts []struct {
			ID string `json:"id"`
		}
		if err := json.NewDecoder(r.Body).Decode(&stmts); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ids := make([]string, len(stmts))
		for i, s := range stmts {
			ids[i] = s.ID
			if ids[i] == "" {
				ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			}
		}
		l.mu.Lock()
		l.n += len(stmts)
		l.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ids)
	}))
	t.Cleanup(l.Close)
	return l
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// writeDocSources writes the sources.json the README asks the reader to
// write: one publisher, the site's feed, and the key of nso.pub (which the
// README's keygen line made).
func writeDocSources(t *testing.T, dir, siteURL string) {
	t.Helper()
	pub, err := os.ReadFile(filepath.Join(dir, "nso.pub"))
	require.NoError(t, err, "the README's keygen line writes nso.pub before the harvest line")
	data, err := json.Marshal(map[string]any{"sources": []map[string]any{{
		"name": "nso",
		"feed": siteURL + "/feed.json",
		"keys": []map[string]any{{"publicKey": string(pub)}},
	}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sources.json"), data, 0o644))
}

// runDocServer runs a documented `ota serve` line until the hub answers
// its home page and a search with the harvested courses, then stops it
// with SIGTERM and expects a clean exit.
func runDocServer(t *testing.T, dir, bin, line, addr string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", "exec "+line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	// The server's output goes to a file, which the messages read back.
	outFile, err := os.Create(filepath.Join(t.TempDir(), "serve.log"))
	require.NoError(t, err)
	defer outFile.Close()
	cmd.Stdout, cmd.Stderr = outFile, outFile
	out := logFile(outFile.Name())
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	base := "http://" + addr
	var home string
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(base + "/")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
			home = string(body)
			break
		}
		require.True(t, time.Now().Before(deadline), "ota serve did not answer at %s: %v\n%s", base, err, out.String())
		select {
		case werr := <-exited:
			stopped = true
			t.Fatalf("ota serve exited before answering (%v):\n%s", werr, out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	assert.Contains(t, home, "<h1")
	assert.Contains(t, home, `href="/asset?id=`, "the home page lists the harvested assets")
	resp, err := http.Get(base + "/?q=statistics")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `href="/asset?id=`, "the search finds a harvested asset")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	stopped = true
	require.NoError(t, <-exited, "ota serve stops cleanly on SIGTERM:\n%s", out.String())
}

// logFile is a file whose String is its content, for failure messages.
type logFile string

func (f logFile) String() string {
	data, err := os.ReadFile(string(f))
	if err != nil {
		return err.Error()
	}
	return string(data)
}
