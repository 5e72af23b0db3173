/**
 * An ordered collection for a table's items and its indexes' entries: a sorted array cut into chunks
 * of at most CHUNK entries (a two-level B-tree). Finding a position is two binary searches, inserting
 * or removing moves at most one chunk's entries, so a table of millions of items costs microseconds
 * per write, and range reads walk the chunks in order without sorting anything.
 */

const CHUNK = 256;

/** Where an entry is, or where it would go. */
export interface Position {
  chunk: number;
  index: number;
}

/**
 * Compares an entry with what the caller looks for: negative when the entry comes before it, zero
 * when it is the one, positive when it comes after.
 */
export type Probe<T> = (entry: T) => number;

export class SortedList<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  /** Adds an entry (an equal entry is replaced). */
  insert(entry: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      this.count = 1;
      return;
    }
    const probe: Probe<T> = (other) => this.compare(other, entry);
    const { chunk, index } = this.lowerBound(probe);
    const c = Math.min(chunk, this.chunks.length - 1);
    const list = this.chunks[c];
    const at = chunk === this.chunks.length ? list.length : index;
    if (at < list.length && this.compare(list[at], entry) === 0) {
      list[at] = entry;
      return;
    }
    list.splice(at, 0, entry);
    this.count++;
    if (list.length > CHUNK) this.chunks.splice(c + 1, 0, list.splice(CHUNK >> 1));
  }

  /** Removes the entry equal to `entry`; false when there is none. */
  delete(entry: T): boolean {
    const { chunk, index } = this.lowerBound((other) => this.compare(other, entry));
    if (chunk >= this.chunks.length) return false;
    const list = this.chunks[chunk];
    if (this.compare(list[index], entry) !== 0) return false;
    list.splice(index, 1);
    this.count--;
    if (list.length === 0) this.chunks.splice(chunk, 1);
    return true;
  }

  /** The first position whose entry is not before the probe (probe(entry) >= 0); the end when none. */
  lowerBound(probe: Probe<T>): Position {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    // The first chunk whose last entry is not before the probe.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const list = chunks[mid];
      if (probe(list[list.length - 1]) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return { chunk: lo, index: 0 };
    const list = chunks[lo];
    let a = 0;
    let b = list.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (probe(list[mid]) < 0) a = mid + 1;
      else b = mid;
    }
    return { chunk: lo, index: a };
  }

  /** The first position whose entry comes after the probe (probe(entry) > 0). */
  upperBound(probe: Probe<T>): Position {
    return this.lowerBound((entry) => (probe(entry) > 0 ? 0 : -1));
  }

  start(): Position {
    return { chunk: 0, index: 0 };
  }

  end(): Position {
    return { chunk: this.chunks.length, index: 0 };
  }

  /** The entry at a position, or undefined at the end. */
  at(position: Position): T | undefined {
    return this.chunks[position.chunk]?.[position.index];
  }

  /** Entries from `from` onwards, in order. */
  *forward(from: Position = this.start()): Generator<T> {
    const chunks = this.chunks;
    let c = from.chunk;
    let i = from.index;
    while (c < chunks.length) {
      const list = chunks[c];
      for (; i < list.length; i++) yield list[i];
      c++;
      i = 0;
    }
  }

  /** Entries before `before`, last first. */
  *backward(before: Position = this.end()): Generator<T> {
    const chunks = this.chunks;
    let c = before.chunk;
    let i = before.index - 1;
    if (c >= chunks.length) {
      c = chunks.length - 1;
      i = c >= 0 ? chunks[c].length - 1 : -1;
    }
    while (c >= 0) {
      if (i < 0) {
        c--;
        if (c < 0) return;
        i = chunks[c].length - 1;
        continue;
      }
      const list = chunks[c];
      for (; i >= 0; i--) yield list[i];
    }
  }

  *[Symbol.iterator](): Generator<T> {
    yield* this.forward();
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }
}
