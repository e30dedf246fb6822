// headless.mjs — what scorm-run.mjs and browse.mjs share: Debian's Chromium
// started through playwright-core with the flags that work offline on these
// machines, and the guard that decides which requests may leave the browser.
//
// Requests are checked twice. Each script's playwright route aborts what is
// not allowed, and lists it; but requests a page sends while it unloads
// (sendBeacon, fetch keepalive) are not seen by routes. So Chromium also sends
// all its traffic, loopback included, through a small HTTP proxy here, which
// forwards only allowed requests, refuses the others and lists both.
//
// Never downloads a browser: the binary is /usr/bin/chromium unless
// --chromium PATH or OTA_CHROMIUM names another.
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Flags every run passes to Chromium (see internal/interop/README.md). */
export const CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** The browser binary: the --chromium value, else $OTA_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(fromArgs) {
  return fromArgs || process.env.OTA_CHROMIUM || '/usr/bin/chromium';
}

/** SetupError ends a script with exit status 2. */
export class SetupError extends Error {}

/** Version of an installed npm package, or null. */
export function packageVersion(name) {
  try {
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 4; i++) {
      const f = join(dir, 'package.json');
      if (existsSync(f)) {
        const p = JSON.parse(readFileSync(f, 'utf8'));
        if (p.name === name) return p.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return null;
}

/**
 * Starts headless Chromium. Each caller then makes a fresh context (its own
 * storage) per page it opens; playwright gives the browser a temporary
 * user-data-dir of its own and removes it on close.
 */
export async function launchChromium(executablePath, guard) {
  if (!existsSync(executablePath)) {
    throw new SetupError(`no browser at ${executablePath} (apt-get install chromium, or set OTA_CHROMIUM)`);
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new SetupError(`playwright-core is not installed: run \`npm ci\` in internal/interop (${e.message})`);
  }
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS, `--proxy-server=http://127.0.0.1:${guard.port}`, '--proxy-bypass-list=<-loopback>'],
      timeout: 60_000,
    });
  } catch (e) {
    throw new SetupError(`cannot start ${executablePath}: ${String(e.message).split('\n')[0]}`);
  }
}

/** Whether host (a URL's hostname) is a loopback address. */
export function isLoopbackHost(host) {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Requests that never leave the browser and need no permission. */
export function isLocalScheme(url) {
  return /^(data|blob|about):/i.test(url);
}

/** Seconds from an option value; throws SetupError when it is not a number >= 0. */
export function seconds(name, value) {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) {
    throw new SetupError(`${name} needs a number of seconds, not ${JSON.stringify(value)}`);
  }
  return n;
}

/** Resolves after ms milliseconds. */
export function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** Ends the script: message on stderr, exit status 2. */
export function setupFailure(script, err) {
  process.stderr.write(`${script}: ${err && err.message ? err.message : err}\n`);
  process.exit(2);
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

function withoutHopByHop(headers) {
  const out = { ...headers };
  for (const h of HOP_BY_HOP) delete out[h];
  return out;
}

/**
 * Starts the proxy every Chromium request goes through. allow(url) says
 * whether a request (a URL object; for a CONNECT tunnel https://host:port/)
 * may pass. Returns {port, requests: [{method, url, status, error?}], blocked:
 * [{url, fromPage}], close()}; requests lists the forwarded ones. fromPage
 * tells a page's request from Chromium's own background traffic (which the
 * flags do not silence entirely: update.googleapis.com, accounts.google.com);
 * a refused CONNECT tunnel counts as background traffic.
 */
export function startGuard(allow) {
  const requests = [];
  const blocked = [];
  const note = (list, x) => { if (list.length < 5000) list.push(x); };
  const server = createServer((req, res) => {
    let u;
    try { u = new URL(req.url); } catch { res.writeHead(400, { 'content-type': 'text/plain' }).end('proxy: absolute URL expected'); return; }
    if (u.protocol !== 'http:' || !allow(u)) {
      // A page's request carries fetch metadata, an Origin or a Referer;
      // Chromium's own background requests carry none of them.
      const h = req.headers;
      note(blocked, { url: u.href, fromPage: Boolean(h['sec-fetch-mode'] || h.origin || h.referer) });
      req.resume();
      res.writeHead(403, { 'content-type': 'text/plain' }).end('blocked by the test harness');
      return;
    }
    const rec = { method: req.method, url: u.href, status: 0 };
    note(requests, rec);
    const up = httpRequest({
      host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port || 80, method: req.method,
      path: u.pathname + u.search, headers: withoutHopByHop(req.headers), agent: false,
    }, (ur) => {
      rec.status = ur.statusCode;
      res.writeHead(ur.statusCode, ur.statusMessage, withoutHopByHop(ur.headers));
      ur.pipe(res);
    });
    up.on('error', (e) => {
      rec.error = e.message;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${e.message}`);
      else res.destroy();
    });
    req.pipe(up);
  });
  server.on('connect', (req, socket, head) => {
    let u = null;
    try { u = new URL(`https://${req.url}/`); } catch { /* not host:port */ }
    socket.on('error', () => {});
    if (!u || !allow(u)) {
      // a tunnel shows only host and port: who asked for it is unknown
      note(blocked, { url: u ? u.href : String(req.url), fromPage: false });
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    note(requests, { method: 'CONNECT', url: u.href, status: 200 });
    const up = connect(Number(u.port) || 443, u.hostname.replace(/^\[|\]$/g, ''), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok({
      port: server.address().port, requests, blocked,
      close: () => { server.close(); server.closeAllConnections(); },
    }));
  });
}

// parseCommandLine reads argv: options go to option(name, value), where
// value() takes the option's value (inline after "=" or the next
// argument); the one positional argument (after "--" too) is returned.
// -h and --help print usage and exit. what names the positional argument
// in messages.
export function parseCommandLine(argv, usage, what, option) {
  let positional = null;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline;
    if (a.startsWith('--') && a.includes('=')) [a, inline] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new SetupError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') {
      process.stdout.write(usage + '\n');
      process.exit(0);
    }
    if (a === '--') {
      if (i + 2 !== argv.length || positional !== null) throw new SetupError(`one ${what} after --\n${usage}`);
      positional = argv[++i];
      continue;
    }
    if (a.startsWith('-')) {
      if (!option(a, value)) throw new SetupError(`unknown option ${a}\n${usage}`);
      continue;
    }
    if (positional !== null) throw new SetupError(`one ${what} only\n${usage}`);
    positional = a;
  }
  if (positional === null) throw new SetupError(usage);
  return positional;
}
