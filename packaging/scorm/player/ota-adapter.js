/*
 * OTA SCORM API adapter: runs a SCO written for one SCORM version in a
 * package of the other. The page finds the LMS's API (v=1.2: "API",
 * v=2004: "API_1484_11"), offers the SCO the API it was written for
 * (the other one) on its own window, translating each call and data model
 * element, and shows the SCO (sco=URL, relative to the package root) in a
 * frame below it, so that the SCO's standard API search finds the
 * adapter first. Elements with no counterpart are kept for the session
 * only. Written for the OTA library; no dependencies.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var lmsIs2004 = params.get("v") !== "1.2";
  var frame = document.getElementById("sco");

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
  function discover(name) {
    var api = findAPI(window.parent !== window ? window.parent : null, name);
    try {
      if (!api && window.top.opener) { api = findAPI(window.top.opener, name); }
    } catch (e) { /* another origin */ }
    try {
      if (!api && window.opener) { api = findAPI(window.opener, name); }
    } catch (e) { /* another origin */ }
    return api;
  }

  var lms = discover(lmsIs2004 ? "API_1484_11" : "API");

  function lmsCall(fn2004, fn12) {
    if (!lms) { return "false"; }
    var args = Array.prototype.slice.call(arguments, 2);
    try {
      return String(lms[lmsIs2004 ? fn2004 : fn12].apply(lms, args));
    } catch (e) {
      return "false";
    }
  }
  function lmsGet(el) { return lmsCall("GetValue", "LMSGetValue", el); }
  function lmsSet(el, v) { return lmsCall("SetValue", "LMSSetValue", el, String(v)); }
  function lmsError() { return lmsCall("GetLastError", "LMSGetLastError"); }

  // Times: SCORM 1.2 CMITimespan "HHHH:MM:SS.SS" and ISO 8601 durations.
  function pad(n, w) { var s = String(n); while (s.length < w) { s = "0" + s; } return s; }
  function isoToTimespan(iso) {
    var m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso || "");
    if (!m) { return "0000:00:00.00"; }
    var secs = (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0));
    var h = Math.floor(secs / 3600), mi = Math.floor((secs % 3600) / 60), s = secs % 60;
    var whole = Math.floor(s), cents = Math.min(99, Math.round((s - whole) * 100));
    return pad(h, 4) + ":" + pad(mi, 2) + ":" + pad(whole, 2) + "." + pad(cents, 2);
  }
  function timespanToIso(ts) {
    var m = /^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$/.exec(ts || "");
    if (!m) { return "PT0S"; }
    return "PT" + (+m[1]) + "H" + (+m[2]) + "M" + (+m[3] + (m[4] ? +m[4] : 0)) + "S";
  }

  // Error codes: translate the LMS's last error into the SCO's numbering.
  var err12to2004 = { "0": "0", "101": "101", "201": "201", "202": "201", "203": "201", "301": "301", "401": "401", "402": "401", "403": "404", "404": "405", "405": "406" };
  var err2004to12 = { "0": "0", "101": "101", "102": "101", "103": "101", "104": "101", "111": "101", "112": "101", "113": "101", "122": "301", "123": "301", "132": "301", "133": "301", "142": "301", "143": "301", "201": "201", "301": "301", "351": "101", "391": "101", "401": "401", "402": "401", "403": "301", "404": "403", "405": "404", "406": "405", "407": "405", "408": "301" };
  var lastError = "0";
  var local = {}; // elements with no counterpart, kept for the session

  function ok(result) { lastError = result === "false" ? (lmsIs2004 ? err2004to12 : err12to2004)[lmsError()] || "101" : "0"; return result; }

  // ---- a SCORM 2004 SCO on a SCORM 1.2 LMS ----
  var to12 = {
    "cmi.location": "cmi.core.lesson_location",
    "cmi.suspend_data": "cmi.suspend_data",
    "cmi.launch_data": "cmi.launch_data",
    "cmi.learner_id": "cmi.core.student_id",
    "cmi.learner_name": "cmi.core.student_name",
    "cmi.credit": "cmi.core.credit",
    "cmi.entry": "cmi.core.entry",
    "cmi.mode": "cmi.core.lesson_mode",
    "cmi.score.raw": "cmi.core.score.raw",
    "cmi.score.min": "cmi.core.score.min",
    "cmi.score.max": "cmi.core.score.max",
    "cmi.time_limit_action": "cmi.student_data.time_limit_action",
    "cmi.interactions._count": "cmi.interactions._count",
    "cmi.objectives._count": "cmi.objectives._count"
  };
  function get2004(el) {
    if (to12[el]) { return ok(lmsGet(to12[el])); }
    var status;
    switch (el) {
      case "cmi._version": lastError = "0"; return "1.0";
      case "cmi.completion_status":
        status = lmsGet("cmi.core.lesson_status"); lastError = "0";
        if (status === "completed" || status === "passed" || status === "failed") { return "completed"; }
        if (status === "incomplete" || status === "browsed") { return "incomplete"; }
        // A SCORM 2004 LMS starts an attempt at "unknown", which is what
        // SCOs test for; 1.2's "not attempted" means the same.
        return local[el] || "unknown";
      case "cmi.success_status":
        status = lmsGet("cmi.core.lesson_status"); lastError = "0";
        return status === "passed" || status === "failed" ? status : "unknown";
      case "cmi.score.scaled":
        if (local[el] !== undefined) { lastError = "0"; return local[el]; }
        var raw = parseFloat(lmsGet("cmi.core.score.raw")), lo = parseFloat(lmsGet("cmi.core.score.min")), hi = parseFloat(lmsGet("cmi.core.score.max"));
        lastError = "0";
        if (isNaN(raw)) { lastError = "403"; return ""; }
        if (isNaN(lo)) { lo = 0; }
        if (isNaN(hi)) { hi = 100; }
        return String(hi > lo ? (raw - lo) / (hi - lo) : raw / 100);
      case "cmi.scaled_passing_score":
        var ms = parseFloat(lmsGet("cmi.student_data.mastery_score")); lastError = "0";
        if (isNaN(ms)) { lastError = "403"; return ""; }
        return String(ms / 100);
      case "cmi.total_time": return ok(timespanToIso(lmsGet("cmi.core.total_time")));
      case "cmi.max_time_allowed":
        var mt = lmsGet("cmi.student_data.max_time_allowed"); lastError = "0";
        if (!mt) { lastError = "403"; return ""; }
        return timespanToIso(mt);
    }
    var im = /^cmi\.interactions\.(\d+)\.(id|type|weighting|result|latency|learner_response|timestamp|description)$/.exec(el);
    if (im || /^cmi\.objectives\.\d+\.(id|score\.(raw|min|max))$/.test(el)) {
      // Interactions are write-only in SCORM 1.2; give back what the SCO set.
      if (local[el] !== undefined) { lastError = "0"; return local[el]; }
      if (/^cmi\.objectives/.test(el)) { return ok(lmsGet(el)); }
      lastError = "403"; return "";
    }
    if (local[el] !== undefined) { lastError = "0"; return local[el]; }
    lastError = /^(cmi|adl)\./.test(el) ? "403" : "401";
    return "";
  }
  function set2004(el, v) {
    v = String(v);
    if (to12[el] && !/_count$/.test(el)) { return ok(lmsSet(to12[el], v)); }
    var status;
    switch (el) {
      case "cmi.completion_status":
        local[el] = v;
        status = lmsGet("cmi.core.lesson_status");
        if (status === "passed" || status === "failed") { lastError = "0"; return "true"; }
        if (v === "completed" || v === "incomplete") { return ok(lmsSet("cmi.core.lesson_status", v)); }
        lastError = "0"; return "true";
      case "cmi.success_status":
        if (v === "passed" || v === "failed") { return ok(lmsSet("cmi.core.lesson_status", v)); }
        lastError = "0"; return "true";
      case "cmi.score.scaled":
        local[el] = v;
        var s = parseFloat(v);
        if (isNaN(s) || s < -1 || s > 1) { lastError = "405"; return "false"; }
        if (lmsGet("cmi.core.score.raw") === "" || s >= 0) {
          lmsSet("cmi.core.score.min", "0"); lmsSet("cmi.core.score.max", "100");
          return ok(lmsSet("cmi.core.score.raw", String(Math.max(0, Math.round(s * 10000) / 100))));
        }
        lastError = "0"; return "true";
      case "cmi.session_time": return ok(lmsSet("cmi.core.session_time", isoToTimespan(v)));
      case "cmi.exit": return ok(lmsSet("cmi.core.exit", v === "normal" ? "" : v));
      case "cmi.comments_from_learner.0.comment": case "cmi.comments_from_learner.n.comment": return ok(lmsSet("cmi.comments", v));
    }
    var im = /^cmi\.interactions\.(\d+)\.(\w+)(?:\.(\d+)\.(\w+))?$/.exec(el);
    if (im) {
      local[el] = v;
      var base = "cmi.interactions." + im[1] + ".";
      switch (im[2]) {
        case "id": case "type": case "weighting": case "latency":
          if (im[2] === "type" && (v === "long-fill-in" || v === "other")) { v = "fill-in"; }
          if (im[2] === "latency") { v = isoToTimespan(v); }
          return ok(lmsSet(base + im[2], v));
        case "result": return ok(lmsSet(base + "result", v === "incorrect" ? "wrong" : v));
        case "learner_response": return ok(lmsSet(base + "student_response", v));
        case "timestamp":
          var t = /T(\d{2}:\d{2}:\d{2})/.exec(v);
          return ok(lmsSet(base + "time", t ? t[1] : "00:00:00"));
        case "correct_responses": return ok(lmsSet(base + "correct_responses." + im[3] + ".pattern", v));
        case "objectives": return ok(lmsSet(base + "objectives." + im[3] + ".id", v));
      }
      lastError = "0"; return "true";
    }
    var om = /^cmi\.objectives\.(\d+)\.(id|score\.raw|score\.min|score\.max|success_status|completion_status|score\.scaled|progress_measure|description)$/.exec(el);
    if (om) {
      local[el] = v;
      var ob = "cmi.objectives." + om[1] + ".";
      if (om[2] === "success_status" && (v === "passed" || v === "failed")) { return ok(lmsSet(ob + "status", v)); }
      if (om[2] === "completion_status" && (v === "completed" || v === "incomplete")) { return ok(lmsSet(ob + "status", v)); }
      if (/^(id|score\.)/.test(om[2]) && om[2] !== "score.scaled") { return ok(lmsSet(ob + om[2], v)); }
      lastError = "0"; return "true";
    }
    local[el] = v; // progress_measure, adl.nav.request and others: session only
    lastError = "0";
    return "true";
  }

  // ---- a SCORM 1.2 SCO on a SCORM 2004 LMS ----
  var to2004 = {};
  Object.keys(to12).forEach(function (k) { to2004[to12[k]] = k; });
  function get12(el) {
    if (to2004[el]) { return ok(lmsGet(to2004[el])); }
    switch (el) {
      case "cmi.core._children": lastError = "0"; return "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time";
      case "cmi.core.lesson_status":
        var success = lmsGet("cmi.success_status"), completion = lmsGet("cmi.completion_status");
        lastError = "0";
        if (success === "passed" || success === "failed") { return success; }
        if (completion === "completed" || completion === "incomplete") { return completion; }
        return "not attempted";
      case "cmi.core.total_time": return ok(isoToTimespan(lmsGet("cmi.total_time")));
      case "cmi.student_data.mastery_score":
        var sp = parseFloat(lmsGet("cmi.scaled_passing_score")); lastError = "0";
        return isNaN(sp) ? "" : String(Math.round(sp * 10000) / 100);
      case "cmi.student_data.max_time_allowed":
        var mt = lmsGet("cmi.max_time_allowed"); lastError = "0";
        return mt ? isoToTimespan(mt) : "";
      case "cmi.comments": lastError = "0"; return local[el] || "";
      case "cmi.comments_from_lms": return ok(lmsGet("cmi.comments_from_lms.0.comment"));
    }
    if (/^cmi\.objectives\.\d+\.(id|score\.(raw|min|max))$/.test(el)) { return ok(lmsGet(el)); }
    var os = /^cmi\.objectives\.(\d+)\.status$/.exec(el);
    if (os) {
      var ss = lmsGet("cmi.objectives." + os[1] + ".success_status"), cs = lmsGet("cmi.objectives." + os[1] + ".completion_status");
      lastError = "0";
      return ss === "passed" || ss === "failed" ? ss : (cs === "completed" || cs === "incomplete" ? cs : "not attempted");
    }
    if (local[el] !== undefined) { lastError = "0"; return local[el]; }
    lastError = /^cmi\./.test(el) ? "401" : "201";
    return "";
  }
  function scaleScore() {
    var raw = parseFloat(lmsGet("cmi.score.raw")), lo = parseFloat(lmsGet("cmi.score.min")), hi = parseFloat(lmsGet("cmi.score.max"));
    if (isNaN(raw)) { return; }
    if (isNaN(lo)) { lo = 0; }
    if (isNaN(hi)) { hi = 100; }
    var s = hi > lo ? (raw - lo) / (hi - lo) : raw / 100;
    if (s >= -1 && s <= 1) { lmsSet("cmi.score.scaled", String(Math.round(s * 10000) / 10000)); }
  }
  function set12(el, v) {
    v = String(v);
    if (to2004[el] && !/_count$/.test(el)) {
      var r = ok(lmsSet(to2004[el], v));
      if (/^cmi\.core\.score\./.test(el)) { scaleScore(); }
      return r;
    }
    switch (el) {
      case "cmi.core.lesson_status":
        if (v === "passed" || v === "failed") {
          lmsSet("cmi.completion_status", "completed");
          return ok(lmsSet("cmi.success_status", v));
        }
        if (v === "completed" || v === "incomplete") { return ok(lmsSet("cmi.completion_status", v)); }
        if (v === "browsed") { return ok(lmsSet("cmi.completion_status", "incomplete")); }
        lastError = "0"; return "true";
      case "cmi.core.session_time": return ok(lmsSet("cmi.session_time", timespanToIso(v)));
      case "cmi.core.exit": return ok(lmsSet("cmi.exit", v === "" ? "normal" : v));
      case "cmi.comments":
        local[el] = (local[el] || "") + v;
        return ok(lmsSet("cmi.comments_from_learner." + lmsGet("cmi.comments_from_learner._count") + ".comment", v));
    }
    var im = /^cmi\.interactions\.(\d+)\.(\w+)(?:\.(\d+)\.(\w+))?$/.exec(el);
    if (im) {
      var base = "cmi.interactions." + im[1] + ".";
      switch (im[2]) {
        case "id": case "type": case "weighting": return ok(lmsSet(base + im[2], v));
        case "latency": return ok(lmsSet(base + "latency", timespanToIso(v)));
        case "result": return ok(lmsSet(base + "result", v === "wrong" ? "incorrect" : v));
        case "student_response": return ok(lmsSet(base + "learner_response", v));
        case "time":
          var d = new Date();
          return ok(lmsSet(base + "timestamp", d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" + v));
        case "correct_responses": return ok(lmsSet(base + "correct_responses." + im[3] + ".pattern", v));
        case "objectives": return ok(lmsSet(base + "objectives." + im[3] + ".id", v));
      }
      lastError = "0"; return "true";
    }
    var om = /^cmi\.objectives\.(\d+)\.(id|score\.raw|score\.min|score\.max|status)$/.exec(el);
    if (om) {
      var ob = "cmi.objectives." + om[1] + ".";
      if (om[2] !== "status") { return ok(lmsSet(ob + om[2], v)); }
      if (v === "passed" || v === "failed") { lmsSet(ob + "completion_status", "completed"); return ok(lmsSet(ob + "success_status", v)); }
      if (v === "completed" || v === "incomplete") { return ok(lmsSet(ob + "completion_status", v)); }
      lastError = "0"; return "true";
    }
    local[el] = v;
    lastError = "0";
    return "true";
  }

  function errorString(code) { return "SCORM error " + code + " (through the OTA adapter)"; }

  if (lmsIs2004) {
    window.API = {
      LMSInitialize: function () { return ok(lmsCall("Initialize", "", "")); },
      LMSFinish: function () { return ok(lmsCall("Terminate", "", "")); },
      LMSGetValue: get12,
      LMSSetValue: set12,
      LMSCommit: function () { return ok(lmsCall("Commit", "", "")); },
      LMSGetLastError: function () { return lastError; },
      LMSGetErrorString: errorString,
      LMSGetDiagnostic: function () { return lms ? lmsCall("GetDiagnostic", "", "") : "no SCORM 2004 LMS found"; }
    };
  } else {
    window.API_1484_11 = {
      Initialize: function () { return ok(lmsCall("", "LMSInitialize", "")); },
      Terminate: function () { return ok(lmsCall("", "LMSFinish", "")); },
      GetValue: get2004,
      SetValue: set2004,
      Commit: function () { return ok(lmsCall("", "LMSCommit", "")); },
      GetLastError: function () { return lastError; },
      GetErrorString: errorString,
      GetDiagnostic: function () { return lms ? lmsCall("", "LMSGetDiagnostic", "") : "no SCORM 1.2 LMS found"; }
    };
  }

  var sco = params.get("sco") || "";
  if (/^[a-z][a-z0-9+.-]*:/i.test(sco) || sco.charAt(0) === "/" || /(^|\/)\.\.(\/|$)/.test(sco.split(/[?#]/)[0])) {
    document.body.textContent = "The SCO's address is not inside the package.";
  } else {
    // Parameters the LMS appended (the item's parameters) go to the SCO.
    var extra = [];
    params.forEach(function (value, key) {
      if (key !== "sco" && key !== "v") { extra.push(encodeURIComponent(key) + "=" + encodeURIComponent(value)); }
    });
    var target = sco;
    if (extra.length) {
      var cut = target.indexOf("#");
      var frag = cut >= 0 ? target.slice(cut) : "";
      target = (cut >= 0 ? target.slice(0, cut) : target);
      target += (target.indexOf("?") >= 0 ? "&" : "?") + extra.join("&") + frag;
    }
    frame.src = "../" + target + (target.indexOf("#") < 0 ? window.location.hash : "");
  }
})();
