/**
 * The checksum algorithms S3 accepts in `x-amz-checksum-<algorithm>` headers and trailers, and what
 * each supports when a multipart upload combines part checksums (S3 User Guide, "Checking object
 * integrity": full-object checksums exist for the CRCs only, composite ones for all but CRC64NVME).
 */
export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Everything a Hasher computes: the S3 checksums, and MD5 for ETags and Content-MD5. */
export type DigestAlgorithm = ChecksumAlgorithm | 'MD5';

/** How a multipart object's checksum derives from its parts (`x-amz-checksum-type`). */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

/** The CRCs: their checksums of a concatenation can be computed from the parts' checksums and sizes. */
export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

/** Base64 checksums of one body, by algorithm: what S3 sends in `x-amz-checksum-*`. */
export type Checksums = Partial<Record<ChecksumAlgorithm, string>>;

const DIGEST_BYTES: Record<DigestAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32, MD5: 16 };

const TYPES: Record<ChecksumAlgorithm, readonly ChecksumType[]> = {
  CRC32: ['FULL_OBJECT', 'COMPOSITE'],
  CRC32C: ['FULL_OBJECT', 'COMPOSITE'],
  CRC64NVME: ['FULL_OBJECT'],
  SHA1: ['COMPOSITE'],
  SHA256: ['COMPOSITE'],
};

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

export function isCrcAlgorithm(algorithm: DigestAlgorithm): algorithm is CrcAlgorithm {
  return algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';
}

export function supportsChecksumType(algorithm: ChecksumAlgorithm, type: ChecksumType): boolean {
  return TYPES[algorithm].includes(type);
}

/** `x-amz-checksum-crc64nvme` for CRC64NVME: the header (or trailer) that carries the checksum. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm a `x-amz-checksum-*` header or trailer name carries (any case), if it names one. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith('x-amz-checksum-')) return undefined;
  const algorithm = lower.slice('x-amz-checksum-'.length).toUpperCase();
  return isChecksumAlgorithm(algorithm) ? algorithm : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether `value` is a well-formed checksum for the algorithm: canonical base64 of exactly the
 * digest's length. S3 answers a malformed one with InvalidRequest, a wrong one with BadDigest.
 */
export function isValidChecksum(algorithm: DigestAlgorithm, value: string): boolean {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === DIGEST_BYTES[algorithm] && bytes.toString('base64') === value;
}
