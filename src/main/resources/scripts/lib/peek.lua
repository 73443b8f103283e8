-- Reading invitations without the conference: history and a new stream's start.
--- @include lib/base

local function decode_inv(json, x, rev)
  if not json then return nil end
  local inv = cjson.decode(json)
  inv._x = tonumber(x)
  inv._rev = rev or nil
  return inv, json
end

-- An invitation for a step that only reads it (history, connect): three fields of its
-- conference, not the whole hash.
local function peek_inv(cid, iid)
  local f = redis.call('HMGET', k_conf(cid), iid, iid .. ':x', iid .. ':r')
  return decode_inv(f[1] or nil, f[2], f[3])
end

-- A user's invitations in one direction that may still be open (created within the longest
-- ring timeout), oldest first.
local function recent(kind, uid)
  return redis.call('ZRANGEBYSCORE', k_user(kind, uid), OPEN_SINCE_S, '+inf')
end
