-- Reading invitations without the conference: history and a new stream's start.
--- @include lib/conference

local function decode_inv(json, x, rev)
  if not json then return nil end
  local inv = cjson.decode(json)
  inv._x = tonumber(x)
  inv._rev = rev or nil
  return inv, json
end

-- An invitation for a step that only reads it (history, connect): three fields of its
-- conference, found in its text without reading the rest.
local function peek_inv(cid, iid)
  local raw = conf_raw(cid)
  if not raw then return nil end
  return decode_inv(conf_field(raw, iid), conf_field(raw, iid .. ':x'), conf_field(raw, iid .. ':r'))
end

-- A user's invitations in one direction that may still be open (created within the longest
-- ring timeout), oldest first.
local function recent(kind, uid)
  return redis.call('ZRANGEBYSCORE', k_user(kind, uid), OPEN_SINCE_S, '+inf')
end
