-- ring: the push gateway delivered an invitation to an open session of its invitee.
-- PENDING -> RINGING once; anything else is left alone.
-- IN: {cid, iid, userId}
local inv = get_inv(IN.cid, IN.iid)
if not inv or inv.state ~= 'PENDING' or inv.to.userId ~= IN.userId or NOW >= inv._x then
  return { 'noop' }
end
inv.state = 'RINGING'
save_inv(IN.cid, inv)
local data = public(inv)
emit(IN.cid, 'invitation.ringing', inv.from.userId, data)
return ok(encode(data))
