-- listInvitations, for one shard: a user's newest invitations in one direction.
-- An open invitation past its deadline reads as EXPIRED (the sweeper makes it so within a second).
-- pendingOnly looks only at invitations recent enough to be open.
-- IN: {userId, direction: incoming|outgoing, pendingOnly, limit}
--- @include lib/peek
local kind = IN.direction == 'incoming' and 'in' or 'out'
local key = k_user(kind, IN.userId)
local out = {}
local start = 0
local lowest = IN.pendingOnly and OPEN_SINCE_S or '-inf'
while #out < IN.limit do
  local ids = redis.call('ZREVRANGEBYSCORE', key, '+inf', lowest, 'LIMIT', int(start), int(IN.limit))
  if #ids == 0 then break end
  local removed = 0
  for _, iid in ipairs(ids) do
    local cid = cid_of(iid)
    local inv, json
    if cid then inv, json = peek_inv(cid, iid) end
    if not inv then
      redis.call('ZREM', key, iid)
      removed = removed + 1
    else
      local open = not TERMINAL[inv.state]
      if open and NOW >= inv._x then
        inv.state = 'EXPIRED'
        json = encode_without(inv, '_x', '_rev')
        open = false
      end
      if (open or not IN.pendingOnly) and #out < IN.limit then
        out[#out + 1] = json
      end
    end
  end
  start = start + #ids - removed
end
return ok(unpack(out))
