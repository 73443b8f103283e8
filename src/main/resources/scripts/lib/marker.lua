-- Busy markers: their encoding, the busy and glare checks and the application of changes, shared by
-- marks.lua and busy.lua (a Redis Cluster, where the marker sits in its user's own slot and
-- ConferenceStore applies a step's changes right after it) and by the state steps themselves on
-- a single Redis (see mark in lib/events.lua), so there is one rule for each.
--
-- A user's marker (bk:bz:{<userId>}, BusyMarkers.key) is a sorted set whose member is an entry
-- ('r:<invitationId>' while an invitation rings the user, 'c:<conferenceId>' while the user is
-- CONNECTED there) and whose score packs the entry's deadline (whole seconds, rounded up) with
-- the conference step that wrote it: deadline * 2^21 + step, negative for an ended entry kept as
-- a tombstone until "deadline". So the live entries are the scores above now, the busy check
-- reads the first few of them (O(log n), however many conferences a user sits in), everything
-- lapsed is one range, and a late change is judged against the stored step without a second
-- key. 32 bits of seconds and 21 of step fit a double's 53 exactly; a step beyond 2^21 counts as
-- 2^21 - 1, so such a conference's later changes apply in arrival order.
local MARKER_STEPS = 2097152
-- how long an ended entry stays, so that a change applied late cannot bring it back
local MARKER_KEEP_S = 120

local function marker_key(uid) return 'bk:bz:{' .. uid .. '}' end
local function marker_fmt(score) return string.format('%.0f', score) end
-- the lowest score of an entry still live at now_s (seconds): its deadline is later
local function marker_live_from(now_s) return (now_s + 1) * MARKER_STEPS end

-- Whether the marker shows its user in a call or ringing in a conference other than cid. Reads
-- the live entries soonest to lapse first, a few at a time, and stops at the first of another
-- conference: a user has at most a couple of entries per conference.
local function marker_busy(key, cid, now_ms)
  local from = marker_fmt(marker_live_from(math.floor(now_ms / 1000)))
  local offset = 0
  while true do
    local members = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'LIMIT', offset, 4)
    for _, member in ipairs(members) do
      local other = string.match(member, '^c:(.+)$') or string.match(member, '^r:(.+)%-%d+$')
      if other ~= cid then return true end
    end
    if #members < 4 then return false end
    offset = offset + 4
  end
end

-- The invitations ringing the marker's user now: its 'r:' entries, read among the live entries
-- due within the longest ring (a connected entry lasts as long as its conference, so few of
-- those are read), for the glare check on a single Redis (see invite.lua).
local function marker_ringing(key, now_ms, max_ring_ms)
  local from = marker_fmt(marker_live_from(math.floor(now_ms / 1000)))
  local to = marker_fmt(marker_live_from(math.ceil((now_ms + max_ring_ms) / 1000)))
  local ringing = {}
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, from, to)) do
    local iid = string.match(member, '^r:(.+)$')
    if iid then ringing[#ringing + 1] = iid end
  end
  return ringing
end

-- Applies changes { {member, deadline ms (0 = ended), step}, ... } to one marker at the clock
-- now_ms. Changes applied apart from their step (in_order false) may arrive out of order: one
-- older (by the conference's step) than the stored one is dropped, so they end as the newest
-- says. Whatever has lapsed is dropped, so the marker holds only what can still make its user
-- busy plus recent tombstones; the key expires with its latest entry.
local function marker_apply(key, now_ms, changes, in_order)
  local now_s = math.floor(now_ms / 1000)
  local stored = {}
  if not in_order then
    local members = {}
    for n, change in ipairs(changes) do members[n] = change[1] end
    stored = redis.call('ZMSCORE', key, unpack(members))
  end
  local add, latest_s = {}, 0
  for n, change in ipairs(changes) do
    local deadline, step = change[2], change[3]
    local was = stored[n] and tonumber(stored[n])
    if not was or step >= math.abs(was) % MARKER_STEPS then
      local ended = deadline == 0
      local until_s = ended and now_s + MARKER_KEEP_S or math.ceil(deadline / 1000)
      local score = until_s * MARKER_STEPS + math.min(step, MARKER_STEPS - 1)
      add[#add + 1] = marker_fmt(ended and -score or score)
      add[#add + 1] = change[1]
      latest_s = math.max(latest_s, until_s)
    end
  end
  if #add > 0 then redis.call('ZADD', key, unpack(add)) end
  -- lapsed entries and tombstones: |score| below the live range
  local live = marker_live_from(now_s)
  redis.call('ZREMRANGEBYSCORE', key, '(' .. marker_fmt(-live), '(' .. marker_fmt(live))
  -- the key lives as long as its latest entry: moved only when a change outlives it
  if latest_s > now_s then
    local ttl = redis.call('PTTL', key)
    if ttl == -1 or now_ms + ttl < latest_s * 1000 then
      redis.call('PEXPIREAT', key, marker_fmt(latest_s * 1000))
    end
  end
end
