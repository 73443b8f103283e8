-- cancel: the inviter, the conference owner or a server token withdraws an open invitation.
-- IN: {cid, iid, actor: {userId}?, server}
--- @include lib/invitations
local cid = IN.cid
local inv = get_inv(cid, IN.iid)
if not inv then return err('not_found', 'No invitation ' .. IN.iid .. '.') end
local c = load_conf(cid)
local who = IN.actor and IN.actor.userId
if not IN.server and who ~= inv.from.userId and who ~= (c and c.ownerId) then
  return err('forbidden', 'Only the inviter (' .. inv.from.userId .. ') or the conference owner can cancel this invitation.')
end
if TERMINAL[inv.state] then
  return err('conflict', 'The invitation is already ' .. inv.state .. '.', inv.state)
end
if expire_if_due(cid, inv) then
  persist(cid, c, false)
  return err('conflict', 'The invitation expired at ' .. inv.expiresAt .. '.', 'EXPIRED')
end

local json, p = finish(cid, inv, 'CANCELED')
emit_invitation(cid, 'invitation.canceled', inv, json, inv.to.userId, inv.from.userId)
if p then broadcast_participant(cid, 'participant.updated', p) end
persist(cid, c, false)
return ok(json)
