import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CallContext } from '@stratus/shared';
import type { BlobRef, BlobStore } from '@stratus/shared/blobs/index';
import { invalidArgument, invalidEncryptionAlgorithm, invalidRequest, invalidStorageClass, keyTooLong, wrongCustomerKey } from './errors.js';
import { expirationHeader, expirationOf, enabledRules } from './lifecycle.js';
import { lockMembers } from './object-lock.js';
import { MAX_KEY_BYTES, quoteEtag, type BucketRecord, type ContentHeaders, type Encryption, type ObjectRecord } from './model.js';

// What PutObject, CopyObject and CreateMultipartUpload share about the object they describe, and
// the members GET and HEAD answer with.

export const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'SNOW',
]);

/** Storage classes whose objects must be restored before they can be read. */
export const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) throw keyTooLong(bytes);
}

export function storageClassOf(value: string | undefined): string {
  if (value === undefined || value === null || value === '') return 'STANDARD';
  if (!STORAGE_CLASSES.has(value)) throw invalidStorageClass(value);
  return value;
}

export interface ContentInput {
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Expires?: number;
  WebsiteRedirectLocation?: string;
}

export function contentHeadersOf(input: ContentInput): ContentHeaders {
  const h: { -readonly [K in keyof ContentHeaders]: ContentHeaders[K] } = {};
  if (input.ContentType !== undefined) h.ContentType = input.ContentType;
  if (input.CacheControl !== undefined) h.CacheControl = input.CacheControl;
  if (input.ContentDisposition !== undefined) h.ContentDisposition = input.ContentDisposition;
  if (input.ContentEncoding !== undefined) {
    // The transfer coding of a chunked upload is not the object's.
    const codings = input.ContentEncoding.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '' && c.toLowerCase() !== 'aws-chunked');
    if (codings.length > 0) h.ContentEncoding = codings.join(', ');
  }
  if (input.ContentLanguage !== undefined) h.ContentLanguage = input.ContentLanguage;
  if (input.Expires !== undefined && input.Expires !== null) h.Expires = input.Expires;
  if (input.WebsiteRedirectLocation !== undefined) h.WebsiteRedirectLocation = input.WebsiteRedirectLocation;
  return h;
}

export interface EncryptionInput {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

/** The KMS key S3 uses for `aws:kms` without a key id: the account's `aws/s3` key, one per region. */
export function awsManagedKey(account: string, region: string): string {
  const h = createHash('sha256').update(`aws/s3:${account}:${region}`).digest('hex');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:kms:${region}:${account}:key/${uuid}`;
}

function kmsKeyArn(keyId: string, account: string, region: string): string {
  return keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

/**
 * SSE-C headers, checked as S3 checks them: an algorithm (AES256), a 256-bit key, and its MD5 (both
 * base64). A write must send the MD5; a read without it can only be refused as the wrong key.
 */
export function checkCustomerKey(input: EncryptionInput, purpose: 'write' | 'read' = 'write'): { algorithm: string; keyMd5: string } | undefined {
  if (input.SSECustomerAlgorithm === undefined && input.SSECustomerKey === undefined && input.SSECustomerKeyMD5 === undefined) return undefined;
  if (input.SSECustomerAlgorithm === undefined || input.SSECustomerAlgorithm === '') {
    throw invalidArgument(
      'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
      'x-amz-server-side-encryption',
    );
  }
  if (input.SSECustomerAlgorithm !== 'AES256') throw invalidEncryptionAlgorithm(input.SSECustomerAlgorithm);
  if (!input.SSECustomerKey) {
    throw invalidArgument(
      'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
      'x-amz-server-side-encryption',
    );
  }
  const key = Buffer.from(input.SSECustomerKey, 'base64');
  if (key.length !== 32) throw invalidArgument('The secret key was invalid for the specified algorithm.', 'x-amz-server-side-encryption');
  const md5 = createHash('md5').update(key).digest('base64');
  if (input.SSECustomerKeyMD5 === undefined || input.SSECustomerKeyMD5 === '') {
    if (purpose === 'write') throw invalidArgument('The secret key was invalid for the specified algorithm.', 'x-amz-server-side-encryption');
    throw wrongCustomerKey();
  }
  if (input.SSECustomerKeyMD5 !== md5) {
    throw invalidArgument('The calculated MD5 hash of the key did not match the hash that was provided.', 'x-amz-server-side-encryption');
  }
  return { algorithm: 'AES256', keyMd5: md5 };
}

/** How a new object is encrypted: as the request asks, else by the bucket's default. */
export function encryptionFor(input: EncryptionInput, bucket: BucketRecord, ctx: CallContext): Encryption {
  const customer = checkCustomerKey(input);
  if (customer) {
    if (input.ServerSideEncryption !== undefined) {
      throw invalidArgument('Server Side Encryption with Customer provided key is incompatible with the encryption method specified', 'x-amz-server-side-encryption', input.ServerSideEncryption);
    }
    return { ServerSideEncryption: 'AES256', SSECustomerAlgorithm: customer.algorithm, SSECustomerKeyMD5: customer.keyMd5 };
  }
  let algorithm = input.ServerSideEncryption;
  let keyId = input.SSEKMSKeyId;
  let bucketKey = input.BucketKeyEnabled;
  if (algorithm === undefined) {
    const rule = (bucket.config.encryption as { Rules?: Array<Record<string, any>> } | undefined)?.Rules?.[0];
    algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256';
    keyId ??= rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
    bucketKey ??= rule?.BucketKeyEnabled;
  }
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
    throw invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', algorithm);
  }
  if (algorithm === 'AES256') return { ServerSideEncryption: 'AES256' };
  return {
    ServerSideEncryption: algorithm,
    SSEKMSKeyId: keyId ? kmsKeyArn(keyId, ctx.account, bucket.region) : awsManagedKey(ctx.account, bucket.region),
    ...(bucketKey ? { BucketKeyEnabled: true } : {}),
  };
}

/** An object stored with SSE-C is read only with the same key. */
export function checkReadKey(record: ObjectRecord, input: EncryptionInput): void {
  const stored = record.encryption?.SSECustomerKeyMD5;
  if (!stored) return;
  if (input.SSECustomerKey === undefined && input.SSECustomerAlgorithm === undefined) {
    throw invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  }
  const given = checkCustomerKey(input, 'read');
  if (!given || given.keyMd5 !== stored) throw wrongCustomerKey();
}

export function encryptionMembers(e: Encryption | undefined): Record<string, unknown> {
  if (!e) return {};
  const out: Record<string, unknown> = { ServerSideEncryption: e.ServerSideEncryption };
  if (e.SSECustomerAlgorithm) {
    delete out.ServerSideEncryption;
    out.SSECustomerAlgorithm = e.SSECustomerAlgorithm;
    out.SSECustomerKeyMD5 = e.SSECustomerKeyMD5;
  }
  if (e.SSEKMSKeyId) out.SSEKMSKeyId = e.SSEKMSKeyId;
  if (e.BucketKeyEnabled) out.BucketKeyEnabled = true;
  return out;
}

/** The members GET and HEAD share for an object version. */
export function objectMembers(record: ObjectRecord, bucket: BucketRecord): Record<string, unknown> {
  const h = record.headers ?? {};
  const out: Record<string, unknown> = {
    AcceptRanges: 'bytes',
    LastModified: record.lastModified,
    ContentLength: record.size,
    ETag: quoteEtag(record.etag),
    ContentType: h.ContentType ?? DEFAULT_CONTENT_TYPE,
    Metadata: record.metadata ?? {},
    ...encryptionMembers(record.encryption),
  };
  if (h.CacheControl !== undefined) out.CacheControl = h.CacheControl;
  if (h.ContentDisposition !== undefined) out.ContentDisposition = h.ContentDisposition;
  if (h.ContentEncoding !== undefined) out.ContentEncoding = h.ContentEncoding;
  if (h.ContentLanguage !== undefined) out.ContentLanguage = h.ContentLanguage;
  if (h.Expires !== undefined) out.Expires = h.Expires;
  if (h.WebsiteRedirectLocation !== undefined) out.WebsiteRedirectLocation = h.WebsiteRedirectLocation;
  if (record.storageClass && record.storageClass !== 'STANDARD') out.StorageClass = record.storageClass;
  if (bucket.versioning) out.VersionId = record.versionId;
  if (record.tags && record.tags.length > 0) out.TagCount = record.tags.length;
  Object.assign(out, lockMembers(record));
  const expiration = currentExpiration(bucket, record);
  if (expiration) out.Expiration = expiration;
  return out;
}

/** The `x-amz-expiration` of a current object under the bucket's lifecycle rules. */
export function currentExpiration(bucket: BucketRecord, record: ObjectRecord): string | undefined {
  if (!bucket.config.lifecycle) return undefined;
  return expirationHeader(expirationOf(enabledRules(bucket.config.lifecycle), record));
}

/** A zero-byte blob, for writes that carry no body. */
export async function emptyBody(blobs: BlobStore): Promise<BlobRef> {
  return blobs.put(Readable.from([]), { algorithms: ['CRC64NVME'] });
}

/** The BlobRef of a stored body, for a GET's `Body`. */
export function blobRefOf(record: { blob: string; size: number; etag: string; inline?: string }): BlobRef {
  return record.inline === undefined
    ? { id: record.blob, size: record.size, etag: record.etag, checksums: {} }
    : { id: record.blob, size: record.size, etag: record.etag, checksums: {}, inline: record.inline };
}
