-- createConference and invite: rings each invitee once. All checks run before the first write,
-- so a refused request changes nothing.
-- IN: {cid, actor: {userId, name?, avatarUrl?}, server, create?: conference document,
--      invitees: [{userId, name?, avatarUrl?, permissions?, busy?}], message?, ringMs?, pair?,
--      rateLimit?: {limit, periodMs}}
-- busy: on a cluster, the invitee's busy marker said they are in another call or ringing (read
-- before the step, see busy_elsewhere in lib/events.lua; a single Redis reads it in the step).
-- pair: "<a>|<b>" (sorted user ids) when createConference rings exactly one person; such a
-- conference is made in the pair's shard (ConferenceStore), so both directions of a call between
-- the two meet here, in one atomic step: this is where glare is decided (see below).
-- rateLimit: on a single Redis, the caller's invitation rate limit is kept here: a request
-- needs a token per invitee, is charged for those it rang, and is refused with 'rate_limited'
-- (the message being the milliseconds until enough refill) before anything changes.
--- @include lib/invitations
--- @include lib/ratelimit
local cid = IN.cid
local actor = IN.actor
local c
local pair_key = IN.pair and (P .. 'pair:' .. IN.pair)

local bucket
if IN.rateLimit then
  bucket = { key = bucket_key(actor.userId), limit = IN.rateLimit.limit, period = IN.rateLimit.periodMs }
  bucket.tokens = bucket_tokens(bucket.key, bucket.limit, bucket.period, NOW)
  local wait = bucket_wait(bucket.tokens, #IN.invitees, bucket.limit, bucket.period)
  if wait > 0 then return err('rate_limited', int(wait)) end
end
local rang = 0

-- Glare: the one person rung is ringing the caller right now in a conference of just those two.
-- The caller accepts that invitation instead of starting a second call. On a single Redis the
-- caller's busy marker lists what rings them (read here, in the same atomic step as the markers'
-- changes). On a cluster the marker is in another slot, so a call to exactly one person is made
-- in the pair's shard, where both directions meet, and the pair's key there names its latest
-- invitation: it outlives most calls it names, and three fields of the invitation tell first
-- whether that one still rings, so a pair calling each other over and over does not load its
-- last, finished conference.
local function glare_candidates()
  if MARKERS_HERE then return marker_ringing(marker_key(actor.userId), NOW, MAX_RING) end
  local iid = pair_key and redis.call('GET', pair_key)
  return iid and { iid } or {}
end

if IN.create and pair_key then
  local callee = IN.invitees[1].userId
  for _, iid in ipairs(glare_candidates()) do
    local gcid = cid_of(iid)
    -- an invitation of a conference in another shard reads as absent (its key has another prefix):
    -- one of two people is made in their pair's shard, this one
    local peeked = gcid and peek_inv(gcid, iid)
    local inv = peeked and not TERMINAL[peeked.state] and peeked.to.userId == actor.userId
      and peeked.from.userId == callee and get_inv(gcid, iid)
    if inv then
      local gc = load_conf(gcid)
      if expire_if_due(gcid, inv) then
        persist(gcid, gc, false)
      elseif gc and not has_ended(gc) and participants_of(gcid).count == 2 then
        local json, p = accept(gcid, gc, inv, nil)
        if not MARKERS_HERE then redis.call('DEL', pair_key) end
        gc.expiresAt = iso(gc._x)
        return ok(encode_without(gc, '_x', '_ended'), '{"invitation":' .. json .. ',"permissions":'
          .. cjson.encode(p and p.permissions or DEFAULT_PERMISSIONS) .. ',"existing":true,"glare":true}')
      end
    end
  end
end

if IN.create then
  if conf_state(cid).f.doc then
    return err('conflict', 'Conference id already in use; retry.', 'ACTIVE')
  end
else
  c = load_conf(cid)
  if not c then return err('not_found', 'No conference ' .. cid .. '.') end
  if has_ended(c) then return err('conflict', 'The conference has ended.', 'ENDED') end
  local me = get_participant(cid, actor.userId)
  if not me then
    return err('forbidden', actor.userId .. ' is not a participant of this conference.')
  end
  if me.status ~= 'CONNECTED' then
    return err('forbidden', 'Only connected participants can invite; ' .. actor.userId .. ' is ' .. me.status .. '.')
  end
  if c.settings.onlyInitiatorCanInvite and actor.userId ~= c.ownerId then
    return err('forbidden', 'Only the conference owner can invite to this conference.')
  end
  if not has(me.permissions, 'INVITE') then
    return err('forbidden', actor.userId .. ' lacks the INVITE permission.')
  end
  if #IN.invitees > c.settings.maxInviteesPerRequest then
    return err('too_large', 'At most ' .. c.settings.maxInviteesPerRequest .. ' invitees per request in this conference.')
  end
  if not c.settings.canInviteDuringCall then
    for _, q in ipairs(all_participants(cid)) do
      if q.status == 'CONNECTED' and q.userId ~= c.ownerId then
        return err('conflict', 'This conference does not allow invitations once the call has started.', 'IN_CALL')
      end
    end
  end
  for _, who in ipairs(IN.invitees) do
    local p = get_participant(cid, who.userId)
    if p and p.status == 'CONNECTED' then
      return err('conflict', who.userId .. ' is already connected to the conference.', 'CONNECTED')
    end
    if who.permissions and not IN.server then
      for _, perm in ipairs(who.permissions) do
        if not has(me.permissions, perm) then
          return err('forbidden', actor.userId .. ' cannot grant ' .. perm .. ', which they do not have.')
        end
      end
    end
  end
end

-- Everyone ever invited counts towards the cap, whatever became of their invitation (they stay
-- in the participant list and hear its changes); the owner does not.
do
  local held, adding, seen, known = 0, 0, {}, {}
  if not IN.create then
    local parts = participants_of(cid)
    held = parts.count - (parts.by[c.ownerId] and 1 or 0)
    known = parts.by
  end
  for _, who in ipairs(IN.invitees) do
    if not known[who.userId] and not seen[who.userId] then
      adding = adding + 1
      seen[who.userId] = true
    end
  end
  if held + adding > MAX_PARTICIPANTS then
    return err('too_large', 'A conference holds at most ' .. MAX_PARTICIPANTS .. ' participants besides its owner'
      .. ' (beckon.max-participants); this one has ' .. held .. ' and the request adds ' .. adding .. '.')
  end
end

if IN.create then
  c = IN.create
  c.createdAt = NOW_ISO
  c._x = NOW + CONF_TTL
  conf_set(cid, 'doc', encode_without(c, '_x', '_ended'))
  conf_set(cid, 'x', int(c._x))
  save_participant(cid, { userId = actor.userId, name = actor.name, avatarUrl = actor.avatarUrl,
    status = 'CONNECTED', permissions = ALL_PERMISSIONS })
  mark(cid, actor.userId, 'c:' .. cid, c._x)
end

local ring_ms = IN.ringMs or c.settings.ringTimeoutSeconds * 1000
local message = IN.message
if IN.create then message = c.message end
local from = { userId = actor.userId, name = actor.name, avatarUrl = actor.avatarUrl }

local items = {}
for i, who in ipairs(IN.invitees) do
  local p = get_participant(cid, who.userId)
  local json, existing = nil, false
  if p and p.status == 'RESERVED' and p.invitationId then
    local current, current_json = get_inv(cid, p.invitationId)
    if current and not expire_if_due(cid, current) and not TERMINAL[current.state] then
      json, existing = current_json, true
    end
    p = get_participant(cid, who.userId)
  end
  if not json then
    local to = { userId = who.userId, name = who.name, avatarUrl = who.avatarUrl }
    local inv
    local busy = busy_elsewhere(cid, who)
    inv, json = new_invitation(cid, c, from, to, ring_ms, message, busy)
    local np = { userId = who.userId, name = who.name, avatarUrl = who.avatarUrl, status = 'RESERVED',
      permissions = who.permissions or DEFAULT_PERMISSIONS, invitationId = inv.invitationId,
      _o = p and p._o or nil }
    save_participant(cid, np)
    if busy and c.settings.busyPolicy == 'reject' then
      -- not rung: declined as busy at once, with the events of a decline
      broadcast_participant(cid, p and 'participant.updated' or 'participant.added', np)
      inv.respondedAt = NOW_ISO
      inv.reason = 'busy'
      inv.state = 'DECLINED'
      local declined
      json, declined = finish(cid, inv, 'DECLINED')
      emit_invitation(cid, 'invitation.declined', inv, json, inv.from.userId, inv.to.userId)
      if declined then broadcast_participant(cid, 'participant.updated', declined) end
    else
      -- kept so that a device connecting later is rung with the very same event
      rang = rang + 1
      local event_id = emit(cid, 'invitation.received', who.userId, json, inv.invitationId, inv.state)
      conf_set(cid, inv.invitationId .. ':r', event_id)
      broadcast_participant(cid, p and 'participant.updated' or 'participant.added', np)
      if pair_key and not MARKERS_HERE then redis.call('SET', pair_key, inv.invitationId, 'PX', int(ring_ms)) end
    end
    p = get_participant(cid, who.userId)
  end
  items[i] = '{"invitation":' .. json .. ',"permissions":' .. cjson.encode(p.permissions)
    .. ',"existing":' .. tostring(existing) .. '}'
end

persist(cid, c, true)
c.expiresAt = iso(c._x)
if bucket and rang > 0 then bucket_write(bucket.key, bucket.tokens - rang, bucket.limit, bucket.period, NOW) end
return ok(encode_without(c, '_x', '_ended'), unpack(items))
