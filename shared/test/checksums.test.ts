import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc32c as AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme as SdkCrc64Nvme } from '@aws-sdk/crc64-nvme';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  type CrcAlgorithm,
  Hashers,
  algorithmOfHeader,
  checksumHeader,
  checksumOf,
  combineCrcs,
  compositeChecksum,
  crc32c,
  crc64nvme,
  crcCombine,
  createHasher,
  isValidChecksum,
  multipartEtag,
  supportsChecksumType,
} from '../src/checksums/index.js';

// Vectors shared by the AWS SDKs' flexible-checksum tests (JS v3, Java v2, .NET, botocore).
const VECTORS: Record<string, Record<ChecksumAlgorithm, string>> = {
  '': {
    CRC32: 'AAAAAA==',
    CRC32C: 'AAAAAA==',
    CRC64NVME: 'AAAAAAAAAAA=',
    SHA1: '2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
    SHA256: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  },
  abc: {
    CRC32: 'NSRBwg==',
    CRC32C: 'Nks/tw==',
    CRC64NVME: 'BeXKuz/B+us=',
    SHA1: 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=',
    SHA256: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
  },
  'Hello world': {
    CRC32: 'i9aeUg==',
    CRC32C: 'crUfeA==',
    CRC64NVME: 'OOJZ0D8xKts=',
    SHA1: 'e1AsOh9IyGCa4hLN+2Od7jlnP14=',
    SHA256: 'ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=',
  },
};

/** A deterministic PRNG, so a failing split can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `data` at random points (pieces of 0..max bytes, unaligned offsets included). */
function randomPieces(data: Buffer, random: () => number, max: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const n = Math.floor(random() * max);
    pieces.push(data.subarray(at, at + n));
    at += n;
  }
  return pieces;
}

describe('checksum algorithms', () => {
  for (const [input, expected] of Object.entries(VECTORS)) {
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      it(`${algorithm} of ${JSON.stringify(input)} is ${expected[algorithm]}`, () => {
        assert.equal(checksumOf(algorithm, Buffer.from(input)), expected[algorithm]);
      });
    }
  }

  it('match the standard check values of "123456789"', () => {
    const check = Buffer.from('123456789');
    assert.equal(crc32c(check), 0xe3069283);
    assert.equal(crc64nvme(check), 0xae8b14860a799888n);
    assert.equal(createHasher('CRC32').hex(), '00000000');
    const h = createHasher('CRC32');
    h.update(check);
    assert.equal(h.hex(), 'cbf43926');
  });

  it('give MD5 in hex for ETags and base64 for Content-MD5', () => {
    const h = createHasher('MD5');
    h.update(Buffer.from('Hello world'));
    assert.equal(h.hex(), '3e25960a79dbc69b674cd4ec67a72c62');
    assert.equal(h.digest(), 'PiWWCnnbxptnTNTsZ6csYg==');
  });

  it('stream: any split of the input gives the one-shot digest', () => {
    const random = prng(7);
    const data = randomBytes(50_003);
    for (const algorithm of [...CHECKSUM_ALGORITHMS, 'MD5'] as const) {
      for (const max of [3, 17, 4099]) {
        const h = createHasher(algorithm);
        for (const piece of randomPieces(data, random, max)) h.update(piece);
        assert.equal(h.digest(), checksumOf(algorithm, data), `${algorithm} in pieces of up to ${max}`);
      }
    }
  });

  it('agree with @aws-crypto/crc32c and @aws-sdk/crc64-nvme on random data at odd offsets', async () => {
    const random = prng(11);
    for (let round = 0; round < 20; round++) {
      const data = randomBytes(1 + Math.floor(random() * 70_000)).subarray(Math.floor(random() * 9));
      const c = new AwsCrc32c();
      c.update(data);
      assert.equal(crc32c(data), c.digest());
      const n = new SdkCrc64Nvme();
      n.update(data);
      assert.equal(crc64nvme(data).toString(16).padStart(16, '0'), Buffer.from(await n.digest()).toString('hex'));
    }
  });

  it('Hashers computes several digests in one pass and reports the S3 ones', () => {
    const data = Buffer.from('Hello world');
    const hashers = new Hashers(['MD5', 'CRC64NVME', 'SHA256', 'CRC64NVME']);
    hashers.update(data.subarray(0, 4));
    hashers.update(data.subarray(4));
    assert.deepEqual(hashers.checksums(), { CRC64NVME: 'OOJZ0D8xKts=', SHA256: VECTORS['Hello world'].SHA256 });
    assert.equal(hashers.get('MD5')?.hex(), '3e25960a79dbc69b674cd4ec67a72c62');
    assert.equal(hashers.get('CRC32'), undefined);
  });

  it('validate checksum values by their base64 and length', () => {
    assert.ok(isValidChecksum('CRC32', 'i9aeUg=='));
    assert.ok(isValidChecksum('CRC64NVME', 'OOJZ0D8xKts='));
    assert.ok(isValidChecksum('SHA256', VECTORS.abc.SHA256));
    assert.ok(!isValidChecksum('CRC32', 'OOJZ0D8xKts='), 'a CRC64 is no CRC32');
    assert.ok(!isValidChecksum('CRC32', 'i9aeUg='), 'bad padding');
    assert.ok(!isValidChecksum('CRC32', 'i9ae Ug='), 'not base64');
    assert.ok(!isValidChecksum('CRC32', 'i9aeUh=='), 'non-canonical trailing bits');
    assert.ok(!isValidChecksum('SHA1', ''));
  });

  it('name headers and know which checksum types each algorithm supports', () => {
    assert.equal(checksumHeader('CRC64NVME'), 'x-amz-checksum-crc64nvme');
    assert.equal(algorithmOfHeader('X-Amz-Checksum-CRC32C'), 'CRC32C');
    assert.equal(algorithmOfHeader('x-amz-checksum-sha512'), undefined);
    assert.equal(algorithmOfHeader('x-amz-meta-crc32'), undefined);
    assert.ok(supportsChecksumType('CRC64NVME', 'FULL_OBJECT'));
    assert.ok(!supportsChecksumType('CRC64NVME', 'COMPOSITE'));
    assert.ok(supportsChecksumType('CRC32', 'COMPOSITE') && supportsChecksumType('CRC32C', 'FULL_OBJECT'));
    assert.ok(!supportsChecksumType('SHA256', 'FULL_OBJECT') && supportsChecksumType('SHA1', 'COMPOSITE'));
  });
});

const CRCS: CrcAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

function crcValue(algorithm: CrcAlgorithm, data: Buffer): bigint {
  if (algorithm === 'CRC64NVME') return crc64nvme(data);
  return BigInt(algorithm === 'CRC32' ? crc32(data) : crc32c(data));
}

describe('CRC combination (FULL_OBJECT checksums of multipart objects)', () => {
  it('crc(A‖B) from crc(A), crc(B) and |B|, empty pieces included', () => {
    const random = prng(3);
    for (const algorithm of CRCS) {
      for (const [a, b] of [[0, 0], [0, 5], [5, 0], [1, 1], [1000, 3], [17, 65_537]]) {
        const data = randomBytes(a + b);
        const whole = crcValue(algorithm, data);
        const combined = crcCombine(algorithm, crcValue(algorithm, data.subarray(0, a)), crcValue(algorithm, data.subarray(a)), b);
        assert.equal(combined, whole, `${algorithm} ${a}+${b}`);
      }
      const data = randomBytes(300_000);
      const pieces = randomPieces(data, random, 50_000);
      const parts = pieces.map((p) => ({ checksum: checksumOf(algorithm, p), size: p.length }));
      assert.equal(combineCrcs(algorithm, parts), checksumOf(algorithm, data), `${algorithm} of ${parts.length} parts`);
    }
  });

  it('handles part sizes beyond 4 GiB (lengths are not 32-bit)', () => {
    // Associativity across huge lengths: ((a‖b)‖c) = (a‖(b‖c)), with |b| = 5 GiB, |c| = 3 GiB + 1.
    for (const algorithm of CRCS) {
      const [a, b, c] = [11n, 0x1234n, 0xdeadn];
      const lb = 5 * 2 ** 30;
      const lc = 3 * 2 ** 30 + 1;
      const left = crcCombine(algorithm, crcCombine(algorithm, a, b, lb), c, lc);
      const right = crcCombine(algorithm, a, crcCombine(algorithm, b, c, lc), lb + lc);
      assert.equal(left, right, algorithm);
    }
  });

  it('rejects a checksum of the wrong algorithm', () => {
    assert.throws(() => combineCrcs('CRC64NVME', [{ checksum: 'i9aeUg==', size: 11 }]), /not a CRC64NVME checksum/);
  });
});

describe('multipart checksums', () => {
  it('COMPOSITE: the algorithm over the concatenated raw part checksums, then -N', () => {
    const parts = [Buffer.from('Hello '), Buffer.from('world')];
    for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
      const partChecksums = parts.map((p) => checksumOf(algorithm, p));
      const expected = checksumOf(algorithm, Buffer.concat(partChecksums.map((c) => Buffer.from(c, 'base64'))));
      assert.equal(compositeChecksum(algorithm, partChecksums), `${expected}-2`);
    }
  });

  it('ETag: MD5 of the concatenated binary part MD5s, then -N', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest();
    const expected = createHash('md5').update(Buffer.concat([md5('a'), md5('b'), md5('c')])).digest('hex');
    assert.equal(multipartEtag([md5('a'), md5('b'), md5('c')].map((b) => b.toString('hex'))), `${expected}-3`);
  });
});
