import { AwsError, type CallContext } from '@stratus/shared';
import type { BlobRef } from '@stratus/shared/blobs/index';
import { aclGrants, aclOf } from '../acl.js';
import { bodyChecksum, checkContentMd5, checksumMembers, CHECKSUM_MEMBERS, type ChecksumMembers } from '../checksums.js';
import { checkReadConditions, type ReadConditions } from '../conditions.js';
import {
  conditionalRequestConflict,
  entityTooLarge,
  invalidArgument,
  invalidObjectState,
  invalidPartNumber,
  invalidRange,
  invalidRequest,
  malformedXml,
  methodNotAllowed,
  noSuchKey,
  noSuchVersion,
  notImplemented,
  preconditionFailed,
} from '../errors.js';
import {
  MAX_PART_NUMBER,
  MAX_PUT_SIZE,
  httpDate,
  isValidVersionId,
  newVersionId,
  ownerOf,
  quoteEtag,
  toSeconds,
  type BucketRecord,
  type ObjectRecord,
} from '../model.js';
import {
  ARCHIVE_CLASSES,
  blobRefOf,
  checkKey,
  checkReadKey,
  contentHeadersOf,
  currentExpiration,
  emptyBody,
  encryptionFor,
  encryptionMembers,
  objectMembers,
  storageClassOf,
  type ContentInput,
  type EncryptionInput,
} from '../objects.js';
import { checkDeletable, lockFields, lockOfWrite, type LockInput } from '../object-lock.js';
import { policyDeniesObject } from '../policy.js';
import { notify, requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import type { WriteCondition, WriteFailure } from '../store/types.js';
import { parseTaggingHeader } from '../tags.js';

export interface PutObjectInput extends ContentInput, EncryptionInput, ChecksumMembers, LockInput {
  Bucket: string;
  Key: string;
  Body?: BlobRef;
  ContentMD5?: string;
  ChecksumAlgorithm?: string;
  Metadata?: Record<string, string>;
  StorageClass?: string;
  Tagging?: string;
  IfMatch?: string;
  IfNoneMatch?: string;
  ACL?: string;
  ExpectedBucketOwner?: string;
}

interface ReadInput extends ReadConditions, EncryptionInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  Range?: string;
  PartNumber?: number;
  ChecksumMode?: string;
  ExpectedBucketOwner?: string;
  ResponseCacheControl?: string;
  ResponseContentDisposition?: string;
  ResponseContentEncoding?: string;
  ResponseContentLanguage?: string;
  ResponseContentType?: string;
  ResponseExpires?: number;
}

interface DeleteObjectInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  BypassGovernanceRetention?: boolean;
  IfMatch?: string;
  IfMatchLastModifiedTime?: number;
  IfMatchSize?: number;
  ExpectedBucketOwner?: string;
}

interface DeleteObjectsInput {
  Bucket: string;
  Delete?: { Objects?: Array<{ Key?: string; VersionId?: string; ETag?: string }>; Quiet?: boolean };
  BypassGovernanceRetention?: boolean;
  ExpectedBucketOwner?: string;
}

/** Byte range `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined when S3 would ignore the header. */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return { start, end };
}

export function checkVersionId(versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== null && !isValidVersionId(versionId)) {
    throw invalidArgument('Invalid version id specified', 'versionId', versionId);
  }
}

/** The write condition of PutObject / CopyObject / CompleteMultipartUpload headers, as S3 accepts them. */
export function writeConditionOf(input: { IfMatch?: string; IfNoneMatch?: string }): WriteCondition | undefined {
  const { IfMatch, IfNoneMatch } = input;
  if (IfMatch !== undefined && IfNoneMatch !== undefined) {
    throw notImplemented('If-Match,If-None-Match', 'Multiple conditional request headers present in the request');
  }
  if (IfNoneMatch !== undefined) {
    if (IfNoneMatch !== '*') throw notImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
    return { ifNoneMatch: true };
  }
  if (IfMatch !== undefined) {
    if (IfMatch.trim() === '*') throw notImplemented('If-Match', "We don't accept the provided value of If-Match header for this API");
    return { ifMatch: IfMatch.split(',').map((e) => e.trim().replace(/^"|"$/g, ''))[0] };
  }
  return undefined;
}

/** The error for a conditional write that did not happen. */
export function writeFailure(failure: WriteFailure | 'gone', condition: WriteCondition | undefined, key: string): Error {
  const name = condition?.ifNoneMatch ? 'If-None-Match' : 'If-Match';
  if (failure === 'precondition') return preconditionFailed(name);
  if (failure === 'conflict') return conditionalRequestConflict(name, key);
  return noSuchKey(key);
}

/** The version a read names, or the S3 error for why there is none. */
export async function readableVersion(rt: S3Runtime, bucket: BucketRecord, key: string, versionId: string | undefined, method: string): Promise<ObjectRecord> {
  checkVersionId(versionId);
  const record = await rt.store.getObject(bucket.name, key, versionId);
  if (!record) throw versionId !== undefined ? noSuchVersion(key, versionId) : noSuchKey(key);
  if (record.deleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': record.versionId };
    if (versionId === undefined) throw noSuchKey(key, headers);
    throw methodNotAllowed(method, 'DeleteMarker', { ...headers, 'Last-Modified': httpDate(record.lastModified) });
  }
  return record;
}

export function objectOperations(rt: S3Runtime): Operations {
  const { store, blobs, clock } = rt;

  async function read(input: ReadInput, ctx: CallContext, call: S3Call, withBody: boolean): Promise<Record<string, unknown>> {
    const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
    const key = input.Key;
    const record = await readableVersion(rt, bucket, key, input.VersionId, withBody ? 'GET' : 'HEAD');
    checkReadKey(record, input);
    if (withBody && ARCHIVE_CLASSES.has(record.storageClass ?? '')) throw invalidObjectState(record.storageClass!);
    checkReadConditions(record, input, clock.now());

    let range: { start: number; end: number } | undefined;
    let partChecksum: string | undefined;
    let partsCount: number | undefined;
    const partNumber = input.PartNumber;
    if (partNumber !== undefined && partNumber !== null) {
      if (input.Range !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
        throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
      }
      if (record.parts) {
        if (partNumber > record.parts.length) throw invalidPartNumber(record.parts.length, partNumber);
        let start = 0;
        for (let i = 0; i < partNumber - 1; i++) start += record.parts[i].size;
        const part = record.parts[partNumber - 1];
        range = { start, end: start + part.size - 1 };
        partChecksum = part.checksum;
        partsCount = record.parts.length;
      } else {
        if (partNumber !== 1) throw invalidPartNumber(1, partNumber);
        if (record.size > 0) range = { start: 0, end: record.size - 1 };
      }
    } else if (input.Range !== undefined && input.Range !== null) {
      const parsed = parseRange(input.Range, record.size);
      if (parsed === 'unsatisfiable') throw invalidRange(record.size, input.Range);
      range = parsed;
    }

    const out = objectMembers(record, bucket);
    if (input.VersionId !== undefined) delete out.Expiration;
    if (input.ChecksumMode === 'ENABLED' && record.checksum) {
      if (partsCount !== undefined) {
        if (partChecksum) Object.assign(out, { [CHECKSUM_MEMBERS[record.checksum.algorithm]]: partChecksum, ChecksumType: record.checksum.type });
      } else if (!range || partNumber !== undefined) {
        Object.assign(out, checksumMembers(record.checksum));
      }
    }
    if (range) {
      out.ContentRange = `bytes ${range.start}-${range.end}/${record.size}`;
      out.ContentLength = range.end - range.start + 1;
      out.$status = 206;
    }
    if (partsCount !== undefined) out.PartsCount = partsCount;
    if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
    if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition;
    if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
    if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
    if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
    if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires;
    if (withBody) out.Body = range ? { blob: blobRefOf(record), start: range.start, end: range.end } : { blob: blobRefOf(record) };
    return out;
  }

  async function deleteOne(bucket: BucketRecord, key: string, versionId: string | undefined, ctx: CallContext, ifMatch?: string, bypassGovernance = false) {
    if (versionId !== undefined) {
      // A version goes for good: its Object Lock must allow it.
      const version = await store.getObject(bucket.name, key, versionId);
      if (version) checkDeletable(version, bypassGovernance, clock.now());
    }
    const outcome = await store.deleteObject(bucket.name, key, {
      versionId,
      markerVersionId: newVersionId(),
      now: toSeconds(clock.now()),
      owner: ctx.account,
      ifMatch,
    });
    if (outcome.kind === 'removed') {
      rt.dropBlobs(outcome.orphans);
      notify(rt, ctx, bucket, 'ObjectRemoved:Delete', {
        key,
        versionId: bucket.versioning ? outcome.removed.versionId : undefined,
        seq: outcome.seq,
      });
    } else if (outcome.kind === 'marker') {
      rt.dropBlobs(outcome.orphans);
      notify(rt, ctx, bucket, 'ObjectRemoved:DeleteMarkerCreated', {
        key,
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        versionId: outcome.marker.versionId,
        seq: outcome.marker.seq,
      });
    }
    return outcome;
  }

  return {
    async PutObject(input: PutObjectInput, ctx: CallContext, call: S3Call) {
      // The body is this call's from here: kept by the object, or deleted whatever the error.
      const body = input.Body ?? (await emptyBody(blobs));
      let kept = false;
      try {
        const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
        checkKey(input.Key);
        if (body.size > MAX_PUT_SIZE) throw entityTooLarge(body.size, MAX_PUT_SIZE);
        checkContentMd5(input.ContentMD5, body);
        const condition = writeConditionOf(input);
        const checksum = await bodyChecksum(blobs, body, input);
        const tags = parseTaggingHeader(input.Tagging);
        const storageClass = storageClassOf(input.StorageClass);
        const encryption = encryptionFor(input, bucket, ctx);
        const acl = aclOf(input as unknown as Record<string, unknown>, bucket, ctx.account);
        const lock = lockOfWrite(input, bucket, clock.now());
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
            headers: contentHeadersOf(input),
            metadata: input.Metadata ?? {},
            storageClass,
            ...(tags && tags.length > 0 ? { tags } : {}),
            encryption,
            ...(acl ? { acl } : {}),
            ...lockFields(lock),
          },
          { versionId: newVersionId(), condition },
        );
        if (!outcome.ok) throw writeFailure(outcome.failure, condition, input.Key);
        kept = true;
        rt.dropBlobs(outcome.orphans);
        const record = outcome.record;
        notify(rt, ctx, bucket, 'ObjectCreated:Put', { key: record.key, size: record.size, etag: record.etag, versionId: record.versionId, seq: record.seq });
        const out: Record<string, unknown> = { ETag: quoteEtag(record.etag), ...checksumMembers(checksum), ...encryptionMembers(encryption) };
        if (record.versionId !== 'null') out.VersionId = record.versionId;
        const expiration = currentExpiration(bucket, record);
        if (expiration) out.Expiration = expiration;
        return out;
      } finally {
        if (!kept) rt.dropBlobs([body.id]);
      }
    },

    GetObject: (input: ReadInput, ctx: CallContext, call: S3Call) => read(input, ctx, call, true),
    HeadObject: (input: ReadInput, ctx: CallContext, call: S3Call) => read(input, ctx, call, false),

    async DeleteObject(input: DeleteObjectInput, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      checkVersionId(input.VersionId);
      if (input.IfMatchLastModifiedTime !== undefined) throw notImplemented('x-amz-if-match-last-modified-time', '');
      if (input.IfMatchSize !== undefined) throw notImplemented('x-amz-if-match-size', '');
      const ifMatch = input.IfMatch === undefined ? undefined : input.IfMatch.trim().replace(/^"|"$/g, '');
      const outcome = await deleteOne(bucket, input.Key, input.VersionId, ctx, ifMatch, input.BypassGovernanceRetention === true);
      if (outcome.kind === 'failed') throw outcome.failure === 'missing' ? noSuchKey(input.Key) : preconditionFailed('If-Match');
      const out: Record<string, unknown> = { $status: 204 };
      if (outcome.kind === 'marker') {
        out.DeleteMarker = true;
        out.VersionId = outcome.marker.versionId;
      } else if (outcome.kind === 'removed' && input.VersionId !== undefined) {
        out.VersionId = input.VersionId;
        if (outcome.removed.deleteMarker) out.DeleteMarker = true;
      } else if (input.VersionId !== undefined) {
        out.VersionId = input.VersionId;
      }
      return out;
    },

    async DeleteObjects(input: DeleteObjectsInput, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const objects = input.Delete?.Objects;
      if (!Array.isArray(objects) || objects.length === 0 || objects.length > 1000) throw malformedXml();
      const deleted: Record<string, unknown>[] = [];
      const errors: Record<string, unknown>[] = [];
      for (const o of objects) {
        if (typeof o?.Key !== 'string') throw malformedXml();
      }
      for (const o of objects) {
        const key = o.Key!;
        const versionId = o.VersionId;
        if (versionId !== undefined && !isValidVersionId(versionId)) {
          errors.push({ Key: key, VersionId: versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
          continue;
        }
        if (policyDeniesObject(bucket, versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject', key, ctx, versionId)) {
          errors.push({ Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}), Code: 'AccessDenied', Message: 'Access Denied' });
          continue;
        }
        let outcome;
        try {
          outcome = await deleteOne(bucket, key, versionId, ctx, undefined, input.BypassGovernanceRetention === true);
        } catch (e) {
          if (!(e instanceof AwsError) || e.code !== 'AccessDenied') throw e;
          errors.push({ Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}), Code: e.code, Message: e.message });
          continue;
        }
        const entry: Record<string, unknown> = { Key: key };
        if (versionId !== undefined) entry.VersionId = versionId;
        if (outcome.kind === 'marker') {
          entry.DeleteMarker = true;
          entry.DeleteMarkerVersionId = outcome.marker.versionId;
        } else if (outcome.kind === 'removed' && outcome.removed.deleteMarker) {
          entry.DeleteMarker = true;
          entry.DeleteMarkerVersionId = outcome.removed.versionId;
        }
        if (!input.Delete?.Quiet) deleted.push(entry);
      }
      const out: Record<string, unknown> = {};
      if (deleted.length > 0) out.Deleted = deleted;
      if (errors.length > 0) out.Errors = errors;
      return out;
    },

    async GetObjectAttributes(
      input: { Bucket: string; Key: string; VersionId?: string; ObjectAttributes?: string[] | string; MaxParts?: number; PartNumberMarker?: number; ExpectedBucketOwner?: string } & EncryptionInput,
      _ctx: CallContext,
      call: S3Call,
    ) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      checkVersionId(input.VersionId);
      const record = await store.getObject(bucket.name, input.Key, input.VersionId);
      if (!record) throw input.VersionId !== undefined ? noSuchVersion(input.Key, input.VersionId) : noSuchKey(input.Key);
      if (record.deleteMarker) {
        const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': record.versionId };
        if (input.VersionId === undefined) throw noSuchKey(input.Key, headers);
        throw methodNotAllowed('GET', 'DeleteMarker', headers);
      }
      checkReadKey(record, input);
      const raw = input.ObjectAttributes ?? [];
      const wanted = new Set((Array.isArray(raw) ? raw : [raw]).flatMap((a) => a.split(',')).map((a) => a.trim()));
      const out: Record<string, unknown> = { LastModified: record.lastModified };
      if (bucket.versioning) out.VersionId = record.versionId;
      if (wanted.has('ETag')) out.ETag = record.etag;
      if (wanted.has('Checksum') && record.checksum) {
        out.Checksum = { ...checksumMembers({ ...record.checksum, value: record.checksum.value.replace(/-\d+$/, '') }) };
      }
      if (wanted.has('ObjectParts') && record.parts) {
        const parts: Record<string, unknown> = { TotalPartsCount: record.parts.length };
        if (record.checksum && record.parts.some((p) => p.checksum)) {
          const max = input.MaxParts ?? 1000;
          const marker = input.PartNumberMarker ?? 0;
          const listed = record.parts.map((p, i) => ({ n: i + 1, p })).filter(({ n }) => n > marker);
          const page = listed.slice(0, max);
          parts.PartNumberMarker = marker;
          parts.MaxParts = max;
          parts.IsTruncated = listed.length > max;
          if (page.length > 0) parts.NextPartNumberMarker = page[page.length - 1].n;
          parts.Parts = page.map(({ n, p }) => ({
            PartNumber: n,
            Size: p.size,
            ...(p.checksum ? { [CHECKSUM_MEMBERS[record.checksum!.algorithm]]: p.checksum } : {}),
          }));
        }
        out.ObjectParts = parts;
      }
      if (wanted.has('StorageClass')) out.StorageClass = record.storageClass ?? 'STANDARD';
      if (wanted.has('ObjectSize')) out.ObjectSize = record.size;
      return out;
    },

    async PutObjectAcl(input: { Bucket: string; Key: string; VersionId?: string; ExpectedBucketOwner?: string } & Record<string, unknown>, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const record = await readableVersion(rt, bucket, input.Key, input.VersionId, 'PUT');
      const acl = aclOf(input, bucket, record.owner, { required: true });
      await store.updateObject(bucket.name, input.Key, input.VersionId, { acl });
      notify(rt, ctx, bucket, 'ObjectAcl:Put', { key: input.Key, etag: record.etag, versionId: bucket.versioning ? record.versionId : undefined });
      return {};
    },

    async GetObjectAcl(input: { Bucket: string; Key: string; VersionId?: string; ExpectedBucketOwner?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const record = await readableVersion(rt, bucket, input.Key, input.VersionId, 'GET');
      const out: Record<string, unknown> = { Owner: ownerOf(record.owner), Grants: aclGrants(record.acl, record.owner) };
      if (bucket.versioning) out.VersionId = record.versionId;
      return out;
    },
  };
}
