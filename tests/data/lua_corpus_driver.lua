-- lua5.1 lua_corpus_driver.lua lua_corpus.lua > lua_corpus.expected
-- Runs every snippet of the corpus (blocks headed by "--- name") through
-- the same harness slotlab's test uses, printing "name<TAB>outcome" with
-- backslashes, newlines and tabs escaped.
local here = arg[0]:match('^(.*/)') or './'
local fh = assert(io.open(here .. 'lua_corpus_harness.lua'))
local harness_src = fh:read('*a')
fh:close()
fh = assert(io.open(arg[1]))
local corpus = fh:read('*a')
fh:close()
local names, bodies = {}, {}
for line in (corpus .. '\n'):gmatch('([^\n]*)\n') do
  local name = line:match('^%-%-%- (%S+)$')
  if name then
    names[#names + 1] = name
    bodies[#names] = {}
  elseif #names > 0 then
    table.insert(bodies[#names], line)
  end
end
local function escape(s)
  return (s:gsub('\\', '\\\\'):gsub('\n', '\\n'):gsub('\t', '\\t'))
end
for i, name in ipairs(names) do
  local src = table.concat(bodies[i], '\n'):gsub('\n+$', '')
  ARGV = {src}
  local out = assert(loadstring(harness_src, '=harness'))()
  io.write(name, '\t', escape(out), '\n')
end
