-- Takes `want` invitations from a user's bucket (see lib/ratelimit.lua), or gives back a
-- negative `want`: what a request took up front and did not ring (a refused request, invitees
-- already ringing).
-- KEYS[1] the user's bucket   ARGV[1] limit per period   ARGV[2] invitations wanted (< 0: refund)
-- ARGV[3] the refill period (ms)
-- returns 0 when granted (or refunded), else the milliseconds until enough refill
--- @include lib/ratelimit
local limit = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens = bucket_tokens(KEYS[1], limit, period, now)
local wait = bucket_wait(tokens, want, limit, period)
if wait > 0 then return wait end
bucket_write(KEYS[1], tokens - want, limit, period, now)
return 0
