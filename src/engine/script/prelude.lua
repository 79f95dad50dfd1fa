-- slotlab: Redis 7.0's Lua environment on top of a plain Lua 5.1 state.
-- Loaded once per VM with the chunk name "=slotlab"; the error handler
-- skips this chunk's frames, so errors raised here are reported at the
-- user's line exactly as when Redis raises them from C. Everything that can
-- be tail-called and raise (redis.call, cjson, bit, math.random ...) is a
-- Rust function instead, since a tail-called Lua function would replace the
-- user's frame.
--
-- Arguments: P (Rust helpers), MODE ('eval' or 'function'), VERSION,
-- VERSION_NUM.
local P, MODE, VERSION, VERSION_NUM = ...
local PRELUDE = '=slotlab'

local dbg = debug
local getinfo = dbg.getinfo
local type, tostring, tonumber, select, error = type, tostring, tonumber, select, error
local rawget, rawset, setmetatable, pairs, unpack = rawget, rawset, setmetatable, pairs, unpack
local raw_pcall, xpcall, setfenv = pcall, xpcall, setfenv
local sub, find, gsub = string.sub, string.find, string.gsub

local function pack(...) return {n = select('#', ...), ...} end

-- Redis' __redis__err__handler: the position is the frame that raised the
-- error (one C frame up if the error came from C), our own frames skipped.
local function errhandler(err)
  local level = 2
  local i = getinfo(level, 'nSl')
  if i and i.what == 'C' then
    level = 3
    i = getinfo(level, 'nSl')
  end
  while i and i.source == PRELUDE do
    level = level + 1
    i = getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

local function readonly() error('Attempt to modify a readonly table', 2) end
local function missing(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end

-- luaPushErrorBuff: "-CODE msg" -> {err = "CODE msg"}, "-msg" -> {err = "ERR msg"}.
local function error_table(s)
  local sp = find(s, ' ', 1, true)
  local code, msg
  if sp then
    code, msg = sub(s, 2, sp - 1), sub(s, sp + 1)
  else
    code, msg = 'ERR', sub(s, 2)
  end
  msg = gsub(msg, '^[\r\n]+', '')
  msg = gsub(msg, '[\r\n]+$', '')
  return {err = code .. ' ' .. msg}
end

---------------------------------------------------------------- redis.*
local redis = {}

-- redis.call, redis.pcall and redis.setresp are set by the host for the
-- duration of each run; the rest are Rust functions (C frames, like Redis').
redis.sha1hex = P.sha1hex
redis.log = P.log
redis.set_repl = P.set_repl
redis.acl_check_cmd = P.acl_check_cmd

redis.error_reply = function(...)
  if select('#', ...) ~= 1 or type((...)) ~= 'string' then
    return {err = 'ERR wrong number or type of arguments'}
  end
  local e = ...
  if sub(e, 1, 1) ~= '-' then e = '-' .. e end
  return error_table(e)
end

redis.status_reply = function(...)
  if select('#', ...) ~= 1 or type((...)) ~= 'string' then
    return {err = 'ERR wrong number or type of arguments'}
  end
  return {ok = (...)}
end

redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.REDIS_VERSION, redis.REDIS_VERSION_NUM = VERSION, VERSION_NUM

if MODE == 'eval' then
  redis.replicate_commands = function() return true end
  redis.breakpoint = function() return false end
  redis.debug = function() end
end

---------------------------------------------------------------- libraries
-- math.random and math.randomseed (Redis' rand48) are set by the host per run.
math.random = nil
math.randomseed = nil
string.rep = P.rep

pcall = function(...)
  local r = pack(raw_pcall(...))
  if not r[1] then
    local e = r[2]
    if type(e) == 'table' then
      local m = e.err
      if type(m) == 'string' or type(m) == 'number' then e = m end
    end
    return false, e
  end
  return unpack(r, 1, r.n)
end

cjson = {
  encode = P.cjson_encode,
  decode = P.cjson_decode,
  null = P.null,
}

bit = {}
for _, name in pairs({'tobit', 'tohex', 'bnot', 'band', 'bor', 'bxor', 'lshift', 'rshift',
                      'arshift', 'rol', 'ror', 'bswap'}) do
  bit[name] = P['bit_' .. name]
end

---------------------------------------------------------------- globals
rawset(_G, 'redis', redis)

local allowed = {
  string = true, cjson = true, bit = true, math = true, table = true, coroutine = true,
  redis = true, xpcall = true, tostring = true, setmetatable = true, next = true,
  assert = true, tonumber = true, rawequal = true, collectgarbage = true,
  getmetatable = true, rawset = true, pcall = true, type = true, _G = true, select = true,
  unpack = true, gcinfo = true, pairs = true, rawget = true, loadstring = true,
  ipairs = true, _VERSION = true, load = true, error = true,
}
local drop = {}
for k in pairs(_G) do
  if not allowed[k] then drop[#drop + 1] = k end
end
for _, k in pairs(drop) do rawset(_G, k, nil) end

for _, lib in pairs({string, table, math, redis, cjson, bit, coroutine}) do
  setmetatable(lib, {__newindex = readonly})
end

local entry = {redis = redis, math = math}

if MODE == 'eval' then
  rawset(_G, '__redis__err__handler', errhandler)
  setmetatable(_G, {__index = missing, __newindex = readonly})

  -- Runs a compiled body; returns (true, value) or (false, error object).
  entry.run = function(f, keys, args)
    rawset(_G, 'KEYS', keys)
    rawset(_G, 'ARGV', args)
    return xpcall(f, errhandler)
  end
else
  setmetatable(_G, {__index = missing, __newindex = readonly})

  -- The environment library code runs in: at load time only the load API,
  -- afterwards (when the registered callbacks run) the full globals.
  local registered = nil
  local flagnames = {}
  for _, name in pairs({'no-writes', 'allow-oom', 'allow-stale', 'no-cluster',
                        'allow-cross-slot-keys'}) do
    flagnames[name] = true
  end
  local function fail(msg) error({err = 'ERR ' .. msg}) end
  local function isstring(v) return type(v) == 'string' or type(v) == 'number' end

  local function register(...)
    if registered == nil then fail('redis.register_function can only be called on FUNCTION LOAD command') end
    local argc = select('#', ...)
    if argc < 1 or argc > 2 then fail('wrong number of arguments to redis.register_function') end
    local name, callback, desc, flags = nil, nil, nil, {}
    if argc == 1 then
      local t = ...
      if type(t) ~= 'table' then
        fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')
      end
      for k, v in pairs(t) do
        if not isstring(k) then fail('named argument key given to redis.register_function is not a string') end
        local key = string.lower(tostring(k))
        if key == 'function_name' then
          if not isstring(v) then fail('function_name argument given to redis.register_function must be a string') end
          name = tostring(v)
        elseif key == 'description' then
          if not isstring(v) then fail('description argument given to redis.register_function must be a string') end
          desc = tostring(v)
        elseif key == 'callback' then
          if type(v) ~= 'function' then fail('callback argument given to redis.register_function must be a function') end
          callback = v
        elseif key == 'flags' then
          if type(v) ~= 'table' then fail('flags argument to redis.register_function must be a table representing function flags') end
          for _, f in pairs(v) do
            if not isstring(f) or not flagnames[tostring(f)] then fail('unknown flag given') end
            flags[#flags + 1] = tostring(f)
          end
        else
          fail('unknown argument given to redis.register_function')
        end
      end
      if name == nil then fail('redis.register_function must get a function name argument') end
      if callback == nil then fail('redis.register_function must get a callback argument') end
    else
      local n, f = ...
      if not isstring(n) then fail('first argument to redis.register_function must be a string') end
      if type(f) ~= 'function' then fail('second argument to redis.register_function must be a function') end
      name, callback = tostring(n), f
    end
    if not string.find(name, '^[%w_]+$') then
      fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long')
    end
    local lname = string.lower(name)
    for _, r in pairs(registered) do
      if string.lower(r.name) == lname then fail('Function already exists in the library') end
    end
    registered[#registered + 1] = {name = name, callback = callback, desc = desc, flags = flags}
  end

  local load_redis = {
    register_function = register, log = redis.log,
    LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
    REDIS_VERSION = VERSION, REDIS_VERSION_NUM = VERSION_NUM,
  }
  setmetatable(load_redis, {__index = missing, __newindex = readonly})
  local load_env = setmetatable({redis = load_redis}, {__index = missing, __newindex = readonly})
  local env_meta = {__index = _G, __newindex = readonly}
  local libenv = setmetatable({}, env_meta)

  local functions = {}

  -- Runs a library chunk; returns (true, list) or (false, error object).
  entry.load = function(chunk, library)
    setfenv(chunk, libenv)
    registered = {}
    env_meta.__index = load_env
    local ok, e = raw_pcall(chunk)
    env_meta.__index = _G
    local list = registered
    registered = nil
    if not ok then return false, e end
    for _, r in pairs(list) do r.library = library end
    return true, list
  end

  entry.commit = function(list, library)
    for name, f in pairs(functions) do
      if f.library == library then functions[name] = nil end
    end
    for _, r in pairs(list) do functions[string.lower(r.name)] = r end
  end

  entry.unload = function(library)
    for name, f in pairs(functions) do
      if f.library == library then functions[name] = nil end
    end
  end

  entry.run = function(name, keys, args)
    local f = functions[string.lower(name)]
    if f == nil then return false, {err = 'ERR Function not found'} end
    local cb = f.callback
    return xpcall(function() return cb(keys, args) end, errhandler)
  end
end

-- The tables a script must not be able to change: the host checks them
-- after every EVAL and rebuilds the VM if anything differs.
local protected = {_G, string, table, math, redis, cjson, bit, coroutine, getmetatable('')}
for i = 1, 9 do protected[#protected + 1] = getmetatable(protected[i]) or {} end
entry.protected = protected

return entry
