import { join } from 'node:path';
import { compareKeys, type BucketRecord, type ObjectRecord, type PartRecord, type UploadRecord } from '../model.js';
import { Journal } from '@stratus/shared/journal';
import { BucketState, MemoryState, type Mutation } from './memory-state.js';
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
  type WriteCondition,
  type WriteFailure,
  type WriteOutcome,
} from './types.js';

/** Compact the journal into a snapshot once it grows past this. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * The S3Store of one process: state in memory, and when given a data directory, every change
 * journaled before the method returns (see journal.ts). Methods decide what changes by reading the
 * state, then apply those changes as Mutation records through MemoryState.apply, which is also what
 * replays the journal at start: one mutation path.
 */
export class MemoryStore implements S3Store {
  private state = new MemoryState();
  private pending: Mutation[] = [];

  private constructor(private readonly journal?: Journal) {}

  /** A memory store, durable in `<dataDir>/s3/` when dataDir is given. */
  static open(dataDir?: string): MemoryStore {
    if (!dataDir) return new MemoryStore();
    const { journal, records } = Journal.open(join(dataDir, 's3'), 'state');
    const store = new MemoryStore(journal);
    for (const r of records) store.state.apply(r as Mutation);
    store.state.takeOrphans();
    return store;
  }

  // ---- buckets ----

  async createBucket(bucket: BucketRecord): Promise<{ created: boolean; bucket: BucketRecord }> {
    const existing = this.state.buckets.get(bucket.name);
    if (existing) return { created: false, bucket: existing.record };
    this.commit({ t: 'bucket', bucket });
    this.flush();
    return { created: true, bucket };
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    return this.state.buckets.get(name)?.record;
  }

  async listBuckets(account?: string): Promise<BucketRecord[]> {
    const out: BucketRecord[] = [];
    for (const b of this.state.buckets.values()) if (account === undefined || b.record.account === account) out.push(b.record);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async updateBucket(name: string, patch: BucketPatch): Promise<BucketRecord> {
    const b = this.require(name);
    let record: BucketRecord = b.record;
    if (patch.versioning) record = { ...record, versioning: patch.versioning };
    if (patch.config) {
      const config: Record<string, unknown> = { ...record.config };
      for (const [kind, value] of Object.entries(patch.config)) {
        if (value === null || value === undefined) delete config[kind];
        else config[kind] = value;
      }
      record = { ...record, config };
    }
    this.commit({ t: 'bucket', bucket: record });
    this.flush();
    return record;
  }

  async deleteBucket(name: string): Promise<{ outcome: 'deleted'; orphans: string[] } | { outcome: 'missing' } | { outcome: 'notEmpty' }> {
    const b = this.state.buckets.get(name);
    if (!b) return { outcome: 'missing' };
    if (b.versionCount > 0) return { outcome: 'notEmpty' };
    this.commit({ t: 'bucket-', name });
    this.flush();
    return { outcome: 'deleted', orphans: this.state.takeOrphans() };
  }

  // ---- objects ----

  async putObject(bucket: string, object: NewObject, options: PutOptions): Promise<WriteOutcome> {
    const b = this.require(bucket);
    if (options.reuse && object.blob && this.state.refCount(object.blob) === 0) return { ok: false, failure: 'gone' };
    const failure = checkCondition(b, object.key, options.condition);
    if (failure) return { ok: false, failure };
    return this.write(b, object, options.versionId);
  }

  async getObject(bucket: string, key: string, versionId?: string): Promise<ObjectRecord | undefined> {
    const list = this.require(bucket).versions.get(key);
    if (!list) return undefined;
    if (versionId === undefined) return list[0];
    return list.find((o) => o.versionId === versionId);
  }

  async deleteObject(bucket: string, key: string, options: DeleteOptions): Promise<DeleteOutcome> {
    const b = this.require(bucket);
    const list = b.versions.get(key);
    const current = list?.[0];
    if (options.ifMatch !== undefined) {
      if (!current || current.deleteMarker) return { kind: 'failed', failure: 'missing' };
      if (options.ifMatch !== '*' && current.etag !== options.ifMatch) return { kind: 'failed', failure: 'precondition' };
    }
    if (options.versionId !== undefined) {
      const version = list?.find((o) => o.versionId === options.versionId);
      if (!version || (options.expectSeq !== undefined && version.seq !== options.expectSeq)) return { kind: 'none' };
      const seq = ++this.state.seq;
      this.commit({ t: 'obj-', b: bucket, k: key, v: version.versionId, seq });
      this.flush();
      return { kind: 'removed', removed: version, seq, orphans: this.state.takeOrphans() };
    }
    if (options.expectSeq !== undefined && current?.seq !== options.expectSeq) return { kind: 'none' };
    const versioning = b.record.versioning;
    if (!versioning) {
      if (!current) return { kind: 'none' };
      const seq = ++this.state.seq;
      this.commit({ t: 'obj-', b: bucket, k: key, v: current.versionId, seq });
      this.flush();
      return { kind: 'removed', removed: current, seq, orphans: this.state.takeOrphans() };
    }
    const marker: ObjectRecord = {
      key,
      versionId: versioning === 'Enabled' ? options.markerVersionId : 'null',
      deleteMarker: true,
      lastModified: options.now,
      owner: options.owner,
      seq: ++this.state.seq,
      etag: '',
      size: 0,
      blob: '',
    };
    // A suspended bucket's marker is the `null` version: it replaces any earlier `null` version.
    this.commit({ t: 'obj', b: bucket, o: marker });
    this.flush();
    return { kind: 'marker', marker, orphans: this.state.takeOrphans() };
  }

  async updateObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectRecord | undefined> {
    const list = this.require(bucket).versions.get(key);
    const version = versionId === undefined ? list?.[0] : list?.find((o) => o.versionId === versionId);
    if (!version || version.deleteMarker) return undefined;
    const updated: ObjectRecord = {
      ...version,
      ...('tags' in patch ? { tags: patch.tags } : {}),
      ...('acl' in patch ? { acl: patch.acl } : {}),
      ...('retention' in patch ? { retention: patch.retention } : {}),
      ...('legalHold' in patch ? { legalHold: patch.legalHold } : {}),
    };
    this.commit({ t: 'obj~', b: bucket, o: updated });
    this.flush();
    return updated;
  }

  async listObjects(bucket: string, query: ListQuery): Promise<ListPage> {
    return page(walk(this.require(bucket), query, false), query.limit);
  }

  async listVersions(bucket: string, query: ListQuery): Promise<ListPage> {
    return page(walk(this.require(bucket), query, true), query.limit);
  }

  // ---- multipart uploads ----

  async createUpload(bucket: string, upload: Omit<UploadRecord, 'seq'>): Promise<UploadRecord> {
    this.require(bucket);
    const record: UploadRecord = { ...upload, seq: ++this.state.seq };
    this.commit({ t: 'upload', b: bucket, u: record });
    this.flush();
    return record;
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    return this.require(bucket).uploads.get(uploadId)?.record;
  }

  async putPart(bucket: string, uploadId: string, part: PartRecord, options: { reuse?: boolean } = {}): Promise<PartOutcome> {
    const u = this.require(bucket).uploads.get(uploadId);
    if (!u) return { ok: false, failure: 'noSuchUpload' };
    if (options.reuse && this.state.refCount(part.blob) === 0) return { ok: false, failure: 'gone' };
    this.commit({ t: 'part', b: bucket, id: uploadId, p: part });
    this.flush();
    return { ok: true, orphans: this.state.takeOrphans() };
  }

  async listParts(bucket: string, uploadId: string): Promise<PartRecord[] | undefined> {
    const u = this.require(bucket).uploads.get(uploadId);
    if (!u) return undefined;
    return [...u.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  async listUploads(bucket: string): Promise<UploadRecord[]> {
    const uploads = [...this.require(bucket).uploads.values()].map((u) => u.record);
    return uploads.sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated || a.seq - b.seq);
  }

  async completeUpload(bucket: string, uploadId: string, object: NewObject, options: PutOptions): Promise<CompleteOutcome> {
    const b = this.require(bucket);
    const u = b.uploads.get(uploadId);
    if (!u) return { ok: false, failure: 'noSuchUpload' };
    const failure = checkCondition(b, object.key, options.condition);
    if (failure) return { ok: false, failure };
    // The object is written first, so a part body it shares is never unreferenced in between.
    const outcome = this.write(b, object, options.versionId, false);
    this.commit({ t: 'upload-', b: bucket, id: uploadId });
    this.flush();
    return outcome.ok ? { ...outcome, orphans: [...outcome.orphans, ...this.state.takeOrphans()] } : outcome;
  }

  async abortUpload(bucket: string, uploadId: string): Promise<{ orphans: string[] } | undefined> {
    const b = this.require(bucket);
    if (!b.uploads.has(uploadId)) return undefined;
    this.commit({ t: 'upload-', b: bucket, id: uploadId });
    this.flush();
    return { orphans: this.state.takeOrphans() };
  }

  // ---- administration ----

  async dump(): Promise<S3Dump> {
    const iso = (t: number) => new Date(t).toISOString();
    return {
      buckets: [...this.state.buckets.values()].map((b) => ({
        name: b.record.name,
        account: b.record.account,
        region: b.record.region,
        createdAt: iso(b.record.createdAt),
        versioning: b.record.versioning,
        config: { ...b.record.config },
        objects: b.keys.flatMap((key) =>
          b.versions.get(key)!.map((o) => ({
            key,
            versionId: o.versionId,
            ...(o.deleteMarker ? { deleteMarker: true } : {}),
            size: o.size,
            etag: o.etag,
            lastModified: iso(o.lastModified),
            storageClass: o.storageClass,
          })),
        ),
        uploads: [...b.uploads.values()].map((u) => ({
          uploadId: u.record.uploadId,
          key: u.record.key,
          initiated: iso(u.record.initiated),
          parts: [...u.parts.keys()].sort((x, y) => x - y),
        })),
      })),
    };
  }

  async reset(account?: string): Promise<string[]> {
    if (account === undefined) {
      const orphans = [...this.state.blobRefs.keys()];
      const seq = this.state.seq;
      this.state = new MemoryState();
      this.state.seq = seq;
      this.journal?.compact(this.state.snapshot());
      return orphans;
    }
    for (const b of [...this.state.buckets.values()]) if (b.record.account === account) this.commit({ t: 'bucket-', name: b.record.name });
    this.flush();
    return this.state.takeOrphans();
  }

  async close(): Promise<void> {
    if (!this.journal) return;
    this.journal.compact(this.state.snapshot());
    this.journal.close();
  }

  // ---- internals ----

  private require(name: string): BucketState {
    const b = this.state.buckets.get(name);
    if (!b) throw new BucketMissingError(name);
    return b;
  }

  /** Writes a new current version under the bucket's versioning rules. */
  private write(b: BucketState, object: NewObject, versionId: string, flush = true): WriteOutcome {
    const enabled = b.record.versioning === 'Enabled';
    const record: ObjectRecord = { ...object, versionId: enabled ? versionId : 'null', seq: ++this.state.seq };
    const list = b.versions.get(object.key);
    // Unversioned and suspended buckets replace the `null` version (wherever it is in the list).
    const replaced = enabled ? undefined : list?.find((o) => o.versionId === 'null');
    this.commit({ t: 'obj', b: b.record.name, o: record });
    if (flush) this.flush();
    return { ok: true, record, replaced, orphans: this.state.takeOrphans() };
  }

  /** Applies one change now; it reaches the journal at the next flush. */
  private commit(m: Mutation): void {
    this.state.apply(m);
    if (this.journal) this.pending.push(m);
  }

  /** Journals what this call changed, before the call returns. */
  private flush(): void {
    if (!this.journal || this.pending.length === 0) return;
    this.journal.append(this.pending);
    this.pending = [];
    if (this.journal.size > COMPACT_AFTER_BYTES) this.journal.compact(this.state.snapshot());
  }
}

function checkCondition(b: BucketState, key: string, condition: WriteCondition | undefined): WriteFailure | undefined {
  if (!condition) return undefined;
  const current = b.current(key);
  const exists = current !== undefined && !current.deleteMarker;
  if (condition.ifNoneMatch && exists) return 'precondition';
  if (condition.ifMatch !== undefined) {
    if (!exists) return 'missing';
    if (current.etag !== condition.ifMatch) return 'precondition';
  }
  if (condition.notWrittenSince !== undefined) {
    const last = Math.max(current?.seq ?? 0, b.deletedAt.get(key) ?? 0);
    if (last > condition.notWrittenSince) return 'conflict';
  }
  return undefined;
}

function page(entries: Iterator<ListEntry>, limit: number): ListPage {
  const out: ListEntry[] = [];
  while (out.length < limit) {
    const next = entries.next();
    if (next.done) return { entries: out, truncated: false };
    out.push(next.value);
  }
  return { entries: out, truncated: !entries.next().done };
}

/**
 * Listing entries in order: current objects (or every version), with keys containing the delimiter
 * after the prefix rolled up into one common prefix each. A rolled-up prefix not after `after` was
 * returned by an earlier page and is skipped whole.
 */
function* walk(b: BucketState, q: ListQuery, versions: boolean): Generator<ListEntry> {
  const { prefix, delimiter, after } = q;
  const keys = b.keys;
  let i = b.lowerBound(prefix);
  let resumeVersion: string | undefined;
  if (after !== undefined && compareKeys(after, prefix) >= 0) {
    i = b.lowerBound(after);
    if (keys[i] === after) {
      if (versions && q.afterVersionId !== undefined) resumeVersion = q.afterVersionId;
      else i++;
    }
  }
  while (i < keys.length) {
    const key = keys[i];
    if (!key.startsWith(prefix)) break;
    if (delimiter) {
      const d = key.indexOf(delimiter, prefix.length);
      if (d >= 0) {
        const common = key.slice(0, d + delimiter.length);
        const end = b.afterPrefix(common, i);
        if ((after === undefined || compareKeys(common, after) > 0) && (versions || anyCurrent(b, i, end))) yield { prefix: common };
        i = end;
        resumeVersion = undefined;
        continue;
      }
    }
    const list = b.versions.get(key)!;
    if (versions) {
      let start = 0;
      if (resumeVersion !== undefined) {
        const at = list.findIndex((o) => o.versionId === resumeVersion);
        start = at >= 0 ? at + 1 : 0;
        resumeVersion = undefined;
      }
      for (let v = start; v < list.length; v++) yield { record: list[v] };
    } else if (!list[0].deleteMarker) {
      yield { record: list[0] };
    }
    i++;
  }
}

/** Whether any key in keys[from, to) has a current object (not a delete marker). */
function anyCurrent(b: BucketState, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!b.versions.get(b.keys[i])![0].deleteMarker) return true;
  return false;
}
