import { Readable } from 'node:stream';
import type { Hashers } from '../checksums/hasher.js';
import { lengthMismatch } from '../streams/body-errors.js';

/**
 * A request body read chunk by chunk, each chunk counted (and hashed, once `hashers` is set) as it is
 * read, its length held to the declared one. A failure leaves the source as it is, neither drained nor
 * destroyed: the caller decides (a server answers with the error, then closes the connection).
 */
export class HashingBody {
  /** Bytes read so far. */
  size = 0;
  /** Fed every chunk read from now on; unset, chunks are only counted (the caller hashes them elsewhere). */
  hashers?: Hashers;
  private readonly chunks: AsyncIterator<Uint8Array>;

  constructor(
    source: Readable | AsyncIterable<Uint8Array>,
    private readonly expectedSize?: number,
  ) {
    const iterable = source instanceof Readable ? source.iterator({ destroyOnReturn: false }) : source;
    this.chunks = (iterable as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  }

  /** The next chunk, or undefined at the end (where a short body fails with IncompleteBody). */
  async next(): Promise<Uint8Array | undefined> {
    const { done, value } = await this.chunks.next();
    if (done) {
      if (this.expectedSize !== undefined && this.size !== this.expectedSize) throw lengthMismatch(this.expectedSize, this.size);
      return undefined;
    }
    this.size += value.length;
    if (this.expectedSize !== undefined && this.size > this.expectedSize) throw lengthMismatch(this.expectedSize);
    this.hashers?.update(value);
    return value;
  }

  /** Stops reading after a failure: detaches from the source without consuming or destroying it. */
  async release(): Promise<void> {
    await this.chunks.return?.();
  }

  /** Reads chunks until more than `limit` bytes have come or the body ended; `ended` says which. */
  async gather(limit: number): Promise<{ chunks: Uint8Array[]; ended: boolean }> {
    const chunks: Uint8Array[] = [];
    while (this.size <= limit) {
      const chunk = await this.next();
      if (!chunk) return { chunks, ended: true };
      chunks.push(chunk);
    }
    return { chunks, ended: false };
  }
}
