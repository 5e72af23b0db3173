import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AwsError } from '../src/errors.js';
import { BlobNotFoundError, type BlobRef, BlobStore } from '../src/blobs/index.js';
import { checksumOf } from '../src/checksums/index.js';
import { AwsChunkedDecoder } from '../src/streams/index.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A body arriving in pieces of `size` bytes, like a request from the network. */
function pieces(data: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
    })(),
    { objectMode: false },
  );
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

describe('BlobStore', () => {
  let dir: string;
  let store: BlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-blobs-test-'));
    store = await BlobStore.open({ dir });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const hashThreads of [0, 2]) {
    it(`puts a streamed body and computes its MD5 and the checksums asked for (${hashThreads} hashing threads)`, async () => {
      const hashing = await BlobStore.open({ dir, hashThreads });
      try {
        // Concurrent puts: with two threads, each thread hashes several files at once.
        const bodies = [randomBytes(1_000_003), randomBytes(3 * 1024 * 1024 + 7), randomBytes(20_000), randomBytes(700_000)];
        const refs = await Promise.all(
          bodies.map((data) => hashing.put(pieces(data, 65_536), { algorithms: ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'], expectedSize: data.length })),
        );
        for (const [i, data] of bodies.entries()) {
          const ref = refs[i];
          assert.match(ref.id, /^b[0-9a-f]{32}$/);
          assert.equal(ref.size, data.length);
          assert.equal(ref.etag, md5(data));
          for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
            assert.equal(ref.checksums[algorithm], checksumOf(algorithm, data), algorithm);
          }
          assert.equal(ref.inline, undefined);
          assert.ok((await readAll(await hashing.open(ref))).equals(data));
          assert.deepEqual(await hashing.stat(ref), { size: data.length });
        }
        // A failed body leaves no job behind: the next put on the same threads hashes right.
        await assert.rejects(hashing.put(pieces(randomBytes(100_000), 65_536), { expectedSize: 100_001 }), { code: 'IncompleteBody' });
        const after = randomBytes(200_000);
        assert.equal((await hashing.put(pieces(after, 65_536))).etag, md5(after));
      } finally {
        await hashing.close();
      }
    });
  }

  it('keeps small bodies inline in the ref, up to inlineMax bytes, and no file for them', async () => {
    const at = randomBytes(16 * 1024);
    const inline = await store.put(pieces(at, 1000), { algorithms: ['SHA1'] });
    assert.match(inline.id, /^i[0-9a-f]{32}$/);
    assert.equal(inline.inline, at.toString('base64'));
    assert.deepEqual([inline.size, inline.etag, inline.checksums.SHA1], [at.length, md5(at), checksumOf('SHA1', at)]);
    assert.ok((await readAll(await store.open(inline))).equals(at));
    assert.ok((await readAll(await store.open(inline, { start: 5, end: 9 }))).equals(at.subarray(5, 10)));
    assert.deepEqual(await store.stat(inline), { size: at.length });
    await store.delete(inline);
    const over = await store.put(pieces(randomBytes(16 * 1024 + 1), 1000));
    assert.match(over.id, /^b/);
    assert.equal(over.inline, undefined);
    // A ref that lost its bytes on the way is not a blob.
    await assert.rejects(store.open({ ...inline, inline: undefined }), BlobNotFoundError);
    assert.equal(await store.stat({ ...inline, inline: undefined }), undefined);
  });

  it('takes any async iterable of bytes, and empty bodies', async () => {
    const ref = await store.put((async function* () {})(), { algorithms: ['CRC32'] });
    assert.deepEqual({ size: ref.size, etag: ref.etag, checksums: ref.checksums }, { size: 0, etag: 'd41d8cd98f00b204e9800998ecf8427e', checksums: { CRC32: 'AAAAAA==' } });
    assert.equal((await readAll(await store.open(ref))).length, 0);
    const text = await store.put((async function* () {
      yield new TextEncoder().encode('Hello ');
      yield new TextEncoder().encode('world');
    })());
    assert.equal((await readAll(await store.open(text))).toString(), 'Hello world');
    assert.deepEqual(text.checksums, {});
  });

  it('stores an aws-chunked body streamed through the decoder; the trailer names the same checksum', async () => {
    const data = randomBytes(200_000);
    const chunks = [data.subarray(0, 65_536), data.subarray(65_536, 131_072), data.subarray(131_072)];
    const framed = Buffer.concat([
      ...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]),
      Buffer.from(`0\r\nx-amz-checksum-crc32:${checksumOf('CRC32', data)}\r\n\r\n`),
    ]);
    const decoder = new AwsChunkedDecoder({ signed: false, decodedContentLength: data.length, trailer: 'x-amz-checksum-crc32' });
    pieces(framed, 1500).pipe(decoder);
    const ref = await store.put(decoder, { algorithms: ['CRC32'], expectedSize: data.length });
    assert.equal(ref.checksums.CRC32, decoder.trailers['x-amz-checksum-crc32']);
    assert.ok((await readAll(await store.open(ref))).equals(data));
    const broken = new AwsChunkedDecoder({ signed: false, trailer: 'x-amz-checksum-crc32' });
    pieces(framed.subarray(0, framed.length - 40), 1500).pipe(broken);
    await assert.rejects(store.put(broken), { code: 'IncompleteBody' });
  });

  it('with inlineMax 0, keeps every non-empty body in a file, however small', async () => {
    const files = await BlobStore.open({ dir, inlineMax: 0 });
    const one = await files.put(pieces(Buffer.from('x'), 1));
    assert.match(one.id, /^b/);
    assert.equal((await readAll(await files.open(one))).toString(), 'x');
    const empty = await files.put(pieces(Buffer.alloc(0), 1));
    assert.equal((await readAll(await files.open(empty))).length, 0);
    await assert.rejects(BlobStore.open({ dir, inlineMax: -1 }), RangeError);
  });

  it('reads byte ranges', async () => {
    const data = randomBytes(600_000);
    const ref = await store.put(pieces(data, 10_000));
    for (const [start, end] of [[0, 0], [0, 599_999], [1, 262_144], [262_143, 262_144], [599_999, 599_999], [100, 100_000], [70_000, 140_000]]) {
      const got = await readAll(await store.open(ref, { start, end }));
      assert.ok(got.equals(data.subarray(start, end + 1)), `${start}-${end}`);
    }
    await assert.rejects(store.open(ref, { start: 10, end: 600_000 }), RangeError);
    await assert.rejects(store.open(ref, { start: 10, end: 9 }), RangeError);
    await assert.rejects(store.open(ref, { start: -1, end: 9 }), RangeError);
  });

  it('fails a body shorter or longer than declared with IncompleteBody, keeping nothing', async () => {
    for (const size of [10, 100_000]) {
      const short = await store.put(pieces(Buffer.alloc(size), 4096), { expectedSize: size + 1 }).catch((e: unknown) => e);
      assert.ok(short instanceof AwsError && short.code === 'IncompleteBody');
      assert.deepEqual(short.fields, { NumberBytesExpected: size + 1, NumberBytesProvided: size });
      const long = await store.put(pieces(Buffer.alloc(size), 4096), { expectedSize: size - 1 }).catch((e: unknown) => e);
      assert.ok(long instanceof AwsError && long.code === 'IncompleteBody');
      assert.deepEqual(long.fields, { NumberBytesExpected: size - 1 });
    }
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
  });

  it('leaves a failed body to its owner, and cleans up after a body that errors', async () => {
    const body = pieces(Buffer.alloc(100_000), 1000);
    await assert.rejects(store.put(body, { expectedSize: 50 }));
    assert.ok(!body.destroyed, 'the caller decides what happens to the request');
    body.destroy();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(100_000));
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(store.put(failing), /client went away/);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
  });

  it('deletes blobs; deleting twice is fine; a deleted blob is not found', async () => {
    const ref = await store.put(pieces(randomBytes(20_000), 1000));
    await store.delete(ref);
    await store.delete(ref);
    assert.equal(await store.stat(ref), undefined);
    await assert.rejects(store.open(ref), BlobNotFoundError);
  });

  it('a stream opened before a delete reads to the end', async () => {
    const data = randomBytes(2_000_000);
    const ref = await store.put(pieces(data, 65_536));
    const stream = await store.open(ref);
    await store.delete(ref);
    assert.ok((await readAll(stream)).equals(data));
  });

  it('ids are only ever its own: no key-like or crafted id reaches the disk', async () => {
    await writeFile(join(dir, 'secret'), 'x');
    for (const id of ['../secret', '../../etc/passwd', 'data/../../secret', 'b' + '0'.repeat(31) + '/', 'b../' + '0'.repeat(29), 'ключ', 'a'.repeat(1024), '', 'B' + '0'.repeat(32)]) {
      const ref = { id, size: 1, etag: '', checksums: {} };
      await assert.rejects(store.open(ref), BlobNotFoundError, id);
      assert.equal(await store.stat(ref), undefined);
      await store.delete(ref);
    }
    assert.ok((await stat(join(dir, 'secret'))).isFile());
  });

  describe('concat (multipart completion)', () => {
    async function parts(sizes: number[]): Promise<{ refs: BlobRef[]; data: Buffer }> {
      const buffers = sizes.map((n) => randomBytes(n));
      const refs = await Promise.all(buffers.map((b) => store.put(pieces(b, 65_536), { algorithms: ['CRC32', 'CRC64NVME', 'SHA256'] })));
      return { refs, data: Buffer.concat(buffers) };
    }

    it('joins the parts in order, with S3 multipart ETag and the combined CRCs', async () => {
      const { refs, data } = await parts([300_000, 262_144, 1, 70_000]);
      const whole = await store.concat(refs);
      assert.match(whole.id, /^c[0-9a-f]{32}$/);
      assert.equal(whole.size, data.length);
      const partMd5s = Buffer.concat(refs.map((r) => Buffer.from(r.etag, 'hex')));
      assert.equal(whole.etag, `${createHash('md5').update(partMd5s).digest('hex')}-4`);
      // FULL_OBJECT CRCs equal those of the joined bytes; SHA256 has no full-object form.
      assert.deepEqual(whole.checksums, { CRC32: checksumOf('CRC32', data), CRC64NVME: checksumOf('CRC64NVME', data) });
      assert.ok((await readAll(await store.open(whole))).equals(data));
      assert.deepEqual(await store.stat(whole), { size: data.length });
    });

    it('takes inline parts too', async () => {
      const big = await parts([100_000]);
      const small = await parts([10, 0]);
      assert.ok(small.refs.every((r) => r.inline !== undefined));
      const whole = await store.concat([...small.refs, ...big.refs]);
      const data = Buffer.concat([small.data, big.data]);
      assert.equal(whole.checksums.CRC64NVME, checksumOf('CRC64NVME', data));
      assert.ok((await readAll(await store.open(whole))).equals(data));
      assert.ok((await readAll(await store.open(whole, { start: 5, end: 20 }))).equals(data.subarray(5, 21)));
    });

    it('reads ranges across part boundaries', async () => {
      const { refs, data } = await parts([100_000, 1, 70_000, 3, 20_000]);
      const whole = await store.concat(refs);
      for (let i = 0; i < 200; i++) {
        const start = Math.floor(Math.random() * data.length);
        const end = start + Math.floor(Math.random() * (data.length - start));
        assert.ok((await readAll(await store.open(whole, { start, end }))).equals(data.subarray(start, end + 1)), `${start}-${end}`);
      }
      await assert.rejects(store.open(whole, { start: 0, end: data.length }), RangeError);
    });

    it('stays whole when its parts are deleted, and parts outlive it', async () => {
      const { refs, data } = await parts([30_000, 20_000]);
      const whole = await store.concat(refs);
      await Promise.all(refs.map((r) => store.delete(r)));
      assert.ok((await readAll(await store.open(whole))).equals(data));
      const again = await parts([50_000]);
      const other = await store.concat(again.refs);
      await store.delete(other);
      assert.ok((await readAll(await store.open(again.refs[0]))).equals(again.data));
      await assert.rejects(store.open(other), BlobNotFoundError);
      assert.equal(await store.stat(other), undefined);
    });

    it('a stream opened before the delete of a concatenation reads to the end', async () => {
      const { refs, data } = await parts([300_000, 300_000, 300_000]);
      const whole = await store.concat(refs);
      await Promise.all(refs.map((r) => store.delete(r)));
      const stream = await store.open(whole);
      await store.delete(whole);
      assert.ok((await readAll(stream)).equals(data));
    });

    it('reads a concatenation of more parts than it opens up front', async () => {
      const { refs, data } = await parts(Array.from({ length: 70 }, (_, i) => 17_000 + i));
      const whole = await store.concat(refs);
      assert.ok((await readAll(await store.open(whole))).equals(data));
      assert.ok((await readAll(await store.open(whole, { start: 150, end: data.length - 150 }))).equals(data.subarray(150, data.length - 149)));
    });

    it('refuses missing parts, concatenations as parts, and nothing at all', async () => {
      const { refs } = await parts([20_000]);
      await store.delete(refs[0]);
      await assert.rejects(store.concat(refs), BlobNotFoundError);
      const more = await parts([10]);
      const whole = await store.concat(more.refs);
      await assert.rejects(store.concat([whole]), /must be blobs from put/);
      await assert.rejects(store.concat([]), /at least one part/);
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    });

    it('streams close their files, read to the end or destroyed midway', async () => {
      const { refs } = await parts([300_000, 300_000]);
      const whole = await store.concat(refs);
      const openFiles = async () => (await readdir('/proc/self/fd')).length;
      const before = await openFiles();
      await readAll(await store.open(whole));
      await readAll(await store.open(whole, { start: 1000, end: 2000 }));
      const stream = await store.open(whole);
      await new Promise<void>((resolve) => stream.once('data', () => resolve()));
      stream.destroy();
      await new Promise((resolve) => stream.once('close', resolve));
      assert.equal(await openFiles(), before);
    });
  });

  it('removes temp files left by a crash when it opens, but not fresh ones (another process may be writing)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stratus-blobs-sweep-'));
    try {
      await mkdir(join(root, 'tmp', 'c' + '1'.repeat(32)), { recursive: true });
      await writeFile(join(root, 'tmp', 'c' + '1'.repeat(32), '0'), 'part');
      await writeFile(join(root, 'tmp', 'b' + '2'.repeat(32)), 'half a body');
      await writeFile(join(root, 'tmp', 'b' + '3'.repeat(32)), 'being written');
      const old = new Date(Date.now() - 2 * 3_600_000);
      await utimes(join(root, 'tmp', 'c' + '1'.repeat(32)), old, old);
      await utimes(join(root, 'tmp', 'b' + '2'.repeat(32)), old, old);
      const reopened = await BlobStore.open({ dir: root });
      assert.deepEqual(await readdir(join(root, 'tmp')), ['b' + '3'.repeat(32)]);
      assert.equal(await reopened.sweepTemp(0), 1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('without a directory, uses a temp dir that close() removes', async () => {
    const temp = await BlobStore.open();
    const ref = await temp.put(pieces(randomBytes(100_000), 65_536));
    assert.equal((await readAll(await temp.open(ref))).length, 100_000);
    await temp.close();
    await assert.rejects(stat(temp.root), { code: 'ENOENT' });
  });
});
