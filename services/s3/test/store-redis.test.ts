import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newUploadId, newVersionId, type BucketRecord, type PartRecord } from '../src/model.js';
import { RedisS3Store } from '../src/store/redis.js';
import type { NewObject, S3Store } from '../src/store/types.js';
import { startRedisServer, type RedisServer } from '@stratus/shared/testing/redis-server';

// What only a shared backend shows: two stores on two connections behave like two service replicas,
// and every atomic step stays atomic when they race.

const T0 = Date.UTC(2025, 0, 1, 12);

describe('RedisS3Store across replicas', () => {
  let server: RedisServer;
  let a: RedisS3Store;
  let b: RedisS3Store;
  let buckets = 0;

  before(async () => {
    server = await startRedisServer();
    [a, b] = await Promise.all([RedisS3Store.connect(server.url), RedisS3Store.connect(server.url)]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await server.stop();
  });

  /** Alternates between the replicas. */
  const replica = (i: number): S3Store => (i % 2 ? a : b);

  async function bucket(versioning?: 'Enabled'): Promise<BucketRecord> {
    const record: BucketRecord = { name: `race-${++buckets}`, account: '000000000000', region: 'us-east-1', createdAt: T0, config: {} };
    await a.createBucket(record);
    return versioning ? b.updateBucket(record.name, { versioning }) : record;
  }

  it('creates a contended bucket name once', async () => {
    const name = `race-create-${++buckets}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        replica(i).createBucket({ name, account: String(100_000_000_000 + i), region: 'us-east-1', createdAt: T0 + i, config: {} }),
      ),
    );
    const winners = results.filter((r) => r.created);
    assert.equal(winners.length, 1);
    for (const r of results) assert.deepEqual(r.bucket, winners[0].bucket);
  });

  it('lets exactly one of concurrent If-None-Match: * puts win', async () => {
    const { name } = await bucket();
    const objects = Array.from({ length: 20 }, () => object('contended'));
    const outcomes = await Promise.all(objects.map((o, i) => replica(i).putObject(name, o, { versionId: newVersionId(), condition: { ifNoneMatch: true } })));
    const winners = outcomes.flatMap((o, i) => (o.ok ? [i] : []));
    assert.equal(winners.length, 1);
    for (const o of outcomes) if (!o.ok) assert.equal(o.failure, 'precondition');
    assert.equal((await b.getObject(name, 'contended'))?.blob, objects[winners[0]].blob);
    // The losers' bodies were never referenced: a copy of one fails.
    const loser = objects.find((_, i) => i !== winners[0])!;
    assert.deepEqual(await a.putObject(name, object('copy', loser.blob), { versionId: newVersionId(), reuse: true }), { ok: false, failure: 'gone' });
  });

  it('counts blob references exactly under concurrent overwrites', async () => {
    const { name } = await bucket();
    const objects = Array.from({ length: 40 }, () => object('k'));
    const outcomes = await Promise.all(objects.map((o, i) => replica(i).putObject(name, o, { versionId: newVersionId() })));
    const orphans = outcomes.flatMap((o) => (o.ok ? o.orphans : []));
    const current = (await a.getObject(name, 'k'))!;
    // Every body but the last written was released, each exactly once.
    assert.equal(orphans.length, objects.length - 1);
    assert.equal(new Set(orphans).size, orphans.length);
    assert.ok(!orphans.includes(current.blob));
    const seqs = outcomes.map((o) => (o.ok ? o.record.seq : 0));
    assert.equal(new Set(seqs).size, seqs.length);
    assert.equal(current.seq, Math.max(...seqs));
  });

  it('completes a contended upload once, and one of two uploads to a key under If-None-Match', async () => {
    const { name } = await bucket('Enabled');
    const upload = await a.createUpload(name, uploadOf('mpu'));
    const parts = [part(1), part(2)];
    for (const p of parts) await b.putPart(name, upload.uploadId, p);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => replica(i).completeUpload(name, upload.uploadId, object('mpu'), { versionId: newVersionId() })),
    );
    const ok = outcomes.filter((o) => o.ok);
    assert.equal(ok.length, 1);
    for (const o of outcomes) if (!o.ok) assert.equal(o.failure, 'noSuchUpload');
    assert.deepEqual([...ok[0].orphans].sort(), parts.map((p) => p.blob).sort());
    assert.equal((await b.listVersions(name, { prefix: 'mpu', limit: 10 })).entries.length, 1);

    const u1 = await a.createUpload(name, uploadOf('cond'));
    const u2 = await b.createUpload(name, uploadOf('cond'));
    const both = await Promise.all(
      [u1, u2].map((u, i) =>
        replica(i).completeUpload(name, u.uploadId, object('cond'), { versionId: newVersionId(), condition: { ifNoneMatch: true, notWrittenSince: u.seq } }),
      ),
    );
    assert.deepEqual(
      both.map((o) => (o.ok ? 'ok' : o.failure)).sort(),
      ['ok', 'precondition'],
    );
  });

  it('removes a version once when replicas delete it concurrently', async () => {
    const { name } = await bucket('Enabled');
    const o = object('k');
    const put = await a.putObject(name, o, { versionId: newVersionId() });
    assert.ok(put.ok);
    await a.putObject(name, object('k'), { versionId: newVersionId() });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        replica(i).deleteObject(name, 'k', { versionId: put.record.versionId, markerVersionId: newVersionId(), now: T0, owner: '000000000000' }),
      ),
    );
    const removed = outcomes.filter((x) => x.kind === 'removed');
    assert.equal(removed.length, 1);
    assert.equal(outcomes.filter((x) => x.kind === 'none').length, 9);
    assert.deepEqual(removed[0].kind === 'removed' && removed[0].orphans, [o.blob]);
    assert.equal((await b.listVersions(name, { prefix: '', limit: 10 })).entries.length, 1);
  });

  it('never loses a body a concurrent copy took: the copy or the delete releases it, not both', async () => {
    const { name } = await bucket();
    for (let round = 0; round < 20; round++) {
      const src = object(`src-${round}`);
      await a.putObject(name, src, { versionId: newVersionId() });
      const [copy, del] = await Promise.all([
        a.putObject(name, object(`copy-${round}`, src.blob), { versionId: newVersionId(), reuse: true }),
        b.deleteObject(name, src.key, { markerVersionId: newVersionId(), now: T0, owner: '000000000000' }),
      ]);
      assert.equal(del.kind, 'removed');
      const released = del.kind === 'removed' ? del.orphans : [];
      if (copy.ok) assert.deepEqual(released, []);
      else assert.deepEqual(released, [src.blob]);
    }
  });

  it('keeps each replica listing a consistent page while the other writes', async () => {
    const { name } = await bucket();
    const writes = Promise.all(Array.from({ length: 300 }, (_, i) => a.putObject(name, object(`k/${String(i).padStart(4, '0')}`), { versionId: newVersionId() })));
    let pages = 0;
    for (let i = 0; i < 20; i++) {
      const page = await b.listObjects(name, { prefix: 'k/', limit: 1000 });
      const keys = page.entries.map((e) => e.record!.key);
      assert.deepEqual(keys, [...keys].sort());
      pages++;
    }
    await writes;
    assert.equal(pages, 20);
    assert.equal((await b.listObjects(name, { prefix: 'k/', limit: 1000 })).entries.length, 300);
  });
});

function object(key: string, blob = `b${randomBytes(16).toString('hex')}`): NewObject {
  return { key, lastModified: T0, owner: '000000000000', etag: randomBytes(16).toString('hex'), size: 1, blob };
}

function uploadOf(key: string) {
  return { uploadId: newUploadId(), key, initiated: T0, owner: '000000000000', headers: {}, metadata: {}, storageClass: 'STANDARD', encryption: { ServerSideEncryption: 'AES256' } };
}

function part(partNumber: number): PartRecord {
  return { partNumber, lastModified: T0, etag: randomBytes(16).toString('hex'), size: 5, blob: `b${randomBytes(16).toString('hex')}`, checksums: {} };
}
