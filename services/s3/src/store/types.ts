/**
 * THE S3 repository interface. Every method is one atomic state transition with the S3 semantics
 * inside it (versioning rules, write conditions, blob reference counting), never a get-then-put pair,
 * so a Redis backend can implement each as one Lua script or MULTI/EXEC and N service replicas can
 * share it. Time and identifiers come from the caller (`now`, version ids, upload ids); a store never
 * reads a clock.
 *
 * Buckets are global by name and owned by an account; everything else lives inside a bucket. A
 * method acting on a bucket that does not exist (any more) throws BucketMissingError; the service
 * turns it into NoSuchBucket.
 *
 * Bodies are blobs in the shared BlobStore, referenced by id from object versions and parts. The store
 * counts references: a method that drops the last reference to a blob returns its id among `orphans`,
 * and the caller deletes those blobs. A blob the store has never seen becomes referenced by the record
 * that names it (a fresh upload); `reuse` asks instead that it already be referenced (a copy sharing
 * its source's body), which fails with 'gone' when the source went away meanwhile.
 */
import type { BucketRecord, ConfigKind, ObjectRecord, PartRecord, UploadRecord, VersioningStatus } from '../model.js';

export class BucketMissingError extends Error {
  constructor(readonly bucket: string) {
    super(`no bucket ${bucket}`);
    this.name = 'BucketMissingError';
  }
}

/** An object version as a writer hands it over: the store assigns `seq`, and `versionId` by the bucket's versioning. */
export type NewObject = Omit<ObjectRecord, 'seq' | 'versionId'>;

/** What must hold of a key's current object for a write to happen (S3 conditional writes). */
export interface WriteCondition {
  /** `If-None-Match: *`: there must be no current object (a delete marker counts as none). */
  readonly ifNoneMatch?: boolean;
  /** `If-Match`: the current object's ETag (unquoted) must be this. */
  readonly ifMatch?: string;
  /** Completion of an upload with a condition: no write to the key may have happened after this sequence number. */
  readonly notWrittenSince?: number;
}

/** Why a conditional write did not happen: 'precondition' (412), 'missing' (If-Match with no object: 404), 'conflict' (409). */
export type WriteFailure = 'precondition' | 'missing' | 'conflict';

export type WriteOutcome =
  | { readonly ok: true; readonly record: ObjectRecord; readonly replaced?: ObjectRecord; readonly orphans: string[] }
  | { readonly ok: false; readonly failure: WriteFailure | 'gone' };

export interface PutOptions {
  /** Used when the bucket has versioning enabled; otherwise the version is `null`. */
  readonly versionId: string;
  readonly condition?: WriteCondition;
  /** The record's blob is shared with another record (a copy); it must still be referenced. */
  readonly reuse?: boolean;
}

export interface DeleteOptions {
  /** Delete this version for good; absent: delete the current object (or add a delete marker). */
  readonly versionId?: string;
  /** Id of the delete marker, when the bucket's versioning makes one. */
  readonly markerVersionId: string;
  readonly now: number;
  readonly owner: string;
  /** Delete only if the version is still the one with this sequence number (lifecycle expiry). */
  readonly expectSeq?: number;
  /** `If-Match` on DeleteObject: the current object's ETag. */
  readonly ifMatch?: string;
}

export type DeleteOutcome =
  /** A version (object or delete marker) is gone for good. */
  | { readonly kind: 'removed'; readonly removed: ObjectRecord; readonly seq: number; readonly orphans: string[] }
  /** A delete marker became the current version (and a suspended bucket's `null` version may be gone). */
  | { readonly kind: 'marker'; readonly marker: ObjectRecord; readonly orphans: string[] }
  /** Nothing there to delete. */
  | { readonly kind: 'none' }
  | { readonly kind: 'failed'; readonly failure: WriteFailure };

/** One entry of a listing page: an object version, or a common prefix rolled up by the delimiter. */
export type ListEntry = { readonly record: ObjectRecord; readonly prefix?: undefined } | { readonly prefix: string; readonly record?: undefined };

export interface ListQuery {
  readonly prefix: string;
  readonly delimiter?: string;
  /**
   * Start strictly after this key (a key or a common prefix already returned; a rolled-up prefix that
   * is not after it is skipped whole).
   */
  readonly after?: string;
  /** Versions only: with `after`, continue within that key after this version id. */
  readonly afterVersionId?: string;
  /** Entries to return (objects and common prefixes together). */
  readonly limit: number;
}

export interface ListPage {
  readonly entries: ListEntry[];
  /** More entries follow the last one returned. */
  readonly truncated: boolean;
}

export interface BucketPatch {
  readonly versioning?: VersioningStatus;
  /** A configuration to set, or null to remove it. */
  readonly config?: Readonly<Partial<Record<ConfigKind, unknown>>>;
}

export type PartOutcome = { readonly ok: true; readonly orphans: string[] } | { readonly ok: false; readonly failure: 'noSuchUpload' | 'gone' };

export type CompleteOutcome = WriteOutcome | { readonly ok: false; readonly failure: 'noSuchUpload' };

export interface S3Dump {
  buckets: Array<{
    name: string;
    account: string;
    region: string;
    createdAt: string;
    versioning?: VersioningStatus;
    config: Record<string, unknown>;
    objects: Array<{ key: string; versionId: string; deleteMarker?: boolean; size: number; etag: string; lastModified: string; storageClass?: string }>;
    uploads: Array<{ uploadId: string; key: string; initiated: string; parts: number[] }>;
  }>;
}

/** What updateObject may change of a version. */
export type ObjectPatch = Partial<Pick<ObjectRecord, 'tags' | 'acl' | 'retention' | 'legalHold'>>;

export interface S3Store {
  // ---- buckets ----
  /** Creates the bucket unless the name is taken (by anyone): then the existing one comes back. */
  createBucket(bucket: BucketRecord): Promise<{ created: boolean; bucket: BucketRecord }>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  /** An account's buckets (every bucket when no account), by name. */
  listBuckets(account?: string): Promise<BucketRecord[]>;
  updateBucket(name: string, patch: BucketPatch): Promise<BucketRecord>;
  /** Deletes an empty bucket (no versions, no delete markers); its unfinished uploads go with it. */
  deleteBucket(name: string): Promise<{ outcome: 'deleted'; orphans: string[] } | { outcome: 'missing' } | { outcome: 'notEmpty' }>;

  // ---- objects ----
  putObject(bucket: string, object: NewObject, options: PutOptions): Promise<WriteOutcome>;
  /** A version by id, or the current version (possibly a delete marker) when no id. */
  getObject(bucket: string, key: string, versionId?: string): Promise<ObjectRecord | undefined>;
  deleteObject(bucket: string, key: string, options: DeleteOptions): Promise<DeleteOutcome>;
  /**
   * Replaces tags / ACL / Object Lock retention and legal hold of a version in place (the current one
   * when no id); undefined when there is none. Members absent from the patch are left as they are.
   */
  updateObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectRecord | undefined>;
  /** Current objects in key order (keys whose current version is a delete marker are left out). */
  listObjects(bucket: string, query: ListQuery): Promise<ListPage>;
  /** Every version and delete marker, by key, newest first within a key. */
  listVersions(bucket: string, query: ListQuery): Promise<ListPage>;

  // ---- multipart uploads ----
  createUpload(bucket: string, upload: Omit<UploadRecord, 'seq'>): Promise<UploadRecord>;
  getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined>;
  /** Stores a part, replacing one with the same number. */
  putPart(bucket: string, uploadId: string, part: PartRecord, options?: { reuse?: boolean }): Promise<PartOutcome>;
  /** The upload's parts by part number; undefined when there is no such upload. */
  listParts(bucket: string, uploadId: string): Promise<PartRecord[] | undefined>;
  /** Uploads in progress, by key then initiation. */
  listUploads(bucket: string): Promise<UploadRecord[]>;
  /** Ends the upload by writing its object (its parts' blobs are released: the object has its own). */
  completeUpload(bucket: string, uploadId: string, object: NewObject, options: PutOptions): Promise<CompleteOutcome>;
  abortUpload(bucket: string, uploadId: string): Promise<{ orphans: string[] } | undefined>;

  // ---- administration ----
  dump(): Promise<S3Dump>;
  /** Forgets everything, or one account's buckets; returns the blobs no longer referenced. */
  reset(account?: string): Promise<string[]>;
  close(): Promise<void>;
}
