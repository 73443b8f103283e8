-- Invitations: their changes, expiry and acceptance.
--- @include lib/events
--- @include lib/peek

-- invitations -----------------------------------------------------------------------------------
-- In memory an invitation carries _x (deadline, ms) and _rev (the id of the event that announced
-- it); in Redis those sit beside its JSON.
local function get_inv(cid, iid)
  local f = conf_state(cid).f
  return decode_inv(f[iid], f[iid .. ':x'], f[iid .. ':r'])
end

-- Stores an invitation; returns its JSON, ready for events and replies.
local function save_inv(cid, inv)
  local json = encode_without(inv, '_x', '_rev')
  conf_set(cid, inv.invitationId, json)
  conf_set(cid, inv.invitationId .. ':x', int(inv._x))
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

-- Sweepers sleep until the earliest deadline of each shard they know of (see ExpirySweeper).
-- A deadline earlier than every one already due in this shard is news to them: one PUBLISH of
-- "<shard> <deadline ms>" on their channel. Later deadlines (the usual case under load) cost
-- nothing, and the shard's earliest is read once per step.
local EARLIEST_DUE
per_step(function() EARLIEST_DUE = nil end)
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
  local iid = cid .. '-' .. conf_incr(cid, 'seq')
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
