-- marks: applies the busy-marker changes a state step listed (see mark in lib/events.lua) to one
-- user's marker, KEYS[1] = bk:bz:{<userId>} (see lib/marker.lua for its encoding).
-- ARGV[1] the step's Redis clock (ms; '' to read it here); then member, deadline (ms, 0 = the
-- entry ended), step, repeated.
-- A change older (by the conference's step) than the one stored is dropped, so changes applied
-- out of order end as the newest says; an ended entry is kept as a tombstone for KEEP_S so that
-- a late "ringing" cannot bring it back. Everything lapsed is dropped here in one range, so the
-- marker holds only what can still make the user busy plus recent tombstones; the key expires
-- with its latest entry.
--- @include lib/marker
local KEEP_S = 120
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local now_s = math.floor(now / 1000)
local members = {}
for i = 2, #ARGV, 3 do members[#members + 1] = ARGV[i] end
local stored = redis.call('ZMSCORE', KEYS[1], unpack(members))
local add, latest_s = {}, 0
for n, member in ipairs(members) do
  local i = 2 + (n - 1) * 3
  local deadline, step = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local was = stored[n] and tonumber(stored[n])
  if not was or step >= marker_step(was) then
    local until_s = deadline == 0 and now_s + KEEP_S or math.ceil(deadline / 1000)
    add[#add + 1] = marker_fmt(marker_score(until_s, step, deadline == 0))
    add[#add + 1] = member
    latest_s = math.max(latest_s, until_s)
  end
end
if #add > 0 then redis.call('ZADD', KEYS[1], unpack(add)) end
-- lapsed entries and tombstones: |score| below the live range
local live = marker_live_from(now_s)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. marker_fmt(-live), '(' .. marker_fmt(live))
-- the key lives as long as its latest entry: moved only when this change outlives it
if latest_s > now_s then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl == -1 or now + ttl < latest_s * 1000 then
    redis.call('PEXPIREAT', KEYS[1], marker_fmt(latest_s * 1000))
  end
end
return 0
