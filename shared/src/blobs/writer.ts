import type { FileHandle } from 'node:fs/promises';
import type { HashingBody } from './body.js';

/** Bytes gathered before one write: fewer, larger writes; memory stays at about twice this. */
const BATCH_BYTES = 512 * 1024;

/**
 * Writes `first`, then the rest of `body`, to `file`. Reading (and hashing) a batch overlaps the write
 * of the previous one, and no further chunk is read before that write is done, so backpressure
 * reaches the body's source. `written` hears the file's length after each write.
 */
export async function writeBody(first: Uint8Array[], body: HashingBody, file: FileHandle, written?: (bytes: number) => void): Promise<void> {
  let batch = first;
  let batchBytes = first.reduce((n, c) => n + c.length, 0);
  let total = 0;
  let writing: Promise<void> | undefined;
  const write = (buffers: Uint8Array[], bytes: number): Promise<void> => {
    const done = file.writev(buffers).then(({ bytesWritten }) => {
      if (bytesWritten !== bytes) throw new Error(`short write: ${bytesWritten} of ${bytes} bytes`);
      total += bytes;
      written?.(total);
    });
    // A failure is seen where the write is awaited; until then it must not count as unhandled.
    done.catch(() => undefined);
    return done;
  };
  try {
    for (let chunk = await body.next(); chunk; chunk = await body.next()) {
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= BATCH_BYTES) {
        await writing;
        writing = write(batch, batchBytes);
        batch = [];
        batchBytes = 0;
      }
    }
    await writing;
    if (batchBytes > 0) await write(batch, batchBytes);
  } finally {
    // Never leave a write running on a file the caller is about to close and delete.
    await writing?.catch(() => undefined);
  }
}
