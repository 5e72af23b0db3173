import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { AwsError } from '@stratus/shared';
import type { BlobRef, BlobStore } from '@stratus/shared/blobs/index';
import { algorithmOfHeader, checksumOf, isChecksumAlgorithm, isValidChecksum, type ChecksumAlgorithm } from '@stratus/shared/checksums/index';
import { AwsChunkedDecoder, awsChunkedOptions } from '@stratus/shared/streams/index';
import { bodyTooLarge, MAX_DOCUMENT_BODY } from '../body.js';

/**
 * Request bodies of S3 operations. Object bodies (PutObject, UploadPart) stream into the blob store,
 * decoded from aws-chunked on the way, with MD5 and every checksum the request declares (CRC64NVME,
 * S3's default, when it declares none) computed in the same pass. Document bodies (XML configurations, DeleteObjects) are read whole (they
 * are small) and checked against Content-MD5, x-amz-checksum-* and a hex x-amz-content-sha256 here,
 * since they never reach the service as bytes.
 */

export type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** The checksums a request declares: x-amz-checksum-* headers, the SDK's algorithm hint, the trailer it announces. */
function declaredAlgorithms(headers: Headers): Set<ChecksumAlgorithm> {
  const algorithms = new Set<ChecksumAlgorithm>();
  for (const name in headers) {
    if (!name.startsWith('x-amz-checksum-')) continue;
    const a = algorithmOfHeader(name);
    if (a) algorithms.add(a);
  }
  const hint = header(headers, 'x-amz-sdk-checksum-algorithm')?.toUpperCase();
  if (hint && isChecksumAlgorithm(hint)) algorithms.add(hint);
  for (const name of (header(headers, 'x-amz-trailer') ?? '').split(',')) {
    const a = algorithmOfHeader(name.trim());
    if (a) algorithms.add(a);
  }
  return algorithms;
}

function sha256Mismatch(client: string, computed: string): AwsError {
  return new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    fields: { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed },
  });
}

export function missingContentLength(): AwsError {
  return new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
}

export interface StreamedBody {
  ref: BlobRef;
  /** aws-chunked trailers by lowercase name (x-amz-checksum-crc32 ...). */
  trailers: Record<string, string>;
}

/** Streams a request body into the blob store. On failure nothing is left in the store. */
export async function ingestObjectBody(req: IncomingMessage, headers: Headers, blobs: BlobStore): Promise<StreamedBody> {
  const chunked = awsChunkedOptions(headers);
  const lengthHeader = header(headers, 'content-length');
  if (lengthHeader === undefined && headers['transfer-encoding'] === undefined && !chunked) throw missingContentLength();
  const algorithms = declaredAlgorithms(headers);
  const declared = new Set(algorithms);
  // S3 gives an object a CRC64NVME checksum when the request declares none.
  if (declared.size === 0) algorithms.add('CRC64NVME');
  const sha = header(headers, 'x-amz-content-sha256');
  const verifySha = sha !== undefined && HEX_SHA256.test(sha);
  if (verifySha) algorithms.add('SHA256');

  let source: IncomingMessage | AwsChunkedDecoder = req;
  let decoder: AwsChunkedDecoder | undefined;
  if (chunked) {
    decoder = new AwsChunkedDecoder(chunked);
    req.on('error', (err) => decoder!.destroy(err));
    req.pipe(decoder);
    source = decoder;
  }
  const expectedSize = chunked ? undefined : lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  let ref = await blobs.put(source, { algorithms: [...algorithms], expectedSize });
  if (verifySha) {
    // With aws-chunked the signed payload is the framing, not the object; only a plain body is checked.
    const computed = Buffer.from(ref.checksums.SHA256!, 'base64').toString('hex');
    if (!chunked && computed !== sha.toLowerCase()) {
      await blobs.delete(ref);
      throw sha256Mismatch(sha, computed);
    }
  }
  if (verifySha && !declared.has('SHA256')) {
    const checksums = { ...ref.checksums };
    delete checksums.SHA256;
    ref = { ...ref, checksums };
  }
  return { ref, trailers: decoder?.trailers ?? {} };
}

export interface DocumentBody {
  bytes: Buffer;
  trailers: Record<string, string>;
}

/** Reads a (small) document body whole, decoding aws-chunked if it came so. */
export async function readDocument(req: IncomingMessage, headers: Headers): Promise<DocumentBody> {
  const declared = Number(header(headers, 'content-length'));
  if (declared > MAX_DOCUMENT_BODY) throw bodyTooLarge();
  const chunked = awsChunkedOptions(headers);
  let source: AsyncIterable<Buffer> = req;
  let decoder: AwsChunkedDecoder | undefined;
  if (chunked) {
    decoder = new AwsChunkedDecoder(chunked);
    req.on('error', (err) => decoder!.destroy(err));
    req.pipe(decoder);
    source = decoder;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BODY) throw bodyTooLarge();
    chunks.push(chunk);
  }
  return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), trailers: decoder?.trailers ?? {} };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** S3 calls a Content-MD5 invalid when it is not base64 of at least a digest's 16 bytes, and bad when it differs. */
function validMd5Header(value: string): boolean {
  return BASE64.test(value) && Buffer.from(value, 'base64').length >= 16;
}

/**
 * Checks a document body against what the request says of it: Content-MD5 (InvalidDigest / BadDigest),
 * x-amz-checksum-* (InvalidRequest / BadDigest), a hex x-amz-content-sha256, and, for operations whose
 * model requires a checksum (DeleteObjects, PutBucketCors ...), that one was sent.
 */
export function verifyDocument(bytes: Buffer, headers: Headers, checks: { required: boolean; bodyChecksums: boolean }): void {
  const checksumRequired = checks.required;
  const md5 = header(headers, 'content-md5');
  let present = false;
  if (md5 !== undefined) {
    present = true;
    if (!validMd5Header(md5)) throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { fields: { 'Content-MD5': md5 } });
    const computed = createHash('md5').update(bytes).digest('base64');
    if (computed !== md5) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
        fields: { ExpectedDigest: md5, CalculatedDigest: computed },
      });
    }
  }
  for (const name in headers) {
    const algorithm = checks.bodyChecksums && name.startsWith('x-amz-checksum-') ? algorithmOfHeader(name) : undefined;
    if (!algorithm) continue;
    present = true;
    const value = header(headers, name)!;
    if (!isValidChecksum(algorithm, value)) throw new AwsError('InvalidRequest', `Value for ${name} header is invalid.`, 400);
    if (checksumOf(algorithm, bytes) !== value) {
      throw new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
    }
  }
  const sha = header(headers, 'x-amz-content-sha256');
  if (sha !== undefined && HEX_SHA256.test(sha) && !awsChunkedOptions(headers)) {
    const computed = createHash('sha256').update(bytes).digest('hex');
    if (computed !== sha.toLowerCase()) throw sha256Mismatch(sha, computed);
  }
  if (checksumRequired && !present) {
    throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-MD5', 400);
  }
}
