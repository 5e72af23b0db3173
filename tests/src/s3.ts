import assert from 'node:assert/strict';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { credentialsFor, uniqueName } from './clients.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/**
 * `<bucket>.localhost` is where a virtual-hosted request for a bucket goes when the endpoint is
 * `http://localhost:<port>`; the system resolver here does not answer for subdomains of localhost (browsers
 * and systemd-resolved do), so the agent resolves every `*.localhost` to 127.0.0.1 itself.
 */
function lookupLocalhost(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if ((options as LookupAllOptions).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options as LookupAllOptions, callback as (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void);
}

export interface S3ClientOptions {
  account?: string;
  region?: string;
  /** Virtual-hosted addressing (`<bucket>.localhost:<port>`) instead of path-style. */
  virtualHosted?: boolean;
  config?: Partial<S3ClientConfig>;
}

/** An S3 client for a Stratus endpoint (`http://127.0.0.1:<port>`), path-style unless told otherwise. */
export function s3Client(endpoint: string, { account, region = 'us-east-1', virtualHosted = false, config = {} }: S3ClientOptions = {}): S3Client {
  const url = new URL(endpoint);
  if (virtualHosted) url.hostname = 'localhost';
  return new S3Client({
    endpoint: url.origin,
    region,
    forcePathStyle: !virtualHosted,
    credentials: credentialsFor(account),
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, lookup: lookupLocalhost }) },
    ...config,
  });
}

/** A bucket name no other test uses: lower case, 3..63 characters. */
export function bucketName(prefix = 'b'): string {
  return uniqueName(prefix).toLowerCase().slice(0, 63);
}

/** What a failed SDK call carries: the error's name (S3's Code), its HTTP status and the rest. */
export interface SdkError extends Error {
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode: number; headers: Record<string, string> };
  [field: string]: unknown;
}

/** Awaits a call that must fail with this S3 error code and HTTP status; returns the error. */
export async function s3Error(call: Promise<unknown>, code: string, status: number): Promise<SdkError> {
  let result: unknown;
  try {
    result = await call;
  } catch (e) {
    const err = e as SdkError;
    assert.equal(err.name, code, `expected ${code} (${status}), got ${err.name} ${err.$metadata?.httpStatusCode}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status, `${code}: HTTP status`);
    return err;
  }
  assert.fail(`expected ${code} (${status}), but the call succeeded: ${JSON.stringify(result, (k, v: unknown) => (k === 'Body' ? '<body>' : v))}`);
}

/**
 * Deterministic bytes of any size, generated as they are read and never held whole: 1 MiB blocks of one
 * random block, each stamped with its index in its first 8 bytes (so a lost, repeated or reordered block
 * changes the digest). `generatedBytes` recomputes any window, to check a range.
 */
const BLOCK = MiB;
const base = randomBytes(BLOCK);

function block(index: number): Buffer {
  const b = Buffer.from(base);
  b.writeBigUInt64BE(BigInt(index), 0);
  return b;
}

export function generatedStream(size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= size) {
        this.push(null);
        return;
      }
      const n = Math.min(BLOCK, size - offset);
      const b = block(offset / BLOCK);
      this.push(n === BLOCK ? b : b.subarray(0, n));
      offset += n;
    },
  });
}

/** Bytes start..start+n-1 of a generated stream. */
export function generatedBytes(start: number, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = Math.floor(start / BLOCK); i * BLOCK < start + n; i++) parts.push(block(i));
  const from = start - Math.floor(start / BLOCK) * BLOCK;
  return Buffer.concat(parts).subarray(from, from + n);
}

/** The SHA-256 (hex) of a stream's bytes, read as they come. */
export async function streamDigest(stream: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha256: h.digest('hex'), size };
}
