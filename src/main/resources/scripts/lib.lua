-- Shared part of every Beckon script; the Java side prepends it to each operation script so
-- that one EVALSHA is one atomic step of the state machine.
--
-- KEYS[1]  shard prefix "bk:{tag}:". Every key a script touches starts with it, so each call
--          stays in one Redis Cluster hash slot; the ids encode their shard.
-- ARGV[1]  the operation's input as JSON
-- ARGV[2]  shard number          ARGV[3] conference TTL (ms)    ARGV[4] retention after it (ms)
-- ARGV[5]  replay window (ms)    ARGV[6] "1" to queue webhooks  ARGV[7] history kept per user
-- ARGV[8]  longest ring timeout (ms)   ARGV[9] participants a conference holds besides its owner
-- ARGV[10] "1" to queue device pushes (some push platform is configured)
-- (the limits come from ConferenceStore.init, so no script hard-codes one)
--
-- Time comes from the Redis clock, so every deadline of a conference is judged by one clock.
-- Documents are stored as the JSON clients see, so a change encodes each document once and the
-- same text goes into Redis, into every event about it and back to the caller.

local P = KEYS[1]
local IN = cjson.decode(ARGV[1])
local SHARD = ARGV[2]
local CONF_TTL = tonumber(ARGV[3])
local RETAIN = tonumber(ARGV[4])
local WINDOW = tonumber(ARGV[5])
local HOOKS = ARGV[6] == '1'
local HISTORY = tonumber(ARGV[7])
local MAX_RING = tonumber(ARGV[8])
local MAX_PARTICIPANTS = tonumber(ARGV[9])
local PUSH = ARGV[10] == '1'
-- the sweepers' wake-up channel (ExpirySweeper.CHANNEL)
local EXPIRY_CHANNEL = 'bk:expiry'

local NOW
do
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Numbers go to Redis as strings made here with integer formatting; left to Redis, each would
-- be printed with %.17g, which costs more than most of the commands they are part of.
local function int(n) return string.format('%d', n) end
local NOW_S = int(NOW)
local INDEX_TTL_S = int(CONF_TTL + RETAIN)
local WINDOW_S = int(WINDOW)
local TRIM_FROM_S = int(-(HISTORY + 1))
-- no ring lasts longer than MAX_RING, so every open invitation was created after this
local OPEN_SINCE_S = int(NOW - MAX_RING)

local TERMINAL = { ACCEPTED = true, DECLINED = true, CANCELED = true, EXPIRED = true }
local PARTICIPANT_STATUS = { ACCEPTED = 'CONNECTED', DECLINED = 'DECLINED', CANCELED = 'CANCELED', EXPIRED = 'EXPIRED' }
local ALL_PERMISSIONS = { 'JOIN', 'SEND_AUDIO', 'SEND_VIDEO', 'SHARE_SCREEN', 'SHARE_VIDEO', 'SHARE_FILE',
  'SEND_MESSAGE', 'RECORD', 'STREAM', 'INVITE', 'KICK', 'UPDATE_PERMISSIONS' }
local DEFAULT_PERMISSIONS = { 'JOIN', 'SEND_AUDIO', 'SEND_VIDEO', 'SHARE_SCREEN', 'SHARE_VIDEO', 'SHARE_FILE',
  'SEND_MESSAGE', 'RECORD', 'STREAM' }

-- keys ------------------------------------------------------------------------------------------
local function k_conf(cid) return P .. 'c:' .. cid end      -- hash: doc, x (expires ms), ended, seq, evseq, po
local function k_parts(cid) return P .. 'p:' .. cid end     -- hash: userId -> participant JSON
local function k_invs(cid) return P .. 'i:' .. cid end      -- hash: iid -> JSON, iid:x -> deadline ms, iid:r -> event id
local K_DUE = P .. 'due'                                    -- zset: open invitationId -> expiresAt ms
local function k_user(kind, uid) return P .. kind .. ':' .. uid end
-- per user, in this shard: in / out (history: invitationId -> created ms), ev (event stream)

-- values ----------------------------------------------------------------------------------------
local function iso(ms)
  -- civil-from-days (H. Hinnant); Redis' Lua has no os.date
  local secs = math.floor(ms / 1000)
  local milli = ms - secs * 1000
  local days = math.floor(secs / 86400)
  local sod = secs - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', y, m, d,
    math.floor(sod / 3600), math.floor((sod % 3600) / 60), sod % 60, milli)
end

local NOW_ISO = iso(NOW)

-- A document encoded without its internal fields (named '_…', at most two, given here): they are
-- put back afterwards, so the table stays usable and no copy is made.
local function encode_without(t, a, b)
  local va, vb = t[a], b and t[b]
  t[a] = nil
  if b then t[b] = nil end
  local json = cjson.encode(t)
  t[a] = va
  if b then t[b] = vb end
  return json
end

local function has(list, item)
  for _, v in ipairs(list) do
    if v == item then return true end
  end
  return false
end

-- What this step did to invitations, for the metrics: "CREATED=1,ACCEPTED=1" (see ok and err).
local TRANSITIONS = {}
local function transitioned(what)
  TRANSITIONS[what] = (TRANSITIONS[what] or 0) + 1
end
-- What this step did to the per-user busy markers (see mark): lines after the transitions.
local MARKS = {}
local function transitions()
  local parts = {}
  for what, n in pairs(TRANSITIONS) do parts[#parts + 1] = what .. '=' .. n end
  local line = table.concat(parts, ',')
  if #MARKS == 0 then return line end
  return line .. '\n' .. table.concat(MARKS, '\n')
end

-- conference ------------------------------------------------------------------------------------
local function load_conf(cid)
  local f = redis.call('HMGET', k_conf(cid), 'doc', 'x', 'ended')
  if not f[1] then return nil end
  local c = cjson.decode(f[1])
  c._x = tonumber(f[2])
  if f[3] then c._ended = tonumber(f[3]) end
  return c
end

local function has_ended(c)
  return c._ended ~= nil or NOW >= c._x
end

-- A conference's participants are read once per step and kept here (userId -> participant,
-- plus .sorted, the list in joining order, rebuilt after a participant is added or replaced):
-- a step that announces each of n new participants to everyone reads the hash once, not n times.
local PARTS = {}
local function participants_of(cid)
  local cache = PARTS[cid]
  if not cache then
    cache = { by = {}, count = 0 }
    for _, raw in ipairs(redis.call('HVALS', k_parts(cid))) do
      local p = cjson.decode(raw)
      cache.by[p.userId] = p
      cache.count = cache.count + 1
    end
    PARTS[cid] = cache
  end
  return cache
end

local function get_participant(cid, uid)
  return participants_of(cid).by[uid]
end

-- Oldest first; the list is shared by the step, so callers must not change it.
local function all_participants(cid)
  local cache = participants_of(cid)
  if not cache.sorted then
    local list = {}
    for _, p in pairs(cache.by) do list[#list + 1] = p end
    table.sort(list, function(a, b) return a._o < b._o end)
    cache.sorted = list
  end
  return cache.sorted
end

local function save_participant(cid, p)
  if not p._o then p._o = redis.call('HINCRBY', k_conf(cid), 'po', '1') end
  redis.call('HSET', k_parts(cid), p.userId, cjson.encode(p))
  local cache = participants_of(cid)
  local before = cache.by[p.userId]
  if before ~= p then
    if not before then cache.count = cache.count + 1 end
    cache.by[p.userId] = p
    cache.sorted = nil
  end
end

-- The conference as clients see it, with its participants.
local function conf_view(cid, c)
  local v = {}
  for k, value in pairs(c) do
    if string.byte(k, 1) ~= 95 then v[k] = value end
  end
  v.expiresAt = iso(c._x)
  v.state = has_ended(c) and 'ENDED' or 'ACTIVE'
  if c._ended then v.endedAt = iso(c._ended) end
  local parts = {}
  for i, p in ipairs(all_participants(cid)) do
    local copy = {}
    for k, value in pairs(p) do
      if k ~= '_o' then copy[k] = value end
    end
    parts[i] = copy
  end
  v.participants = parts
  return cjson.encode(v)
end

local mark -- defined with the events, below

-- Every key of a conference expires together; activity (extend = true) slides the deadline.
local function persist(cid, c, extend)
  if not c then return end
  if extend and not has_ended(c) then
    c._x = NOW + CONF_TTL
    redis.call('HSET', k_conf(cid), 'x', int(c._x))
    -- the connected participants' busy markers follow the conference's sliding deadline
    for _, q in ipairs(all_participants(cid)) do
      if q.status == 'CONNECTED' then mark(cid, q.userId, 'c:' .. cid, c._x) end
    end
  end
  local ttl = int(math.max(c._x - NOW, 0) + RETAIN)
  redis.call('PEXPIRE', k_conf(cid), ttl)
  redis.call('PEXPIRE', k_parts(cid), ttl)
  redis.call('PEXPIRE', k_invs(cid), ttl)
end

-- events ----------------------------------------------------------------------------------------
-- Event ids are "<conference>.<step>.<n>": one counter bump per script run, not per event.
local event_steps = {}
local function next_event_id(cid)
  local step = event_steps[cid]
  if not step then
    step = { redis.call('HINCRBY', k_conf(cid), 'evseq', '1'), 0 }
    event_steps[cid] = step
  end
  step[2] = step[2] + 1
  return cid .. '.' .. step[1] .. '.' .. step[2]
end

-- Busy markers. Whether a user is in a call or ringing elsewhere is kept per user, in the user's
-- own Redis Cluster slot (bk:bz:{<userId>}, see store/BusyMarkers), which a script of this shard
-- cannot write on a cluster. So a step only lists the marker changes it implies, in its reply
-- ("<userId> <member> <deadline ms, 0 = gone> <stamp>"), and ConferenceStore applies them right
-- after. Members: 'r:<invitationId>' while an invitation is open (deadline = its expiresAt),
-- 'c:<conferenceId>' while the user is CONNECTED (deadline = the conference's expiry). The
-- stamp is the conference's step counter, so a change applied late never overrides a newer one.
mark = function(cid, uid, member, deadline)
  local step = event_steps[cid]
  if not step then
    step = { redis.call('HINCRBY', k_conf(cid), 'evseq', '1'), 0 }
    event_steps[cid] = step
  end
  MARKS[#MARKS + 1] = uid .. ' ' .. member .. ' ' .. int(deadline or 0) .. ' ' .. step[1]
end

-- One CloudEvent per addressee: appended to the addressee's replayable stream in this shard,
-- announced on their pub/sub channel, and queued for webhooks, all inside this atomic step.
-- The envelope is written around the already encoded data (every value in it is an id, a type
-- or a time, none needing escapes). The stream entry and the announcement carry the type,
-- invitation id and state beside the JSON, so the gateway routes events without parsing them:
--   announcement "<shard> <stream id> <type> <invitationId|-> <state|-> <event JSON>"
-- A step announces all of one addressee's events in one PUBLISH, one announcement per line in
-- the order they happened (encoded JSON holds no raw newline), and sets each stream's TTL once:
-- see flush, which ok and err run. Returns the event id.
local function cloud_event(id, cid, type, time, subject, data_json)
  return '{"specversion":"1.0","id":"' .. id .. '","source":"/conferences/' .. cid .. '","type":"' .. type
    .. '","time":"' .. time .. '","subject":"' .. subject .. '","data":' .. data_json .. '}'
end

local ANNOUNCE, ANNOUNCE_TO = {}, {}   -- addressee -> announcement lines; addressees in order
local INDEXED, INDEXED_KEYS = {}, {}   -- history indexes added to (see user_index)
local DUE_ADDED = false                -- whether this step added to the due index
-- The device push outbox (PushDispatcher) gets only what rings or stops ringing a device:
-- invitation.received (always addressed to the invitee) and an invitation's end addressed to its
-- invitee (emit_invitation says which side that is). One XADD per such event, nothing else.
local PUSH_ENDS = { ['invitation.accepted'] = true, ['invitation.declined'] = true,
  ['invitation.canceled'] = true, ['invitation.expired'] = true }
local PUSH_QUEUED = false
local function emit(cid, type, subject, data_json, iid, state, to_invitee)
  local id = next_event_id(cid)
  local body = cloud_event(id, cid, type, NOW_ISO, subject, data_json)
  iid = iid or '-'
  state = state or '-'
  local sid = redis.call('XADD', k_user('ev', subject), 'MINID', '~', int(NOW - WINDOW), '*', 'e', body, 't', type, 'i', iid, 's', state)
  local lines = ANNOUNCE[subject]
  if not lines then
    lines = {}
    ANNOUNCE[subject] = lines
    ANNOUNCE_TO[#ANNOUNCE_TO + 1] = subject
  end
  lines[#lines + 1] = SHARD .. ' ' .. sid .. ' ' .. type .. ' ' .. iid .. ' ' .. state .. ' ' .. body
  if HOOKS then
    redis.call('XADD', P .. 'hooks', '*', 'e', body, 'u', subject, 't', type)
  end
  if PUSH and (type == 'invitation.received' or (to_invitee and PUSH_ENDS[type])) then
    redis.call('XADD', P .. 'push', '*', 'e', body, 'u', subject, 't', type, 'i', iid)
    PUSH_QUEUED = true
  end
  return id
end

-- Announces what emit queued: one PUBLISH and one stream TTL per addressee, and the outbox's TTL;
-- trims the history indexes written to and sets the TTLs of those and of the due index. Once per step.
local function flush()
  for _, key in ipairs(INDEXED_KEYS) do
    redis.call('ZREMRANGEBYRANK', key, '0', TRIM_FROM_S)
    redis.call('PEXPIRE', key, INDEX_TTL_S)
  end
  if DUE_ADDED then redis.call('PEXPIRE', K_DUE, INDEX_TTL_S) end
  INDEXED, INDEXED_KEYS, DUE_ADDED = {}, {}, false
  for _, subject in ipairs(ANNOUNCE_TO) do
    redis.call('PEXPIRE', k_user('ev', subject), WINDOW_S)
    redis.call('PUBLISH', 'bk:u:' .. subject, table.concat(ANNOUNCE[subject], '\n'))
  end
  if HOOKS and #ANNOUNCE_TO > 0 then
    redis.call('PEXPIRE', P .. 'hooks', INDEX_TTL_S)
  end
  if PUSH_QUEUED then
    redis.call('PEXPIRE', P .. 'push', INDEX_TTL_S)
    PUSH_QUEUED = false
  end
  ANNOUNCE, ANNOUNCE_TO = {}, {}
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

-- invitations -----------------------------------------------------------------------------------
-- In memory an invitation carries _x (deadline, ms) and _rev (the id of the event that announced
-- it); in Redis those sit beside its JSON.
local function get_inv(cid, iid)
  local f = redis.call('HMGET', k_invs(cid), iid, iid .. ':x', iid .. ':r')
  if not f[1] then return nil end
  local inv = cjson.decode(f[1])
  inv._x = tonumber(f[2])
  inv._rev = f[3] or nil
  return inv, f[1]
end

-- Stores an invitation; returns its JSON, ready for events and replies.
local function save_inv(cid, inv)
  local json = encode_without(inv, '_x', '_rev')
  redis.call('HSET', k_invs(cid), inv.invitationId, json, inv.invitationId .. ':x', int(inv._x))
  return json
end

-- flush trims each history index this step added to and sets its TTL, once.
local function user_index(kind, uid, iid)
  local key = k_user(kind, uid)
  redis.call('ZADD', key, NOW_S, iid)
  if not INDEXED[key] then
    INDEXED[key] = true
    INDEXED_KEYS[#INDEXED_KEYS + 1] = key
  end
end

-- A user's invitations in one direction that may still be open (created within the longest
-- ring timeout), oldest first.
local function recent(kind, uid)
  return redis.call('ZRANGEBYSCORE', k_user(kind, uid), OPEN_SINCE_S, '+inf')
end

-- Sweepers sleep until the earliest deadline of each shard they know of (see ExpirySweeper).
-- A deadline earlier than every one already due in this shard is news to them: one PUBLISH of
-- "<shard> <deadline ms>" on their channel. Later deadlines (the usual case under load) cost
-- nothing, and the shard's earliest is read once per step.
local EARLIEST_DUE
local function wake_sweepers_for(deadline)
  if EARLIEST_DUE == nil then
    local first = redis.call('ZRANGE', K_DUE, '0', '0', 'WITHSCORES')
    EARLIEST_DUE = first[2] and tonumber(first[2]) or false
  end
  if EARLIEST_DUE == false or deadline < EARLIEST_DUE then
    EARLIEST_DUE = deadline
    redis.call('PUBLISH', EXPIRY_CHANNEL, SHARD .. ' ' .. int(deadline))
  end
end

-- Creates an invitation; returns it and its JSON.
local function new_invitation(cid, c, from, to, ring_ms, message, busy)
  local iid = cid .. '-' .. redis.call('HINCRBY', k_conf(cid), 'seq', '1')
  local expires = NOW + ring_ms
  local inv = { invitationId = iid, conferenceId = cid, alias = c.alias, from = from, to = to,
    callType = c.callType, message = message, roomUrl = c.roomUrl, state = 'PENDING',
    inviteeBusy = busy == true, createdAt = NOW_ISO, expiresAt = iso(expires), _x = expires }
  mark(cid, to.userId, 'r:' .. iid, expires)
  local json = save_inv(cid, inv)
  transitioned('CREATED')
  wake_sweepers_for(expires)
  redis.call('ZADD', K_DUE, int(expires), iid)
  DUE_ADDED = true
  user_index('in', to.userId, iid)
  user_index('out', from.userId, iid)
  return inv, json
end

-- Moves an open invitation to its terminal state and the invitee's participant entry with it.
-- Returns the invitation's JSON and the participant (nil if it no longer points at this invitation).
local function finish(cid, inv, state)
  inv.state = state
  local json = save_inv(cid, inv)
  transitioned(state)
  redis.call('ZREM', K_DUE, inv.invitationId)
  mark(cid, inv.to.userId, 'r:' .. inv.invitationId, nil)
  local p = get_participant(cid, inv.to.userId)
  if p and p.invitationId == inv.invitationId and p.status == 'RESERVED' then
    p.status = PARTICIPANT_STATUS[state]
    save_participant(cid, p)
    if state == 'ACCEPTED' then mark(cid, p.userId, 'c:' .. cid, NOW + CONF_TTL) end
    return json, p
  end
  return json, nil
end

-- The missed call: exactly once, because only an open invitation gets here and it leaves open.
local function expire(cid, inv)
  local json, p = finish(cid, inv, 'EXPIRED')
  emit_invitation(cid, 'invitation.expired', inv, json, inv.from.userId, inv.to.userId)
  if p then broadcast_participant(cid, 'participant.updated', p) end
end

-- An open invitation whose deadline has passed is expired by whichever step sees it first.
local function expire_if_due(cid, inv)
  if not TERMINAL[inv.state] and NOW >= inv._x then
    expire(cid, inv)
    return true
  end
  return false
end

-- The invitee accepts an open invitation: respond's accept, and glare's (see invite.lua).
-- Returns the invitation's JSON and the invitee's participant entry.
local function accept(cid, c, inv, message)
  inv.respondedAt = iso(NOW)
  inv.responseMessage = message
  inv.state = 'ACCEPTED'
  local json, p = finish(cid, inv, 'ACCEPTED')
  emit_invitation(cid, 'invitation.accepted', inv, json, inv.from.userId, inv.to.userId)
  if p then broadcast_participant(cid, 'participant.updated', p) end
  persist(cid, c, true)
  return json, p
end

local function cid_of(iid)
  return string.match(iid, '^(.+)%-%d+$')
end

-- Replies: {'ok', transitions, item…} or {'err', transitions, code, message, state}. Both announce
-- what the step emitted (a refused step may still have expired an invitation on its way).
local function ok(...)
  flush()
  return { 'ok', transitions(), ... }
end

local function err(code, message, state)
  flush()
  return { 'err', transitions(), code, message, state or '' }
end
