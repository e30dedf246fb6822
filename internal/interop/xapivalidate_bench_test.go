package interop

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sideBySideEnv names the environment variable that runs
// TestXAPIValidateSideBySide: it is a measurement, not a test, and takes
// a minute, so it never runs by default (nor in CI).
const sideBySideEnv = "OTA_BENCH_XAPI"

// TestXAPIValidateSideBySide times `ota validate` against Learning
// Locker's xapi-validation (run by xapi-validation-count.mjs) on the same
// NDJSON file of statements, in the same run, whole processes included
// (start-up, reading the file, writing the verdicts), and prints the
// ratio. The file is the ADL conformance corpus (both versions) and the
// xAPI 1.0.3 specification's examples, one compact statement per line,
// repeated to the size asked. Run it with:
//
//	OTA_BENCH_XAPI=1 go test ./internal/interop -run SideBySide -v -count 1
//
// OTA_BENCH_XAPI_N sets the number of statements (default 200000),
// OTA_BENCH_XAPI_REPS the repetitions (default 5), OTA_BENCH_XAPI_KEEP a
// path to keep the generated file at.
func TestXAPIValidateSideBySide(t *testing.T) {
	if os.Getenv(sideBySideEnv) == "" {
		t.Skipf("a measurement, not a test: set %s=1 to run it", sideBySideEnv)
	}
	n := envInt(t, "OTA_BENCH_XAPI_N", 200_000)
	reps := envInt(t, "OTA_BENCH_XAPI_REPS", 5)
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH; the anchor is Learning Locker's xapi-validation, run by Node")
	}
	dir, err := interopDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "xapi-validation", "package.json")); err != nil {
		t.Fatal("internal/interop/node_modules/xapi-validation is absent: run `npm ci --ignore-scripts` in internal/interop")
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}

	tmp := t.TempDir()
	file := filepath.Join(tmp, "statements.ndjson")
	if keep := os.Getenv("OTA_BENCH_XAPI_KEEP"); keep != "" {
		file = keep
	}
	lines := sideBySideStatements(t)
	size := writeCycled(t, file, lines, n)
	bin := filepath.Join(tmp, "ota")
	build := exec.Command("go", "build", "-o", bin, "./cmd/ota")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/ota: %v\n%s", err, out)
	}
	t.Logf("%d statements (%d distinct, %.1f MB) in %s; %d repetitions, interleaved; %d cores, load average %s",
		n, len(lines), float64(size)/1e6, file, reps, runtime.NumCPU(), loadAverage())

	otaCmd := []string{bin, "validate", file}
	llCmd := []string{node, filepath.Join(dir, "xapi-validation-count.mjs"), file}
	var otaRuns, llRuns []run
	for i := range reps {
		o := timeRun(t, otaCmd, filepath.Join(tmp, "ota.out"))
		l := timeRun(t, llCmd, filepath.Join(tmp, "ll.out"))
		otaRuns, llRuns = append(otaRuns, o), append(llRuns, l)
		t.Logf("rep %d: ota %.3f s (cpu %.3f s, %s), xapi-validation %.3f s (cpu %.3f s, %s): %.1f×",
			i+1, o.wall.Seconds(), o.cpu.Seconds(), o.last, l.wall.Seconds(), l.cpu.Seconds(), l.last, l.wall.Seconds()/o.wall.Seconds())
	}
	om, lm := median(otaRuns, func(r run) time.Duration { return r.wall }), median(llRuns, func(r run) time.Duration { return r.wall })
	oc, lc := median(otaRuns, func(r run) time.Duration { return r.cpu }), median(llRuns, func(r run) time.Duration { return r.cpu })
	ratios := make([]float64, reps)
	for i := range reps {
		ratios[i] = llRuns[i].wall.Seconds() / otaRuns[i].wall.Seconds()
	}
	slices.Sort(ratios)
	t.Logf("median wall: ota %.3f s, xapi-validation %.3f s (%.0f statements/s against %.0f); median of the ratios of each repetition: ota is %.1f× faster (from %.1f× to %.1f×)",
		om.Seconds(), lm.Seconds(), float64(n)/om.Seconds(), float64(n)/lm.Seconds(), ratios[reps/2], ratios[0], ratios[reps-1])
	t.Logf("median cpu (user+sys): ota %.3f s, xapi-validation %.3f s: %.1f×", oc.Seconds(), lc.Seconds(), lc.Seconds()/oc.Seconds())
	t.Logf("load average at the end: %s", loadAverage())
}

// loadAverage returns the first three fields of /proc/loadavg, or "?".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return v
}

// run is one timed process.
type run struct {
	wall, cpu time.Duration
	last      string // its last line of output: the verdict counts
}

// timeRun runs args with standard output to the file out and returns
// its times.
func timeRun(t *testing.T, args []string, out string) run {
	t.Helper()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = f, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if _, ok := err.(*exec.ExitError); err != nil && (!ok || cmd.ProcessState.ExitCode() > 1) {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	r := run{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	r.last = lastLine(t, f)
	return r
}

// lastLine returns the last line of the file f, reading only its end.
func lastLine(t *testing.T, f *os.File) string {
	t.Helper()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, min(st.Size(), 4096))
	if _, err := f.ReadAt(buf, st.Size()-int64(len(buf))); err != nil {
		t.Fatal(err)
	}
	buf = bytes.TrimRight(buf, "\n")
	return string(buf[bytes.LastIndexByte(buf, '\n')+1:])
}

func median(runs []run, f func(run) time.Duration) time.Duration {
	ds := make([]time.Duration, len(runs))
	for i, r := range runs {
		ds[i] = f(r)
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// sideBySideStatements returns the statements of the ADL conformance
// corpus (xAPI 1.0.3 and 2.0) and of the xAPI 1.0.3 specification's
// examples (fragments placed into a minimal statement), each compacted to
// one line.
func sideBySideStatements(t *testing.T) [][]byte {
	t.Helper()
	var docs [][]byte
	for _, v := range []string{"v1_0_3", "v2_0"} {
		files, err := filepath.Glob(filepath.Join(Reference(t, "xapi/lrs-conformance/"+v), "cases", "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no ADL corpus cases for %s: %v", v, err)
		}
		sort.Strings(files)
		for _, f := range files {
			var cases []struct {
				Document json.RawMessage `json:"document"`
			}
			readJSON(t, f, &cases)
			for _, c := range cases {
				docs = append(docs, c.Document)
			}
		}
	}
	specDir := Reference(t, "xapi/spec-1.0.3-examples")
	var index []struct{ File, Kind string }
	readJSON(t, filepath.Join(specDir, "index.json"), &index)
	for _, ex := range index {
		raw, err := os.ReadFile(filepath.Join(specDir, ex.File))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := XAPISpecStatement(ex.Kind, raw)
		if err != nil {
			t.Fatal(err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	lines := make([][]byte, 0, len(docs))
	for _, d := range docs {
		var b bytes.Buffer
		if err := json.Compact(&b, d); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, append(b.Bytes(), '\n'))
	}
	return lines
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// writeCycled writes n lines to path, cycling over lines, and returns the
// size written.
func writeCycled(t *testing.T, path string, lines [][]byte, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var size int64
	for i := range n {
		m, _ := w.Write(lines[i%len(lines)])
		size += int64(m)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return size
}
