import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import type { ChecksumAlgorithm, ChecksumType } from '@stratus/shared/checksums/index';

// The S3 domain: buckets, object versions, multipart uploads and their parts, as stored. Records are
// immutable: a change makes a new record. Times are epoch milliseconds from the shared clock.

export const MAX_KEY_BYTES = 1024;
export const MAX_LIST_KEYS = 1000;
/** Smallest part but the last, for CompleteMultipartUpload. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;
/** Largest single PutObject / UploadPart body. */
export const MAX_PUT_SIZE = 5 * 1024 * 1024 * 1024;
export const MAX_TAGS = 10;
export const DAY_MS = 86_400_000;

/** Versioning state of a bucket: absent until versioning is first configured. */
export type VersioningStatus = 'Enabled' | 'Suspended';

export interface BucketRecord {
  readonly name: string;
  /** The owning account: bucket names are global, buckets belong to one account. */
  readonly account: string;
  readonly region: string;
  /** The LocationConstraint as given at creation (`EU` stays `EU`); absent for us-east-1. */
  readonly locationConstraint?: string;
  readonly createdAt: number;
  readonly versioning?: VersioningStatus;
  readonly objectLockEnabled?: boolean;
  /**
   * Sub-resource configurations, stored as the Put operation's input member carried them (TagSet,
   * CORSConfiguration, Policy, LifecycleConfiguration, NotificationConfiguration, ...), keyed by kind.
   */
  readonly config: Readonly<Partial<Record<ConfigKind, unknown>>>;
}

/** The bucket sub-resources S3 stores as documents. */
export type ConfigKind =
  | 'tagging'
  | 'cors'
  | 'policy'
  | 'lifecycle'
  | 'notification'
  | 'encryption'
  | 'ownership'
  | 'publicAccessBlock'
  | 'acl'
  | 'website'
  | 'accelerate'
  | 'logging'
  | 'requestPayment'
  | 'replication'
  | 'objectLock';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** The representation headers S3 stores with an object and returns on GET/HEAD. */
export interface ContentHeaders {
  readonly ContentType?: string;
  readonly CacheControl?: string;
  readonly ContentDisposition?: string;
  readonly ContentEncoding?: string;
  readonly ContentLanguage?: string;
  /** Epoch ms. */
  readonly Expires?: number;
  readonly WebsiteRedirectLocation?: string;
}

/** Server-side encryption as reported (S3 encrypts everything with SSE-S3 by default). */
export interface Encryption {
  readonly ServerSideEncryption: string;
  readonly SSEKMSKeyId?: string;
  readonly BucketKeyEnabled?: boolean;
  readonly SSECustomerAlgorithm?: string;
  readonly SSECustomerKeyMD5?: string;
}

/** An object's checksum: one algorithm, full-object or composite (composite values end in `-<parts>`). */
export interface ObjectChecksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly type: ChecksumType;
  readonly value: string;
}

/** What a multipart object remembers of each part, for GET/HEAD by part number and GetObjectAttributes. */
export interface ObjectPart {
  readonly size: number;
  /** The part's checksum in the upload's algorithm, when the upload had one. */
  readonly checksum?: string;
}

/** Object Lock retention of one object version (S3 Object Lock). */
export interface Retention {
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Epoch ms. */
  readonly until: number;
}

/** Object Lock settings a write asks for (headers or the bucket's default), kept by an upload until it completes. */
export interface ObjectLock {
  readonly retention?: Retention;
  readonly legalHold?: 'ON' | 'OFF';
}

/** One version of one key: an object, or a delete marker. */
export interface ObjectRecord {
  readonly key: string;
  /** `null` (the string) for objects written while versioning was never enabled or suspended. */
  readonly versionId: string;
  readonly deleteMarker?: true;
  readonly lastModified: number;
  /** Account that wrote it. */
  readonly owner: string;
  /** Store-wide write sequence number: orders events (the notification `sequencer`) and detects races. */
  readonly seq: number;
  /** Unquoted ETag ('' for delete markers). */
  readonly etag: string;
  readonly size: number;
  /** Blob id of the body ('' for delete markers). */
  readonly blob: string;
  /** A small body itself, base64 (the BlobStore keeps those in the BlobRef, not in a file). */
  readonly inline?: string;
  readonly checksum?: ObjectChecksum;
  /** Multipart objects only. */
  readonly parts?: readonly ObjectPart[];
  readonly headers?: ContentHeaders;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly storageClass?: string;
  readonly tags?: readonly Tag[];
  readonly encryption?: Encryption;
  readonly acl?: unknown;
  /** Object Lock retention, when set (by the write, the bucket's default, or PutObjectRetention). */
  readonly retention?: Retention;
  /** Object Lock legal hold, once set. */
  readonly legalHold?: 'ON' | 'OFF';
  /** The multipart upload that made this version, so a repeated CompleteMultipartUpload is answered again. */
  readonly uploadId?: string;
}

/** A multipart upload in progress: what CreateMultipartUpload fixed for the object to be. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly key: string;
  readonly initiated: number;
  /** Store write sequence at creation: a write to the key after it makes a conditional completion conflict. */
  readonly seq: number;
  readonly owner: string;
  readonly headers: ContentHeaders;
  readonly metadata: Readonly<Record<string, string>>;
  readonly storageClass: string;
  readonly tags?: readonly Tag[];
  readonly encryption: Encryption;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumType?: ChecksumType;
  readonly acl?: unknown;
  /** Object Lock settings the object will get. */
  readonly lock?: ObjectLock;
}

export interface PartRecord {
  readonly partNumber: number;
  readonly lastModified: number;
  /** Unquoted hex MD5. */
  readonly etag: string;
  readonly size: number;
  readonly blob: string;
  readonly inline?: string;
  /** Every checksum computed for the part's body (base64), CRC64NVME always among them. */
  readonly checksums: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
}

// ---- identifiers ----

/**
 * Version ids: 32 URL-safe characters, like S3's: 20 random bytes and 4 bytes of check, so that a
 * mistyped id is told apart from one that does not exist (S3: InvalidArgument vs NoSuchVersion).
 */
export function newVersionId(): string {
  const id = Buffer.allocUnsafe(24);
  const random = id.subarray(0, 20);
  randomVersionBytes(random);
  versionCheck(random).copy(id, 20);
  return id.toString('base64url');
}

// Random bytes for version ids come from a pool refilled a few kilobytes at a time: one call into the
// system's random source per 200 ids instead of one per id (a PutObject's hot path).
const POOL_SIZE = 4000;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomVersionBytes(into: Buffer): void {
  if (poolOffset + into.length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  pool.copy(into, 0, poolOffset, poolOffset + into.length);
  // The pool's bytes are used once.
  poolOffset += into.length;
}

export function isValidVersionId(id: string): boolean {
  if (id === 'null') return true;
  if (id.length !== 32) return false;
  const bytes = Buffer.from(id, 'base64url');
  return bytes.length === 24 && bytes.toString('base64url') === id && versionCheck(bytes.subarray(0, 20)).equals(bytes.subarray(20));
}

function versionCheck(random: Buffer): Buffer {
  return createHash('sha256').update(random).digest().subarray(0, 4);
}

export function newUploadId(): string {
  return randomBytes(48).toString('base64url');
}

const canonicalIds = new Map<string, string>();

/** The 64-hex-digit canonical user id S3 shows as an account's Owner.ID. */
export function canonicalUserId(account: string): string {
  let id = canonicalIds.get(account);
  if (!id) {
    id = createHash('sha256').update(`stratus-canonical-user:${account}`).digest('hex');
    canonicalIds.set(account, id);
  }
  return id;
}

export function ownerOf(account: string): { ID: string } {
  return { ID: canonicalUserId(account) };
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function bucketArn(bucket: BucketRecord): string {
  return `arn:${partitionOf(bucket.region)}:s3:::${bucket.name}`;
}

/** `"<etag>"`: ETags travel quoted. */
export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

/** An ETag as a client sent it, without quotes (and without a weak `W/` prefix). */
export function unquoteEtag(etag: string): string {
  let e = etag.trim();
  if (e.startsWith('W/')) e = e.slice(2);
  if (e.length >= 2 && e.startsWith('"') && e.endsWith('"')) e = e.slice(1, -1);
  return e;
}

// ---- names ----

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** S3's general-purpose bucket naming rules. */
export function isValidBucketName(name: string): boolean {
  if (!BUCKET_NAME.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (IP_ADDRESS.test(name)) return false;
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) return false;
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3') || name.endsWith('.mrap') || name.endsWith('--x-s3') || name.endsWith('--table-s3')) return false;
  return true;
}

/**
 * S3 orders keys by their UTF-8 bytes, which is code point order. JavaScript compares UTF-16 code
 * units, which agrees except that surrogates (code points above U+FFFF) sort before U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return fixup(x) - fixup(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function fixup(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * The form S3 gives keys with `encoding-type=url` and in event notifications: percent-encoded UTF-8,
 * a space as `+`, `/` and the unreserved characters left as they are.
 */
export function urlEncodeKey(value: string): string {
  return encodeURIComponent(value)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ---- time ----

/** The next midnight UTC at or after `t`: lifecycle actions happen at day boundaries. */
export function nextMidnight(t: number): number {
  const day = Math.ceil(t / DAY_MS) * DAY_MS;
  return day;
}

/** HTTP-date (RFC 7231): `Wed, 21 Oct 2015 07:28:00 GMT`. */
export function httpDate(t: number): string {
  return new Date(t).toUTCString();
}

/** S3 keeps Last-Modified to the second. */
export function toSeconds(t: number): number {
  return Math.floor(t / 1000) * 1000;
}
