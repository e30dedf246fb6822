#!/usr/bin/env node
// browse.mjs — open one loopback URL in headless Chromium, wait until a
// JavaScript expression is truthy in the page, optionally leave the page (to
// fire its unload handlers), and report what the page did: console messages,
// uncaught errors, every request with its status, and the requests that were
// blocked. Only loopback origins are reachable: the page's own and those given
// with --allow; everything else is aborted. Used to run a cmi5 AU launch page
// against a fetch endpoint and an LRS that a Go test serves. See README.md.
import {
  SetupError, chromiumPath, isLocalScheme, isLoopbackHost, launchChromium, packageVersion, seconds, setupFailure, sleep,
  startGuard, parseCommandLine,
} from './headless.mjs';

const SCRIPT = 'browse';

const USAGE = `usage: node browse.mjs URL [options]

URL is an http(s) URL on a loopback address (127.0.0.0/8, localhost, [::1]).

  --allow ORIGIN       also let the page reach this loopback origin (repeatable),
                       e.g. http://127.0.0.1:8080
  --wait-for EXPR      JavaScript expression, polled in the page until it is truthy
  --timeout S          longest wait for the page and EXPR (default 20)
  --unload             then navigate to about:blank, firing the page's unload handlers
  --settle S           wait after that for late requests (default 1)
  --chromium PATH      browser (default $OTA_CHROMIUM or /usr/bin/chromium)

Prints one JSON report: {ok, url, waitedFor, satisfied, value, console, pageErrors,
requests: [{method, url, status}], blocked, browserBlocked, ...}. ok: the page loaded
and EXPR (if any) became truthy. browserBlocked: refused requests that did not come from
the page (Chromium's own background traffic, and HTTPS tunnels, whose sender is unknown). Exit status: 0 when the run happened, 2 on a usage or setup error.`;

function loopbackOrigin(what, text) {
  let u;
  try { u = new URL(text); } catch { throw new SetupError(`${what} ${JSON.stringify(text)} is not a URL`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SetupError(`${what} ${text}: only http and https`);
  if (!isLoopbackHost(u.hostname)) throw new SetupError(`${what} ${text}: only loopback addresses may be reached`);
  return u;
}

function parseArgs(argv) {
  const o = { url: null, allow: [], waitFor: null, timeout: 20, settle: 1, unload: false, chromium: null };
  o.url = parseCommandLine(argv, USAGE, 'URL', (a, value) => {
    switch (a) {
      case '--allow': o.allow.push(loopbackOrigin('--allow', value()).origin); return true;
      case '--wait-for': o.waitFor = value(); return true;
      case '--timeout': o.timeout = seconds(a, value()); return true;
      case '--settle': o.settle = seconds(a, value()); return true;
      case '--unload': o.unload = true; return true;
      case '--chromium': o.chromium = value(); return true;
    }
    return false;
  });
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const target = loopbackOrigin('URL', o.url);
  const allowed = new Set([target.origin, ...o.allow]);
  const started = Date.now();
  const report = {
    ok: false, url: target.href, allowed: [...allowed], waitedFor: o.waitFor, satisfied: false, value: null,
    waitedMs: 0, waitError: null, error: null, status: 0, unloaded: false,
    console: [], pageErrors: [], dialogs: [], requests: [], blocked: [], browserBlocked: [],
    tools: { 'playwright-core': packageVersion('playwright-core') }, elapsedMs: 0,
  };
  const guard = await startGuard((u) => allowed.has(u.origin));
  let browser = null;
  const block = (u) => { if (!report.blocked.includes(u) && report.blocked.length < 500) report.blocked.push(u); };
  try {
    browser = await launchChromium(chromiumPath(o.chromium), guard);
    report.tools.chromium = browser.version();
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.route('**/*', (route) => {
      const u = route.request().url();
      let origin = null;
      try { origin = new URL(u).origin; } catch { /* not a URL */ }
      if (isLocalScheme(u) || allowed.has(origin)) return route.continue();
      block(u);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (m) => { if (report.console.length < 500) report.console.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => { if (report.pageErrors.length < 100) report.pageErrors.push(String(e && e.message ? e.message : e)); });
    page.on('dialog', (d) => { report.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });

    // the timeout counts from here: starting the browser is not the page's time
    const deadline = Date.now() + o.timeout * 1000;
    let loaded = false;
    try {
      const resp = await page.goto(target.href, { waitUntil: 'load', timeout: Math.max(1000, deadline - Date.now()) });
      report.status = resp ? resp.status() : 0;
      loaded = report.status > 0 && report.status < 400;
      if (!loaded) report.error = `the page answered HTTP ${report.status}`;
    } catch (e) {
      report.error = `the page did not load: ${String(e.message).split('\n')[0]}`;
    }
    if (loaded && o.waitFor) {
      const t0 = Date.now();
      for (;;) {
        try {
          const v = await page.evaluate(o.waitFor);
          report.waitError = null;
          if (v) {
            report.satisfied = true;
            report.value = v === undefined ? null : v;
            break;
          }
        } catch (e) {
          report.waitError = String(e.message).split('\n')[0];
        }
        if (Date.now() >= deadline) break;
        await sleep(100);
      }
      report.waitedMs = Date.now() - t0;
    }
    report.ok = loaded && (!o.waitFor || report.satisfied);
    if (o.unload) {
      try {
        await page.goto('about:blank', { timeout: 10_000 });
        report.unloaded = true;
      } catch (e) {
        report.error = report.error || `could not leave the page: ${String(e.message).split('\n')[0]}`;
      }
      await sleep(o.settle * 1000);
    }
    await context.close().catch(() => {});
  } finally {
    if (browser) await browser.close().catch(() => {});
    guard.close();
  }
  // What went through the proxy: every request the browser sent, those sent
  // while the page unloaded included.
  report.requests = guard.requests.map((r) => ({ ...r }));
  for (const b of guard.blocked) {
    if (b.fromPage) block(b.url);
    else if (!report.browserBlocked.includes(b.url)) report.browserBlocked.push(b.url);
  }
  report.elapsedMs = Date.now() - started;
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((e) => setupFailure(SCRIPT, e instanceof SetupError ? e : new Error(e && e.stack ? e.stack : String(e))));
