import type { CallContext } from '@stratus/shared';
import type { BlobRef } from '@stratus/shared/blobs/index';
import { aclOf } from '../acl.js';
import { checksumMembers, checksumOfBlob, DEFAULT_ALGORITHM, parseAlgorithm } from '../checksums.js';
import { checkCopySourceConditions, type CopySourceConditions } from '../conditions.js';
import { invalidArgument, invalidRequest, noSuchKey, noSuchVersion } from '../errors.js';
import { newVersionId, quoteEtag, toSeconds, type BucketRecord, type ObjectChecksum, type ObjectRecord } from '../model.js';
import {
  blobRefOf,
  checkCustomerKey,
  checkKey,
  contentHeadersOf,
  currentExpiration,
  encryptionFor,
  encryptionMembers,
  storageClassOf,
  type ContentInput,
  type EncryptionInput,
} from '../objects.js';
import { lockFields, lockOfWrite, type LockInput } from '../object-lock.js';
import { notify, requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { parseTaggingHeader } from '../tags.js';
import { checkVersionId, writeConditionOf, writeFailure } from './objects.js';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=id]`, URL-encoded. */
export function parseCopySource(header: string | undefined): CopySource {
  const bad = () => invalidArgument('Invalid copy source object key', 'x-amz-copy-source', 'x-amz-copy-source');
  if (!header) throw bad();
  let source = header;
  let versionId: string | undefined;
  const q = source.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(source.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    source = source.slice(0, q);
  }
  try {
    source = decodeURIComponent(source);
  } catch {
    throw bad();
  }
  if (source.startsWith('/')) source = source.slice(1);
  const slash = source.indexOf('/');
  if (slash <= 0 || slash === source.length - 1) throw bad();
  return { bucket: source.slice(0, slash), key: source.slice(slash + 1), versionId };
}

export interface CopySourceInput extends CopySourceConditions {
  CopySource?: string;
  CopySourceSSECustomerAlgorithm?: string;
  CopySourceSSECustomerKey?: string;
  CopySourceSSECustomerKeyMD5?: string;
  ExpectedSourceBucketOwner?: string;
}

/** The object a copy reads, with S3's errors for why it cannot, and the copy-source conditions checked. */
export async function resolveCopySource(rt: S3Runtime, input: CopySourceInput, call: S3Call): Promise<{ bucket: BucketRecord; record: ObjectRecord; source: CopySource }> {
  const source = parseCopySource(input.CopySource);
  const bucket = await requireBucket(rt, source.bucket, input.ExpectedSourceBucketOwner, call);
  checkVersionId(source.versionId);
  const record = await rt.store.getObject(bucket.name, source.key, source.versionId);
  if (!record) throw source.versionId !== undefined ? noSuchVersion(source.key, source.versionId) : noSuchKey(source.key);
  if (record.deleteMarker) {
    if (source.versionId !== undefined) throw invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
    throw noSuchKey(source.key);
  }
  const stored = record.encryption?.SSECustomerKeyMD5;
  if (stored) {
    const given = checkCustomerKey({
      SSECustomerAlgorithm: input.CopySourceSSECustomerAlgorithm,
      SSECustomerKey: input.CopySourceSSECustomerKey,
      SSECustomerKeyMD5: input.CopySourceSSECustomerKeyMD5,
    }, 'read');
    if (!given) throw invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
    if (given.keyMd5 !== stored) throw invalidRequest('The provided encryption parameters did not match the ones used originally.');
  }
  checkCopySourceConditions(record, input, rt.clock.now());
  return { bucket, record, source };
}

interface CopyObjectInput extends CopySourceInput, ContentInput, EncryptionInput, LockInput {
  Bucket: string;
  Key: string;
  MetadataDirective?: string;
  TaggingDirective?: string;
  Metadata?: Record<string, string>;
  Tagging?: string;
  StorageClass?: string;
  ChecksumAlgorithm?: string;
  IfMatch?: string;
  IfNoneMatch?: string;
  ExpectedBucketOwner?: string;
  ACL?: string;
}

const IN_PLACE_MESSAGE =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

export function copyOperations(rt: S3Runtime): Operations {
  const { store, blobs, clock } = rt;

  /**
   * The body of the copy: the source's own blob when the source was written in one piece (shared,
   * counted by the store), else a new blob streamed from it (a multipart source becomes a one-part
   * object, with the plain MD5 as its ETag).
   */
  async function copyBody(record: ObjectRecord): Promise<{ body: BlobRef; fresh: boolean }> {
    const ref = blobRefOf(record);
    if (!record.parts) return { body: ref, fresh: false };
    const body = await blobs.put(await blobs.open(ref), { algorithms: [record.checksum?.algorithm ?? DEFAULT_ALGORITHM] });
    return { body, fresh: true };
  }

  return {
    async CopyObject(input: CopyObjectInput, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      checkKey(input.Key);
      const metadataDirective = input.MetadataDirective ?? 'COPY';
      if (metadataDirective !== 'COPY' && metadataDirective !== 'REPLACE') {
        throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', metadataDirective);
      }
      const taggingDirective = input.TaggingDirective ?? 'COPY';
      if (taggingDirective !== 'COPY' && taggingDirective !== 'REPLACE') {
        throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', taggingDirective);
      }
      const condition = writeConditionOf(input);
      const requested = parseAlgorithm(input.ChecksumAlgorithm);
      const { bucket: sourceBucket, record: source, source: from } = await resolveCopySource(rt, input, call);

      const inPlace = sourceBucket.name === bucket.name && from.key === input.Key && (from.versionId === undefined || from.versionId === source.versionId);
      const changes =
        metadataDirective === 'REPLACE' ||
        input.StorageClass !== undefined ||
        input.WebsiteRedirectLocation !== undefined ||
        input.ServerSideEncryption !== undefined ||
        input.SSEKMSKeyId !== undefined ||
        input.SSECustomerAlgorithm !== undefined ||
        requested !== undefined;
      if (inPlace && !changes) throw invalidRequest(IN_PLACE_MESSAGE);

      const replace = metadataDirective === 'REPLACE';
      const headers = replace ? contentHeadersOf(input) : { ...source.headers, ...(input.WebsiteRedirectLocation !== undefined ? { WebsiteRedirectLocation: input.WebsiteRedirectLocation } : {}) };
      const metadata = replace ? (input.Metadata ?? {}) : (source.metadata ?? {});
      const tags = taggingDirective === 'REPLACE' ? (parseTaggingHeader(input.Tagging) ?? []) : source.tags;
      const storageClass = storageClassOf(input.StorageClass);
      const encryption = encryptionFor(input, bucket, ctx);
      const acl = aclOf(input as unknown as Record<string, unknown>, bucket, ctx.account);
      const lock = lockOfWrite(input, bucket, clock.now());

      const { body, fresh } = await copyBody(source);
      let kept = false;
      try {
        let checksum: ObjectChecksum;
        if (requested) checksum = { algorithm: requested, type: 'FULL_OBJECT', value: await checksumOfBlob(blobs, body, requested) };
        else if (source.checksum && source.checksum.type === 'FULL_OBJECT' && !fresh) checksum = source.checksum;
        else {
          const algorithm = source.checksum?.algorithm ?? DEFAULT_ALGORITHM;
          checksum = { algorithm, type: 'FULL_OBJECT', value: await checksumOfBlob(blobs, body, algorithm) };
        }
        const outcome = await store.putObject(
          bucket.name,
          {
            key: input.Key,
            lastModified: toSeconds(clock.now()),
            owner: ctx.account,
            etag: body.etag,
            size: body.size,
            blob: body.id,
            ...(body.inline !== undefined ? { inline: body.inline } : {}),
            checksum,
            headers,
            metadata,
            storageClass,
            ...(tags && tags.length > 0 ? { tags } : {}),
            encryption,
            ...(acl ? { acl } : {}),
            ...lockFields(lock),
          },
          { versionId: newVersionId(), condition, reuse: !fresh },
        );
        if (!outcome.ok) {
          if (outcome.failure === 'gone') throw noSuchKey(from.key);
          throw writeFailure(outcome.failure, condition, input.Key);
        }
        kept = true;
        rt.dropBlobs(outcome.orphans);
        const record = outcome.record;
        notify(rt, ctx, bucket, 'ObjectCreated:Copy', { key: record.key, size: record.size, etag: record.etag, versionId: record.versionId, seq: record.seq });
        const out: Record<string, unknown> = {
          CopyObjectResult: { ETag: quoteEtag(record.etag), LastModified: record.lastModified, ...checksumMembers(checksum) },
          ...encryptionMembers(encryption),
        };
        if (sourceBucket.versioning) out.CopySourceVersionId = source.versionId;
        if (record.versionId !== 'null') out.VersionId = record.versionId;
        const expiration = currentExpiration(bucket, record);
        if (expiration) out.Expiration = expiration;
        return out;
      } finally {
        if (fresh && !kept) rt.dropBlobs([body.id]);
      }
    },
  };
}
