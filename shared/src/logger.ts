import { pino, type Logger } from 'pino';

export type { Logger };

/** The longest a log line waits in the buffer. */
export const LOG_FLUSH_MS = 50;

/**
 * Structured logs. A person at a terminal gets pino-pretty; anything else (CI, files, log shippers)
 * gets one JSON line per event. Lines are buffered and written together once 8 KiB are waiting or
 * LOG_FLUSH_MS have passed, so a busy server makes one write syscall per ~40 requests instead of one
 * each (pino flushes what is buffered when the process exits). Tests run with level `silent`, or log to a
 * `destination` of their own to check what was logged.
 */
export function createLogger(level: string, name = 'stratus', destination?: { write(line: string): void }): Logger {
  const options = { name, level, base: undefined };
  // Lines to a stream of the caller's (a file, or a test reading what was logged).
  if (destination) return pino(options, destination);
  const pretty = process.stdout.isTTY && level !== 'silent';
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'name' } } });
  }
  return pino(options, pino.destination({ dest: 1, sync: true, minLength: 8192, periodicFlush: LOG_FLUSH_MS }));
}
