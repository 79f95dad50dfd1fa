//! The [`Engine`] on omnilua 0.7.1 in Lua 5.1 mode.
//!
//! EVAL reuses one VM per thread, as Redis uses one per server: Redis'
//! globals are read-only, so nothing a script does survives it. slotlab's
//! protection (metatables) misses overwrites of existing fields, so after
//! each script the protected tables are compared with what they held when
//! the VM was built, and the VM is rebuilt (about 2 ms) if anything changed
//! or a limit stopped the script. The function libraries of a shard live in
//! their own persistent VM ([`OmniFunctionVm`]), because library upvalues do
//! persist across FCALLs.
//!
//! Redis' environment is built by `prelude.lua` (chunk `=slotlab`): the
//! `redis` table, the `pcall` that turns `{err=...}` into its message,
//! `math.random` on Redis' rand48, the protected globals, and Redis' error
//! handler. The host hooks (`redis.call`, `setresp`, `math.random`'s
//! generator) are Rust closures set into a hidden table for the duration of
//! one run, through `Lua::scope`.
//!
//! The step budget and the memory cap are omnilua's sandbox: it stops
//! `while true do end`, loops inside `pcall`, coroutines and xpcall
//! handlers alike, and `pcall` cannot catch it. After a trip `redis.call`
//! refuses to run anything (an xpcall handler may still run for one check
//! interval). `string.rep` is guarded so one call cannot build a string
//! larger than the memory cap between two checks.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use omnilua::{
    Function, Lua, LuaVersion, Sandbox, SandboxConfig, Table, TripReason, Value, Variadic,
};

use crate::engine::reply::Reply;
use crate::engine::script::vm::{
    Budget, Engine, Failure, FunctionVm, Host, Limits, LoadFailure, Registered,
};
use crate::engine::script::{bit, cjson, flags, sha1_hex, EmulatedVersion};

const PRELUDE: &str = include_str!("prelude.lua");

/// The omnilua engine.
#[derive(Debug, Clone, Copy)]
pub struct OmniLua {
    pub version: EmulatedVersion,
    pub limits: Limits,
}

impl OmniLua {
    pub fn new(version: EmulatedVersion, limits: Limits) -> OmniLua {
        OmniLua { version, limits }
    }

    fn eval_on(
        vm: &Vm,
        body: &[u8],
        keys: &[Vec<u8>],
        args: &[Vec<u8>],
        host: &mut dyn Host,
    ) -> Result<Reply, Failure> {
        let f = vm.compile(body, "@user_script").map_err(Failure::Compile)?;
        let run: Function = vm
            .entry
            .get("run")
            .map_err(|e| Failure::Other(e.to_string()))?;
        vm.reset_budget();
        let outcome = vm.with_host(&mut *host, || {
            let k = keys_table(&vm.lua, keys)?;
            let a = keys_table(&vm.lua, args)?;
            run.call::<_, (bool, Value)>((f, k, a))
        });
        let resp = host.resp();
        vm.finish(outcome, resp)
    }
}

type LResult<T> = omnilua::Result<T>;

fn lua_err(message: impl std::fmt::Display) -> omnilua::Error {
    omnilua::Error::from(omnilua::LuaError::runtime(format_args!("{message}")))
}

/// How Rust functions raise errors the way Redis' C functions do.
#[derive(Clone)]
struct Raise {
    getinfo: Function,
    error: Function,
}

impl Raise {
    /// The user's line that called a Rust function: the first Lua frame
    /// above it that is not slotlab's prelude (so `pcall(redis.call, ...)`
    /// is reported at the line of the `pcall`).
    fn line(&self) -> i64 {
        for level in 2..16 {
            let Ok(Value::Table(t)) = self.getinfo.call::<_, Value>((level, "Sl")) else {
                return -1;
            };
            let what = t
                .get::<_, Value>("what")
                .ok()
                .and_then(|v| value_string(&v));
            let source = t
                .get::<_, Value>("source")
                .ok()
                .and_then(|v| value_string(&v));
            if what.as_deref() == Some("C") || source.as_deref() == Some("=slotlab") {
                continue;
            }
            return match t.get::<_, Value>("currentline") {
                Ok(Value::Integer(i)) => i,
                Ok(Value::Number(n)) => n as i64,
                _ => -1,
            };
        }
        -1
    }

    /// `luaL_error`: the message prefixed with the caller's position.
    fn at(&self, msg: impl std::fmt::Display) -> omnilua::Error {
        let info = self.getinfo.call::<_, Value>((2, "Sl")).ok();
        let prefix = match info {
            Some(Value::Table(t)) => {
                let line = t.get::<_, Value>("currentline").ok();
                let src = t.get::<_, Value>("short_src").ok();
                match (line, src) {
                    (Some(Value::Integer(l)), Some(Value::String(s))) if l > 0 => {
                        format!(
                            "{}:{l}: ",
                            String::from_utf8_lossy(&s.as_bytes().unwrap_or_default())
                        )
                    }
                    (Some(Value::Number(l)), Some(Value::String(s))) if l > 0.0 => format!(
                        "{}:{}: ",
                        String::from_utf8_lossy(&s.as_bytes().unwrap_or_default()),
                        l as i64
                    ),
                    _ => String::new(),
                }
            }
            _ => String::new(),
        };
        lua_err(format!("{prefix}{msg}"))
    }

    /// `luaPushError` + `lua_error`: raises `{err = <text>}`.
    fn table(&self, lua: &Lua, text: &str) -> omnilua::Error {
        match error_table(lua, text) {
            Ok(t) => self
                .error
                .call::<_, ()>(t)
                .err()
                .unwrap_or_else(|| lua_err(text)),
            Err(e) => e,
        }
    }
}

/// `luaL_checkint`-style argument errors.
fn bad_arg(
    raise: &Raise,
    n: usize,
    fname: &str,
    expected: &str,
    got: Option<&Value>,
) -> omnilua::Error {
    let got = got.map_or("no value", type_name);
    raise.at(format!(
        "bad argument #{n} to '{fname}' ({expected} expected, got {got})"
    ))
}

/// A number argument (numbers, and strings Lua converts).
fn number_arg(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Integer(i)) => Some(*i as f64),
        Some(Value::Number(n)) => Some(*n),
        Some(Value::String(s)) => {
            let b = s.as_bytes().ok()?;
            let t = String::from_utf8_lossy(&b);
            let t = t.trim();
            if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).ok().map(|v| v as f64)
            } else {
                t.parse::<f64>()
                    .ok()
                    .filter(|_| !t.is_empty() && !t.ends_with('.') || t.len() > 1)
            }
        }
        _ => None,
    }
}

/// C's `(int)` of a double.
fn c_int(n: f64) -> i32 {
    if n.is_nan() || !(-2_147_483_648.0..2_147_483_648.0).contains(&n) {
        i32::MIN
    } else {
        n.trunc() as i32
    }
}

fn register_helpers(
    lua: &Lua,
    raise: &Raise,
    limits: Limits,
    rep_over_cap: &Rc<Cell<bool>>,
) -> LResult<Table> {
    let helpers = lua.create_table()?;
    let r = raise.clone();
    helpers.set(
        "sha1hex",
        lua.create_function(move |lua, args: Variadic<Value>| {
            if args.len() != 1 {
                return Err(r.table(lua, "ERR wrong number of arguments"));
            }
            let bytes = match &args[0] {
                Value::String(s) => s.as_bytes()?,
                v @ (Value::Integer(_) | Value::Number(_)) => {
                    value_string(v).unwrap_or_default().into_bytes()
                }
                _ => Vec::new(),
            };
            Ok(sha1_hex(&bytes))
        })?,
    )?;
    let r = raise.clone();
    helpers.set(
        "log",
        lua.create_function(move |lua, args: Variadic<Value>| {
            if args.len() < 2 {
                return Err(r.table(lua, "ERR redis.log() requires two arguments or more."));
            }
            let Some(level) = number_arg(args.first()) else {
                return Err(r.table(lua, "ERR First argument must be a number (log level)."));
            };
            if !(0..=3).contains(&c_int(level)) {
                return Err(r.table(lua, "ERR Invalid debug level."));
            }
            Ok(())
        })?,
    )?;
    let r = raise.clone();
    helpers.set(
        "set_repl",
        lua.create_function(move |lua, args: Variadic<Value>| {
            if args.len() != 1 {
                return Err(r.table(lua, "ERR redis.set_repl() requires two arguments."));
            }
            let flags = number_arg(args.first()).map_or(0, c_int);
            if flags & !3 != 0 {
                return Err(r.table(
                    lua,
                    "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
                ));
            }
            Ok(())
        })?,
    )?;
    let r = raise.clone();
    helpers.set(
        "acl_check_cmd",
        lua.create_function(
            move |lua, args: Variadic<Value>| match lua_args_to_argv(&args) {
                Err(err) => Err(r.table(lua, &err)),
                Ok(argv) => {
                    if crate::engine::command::lookup(&argv).is_ok()
                        || crate::engine::command::find(&argv[0]).is_some()
                    {
                        Ok(true)
                    } else {
                        Err(r.table(lua, "ERR Invalid command passed to redis.acl_check_cmd()"))
                    }
                }
            },
        )?,
    )?;
    let r = raise.clone();
    let max = limits.memory;
    let over_cap = rep_over_cap.clone();
    helpers.set(
        "rep",
        lua.create_function(move |lua, args: Variadic<Value>| {
            let s = match args.first() {
                Some(Value::String(s)) => s.as_bytes()?,
                Some(v @ (Value::Integer(_) | Value::Number(_))) => {
                    value_string(v).unwrap_or_default().into_bytes()
                }
                other => return Err(bad_arg(&r, 1, "rep", "string", other)),
            };
            let Some(n) = (match args.get(1) {
                Some(Value::String(_)) | Some(Value::Integer(_)) | Some(Value::Number(_)) => {
                    number_arg(args.get(1))
                }
                _ => None,
            }) else {
                return Err(bad_arg(&r, 2, "rep", "number", args.get(1)));
            };
            let n = c_int(n);
            if n <= 0 || s.is_empty() {
                return Ok(Value::String(lua.create_string("")?));
            }
            if s.len().saturating_mul(n as usize) > max {
                // The memory cap, tripped before the allocation (the VM
                // would only see it at its next check): reported as the
                // sandbox's own trip, whatever a pcall makes of the error.
                over_cap.set(true);
                return Err(lua_err("not enough memory"));
            }
            Ok(Value::String(lua.create_string(s.repeat(n as usize))?))
        })?,
    )?;
    let r = raise.clone();
    helpers.set(
        "cjson_encode",
        lua.create_function(move |lua, args: Variadic<Value>| {
            let v = args.first().cloned().unwrap_or(Value::Nil);
            match cjson::encode(&v) {
                Ok(text) => Ok(Value::String(lua.create_string(text)?)),
                Err(msg) => Err(r.at(msg)),
            }
        })?,
    )?;
    let r = raise.clone();
    helpers.set(
        "cjson_decode",
        lua.create_function(move |lua, args: Variadic<Value>| {
            let text = match args.first() {
                Some(Value::String(s)) => s.as_bytes()?,
                Some(v @ (Value::Integer(_) | Value::Number(_))) => {
                    value_string(v).unwrap_or_default().into_bytes()
                }
                other => return Err(bad_arg(&r, 1, "decode", "string", other)),
            };
            cjson::decode(lua, &text).map_err(|msg| r.at(msg))
        })?,
    )?;
    helpers.set("null", Value::LightUserData(std::ptr::null_mut()))?;
    for name in bit::NAMES {
        let r = raise.clone();
        let f =
            lua.create_function(
                move |lua, args: Variadic<Value>| match bit::call(name, &args) {
                    Ok(bit::Out::Num(n)) => Ok(Value::Number(n)),
                    Ok(bit::Out::Text(s)) => Ok(Value::String(lua.create_string(s)?)),
                    Err(msg) => Err(r.at(msg)),
                },
            )?;
        helpers.set(format!("bit_{name}"), f)?;
    }
    Ok(helpers)
}

/// One Lua state with Redis' environment.
struct Vm {
    lua: Lua,
    sandbox: Sandbox,
    /// Set when `string.rep` refused to build a string over the memory cap.
    rep_over_cap: Rc<Cell<bool>>,
    raise: Raise,
    /// The real `redis` and `math` tables (host functions go there per run).
    redis: Table,
    math: Table,
    /// The prelude's entry points (`run`, and `load`/`commit`/`unload` for functions).
    entry: Table,
    /// What the protected tables held when the VM was built.
    fingerprint: Vec<String>,
}

/// `type:identity` of a value, for [`Vm::fingerprint_now`].
fn identity(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        Value::Boolean(b) => format!("b{b}"),
        Value::Integer(i) => format!("i{i}"),
        Value::Number(n) => format!("n{}", n.to_bits()),
        Value::String(s) => format!(
            "s{}",
            String::from_utf8_lossy(&s.as_bytes().unwrap_or_default())
        ),
        Value::LightUserData(p) => format!("l{}", *p as usize),
        other => format!("p{:?}", other.to_pointer().ok().flatten()),
    }
}

impl Vm {
    /// Every key and value of the protected tables (globals, libraries,
    /// their metatables), by identity.
    fn fingerprint_now(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Ok(list) = self.entry.get::<_, Table>("protected") else {
            return out;
        };
        for (i, (_, t)) in list.raw_pairs().unwrap_or_default().iter().enumerate() {
            if let Value::Table(t) = t {
                let mt = t.get_metatable().ok().flatten();
                out.push(format!("{i}:mt={:?}", mt.map(|m| m.to_pointer().ok())));
                for (k, v) in t.raw_pairs().unwrap_or_default() {
                    out.push(format!("{i}:{}={}", identity(&k), identity(&v)));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// True when no script changed the environment (so the VM can be reused).
    fn intact(&self) -> bool {
        self.tripped().is_none() && self.fingerprint_now() == self.fingerprint
    }

    fn new(version: EmulatedVersion, limits: Limits, mode: &str) -> LResult<Vm> {
        let lua = Lua::new_versioned(LuaVersion::V51);
        let globals = lua.globals();
        let raise = Raise {
            getinfo: globals.get::<_, Table>("debug")?.get("getinfo")?,
            error: globals.get("error")?,
        };
        let rep_over_cap = Rc::new(Cell::new(false));
        let helpers = register_helpers(&lua, &raise, limits, &rep_over_cap)?;
        let prelude = lua.load(PRELUDE).set_name("=slotlab").into_function()?;
        let args: Variadic<Value> = vec![
            Value::Table(helpers),
            Value::String(lua.create_string(mode)?),
            Value::String(lua.create_string(version.version_string())?),
            Value::Number(version.version_num() as f64),
        ]
        .into();
        let entry: Table = prelude.call(args)?;
        let sandbox = lua.install_sandbox(SandboxConfig {
            instruction_limit: Some(limits.steps),
            memory_limit_bytes: Some(limits.memory),
            check_interval: 1000,
            remove_globals: Vec::new(),
        })?;
        let mut vm = Vm {
            redis: entry.get("redis")?,
            math: entry.get("math")?,
            lua,
            sandbox,
            rep_over_cap,
            raise,
            entry,
            fingerprint: Vec::new(),
        };
        vm.fingerprint = vm.fingerprint_now();
        Ok(vm)
    }

    fn compile(&self, code: &[u8], name: &str) -> Result<Function, String> {
        self.lua
            .load(code)
            .set_name(name)
            .into_function()
            .map_err(|e| e.to_string())
    }

    fn tripped(&self) -> Option<Budget> {
        let sandbox = self.sandbox.tripped().map(|r| match r {
            TripReason::Instructions => Budget::Steps,
            TripReason::Memory => Budget::Memory,
        });
        sandbox.or(self.rep_over_cap.get().then_some(Budget::Memory))
    }

    /// A full step budget and no trip, before a run or after a stop.
    fn reset_budget(&self) {
        self.sandbox.reset();
        self.rep_over_cap.set(false);
    }

    /// Runs `f` with the host functions (`redis.call`, `redis.pcall`,
    /// `redis.setresp`, `math.random`, `math.randomseed`) installed.
    fn with_host<R>(&self, host: &mut dyn Host, f: impl FnOnce() -> LResult<R>) -> LResult<R> {
        let host = RefCell::new(host);
        let host = &host;
        let sandbox = &self.sandbox;
        let over_cap = &self.rep_over_cap;
        let raise = &self.raise;
        self.lua.scope(|scope| {
            let lua = &self.lua;
            let call_fn = |protected: bool| {
                move |lua: &Lua, args: Variadic<Value>| -> LResult<Value> {
                    if sandbox.tripped().is_some() || over_cap.get() {
                        // The budget is spent: an xpcall handler may still
                        // run, but it must not reach the data any more.
                        return Err(lua_err("script stopped"));
                    }
                    let line = raise.line();
                    let reply = match lua_args_to_argv(&args) {
                        Err(err) => Reply::Error(err),
                        Ok(argv) => host.borrow_mut().call(argv, protected, line),
                    };
                    let resp = host.borrow().resp();
                    match reply {
                        Reply::Error(text) if !protected => Err(raise.table(lua, &text)),
                        other => reply_to_lua(lua, &other, resp),
                    }
                }
            };
            let call = scope.create_function(lua, call_fn(false))?;
            let pcall = scope.create_function(lua, call_fn(true))?;
            let setresp = scope.create_function(lua, |lua, args: Variadic<Value>| {
                if args.len() != 1 {
                    return Err(raise.table(lua, "ERR redis.setresp() requires one argument."));
                }
                let resp = number_arg(args.first()).map_or(0, c_int);
                if resp != 2 && resp != 3 {
                    return Err(raise.table(lua, "ERR RESP version must be 2 or 3."));
                }
                host.borrow_mut().set_resp(resp as u8);
                Ok(())
            })?;
            let check_int = |args: &Variadic<Value>, i: usize, fname: &str| -> LResult<i32> {
                match args.get(i) {
                    Some(Value::String(_)) | Some(Value::Integer(_)) | Some(Value::Number(_)) => {
                        number_arg(args.get(i))
                            .map(c_int)
                            .ok_or_else(|| bad_arg(raise, i + 1, fname, "number", args.get(i)))
                    }
                    other => Err(bad_arg(raise, i + 1, fname, "number", other)),
                }
            };
            let random = scope.create_function(lua, move |_, args: Variadic<Value>| {
                let v = host.borrow_mut().rand().lrand48();
                let r = f64::from(v % i32::MAX) / f64::from(i32::MAX);
                match args.len() {
                    0 => Ok(r),
                    1 => {
                        let u = check_int(&args, 0, "random")?;
                        if u < 1 {
                            return Err(raise.at("bad argument #1 to 'random' (interval is empty)"));
                        }
                        Ok((r * f64::from(u)).floor() + 1.0)
                    }
                    2 => {
                        let l = check_int(&args, 0, "random")?;
                        let u = check_int(&args, 1, "random")?;
                        if l > u {
                            return Err(raise.at("bad argument #2 to 'random' (interval is empty)"));
                        }
                        Ok((r * (f64::from(u) - f64::from(l) + 1.0)).floor() + f64::from(l))
                    }
                    _ => Err(raise.at("wrong number of arguments")),
                }
            })?;
            let randomseed = scope.create_function(lua, move |_, args: Variadic<Value>| {
                let seed = check_int(&args, 0, "randomseed")?;
                host.borrow_mut().rand().seed(seed);
                Ok(())
            })?;
            self.redis.raw_set("call", call)?;
            self.redis.raw_set("pcall", pcall)?;
            self.redis.raw_set("setresp", setresp)?;
            self.math.raw_set("random", random)?;
            self.math.raw_set("randomseed", randomseed)?;
            let out = f();
            for name in ["call", "pcall", "setresp"] {
                self.redis.raw_set(name, Value::Nil)?;
            }
            for name in ["random", "randomseed"] {
                self.math.raw_set(name, Value::Nil)?;
            }
            out
        })
    }

    /// Turns the `(ok, value)` of the prelude's `run` into a reply.
    fn finish(&self, outcome: LResult<(bool, Value)>, resp: u8) -> Result<Reply, Failure> {
        if let Some(budget) = self.tripped() {
            return Err(Failure::Stopped(budget));
        }
        match outcome {
            Err(e) => Err(Failure::Other(e.to_string())),
            Ok((true, value)) => Ok(lua_to_reply(&value, resp)),
            Ok((false, Value::Table(t))) => Err(Failure::Raised {
                err: field_string(&t, "err"),
                source: field_string(&t, "source"),
                line: field_string(&t, "line"),
            }),
            Ok((false, other)) => Err(Failure::Other(value_string(&other).unwrap_or_default())),
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Boolean(_) => "boolean",
        Value::Integer(_) | Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Table(_) => "table",
        Value::Function(_) => "function",
        Value::UserData(_) | Value::LightUserData(_) => "userdata",
        Value::Thread(_) => "thread",
    }
}

/// `lua_tostring` of a string or number value.
fn value_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => s
            .as_bytes()
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Number(n) => Some(cjson::format_g(*n, 14)),
        _ => None,
    }
}

/// `lua_getfield` + `lua_isstring` + `lua_tostring`.
fn field_string(t: &Table, name: &str) -> Option<String> {
    t.get::<_, Value>(name).ok().and_then(|v| value_string(&v))
}

/// `luaArgsToRedisArgv`: strings as they are, numbers as `%.17g`.
fn lua_args_to_argv(args: &[Value]) -> Result<Vec<Vec<u8>>, String> {
    if args.is_empty() {
        return Err(crate::engine::error::RedisError::ScriptNoArguments.to_string());
    }
    args.iter()
        .map(|v| match v {
            Value::String(s) => s.as_bytes().map_err(|e| e.to_string()),
            Value::Integer(i) => Ok(cjson::format_g(*i as f64, 17).into_bytes()),
            Value::Number(n) => Ok(cjson::format_g(*n, 17).into_bytes()),
            _ => Err(crate::engine::error::RedisError::ScriptBadArgument.to_string()),
        })
        .collect()
}

/// `luaPushErrorBuff` on `-<text>`: the `err` string a Lua error table holds.
pub fn lua_error_text(text: &str) -> String {
    let trim = |s: &str| s.trim_matches(['\r', '\n']).to_string();
    match text.split_once(' ') {
        None => format!("ERR {}", trim(text)),
        Some((code, msg)) => format!("{code} {}", trim(msg)),
    }
}

fn error_table(lua: &Lua, text: &str) -> LResult<Value> {
    let t = lua.create_table()?;
    t.raw_set("err", lua.create_string(lua_error_text(text))?)?;
    t.raw_set("ignore_error_stats_update", true)?;
    Ok(Value::Table(t))
}

/// A command's reply as the script sees it (`redisProtocolToLuaType`).
fn reply_to_lua(lua: &Lua, reply: &Reply, resp: u8) -> LResult<Value> {
    Ok(match reply {
        Reply::Status(s) => {
            let t = lua.create_table()?;
            t.raw_set("ok", lua.create_string(s)?)?;
            Value::Table(t)
        }
        Reply::Error(text) => error_table(lua, text)?,
        Reply::Integer(n) => Value::Number(*n as f64),
        Reply::Bulk(b) => Value::String(lua.create_string(b)?),
        Reply::NilBulk | Reply::NilArray => {
            if resp == 3 {
                Value::Nil
            } else {
                Value::Boolean(false)
            }
        }
        Reply::Array(items) => {
            let t = lua.create_table()?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set((i + 1) as i64, reply_to_lua(lua, item, resp)?)?;
            }
            Value::Table(t)
        }
    })
}

/// `(long long)` of a double as x86-64 converts it: out of range and NaN
/// give i64::MIN.
pub fn c_double_to_i64(n: f64) -> i64 {
    if n.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n) {
        i64::MIN
    } else {
        n.trunc() as i64
    }
}

/// `sdsmapchars(s, "\r\n", "  ")` after trimming CR/LF at both ends, as
/// `addReplyErrorFormat` sanitises error texts.
fn sanitize_error(text: &str) -> String {
    text.trim_matches(['\r', '\n']).replace(['\r', '\n'], " ")
}

/// A script's value as the client receives it (`luaReplyToRedisReply`).
pub fn lua_to_reply(value: &Value, resp: u8) -> Reply {
    lua_to_reply_depth(value, resp, 0)
}

fn lua_to_reply_depth(value: &Value, resp: u8, depth: usize) -> Reply {
    if depth > 200 {
        return Reply::Error("ERR reached lua stack limit".into());
    }
    match value {
        Value::String(s) => Reply::Bulk(s.as_bytes().unwrap_or_default()),
        Value::Boolean(b) => {
            if resp == 3 {
                Reply::Integer(i64::from(*b))
            } else if *b {
                Reply::Integer(1)
            } else {
                Reply::NilBulk
            }
        }
        Value::Integer(i) => Reply::Integer(*i),
        Value::Number(n) => Reply::Integer(c_double_to_i64(*n)),
        Value::Table(t) => {
            let raw = |name: &str| t.raw_get::<_, Value>(name).unwrap_or(Value::Nil);
            if let Value::String(s) = raw("err") {
                let text = String::from_utf8_lossy(&s.as_bytes().unwrap_or_default()).into_owned();
                return Reply::Error(sanitize_error(&text));
            }
            if let Value::String(s) = raw("ok") {
                let text = String::from_utf8_lossy(&s.as_bytes().unwrap_or_default()).into_owned();
                return Reply::Status(text.replace(['\r', '\n'], " "));
            }
            match raw("double") {
                Value::Number(n) => return Reply::Bulk(double_text(n).into_bytes()),
                Value::Integer(i) => return Reply::Bulk(double_text(i as f64).into_bytes()),
                _ => {}
            }
            if let Value::String(s) = raw("big_number") {
                let text = String::from_utf8_lossy(&s.as_bytes().unwrap_or_default()).into_owned();
                return Reply::Bulk(text.replace(['\r', '\n'], " ").into_bytes());
            }
            if let Value::Table(v) = raw("verbatim_string") {
                let format = v.raw_get::<_, Value>("format").unwrap_or(Value::Nil);
                let string = v.raw_get::<_, Value>("string").unwrap_or(Value::Nil);
                if let (Value::String(_), Value::String(s)) = (format, string) {
                    return Reply::Bulk(s.as_bytes().unwrap_or_default());
                }
            }
            if let Value::Table(m) = raw("map") {
                let mut items = Vec::new();
                for (k, v) in m.raw_pairs().unwrap_or_default() {
                    items.push(lua_to_reply_depth(&k, resp, depth + 1));
                    items.push(lua_to_reply_depth(&v, resp, depth + 1));
                }
                return Reply::Array(items);
            }
            if let Value::Table(s) = raw("set") {
                let items = s
                    .raw_pairs()
                    .unwrap_or_default()
                    .iter()
                    .map(|(k, _)| lua_to_reply_depth(k, resp, depth + 1))
                    .collect();
                return Reply::Array(items);
            }
            let mut items = Vec::new();
            let mut j = 1i64;
            loop {
                let v = t.raw_get::<_, Value>(j).unwrap_or(Value::Nil);
                if matches!(v, Value::Nil) {
                    break;
                }
                items.push(lua_to_reply_depth(&v, resp, depth + 1));
                j += 1;
            }
            Reply::Array(items)
        }
        _ => Reply::NilBulk,
    }
}

/// `addReplyDouble` in RESP2: `%.17g` as a bulk string.
fn double_text(n: f64) -> String {
    cjson::format_g(n, 17)
}

fn keys_table(lua: &Lua, items: &[Vec<u8>]) -> LResult<Table> {
    let t = lua.create_table()?;
    for (i, item) in items.iter().enumerate() {
        t.raw_set((i + 1) as i64, lua.create_string(item)?)?;
    }
    Ok(t)
}

thread_local! {
    /// The EVAL VM, reused while no script changes its environment
    /// ([`Vm::intact`]); one per thread, like Redis' one per server.
    static EVAL_VM: RefCell<Option<(EmulatedVersion, Limits, Vm)>> = const { RefCell::new(None) };
}

impl OmniLua {
    fn take_eval_vm(&self) -> LResult<Vm> {
        let cached = EVAL_VM.with(|cell| cell.borrow_mut().take());
        match cached {
            Some((version, limits, vm)) if version == self.version && limits == self.limits => {
                Ok(vm)
            }
            _ => Vm::new(self.version, self.limits, "eval"),
        }
    }

    fn keep_eval_vm(&self, vm: Vm) {
        let _ = vm.lua.globals().raw_set("KEYS", Value::Nil);
        let _ = vm.lua.globals().raw_set("ARGV", Value::Nil);
        if !vm.intact() {
            return;
        }
        // Garbage counts against the memory cap: collect it between scripts.
        if vm.lua.gc().count().unwrap_or(0.0) * 1024.0 > (self.limits.memory / 4) as f64 {
            vm.lua.gc_collect();
        }
        EVAL_VM.with(|cell| *cell.borrow_mut() = Some((self.version, self.limits, vm)));
    }
}

impl Engine for OmniLua {
    fn compile(&self, body: &[u8]) -> Result<(), String> {
        let vm = self.take_eval_vm().map_err(|e| e.to_string())?;
        let result = vm.compile(body, "@user_script").map(|_| ());
        self.keep_eval_vm(vm);
        result
    }

    fn eval(
        &self,
        body: &[u8],
        keys: &[Vec<u8>],
        args: &[Vec<u8>],
        host: &mut dyn Host,
    ) -> Result<Reply, Failure> {
        let vm = self
            .take_eval_vm()
            .map_err(|e| Failure::Other(e.to_string()))?;
        let result = Self::eval_on(&vm, body, keys, args, host);
        self.keep_eval_vm(vm);
        result
    }

    fn function_vm(&self) -> Box<dyn FunctionVm> {
        Box::new(OmniFunctionVm {
            version: self.version,
            limits: self.limits,
            vm: None,
            pending: None,
        })
    }
}

/// The persistent VM of a shard's function libraries.
pub struct OmniFunctionVm {
    version: EmulatedVersion,
    limits: Limits,
    vm: Option<Vm>,
    /// The functions of the last successful `load`, until `commit`.
    pending: Option<Table>,
}

impl OmniFunctionVm {
    fn vm(&mut self) -> Result<&Vm, String> {
        if self.vm.is_none() {
            self.vm =
                Some(Vm::new(self.version, self.limits, "function").map_err(|e| e.to_string())?);
        }
        self.vm.as_ref().ok_or_else(|| "no VM".to_string())
    }
}

impl FunctionVm for OmniFunctionVm {
    fn load(&mut self, library: &str, code: &[u8]) -> Result<Vec<Registered>, LoadFailure> {
        self.pending = None;
        let vm = self.vm().map_err(LoadFailure::Register)?;
        let chunk = vm
            .compile(code, "@user_function")
            .map_err(LoadFailure::Compile)?;
        let load: Function = vm
            .entry
            .get("load")
            .map_err(|e| LoadFailure::Register(e.to_string()))?;
        vm.reset_budget();
        let outcome = load.call::<_, (bool, Value)>((chunk, library));
        if vm.tripped().is_some() {
            vm.lua.gc_collect();
            vm.reset_budget();
            return Err(LoadFailure::Register("ERR FUNCTION LOAD timeout".into()));
        }
        let list = match outcome {
            Err(e) => return Err(LoadFailure::Register(format!("ERR {e}"))),
            Ok((false, Value::Table(t))) => {
                let msg = field_string(&t, "err").unwrap_or_default();
                return Err(LoadFailure::Register(msg));
            }
            Ok((false, other)) => {
                let msg = value_string(&other).unwrap_or_else(|| type_name(&other).into());
                return Err(LoadFailure::Register(format!("ERR {msg}")));
            }
            Ok((true, Value::Table(list))) => list,
            Ok((true, _)) => return Err(LoadFailure::Register("ERR bad library".into())),
        };
        let mut out = Vec::new();
        let n = list.len().unwrap_or(0);
        for i in 1..=n {
            let Ok(r) = list.raw_get::<_, Table>(i as i64) else {
                continue;
            };
            let name = field_string(&r, "name").unwrap_or_default();
            let description = r.raw_get::<_, Value>("desc").ok().and_then(|v| match v {
                Value::String(s) => s.as_bytes().ok(),
                _ => None,
            });
            let mut bits = 0;
            if let Ok(Value::Table(fl)) = r.raw_get::<_, Value>("flags") {
                for (_, f) in fl.raw_pairs().unwrap_or_default() {
                    if let Some(text) = value_string(&f) {
                        if let Some((_, b)) = flags::NAMES.iter().find(|(n, _)| *n == text) {
                            bits |= b;
                        }
                    }
                }
            }
            out.push(Registered {
                name,
                description,
                flags: bits,
            });
        }
        self.pending = Some(list);
        Ok(out)
    }

    fn commit(&mut self, library: &str) {
        let (Some(vm), Some(list)) = (&self.vm, self.pending.take()) else {
            return;
        };
        if let Ok(commit) = vm.entry.get::<_, Function>("commit") {
            let _ = commit.call::<_, ()>((list, library));
        }
    }

    fn unload(&mut self, library: &str) {
        if let Some(vm) = &self.vm {
            if let Ok(unload) = vm.entry.get::<_, Function>("unload") {
                let _ = unload.call::<_, ()>(library);
            }
        }
    }

    fn call(
        &mut self,
        name: &str,
        keys: &[Vec<u8>],
        args: &[Vec<u8>],
        host: &mut dyn Host,
    ) -> Result<Reply, Failure> {
        let vm = self.vm().map_err(Failure::Other)?;
        let run: Function = vm
            .entry
            .get("run")
            .map_err(|e| Failure::Other(e.to_string()))?;
        vm.reset_budget();
        let outcome = vm.with_host(&mut *host, || {
            let k = keys_table(&vm.lua, keys)?;
            let a = keys_table(&vm.lua, args)?;
            run.call::<_, (bool, Value)>((name, k, a))
        });
        let resp = host.resp();
        let result = vm.finish(outcome, resp);
        if matches!(result, Err(Failure::Stopped(_))) {
            vm.lua.gc_collect();
            vm.reset_budget();
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_tables_follow_lua_push_error_buff() {
        // redis.pcall results seen on redis-server 7.0.15.
        assert_eq!(
            lua_error_text("WRONGTYPE Operation against a key holding the wrong kind of value"),
            "WRONGTYPE Operation against a key holding the wrong kind of value"
        );
        assert_eq!(lua_error_text("NOSCRIPT"), "ERR NOSCRIPT");
        assert_eq!(lua_error_text("X y\r\n"), "X y");
    }

    #[test]
    fn doubles_convert_like_a_c_cast() {
        // `return 1e20`, `return 0/0`, `return -3.99` on redis-server 7.0.15.
        assert_eq!(c_double_to_i64(1e20), i64::MIN);
        assert_eq!(c_double_to_i64(-1e20), i64::MIN);
        assert_eq!(c_double_to_i64(f64::NAN), i64::MIN);
        assert_eq!(c_double_to_i64(-3.99), -3);
        assert_eq!(c_double_to_i64(9007199254740993.0), 9007199254740992);
    }

    #[test]
    fn helpers_parse_numbers_like_lua() {
        assert_eq!(c_int(3.7), 3);
        assert_eq!(c_int(-3.7), -3);
        assert_eq!(c_int(1e10), i32::MIN);
    }
}
