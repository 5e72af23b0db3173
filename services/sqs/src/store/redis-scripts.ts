/**
 * The Lua scripts of the Redis SQS store: each store method that changes state is one script, so it is
 * atomic across every replica sharing the Redis. Keys follow redis-keys.ts; a queue is passed as its
 * block of 12 KEYS. Time is always ARGV (`now` from the shared clock), never Redis TIME or key expiry.
 *
 * Lua numbers are doubles: instants and counters (< 2^53) are exact, and redis.call formats number
 * arguments with %.17g. Numbers are never concatenated into strings (that rounds to 14 digits): range
 * bounds such as '(' .. now use the ARGV text.
 */

/** What a script answers when its queue does not exist (an error reply; the store maps it). */
export const QUEUE_MISSING = 'SQS_QUEUE_MISSING';

const PRELUDE = String.raw`
local BLOCK = 12

local function qkeys(i)
  return { q = KEYS[i], a = KEYS[i + 1], t = KEYS[i + 2], m = KEYS[i + 3], s = KEYS[i + 4], v = KEYS[i + 5],
    e = KEYS[i + 6], d = KEYS[i + 7], o = KEYS[i + 8], g = KEYS[i + 9], dd = KEYS[i + 10], dx = KEYS[i + 11] }
end

local function missing() return redis.error_reply('${QUEUE_MISSING}') end

-- The queue's FIFO flag, or nil when it does not exist.
local function fifoOf(K)
  local f = redis.call('HGET', K.q, 'fifo')
  if f then return f == '1' end
end

local function record(K)
  return { redis.call('HGETALL', K.q), redis.call('HGETALL', K.a), redis.call('HGETALL', K.t) }
end

-- Message state: seq (store-wide arrival number, the FIFO sequence number), vseq (order in which
-- messages of the queue got their current visibleAt: ties at one instant go to the earlier), enqueuedAt,
-- visibleAt, receiveCount, receipt, first and last receive (false until received), group, dead-letter
-- source ARN ('' none).
local function getState(K, id)
  local raw = redis.call('HGET', K.s, id)
  if not raw then return nil end
  local seq, vseq, enq, vis, rc, receipt, first, last, group, dlsrc = cmsgpack.unpack(raw)
  return { id = id, seq = seq, vseq = vseq, enq = enq, vis = vis, rc = rc, receipt = receipt, first = first,
    last = last, group = group, dlsrc = dlsrc }
end

local function putState(K, st)
  redis.call('HSET', K.s, st.id,
    cmsgpack.pack(st.seq, st.vseq, st.enq, st.vis, st.rc, st.receipt, st.first, st.last, st.group, st.dlsrc))
end

local function pad(n) return string.format('%016d', n) end
local function member(st) return pad(st.vseq) .. st.id end
local function idOf(m) return string.sub(m, 17) end
local function orderMember(st) return st.group .. '\0' .. pad(st.seq) .. st.id end
local function groupMember(st) return pad(st.vseq) .. st.group end

-- Takes n visibility order numbers of the queue; returns the one before the first.
local function takeVseqs(K, n) return redis.call('HINCRBY', K.q, 'vseq', n) - n end

-- The K.o member of a group's oldest message.
local function firstOf(K, group)
  return redis.call('ZRANGEBYLEX', K.o, '[' .. group .. '\0', '(' .. group .. '\1', 'LIMIT', 0, 1)[1]
end

-- Points a group's K.g entry at its oldest message (old: the entry it had).
local function reindexGroup(K, group, old)
  redis.call('ZREM', K.g, old)
  local first = firstOf(K, group)
  if first then
    local head = getState(K, string.sub(first, #group + 18))
    redis.call('ZADD', K.g, head.vis, groupMember(head))
  end
end

-- Takes a message out of the message indexes; its group's K.g entry is left to the caller.
local function unlink(K, fifo, st)
  redis.call('HDEL', K.m, st.id)
  redis.call('HDEL', K.s, st.id)
  redis.call('ZREM', K.v, member(st))
  redis.call('ZREM', K.e, st.id)
  if st.rc == 0 then redis.call('ZREM', K.d, st.id) end
  if fifo then redis.call('ZREM', K.o, orderMember(st)) end
end

-- Gives a message a new visibleAt and visibility order number (K.g is left to the caller) and stores it.
local function setVisibility(K, st, vis, vseq)
  redis.call('ZREM', K.v, member(st))
  st.vis, st.vseq = vis, vseq
  putState(K, st)
  redis.call('ZADD', K.v, vis, member(st))
end

local function remove(K, fifo, st)
  local wasHead = fifo and redis.call('ZSCORE', K.g, groupMember(st))
  unlink(K, fifo, st)
  if wasHead then reindexGroup(K, st.group, groupMember(st)) end
end

-- Adds a message as the queue's newest arrival, numbered from the store-wide counter SEQ; returns its state.
local function enqueue(K, SEQ, fifo, now, id, content, enq, vis, rc, first, last, group, dlsrc)
  local st = { id = id, seq = redis.call('INCR', SEQ), vseq = takeVseqs(K, 1) + 1, enq = enq, vis = vis, rc = rc,
    receipt = 0, first = first, last = last, group = group, dlsrc = dlsrc }
  redis.call('HSET', K.m, id, content)
  putState(K, st)
  redis.call('ZADD', K.v, vis, member(st))
  redis.call('ZADD', K.e, enq, id)
  if rc == 0 and vis > now then redis.call('ZADD', K.d, vis, id) end
  if fifo then
    local om = orderMember(st)
    redis.call('ZADD', K.o, 0, om)
    if firstOf(K, group) == om then redis.call('ZADD', K.g, vis, groupMember(st)) end
  end
  return st
end

-- Drops every message past the queue's MessageRetentionPeriod (counted from enqueuedAt) at now.
local function dropExpired(K, fifo, now)
  local period = redis.call('HGET', K.a, 'MessageRetentionPeriod')
  if not period then return end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.e, '-inf', now - tonumber(period) * 1000)) do
    remove(K, fifo, getState(K, id))
  end
end

-- visible, notVisible, delayed at now (nowArg: its ARGV text).
local function counts(K, nowArg)
  local visible = redis.call('ZCOUNT', K.v, '-inf', nowArg)
  local delayed = redis.call('ZCOUNT', K.d, '(' .. nowArg, '+inf')
  return { visible, redis.call('ZCARD', K.v) - visible - delayed, delayed }
end

-- ARGV[i] = n, ARGV[i+1 .. i+n] = name/value pairs to set, the rest = names to remove.
local function change(key, i)
  local n = tonumber(ARGV[i])
  if n > 0 then redis.call('HSET', key, unpack(ARGV, i + 1, i + n)) end
  if #ARGV > i + n then redis.call('HDEL', key, unpack(ARGV, i + n + 1)) end
end
`;

// KEYS: queue block, queues index. ARGV: queueKey, nRecord, nAttributes, record pairs, attribute pairs,
// tag pairs. Returns {1} when created, else {0, record}.
const CREATE_QUEUE = String.raw`
local K = qkeys(1)
if redis.call('EXISTS', K.q) == 1 then return { 0, record(K) } end
local nr, na = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HSET', K.q, unpack(ARGV, 4, 3 + nr))
if na > 0 then redis.call('HSET', K.a, unpack(ARGV, 4 + nr, 3 + nr + na)) end
if #ARGV > 3 + nr + na then redis.call('HSET', K.t, unpack(ARGV, 4 + nr + na)) end
redis.call('ZADD', KEYS[BLOCK + 1], 0, ARGV[1])
return { 1 }
`;

// KEYS: queue block. Returns the record, or nil.
const GET_QUEUE = String.raw`
local K = qkeys(1)
if redis.call('EXISTS', K.q) == 0 then return false end
return record(K)
`;

// KEYS: queue block. ARGV: lastModifiedAt, then changes as in change(). Returns the record.
const SET_ATTRIBUTES = String.raw`
local K = qkeys(1)
if redis.call('EXISTS', K.q) == 0 then return missing() end
change(K.a, 2)
redis.call('HSET', K.q, 'modified', ARGV[1])
return record(K)
`;

// KEYS: queue block. ARGV: changes as in change(). Returns the record.
const UPDATE_TAGS = String.raw`
local K = qkeys(1)
if redis.call('EXISTS', K.q) == 0 then return missing() end
change(K.t, 1)
return record(K)
`;

// KEYS: queue block, queues index. ARGV: queueKey. Returns 1 when deleted, 0 when absent.
const DELETE_QUEUE = String.raw`
local K = qkeys(1)
if redis.call('EXISTS', K.q) == 0 then return 0 end
redis.call('UNLINK', unpack(KEYS, 1, BLOCK))
redis.call('ZREM', KEYS[BLOCK + 1], ARGV[1])
return 1
`;

// KEYS: queue block, sequence counter. ARGV: now, dedupWindowMs, then per message: id, content, delayMs,
// groupId, dedupId. Returns fifo (0/1), then per message: duplicate (0/1), message id, sequence number.
const SEND = String.raw`
local K, SEQ = qkeys(1), KEYS[BLOCK + 1]
local meta = redis.call('HMGET', K.q, 'fifo', 'dpg')
if not meta[1] then return missing() end
local fifo, perGroup = meta[1] == '1', meta[2] == '1'
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
if fifo then
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', K.dx, '-inf', now)) do redis.call('HDEL', K.dd, key) end
  redis.call('ZREMRANGEBYSCORE', K.dx, '-inf', now)
end
local out = { fifo and 1 or 0 }
for i = 3, #ARGV, 5 do
  local id, content, delay, group, dedupId = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3], ARGV[i + 4]
  local key, seenId, seenSeq
  if fifo then
    key = perGroup and (group .. '\0' .. dedupId) or dedupId
    local raw = redis.call('HGET', K.dd, key)
    if raw then
      local expiresAt, mid, seq = cmsgpack.unpack(raw)
      if expiresAt > now then seenId, seenSeq = mid, seq end
    end
  end
  if seenId then
    out[#out + 1] = 1
    out[#out + 1] = seenId
    out[#out + 1] = seenSeq
  else
    local st = enqueue(K, SEQ, fifo, now, id, content, now, now + delay, 0, false, false, group, '')
    if fifo then
      redis.call('HSET', K.dd, key, cmsgpack.pack(now + window, id, st.seq))
      redis.call('ZADD', K.dx, now + window, key)
    end
    out[#out + 1] = 0
    out[#out + 1] = id
    out[#out + 1] = st.seq
  end
end
return out
`;

// KEYS: queue block, sequence counter, then the dead-letter queue's block when the caller saw a redrive
// policy.
// ARGV: now, max, visibilityTimeoutMs, the RedrivePolicy the keys were derived from ('' none),
// maxReceiveCount ('' none).
// Returns {'stale', current policy} when the policy changed since (the caller derives keys again), else
// {'ok', moved (0/1), fifo (0/1), then per message: content, sequence number, receipt, receiveCount,
// firstReceivedAt, deadLetterSourceArn}.
const RECEIVE = String.raw`
local K, SEQ = qkeys(1), KEYS[BLOCK + 1]
local fifo = fifoOf(K)
if fifo == nil then return missing() end
local policy = redis.call('HGET', K.a, 'RedrivePolicy') or ''
if policy ~= ARGV[4] then return { 'stale', policy } end
local now, max, vt = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local maxReceives = tonumber(ARGV[5])
local D, dlqFifo, arn
if maxReceives and KEYS[BLOCK + 2] and KEYS[BLOCK + 2] ~= K.q then
  D = qkeys(BLOCK + 2)
  dlqFifo = fifoOf(D)
  if dlqFifo == nil then D = nil else arn = redis.call('HGET', K.q, 'arn') end
end
dropExpired(K, fifo, now)

-- Decided first, applied after: a message taken with VisibilityTimeout 0 must not come round again in
-- this call, and the scans below rely on taken messages keeping their place in the indexes meanwhile.
local chosen, moved, touched = {}, 0, {}

local function consider(st)
  if D and st.rc >= maxReceives then
    local content = redis.call('HGET', K.m, st.id)
    unlink(K, fifo, st)
    -- Standard queues keep the original enqueue time for retention; FIFO queues restart it.
    enqueue(D, SEQ, dlqFifo, now, st.id, content, dlqFifo and now or st.enq, now, st.rc, st.first, st.last, st.group,
      arn)
    moved = 1
    return false
  end
  chosen[#chosen + 1] = st
  return true
end

if not fifo then
  while #chosen < max do
    -- Taken messages are the first #chosen of the visible range; dead-lettered ones have left it.
    local batch = redis.call('ZRANGEBYSCORE', K.v, '-inf', now, 'LIMIT', #chosen, max - #chosen)
    if #batch == 0 then break end
    for _, m in ipairs(batch) do consider(getState(K, idOf(m))) end
  end
else
  while #chosen < max do
    local gm = redis.call('ZRANGEBYSCORE', K.g, '-inf', now, 'LIMIT', #touched, 1)[1]
    if not gm then break end
    touched[#touched + 1] = gm
    local group = string.sub(gm, 17)
    local lo, hi = '[' .. group .. '\0', '(' .. group .. '\1'
    local taken, blocked = 0, false
    while not blocked and #chosen < max do
      local batch = redis.call('ZRANGEBYLEX', K.o, lo, hi, 'LIMIT', taken, max - #chosen)
      if #batch == 0 then break end
      for _, om in ipairs(batch) do
        local st = getState(K, string.sub(om, #group + 18))
        if st.vis > now then blocked = true break end
        if consider(st) then taken = taken + 1 end
      end
    end
  end
end

local out = { 'ok', moved, fifo and 1 or 0 }
local receipt, vseq = 0, 0
if #chosen > 0 then
  receipt = redis.call('HINCRBY', K.q, 'rcpt', #chosen) - #chosen
  vseq = takeVseqs(K, #chosen)
end
for _, st in ipairs(chosen) do
  if st.rc == 0 then redis.call('ZREM', K.d, st.id) end
  receipt, vseq = receipt + 1, vseq + 1
  st.rc, st.receipt, st.last = st.rc + 1, receipt, now
  if not st.first then st.first = now end
  setVisibility(K, st, now + vt, vseq)
  out[#out + 1] = redis.call('HGET', K.m, st.id)
  out[#out + 1] = st.seq
  out[#out + 1] = st.receipt
  out[#out + 1] = st.rc
  out[#out + 1] = st.first
  out[#out + 1] = st.dlsrc
end
for _, gm in ipairs(touched) do reindexGroup(K, string.sub(gm, 17), gm) end
return out
`;

// KEYS: queue block. ARGV: now, then (messageId, receipt) pairs. Returns one outcome per pair.
const DELETE_MESSAGES = String.raw`
local K = qkeys(1)
local fifo = fifoOf(K)
if fifo == nil then return missing() end
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV, 2 do
  local st = getState(K, ARGV[i])
  if not st then
    out[#out + 1] = 'gone'
  elseif fifo and (st.receipt ~= tonumber(ARGV[i + 1]) or st.vis <= now) then
    out[#out + 1] = 'expired'
  else
    remove(K, fifo, st)
    out[#out + 1] = 'done'
  end
end
return out
`;

// KEYS: queue block. ARGV: now, longest visibility after a receive (ms), then (messageId, receipt,
// visibilityTimeoutMs) triples. Returns one outcome per triple.
const CHANGE_VISIBILITY = String.raw`
local K = qkeys(1)
local fifo = fifoOf(K)
if fifo == nil then return missing() end
local now, longest = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV, 3 do
  local st = getState(K, ARGV[i])
  if not st then
    out[#out + 1] = 'gone'
  elseif fifo and (st.receipt ~= tonumber(ARGV[i + 1]) or st.vis <= now) then
    out[#out + 1] = 'expired'
  else
    local vis = now + tonumber(ARGV[i + 2])
    if vis - (st.last or now) > longest then
      out[#out + 1] = 'tooLong'
    else
      local isHead = fifo and redis.call('ZSCORE', K.g, groupMember(st))
      if isHead then redis.call('ZREM', K.g, groupMember(st)) end
      setVisibility(K, st, vis, takeVseqs(K, 1) + 1)
      if isHead then redis.call('ZADD', K.g, vis, groupMember(st)) end
      if st.rc == 0 then
        if vis > now then redis.call('ZADD', K.d, vis, st.id) else redis.call('ZREM', K.d, st.id) end
      end
      out[#out + 1] = 'done'
    end
  end
end
return out
`;

// KEYS: queue block. ARGV: now. Returns visible, notVisible, delayed (dropping what retention ended).
const COUNTS = String.raw`
local K = qkeys(1)
local fifo = fifoOf(K)
if fifo == nil then return missing() end
dropExpired(K, fifo, tonumber(ARGV[1]))
return counts(K, ARGV[1])
`;

// KEYS: queue block. ARGV: now. Returns the earliest visibleAt after now (of a message, or for FIFO of a
// group's oldest message), or nil.
const NEXT_VISIBLE_AT = String.raw`
local K = qkeys(1)
local fifo = fifoOf(K)
if fifo == nil then return missing() end
return redis.call('ZRANGEBYSCORE', fifo and K.g or K.v, '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2] or false
`;

// KEYS: queue block. ARGV: now, purge interval (ms). Returns 'purged' or 'inProgress'.
const PURGE = String.raw`
local K = qkeys(1)
if redis.call('EXISTS', K.q) == 0 then return missing() end
local last = redis.call('HGET', K.q, 'purged')
if last and tonumber(ARGV[1]) - tonumber(last) < tonumber(ARGV[2]) then return 'inProgress' end
redis.call('UNLINK', K.m, K.s, K.v, K.e, K.d, K.o, K.g, K.dd, K.dx)
redis.call('HSET', K.q, 'purged', ARGV[1])
return 'purged'
`;

// KEYS: queue block. ARGV: now. Returns nil when the queue is gone, else {record, counts, then per
// in-flight message: id, group, receiveCount, visibleAt}.
const DUMP_QUEUE = String.raw`
local K = qkeys(1)
local fifo = fifoOf(K)
if fifo == nil then return false end
dropExpired(K, fifo, tonumber(ARGV[1]))
local out = { record(K), counts(K, ARGV[1]) }
for _, m in ipairs(redis.call('ZRANGEBYSCORE', K.v, '(' .. ARGV[1], '+inf')) do
  local st = getState(K, idOf(m))
  if st.rc > 0 then
    out[#out + 1] = st.id
    out[#out + 1] = st.group
    out[#out + 1] = st.rc
    out[#out + 1] = st.vis
  end
end
return out
`;

// KEYS: source queue block, task, tasks of the source, running tasks, all tasks.
// ARGV: taskId, startedAt, then the record's other fields as name/value pairs.
// Returns 'alreadyRunning', or toMove.
const START_MOVE_TASK = String.raw`
local K = qkeys(1)
local T, OF, RUN, ALL = KEYS[BLOCK + 1], KEYS[BLOCK + 2], KEYS[BLOCK + 3], KEYS[BLOCK + 4]
for _, id in ipairs(redis.call('ZRANGE', OF, 0, -1)) do
  if redis.call('SISMEMBER', RUN, id) == 1 then return 'alreadyRunning' end
end
local fifo = fifoOf(K)
if fifo == nil then return missing() end
local started = tonumber(ARGV[2])
dropExpired(K, fifo, started)
local toMove = redis.call('ZCOUNT', K.v, '-inf', started)
redis.call('HSET', T, 'taskId', ARGV[1], 'startedAt', ARGV[2], 'status', 'RUNNING', 'moved', 0, 'toMove', toMove,
  unpack(ARGV, 3))
redis.call('ZADD', OF, started, ARGV[1])
redis.call('SADD', RUN, ARGV[1])
redis.call('SADD', ALL, ARGV[1])
return toMove
`;

// KEYS: task, running tasks, sequence counter, source queue block, then one queue block per destination
// ARN in ARGV.
// ARGV: now, the source ARN the keys are for, destination ARNs.
// Returns {'none'} (no such task); {'source', arn} or {'need', arn...}: call again with keys for that
// source or those destinations too (no message moved); or {'done', task fields, then the 1-based
// positions in ARGV's destinations of the queues that received messages}.
const ADVANCE_MOVE_TASK = String.raw`
local T, RUN, SEQ = KEYS[1], KEYS[2], KEYS[3]
local f = redis.call('HMGET', T, 'sourceArn', 'destinationArn', 'maxPerSecond', 'startedAt', 'toMove', 'moved',
  'status', 'taskId')
local src, dst, mps, started, toMove, moved, status = f[1], f[2], tonumber(f[3]), tonumber(f[4]), tonumber(f[5]),
  tonumber(f[6]), f[7]
if not src then return { 'none' } end
if status ~= 'RUNNING' then return { 'done', redis.call('HGETALL', T) } end
if src ~= ARGV[2] then return { 'source', src } end
local K = qkeys(4)
local fifo = fifoOf(K)
local now = tonumber(ARGV[1])
local failed, moreLeft, received = false, false, {}
if fifo == nil then
  failed = true
else
  local owed = toMove
  if mps then owed = math.min(toMove, math.floor((now - started) * mps / 1000) + 1) end
  dropExpired(K, fifo, now)
  local visible = {}
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', K.v, '-inf', now)) do visible[#visible + 1] = getState(K, idOf(m)) end
  table.sort(visible, function(x, y) return x.seq < y.seq end)
  local position, plan, need, needed = {}, {}, {}, {}
  for i = 3, #ARGV do position[ARGV[i]] = i - 2 end
  for _, st in ipairs(visible) do
    local arn = dst or st.dlsrc
    if arn ~= '' then
      if moved + #plan >= owed then
        moreLeft = true
        break
      end
      if not position[arn] and not needed[arn] then
        needed[arn] = true
        need[#need + 1] = arn
      end
      plan[#plan + 1] = { st, position[arn] }
    end
  end
  if #need > 0 then return { 'need', unpack(need) } end
  for _, p in ipairs(plan) do
    local st, D = p[1], qkeys(4 + BLOCK * p[2])
    local dfifo = fifoOf(D)
    if dfifo == nil then
      failed = true
      break
    end
    local content = redis.call('HGET', K.m, st.id)
    remove(K, fifo, st)
    enqueue(D, SEQ, dfifo, now, st.id, content, dfifo and now or st.enq, now, 0, false, false, st.group, '')
    received[p[2]] = true
    moved = moved + 1
  end
end
if failed then
  status = 'FAILED'
  redis.call('HSET', T, 'failureReason', 'AWS.SimpleQueueService.NonExistentQueue')
elseif moved >= toMove or not moreLeft then
  status = 'COMPLETED'
end
redis.call('HSET', T, 'moved', moved, 'status', status)
if status ~= 'RUNNING' then redis.call('SREM', RUN, f[8]) end
local out = { 'done', redis.call('HGETALL', T) }
for i = 1, #ARGV - 2 do
  if received[i] then out[#out + 1] = i end
end
return out
`;

// KEYS: task, running tasks. ARGV: taskId. Returns the task's fields, or nil.
const CANCEL_MOVE_TASK = String.raw`
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
if status == 'RUNNING' then
  redis.call('HSET', KEYS[1], 'status', 'CANCELLED')
  redis.call('SREM', KEYS[2], ARGV[1])
end
return redis.call('HGETALL', KEYS[1])
`;

const BODIES = {
  createQueue: CREATE_QUEUE,
  getQueue: GET_QUEUE,
  setAttributes: SET_ATTRIBUTES,
  updateTags: UPDATE_TAGS,
  deleteQueue: DELETE_QUEUE,
  send: SEND,
  receive: RECEIVE,
  deleteMessages: DELETE_MESSAGES,
  changeVisibility: CHANGE_VISIBILITY,
  counts: COUNTS,
  nextVisibleAt: NEXT_VISIBLE_AT,
  purge: PURGE,
  dumpQueue: DUMP_QUEUE,
  startMoveTask: START_MOVE_TASK,
  advanceMoveTask: ADVANCE_MOVE_TASK,
  cancelMoveTask: CANCEL_MOVE_TASK,
};

export type ScriptName = keyof typeof BODIES;

/** Each script's full source: the shared helpers, then its body. */
export const SCRIPTS = Object.fromEntries(
  Object.entries(BODIES).map(([name, body]) => [name, `${PRELUDE}\n${body}`]),
) as Record<ScriptName, string>;
