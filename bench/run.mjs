#!/usr/bin/env node
// `npm run bench`: starts Stratus embedded as a child process and measures it from outside:
// startup time to the first answered ListQueues, idle RSS, then per case ops/s and the server's CPU µs per
// operation at concurrency 1 and 16 (S3 also MiB/s). `BENCH_PEERS=moto` also runs the SQS and S3 cases
// against moto server;
// `BENCH_PEERS=dynalite` the DynamoDB cases against dynalite (a checkout with its node_modules installed, in
// BENCH_DYNALITE_DIR, by default the one the conformance runner leaves in $TMPDIR/peers/dynalite-suite);
// `BENCH_PEERS=s3rver` the S3 cases (one 64 MiB multipart upload) against s3rver (installed with npm in
// BENCH_S3RVER_DIR, by default $TMPDIR/peers/s3rver). Peers combine: `BENCH_PEERS=moto,dynalite,s3rver`.
// Results are printed as a table and written to bench/results/latest.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, request, rssMiB } from './load.mjs';
import { benchSqs, listQueues } from './sqs.mjs';
import { benchDynamodb, listTables } from './dynamodb.mjs';
import { benchS3, printS3Rows } from './s3.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const stratusBin = join(here, '..', 'cli', 'dist', 'src', 'main.js');

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startServer(name, cmd, args, env, port, ready = listQueues) {
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', name === 'stratus' ? 'inherit' : 'ignore'] });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if (await ready(port)) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { name, child, pid: child.pid, port, startupMs };
}

function stop(server) {
  return new Promise((resolve) => {
    server.child.once('exit', resolve);
    server.child.kill('SIGTERM');
  });
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function printRows(title, rows) {
  console.log(`\n${title}`);
  console.log(`${'case'.padEnd(38)} ${'conc'.padStart(4)} ${'ops/s'.padStart(10)} ${'server CPU µs/op'.padStart(17)}`);
  for (const r of rows) {
    console.log(`${r.case.padEnd(38)} ${String(r.concurrency).padStart(4)} ${fmt(r.opsPerSecond).padStart(10)} ${fmt(r.cpuMicrosPerOp, 1).padStart(17)}`);
  }
}

/** "Stratus / peer" lines: ops/s (and MiB/s where both move bytes) per case and concurrency. */
function printRatios(title, ours, theirs) {
  console.log(`\n${title}`);
  for (const r of ours) {
    const p = theirs.find((x) => x.case === r.case && x.concurrency === r.concurrency);
    if (!p) continue;
    const mib = r.mibPerSecond !== undefined && p.mibPerSecond !== undefined ? `, MiB/s ${fmt(r.mibPerSecond / p.mibPerSecond, 1)}×` : '';
    console.log(`  ${r.case} c=${r.concurrency}: ${fmt(r.opsPerSecond / p.opsPerSecond, 1)}×${mib}`);
  }
}

const peers = (process.env.BENCH_PEERS ?? '').split(',');
const results = { date: new Date().toISOString(), node: process.version };

// The floor: what a bare HTTP server costs per request here, now.
{
  const port = await freePort();
  const answers = (p) => request(undefined, p, { method: 'GET', body: '' }).then((r) => r.status === 200);
  const bare = await startServer('bare', process.execPath, [join(here, 'bare-server.mjs')], { PORT: String(port) }, port, answers);
  const body = JSON.stringify({ QueueUrl: 'http://127.0.0.1/000000000000/q', MessageBody: 'x'.repeat(200) });
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' };
  results.bareHttp = [];
  for (const concurrency of [1, 16]) {
    const m = await measure(bare.pid, concurrency, concurrency === 1 ? 2000 : 8000, (agent) => request(agent, port, { headers, body }));
    results.bareHttp.push({ case: 'bare Node HTTP, fixed 200', concurrency, ...m });
  }
  await stop(bare);
}

// Startup: median of 5 cold starts.
const startups = [];
for (let i = 0; i < 5; i++) {
  const port = await freePort();
  const s = await startServer('stratus', process.execPath, [stratusBin, 'start'], { STRATUS_PORT: String(port), STRATUS_LOG_LEVEL: 'info' }, port);
  startups.push(s.startupMs);
  await stop(s);
}
startups.sort((a, b) => a - b);
results.startupMs = startups[2];

const port = await freePort();
const stratus = await startServer('stratus', process.execPath, [stratusBin, 'start'], { STRATUS_PORT: String(port), STRATUS_LOG_LEVEL: 'info' }, port);
// Idle means after the background warm-up has loaded every service.
await new Promise((r) => setTimeout(r, 1500));
results.idleRssMiB = rssMiB(stratus.pid);
results.stratus = await benchSqs(stratus);
results.stratusDynamodb = await benchDynamodb(stratus);
results.stratusS3 = await benchS3(stratus);
results.loadedRssMiB = rssMiB(stratus.pid);
await stop(stratus);

console.log(`Stratus ${results.node}: startup to first ListQueues ${fmt(results.startupMs, 1)} ms (median of 5); RSS idle ${fmt(results.idleRssMiB, 1)} MiB, after load ${fmt(results.loadedRssMiB, 1)} MiB`);
printRows('Floor: a bare Node HTTP server (same requests, same run)', results.bareHttp);
printRows('Stratus (embedded)', results.stratus);
printRows('Stratus (embedded): DynamoDB', results.stratusDynamodb);
printS3Rows('Stratus (embedded): S3', results.stratusS3);

if (peers.includes('moto')) {
  const motoPort = await freePort();
  const moto = await startServer('moto', 'python3', ['-m', 'moto.server', '-p', String(motoPort)], {}, motoPort);
  results.moto = await benchSqs(moto, { counts: { 1: 200, 16: 400 } });
  // moto answers a 1,000-key listing about 7 times a second: fewer operations per case.
  results.motoS3 = await benchS3(moto, { counts: { [1024]: { 1: 200, 16: 400 }, [1024 * 1024]: { 1: 50, 16: 100 } }, lists: { 1: 10, 16: 20 } });
  await stop(moto);
  printRows('moto server (same requests)', results.moto);
  printRatios('Stratus / moto ops/s:', results.stratus, results.moto);
  printS3Rows('moto server: S3 (same requests)', results.motoS3);
  printRatios('Stratus / moto S3 ops/s (and MiB/s):', results.stratusS3, results.motoS3);
}

if (peers.includes('dynalite')) {
  const dir = process.env.BENCH_DYNALITE_DIR ?? join(tmpdir(), 'peers', 'dynalite-suite');
  if (!existsSync(join(dir, 'cli.js')) || !existsSync(join(dir, 'node_modules'))) {
    console.log(`\ndynalite: no checkout with node_modules in ${dir} (set BENCH_DYNALITE_DIR, or run the conformance runner once)`);
  } else {
    const dynalitePort = await freePort();
    const args = [join(dir, 'cli.js'), '--port', String(dynalitePort), '--host', '127.0.0.1', '--createTableMs', '0', '--deleteTableMs', '0'];
    const dynalite = await startServer('dynalite', process.execPath, args, {}, dynalitePort, listTables);
    results.dynalite = await benchDynamodb(dynalite, { counts: { 1: 1000, 16: 2000 }, scans: { 1: 3, 16: 16 } });
    await stop(dynalite);
    printRows('dynalite (same requests)', results.dynalite);
    printRatios('Stratus / dynalite ops/s:', results.stratusDynamodb, results.dynalite);
  }
}

if (peers.includes('s3rver')) {
  const dir = process.env.BENCH_S3RVER_DIR ?? join(tmpdir(), 'peers', 's3rver');
  const pkg = join(dir, 'node_modules', 's3rver', 'package.json');
  if (!existsSync(pkg)) {
    console.log(`\ns3rver: not installed in ${dir} (mkdir -p ${dir} && cd ${dir} && npm init -y && npm install s3rver@3.7.1, or set BENCH_S3RVER_DIR)`);
  } else {
    const bin = join(dir, 'node_modules', 's3rver', JSON.parse(readFileSync(pkg, 'utf8')).bin.s3rver);
    const data = mkdtempSync(join(tmpdir(), 'bench-s3rver-'));
    const s3rverPort = await freePort();
    const args = [bin, '--directory', data, '--address', '127.0.0.1', '--port', String(s3rverPort), '--silent'];
    // Ready when anything answers over HTTP.
    const answers = (p) => request(undefined, p, { method: 'GET', body: '' }).then(() => true);
    const s3rver = await startServer('s3rver', process.execPath, args, {}, s3rverPort, answers);
    try {
      // s3rver stores every object as files and lists about 15 times a second: fewer operations per case, and
      // only the 64 MiB multipart upload. Listings one at a time: it opens files for every key it lists, and
      // 16 concurrent listings of 1,000 keys ran out of descriptors here (EMFILE, answered as a 500) in half the
      // runs. It accepts only its own access key.
      results.s3rverS3 = await benchS3(s3rver, {
        counts: { [1024]: { 1: 1000, 16: 2000 }, [1024 * 1024]: { 1: 300, 16: 2000 } },
        lists: { 1: 20 },
        multipart: [64 * 1024 * 1024],
        compositeEtag: false,
        credentials: { accessKeyId: 'S3RVER', secret: 'S3RVER' },
      });
    } finally {
      await stop(s3rver);
      rmSync(data, { recursive: true, force: true });
    }
    printS3Rows('s3rver: S3 (same requests)', results.s3rverS3);
    printRatios('Stratus / s3rver S3 ops/s (and MiB/s):', results.stratusS3, results.s3rverS3);
  }
}

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(results, null, 2));
