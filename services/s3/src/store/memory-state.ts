import { compareKeys, type BucketRecord, type ObjectRecord, type PartRecord, type UploadRecord } from '../model.js';

/**
 * Every change to the memory state is one of these, applied by MemoryState.apply: the live store
 * applies them as it decides them, the journal stores them, and a restart applies the same records
 * again (a snapshot is itself a list of records that rebuilds the state).
 */
export type Mutation =
  | { t: 'bucket'; bucket: BucketRecord }
  | { t: 'bucket-'; name: string }
  /** A new version at the head of its key's list (replacing a version with the same id wherever it is). */
  | { t: 'obj'; b: string; o: ObjectRecord }
  /** A version changed in place (tags, ACL). */
  | { t: 'obj~'; b: string; o: ObjectRecord }
  /** A version gone; `seq` is the write's sequence number. */
  | { t: 'obj-'; b: string; k: string; v: string; seq: number }
  | { t: 'upload'; b: string; u: UploadRecord }
  | { t: 'upload-'; b: string; id: string }
  | { t: 'part'; b: string; id: string; p: PartRecord }
  /** Snapshots only: the write sequence, which must never go back. */
  | { t: 'seq'; n: number };

export interface UploadState {
  record: UploadRecord;
  parts: Map<number, PartRecord>;
}

/** One bucket's contents, with the indexes listing needs. */
export class BucketState {
  /** Keys having at least one version, in S3 (UTF-8 byte) order. */
  readonly keys: string[] = [];
  /** Versions of each key, newest first. */
  readonly versions = new Map<string, ObjectRecord[]>();
  readonly uploads = new Map<string, UploadState>();
  /** How many uploads are in progress per key. */
  readonly uploadsByKey = new Map<string, number>();
  /** For keys with uploads in progress: sequence number of their last delete (conditional completion). */
  readonly deletedAt = new Map<string, number>();
  versionCount = 0;

  constructor(public record: BucketRecord) {}

  /** Index of the first key not before `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key after every key that starts with `prefix`, searching from `from`. */
  afterPrefix(prefix: string, from: number): number {
    let lo = from;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid];
      if (k.startsWith(prefix) || compareKeys(k, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  current(key: string): ObjectRecord | undefined {
    return this.versions.get(key)?.[0];
  }
}

/** The whole state of one memory store: buckets by name, blob reference counts, the write sequence. */
export class MemoryState {
  readonly buckets = new Map<string, BucketState>();
  readonly blobRefs = new Map<string, number>();
  seq = 0;
  /** Blobs whose last reference went, since the caller last took them. */
  orphans: string[] = [];

  apply(m: Mutation): void {
    switch (m.t) {
      case 'bucket': {
        const b = this.buckets.get(m.bucket.name);
        if (b) b.record = m.bucket;
        else this.buckets.set(m.bucket.name, new BucketState(m.bucket));
        return;
      }
      case 'bucket-': {
        const b = this.buckets.get(m.name);
        if (!b) return;
        for (const list of b.versions.values()) for (const o of list) this.unref(o.blob);
        for (const u of b.uploads.values()) for (const p of u.parts.values()) this.unref(p.blob);
        this.buckets.delete(m.name);
        return;
      }
      case 'obj': {
        const b = this.buckets.get(m.b);
        if (!b) return;
        this.bump(m.o.seq);
        // Referenced before the version it replaces lets go: a copy onto itself keeps its body.
        this.ref(m.o.blob);
        let list = b.versions.get(m.o.key);
        if (!list) {
          list = [];
          b.versions.set(m.o.key, list);
          b.keys.splice(b.lowerBound(m.o.key), 0, m.o.key);
        } else {
          const i = list.findIndex((o) => o.versionId === m.o.versionId);
          if (i >= 0) {
            this.unref(list[i].blob);
            list.splice(i, 1);
            b.versionCount--;
          }
        }
        list.unshift(m.o);
        b.versionCount++;
        return;
      }
      case 'obj~': {
        const list = this.buckets.get(m.b)?.versions.get(m.o.key);
        const i = list ? list.findIndex((o) => o.versionId === m.o.versionId) : -1;
        if (!list || i < 0) return;
        this.ref(m.o.blob);
        this.unref(list[i].blob);
        list[i] = m.o;
        return;
      }
      case 'obj-': {
        const b = this.buckets.get(m.b);
        if (!b) return;
        this.bump(m.seq);
        const list = b.versions.get(m.k);
        if (!list) return;
        const i = list.findIndex((o) => o.versionId === m.v);
        if (i < 0) return;
        this.unref(list[i].blob);
        list.splice(i, 1);
        b.versionCount--;
        if (list.length === 0) {
          b.versions.delete(m.k);
          const at = b.lowerBound(m.k);
          if (b.keys[at] === m.k) b.keys.splice(at, 1);
        }
        if (i === 0 && b.uploadsByKey.has(m.k)) b.deletedAt.set(m.k, m.seq);
        return;
      }
      case 'upload': {
        const b = this.buckets.get(m.b);
        if (!b) return;
        this.bump(m.u.seq);
        b.uploads.set(m.u.uploadId, { record: m.u, parts: new Map() });
        b.uploadsByKey.set(m.u.key, (b.uploadsByKey.get(m.u.key) ?? 0) + 1);
        return;
      }
      case 'upload-': {
        const b = this.buckets.get(m.b);
        const u = b?.uploads.get(m.id);
        if (!b || !u) return;
        for (const p of u.parts.values()) this.unref(p.blob);
        b.uploads.delete(m.id);
        const left = (b.uploadsByKey.get(u.record.key) ?? 1) - 1;
        if (left > 0) b.uploadsByKey.set(u.record.key, left);
        else {
          b.uploadsByKey.delete(u.record.key);
          b.deletedAt.delete(u.record.key);
        }
        return;
      }
      case 'part': {
        const u = this.buckets.get(m.b)?.uploads.get(m.id);
        if (!u) return;
        this.ref(m.p.blob);
        const old = u.parts.get(m.p.partNumber);
        if (old) this.unref(old.blob);
        u.parts.set(m.p.partNumber, m.p);
        return;
      }
      case 'seq':
        this.bump(m.n);
        return;
    }
  }

  /** Records that rebuild this state when applied in order. */
  *snapshot(): Generator<Mutation> {
    yield { t: 'seq', n: this.seq };
    for (const b of this.buckets.values()) {
      yield { t: 'bucket', bucket: b.record };
      for (const key of b.keys) {
        const list = b.versions.get(key)!;
        // Oldest first: each 'obj' puts its version at the head.
        for (let i = list.length - 1; i >= 0; i--) yield { t: 'obj', b: b.record.name, o: list[i] };
      }
      for (const u of b.uploads.values()) {
        yield { t: 'upload', b: b.record.name, u: u.record };
        for (const p of u.parts.values()) yield { t: 'part', b: b.record.name, id: u.record.uploadId, p };
      }
    }
  }

  takeOrphans(): string[] {
    const o = this.orphans;
    this.orphans = [];
    return o;
  }

  refCount(blob: string): number {
    return this.blobRefs.get(blob) ?? 0;
  }

  private bump(seq: number): void {
    if (seq > this.seq) this.seq = seq;
  }

  private ref(blob: string): void {
    if (blob) this.blobRefs.set(blob, (this.blobRefs.get(blob) ?? 0) + 1);
  }

  private unref(blob: string): void {
    if (!blob) return;
    const n = (this.blobRefs.get(blob) ?? 0) - 1;
    if (n > 0) this.blobRefs.set(blob, n);
    else {
      this.blobRefs.delete(blob);
      this.orphans.push(blob);
    }
  }
}
