package interop_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metaacademy/ota/internal/interop"
)

// What each reference package really does in the runtime, offline. Only the
// RuntimeBasicCalls sample talks to the API; the others show what the
// report says about a SCO that cannot pass.
func TestRunSCORMReferencePackages(t *testing.T) {
	b := interop.RequireBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(t *testing.T, zip string, opts interop.SCORMOptions) *interop.SCORMReport {
		t.Helper()
		start := time.Now()
		r, err := b.RunSCORM(ctx, unpackReference(t, zip), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: SCORM %s, %d SCO(s), %d asset(s) run in %v (scorm-again %s, Chromium %s)",
			zip, r.Version, len(r.SCOs), len(r.Assets), time.Since(start).Round(time.Millisecond), r.Tools["scorm-again"], r.Tools["chromium"])
		return r
	}

	t.Run("RuntimeBasicCalls: initializes, calls, terminates on unload", func(t *testing.T) {
		r := run(t, "golf_scorm2004_3rd_runtimebasiccalls.zip", interop.SCORMOptions{Timeout: 20 * time.Second, Idle: 2 * time.Second})
		if r.Version != "2004" || r.SchemaVersion != "2004 3rd Edition" {
			t.Errorf("version %q, schemaversion %q", r.Version, r.SchemaVersion)
		}
		if r.Items != 1 || r.SCOItems != 1 || len(r.SCOs) != 1 {
			t.Fatalf("items %d, SCO items %d, SCOs run %d; want 1, 1, 1", r.Items, r.SCOItems, len(r.SCOs))
		}
		s := r.SCOs[0]
		if p := s.Problems(); len(p) > 0 {
			t.Errorf("the SCO fails the bar:\n%s", strings.Join(p, "\n"))
		}
		if s.Item != "item_1" || s.Launch != "shared/launchpage.html" || s.HTTPStatus != 200 {
			t.Errorf("item %q launch %q HTTP %d", s.Item, s.Launch, s.HTTPStatus)
		}
		if !s.Initialized || !s.Terminated || len(s.FailedCalls) != 0 {
			t.Errorf("initialized %v, terminated %v, %d failed calls", s.Initialized, s.Terminated, len(s.FailedCalls))
		}
		// The sample terminates from its unload handler only: a learner
		// leaving the page is what ends its session.
		if !s.TerminatedOnUnload {
			t.Error("it terminated before the unload; the sample only terminates on unload")
		}
		methods := make([]string, len(s.Calls))
		for i, c := range s.Calls {
			methods[i] = c.Method
		}
		if methods[0] != "Initialize" || methods[len(methods)-1] != "Terminate" {
			t.Errorf("calls %v: want Initialize first and Terminate last", methods)
		}
		set := func(element, value string) bool {
			return slices.ContainsFunc(s.Calls, func(c interop.APICall) bool {
				return c.Method == "SetValue" && len(c.Args) == 2 && c.Args[0] == element && (value == "" || c.Args[1] == value) && c.Return == "true"
			})
		}
		for _, e := range [][2]string{{"cmi.completion_status", "incomplete"}, {"cmi.location", "0"}, {"cmi.exit", "suspend"}, {"cmi.session_time", ""}} {
			if !set(e[0], e[1]) {
				t.Errorf("no successful SetValue(%s, %q) in %v", e[0], e[1], s.Calls)
			}
		}
		// It reads the unset cmi.location first: 403, the right answer, not a failure.
		if !slices.ContainsFunc(s.Calls, func(c interop.APICall) bool {
			return c.Method == "GetValue" && c.Args[0] == "cmi.location" && c.ErrorCode == "403"
		}) {
			t.Error("no GetValue(cmi.location) answered 403")
		}
		if s.Final["completion_status"] != "incomplete" || s.Final["success_status"] != "unknown" || s.Final["exit"] != "suspend" {
			t.Errorf("final status %v", s.Final)
		}
		if s.CMI["cmi.learner_id"] != "ota-test-learner" || s.CMI["cmi.mode"] != "normal" {
			t.Errorf("the LMS data did not arrive: %v", s.CMI)
		}
		if len(s.Blocked) != 0 || len(s.PageErrors) != 0 || len(s.Missing) != 0 {
			t.Errorf("blocked %v, page errors %v, missing %v", s.Blocked, s.PageErrors, s.Missing)
		}
	})

	t.Run("Metadata: a placeholder SCO that never calls the API", func(t *testing.T) {
		r := run(t, "golf_scorm2004_3rd_metadata.zip", interop.SCORMOptions{Timeout: 3 * time.Second, Settle: 500 * time.Millisecond})
		if r.SCOItems != 1 || len(r.SCOs) != 1 {
			t.Fatalf("SCO items %d, SCOs run %d; want 1", r.SCOItems, len(r.SCOs))
		}
		s := r.SCOs[0]
		if s.HTTPStatus != 200 || s.Launch != "shared/launchpage.html" {
			t.Errorf("launch %q HTTP %d", s.Launch, s.HTTPStatus)
		}
		if len(s.Calls) != 0 || s.Initialized || s.Terminated {
			t.Errorf("calls %v, initialized %v, terminated %v: the page is a 'Not implemented yet' placeholder", s.Calls, s.Initialized, s.Terminated)
		}
		p := s.Problems()
		if len(p) != 1 || !strings.Contains(p[0], "not initialized") || !strings.Contains(p[0], "no API call") {
			t.Errorf("problems %q, want one saying it never initialized", p)
		}
	})

	t.Run("PostTestRollup: five SCOs that need jQuery from a CDN", func(t *testing.T) {
		// The page error comes only once the blocked script has failed: on a
		// loaded machine that took more than two seconds (CI failed on it).
		r := run(t, "golf_scorm2004_4th_posttestrollup.zip", interop.SCORMOptions{Timeout: 6 * time.Second, Settle: time.Second})
		if r.SchemaVersion != "2004 4th Edition" || r.SCOItems != 5 || r.AssetItems != 0 || len(r.SCOs) != 5 {
			t.Fatalf("schemaversion %q, SCO items %d, asset items %d, SCOs run %d; want 5 SCOs", r.SchemaVersion, r.SCOItems, r.AssetItems, len(r.SCOs))
		}
		want := []string{"playing", "etiquette", "handicapping", "havingfun", "assessment"}
		for i, s := range r.SCOs {
			// the resource href carries the query string
			if s.Launch != "shared/launchpage.html?content="+want[i] || s.HTTPStatus != 200 {
				t.Errorf("SCO %d: launch %q HTTP %d", i, s.Launch, s.HTTPStatus)
			}
			if s.Initialized || len(s.Calls) != 0 {
				t.Errorf("%s: initialized %v with %d calls; offline it cannot start", s.Item, s.Initialized, len(s.Calls))
			}
			if !slices.ContainsFunc(s.Blocked, func(u string) bool {
				return strings.Contains(u, "ajax.googleapis.com") && strings.Contains(u, "jquery")
			}) {
				t.Errorf("%s: jQuery's CDN request was not blocked: %v", s.Item, s.Blocked)
			}
			if !slices.ContainsFunc(s.PageErrors, func(e string) bool { return strings.Contains(e, "$ is not defined") }) {
				t.Errorf("%s: page errors %v, want '$ is not defined'", s.Item, s.PageErrors)
			}
			if p := s.Problems(); len(p) != 1 || !strings.Contains(p[0], "blocked requests") {
				t.Errorf("%s: problems %q, want one naming the blocked requests", s.Item, p)
			}
		}
	})

	t.Run("OneFilePerSCO: SCORM 1.2, assets only", func(t *testing.T) {
		// No SCO to run; one asset item with parameters, loaded: they join
		// the launch URL.
		r := run(t, "golf_scorm12_multisco_onefilepersco.zip", interop.SCORMOptions{Assets: true, SCOs: []string{"playing_quiz_item"}, Timeout: 5 * time.Second})
		if r.Version != "1.2" || r.Items != 22 || r.SCOItems != 0 || r.AssetItems != 18 || len(r.SCOs) != 0 {
			t.Fatalf("version %q, items %d, SCO items %d, asset items %d, SCOs run %d; want 1.2, 22, 0, 18, 0",
				r.Version, r.Items, r.SCOItems, r.AssetItems, len(r.SCOs))
		}
		if len(r.Assets) != 1 {
			t.Fatalf("%d assets loaded, want 1", len(r.Assets))
		}
		a := r.Assets[0]
		if a.Kind != "asset" || a.Launch != "shared/assessmenttemplate.html?questions=Playing" || a.HTTPStatus != 200 || len(a.Calls) != 0 {
			t.Errorf("asset %+v", a)
		}
		if p := a.Problems(); len(p) != 0 {
			t.Errorf("problems %q", p)
		}
	})
}

// Packages written here show that the runtime is wired as an LMS would be,
// and that a failing SCO is reported: LMS data from the manifest, xml:base and
// item parameters, a SCO terminating itself or on unload, failed calls, a
// missing launch file, a request leaving the machine.
func TestRunSCORMOwnPackages(t *testing.T) {
	b := interop.RequireBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	opts := interop.SCORMOptions{Timeout: 8 * time.Second, Idle: time.Second, Settle: 500 * time.Millisecond}

	t.Run("SCORM 1.2", func(t *testing.T) {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="m" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="good" identifierref="r_good" parameters="?a=1&amp;b=2"><title>Good</title>
      <adlcp:masteryscore>80</adlcp:masteryscore>
      <adlcp:datafromlms>hello &amp; welcome</adlcp:datafromlms>
      <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
      <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>
    </item>
    <item identifier="bad" identifierref="r_bad"><title>Bad</title></item>
    <item identifier="gone" identifierref="r_gone"><title>Gone</title></item>
  </organization></organizations>
  <resources xml:base="content/">
    <resource identifier="r_good" type="webcontent" adlcp:scormtype="sco" href="good.html?x=y#top"/>
    <resource identifier="r_bad" type="webcontent" adlcp:scormtype="sco" href="bad.html"/>
    <resource identifier="r_gone" type="webcontent" adlcp:scormtype="sco" href="gone.html"/>
  </resources>
</manifest>`,
			"content/good.html": `<!doctype html><title>good</title><script>
var api = window.parent.API;
api.LMSInitialize("");
var seen = {};
["cmi.launch_data", "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed",
 "cmi.student_data.time_limit_action", "cmi.core.student_id", "cmi.core.student_name"].forEach(function (k) { seen[k] = api.LMSGetValue(k); });
seen.href = location.href;
api.LMSSetValue("cmi.suspend_data", JSON.stringify(seen));
api.LMSSetValue("cmi.core.score.raw", "85");
api.LMSSetValue("cmi.core.lesson_status", "passed");
api.LMSCommit("");
api.LMSFinish("");
</script>`,
			"content/bad.html": `<!doctype html><title>bad</title><script>
var api = window.parent.API;
api.LMSInitialize("");
api.LMSSetValue("cmi.core.lesson_status", "done");
api.LMSSetValue("cmi.core.student_id", "someone else");
fetch("https://example.org/tracker").catch(function () {});
</script>`,
		})
		r, err := b.RunSCORM(ctx, dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Version != "1.2" || len(r.SCOs) != 3 {
			t.Fatalf("version %q, %d SCOs", r.Version, len(r.SCOs))
		}
		good, bad, gone := r.SCOs[0], r.SCOs[1], r.SCOs[2]

		if p := good.Problems(); len(p) > 0 {
			t.Errorf("good: %q", p)
		}
		if good.Launch != "content/good.html?x=y&a=1&b=2#top" || good.TerminatedOnUnload {
			t.Errorf("good: launch %q, terminated on unload %v", good.Launch, good.TerminatedOnUnload)
		}
		var seen map[string]string
		if err := json.Unmarshal([]byte(good.CMI["cmi.suspend_data"]), &seen); err != nil {
			t.Fatalf("good: suspend_data %q: %v", good.CMI["cmi.suspend_data"], err)
		}
		for k, v := range map[string]string{
			"cmi.launch_data": "hello & welcome", "cmi.student_data.mastery_score": "80",
			"cmi.student_data.max_time_allowed": "00:30:00", "cmi.student_data.time_limit_action": "exit,message",
			"cmi.core.student_id": "ota-test-learner", "cmi.core.student_name": "Learner, Test",
		} {
			if seen[k] != v {
				t.Errorf("good: the SCO read %s = %q, want %q", k, seen[k], v)
			}
		}
		if !strings.HasSuffix(seen["href"], "/pkg/content/good.html?x=y&a=1&b=2#top") {
			t.Errorf("good: launched as %s", seen["href"])
		}
		if good.Final["lesson_status"] != "passed" || good.Final["score.raw"] != "85" {
			t.Errorf("good: final %v", good.Final)
		}

		p := strings.Join(bad.Problems(), "\n")
		for _, want := range []string{"not terminated: LMSFinish", `LMSSetValue("cmi.core.lesson_status", "done") = "false" [error 405`, "[error 403"} {
			if !strings.Contains(p, want) {
				t.Errorf("bad: problems do not say %q:\n%s", want, p)
			}
		}
		if len(bad.FailedCalls) != 2 || !slices.Contains(bad.Blocked, "https://example.org/tracker") {
			t.Errorf("bad: failed calls %v, blocked %v", bad.FailedCalls, bad.Blocked)
		}

		if gone.HTTPStatus != 404 || len(gone.Calls) != 0 {
			t.Errorf("gone: HTTP %d, %d calls", gone.HTTPStatus, len(gone.Calls))
		}
		if p := gone.Problems(); len(p) != 2 || !strings.Contains(p[0], "HTTP 404") {
			t.Errorf("gone: problems %q", p)
		}
	})

	t.Run("SCORM 2004", func(t *testing.T) {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"imsmanifest.xml": `<?xml version="1.0"?>
<manifest identifier="m" version="1" xml:base="./" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>
    <item identifier="self" identifierref="r_self" parameters="#part2"><title>Terminates itself</title>
      <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.6"/>
      <adlcp:timeLimitAction>exit,no message</adlcp:timeLimitAction>
      <adlcp:dataFromLMS>data for 2004</adlcp:dataFromLMS>
      <imsss:sequencing IDRef="shared"><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/></imsss:sequencing>
    </item>
    <item identifier="leaves" identifierref="r_leaves" parameters="&amp;p=q"><title>Terminates on unload</title>
      <adlcp:completionThreshold>0.5</adlcp:completionThreshold>
    </item>
  </organization></organizations>
  <resources xml:base="res/">
    <resource identifier="r_self" type="webcontent" adlcp:scormType="sco" xml:base="a/" href="self.html"/>
    <resource identifier="r_leaves" type="webcontent" adlcp:scormType="sco" href="leaves.html?lang=en"/>
    <resource identifier="r_asset" type="webcontent" adlcp:scormType="asset" href="asset.html"/>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="shared"><imsss:objectives>
      <imsss:primaryObjective satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective>
    </imsss:objectives></imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>`,
			"res/a/self.html": `<!doctype html><title>self</title><script>
var api = window.parent.API_1484_11;
api.Initialize("");
var seen = {};
["cmi.launch_data", "cmi.completion_threshold", "cmi.scaled_passing_score", "cmi.max_time_allowed",
 "cmi.time_limit_action", "cmi.learner_id"].forEach(function (k) { seen[k] = api.GetValue(k); });
seen.href = location.href;
api.GetValue("cmi.location");
api.SetValue("cmi.suspend_data", JSON.stringify(seen));
api.SetValue("cmi.score.scaled", "0.8");
api.SetValue("cmi.success_status", "passed");
api.SetValue("cmi.completion_status", "completed");
api.Terminate("");
api.GetValue("cmi.location");
</script>`,
			"res/leaves.html": `<!doctype html><title>leaves</title><script>
var api = window.parent.API_1484_11;
api.Initialize("");
api.SetValue("cmi.progress_measure", "0.6");
window.addEventListener("pagehide", function () { api.SetValue("cmi.exit", "suspend"); api.Terminate(""); });
</script>`,
		})
		r, err := b.RunSCORM(ctx, dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Version != "2004" || len(r.SCOs) != 2 || r.AssetItems != 0 {
			t.Fatalf("version %q, %d SCOs, %d asset items (the asset resource has no item)", r.Version, len(r.SCOs), r.AssetItems)
		}
		self, leaves := r.SCOs[0], r.SCOs[1]

		if self.Launch != "res/a/self.html#part2" {
			t.Errorf("self: launch %q", self.Launch)
		}
		// The SCO read cmi.location after Terminate: a real fault.
		if len(self.FailedCalls) != 1 || self.FailedCalls[0].ErrorCode != "123" {
			t.Errorf("self: failed calls %v, want GetValue after Terminate (123)", self.FailedCalls)
		}
		if !self.Terminated || self.TerminatedOnUnload {
			t.Errorf("self: terminated %v, on unload %v", self.Terminated, self.TerminatedOnUnload)
		}
		var seen map[string]string
		if err := json.Unmarshal([]byte(self.CMI["cmi.suspend_data"]), &seen); err != nil {
			t.Fatalf("self: suspend_data %q: %v", self.CMI["cmi.suspend_data"], err)
		}
		for k, v := range map[string]string{
			"cmi.launch_data": "data for 2004", "cmi.completion_threshold": "0.6", "cmi.scaled_passing_score": "0.7",
			"cmi.max_time_allowed": "PT1H", "cmi.time_limit_action": "exit,no message", "cmi.learner_id": "ota-test-learner",
		} {
			if seen[k] != v {
				t.Errorf("self: the SCO read %s = %q, want %q", k, seen[k], v)
			}
		}
		if self.Final["completion_status"] != "completed" || self.Final["success_status"] != "passed" || self.Final["score.scaled"] != "0.8" {
			t.Errorf("self: final %v", self.Final)
		}

		if leaves.Launch != "res/leaves.html?lang=en&p=q" {
			t.Errorf("leaves: launch %q", leaves.Launch)
		}
		if p := leaves.Problems(); len(p) > 0 || !leaves.TerminatedOnUnload {
			t.Errorf("leaves: problems %q, terminated on unload %v", p, leaves.TerminatedOnUnload)
		}
		if leaves.LMSData["cmi.completion_threshold"] != "0.5" || leaves.Final["exit"] != "suspend" {
			t.Errorf("leaves: LMS data %v, final %v", leaves.LMSData, leaves.Final)
		}
	})

	t.Run("setup errors", func(t *testing.T) {
		if _, err := b.RunSCORM(ctx, t.TempDir(), opts); err == nil || !strings.Contains(err.Error(), "imsmanifest.xml") {
			t.Errorf("a folder without a manifest: %v", err)
		}
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{"imsmanifest.xml": `<manifest><organizations>`})
		if _, err := b.RunSCORM(ctx, dir, opts); err == nil || !strings.Contains(err.Error(), "well-formed") {
			t.Errorf("a manifest that is not well-formed: %v", err)
		}
	})
}
