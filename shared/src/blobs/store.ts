import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, mkdtemp, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ChecksumAlgorithm, type Checksums, type DigestAlgorithm, isCrcAlgorithm } from '../checksums/algorithms.js';
import { combineCrcs } from '../checksums/combine.js';
import { Hashers } from '../checksums/hasher.js';
import { multipartEtag } from '../checksums/multipart.js';
import { HashingBody } from './body.js';
import { type BodyDigests, defaultHashThreads, digestsOf, FileHashPool } from './file-hashing.js';
import { isBlobId, kindOf, newBlobId, shardOf } from './ids.js';
import { type Segment, SegmentReader } from './reader.js';
import { writeBody } from './writer.js';

/** A stored body, as it travels in calls and is kept in metadata: small, whatever the body's size. */
export interface BlobRef {
  readonly id: string;
  /** Bytes. */
  readonly size: number;
  /**
   * The body's S3 ETag, unquoted: the hex MD5 for a put, and for a concatenation S3's multipart form
   * `<hex MD5 of the parts' MD5s>-<part count>`.
   */
  readonly etag: string;
  /**
   * Base64 checksums of the whole body: those asked of put, and for a concatenation the CRCs every part
   * had (combined, so they are the FULL_OBJECT checksums; COMPOSITE ones come from `compositeChecksum`).
   */
  readonly checksums: Checksums;
  /** The body itself in base64, when it is small (see `inlineMax`): then no file holds it. */
  readonly inline?: string;
}

export interface PutOptions {
  /** Checksums to compute while the body streams in (MD5 always is, for the ETag). */
  algorithms?: readonly ChecksumAlgorithm[];
  /** The declared length: a body of any other length fails with S3's IncompleteBody. */
  expectedSize?: number;
}

/** Bytes `start` to `end` of a blob, both inclusive (an HTTP byte range, resolved against the size). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStoreOptions {
  /** Where blobs live (the data directory's `blobs/`, or a volume shared by processes); a fresh temp dir when absent. */
  dir?: string;
  /**
   * Bodies of at most this many bytes travel inside their BlobRef instead of a file (default 16 KiB):
   * creating a file costs more than everything else a small PUT does (0.4–0.5 ms of CPU on the ext4 volume
   * where this was measured), and a GET of them touches no disk. 0 keeps only empty bodies inline.
   */
  inlineMax?: number;
  /** Temp files untouched this long are leftovers of a crash, removed at open. Default 1 hour (others may be writing). */
  staleTempMs?: number;
  /**
   * Threads that hash bodies stored as files, reading each file back behind its writes (see FileHashPool).
   * 0 hashes on the event loop as the bytes arrive. Default: one less than the cores, at most 4.
   */
  hashThreads?: number;
}

/** The blob's bytes are not in the store (deleted, or the ref is not one this store made). */
export class BlobNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`no blob ${id}`);
    this.name = 'BlobNotFoundError';
  }
}

/** Bytes read from disk at a time when serving a blob. */
const READ_CHUNK = 256 * 1024;
/** Part files of a concatenation opened up front by `open` (see there). */
const EAGER_OPEN = 64;
const MANIFEST = 'manifest.json';

/**
 * Object bodies: small ones inline in their BlobRef, the others on disk. Layout under the root:
 *   tmp/<id>            a put or concat in progress; renamed into data/ when complete (atomic)
 *   data/<xx>/<id>      a blob `b…`: the bytes
 *   data/<xx>/<id>/     a blob `c…` (concatenation): hard links `0`, `1`, … to its parts' files, and
 *                       manifest.json with their sizes
 * A concatenation costs one link per part instead of a copy of every byte (fast multipart completion,
 * no doubled disk use), and stays valid when its parts are deleted. No fsync: what was written
 * survives a killed process (the page cache is the kernel's), not a power cut; a local emulator's trade.
 * Cheap metadata calls (open of an existing file, rename, unlink, close) are synchronous: on a page-cache
 * hit they cost a few µs, less than the thread-pool round trip of their asynchronous forms.
 */
export class BlobStore {
  private readonly tmp: string;
  private readonly data: string;

  private constructor(
    readonly root: string,
    private readonly ownsRoot: boolean,
    private readonly inlineMax: number,
    private readonly hashPool: FileHashPool | undefined,
  ) {
    this.tmp = join(root, 'tmp');
    this.data = join(root, 'data');
  }

  static async open(options: BlobStoreOptions = {}): Promise<BlobStore> {
    const inlineMax = options.inlineMax ?? 16 * 1024;
    if (!(Number.isSafeInteger(inlineMax) && inlineMax >= 0)) throw new RangeError(`inlineMax must be a byte count, not ${inlineMax}`);
    const hashThreads = options.hashThreads ?? defaultHashThreads();
    const pool = hashThreads > 0 ? new FileHashPool(hashThreads) : undefined;
    const store = options.dir
      ? new BlobStore(options.dir, false, inlineMax, pool)
      : new BlobStore(await mkdtemp(join(tmpdir(), 'stratus-blobs-')), true, inlineMax, pool);
    await mkdir(store.tmp, { recursive: true });
    await Promise.all(Array.from({ length: 256 }, (_, i) => mkdir(join(store.data, i.toString(16).padStart(2, '0')), { recursive: true })));
    await store.sweepTemp(options.staleTempMs ?? 3_600_000);
    return store;
  }

  /** Removes temp entries not modified for `olderThanMs`: what crashed puts and concats left. */
  async sweepTemp(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await readdir(this.tmp)) {
      const path = join(this.tmp, name);
      const info = await lstat(path).catch(() => undefined);
      if (info && info.mtimeMs <= cutoff) {
        await rm(path, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Stores a body streamed from `source`, computing its MD5 and the checksums asked for on the way. */
  async put(source: Readable | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<BlobRef> {
    const algorithms: DigestAlgorithm[] = ['MD5', ...(options.algorithms ?? [])];
    const body = new HashingBody(source, options.expectedSize);
    try {
      const head = await body.gather(this.inlineMax);
      if (head.ended) {
        const inline = Buffer.concat(head.chunks).toString('base64');
        return { id: newBlobId('i'), inline, size: body.size, ...digestsOf(hashersFed(algorithms, head.chunks)) };
      }
      const { id, digests } = await this.write(head.chunks, body, algorithms);
      return { id, size: body.size, ...digests };
    } catch (err) {
      await body.release();
      throw err;
    }
  }

  /**
   * A stream of the blob's bytes, or of `range` of them (which must lie within the blob). Rejects with
   * BlobNotFoundError before any byte if the blob is missing. A concatenation's part files are opened
   * up front (up to EAGER_OPEN of them, the rest when reached), so deleting the blob during the read
   * does not cut it short. Read the stream to its end or destroy it: that closes its files.
   */
  async open(ref: BlobRef, range?: ByteRange): Promise<Readable> {
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.start <= range.end)) {
      throw new RangeError(`bad byte range ${range.start}-${range.end}`);
    }
    const { id } = ref;
    if (!isBlobId(id)) throw new BlobNotFoundError(id);
    if (kindOf(id) === 'i') {
      if (ref.inline === undefined) throw new BlobNotFoundError(id);
      const bytes = Buffer.from(ref.inline, 'base64');
      const { start, end } = within(range, bytes.length, id);
      return Readable.from([bytes.subarray(start, end + 1)], { objectMode: false });
    }
    if (kindOf(id) === 'b') {
      const path = this.pathOf(id);
      const { start, end } = within(range, ref.size, id);
      const fd = openOrNotFound(path, id);
      return new SegmentReader(start <= end ? [{ path, start, end }] : [], [fd], READ_CHUNK);
    }
    const sizes = this.manifest(id);
    const segments = partSegments(this.pathOf(id), sizes, within(range, sizes.reduce((a, b) => a + b, 0), id));
    const fds: number[] = [];
    try {
      for (const s of segments.slice(0, EAGER_OPEN)) fds.push(openOrNotFound(s.path, id));
    } catch (err) {
      fds.forEach((fd) => closeSync(fd));
      throw err;
    }
    return new SegmentReader(segments, fds, READ_CHUNK);
  }

  /** The blob's size if its bytes are in the store, else undefined. */
  async stat(ref: BlobRef): Promise<{ size: number } | undefined> {
    const { id } = ref;
    if (!isBlobId(id)) return undefined;
    try {
      switch (kindOf(id)) {
        case 'i':
          return ref.inline === undefined ? undefined : { size: Buffer.byteLength(ref.inline, 'base64') };
        case 'b':
          return { size: statSync(this.pathOf(id)).size };
        case 'c':
          return { size: this.manifest(id).reduce((a, b) => a + b, 0) };
      }
    } catch (err) {
      if (err instanceof BlobNotFoundError || isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Deletes the blob's bytes; deleting a missing blob is not an error. Streams already open read on. */
  async delete(ref: BlobRef): Promise<void> {
    const { id } = ref;
    if (!isBlobId(id)) return;
    if (kindOf(id) === 'b') {
      try {
        unlinkSync(this.pathOf(id));
      } catch (err) {
        if (!isMissing(err)) throw err;
      }
    } else if (kindOf(id) === 'c') {
      await rm(this.pathOf(id), { recursive: true, force: true });
    }
  }

  /**
   * A new blob whose bytes are the parts' bytes in order (multipart completion). The parts must be
   * blobs made by put, described by the refs put returned; they stay valid and independent of the
   * result (delete them when you will).
   */
  async concat(parts: readonly BlobRef[]): Promise<BlobRef> {
    if (parts.length === 0) throw new Error('concat needs at least one part');
    for (const p of parts) if (!isBlobId(p.id) || kindOf(p.id) === 'c') throw new Error(`concat parts must be blobs from put, not ${p.id}`);
    const id = newBlobId('c');
    const dir = join(this.tmp, id);
    await mkdir(dir);
    try {
      // Settle every part before failing, so none lands in a directory already removed.
      const placed = await Promise.allSettled(parts.map((p, i) => this.placePart(p, join(dir, String(i)))));
      const failed = placed.findIndex((l) => l.status === 'rejected');
      if (failed !== -1) throw notFoundIfMissing((placed[failed] as PromiseRejectedResult).reason, parts[failed].id);
      await writeFile(join(dir, MANIFEST), JSON.stringify(parts.map((p) => p.size)));
      await rename(dir, this.pathOf(id));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return { id, size: parts.reduce((n, p) => n + p.size, 0), etag: multipartEtag(parts.map((p) => p.etag)), checksums: combinedChecksums(parts) };
  }

  /** Stops the hashing threads, and removes the store's directory if the store made it (no `dir` given). */
  async close(): Promise<void> {
    await this.hashPool?.close();
    if (this.ownsRoot) await rm(this.root, { recursive: true, force: true });
  }

  /**
   * Writes `head` and the rest of `body` to a new file blob, hashed with `algorithms` by a hashing thread
   * behind the writes, or as the bytes arrive when the store has none; its id and digests.
   */
  private async write(head: Uint8Array[], body: HashingBody, algorithms: DigestAlgorithm[]): Promise<{ id: string; digests: BodyDigests }> {
    const id = newBlobId('b');
    const tmp = join(this.tmp, id);
    // Asynchronous: creating a file can take the file system a while.
    const file = await open(tmp, 'wx');
    const job = this.hashPool?.start(tmp, algorithms);
    // Without a hashing thread, the rest of the body is hashed as it is read.
    const hashers = job ? undefined : (body.hashers = hashersFed(algorithms, head));
    try {
      try {
        await writeBody(head, body, file, job && ((bytes) => job.advance(bytes)));
      } finally {
        await file.close();
      }
      const digests = job ? await job.finish() : digestsOf(hashers!);
      renameSync(tmp, this.pathOf(id));
      return { id, digests };
    } catch (err) {
      job?.cancel();
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  private pathOf(id: string): string {
    return join(this.data, shardOf(id), id);
  }

  /** A part of a concatenation at `to`: a hard link to its file, or its inline bytes written out. */
  private async placePart(part: BlobRef, to: string): Promise<void> {
    if (kindOf(part.id) === 'i') {
      if (part.inline === undefined) throw new BlobNotFoundError(part.id);
      return writeFile(to, Buffer.from(part.inline, 'base64'));
    }
    const from = this.pathOf(part.id);
    try {
      await link(from, to);
    } catch (err) {
      // File systems without hard links (some network and FUSE volumes): copy.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') throw err;
      await copyFile(from, to);
    }
  }

  private manifest(id: string): number[] {
    let text: string;
    try {
      text = readFileSync(join(this.pathOf(id), MANIFEST), 'utf8');
    } catch (err) {
      throw notFoundIfMissing(err, id);
    }
    const sizes: unknown = JSON.parse(text);
    if (!Array.isArray(sizes) || !sizes.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error(`corrupt manifest for blob ${id}`);
    return sizes as number[];
  }
}

/** New hashers for `algorithms`, already fed `chunks`. */
function hashersFed(algorithms: readonly DigestAlgorithm[], chunks: readonly Uint8Array[]): Hashers {
  const hashers = new Hashers(algorithms);
  for (const chunk of chunks) hashers.update(chunk);
  return hashers;
}

/** The inclusive range to read: `range` checked against the blob's size, or all of it (`end` < `start` when empty). */
function within(range: ByteRange | undefined, size: number, id: string): ByteRange {
  if (!range) return { start: 0, end: size - 1 };
  if (range.end >= size) throw new RangeError(`byte range ${range.start}-${range.end} beyond blob ${id} of ${size} bytes`);
  return range;
}

/** The ranges of a concatenation's part files (in `dir`, sized `sizes`) that hold bytes `start`..`end` of the whole. */
function partSegments(dir: string, sizes: readonly number[], { start, end }: ByteRange): Segment[] {
  const segments: Segment[] = [];
  let offset = 0;
  sizes.forEach((size, i) => {
    const first = Math.max(start, offset);
    const last = Math.min(end, offset + size - 1);
    if (first <= last) segments.push({ path: join(dir, String(i)), start: first - offset, end: last - offset });
    offset += size;
  });
  return segments;
}

/** The CRC checksums every part has, combined into the whole's. */
function combinedChecksums(parts: readonly BlobRef[]): Checksums {
  const out: Checksums = {};
  for (const algorithm of Object.keys(parts[0].checksums) as ChecksumAlgorithm[]) {
    if (!isCrcAlgorithm(algorithm) || !parts.every((p) => p.checksums[algorithm])) continue;
    out[algorithm] = combineCrcs(
      algorithm,
      parts.map((p) => ({ checksum: p.checksums[algorithm]!, size: p.size })),
    );
  }
  return out;
}

function openOrNotFound(path: string, id: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    throw notFoundIfMissing(err, id);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function notFoundIfMissing(err: unknown, id: string): unknown {
  return isMissing(err) ? new BlobNotFoundError(id) : err;
}
