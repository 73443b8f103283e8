-- marks: applies the busy-marker changes a state step listed (see mark in lib/events.lua) to one user's
-- marker, KEYS[1] = bk:bz:{<userId>}, a hash member -> "<deadline ms> <stamp>".
-- ARGV[1] the step's Redis clock (ms; '' to read it here); then member, deadline (0 = the entry ended), stamp, repeated.
-- A change older (by the conference's step stamp) than the one stored is dropped, so changes
-- applied out of order end as the newest says; an ended entry is kept as a tombstone for a
-- while (KEEP) so that a late "ringing" cannot bring it back. Lapsed entries are dropped here.
-- One read, one write, and a TTL only when the latest deadline moves later: the key expires
-- at its latest entry or tombstone.
local KEEP = 120000
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function until_of(v)
  local d = tonumber(string.match(v, '^(%-?%d+)'))
  return d < 0 and -d or d
end
local function stamp_of(v)
  return tonumber(string.match(v, ' (%d+)$'))
end
local current, stored = {}, {}
local old_latest = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  current[entries[i]] = entries[i + 1]
  stored[entries[i]] = true
  old_latest = math.max(old_latest, until_of(entries[i + 1]))
end
local written = {}
for i = 2, #ARGV, 3 do
  local member, deadline, stamp = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local was = current[member]
  if not was or stamp >= stamp_of(was) then
    current[member] = string.format('%d %d', deadline == 0 and -(now + KEEP) or deadline, stamp)
    written[member] = true
  end
end
-- tidy: drop what lapsed; the key lives as long as its latest entry or tombstone
local latest, lapsed, set = 0, {}, {}
for member, value in pairs(current) do
  local until_ms = until_of(value)
  if until_ms <= now then
    if stored[member] then lapsed[#lapsed + 1] = member end
  else
    latest = math.max(latest, until_ms)
    if written[member] then
      set[#set + 1] = member
      set[#set + 1] = value
    end
  end
end
if #set > 0 then redis.call('HSET', KEYS[1], unpack(set)) end
if #lapsed > 0 then redis.call('HDEL', KEYS[1], unpack(lapsed)) end
if latest > old_latest then
  redis.call('PEXPIREAT', KEYS[1], string.format('%d', latest))
end
return 0
