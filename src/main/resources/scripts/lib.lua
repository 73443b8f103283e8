-- Shared part of every Beckon script; the Java side prepends it to each operation script so
-- that one EVALSHA is one atomic step of the state machine.
--
-- KEYS[1]  shard prefix "bk:{tag}:". Every key a script touches starts with it, so each call
--          stays in one Redis Cluster hash slot; the ids encode their shard.
-- ARGV[1]  the operation's input as JSON
-- ARGV[2]  shard number          ARGV[3] conference TTL (ms)    ARGV[4] retention after it (ms)
-- ARGV[5]  replay window (ms)    ARGV[6] "1" to queue webhooks  ARGV[7] history kept per user
--
-- Time comes from the Redis clock, so every deadline of a conference is judged by one clock.

local P = KEYS[1]
local IN = cjson.decode(ARGV[1])
local SHARD = ARGV[2]
local CONF_TTL = tonumber(ARGV[3])
local RETAIN = tonumber(ARGV[4])
local WINDOW = tonumber(ARGV[5])
local HOOKS = ARGV[6] == '1'
local HISTORY = tonumber(ARGV[7])

local NOW
do
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local TERMINAL = { ACCEPTED = true, DECLINED = true, CANCELED = true, EXPIRED = true }
local PARTICIPANT_STATUS = { ACCEPTED = 'CONNECTED', DECLINED = 'DECLINED', CANCELED = 'CANCELED', EXPIRED = 'EXPIRED' }
local ALL_PERMISSIONS = { 'JOIN', 'SEND_AUDIO', 'SEND_VIDEO', 'SHARE_SCREEN', 'SHARE_VIDEO', 'SHARE_FILE',
  'SEND_MESSAGE', 'RECORD', 'STREAM', 'INVITE', 'KICK', 'UPDATE_PERMISSIONS' }
local DEFAULT_PERMISSIONS = { 'JOIN', 'SEND_AUDIO', 'SEND_VIDEO', 'SHARE_SCREEN', 'SHARE_VIDEO', 'SHARE_FILE',
  'SEND_MESSAGE', 'RECORD', 'STREAM' }

-- keys ------------------------------------------------------------------------------------------
local function k_conf(cid) return P .. 'c:' .. cid end      -- hash: doc, x (expires ms), ended, seq, evseq, po
local function k_parts(cid) return P .. 'p:' .. cid end     -- hash: userId -> participant JSON
local function k_invs(cid) return P .. 'i:' .. cid end      -- hash: invitationId -> invitation JSON
local K_DUE = P .. 'due'                                    -- zset: open invitationId -> expiresAt ms
local function k_user(kind, uid) return P .. kind .. ':' .. uid end
-- per user, in this shard: in / out (history), pin / pout (open invitations), ev (event stream)

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

-- cjson escapes '/' as '\/'; a raw '/' never appears in its output, so this only unescapes slashes
local function encode(t) return (string.gsub(cjson.encode(t), '\\/', '/')) end

-- fields starting with '_' are internal (deadlines in ms, ordering) and never leave Redis
local function public(t)
  local o = {}
  for k, v in pairs(t) do
    if string.sub(k, 1, 1) ~= '_' then o[k] = v end
  end
  return o
end

local function has(list, item)
  for _, v in ipairs(list) do
    if v == item then return true end
  end
  return false
end

local function err(code, message, state)
  return { 'err', code, message, state or '' }
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

local function get_participant(cid, uid)
  local raw = redis.call('HGET', k_parts(cid), uid)
  if not raw then return nil end
  return cjson.decode(raw)
end

local function all_participants(cid)
  local list = {}
  for _, raw in ipairs(redis.call('HVALS', k_parts(cid))) do
    list[#list + 1] = cjson.decode(raw)
  end
  table.sort(list, function(a, b) return a._o < b._o end)
  return list
end

local function save_participant(cid, p)
  if not p._o then p._o = redis.call('HINCRBY', k_conf(cid), 'po', 1) end
  redis.call('HSET', k_parts(cid), p.userId, encode(p))
end

local function conf_view(cid, c)
  local v = public(c)
  v.expiresAt = iso(c._x)
  v.state = has_ended(c) and 'ENDED' or 'ACTIVE'
  if c._ended then v.endedAt = iso(c._ended) end
  local parts = {}
  for _, p in ipairs(all_participants(cid)) do parts[#parts + 1] = public(p) end
  v.participants = parts
  return v
end

-- Every key of a conference expires together; activity (extend = true) slides the deadline.
local function persist(cid, c, extend)
  if not c then return end
  if extend and not has_ended(c) then
    c._x = NOW + CONF_TTL
    redis.call('HSET', k_conf(cid), 'x', c._x)
  end
  local ttl = math.max(c._x - NOW, 0) + RETAIN
  redis.call('PEXPIRE', k_conf(cid), ttl)
  redis.call('PEXPIRE', k_parts(cid), ttl)
  redis.call('PEXPIRE', k_invs(cid), ttl)
end

-- events ----------------------------------------------------------------------------------------
-- One CloudEvent per addressee: appended to the addressee's replayable stream in this shard,
-- announced on their pub/sub channel ("<shard> <stream id> <event>"), and queued for webhooks,
-- all inside this atomic step. Returns the event id.
local function emit(cid, type, subject, data)
  local id = cid .. '.' .. redis.call('HINCRBY', k_conf(cid), 'evseq', 1)
  local body = encode({ specversion = '1.0', id = id, source = '/conferences/' .. cid,
    type = type, time = iso(NOW), subject = subject, data = data })
  local stream = k_user('ev', subject)
  local sid = redis.call('XADD', stream, 'MINID', '~', NOW - WINDOW, '*', 'e', body)
  redis.call('PEXPIRE', stream, WINDOW)
  redis.call('PUBLISH', 'bk:u:' .. subject, SHARD .. ' ' .. sid .. ' ' .. body)
  if HOOKS then
    redis.call('XADD', P .. 'hooks', '*', 'e', body, 'u', subject, 't', type)
    redis.call('PEXPIRE', P .. 'hooks', CONF_TTL + RETAIN)
  end
  return id
end

-- participant.* goes to everyone still in the conference (invited or connected) and to the
-- participant the change is about.
local function broadcast_participant(cid, type, p)
  local data = { conferenceId = cid, participant = public(p) }
  for _, q in ipairs(all_participants(cid)) do
    if q.status == 'CONNECTED' or q.status == 'RESERVED' or q.userId == p.userId then
      emit(cid, type, q.userId, data)
    end
  end
end

-- invitations -----------------------------------------------------------------------------------
local function get_inv(cid, iid)
  local raw = redis.call('HGET', k_invs(cid), iid)
  if not raw then return nil end
  return cjson.decode(raw)
end

local function save_inv(cid, inv)
  redis.call('HSET', k_invs(cid), inv.invitationId, encode(inv))
end

local function user_index(kind, uid, iid, trim)
  local key = k_user(kind, uid)
  redis.call('ZADD', key, NOW, iid)
  if trim then redis.call('ZREMRANGEBYRANK', key, 0, -(HISTORY + 1)) end
  redis.call('PEXPIRE', key, CONF_TTL + RETAIN)
end

local function new_invitation(cid, c, from, to, ring_ms, message)
  local iid = cid .. '-' .. redis.call('HINCRBY', k_conf(cid), 'seq', 1)
  local expires = NOW + ring_ms
  local inv = { invitationId = iid, conferenceId = cid, alias = c.alias, from = from, to = to,
    callType = c.callType, message = message, roomUrl = c.roomUrl, state = 'PENDING',
    createdAt = iso(NOW), expiresAt = iso(expires), _x = expires }
  save_inv(cid, inv)
  redis.call('ZADD', K_DUE, expires, iid)
  redis.call('PEXPIRE', K_DUE, CONF_TTL + RETAIN)
  user_index('in', to.userId, iid, true)
  user_index('out', from.userId, iid, true)
  user_index('pin', to.userId, iid, false)
  user_index('pout', from.userId, iid, false)
  return inv
end

-- Moves an open invitation to its terminal state and the invitee's participant entry with it.
-- Returns the participant (nil if it no longer points at this invitation).
local function finish(cid, inv, state)
  inv.state = state
  save_inv(cid, inv)
  redis.call('ZREM', K_DUE, inv.invitationId)
  redis.call('ZREM', k_user('pin', inv.to.userId), inv.invitationId)
  redis.call('ZREM', k_user('pout', inv.from.userId), inv.invitationId)
  local p = get_participant(cid, inv.to.userId)
  if p and p.invitationId == inv.invitationId and p.status == 'RESERVED' then
    p.status = PARTICIPANT_STATUS[state]
    save_participant(cid, p)
    return p
  end
  return nil
end

-- The missed call: exactly once, because only an open invitation gets here and it leaves open.
local function expire(cid, inv)
  local p = finish(cid, inv, 'EXPIRED')
  local data = public(inv)
  emit(cid, 'invitation.expired', inv.from.userId, data)
  emit(cid, 'invitation.expired', inv.to.userId, data)
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

local function cid_of(iid)
  return string.match(iid, '^(.+)%-%d+$')
end

local function ok(...)
  return { 'ok', ... }
end
