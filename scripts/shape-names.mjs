#!/usr/bin/env node
// Writes shared/models/<id>.supplement.json's `shapeName` traits: the names of the input structures, which
// the min.json form drops (its shapes are keyed S1, S2... and shapes used once are inlined). DynamoDB
// names a structure's Java class in some SerializationException messages, so its decoder needs them.
// The names come from botocore's full model of the same API (python3 -m pip show botocore), walked in
// step with the vendored min.json from every operation's input.
// Run by hand after scripts/vendor-models.mjs:  node scripts/shape-names.mjs dynamodb-2012-08-10 dynamodb/2012-08-10
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [id, botocoreId] = process.argv.slice(2);
if (!id || !botocoreId) {
  console.error('usage: node scripts/shape-names.mjs <model id> <botocore service/version>');
  process.exit(2);
}
const models = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'models');
const min = JSON.parse(readFileSync(join(models, `${id}.json`), 'utf8'));
const botocoreDir = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))']).toString().trim();
const fullFile = join(botocoreDir, 'data', botocoreId, 'service-2.json');
const full = JSON.parse(existsSync(fullFile) ? readFileSync(fullFile, 'utf8') : gunzipSync(readFileSync(`${fullFile}.gz`)).toString('utf8'));

/** path in the min.json document -> name */
const names = new Map();
const visited = new Set();

/** Walks a min.json definition (at `path`) together with the botocore shape it stands for. */
function walk(def, path, fullName) {
  const fullShape = full.shapes[fullName];
  if (!fullShape) return;
  if (def.shape !== undefined) {
    if (visited.has(def.shape)) return;
    visited.add(def.shape);
    path = ['shapes', def.shape];
    def = min.shapes[def.shape];
  }
  const type = def.type ?? 'string';
  if (type !== fullShape.type) return;
  if (type === 'structure') {
    names.set(JSON.stringify(path), fullName);
    for (const [member, m] of Object.entries(def.members ?? {})) {
      const fm = fullShape.members?.[member];
      if (fm) walk(m, [...path, 'members', member], fm.shape);
    }
  } else if (type === 'list') {
    walk(def.member ?? {}, [...path, 'member'], fullShape.member.shape);
  } else if (type === 'map') {
    walk(def.value ?? {}, [...path, 'value'], fullShape.value.shape);
  }
}

for (const [op, def] of Object.entries(min.operations)) {
  const fullOp = full.operations[op];
  if (def.input && fullOp?.input) walk(def.input, ['operations', op, 'input'], fullOp.input.shape);
}

const supplementFile = join(models, `${id}.supplement.json`);
const supplement = existsSync(supplementFile) ? JSON.parse(readFileSync(supplementFile, 'utf8')) : {};
supplement._comment ??= `Merged into ${id}.json by loadModel (shared/src/protocols/model.ts).`;
for (const [key, name] of [...names].sort(([a], [b]) => (a < b ? -1 : 1))) {
  let node = supplement;
  for (const step of JSON.parse(key)) node = node[step] ??= {};
  node.shapeName = name;
}
writeFileSync(supplementFile, `${JSON.stringify(supplement, null, 1)}\n`);
console.log(`${names.size} structure names in ${supplementFile}`);
