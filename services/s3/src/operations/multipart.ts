import { Readable } from 'node:stream';
import type { CallContext } from '@stratus/shared';
import type { BlobRef } from '@stratus/shared/blobs/index';
import {
  combineCrcs,
  compositeChecksum,
  isCrcAlgorithm,
  supportsChecksumType,
  type ChecksumAlgorithm,
  type ChecksumType,
} from '@stratus/shared/checksums/index';
import { aclOf } from '../acl.js';
import {
  checkContentMd5,
  checkDeclaredFormat,
  checksumOfBlob,
  checksumTypeOf,
  CHECKSUM_MEMBERS,
  declaredChecksum,
  DEFAULT_ALGORITHM,
  parseAlgorithm,
  partChecksumMembers,
  type ChecksumMembers,
} from '../checksums.js';
import {
  badDigest,
  entityTooLarge,
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartOrder,
  invalidRequest,
  malformedXml,
  noSuchUpload,
  preconditionFailed,
} from '../errors.js';
import { abortOf, enabledRules } from '../lifecycle.js';
import {
  MAX_PART_NUMBER,
  MAX_PUT_SIZE,
  MIN_PART_SIZE,
  canonicalUserId,
  newUploadId,
  newVersionId,
  ownerOf,
  quoteEtag,
  toSeconds,
  unquoteEtag,
  type BucketRecord,
  type Encryption,
  type ObjectChecksum,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
} from '../model.js';
import {
  blobRefOf,
  checkCustomerKey,
  checkKey,
  contentHeadersOf,
  currentExpiration,
  emptyBody,
  encryptionFor,
  encryptionMembers,
  storageClassOf,
  type ContentInput,
  type EncryptionInput,
} from '../objects.js';
import { lockFields, lockOfWrite, type LockInput } from '../object-lock.js';
import { notify, requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { parseTaggingHeader } from '../tags.js';
import { resolveCopySource, type CopySourceInput } from './copy.js';
import { encoderFor, maxKeysOf } from './listing.js';
import { writeConditionOf, writeFailure } from './objects.js';

interface UploadInput {
  Bucket: string;
  Key: string;
  UploadId: string;
  ExpectedBucketOwner?: string;
}

interface CreateMultipartUploadInput extends ContentInput, EncryptionInput, LockInput {
  Bucket: string;
  Key: string;
  Metadata?: Record<string, string>;
  StorageClass?: string;
  Tagging?: string;
  ChecksumAlgorithm?: string;
  ChecksumType?: string;
  ACL?: string;
  ExpectedBucketOwner?: string;
}

interface UploadPartInput extends UploadInput, EncryptionInput, ChecksumMembers {
  PartNumber: number;
  Body?: BlobRef;
  ContentMD5?: string;
  ChecksumAlgorithm?: string;
}

interface CompletedPart extends ChecksumMembers {
  PartNumber?: number;
  ETag?: string;
}

interface CompleteInput extends UploadInput, ChecksumMembers, EncryptionInput {
  MultipartUpload?: { Parts?: CompletedPart[] };
  ChecksumType?: string;
  MpuObjectSize?: number;
  IfMatch?: string;
  IfNoneMatch?: string;
}

const DISPLAY_NAME = 'webfile';

function checkPartNumber(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', n);
  }
  return n;
}

/** The upload, if it exists and is for this key. */
async function requireUpload(rt: S3Runtime, bucket: BucketRecord, input: UploadInput): Promise<UploadRecord> {
  const upload = await rt.store.getUpload(bucket.name, input.UploadId);
  if (!upload || upload.key !== input.Key) throw noSuchUpload(input.UploadId);
  return upload;
}

/** A part of an SSE-C upload is sent with the upload's key. */
function checkPartKey(upload: UploadRecord, input: EncryptionInput): void {
  const stored = upload.encryption.SSECustomerKeyMD5;
  if (!stored) return;
  const given = checkCustomerKey(input);
  if (!given) {
    throw invalidRequest('The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.');
  }
  if (given.keyMd5 !== stored) throw invalidRequest('The provided encryption parameters did not match the ones used originally.');
}

function initiator(account: string) {
  return { ID: canonicalUserId(account), DisplayName: DISPLAY_NAME };
}

function locationOf(ctx: CallContext, bucket: string, key: string): string {
  return `http://${ctx.host || 's3.amazonaws.com'}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** CompleteMultipartUpload's answer for the object an upload made. */
function completedOutput(ctx: CallContext, bucket: BucketRecord, record: ObjectRecord, encryption: Encryption | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Location: locationOf(ctx, bucket.name, record.key),
    Bucket: bucket.name,
    Key: record.key,
    ETag: quoteEtag(record.etag),
    ...(record.checksum ? { [CHECKSUM_MEMBERS[record.checksum.algorithm]]: record.checksum.value, ChecksumType: record.checksum.type } : {}),
    ...encryptionMembers(encryption),
  };
  if (record.versionId !== 'null') out.VersionId = record.versionId;
  const expiration = currentExpiration(bucket, record);
  if (expiration) out.Expiration = expiration;
  return out;
}

export function multipartOperations(rt: S3Runtime): Operations {
  const { store, blobs, clock } = rt;

  /** Stores a part body, computing the checksums the upload needs that the gateway did not. */
  async function storePart(bucket: BucketRecord, upload: UploadRecord, partNumber: number, body: BlobRef): Promise<PartRecord> {
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = { ...body.checksums };
    for (const algorithm of new Set<ChecksumAlgorithm>([DEFAULT_ALGORITHM, ...(upload.checksumAlgorithm ? [upload.checksumAlgorithm] : [])])) {
      checksums[algorithm] ??= await checksumOfBlob(blobs, body, algorithm);
    }
    const part: PartRecord = {
      partNumber,
      lastModified: toSeconds(clock.now()),
      etag: body.etag,
      size: body.size,
      blob: body.id,
      ...(body.inline !== undefined ? { inline: body.inline } : {}),
      checksums,
    };
    const outcome = await store.putPart(bucket.name, upload.uploadId, part);
    if (!outcome.ok) throw noSuchUpload(upload.uploadId);
    rt.dropBlobs(outcome.orphans);
    return part;
  }

  return {
    async CreateMultipartUpload(input: CreateMultipartUploadInput, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      checkKey(input.Key);
      const algorithm = parseAlgorithm(input.ChecksumAlgorithm);
      let type = checksumTypeOf(input.ChecksumType);
      if (type && !algorithm) throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
      if (algorithm) {
        type ??= algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
        if (!supportsChecksumType(algorithm, type)) {
          throw invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
        }
      }
      const tags = parseTaggingHeader(input.Tagging);
      const encryption = encryptionFor(input, bucket, ctx);
      const acl = aclOf(input as unknown as Record<string, unknown>, bucket, ctx.account);
      const lock = lockOfWrite(input, bucket, clock.now());
      const upload = await store.createUpload(bucket.name, {
        uploadId: newUploadId(),
        key: input.Key,
        initiated: toSeconds(clock.now()),
        owner: ctx.account,
        headers: contentHeadersOf(input),
        metadata: input.Metadata ?? {},
        storageClass: storageClassOf(input.StorageClass),
        ...(tags && tags.length > 0 ? { tags } : {}),
        encryption,
        ...(algorithm ? { checksumAlgorithm: algorithm, checksumType: type } : {}),
        ...(acl ? { acl } : {}),
        ...(lock ? { lock } : {}),
      });
      const out: Record<string, unknown> = { Bucket: bucket.name, Key: upload.key, UploadId: upload.uploadId, ...encryptionMembers(encryption) };
      if (algorithm) {
        out.ChecksumAlgorithm = algorithm;
        out.ChecksumType = type;
      }
      const abort = bucket.config.lifecycle ? abortOf(enabledRules(bucket.config.lifecycle), upload) : undefined;
      if (abort) {
        out.AbortDate = abort.at;
        out.AbortRuleId = abort.ruleId;
      }
      return out;
    },

    async UploadPart(input: UploadPartInput, _ctx: CallContext, call: S3Call) {
      // The body is this call's from here: kept by the part, or deleted whatever the error.
      const body = input.Body ?? (await emptyBody(blobs));
      let kept = false;
      try {
        const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
        const upload = await requireUpload(rt, bucket, input);
        const partNumber = checkPartNumber(input.PartNumber);
        checkPartKey(upload, input);
        if (body.size > MAX_PUT_SIZE) throw entityTooLarge(body.size, MAX_PUT_SIZE);
        checkContentMd5(input.ContentMD5, body);
        const declared = declaredChecksum(input);
        const hinted = parseAlgorithm(input.ChecksumAlgorithm);
        if (declared) checkDeclaredFormat(declared.algorithm, declared.value);
        const sent = declared?.algorithm ?? hinted;
        if (upload.checksumAlgorithm && sent && sent !== upload.checksumAlgorithm) {
          throw invalidRequest(
            `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${sent.toLowerCase()}`,
          );
        }
        if (declared) {
          const computed = await checksumOfBlob(blobs, body, declared.algorithm);
          if (computed !== declared.value) throw badDigest(`The ${declared.algorithm} you specified did not match the calculated checksum.`);
        }
        const part = await storePart(bucket, upload, partNumber, sent && !body.checksums[sent] ? { ...body, checksums: { ...body.checksums, [sent]: await checksumOfBlob(blobs, body, sent) } } : body);
        kept = true;
        return {
          ETag: quoteEtag(part.etag),
          ...partChecksumMembers(part.checksums, upload.checksumAlgorithm ?? sent),
          ...encryptionMembers(upload.encryption),
        };
      } finally {
        if (!kept) rt.dropBlobs([body.id]);
      }
    },

    async UploadPartCopy(input: UploadInput & CopySourceInput & EncryptionInput & { PartNumber: number; CopySourceRange?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const upload = await requireUpload(rt, bucket, input);
      const partNumber = checkPartNumber(input.PartNumber);
      checkPartKey(upload, input);
      const { bucket: sourceBucket, record: source } = await resolveCopySource(rt, input, call);
      let range: { start: number; end: number } | undefined;
      if (input.CopySourceRange !== undefined) {
        const m = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange.trim());
        if (!m || Number(m[2]) < Number(m[1])) {
          throw invalidArgument(
            'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
            'x-amz-copy-source-range',
            input.CopySourceRange,
          );
        }
        const start = Number(m[1]);
        const end = Number(m[2]);
        if (start >= source.size) throw invalidRequest('The specified copy range is invalid for the source object size');
        if (end >= source.size) {
          throw invalidArgument(`Range specified is not valid for source object of size: ${source.size}`, 'x-amz-copy-source-range', input.CopySourceRange);
        }
        range = { start, end };
      }
      const algorithms = new Set<ChecksumAlgorithm>([DEFAULT_ALGORITHM, ...(upload.checksumAlgorithm ? [upload.checksumAlgorithm] : [])]);
      const stream = source.size === 0 ? Readable.from([]) : await blobs.open(blobRefOf(source), range ?? { start: 0, end: source.size - 1 });
      const body = await blobs.put(stream, { algorithms: [...algorithms] });
      let kept = false;
      try {
        const part = await storePart(bucket, upload, partNumber, body);
        kept = true;
        const out: Record<string, unknown> = {
          CopyPartResult: { ETag: quoteEtag(part.etag), LastModified: part.lastModified, ...partChecksumMembers(part.checksums, upload.checksumAlgorithm) },
          ...encryptionMembers(upload.encryption),
        };
        if (sourceBucket.versioning) out.CopySourceVersionId = source.versionId;
        return out;
      } finally {
        if (!kept) rt.dropBlobs([body.id]);
      }
    },

    async CompleteMultipartUpload(input: CompleteInput, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const found = await rt.store.getUpload(bucket.name, input.UploadId);
      if (!found || found.key !== input.Key) {
        // S3 answers a repeated completion (a retry whose first answer was lost) as it answered the first.
        const current = await store.getObject(bucket.name, input.Key);
        if (current && !current.deleteMarker && current.uploadId === input.UploadId) return completedOutput(ctx, bucket, current, current.encryption);
        throw noSuchUpload(input.UploadId);
      }
      const upload = found;
      if (!input.MultipartUpload) throw malformedXml();
      const writeCondition = writeConditionOf(input);
      const requested = input.MultipartUpload?.Parts;
      if (!requested || requested.length === 0) throw invalidRequest('You must specify at least one part');
      const algorithm = upload.checksumAlgorithm;
      const uploadType: ChecksumType | undefined = upload.checksumType;
      const type = checksumTypeOf(input.ChecksumType);
      if (type && type !== uploadType) {
        throw invalidRequest(`The upload was created using the ${uploadType ?? 'null'} checksum mode. The complete request must use the same checksum mode.`);
      }

      let previous = 0;
      for (const p of requested) {
        const n = checkPartNumber(p.PartNumber);
        if (n <= previous) throw invalidPartOrder(upload.uploadId);
        previous = n;
      }
      const stored = new Map((await store.listParts(bucket.name, upload.uploadId))?.map((p) => [p.partNumber, p]) ?? []);
      const parts: PartRecord[] = [];
      let checksumMismatch: PartRecord | undefined;
      for (const p of requested) {
        const part = stored.get(p.PartNumber!);
        const etag = unquoteEtag(p.ETag ?? '');
        if (!part || part.etag !== etag) throw invalidPart(upload.uploadId, p.PartNumber!, etag);
        const given = declaredChecksum(p);
        if (!algorithm) {
          if (given) throw invalidPart(upload.uploadId, part.partNumber, part.etag);
        } else if (!given) {
          if (uploadType === 'COMPOSITE') {
            throw invalidRequest(
              `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
            );
          }
        } else if (given.algorithm !== algorithm) {
          throw badDigest(`The ${given.algorithm.toLowerCase()} you specified for part ${part.partNumber} did not match what we received.`);
        } else if (given.value !== part.checksums[algorithm]) {
          checksumMismatch = part;
        }
        parts.push(part);
      }
      if (checksumMismatch) throw invalidPart(upload.uploadId, checksumMismatch.partNumber, checksumMismatch.etag);
      for (let i = 0; i < parts.length - 1; i++) {
        if (parts[i].size < MIN_PART_SIZE) throw entityTooSmall(parts[i].partNumber, parts[i].etag, parts[i].size);
      }
      const size = parts.reduce((n, p) => n + p.size, 0);
      if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== null && Number(input.MpuObjectSize) !== size) {
        throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${size}`);
      }

      // The object's checksum, from its parts'.
      const objectAlgorithm = algorithm ?? DEFAULT_ALGORITHM;
      const objectType: ChecksumType = uploadType ?? 'FULL_OBJECT';
      const partChecksums = parts.map((p) => p.checksums[objectAlgorithm]!);
      const value =
        objectType === 'COMPOSITE'
          ? compositeChecksum(objectAlgorithm, partChecksums)
          : isCrcAlgorithm(objectAlgorithm)
            ? combineCrcs(
                objectAlgorithm,
                parts.map((p, i) => ({ checksum: partChecksums[i], size: p.size })),
              )
            : compositeChecksum(objectAlgorithm, partChecksums);
      const checksum: ObjectChecksum = { algorithm: objectAlgorithm, type: objectType, value };
      const wholeGiven = declaredChecksum(input);
      if (wholeGiven) {
        const expected = algorithm ?? wholeGiven.algorithm;
        const matches =
          wholeGiven.algorithm === objectAlgorithm &&
          (objectType === 'COMPOSITE' ? wholeGiven.value.replace(/-\d+$/, '') === value.replace(/-\d+$/, '') : wholeGiven.value === value && (type !== undefined || !algorithm));
        if (!matches) throw badDigest(`The ${expected.toLowerCase()} you specified did not match the calculated checksum.`);
      }

      const body = await blobs.concat(parts.map(blobRefOf));
      let kept = false;
      try {
        const condition = writeCondition ? { ...writeCondition, notWrittenSince: upload.seq } : undefined;
        const outcome = await store.completeUpload(
          bucket.name,
          upload.uploadId,
          {
            key: upload.key,
            lastModified: toSeconds(clock.now()),
            owner: upload.owner,
            etag: body.etag,
            size: body.size,
            blob: body.id,
            checksum,
            parts: parts.map((p) => ({ size: p.size, ...(algorithm ? { checksum: p.checksums[algorithm] } : {}) })),
            headers: upload.headers,
            metadata: upload.metadata,
            storageClass: upload.storageClass,
            ...(upload.tags ? { tags: upload.tags } : {}),
            encryption: upload.encryption,
            ...(upload.acl ? { acl: upload.acl } : {}),
            ...lockFields(upload.lock),
            uploadId: upload.uploadId,
          },
          { versionId: newVersionId(), condition },
        );
        if (!outcome.ok) {
          if (outcome.failure === 'noSuchUpload') throw noSuchUpload(upload.uploadId);
          throw writeFailure(outcome.failure, condition, upload.key);
        }
        kept = true;
        rt.dropBlobs(outcome.orphans);
        const record = outcome.record;
        notify(rt, ctx, bucket, 'ObjectCreated:CompleteMultipartUpload', {
          key: record.key,
          size: record.size,
          etag: record.etag,
          versionId: record.versionId,
          seq: record.seq,
        });
        return completedOutput(ctx, bucket, record, upload.encryption);
      } finally {
        if (!kept) rt.dropBlobs([body.id]);
      }
    },

    async AbortMultipartUpload(input: UploadInput & { IfMatchInitiatedTime?: number }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const upload = await requireUpload(rt, bucket, input);
      if (input.IfMatchInitiatedTime !== undefined && input.IfMatchInitiatedTime !== null && toSeconds(input.IfMatchInitiatedTime) !== upload.initiated) {
        throw preconditionFailed('x-amz-if-match-initiated-time');
      }
      const result = await store.abortUpload(bucket.name, upload.uploadId);
      if (!result) throw noSuchUpload(input.UploadId);
      rt.dropBlobs(result.orphans);
      return { $status: 204 };
    },

    async ListParts(input: UploadInput & { MaxParts?: number; PartNumberMarker?: number }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const upload = await requireUpload(rt, bucket, input);
      const all = (await store.listParts(bucket.name, upload.uploadId)) ?? [];
      const max = maxKeysOf(input.MaxParts, 'max-parts');
      const marker = input.PartNumberMarker ?? 0;
      const after = all.filter((p) => p.partNumber > marker);
      const page = after.slice(0, max);
      const out: Record<string, unknown> = {
        Bucket: bucket.name,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: page.length > 0 ? page[page.length - 1].partNumber : 0,
        MaxParts: max,
        IsTruncated: after.length > page.length,
        Initiator: initiator(upload.owner),
        Owner: ownerOf(upload.owner),
        StorageClass: upload.storageClass,
      };
      if (page.length > 0) {
        out.Parts = page.map((p) => ({
          PartNumber: p.partNumber,
          LastModified: p.lastModified,
          ETag: quoteEtag(p.etag),
          Size: p.size,
          ...partChecksumMembers(p.checksums, upload.checksumAlgorithm),
        }));
      }
      if (upload.checksumAlgorithm) {
        out.ChecksumAlgorithm = upload.checksumAlgorithm;
        out.ChecksumType = upload.checksumType;
      }
      return out;
    },

    async ListMultipartUploads(input: {
      Bucket: string;
      Prefix?: string;
      Delimiter?: string;
      KeyMarker?: string;
      UploadIdMarker?: string;
      MaxUploads?: number;
      EncodingType?: string;
      ExpectedBucketOwner?: string;
      },
      _ctx: CallContext,
      call: S3Call,
    ) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const encode = encoderFor(input.EncodingType);
      const max = maxKeysOf(input.MaxUploads, 'max-uploads');
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const keyMarker = input.KeyMarker || undefined;
      const uploadIdMarker = keyMarker !== undefined ? input.UploadIdMarker || undefined : undefined;
      let uploads = (await store.listUploads(bucket.name)).filter((u) => u.key.startsWith(prefix));
      if (keyMarker !== undefined) {
        if (uploadIdMarker !== undefined) {
          const at = uploads.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker);
          if (at < 0) throw invalidArgument('Invalid uploadId marker', 'upload-id-marker', uploadIdMarker);
          uploads = uploads.slice(at + 1);
        } else {
          uploads = uploads.filter((u) => u.key > keyMarker);
        }
      }
      const entries: Array<{ upload?: UploadRecord; prefix?: string }> = [];
      const seen = new Set<string>();
      let truncated = false;
      for (const u of uploads) {
        let common: string | undefined;
        if (delimiter) {
          const d = u.key.indexOf(delimiter, prefix.length);
          if (d >= 0) common = u.key.slice(0, d + delimiter.length);
        }
        if (common !== undefined && seen.has(common)) continue;
        if (entries.length >= max) {
          truncated = true;
          break;
        }
        if (common !== undefined) {
          seen.add(common);
          entries.push({ prefix: common });
        } else entries.push({ upload: u });
      }
      const last = entries[entries.length - 1];
      const out: Record<string, unknown> = {
        Bucket: bucket.name,
        KeyMarker: encode(keyMarker ?? ''),
        UploadIdMarker: uploadIdMarker ?? '',
        NextKeyMarker: last ? encode(last.upload ? last.upload.key : last.prefix!) : '',
        NextUploadIdMarker: last?.upload ? last.upload.uploadId : '',
        MaxUploads: max,
        IsTruncated: truncated,
      };
      if (input.Prefix !== undefined) out.Prefix = encode(prefix);
      if (delimiter) out.Delimiter = encode(delimiter);
      const listed = entries.filter((e) => e.upload).map((e) => e.upload!);
      if (listed.length > 0) {
        out.Uploads = listed.map((u) => ({
          UploadId: u.uploadId,
          Key: encode(u.key),
          Initiated: u.initiated,
          StorageClass: u.storageClass,
          Owner: ownerOf(u.owner),
          Initiator: initiator(u.owner),
          ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType } : {}),
        }));
      }
      const prefixes = entries.filter((e) => e.prefix !== undefined).map((e) => ({ Prefix: encode(e.prefix!) }));
      if (prefixes.length > 0) out.CommonPrefixes = prefixes;
      if (input.EncodingType) out.EncodingType = input.EncodingType;
      return out;
    },
  };
}
