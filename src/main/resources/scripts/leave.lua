-- leave: a connected participant hangs up. When nobody connected remains the conference ends:
-- its open invitations are canceled and everyone who ever took part hears conference.ended.
-- IN: {cid, actor: {userId}}
--- @include lib/invitations
local cid = IN.cid
local c = load_conf(cid)
if not c then return err('not_found', 'No conference ' .. cid .. '.') end
local p = get_participant(cid, IN.actor.userId)
if not p then
  return err('forbidden', IN.actor.userId .. ' is not a participant of this conference.')
end
if p.status ~= 'CONNECTED' then
  return err('conflict', IN.actor.userId .. ' is not connected to the conference.', p.status)
end
p.status = 'LEFT'
save_participant(cid, p)
mark(cid, p.userId, 'c:' .. cid, nil)
broadcast_participant(cid, 'participant.updated', p)

local someone_left = false
for _, q in ipairs(all_participants(cid)) do
  if q.status == 'CONNECTED' then someone_left = true end
end
if not someone_left then
  c._ended = NOW
  conf_set(cid, 'ended', NOW_S)
  for _, q in ipairs(all_participants(cid)) do
    if q.status == 'RESERVED' and q.invitationId then
      local inv = get_inv(cid, q.invitationId)
      if inv and not expire_if_due(cid, inv) and not TERMINAL[inv.state] then
        local json = finish(cid, inv, 'CANCELED')
        emit_invitation(cid, 'invitation.canceled', inv, json, inv.to.userId, inv.from.userId)
      end
    end
  end
  local view = conf_view(cid, c)
  for _, q in ipairs(all_participants(cid)) do
    emit(cid, 'conference.ended', q.userId, view)
  end
  persist(cid, c, false)
  return ok(view)
end
persist(cid, c, false)
return ok(conf_view(cid, c))
