/*
 * Lua run inside Redis, so that each update of an AOR is atomic across edge instances. They
 * mirror applyBindingUpdate (apply-binding-update.ts) and keep two structures in step:
 *   KEYS[1]  hash of the AOR: binding key -> binding JSON; the key expires `grace` ms after its
 *            last binding, a safety net only: the sweep removes expired bindings (and reports
 *            them) long before.
 *   KEYS[2]  sorted set of AORs scored by their earliest expiry, which the sweep walks.
 * Bindings travel as the JSON the TypeScript side wrote; the scripts only read fields from it and
 * hand the strings back unchanged, so no number passes through Lua's float formatting.
 */

const PRELUDE = `
local function load(now)
  local raw = redis.call('HGETALL', KEYS[1])
  local live, expired = {}, {}
  for i = 1, #raw, 2 do
    local b = cjson.decode(raw[i + 1])
    if tonumber(b.expiresAt) > now then
      live[raw[i]] = { json = raw[i + 1], b = b }
    else
      expired[#expired + 1] = raw[i + 1]
      redis.call('HDEL', KEYS[1], raw[i])
    end
  end
  return live, expired
end

local function reindex(aor, now, grace)
  local raw = redis.call('HVALS', KEYS[1])
  if #raw == 0 then
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', KEYS[2], aor)
    return
  end
  local low, high = nil, nil
  for i = 1, #raw do
    local e = tonumber(cjson.decode(raw[i]).expiresAt)
    if low == nil or e < low then low = e end
    if high == nil or e > high then high = e end
  end
  -- Relative to the caller's clock, like every time here: Redis's own clock may differ.
  redis.call('PEXPIRE', KEYS[1], math.max(1, high - now + grace))
  redis.call('ZADD', KEYS[2], low, aor)
end

local function jsonList(t)
  if #t == 0 then return '[]' end
  return cjson.encode(t)
end
`;

/** ARGV: aor, now, callId, cseq, maxBindings, removeAll (1/0), grace, then per change: kind, payload. */
export const UPDATE_SCRIPT = `${PRELUDE}
local aor, now, callId, cseq = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local maxBindings, removeAll, grace = tonumber(ARGV[5]), ARGV[6] == '1', tonumber(ARGV[7])
local live, expired = load(now)

local changes = {}
for i = 8, #ARGV, 2 do
  local change = { kind = ARGV[i] }
  if change.kind == 'set' then
    change.json = ARGV[i + 1]
    change.b = cjson.decode(change.json)
    change.key = change.b.key
  else
    change.key = ARGV[i + 1]
  end
  changes[#changes + 1] = change
end

local function older(entry)
  return entry ~= nil and entry.b.callId == callId and tonumber(entry.b.cseq) >= cseq
end
if removeAll then
  for _, entry in pairs(live) do
    if older(entry) then
      reindex(aor, now, grace)
      return '{"status":"out-of-order","expired":' .. jsonList(expired) .. '}'
    end
  end
end
for _, change in ipairs(changes) do
  if older(live[change.key]) then
    reindex(aor, now, grace)
    return '{"status":"out-of-order","expired":' .. jsonList(expired) .. '}'
  end
end

local added, removed, evicted = {}, {}, {}
if removeAll then
  for key, entry in pairs(live) do
    removed[#removed + 1] = entry.json
    redis.call('HDEL', KEYS[1], key)
  end
  live = {}
end
local touched = {}
for _, change in ipairs(changes) do
  local existing = live[change.key]
  if change.kind == 'remove' then
    if existing ~= nil then
      removed[#removed + 1] = existing.json
      live[change.key] = nil
      redis.call('HDEL', KEYS[1], change.key)
    end
  else
    if existing == nil then
      added[#added + 1] = change.json
    elseif existing.b.contact ~= change.b.contact then
      removed[#removed + 1] = existing.json
      added[#added + 1] = change.json
    end
    live[change.key] = { json = change.json, b = change.b }
    touched[change.key] = true
    redis.call('HSET', KEYS[1], change.key, change.json)
  end
end

local count, candidates = 0, {}
for key, entry in pairs(live) do
  count = count + 1
  if not touched[key] then candidates[#candidates + 1] = { key = key, entry = entry } end
end
if count > maxBindings then
  table.sort(candidates, function(x, y)
    local ux, uy = tonumber(x.entry.b.updatedAt), tonumber(y.entry.b.updatedAt)
    if ux ~= uy then return ux < uy end
    return tonumber(x.entry.b.expiresAt) < tonumber(y.entry.b.expiresAt)
  end)
  for _, candidate in ipairs(candidates) do
    if count <= maxBindings then break end
    evicted[#evicted + 1] = candidate.entry.json
    live[candidate.key] = nil
    redis.call('HDEL', KEYS[1], candidate.key)
    count = count - 1
  end
end

local bindings = {}
for _, entry in pairs(live) do bindings[#bindings + 1] = entry.json end
reindex(aor, now, grace)
return '{"status":"ok","bindings":' .. jsonList(bindings) .. ',"added":' .. jsonList(added) ..
  ',"removed":' .. jsonList(removed) .. ',"evicted":' .. jsonList(evicted) ..
  ',"expired":' .. jsonList(expired) .. '}'
`;

/** ARGV: aor, now, grace, key (empty: every binding). */
export const REMOVE_SCRIPT = `${PRELUDE}
local aor, now, grace, only = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local live, expired = load(now)
local removed = {}
for key, entry in pairs(live) do
  if only == '' or key == only then
    removed[#removed + 1] = entry.json
    redis.call('HDEL', KEYS[1], key)
  end
end
reindex(aor, now, grace)
return '{"live":' .. jsonList(removed) .. ',"expired":' .. jsonList(expired) .. '}'
`;

/** ARGV: aor, now, grace. Returns the expired bindings it dropped. */
export const SWEEP_SCRIPT = `${PRELUDE}
local aor, now, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local _, expired = load(now)
reindex(aor, now, grace)
return jsonList(expired)
`;
