import { Transform, type TransformCallback } from 'node:stream';
import { incompleteBody, invalidChunkSize, lengthMismatch, malformedTrailer } from './body-errors.js';

/**
 * Decoder for `aws-chunked` request bodies (S3 "SigV4 streaming" and the SDKs' checksum trailers):
 *
 *   <hex size>[;chunk-signature=<hex>]\r\n <size bytes> \r\n      repeated; every chunk but the last ≥ 8 KiB
 *   0[;chunk-signature=<hex>]\r\n
 *   <name>:<value>\r\n                                           trailers, if any (x-amz-checksum-*,
 *   \r\n                                                         x-amz-trailer-signature)
 *
 * Network reads never line up with this framing, so the decoder is a byte-level state machine that
 * passes data through as slices of its input (no copies). Signatures are parsed, not verified:
 * Stratus accepts any credentials.
 */

/** Options, from the request headers (see `awsChunkedOptions`). */
export interface AwsChunkedOptions {
  /** Chunk headers carry `;chunk-signature=` (x-amz-content-sha256 `STREAMING-AWS4-…`). */
  signed: boolean;
  /** x-amz-decoded-content-length: the decoded body must have exactly this many bytes. */
  decodedContentLength?: number;
  /** x-amz-trailer: the trailing headers the body must end with (comma-separated names). */
  trailer?: string;
}

/** S3 rejects chunks under this size unless they are the last one carrying data. */
export const MIN_CHUNK_SIZE = 8192;

/** Longer chunk-header or trailer lines are garbage, not framing (a signed header is < 200 bytes). */
const MAX_LINE = 4096;

const CHUNK_HEADER = /^([0-9a-fA-F]{1,13})(?:;chunk-signature=([0-9a-fA-F]+))?$/;
const HEX = /^[0-9a-fA-F]+$/;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  ChunkHeader,
  ChunkData,
  ChunkEnd,
  Trailer,
  Done,
}

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers by lowercase name; complete once the stream has ended. */
  readonly trailers: Record<string, string> = {};
  /** The `x-amz-trailer-signature` the body ended with, if any. */
  trailerSignature?: string;
  /** Decoded bytes seen so far (including any beyond x-amz-decoded-content-length, which are dropped). */
  decodedLength = 0;

  private readonly signed: boolean;
  private readonly expectedLength?: number;
  private readonly expectedTrailers: string[];
  private state = State.ChunkHeader;
  /** The current line (chunk header or trailer) as read so far, CR included. */
  private line = '';
  /** Bytes of the current chunk's data still to come. */
  private remaining = 0;
  /** Bytes of the CRLF after a chunk's data already seen. */
  private endSeen = 0;
  private chunks = 0;
  private previousSize = 0;

  constructor(options: AwsChunkedOptions) {
    super();
    this.signed = options.signed;
    this.expectedLength = options.decodedContentLength;
    this.expectedTrailers = (options.trailer ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== State.Done) return callback(incompleteBody());
    if (this.expectedLength !== undefined && this.decodedLength !== this.expectedLength) {
      return callback(lengthMismatch(this.expectedLength, this.decodedLength));
    }
    const missing = this.expectedTrailers.some((name) => !Object.hasOwn(this.trailers, name));
    const unsignedTrailers = this.signed && this.expectedTrailers.length > 0 && this.trailerSignature === undefined;
    if (missing || unsignedTrailers) return callback(malformedTrailer());
    callback();
  }

  private consume(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length) {
      switch (this.state) {
        case State.ChunkData: {
          const take = Math.min(this.remaining, buf.length - pos);
          this.output(buf.subarray(pos, pos + take));
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkEnd;
          break;
        }
        case State.ChunkEnd: {
          if (buf[pos] !== (this.endSeen === 0 ? CR : LF)) throw incompleteBody();
          pos++;
          if (++this.endSeen === 2) this.state = State.ChunkHeader;
          break;
        }
        case State.ChunkHeader:
        case State.Trailer: {
          const lf = buf.indexOf(LF, pos);
          const end = lf === -1 ? buf.length : lf;
          this.line += buf.toString('latin1', pos, end);
          if (this.line.length > MAX_LINE) throw this.state === State.Trailer ? malformedTrailer() : incompleteBody();
          pos = end;
          if (lf === -1) break;
          pos++;
          if (!this.line.endsWith('\r')) throw incompleteBody();
          const line = this.line.slice(0, -1);
          this.line = '';
          if (this.state === State.ChunkHeader) this.chunkHeader(line);
          else this.trailerLine(line);
          break;
        }
        case State.Done:
          throw incompleteBody();
      }
    }
  }

  private chunkHeader(line: string): void {
    const match = CHUNK_HEADER.exec(line);
    if (!match || (this.signed && match[2] === undefined)) throw incompleteBody();
    const size = parseInt(match[1], 16);
    this.chunks++;
    if (size === 0) {
      this.state = State.Trailer;
      return;
    }
    if (this.chunks > 1 && this.previousSize < MIN_CHUNK_SIZE) throw invalidChunkSize(this.chunks, this.previousSize);
    this.previousSize = size;
    this.remaining = size;
    this.endSeen = 0;
    this.state = State.ChunkData;
  }

  private trailerLine(line: string): void {
    if (line === '') {
      this.state = State.Done;
      return;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim().toLowerCase();
    if (!name) throw malformedTrailer();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (!HEX.test(value)) throw malformedTrailer();
      this.trailerSignature = value;
    } else {
      this.trailers[name] = value;
    }
  }

  /** Passes decoded bytes on, up to the declared length: a longer body is an error at the end anyway. */
  private output(data: Buffer): void {
    const before = this.decodedLength;
    this.decodedLength += data.length;
    const limit = this.expectedLength ?? Infinity;
    if (before >= limit) return;
    this.push(this.decodedLength > limit ? data.subarray(0, limit - before) : data);
  }
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Whether a request body is aws-chunked, and how, from its (lowercase-named) headers: Content-Encoding
 * lists `aws-chunked`, or x-amz-content-sha256 is a `STREAMING-…` value. Undefined for a plain body.
 */
export function awsChunkedOptions(headers: Headers): AwsChunkedOptions | undefined {
  const sha = header(headers, 'x-amz-content-sha256') ?? '';
  const encodings = (header(headers, 'content-encoding') ?? '').split(',').map((e) => e.trim().toLowerCase());
  const decoded = header(headers, 'x-amz-decoded-content-length');
  if (!sha.startsWith('STREAMING-')) {
    if (!encodings.includes('aws-chunked')) return undefined;
    // A hex x-amz-content-sha256 is the digest of the body as sent: a plain body, whatever its
    // Content-Encoding says, unless the decoded length marks it as framed.
    if (/^[0-9a-fA-F]{64}$/.test(sha) && decoded === undefined) return undefined;
  }
  return {
    signed: sha.startsWith('STREAMING-AWS4-'),
    decodedContentLength: decoded !== undefined && /^\d+$/.test(decoded) ? Number(decoded) : undefined,
    trailer: header(headers, 'x-amz-trailer'),
  };
}

/** The Content-Encoding to store for an aws-chunked upload: the header without its `aws-chunked` token. */
export function withoutAwsChunked(contentEncoding: string | undefined): string | undefined {
  const rest = (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'aws-chunked');
  return rest.length ? rest.join(', ') : undefined;
}
