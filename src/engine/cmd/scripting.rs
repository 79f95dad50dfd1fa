//! Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT
//! LOAD/EXISTS/FLUSH/KILL/HELP, FUNCTION LOAD/LIST/DELETE/FLUSH/STATS/KILL/
//! RESTORE/HELP, FCALL and FCALL_RO (Redis 7.0's `eval.c` and `functions.c`).
//!
//! The declared keys are routed by the executor like any command's (the
//! `numkeys` key spec); the script's own commands are checked by
//! [`crate::engine::script::run`]. The script cache is this node's, the
//! libraries the shard's ([`crate::engine::script`]).
//!
//! Not implemented: SCRIPT DEBUG (the Lua debugger), FUNCTION DUMP (its
//! payload is an RDB blob); FUNCTION RESTORE answers the error a real
//! server gives for a payload it cannot read.

use std::cell::RefMut;

use crate::engine::cmd::args::is;
use crate::engine::command::flags::*;
use crate::engine::command::{spec, CommandSpec, Ctx, KeySpec};
use crate::engine::error::RedisError;
use crate::engine::event::Event;
use crate::engine::glob::glob_match;
use crate::engine::reply::Reply;
use crate::engine::script::run::{self, RunSpec, ScriptHost};
use crate::engine::script::vm::{self, Engine, FunctionVm, LoadFailure};
use crate::engine::script::{
    flags, parse_eval_shebang, sha1_hex, split_args, valid_name, CachedScript, FunctionInfo,
    Libraries, Library,
};
use crate::engine::slot::key_slot;
use crate::engine::value::parse_strict_i64;

const NUMKEYS: KeySpec = KeySpec::NumKeys { numkeys_at: 2 };

/// The scripting commands, with arity and flags from `COMMAND INFO` on 7.0.15.
pub static COMMANDS: &[CommandSpec] = &[
    spec("eval", -3, NOSCRIPT | STALE, NUMKEYS, eval),
    spec("evalsha", -3, NOSCRIPT | STALE, NUMKEYS, evalsha),
    spec("eval_ro", -3, READONLY | NOSCRIPT | STALE, NUMKEYS, eval_ro),
    spec(
        "evalsha_ro",
        -3,
        READONLY | NOSCRIPT | STALE,
        NUMKEYS,
        evalsha_ro,
    ),
    spec("fcall", -3, NOSCRIPT | STALE, NUMKEYS, fcall),
    spec(
        "fcall_ro",
        -3,
        READONLY | NOSCRIPT | STALE,
        NUMKEYS,
        fcall_ro,
    ),
    spec(
        "script",
        -2,
        CONTAINER,
        KeySpec::None,
        crate::engine::command::not_dispatched,
    ),
    spec(
        "script|load",
        3,
        NOSCRIPT | STALE,
        KeySpec::None,
        script_load,
    ),
    spec("script|exists", -3, NOSCRIPT, KeySpec::None, script_exists),
    spec("script|flush", -2, NOSCRIPT, KeySpec::None, script_flush),
    spec("script|kill", 2, NOSCRIPT, KeySpec::None, script_kill),
    spec(
        "script|help",
        2,
        LOADING | STALE,
        KeySpec::None,
        script_help,
    ),
    spec(
        "function",
        -2,
        CONTAINER,
        KeySpec::None,
        crate::engine::command::not_dispatched,
    ),
    spec(
        "function|load",
        -3,
        WRITE | DENYOOM | NOSCRIPT,
        KeySpec::None,
        function_load,
    ),
    spec("function|list", -2, NOSCRIPT, KeySpec::None, function_list),
    spec(
        "function|delete",
        3,
        WRITE | NOSCRIPT,
        KeySpec::None,
        function_delete,
    ),
    spec(
        "function|flush",
        -2,
        WRITE | NOSCRIPT,
        KeySpec::None,
        function_flush,
    ),
    spec("function|stats", 2, NOSCRIPT, KeySpec::None, function_stats),
    spec("function|kill", 2, NOSCRIPT, KeySpec::None, script_kill),
    spec(
        "function|restore",
        -3,
        WRITE | DENYOOM | NOSCRIPT,
        KeySpec::None,
        function_restore,
    ),
    spec(
        "function|help",
        2,
        LOADING | STALE,
        KeySpec::None,
        function_help,
    ),
];

/// The command flags Redis uses for routing a script call: a script that
/// declares flags (`#!lua ...`, every function) is a write command unless
/// it has `no-writes` (`evalGetCommandFlags` / `fcallGetCommandFlags`).
/// Scripts not in the cache and EVAL without a shebang keep the static flags.
pub fn dynamic_flags(spec: &CommandSpec, argv: &[Vec<u8>], ctx_scripts: ScriptLookup<'_>) -> u32 {
    let script_flags = match spec.name {
        "eval" | "eval_ro" | "evalsha" | "evalsha_ro" => {
            let Some(body) = argv.get(1) else {
                return spec.flags;
            };
            let evalsha = spec.name.starts_with("evalsha");
            if evalsha && body.len() != 40 {
                return spec.flags;
            }
            let sha = if evalsha {
                String::from_utf8_lossy(body).to_ascii_lowercase()
            } else {
                sha1_hex(body)
            };
            match ctx_scripts.cache.get(&sha) {
                Some(s) => s.flags,
                None if evalsha => return spec.flags,
                None => match parse_eval_shebang(body) {
                    Ok((f, _)) => f,
                    Err(_) => return spec.flags,
                },
            }
        }
        "fcall" | "fcall_ro" => {
            let Some(name) = argv.get(1) else {
                return spec.flags;
            };
            let name = String::from_utf8_lossy(name).to_ascii_lowercase();
            match ctx_scripts.libraries.function(&name) {
                Some(f) => f.flags,
                None => return spec.flags,
            }
        }
        _ => return spec.flags,
    };
    if script_flags & flags::EVAL_COMPAT != 0 {
        return spec.flags;
    }
    let mut out = spec.flags & !(STALE | DENYOOM | WRITE);
    if script_flags & (flags::ALLOW_OOM | flags::NO_WRITES) == 0 {
        out |= DENYOOM;
    }
    if script_flags & flags::NO_WRITES == 0 {
        out |= WRITE;
    }
    if script_flags & flags::ALLOW_STALE != 0 {
        out |= STALE;
    }
    out
}

/// Read access to a node's scripts, for [`dynamic_flags`].
#[derive(Clone, Copy)]
pub struct ScriptLookup<'a> {
    pub cache: &'a std::collections::BTreeMap<String, CachedScript>,
    pub libraries: &'a Libraries,
}

fn numkeys_checked(arg: &[u8], argc: usize, fcall: bool) -> Result<usize, RedisError> {
    let n = if fcall {
        parse_strict_i64(arg).ok_or(RedisError::FcallBadNumKeys)?
    } else {
        crate::engine::cmd::args::int(arg)?
    };
    if n > argc as i64 - 3 {
        return Err(RedisError::NumKeysTooMany);
    }
    if n < 0 {
        return Err(RedisError::NumKeysNegative);
    }
    Ok(n as usize)
}

/// Parses and compiles a new EVAL body (`luaCreateFunction`).
fn create_script(
    body: &[u8],
    version: crate::engine::script::EmulatedVersion,
) -> Result<CachedScript, RedisError> {
    let (script_flags, shebang_len) = parse_eval_shebang(body)?;
    vm::engine(version)
        .compile(&body[shebang_len..])
        .map_err(|message| RedisError::ScriptCompile {
            message: message.replace(['\r', '\n'], " "),
        })?;
    Ok(CachedScript {
        body: body.to_vec(),
        flags: script_flags,
    })
}

fn eval_generic(
    ctx: &mut Ctx<'_>,
    argv: &[Vec<u8>],
    evalsha: bool,
    ro: bool,
) -> Result<Reply, RedisError> {
    if evalsha && argv[1].len() != 40 {
        return Err(RedisError::NoScript);
    }
    let numkeys = numkeys_checked(&argv[2], argv.len(), false)?;
    let (sha, script) = if evalsha {
        let sha = String::from_utf8_lossy(&argv[1]).to_ascii_lowercase();
        match ctx.scripting.cache.get(&sha) {
            Some(script) if argv[1].len() == 40 => (sha, script.clone()),
            _ => return Err(RedisError::NoScript),
        }
    } else {
        let sha = sha1_hex(&argv[1]);
        match ctx.scripting.cache.get(&sha) {
            Some(script) => (sha, script.clone()),
            None => {
                let script = create_script(&argv[1], ctx.scripting.version)?;
                ctx.scripting.cache.insert(sha.clone(), script.clone());
                (sha, script)
            }
        }
    };
    let keys = &argv[3..3 + numkeys];
    let args = &argv[3 + numkeys..];
    let spec = RunSpec {
        name: sha,
        function: false,
        flags: script.flags,
        ro,
        declared_slot: keys.first().map(|k| key_slot(k)),
    };
    run::prepare(&spec)?;
    let (_, shebang_len) = parse_eval_shebang(&script.body)?;
    let engine = vm::engine(ctx.scripting.version);
    let result = {
        let mut host = ScriptHost::new(ctx, spec.clone());
        engine.eval(&script.body[shebang_len..], keys, args, &mut host)
    };
    Ok(finish(ctx, &spec, result))
}

fn finish(ctx: &mut Ctx<'_>, spec: &RunSpec, result: Result<Reply, vm::Failure>) -> Reply {
    let reply = run::outcome_reply(spec, result);
    let port = ctx.topology.nodes[ctx.node].port;
    ctx.events.push(Event::ScriptRun {
        port,
        script: spec.name.clone(),
        function: spec.function,
        reply: reply.to_cli(&[]),
    });
    reply
}

/// Runs a Lua script on the node (keys declared by `numkeys`)
///
/// # Format
/// ```text
/// EVAL script numkeys [key [key ...]] [arg [arg ...]]
/// ```
pub fn eval(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    eval_generic(ctx, argv, false, false)
}

/// Runs a script from this node's script cache by its SHA1
///
/// # Format
/// ```text
/// EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
/// ```
pub fn evalsha(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    eval_generic(ctx, argv, true, false)
}

/// Runs a read-only Lua script
///
/// # Format
/// ```text
/// EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
/// ```
pub fn eval_ro(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    eval_generic(ctx, argv, false, true)
}

/// Runs a cached read-only script by its SHA1
///
/// # Format
/// ```text
/// EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
/// ```
pub fn evalsha_ro(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    eval_generic(ctx, argv, true, true)
}

/// The shard's function VM, built (and every library reloaded into it) if
/// it is missing.
fn function_vm<'l>(
    libraries: &'l Libraries,
    version: crate::engine::script::EmulatedVersion,
) -> RefMut<'l, Box<dyn FunctionVm>> {
    let mut slot = libraries.vm.0.borrow_mut();
    if slot.is_none() {
        let mut vm = vm::engine(version).function_vm();
        for lib in libraries.libs.values() {
            if let Some(end) = lib.code.iter().position(|&b| b == b'\n') {
                if vm.load(&lib.name, &lib.code[end..]).is_ok() {
                    vm.commit(&lib.name);
                }
            }
        }
        *slot = Some(vm);
    }
    RefMut::map(slot, |s| {
        s.get_or_insert_with(|| vm::engine(version).function_vm())
    })
}

fn fcall_generic(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], ro: bool) -> Result<Reply, RedisError> {
    let name = String::from_utf8_lossy(&argv[1]).to_ascii_lowercase();
    let info = ctx
        .scripting
        .libraries
        .function(&name)
        .cloned()
        .ok_or(RedisError::FunctionNotFound)?;
    let numkeys = numkeys_checked(&argv[2], argv.len(), true)?;
    let keys = &argv[3..3 + numkeys];
    let args = &argv[3 + numkeys..];
    let spec = RunSpec {
        name: info.name.clone(),
        function: true,
        flags: info.flags,
        ro,
        declared_slot: keys.first().map(|k| key_slot(k)),
    };
    run::prepare(&spec)?;
    let version = ctx.scripting.version;
    let libraries = ctx.scripting.libraries.clone();
    let result = {
        let mut vm = function_vm(&libraries, version);
        let mut host = ScriptHost::new(ctx, spec.clone());
        vm.call(&info.name, keys, args, &mut host)
    };
    // The VM may have been built just now: keep it.
    ctx.scripting.libraries.vm = libraries.vm;
    Ok(finish(ctx, &spec, result))
}

/// Calls a function from the shard's libraries
///
/// # Format
/// ```text
/// FCALL function numkeys [key [key ...]] [arg [arg ...]]
/// ```
pub fn fcall(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    fcall_generic(ctx, argv, false)
}

/// Calls a read-only function
///
/// # Format
/// ```text
/// FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
/// ```
pub fn fcall_ro(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    fcall_generic(ctx, argv, true)
}

/// Loads a script into this node's script cache without running it
///
/// # Format
/// ```text
/// SCRIPT LOAD script
/// ```
pub fn script_load(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let sha = sha1_hex(&argv[2]);
    if !ctx.scripting.cache.contains_key(&sha) {
        let script = create_script(&argv[2], ctx.scripting.version)?;
        ctx.scripting.cache.insert(sha.clone(), script);
    }
    Ok(Reply::bulk(sha))
}

/// Tells which SHA1s are in this node's script cache
///
/// # Format
/// ```text
/// SCRIPT EXISTS sha1 [sha1 ...]
/// ```
pub fn script_exists(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|sha| {
                let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
                Reply::Integer(i64::from(ctx.scripting.cache.contains_key(&sha)))
            })
            .collect(),
    ))
}

/// Empties this node's script cache
///
/// # Format
/// ```text
/// SCRIPT FLUSH [ASYNC | SYNC]
/// ```
pub fn script_flush(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    match argv {
        [_, _] => {}
        [_, _, mode] if is(mode, "sync") || is(mode, "async") => {}
        _ => return Err(RedisError::ScriptFlushOption),
    }
    ctx.scripting.cache.clear();
    Ok(Reply::ok())
}

/// Kills the running script (none ever runs while another command does)
///
/// # Format
/// ```text
/// SCRIPT KILL
/// FUNCTION KILL
/// ```
pub fn script_kill(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Err(RedisError::NotBusy)
}

const SCRIPT_HELP: &str = include_str!("script_help.txt");
const FUNCTION_HELP: &str = include_str!("function_help.txt");

fn help_reply(text: &str) -> Reply {
    Reply::Array(text.lines().map(|l| Reply::Status(l.to_string())).collect())
}

/// Describes the SCRIPT subcommands
///
/// # Format
/// ```text
/// SCRIPT HELP
/// ```
pub fn script_help(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(help_reply(SCRIPT_HELP))
}

/// Describes the FUNCTION subcommands
///
/// # Format
/// ```text
/// FUNCTION HELP
/// ```
pub fn function_help(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(help_reply(FUNCTION_HELP))
}

/// `functionExtractLibMetaData`: engine, library name, and where the code
/// starts (the newline ending the `#!` line).
fn library_metadata(code: &[u8]) -> Result<(String, String, usize), RedisError> {
    if !code.starts_with(b"#!") {
        return Err(RedisError::FunctionMissingMetadata);
    }
    let Some(end) = code.iter().position(|&b| b == b'\n') else {
        return Err(RedisError::FunctionInvalidMetadata);
    };
    let parts = split_args(&code[..end]);
    let Some(first) = parts.first() else {
        return Err(RedisError::FunctionInvalidMetadata);
    };
    let engine = String::from_utf8_lossy(first.get(2..).unwrap_or_default()).into_owned();
    let mut name: Option<String> = None;
    for part in &parts[1..] {
        if part.len() >= 5 && part[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err(RedisError::FunctionNameGivenTwice);
            }
            name = Some(String::from_utf8_lossy(&part[5..]).into_owned());
            continue;
        }
        return Err(RedisError::FunctionInvalidMetadataValue {
            value: String::from_utf8_lossy(part).into_owned(),
        });
    }
    let name = name.ok_or(RedisError::FunctionNoLibraryName)?;
    Ok((engine, name, end))
}

/// Loads a function library into the shard
///
/// # Format
/// ```text
/// FUNCTION LOAD [REPLACE] function-code
/// ```
pub fn function_load(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let mut replace = false;
    let last = argv.len() - 1;
    for arg in &argv[2..last] {
        if is(arg, "replace") {
            replace = true;
        } else {
            return Err(RedisError::FunctionLoadOption {
                option: String::from_utf8_lossy(arg).into_owned(),
            });
        }
    }
    let code = &argv[last];
    let (engine, name, end) = library_metadata(code)?;
    if !valid_name(name.as_bytes()) {
        return Err(RedisError::FunctionBadName);
    }
    if !engine.eq_ignore_ascii_case("lua") {
        return Err(RedisError::FunctionEngineNotFound { engine });
    }
    let libraries = &mut *ctx.scripting.libraries;
    if libraries.libs.contains_key(&name) && !replace {
        return Err(RedisError::FunctionLibraryExists { name });
    }
    let version = ctx.scripting.version;
    let registered = {
        let mut vm = function_vm(libraries, version);
        match vm.load(&name, &code[end..]) {
            Ok(list) => list,
            Err(LoadFailure::Compile(message)) => {
                return Err(RedisError::FunctionCompile {
                    message: message.replace(['\r', '\n'], " "),
                })
            }
            Err(LoadFailure::Register(message)) => {
                return Err(RedisError::FunctionRegister {
                    message: message.replace(['\r', '\n'], " "),
                })
            }
        }
    };
    if registered.is_empty() {
        return Err(RedisError::FunctionNoneRegistered);
    }
    for f in &registered {
        let lower = f.name.to_ascii_lowercase();
        let taken = libraries
            .libs
            .values()
            .any(|l| l.name != name && l.functions.contains_key(&lower));
        if taken {
            return Err(RedisError::FunctionExists {
                name: f.name.clone(),
            });
        }
    }
    function_vm(libraries, version).commit(&name);
    let functions = registered
        .into_iter()
        .map(|f| {
            (
                f.name.to_ascii_lowercase(),
                FunctionInfo {
                    name: f.name,
                    library: name.clone(),
                    description: f.description,
                    flags: f.flags,
                },
            )
        })
        .collect();
    libraries.libs.insert(
        name.clone(),
        Library {
            name: name.clone(),
            code: code.clone(),
            functions,
        },
    );
    Ok(Reply::bulk(name))
}

/// Lists the shard's libraries and their functions
///
/// # Format
/// ```text
/// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
/// ```
pub fn function_list(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        let arg = &argv[i];
        if !with_code && is(arg, "withcode") {
            with_code = true;
        } else if pattern.is_none() && is(arg, "libraryname") {
            if i >= argv.len() - 1 {
                return Err(RedisError::FunctionListNoName);
            }
            i += 1;
            pattern = Some(&argv[i]);
        } else {
            return Err(RedisError::FunctionListArgument {
                arg: String::from_utf8_lossy(arg).into_owned(),
            });
        }
        i += 1;
    }
    let mut out = Vec::new();
    for lib in ctx.scripting.libraries.libs.values() {
        if let Some(p) = pattern {
            if !glob_match(p, lib.name.as_bytes(), true) {
                continue;
            }
        }
        let functions = lib
            .functions
            .values()
            .map(|f| {
                Reply::Array(vec![
                    Reply::bulk("name"),
                    Reply::bulk(&f.name),
                    Reply::bulk("description"),
                    Reply::bulk_or_nil(f.description.as_ref()),
                    Reply::bulk("flags"),
                    Reply::Array(
                        flags::NAMES
                            .iter()
                            .filter(|(_, bit)| f.flags & bit != 0)
                            .map(|(n, _)| Reply::Status(n.to_string()))
                            .collect(),
                    ),
                ])
            })
            .collect();
        let mut entry = vec![
            Reply::bulk("library_name"),
            Reply::bulk(&lib.name),
            Reply::bulk("engine"),
            Reply::bulk("LUA"),
            Reply::bulk("functions"),
            Reply::Array(functions),
        ];
        if with_code {
            entry.push(Reply::bulk("library_code"));
            entry.push(Reply::bulk(&lib.code));
        }
        out.push(Reply::Array(entry));
    }
    Ok(Reply::Array(out))
}

/// Deletes a library and its functions
///
/// # Format
/// ```text
/// FUNCTION DELETE library-name
/// ```
pub fn function_delete(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let name = String::from_utf8_lossy(&argv[2]).into_owned();
    let libraries = &mut *ctx.scripting.libraries;
    if libraries.libs.remove(&name).is_none() {
        return Err(RedisError::FunctionLibraryNotFound);
    }
    if let Some(vm) = libraries.vm.0.borrow_mut().as_mut() {
        vm.unload(&name);
    }
    Ok(Reply::ok())
}

/// Deletes every library of the shard
///
/// # Format
/// ```text
/// FUNCTION FLUSH [ASYNC | SYNC]
/// ```
pub fn function_flush(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    match argv {
        [_, _] => {}
        [_, _, mode] if is(mode, "sync") || is(mode, "async") => {}
        [_, _, _] => return Err(RedisError::FunctionFlushOption),
        _ => {
            return Err(RedisError::SubcommandSyntax {
                sub: String::from_utf8_lossy(&argv[1]).into_owned(),
                container: "FUNCTION".into(),
            })
        }
    }
    ctx.scripting.libraries.flush();
    Ok(Reply::ok())
}

/// Reports the running function (never any) and the library counts
///
/// # Format
/// ```text
/// FUNCTION STATS
/// ```
pub fn function_stats(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let libs = &ctx.scripting.libraries.libs;
    let functions: usize = libs.values().map(|l| l.functions.len()).sum();
    Ok(Reply::Array(vec![
        Reply::bulk("running_script"),
        Reply::NilBulk,
        Reply::bulk("engines"),
        Reply::Array(vec![
            Reply::bulk("LUA"),
            Reply::Array(vec![
                Reply::bulk("libraries_count"),
                Reply::Integer(libs.len() as i64),
                Reply::bulk("functions_count"),
                Reply::Integer(functions as i64),
            ]),
        ]),
    ]))
}

/// Restores libraries from a FUNCTION DUMP payload (slotlab cannot read one)
///
/// # Format
/// ```text
/// FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE]
/// ```
pub fn function_restore(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Err(RedisError::FunctionBadPayload)
}
