// Load generation for `npm run bench`: raw HTTP with keep-alive and pre-built requests, so what is measured
// is the server, not an SDK. Also reads a server process's CPU time and RSS from /proc.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createHash, createHmac } from 'node:crypto';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime + stime of a process, in microseconds. */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/** Resident set size of a process (and its threads), in MiB. */
export function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** An AWS SigV4 Authorization header for a request (signed once per request shape). */
export function sigv4(method, host, path, headers, body, { service, region = 'us-east-1', accessKeyId = 'bench', secret = 'bench' }) {
  const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = now.slice(0, 8);
  const all = { ...headers, host, 'x-amz-date': now };
  const names = Object.keys(all).map((k) => k.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = [method, path, '', ...names.map((n) => `${n}:${String(lower[n]).trim()}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    'x-amz-date': now,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => createHmac('sha256', k).update(s).digest();

/** One request over a keep-alive agent; resolves with status and body text. */
export function request(agent, port, { method = 'POST', path = '/', headers, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': Buffer.byteLength(body ?? '') } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs `op` from `concurrency` workers until `total` operations are done; returns ops/s and the server's
 * CPU µs per operation.
 */
export async function measure(pid, concurrency, total, op) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const cpu0 = cpuMicros(pid);
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await op(agent);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuMicros(pid) - cpu0;
  agent.destroy();
  return { opsPerSecond: total / seconds, cpuMicrosPerOp: cpu / total };
}
