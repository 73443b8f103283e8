-- connect: a new event stream of a user opens. For this shard, returns where the user's event
-- log stands (so the session starts exactly there) and the invitations still ringing for
-- them, as the invitation.received events they were announced with, so a device that connects
-- mid-ring rings too.
-- IN: {userId}
-- returns ok(last log id or '', "<invitationId> <state> <event id> <time> <data JSON>"…), the
-- event's fields as in the log (see emit in lib/events.lua)
--- @include lib/peek
local uid = IN.userId
-- a log left by an older version (a stream) counts as empty
local newest = redis.pcall('LINDEX', k_user('ev', uid), '-1')
local last = type(newest) == 'string' and string.match(newest, '^(%S+)') or ''
local ringing = {}
for _, iid in ipairs(recent('in', uid)) do
  local cid = cid_of(iid)
  local inv, json
  if cid then inv, json = peek_inv(cid, iid) end
  if inv and not TERMINAL[inv.state] and NOW < inv._x and inv._rev then
    -- the event as it was announced: same id, so a client that saw it already can tell
    ringing[#ringing + 1] = iid .. ' ' .. inv.state .. ' ' .. inv._rev .. ' ' .. inv.createdAt .. ' ' .. json
  end
end
return ok(last, unpack(ringing))
