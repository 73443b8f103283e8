-- Conferences: one string each, read once and written once per step.
--- @include lib/base

-- conference ------------------------------------------------------------------------------------
-- A conference is one string key holding its fields as records (lib/records; the fields are
-- listed at k_conf in lib/base). A string, not a hash: the documents outgrow a hash's compact
-- encoding (values of at most 64 bytes), and a hash in its table encoding costs about 60% more
-- than its contents, where a string costs its contents; and a step writes it with its TTL in
-- one SET.
--
-- Each conference a step touches is read once into CONFS[cid] = { f = field -> value, dirty =
-- whether a field changed, ttl = ms or nil }; flush writes it back whole in one SET, with the TTL
-- persist asked for or the one it had.
local CONFS, CONF_ORDER
per_step(function() CONFS, CONF_ORDER = {}, {} end)

-- A conference's stored text, or a conference an older version kept as a hash (read into the
-- same records; the next write replaces it with a string).
local function conf_raw(cid)
  local raw = redis.pcall('GET', k_conf(cid))
  if type(raw) ~= 'table' or not raw.err then return raw end
  local flat = redis.call('HGETALL', k_conf(cid))
  local records = {}
  for i = 1, #flat, 2 do records[#records + 1] = '\n' .. flat[i] .. '\t' .. flat[i + 1] end
  return table.concat(records)
end

local function conf_state(cid)
  local s = CONFS[cid]
  if not s then
    local raw = conf_raw(cid)
    s = { f = raw and conf_fields(raw) or {}, dirty = false }
    CONFS[cid] = s
    CONF_ORDER[#CONF_ORDER + 1] = cid
  end
  return s
end

local function conf_set(cid, field, value)
  local s = conf_state(cid)
  s.f[field] = value
  s.dirty = true
end

-- a counter of the conference (po, seq, evseq), bumped by one: the new value
local function conf_incr(cid, field)
  local n = (tonumber(conf_state(cid).f[field]) or 0) + 1
  conf_set(cid, field, int(n))
  return n
end

-- Writes each conference the step changed, whole, with its TTL (before anything that reads the
-- keys back).
local function write_confs()
  for _, cid in ipairs(CONF_ORDER) do
    local s = CONFS[cid]
    if s.dirty then
      local records = {}
      for field, value in pairs(s.f) do records[#records + 1] = '\n' .. field .. '\t' .. value end
      if s.ttl then
        redis.call('SET', k_conf(cid), table.concat(records), 'PX', s.ttl)
      else
        redis.call('SET', k_conf(cid), table.concat(records), 'KEEPTTL')
      end
      s.dirty = false
    elseif s.ttl then
      redis.call('PEXPIRE', k_conf(cid), s.ttl)
    end
    s.ttl = nil
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
        local p = cjson.decode(without_permission_codes(raw))
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
  conf_set(cid, 'p:' .. p.userId, with_permission_codes(cjson.encode(p)))
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
