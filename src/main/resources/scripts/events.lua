-- events: a user's event log in one shard after a position, for a stream that resumes or reads
-- back (see lib/events.lua, emit: a list of "<log id> <type> <invitationId|-> <state|-> <event JSON>",
-- ids growing). Finds the first entry after the position by bisection, so a read costs a few
-- LINDEX however long the log.
-- KEYS[1] the log   ARGV[1] the last id delivered ('' = from the start)   ARGV[2] at most this many
-- returns the entries, oldest first
local key = KEYS[1]
local len = redis.pcall('LLEN', key)
if type(len) ~= 'number' or len == 0 then return {} end   -- a log left by an older version (a stream) reads as empty
local from = 0
if ARGV[1] ~= '' then
  local ams, an = string.match(ARGV[1], '^(%d+)%-(%d+)$')
  ams, an = tonumber(ams), tonumber(an)
  local function is_after(entry)
    local ms, n = string.match(entry, '^(%d+)%-(%d+) ')
    ms, n = tonumber(ms), tonumber(n)
    return ms > ams or (ms == ams and n > an)
  end
  local lo, hi = 0, len
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if is_after(redis.call('LINDEX', key, mid)) then hi = mid else lo = mid + 1 end
  end
  from = lo
end
if from >= len then return {} end
return redis.call('LRANGE', key, from, from + tonumber(ARGV[2]) - 1)
