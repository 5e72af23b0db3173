#!/usr/bin/env node
// Writes shared/src/checksums/crc64nvme-wasm.ts: the WebAssembly module behind crc64nvme(), as base64, with
// the WebAssembly text it is assembled from. S3 computes a CRC-64/NVME of every object body, so this runs
// over every byte uploaded; in WebAssembly the 64-bit CRC register and table entries are native, which
// makes it about 3.5 times the JavaScript slice-by-8 on two 32-bit halves it replaced.
//
// The algorithm is slice-by-16 over a reflected 64-bit register: sixteen 256-entry tables of i64, where
// table k holds the CRC of a byte followed by k zero bytes. Each step xors 16 input bytes into the register
// (the first 8 into it, the next 8 stand alone) and replaces it by the xor of one entry per byte.
// Memory: the tables from 0 (table k at k * 2048, filled by crc64nvme.ts at load), the input at 65536.
//
// Run by hand after changing the text below, with the wabt npm package installed outside the project:
//   npm install --prefix /tmp/wabt wabt && WABT_DIR=/tmp/wabt node scripts/crc64nvme-wasm.mjs
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TABLES = 16;
const TABLE_BYTES = 256 * 8;
const INPUT = 65536;

/** The entry of table `k` for byte `byte` (0 = lowest) of the i64 in `local`. */
const entry = (local, byte, k) => {
  const shifted = byte === 0 ? `(local.get ${local})` : `(i64.shr_u (local.get ${local}) (i64.const ${byte * 8}))`;
  const index = byte === 7 ? `(i32.wrap_i64 ${shifted})` : `(i32.and (i32.wrap_i64 ${shifted}) (i32.const 255))`;
  return `(i64.load offset=${k * TABLE_BYTES} (i32.shl ${index} (i32.const 3)))`;
};

// Byte j of the 16 is followed by 15 - j more: it takes table 15 - j.
const entries = [];
for (let j = 0; j < 16; j++) entries.push(entry(j < 8 ? '$x' : '$y', j % 8, TABLES - 1 - j));
const xorAll = entries.slice(1).reduce((acc, e) => `(i64.xor ${acc}\n          ${e})`, entries[0]);

const wat = `(module
  (memory (export "memory") 2)
  ;; update(crc, len): the CRC-64/NVME of the len bytes at ${INPUT}, continuing from crc (0 to start).
  (func (export "update") (param $crc i64) (param $len i32) (result i64)
    (local $p i32) (local $end i32) (local $x i64) (local $y i64)
    (local.set $crc (i64.xor (local.get $crc) (i64.const -1)))
    (local.set $p (i32.const ${INPUT}))
    (local.set $end (i32.add (i32.const ${INPUT}) (i32.and (local.get $len) (i32.const -16))))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (i64.xor (local.get $crc) (i64.load (local.get $p))))
        (local.set $y (i64.load offset=8 (local.get $p)))
        (local.set $crc
          ${xorAll})
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)))
    ;; The last len % 16 bytes, one at a time.
    (local.set $end (i32.add (i32.const ${INPUT}) (local.get $len)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $crc
          (i64.xor (i64.shr_u (local.get $crc) (i64.const 8))
            (i64.load (i32.shl (i32.and (i32.xor (i32.wrap_i64 (local.get $crc)) (i32.load8_u (local.get $p))) (i32.const 255)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (i64.xor (local.get $crc) (i64.const -1))))
`;

const wabtDir = process.env.WABT_DIR;
if (!wabtDir) {
  console.error('set WABT_DIR to a directory where the wabt npm package is installed (npm install --prefix /tmp/wabt wabt)');
  process.exit(2);
}
const wabt = await createRequire(join(wabtDir, 'package.json'))('wabt')();
const module = wabt.parseWat('crc64nvme.wat', wat);
module.validate();
const { buffer } = module.toBinary({});

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'src', 'checksums', 'crc64nvme-wasm.ts');
writeFileSync(
  out,
  `// Written by scripts/crc64nvme-wasm.mjs (which says how the algorithm works): do not edit.
/* The WebAssembly text of CRC64NVME_WASM:
${wat}*/

/** Offset of the input in the module's memory; the tables fill the bytes before it. */
export const CRC64NVME_WASM_INPUT = ${INPUT};
/** Tables of 256 i64 entries, table k at k * 2048 bytes. */
export const CRC64NVME_WASM_TABLES = ${TABLES};
export const CRC64NVME_WASM = '${Buffer.from(buffer).toString('base64')}';
`,
);
console.log(`wrote ${out} (${buffer.length} bytes of WebAssembly)`);
