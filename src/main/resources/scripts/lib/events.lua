-- Events: ids, busy-marker changes, the event logs, announcements and outboxes.
--- @include lib/conference
--- @include lib/marker

-- events ----------------------------------------------------------------------------------------
-- Event ids are "<conference>.<step>.<n>": one counter bump per script run, not per event.
local event_steps
per_step(function() event_steps = {} end)
local function step_of(cid)
  local step = event_steps[cid]
  if not step then
    step = { conf_incr(cid, 'evseq'), 0 }
    event_steps[cid] = step
  end
  return step
end
local function next_event_id(cid)
  local step = step_of(cid)
  step[2] = step[2] + 1
  return cid .. '.' .. step[1] .. '.' .. step[2]
end

-- The list kept under key in by, made on first use and its key added to order: what a step
-- collects per user, in the order the users came up.
local function list_in(by, order, key)
  local list = by[key]
  if not list then
    list = {}
    by[key] = list
    order[#order + 1] = key
  end
  return list
end

-- Busy markers. Whether a user is in a call or ringing elsewhere is kept per user (see
-- lib/marker.lua and store/BusyMarkers). Members: 'r:<invitationId>' while an invitation is open
-- (deadline = its expiresAt), 'c:<conferenceId>' while the user is CONNECTED (deadline = the
-- conference's expiry); the step is the conference's step counter, so a change applied late
-- never overrides a newer one. On a single Redis (MARKERS_HERE) the step applies its changes
-- itself when it flushes, in the same atomic step. On a cluster the marker sits in the user's own
-- slot, which a script of this shard cannot write, so the step only lists the changes in its
-- reply ("<userId> <member> <deadline ms, 0 = gone> <step> <the step's clock, ms>") and
-- ConferenceStore applies them right after (marks.lua).
local MARKED, MARKED_USERS
per_step(function() MARKED, MARKED_USERS = {}, {} end)
mark = function(cid, uid, member, deadline)
  local step = step_of(cid)[1]
  if MARKERS_HERE then
    local changes = list_in(MARKED, MARKED_USERS, uid)
    changes[#changes + 1] = { member, deadline or 0, step }
  else
    MARKS[#MARKS + 1] = uid .. ' ' .. member .. ' ' .. int(deadline or 0) .. ' ' .. step .. ' ' .. NOW_S
  end
end

local function apply_marks()
  -- the steps of a conference run one at a time, and this is the step: its changes are in order
  for _, uid in ipairs(MARKED_USERS) do marker_apply(marker_key(uid), NOW, MARKED[uid], true) end
  MARKED, MARKED_USERS = {}, {}
end

-- Whether a user is in a call or ringing in a conference other than cid: on a single Redis read
-- here; on a cluster ConferenceStore read it before the step (the invitee's "busy").
local function busy_elsewhere(cid, who)
  if MARKERS_HERE then return marker_busy(marker_key(who.userId), cid, NOW) end
  return who.busy == true
end

-- One CloudEvent per addressee: appended to the addressee's event log in this shard, announced
-- on their pub/sub channel, and queued for webhooks, all inside this atomic step.
-- The log entry and the announcement hold the event's fields and its encoded data, not the
-- CloudEvent envelope, which follows from them and the addressee (the gateway renders it,
-- store/EventLogEntry, as cloud_event does for the outboxes); the type, invitation id and state
-- come first, so the gateway routes events without parsing them:
--   log entry    "<log id> <type> <invitationId|-> <state|-> <event id> <time> <data JSON>"
--   announcement "<shard> <log entry>"
-- except that an invitation's event is logged with "@" for its data, which its conference holds
-- (see LOG_REFS), and other data with the permission lists as codes (lib/records): the
-- announcement always carries the data as it is.
-- The event log of a user in a shard is a list (see flush): a stream would cost 4 KiB from its
-- first entry on Redis 7, and most users' logs hold a handful of events. A log id has the form
-- of a stream id, "<ms>-<n>": the Redis clock of the step, and n = (its microsecond within
-- that millisecond) * 10^6 + the entry's number within the step, so ids grow from step to step
-- (scripts of a shard run one at a time) and sort by time across shards.
-- A step appends and announces all of one addressee's events at once: one RPUSH, one TTL and
-- one PUBLISH per addressee, one announcement per line in the order they happened (encoded JSON
-- holds no raw newline): see flush, which ok and err run. Returns the event id.

local ANNOUNCE, ANNOUNCE_TO           -- addressee -> announcement lines; addressees in order
local LOGGED                          -- addressee -> log entries (the lines, or their references)
local INDEXED, INDEXED_KEYS           -- history indexes added to (see user_index)
local DUE_ADDED                       -- whether this step added to the due index
-- The device push outbox (PushDispatcher) gets only what rings or stops ringing a device:
-- invitation.received (always addressed to the invitee) and an invitation's end addressed to its
-- invitee (emit_invitation says which side that is). One XADD per such event, nothing else.
local PUSH_ENDS = { ['invitation.accepted'] = true, ['invitation.declined'] = true,
  ['invitation.canceled'] = true, ['invitation.expired'] = true }
local PUSH_QUEUED
-- An invitation's event is logged as a reference, "@" in place of its data, when its conference
-- outlives the entry (lib/records, invitation_as_of, renders it back for a replay): an entry
-- lives at most a window past the time its log held LOG_TRIM_OVER + LOG_TRIM_EVERY entries
-- within a window of each other, an event comes at most a ring past its conference's deadline,
-- and the conference stays RETAIN past that. Otherwise, with a long window and a short
-- retention, the entry holds its data.
local LOG_REFS
per_step(function()
  ANNOUNCE, ANNOUNCE_TO, LOGGED, INDEXED, INDEXED_KEYS, DUE_ADDED, PUSH_QUEUED = {}, {}, {}, {}, {}, false, false
  LOG_REFS = RETAIN >= WINDOW * (LOG_TRIM_OVER + LOG_TRIM_EVERY + 2) + MAX_RING
end)
local function emit(cid, type, subject, data_json, iid, state, to_invitee)
  local id = next_event_id(cid)
  local lines = list_in(ANNOUNCE, ANNOUNCE_TO, subject)
  local logged = LOGGED[subject]
  if not logged then
    logged = {}
    LOGGED[subject] = logged
  end
  local n = #lines + 1
  local head = LOG_ID_PREFIX .. int(LOG_ID_BASE + n) .. ' ' .. type .. ' ' .. (iid or '-') .. ' ' .. (state or '-')
    .. ' ' .. id .. ' ' .. NOW_ISO .. ' '
  lines[n] = head .. data_json
  if iid and LOG_REFS then
    logged[n] = head .. '@'
  else
    logged[n] = head .. with_permission_codes(data_json)
  end
  local pushed = PUSH and (type == 'invitation.received' or (to_invitee and PUSH_ENDS[type]))
  if HOOKS or pushed then
    local body = cloud_event(id, cid, type, NOW_ISO, subject, data_json)
    if HOOKS then
      redis.call('XADD', P .. 'hooks', '*', 'e', body, 'u', subject, 't', type)
    end
    if pushed then
      redis.call('XADD', P .. 'push', '*', 'e', body, 'u', subject, 't', type, 'i', iid or '-')
      PUSH_QUEUED = true
    end
  end
  return id
end

-- A log holds at least the replay window. A long one (more than LOG_TRIM_OVER entries) drops
-- what is older than the window every LOG_TRIM_EVERY appends; a short one is left alone and
-- expires a window after its newest entry.
local function log_ms(entry) return tonumber(string.match(entry, '^(%d+)%-')) end
local function trim_log(key, len)
  local cutoff = NOW - WINDOW
  if log_ms(redis.call('LINDEX', key, '0')) >= cutoff then return end
  -- the first entry inside the window (the ones just appended are)
  local lo, hi = 1, len - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if log_ms(redis.call('LINDEX', key, int(mid))) < cutoff then lo = mid + 1 else hi = mid end
  end
  redis.call('LTRIM', key, int(lo), '-1')
end

-- Appends a step's entries to a user's log; a log left by an older version (a stream) is replaced.
local function append_log(key, lines)
  local len
  for from = 1, #lines, 1000 do
    local chunk = { unpack(lines, from, math.min(from + 999, #lines)) }
    local pushed = redis.pcall('RPUSH', key, unpack(chunk))
    if type(pushed) == 'table' and pushed.err then
      redis.call('DEL', key)
      pushed = redis.call('RPUSH', key, unpack(chunk))
    end
    len = pushed
  end
  if len > LOG_TRIM_OVER and math.floor(len / LOG_TRIM_EVERY) ~= math.floor((len - #lines) / LOG_TRIM_EVERY) then
    trim_log(key, len)
  end
end

-- Announces what emit queued: one RPUSH, one log TTL and one PUBLISH per addressee, and the
-- outbox's TTL; writes the conferences; trims the history indexes written to and sets the TTLs of
-- those and of the due index. Once per step.
local function flush()
  write_confs()
  apply_marks()
  for _, key in ipairs(INDEXED_KEYS) do
    redis.call('ZREMRANGEBYRANK', key, '0', TRIM_FROM_S)
    redis.call('PEXPIRE', key, INDEX_TTL_S)
  end
  if DUE_ADDED then redis.call('PEXPIRE', K_DUE, INDEX_TTL_S) end
  INDEXED, INDEXED_KEYS, DUE_ADDED = {}, {}, false
  for _, subject in ipairs(ANNOUNCE_TO) do
    local key = k_user('ev', subject)
    local lines = ANNOUNCE[subject]
    append_log(key, LOGGED[subject])
    redis.call('PEXPIRE', key, WINDOW_S)
    redis.call('PUBLISH', 'bk:u:' .. subject, SHARD .. ' ' .. table.concat(lines, '\n' .. SHARD .. ' '))
  end
  if HOOKS and #ANNOUNCE_TO > 0 then
    redis.call('PEXPIRE', P .. 'hooks', INDEX_TTL_S)
  end
  if PUSH_QUEUED then
    redis.call('PEXPIRE', P .. 'push', INDEX_TTL_S)
    PUSH_QUEUED = false
  end
  ANNOUNCE, ANNOUNCE_TO, LOGGED = {}, {}, {}
end

-- participant.* goes to everyone still in the conference (invited or connected) and to the
-- participant the change is about.
local function broadcast_participant(cid, type, p)
  local data = '{"conferenceId":"' .. cid .. '","participant":' .. encode_without(p, '_o') .. '}'
  for _, q in ipairs(all_participants(cid)) do
    if q.status == 'CONNECTED' or q.status == 'RESERVED' or q.userId == p.userId then
      emit(cid, type, q.userId, data)
    end
  end
end

-- Announces a change of an invitation to its two sides, in the order given.
local function emit_invitation(cid, type, inv, json, first, second)
  emit(cid, type, first, json, inv.invitationId, inv.state, first == inv.to.userId)
  if second then emit(cid, type, second, json, inv.invitationId, inv.state, second == inv.to.userId) end
end

on_reply = flush
