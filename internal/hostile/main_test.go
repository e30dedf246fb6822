package hostile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// otaBin is the ota binary, built once by TestMain into a temporary
// folder, and rssBin the small program runOTA starts it through.
var otaBin, rssBin string

// rssSource is a program that runs a command and writes the command's
// peak resident set size to a file, taken from
// ProcessState.SysUsage().(*syscall.Rusage).Maxrss. The tests start ota
// through it rather than directly because Linux counts in a child's
// Maxrss the peak RSS of the process it was forked from (the child shares
// the parent's memory until it executes): started from the test process,
// which grows as it generates inputs, ota would be charged for it. This
// program stays a few megabytes.
const rssSource = `package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

func main() {
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		os.Stderr.WriteString("rss: " + err.Error() + "\n")
		os.Exit(125)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	os.WriteFile(os.Args[1], []byte(strconv.FormatInt(ru.Maxrss*1024, 10)), 0o644)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		os.Exit(128 + int(ws.Signal()))
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
`

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ota-hostile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating a folder for the binary:", err)
		return 2
	}
	defer os.RemoveAll(dir)
	goTool, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot build ota: no go command on PATH:", err)
		return 2
	}
	otaBin = filepath.Join(dir, "ota")
	build := exec.Command(goTool, "build", "-o", otaBin, "github.com/metaacademy/ota/cmd/ota")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build ./cmd/ota: %v\n%s", err, out)
		return 2
	}
	src := filepath.Join(dir, "rss", "main.go")
	rssBin = filepath.Join(dir, "rss-run")
	err = os.MkdirAll(filepath.Dir(src), 0o755)
	if err == nil {
		err = os.WriteFile(src, []byte(rssSource), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "writing the RSS helper:", err)
		return 2
	}
	build = exec.Command(goTool, "build", "-o", rssBin, src)
	build.Dir = filepath.Dir(src)
	build.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the RSS helper: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

// run is one run of the ota binary.
type run struct {
	args           []string
	code           int // -1 when killed
	stdout, stderr string
	maxRSS         int64 // peak resident set size in bytes
	elapsed        time.Duration
	timedOut       bool
}

func (r run) String() string {
	return fmt.Sprintf("ota %s\nexit %d, peak RSS %d MiB, %v\n--- stdout:\n%s\n--- stderr:\n%s",
		strings.Join(r.args, " "), r.code, r.maxRSS>>20, r.elapsed.Round(time.Millisecond), clip(r.stdout), clip(r.stderr))
}

// clip shortens long output for failure messages.
func clip(s string) string {
	const max = 4000
	if len(s) <= max {
		return s
	}
	return s[:max/2] + fmt.Sprintf("\n[… %d bytes …]\n", len(s)-max) + s[len(s)-max/2:]
}

// runOTA runs the ota binary with args in dir (the working folder; "" for
// the test's) and kills it after deadline. Output beyond outCap bytes per
// stream is counted but not kept.
func runOTA(t testing.TB, dir string, deadline time.Duration, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	rssFile := filepath.Join(t.TempDir(), "rss")
	cmd := exec.CommandContext(ctx, rssBin, append([]string{rssFile, otaBin}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = nil
	var out, errb capped
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := run{args: args, stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		r.code = ps.ExitCode()
		if r.code > 128 {
			r.code = -1 // killed by a signal
		}
	}
	if b, err := os.ReadFile(rssFile); err == nil {
		r.maxRSS, _ = strconv.ParseInt(string(b), 10, 64)
	}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.timedOut = true
	case err == nil, errors.As(err, &ee):
	default:
		t.Fatalf("running ota %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// outCap is how much of each output stream a run keeps.
const outCap = 1 << 20

// capped keeps the first outCap bytes written to it and counts the rest.
type capped struct {
	b       bytes.Buffer
	dropped int64
}

func (c *capped) Write(p []byte) (int, error) {
	if room := outCap - c.b.Len(); room < len(p) {
		c.b.Write(p[:max(room, 0)])
		c.dropped += int64(len(p) - max(room, 0))
		return len(p), nil
	}
	return c.b.Write(p)
}

func (c *capped) String() string {
	if c.dropped > 0 {
		return c.b.String() + fmt.Sprintf("\n[%d more bytes not kept]", c.dropped)
	}
	return c.b.String()
}
