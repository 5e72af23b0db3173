/**
 * The Lua scripts of the Redis DynamoDB store (keys: redis-keys.ts). Each is one atomic step across
 * every replica sharing the Redis. Conditions and updates are not evaluated here: the store reads an
 * item with its version (readItems), decides in TypeScript, and `commit` writes only if every version
 * read is still current (optimistic concurrency; see redis.ts for why).
 *
 * Scripts that act on a table take its id and rev as the caller knows them and answer {'missing'} when
 * the table is gone, or {'stale'} when the table was replaced since (another id under the name, or a
 * new rev: its indexes, stream or TTL may differ): the caller refreshes its copy and runs again.
 *
 * Lua numbers are doubles: versions, sizes, ordinals and instants (< 2^53) are exact; numbers are
 * turned into strings with string.format('%d'), never by concatenation (which rounds to 14 digits).
 */

const PRELUDE = String.raw`
-- A table as the caller knows it: nil when current, else the reply to give.
local function checkTable(t, id, rev)
  local cur = redis.call('HMGET', t, 'id', 'rev')
  if not cur[1] then return {'missing'} end
  if cur[1] ~= id or (rev ~= '' and cur[2] ~= rev) then return {'stale'} end
  return nil
end

-- A ZRANGEBYLEX bound (see Bound in redis-keys.ts).
local function bound(kind, base)
  if kind == '-' or kind == '+' then return kind end
  if string.sub(kind, 2, 2) == 'x' then return string.sub(kind, 1, 1) .. base .. '\255' end
  return kind .. base
end

-- An item's meta: { version, size, page, then per index entry: token, member, size, page }.
local function readMeta(m, member)
  local raw = redis.call('HGET', m, member)
  if not raw then return nil end
  return { cmsgpack.unpack(raw) }
end
`;

/** [id, rev] when the caller's copy (ARGV id, rev) is current; else [id, rev, record JSON, index tokens JSON]; nil when none. */
const getTable = String.raw`
local cur = redis.call('HMGET', KEYS[1], 'id', 'rev')
if not cur[1] then return false end
if cur[1] == ARGV[1] and cur[2] == ARGV[2] then return { cur[1], cur[2] } end
return { cur[1], cur[2], redis.call('HGET', KEYS[1], 'rec'), redis.call('HGET', KEYS[1], 'ix') }
`;

/**
 * Makes a table's stream exist once, starting after the last record of the store, and closes it when
 * the record says it is disabled. KEYS: stream hash, streams index, sequence.
 */
const FOLLOW_STREAM = String.raw`
local function followStream(s, streams, seq, meta, member, closed)
  if redis.call('EXISTS', s) == 0 then
    local last = tonumber(redis.call('GET', seq) or '0')
    redis.call('HSET', s, 'meta', meta, 'start', string.format('%d', last + 1))
    redis.call('ZADD', streams, 0, member)
  end
  if closed ~= '' and redis.call('HEXISTS', s, 'closed') == 0 then redis.call('HSET', s, 'closed', closed) end
end
`;

/**
 * KEYS: table hash, tables index, TTL tables, stream hash, streams index, sequence.
 * ARGV: tableKey, id, record JSON, index tokens JSON, ttl on (1/0), has stream (1/0), stream meta JSON,
 * streams index member, closed instant ('' open). 1 created, 0 when the table exists.
 */
const createTable = String.raw`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'rev', '1', 'rec', ARGV[3], 'ix', ARGV[4])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
if ARGV[5] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
if ARGV[6] == '1' then followStream(KEYS[4], KEYS[5], KEYS[6], ARGV[7], ARGV[8], ARGV[9]) end
return 1
`;

/**
 * KEYS: table hash, TTL tables, stream hash, streams index, sequence, counters, then the keys of the
 * indexes removed. ARGV: tableKey, id, rev, record JSON, index tokens JSON, ttl on, has stream, stream
 * meta JSON, streams index member, closed instant, then the tokens of the indexes removed.
 * {'ok', new rev} | {'missing'} | {'stale'}.
 */
const replaceTable = String.raw`
local cur = redis.call('HMGET', KEYS[1], 'id', 'rev')
if not cur[1] or cur[1] ~= ARGV[2] then return {'missing'} end
if cur[2] ~= ARGV[3] then return {'stale'} end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'rec', ARGV[4], 'ix', ARGV[5])
if ARGV[6] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) else redis.call('SREM', KEYS[2], ARGV[1]) end
if ARGV[7] == '1' then followStream(KEYS[3], KEYS[4], KEYS[5], ARGV[8], ARGV[9], ARGV[10]) end
for k = 7, #KEYS do redis.call('UNLINK', KEYS[k]) end
for k = 11, #ARGV do redis.call('HDEL', KEYS[6], ARGV[k] .. ':c', ARGV[k] .. ':b') end
return { 'ok', rev }
`;

/**
 * KEYS: table hash, tables index, TTL tables, stream hash (or NO_KEY). ARGV: tableKey, id, rev, now.
 * Takes the table out (its data keys are unlinked by the caller: nothing reaches them once the table
 * hash is gone) and closes its stream. {'ok', record JSON, index tokens JSON} | {'missing'} | {'stale'}.
 */
const deleteTable = String.raw`
local cur = redis.call('HMGET', KEYS[1], 'id', 'rev', 'rec', 'ix')
if not cur[1] then return {'missing'} end
if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] then return {'stale'} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[4]) == 1 and redis.call('HEXISTS', KEYS[4], 'closed') == 0 then
  redis.call('HSET', KEYS[4], 'closed', ARGV[4])
end
return { 'ok', cur[3], cur[4] }
`;

/** KEYS: table hash, counters. ARGV: id. {'ok', rev, counters as HGETALL} | {'missing'} | {'stale'}. */
const tableStats = String.raw`
local bad = checkTable(KEYS[1], ARGV[1], '')
if bad then return bad end
return { 'ok', redis.call('HGET', KEYS[1], 'rev'), redis.call('HGETALL', KEYS[2]) }
`;

/**
 * Items with their versions, read in one step. KEYS: per table its hash, items and meta (3 keys).
 * ARGV: table count, per table its id and rev, then per item its table (1-based) and member.
 * {'ok', per item: JSON or nil, version (0: none)} | {'missing', table} | {'stale', table}.
 */
const readItems = String.raw`
local ntables = tonumber(ARGV[1])
for j = 1, ntables do
  local bad = checkTable(KEYS[3 * j - 2], ARGV[2 * j], ARGV[2 * j + 1])
  if bad then bad[2] = j return bad end
end
local out = { 'ok' }
for a = 2 * ntables + 2, #ARGV, 2 do
  local j = tonumber(ARGV[a])
  local member = ARGV[a + 1]
  local meta = readMeta(KEYS[3 * j], member)
  out[#out + 1] = redis.call('HGET', KEYS[3 * j - 1], member)
  out[#out + 1] = meta and meta[1] or 0
end
return out
`;

/**
 * Writes items whose versions are what the caller read, with their index entries, TTL entries,
 * counters and stream records. KEYS: the sequence, then per table: its hash, items, meta, order,
 * counters, TTL, stream records (or NO_KEY), then one key per index. ARGV:
 *   mode: 'all' (a transaction: any version changed and nothing is written, {'conflict', write}) or
 *         'each' (writes whose version changed are skipped, the others made)
 *   table count, per table: position of its hash in KEYS, id, rev, index count, the index tokens
 *   write count, per write: table (1-based), kind (put | del | check | reindex), member, expected
 *     version ('*': whatever it is; 0: no item), then for put and reindex: item JSON (reindex: ''),
 *     size, page size, TTL instant ('' none), entry count, per entry: index (1-based), member, size,
 *     page size; then the stream record: '' for none, or its instant (ms) and JSON.
 * {'ok', per write: 1 written or 0 skipped, ordinal of its stream record (0 none), the item before it
 * when expected was '*' (else nil)} | {'missing', table} | {'stale', table} | {'conflict', write}.
 */
const commit = String.raw`
local mode = ARGV[1]
local p = 2
local function arg() local v = ARGV[p]; p = p + 1; return v end

local tables = {}
for j = 1, tonumber(arg()) do
  local base = tonumber(arg())
  local T = { t = KEYS[base], i = KEYS[base + 1], m = KEYS[base + 2], o = KEYS[base + 3], n = KEYS[base + 4],
    e = KEYS[base + 5], sr = KEYS[base + 6], tokens = {}, keyOf = {} }
  local id, rev = arg(), arg()
  for k = 1, tonumber(arg()) do
    local token = arg()
    T.tokens[k] = token
    T.keyOf[token] = KEYS[base + 6 + k]
  end
  local bad = checkTable(T.t, id, rev)
  if bad then bad[2] = j return bad end
  tables[j] = T
end

local writes = {}
for w = 1, tonumber(arg()) do
  local W = { T = tables[tonumber(arg())], kind = arg(), member = arg(), expect = arg() }
  if W.kind == 'put' or W.kind == 'reindex' then
    W.json = arg(); W.size = tonumber(arg()); W.page = tonumber(arg()); W.ttl = arg()
    W.entries = {}
    for k = 1, tonumber(arg()) do
      local token = W.T.tokens[tonumber(arg())]
      W.entries[k] = { token, arg(), tonumber(arg()), tonumber(arg()) }
    end
  end
  local at = arg()
  if at ~= '' then W.recordAt = at; W.record = arg() end
  W.meta = readMeta(W.T.m, W.member)
  local version = W.meta and W.meta[1] or 0
  if W.expect ~= '*' and string.format('%d', version) ~= W.expect then
    if mode == 'all' then return { 'conflict', w } end
    W.skip = true
  end
  writes[w] = W
end

local out = { 'ok' }
for _, W in ipairs(writes) do
  local T, member, meta = W.T, W.member, W.meta
  local old = false
  if W.expect == '*' then old = redis.call('HGET', T.i, member) end
  local ordinal = 0
  if not W.skip and W.kind ~= 'check' then
    if meta then
      redis.call('HINCRBY', T.n, 'c', -1)
      redis.call('HINCRBY', T.n, 'b', -meta[2])
      for e = 4, #meta, 4 do
        local key = T.keyOf[meta[e]]
        if key then
          redis.call('ZREM', key, meta[e + 1])
          redis.call('HINCRBY', T.n, meta[e] .. ':c', -1)
          redis.call('HINCRBY', T.n, meta[e] .. ':b', -meta[e + 2])
        end
      end
    end
    if W.kind == 'del' then
      if meta then
        redis.call('HDEL', T.i, member)
        redis.call('HDEL', T.m, member)
        redis.call('ZREM', T.o, member)
        redis.call('ZREM', T.e, member)
      end
    else
      local version
      if W.kind == 'put' then
        redis.call('HSET', T.i, member, W.json)
        version = redis.call('HINCRBY', T.n, 'v', 1)
      else
        version = meta[1]
      end
      redis.call('ZADD', T.o, 0, member)
      redis.call('HINCRBY', T.n, 'c', 1)
      redis.call('HINCRBY', T.n, 'b', W.size)
      if W.ttl ~= '' then redis.call('ZADD', T.e, W.ttl, member) else redis.call('ZREM', T.e, member) end
      local packed = { version, W.size, W.page }
      for _, entry in ipairs(W.entries) do
        redis.call('ZADD', T.keyOf[entry[1]], 0, entry[2])
        redis.call('HINCRBY', T.n, entry[1] .. ':c', 1)
        redis.call('HINCRBY', T.n, entry[1] .. ':b', entry[3])
        for _, v in ipairs(entry) do packed[#packed + 1] = v end
      end
      redis.call('HSET', T.m, member, cmsgpack.pack(unpack(packed)))
    end
    if W.record then
      ordinal = redis.call('INCR', KEYS[1])
      redis.call('ZADD', T.sr, ordinal, string.format('%d', ordinal) .. ':' .. W.recordAt .. ':' .. W.record)
    end
  end
  out[#out + 1] = W.skip and 0 or 1
  out[#out + 1] = ordinal
  out[#out + 1] = old
end
return out
`;

/**
 * One page of items in order: until `limit` items are read or their page sizes reach `pageBytes`.
 * KEYS: table hash, items, meta, the ordered set read (the table's order or an index). ARGV: id, index
 * token ('' the table), index has a sort key (1/0), min kind, min base, max kind, max base, backwards
 * (1/0), limit (-1 none), pageBytes. {'ok', truncated (1/0), item JSON...} | {'missing'} | {'stale'}.
 */
const readPage = String.raw`
local bad = checkTable(KEYS[1], ARGV[1], '')
if bad then return bad end
local token = ARGV[2]
if token ~= '' and not string.find(redis.call('HGET', KEYS[1], 'ix') or '', '"' .. token .. '"', 1, true) then return {'stale'} end
local ranged = ARGV[3] == '1'
local min, max = bound(ARGV[4], ARGV[5]), bound(ARGV[6], ARGV[7])
local backwards = ARGV[8] == '1'
local limit = tonumber(ARGV[9])
local pageBytes = tonumber(ARGV[10])

-- The item member at the tail of an index entry's member.
local function itemOf(entry)
  local e = string.find(entry, '\0\0', 7, true)
  if ranged then e = string.find(entry, '\0\0', e + 2, true) end
  return string.sub(entry, e + 8)
end

local out = { 'ok', 0 }
local count, size = 0, 0
local full = false
while not full do
  local batch
  if backwards then batch = redis.call('ZREVRANGEBYLEX', KEYS[4], max, min, 'LIMIT', 0, 128)
  else batch = redis.call('ZRANGEBYLEX', KEYS[4], min, max, 'LIMIT', 0, 128) end
  for _, member in ipairs(batch) do
    if (limit >= 0 and count >= limit) or size >= pageBytes then full = true break end
    local item = member
    if token ~= '' then item = itemOf(member) end
    local meta = readMeta(KEYS[3], item)
    local page = meta[3]
    if token ~= '' then
      for e = 4, #meta, 4 do if meta[e] == token then page = meta[e + 3] end end
    end
    out[#out + 1] = redis.call('HGET', KEYS[2], item)
    count = count + 1
    size = size + page
  end
  if #batch < 128 then break end
  if backwards then max = '(' .. batch[#batch] else min = '(' .. batch[#batch] end
end
if (limit >= 0 and count >= limit) or size >= pageBytes then out[2] = 1 end
return out
`;

const TRIM = String.raw`
-- Drops a stream's records made before the instant 'before' (from the oldest, as the memory store does).
local function trim(sr, before)
  while true do
    local head = redis.call('ZRANGE', sr, 0, 99)
    local drop = 0
    for _, m in ipairs(head) do
      local c1 = string.find(m, ':', 1, true)
      local c2 = string.find(m, ':', c1 + 1, true)
      if tonumber(string.sub(m, c1 + 1, c2 - 1)) < before then drop = drop + 1 else break end
    end
    if drop > 0 then redis.call('ZREMRANGEBYRANK', sr, 0, drop - 1) end
    if drop < 100 then return end
  end
end
`;

/**
 * A stream's state after trimming. KEYS: stream hash, records, streams index, sequence. ARGV: trim
 * before (ms), purge before ('': never; else a stream closed before it is deleted), streams index member.
 * nil (none) | {meta JSON, start ordinal, closed instant or nil, first ordinal or nil, last ordinal or nil, last ordinal of the store}.
 */
const streamInfo = String.raw`
local s = redis.call('HMGET', KEYS[1], 'meta', 'start', 'closed')
if not s[1] then return false end
if ARGV[2] ~= '' and s[3] and tonumber(s[3]) < tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[3])
  return false
end
trim(KEYS[2], tonumber(ARGV[1]))
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2] or false
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')[2] or false
return { s[1], s[2], s[3], first, last, redis.call('GET', KEYS[4]) or '0' }
`;

/**
 * Records of a stream from an ordinal on, after trimming. KEYS: stream hash, records. ARGV: trim before,
 * from ordinal, limit. nil (no stream) | the record members.
 */
const readStream = String.raw`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
trim(KEYS[2], tonumber(ARGV[1]))
return redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[2], '+inf', 'LIMIT', 0, tonumber(ARGV[3]))
`;

/**
 * KEYS: tokens, token expiry. ARGV: key, fingerprint, expiresAt, now. The entry already recorded and
 * still valid (`<expiresAt>:<fingerprint>`), else records this one and answers nil.
 */
const claimToken = String.raw`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local sep = string.find(raw, ':', 1, true)
  if tonumber(string.sub(raw, 1, sep - 1)) > tonumber(ARGV[4]) then return raw end
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', 0, 100)
for _, key in ipairs(expired) do
  redis.call('HDEL', KEYS[1], key)
  redis.call('ZREM', KEYS[2], key)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ':' .. ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return false
`;

export const SCRIPTS = {
  ddbGetTable: getTable,
  ddbCreateTable: PRELUDE + FOLLOW_STREAM + createTable,
  ddbReplaceTable: PRELUDE + FOLLOW_STREAM + replaceTable,
  ddbDeleteTable: deleteTable,
  ddbTableStats: PRELUDE + tableStats,
  ddbReadItems: PRELUDE + readItems,
  ddbCommit: PRELUDE + commit,
  ddbReadPage: PRELUDE + readPage,
  ddbStreamInfo: TRIM + streamInfo,
  ddbReadStream: TRIM + readStream,
  ddbClaimToken: claimToken,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
