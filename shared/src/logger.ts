import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. A person at a terminal gets pino-pretty; anything else (CI, files, log shippers)
 * gets one JSON line per event, written asynchronously: lines logged while a write is under way go out
 * together in the next one, so a busy server makes far fewer write syscalls than requests (pino flushes
 * what is buffered when the process exits). Tests run with level `silent`.
 */
export function createLogger(level: string, name = 'stratus'): Logger {
  const pretty = process.stdout.isTTY && level !== 'silent';
  const options = { name, level, base: undefined };
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'name' } } });
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}
