#!/usr/bin/env node
// Runs the compiled tests (dist/test/**/*.test.js) of the given package folders, or of every
// workspace when none is given, with node's test runner, and ends with one line:
// `N passed, N failed[, N skipped]`. Exit code 1 when anything failed.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.env.NODE_ENV = 'test';

function workspaces() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return pkg.workspaces.flatMap((w) =>
    w.endsWith('/*') ? readdirSync(join(root, w.slice(0, -2))).map((d) => join(root, w.slice(0, -2), d)) : [join(root, w)],
  );
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const only = process.argv.find((a) => a.startsWith('--grep='))?.slice(7);
const dirs = args.length ? args.map((a) => resolve(a)) : workspaces();
let files = dirs.flatMap((d) => testFiles(join(d, 'dist', 'test'))).sort();
if (only) files = files.filter((f) => f.includes(only));

let passed = 0;
let failed = 0;
let skipped = 0;
const stream = run({ files, concurrency: Number(process.env.STRATUS_TEST_CONCURRENCY ?? 2), timeout: 5 * 60_000 });
stream.on('test:pass', (t) => {
  if (t.details?.type === 'suite') return;
  if (t.skip || t.todo) skipped++;
  else passed++;
});
stream.on('test:fail', (t) => {
  // A failing todo test is a known gap, reported by node as todo, not as a failure.
  if (t.todo) {
    skipped++;
    return;
  }
  if (t.details?.type === 'suite' && t.details?.error?.failureType !== 'hookFailure' && t.details?.error?.failureType !== 'testCodeFailure') return;
  failed++;
});
const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
// The count goes last, after the spec reporter's own summary, so CI reads it as the final line.
report.on('end', () => {
  if (files.length === 0) console.log('no test files found');
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
});
