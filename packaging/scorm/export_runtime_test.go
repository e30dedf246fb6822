package scorm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/interop"
)

// runtimeOpts are the run settings: a SCO that says nothing for 1.5
// seconds is unloaded, as when a learner leaves.
// A SCO that has not initialized 10 seconds after its launch never will
// (the reference SCOs that do, do so within half a second).
var runtimeOpts = interop.SCORMOptions{Idle: 1500 * time.Millisecond, Settle: 500 * time.Millisecond, Timeout: 10 * time.Second}

// runPackage runs the SCOs of the package in dir (all of them when scos
// is empty) in scorm-again inside headless Chromium, waiting at most
// timeout for each to initialize and terminate.
func runPackage(t *testing.T, b *interop.Browser, dir string, timeout time.Duration, scos ...string) *interop.SCORMReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	opts := runtimeOpts
	opts.Timeout, opts.SCOs = timeout, scos
	rep, err := b.RunSCORM(ctx, dir, opts)
	require.NoError(t, err)
	return rep
}

// outcome is what a SCO run amounts to, comparable across SCORM versions:
// whether it initialized and terminated, its completion and success, and
// whether any API call failed.
type outcome struct {
	Initialized, Terminated bool
	Completion, Success     string
	Failed                  int
}

func outcomeOf(r interop.SCORun) outcome {
	o := outcome{Initialized: r.Initialized, Terminated: r.Terminated, Failed: len(r.FailedCalls)}
	if r.Version == "1.2" {
		switch s := r.Final["lesson_status"]; s {
		case "passed", "failed":
			o.Completion, o.Success = "completed", s
		case "completed", "incomplete":
			o.Completion, o.Success = s, "unknown"
		case "browsed":
			o.Completion, o.Success = "incomplete", "unknown"
		default:
			o.Completion, o.Success = "unknown", "unknown"
		}
		return o
	}
	o.Completion, o.Success = r.Final["completion_status"], r.Final["success_status"]
	if o.Completion == "not attempted" || o.Completion == "" {
		o.Completion = "unknown"
	}
	if o.Success == "" {
		o.Success = "unknown"
	}
	return o
}

// TestExportRuntime launches every SCO of every export in a real SCORM
// runtime (scorm-again in Debian's headless Chromium, offline). SCOs whose
// launch page is ours must initialize, report completion (and the quiz its
// score against the mastery score) and terminate with no API error. A
// third-party SCO must do in its export what it did in the original
// package, also when it runs in the other SCORM version through the API
// adapter.
func TestExportRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("launches Chromium: not with -short")
	}
	b := interop.RequireBrowser(t)
	for _, s := range exportSources(t) {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel() // the runs mostly wait for SCOs to go idle
			var before map[string]outcome
			var live, dead []string // SCOs that initialized in the original, and those that never did
			if s.version != "" {
				dir := origDir(t, s)
				before = map[string]outcome{}
				for _, r := range runPackage(t, b, dir, runtimeOpts.Timeout).SCOs {
					before[r.Item] = outcomeOf(r)
					if r.Initialized {
						live = append(live, r.Item)
					} else {
						dead = append(dead, r.Item)
					}
				}
			}
			for _, v := range targets {
				t.Run(string(v), func(t *testing.T) {
					data, _ := export(t, s, ExportOptions{Version: v})
					dir := interop.Unzip(t, data)
					if s.version == "" {
						checkOwnSCOs(t, runPackage(t, b, dir, runtimeOpts.Timeout), v)
						return
					}
					var runs []interop.SCORun
					if len(live) > 0 {
						runs = append(runs, runPackage(t, b, dir, runtimeOpts.Timeout, live...).SCOs...)
					}
					if len(dead) > 0 {
						// These never initialized in the original (a placeholder
						// page, scripts from the internet): a short wait shows
						// they still load and still do not.
						runs = append(runs, runPackage(t, b, dir, 3*time.Second, dead...).SCOs...)
					}
					require.Len(t, runs, len(before), "the export has as many SCOs as the original")
					for _, r := range runs {
						want, ok := before[r.Item]
						if assert.True(t, ok, "SCO %s is not in the original", r.Item) {
							assert.Equal(t, want, outcomeOf(r), "SCO %s behaves differently after export to %s: calls %v", r.Item, v, r.Calls)
							assert.Equal(t, 200, r.HTTPStatus, "SCO %s launches", r.Item)
						}
					}
				})
			}
		})
	}
}

// checkOwnSCOs holds the course fixture's SCOs, all on our launch page, to
// the bar.
func checkOwnSCOs(t *testing.T, rep *interop.SCORMReport, v Version) {
	t.Helper()
	require.Len(t, rep.SCOs, 3)
	for _, r := range rep.SCOs {
		assert.Empty(t, r.Problems(), "SCO %s", r.Item)
		o := outcomeOf(r)
		assert.True(t, o.Initialized && o.Terminated, "SCO %s: %+v", r.Item, o)
		assert.Equal(t, "completed", o.Completion, "SCO %s reports completion", r.Item)
		if strings.HasSuffix(r.Item, "b04") {
			assert.Equal(t, "passed", o.Success, "the quiz posts 0.9 against a mastery score of 0.8")
			if v.Is2004() {
				assert.Equal(t, "0.9", r.Final["score.scaled"])
			} else {
				assert.Equal(t, "90", r.Final["score.raw"])
			}
		} else {
			assert.Equal(t, "unknown", o.Success)
		}
		assert.Empty(t, r.Blocked, "nothing is fetched from outside the package")
	}
}

// TestExportRuntimeSingleSCO: the single-SCO layout runs as one SCO that
// initializes, records the first page as seen (progress and location) and
// terminates when the learner leaves.
func TestExportRuntimeSingleSCO(t *testing.T) {
	if testing.Short() {
		t.Skip("launches Chromium: not with -short")
	}
	b := interop.RequireBrowser(t)
	s := exportSources(t)[0]
	for _, v := range targets {
		t.Run(string(v), func(t *testing.T) {
			data, _ := export(t, s, ExportOptions{Version: v, SingleSCO: true})
			rep := runPackage(t, b, interop.Unzip(t, data), runtimeOpts.Timeout)
			require.Len(t, rep.SCOs, 1)
			r := rep.SCOs[0]
			assert.Empty(t, r.Problems())
			assert.True(t, r.Initialized && r.Terminated)
			if v.Is2004() {
				assert.Equal(t, "incomplete", r.Final["completion_status"], "one page of three seen")
				assert.Equal(t, "0.333", r.Final["progress_measure"])
				assert.Equal(t, "suspend", r.Final["exit"])
				assert.Equal(t, "0", r.Final["location"])
			} else {
				assert.Equal(t, "incomplete", r.Final["lesson_status"])
				assert.Equal(t, "0", r.Final["lesson_location"])
			}
		})
	}
}

// origDir returns the folder of a source package, unpacking a zip.
func origDir(t *testing.T, s source) string {
	t.Helper()
	if s.name == "sco12" {
		return filepath.Join("testdata", "export", "sco12")
	}
	data, err := os.ReadFile(filepath.Join(refDir, s.name+".zip"))
	require.NoError(t, err, fmt.Sprintf("source %s", s.name))
	return interop.Unzip(t, data)
}
