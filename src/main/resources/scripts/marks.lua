-- marks: applies the busy-marker changes a state step listed (see mark in lib/events.lua) to one
-- user's marker on a Redis Cluster, KEYS[1] = bk:bz:{<userId>} (see lib/marker.lua).
-- ARGV[1] the step's Redis clock (ms; '' to read it here); then member, deadline (ms, 0 = the
-- entry ended), step, repeated.
--- @include lib/marker
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local changes = {}
for i = 2, #ARGV, 3 do
  changes[#changes + 1] = { ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]) }
end
marker_apply(KEYS[1], now, changes, false)
return 0
