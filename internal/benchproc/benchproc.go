// Package benchproc measures child processes for the benchmarks that set
// OTA beside command-line tools (zip, unzip, xmllint): wall time, CPU time
// and peak resident memory, read from the child's resource usage, so that
// both sides are measured the same way, startup included. Only tests use
// it.
package benchproc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ChildEnv names the environment variable that tells a test binary it
// was started by [Self] to do one measured job.
const ChildEnv = "OTA_BENCH_CHILD"

// SizesEnv names the environment variable listing the content sizes to
// benchmark in MB, comma-separated, such as "200,2048".
const SizesEnv = "OTA_BENCH_SIZES_MB"

// RoundsEnv names the environment variable giving how many times each
// command is run; the medians are reported.
const RoundsEnv = "OTA_BENCH_ROUNDS"

// Result is one run of a command.
type Result struct {
	Wall   time.Duration // elapsed
	CPU    time.Duration // user + system
	MaxRSS int64         // peak resident set size, bytes
}

// Run runs cmd to the end and measures it. Output is discarded unless
// cmd has its own; a failure returns the error with the end of stderr.
//
// The peak memory comes from GNU time (/usr/bin/time -f %M) when it is
// installed: the resource usage Go's os/exec returns counts, for a child
// started from a large parent, the parent's memory it shared until exec
// (Linux records the high-water mark of the vfork-shared address space),
// while time forks the command from its own small process. Without it,
// MaxRSS is the child's resource usage and may be the parent's size.
func Run(cmd *exec.Cmd) (Result, error) {
	var stderr bytes.Buffer
	if cmd.Stderr == nil {
		cmd.Stderr = &stderr
	}
	var rssFile string
	if timePath, err := exec.LookPath("/usr/bin/time"); err == nil {
		f, err := os.CreateTemp("", "benchproc-rss-")
		if err != nil {
			return Result{}, err
		}
		rssFile = f.Name()
		_ = f.Close()
		defer os.Remove(rssFile)
		cmd.Args = append([]string{timePath, "-f", "%M", "-o", rssFile, cmd.Path}, cmd.Args[1:]...)
		cmd.Path = timePath
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		msg := stderr.String()
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return Result{}, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, msg)
	}
	r := Result{Wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()) // time's own and its child's
		r.MaxRSS = ru.Maxrss << 10                               // kilobytes on Linux
	}
	if rssFile != "" {
		data, err := os.ReadFile(rssFile)
		if err != nil {
			return Result{}, err
		}
		// The last line: time writes a line before it when the command fails.
		fields := strings.Fields(string(data))
		if len(fields) == 0 {
			return Result{}, fmt.Errorf("benchproc: GNU time wrote no peak memory")
		}
		kb, err := strconv.ParseInt(fields[len(fields)-1], 10, 64)
		if err != nil {
			return Result{}, fmt.Errorf("benchproc: reading the peak memory from GNU time: %w", err)
		}
		r.MaxRSS = kb << 10
	}
	return r, nil
}

// Self returns a command running the current test binary's test named
// test (an exact name) with ChildEnv set to job and the other variables
// of env (KEY=VALUE) added.
func Self(test, job string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), ChildEnv+"="+job)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// Sizes returns the sizes in bytes named by SizesEnv, or def (in MB)
// when it is unset.
func Sizes(def ...int64) ([]int64, error) {
	s := os.Getenv(SizesEnv)
	if s == "" {
		out := make([]int64, len(def))
		for i, mb := range def {
			out[i] = mb << 20
		}
		return out, nil
	}
	var out []int64
	for f := range strings.SplitSeq(s, ",") {
		mb, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || mb <= 0 {
			return nil, fmt.Errorf("%s=%q: want sizes in MB such as 200,2048", SizesEnv, s)
		}
		out = append(out, mb<<20)
	}
	return out, nil
}

// Rounds returns RoundsEnv's value, or def.
func Rounds(def int) int {
	if n, err := strconv.Atoi(os.Getenv(RoundsEnv)); err == nil && n > 0 {
		return n
	}
	return def
}

// Median returns the run with the median wall time of rs, with the
// median CPU time and the largest peak memory of all.
func Median(rs []Result) Result {
	if len(rs) == 0 {
		return Result{}
	}
	walls := make([]time.Duration, len(rs))
	cpus := make([]time.Duration, len(rs))
	var rss int64
	for i, r := range rs {
		walls[i], cpus[i] = r.Wall, r.CPU
		rss = max(rss, r.MaxRSS)
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	return Result{Wall: walls[len(walls)/2], CPU: cpus[len(cpus)/2], MaxRSS: rss}
}

// Cores reports the number of CPUs the process may use and the load
// average, for the record.
func Cores() string {
	load := "?"
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	return fmt.Sprintf("%d cores (GOMAXPROCS %d), load average %s", runtime.NumCPU(), runtime.GOMAXPROCS(0), load)
}
