package hostile

import (
	"os"
	"path/filepath"

	"strings"
	"testing"
	"time"
)

// Bounds of every run of the suite.
const (
	// maxRSS is the peak resident memory a run may take: the default
	// limits are chosen to keep anything they accept below it.
	maxRSS = 256 << 20
	// deadline is how long a run may take before it counts as hung. Runs
	// take well under a second; the margin is for a loaded machine.
	deadline = 2 * time.Minute
)

// TestHostile runs the command on every hostile case and checks the
// contract: no panic, no hang, nothing written outside out/, no byte of
// the secret file beside the input in any output, peak memory under
// maxRSS, exit 1 or 2 (0 for benign cases) with a clear message.
func TestHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile suite runs the command some 300 times; skipped under -short")
	}
	cases := hostileCases()
	kinds := map[string]int{}
	for _, c := range cases {
		kinds[c.kind]++
	}
	if len(cases) < 60 {
		t.Errorf("%d cases; the suite should hold at least 60", len(cases))
	}
	for _, want := range []string{"SCORM zip", "SCORM folder", "cmi5 xml", "cmi5 zip", "cmi5 folder", "OTA document", "bundle", "lesson", "Markdown folder", "CASE", "xAPI NDJSON", "xAPI array"} {
		if kinds[want] == 0 {
			t.Errorf("no case reads a %s", want)
		}
	}
	var peak int64
	var peakRun string
	for _, c := range cases {
		t.Run(c.kind+"/"+c.name, func(t *testing.T) {
			s := newSandbox(t)
			in := c.build(t, s)
			before := s.snapshot(t)
			runs := c.runs
			if runs == nil {
				runs = defaultRuns
			}
			for i, args := range runs {
				args = subst(args, in, filepath.Join(s.out, "out"))
				r := runOTA(t, s.in, deadline, args...)
				if r.maxRSS > peak {
					peak, peakRun = r.maxRSS, c.name+": ota "+strings.Join(args[:1], " ")
				}
				checkRun(t, c, s, r, i == 0)
				t.Logf("ota %s → exit %d, %d MiB: %s", args[0], r.code, r.maxRSS>>20, firstLine(strings.TrimSpace(r.stdout+"\n"+r.stderr)))
				if after := s.snapshot(t); !sameFiles(before, after) {
					t.Errorf("files outside out/ changed:\nbefore %v\nafter  %v\n%s", before, after, r)
				}
				s.clean(t)
			}
		})
	}
	t.Logf("%d cases over %d kinds; highest peak RSS %d MiB (%s)", len(cases), len(kinds), peak>>20, peakRun)
}

// checkRun checks one run against the contract and the case.
func checkRun(t *testing.T, c hostileCase, s *sandbox, r run, first bool) {
	t.Helper()
	all := r.stdout + r.stderr
	switch {
	case r.timedOut:
		t.Errorf("hung: killed after %v\n%s", deadline, r)
		return
	case r.code < 0:
		t.Errorf("killed by a signal\n%s", r)
		return
	}
	for _, bad := range []string{"panic", "internal error", "goroutine "} {
		if strings.Contains(all, bad) {
			t.Errorf("the output holds %q\n%s", bad, r)
		}
	}
	if r.maxRSS >= maxRSS {
		t.Errorf("peak RSS %d MiB, over %d MiB\n%s", r.maxRSS>>20, maxRSS>>20, r)
	}
	switch {
	case r.code == 0 && !c.benign:
		t.Errorf("exit 0 on a hostile input\n%s", r)
	case r.code != 0 && r.code != 1 && r.code != 2:
		t.Errorf("exit %d is not in the contract\n%s", r.code, r)
	case r.code != 0 && strings.TrimSpace(all) == "":
		t.Errorf("exit %d without a message\n%s", r.code, r)
	}
	if r.args[0] == "validate" && c.validate != 0 && r.code != c.validate {
		t.Errorf("validate exit %d, want %d\n%s", r.code, c.validate, r)
	}
	if r.args[0] == "convert" && c.convert != 0 && r.code != c.convert {
		t.Errorf("convert exit %d, want %d\n%s", r.code, c.convert, r)
	}
	if first {
		for _, w := range c.says {
			if !strings.Contains(all, w) {
				t.Errorf("the output does not say %q\n%s", w, r)
			}
		}
	}
	for _, w := range c.not {
		if strings.Contains(all, w) {
			t.Errorf("the output says %q\n%s", w, r)
		}
	}
	if len(r.stdout)+len(r.stderr) > 4<<20 {
		t.Errorf("%d bytes of output", len(r.stdout)+len(r.stderr))
	}
	if strings.Contains(all, s.secret) {
		t.Errorf("the secret is in the output\n%s", r)
	}
	for _, p := range s.outputs(t) {
		if strings.Contains(filepath.Base(p), ".tmp-") {
			t.Errorf("a temporary file is left: %s", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if s.holdsSecret(data) {
			t.Errorf("%s holds the secret\n%s", p, r)
		}
	}
}

func sameFiles(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
