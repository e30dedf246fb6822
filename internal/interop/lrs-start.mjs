#!/usr/bin/env node
// lrs-start.mjs starts Learning Locker's xAPI Statement service
// (xapi-statements) and Activity Profile service (xapi-activities) in one
// Node process, on 127.0.0.1 only, with no database: statements in memory,
// attachments and documents in a temporary folder, no Redis, test
// authentication. It is a test tool for the LRS client tests of
// packaging/xapi; see README.md.
//
//   node lrs-start.mjs [--port N] [--port-file FILE] [--storage DIR]
//
// --port 0 (the default) picks a free port. Once the LRS listens, the script
// prints one line, OTA_TEST_LRS=http://127.0.0.1:PORT/xAPI, on stdout and,
// with --port-file, writes PORT to FILE (written to FILE.tmp, then renamed,
// so a reader never sees half a number). It stops on SIGINT or SIGTERM and
// removes the storage folder it created (not one given with --storage).
//
// Both packages call app.listen(EXPRESS_PORT) themselves, which would listen
// on every interface. This script replaces Express's listen before loading
// them, keeps the two apps, and serves them from its own server bound to
// 127.0.0.1: /xAPI/activities/profile goes to xapi-activities, everything
// else to xapi-statements.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';

function usage(msg) {
  process.stderr.write(`lrs-start: ${msg}\nusage: node lrs-start.mjs [--port N] [--port-file FILE] [--storage DIR]\n`);
  process.exit(2);
}

// Arguments.
let port = 0;
let portFile = '';
let storage = '';
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  switch (a) {
    case '--port': {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 65535) usage(`--port ${v}: not a port number`);
      port = Number(v);
      break;
    }
    case '--port-file': portFile = value(); break;
    case '--storage': storage = value(); break;
    case '-h': case '--help': usage('help'); break;
    default: usage(`unknown argument ${a}`);
  }
}

const ownStorage = storage === '';
if (ownStorage) storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ota-lrs-'));
fs.mkdirSync(path.join(storage, 'accessLogs'), { recursive: true });

// The services read their configuration from the environment when they are
// loaded; set it first. Values already in the environment win, so a caller
// can raise the log level, for example.
const env = {
  MODELS_REPO: 'memory',
  STORAGE_REPO: 'local',
  FS_LOCAL_STORAGE_DIR: storage,
  EVENTS_REPO: 'test',
  AUTH_REPO: 'test',
  LANG: 'en',
  SERVICE_AWAIT_UPDATES: 'true',
  EXPRESS_PORT: '0',
  EXPRESS_MORGAN_DIRECTORY: path.join(storage, 'accessLogs'),
  WINSTON_CONSOLE_LEVEL: 'warn',
  WINSTON_CLOUDWATCH_ENABLED: 'false',
  // aws-sdk v2 (a dependency, unused here) prints a notice on loading.
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};
for (const [k, v] of Object.entries(env)) {
  if (process.env[k] === undefined || process.env[k] === '') process.env[k] = v;
}
// These must not be overridden: they are what makes the LRS run without
// MongoDB and Redis, and keeps it from reaching anything.
Object.assign(process.env, { MODELS_REPO: 'memory', EVENTS_REPO: 'test', AUTH_REPO: 'test' });

// Load each service with Express's listen replaced, keeping the app.
function loadApp(pkg) {
  const req = createRequire(path.join(here, 'node_modules', pkg, 'package.json'));
  const express = req('express');
  const original = express.application.listen;
  let captured = null;
  express.application.listen = function captureListen() {
    captured = this;
    // The services only use the return value to ignore it.
    return null;
  };
  try {
    req(pkg);
  } finally {
    express.application.listen = original;
  }
  if (captured === null) throw new Error(`${pkg} did not create an Express app`);
  return captured;
}

const statements = loadApp('xapi-statements');
const activities = loadApp('xapi-activities');

const profileRoute = '/xAPI/activities/profile';
const server = http.createServer((req, res) => {
  const p = (req.url || '/').split('?')[0];
  if (p === profileRoute || p.startsWith(profileRoute + '/')) {
    activities(req, res);
  } else {
    statements(req, res);
  }
});

function cleanUp() {
  if (ownStorage) {
    try { fs.rmSync(storage, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}

function stop(signal) {
  server.close();
  cleanUp();
  process.stderr.write(`lrs-start: stopped (${signal})\n`);
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('exit', cleanUp);

server.on('error', (err) => {
  process.stderr.write(`lrs-start: ${err.message}\n`);
  cleanUp();
  process.exit(1);
});

server.listen(port, HOST, () => {
  const actual = server.address().port;
  if (portFile !== '') {
    fs.writeFileSync(portFile + '.tmp', String(actual));
    fs.renameSync(portFile + '.tmp', portFile);
  }
  process.stdout.write(`OTA_TEST_LRS=http://${HOST}:${actual}/xAPI\n`);
  process.stderr.write(`lrs-start: Learning Locker xAPI services on http://${HOST}:${actual}/xAPI (storage ${storage})\n`);
});
