-- The busy marker's encoding, shared by marks.lua and busy.lua. A user's marker (bk:bz:{<userId>})
-- is a sorted set whose member is an entry ('r:<invitationId>', 'c:<conferenceId>') and whose
-- score packs the entry's deadline (whole seconds, rounded up) with the conference step that
-- wrote it: deadline * 2^21 + step, negative for an ended entry kept as a tombstone until
-- "deadline". So the live entries are the scores above now, the busy check reads the first few
-- of them (O(log n), however many conferences a user sits in), everything lapsed is one range,
-- and a late change is judged against the stored step without a second key. 32 bits of seconds
-- and 21 of step fit a double's 53 exactly; a step beyond 2^21 counts as 2^21 - 1, so such a
-- conference's later changes apply in arrival order.
local STEPS = 2097152
local function marker_score(deadline_s, step, ended)
  local s = deadline_s * STEPS + math.min(step, STEPS - 1)
  if ended then s = -s end
  return s
end
local function marker_step(score)
  return math.abs(score) % STEPS
end
-- The lowest score of an entry still live at now_s (seconds): its deadline is later.
local function marker_live_from(now_s)
  return (now_s + 1) * STEPS
end
local function marker_fmt(score)
  return string.format('%.0f', score)
end
