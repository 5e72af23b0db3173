import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, ftruncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A durable record log for an in-memory state: a snapshot plus an append-only journal of the records
 * applied since. Both are JSON lines, each line an array of records. Generic: it knows nothing about
 * what a record means (any service can keep its state this way).
 *
 * - `append` writes one call's records as one line with one synchronous write on an O_APPEND
 *   descriptor: once it returns they survive the process being killed (the kernel has them; no fsync is
 *   needed for that), and a crash during the write loses the whole line, never part of a change.
 * - `open` returns the snapshot's records followed by the journal's, to be applied in order. A line
 *   cut short by a crash at the end of the journal is dropped and the file trimmed to the last whole one.
 * - `compact` replaces snapshot and journal by a new generation: `<name>.<gen>.snapshot` is written to a
 *   temporary file, fsynced and renamed into place, then `<name>.<gen>.log` starts empty. The highest
 *   generation with a snapshot is the current one, so a crash at any point leaves either the old pair or
 *   the new one, never a mix.
 */
export class Journal {
  private fd: number;
  private bytes: number;

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    private generation: number,
    bytes: number,
  ) {
    this.fd = openSync(this.logPath(generation), 'a');
    this.bytes = bytes;
  }

  static open(dir: string, name: string): { journal: Journal; records: unknown[] } {
    mkdirSync(dir, { recursive: true });
    const generation = currentGeneration(dir, name);
    const records: unknown[] = [];
    const snapshot = join(dir, `${name}.${generation}.snapshot`);
    if (existsSync(snapshot)) readLines(readFileSync(snapshot, 'utf8'), snapshot, records, false);
    const log = join(dir, `${name}.${generation}.log`);
    let bytes = 0;
    if (existsSync(log)) {
      const text = readFileSync(log, 'utf8');
      const whole = readLines(text, log, records, true);
      bytes = Buffer.byteLength(whole, 'utf8');
      if (whole.length !== text.length) {
        const fd = openSync(log, 'r+');
        ftruncateSync(fd, bytes);
        closeSync(fd);
      }
    }
    removeOtherGenerations(dir, name, generation);
    return { journal: new Journal(dir, name, generation, bytes), records };
  }

  /** Bytes in the current journal (what compaction would reclaim). */
  get size(): number {
    return this.bytes;
  }

  append(records: readonly unknown[]): void {
    if (records.length === 0) return;
    const buf = Buffer.from(`${JSON.stringify(records)}\n`, 'utf8');
    writeFully(this.fd, buf);
    this.bytes += buf.length;
  }

  /** Starts a new generation whose snapshot is `records` (the whole current state) and whose journal is empty. */
  compact(records: Iterable<unknown>): void {
    const next = this.generation + 1;
    const snapshot = join(this.dir, `${this.name}.${next}.snapshot`);
    const tmp = `${snapshot}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let line: unknown[] = [];
      for (const r of records) {
        line.push(r);
        if (line.length === SNAPSHOT_LINE_RECORDS) {
          writeFully(fd, Buffer.from(`${JSON.stringify(line)}\n`, 'utf8'));
          line = [];
        }
      }
      if (line.length > 0) writeFully(fd, Buffer.from(`${JSON.stringify(line)}\n`, 'utf8'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, snapshot);
    closeSync(this.fd);
    this.generation = next;
    this.fd = openSync(this.logPath(next), 'a');
    this.bytes = 0;
    removeOtherGenerations(this.dir, this.name, next);
  }

  close(): void {
    closeSync(this.fd);
  }

  private logPath(generation: number): string {
    return join(this.dir, `${this.name}.${generation}.log`);
  }
}

const FILE = /^(.+)\.(\d+)\.(snapshot|log|snapshot\.tmp)$/;
/** Records per snapshot line: big enough to be cheap, small enough to stay a modest string. */
const SNAPSHOT_LINE_RECORDS = 1000;

function currentGeneration(dir: string, name: string): number {
  let generation = 0;
  for (const f of readdirSync(dir)) {
    const m = FILE.exec(f);
    if (m && m[1] === name && m[3] === 'snapshot') generation = Math.max(generation, Number(m[2]));
  }
  return generation;
}

function removeOtherGenerations(dir: string, name: string, keep: number): void {
  for (const f of readdirSync(dir)) {
    const m = FILE.exec(f);
    if (m && m[1] === name && (Number(m[2]) !== keep || m[3] === 'snapshot.tmp')) unlinkSync(join(dir, f));
  }
}

/**
 * Parses whole lines (arrays of records) into `out` and returns the text they span. A last line without
 * its newline was cut short by a crash: dropped when `tolerateTornTail`, corruption otherwise.
 */
function readLines(text: string, path: string, out: unknown[], tolerateTornTail: boolean): string {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    if (end > start) {
      let line: unknown;
      try {
        line = JSON.parse(text.slice(start, end));
      } catch {
        line = undefined;
      }
      if (!Array.isArray(line)) {
        throw new Error(`${path}: corrupt record at byte offset ${Buffer.byteLength(text.slice(0, start), 'utf8')}`);
      }
      for (const record of line) out.push(record);
    }
    start = end + 1;
  }
  if (start < text.length && !tolerateTornTail) throw new Error(`${path}: truncated snapshot`);
  return text.slice(0, start);
}

function writeFully(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}
