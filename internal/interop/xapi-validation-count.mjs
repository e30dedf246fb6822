#!/usr/bin/env node
// xapi-validation-count.mjs — the anchor of the statement validation benchmark
// (xapivalidate_bench_test.go): validate every statement of an NDJSON file with
// Learning Locker's xapi-validation and count the verdicts, as fast as Node
// can: the file is read at once, each non-blank line is parsed with
// JSON.parse and given to the validator, and nothing is printed per statement.
//
// Usage: node xapi-validation-count.mjs FILE
// Output: one line "N valid, M invalid" (a statement is invalid when the
// validator returns a warning, or when its line is not a JSON object).
// Exit status: 0 when it ran (whatever the verdicts), 2 on a usage or setup error.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

function fatal(msg) {
  console.error(`xapi-validation-count: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) fatal('usage: node xapi-validation-count.mjs FILE');

const require = createRequire(import.meta.url);
let validate;
try {
  validate = require('xapi-validation').default;
} catch (e) {
  fatal(`cannot load xapi-validation (run "npm ci --ignore-scripts" in internal/interop): ${e.message}`);
}
if (typeof validate !== 'function') fatal('xapi-validation does not have the expected API');

let text;
try {
  text = readFileSync(args[0], 'utf8');
} catch (e) {
  fatal(`cannot read ${args[0]}: ${e.message}`);
}

let valid = 0;
let invalid = 0;
let start = 0;
while (start < text.length) {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  start = end + 1;
  if (line.trim() === '') continue;
  let st;
  try {
    st = JSON.parse(line);
  } catch {
    invalid += 1;
    continue;
  }
  if (st === null || typeof st !== 'object' || Array.isArray(st)) {
    invalid += 1;
    continue;
  }
  let ws;
  try {
    ws = validate(st);
  } catch {
    invalid += 1;
    continue;
  }
  if (Array.isArray(ws) && ws.length > 0) invalid += 1;
  else valid += 1;
}
console.log(`${valid} valid, ${invalid} invalid`);
