/**
 * A hashing thread of FileHashPool: hashes files as the event loop writes them, reading each newly written
 * range back into one reused buffer (so hashing allocates nothing per byte). Reads are synchronous: this
 * thread does nothing else.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { DigestAlgorithm } from '../checksums/algorithms.js';
import { Hashers } from '../checksums/hasher.js';
import { digestsOf, type HashReply, type HashRequest } from './file-hashing.js';

interface Job {
  fd: number;
  /** Bytes hashed so far. */
  offset: number;
  hashers: Hashers;
  /** Why the job failed, reported at finish. */
  error?: string;
}

const port = parentPort!;
const buffer = Buffer.allocUnsafeSlow(1024 * 1024);
const jobs = new Map<number, Job>();

function advance(job: Job, to: number): void {
  try {
    while (!job.error && job.offset < to) {
      const read = readSync(job.fd, buffer, 0, Math.min(buffer.length, to - job.offset), job.offset);
      if (read === 0) job.error = `the file ends at byte ${job.offset}, before the ${to} written`;
      job.hashers.update(buffer.subarray(0, read));
      job.offset += read;
    }
  } catch (err) {
    job.error = String(err);
  }
}

function start(path: string, algorithms: readonly DigestAlgorithm[]): Job {
  const hashers = new Hashers(algorithms);
  try {
    // Opened before the writer renames or removes the file: the descriptor outlives either.
    return { fd: openSync(path, 'r'), offset: 0, hashers };
  } catch (err) {
    return { fd: -1, offset: 0, hashers, error: String(err) };
  }
}

function end(id: number): Job | undefined {
  const job = jobs.get(id);
  jobs.delete(id);
  if (job && job.fd >= 0) closeSync(job.fd);
  return job;
}

port.on('message', (message: HashRequest) => {
  switch (message.type) {
    case 'start':
      jobs.set(message.job, start(message.path, message.algorithms));
      break;
    case 'advance': {
      const job = jobs.get(message.job);
      if (job) advance(job, message.to);
      break;
    }
    case 'finish': {
      const job = end(message.job);
      const reply: HashReply = !job
        ? { job: message.job, error: 'no such hashing job' }
        : job.error
          ? { job: message.job, error: job.error }
          : { job: message.job, digests: digestsOf(job.hashers) };
      port.postMessage(reply);
      break;
    }
    case 'cancel':
      end(message.job);
      break;
  }
});
