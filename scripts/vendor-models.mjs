#!/usr/bin/env node
// Regenerates shared/models/*.json from the AWS SDK for JavaScript v2 packages on npm.
// The final v2 release (2.1693.0) has current shapes; SQS's model there is JSON-only and lost the
// query-protocol XML names, so those are merged back in from the last query-era release (2.1490.0).
// Run by hand when a model needs refreshing: node scripts/vendor-models.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'models');
const CURRENT = '2.1693.0';
const QUERY_ERA = '2.1490.0';
const MODELS = ['sqs-2012-11-05', 'sts-2011-06-15', 's3-2006-03-01', 'dynamodb-2012-08-10', 'streams.dynamodb-2012-08-10'];

function unpack(version) {
  const dir = mkdtempSync(join(tmpdir(), 'aws-sdk-'));
  const file = execFileSync('npm', ['pack', `aws-sdk@${version}`, '--silent'], { cwd: dir }).toString().trim();
  execFileSync('tar', ['xzf', file, ...MODELS.map((m) => `package/apis/${m}.min.json`)], { cwd: dir });
  return (name) => JSON.parse(readFileSync(join(dir, 'package', 'apis', `${name}.min.json`), 'utf8'));
}

const XML_TRAITS = ['locationName', 'resultWrapper', 'flattened', 'xmlNamespace'];

/** Copies XML naming traits from the query-era shape onto the current one, member by member. */
function mergeXmlNames(cur, old, curModel, oldModel, seen = new Set()) {
  if (!cur || !old) return;
  for (const t of XML_TRAITS) if (old[t] !== undefined && cur[t] === undefined) cur[t] = old[t];
  const c = cur.shape ? curModel.shapes[cur.shape] : cur;
  const o = old.shape ? oldModel.shapes[old.shape] : old;
  if (!c || !o) return;
  if (cur.shape) {
    if (seen.has(cur.shape)) return;
    seen.add(cur.shape);
    for (const t of XML_TRAITS) if (o[t] !== undefined && c[t] === undefined) c[t] = o[t];
  }
  if (c.members && o.members) for (const k of Object.keys(c.members)) mergeXmlNames(c.members[k], o.members[k], curModel, oldModel, seen);
  if (c.member && o.member) mergeXmlNames(c.member, o.member, curModel, oldModel, seen);
  if (c.key && o.key) mergeXmlNames(c.key, o.key, curModel, oldModel, seen);
  if (c.value && o.value) mergeXmlNames(c.value, o.value, curModel, oldModel, seen);
}

const current = unpack(CURRENT);
const queryEra = unpack(QUERY_ERA);
for (const name of MODELS) {
  const model = current(name);
  if (name.startsWith('sqs-')) {
    const old = queryEra(name);
    model.metadata.xmlNamespace = old.metadata.xmlNamespace;
    for (const [op, def] of Object.entries(model.operations)) {
      const o = old.operations[op];
      if (!o) continue;
      mergeXmlNames(def.input, o.input, model, old);
      mergeXmlNames(def.output, o.output, model, old);
    }
    // Added after the switch to JSON; its query name follows the AttributeName pattern.
    model.operations.ReceiveMessage.input.members.MessageSystemAttributeNames.member.locationName = 'MessageSystemAttributeName';
  }
  writeFileSync(join(out, `${name}.json`), JSON.stringify(model));
}
console.log(`wrote ${MODELS.length} models to ${out}`);
