package main

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	bin := filepath.Dir(otaBin)
	for _, c := range cmds {
		line := c.line
		for from, to := range map[string]string{
			// The README's LRS is an example address; the test's own LRS
			// double stands in for it.
			"https://lrs.example.org/xAPI": lrs.URL + "/xAPI",
		} {
			line = strings.ReplaceAll(line, from, to)
		}
		t.Run(c.where+" "+c.line, func(t *testing.T) {
			if why, ok := docSkips[c.line]; ok {
				t.Skip(why)
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
	// A lesson folder: gitcourse's own.
	"path/to/lesson": func(t *testing.T, root, _, target string) error {
		return os.CopyFS(target, os.DirFS(filepath.Join(root, "examples", "gitcourse", "testdata", "lesson")))
	},
	// A CASE framework: one of the framework package's fixtures.
	"framework.case.json": func(t *testing.T, root, _, target string) error {
		return copyFile(filepath.Join(root, "framework", "testdata", "case", "gsbpm-training.json"), target)
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
