-- GCRA over one or more buckets in one round trip; the same rules as io.authgateway.limits.Gcra,
-- in microseconds of the Redis server's clock (so replicas with skewed clocks still agree).
-- KEYS[i]: a bucket's key, holding its theoretical arrival time (TAT).
-- ARGV[2i-1]: the take's cost in microseconds; ARGV[2i]: the bucket's burst in microseconds;
-- ARGV[2n+1]: "take" (all or nothing: refused if one does not fit) or "charge" (always added).
-- Returns {1, 0, 0} when taken, {0, i, wait_us} when bucket i refused.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local n = #KEYS
local take = ARGV[2 * n + 1] == 'take'
local next = {}
for i = 1, n do
  local cost = tonumber(ARGV[2 * i - 1])
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  local base = math.max(tat, now)
  local moved = base + cost
  if take and moved - now > tolerance and base > now then
    return {0, i, math.min(moved - tolerance, base) - now}
  end
  next[i] = moved
end
for i = 1, n do
  -- kept while it owes anything, plus a second; %.0f keeps large numbers out of exponent form
  local ttl = math.ceil((next[i] - now) / 1000) + 1000
  redis.call('SET', KEYS[i], string.format('%.0f', next[i]), 'PX', string.format('%.0f', ttl))
end
return {1, 0, 0}
