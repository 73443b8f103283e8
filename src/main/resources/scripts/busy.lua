-- busy: whether a user is in a call or ringing in a conference other than ARGV[1], by their busy
-- marker (KEYS[1] = bk:bz:{<userId>}, see lib/marker.lua, written by marks.lua). Reads the live
-- entries soonest to lapse first, a few at a time, and stops at the first of another conference:
-- a user has at most a couple of entries per conference. Returns 1 or 0.
--- @include lib/marker
local t = redis.call('TIME')
local from = marker_fmt(marker_live_from(tonumber(t[1])))
local offset = 0
while true do
  local members = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'LIMIT', offset, 4)
  for _, member in ipairs(members) do
    local cid = string.match(member, '^c:(.+)$') or string.match(member, '^r:(.+)%-%d+$')
    if cid ~= ARGV[1] then return 1 end
  end
  if #members < 4 then return 0 end
  offset = offset + 4
end
