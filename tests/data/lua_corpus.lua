--- string_format_basic
return string.format('%d %s %.2f', 42, 'x', 3.14159), string.format('%5.1f|%-5d|%x|%X|%o', 2.25, 7, 255, 255, 8)
--- string_format_q_g_e
return string.format('%q', 'a"b\\c\n\0d'), string.format('%g %g %e %E', 100000000000000, 0.1, 12345.678, 0.00012)
--- string_format_s_width
return string.format('%5s|%-3s|%.2s|', 'ab', 'c', 'xyz'), string.format('%s %s', 1 / 3, 10), string.format('%%')
--- string_format_c_i_u
return string.format('%c%c%c', 72, 105, 33), string.format('%i', 3.7), string.format('%5.3d', 7), string.format('%+d % d', 5, 5)
--- string_format_errors
local ok1, e1 = pcall(string.format, '%d', 'x')
local ok2, e2 = pcall(string.format, '%y', 1)
local ok3, e3 = pcall(string.format, '%s')
return e1, e2, e3
--- string_format_numbers
return string.format('%.0f', 0.5), string.format('%.0f', 1.5), string.format('%.3f', 2 / 3), string.format('%10.4f|', math.pi), string.format('%.14g', 2 ^ 63)
--- string_find_plain_pattern
local s = 'user:1001:profile'
return string.find(s, ':'), string.find(s, ':', 6), string.find('a.b', '.', 1, true), string.find(s, 'xyz'), string.find(s, '(%d+)')
--- string_find_anchors_negative
return string.find('hello', '^h'), string.find('hello', 'o$'), string.find('hello', 'l', -2), string.find('hello', ''), string.find('', '')
--- string_match_captures
local k, v = string.match('key=value', '(%w+)=(%w+)')
return k, v, string.match('user:1001', 'user:(%d+)'), string.match('  trim  ', '^%s*(.-)%s*$'), string.match('abc', '()b()')
--- string_match_classes
return string.match('x123y', '%a+'), string.match('x123y', '%d+'), string.match('a,b;c', '[,;]'), string.match('ABCdef', '%u+'), string.match('tab\there', '%s'), string.match('f(a(b)c)', '%b()')
--- string_match_frontier_balance
return string.match('THE (quick) fox', '%f[%a]%a+'), string.match('[[x]]', '%[(.-)%]'), string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')
--- string_gmatch_words
local parts = {}
for w in string.gmatch('one two  three', '%a+') do parts[#parts + 1] = w end
local kv = {}
for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do kv[#kv + 1] = k .. v end
return table.concat(parts, ','), table.concat(kv, ',')
--- string_gmatch_empty_matches
local parts = {}
for w in string.gmatch('a,b,,c', '([^,]*)') do parts[#parts + 1] = '<' .. w .. '>' end
return table.concat(parts)
--- string_gsub_basic
local r, n = string.gsub('hello world', 'o', '0')
return r, n, (string.gsub('a,b,c', ',', ';', 1)), (string.gsub('x=1, y=2', '(%w+)=(%w+)', '%2=%1')), (string.gsub('abc', '', '-'))
--- string_gsub_function_table
local t = {name = 'lua', ver = '5.1'}
return (string.gsub('$name-$ver-$x', '%$(%w+)', t)), (string.gsub('abc', '%w', function(c) return c:upper() .. '.' end)), (string.gsub('abc', 'b', function() return nil end)), (string.gsub('abc', 'b', false and 1 or function() return false end))
--- string_gsub_percent
return (string.gsub('a.b', '%.', '%%')), (string.gsub('hello', 'l+', '%0%0')), (string.gsub('abc', '(a)(b)', '%2%1'))
--- string_gsub_errors
local ok1, e1 = pcall(string.gsub, 'abc', '(', 'x')
local ok2, e2 = pcall(string.gsub, 'abc', 'b', '%2')
local ok3, e3 = pcall(string.gsub, 'abc', '[a', 'x')
return e1, e2, e3
--- string_rep_sub
return string.rep('ab', 3), '[' .. string.rep('-', 0) .. ']', ('abcdef'):sub(2, 4), ('abcdef'):sub(-2), '[' .. ('abc'):sub(5) .. ']', ('abc'):sub(0), ('abc'):sub(2, 1), ('abc'):sub(-10, 2)
--- string_byte_char
return string.byte('A'), string.byte('abc', 2), string.byte('abc', 1, 3), string.byte('abc', 10), string.char(72, 105), string.char(), #string.char(0, 255)
--- string_byte_char_errors
local ok1, e1 = pcall(string.char, 256)
local ok2, e2 = pcall(string.char, 'x')
local ok3, e3 = pcall(string.byte)
return e1, e2, e3
--- string_case_len_reverse
local s = 'Hello'
return s:upper(), s:lower(), s:len(), s:rep(2), s:byte(1), ('%d-%d'):format(1, 2), s:reverse(), #s, string.len(123), string.upper(1.5)
--- string_methods_on_numbers
local n = 42
return ('x'):rep(2) .. n, (n .. ''):len(), (12):rep(2)
--- string_compare
return tostring('a\0b' < 'a\0c'), tostring('' < 'a'), tostring('abc' < 'abd'), tostring('Z' < 'a'), #('\0\0\0'), tostring('10' < '9')
--- table_insert_remove
local t = {}
table.insert(t, 'a'); table.insert(t, 'c'); table.insert(t, 2, 'b')
local removed = table.remove(t, 1)
local last = table.remove(t)
return #t, table.concat(t, '-'), removed, last, tostring(table.remove({}))
--- table_concat_variants
return table.concat({1, 2.5, 'x'}), table.concat({'a', 'b', 'c'}, ', ', 2), table.concat({'a', 'b', 'c'}, '', 2, 3), table.concat({}, 'x'), table.concat({1, 2, 3}, ' ', 3, 2)
--- table_concat_errors
local ok1, e1 = pcall(table.concat, {1, {}, 3})
local ok2, e2 = pcall(table.concat, {1, nil, 3}, ',', 1, 3)
return e1, e2
--- table_sort_default_and_cmp
local a = {5, 2, 8, 1, 9, 3}
table.sort(a)
local b = {'pear', 'apple', 'fig'}
table.sort(b, function(x, y) return #x < #y end)
local c = {3, 1, 2}
table.sort(c, function(x, y) return x > y end)
return table.concat(a, ' '), table.concat(b, ' '), table.concat(c, ' ')
--- table_sort_errors
local ok1, e1 = pcall(table.sort, {1, 'x', 2})
local ok2, e2 = pcall(table.sort, {3, 2, 1}, function(a, b) return true end)
return e1, tostring(ok2)
--- table_getn_maxn
local t = {1, 2, 3, nil, 5}
return #t, table.maxn({1, 2, [10] = 3}), #{n = 1}, select('#', unpack({1, nil, 3}))
--- unpack_ranges
local a, b, c = unpack({1, 2, 3})
return a, b, c, select('#', unpack({}, 1, 3)), unpack({1, 2, 3}, 2), unpack({1, 2, 3}, 2, 3)
--- select_variants
return select('#'), select('#', nil, nil), select(2, 'a', 'b', 'c'), select(-1, 'a', 'b', 'c')
--- select_errors
local ok, e = pcall(select, 0, 'a')
return e
--- tonumber_edges
return tostring(tonumber('0x10')), tostring(tonumber('  5  ')), tostring(tonumber('5x')), tostring(tonumber('')), tostring(tonumber('1e2')), tostring(tonumber('10', 2)), tostring(tonumber('ff', 16)), tostring(tonumber('.5')), tostring(tonumber('-0x1A')), tostring(tonumber(' 1 2 ')), tostring(tonumber('z', 36)), tostring(tonumber('8', 8))
--- tonumber_errors
local ok1, e1 = pcall(tonumber)
local ok2, e2 = pcall(tonumber, '10', 99)
return e1, e2, tostring(tonumber(nil)), tostring(tonumber({}))
--- tostring_numbers
return tostring(1e100), tostring(10 / 3), tostring(2 ^ 53), tostring(2 ^ 63), tostring(1 / 0), tostring(-1 / 0), tostring(0.1), tostring(100), tostring(1e15), tostring(123456789012), tostring(-0.5), 7 .. '', tostring(1e-5), tostring(123456789012345678)
--- tostring_types
local mt = setmetatable({}, {__tostring = function() return 'custom' end})
return tostring(nil), tostring(true), tostring(false), tostring(mt), type(tostring({})), tostring('s')
--- concat_numbers
return 1 .. 2, 1.5 .. '', 1e100 .. '', 2 ^ 63 .. '', -7 .. ''
--- arith_division_modulo
return 7 / 2, 7 % 3, -7 % 3, 7 % -3, 7.5 % 2, 2 ^ 10, 10 / 2, math.floor(7 / 2), math.fmod(-7, 3), '10' + 5, '3' * '4', 10 / 4 * 4, -2 ^ 2, 2 ^ -1
--- arith_coercion_errors
local ok1, e1 = pcall(function() return 'abc' + 1 end)
local ok2, e2 = pcall(function() return 1 < '2' end)
local ok3, e3 = pcall(function() return #nil end)
local ok4, e4 = pcall(function() local t = {} t.x.y = 1 end)
return e1, e2, e3, e4
--- math_floor_ceil_abs
return math.floor(3.7), math.floor(-3.7), math.ceil(3.2), math.ceil(-3.2), math.abs(-5), math.abs(5), math.floor(-0.5)
--- math_max_min
return math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.max(1), math.min(-0.5, 0.5)
--- math_max_errors
local ok, e = pcall(math.max)
return e
--- math_fmod_modf
local i, f = math.modf(3.7)
local i2, f2 = math.modf(-3.7)
return math.fmod(5.5, 2), math.fmod(-5.5, 2), i, f, i2, f2
--- math_sqrt_pow_exp_log
return math.sqrt(16), math.pow(2, 10), math.exp(0), math.log(1), math.log10(1000), string.format('%.6f', math.log(10)), string.format('%.6f', math.exp(1))
--- math_trig
return string.format('%.6f %.6f %.6f', math.sin(1), math.cos(1), math.tan(1)), string.format('%.6f', math.atan2(1, 2)), math.deg(math.pi), math.rad(180) == math.pi
--- math_pi_huge
return math.pi, math.huge, -math.huge, math.huge > 2 ^ 1023
--- math_frexp_ldexp
local m, e = math.frexp(8)
return m, e, math.ldexp(0.5, 4)
--- ipairs_pairs_order
local arr = {'a', 'b', 'c', nil, 'e'}
local s = ''
for i, v in ipairs(arr) do s = s .. i .. v end
local keys = {}
for k in pairs({10, 20, 30}) do keys[#keys + 1] = k end
local n = 0
for k, v in pairs({x = 1, y = 2, z = 3}) do n = n + v end
return s, table.concat(keys, ','), n, #{1, 2, 3}
--- next_and_rawops
local t = setmetatable({}, {__index = function() return 'meta' end, __newindex = function() error('blocked') end})
rawset(t, 'a', 1)
return rawget(t, 'a'), t.b, tostring(rawget(t, 'b')), next({}), type(next({5})), tostring(rawequal(t, t))
--- metatables_arith_concat
local mt = {__add = function(a, b) return 'added' end, __concat = function(a, b) return 'CAT' end, __len = function() return 99 end, __unm = function() return 'neg' end, __call = function(self, x) return x * 2 end}
local a = setmetatable({}, mt)
return a + 1, a .. 'x', #a, -a, a(21)
--- metatables_compare
local mt = {__eq = function() return true end, __lt = function() return true end, __le = function() return false end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
return tostring(a == b), tostring(a < b), tostring(a <= b), tostring(a == {})
--- metatable_protect
local t = setmetatable({}, {__metatable = 'locked'})
local ok, e = pcall(setmetatable, t, {})
return getmetatable(t), e, getmetatable('abc').__index == string
--- closures_upvalues
local function counter() local n = 0 return function() n = n + 1 return n end end
local c1, c2 = counter(), counter()
c1(); c1()
return c1(), c2()
--- varargs
local function f(...) return select('#', ...), ... end
local function g(...) local t = {...} return #t end
return f(1, nil, 3), g(1, 2, 3), (f(1, 2))
--- numeric_for_float
local n, last = 0
for i = 1, 2, 0.25 do n = n + 1 last = i end
local m = 0
for i = 10, 1 do m = m + 1 end
local k = 0
for i = 10, 1, -3 do k = k + i end
return n, last, m, k
--- while_repeat_break
local i, s = 0, 0
while true do i = i + 1 if i > 10 then break end s = s + i end
local j = 0
repeat j = j + 2 until j >= 7
return s, j
--- errors_with_levels
local function lvl1() error('at level 1') end
local function lvl2() error('at level 2', 2) end
local ok1, e1 = pcall(lvl1)
local ok2, e2 = pcall(lvl2)
local ok3, e3 = pcall(error, 'no position', 0)
local ok4, e4 = pcall(error)
return e1, e2, e3, tostring(e4)
--- error_objects
local ok1, e1 = pcall(error, {code = 42})
local ok2, e2 = pcall(error, 42)
local ok3, e3 = pcall(error, true)
return type(e1), e1.code, e2, tostring(e3)
--- xpcall_handler
local function handler(e) return 'handled: ' .. tostring(e) end
local ok, msg = xpcall(function() error('deep', 0) end, handler)
local ok2, msg2 = xpcall(function() local z = nil; return z() end, handler)
local ok3, a, b = xpcall(function() return 1, 2 end, handler)
return tostring(ok), msg, tostring(ok2), msg2, tostring(ok3), a, b
--- runtime_error_messages
local function try(f) local ok, e = pcall(f) return e end
return try(function() local x; return x.y end), try(function() local t = {} return t.a.b end), try(function() return nil .. 'x' end), try(function() local s = 'x' return s() end), try(function() return {} < {} end), try(function() return 1 + {} end)
--- assert_variants
local ok1, e1 = pcall(assert, false)
local ok2, e2 = pcall(assert, nil, 'custom')
local ok3, e3 = pcall(assert, 1 == 1, 'unused')
return e1, e2, tostring(ok3), e3
--- coroutines
local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) local d, e = coroutine.yield(c * 2) return d + e end)
local _, x = coroutine.resume(co, 1, 2)
local _, y = coroutine.resume(co, 10)
local _, z = coroutine.resume(co, 3, 4)
return x, y, z, coroutine.status(co), tostring(coroutine.resume(co))
--- coroutine_wrap_error
local gen = coroutine.wrap(function() error('in co') end)
local ok, e = pcall(gen)
local w = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
return tostring(ok), e, w(), w(), w()
--- loadstring_variants
local f = loadstring('return 1 + ...')
local g, err = loadstring('return +')
local h = loadstring('local a, b = ... return b, a')
return f(41), tostring(g), err, h(1, 2)
--- load_with_function
local parts = {'return ', '4', '2'}
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
return f()
--- syntax_51_only
return 7 // 2
--- syntax_goto_is_name
local goto = 5 return goto
--- syntax_long_strings_comments
local s = [[
line1
line2]]
local t = [==[a]]b]==]
--[[ block
comment ]]
return s, t, #s
--- string_escapes
return '\65\066\x', '\\n', #'\0', 'tab\tend', "quote\"s", 'a\
b'
--- number_literals
return 0x10, 0xff, 1e2, .5, 3., 5e-1, 0XA
--- integer_precision
return 2 ^ 53 + 1 == 2 ^ 53, 9007199254740993 == 9007199254740992, string.format('%.0f', 2 ^ 63), math.floor(2 ^ 62) == 2 ^ 62, 1e308 * 10 == math.huge
--- number_keys
local t = {}
t[1] = 'int' t[1.0] = 'float' t['1'] = 'str'
local n = 0
for _ in pairs(t) do n = n + 1 end
return t[1], t['1'], n
--- deep_recursion_ok
local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end
return f(5000)
--- tail_call_deep
local function f(n) if n == 0 then return 'done' end return f(n - 1) end
return f(100000)
--- stack_overflow_message
local function f() return 1 + f() end
local ok, e = pcall(f)
return tostring(ok), e
--- gcinfo_collectgarbage_types
return type(gcinfo()), type(collectgarbage('count')), collectgarbage('step') ~= nil, _VERSION
--- type_function
return type(nil), type(1), type('x'), type({}), type(nil == nil), type(type), type(coroutine.create(function() end))
--- multiple_assignment_eval_order
local a, b, c = 1
local x, y = 1, 2, 3
local t = {1, 2}
local i = 1
i, t[i] = i + 1, 20
return tostring(b), tostring(c), x, y, t[1], t[2], i
--- string_len_with_nul
local s = 'a\0b\0'
return #s, s:byte(2), s:find('\0', 1, true), s:upper():len()
--- string_format_long_and_precision_errors
local ok, e = pcall(string.format, '%100d', 1)
return e, string.format('%.20s', 'abc'), #string.format('%99d', 1)
--- table_sort_stability_numbers
local t = {}
for i = 1, 50 do t[i] = (i * 37) % 101 end
table.sort(t)
return t[1], t[25], t[50], #t
--- table_insert_errors
local ok1, e1 = pcall(table.insert, {}, 1, 2, 3)
local ok2, e2 = pcall(table.insert, nil, 1)
return e1, e2
--- string_rep_huge_count_zero_string
return #string.rep('', 1e9), string.rep('ab', 2.7), string.rep('x', -3)
--- format_hex_negative
return string.format('%x', -1), string.format('%X', 2 ^ 32 + 10), string.format('%d', -0)
--- nan_and_negative_zero
return tostring(0 / 0), tostring(-(0 / 0)), tostring(-0.0), math.ceil(-0.5), 0 / 0 ~= 0 / 0
--- tonumber_inf_nan
return tostring(tonumber('inf')), tostring(tonumber('nan')), tostring(tonumber('0x')), tostring(tonumber('1e')), tostring(tonumber('1e+')), tostring(tonumber('- 1'))
--- tonumber_number_with_base
local ok, e = pcall(tonumber, 15, 16)
return tostring(ok), tostring(e)
--- nested_long_string
local f, e = loadstring('return [[ a [[ b ]]')
return type(f), tostring(e)
--- gsub_bad_percent_replacement
local ok, r = pcall(string.gsub, 'abc', 'b', '%x')
return tostring(ok), r
