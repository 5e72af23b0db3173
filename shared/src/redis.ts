import { Redis } from 'ioredis';

export type { Redis };

/** One connection per use: blocking or subscribing clients must not share a connection with commands. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true, lazyConnect: false });
}
