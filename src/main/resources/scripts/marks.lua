-- marks: applies the busy-marker changes a state step listed (see mark in lib.lua) to one user's
-- marker, KEYS[1] = bk:bz:{<userId>}, a hash member -> "<deadline ms> <stamp>".
-- ARGV: member, deadline (0 = the entry ended), stamp, repeated.
-- A change older (by the conference's step stamp) than the one stored is dropped, so changes
-- applied out of order end as the newest says; an ended entry is kept as a tombstone for a
-- while (KEEP) so that a late "ringing" cannot bring it back. Lapsed entries are dropped here.
local KEEP = 120000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function parse(v)
  local d, s = string.match(v, '^(%-?%d+) (%d+)$')
  return tonumber(d), tonumber(s)
end
for i = 1, #ARGV, 3 do
  local member, deadline, stamp = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local current = redis.call('HGET', KEYS[1], member)
  local _, current_stamp = 0, -1
  if current then _, current_stamp = parse(current) end
  if stamp >= current_stamp then
    redis.call('HSET', KEYS[1], member, string.format('%d %d', deadline == 0 and -(now + KEEP) or deadline, stamp))
  end
end
-- tidy: drop what lapsed, keep the key as long as its latest entry or tombstone
local latest = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local d = parse(entries[i + 1])
  local until_ms = d < 0 and -d or d
  if until_ms <= now then
    redis.call('HDEL', KEYS[1], entries[i])
  elseif until_ms > latest then
    latest = until_ms
  end
end
if latest > 0 then
  redis.call('PEXPIRE', KEYS[1], string.format('%d', latest - now))
end
return 0
