package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chromiumEnv names the environment variable that overrides the browser
// binary (default /usr/bin/chromium, Debian's Chromium).
const chromiumEnv = "OTA_CHROMIUM"

// defaultChromium is Debian's Chromium, which .ci/run installs.
const defaultChromium = "/usr/bin/chromium"

// browserPackages are the npm packages the browser scripts need, installed
// in this folder's node_modules by `npm ci`.
var browserPackages = []string{"playwright-core", "scorm-again"}

// Browser runs this folder's Node scripts in headless Chromium. Get one from
// [RequireBrowser]; it is safe for concurrent use, each call starting its own
// browser (mind that the machines have 2 cores).
type Browser struct {
	node     string // the node binary
	chromium string // the browser binary
	dir      string // internal/interop: the scripts and node_modules
}

// RequireBrowser returns a [Browser], after checking that everything it needs
// is there: node on PATH, Chromium at /usr/bin/chromium (or $OTA_CHROMIUM),
// and playwright-core and scorm-again in internal/interop/node_modules at the
// versions package.json pins. When something is missing, the test is skipped
// with a message saying how to install it; under CI (the CI environment
// variable set), where .ci/run installs all of it, the test fails instead.
// Under -short the test is skipped: a browser run takes seconds.
func RequireBrowser(t testing.TB) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped under -short: the browser tests start headless Chromium")
	}
	b, msg := findBrowser()
	if msg != "" {
		unavailable(t, msg)
	}
	return b
}

// findBrowser returns the Browser, or a message saying what is missing.
func findBrowser() (*Browser, string) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "node is not on PATH: the browser tests need Node.js (apt-get install nodejs npm; see internal/interop/README.md)"
	}
	chromium := os.Getenv(chromiumEnv)
	if chromium == "" {
		chromium = defaultChromium
	}
	if st, err := os.Stat(chromium); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, fmt.Sprintf("no Chromium at %s: apt-get install chromium (or set %s to a Chromium binary)", chromium, chromiumEnv)
	}
	dir, err := interopDir()
	if err != nil {
		return nil, err.Error()
	}
	var pins struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err == nil {
		err = json.Unmarshal(data, &pins)
	}
	if err != nil {
		return nil, fmt.Sprintf("cannot read internal/interop/package.json: %v", err)
	}
	for _, pkg := range browserPackages {
		var installed struct {
			Version string `json:"version"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "node_modules", pkg, "package.json"))
		if err != nil {
			return nil, fmt.Sprintf("internal/interop/node_modules/%s is absent: run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts` in internal/interop (see its README)", pkg)
		}
		if err := json.Unmarshal(data, &installed); err != nil {
			return nil, fmt.Sprintf("internal/interop/node_modules/%s/package.json: %v", pkg, err)
		}
		if want := pins.Dependencies[pkg]; installed.Version != want {
			return nil, fmt.Sprintf("internal/interop/node_modules/%s is %s, package.json pins %q: run `npm ci --ignore-scripts` in internal/interop", pkg, installed.Version, want)
		}
	}
	return &Browser{node: node, chromium: chromium, dir: dir}, ""
}

// run runs a script of this folder with args and returns its standard
// output. Exit status 2 (a usage or setup error) and any other failure come
// back as an error carrying the script's standard error. When ctx ends, the
// script gets SIGTERM (it then closes its browser), and is killed 10 s later.
func (b *Browser) run(ctx context.Context, script string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, b.node, append([]string{filepath.Join(b.dir, script)}, args...)...)
	cmd.Dir = b.dir
	cmd.Env = append(os.Environ(), "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w (%w) %s", script, ctx.Err(), err, msg)
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 2 {
			return nil, fmt.Errorf("%s: setup error: %s", script, msg)
		}
		return nil, fmt.Errorf("%s: %v: %s", script, err, msg)
	}
	return stdout.Bytes(), nil
}

// secs formats d as a number of seconds for the scripts' options.
func secs(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// SCORMOptions tunes [Browser.RunSCORM]. Zero values take the script's
// defaults.
type SCORMOptions struct {
	// Version is "1.2" or "2004"; "" reads it from the manifest.
	Version string
	// Timeout is the longest wait per SCO for Initialize and Terminate
	// (default 20 s). A SCO that never initializes costs this much.
	Timeout time.Duration
	// Idle is the API silence after Initialize after which the SCO is
	// unloaded, as an LMS does when the learner leaves (default 3 s).
	Idle time.Duration
	// Settle is the wait after the unload for the SCO's last calls (default 1 s).
	Settle time.Duration
	// SCOs, when not empty, runs only the items with these identifiers. An
	// identifier that names no SCO (or asset, with Assets) is a setup error.
	SCOs []string
	// Assets also loads the items whose resource is an asset (into
	// SCORMReport.Assets).
	Assets bool
	// LearnerID and LearnerName are the learner the LMS reports
	// (defaults "ota-test-learner" and "Learner, Test").
	LearnerID, LearnerName string
}

// SCORMReport is what [Browser.RunSCORM] found: the package's SCORM version
// and one run per SCO item (in manifest order, every organization).
type SCORMReport struct {
	Package       string            `json:"package"`       // the folder run
	SchemaVersion string            `json:"schemaversion"` // the manifest's <schemaversion>
	Version       string            `json:"version"`       // "1.2" or "2004", as run
	Tools         map[string]string `json:"tools"`         // scorm-again, playwright-core and chromium versions
	// Organizations lists the organizations holding items; DefaultOrganization
	// is organizations@default.
	Organizations       []string `json:"organizations"`
	DefaultOrganization string   `json:"defaultOrganization"`
	// Items counts every item of every organization; SCOItems and AssetItems
	// those that launch a SCO or an asset resource (with an href).
	Items      int `json:"items"`
	SCOItems   int `json:"scoItems"`
	AssetItems int `json:"assetItems"`
	// SCOs holds one run per SCO item run; Assets one per asset item loaded
	// (with SCORMOptions.Assets).
	SCOs   []SCORun `json:"scos"`
	Assets []SCORun `json:"assets"`
	// Blocked lists every request a page made to anywhere but the package
	// server; it was aborted. BrowserBlocked lists refused requests that
	// came from Chromium itself (its background traffic) or whose sender is
	// unknown (HTTPS tunnels).
	Blocked        []string `json:"blocked"`
	BrowserBlocked []string `json:"browserBlocked"`
	// Notes are remarks on the manifest (an identifierref naming no
	// resource, a resource without href).
	Notes     []string `json:"notes"`
	ElapsedMS int64    `json:"elapsedMs"` // the whole run, browser start included
}

// SCORun is one SCO (or asset) launched by [Browser.RunSCORM].
type SCORun struct {
	Item         string `json:"item"`         // the item's identifier
	Title        string `json:"title"`        // its title
	Organization string `json:"organization"` // its organization's identifier
	Resource     string `json:"resource"`     // its identifierref
	Kind         string `json:"kind"`         // "sco" or "asset"
	Version      string `json:"version"`      // the runtime: "1.2" or "2004"
	// Launch is the launch path inside the package (xml:base chain + href +
	// item parameters), or an absolute URL, which cannot be run offline.
	Launch string `json:"launch"`
	URL    string `json:"url"` // the URL the SCO's iframe loaded
	// HTTPStatus is the status of the launch file; 0 when it never loaded
	// (blocked, unreachable).
	HTTPStatus int `json:"httpStatus"`
	// Initialized and Terminated: Initialize / LMSInitialize and Terminate /
	// LMSFinish answered "true". TerminatedOnUnload: the Terminate came only
	// once the LMS unloaded the SCO (the learner left, or the SCO was idle).
	Initialized        bool `json:"initialized"`
	Terminated         bool `json:"terminated"`
	TerminatedOnUnload bool `json:"terminatedOnUnload"`
	Unloaded           bool `json:"unloaded"` // the LMS unloaded the SCO at the end (it always tries)
	// Calls is every API call in order; FailedCalls those that failed (see
	// [SCORun.Problems] for what counts).
	Calls       []APICall `json:"calls"`
	FailedCalls []APICall `json:"failedCalls"`
	// Final is the final status: for 1.2 lesson_status, for 2004
	// completion_status and success_status, and score.raw, score.scaled,
	// score.min, score.max, progress_measure, exit, session_time, location
	// or lesson_location, adl.nav.request, when set.
	Final map[string]string `json:"finalStatus"`
	// CMI is the runtime's whole CMI data at the end, flattened
	// ("cmi.core.lesson_status": "passed"); empty values are left out.
	CMI map[string]string `json:"cmi"`
	// LMSData is what the LMS set before the launch: learner, credit, mode,
	// entry, and the manifest's data for the item (mastery score, launch
	// data, time limits, completion threshold, scaled passing score).
	// LMSDataErrors lists those the runtime refused.
	LMSData       map[string]string `json:"lmsData"`
	LMSDataErrors []string          `json:"lmsDataErrors"`
	Blocked       []string          `json:"blocked"`    // requests to anywhere but the package, aborted
	Missing       []string          `json:"missing"`    // package requests that failed, as "404 path"
	PageErrors    []string          `json:"pageErrors"` // uncaught exceptions in the LMS page and the SCO
	Console       []string          `json:"console"`    // console messages, as "type: text"
	Dialogs       []string          `json:"dialogs"`    // alert/confirm/prompt, dismissed
	Popups        []string          `json:"popups"`     // windows the SCO opened
	Notes         []string          `json:"notes"`      // remarks: launch failures, window.close() calls, ...
	ElapsedMS     int64             `json:"elapsedMs"`
}

// APICall is one call of the SCORM API by the SCO, as the LMS page logged it.
type APICall struct {
	AtMS         int64    `json:"t"`      // milliseconds since the LMS page started
	Method       string   `json:"method"` // LMSInitialize … LMSGetDiagnostic, Initialize … GetDiagnostic
	Args         []string `json:"args"`
	Return       string   `json:"ret"`
	ErrorCode    string   `json:"errorCode"` // GetLastError right after the call ("" for the error functions)
	ErrorString  string   `json:"errorString"`
	Diagnostic   string   `json:"diagnostic"`
	Threw        string   `json:"threw"`        // an exception the runtime threw
	DuringUnload bool     `json:"duringUnload"` // made after the LMS started unloading the SCO
}

// String returns the call as `Method(args) = "ret"`, with the error code and
// string when the code is not 0.
func (c APICall) String() string {
	quoted := make([]string, len(c.Args))
	for i, a := range c.Args {
		quoted[i] = strconv.Quote(a)
	}
	s := fmt.Sprintf("%s(%s) = %q", c.Method, strings.Join(quoted, ", "), c.Return)
	if c.ErrorCode != "" && c.ErrorCode != "0" {
		s += fmt.Sprintf(" [error %s %s]", c.ErrorCode, c.ErrorString)
	}
	if c.Threw != "" {
		s += " [threw " + c.Threw + "]"
	}
	return s
}

// Problems lists why the run fails the bar a SCO must meet, or nothing when
// it passes: it launched (HTTP status below 400), Initialize succeeded,
// Terminate succeeded (on unload counts), no API call failed, and the
// runtime accepted the LMS data the manifest gives the item. A failed call
// is a "false" answer from Initialize, SetValue, Commit or Terminate, a
// non-zero error code, or an exception; SCORM 2004 GetValue's 403 ("data
// model element value not initialized") does not count, as it is the right
// answer to reading an unset element. For an asset only the launch counts.
func (r SCORun) Problems() []string {
	var p []string
	switch {
	case r.HTTPStatus == 0:
		msg := fmt.Sprintf("not launched: %s never loaded", r.Launch)
		if len(r.Notes) > 0 {
			msg += " (" + strings.Join(r.Notes, "; ") + ")"
		}
		p = append(p, msg)
	case r.HTTPStatus >= 400:
		p = append(p, fmt.Sprintf("not launched: %s answered HTTP %d", r.Launch, r.HTTPStatus))
	}
	if r.Kind == "asset" {
		return p
	}
	init, term := "Initialize", "Terminate"
	if r.Version == "1.2" {
		init, term = "LMSInitialize", "LMSFinish"
	}
	if !r.Initialized {
		var why []string
		if len(r.Calls) == 0 {
			why = append(why, "the SCO made no API call")
		}
		if len(r.PageErrors) > 0 {
			why = append(why, "page errors: "+strings.Join(first(r.PageErrors, 3), " / "))
		}
		if len(r.Blocked) > 0 {
			why = append(why, "blocked requests (offline): "+strings.Join(first(r.Blocked, 3), ", "))
		}
		msg := "not initialized: " + init + " never succeeded"
		if len(why) > 0 {
			msg += " (" + strings.Join(why, "; ") + ")"
		}
		p = append(p, msg)
	} else if !r.Terminated {
		p = append(p, "not terminated: "+term+" never succeeded, not even when the SCO was unloaded")
	}
	for _, c := range r.FailedCalls {
		p = append(p, "failed API call: "+c.String())
	}
	for _, e := range r.LMSDataErrors {
		p = append(p, "LMS data from the manifest refused by the runtime: "+e)
	}
	return p
}

// first returns at most n elements of s.
func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// RunSCORM launches the SCOs of the unpacked SCORM package in dir
// (imsmanifest.xml at its root) with scorm-run.mjs: each SCO item of every
// organization, one after the other, each in a fresh LMS page holding
// scorm-again's Scorm12API (window.API) or Scorm2004API (window.API_1484_11),
// preloaded with the item's LMS data, with the SCO in an iframe. Only the
// package's own server is reachable; everything else is aborted and listed.
// It waits for Terminate; after opts.Idle of API silence following
// Initialize, or opts.Timeout, it unloads the SCO as an LMS does. It judges
// nothing (see [SCORun.Problems]); an error means the run could not happen:
// no manifest, a manifest that is not well-formed, no SCORM version, a
// browser that did not start, ctx ended.
func (b *Browser) RunSCORM(ctx context.Context, dir string, opts SCORMOptions) (*SCORMReport, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	args := []string{"--json", "--chromium", b.chromium}
	if opts.Version != "" {
		args = append(args, "--version", opts.Version)
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--timeout", opts.Timeout}, {"--idle", opts.Idle}, {"--settle", opts.Settle}} {
		if d.v > 0 {
			args = append(args, d.flag, secs(d.v))
		}
	}
	for _, id := range opts.SCOs {
		args = append(args, "--sco", id)
	}
	if opts.Assets {
		args = append(args, "--assets")
	}
	if opts.LearnerID != "" {
		args = append(args, "--learner-id", opts.LearnerID)
	}
	if opts.LearnerName != "" {
		args = append(args, "--learner-name", opts.LearnerName)
	}
	out, err := b.run(ctx, "scorm-run.mjs", append(args, "--", abs)...)
	if err != nil {
		return nil, err
	}
	var r SCORMReport
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("scorm-run.mjs: cannot read its report: %w", err)
	}
	return &r, nil
}

// PageOptions tunes [Browser.Open]. Zero values take the script's defaults.
type PageOptions struct {
	// Allow lists further loopback origins the page may reach, such as
	// "http://127.0.0.1:8080"; the page's own origin always may.
	Allow []string
	// WaitFor is a JavaScript expression, polled in the page until it is
	// truthy (or Timeout passes). Its final value is PageReport.Value.
	WaitFor string
	// Timeout bounds the page load and the wait (default 20 s).
	Timeout time.Duration
	// Unload then navigates the page to about:blank, firing its unload
	// handlers, and waits Settle (default 1 s) for late requests.
	Unload bool
	Settle time.Duration
}

// PageReport is what [Browser.Open] found.
type PageReport struct {
	// OK: the page loaded (HTTP status below 400) and WaitFor, if any,
	// became truthy.
	OK        bool     `json:"ok"`
	URL       string   `json:"url"`
	Allowed   []string `json:"allowed"`   // the origins the page could reach
	Status    int      `json:"status"`    // the page's HTTP status
	WaitedFor string   `json:"waitedFor"` // PageOptions.WaitFor
	Satisfied bool     `json:"satisfied"` // WaitFor became truthy
	// Value is WaitFor's truthy value as JSON (a DOM node or function comes
	// back as {} or null).
	Value      json.RawMessage `json:"value"`
	WaitedMS   int64           `json:"waitedMs"`
	WaitError  string          `json:"waitError"` // the exception WaitFor last threw, if it did
	Error      string          `json:"error"`     // why the page did not load
	Unloaded   bool            `json:"unloaded"`
	Console    []string        `json:"console"`    // console messages, as "type: text"
	PageErrors []string        `json:"pageErrors"` // uncaught exceptions
	Dialogs    []string        `json:"dialogs"`    // alert/confirm/prompt, dismissed
	// Requests lists every request that went out (to allowed origins),
	// those sent while the page unloaded included.
	Requests []Request `json:"requests"`
	// Blocked lists the page's requests to origins not allowed; they were
	// aborted. BrowserBlocked lists refused requests that came from Chromium
	// itself or whose sender is unknown (HTTPS tunnels).
	Blocked        []string          `json:"blocked"`
	BrowserBlocked []string          `json:"browserBlocked"`
	Tools          map[string]string `json:"tools"`
	ElapsedMS      int64             `json:"elapsedMs"`
}

// Request is one request the page sent, with the status it got (0 when it
// got none; Error then says why).
type Request struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	Error  string `json:"error"`
}

// Open opens url (on a loopback address) in headless Chromium with
// browse.mjs, waits for opts.WaitFor, optionally unloads the page, and
// reports what the page did. Only the page's origin and opts.Allow (loopback
// origins) are reachable; everything else is aborted and listed. It judges
// nothing (see PageReport.OK); an error means the run could not happen: a
// URL or origin that is not loopback, a browser that did not start, ctx
// ended.
func (b *Browser) Open(ctx context.Context, url string, opts PageOptions) (*PageReport, error) {
	args := []string{"--chromium", b.chromium}
	for _, o := range opts.Allow {
		args = append(args, "--allow", o)
	}
	if opts.WaitFor != "" {
		args = append(args, "--wait-for", opts.WaitFor)
	}
	if opts.Timeout > 0 {
		args = append(args, "--timeout", secs(opts.Timeout))
	}
	if opts.Unload {
		args = append(args, "--unload")
	}
	if opts.Settle > 0 {
		args = append(args, "--settle", secs(opts.Settle))
	}
	out, err := b.run(ctx, "browse.mjs", append(args, "--", url)...)
	if err != nil {
		return nil, err
	}
	var r PageReport
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("browse.mjs: cannot read its report: %w", err)
	}
	return &r, nil
}
