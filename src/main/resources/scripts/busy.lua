-- busy: whether a user is in a call or ringing in a conference other than ARGV[1], by their busy
-- marker (KEYS[1] = bk:bz:{<userId>}, see lib/marker.lua). Returns 1 or 0.
--- @include lib/marker
local t = redis.call('TIME')
return marker_busy(KEYS[1], ARGV[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) and 1 or 0
