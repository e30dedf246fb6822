#!/usr/bin/env node
// visit.mjs — walk a web site on loopback in one headless Chromium page,
// step by step as a person would: open a URL, fill in and submit forms,
// press Tab to move the keyboard focus, take a screenshot. For each step it
// reports the page's HTTP status, title, first heading, visible text, the
// JSON-LD blocks it embeds, console messages, uncaught errors, failed
// requests and where the focus went. Only loopback origins are reachable.
// Used by the hub's end-to-end test (platform/hub). See README.md.
import { readFileSync } from 'node:fs';
import {
  SetupError, chromiumPath, isLocalScheme, isLoopbackHost, launchChromium, packageVersion, setupFailure,
  startGuard, parseCommandLine,
} from './headless.mjs';

const SCRIPT = 'visit';

const USAGE = `usage: node visit.mjs PLAN.json [--chromium PATH]

PLAN.json: {"origin": "http://127.0.0.1:PORT", "allow": [ORIGIN...], "timeout": S,
  "steps": [{"name", "goto": PATH-OR-URL, "actions": [{"fill"|"select"|"click"|"press": SELECTOR-OR-KEY,
  "value"}], "tabs": N, "screenshot": FILE}]}

Prints one JSON report: {steps: [{name, url, status, title, h1, text, jsonld, console,
pageErrors, failedRequests, focus, error}], blocked, tools}. Exit status: 0 when the
run happened, 2 on a usage or setup error.`;

function loopback(what, text) {
  let u;
  try { u = new URL(text); } catch { throw new SetupError(`${what} ${JSON.stringify(text)} is not a URL`); }
  if (!isLoopbackHost(u.hostname)) throw new SetupError(`${what} ${text}: only loopback addresses may be reached`);
  return u;
}

async function main() {
  let chromium = null;
  const planPath = parseCommandLine(process.argv.slice(2), USAGE, 'PLAN.json', (a, value) => {
    if (a === '--chromium') { chromium = value(); return true; }
    return false;
  });
  let plan;
  try { plan = JSON.parse(readFileSync(planPath, 'utf8')); } catch (e) { throw new SetupError(`cannot read the plan: ${e.message}`); }
  const origin = loopback('origin', plan.origin).origin;
  const allowed = new Set([origin, ...(plan.allow || []).map((a) => loopback('allow', a).origin)]);
  const timeout = (plan.timeout || 20) * 1000;
  const report = { steps: [], blocked: [], tools: { 'playwright-core': packageVersion('playwright-core') } };
  const guard = await startGuard((u) => allowed.has(u.origin));
  let browser = null;
  try {
    browser = await launchChromium(chromiumPath(chromium), guard);
    report.tools.chromium = browser.version();
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1200, height: 900 } });
    await context.route('**/*', (route) => {
      const u = route.request().url();
      let o = null;
      try { o = new URL(u).origin; } catch { /* not a URL */ }
      if (isLocalScheme(u) || allowed.has(o)) return route.continue();
      if (report.blocked.length < 200) report.blocked.push(u);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    let step = null;
    let status = 0;
    page.on('console', (m) => { if (step && step.console.length < 200) step.console.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => { if (step && step.pageErrors.length < 50) step.pageErrors.push(String(e && e.message ? e.message : e)); });
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) status = r.status();
      else if (step && r.status() >= 400 && step.failedRequests.length < 50) step.failedRequests.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => { if (step && step.failedRequests.length < 50) step.failedRequests.push(`failed ${r.url()}: ${r.failure() && r.failure().errorText}`); });
    for (const s of plan.steps || []) {
      step = { name: s.name || '', url: '', status: 0, title: '', h1: '', text: '', jsonld: [], console: [], pageErrors: [], failedRequests: [], focus: [], error: null };
      report.steps.push(step);
      try {
        if (s.goto) {
          const target = new URL(s.goto, origin);
          if (!allowed.has(target.origin)) throw new Error(`goto ${target.href}: not an allowed origin`);
          await page.goto(target.href, { waitUntil: 'load' });
        }
        for (const a of s.actions || []) {
          if (a.fill !== undefined) await page.fill(a.fill, String(a.value ?? ''));
          else if (a.select !== undefined) await page.selectOption(a.select, String(a.value ?? ''));
          else if (a.click !== undefined) await Promise.all([page.waitForLoadState('load'), page.click(a.click)]);
          else if (a.press !== undefined) await page.keyboard.press(a.press);
          else throw new Error(`unknown action ${JSON.stringify(a)}`);
          await page.waitForLoadState('load');
        }
        for (let i = 0; i < (s.tabs || 0); i++) {
          await page.keyboard.press('Tab');
          step.focus.push(await page.evaluate(() => {
            const e = document.activeElement;
            if (!e || e === document.body) return 'body';
            const label = e.labels && e.labels.length ? e.labels[0].textContent.trim() : (e.textContent || '').trim();
            return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}: ${label.slice(0, 60)}`;
          }));
        }
        step.url = page.url();
        step.status = status;
        step.title = await page.title();
        step.h1 = await page.evaluate(() => (document.querySelector('h1') || { textContent: '' }).textContent.trim());
        step.text = (await page.evaluate(() => document.body.innerText)).slice(0, 50000);
        step.jsonld = await page.evaluate(() => [...document.querySelectorAll('script[type="application/ld+json"]')].map((e) => e.textContent));
        if (s.screenshot) await page.screenshot({ path: s.screenshot, fullPage: true });
      } catch (e) {
        step.error = String(e.message).split('\n')[0];
      }
    }
    await context.close().catch(() => {});
  } finally {
    if (browser) await browser.close().catch(() => {});
    guard.close();
  }
  for (const b of guard.blocked) if (b.fromPage && !report.blocked.includes(b.url)) report.blocked.push(b.url);
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((e) => setupFailure(SCRIPT, e instanceof SetupError ? e : new Error(e && e.stack ? e.stack : String(e))));
