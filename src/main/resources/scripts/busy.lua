-- busy: whether a user is in a call or ringing in a conference other than ARGV[1], by their busy
-- marker (KEYS[1] = bk:bz:{<userId>}, a hash member -> "<deadline ms> <stamp>", written by
-- marks.lua). An entry counts until its own deadline; an ended entry is kept with a negative deadline (a tombstone).
-- Returns 1 or 0.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local member = entries[i]
  local deadline = tonumber(string.match(entries[i + 1], '^(%-?%d+)'))
  if deadline > now then
    local cid = string.match(member, '^c:(.+)$') or string.match(member, '^r:(.+)%-%d+$')
    if cid ~= ARGV[1] then return 1 end
  end
end
return 0
