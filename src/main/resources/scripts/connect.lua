-- connect: a new event stream of a user opens. For this shard, returns where the user's event
-- stream stands (so the session starts exactly there) and the invitations still ringing for
-- them, as the invitation.received events they were announced with, so a device that connects
-- mid-ring rings too.
-- IN: {userId}
-- returns ok(last stream id or '', "<invitationId> <state> <event JSON>"…)
local uid = IN.userId
local last = redis.call('XREVRANGE', k_user('ev', uid), '+', '-', 'COUNT', 1)
local ringing = {}
for _, iid in ipairs(recent('in', uid)) do
  local cid = cid_of(iid)
  local inv, json
  if cid then inv, json = get_inv(cid, iid) end
  if inv and not TERMINAL[inv.state] and NOW < inv._x and inv._rev then
    -- the event as it was announced: same id, so a client that saw it already can tell
    ringing[#ringing + 1] = iid .. ' ' .. inv.state .. ' '
      .. cloud_event(inv._rev, cid, 'invitation.received', inv.createdAt, uid, json)
  end
end
return ok(last[1] and last[1][1] or '', unpack(ringing))
