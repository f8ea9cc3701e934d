/**
 * The Lua scripts of the Redis state store. Redis runs a script atomically (no other command runs
 * in between), so the fence check and the write it guards are one step: a holder whose lock
 * expired or was taken over cannot slip a write in after the check. Every write of the store is
 * one script, so it applies all of its items or none of them.
 *
 * Keys, under the store's prefix P (see keys in store.ts):
 *   P:actions        hash   action key -> entry JSON
 *   P:astate         hash   action key -> state (to move it between the per-state sets)
 *   P:actions:<st>   zset   action keys in one state, score 0 (ordered by key: ZRANGEBYLEX)
 *   P:done_at        zset   done action keys, score = time recorded (ms), for retention
 *   P:offers:<scope> hash   sku -> "price|quantity" (a part empty until confirmed once)
 *   P:offer_scopes   set    scopes with offers
 *   P:cursors        hash   name -> JSON
 *   P:fb:<pipeline>  zset   "<seq>|<record JSON>", score = time (ms); P:fb_pipelines, P:fb_seq
 *   P:lock:<name>    hash   token, holder (JSON, "" when released), expires (ms); P:locks set
 *
 * The clock: ARGV "now" when the store was given one (tests), else the Redis server's TIME, so
 * every machine of a fleet judges lock expiry by one clock.
 */

/** Shared by every script: the clock and the fence check. */
const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local P = ARGV[1]
local function nowms(arg)
  if arg ~= nil and arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function num(x) return string.format('%.0f', x) end
local now = nowms(ARGV[2])
local function fence(name, token)
  if name == '' then return nil end
  local l = redis.call('HMGET', P .. ':lock:' .. name, 'token', 'holder', 'expires')
  if l[1] == token and l[2] and l[2] ~= '' and tonumber(l[3]) > now then return nil end
  return {'LOST', l[1] or '', l[2] or '', l[3] or ''}
end
`;

/** ARGV: P, now, fenceName, fenceToken, then (key, state, json, doneScore) per entry. */
export const RECORD_ACTIONS = `${PRELUDE}
local lost = fence(ARGV[3], ARGV[4])
if lost then return lost end
for i = 5, #ARGV, 4 do
  local key, st, json, score = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local old = redis.call('HGET', P .. ':astate', key)
  if old and old ~= st then redis.call('ZREM', P .. ':actions:' .. old, key) end
  redis.call('HSET', P .. ':actions', key, json)
  redis.call('HSET', P .. ':astate', key, st)
  redis.call('ZADD', P .. ':actions:' .. st, 0, key)
  if st == 'done' then redis.call('ZADD', P .. ':done_at', score, key) else redis.call('ZREM', P .. ':done_at', key) end
end
return {'OK'}
`;

/** ARGV: P, now, fenceName, fenceToken, scope, then (sku, price, quantity) per update ('' = not sent). */
export const CONFIRM_OFFERS = `${PRELUDE}
local lost = fence(ARGV[3], ARGV[4])
if lost then return lost end
local h = P .. ':offers:' .. ARGV[5]
for i = 6, #ARGV, 3 do
  local sku, price, qty = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local old = redis.call('HGET', h, sku)
  if old then
    local sep = string.find(old, '|', 1, true)
    if price == '' then price = string.sub(old, 1, sep - 1) end
    if qty == '' then qty = string.sub(old, sep + 1) end
  end
  redis.call('HSET', h, sku, price .. '|' .. qty)
end
redis.call('SADD', P .. ':offer_scopes', ARGV[5])
return {'OK'}
`;

/** ARGV: P, now, fenceName, fenceToken, name, json. */
export const SAVE_CURSOR = `${PRELUDE}
local lost = fence(ARGV[3], ARGV[4])
if lost then return lost end
redis.call('HSET', P .. ':cursors', ARGV[5], ARGV[6])
return {'OK'}
`;

/** ARGV: P, now, then (pipeline, score, recordJson) per line. Sequence numbers keep insertion order among equal times. */
export const RECORD_FEEDBACK = `${PRELUDE}
local n = (#ARGV - 2) / 3
local last = redis.call('INCRBY', P .. ':fb_seq', n)
local seq = last - n
for i = 3, #ARGV, 3 do
  seq = seq + 1
  redis.call('ZADD', P .. ':fb:' .. ARGV[i], ARGV[i + 1], string.format('%016d', seq) .. '|' .. ARGV[i + 2])
  redis.call('SADD', P .. ':fb_pipelines', ARGV[i])
end
return {'OK'}
`;

/** ARGV: P, now, name, holderJson, ttlMs, replacing ('' = none). Returns {taken(1|0), token, holder, expires}. */
export const TRY_LOCK = `${PRELUDE}
local k = P .. ':lock:' .. ARGV[3]
local l = redis.call('HMGET', k, 'token', 'holder', 'expires')
if l[2] and l[2] ~= '' and tonumber(l[3]) > now and l[1] ~= ARGV[6] then
  return {'0', l[1], l[2], l[3]}
end
local token = (tonumber(l[1]) or 0) + 1
local expires = now + tonumber(ARGV[5])
redis.call('HSET', k, 'token', num(token), 'holder', ARGV[4], 'expires', num(expires))
redis.call('SADD', P .. ':locks', ARGV[3])
return {'1', num(token), ARGV[4], num(expires)}
`;

/** ARGV: P, now, name, token, ttlMs. Returns the new expiry, or '' when the lease is lost or expired. */
export const RENEW_LOCK = `${PRELUDE}
local k = P .. ':lock:' .. ARGV[3]
if fence(ARGV[3], ARGV[4]) then return '' end
local expires = now + tonumber(ARGV[5])
redis.call('HSET', k, 'expires', num(expires))
return num(expires)
`;

/** ARGV: P, now, name, token. The token stays, so the next one is higher. */
export const RELEASE_LOCK = `${PRELUDE}
local k = P .. ':lock:' .. ARGV[3]
if redis.call('HGET', k, 'token') == ARGV[4] then redis.call('HSET', k, 'holder', '') end
return 'OK'
`;

/**
 * ARGV: P, now, doneCutoffMs, feedbackCutoffMs, dryRun ('1'), limit ('' = all). Removes the oldest
 * first, at most `limit` done entries and `limit` feedback lines per call (a big backlog goes in
 * short scripts: Redis runs nothing else while one runs); dryRun counts them all. Returns {done, feedback}.
 */
export const PRUNE = `${PRELUDE}
local dry = ARGV[5] == '1'
local limit = tonumber(ARGV[6])
if dry then
  local fb = 0
  for _, p in ipairs(redis.call('SMEMBERS', P .. ':fb_pipelines')) do fb = fb + redis.call('ZCOUNT', P .. ':fb:' .. p, '-inf', '(' .. ARGV[4]) end
  return {num(redis.call('ZCOUNT', P .. ':done_at', '-inf', '(' .. ARGV[3])), num(fb)}
end
local keys
if limit then keys = redis.call('ZRANGEBYSCORE', P .. ':done_at', '-inf', '(' .. ARGV[3], 'LIMIT', 0, limit)
else keys = redis.call('ZRANGEBYSCORE', P .. ':done_at', '-inf', '(' .. ARGV[3]) end
for _, key in ipairs(keys) do
  redis.call('HDEL', P .. ':actions', key)
  redis.call('HDEL', P .. ':astate', key)
  redis.call('ZREM', P .. ':actions:done', key)
  redis.call('ZREM', P .. ':done_at', key)
end
local old = {}
for _, p in ipairs(redis.call('SMEMBERS', P .. ':fb_pipelines')) do
  local z = P .. ':fb:' .. p
  local rows
  if limit then rows = redis.call('ZRANGEBYSCORE', z, '-inf', '(' .. ARGV[4], 'WITHSCORES', 'LIMIT', 0, limit)
  else rows = redis.call('ZRANGEBYSCORE', z, '-inf', '(' .. ARGV[4], 'WITHSCORES') end
  for i = 1, #rows, 2 do old[#old + 1] = {z, rows[i], tonumber(rows[i + 1])} end
end
table.sort(old, function(a, b) if a[3] ~= b[3] then return a[3] < b[3] end return a[2] < b[2] end)
local n = #old
if limit and n > limit then n = limit end
for i = 1, n do redis.call('ZREM', old[i][1], old[i][2]) end
return {num(#keys), num(n)}
`;
