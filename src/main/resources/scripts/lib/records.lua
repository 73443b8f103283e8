-- What the state steps store and a replay (events.lua) reads back: the text of a conference,
-- records "\n<field>\t<value>" (neither separator occurs in a field name, user ids being
-- [A-Za-z0-9._@:-], nor in a value: JSON escapes control characters, the rest are numbers), and
-- the short codes of the two permission sets nearly every participant has.

local ALL_PERMISSIONS = { 'JOIN', 'SEND_AUDIO', 'SEND_VIDEO', 'SHARE_SCREEN', 'SHARE_VIDEO', 'SHARE_FILE',
  'SEND_MESSAGE', 'RECORD', 'STREAM', 'INVITE', 'KICK', 'UPDATE_PERMISSIONS' }
local DEFAULT_PERMISSIONS = { 'JOIN', 'SEND_AUDIO', 'SEND_VIDEO', 'SHARE_SCREEN', 'SHARE_VIDEO', 'SHARE_FILE',
  'SEND_MESSAGE', 'RECORD', 'STREAM' }

-- A participant's permissions are one of these two lists in nearly every conference: stored
-- participants and logged events hold '"permissions":0' (the default) or '"permissions":1' (all,
-- the owner's) instead of the list, about 130 bytes less each. Exact and reversible: encoded
-- JSON never holds those texts otherwise (permissions are always a list, and a quote inside a
-- string is escaped), and a list in another order or with other entries is kept as it is.
-- (made on first use: a function library is loaded where cjson is not yet reachable)
local PERMISSION_CODES
local function permission_codes()
  if not PERMISSION_CODES then
    PERMISSION_CODES = {
      { '"permissions":' .. cjson.encode(DEFAULT_PERMISSIONS), '"permissions":0' },
      { '"permissions":' .. cjson.encode(ALL_PERMISSIONS), '"permissions":1' },
    }
  end
  return PERMISSION_CODES
end

local function replace_all(text, from, to)
  local at = string.find(text, from, 1, true)
  if not at then return text end
  local parts, start = {}, 1
  while at do
    parts[#parts + 1] = string.sub(text, start, at - 1)
    parts[#parts + 1] = to
    start = at + #from
    at = string.find(text, from, start, true)
  end
  parts[#parts + 1] = string.sub(text, start)
  return table.concat(parts)
end

-- JSON with the permission lists as their codes, and back
local function with_permission_codes(json)
  for _, code in ipairs(permission_codes()) do json = replace_all(json, code[1], code[2]) end
  return json
end
local function without_permission_codes(text)
  for _, code in ipairs(permission_codes()) do text = replace_all(text, code[2], code[1]) end
  return text
end

-- the conference an invitation id "<conferenceId>-<n>" belongs to
local function cid_of(iid)
  return string.match(iid, '^(.+)%-%d+$')
end

-- every field of a conference's text
local function conf_fields(raw)
  local f = {}
  for field, value in string.gmatch(raw, '\n([^\t\n]*)\t([^\n]*)') do f[field] = value end
  return f
end

-- One field of a conference's text, without reading the rest (nil when absent).
local function conf_field(raw, field)
  local at = string.find(raw, '\n' .. field .. '\t', 1, true)
  if not at then return nil end
  local from = at + #field + 2
  local to = string.find(raw, '\n', from, true)
  return string.sub(raw, from, to and to - 1 or -1)
end

-- An invitation's events are logged without their data (see emit in lib/events.lua): the data
-- is the invitation as it was in the event's state, which the stored invitation gives. Once in a
-- terminal state an invitation no longer changes, and while it is open only its state and the
-- response fields move, so the stored document with the event's state and without the response
-- is the document of an event of an open state.
local RESPONSE_FIELDS = { 'respondedAt', 'reason', 'responseMessage' }
local function invitation_as_of(stored, state)
  if string.find(stored, '"state":"' .. state .. '"', 1, true) then return stored end
  local inv = cjson.decode(stored)
  inv.state = state
  for _, field in ipairs(RESPONSE_FIELDS) do inv[field] = nil end
  return cjson.encode(inv)
end
