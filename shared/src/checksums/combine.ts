import type { CrcAlgorithm } from './algorithms.js';
import { CRC32C_POLY } from './crc32c.js';
import { CRC64NVME_POLY } from './crc64nvme.js';

/**
 * CRC of a concatenation from the CRCs of its pieces and their lengths, without the bytes:
 * crc(A‖B) = crc(A)·x^(8·|B|) mod P  ⊕  crc(B). The pre- and post-inversions of these CRCs cancel
 * out in that identity (the same reasoning as zlib's crc32_combine). Polynomials are bit-reflected,
 * so x^0 is the register's top bit.
 */
interface CrcField {
  readonly width: number;
  readonly poly: bigint;
  /** x^0 in the reflected representation. */
  readonly one: bigint;
  /** powers[k] = x^(2^k) mod P. */
  readonly powers: bigint[];
}

const FIELDS = new Map<CrcAlgorithm, CrcField>();

function field(algorithm: CrcAlgorithm): CrcField {
  let f = FIELDS.get(algorithm);
  if (!f) {
    const width = algorithm === 'CRC64NVME' ? 64 : 32;
    const poly = algorithm === 'CRC64NVME' ? CRC64NVME_POLY : BigInt(algorithm === 'CRC32C' ? CRC32C_POLY : 0xedb88320);
    const one = 1n << BigInt(width - 1);
    f = { width, poly, one, powers: [one >> 1n] };
    // Lengths up to 2^53 bytes are 2^56 bits: 57 squarings cover them.
    for (let k = 1; k < 60; k++) f.powers.push(multiply(f, f.powers[k - 1], f.powers[k - 1]));
    FIELDS.set(algorithm, f);
  }
  return f;
}

/** a·b mod P in GF(2)[x]. */
function multiply(f: CrcField, a: bigint, b: bigint): bigint {
  let product = 0n;
  for (let m = f.one; m !== 0n; m >>= 1n) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    b = b & 1n ? (b >> 1n) ^ f.poly : b >> 1n;
  }
  return product;
}

/** x^(8·bytes) mod P: the shift that appending `bytes` bytes applies to a CRC. */
function shiftFor(f: CrcField, bytes: number): bigint {
  let result = f.one;
  let n = BigInt(bytes);
  for (let k = 3; n > 0n; k++, n >>= 1n) if (n & 1n) result = multiply(f, f.powers[k], result);
  return result;
}

/** The CRC of A‖B from crc(A), crc(B) and B's length in bytes. */
export function crcCombine(algorithm: CrcAlgorithm, crcA: bigint, crcB: bigint, lengthB: number): bigint {
  const f = field(algorithm);
  return multiply(f, shiftFor(f, lengthB), crcA) ^ crcB;
}

/** One piece of a concatenation: its base64 CRC (as S3 sends it) and its length in bytes. */
export interface CrcPart {
  checksum: string;
  size: number;
}

/**
 * The base64 CRC of the concatenation of `parts`, in order: a multipart object's FULL_OBJECT checksum
 * from its parts' checksums, with no byte re-read.
 */
export function combineCrcs(algorithm: CrcAlgorithm, parts: readonly CrcPart[]): string {
  const f = field(algorithm);
  const bytes = f.width / 8;
  // Parts but the last usually share a size: compute each distinct shift once.
  const shifts = new Map<number, bigint>();
  let crc = 0n;
  for (const part of parts) {
    const raw = Buffer.from(part.checksum, 'base64');
    if (raw.length !== bytes) throw new Error(`not a ${algorithm} checksum: ${part.checksum}`);
    let shift = shifts.get(part.size);
    if (shift === undefined) shifts.set(part.size, (shift = shiftFor(f, part.size)));
    crc = multiply(f, shift, crc) ^ BigInt('0x' + raw.toString('hex'));
  }
  const out = Buffer.alloc(bytes);
  if (bytes === 8) out.writeBigUInt64BE(crc);
  else out.writeUInt32BE(Number(crc));
  return out.toString('base64');
}
