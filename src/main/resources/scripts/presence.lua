-- Presence of one user: a sorted set of their open sessions scored by when each stops counting.
-- Gateways refresh their sessions' scores on every heartbeat, so a crashed gateway's sessions
-- lapse by themselves within the lease.
-- KEYS[1] the user's presence key   ARGV[1] lease (ms)   ARGV[2] 'add' or 'remove'   ARGV[3..] session ids
-- returns the number of sessions counting now
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 3, #ARGV do
  if ARGV[2] == 'add' then
    redis.call('ZADD', KEYS[1], now + lease, ARGV[i])
  else
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = redis.call('ZCARD', KEYS[1])
if count > 0 then redis.call('PEXPIRE', KEYS[1], lease) end
return count
