// au.js: OTA's cmi5 launch page (ota-cmi5/au.html). It does the AU's part
// of cmi5 (Quartz) for content that does not do it itself, with no
// dependencies:
//
//   1. reads the launch parameters the LMS appends to the AU url (endpoint,
//      fetch, actor, registration, activityId) and "content", the package
//      path of the content, from its own query;
//   2. POSTs to the fetch URL once for the auth token (kept in
//      sessionStorage, so a reload does not ask twice; a reload after
//      terminated does not start the ended session again);
//   3. GETs the LMS.LaunchData state document: contextTemplate, launchMode,
//      moveOn, masteryScore, returnURL;
//   4. asks the LRS whether this registration already has a completed or
//      a passed (the AU must not send them twice);
//   5. sends initialized, then shows the content in a frame;
//   6. sends completed when the content has loaded (Normal mode only);
//   7. sends passed or failed when the content posts its score:
//        window.parent.postMessage({type: "ota-score", scaled: 0.8}, "*")
//      against the mastery score, or by the message's success (a boolean)
//      when there is none (Normal mode, once per session);
//   8. sends terminated, with the session's duration, when the learner
//      presses Done (then goes to returnURL) or leaves the page (pagehide).
//
// Every statement has a UUID id, a UTC timestamp with milliseconds, the
// context template merged in, the registration, the cmi5 category (and the
// moveon one on completed, passed and failed), the session id extension and,
// on passed and failed, the mastery score extension when the AU has one.
// Requests carry X-Experience-API-Version 1.0.3 and "Authorization: Basic
// <token>"; statement POSTs use fetch keepalive so that they outlive the
// page. Progress is exposed as window.otaCmi5 = {state, sent, error}.
(function () {
  'use strict';

  var XAPI_VERSION = '1.0.3';
  var VERBS = 'http://adlnet.gov/expapi/verbs/';
  var CATEGORY_CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
  var CATEGORY_MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
  var EXT_SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
  var EXT_MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';

  var statusLine = document.getElementById('status');
  var doneButton = document.getElementById('done');
  var frame = document.getElementById('content');
  var query = new URLSearchParams(location.search);

  var pub = { state: 'starting', sent: [], error: null };
  window.otaCmi5 = pub;

  var s = {
    started: Date.now(), token: '', endpoint: '', actorParam: '', actor: null,
    registration: '', activityId: '', launchMode: 'Normal', masteryScore: null,
    returnURL: '', template: {}, sessionId: '', initialized: false,
    completed: false, passed: false, judged: false, terminated: false
  };
  // queue keeps the statements in order: each is sent once the one before
  // it was acknowledged.
  var queue = Promise.resolve();

  function show(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? 'error' : '';
  }

  function fail(err) {
    var msg = err && err.message ? err.message : String(err);
    pub.state = 'error';
    pub.error = msg;
    show('cmi5: ' + msg, true);
    if (window.console) console.error('cmi5 launch page:', msg);
  }

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') {
      c.getRandomValues(b);
    } else {
      for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    }
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // duration writes milliseconds as an ISO 8601 duration, to 0.01 s.
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    cs -= h * 360000;
    var m = Math.floor(cs / 6000);
    cs -= m * 6000;
    return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (cs / 100) + 'S';
  }

  function elapsed() { return duration(Date.now() - s.started); }

  // contentURL turns the content parameter (a package path) into a URL
  // relative to this page, or returns null when it is not a clean relative
  // path inside the package.
  // A query or fragment after the path (the parameters a SCORM item or a
  // cmi5 AU launched the content with) is kept as written.
  function contentURL(p) {
    if (!p) return null;
    var rest = '', q = p.search(/[?#]/);
    if (q >= 0) { rest = p.slice(q); p = p.slice(0, q); }
    if (!p || p.charAt(0) === '/' || p.indexOf('\\') >= 0 || p.indexOf(':') >= 0) return null;
    var segs = p.split('/');
    for (var i = 0; i < segs.length; i++) {
      if (segs[i] === '' || segs[i] === '.' || segs[i] === '..') return null;
    }
    return '../' + segs.map(encodeURIComponent).join('/') + rest;
  }

  function lrsURL(resource, params) {
    var base = s.endpoint.charAt(s.endpoint.length - 1) === '/' ? s.endpoint : s.endpoint + '/';
    var u = new URL(resource, base);
    Object.keys(params).forEach(function (k) { u.searchParams.set(k, params[k]); });
    return u.toString();
  }

  function headers(json) {
    var h = { 'X-Experience-API-Version': XAPI_VERSION, 'Authorization': 'Basic ' + s.token };
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  async function fetchToken(fetchURL) {
    var key = 'ota-cmi5:' + fetchURL;
    try {
      var kept = window.sessionStorage.getItem(key);
      if (kept) return kept;
    } catch (e) { /* storage may be disabled */ }
    var res = await fetch(fetchURL, { method: 'POST' });
    var body;
    try {
      body = await res.json();
    } catch (e) {
      throw new Error('the fetch URL answered ' + res.status + ' without JSON');
    }
    if (!body || body['error-code'] !== undefined || typeof body['auth-token'] !== 'string' || !res.ok) {
      var why = body && (body['error-text'] || body['error-code']);
      throw new Error('the fetch URL gave no auth token (' + (why || 'status ' + res.status) + ')');
    }
    try { window.sessionStorage.setItem(key, body['auth-token']); } catch (e) { /* ignored */ }
    return body['auth-token'];
  }

  async function launchData() {
    var res = await fetch(lrsURL('activities/state', {
      stateId: 'LMS.LaunchData', activityId: s.activityId, agent: s.actorParam, registration: s.registration
    }), { headers: headers(false) });
    if (!res.ok) throw new Error('the LMS.LaunchData document could not be read (status ' + res.status + ')');
    return res.json();
  }

  // already reports whether this registration has a statement with verb,
  // from this learner about this AU; false when the LRS cannot tell.
  async function already(verb) {
    try {
      var res = await fetch(lrsURL('statements', {
        registration: s.registration, activity: s.activityId, agent: s.actorParam, verb: VERBS + verb, limit: '1'
      }), { headers: headers(false) });
      if (!res.ok) return false;
      var body = await res.json();
      return !!(body && body.statements && body.statements.length);
    } catch (e) {
      return false;
    }
  }

  function clone(x) { return x === undefined ? undefined : JSON.parse(JSON.stringify(x)); }

  // statement builds a cmi5-defined statement about the AU.
  function statement(verb, result, opts) {
    opts = opts || {};
    var ctx = clone(s.template) || {};
    ctx.registration = s.registration;
    var ca = ctx.contextActivities || {};
    ctx.contextActivities = ca;
    ['parent', 'grouping', 'category', 'other'].forEach(function (k) {
      if (ca[k] && !Array.isArray(ca[k])) ca[k] = [ca[k]];
    });
    ca.category = ca.category || [];
    var cats = [CATEGORY_CMI5];
    if (opts.moveOn) cats.push(CATEGORY_MOVEON);
    cats.forEach(function (id) {
      if (!ca.category.some(function (a) { return a && a.id === id; })) ca.category.push({ id: id, objectType: 'Activity' });
    });
    ctx.extensions = ctx.extensions || {};
    ctx.extensions[EXT_SESSION] = s.sessionId;
    if (opts.mastery && s.masteryScore !== null) ctx.extensions[EXT_MASTERY] = s.masteryScore;
    var st = {
      id: uuid(),
      actor: s.actor,
      verb: { id: VERBS + verb, display: { 'en-US': verb } },
      object: { objectType: 'Activity', id: s.activityId },
      context: ctx,
      timestamp: new Date().toISOString()
    };
    if (result) st.result = result;
    return st;
  }

  async function send(st) {
    var res = await fetch(lrsURL('statements', {}), {
      method: 'POST', headers: headers(true), body: JSON.stringify(st), keepalive: true
    });
    if (!res.ok) {
      var text = '';
      try { text = await res.text(); } catch (e) { /* ignored */ }
      throw new Error('the LRS refused ' + st.verb.display['en-US'] + ' (status ' + res.status + ') ' + text.slice(0, 200));
    }
    pub.sent.push(st.verb.display['en-US']);
  }

  function enqueue(st) {
    queue = queue.then(function () { return send(st); }).catch(fail);
    return queue;
  }

  function onContentLoad() {
    try {
      var t = frame.contentDocument && frame.contentDocument.title;
      if (t) document.title = t;
    } catch (e) { /* another origin */ }
    if (s.completed || s.terminated || s.launchMode !== 'Normal') return;
    s.completed = true;
    enqueue(statement('completed', { completion: true, duration: elapsed() }, { moveOn: true }));
  }

  function onMessage(ev) {
    if (ev.source !== frame.contentWindow || ev.origin !== location.origin) return;
    var d = ev.data;
    if (!d || typeof d !== 'object' || d.type !== 'ota-score') return;
    if (typeof d.scaled !== 'number' || !isFinite(d.scaled) || d.scaled < 0 || d.scaled > 1) {
      console.warn('cmi5 launch page: ignored a score that is not a number from 0 to 1:', d.scaled);
      return;
    }
    if (!s.initialized || s.terminated || s.judged || s.passed || s.launchMode !== 'Normal') return;
    var success;
    if (s.masteryScore !== null) {
      success = d.scaled >= s.masteryScore;
    } else if (typeof d.success === 'boolean') {
      success = d.success;
    } else {
      console.warn('cmi5 launch page: a score without success, and the AU has no mastery score: nothing to judge');
      return;
    }
    s.judged = true;
    if (success) s.passed = true;
    enqueue(statement(success ? 'passed' : 'failed',
      { score: { scaled: d.scaled }, success: success, duration: elapsed() }, { moveOn: true, mastery: true }));
  }

  // terminated returns the terminated statement, once per session, and
  // remembers that the session ended: a reload of the page must not start
  // it again (nothing may follow terminated in a session).
  function terminated() {
    if (!s.initialized || s.terminated) return null;
    s.terminated = true;
    try { window.sessionStorage.setItem('ota-cmi5:ended:' + query.get('fetch'), '1'); } catch (e) { /* ignored */ }
    doneButton.disabled = true;
    return statement('terminated', { duration: elapsed() });
  }

  function onDone() {
    var st = terminated();
    if (!st) return;
    enqueue(st).then(function () {
      if (pub.state === 'error') return;
      pub.state = 'terminated';
      show('Done. You can close this window.');
      if (s.returnURL) location.href = s.returnURL;
    });
  }

  function onPageHide() {
    var st = terminated();
    if (!st) return;
    // The page is going away: send now (keepalive), not after the queue.
    send(st).then(function () { pub.state = 'terminated'; }, fail);
  }

  async function start() {
    var names = ['endpoint', 'fetch', 'actor', 'registration', 'activityId', 'content'];
    var missing = names.filter(function (k) { return !query.get(k); });
    if (missing.length) throw new Error('the launch URL lacks ' + missing.join(', ') + '; launch this page from the LMS');
    var src = contentURL(query.get('content'));
    if (!src) throw new Error('the content parameter does not name a file of the package');
    s.endpoint = query.get('endpoint');
    s.actorParam = query.get('actor');
    s.registration = query.get('registration');
    s.activityId = query.get('activityId');
    try {
      s.actor = JSON.parse(s.actorParam);
    } catch (e) {
      throw new Error('the actor parameter is not JSON');
    }
    var ended = null;
    try { ended = window.sessionStorage.getItem('ota-cmi5:ended:' + query.get('fetch')); } catch (e) { /* ignored */ }
    if (ended) throw new Error('this session has ended; launch the AU again from the LMS');
    show('Connecting to the LMS…');
    s.token = await fetchToken(query.get('fetch'));
    var data = await launchData();
    s.template = data.contextTemplate || {};
    s.launchMode = data.launchMode || 'Normal';
    s.masteryScore = typeof data.masteryScore === 'number' ? data.masteryScore : null;
    s.returnURL = data.returnURL || '';
    var ext = s.template.extensions || {};
    s.sessionId = typeof ext[EXT_SESSION] === 'string' ? ext[EXT_SESSION] : uuid();
    if (s.launchMode === 'Normal') {
      s.completed = await already('completed');
      s.passed = await already('passed');
    }
    s.started = Date.now(); // durations count from initialized
    await send(statement('initialized'));
    s.initialized = true;
    pub.state = 'running';
    show(s.launchMode === 'Normal' ? '' : s.launchMode + ' mode: nothing you do here is recorded.');
    doneButton.disabled = false;
    frame.addEventListener('load', onContentLoad);
    frame.src = src;
    frame.hidden = false;
  }

  window.addEventListener('message', onMessage);
  window.addEventListener('pagehide', onPageHide);
  doneButton.addEventListener('click', onDone);
  start().catch(fail);
}());
