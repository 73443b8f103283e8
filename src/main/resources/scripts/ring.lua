-- ring: the push gateway delivered an invitation to an open session of its invitee.
-- PENDING -> RINGING once; anything else is left alone.
-- IN: {cid, iid, userId}
--- @include lib/invitations
local inv = get_inv(IN.cid, IN.iid)
if not inv or inv.state ~= 'PENDING' or inv.to.userId ~= IN.userId or NOW >= inv._x then
  return { 'noop', '' }
end
inv.state = 'RINGING'
local json = save_inv(IN.cid, inv)
emit_invitation(IN.cid, 'invitation.ringing', inv, json, inv.from.userId)
return ok(json)
