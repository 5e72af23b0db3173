import { createHash } from 'node:crypto';
import type { ChecksumAlgorithm } from './algorithms.js';
import { createHasher } from './hasher.js';

/** S3's ETag of a multipart object (unquoted): hex MD5 of the parts' binary MD5s, then `-<part count>`. */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  const md5 = createHash('md5');
  for (const hex of partMd5Hex) md5.update(Buffer.from(hex, 'hex'));
  return `${md5.digest('hex')}-${partMd5Hex.length}`;
}

/**
 * A multipart object's COMPOSITE checksum: the algorithm applied to the concatenated raw checksums of
 * its parts, in base64, then `-<part count>`.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const hasher = createHasher(algorithm);
  for (const checksum of partChecksums) hasher.update(Buffer.from(checksum, 'base64'));
  return `${hasher.digest()}-${partChecksums.length}`;
}
