// Written by scripts/crc64nvme-wasm.mjs (which says how the algorithm works): do not edit.
/* The WebAssembly text of CRC64NVME_WASM:
(module
  (memory (export "memory") 2)
  ;; update(crc, len): the CRC-64/NVME of the len bytes at 65536, continuing from crc (0 to start).
  (func (export "update") (param $crc i64) (param $len i32) (result i64)
    (local $p i32) (local $end i32) (local $x i64) (local $y i64)
    (local.set $crc (i64.xor (local.get $crc) (i64.const -1)))
    (local.set $p (i32.const 65536))
    (local.set $end (i32.add (i32.const 65536) (i32.and (local.get $len) (i32.const -16))))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (i64.xor (local.get $crc) (i64.load (local.get $p))))
        (local.set $y (i64.load offset=8 (local.get $p)))
        (local.set $crc
          (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.xor (i64.load offset=30720 (i32.shl (i32.and (i32.wrap_i64 (local.get $x)) (i32.const 255)) (i32.const 3)))
          (i64.load offset=28672 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 8))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=26624 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 16))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=24576 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 24))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=22528 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=20480 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 40))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=18432 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 48))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=16384 (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 56))) (i32.const 3))))
          (i64.load offset=14336 (i32.shl (i32.and (i32.wrap_i64 (local.get $y)) (i32.const 255)) (i32.const 3))))
          (i64.load offset=12288 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 8))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=10240 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 16))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=8192 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 24))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=6144 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 32))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=4096 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 40))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=2048 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 48))) (i32.const 255)) (i32.const 3))))
          (i64.load offset=0 (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 56))) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)))
    ;; The last len % 16 bytes, one at a time.
    (local.set $end (i32.add (i32.const 65536) (local.get $len)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $crc
          (i64.xor (i64.shr_u (local.get $crc) (i64.const 8))
            (i64.load (i32.shl (i32.and (i32.xor (i32.wrap_i64 (local.get $crc)) (i32.load8_u (local.get $p))) (i32.const 255)) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (i64.xor (local.get $crc) (i64.const -1))))
*/

/** Offset of the input in the module's memory; the tables fill the bytes before it. */
export const CRC64NVME_WASM_INPUT = 65536;
/** Tables of 256 i64 entries, table k at k * 2048 bytes. */
export const CRC64NVME_WASM_TABLES = 16;
export const CRC64NVME_WASM = 'AGFzbQEAAAABBwFgAn5/AX4DAgEABQMBAAIHEwIGbWVtb3J5AgAGdXBkYXRlAAAKogMBnwMCAn8CfiAAQn+FIQBBgIAEIQJBgIAEIAFBcHFqIQMCQANAIAIgA08NASAAIAIpAwCFIQQgAikDCCEFIASnQf8BcUEDdCkDgPABIARCCIinQf8BcUEDdCkDgOABhSAEQhCIp0H/AXFBA3QpA4DQAYUgBEIYiKdB/wFxQQN0KQOAwAGFIARCIIinQf8BcUEDdCkDgLABhSAEQiiIp0H/AXFBA3QpA4CgAYUgBEIwiKdB/wFxQQN0KQOAkAGFIARCOIinQQN0KQOAgAGFIAWnQf8BcUEDdCkDgHCFIAVCCIinQf8BcUEDdCkDgGCFIAVCEIinQf8BcUEDdCkDgFCFIAVCGIinQf8BcUEDdCkDgECFIAVCIIinQf8BcUEDdCkDgDCFIAVCKIinQf8BcUEDdCkDgCCFIAVCMIinQf8BcUEDdCkDgBCFIAVCOIinQQN0KQMAhSEAIAJBEGohAgwACwtBgIAEIAFqIQMCQANAIAIgA08NASAAQgiIIACnIAItAABzQf8BcUEDdCkDAIUhACACQQFqIQIMAAsLIABCf4UL';
