import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Checksums, DigestAlgorithm } from './algorithms.js';
import { crc32c } from './crc32c.js';
import { crc64nvme } from './crc64nvme.js';

/** A streaming digest: feed it a body chunk by chunk, then read the result once the body ends. */
export interface Hasher {
  readonly algorithm: DigestAlgorithm;
  update(chunk: Uint8Array): void;
  /** The raw digest, CRCs as big-endian integers (as S3 encodes them). Ends the hasher. */
  bytes(): Buffer;
  /** bytes() in base64: the form of `x-amz-checksum-*` and Content-MD5. */
  digest(): string;
  /** bytes() in lowercase hex: the form of an ETag. */
  hex(): string;
}

abstract class BaseHasher implements Hasher {
  private result?: Buffer;
  abstract readonly algorithm: DigestAlgorithm;
  abstract update(chunk: Uint8Array): void;
  protected abstract finish(): Buffer;

  bytes(): Buffer {
    return (this.result ??= this.finish());
  }
  digest(): string {
    return this.bytes().toString('base64');
  }
  hex(): string {
    return this.bytes().toString('hex');
  }
}

const NODE_NAMES = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256' } as const;

class CryptoHasher extends BaseHasher {
  private readonly hash: Hash;
  constructor(readonly algorithm: keyof typeof NODE_NAMES) {
    super();
    this.hash = createHash(NODE_NAMES[algorithm]);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  protected finish(): Buffer {
    return this.hash.digest();
  }
}

class Crc32Hasher extends BaseHasher {
  private crc = 0;
  constructor(
    readonly algorithm: 'CRC32' | 'CRC32C',
    private readonly step: (data: Uint8Array, crc: number) => number,
  ) {
    super();
  }
  update(chunk: Uint8Array): void {
    this.crc = this.step(chunk, this.crc);
  }
  protected finish(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.crc);
    return out;
  }
}

class Crc64NvmeHasher extends BaseHasher {
  readonly algorithm = 'CRC64NVME';
  private crc = 0n;
  update(chunk: Uint8Array): void {
    this.crc = crc64nvme(chunk, this.crc);
  }
  protected finish(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeBigUInt64BE(this.crc);
    return out;
  }
}

export function createHasher(algorithm: DigestAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      // Native (zlib): several GB/s.
      return new Crc32Hasher('CRC32', crc32);
    case 'CRC32C':
      return new Crc32Hasher('CRC32C', crc32c);
    case 'CRC64NVME':
      return new Crc64NvmeHasher();
    default:
      return new CryptoHasher(algorithm);
  }
}

/** The base64 digest of a whole buffer, as `x-amz-checksum-*` carries it. */
export function checksumOf(algorithm: DigestAlgorithm, data: Uint8Array): string {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest();
}

/** Several hashers fed the same chunks: one pass over a body computes every digest asked for. */
export class Hashers {
  private readonly hashers: Hasher[];

  constructor(algorithms: Iterable<DigestAlgorithm>) {
    this.hashers = [...new Set(algorithms)].map(createHasher);
  }

  update(chunk: Uint8Array): void {
    for (const h of this.hashers) h.update(chunk);
  }

  get(algorithm: DigestAlgorithm): Hasher | undefined {
    return this.hashers.find((h) => h.algorithm === algorithm);
  }

  /** Base64 digests of the S3 checksum algorithms among them (MD5 left out: see get('MD5')). */
  checksums(): Checksums {
    const out: Checksums = {};
    for (const h of this.hashers) if (h.algorithm !== 'MD5') out[h.algorithm] = h.digest();
    return out;
  }
}
