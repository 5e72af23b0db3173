import { Redis } from 'ioredis';

export type { Redis };

/** One connection per use: blocking or subscribing clients must not share a connection with commands. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true, lazyConnect: false });
}

export type ScriptArg = string | number;
/** A Lua script defined on a connection: called with (numKeys, ...keys, ...args), run with EVALSHA. */
export type LuaScript = (...args: ScriptArg[]) => Promise<unknown>;

/**
 * A connection for a store whose every atomic step is a Lua script: checks Redis answers (a store must
 * fail at startup, not on its first call), then defines each script once, so calls send only its SHA.
 */
export async function connectWithScripts<Name extends string>(
  url: string,
  scripts: Readonly<Record<Name, string>>,
): Promise<{ redis: Redis; scripts: Record<Name, LuaScript> }> {
  const redis = connectRedis(url);
  try {
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  for (const [name, lua] of Object.entries<string>(scripts)) redis.defineCommand(name, { lua });
  return { redis, scripts: redis as unknown as Record<Name, LuaScript> };
}

/** Bounds for ZRANGEBYLEX over a sorted set of ASCII members: every member starting with `prefix`. */
export function asciiPrefixRange(prefix: string): [string, string] {
  // Members are ASCII, so U+00FF (bytes C3 BF) sorts after every member that extends the prefix.
  return [`[${prefix}`, `(${prefix}\u00ff`];
}

/** Unlinks every key matching `pattern` (a full reset), except those `keep` names; SCAN, never KEYS. */
export async function unlinkMatching(redis: Redis, pattern: string, keep?: (key: string) => boolean): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    const doomed = keep ? keys.filter((k) => !keep(k)) : keys;
    if (doomed.length > 0) await redis.unlink(...doomed);
    cursor = next;
  } while (cursor !== '0');
}
