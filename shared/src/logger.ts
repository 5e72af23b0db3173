import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. A person at a terminal gets pino-pretty; anything else (CI, files, log shippers)
 * gets one JSON line per event. Tests run with level `silent`.
 */
export function createLogger(level: string, name = 'stratus'): Logger {
  const pretty = process.stdout.isTTY && level !== 'silent';
  return pino({
    name,
    level,
    base: undefined,
    transport: pretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'name' } } : undefined,
  });
}
