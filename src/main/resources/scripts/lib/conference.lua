-- Conferences: one hash each, read once and written once per step.
--- @include lib/base

-- conference ------------------------------------------------------------------------------------
-- Each conference a step touches is read once into CONFS[cid] = { f = field -> value, dirty =
-- field -> value, order = dirty fields in order, ttl = ms or nil }; flush writes what changed in
-- one HSET and then sets the TTL persist asked for.
local CONFS, CONF_ORDER
per_step(function() CONFS, CONF_ORDER = {}, {} end)
local function conf_state(cid)
  local s = CONFS[cid]
  if not s then
    local f = {}
    local flat = redis.call('HGETALL', k_conf(cid))
    for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
    s = { f = f, dirty = {}, order = {} }
    CONFS[cid] = s
    CONF_ORDER[#CONF_ORDER + 1] = cid
  end
  return s
end

local function conf_set(cid, field, value)
  local s = conf_state(cid)
  s.f[field] = value
  if s.dirty[field] == nil then s.order[#s.order + 1] = field end
  s.dirty[field] = value
end

-- a counter of the conference (po, seq, evseq), bumped by one: the new value
local function conf_incr(cid, field)
  local n = (tonumber(conf_state(cid).f[field]) or 0) + 1
  conf_set(cid, field, int(n))
  return n
end

-- Writes what the step changed in each conference (before anything that reads the keys back).
local function write_confs()
  for _, cid in ipairs(CONF_ORDER) do
    local s = CONFS[cid]
    if #s.order > 0 then
      local args = {}
      for _, field in ipairs(s.order) do
        args[#args + 1] = field
        args[#args + 1] = s.dirty[field]
      end
      redis.call('HSET', k_conf(cid), unpack(args))
      s.dirty, s.order = {}, {}
    end
    if s.ttl then
      redis.call('PEXPIRE', k_conf(cid), s.ttl)
      s.ttl = nil
    end
  end
end

local function load_conf(cid)
  local f = conf_state(cid).f
  if not f.doc then return nil end
  local c = cjson.decode(f.doc)
  c._x = tonumber(f.x)
  if f.ended then c._ended = tonumber(f.ended) end
  return c
end

local function has_ended(c)
  return c._ended ~= nil or NOW >= c._x
end

-- A conference's participants are decoded once per step and kept here (userId -> participant,
-- plus .sorted, the list in joining order, rebuilt after a participant is added or replaced):
-- a step that announces each of n new participants to everyone decodes them once, not n times.
local PARTS
per_step(function() PARTS = {} end)
local function participants_of(cid)
  local cache = PARTS[cid]
  if not cache then
    cache = { by = {}, count = 0 }
    for field, raw in pairs(conf_state(cid).f) do
      if string.sub(field, 1, 2) == 'p:' then
        local p = cjson.decode(raw)
        cache.by[p.userId] = p
        cache.count = cache.count + 1
      end
    end
    PARTS[cid] = cache
  end
  return cache
end

local function get_participant(cid, uid)
  return participants_of(cid).by[uid]
end

-- Oldest first; the list is shared by the step, so callers must not change it.
local function all_participants(cid)
  local cache = participants_of(cid)
  if not cache.sorted then
    local list = {}
    for _, p in pairs(cache.by) do list[#list + 1] = p end
    table.sort(list, function(a, b) return a._o < b._o end)
    cache.sorted = list
  end
  return cache.sorted
end

local function save_participant(cid, p)
  if not p._o then p._o = conf_incr(cid, 'po') end
  local cache = participants_of(cid)
  conf_set(cid, 'p:' .. p.userId, cjson.encode(p))
  local before = cache.by[p.userId]
  if before ~= p then
    if not before then cache.count = cache.count + 1 end
    cache.by[p.userId] = p
    cache.sorted = nil
  end
end

-- The conference as clients see it, with its participants.
local function conf_view(cid, c)
  local v = {}
  for k, value in pairs(c) do
    if string.byte(k, 1) ~= 95 then v[k] = value end
  end
  v.expiresAt = iso(c._x)
  v.state = has_ended(c) and 'ENDED' or 'ACTIVE'
  if c._ended then v.endedAt = iso(c._ended) end
  local parts = {}
  for i, p in ipairs(all_participants(cid)) do
    local copy = {}
    for k, value in pairs(p) do
      if k ~= '_o' then copy[k] = value end
    end
    parts[i] = copy
  end
  v.participants = parts
  return cjson.encode(v)
end

-- Every key of a conference expires together; activity (extend = true) slides the deadline.
local function persist(cid, c, extend)
  if not c then return end
  if extend and not has_ended(c) then
    local was = c._x
    c._x = NOW + CONF_TTL
    conf_set(cid, 'x', int(c._x))
    -- the connected participants' busy markers follow the conference's sliding deadline, to
    -- within MARK_SLACK: a step right after another (an accept after its invitation) costs no
    -- marker update (a participant who connects is marked when they do, see finish)
    if c._x - was >= MARK_SLACK then
      for _, q in ipairs(all_participants(cid)) do
        if q.status == 'CONNECTED' then mark(cid, q.userId, 'c:' .. cid, c._x) end
      end
    end
  end
  conf_state(cid).ttl = int(math.max(c._x - NOW, 0) + RETAIN)
end
