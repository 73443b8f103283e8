-- getConference: the conference as its participants (or a server token) see it.
-- IN: {cid, actor: {userId}?, server}
--- @include lib/conference
local c = load_conf(IN.cid)
if not c then return err('not_found', 'No conference ' .. IN.cid .. '.') end
if IN.actor and not get_participant(IN.cid, IN.actor.userId) then
  return err('forbidden', IN.actor.userId .. ' is not a participant of this conference.')
end
return ok(conf_view(IN.cid, c))
