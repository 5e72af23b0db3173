// S3 cases for `npm run bench`: PutObject and GetObject of 1 KiB and 1 MiB, ListObjectsV2 of 1,000 keys and
// multipart uploads of 64 and 256 MiB, as pre-signed raw HTTP requests: path-style, SigV4 with UNSIGNED-PAYLOAD
// (what SDKs send for bodies they do not hash), each request shape signed once. The servers measured do not
// check signatures' values (s3rver checks only the access key id), so one signature per key serves every request
// to it.
import http from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { cpuMicros, measure } from './load.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Keys the put/get cases cycle through (each signed once). */
const KEYS = 64;
const LIST_KEYS = 1_000;
const PART_SIZE = 8 * MiB;
const PART_CONCURRENCY = 4;

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => createHmac('sha256', k).update(s).digest();
/** RFC 3986 encoding, as SigV4 canonical requests want it. */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 headers for an S3 request with an unsigned payload. `path` is already URI-encoded. */
function signS3(method, host, path, query = {}, headers = {}, { region = 'us-east-1', accessKeyId = 'bench', secret = 'bench' } = {}) {
  const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = now.slice(0, 8);
  const all = { ...headers, host, 'x-amz-date': now, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const names = Object.keys(lower).sort();
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${enc(k)}=${enc(query[k])}`)
    .join('&');
  const canonical = [method, path, canonicalQuery, ...names.map((n) => `${n}:${lower[n]}`), '', names.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secret}`, date);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host: _host, ...sent } = all;
  return {
    method,
    path: canonicalQuery ? `${path}?${canonicalQuery}` : path,
    headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` },
  };
}

/** One request; resolves with status, headers, and the body (text unless `binary`, then only its length). */
function s3request(agent, port, { method, path, headers }, body, { binary = false } = {}) {
  return new Promise((resolve, reject) => {
    const h = body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) };
    const req = http.request({ agent, host: '127.0.0.1', port, method, path, headers: h }, (res) => {
      const chunks = [];
      let length = 0;
      res.on('data', (c) => {
        length += c.length;
        if (!binary) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: binary ? '' : Buffer.concat(chunks).toString(), length }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function client(port, credentials) {
  const host = `127.0.0.1:${port}`;
  const sign = (method, path, query, headers) => signS3(method, host, path, query, headers, credentials);
  const call = async (agent, method, path, query, body, expect = 200) => {
    const res = await s3request(agent, port, sign(method, path, query), body);
    if (res.status !== expect) throw new Error(`${method} ${path} ${JSON.stringify(query ?? {})}: ${res.status} ${res.body}`);
    return res;
  };
  return { sign, call };
}

const keyPath = (bucket, key) => `/${bucket}/${key.split('/').map(enc).join('/')}`;

/** Adds MiB/s to a measure() result for operations moving `bytes` each. */
const withThroughput = (m, bytes) => ({ ...m, mibPerSecond: (m.opsPerSecond * bytes) / MiB });

/**
 * One multipart upload of `size` bytes in PART_SIZE parts, PART_CONCURRENCY at a time, timed from Create to
 * Complete; then checks with HeadObject that the object has that size. `compositeEtag`: the Complete answer's
 * ETag must end in -<parts>, as S3's does (s3rver answers a plain MD5).
 */
async function multipartUpload({ port, pid }, { call }, bucket, size, compositeEtag) {
  const key = `multipart/${size / MiB}MiB.bin`;
  const part = randomBytes(PART_SIZE);
  const parts = size / PART_SIZE;
  const agent = new http.Agent({ keepAlive: true, maxSockets: PART_CONCURRENCY });
  const cpu0 = cpuMicros(pid);
  const t0 = process.hrtime.bigint();
  const created = await call(agent, 'POST', keyPath(bucket, key), { uploads: '' });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.body)?.[1];
  if (!uploadId) throw new Error(`CreateMultipartUpload: ${created.body}`);
  const etags = new Array(parts);
  let p = 0;
  await Promise.all(
    Array.from({ length: PART_CONCURRENCY }, async () => {
      while (p < parts) {
        const n = ++p;
        const r = await call(agent, 'PUT', keyPath(bucket, key), { partNumber: String(n), uploadId }, part);
        etags[n - 1] = r.headers.etag;
      }
    }),
  );
  const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
  const done = await call(agent, 'POST', keyPath(bucket, key), { uploadId }, xml);
  const etag = new RegExp(`<ETag>(&quot;|")[0-9a-f]{32}${compositeEtag ? `-${parts}` : ''}(&quot;|")</ETag>`);
  // moto names the answer CompleteMultipartUploadResponse.
  if (!/<CompleteMultipartUpload(Result|Response)/.test(done.body) || !etag.test(done.body)) throw new Error(`CompleteMultipartUpload: ${done.body}`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuMicros(pid) - cpu0;
  const head = await call(agent, 'HEAD', keyPath(bucket, key));
  if (Number(head.headers['content-length']) !== size) throw new Error(`HeadObject after CompleteMultipartUpload: ${head.headers['content-length']} bytes`);
  agent.destroy();
  return { case: `S3 multipart upload ${size / MiB} MiB (${PART_SIZE / MiB} MiB parts)`, concurrency: PART_CONCURRENCY, opsPerSecond: 1 / seconds, mibPerSecond: size / MiB / seconds, cpuMicrosPerOp: cpu };
}

/**
 * Returns rows {case, concurrency, opsPerSecond, mibPerSecond?, cpuMicrosPerOp}. `counts[size][concurrency]`
 * sets how many operations each put/get case runs, `lists[concurrency]` how many listings (at the concurrencies it names), `multipart` the sizes
 * of the multipart uploads (none if empty); `credentials` {accessKeyId, secret} sign the requests. The 1 MiB cases at
 * concurrency 16 run 2,000 operations (several seconds): runs of under two seconds varied by ±20% here.
 */
export async function benchS3(
  server,
  {
    counts = { [KiB]: { 1: 2000, 16: 8000 }, [MiB]: { 1: 200, 16: 2000 } },
    lists = { 1: 100, 16: 200 },
    multipart = [64 * MiB, 256 * MiB],
    compositeEtag = true,
    credentials = { accessKeyId: 'bench', secret: 'bench' },
  } = {},
) {
  const { port, pid } = server;
  const s3 = client(port, credentials);
  const { sign, call } = s3;
  const setup = new http.Agent({ keepAlive: true });
  const rows = [];
  const bucket = `bench-s3-${Date.now()}`;
  await call(setup, 'PUT', `/${bucket}`);

  for (const size of [KiB, MiB]) {
    const body = randomBytes(size);
    const label = size === KiB ? '1 KiB' : '1 MiB';
    const keys = Array.from({ length: KEYS }, (_, i) => `obj-${label.replace(' ', '')}/${i}`);
    const puts = keys.map((k) => sign('PUT', keyPath(bucket, k), {}, { 'content-type': 'application/octet-stream' }));
    const gets = keys.map((k) => sign('GET', keyPath(bucket, k)));
    for (const concurrency of [1, 16]) {
      const total = counts[size][concurrency];
      let n = 0;
      rows.push({
        case: `S3 PutObject ${label}`,
        concurrency,
        ...withThroughput(
          await measure(pid, concurrency, total, async (agent) => {
            const r = await s3request(agent, port, puts[n++ % KEYS], body);
            if (r.status !== 200) throw new Error(`PutObject: ${r.status} ${r.body}`);
          }),
          size,
        ),
      });
      let m = 0;
      rows.push({
        case: `S3 GetObject ${label}`,
        concurrency,
        ...withThroughput(
          await measure(pid, concurrency, total, async (agent) => {
            const r = await s3request(agent, port, gets[m++ % KEYS], undefined, { binary: true });
            if (r.status !== 200 || r.length !== size) throw new Error(`GetObject: ${r.status}, ${r.length} bytes`);
          }),
          size,
        ),
      });
    }
  }

  // ListObjectsV2 answering 1,000 keys (one full page).
  const listBucket = `${bucket}-list`;
  await call(setup, 'PUT', `/${listBucket}`);
  const small = Buffer.from('x');
  const agents = Array.from({ length: 16 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let next = 0;
  await Promise.all(
    agents.map(async (agent) => {
      while (next < LIST_KEYS) {
        const i = next++;
        await call(agent, 'PUT', keyPath(listBucket, `list/${String(i).padStart(4, '0')}`), {}, small);
      }
      agent.destroy();
    }),
  );
  const list = sign('GET', `/${listBucket}`, { 'list-type': '2', prefix: 'list/' });
  for (const concurrency of Object.keys(lists).map(Number)) {
    rows.push({
      case: 'S3 ListObjectsV2 (1,000 keys)',
      concurrency,
      ...(await measure(pid, concurrency, lists[concurrency], async (agent) => {
        const r = await s3request(agent, port, list);
        if (r.status !== 200 || (r.body.match(/<Key>/g) ?? []).length !== LIST_KEYS) throw new Error(`ListObjectsV2: ${r.status} ${r.body.slice(0, 300)}`);
      })),
    });
  }

  // Multipart uploads: 8 MiB parts, 4 at a time; one operation = the whole upload.
  for (const size of multipart) rows.push(await multipartUpload(server, s3, bucket, size, compositeEtag));
  setup.destroy();
  return rows;
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Prints S3 rows: ops/s, MiB/s where bytes move, server CPU µs per operation. */
export function printS3Rows(title, rows) {
  console.log(`\n${title}`);
  console.log(`${'case'.padEnd(42)} ${'conc'.padStart(4)} ${'ops/s'.padStart(10)} ${'MiB/s'.padStart(9)} ${'server CPU µs/op'.padStart(17)}`);
  for (const r of rows) {
    const mib = r.mibPerSecond === undefined ? '' : fmt(r.mibPerSecond, 1);
    console.log(`${r.case.padEnd(42)} ${String(r.concurrency).padStart(4)} ${fmt(r.opsPerSecond, r.opsPerSecond < 10 ? 2 : 0).padStart(10)} ${mib.padStart(9)} ${fmt(r.cpuMicrosPerOp, 1).padStart(17)}`);
  }
}
