#!/usr/bin/env node
// jsonld-expand.mjs — expand JSON-LD documents with the npm jsonld package
// (jsonld.js, Digital Bazaar's JSON-LD 1.1 processor), offline.
//
// Remote contexts are never fetched: each one a document names must be mapped
// to a local file with --context URL=FILE, and any other URL is an error. OTA's
// published JSON-LD names one remote context, the AMB profile's
// (https://w3id.org/kim/amb/context.jsonld), whose own "@vocab" is
// http://schema.org/, so schema.org's context document is never needed.
//
// Input: a JSON array of JSON-LD documents, from FILE or stdin ("-" or no FILE).
// Output: a JSON array holding, for each document, {"expanded": [...]} or
// {"error": "..."} when it cannot be expanded.
// Exit status: 0 when every document expanded, 1 when one did not, 2 on a usage or
// setup error (unknown option, unreadable input, missing package).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SetupError, setupFailure } from './headless.mjs';

const SCRIPT = 'jsonld-expand';
const USAGE = `usage: node jsonld-expand.mjs [--context URL=FILE]... [FILE|-]

Expands each JSON-LD document of a JSON array (FILE, or stdin) with jsonld.js,
serving remote contexts only from the local files given.`;

function main() {
  const contexts = new Map();
  let file = '-';
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    }
    if (a === '--context') {
      const v = argv[++i];
      const eq = v === undefined ? -1 : v.indexOf('=');
      if (eq <= 0) throw new SetupError(`--context ${v}: want URL=FILE`);
      contexts.set(v.slice(0, eq), v.slice(eq + 1));
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new SetupError(`unknown option ${a}\n${USAGE}`);
    file = a;
  }
  const require = createRequire(import.meta.url);
  let jsonld;
  try {
    jsonld = require('jsonld');
  } catch (e) {
    throw new SetupError(`cannot load jsonld (run "npm ci --ignore-scripts" in internal/interop): ${e.message}`);
  }
  let docs;
  try {
    docs = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    throw new SetupError(`cannot read a JSON array from ${file === '-' ? 'stdin' : file}: ${e.message}`);
  }
  if (!Array.isArray(docs)) throw new SetupError('the input is not a JSON array of documents');
  const loaded = new Map();
  const documentLoader = async (url) => {
    const path = contexts.get(url);
    if (path === undefined) throw new Error(`remote context ${url} is not mapped to a local file (offline loader)`);
    if (!loaded.has(url)) loaded.set(url, JSON.parse(readFileSync(path, 'utf8')));
    return { contextUrl: null, documentUrl: url, document: loaded.get(url) };
  };
  return (async () => {
    const out = [];
    let failed = false;
    for (const doc of docs) {
      try {
        out.push({ expanded: await jsonld.expand(doc, { documentLoader, safe: true }) });
      } catch (e) {
        failed = true;
        out.push({ error: String(e && e.message ? e.message : e) + (e && e.details ? ' ' + JSON.stringify(e.details).slice(0, 500) : '') });
      }
    }
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(failed ? 1 : 0);
  })();
}

try {
  await main();
} catch (e) {
  setupFailure(SCRIPT, e);
}
