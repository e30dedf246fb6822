/*
 * OTA SCORM launch page: makes a page, PDF, video or a series of pages a
 * SCO. It finds the LMS API (SCORM 2004 API_1484_11 or SCORM 1.2 API) by
 * the standard search through parent windows and then the opener,
 * initializes, records completion when the content has been shown (or,
 * for a course of several pages, when every page has been), records a
 * score the content reports, commits, and terminates when the page is
 * left. Written for the OTA library; no dependencies.
 *
 * Query parameters: content=PATH (a package path) or course=1 (the pages
 * of course.js); v=1.2 or v=2004, the API to look for first.
 *
 * Content may report a score with
 *   parent.postMessage({type: "ota-score", scaled: 0.85}, "*")
 * (scaled in 0..1); the status then becomes passed or failed against the
 * LMS's mastery score, when it has one.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var frame = document.getElementById("content");
  var statusLine = document.getElementById("status");
  var started = Date.now();
  var api = null;
  var is2004 = false;
  var live = false; // initialized and not yet terminated
  var finished = false;

  function say(text) { statusLine.textContent = text; }

  // findAPI walks up from win through its parents (at most 500 levels)
  // looking for name. Windows of another origin throw on access; they end
  // the walk.
  function findAPI(win, name) {
    for (var i = 0; win && i < 500; i++) {
      try {
        if (win[name]) { return win[name]; }
      } catch (e) {
        return null;
      }
      if (!win.parent || win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }

  function discover() {
    var order = params.get("v") === "1.2" ? ["API", "API_1484_11"] : ["API_1484_11", "API"];
    var places = [window];
    try {
      if (window.top && window.top.opener) { places.push(window.top.opener); }
    } catch (e) { /* another origin */ }
    try {
      if (window.opener) { places.push(window.opener); }
    } catch (e) { /* another origin */ }
    for (var n = 0; n < order.length; n++) {
      for (var p = 0; p < places.length; p++) {
        var found = findAPI(places[p], order[n]);
        if (found) {
          is2004 = order[n] === "API_1484_11";
          return found;
        }
      }
    }
    return null;
  }

  function call(name2004, name12) {
    if (!api) { return ""; }
    var args = Array.prototype.slice.call(arguments, 2);
    var fn = api[is2004 ? name2004 : name12];
    if (typeof fn !== "function") { return ""; }
    try {
      return String(fn.apply(api, args));
    } catch (e) {
      return "";
    }
  }
  function get(el2004, el12) { return call("GetValue", "LMSGetValue", is2004 ? el2004 : el12); }
  function set(el2004, el12, value) {
    var el = is2004 ? el2004 : el12;
    if (!el) { return; }
    call("SetValue", "LMSSetValue", el, value);
  }
  function commit() { call("Commit", "LMSCommit", ""); }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) { s = "0" + s; }
    return s;
  }
  function sessionTime() {
    var secs = Math.max(0, (Date.now() - started) / 1000);
    var h = Math.floor(secs / 3600);
    var m = Math.floor((secs % 3600) / 60);
    var s = Math.round((secs % 60) * 100) / 100;
    if (is2004) { return "PT" + h + "H" + m + "M" + s + "S"; }
    var whole = Math.floor(s);
    var cents = Math.round((s - whole) * 100);
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(whole, 2) + "." + pad(cents, 2);
  }

  // Course state: the pages to show and which have been seen.
  var pages = [];
  var seen = [];
  var current = 0;
  var complete = false;

  function markComplete() {
    if (complete) { return; }
    complete = true;
    if (is2004) {
      set("cmi.completion_status", null, "completed");
      set("cmi.progress_measure", null, "1");
    } else if (get(null, "cmi.core.lesson_status") !== "passed" && get(null, "cmi.core.lesson_status") !== "failed") {
      set(null, "cmi.core.lesson_status", "completed");
    }
  }

  function pageShown() {
    if (!live) { return; }
    seen[current] = true;
    var count = 0;
    for (var i = 0; i < pages.length; i++) { if (seen[i]) { count++; } }
    if (pages.length > 1) {
      set("cmi.location", "cmi.core.lesson_location", String(current));
      set("cmi.suspend_data", "cmi.suspend_data", seen.map(function (s) { return s ? "1" : "0"; }).join(""));
      if (count < pages.length) {
        set("cmi.progress_measure", null, String(Math.round(count / pages.length * 1000) / 1000));
        if (!complete) {
          set("cmi.completion_status", "cmi.core.lesson_status", "incomplete");
        }
      }
      document.getElementById("progress").textContent = count + " / " + pages.length;
    }
    if (count === pages.length) { markComplete(); }
    commit();
  }

  function reportScore(scaled) {
    if (!live || typeof scaled !== "number" || !isFinite(scaled) || scaled < 0 || scaled > 1) { return; }
    var raw = String(Math.round(scaled * 10000) / 100);
    if (is2004) {
      set("cmi.score.scaled", null, String(scaled));
      set("cmi.score.raw", null, raw);
      set("cmi.score.min", null, "0");
      set("cmi.score.max", null, "100");
      var passing = parseFloat(get("cmi.scaled_passing_score", null));
      if (!isNaN(passing)) {
        set("cmi.success_status", null, scaled >= passing ? "passed" : "failed");
      }
    } else {
      set(null, "cmi.core.score.raw", raw);
      set(null, "cmi.core.score.min", "0");
      set(null, "cmi.core.score.max", "100");
      var mastery = parseFloat(get(null, "cmi.student_data.mastery_score"));
      if (!isNaN(mastery)) {
        set(null, "cmi.core.lesson_status", scaled * 100 >= mastery ? "passed" : "failed");
      }
    }
    commit();
  }

  function finish() {
    if (!live || finished) { return; }
    finished = true;
    set("cmi.session_time", "cmi.core.session_time", sessionTime());
    if (is2004) {
      set("cmi.exit", null, complete ? "normal" : "suspend");
    } else {
      set(null, "cmi.core.exit", complete ? "" : "suspend");
    }
    commit();
    call("Terminate", "LMSFinish", "");
    live = false;
  }

  // src turns a package path into a URL relative to this page, each
  // segment encoded; paths that leave the package are refused. A query or
  // fragment after the path (the parameters the content was launched
  // with) is kept as written.
  function src(path) {
    path = String(path);
    var rest = "", q = path.search(/[?#]/);
    if (q >= 0) { rest = path.slice(q); path = path.slice(0, q); }
    var segs = path.split("/");
    for (var i = 0; i < segs.length; i++) {
      if (segs[i] === "" || segs[i] === "." || segs[i] === "..") { return null; }
    }
    return "../" + segs.map(encodeURIComponent).join("/") + rest;
  }
  function hrefSrc(href) {
    // course.js holds hrefs already encoded as URLs relative to the root.
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "/" || /(^|\/)\.\.(\/|$)/.test(href)) { return null; }
    return "../" + href;
  }

  function show(i) {
    if (i < 0 || i >= pages.length) { return; }
    current = i;
    var url = pages[i].url;
    if (!url) { say("This page cannot be shown: its path is not inside the package."); return; }
    frame.src = url;
    if (pages[i].title) { frame.title = pages[i].title; }
    var toc = document.getElementById("toc");
    if (toc.options.length) { toc.selectedIndex = i; }
    document.getElementById("prev").disabled = i === 0;
    document.getElementById("next").disabled = i === pages.length - 1;
  }

  function setupCourse(course) {
    pages = (course.pages || []).map(function (p) { return { title: p.Title, url: hrefSrc(p.Href) }; });
    document.title = pages.length ? document.title : "Course";
    var toc = document.getElementById("toc");
    pages.forEach(function (p, i) {
      var o = document.createElement("option");
      o.value = String(i);
      o.textContent = (i + 1) + ". " + (p.title || "");
      toc.appendChild(o);
    });
    toc.addEventListener("change", function () { show(parseInt(toc.value, 10)); });
    document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
    document.getElementById("next").addEventListener("click", function () { show(current + 1); });
    document.getElementById("nav").hidden = pages.length < 2;
  }

  function resume() {
    var data = get("cmi.suspend_data", "cmi.suspend_data");
    if (data && data.length === pages.length && /^[01]*$/.test(data)) {
      for (var i = 0; i < data.length; i++) { seen[i] = data.charAt(i) === "1"; }
    }
    var at = parseInt(get("cmi.location", "cmi.core.lesson_location"), 10);
    return isNaN(at) || at < 0 || at >= pages.length ? 0 : at;
  }

  function start() {
    api = discover();
    if (api) {
      live = call("Initialize", "LMSInitialize", "") === "true";
      if (!live) { say("The LMS did not start the session; progress is not recorded."); }
    } else {
      say("No LMS was found; progress is not recorded.");
    }
    var status = live ? get("cmi.completion_status", "cmi.core.lesson_status") : "";
    complete = status === "completed" || status === "passed";
    frame.addEventListener("load", function () {
      if (frame.src && frame.getAttribute("src")) { pageShown(); }
    });
    window.addEventListener("message", function (ev) {
      if (ev.source !== frame.contentWindow || !ev.data || ev.data.type !== "ota-score") { return; }
      reportScore(ev.data.scaled);
    });
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
    window.addEventListener("unload", finish);
    show(pages.length > 1 && live ? resume() : 0);
  }

  if (params.get("course") === "1") {
    var script = document.createElement("script");
    script.src = "course.js";
    script.onload = function () { setupCourse(window.OTA_COURSE || {}); start(); };
    script.onerror = function () { say("The course list (course.js) is missing."); };
    document.head.appendChild(script);
  } else {
    var content = params.get("content") || "";
    pages = [{ title: "", url: src(content) }];
    start();
  }
})();
