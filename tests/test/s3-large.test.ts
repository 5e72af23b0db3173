import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { STRATUS_BIN } from '../src/cluster.js';
import { freePort, waitForPort } from '@stratus/shared/testing/ports';
import { MiB, bucketName, generatedStream, s3Client } from '../src/s3.js';

/**
 * Large objects never sit in the server's memory: `stratus start` runs as a child process, a 2 GiB object
 * (generated as it is sent, never held whole by the test either) goes up as one PutObject and as a
 * lib-storage multipart upload and comes back down, while the server's RSS is sampled from
 * /proc/<pid>/status. The object size can be lowered with STRATUS_LARGE_OBJECT_MIB for a quick run; the
 * full round trip takes about 45 s on a 2-CPU machine.
 */

const SIZE = Number(process.env.STRATUS_LARGE_OBJECT_MIB ?? 2048) * MiB;
const RSS_LIMIT_MB = 250;
const PART_SIZE = 32 * MiB;

/** A kB figure of /proc/<pid>/status (VmRSS, VmHWM), in MB. */
function procStatusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, `${field} in /proc/${pid}/status`);
  return (Number(m[1]) * 1024) / 1e6;
}

/** Passes bytes through, feeding them to a hash on the way. */
function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** The MD5 (hex) and size of a streamed body. */
async function digest(body: AsyncIterable<Uint8Array>): Promise<{ md5: string; size: number }> {
  const h = createHash('md5');
  let size = 0;
  for await (const chunk of body) {
    h.update(chunk);
    size += chunk.length;
  }
  return { md5: h.digest('hex'), size };
}

describe(`a ${SIZE / MiB} MiB object through a server process whose RSS stays under ${RSS_LIMIT_MB} MB`, { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let server: ChildProcess;
  let dir: string;
  let s3: S3Client;
  let Bucket: string;
  let peakSampled = 0;
  let samples = 0;
  let sampler: NodeJS.Timeout | undefined;
  /** The content's MD5, computed while it was first sent. */
  let contentMd5 = '';

  /** Samples the server's RSS while `transfer` runs. */
  async function sampled<T>(transfer: () => Promise<T>): Promise<T> {
    const pid = server.pid!;
    sampler = setInterval(() => {
      try {
        peakSampled = Math.max(peakSampled, procStatusMB(pid, 'VmRSS'));
        samples++;
      } catch {
        // the process is gone; the transfer fails on its own
      }
    }, 20);
    try {
      return await transfer();
    } finally {
      clearInterval(sampler);
      sampler = undefined;
    }
  }

  function assertMemory(what: string): void {
    const hwm = procStatusMB(server.pid!, 'VmHWM');
    assert.ok(samples > 10, `RSS sampled ${samples} times during ${what}`);
    assert.ok(peakSampled < RSS_LIMIT_MB, `server RSS reached ${peakSampled.toFixed(1)} MB during ${what}`);
    // VmHWM is the kernel's own high-water mark: no peak between two samples escapes it.
    assert.ok(hwm < RSS_LIMIT_MB, `server peak RSS (VmHWM) ${hwm.toFixed(1)} MB after ${what}`);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-large-'));
    const port = await freePort();
    server = spawn(process.execPath, [STRATUS_BIN, 'start'], {
      // Blobs go to a temp dir of the server's (under TMPDIR), removed with it.
      env: { ...process.env, STRATUS_PORT: String(port), STRATUS_LOG_LEVEL: 'warn', TMPDIR: dir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForPort(port);
    s3 = s3Client(`http://127.0.0.1:${port}`);
    Bucket = bucketName('large');
    await s3.send(new CreateBucketCommand({ Bucket }));
  });

  after(async () => {
    if (sampler) clearInterval(sampler);
    s3?.destroy();
    if (server && server.exitCode === null) {
      await new Promise((resolve) => {
        server.once('exit', resolve);
        server.kill('SIGTERM');
      });
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('PUTs it as one streamed request (aws-chunked, CRC32 trailer) and GETs it back', async () => {
    const md5 = createHash('md5');
    const put = await sampled(() =>
      s3.send(new PutObjectCommand({ Bucket, Key: 'one-request.bin', Body: generatedStream(SIZE).pipe(hashing(md5)), ContentLength: SIZE })),
    );
    contentMd5 = md5.digest('hex');
    assert.equal(put.ETag, `"${contentMd5}"`);
    assertMemory('the PUT');

    const got = await sampled(async () => {
      const res = await s3.send(new GetObjectCommand({ Bucket, Key: 'one-request.bin' }));
      assert.equal(res.ContentLength, SIZE);
      return digest(res.Body as AsyncIterable<Uint8Array>);
    });
    assert.deepEqual(got, { md5: contentMd5, size: SIZE });
    assertMemory('the GET');
  });

  it('uploads it in parts with lib-storage and GETs it back', async () => {
    assert.ok(contentMd5, 'the single-request upload ran first');
    const upload = new Upload({ client: s3, params: { Bucket, Key: 'multipart.bin', Body: generatedStream(SIZE) }, partSize: PART_SIZE, queueSize: 4 });
    const done = await sampled(() => upload.done());
    assert.match(done.ETag ?? '', new RegExp(`^"[0-9a-f]{32}-${Math.ceil(SIZE / PART_SIZE)}"$`));
    assertMemory('the multipart upload');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'multipart.bin' }));
    assert.equal(head.ContentLength, SIZE);

    const got = await sampled(async () => {
      const res = await s3.send(new GetObjectCommand({ Bucket, Key: 'multipart.bin' }));
      return digest(res.Body as AsyncIterable<Uint8Array>);
    });
    // The same generated bytes as the first object.
    assert.deepEqual(got, { md5: contentMd5, size: SIZE });
    assertMemory('the GET of the multipart object');
  });
});
