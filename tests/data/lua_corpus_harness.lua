-- Runs one snippet (ARGV[1] under slotlab's EVAL, or the argument of
-- run_snippet under lua5.1) and renders its outcome as one line:
--   OK v1 | v2 ...   the values it returned (tables/functions as their type)
--   ERR message      the error it raised
--   SYNTAX message   it did not compile
-- Only locals: slotlab runs this inside EVAL, where globals are protected.
local function pack(...) return {n = select('#', ...), ...} end
local function show(v)
  local t = type(v)
  if t == 'table' or t == 'function' or t == 'userdata' or t == 'thread' then return t end
  return tostring(v)
end
local function run(src)
  local f, cerr = loadstring(src, '=user_script')
  if not f then return 'SYNTAX ' .. cerr end
  local r = pack(pcall(f))
  if not r[1] then
    local e = r[2]
    if type(e) ~= 'string' and type(e) ~= 'number' then e = type(e) end
    return 'ERR ' .. e
  end
  local out = {}
  for i = 2, r.n do out[#out + 1] = show(r[i]) end
  return 'OK ' .. table.concat(out, ' | ')
end
return run(ARGV[1])
