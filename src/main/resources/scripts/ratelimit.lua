-- A token bucket per user: holds up to `limit` invitations and refills at `limit` per minute,
-- so a user can send a burst of up to a minute's worth and then the steady rate.
-- KEYS[1] the user's bucket   ARGV[1] limit per minute   ARGV[2] invitations wanted
-- returns 0 when granted, else the milliseconds until enough refill
local limit = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or limit
local at = tonumber(bucket[2]) or now
tokens = math.min(limit, tokens + (now - at) * limit / 60000)
if tokens < want then
  return math.ceil((want - tokens) * 60000 / limit)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.4f', tokens - want), 'at', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], '60000')
return 0
