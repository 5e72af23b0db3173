/**
 * CRC-64/NVME, table-driven slice-by-8 on two 32-bit halves (JavaScript bit operations are 32-bit):
 * about 3× `@aws-sdk/crc64-nvme` (measured 1.1 GB/s against 370 MB/s), and synchronous.
 */

/** Reflected NVMe polynomial. */
export const CRC64NVME_POLY = 0x9a6c9329ac4bc9b5n;

const SLICES = 8;
const POLY_LO = Number(CRC64NVME_POLY & 0xffffffffn) | 0;
const POLY_HI = Number(CRC64NVME_POLY >> 32n) | 0;

/** LO[k][b], HI[k][b]: halves of the CRC register after byte b is followed by k zero bytes. */
const [LO, HI] = (() => {
  const lo: Int32Array[] = [new Int32Array(256)];
  const hi: Int32Array[] = [new Int32Array(256)];
  for (let b = 0; b < 256; b++) {
    let l = b;
    let h = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = (l >>> 1) | (h << 31);
      h >>>= 1;
      if (carry) {
        l ^= POLY_LO;
        h ^= POLY_HI;
      }
    }
    lo[0][b] = l;
    hi[0][b] = h;
  }
  for (let k = 1; k < SLICES; k++) {
    const pl = lo[k - 1];
    const ph = hi[k - 1];
    const l = new Int32Array(256);
    const h = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const x = pl[b] & 255;
      l[b] = ((pl[b] >>> 8) | (ph[b] << 24)) ^ lo[0][x];
      h[b] = (ph[b] >>> 8) ^ hi[0][x];
    }
    lo.push(l);
    hi.push(h);
  }
  return [lo, hi];
})();

const [L0, L1, L2, L3, L4, L5, L6, L7] = LO;
const [H0, H1, H2, H3, H4, H5, H6, H7] = HI;

/** The CRC-64/NVME of `data` continuing from `crc` (the checksum of what came before; 0n to start). */
export function crc64nvme(data: Uint8Array, crc = 0n): bigint {
  let lo = ~Number(crc & 0xffffffffn);
  let hi = ~Number(crc >> 32n);
  const n = data.length;
  const view = new DataView(data.buffer, data.byteOffset, n);
  const blocks = n - (n % SLICES);
  let i = 0;
  for (; i < blocks; i += SLICES) {
    const a = lo ^ view.getInt32(i, true);
    const d = hi ^ view.getInt32(i + 4, true);
    const a0 = a & 255, a1 = (a >>> 8) & 255, a2 = (a >>> 16) & 255, a3 = a >>> 24;
    const d0 = d & 255, d1 = (d >>> 8) & 255, d2 = (d >>> 16) & 255, d3 = d >>> 24;
    lo = L7[a0] ^ L6[a1] ^ L5[a2] ^ L4[a3] ^ L3[d0] ^ L2[d1] ^ L1[d2] ^ L0[d3];
    hi = H7[a0] ^ H6[a1] ^ H5[a2] ^ H4[a3] ^ H3[d0] ^ H2[d1] ^ H1[d2] ^ H0[d3];
  }
  for (; i < n; i++) {
    const x = (lo ^ data[i]) & 255;
    lo = ((lo >>> 8) | (hi << 24)) ^ L0[x];
    hi = (hi >>> 8) ^ H0[x];
  }
  return (BigInt(~hi >>> 0) << 32n) | BigInt(~lo >>> 0);
}
