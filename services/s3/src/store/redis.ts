import { connectWithScripts, unlinkMatching, type LuaScript, type Redis } from '@stratus/shared/redis';
import { compareKeys, type BucketRecord, type ObjectRecord, type PartRecord, type UploadRecord } from '../model.js';
import {
  bucketArgs,
  conditionArgs,
  decodeBucket,
  decodePart,
  decodeUpload,
  decodeVersion,
  markerBase,
  patchArgs,
  uploadArgs,
  writeArgs,
  type Arg,
  type VersionReply,
} from './redis-codec.js';
import { ALL_KEYS_PATTERN, BUCKETS, REFS, SEQUENCE, bucketKey, scriptKeys } from './redis-keys.js';
import { BUCKET_MISSING, SCRIPTS, type ScriptName } from './redis-scripts.js';
import {
  BucketMissingError,
  type BucketPatch,
  type CompleteOutcome,
  type DeleteOptions,
  type DeleteOutcome,
  type ListEntry,
  type ListPage,
  type ListQuery,
  type NewObject,
  type ObjectPatch,
  type PartOutcome,
  type PutOptions,
  type S3Dump,
  type S3Store,
  type WriteFailure,
  type WriteOutcome,
} from './types.js';


type WriteReply = ['ok', VersionReply, VersionReply | null, string[]] | ['fail', WriteFailure | 'gone' | 'noSuchUpload'];

/**
 * The S3Store shared by N service replicas through one Redis. Each method that changes state is one
 * script call (see redis-scripts.ts), so it is atomic across replicas and one round trip; so is each
 * read that must see one state (a version, a listing page). Bodies stay in the BlobStore: versions and
 * parts hold blob ids (and small inline bodies), and the scripts count references to blobs.
 *
 * Listing pages leave `inline` bodies out of their records (nothing that lists reads a body; a page of
 * 1,000 small objects would otherwise carry up to 16 MiB): getObject returns them.
 */
export class RedisS3Store implements S3Store {

  private constructor(
    private readonly redis: Redis,
    private readonly scripts: Record<ScriptName, LuaScript>,
  ) {}

  static async connect(url: string): Promise<RedisS3Store> {
    const { redis, scripts } = await connectWithScripts(url, SCRIPTS);
    return new RedisS3Store(redis, scripts);
  }

  // ---- buckets ----

  async createBucket(bucket: BucketRecord): Promise<{ created: boolean; bucket: BucketRecord }> {
    const reply = (await this.run('createBucket', bucket.name, [bucket.name, bucket.account, ...bucketArgs(bucket)])) as [1] | [0, string[]];
    return reply[0] === 1 ? { created: true, bucket } : { created: false, bucket: decodeBucket(reply[1])! };
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    return decodeBucket(await this.redis.hgetall(bucketKey(name)));
  }

  async listBuckets(account?: string): Promise<BucketRecord[]> {
    const owners = await this.redis.hgetall(BUCKETS);
    const names = Object.keys(owners)
      .filter((name) => account === undefined || owners[name] === account)
      .sort((a, b) => compareKeys(a, b));
    const records = await Promise.all(names.map((name) => this.getBucket(name)));
    return records.filter((b): b is BucketRecord => b !== undefined);
  }

  async updateBucket(name: string, patch: BucketPatch): Promise<BucketRecord> {
    const args: Arg[] = [patch.versioning ?? ''];
    for (const [kind, value] of Object.entries(patch.config ?? {})) args.push(kind, value === null || value === undefined ? '' : JSON.stringify(value));
    return decodeBucket((await this.run('updateBucket', name, args)) as string[])!;
  }

  async deleteBucket(name: string): Promise<{ outcome: 'deleted'; orphans: string[] } | { outcome: 'missing' } | { outcome: 'notEmpty' }> {
    return this.dropBucket(name, false);
  }

  // ---- objects ----

  async putObject(bucket: string, object: NewObject, options: PutOptions): Promise<WriteOutcome> {
    const args = [object.key, ...writeArgs(object, options.versionId), options.reuse ? 1 : 0, ...conditionArgs(options.condition)];
    return writeOutcome((await this.run('putObject', bucket, args)) as WriteReply) as WriteOutcome;
  }

  async getObject(bucket: string, key: string, versionId?: string): Promise<ObjectRecord | undefined> {
    const reply = (await this.run('getObject', bucket, [key, versionId === undefined ? 0 : 1, versionId ?? ''])) as VersionReply | null;
    return reply ? decodeVersion(reply) : undefined;
  }

  async deleteObject(bucket: string, key: string, options: DeleteOptions): Promise<DeleteOutcome> {
    const args: Arg[] = [
      key,
      options.versionId === undefined ? 0 : 1,
      options.versionId ?? '',
      options.markerVersionId,
      markerBase(key, options.now, options.owner),
      options.expectSeq ?? '',
      options.ifMatch === undefined ? 0 : 1,
      options.ifMatch ?? '',
    ];
    const reply = (await this.run('deleteObject', bucket, args)) as
      | ['removed', VersionReply, number, string[]]
      | ['marker', VersionReply, string[]]
      | ['none']
      | ['failed', WriteFailure];
    switch (reply[0]) {
      case 'removed':
        return { kind: 'removed', removed: decodeVersion(reply[1]), seq: Number(reply[2]), orphans: reply[3] };
      case 'marker':
        return { kind: 'marker', marker: decodeVersion(reply[1]), orphans: reply[2] };
      case 'none':
        return { kind: 'none' };
      case 'failed':
        return { kind: 'failed', failure: reply[1] };
    }
  }

  async updateObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectRecord | undefined> {
    const args: Arg[] = [key, versionId === undefined ? 0 : 1, versionId ?? '', ...patchArgs(patch)];
    const reply = (await this.run('updateObject', bucket, args)) as VersionReply | null;
    return reply ? decodeVersion(reply) : undefined;
  }

  async listObjects(bucket: string, query: ListQuery): Promise<ListPage> {
    return this.list(bucket, query, false);
  }

  async listVersions(bucket: string, query: ListQuery): Promise<ListPage> {
    return this.list(bucket, query, true);
  }

  // ---- multipart uploads ----

  async createUpload(bucket: string, upload: Omit<UploadRecord, 'seq'>): Promise<UploadRecord> {
    const seq = (await this.run('createUpload', bucket, uploadArgs(upload))) as number;
    return { ...upload, seq: Number(seq) };
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    const reply = (await this.run('getUpload', bucket, [uploadId])) as [number, string] | null;
    return reply ? decodeUpload(reply) : undefined;
  }

  async putPart(bucket: string, uploadId: string, part: PartRecord, options: { reuse?: boolean } = {}): Promise<PartOutcome> {
    const args = [uploadId, part.partNumber, part.blob, JSON.stringify(part), options.reuse ? 1 : 0];
    const reply = (await this.run('putPart', bucket, args)) as ['ok', string[]] | ['fail', 'noSuchUpload' | 'gone'];
    return reply[0] === 'ok' ? { ok: true, orphans: reply[1] } : { ok: false, failure: reply[1] };
  }

  async listParts(bucket: string, uploadId: string): Promise<PartRecord[] | undefined> {
    const reply = (await this.run('listParts', bucket, [uploadId])) as string[] | null;
    return reply ? reply.map(decodePart) : undefined;
  }

  async listUploads(bucket: string): Promise<UploadRecord[]> {
    const uploads = ((await this.run('listUploads', bucket, [])) as [number, string][]).map(decodeUpload);
    return uploads.sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated || a.seq - b.seq);
  }

  async completeUpload(bucket: string, uploadId: string, object: NewObject, options: PutOptions): Promise<CompleteOutcome> {
    const args = [object.key, ...writeArgs(object, options.versionId), uploadId, ...conditionArgs(options.condition)];
    return writeOutcome((await this.run('completeUpload', bucket, args)) as WriteReply);
  }

  async abortUpload(bucket: string, uploadId: string): Promise<{ orphans: string[] } | undefined> {
    const reply = (await this.run('abortUpload', bucket, [uploadId])) as string[] | null;
    return reply ? { orphans: reply } : undefined;
  }

  // ---- administration ----

  /** Not one atomic picture: each bucket is read page by page (an administrative view). */
  async dump(): Promise<S3Dump> {
    const iso = (t: number) => new Date(t).toISOString();
    const dump: S3Dump = { buckets: [] };
    for (const b of await this.listBuckets()) {
      try {
        const objects: S3Dump['buckets'][number]['objects'] = [];
        let after: string | undefined;
        let afterVersionId: string | undefined;
        for (;;) {
          const page = await this.listVersions(b.name, { prefix: '', after, afterVersionId, limit: 1000 });
          for (const { record: o } of page.entries) {
            objects.push({
              key: o!.key,
              versionId: o!.versionId,
              ...(o!.deleteMarker ? { deleteMarker: true } : {}),
              size: o!.size,
              etag: o!.etag,
              lastModified: iso(o!.lastModified),
              storageClass: o!.storageClass,
            });
          }
          const last = page.entries[page.entries.length - 1]?.record;
          if (!page.truncated || !last) break;
          after = last.key;
          afterVersionId = last.versionId;
        }
        const uploads: S3Dump['buckets'][number]['uploads'] = [];
        for (const u of await this.listUploads(b.name)) {
          const parts = (await this.listParts(b.name, u.uploadId)) ?? [];
          uploads.push({ uploadId: u.uploadId, key: u.key, initiated: iso(u.initiated), parts: parts.map((p) => p.partNumber) });
        }
        dump.buckets.push({
          name: b.name,
          account: b.account,
          region: b.region,
          createdAt: iso(b.createdAt),
          versioning: b.versioning,
          config: { ...b.config },
          objects,
          uploads,
        });
      } catch (err) {
        if (!(err instanceof BucketMissingError)) throw err;
      }
    }
    return dump;
  }

  async reset(account?: string): Promise<string[]> {
    if (account !== undefined) {
      const orphans: string[] = [];
      for (const b of await this.listBuckets(account)) {
        const result = await this.dropBucket(b.name, true);
        if (result.outcome === 'deleted') orphans.push(...result.orphans);
      }
      return orphans;
    }
    // Everything but the write sequence, which must never go back.
    const orphans = await this.redis.hkeys(REFS);
    await unlinkMatching(this.redis, ALL_KEYS_PATTERN, (k) => k === SEQUENCE);
    return orphans;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  // ---- internals ----

  /** Runs a script on a bucket's keys; a BUCKET_MISSING reply becomes BucketMissingError. */
  private async run(name: ScriptName, bucket: string, args: readonly Arg[]): Promise<unknown> {
    const keys = scriptKeys(bucket);
    try {
      return await this.scripts[name].call(this.redis, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.includes(BUCKET_MISSING)) throw new BucketMissingError(bucket);
      throw err;
    }
  }

  private async dropBucket(name: string, force: boolean): Promise<{ outcome: 'deleted'; orphans: string[] } | { outcome: 'missing' } | { outcome: 'notEmpty' }> {
    const reply = (await this.run('deleteBucket', name, [name, force ? 1 : 0])) as ['deleted', string[]] | ['missing'] | ['notEmpty'];
    return reply[0] === 'deleted' ? { outcome: 'deleted', orphans: reply[1] } : { outcome: reply[0] };
  }

  private async list(bucket: string, query: ListQuery, versions: boolean): Promise<ListPage> {
    const { prefix, delimiter, after, afterVersionId } = query;
    // Where the walk starts: at the prefix, or after `after` when that is not before it (at `after`
    // itself when a listing of versions continues within that key).
    let start = prefix === '' ? '-' : `[${prefix}`;
    if (after !== undefined && compareKeys(after, prefix) >= 0) start = versions && afterVersionId !== undefined ? `[${after}` : `(${after}`;
    const args: Arg[] = [
      versions ? 'versions' : 'objects',
      prefix,
      delimiter ?? '',
      start,
      after === undefined ? 0 : 1,
      after ?? '',
      versions && afterVersionId !== undefined ? 1 : 0,
      afterVersionId ?? '',
      query.limit,
    ];
    const [truncated, entries] = (await this.run('list', bucket, args)) as [number, (['p', string] | VersionReply)[]];
    return {
      entries: entries.map((e): ListEntry => (e[0] === 'p' && e.length === 2 ? { prefix: e[1] as string } : { record: decodeVersion(e as VersionReply) })),
      truncated: truncated === 1,
    };
  }
}

function writeOutcome(reply: WriteReply): CompleteOutcome {
  if (reply[0] === 'fail') return { ok: false, failure: reply[1] } as CompleteOutcome;
  const [, record, replaced, orphans] = reply;
  return replaced ? { ok: true, record: decodeVersion(record), replaced: decodeVersion(replaced), orphans } : { ok: true, record: decodeVersion(record), orphans };
}
