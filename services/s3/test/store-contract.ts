import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newUploadId, newVersionId, type BucketRecord, type ObjectRecord, type PartRecord, type UploadRecord } from '../src/model.js';
import { BucketMissingError, type DeleteOutcome, type NewObject, type S3Store, type WriteOutcome } from '../src/store/types.js';

/**
 * The S3Store contract, backend-agnostic: `describe`s the semantics of store/types.ts against the store
 * `open` returns (one store for the suite; each case works in its own buckets and account, so cases never
 * see each other's state, except the last, which resets everything). Run it from a `*.test.ts` per backend.
 */
export function storeContract(name: string, open: () => Promise<S3Store>, close: (store: S3Store) => Promise<void>): void {
  describe(`S3Store contract: ${name}`, () => {
    let store: S3Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await close(store);
    });

    /** A new bucket in a fresh account. */
    async function created(versioning?: 'Enabled' | 'Suspended', account = freshAccount()): Promise<BucketRecord> {
      const b = bucketRecord(account);
      assert.equal((await store.createBucket(b)).created, true);
      if (versioning) return store.updateBucket(b.name, { versioning });
      return b;
    }

    async function put(bucket: string, key: string, more: Partial<NewObject> = {}, versionId = newVersionId()): Promise<ObjectRecord> {
      const outcome = await store.putObject(bucket, object(key, more), { versionId });
      assert.ok(outcome.ok, `put ${key}: ${JSON.stringify(outcome)}`);
      return outcome.record;
    }

    async function keysOf(bucket: string, q: { prefix?: string; delimiter?: string; after?: string; limit?: number } = {}): Promise<string[]> {
      const page = await store.listObjects(bucket, { prefix: q.prefix ?? '', delimiter: q.delimiter, after: q.after, limit: q.limit ?? 1000 });
      return page.entries.map((e) => (e.record ? e.record.key : `[${e.prefix}]`));
    }

    describe('buckets', () => {
      it('creates a bucket once; the name then gives the existing record back, whoever asks', async () => {
        const b = bucketRecord(freshAccount(), { config: { tagging: [{ Key: 'k', Value: 'v' }] }, locationConstraint: 'EU' });
        assert.deepEqual(await store.createBucket(b), { created: true, bucket: b });
        const again = await store.createBucket({ ...bucketRecord(freshAccount()), name: b.name });
        assert.equal(again.created, false);
        assert.deepEqual(again.bucket, b);
        assert.deepEqual(await store.getBucket(b.name), b);
        assert.equal(await store.getBucket(`${b.name}-nope`), undefined);
      });

      it("lists an account's buckets by name, and every bucket without an account", async () => {
        const account = freshAccount();
        const names = ['c', 'a', 'b'].map((s) => `${s}-${uniqueBucketName()}`);
        for (const n of names) await store.createBucket({ ...bucketRecord(account), name: n });
        const other = await created();
        assert.deepEqual(
          (await store.listBuckets(account)).map((b) => b.name),
          [...names].sort(),
        );
        const all = (await store.listBuckets()).map((b) => b.name);
        for (const n of [...names, other.name]) assert.ok(all.includes(n));
        assert.deepEqual(all, [...all].sort());
        assert.deepEqual(await store.listBuckets(freshAccount()), []);
      });

      it('changes versioning and sets or removes configurations', async () => {
        const b = await created();
        const cors = { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] };
        let r = await store.updateBucket(b.name, { config: { cors, policy: '{"Version":"2012-10-17"}', tagging: [] } });
        assert.deepEqual(r.config, { cors, policy: '{"Version":"2012-10-17"}', tagging: [] });
        assert.equal(r.versioning, undefined);
        r = await store.updateBucket(b.name, { versioning: 'Enabled', config: { policy: null } });
        assert.equal(r.versioning, 'Enabled');
        assert.deepEqual(r.config, { cors, tagging: [] });
        r = await store.updateBucket(b.name, { versioning: 'Suspended' });
        assert.deepEqual(await store.getBucket(b.name), r);
        assert.equal(r.versioning, 'Suspended');
        assert.equal(r.createdAt, b.createdAt);
        assert.equal(r.account, b.account);
        await assert.rejects(store.updateBucket(`${b.name}-nope`, { versioning: 'Enabled' }), BucketMissingError);
      });

      it('deletes only empty buckets (a delete marker is content); uploads go with the bucket', async () => {
        assert.deepEqual(await store.deleteBucket(uniqueBucketName()), { outcome: 'missing' });
        const b = await created('Enabled');
        await put(b.name, 'k');
        const marker = await store.deleteObject(b.name, 'k', deleteOptions());
        assert.equal(marker.kind, 'marker');
        const [v] = (await store.listVersions(b.name, { prefix: '', limit: 10 })).entries.slice(1);
        await store.deleteObject(b.name, 'k', deleteOptions({ versionId: v.record!.versionId }));
        assert.deepEqual(await store.deleteBucket(b.name), { outcome: 'notEmpty' });
        await store.deleteObject(b.name, 'k', deleteOptions({ versionId: (marker as { marker: ObjectRecord }).marker.versionId }));

        const upload = await store.createUpload(b.name, uploadRecord('mpu'));
        const p = part(1);
        await store.putPart(b.name, upload.uploadId, p);
        const result = await store.deleteBucket(b.name);
        assert.deepEqual(result, { outcome: 'deleted', orphans: [p.blob] });
        assert.equal(await store.getBucket(b.name), undefined);
        assert.deepEqual(await store.deleteBucket(b.name), { outcome: 'missing' });
        await assert.rejects(store.putObject(b.name, object('x'), { versionId: 'v' }), BucketMissingError);
        await assert.rejects(store.getObject(b.name, 'x'), BucketMissingError);
        await assert.rejects(store.listObjects(b.name, { prefix: '', limit: 1 }), BucketMissingError);
        await assert.rejects(store.listUploads(b.name), BucketMissingError);
        await assert.rejects(store.getUpload(b.name, upload.uploadId), BucketMissingError);
        await assert.rejects(store.deleteObject(b.name, 'x', deleteOptions()), BucketMissingError);
        // The name is free again.
        assert.equal((await store.createBucket({ ...bucketRecord(freshAccount()), name: b.name })).created, true);
        assert.equal(await store.getObject(b.name, 'k'), undefined);
      });
    });

    describe('objects', () => {
      it('writes the null version of an unversioned bucket, replacing the previous one and releasing its body', async () => {
        const b = await created();
        const first = object('k', { inline: Buffer.from('one').toString('base64'), tags: [{ Key: 't', Value: '1' }], acl: { Grants: [] } });
        const w1 = await store.putObject(b.name, first, { versionId: newVersionId() });
        assert.ok(w1.ok);
        assert.deepEqual(w1.record, { ...first, versionId: 'null', seq: w1.record.seq });
        assert.equal(w1.replaced, undefined);
        assert.deepEqual(w1.orphans, []);
        assert.deepEqual(await store.getObject(b.name, 'k'), w1.record);
        assert.deepEqual(await store.getObject(b.name, 'k', 'null'), w1.record);

        const second = object('k');
        const w2 = await store.putObject(b.name, second, { versionId: newVersionId() });
        assert.ok(w2.ok);
        assert.ok(w2.record.seq > w1.record.seq);
        assert.deepEqual(w2.replaced, w1.record);
        assert.deepEqual(w2.orphans, [first.blob]);
        assert.deepEqual(await store.getObject(b.name, 'k'), { ...second, versionId: 'null', seq: w2.record.seq });
        assert.equal(await store.getObject(b.name, 'nope'), undefined);
        assert.equal(await store.getObject(b.name, 'k', newVersionId()), undefined);
        // Whatever a version id holds, it names a version of this key only.
        await put(b.name, 'x/y');
        assert.equal(await store.getObject(b.name, 'y', 'null/x'), undefined);
        assert.equal(await store.updateObject(b.name, 'y', 'null/x', { tags: [] }), undefined);
        assert.deepEqual(await store.deleteObject(b.name, 'y', deleteOptions({ versionId: 'null/x' })), { kind: 'none' });
      });

      it('keeps an empty inline body apart from no inline body', async () => {
        const b = await created();
        await put(b.name, 'empty', { inline: '', size: 0 });
        await put(b.name, 'file');
        assert.equal((await store.getObject(b.name, 'empty'))?.inline, '');
        assert.equal('inline' in (await store.getObject(b.name, 'file'))!, false);
      });

      it('adds versions newest first when versioning is enabled; a suspended bucket replaces only its null version', async () => {
        const b = await created();
        const n = await put(b.name, 'k'); // written before versioning: the null version
        await store.updateBucket(b.name, { versioning: 'Enabled' });
        const v1 = await put(b.name, 'k', {}, newVersionId());
        const v2 = await put(b.name, 'k', {}, newVersionId());
        assert.notEqual(v1.versionId, 'null');
        assert.deepEqual(await versionIds(b.name, 'k'), [v2.versionId, v1.versionId, 'null']);
        assert.deepEqual(await store.getObject(b.name, 'k', v1.versionId), v1);
        assert.deepEqual(await store.getObject(b.name, 'k'), v2);

        await store.updateBucket(b.name, { versioning: 'Suspended' });
        const s1 = object('k');
        const w = await store.putObject(b.name, s1, { versionId: newVersionId() });
        assert.ok(w.ok);
        assert.equal(w.record.versionId, 'null');
        assert.deepEqual(w.replaced, n);
        assert.deepEqual(w.orphans, [n.blob]);
        assert.deepEqual(await versionIds(b.name, 'k'), ['null', v2.versionId, v1.versionId]);
      });

      it('numbers writes in one store-wide sequence', async () => {
        const [a, c] = [await created(), await created('Enabled')];
        const seqs = [
          (await put(a.name, 'x')).seq,
          (await put(c.name, 'y')).seq,
          (await store.createUpload(a.name, uploadRecord('z'))).seq,
          ((await store.deleteObject(c.name, 'y', deleteOptions())) as { marker: ObjectRecord }).marker.seq,
          ((await store.deleteObject(a.name, 'x', deleteOptions())) as { seq: number }).seq,
        ];
        for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `seqs ${seqs.join(',')}`);
      });

      it('checks write conditions inside the write', async () => {
        const b = await created('Enabled');
        const cond = async (key: string, condition: Parameters<S3Store['putObject']>[2]['condition']) =>
          failureOf(await store.putObject(b.name, object(key), { versionId: newVersionId(), condition }));
        assert.equal(await cond('k', { ifMatch: 'abc' }), 'missing');
        assert.equal(await cond('k', { ifNoneMatch: true }), 'ok');
        const current = (await store.getObject(b.name, 'k'))!;
        assert.equal(await cond('k', { ifNoneMatch: true }), 'precondition');
        assert.equal(await cond('k', { ifMatch: 'other' }), 'precondition');
        assert.equal(await cond('k', { ifMatch: current.etag }), 'ok');
        // A delete marker counts as no object.
        await store.deleteObject(b.name, 'k', deleteOptions());
        assert.equal(await cond('k', { ifMatch: current.etag }), 'missing');
        assert.equal(await cond('k', { ifNoneMatch: true }), 'ok');
        // A failed write leaves nothing behind.
        assert.equal((await store.listVersions(b.name, { prefix: '', limit: 100 })).entries.length, 4);
      });

      it('counts references to a blob shared by copies; `reuse` of a blob nobody references fails with gone', async () => {
        const b = await created();
        const src = await put(b.name, 'src');
        const copy = await store.putObject(b.name, object('copy', { blob: src.blob }), { versionId: newVersionId(), reuse: true });
        assert.ok(copy.ok);
        // A copy onto itself keeps its body.
        const self = await store.putObject(b.name, object('src', { blob: src.blob }), { versionId: newVersionId(), reuse: true });
        assert.ok(self.ok);
        assert.deepEqual(self.orphans, []);
        assert.deepEqual(orphansOf(await store.deleteObject(b.name, 'src', deleteOptions())), []);
        assert.deepEqual(orphansOf(await store.deleteObject(b.name, 'copy', deleteOptions())), [src.blob]);
        const gone = await store.putObject(b.name, object('again', { blob: src.blob }), { versionId: newVersionId(), reuse: true });
        assert.deepEqual(gone, { ok: false, failure: 'gone' });
        assert.equal(await store.getObject(b.name, 'again'), undefined);
      });

      it('deletes the null version of an unversioned bucket; nothing to delete is none', async () => {
        const b = await created();
        const o = await put(b.name, 'k');
        assert.deepEqual(await store.deleteObject(b.name, 'nope', deleteOptions()), { kind: 'none' });
        const outcome = await store.deleteObject(b.name, 'k', deleteOptions());
        assert.equal(outcome.kind, 'removed');
        assert.deepEqual((outcome as { removed: ObjectRecord }).removed, o);
        assert.ok((outcome as { seq: number }).seq > o.seq);
        assert.deepEqual(orphansOf(outcome), [o.blob]);
        assert.equal(await store.getObject(b.name, 'k'), undefined);
        assert.deepEqual(await keysOf(b.name), []);
      });

      it('adds delete markers in versioned buckets; removing versions by id brings older ones back', async () => {
        const b = await created('Enabled');
        const v1 = await put(b.name, 'k');
        const outcome = await store.deleteObject(b.name, 'k', deleteOptions({ markerVersionId: 'MARKER'.padEnd(32, 'x'), now: T0 + 5, owner: '123456789012' }));
        assert.equal(outcome.kind, 'marker');
        const marker = (outcome as { marker: ObjectRecord }).marker;
        assert.deepEqual(marker, {
          key: 'k',
          versionId: 'MARKER'.padEnd(32, 'x'),
          deleteMarker: true,
          lastModified: T0 + 5,
          owner: '123456789012',
          seq: marker.seq,
          etag: '',
          size: 0,
          blob: '',
        });
        assert.deepEqual(orphansOf(outcome), []);
        assert.deepEqual(await store.getObject(b.name, 'k'), marker);
        assert.deepEqual(await keysOf(b.name), []);
        assert.deepEqual(await versionIds(b.name, 'k'), [marker.versionId, v1.versionId]);
        // Removing the marker makes v1 current again.
        const removed = await store.deleteObject(b.name, 'k', deleteOptions({ versionId: marker.versionId }));
        assert.equal(removed.kind, 'removed');
        assert.deepEqual(orphansOf(removed), []);
        assert.deepEqual(await store.getObject(b.name, 'k'), v1);
        assert.deepEqual(await keysOf(b.name), ['k']);
        assert.deepEqual(await store.deleteObject(b.name, 'k', deleteOptions({ versionId: newVersionId() })), { kind: 'none' });
        const last = await store.deleteObject(b.name, 'k', deleteOptions({ versionId: v1.versionId }));
        assert.deepEqual(orphansOf(last), [v1.blob]);
        assert.deepEqual((await store.listVersions(b.name, { prefix: '', limit: 10 })).entries, []);
      });

      it("makes a suspended bucket's delete marker its null version", async () => {
        const b = await created('Enabled');
        const v1 = await put(b.name, 'k');
        await store.updateBucket(b.name, { versioning: 'Suspended' });
        const n = await put(b.name, 'k');
        const outcome = await store.deleteObject(b.name, 'k', deleteOptions());
        assert.equal(outcome.kind, 'marker');
        assert.equal((outcome as { marker: ObjectRecord }).marker.versionId, 'null');
        assert.deepEqual(orphansOf(outcome), [n.blob]);
        assert.deepEqual(await versionIds(b.name, 'k'), ['null', v1.versionId]);
      });

      it('deletes only the version it expects (expectSeq) and checks If-Match', async () => {
        const b = await created('Enabled');
        const v1 = await put(b.name, 'k');
        const v2 = await put(b.name, 'k');
        assert.deepEqual(await store.deleteObject(b.name, 'k', deleteOptions({ versionId: v1.versionId, expectSeq: v2.seq })), { kind: 'none' });
        assert.deepEqual(await store.deleteObject(b.name, 'k', deleteOptions({ expectSeq: v1.seq })), { kind: 'none' });
        assert.deepEqual(await store.deleteObject(b.name, 'k', deleteOptions({ ifMatch: 'nope' })), { kind: 'failed', failure: 'precondition' });
        assert.deepEqual(await store.deleteObject(b.name, 'none', deleteOptions({ ifMatch: '*' })), { kind: 'failed', failure: 'missing' });
        assert.deepEqual(await versionIds(b.name, 'k'), [v2.versionId, v1.versionId]);
        const removed = await store.deleteObject(b.name, 'k', deleteOptions({ versionId: v1.versionId, expectSeq: v1.seq }));
        assert.equal(removed.kind, 'removed');
        assert.equal((await store.deleteObject(b.name, 'k', deleteOptions({ expectSeq: v2.seq, ifMatch: v2.etag }))).kind, 'marker');
        assert.deepEqual(await store.deleteObject(b.name, 'k', deleteOptions({ ifMatch: '*' })), { kind: 'failed', failure: 'missing' });
      });

      it('replaces tags and ACL of a version in place', async () => {
        const b = await created('Enabled');
        const v1 = await put(b.name, 'k', { tags: [{ Key: 'a', Value: '1' }] });
        const v2 = await put(b.name, 'k');
        const tagged = await store.updateObject(b.name, 'k', v1.versionId, { tags: [{ Key: 'b', Value: '2' }] });
        assert.deepEqual(tagged, { ...v1, tags: [{ Key: 'b', Value: '2' }] });
        assert.deepEqual(await store.getObject(b.name, 'k', v1.versionId), tagged);
        const acl = { Owner: { ID: 'x' }, Grants: [{ Permission: 'READ' }] };
        const current = await store.updateObject(b.name, 'k', undefined, { acl });
        assert.deepEqual(current, { ...v2, acl });
        const cleared = await store.updateObject(b.name, 'k', v1.versionId, { tags: undefined });
        assert.equal(cleared?.tags, undefined);
        assert.equal((await store.getObject(b.name, 'k', v1.versionId))?.tags, undefined);
        assert.deepEqual((await store.getObject(b.name, 'k'))?.acl, acl);
        // Object Lock members; what a patch does not name stays.
        const retention = { mode: 'GOVERNANCE' as const, until: T0 + 86_400_000 };
        const locked = await store.updateObject(b.name, 'k', v1.versionId, { retention, legalHold: 'ON' });
        assert.deepEqual(locked?.retention, retention);
        assert.equal(locked?.legalHold, 'ON');
        const released = await store.updateObject(b.name, 'k', v1.versionId, { legalHold: 'OFF', retention: undefined });
        assert.equal(released?.legalHold, 'OFF');
        assert.equal(released?.retention, undefined);
        assert.deepEqual(await store.getObject(b.name, 'k', v1.versionId), released);
        assert.equal(released?.etag, v1.etag);
        assert.equal(released?.seq, v1.seq);
        assert.equal(await store.updateObject(b.name, 'k', newVersionId(), { tags: [] }), undefined);
        assert.equal(await store.updateObject(b.name, 'none', undefined, { tags: [] }), undefined);
        await store.deleteObject(b.name, 'k', deleteOptions());
        assert.equal(await store.updateObject(b.name, 'k', undefined, { tags: [] }), undefined);
      });
    });

    describe('listing', () => {
      it('lists keys in UTF-8 byte order, by prefix, after a key, a page at a time', async () => {
        const b = await created();
        // UTF-16 order would put the astral (surrogate pair) key before U+E000 and U+FFFD.
        const keys = ['a', 'a/b', 'a/c', 'ab', 'b', '\u00e9', '\ue000', '\ufffd', '\u{1f600}', 'A', ' ', 'a b'];
        for (const k of keys) await put(b.name, k);
        const sorted = [' ', 'A', 'a', 'a b', 'a/b', 'a/c', 'ab', 'b', '\u00e9', '\ue000', '\ufffd', '\u{1f600}'];
        assert.deepEqual(await keysOf(b.name), sorted);
        assert.deepEqual(await keysOf(b.name, { prefix: 'a' }), ['a', 'a b', 'a/b', 'a/c', 'ab']);
        assert.deepEqual(await keysOf(b.name, { prefix: 'a/' }), ['a/b', 'a/c']);
        assert.deepEqual(await keysOf(b.name, { prefix: '\ue000' }), ['\ue000']);
        assert.deepEqual(await keysOf(b.name, { after: 'ab' }), ['b', '\u00e9', '\ue000', '\ufffd', '\u{1f600}']);
        assert.deepEqual(await keysOf(b.name, { after: 'a/' }), ['a/b', 'a/c', 'ab', 'b', '\u00e9', '\ue000', '\ufffd', '\u{1f600}']);
        assert.deepEqual(await keysOf(b.name, { prefix: 'a', after: ' ' }), ['a', 'a b', 'a/b', 'a/c', 'ab']);
        assert.deepEqual(await keysOf(b.name, { after: '\u{1f600}' }), []);
        const page = await store.listObjects(b.name, { prefix: '', limit: 3 });
        assert.deepEqual(
          page.entries.map((e) => e.record?.key),
          [' ', 'A', 'a'],
        );
        assert.equal(page.truncated, true);
        const lastPage = await store.listObjects(b.name, { prefix: '', after: 'b', limit: 4 });
        assert.equal(lastPage.entries.length, 4);
        assert.equal(lastPage.truncated, false);
      });

      it('rolls keys up to common prefixes by the delimiter, skipping a prefix an earlier page returned', async () => {
        const b = await created();
        for (const k of ['a/1', 'a/2', 'a/b/1', 'b', 'c/x/1', 'c/y', 'd::e', 'd::f', 'dz']) await put(b.name, k);
        assert.deepEqual(await keysOf(b.name, { delimiter: '/' }), ['[a/]', 'b', '[c/]', 'd::e', 'd::f', 'dz']);
        assert.deepEqual(await keysOf(b.name, { delimiter: '/', prefix: 'a/' }), ['a/1', 'a/2', '[a/b/]']);
        assert.deepEqual(await keysOf(b.name, { delimiter: '/', prefix: 'c/' }), ['[c/x/]', 'c/y']);
        assert.deepEqual(await keysOf(b.name, { delimiter: '::' }), ['a/1', 'a/2', 'a/b/1', 'b', 'c/x/1', 'c/y', '[d::]', 'dz']);
        assert.deepEqual(await keysOf(b.name, { delimiter: '/', after: 'a/' }), ['b', '[c/]', 'd::e', 'd::f', 'dz']);
        assert.deepEqual(await keysOf(b.name, { delimiter: '/', after: 'a/1' }), ['b', '[c/]', 'd::e', 'd::f', 'dz']);
        const first = await store.listObjects(b.name, { prefix: '', delimiter: '/', limit: 2 });
        assert.deepEqual(
          first.entries.map((e) => e.prefix ?? e.record?.key),
          ['a/', 'b'],
        );
        assert.equal(first.truncated, true);
        const exact = await store.listObjects(b.name, { prefix: '', delimiter: '/', after: 'd::f', limit: 1 });
        assert.deepEqual(
          exact.entries.map((e) => e.record?.key),
          ['dz'],
        );
        assert.equal(exact.truncated, false);
      });

      it('leaves out keys whose current version is a delete marker, and prefixes holding only such keys', async () => {
        const b = await created('Enabled');
        for (const k of ['gone/1', 'gone/2', 'kept/1', 'kept/2', 'x']) await put(b.name, k);
        for (const k of ['gone/1', 'gone/2', 'kept/2', 'x']) await store.deleteObject(b.name, k, deleteOptions());
        assert.deepEqual(await keysOf(b.name), ['kept/1']);
        assert.deepEqual(await keysOf(b.name, { delimiter: '/' }), ['[kept/]']);
        const versions = await store.listVersions(b.name, { prefix: '', delimiter: '/', limit: 100 });
        assert.deepEqual(
          versions.entries.map((e) => e.prefix ?? e.record?.key),
          ['gone/', 'kept/', 'x', 'x'],
        );
        assert.equal(versions.entries[2].record?.deleteMarker, true);
      });

      it('pages through more than 1,000 keys', async () => {
        const b = await created();
        const keys = Array.from({ length: 1500 }, (_, i) => `dir${i % 3}/key-${String(i).padStart(5, '0')}`);
        await Promise.all(keys.map((k) => put(b.name, k)));
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.listObjects(b.name, { prefix: '', after, limit: 1000 });
          seen.push(...page.entries.map((e) => e.record!.key));
          if (!page.truncated) break;
          after = seen[seen.length - 1];
        }
        assert.deepEqual(seen, [...keys].sort());
        assert.deepEqual(await keysOf(b.name, { delimiter: '/' }), ['[dir0/]', '[dir1/]', '[dir2/]']);
        const dir1 = await store.listObjects(b.name, { prefix: 'dir1/', after: 'dir1/key-00100', limit: 1000 });
        assert.equal(dir1.entries.length, 466);
        assert.equal(dir1.truncated, false);
      });

      it('lists versions newest first within a key, continuing within a key after a version', async () => {
        const b = await created('Enabled');
        const a = [await put(b.name, 'a'), await put(b.name, 'a'), await put(b.name, 'a')].reverse();
        const c = [await put(b.name, 'c'), await put(b.name, 'c')].reverse();
        const all = await store.listVersions(b.name, { prefix: '', limit: 100 });
        assert.deepEqual(
          all.entries.map((e) => e.record?.versionId),
          [...a, ...c].map((v) => v.versionId),
        );
        const page1 = await store.listVersions(b.name, { prefix: '', limit: 2 });
        assert.equal(page1.truncated, true);
        const page2 = await store.listVersions(b.name, { prefix: '', after: 'a', afterVersionId: a[1].versionId, limit: 2 });
        assert.deepEqual(
          page2.entries.map((e) => e.record?.versionId),
          [a[2].versionId, c[0].versionId],
        );
        assert.equal(page2.truncated, true);
        const page3 = await store.listVersions(b.name, { prefix: '', after: 'c', afterVersionId: c[0].versionId, limit: 2 });
        assert.deepEqual(
          page3.entries.map((e) => e.record?.versionId),
          [c[1].versionId],
        );
        assert.equal(page3.truncated, false);
        // After a key without a version id: the next key.
        const next = await store.listVersions(b.name, { prefix: '', after: 'a', limit: 100 });
        assert.deepEqual(
          next.entries.map((e) => e.record?.key),
          ['c', 'c'],
        );
        // The records are the versions (bodies may be left out of listings).
        const { inline: _, ...listed } = all.entries[0].record!;
        const { inline: __, ...stored } = a[0];
        assert.deepEqual(listed, stored);
      });
    });

    describe('multipart uploads', () => {
      it('creates uploads, stores and replaces parts, lists them by number', async () => {
        const b = await created();
        const u = await store.createUpload(b.name, uploadRecord('k'));
        assert.ok(u.seq > 0);
        assert.deepEqual(await store.getUpload(b.name, u.uploadId), u);
        assert.equal(await store.getUpload(b.name, newUploadId()), undefined);
        const parts = [part(10), part(2), part(1)];
        for (const p of parts) assert.deepEqual(await store.putPart(b.name, u.uploadId, p), { ok: true, orphans: [] });
        const replacement = part(2);
        assert.deepEqual(await store.putPart(b.name, u.uploadId, replacement), { ok: true, orphans: [parts[1].blob] });
        assert.deepEqual(await store.listParts(b.name, u.uploadId), [parts[2], replacement, parts[0]]);
        assert.equal(await store.listParts(b.name, newUploadId()), undefined);
        assert.deepEqual(await store.putPart(b.name, newUploadId(), part(1)), { ok: false, failure: 'noSuchUpload' });
        assert.deepEqual(await store.putPart(b.name, u.uploadId, part(3), { reuse: true }), { ok: false, failure: 'gone' });
        // UploadPartCopy shares a referenced body.
        const src = await put(b.name, 'src');
        assert.deepEqual(await store.putPart(b.name, u.uploadId, { ...part(4), blob: src.blob }, { reuse: true }), { ok: true, orphans: [] });
      });

      it('lists uploads by key, then by initiation', async () => {
        const b = await created();
        const u1 = await store.createUpload(b.name, uploadRecord('b', T0 + 2));
        const u2 = await store.createUpload(b.name, uploadRecord('a', T0 + 5));
        const u3 = await store.createUpload(b.name, uploadRecord('b', T0 + 1));
        assert.deepEqual(await store.listUploads(b.name), [u2, u3, u1]);
      });

      it("completes an upload into an object, releasing its parts' blobs", async () => {
        const b = await created('Enabled');
        const u = await store.createUpload(b.name, uploadRecord('k'));
        const parts = [part(1), part(2)];
        for (const p of parts) await store.putPart(b.name, u.uploadId, p);
        const obj = object('k', { parts: [{ size: 5 }, { size: 5 }] });
        const versionId = newVersionId();
        const outcome = await store.completeUpload(b.name, u.uploadId, obj, { versionId });
        assert.ok(outcome.ok);
        assert.deepEqual(outcome.record, { ...obj, versionId, seq: outcome.record.seq });
        assert.deepEqual([...outcome.orphans].sort(), parts.map((p) => p.blob).sort());
        assert.deepEqual(await store.getObject(b.name, 'k'), outcome.record);
        assert.equal(await store.getUpload(b.name, u.uploadId), undefined);
        assert.deepEqual(await store.listUploads(b.name), []);
        assert.deepEqual(await store.completeUpload(b.name, u.uploadId, object('k'), { versionId: newVersionId() }), { ok: false, failure: 'noSuchUpload' });
      });

      it('fails a conditional completion when the key was written or deleted after the upload began', async () => {
        const b = await created('Enabled');
        const complete = async (u: UploadRecord, ifNoneMatch = false) =>
          failureOf(await store.completeUpload(b.name, u.uploadId, object(u.key), { versionId: newVersionId(), condition: { ifNoneMatch, notWrittenSince: u.seq } }));
        const written = await store.createUpload(b.name, uploadRecord('w'));
        await put(b.name, 'w');
        assert.equal(await complete(written), 'conflict');
        assert.equal(await complete(written, true), 'precondition');

        const v = await put(b.name, 'd');
        const deleted = await store.createUpload(b.name, uploadRecord('d'));
        await store.deleteObject(b.name, 'd', deleteOptions({ versionId: v.versionId }));
        assert.equal(await store.getObject(b.name, 'd'), undefined);
        assert.equal(await complete(deleted), 'conflict');

        const marked = await store.createUpload(b.name, uploadRecord('m'));
        await put(b.name, 'm');
        await store.deleteObject(b.name, 'm', deleteOptions());
        assert.equal(await complete(marked, true), 'conflict');

        const quiet = await store.createUpload(b.name, uploadRecord('q'));
        assert.equal(await complete(quiet, true), 'ok');
        // The failed completions left their uploads in place.
        assert.deepEqual((await store.listUploads(b.name)).map((u) => u.key), ['d', 'm', 'w']);
      });

      it('aborts an upload, releasing its parts', async () => {
        const b = await created();
        const u = await store.createUpload(b.name, uploadRecord('k'));
        const p = part(1);
        await store.putPart(b.name, u.uploadId, p);
        assert.deepEqual(await store.abortUpload(b.name, u.uploadId), { orphans: [p.blob] });
        assert.equal(await store.abortUpload(b.name, u.uploadId), undefined);
        assert.equal(await store.listParts(b.name, u.uploadId), undefined);
      });
    });

    describe('administration', () => {
      it('dumps buckets with their versions and uploads', async () => {
        const account = freshAccount();
        const b = await created('Enabled', account);
        await store.updateBucket(b.name, { config: { tagging: [{ Key: 'k', Value: 'v' }] } });
        const v = await put(b.name, 'k', { storageClass: 'GLACIER' });
        const marker = (await store.deleteObject(b.name, 'k', deleteOptions())) as { marker: ObjectRecord };
        const u = await store.createUpload(b.name, uploadRecord('up'));
        await store.putPart(b.name, u.uploadId, part(2));
        await store.putPart(b.name, u.uploadId, part(1));
        const dumped = (await store.dump()).buckets.find((x) => x.name === b.name);
        assert.deepEqual(dumped, {
          name: b.name,
          account,
          region: 'us-east-1',
          createdAt: new Date(T0).toISOString(),
          versioning: 'Enabled',
          config: { tagging: [{ Key: 'k', Value: 'v' }] },
          objects: [
            { key: 'k', versionId: marker.marker.versionId, deleteMarker: true, size: 0, etag: '', lastModified: new Date(T0).toISOString(), storageClass: undefined },
            { key: 'k', versionId: v.versionId, size: 5, etag: v.etag, lastModified: new Date(T0).toISOString(), storageClass: 'GLACIER' },
          ],
          uploads: [{ uploadId: u.uploadId, key: 'up', initiated: new Date(T0).toISOString(), parts: [1, 2] }],
        });
      });

      it("resets one account: its buckets and everything in them go, their blobs come back", async () => {
        const account = freshAccount();
        const b1 = await created('Enabled', account);
        const b2 = await created(undefined, account);
        const other = await created();
        const kept = await put(other.name, 'k');
        const blobs = [(await put(b1.name, 'x')).blob, (await put(b1.name, 'x')).blob, (await put(b2.name, 'y')).blob];
        const u = await store.createUpload(b2.name, uploadRecord('u'));
        const p = part(1);
        await store.putPart(b2.name, u.uploadId, p);
        // A body shared with another account's object stays referenced.
        await store.putObject(b2.name, object('shared', { blob: kept.blob }), { versionId: newVersionId(), reuse: true });
        const orphans = await store.reset(account);
        assert.deepEqual([...orphans].sort(), [...blobs, p.blob].sort());
        assert.deepEqual(await store.listBuckets(account), []);
        assert.equal(await store.getBucket(b1.name), undefined);
        assert.deepEqual(await store.getObject(other.name, 'k'), kept);
      });

      it('resets everything, returning every referenced blob; sequence numbers keep growing', async () => {
        const b = await created();
        const before = await put(b.name, 'k');
        const u = await store.createUpload(b.name, uploadRecord('u'));
        const p = part(1);
        await store.putPart(b.name, u.uploadId, p);
        const orphans = await store.reset();
        assert.ok(orphans.includes(before.blob));
        assert.ok(orphans.includes(p.blob));
        assert.deepEqual(await store.listBuckets(), []);
        assert.deepEqual((await store.dump()).buckets, []);
        const again = await created();
        assert.ok((await put(again.name, 'k')).seq > before.seq);
        await store.reset();
      });
    });

    async function versionIds(bucket: string, key: string): Promise<string[]> {
      const page = await store.listVersions(bucket, { prefix: key, limit: 1000 });
      return page.entries.filter((e) => e.record?.key === key).map((e) => e.record!.versionId);
    }
  });
}

/** A fixed instant: the stores only ever compare what they are given. */
const T0 = Date.UTC(2025, 0, 1, 12);

let accounts = 0;
function freshAccount(): string {
  accounts++;
  return String(100_000_000_000 + (process.pid % 1000) * 1000 + accounts);
}

let buckets = 0;
/** Bucket names are global: unique per process and run. */
function uniqueBucketName(): string {
  return `contract-${process.pid}-${Date.now().toString(36)}-${++buckets}`;
}

function bucketRecord(account: string, more: Partial<BucketRecord> = {}): BucketRecord {
  return { name: uniqueBucketName(), account, region: 'us-east-1', createdAt: T0, config: {}, ...more };
}

function blobId(): string {
  return `b${randomBytes(16).toString('hex')}`;
}

function object(key: string, more: Partial<NewObject> = {}): NewObject {
  return {
    key,
    lastModified: T0,
    owner: '000000000000',
    etag: randomBytes(16).toString('hex'),
    size: 5,
    blob: blobId(),
    checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', value: 'AAAAAAAAAAA=' },
    headers: { ContentType: 'text/plain' },
    metadata: { m: 'v' },
    storageClass: 'STANDARD',
    encryption: { ServerSideEncryption: 'AES256' },
    ...more,
  };
}

function uploadRecord(key: string, initiated = T0): Omit<UploadRecord, 'seq'> {
  return {
    uploadId: newUploadId(),
    key,
    initiated,
    owner: '000000000000',
    headers: {},
    metadata: {},
    storageClass: 'STANDARD',
    encryption: { ServerSideEncryption: 'AES256' },
    checksumAlgorithm: 'CRC32',
    checksumType: 'COMPOSITE',
  };
}

function part(partNumber: number): PartRecord {
  return { partNumber, lastModified: T0, etag: randomBytes(16).toString('hex'), size: 5, blob: blobId(), checksums: { CRC64NVME: 'AAAAAAAAAAA=' } };
}

function deleteOptions(more: Partial<Parameters<S3Store['deleteObject']>[2]> = {}): Parameters<S3Store['deleteObject']>[2] {
  return { markerVersionId: newVersionId(), now: T0, owner: '000000000000', ...more };
}

function failureOf(outcome: WriteOutcome | { ok: false; failure: string }): string {
  return outcome.ok ? 'ok' : outcome.failure;
}

function orphansOf(outcome: DeleteOutcome): string[] {
  return outcome.kind === 'removed' || outcome.kind === 'marker' ? outcome.orphans : [];
}
