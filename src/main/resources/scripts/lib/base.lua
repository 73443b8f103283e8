-- The base of every state-machine script: its arguments, the Redis clock, keys, values and the
-- reply. A script names the pieces of lib/ it uses with "--- @include lib/<piece>" lines;
-- RedisScripts puts each piece in once, before the script, when it loads the scripts, so one
-- call is one atomic step of the state machine.
--
-- A step starts with begin(KEYS, ARGV), which sets the step's input, limits and clock and starts
-- the pieces' per-step state afresh (each piece registers that with per_step); everything else
-- the pieces define is the same for every step. So the same pieces serve both ways Redis runs
-- them: as a script (EVALSHA: the pieces, then begin, then the step), where they are defined
-- anew on every call, and, on a single Redis 7, as one function library (FCALL: each step a
-- function that calls begin), where they are defined once when the library is loaded.
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

--- @include lib/records

-- the sweepers' wake-up channel (ExpirySweeper.CHANNEL)
local EXPIRY_CHANNEL = 'bk:expiry'

local TERMINAL = { ACCEPTED = true, DECLINED = true, CANCELED = true, EXPIRED = true }
local PARTICIPANT_STATUS = { ACCEPTED = 'CONNECTED', DECLINED = 'DECLINED', CANCELED = 'CANCELED', EXPIRED = 'EXPIRED' }

-- the step's input and limits (see ARGV above) and its clock: set by begin
local P, IN, SHARD, CONF_TTL, RETAIN, WINDOW, HOOKS, HISTORY, MAX_RING, MAX_PARTICIPANTS, PUSH, MARK_SLACK,
  LOG_TRIM_OVER, LOG_TRIM_EVERY, MARKERS_HERE
-- NOW: the Redis clock (ms); event log ids of the step are "<NOW>-<LOG_ID_BASE + n>" (see emit)
local NOW, LOG_ID_BASE, NOW_S, NOW_ISO, LOG_ID_PREFIX, INDEX_TTL_S, WINDOW_S, TRIM_FROM_S, OPEN_SINCE_S, K_DUE
-- What this step did to invitations, for the metrics: "CREATED=1,ACCEPTED=1" (see ok and err),
-- and to the per-user busy markers (see mark): lines after the transitions.
local TRANSITIONS, MARKS

-- Numbers go to Redis as strings made here with integer formatting; left to Redis, each would
-- be printed with %.17g, which costs more than most of the commands they are part of.
local function int(n) return string.format('%d', n) end

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

-- The per-step state of the pieces: each registers a function that starts it afresh.
local STEP_STARTS = {}
local function per_step(start) STEP_STARTS[#STEP_STARTS + 1] = start end

local function begin(keys, argv)
  P = keys[1]
  IN = cjson.decode(argv[1])
  SHARD = argv[2]
  CONF_TTL, RETAIN, WINDOW = tonumber(argv[3]), tonumber(argv[4]), tonumber(argv[5])
  HOOKS = argv[6] == '1'
  HISTORY, MAX_RING, MAX_PARTICIPANTS = tonumber(argv[7]), tonumber(argv[8]), tonumber(argv[9])
  PUSH = argv[10] == '1'
  MARK_SLACK, LOG_TRIM_OVER, LOG_TRIM_EVERY = tonumber(argv[11]), tonumber(argv[12]), tonumber(argv[13])
  MARKERS_HERE = argv[14] == '1'
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  LOG_ID_BASE = (tonumber(t[2]) % 1000) * 1000000
  NOW_S = int(NOW)
  NOW_ISO = iso(NOW)
  LOG_ID_PREFIX = NOW_S .. '-'
  INDEX_TTL_S = int(CONF_TTL + RETAIN)
  WINDOW_S = int(WINDOW)
  TRIM_FROM_S = int(-(HISTORY + 1))
  -- no ring lasts longer than MAX_RING, so every open invitation was created after this
  OPEN_SINCE_S = int(NOW - MAX_RING)
  K_DUE = P .. 'due'                                    -- zset: open invitationId -> expiresAt ms
  TRANSITIONS, MARKS = {}, {}
  for i = 1, #STEP_STARTS do STEP_STARTS[i]() end
end

-- keys ------------------------------------------------------------------------------------------
-- A conference is one key (its fields as text, see lib/conference), so a step reads it once (GET)
-- and writes it once, with its TTL (SET). Fields: doc (the document), x (expires, ms), ended (ms), po, seq,
-- evseq (counters: participant order, invitations, steps), p:<userId> (participant JSON),
-- <invitationId> (invitation JSON), <invitationId>:x (its deadline, ms), <invitationId>:r (the
-- id of the event that announced it). Invitation ids start with the conference id, so they
-- never meet the other fields.
local function k_conf(cid) return P .. 'c:' .. cid end
local function k_user(kind, uid) return P .. kind .. ':' .. uid end
-- per user, in this shard: in / out (history: invitationId -> created ms), ev (event log, a list)


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

local function transitioned(what)
  TRANSITIONS[what] = (TRANSITIONS[what] or 0) + 1
end
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
