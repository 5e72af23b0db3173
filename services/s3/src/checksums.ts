import type { BlobRef, BlobStore } from '@stratus/shared/blobs/index';
import {
  CHECKSUM_ALGORITHMS,
  Hashers,
  isChecksumAlgorithm,
  isValidChecksum,
  type ChecksumAlgorithm,
  type ChecksumType,
  type Checksums,
} from '@stratus/shared/checksums/index';
import { badDigest, badDigestMd5, invalidDigest, invalidRequest } from './errors.js';
import type { ObjectChecksum } from './model.js';

/** The input members that carry a declared checksum, by algorithm. */
export const CHECKSUM_MEMBERS: Record<ChecksumAlgorithm, `Checksum${ChecksumAlgorithm}`> = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  CRC64NVME: 'ChecksumCRC64NVME',
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
};

export type ChecksumMembers = Partial<Record<`Checksum${ChecksumAlgorithm}`, string>>;

/** S3's default when a write declares no checksum. */
export const DEFAULT_ALGORITHM: ChecksumAlgorithm = 'CRC64NVME';

export function unsupportedAlgorithm(): never {
  throw invalidRequest(
    `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${CHECKSUM_ALGORITHMS.join(', ')}]`,
  );
}

/** `x-amz-checksum-algorithm` / `x-amz-sdk-checksum-algorithm` as given (any case), checked. */
export function parseAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined || value === '') return undefined;
  const upper = value.toUpperCase();
  if (!isChecksumAlgorithm(upper)) unsupportedAlgorithm();
  return upper;
}

/** The one checksum member a request declares, if any; more than one is an error. */
export function declaredChecksum(input: ChecksumMembers): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  let found: { algorithm: ChecksumAlgorithm; value: string } | undefined;
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = input[CHECKSUM_MEMBERS[algorithm]];
    if (value === undefined || value === null) continue;
    if (found) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    found = { algorithm, value };
  }
  return found;
}

export function checkDeclaredFormat(algorithm: ChecksumAlgorithm, value: string): void {
  if (!isValidChecksum(algorithm, value)) throw invalidRequest(`Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`);
}

/** Content-MD5 (base64) against the body's MD5 (the blob's ETag, hex). */
export function checkContentMd5(contentMd5: string | undefined, body: BlobRef): void {
  if (contentMd5 === undefined) return;
  if (!isValidChecksum('MD5', contentMd5)) throw invalidDigest(contentMd5);
  const expected = Buffer.from(contentMd5, 'base64').toString('hex');
  if (expected !== body.etag) throw badDigestMd5(expected, Buffer.from(body.etag, 'hex').toString('base64'));
}

/** A body's checksum in `algorithm`: computed by the gateway as the body streamed in, or now from the blob. */
export async function checksumOfBlob(blobs: BlobStore, body: BlobRef, algorithm: ChecksumAlgorithm): Promise<string> {
  const known = body.checksums[algorithm];
  if (known) return known;
  const hashers = new Hashers([algorithm]);
  const stream = await blobs.open(body);
  for await (const chunk of stream) hashers.update(chunk as Uint8Array);
  return hashers.checksums()[algorithm]!;
}

/**
 * The checksum a single-part write stores: the declared one, checked against the body (BadDigest), or
 * the algorithm asked for, or S3's default CRC64NVME; always FULL_OBJECT.
 */
export async function bodyChecksum(blobs: BlobStore, body: BlobRef, input: ChecksumMembers & { ChecksumAlgorithm?: string }): Promise<ObjectChecksum> {
  const requested = parseAlgorithm(input.ChecksumAlgorithm);
  const declared = declaredChecksum(input);
  if (declared) {
    checkDeclaredFormat(declared.algorithm, declared.value);
    const computed = await checksumOfBlob(blobs, body, declared.algorithm);
    if (computed !== declared.value) throw badDigest(`The ${declared.algorithm} you specified did not match the calculated checksum.`);
    return { algorithm: declared.algorithm, type: 'FULL_OBJECT', value: computed };
  }
  const algorithm = requested ?? DEFAULT_ALGORITHM;
  return { algorithm, type: 'FULL_OBJECT', value: await checksumOfBlob(blobs, body, algorithm) };
}

/** Output members for a checksum: `{ChecksumCRC32: '...', ChecksumType: 'FULL_OBJECT'}`. */
export function checksumMembers(checksum: ObjectChecksum | undefined, withType = true): Record<string, string> {
  if (!checksum) return {};
  const out: Record<string, string> = { [CHECKSUM_MEMBERS[checksum.algorithm]]: checksum.value };
  if (withType) out.ChecksumType = checksum.type;
  return out;
}

/** Members for a part's checksum in one algorithm (UploadPart, ListParts). */
export function partChecksumMembers(checksums: Checksums, algorithm: ChecksumAlgorithm | undefined): Record<string, string> {
  if (!algorithm || !checksums[algorithm]) return {};
  return { [CHECKSUM_MEMBERS[algorithm]]: checksums[algorithm]! };
}

export function checksumTypeOf(value: string | undefined): ChecksumType | undefined {
  if (value === undefined || value === '') return undefined;
  const upper = value.toUpperCase();
  if (upper !== 'FULL_OBJECT' && upper !== 'COMPOSITE') throw invalidRequest(`Value for x-amz-checksum-type header is invalid.`);
  return upper;
}
