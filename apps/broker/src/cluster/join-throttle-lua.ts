import { RESERVE_PER_MINUTE, SPENT_HOLD_MS } from '../domain/join-service-throttle.ts';

/**
 * The join throttle's rules (domain/join-service-throttle.ts) as one Redis
 * script, so every broker's lookups and misses change one state atomically:
 * a Lua script runs alone on the server, so guesses spread over several
 * brokers are counted exactly as on one. The numbers are the same constants;
 * `join-throttle-redis.test.ts` plays one sequence through both and compares.
 *
 * KEYS[1] is the key prefix; ARGV: op ('admit' | 'miss' | 'settle' | 'spent' |
 * 'peek'), the address key, the time (ms), the budget, and a lookup's token:
 * an admitted lookup is in flight under it (per address and in all) until its
 * miss or its settle takes it off, and counts as a miss meanwhile, as in
 * memory; a token left by a broker that died stops counting after FLIGHT ms. Keys built in the script assume one
 * Redis server (not Redis Cluster), which is what a Beckon cluster runs.
 * Returns { verdict ('ok' | 'refuse'), wait ms, spent since ('' if not),
 * addresses when this call spent the budget (-1 otherwise) }.
 */
export const JOIN_THROTTLE_LUA = `
local P = KEYS[1]
local op, key, t, budget, token = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local A_LIMIT, A_HL, G_HL = 5, 60000, 60000
local RES, HOLD, P_REL, P_HL = ${RESERVE_PER_MINUTE}, ${SPENT_HOLD_MS}, 10, 300000
local LOCK_BASE, MAX_STRIKES = 1000, 12
local KEEP = 86400000
local MAX_KEYS = 100000
local FLIGHT = 30000

local function decayed(v, at, hl)
  if t <= at then return v end
  return v * 2 ^ (-(t - at) / hl)
end
local function read(k, hl)
  local h = redis.call('HMGET', k, 'v', 'at')
  if not h[1] then return 0 end
  return decayed(tonumber(h[1]), tonumber(h[2]), hl)
end
local function write(k, v)
  redis.call('HSET', k, 'v', string.format('%.17g', v), 'at', string.format('%.17g', t))
  redis.call('PEXPIRE', k, KEEP)
end

-- Lookups in flight under a key (an address's, or all), without those older than FLIGHT.
local function flying(k)
  redis.call('ZREMRANGEBYSCORE', k, '-inf', '(' .. string.format('%.17g', t - FLIGHT))
  return redis.call('ZCARD', k)
end
local function land()
  if token == '' then return end
  redis.call('ZREM', P .. 'f:' .. key, token)
  redis.call('ZREM', P .. 'fa', token)
end

local justSpent = -1
local function isSpent()
  local g = read(P .. 'g', G_HL)
  local since = redis.call('GET', P .. 's')
  if not since then
    if g < budget then return false end
    redis.call('SET', P .. 's', string.format('%.17g', t))
    redis.call('HSET', P .. 'r', 'tokens', RES, 'at', string.format('%.17g', t))
    local n = 0
    for _, k in ipairs(redis.call('ZRANGEBYSCORE', P .. 'recent', t - 1800000, '+inf')) do
      if read(P .. 'm:' .. k, A_HL) >= 0.5 then n = n + 1 end
    end
    justSpent = n
    return true
  end
  since = tonumber(since)
  local calm = t - since >= HOLD and read(P .. 'p', P_HL) < P_REL and g < budget
  if calm then redis.call('DEL', P .. 's') end
  return not calm
end

local function spentSince()
  return redis.call('GET', P .. 's') or ''
end
local function press()
  write(P .. 'p', read(P .. 'p', P_HL) + 1)
end
local function refuse(ms)
  if redis.call('EXISTS', P .. 's') == 1 then press() end
  return { 'refuse', string.format('%.17g', ms), spentSince(), justSpent }
end
local function ok()
  return { 'ok', '0', spentSince(), justSpent }
end

if op == 'spent' then
  isSpent()
  return ok()
end
-- Reads the state without judging it at this time: a broker's poll changes nothing.
if op == 'peek' then
  return ok()
end

if op == 'settle' then
  land()
  return ok()
end

if op == 'miss' then
  -- The miss and the end of its lookup in one step: never counted twice, nor not at all.
  land()
  local mk = P .. 'm:' .. key
  write(mk, read(mk, A_HL) + 1)
  redis.call('ZADD', P .. 'recent', t, key)
  if redis.call('ZCARD', P .. 'recent') > MAX_KEYS then redis.call('ZPOPMIN', P .. 'recent') end
  write(P .. 'g', read(P .. 'g', G_HL) + 1)
  press()
  isSpent()
  return ok()
end

-- admit
local lk = P .. 'l:' .. key
local l = redis.call('HMGET', lk, 'strikes', 'until')
local strikes, untl = tonumber(l[1]), tonumber(l[2])
if strikes and untl > t then
  -- Knocking while locked out makes the lock-out longer, doubling each time.
  strikes = math.min(strikes + 1, MAX_STRIKES)
  untl = math.max(untl, t + LOCK_BASE * 2 ^ strikes)
  redis.call('HSET', lk, 'strikes', strikes, 'until', string.format('%.17g', untl))
  redis.call('PEXPIRE', lk, KEEP)
  return refuse(untl - t)
end
local fk = P .. 'f:' .. key
local missed = read(P .. 'm:' .. key, A_HL) + flying(fk)
local spent = isSpent()
-- Not spent yet, but would be if the lookups in flight all miss: wait for them (a second) rather
-- than start on the reserve, which is filled afresh when the budget is spent.
if not spent and read(P .. 'g', G_HL) + flying(P .. 'fa') >= budget then return refuse(1000) end
if not (missed < A_LIMIT - 0.5) or (spent and missed >= 0.5) then
  local s = math.min((strikes or 0) + 1, MAX_STRIKES)
  local wait = 0
  if not (missed < A_LIMIT - 0.5) then
    wait = math.ceil(A_HL * math.log(missed / (A_LIMIT - 0.5)) / math.log(2))
  end
  local u = t + math.max(wait, LOCK_BASE * 2 ^ s)
  redis.call('HSET', lk, 'strikes', s, 'until', string.format('%.17g', u))
  redis.call('PEXPIRE', lk, KEEP)
  return refuse(u - t)
end
if spent then
  local r = redis.call('HMGET', P .. 'r', 'tokens', 'at')
  local tokens = math.min(RES, (tonumber(r[1]) or RES) + (t - (tonumber(r[2]) or t)) * (RES / 60000))
  local left = tokens
  if tokens >= 1 then left = tokens - 1 end
  redis.call('HSET', P .. 'r', 'tokens', string.format('%.17g', left), 'at', string.format('%.17g', t))
  if tokens < 1 then return refuse(math.ceil((1 - left) / (RES / 60000))) end
end
if token ~= '' then
  redis.call('ZADD', fk, t, token)
  redis.call('PEXPIRE', fk, FLIGHT)
  redis.call('ZADD', P .. 'fa', t, token)
  redis.call('PEXPIRE', P .. 'fa', FLIGHT)
end
return ok()
`;
