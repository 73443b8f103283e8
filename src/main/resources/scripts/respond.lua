-- respond: the invitee accepts or declines an open invitation.
-- IN: {cid, iid, actor: {userId}, action: accept|decline, reason?, message?}
--- @include lib/invitations
local cid = IN.cid
local inv = get_inv(cid, IN.iid)
if not inv then return err('not_found', 'No invitation ' .. IN.iid .. '.') end
if inv.to.userId ~= IN.actor.userId then
  return err('forbidden', 'Only the invitee (' .. inv.to.userId .. ') can respond to this invitation.')
end
if TERMINAL[inv.state] then
  return err('conflict', 'The invitation is already ' .. inv.state .. '.', inv.state)
end
local c = load_conf(cid)
if expire_if_due(cid, inv) then
  persist(cid, c, false)
  return err('conflict', 'The invitation expired at ' .. inv.expiresAt .. '.', 'EXPIRED')
end

local json, p
if IN.action == 'accept' then
  json, p = accept(cid, c, inv, IN.message)
else
  inv.respondedAt = iso(NOW)
  inv.responseMessage = IN.message
  inv.state = 'DECLINED'
  inv.reason = IN.reason or 'declined'
  json, p = finish(cid, inv, inv.state)
  emit_invitation(cid, 'invitation.declined', inv, json, inv.from.userId, inv.to.userId)
  if p then broadcast_participant(cid, 'participant.updated', p) end
  persist(cid, c, false)
end

local permissions = p and p.permissions or DEFAULT_PERMISSIONS
return ok('{"invitation":' .. json .. ',"permissions":' .. cjson.encode(permissions)
  .. ',"protected":' .. tostring(c ~= nil and c.protected == true) .. '}')
