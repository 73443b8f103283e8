-- The invitation rate limit: a token bucket per user (bk:rl:{<userId>}, see
-- ratelimit/InviteRateLimit) that holds up to `limit` invitations and refills at `limit` per
-- period (ms), so a user can send a burst of up to a period's worth and then the steady rate.
-- Shared by ratelimit.lua (a Redis Cluster, where the bucket sits in its user's own slot and is
-- charged before the step and refunded after it) and the invite step on a single Redis, which
-- charges exactly what it rang in the same atomic step.

local function bucket_key(uid) return 'bk:rl:{' .. uid .. '}' end

-- The bucket's tokens at now (ms), refilled since it was last written. The bucket is one string,
-- "<tokens> <ms when written>", so reading it is one GET and writing it one SET with its TTL; a
-- bucket another version left as a hash reads as full.
local function bucket_tokens(key, limit, period, now)
  local bucket = redis.pcall('GET', key)
  local tokens, at
  if type(bucket) == 'string' then tokens, at = string.match(bucket, '^(%S+) (%d+)$') end
  tokens, at = tonumber(tokens) or limit, tonumber(at) or now
  return math.min(limit, tokens + (now - at) * limit / period)
end

-- Milliseconds until the bucket holds `want` tokens; 0 when it does.
local function bucket_wait(tokens, want, limit, period)
  if tokens >= want then return 0 end
  return math.ceil((want - tokens) * period / limit)
end

-- Stores what is left; the bucket expires once it would be full again (SET replaces a bucket
-- another version left as a hash).
local function bucket_write(key, tokens, limit, period, now)
  redis.call('SET', key, string.format('%.4f %d', math.min(limit, tokens), now), 'PX', string.format('%d', period))
end
