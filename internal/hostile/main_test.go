package hostile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// otaBin is the ota binary, built once by TestMain into a temporary
// folder.
var otaBin string

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
	cmd := exec.CommandContext(ctx, otaBin, args...)
	cmd.Dir = dir
	cmd.Stdin = nil
	var out, errb capped
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := run{args: args, stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
		}
		r.code = ps.ExitCode()
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
