import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../src/errors.js';
import { checksumOf } from '../src/checksums/index.js';
import { AwsChunkedDecoder, type AwsChunkedOptions, awsChunkedOptions, withoutAwsChunked } from '../src/streams/index.js';

interface Decoded {
  data: Buffer;
  decoder: AwsChunkedDecoder;
}

/** Feeds `pieces` to a decoder as separate writes; resolves with what came out, or rejects. */
async function decode(pieces: Buffer[], options: AwsChunkedOptions, out: Buffer[] = []): Promise<Decoded> {
  const decoder = new AwsChunkedDecoder(options);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  await pipeline(Readable.from(pieces, { objectMode: false }), decoder, sink);
  return { data: Buffer.concat(out), decoder };
}

/** Rejects with the AwsError a body should produce; returns it for further checks. */
async function decodeError(pieces: Buffer[], options: AwsChunkedOptions, code: string, out: Buffer[] = []): Promise<AwsError> {
  const err = await decode(pieces, options, out).then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AwsError, `expected an AwsError, got ${String(err)}`);
  assert.equal(err.code, code);
  assert.equal(err.status, 400);
  return err;
}

interface BodySpec {
  signatures?: string[];
  trailers?: string[];
}

/** An aws-chunked body: `chunks` of data, the final empty chunk, the trailer lines, the blank line. */
function frame(chunks: Buffer[], { signatures, trailers = [] }: BodySpec = {}): Buffer {
  const sig = (i: number) => (signatures ? `;chunk-signature=${signatures[i]}` : '');
  const parts: Buffer[] = [];
  chunks.forEach((c, i) => parts.push(Buffer.from(`${c.length.toString(16)}${sig(i)}\r\n`), c, Buffer.from('\r\n')));
  parts.push(Buffer.from(`0${sig(chunks.length)}\r\n${trailers.map((t) => `${t}\r\n`).join('')}\r\n`));
  return Buffer.concat(parts);
}

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSplit(body: Buffer, random: () => number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    // Mostly small pieces (to cut through framing), sometimes big ones (to cross whole chunks).
    const n = random() < 0.8 ? Math.floor(random() * 8) : Math.floor(random() * 70_000);
    pieces.push(body.subarray(at, at + n));
    at += n;
  }
  return pieces;
}

function byteByByte(body: Buffer): Buffer[] {
  return Array.from({ length: body.length }, (_, i) => body.subarray(i, i + 1));
}

// The worked examples of the S3 API Reference, "Signature Calculations for the Authorization Header:
// Transferring Payload in Multiple Chunks" and "… Including Trailing Headers": 66,560 bytes of 'a'
// sent as a 64 KiB chunk and a 1 KiB chunk.
const DOC_DATA = Buffer.alloc(66_560, 'a');
const DOC_CHUNKS = [DOC_DATA.subarray(0, 65_536), DOC_DATA.subarray(65_536)];
const DOC_SIGNED = frame(DOC_CHUNKS, {
  signatures: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
});
const DOC_SIGNED_TRAILER = frame(DOC_CHUNKS, {
  signatures: [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ],
  trailers: ['x-amz-checksum-crc32c:sOO8/Q==', 'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435'],
});
// What the SDKs send by default since early 2025 (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
const UNSIGNED_DATA = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251));
const UNSIGNED_TRAILER = frame([UNSIGNED_DATA.subarray(0, 8192), UNSIGNED_DATA.subarray(8192, 16_384), UNSIGNED_DATA.subarray(16_384)], {
  trailers: [`x-amz-checksum-crc64nvme:${checksumOf('CRC64NVME', UNSIGNED_DATA)}`],
});

const SIGNED: AwsChunkedOptions = { signed: true, decodedContentLength: 66_560 };
const SIGNED_TRAILER: AwsChunkedOptions = { signed: true, decodedContentLength: 66_560, trailer: 'x-amz-checksum-crc32c' };
const UNSIGNED: AwsChunkedOptions = { signed: false, decodedContentLength: 20_000, trailer: 'x-amz-checksum-crc64nvme' };

const CASES = [
  { name: 'signed (AWS example)', body: DOC_SIGNED, options: SIGNED, data: DOC_DATA, trailers: {} },
  { name: 'signed with trailer (AWS example)', body: DOC_SIGNED_TRAILER, options: SIGNED_TRAILER, data: DOC_DATA, trailers: { 'x-amz-checksum-crc32c': 'sOO8/Q==' } },
  {
    name: 'unsigned with trailer',
    body: UNSIGNED_TRAILER,
    options: UNSIGNED,
    data: UNSIGNED_DATA,
    trailers: { 'x-amz-checksum-crc64nvme': checksumOf('CRC64NVME', UNSIGNED_DATA) },
  },
];

describe('aws-chunked decoder', () => {
  for (const c of CASES) {
    it(`${c.name}: whole, byte by byte and in random splits`, async () => {
      const splits = [[c.body], byteByByte(c.body)];
      const random = prng(c.body.length);
      for (let i = 0; i < 30; i++) splits.push(randomSplit(c.body, random));
      for (const pieces of splits) {
        const { data, decoder } = await decode(pieces, c.options);
        assert.ok(data.equals(c.data), `data differs when split in ${pieces.length}`);
        assert.deepEqual(decoder.trailers, c.trailers);
        assert.equal(decoder.decodedLength, c.data.length);
      }
    });
  }

  it('keeps the trailer signature apart from the trailers', async () => {
    const { decoder } = await decode([DOC_SIGNED_TRAILER], SIGNED_TRAILER);
    assert.equal(decoder.trailerSignature, 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435');
    assert.equal(checksumOf('CRC32C', DOC_DATA), decoder.trailers['x-amz-checksum-crc32c']);
  });

  it('accepts SigV4a (ECDSA) signatures, which are longer', async () => {
    const ecdsa = '3045022100' + 'ab'.repeat(32) + '0220' + 'cd'.repeat(32);
    const body = frame([Buffer.from('hello')], { signatures: [ecdsa, ecdsa] });
    assert.equal((await decode([body], { signed: true })).data.toString(), 'hello');
  });

  it('decodes an empty body and a body without declared length or trailers', async () => {
    assert.equal((await decode([Buffer.from('0\r\n\r\n')], { signed: false, decodedContentLength: 0 })).data.length, 0);
    const body = frame([Buffer.alloc(9000, 1), Buffer.from('tail')]);
    assert.equal((await decode([body], { signed: false })).data.length, 9004);
  });

  it('an unsigned body may still carry chunk signatures; a signed one must', async () => {
    const signed = frame([Buffer.from('hello')], { signatures: ['aa', 'bb'] });
    assert.equal((await decode([signed], { signed: false })).data.toString(), 'hello');
    await decodeError([frame([Buffer.from('hello')])], { signed: true }, 'IncompleteBody');
  });

  describe('rejects bad framing with IncompleteBody', () => {
    const bad: [string, string, boolean][] = [
      ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n', false],
      ['an empty size line', '\r\nhello\r\n0\r\n\r\n', false],
      ['a size line ending in LF alone', '50\nhello\r\n0\r\n\r\n', false],
      ['a trailer line ending in LF alone', '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\n\r\n', false],
      ['data longer than its size', '5\r\nhello!\r\n0\r\n\r\n', false],
      ['data without its CRLF', '5\r\nhello0\r\n\r\n', false],
      ['an unknown chunk extension', '5;foo=bar\r\nhello\r\n0\r\n\r\n', false],
      ['a signature that is not hex', '5;chunk-signature=xyz\r\nhello\r\n0;chunk-signature=ab\r\n\r\n', true],
      ['an empty signature', '5;chunk-signature=\r\nhello\r\n0;chunk-signature=ab\r\n\r\n', true],
      ['bytes after the end', '5\r\nhello\r\n0\r\n\r\nextra', false],
      ['no final blank line', '5\r\nhello\r\n0\r\n', false],
      ['no final chunk', '5\r\nhello\r\n', false],
      ['a body cut in its data', '5\r\nhel', false],
    ];
    for (const [name, body, signed] of bad) {
      it(name, async () => {
        await decodeError([Buffer.from(body)], { signed }, 'IncompleteBody');
        await decodeError(byteByByte(Buffer.from(body)), { signed }, 'IncompleteBody');
      });
    }

    it('every truncation of a valid body', async () => {
      const body = frame([Buffer.alloc(8192, 7), Buffer.from('end')], { trailers: ['x-amz-checksum-crc32:AAAAAA=='] });
      const cuts = [...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => body.length - 1 - i), 8195, 8200];
      for (const cut of cuts) await decodeError([body.subarray(0, cut)], { signed: false }, 'IncompleteBody');
    });

    it('a header line that never ends', async () => {
      await decodeError([Buffer.from('5;chunk-signature=' + 'a'.repeat(5000))], { signed: true }, 'IncompleteBody');
    });
  });

  it('rejects a chunk under 8 KiB that is not the last, as S3 does (InvalidChunkSizeError)', async () => {
    const small = frame([Buffer.from('abc'), Buffer.from('de')]);
    const err = await decodeError([small], { signed: false }, 'InvalidChunkSizeError');
    assert.deepEqual(err.fields, { Chunk: 2, BadChunkSize: 3 });
    assert.equal(err.message, 'Only the last chunk is allowed to have a size less than 8192 bytes');
    const later = frame([Buffer.alloc(8192), Buffer.alloc(8191), Buffer.alloc(10)]);
    assert.deepEqual((await decodeError([later], { signed: false }, 'InvalidChunkSizeError')).fields, { Chunk: 3, BadChunkSize: 8191 });
    // 8192 bytes is enough, and the last data chunk may be as small as it likes.
    assert.equal((await decode([frame([Buffer.alloc(8192), Buffer.alloc(1)])], { signed: false })).data.length, 8193);
  });

  describe('checks x-amz-decoded-content-length', () => {
    it('a longer body fails with the counts, and no byte past the declared length comes out', async () => {
      const out: Buffer[] = [];
      const err = await decodeError([Buffer.from('5\r\nhello\r\n0\r\n\r\n')], { signed: false, decodedContentLength: 3 }, 'IncompleteBody', out);
      assert.deepEqual(err.fields, { NumberBytesExpected: 3, NumberBytesProvided: 5 });
      assert.equal(err.message, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
      assert.ok(Buffer.concat(out).length <= 3);
    });
    it('a shorter body fails with the counts', async () => {
      const err = await decodeError([Buffer.from('5\r\nhello\r\n0\r\n\r\n')], { signed: false, decodedContentLength: 10 }, 'IncompleteBody');
      assert.deepEqual(err.fields, { NumberBytesExpected: 10, NumberBytesProvided: 5 });
    });
  });

  describe('rejects bad trailers with MalformedTrailerError', () => {
    const data = [Buffer.from('hello')];
    const cases: [string, Buffer, AwsChunkedOptions][] = [
      ['an announced trailer that never came', frame(data), { signed: false, trailer: 'x-amz-checksum-crc32' }],
      ['another trailer than the announced one', frame(data, { trailers: ['x-amz-checksum-sha256:abc='] }), { signed: false, trailer: 'x-amz-checksum-crc32' }],
      ['a trailer line without a colon', frame(data, { trailers: ['x-amz-checksum-crc32 AAAAAA=='] }), { signed: false }],
      ['a trailer without a name', frame(data, { trailers: [':AAAAAA=='] }), { signed: false }],
      [
        'a signed body whose trailers are not signed',
        frame(data, { signatures: ['aa', 'bb'], trailers: ['x-amz-checksum-crc32:NhCmhg=='] }),
        { signed: true, trailer: 'x-amz-checksum-crc32' },
      ],
      [
        'a trailer signature that is not hex',
        frame(data, { trailers: ['x-amz-checksum-crc32:NhCmhg==', 'x-amz-trailer-signature:nope'] }),
        { signed: false, trailer: 'x-amz-checksum-crc32' },
      ],
    ];
    for (const [name, body, options] of cases) it(name, () => decodeError([body], options, 'MalformedTrailerError').then(() => undefined));

    it('names are matched without regard to case, values trimmed', async () => {
      const body = frame(data, { trailers: ['X-Amz-Checksum-CRC32: NhCmhg== '] });
      const { decoder } = await decode([body], { signed: false, trailer: 'x-amz-checksum-crc32' });
      assert.deepEqual(decoder.trailers, { 'x-amz-checksum-crc32': 'NhCmhg==' });
    });
  });
});

describe('awsChunkedOptions', () => {
  it('leaves plain bodies alone', () => {
    assert.equal(awsChunkedOptions({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), undefined);
    assert.equal(awsChunkedOptions({ 'content-encoding': 'gzip' }), undefined);
  });
  it('recognises every streaming variant and the bare Content-Encoding', () => {
    assert.deepEqual(
      awsChunkedOptions({
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '20000',
        'x-amz-trailer': 'x-amz-checksum-crc64nvme',
      }),
      { signed: false, decodedContentLength: 20_000, trailer: 'x-amz-checksum-crc64nvme' },
    );
    assert.equal(awsChunkedOptions({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' })?.signed, true);
    assert.equal(awsChunkedOptions({ 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER' })?.signed, true);
    // Java SDK v2 style: aws-chunked beside another coding, with an unsigned payload hash.
    assert.deepEqual(awsChunkedOptions({ 'content-encoding': 'gzip, aws-chunked', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), {
      signed: false,
      decodedContentLength: undefined,
      trailer: undefined,
    });
  });
  it('takes a body with a hex x-amz-content-sha256 as plain, whatever its Content-Encoding says', () => {
    const hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    assert.equal(awsChunkedOptions({ 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': hex }), undefined);
    assert.equal(awsChunkedOptions({ 'content-encoding': 'gzip, aws-chunked', 'x-amz-content-sha256': hex }), undefined);
    // ...unless the decoded length says it is framed.
    assert.equal(awsChunkedOptions({ 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': hex, 'x-amz-decoded-content-length': '3' })?.decodedContentLength, 3);
  });
  it('ignores a decoded length that is not a number', () => {
    assert.equal(awsChunkedOptions({ 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '12abc' })?.decodedContentLength, undefined);
  });
  it('withoutAwsChunked keeps the other content codings', () => {
    assert.equal(withoutAwsChunked('aws-chunked'), undefined);
    assert.equal(withoutAwsChunked(undefined), undefined);
    assert.equal(withoutAwsChunked('gzip,aws-chunked'), 'gzip');
    assert.equal(withoutAwsChunked('AWS-CHUNKED, br'), 'br');
  });
});
