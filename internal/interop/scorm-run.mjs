#!/usr/bin/env node
// scorm-run.mjs — launch every SCO of an unpacked SCORM package in headless
// Chromium against scorm-again (a third-party SCORM 1.2 / 2004 runtime), the
// way an LMS does, and report what each SCO did: every API call, whether it
// initialized and terminated, its final status and CMI data.
//
// The package folder is served on 127.0.0.1 by a small HTTP server in this
// script; every request to anywhere else is aborted and listed as blocked.
// For each SCO a fresh LMS page (its own browser context) holds the runtime as
// window.API (1.2) or window.API_1484_11 (2004), preloaded with the LMS data
// the manifest gives the item, and opens the SCO in an iframe, so the usual
// API discovery through window.parent finds it. The run judges nothing: the
// Go side (package interop, SCORun.Problems) does. See README.md.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import {
  SetupError, chromiumPath, isLocalScheme, launchChromium, packageVersion, seconds, setupFailure, sleep,
  startGuard, parseCommandLine,
} from './headless.mjs';

const require = createRequire(import.meta.url);
const SCRIPT = 'scorm-run';

const USAGE = `usage: node scorm-run.mjs [options] DIR

DIR is an unpacked SCORM 1.2 or 2004 package (imsmanifest.xml at its root).
Every item, in every organization, whose resource is a SCO is launched in
headless Chromium against scorm-again, one fresh LMS page per SCO.

  --version 1.2|2004   SCORM version (default: from the manifest)
  --timeout S          longest wait per SCO for Initialize and Terminate (default 20)
  --idle S             API silence after Initialize after which the SCO is unloaded,
                       as an LMS does when the learner leaves (default 3)
  --settle S           wait after unloading the SCO for its last calls (default 1)
  --sco ITEM_ID        run only this item (repeatable)
  --assets             also load the items whose resource is an asset
  --learner-id ID      cmi learner / student id (default ota-test-learner)
  --learner-name NAME  cmi learner / student name (default "Learner, Test")
  --chromium PATH      browser (default $OTA_CHROMIUM or /usr/bin/chromium)
  --json               print the JSON report (default: one line per SCO)

Exit status: 0 when the run happened (whatever the SCOs did), 2 on a usage or
setup error (no manifest, no browser, packages not installed, ...).`;

function parseArgs(argv) {
  const o = {
    version: null, timeout: 20, idle: 3, settle: 1, scos: [], assets: false, json: false,
    learnerId: 'ota-test-learner', learnerName: 'Learner, Test', chromium: null, dir: null,
  };
  o.dir = parseCommandLine(argv, USAGE, 'package folder', (a, value) => {
    switch (a) {
      case '--version': o.version = value(); return true;
      case '--timeout': o.timeout = seconds(a, value()); return true;
      case '--idle': o.idle = seconds(a, value()); return true;
      case '--settle': o.settle = seconds(a, value()); return true;
      case '--sco': o.scos.push(value()); return true;
      case '--assets': o.assets = true; return true;
      case '--json': o.json = true; return true;
      case '--learner-id': o.learnerId = value(); return true;
      case '--learner-name': o.learnerName = value(); return true;
      case '--chromium': o.chromium = value(); return true;
    }
    return false;
  });
  if (o.version !== null && o.version !== '1.2' && o.version !== '2004') throw new SetupError('--version must be 1.2 or 2004');
  return o;
}

// ---------------------------------------------------------------- the server

const TYPES = new Map(Object.entries({
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.xhtml': 'application/xhtml+xml',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.xsd': 'application/xml', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.ico': 'image/x-icon', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4', '.webm': 'video/webm', '.vtt': 'text/vtt',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.pdf': 'application/pdf', '.wasm': 'application/wasm',
}));

// Serves the package under /pkg/, and the LMS side under /__ota/: the
// runtime build, lms.js, and one LMS page per SCO run (its configuration
// inlined). Nothing outside the package folder is served.
function startServer(root, lmsPages) {
  const runtimes = {
    '/__ota/scorm12.js': require.resolve('scorm-again/scorm12'),
    '/__ota/scorm2004.js': require.resolve('scorm-again/scorm2004'),
  };
  const server = createServer((req, res) => {
    const reply = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return reply(400, 'text/plain', 'bad request path');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain', 'GET only');
    if (path in runtimes) return reply(200, TYPES.get('.js'), readFileSync(runtimes[path]));
    if (path === '/__ota/lms.js') return reply(200, TYPES.get('.js'), LMS_JS);
    if (path === '/__ota/blank.html') return reply(200, TYPES.get('.html'), '<!doctype html><title>blank</title>');
    const m = /^\/__ota\/lms\/(\d+)\.html$/.exec(path);
    if (m && lmsPages.has(m[1])) return reply(200, TYPES.get('.html'), lmsPages.get(m[1]));
    if (!path.startsWith('/pkg/')) return reply(404, 'text/plain', 'not found');
    const file = resolve(root, path.slice('/pkg/'.length));
    if (file !== root && !file.startsWith(root + sep)) return reply(403, 'text/plain', 'outside the package');
    let st;
    try { st = statSync(file); } catch { return reply(404, 'text/plain', 'not in the package'); }
    if (!st.isFile()) return reply(404, 'text/plain', 'not a file');
    return reply(200, TYPES.get(extname(file).toLowerCase()) || 'application/octet-stream', readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

// The LMS page: the runtime, its configuration, lms.js, and the SCO's iframe.
function lmsPage(version, config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>OTA test LMS</title>
<style>html,body{margin:0;height:100%}iframe{display:block;border:0;width:100%;height:100%}</style>
<script src="/__ota/${version === '1.2' ? 'scorm12' : 'scorm2004'}.js"></script>
<script>window.OTA_LMS_CONFIG = ${json};</script>
</head><body><iframe id="sco" title="SCO"></iframe>
<script src="/__ota/lms.js"></script>
</body></html>`;
}

// lms.js runs in the LMS page. It builds the scorm-again API, preloads the LMS
// data, wraps the eight API functions to log every call, and launches the SCO.
const LMS_JS = String.raw`(function () {
  'use strict';
  var cfg = window.OTA_LMS_CONFIG;
  var is12 = cfg.version === '1.2';
  var t0 = performance.now();
  var lms = window.OTA_LMS = {
    calls: [], initialized: false, terminated: false, terminatedOnUnload: false, unloading: false,
    lastCallAt: null, lmsDataErrors: [], closeCalls: 0, setupError: null
  };
  var Runtime = is12 ? window.Scorm12API : window.Scorm2004API;
  if (typeof Runtime !== 'function') { lms.setupError = 'scorm-again did not load'; return; }
  var api = new Runtime({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });

  Object.keys(cfg.lmsData).forEach(function (key) {
    var one = {};
    one[key] = cfg.lmsData[key];
    try { api.loadFromFlattenedJSON(one, ''); } catch (e) { lms.lmsDataErrors.push(key + ': ' + (e && e.message || e)); return; }
    var got;
    try { got = api.getCMIValue(key); } catch (e) { got = undefined; }
    if (String(got) !== String(cfg.lmsData[key])) lms.lmsDataErrors.push(key + ': set ' + JSON.stringify(cfg.lmsData[key]) + ', runtime holds ' + JSON.stringify(got));
  });

  var names = is12
    ? { init: 'LMSInitialize', term: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', err: 'LMSGetLastError', str: 'LMSGetErrorString', diag: 'LMSGetDiagnostic' }
    : { init: 'Initialize', term: 'Terminate', get: 'GetValue', set: 'SetValue', commit: 'Commit', err: 'GetLastError', str: 'GetErrorString', diag: 'GetDiagnostic' };
  var raw = {};
  Object.keys(names).forEach(function (k) { raw[k] = api[names[k]].bind(api); });
  var asText = function (v) { return v === undefined || v === null ? '' : String(v); };

  Object.keys(names).forEach(function (k) {
    var method = names[k];
    api[method] = function () {
      var args = Array.prototype.map.call(arguments, asText);
      var call = { t: Math.round(performance.now() - t0), method: method, args: args };
      var ret, threw = null;
      try { ret = raw[k].apply(null, arguments); } catch (e) { threw = e; call.threw = String(e && e.message || e); }
      call.ret = asText(ret);
      if (k !== 'err' && k !== 'str' && k !== 'diag') {
        call.errorCode = asText(raw.err());
        if (call.errorCode !== '0' && call.errorCode !== '') {
          call.errorString = asText(raw.str(call.errorCode));
          call.diagnostic = asText(raw.diag(call.errorCode));
        }
      }
      if (lms.unloading) call.duringUnload = true;
      if (k === 'init' && call.ret === 'true') lms.initialized = true;
      if (k === 'term' && call.ret === 'true') {
        lms.terminated = true;
        if (lms.unloading) lms.terminatedOnUnload = true;
      }
      lms.lastCallAt = performance.now();
      if (lms.calls.length < 50000) lms.calls.push(call);
      if (threw) throw threw;
      return ret;
    };
  });
  if (is12) window.API = api; else window.API_1484_11 = api;

  // A SCO that closes the LMS window (top.close()) must not end the run.
  window.close = function () { lms.closeCalls++; };

  lms.idleMs = function () { return lms.lastCallAt === null ? null : performance.now() - lms.lastCallAt; };
  lms.unload = function () {
    lms.unloading = true;
    document.getElementById('sco').src = 'about:blank';
  };
  lms.cmi = function () {
    var flat = {};
    var walk = function (v, key) {
      if (v === null || v === undefined) return;
      if (Array.isArray(v)) { v.forEach(function (x, i) { walk(x, key + '.' + i); }); return; }
      if (typeof v === 'object') { Object.keys(v).forEach(function (n) { walk(v[n], key ? key + '.' + n : n); }); return; }
      if (String(v) !== '') flat[key] = String(v);
    };
    var tree;
    try { tree = JSON.parse(JSON.stringify(api.renderCMIToJSONObject())); } catch (e) { return { error: String(e) }; }
    walk(tree.cmi !== undefined ? tree : { cmi: tree }, '');
    if (!is12) {
      try { var nav = api.adl && api.adl.nav && api.adl.nav.request; if (nav) flat['adl.nav.request'] = String(nav); } catch (e) { /* no adl */ }
    }
    return flat;
  };
  document.getElementById('sco').src = cfg.launchUrl;
})();`;

// ---------------------------------------------------------------- the manifest

// Runs in a page (DOMParser), so no XML library is needed. Returns the
// version hints, every resource with its xml:base chain, and every item of
// every organization with the LMS data the manifest gives it.
function readManifest(xmlText) {
  const doc = new DOMParser().parseFromString(xmlText, 'application/xml');
  const bad = doc.getElementsByTagName('parsererror')[0];
  if (bad) return { error: `imsmanifest.xml is not well-formed: ${bad.textContent.replace(/\s+/g, ' ').trim().slice(0, 300)}` };
  const root = doc.documentElement;
  if (root.localName !== 'manifest') return { error: `the root element of imsmanifest.xml is <${root.localName}>, not <manifest>` };
  const XML_NS = 'http://www.w3.org/XML/1998/namespace';
  const kids = (el, name) => (el ? Array.from(el.children).filter((c) => c.localName.toLowerCase() === name.toLowerCase()) : []);
  const kid = (el, name) => kids(el, name)[0] || null;
  const text = (el) => (el ? el.textContent.trim() : '');
  const attr = (el, name) => {
    if (!el) return null;
    const a = Array.from(el.attributes).find((x) => x.localName.toLowerCase() === name.toLowerCase() && !x.name.startsWith('xmlns'));
    return a ? a.value : null;
  };
  const base = (el) => (el ? el.getAttributeNS(XML_NS, 'base') || '' : '');

  const schemaversion = text(kid(kid(root, 'metadata'), 'schemaversion'));
  const resourcesEl = kid(root, 'resources');
  const resources = {};
  for (const r of kids(resourcesEl, 'resource')) {
    resources[attr(r, 'identifier')] = {
      href: attr(r, 'href'),
      scormType: attr(r, 'scormtype'),
      bases: [base(root), base(resourcesEl), base(r)],
    };
  }
  const collection = {};
  for (const s of kids(kid(root, 'sequencingCollection'), 'sequencing')) collection[attr(s, 'ID')] = s;

  const sequencingData = (item) => {
    const own = kid(item, 'sequencing');
    const shared = own && attr(own, 'IDRef') ? collection[attr(own, 'IDRef')] : null;
    const pick = (name) => kid(own, name) || kid(shared, name);
    const out = {};
    const limit = attr(pick('limitConditions'), 'attemptAbsoluteDurationLimit');
    if (limit) out.attemptAbsoluteDurationLimit = limit;
    const primary = kid(pick('objectives'), 'primaryObjective');
    if (primary) {
      out.satisfiedByMeasure = attr(primary, 'satisfiedByMeasure') || 'false';
      const min = kid(primary, 'minNormalizedMeasure');
      if (min) out.minNormalizedMeasure = text(min);
    }
    return out;
  };

  const items = [];
  const walk = (parent, org) => {
    for (const it of kids(parent, 'item')) {
      const ct = kid(it, 'completionThreshold');
      items.push({
        identifier: attr(it, 'identifier'),
        title: text(kid(it, 'title')),
        organization: org,
        identifierref: attr(it, 'identifierref'),
        parameters: attr(it, 'parameters') || '',
        masteryscore: text(kid(it, 'masteryscore')),
        dataFromLMS: text(kid(it, 'datafromlms')),
        maxTimeAllowed: text(kid(it, 'maxtimeallowed')),
        timeLimitAction: text(kid(it, 'timelimitaction')),
        completionThreshold: ct ? {
          text: text(ct),
          completedByMeasure: attr(ct, 'completedByMeasure'),
          minProgressMeasure: attr(ct, 'minProgressMeasure'),
        } : null,
        sequencing: sequencingData(it),
      });
      walk(it, org);
    }
  };
  const orgsEl = kid(root, 'organizations');
  for (const org of kids(orgsEl, 'organization')) walk(org, attr(org, 'identifier'));

  const declared = (uri) => Array.from(doc.getElementsByTagName('*')).some((el) => Array.from(el.attributes).some((a) => (a.name === 'xmlns' || a.name.startsWith('xmlns:')) && a.value === uri));
  return {
    schemaversion,
    rootNamespace: root.namespaceURI,
    adlcp12: declared('http://www.adlnet.org/xsd/adlcp_rootv1p2'),
    adlcp2004: declared('http://www.adlnet.org/xsd/adlcp_v1p3'),
    defaultOrganization: attr(orgsEl, 'default'),
    resources,
    items,
  };
}

function scormVersion(m) {
  const sv = m.schemaversion;
  if (sv === '1.2') return '1.2';
  if (/^(CAM 1\.3|2004\b)/.test(sv)) return '2004';
  if (m.rootNamespace === 'http://www.imsproject.org/xsd/imscp_rootv1p1p2' || m.adlcp12) return '1.2';
  if (m.rootNamespace === 'http://www.imsglobal.org/xsd/imscp_v1p1' || m.adlcp2004) return '2004';
  return null;
}

// href + item parameters, as the SCORM CAM says: leading '?' and '&' of the
// parameters are dropped, they are joined with '&' when the href already has
// a query and with '?' otherwise, and a '#' parameter becomes the fragment.
function withParameters(href, parameters) {
  let p = parameters.trim();
  if (!p) return href;
  const hash = href.indexOf('#');
  const [path, fragment] = hash < 0 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  if (p.startsWith('#')) return fragment ? href : path + p;
  p = p.replace(/^[?&]+/, '');
  if (!p) return href;
  return path + (path.includes('?') ? '&' : '?') + p + fragment;
}

const PACKAGE_ROOT = 'http://package.invalid/';

// The launch path inside the package (or an absolute URL) for an item,
// through the xml:base chain manifest, resources, resource.
function launchOf(item, resource) {
  let u = new URL(PACKAGE_ROOT);
  for (const b of resource.bases) if (b) u = new URL(b, u);
  u = new URL(withParameters(resource.href, item.parameters), u);
  if (u.origin !== new URL(PACKAGE_ROOT).origin) return { absolute: true, launch: u.href };
  return { absolute: false, launch: u.href.slice(PACKAGE_ROOT.length) };
}

// What the LMS sets before the SCO starts, from the options and the manifest.
function lmsData(version, item, o) {
  const d = {};
  const put = (k, v) => { if (v !== undefined && v !== null && String(v) !== '') d[k] = String(v); };
  if (version === '1.2') {
    put('cmi.core.student_id', o.learnerId);
    put('cmi.core.student_name', o.learnerName);
    put('cmi.core.credit', 'credit');
    put('cmi.core.lesson_mode', 'normal');
    put('cmi.core.entry', 'ab-initio');
    put('cmi.launch_data', item.dataFromLMS);
    put('cmi.student_data.mastery_score', item.masteryscore);
    put('cmi.student_data.max_time_allowed', item.maxTimeAllowed);
    put('cmi.student_data.time_limit_action', item.timeLimitAction);
    return d;
  }
  put('cmi.learner_id', o.learnerId);
  put('cmi.learner_name', o.learnerName);
  put('cmi.credit', 'credit');
  put('cmi.mode', 'normal');
  put('cmi.entry', 'ab-initio');
  put('cmi.launch_data', item.dataFromLMS);
  const ct = item.completionThreshold;
  if (ct) {
    if (ct.text) put('cmi.completion_threshold', ct.text);
    else if (ct.completedByMeasure === 'true') put('cmi.completion_threshold', ct.minProgressMeasure || '1.0');
  }
  // SCORM 2004 RTE: scaled_passing_score comes from the primary objective's
  // minNormalizedMeasure when that objective is satisfied by measure.
  if (item.sequencing.satisfiedByMeasure === 'true') put('cmi.scaled_passing_score', item.sequencing.minNormalizedMeasure || '1.0');
  put('cmi.max_time_allowed', item.sequencing.attemptAbsoluteDurationLimit);
  put('cmi.time_limit_action', item.timeLimitAction);
  return d;
}

// A call the SCO should not have made, or that the runtime refused: a false
// answer from Initialize, SetValue, Commit or Terminate, any non-zero error
// code, or an exception. GetValue's 403 in SCORM 2004 ("data model element
// value not initialized") is the right answer to reading an unset element,
// not a fault of the SCO, so it does not count.
function failed(version, c) {
  if (/(GetLastError|GetErrorString|GetDiagnostic)$/.test(c.method)) return false;
  if (c.threw) return true;
  if (!/GetValue$/.test(c.method) && c.ret === 'false') return true;
  if (c.errorCode && c.errorCode !== '0') return !(version === '2004' && c.method === 'GetValue' && c.errorCode === '403');
  return false;
}

const FINAL = {
  '1.2': {
    lesson_status: 'cmi.core.lesson_status', 'score.raw': 'cmi.core.score.raw', 'score.min': 'cmi.core.score.min',
    'score.max': 'cmi.core.score.max', exit: 'cmi.core.exit', session_time: 'cmi.core.session_time',
    lesson_location: 'cmi.core.lesson_location',
  },
  2004: {
    completion_status: 'cmi.completion_status', success_status: 'cmi.success_status',
    'score.scaled': 'cmi.score.scaled', 'score.raw': 'cmi.score.raw', 'score.min': 'cmi.score.min',
    'score.max': 'cmi.score.max', progress_measure: 'cmi.progress_measure', exit: 'cmi.exit',
    session_time: 'cmi.session_time', location: 'cmi.location', 'adl.nav.request': 'adl.nav.request',
  },
};

// ---------------------------------------------------------------- one run

async function runItem(browser, srv, guard, lmsPages, version, item, resource, kind, o) {
  const t0 = Date.now();
  const guardBlockedBefore = guard.blocked.length;
  const { absolute, launch } = launchOf(item, resource);
  const url = absolute ? launch : `${srv.origin}/pkg/${launch}`;
  const data = kind === 'sco' ? lmsData(version, item, o) : {};
  const run = {
    item: item.identifier, title: item.title, organization: item.organization, resource: item.identifierref,
    kind, version, launch, url, httpStatus: 0, initialized: false, terminated: false, terminatedOnUnload: false,
    unloaded: false, calls: [], failedCalls: [], finalStatus: {}, cmi: {}, lmsData: data, lmsDataErrors: [],
    blocked: [], missing: [], pageErrors: [], console: [], dialogs: [], popups: [], notes: [], elapsedMs: 0,
  };
  const id = String(lmsPages.size + 1);
  lmsPages.set(id, lmsPage(version, { version, launchUrl: url, lmsData: data }));

  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1024, height: 768 } });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(srv.origin + '/') || isLocalScheme(u)) return route.continue();
    if (run.blocked.length < 500) run.blocked.push(u);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const isScoFrame = (f) => f && f.parentFrame() === page.mainFrame();
  page.on('response', (r) => {
    const req = r.request();
    if (run.httpStatus === 0 && req.isNavigationRequest() && isScoFrame(req.frame()) && r.url() !== 'about:blank') run.httpStatus = r.status();
    if (r.status() >= 400 && r.url().startsWith(`${srv.origin}/pkg/`) && run.missing.length < 100) {
      run.missing.push(`${r.status()} ${decodeURIComponent(r.url().slice(`${srv.origin}/pkg/`.length))}`);
    }
  });
  let launchFailed = false;
  page.on('requestfailed', (req) => {
    if (req.isNavigationRequest() && isScoFrame(req.frame()) && run.httpStatus === 0 && !launchFailed) {
      launchFailed = true;
      run.notes.push(`launch failed: ${req.url()}: ${req.failure() ? req.failure().errorText : 'failed'}`);
    }
  });
  page.on('pageerror', (e) => { if (run.pageErrors.length < 100) run.pageErrors.push(String(e && e.message ? e.message : e)); });
  page.on('console', (m) => { if (run.console.length < 200) run.console.push(`${m.type()}: ${m.text()}`); });
  page.on('dialog', (d) => { run.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('popup', (p) => { run.popups.push(p.url()); });

  // Calls are copied out as they happen, so that they survive a SCO that
  // navigates the LMS page away.
  let copied = [];
  const poll = async () => {
    try {
      const s = await page.evaluate((from) => {
        const l = window.OTA_LMS;
        if (!l) return null;
        return {
          calls: l.calls.slice(from), initialized: l.initialized, terminated: l.terminated,
          terminatedOnUnload: l.terminatedOnUnload, idleMs: l.idleMs(), setupError: l.setupError,
          lmsDataErrors: l.lmsDataErrors, closeCalls: l.closeCalls,
        };
      }, copied.length);
      if (s) copied = copied.concat(s.calls);
      return s;
    } catch {
      return null;
    }
  };

  let state = null;
  const deadline = Date.now() + o.timeout * 1000;
  try {
    await page.goto(`${srv.origin}/__ota/lms/${id}.html`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
  } catch (e) {
    run.notes.push(`the LMS page did not load: ${String(e.message).split('\n')[0]}`);
  }
  state = await poll();
  if (state && state.setupError) throw new SetupError(state.setupError);
  if (kind === 'sco') {
    while (Date.now() < deadline) {
      if (state && state.terminated) break;
      // a launch that failed (HTTP error, blocked, unreachable) has no SCO to wait for
      if (run.httpStatus >= 400 || launchFailed) break;
      if (state && state.initialized && state.idleMs !== null && state.idleMs >= o.idle * 1000) break;
      await sleep(100);
      state = (await poll()) || state;
    }
  } else {
    await page.waitForLoadState('load', { timeout: Math.max(1000, deadline - Date.now()) }).catch(() => {});
  }
  if (state && state.terminated) {
    // give calls right after Terminate a moment before the SCO is closed
    await sleep(Math.min(o.settle, 0.5) * 1000);
  }
  // The LMS closes the SCO: the learner has left, or the SCO has terminated.
  try {
    await page.evaluate(() => window.OTA_LMS.unload());
    run.unloaded = true;
  } catch (e) {
    run.notes.push(`could not unload the SCO: ${String(e.message).split('\n')[0]}`);
  }
  await sleep((kind === 'sco' ? o.settle : Math.min(o.settle, 0.2)) * 1000);
  state = (await poll()) || state;
  let cmi = null;
  try { cmi = await page.evaluate(() => window.OTA_LMS.cmi()); } catch (e) {
    run.notes.push(`the LMS page was lost before the end (${String(e.message).split('\n')[0]}): the calls are those copied out before, the final CMI data is unknown`);
  }
  await context.close().catch(() => {});
  // what the routes could not see: requests sent while the SCO unloaded
  for (const b of guard.blocked.slice(guardBlockedBefore)) {
    if (b.fromPage && !run.blocked.includes(b.url)) run.blocked.push(b.url);
  }

  run.calls = copied;
  run.failedCalls = copied.filter((c) => failed(version, c));
  run.initialized = copied.some((c) => /^(LMS)?Initialize$/.test(c.method) && c.ret === 'true');
  run.terminated = copied.some((c) => /^(LMSFinish|Terminate)$/.test(c.method) && c.ret === 'true');
  run.terminatedOnUnload = run.terminated && copied.some((c) => /^(LMSFinish|Terminate)$/.test(c.method) && c.ret === 'true' && c.duringUnload);
  if (state) run.lmsDataErrors = state.lmsDataErrors;
  if (state && state.closeCalls) run.notes.push(`the SCO called window.close() on the LMS window ${state.closeCalls} time(s) (ignored)`);
  if (cmi && cmi.error) run.notes.push(`cannot read the CMI data: ${cmi.error}`);
  else if (cmi) {
    run.cmi = cmi;
    for (const [k, key] of Object.entries(FINAL[version])) if (cmi[key] !== undefined) run.finalStatus[k] = cmi[key];
  }
  if (absolute) run.notes.push('the launch URL is absolute: only package-local SCOs can be run offline');
  run.elapsedMs = Date.now() - t0;
  return run;
}

// ---------------------------------------------------------------- main

function summary(r) {
  if (r.kind === 'asset') {
    return `asset ${r.item} [${r.launch}]: ${r.httpStatus > 0 && r.httpStatus < 400 ? `HTTP ${r.httpStatus}` : `NOT loaded (HTTP ${r.httpStatus || '-'})`}`
      + `${r.calls.length ? `; ${r.calls.length} API calls` : ''}${r.blocked.length ? `; ${r.blocked.length} blocked` : ''}`;
  }
  const flags = [
    r.httpStatus > 0 && r.httpStatus < 400 ? `HTTP ${r.httpStatus}` : `NOT launched (HTTP ${r.httpStatus || '-'})`,
    r.initialized ? 'initialized' : 'NOT initialized',
    r.terminated ? `terminated${r.terminatedOnUnload ? ' (on unload)' : ''}` : 'NOT terminated',
  ];
  const status = Object.entries(r.finalStatus).filter(([k]) => /status|score/.test(k)).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${r.kind} ${r.item} [${r.launch}]: ${flags.join(', ')}; ${r.calls.length} calls, ${r.failedCalls.length} failed${status ? `; ${status}` : ''}`
    + `${r.blocked.length ? `; ${r.blocked.length} blocked` : ''}${r.pageErrors.length ? `; page errors: ${r.pageErrors.slice(0, 2).join(' / ')}` : ''}`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let root;
  try { root = realpathSync(resolve(o.dir)); } catch { throw new SetupError(`no such folder: ${o.dir}`); }
  if (!statSync(root).isDirectory()) throw new SetupError(`${o.dir} is not a folder (unpack the package first)`);
  let manifestText;
  try { manifestText = readFileSync(join(root, 'imsmanifest.xml'), 'utf8'); } catch {
    throw new SetupError(`no imsmanifest.xml at the root of ${o.dir}`);
  }
  const tools = { 'scorm-again': packageVersion('scorm-again'), 'playwright-core': packageVersion('playwright-core') };
  if (!tools['scorm-again']) throw new SetupError('scorm-again is not installed: run `npm ci` in internal/interop');

  const started = Date.now();
  const lmsPages = new Map();
  const srv = await startServer(root, lmsPages);
  const guard = await startGuard((u) => u.origin === srv.origin);
  let browser = null;
  try {
    browser = await launchChromium(chromiumPath(o.chromium), guard);
    tools.chromium = browser.version();
    const context = await browser.newContext();
    await context.route('**/*', (route) => (route.request().url().startsWith(srv.origin + '/') ? route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    await page.goto(`${srv.origin}/__ota/blank.html`);
    const m = await page.evaluate(readManifest, manifestText);
    await context.close();
    if (m.error) throw new SetupError(m.error);
    const version = o.version || scormVersion(m);
    if (!version) throw new SetupError(`cannot tell SCORM 1.2 from 2004 (schemaversion ${JSON.stringify(m.schemaversion)}): use --version`);

    const notes = [];
    const kindOf = (it) => {
      const r = it.identifierref ? m.resources[it.identifierref] : undefined;
      if (!r) return null;
      return String(r.scormType || '').toLowerCase() === 'sco' ? 'sco' : 'asset';
    };
    for (const it of m.items) {
      if (it.identifierref && !m.resources[it.identifierref]) notes.push(`item ${it.identifier}: identifierref ${it.identifierref} names no resource`);
      else if (it.identifierref && !m.resources[it.identifierref].href) notes.push(`item ${it.identifier}: resource ${it.identifierref} has no href`);
    }
    const launchable = m.items.filter((it) => kindOf(it) && m.resources[it.identifierref].href);
    for (const want of o.scos) {
      if (!launchable.some((it) => it.identifier === want && (kindOf(it) === 'sco' || o.assets))) {
        throw new SetupError(`--sco ${want}: no ${o.assets ? 'launchable' : 'SCO'} item has that identifier`);
      }
    }
    const chosen = (it) => o.scos.length === 0 || o.scos.includes(it.identifier);
    const report = {
      package: root, schemaversion: m.schemaversion, version, tools,
      organizations: [...new Set(m.items.map((it) => it.organization))], defaultOrganization: m.defaultOrganization,
      items: m.items.length, scoItems: launchable.filter((it) => kindOf(it) === 'sco').length,
      assetItems: launchable.filter((it) => kindOf(it) === 'asset').length,
      options: { timeout: o.timeout, idle: o.idle, settle: o.settle },
      scos: [], assets: [], blocked: [], browserBlocked: [], notes, elapsedMs: 0,
    };
    for (const it of launchable) {
      const kind = kindOf(it);
      if (!chosen(it) || (kind === 'asset' && !o.assets)) continue;
      const run = await runItem(browser, srv, guard, lmsPages, version, it, m.resources[it.identifierref], kind, o);
      (kind === 'sco' ? report.scos : report.assets).push(run);
      for (const b of run.blocked) if (!report.blocked.includes(b)) report.blocked.push(b);
      if (!o.json) process.stdout.write(summary(run) + '\n');
    }
    for (const b of guard.blocked) if (!b.fromPage && !report.browserBlocked.includes(b.url)) report.browserBlocked.push(b.url);
    report.elapsedMs = Date.now() - started;
    if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
    else process.stdout.write(`SCORM ${version}: ${report.scos.length} SCO(s) run, ${report.assets.length} asset(s) loaded, ${report.elapsedMs} ms\n`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    guard.close();
    srv.server.close();
    srv.server.closeAllConnections();
  }
}

main().catch((e) => setupFailure(SCRIPT, e instanceof SetupError ? e : new Error(e && e.stack ? e.stack : String(e))));
