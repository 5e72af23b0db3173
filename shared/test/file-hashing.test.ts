import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileHashPool } from '../src/blobs/file-hashing.js';
import { checksumOf } from '../src/checksums/index.js';

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

describe('FileHashPool', () => {
  let dir: string;
  let pool: FileHashPool;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-file-hashing-'));
    pool = new FileHashPool(1);
  });
  after(async () => {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes a file as it grows, up to each length it is told of', async () => {
    const path = join(dir, 'growing');
    const data = randomBytes(2_500_000);
    writeFileSync(path, data.subarray(0, 1_000_000));
    const job = pool.start(path, ['MD5', 'CRC64NVME', 'SHA256']);
    job.advance(1_000_000);
    appendFileSync(path, data.subarray(1_000_000));
    job.advance(2_500_000);
    const digests = await job.finish();
    assert.deepEqual(digests, {
      etag: md5(data),
      checksums: { CRC64NVME: checksumOf('CRC64NVME', data), SHA256: checksumOf('SHA256', data) },
    });
  });

  it('hashes only the bytes it was told were written', async () => {
    const path = join(dir, 'partial');
    const data = randomBytes(300_000);
    writeFileSync(path, data);
    const job = pool.start(path, ['MD5']);
    job.advance(100_000);
    job.advance(200_000);
    assert.equal((await job.finish()).etag, md5(data.subarray(0, 200_000)));
  });

  it('fails a job whose file is missing or shorter than the bytes advanced over, and goes on with the next', async () => {
    const missing = pool.start(join(dir, 'nothing-here'), ['MD5']);
    missing.advance(10);
    await assert.rejects(missing.finish(), /ENOENT/);
    const path = join(dir, 'short');
    writeFileSync(path, Buffer.alloc(10));
    const short = pool.start(path, ['MD5']);
    short.advance(20);
    await assert.rejects(short.finish(), /ends at byte 10, before the 20 written/);
    const fine = pool.start(path, ['MD5']);
    fine.advance(10);
    assert.equal((await fine.finish()).etag, md5(Buffer.alloc(10)));
  });

  it('forgets a cancelled job', async () => {
    const path = join(dir, 'cancelled');
    writeFileSync(path, Buffer.alloc(1000, 1));
    const job = pool.start(path, ['MD5']);
    job.advance(1000);
    job.cancel();
    const next = pool.start(path, ['MD5', 'SHA1']);
    next.advance(1000);
    assert.deepEqual(await next.finish(), { etag: md5(Buffer.alloc(1000, 1)), checksums: { SHA1: checksumOf('SHA1', Buffer.alloc(1000, 1)) } });
  });

  it('fails the jobs of a closed pool instead of leaving them waiting', async () => {
    const closing = new FileHashPool(1);
    const path = join(dir, 'closing');
    writeFileSync(path, Buffer.alloc(10));
    const job = closing.start(path, ['MD5']);
    const finished = job.finish();
    await closing.close();
    // Either the thread answered before it stopped, or the job fails; it never hangs.
    await finished.then(
      (d) => assert.equal(d.etag, md5(Buffer.alloc(0))),
      (err: Error) => assert.match(err.message, /hashing thread/),
    );
    assert.throws(() => new FileHashPool(0), RangeError);
  });
});
