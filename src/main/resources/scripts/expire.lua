-- expire: the sweeper's step for one shard. Any number of sweepers may run it at once; an
-- invitation leaves the due index in the same step that expires it, so it expires once.
-- A shard with nothing due costs one look at its earliest deadline.
-- IN: {limit}
-- returns {'ok', transitions, expired count, next deadline in ms or '', the largest lag past a
-- deadline in ms, the Redis clock in ms (which the deadlines are judged by)}
--- @include lib/invitations
local first = redis.call('ZRANGE', K_DUE, '0', '0', 'WITHSCORES')
if not first[2] or tonumber(first[2]) > NOW then
  return ok('0', first[2] or '', '0', NOW_S)
end
local due = redis.call('ZRANGEBYSCORE', K_DUE, '-inf', NOW_S, 'LIMIT', '0', int(IN.limit))
local count, lag = 0, 0
for _, iid in ipairs(due) do
  local cid = cid_of(iid)
  local inv = cid and get_inv(cid, iid)
  if inv and expire_if_due(cid, inv) then
    count = count + 1
    lag = math.max(lag, NOW - inv._x)
    persist(cid, load_conf(cid), false)
  else
    redis.call('ZREM', K_DUE, iid)
  end
end
local nxt = redis.call('ZRANGE', K_DUE, '0', '0', 'WITHSCORES')
return ok(tostring(count), nxt[2] or '', int(lag), NOW_S)
