-- events: a user's event log in one shard after a position, for a stream that resumes or reads
-- back (see lib/events.lua, emit: a list of "<log id> <type> <invitationId|-> <state|-> <event id>
-- <time> <data JSON>", ids growing). Finds the first entry after the position by bisection, so a
-- read costs a few LINDEX however long the log. An invitation's event logged with "@" for its
-- data gets the invitation as it was in the event's state, from its conference (one read per
-- conference); other data gets its permission lists back from their codes (lib/records).
-- KEYS[1] the log   ARGV[1] the last id delivered ('' = from the start)   ARGV[2] at most this many
-- returns the entries, oldest first
--- @include lib/records
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
local entries = redis.call('LRANGE', key, from, from + tonumber(ARGV[2]) - 1)

-- the shard's prefix "bk:{tag}:" of the log's key "bk:{tag}:ev:<userId>"
local prefix = string.match(key, '^(.-}:)ev:')
local confs = {}
for i, entry in ipairs(entries) do
  if string.sub(entry, -2) ~= ' @' then
    entries[i] = without_permission_codes(entry)
  else
    local head, iid, state = string.match(entry, '^(%S+ %S+ (%S+) (%S+) %S+ %S+ )@$')
    local cid = iid and cid_of(iid)
    if cid then
      local raw = confs[cid]
      if raw == nil then
        raw = redis.pcall('GET', prefix .. 'c:' .. cid)
        if type(raw) ~= 'string' then raw = false end
        confs[cid] = raw
      end
      local stored = raw and conf_field(raw, iid)
      -- a conference outlives the entries that refer to it (lib/events.lua, LOG_REFS); if it is gone
      -- anyway (deleted by hand), the event still says which invitation went into which state
      entries[i] = head .. (stored and invitation_as_of(stored, state)
        or cjson.encode({ invitationId = iid, conferenceId = cid, state = state }))
    end
  end
end
return entries
