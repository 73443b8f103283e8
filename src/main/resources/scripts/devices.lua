-- The push devices of one user. Every key starts with KEYS[1], the user's prefix "bk:dv:{<userId>}:",
-- so each call stays in the one Redis Cluster slot of that user:
--   <prefix>d  hash  deviceId -> device JSON (platform, address fields, label, createdAt, expiresAt, addr)
--   <prefix>a  hash  addr (digest of platform + endpoint/token) -> deviceId, so a re-registration finds its device
--   <prefix>t  zset  deviceId scored by its deadline (epoch ms); lowest = renewed longest ago
-- Every call first forgets the devices past their deadline; the keys expire with the latest deadline,
-- so a user who renews nothing for the whole period leaves nothing behind.
-- KEYS[1] prefix   ARGV[1] operation, then per operation:
--   register      ARGV[2] ttl (ms)  ARGV[3] most devices kept  ARGV[4] id for a new device  ARGV[5] addr
--                 ARGV[6] the device's fields as JSON          -> the stored device JSON
--   unregister    ARGV[2] deviceId -> the forgotten device JSON, or false when there was none
--   forget-addr   ARGV[2] addr     -> the forgotten device JSON, or false when there was none
--   list                           -> the live devices' JSON, least recently renewed first
local P = KEYS[1]
local DEVICES, ADDRS, DEADLINES = P .. 'd', P .. 'a', P .. 't'
local op = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function remove(id)
  local raw = redis.call('HGET', DEVICES, id)
  if raw then
    local device = cjson.decode(raw)
    if redis.call('HGET', ADDRS, device.addr) == id then
      redis.call('HDEL', ADDRS, device.addr)
    end
    redis.call('HDEL', DEVICES, id)
  end
  redis.call('ZREM', DEADLINES, id)
  return raw
end

-- keys live as long as the latest deadline; nothing left: nothing kept
local function settle()
  local last = redis.call('ZRANGE', DEADLINES, -1, -1, 'WITHSCORES')
  if #last == 0 then
    redis.call('DEL', DEVICES, ADDRS, DEADLINES)
    return
  end
  local ttl = math.max(1, tonumber(last[2]) - now)
  for _, key in ipairs({ DEVICES, ADDRS, DEADLINES }) do
    redis.call('PEXPIRE', key, ttl)
  end
end

for _, id in ipairs(redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now)) do
  remove(id)
end

if op == 'register' then
  local ttl, max, addr = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[5]
  local fields = cjson.decode(ARGV[6])
  local id = redis.call('HGET', ADDRS, addr)
  local existing = id and redis.call('HGET', DEVICES, id)
  local device
  if existing then
    device = cjson.decode(existing)
    -- the latest registration's keys, voip and label win; a label left out is kept
    for _, name in ipairs({ 'endpoint', 'p256dh', 'auth', 'token', 'voip' }) do
      device[name] = fields[name]
    end
    if fields.label then device.label = fields.label end
  else
    id = ARGV[4]
    device = fields
    device.deviceId = id
    device.addr = addr
    device.createdAt = now
  end
  -- deadlines strictly increase, so "renewed longest ago" is never a tie
  redis.call('ZREM', DEADLINES, id)
  local latest = redis.call('ZRANGE', DEADLINES, -1, -1, 'WITHSCORES')
  local deadline = now + ttl
  if #latest > 0 and tonumber(latest[2]) >= deadline then
    deadline = tonumber(latest[2]) + 1
  end
  device.renewedAt = now
  device.expiresAt = deadline
  local json = cjson.encode(device)
  redis.call('HSET', DEVICES, id, json)
  redis.call('HSET', ADDRS, addr, id)
  redis.call('ZADD', DEADLINES, deadline, id)
  local excess = redis.call('ZCARD', DEADLINES) - max
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', DEADLINES, 0, excess - 1)) do
      remove(old)
    end
  end
  settle()
  return json
end

if op == 'unregister' or op == 'forget-addr' then
  local id = ARGV[2]
  if op == 'forget-addr' then
    id = redis.call('HGET', ADDRS, ARGV[2])
  end
  local raw = id and remove(id)
  settle()
  return raw or false
end

if op == 'list' then
  local out = {}
  for _, id in ipairs(redis.call('ZRANGE', DEADLINES, 0, -1)) do
    local raw = redis.call('HGET', DEVICES, id)
    if raw then out[#out + 1] = raw end
  end
  settle()
  return out
end

return redis.error_reply('ERR unknown devices operation ' .. tostring(op))
