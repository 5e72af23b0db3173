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
