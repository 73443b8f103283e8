-- A token bucket per user: holds up to `limit` invitations and refills at `limit` per period
-- (a minute), so a user can send a burst of up to a period's worth and then the steady rate.
-- Only invitations that ring are charged: a request takes what it may ring up front, and gives
-- back (a negative `want`) what did not ring: a refused request, or invitees already ringing.
-- KEYS[1] the user's bucket   ARGV[1] limit per period   ARGV[2] invitations wanted (< 0: refund)
-- ARGV[3] the refill period (ms)
-- returns 0 when granted (or refunded), else the milliseconds until enough refill
local limit = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or limit
local at = tonumber(bucket[2]) or now
tokens = math.min(limit, tokens + (now - at) * limit / period)
if tokens < want then
  return math.ceil((want - tokens) * period / limit)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.4f', math.min(limit, tokens - want)), 'at', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], string.format('%d', period))
return 0
