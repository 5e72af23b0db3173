/**
 * The Lua scripts of the Redis S3 store: each store method that changes state (and each read that must
 * see one consistent state, such as a listing page) is one script, so it is atomic across every replica
 * sharing the Redis. Every script gets the same KEYS (redis-keys.ts): the bucket's block of 10, then the
 * write sequence, the blob reference counts and the bucket index.
 *
 * A version is stored in the bucket's `o` hash as msgpack of
 *   seq, etag, blob, deleteMarker (0/1), base, inline, patch
 * where base is the JSON of the record as written, without versionId, seq (the store assigns them) and
 * inline (kept apart so that listings leave bodies out); inline is '+' followed by the base64 body, or ''
 * when the body is not inline (an empty inline body is '+'); patch maps members that updateObject
 * changed (tags, ACL, retention, ...) to their JSON, '' for a member removed: they override base, so a
 * patch never parses JSON in Lua. Scripts reply with a version as
 * {versionId, seq, base, inline, {member, JSON, member, JSON, ...}}.
 *
 * Key comparisons are byte comparisons (ZRANGEBYLEX, or `greater` below), never Lua's `<` on strings,
 * which follows the server's collation locale.
 */

/** What a script answers when its bucket does not exist (an error reply; the store maps it). */
export const BUCKET_MISSING = 'S3_BUCKET_MISSING';

const PRELUDE = String.raw`
local B = { b = KEYS[1], k = KEYS[2], c = KEYS[3], l = KEYS[4], o = KEYS[5], u = KEYS[6], p = KEYS[7],
  pi = KEYS[8], uk = KEYS[9], d = KEYS[10] }
local SEQ, REFS, BUCKETS = KEYS[11], KEYS[12], KEYS[13]

local function missing() return redis.error_reply('${BUCKET_MISSING}') end
local function exists() return redis.call('EXISTS', B.b) == 1 end

-- Blobs whose last reference this script dropped.
local orphans = {}
local function ref(blob)
  if blob ~= '' then redis.call('HINCRBY', REFS, blob, 1) end
end
local function unref(blob)
  if blob == '' then return end
  if redis.call('HINCRBY', REFS, blob, -1) <= 0 then
    redis.call('HDEL', REFS, blob)
    orphans[#orphans + 1] = blob
  end
end

-- a > b, comparing bytes.
local function greater(a, b)
  local n = math.min(#a, #b)
  if string.sub(a, 1, n) == string.sub(b, 1, n) then return #a > #b end
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return false
end

-- A key's version ids, newest first.
local function versionIds(key)
  local ids = {}
  local s = redis.call('HGET', B.l, key)
  if s then
    for id in string.gmatch(s, '%S+') do ids[#ids + 1] = id end
  end
  return ids
end

local function field(vid, key) return vid .. '/' .. key end

local function getVersion(key, vid)
  -- Version ids never hold '/': one that does (from a client) would name another key's version.
  if string.find(vid, '/', 1, true) then return nil end
  local raw = redis.call('HGET', B.o, field(vid, key))
  if not raw then return nil end
  local seq, etag, blob, dm, base, inline, patch = cmsgpack.unpack(raw)
  return { vid = vid, seq = seq, etag = etag, blob = blob, dm = dm == 1, base = base, inline = inline, patch = patch }
end

local function putVersion(key, v)
  redis.call('HSET', B.o, field(v.vid, key),
    cmsgpack.pack(v.seq, v.etag, v.blob, v.dm and 1 or 0, v.base, v.inline, v.patch))
end

local function reply(v, withBody)
  local patch = {}
  for member, json in pairs(v.patch) do
    patch[#patch + 1] = member
    patch[#patch + 1] = json
  end
  return { v.vid, v.seq, v.base, withBody and v.inline or '', patch }
end

local function indexCurrent(key, current)
  if current.dm then redis.call('ZREM', B.c, key) else redis.call('ZADD', B.c, 0, key) end
end

-- A version from write arguments starting at ARGV[i]: versionId, base, inline, etag, blob, deleteMarker
-- (the caller replaces the versionId by 'null' unless versioning is enabled).
local function versionFrom(i)
  return { vid = ARGV[i], base = ARGV[i + 1], inline = ARGV[i + 2], etag = ARGV[i + 3], blob = ARGV[i + 4],
    dm = ARGV[i + 5] == '1', patch = {} }
end
local WRITE_ARGS = 6

-- Why a write with the condition at ARGV[i..i+3] (ifNoneMatch 0/1, has ifMatch 0/1, ifMatch,
-- notWrittenSince or '') must not happen, or nil.
local function checkCondition(key, i)
  local ids = versionIds(key)
  local cur = ids[1] and getVersion(key, ids[1])
  local present = cur and not cur.dm
  if ARGV[i] == '1' and present then return 'precondition' end
  if ARGV[i + 1] == '1' then
    if not present then return 'missing' end
    if cur.etag ~= ARGV[i + 2] then return 'precondition' end
  end
  if ARGV[i + 3] ~= '' then
    local last = math.max(cur and cur.seq or 0, tonumber(redis.call('HGET', B.d, key) or '0'))
    if last > tonumber(ARGV[i + 3]) then return 'conflict' end
  end
  return nil
end

-- Makes v the key's current version, replacing a version with the same id wherever it is; assigns
-- v.seq. Returns the replaced version, if any. The new body is referenced before the old one is let
-- go, so a copy onto itself keeps its body.
local function write(key, v)
  v.seq = redis.call('INCR', SEQ)
  ref(v.blob)
  local ids = versionIds(key)
  local replaced
  for i, id in ipairs(ids) do
    if id == v.vid then
      replaced = getVersion(key, id)
      unref(replaced.blob)
      table.remove(ids, i)
      break
    end
  end
  table.insert(ids, 1, v.vid)
  redis.call('HSET', B.l, key, table.concat(ids, ' '))
  putVersion(key, v)
  redis.call('ZADD', B.k, 0, key)
  indexCurrent(key, v)
  return replaced
end

-- Removes the i-th newest version of a key (ids: its version ids) for good, as write number seq.
local function removeVersion(key, ids, i, seq)
  local v = getVersion(key, ids[i])
  unref(v.blob)
  redis.call('HDEL', B.o, field(v.vid, key))
  table.remove(ids, i)
  if #ids == 0 then
    redis.call('HDEL', B.l, key)
    redis.call('ZREM', B.k, key)
    redis.call('ZREM', B.c, key)
  else
    redis.call('HSET', B.l, key, table.concat(ids, ' '))
    if i == 1 then indexCurrent(key, getVersion(key, ids[1])) end
  end
  if i == 1 and redis.call('HEXISTS', B.uk, key) == 1 then redis.call('HSET', B.d, key, seq) end
  return v
end

local function partRange(uploadId) return '[' .. uploadId .. ':', '(' .. uploadId .. ';' end

-- Ends an upload: its parts' blobs are released. False when there is no such upload.
local function removeUpload(uploadId)
  local raw = redis.call('HGET', B.u, uploadId)
  if not raw then return false end
  local _, key = cmsgpack.unpack(raw)
  local lo, hi = partRange(uploadId)
  for _, f in ipairs(redis.call('ZRANGEBYLEX', B.pi, lo, hi)) do
    local blob = cmsgpack.unpack(redis.call('HGET', B.p, f))
    unref(blob)
    redis.call('HDEL', B.p, f)
  end
  redis.call('ZREMRANGEBYLEX', B.pi, lo, hi)
  redis.call('HDEL', B.u, uploadId)
  if redis.call('HINCRBY', B.uk, key, -1) <= 0 then
    redis.call('HDEL', B.uk, key)
    redis.call('HDEL', B.d, key)
  end
  return true
end
`;

// ---- buckets ----

// ARGV: name, account, base, versioning or '', then configuration pairs (kind, JSON).
// Returns {1} when created, else {0, the existing bucket's hash}.
const CREATE_BUCKET = String.raw`
if exists() then return { 0, redis.call('HGETALL', B.b) } end
redis.call('HSET', B.b, 'r', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', B.b, 'v', ARGV[4]) end
for i = 5, #ARGV, 2 do redis.call('HSET', B.b, 'c:' .. ARGV[i], ARGV[i + 1]) end
redis.call('HSET', BUCKETS, ARGV[1], ARGV[2])
return { 1 }
`;

// ARGV: versioning or '' (unchanged), then configuration pairs (kind, JSON, or '' to remove it).
// Returns the bucket's hash.
const UPDATE_BUCKET = String.raw`
if not exists() then return missing() end
if ARGV[1] ~= '' then redis.call('HSET', B.b, 'v', ARGV[1]) end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', B.b, 'c:' .. ARGV[i])
  else redis.call('HSET', B.b, 'c:' .. ARGV[i], ARGV[i + 1]) end
end
return redis.call('HGETALL', B.b)
`;

// ARGV: name, force (1: delete whatever the bucket holds). Returns {'missing'}, {'notEmpty'} or
// {'deleted', orphans}.
const DELETE_BUCKET = String.raw`
if not exists() then return { 'missing' } end
if ARGV[2] ~= '1' and redis.call('HLEN', B.o) > 0 then return { 'notEmpty' } end
for _, raw in ipairs(redis.call('HVALS', B.o)) do
  local _, _, blob = cmsgpack.unpack(raw)
  unref(blob)
end
for _, raw in ipairs(redis.call('HVALS', B.p)) do
  local blob = cmsgpack.unpack(raw)
  unref(blob)
end
redis.call('UNLINK', unpack(KEYS, 1, 10))
redis.call('HDEL', BUCKETS, ARGV[1])
return { 'deleted', orphans }
`;

// ---- objects ----

// ARGV: write arguments, reuse (0/1), condition. Returns {'ok', version, replaced or nil, orphans} or
// {'fail', reason}.
const PUT_OBJECT = String.raw`
if not exists() then return missing() end
local v = versionFrom(2)
local key = ARGV[1]
if ARGV[2 + WRITE_ARGS] == '1' and v.blob ~= '' and redis.call('HEXISTS', REFS, v.blob) == 0 then
  return { 'fail', 'gone' }
end
local failure = checkCondition(key, 3 + WRITE_ARGS)
if failure then return { 'fail', failure } end
if redis.call('HGET', B.b, 'v') ~= 'Enabled' then v.vid = 'null' end
local replaced = write(key, v)
return { 'ok', reply(v, true), replaced and reply(replaced, true) or false, orphans }
`;

// ARGV: key, has versionId (0/1), versionId. Returns the version, or nil.
const GET_OBJECT = String.raw`
if not exists() then return missing() end
local key = ARGV[1]
local vid = ARGV[2] == '1' and ARGV[3] or versionIds(key)[1]
local v = vid and getVersion(key, vid)
if not v then return false end
return reply(v, true)
`;

// ARGV: key, has versionId (0/1), versionId, marker versionId, marker base, expectSeq or '', has
// ifMatch (0/1), ifMatch. Returns {'removed', version, seq, orphans}, {'marker', marker, orphans},
// {'none'} or {'failed', reason}.
const DELETE_OBJECT = String.raw`
if not exists() then return missing() end
local key = ARGV[1]
local ids = versionIds(key)
local cur = ids[1] and getVersion(key, ids[1])
if ARGV[7] == '1' then
  if not cur or cur.dm then return { 'failed', 'missing' } end
  if ARGV[8] ~= '*' and cur.etag ~= ARGV[8] then return { 'failed', 'precondition' } end
end
local expect = ARGV[6] ~= '' and tonumber(ARGV[6])
if ARGV[2] == '1' then
  local at
  for i, id in ipairs(ids) do
    if id == ARGV[3] then
      at = i
      break
    end
  end
  if not at or (expect and getVersion(key, ids[at]).seq ~= expect) then return { 'none' } end
  local seq = redis.call('INCR', SEQ)
  local removed = removeVersion(key, ids, at, seq)
  return { 'removed', reply(removed, true), seq, orphans }
end
if expect and (not cur or cur.seq ~= expect) then return { 'none' } end
local versioning = redis.call('HGET', B.b, 'v')
if not versioning then
  if not cur then return { 'none' } end
  local seq = redis.call('INCR', SEQ)
  local removed = removeVersion(key, ids, 1, seq)
  return { 'removed', reply(removed, true), seq, orphans }
end
-- A suspended bucket's marker is the null version: it replaces any earlier null version.
local marker = { vid = versioning == 'Enabled' and ARGV[4] or 'null', base = ARGV[5], inline = '', etag = '', blob = '',
  dm = true, patch = {} }
write(key, marker)
return { 'marker', reply(marker, true), orphans }
`;

// ARGV: key, has versionId (0/1), versionId, then pairs (member, JSON or '' to remove it). Returns the
// changed version, or nil when there is no such version or it is a delete marker.
const UPDATE_OBJECT = String.raw`
if not exists() then return missing() end
local key = ARGV[1]
local vid = ARGV[2] == '1' and ARGV[3] or versionIds(key)[1]
local v = vid and getVersion(key, vid)
if not v or v.dm then return false end
for i = 4, #ARGV, 2 do v.patch[ARGV[i]] = ARGV[i + 1] end
putVersion(key, v)
return reply(v, true)
`;

// ARGV: mode ('objects' | 'versions'), prefix, delimiter or '', range start (a ZRANGEBYLEX bound),
// has after (0/1), after, has afterVersionId (0/1), afterVersionId, limit.
// Returns {truncated (0/1), entries}, an entry being {'p', common prefix} or a version without body.
const LIST = String.raw`
if not exists() then return missing() end
local versions = ARGV[1] == 'versions'
local index = versions and B.k or B.c
local prefix, delim, min = ARGV[2], ARGV[3], ARGV[4]
-- Keys are UTF-8, which never has the byte FF: the keys starting with prefix are those in [prefix, prefix FF).
local max = prefix == '' and '+' or '(' .. prefix .. '\255'
local hasAfter, after = ARGV[5] == '1', ARGV[6]
local resume = ARGV[7] == '1' and ARGV[8] or nil
local limit = tonumber(ARGV[9])
local out, n, truncated, full = {}, 0, 0, false
local function emit(entry)
  if n >= limit then
    truncated, full = 1, true
    return false
  end
  n = n + 1
  out[n] = entry
  return true
end
-- Keys fetched at a time: a rollup jumps past the rest of a batch, so after one the next batch is small,
-- and batches grow while keys are not rolled up.
local size = delim == '' and 1000 or 16
while not full do
  local want = math.min(limit - n + 1, size)
  local batch = redis.call('ZRANGEBYLEX', index, min, max, 'LIMIT', 0, want)
  local jumped = false
  for _, key in ipairs(batch) do
    local d = delim ~= '' and string.find(key, delim, #prefix + 1, true)
    if d then
      -- Rolled up: one entry for every key under the common prefix (unless an earlier page returned it).
      local common = string.sub(key, 1, d + #delim - 1)
      if not hasAfter or greater(common, after) then emit({ 'p', common }) end
      min = '[' .. common .. '\255'
      resume = nil
      jumped = true
      break
    end
    local ids = versionIds(key)
    if versions then
      local start = 1
      if resume and key == after then
        for i, id in ipairs(ids) do
          if id == resume then
            start = i + 1
            break
          end
        end
      end
      resume = nil
      for i = start, #ids do
        if not emit(reply(getVersion(key, ids[i]), false)) then break end
      end
    else
      emit(reply(getVersion(key, ids[1]), false))
    end
    if full then break end
    min = '(' .. key
  end
  if not jumped and #batch < want then break end
  size = jumped and 16 or math.min(size * 2, 1000)
end
return { truncated, out }
`;

// ---- multipart uploads ----

// ARGV: uploadId, key, JSON of the record without seq. Returns the upload's seq.
const CREATE_UPLOAD = String.raw`
if not exists() then return missing() end
local seq = redis.call('INCR', SEQ)
redis.call('HSET', B.u, ARGV[1], cmsgpack.pack(seq, ARGV[2], ARGV[3]))
redis.call('HINCRBY', B.uk, ARGV[2], 1)
return seq
`;

// ARGV: uploadId. Returns {seq, JSON}, or nil.
const GET_UPLOAD = String.raw`
if not exists() then return missing() end
local raw = redis.call('HGET', B.u, ARGV[1])
if not raw then return false end
local seq, _, json = cmsgpack.unpack(raw)
return { seq, json }
`;

// Returns every upload as {seq, JSON}.
const LIST_UPLOADS = String.raw`
if not exists() then return missing() end
local out = {}
for _, raw in ipairs(redis.call('HVALS', B.u)) do
  local seq, _, json = cmsgpack.unpack(raw)
  out[#out + 1] = { seq, json }
end
return out
`;

// ARGV: uploadId, partNumber, blob, JSON of the part, reuse (0/1). Returns {'ok', orphans} or {'fail', reason}.
const PUT_PART = String.raw`
if not exists() then return missing() end
if redis.call('HEXISTS', B.u, ARGV[1]) == 0 then return { 'fail', 'noSuchUpload' } end
local blob = ARGV[3]
if ARGV[5] == '1' and redis.call('HEXISTS', REFS, blob) == 0 then return { 'fail', 'gone' } end
local f = ARGV[1] .. ':' .. string.format('%05d', tonumber(ARGV[2]))
ref(blob)
local old = redis.call('HGET', B.p, f)
if old then
  local oldBlob = cmsgpack.unpack(old)
  unref(oldBlob)
end
redis.call('HSET', B.p, f, cmsgpack.pack(blob, ARGV[4]))
redis.call('ZADD', B.pi, 0, f)
return { 'ok', orphans }
`;

// ARGV: uploadId. Returns the parts' JSON by part number, or nil when there is no such upload.
const LIST_PARTS = String.raw`
if not exists() then return missing() end
if redis.call('HEXISTS', B.u, ARGV[1]) == 0 then return false end
local out = {}
local lo, hi = partRange(ARGV[1])
for _, f in ipairs(redis.call('ZRANGEBYLEX', B.pi, lo, hi)) do
  local _, json = cmsgpack.unpack(redis.call('HGET', B.p, f))
  out[#out + 1] = json
end
return out
`;

// ARGV: key, write arguments, uploadId, condition. Returns as PUT_OBJECT, or {'fail', 'noSuchUpload'}.
const COMPLETE_UPLOAD = String.raw`
if not exists() then return missing() end
local key, uploadId = ARGV[1], ARGV[2 + WRITE_ARGS]
if redis.call('HEXISTS', B.u, uploadId) == 0 then return { 'fail', 'noSuchUpload' } end
local v = versionFrom(2)
local failure = checkCondition(key, 3 + WRITE_ARGS)
if failure then return { 'fail', failure } end
if redis.call('HGET', B.b, 'v') ~= 'Enabled' then v.vid = 'null' end
-- The object is written first, so a part body it shares is never unreferenced in between.
local replaced = write(key, v)
removeUpload(uploadId)
return { 'ok', reply(v, true), replaced and reply(replaced, true) or false, orphans }
`;

// ARGV: uploadId. Returns the orphans, or nil when there is no such upload.
const ABORT_UPLOAD = String.raw`
if not exists() then return missing() end
if not removeUpload(ARGV[1]) then return false end
return orphans
`;

const BODIES = {
  createBucket: CREATE_BUCKET,
  updateBucket: UPDATE_BUCKET,
  deleteBucket: DELETE_BUCKET,
  putObject: PUT_OBJECT,
  getObject: GET_OBJECT,
  deleteObject: DELETE_OBJECT,
  updateObject: UPDATE_OBJECT,
  list: LIST,
  createUpload: CREATE_UPLOAD,
  getUpload: GET_UPLOAD,
  listUploads: LIST_UPLOADS,
  putPart: PUT_PART,
  listParts: LIST_PARTS,
  completeUpload: COMPLETE_UPLOAD,
  abortUpload: ABORT_UPLOAD,
};

export type ScriptName = keyof typeof BODIES;

/** Each script's full source: the shared helpers, then its body. */
export const SCRIPTS = Object.fromEntries(Object.entries(BODIES).map(([name, body]) => [name, `${PRELUDE}\n${body}`])) as Record<ScriptName, string>;
