import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Checksums, DigestAlgorithm } from '../checksums/algorithms.js';
import type { Hashers } from '../checksums/hasher.js';

/** What hashing a body gives a blob: its ETag (hex MD5) and its base64 checksums. */
export interface BodyDigests {
  etag: string;
  checksums: Checksums;
}

/** The digests of hashers fed a whole body (MD5 among them). */
export function digestsOf(hashers: Hashers): BodyDigests {
  return { etag: hashers.get('MD5')!.hex(), checksums: hashers.checksums() };
}

/** Messages to a hashing thread. */
export type HashRequest =
  | { type: 'start'; job: number; path: string; algorithms: DigestAlgorithm[] }
  | { type: 'advance'; job: number; to: number }
  | { type: 'finish'; job: number }
  | { type: 'cancel'; job: number };

/** A hashing thread's answer to `finish`. */
export type HashReply = { job: number; digests: BodyDigests } | { job: number; error: string };

/** Hashing threads by default: one core is the event loop's; at most 4 (one keeps up with ~550 MiB/s). */
export function defaultHashThreads(): number {
  return Math.min(4, availableParallelism() - 1);
}

/** One upload's hashing, done by a thread reading the file behind the writes. */
export interface FileHashJob {
  /** The file now holds its first `bytes` bytes: hash up to there. */
  advance(bytes: number): void;
  /** Every byte has been written and advanced over: the digests of the whole file. */
  finish(): Promise<BodyDigests>;
  /** Stops the job (the upload failed); its file may already be gone. */
  cancel(): void;
}

interface HashThread {
  worker: Worker;
  pending: Map<number, { resolve(d: BodyDigests): void; reject(e: Error): void }>;
  jobs: number;
  dead: boolean;
}

/**
 * Threads that compute a file body's MD5 and checksums by reading the file back as it is written (from the
 * page cache), instead of on the event loop as the bytes arrive. Hashing is most of the CPU an upload costs
 * (MD5 alone about 1.2 ms per MiB); on another core it no longer holds back every other request. Threads
 * start with the first job.
 */
export class FileHashPool {
  private readonly threads: HashThread[] = [];
  private nextJob = 1;

  constructor(private readonly size: number) {
    if (!(Number.isSafeInteger(size) && size > 0)) throw new RangeError(`a hash pool needs at least one thread, not ${size}`);
  }

  /** Starts hashing `path` (which must exist until finish or cancel) with `algorithms`, MD5 among them. */
  start(path: string, algorithms: readonly DigestAlgorithm[]): FileHashJob {
    const thread = this.pick();
    const job = this.nextJob++;
    const post = (message: HashRequest): void => {
      if (!thread.dead) thread.worker.postMessage(message);
    };
    post({ type: 'start', job, path, algorithms: [...algorithms] });
    // A thread with jobs keeps the process alive, as a pending file write would; an idle one does not.
    if (thread.jobs++ === 0) thread.worker.ref();
    let open = true;
    const close = (): void => {
      if (open && --thread.jobs === 0) thread.worker.unref();
      open = false;
    };
    return {
      advance: (bytes) => post({ type: 'advance', job, to: bytes }),
      finish: () =>
        new Promise<BodyDigests>((resolve, reject) => {
          if (thread.dead) return reject(new Error('the hashing thread stopped'));
          thread.pending.set(job, { resolve, reject });
          post({ type: 'finish', job });
        }).finally(close),
      cancel: () => {
        thread.pending.delete(job);
        post({ type: 'cancel', job });
        close();
      },
    };
  }

  /** Stops the threads; jobs not finished fail. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** The live thread with the fewest jobs, started if there are fewer than `size`. */
  private pick(): HashThread {
    for (let i = this.threads.length - 1; i >= 0; i--) if (this.threads[i].dead) this.threads.splice(i, 1);
    const idle = this.threads.find((t) => t.jobs === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.spawn();
    return this.threads.reduce((a, b) => (b.jobs < a.jobs ? b : a));
  }

  private spawn(): HashThread {
    const worker = new Worker(new URL('./file-hash-worker.js', import.meta.url));
    const thread: HashThread = { worker, pending: new Map(), jobs: 0, dead: false };
    worker.on('message', (reply: HashReply) => {
      const waiter = thread.pending.get(reply.job);
      if (!waiter) return;
      thread.pending.delete(reply.job);
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.digests);
    });
    const fail = (err: Error): void => {
      thread.dead = true;
      for (const waiter of thread.pending.values()) waiter.reject(err);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the hashing thread exited (code ${code})`)));
    // Idle until its first job (after the listeners: a 'message' listener refs the worker again).
    worker.unref();
    this.threads.push(thread);
    return thread;
  }
}
