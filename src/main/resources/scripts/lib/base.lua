-- The base of every state-machine script: its arguments, the Redis clock, keys, values and the
-- reply. A script names the pieces of lib/ it uses with "--- @include lib/<piece>" lines;
-- RedisScripts puts each piece in once, before the script, when it loads the scripts, so one
-- EVALSHA is one atomic step of the state machine and carries only what it uses.
--
-- KEYS[1]  shard prefix "bk:{tag}:". Every key a script touches starts with it, so each call
--          stays in one Redis Cluster hash slot; the ids encode their shard.
-- ARGV[1]  the operation's input as JSON
-- ARGV[2]  shard number          ARGV[3] conference TTL (ms)    ARGV[4] retention after it (ms)
-- ARGV[5]  replay window (ms)    ARGV[6] "1" to queue webhooks  ARGV[7] history kept per user
-- ARGV[8]  longest ring timeout (ms)   ARGV[9] participants a conference holds besides its owner
-- ARGV[10] "1" to queue device pushes (some push platform is configured)
-- ARGV[11] how far a conference's deadline moves before its connected participants' busy
--          markers follow it (ms)
-- ARGV[12] event log length past which a step trims it   ARGV[13] every how many appends
-- ARGV[14] "1" when the step keeps the users' busy markers itself (a single Redis, see mark)
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
local MARK_SLACK = tonumber(ARGV[11])
local LOG_TRIM_OVER = tonumber(ARGV[12])
local LOG_TRIM_EVERY = tonumber(ARGV[13])
local MARKERS_HERE = ARGV[14] == '1'
-- the sweepers' wake-up channel (ExpirySweeper.CHANNEL)
local EXPIRY_CHANNEL = 'bk:expiry'

local NOW, LOG_ID_BASE
do
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  -- event log ids of this step: "<NOW>-<LOG_ID_BASE + n>" (see emit)
  LOG_ID_BASE = (tonumber(t[2]) % 1000) * 1000000
end

-- Numbers go to Redis as strings made here with integer formatting; left to Redis, each would
-- be printed with %.17g, which costs more than most of the commands they are part of.
local function int(n) return string.format('%d', n) end
local NOW_S = int(NOW)
local LOG_ID_PREFIX = NOW_S .. '-'
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
-- A conference is one hash, so a step reads it once (HGETALL), writes it once (one HSET of what
-- changed) and sets one TTL. Fields: doc (the document), x (expires, ms), ended (ms), po, seq,
-- evseq (counters: participant order, invitations, steps), p:<userId> (participant JSON),
-- <invitationId> (invitation JSON), <invitationId>:x (its deadline, ms), <invitationId>:r (the
-- id of the event that announced it). Invitation ids start with the conference id, so they
-- never meet the other fields.
local function k_conf(cid) return P .. 'c:' .. cid end
local K_DUE = P .. 'due'                                    -- zset: open invitationId -> expiresAt ms
local function k_user(kind, uid) return P .. kind .. ':' .. uid end
-- per user, in this shard: in / out (history: invitationId -> created ms), ev (event log, a list)

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

local function cloud_event(id, cid, type, time, subject, data_json)
  return '{"specversion":"1.0","id":"' .. id .. '","source":"/conferences/' .. cid .. '","type":"' .. type
    .. '","time":"' .. time .. '","subject":"' .. subject .. '","data":' .. data_json .. '}'
end

local function cid_of(iid)
  return string.match(iid, '^(.+)%-%d+$')
end

local mark -- the busy-marker changes of a step (lib/events)
local on_reply = function() end

-- Replies: {'ok', transitions, item…} or {'err', transitions, code, message, state}. Both announce
-- what the step emitted (a refused step may still have expired an invitation on its way).
-- on_reply is where a step's writes go out (the events piece sets it to flush).
local function ok(...)
  on_reply()
  return { 'ok', transitions(), ... }
end

local function err(code, message, state)
  on_reply()
  return { 'err', transitions(), code, message, state or '' }
end
