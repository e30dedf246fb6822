#!/usr/bin/env node
// xapi-validate.mjs — check xAPI 1.0.3 statements with two third-party implementations:
//
//   - xapi-validation (Learning Locker's statement validator, the one its LRS runs):
//     every warning it returns is a failure;
//   - tincanjs (Rustici's TinCanJS): the statement must parse both with
//     TinCan.Statement.fromJSON(text) and with new TinCan.Statement(object), and
//     both parses, serialised back with asVersion("1.0.3"), must keep the
//     statement's id, actor, verb id and object unchanged.
//
// Input: NDJSON, one statement per non-empty line, from FILE or stdin ("-" or no FILE).
// Output: one JSON line per statement,
//   {"n":1,"line":1,"id":"…","xapiValidation":{"ok":true,"warnings":[]},
//    "tincan":{"ok":true,"problems":[]},"pass":true}
// then a last line "N passed, M failed".
// Exit status: 0 when every statement passed, 1 when one failed (or there were none),
// 2 on a usage or setup error (unknown option, unreadable file, missing packages).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const USAGE = 'usage: node xapi-validate.mjs [FILE|-]   (NDJSON xAPI 1.0.3 statements; stdin without FILE)';

function fatal(msg) {
  console.error(`xapi-validate: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file = '-';
for (const a of args) {
  if (a === '-h' || a === '--help') {
    console.log(USAGE);
    process.exit(0);
  }
  if (a.startsWith('-') && a !== '-') fatal(`unknown option ${a}\n${USAGE}`);
  if (file !== '-') fatal(`only one FILE\n${USAGE}`);
  file = a;
}

// The packages live in node_modules beside this script (npm ci in this folder).
const require = createRequire(import.meta.url);
let validate;
let TinCan;
try {
  validate = require('xapi-validation').default;
  TinCan = require('tincanjs');
} catch (e) {
  fatal(`cannot load xapi-validation / tincanjs (run "npm ci --ignore-scripts" in internal/interop): ${e.message}`);
}
if (typeof validate !== 'function' || typeof TinCan.Statement !== 'function') {
  fatal('xapi-validation or tincanjs does not have the expected API');
}

let text;
try {
  text = readFileSync(file === '-' ? 0 : file, 'utf8');
} catch (e) {
  fatal(`cannot read ${file === '-' ? 'stdin' : file}: ${e.message}`);
}

// ---- xapi-validation ----

// The validator returns a tree of warnings (groups hold "warnings" of their own).
function leaves(ws, out) {
  for (const w of ws || []) {
    if (w && Array.isArray(w.warnings) && w.warnings.length > 0) leaves(w.warnings, out);
    else out.push(w);
  }
  return out;
}

// describe writes a warning as "PATH KIND {details} (value …)": the warning's class
// (TypeWarning, RawMoreThanMaxWarning, …), its own fields (typeName, keys, raw, max, …)
// and the value it is about.
function clip(v) {
  let s;
  try {
    s = JSON.stringify(v);
  } catch {
    s = String(v);
  }
  if (s === undefined) s = String(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

function describe(w) {
  if (!w || typeof w !== 'object') return `warning ${clip(w)}`;
  const path = Array.isArray(w.path) ? w.path.join('.') : '';
  const kind = w.name && w.name !== 'Error' ? w.name : (w.constructor && w.constructor.name) || 'Warning';
  const details = {};
  for (const k of Object.keys(w)) {
    if (!['data', 'path', 'message', 'name', 'stack', 'warnings'].includes(k)) details[k] = w[k];
  }
  const extra = Object.keys(details).length > 0 ? ` ${clip(details)}` : '';
  return `${path} ${kind}${extra} (value ${clip(w.data)})`;
}

function checkValidation(st) {
  let ws;
  try {
    ws = validate(st);
  } catch (e) {
    return { ok: false, warnings: [`validator threw: ${e && e.message}`] };
  }
  const warnings = leaves(ws, []).map(describe);
  return { ok: warnings.length === 0, warnings };
}

// ---- TinCanJS ----

const same = (a, b) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));

// canon sorts object keys and drops null members, so that key order and
// "absent" vs "null" do not count as differences.
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== null && v[k] !== undefined) out[k] = canon(v[k]);
    return out;
  }
  return v;
}

// withType returns a copy of an agent or activity with its default
// objectType, which TinCanJS always writes out.
function withType(v, def) {
  if (!v || typeof v !== 'object') return v;
  return { objectType: def, ...v };
}

function compareKeyFields(how, st, back, problems) {
  // A statement without id is given one by TinCanJS (fromJSON stamps it).
  if (st.id !== undefined && back.id !== st.id) problems.push(`${how}: id ${JSON.stringify(st.id)} came back as ${JSON.stringify(back.id)}`);
  if (!same(withType(st.actor, 'Agent'), back.actor)) {
    problems.push(`${how}: actor ${JSON.stringify(st.actor)} came back as ${JSON.stringify(back.actor)}`);
  }
  const vid = st.verb && st.verb.id;
  if (!back.verb || back.verb.id !== vid) {
    problems.push(`${how}: verb.id ${JSON.stringify(vid)} came back as ${JSON.stringify(back.verb && back.verb.id)}`);
  }
  if (st.verb && st.verb.display && !same(st.verb.display, back.verb && back.verb.display)) {
    problems.push(`${how}: verb.display changed to ${JSON.stringify(back.verb && back.verb.display)}`);
  }
  const objType = (st.object && st.object.objectType) || 'Activity';
  if (!same(withType(st.object, objType), back.object)) {
    problems.push(`${how}: object ${JSON.stringify(st.object)} came back as ${JSON.stringify(back.object)}`);
  }
  // Beyond the key fields: result, context and timestamp must come back with
  // every member they had (TinCanJS may only add the default objectTypes).
  for (const k of ['result', 'context', 'timestamp']) {
    if (st[k] === undefined || st[k] === null) continue;
    const lost = [];
    kept(st[k], back[k], k, lost);
    for (const l of lost) problems.push(`${how}: ${l}`);
  }
}

// kept lists the members of a that b does not hold unchanged; b may add
// objectType "Agent" or "Activity", the defaults TinCanJS writes out.
function kept(a, b, path, lost) {
  if (a === null || a === undefined) return;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || b.length !== a.length) {
      lost.push(`${path} ${clip(a)} came back as ${clip(b)}`);
      return;
    }
    a.forEach((v, i) => kept(v, b[i], `${path}[${i}]`, lost));
    return;
  }
  if (typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) {
      lost.push(`${path} ${clip(a)} came back as ${clip(b)}`);
      return;
    }
    for (const k of Object.keys(a)) kept(a[k], b[k], `${path}.${k}`, lost);
    for (const k of Object.keys(b)) {
      if (k in a || b[k] === null || b[k] === undefined) continue;
      if (k === 'objectType' && (b[k] === 'Agent' || b[k] === 'Activity')) continue;
      lost.push(`${path}.${k} added: ${clip(b[k])}`);
    }
    return;
  }
  if (a !== b) lost.push(`${path} ${clip(a)} came back as ${clip(b)}`);
}

function checkTinCan(st, line) {
  const problems = [];
  const parses = [
    ['Statement.fromJSON', () => TinCan.Statement.fromJSON(line)],
    ['new Statement', () => new TinCan.Statement(JSON.parse(line), { doStamp: false })],
  ];
  for (const [how, parse] of parses) {
    let back;
    try {
      const parsed = parse();
      if (!(parsed instanceof TinCan.Statement)) throw new Error('did not give a TinCan.Statement');
      back = JSON.parse(JSON.stringify(parsed.asVersion('1.0.3')));
    } catch (e) {
      problems.push(`${how} threw: ${e && e.message}`);
      continue;
    }
    compareKeyFields(how, st, back, problems);
  }
  return { ok: problems.length === 0, problems };
}

// ---- main ----

let passed = 0;
let failed = 0;
let n = 0;
const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
lines.forEach((line, i) => {
  if (line.trim() === '') return;
  n += 1;
  const rec = { n, line: i + 1 };
  let st;
  try {
    st = JSON.parse(line);
  } catch (e) {
    rec.error = `invalid JSON: ${e.message}`;
  }
  if (rec.error === undefined && (st === null || typeof st !== 'object' || Array.isArray(st))) {
    rec.error = 'not a JSON object';
  }
  if (rec.error === undefined) {
    if (typeof st.id === 'string') rec.id = st.id;
    rec.xapiValidation = checkValidation(st);
    rec.tincan = checkTinCan(st, line);
    rec.pass = rec.xapiValidation.ok && rec.tincan.ok;
  } else {
    rec.pass = false;
  }
  if (rec.pass) passed += 1;
  else failed += 1;
  console.log(JSON.stringify(rec));
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || n === 0 ? 1 : 0);
