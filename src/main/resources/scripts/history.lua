-- listInvitations, for one shard: a user's newest invitations in one direction.
-- An open invitation past its deadline reads as EXPIRED (the sweeper makes it so within a second).
-- IN: {userId, direction: incoming|outgoing, pendingOnly, limit}
local kind
if IN.direction == 'incoming' then kind = IN.pendingOnly and 'pin' or 'in'
else kind = IN.pendingOnly and 'pout' or 'out' end
local key = k_user(kind, IN.userId)
local out = {}
local start = 0
while #out < IN.limit do
  local ids = redis.call('ZREVRANGE', key, start, start + IN.limit - 1)
  if #ids == 0 then break end
  local removed = 0
  for _, iid in ipairs(ids) do
    local cid = cid_of(iid)
    local inv = cid and get_inv(cid, iid)
    if not inv then
      redis.call('ZREM', key, iid)
      removed = removed + 1
    else
      local open = not TERMINAL[inv.state]
      if open and NOW >= inv._x then
        inv.state = 'EXPIRED'
        open = false
      end
      if (open or not IN.pendingOnly) and #out < IN.limit then
        out[#out + 1] = encode(public(inv))
      end
    end
  end
  start = start + #ids - removed
end
return ok(unpack(out))
