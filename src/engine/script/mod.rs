//! Lua scripting: EVAL / EVALSHA / FCALL and their script cache and
//! function libraries, run on a real Lua 5.1 VM (omnilua) behind the small
//! [`vm::ScriptVm`] trait.
//!
//! # Layout
//! - this file — the per-node state ([`Scripting`]: a script cache per node,
//!   function libraries per shard, the `math.random` generator), the
//!   emulated-version setting, shebang parsing and SHA1.
//! - [`vm`] — the VM-neutral trait and the types that cross it.
//! - [`omni`] — the omnilua implementation: Redis' Lua environment
//!   (`redis.*`, protected globals, `cjson`, `bit`), reply conversions, the
//!   error handler, the step budget and memory cap.
//! - [`run`] — what `redis.call` does on a node: command lookup, the
//!   script checks of `scriptCall` (NOSCRIPT, read-only scripts, replicas,
//!   `scriptVerifyClusterState`), running the handler, and the trace.
//! - [`cjson`], [`bit`] — the libraries Redis loads besides Lua's own.
//!
//! The commands themselves are in [`crate::engine::cmd::scripting`].
//!
//! # Where scripts live
//! As on a real cluster, the script cache (SCRIPT LOAD, EVAL) belongs to one
//! node and is not replicated: EVALSHA on another node answers NOSCRIPT.
//! Function libraries are replicated data: a master and its replicas share
//! them (FUNCTION LOAD is a write command, refused on replicas).

pub mod bit;
pub mod cjson;
pub mod omni;
pub mod run;
pub mod vm;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::Serialize;

use crate::engine::error::RedisError;

/// Which server's in-script error texts to reproduce (the spec's version table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum EmulatedVersion {
    /// Redis 7.0.x / 7.2.x (recorded; the default).
    #[default]
    Redis70,
    /// Redis 7.4+ and Valkey 8.0+: more precise cluster errors inside scripts.
    Redis74,
}

impl EmulatedVersion {
    /// `redis.REDIS_VERSION` as the script sees it.
    pub fn version_string(self) -> &'static str {
        match self {
            EmulatedVersion::Redis70 => "7.0.15",
            EmulatedVersion::Redis74 => "7.4.0",
        }
    }

    /// `redis.REDIS_VERSION_NUM`.
    pub fn version_num(self) -> i64 {
        match self {
            EmulatedVersion::Redis70 => 0x0007_000f,
            EmulatedVersion::Redis74 => 0x0007_0400,
        }
    }
}

/// Script flags (`#!lua flags=...`, `register_function{flags=...}`).
pub mod flags {
    /// `no-writes`
    pub const NO_WRITES: u32 = 1 << 0;
    /// `allow-oom`
    pub const ALLOW_OOM: u32 = 1 << 1;
    /// `allow-stale`
    pub const ALLOW_STALE: u32 = 1 << 2;
    /// `no-cluster`
    pub const NO_CLUSTER: u32 = 1 << 3;
    /// `allow-cross-slot-keys`
    pub const ALLOW_CROSS_SLOT: u32 = 1 << 4;
    /// An EVAL script without a `#!` line (backward-compatible mode).
    pub const EVAL_COMPAT: u32 = 1 << 5;

    /// The flag names in Redis' order (`scripts_flags_def`).
    pub const NAMES: &[(&str, u32)] = &[
        ("no-writes", NO_WRITES),
        ("allow-oom", ALLOW_OOM),
        ("allow-stale", ALLOW_STALE),
        ("no-cluster", NO_CLUSTER),
        ("allow-cross-slot-keys", ALLOW_CROSS_SLOT),
    ];
}

/// A cached EVAL script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedScript {
    /// The whole body, shebang included.
    pub body: Vec<u8>,
    /// [`flags`] bits from the shebang.
    pub flags: u32,
}

/// A function registered by a library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    pub name: String,
    pub library: String,
    pub description: Option<Vec<u8>>,
    pub flags: u32,
}

/// A loaded function library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    pub name: String,
    pub code: Vec<u8>,
    /// Its functions, by name.
    pub functions: BTreeMap<String, FunctionInfo>,
}

/// The persistent Lua VM that holds a shard's function libraries (library
/// upvalues live across FCALLs, as on a real server). Shared, not copied,
/// when the cluster is cloned: the UI clones the world per command and
/// drops the old one.
#[derive(Clone, Default)]
pub struct FunctionVmCell(pub Rc<RefCell<Option<Box<dyn vm::FunctionVm>>>>);

impl std::fmt::Debug for FunctionVmCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FunctionVm")
    }
}

/// A shard's function libraries.
#[derive(Debug, Clone, Default)]
pub struct Libraries {
    pub libs: BTreeMap<String, Library>,
    pub vm: FunctionVmCell,
}

impl Libraries {
    /// The function called `name`, if any library registered it.
    pub fn function(&self, name: &str) -> Option<&FunctionInfo> {
        self.libs.values().find_map(|l| l.functions.get(name))
    }

    /// Drops every library and the VM (FUNCTION FLUSH).
    pub fn flush(&mut self) {
        self.libs.clear();
        self.vm = FunctionVmCell::default();
    }
}

/// Redis' `redisLrand48`: the 48-bit linear congruential generator behind
/// `math.random`, one per server process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rand48 {
    x: u64,
}

impl Default for Rand48 {
    fn default() -> Self {
        Rand48 {
            x: 0x1234_ABCD_330E,
        }
    }
}

impl Rand48 {
    /// `redisSrand48(seed)`.
    pub fn seed(&mut self, seed: i32) {
        self.x = ((seed as u32 as u64) << 16) | 0x330E;
    }

    /// `redisLrand48()`: the next 31-bit value.
    pub fn lrand48(&mut self) -> i32 {
        self.x = (self.x.wrapping_mul(0x5_DEEC_E66D).wrapping_add(0xB)) & 0xFFFF_FFFF_FFFF;
        (self.x >> 17) as i32
    }
}

/// One node's scripting state.
#[derive(Debug, Clone, Default)]
pub struct NodeScripts {
    /// EVAL / SCRIPT LOAD cache, by lower-case SHA1.
    pub cache: BTreeMap<String, CachedScript>,
    /// The shard's libraries (used on masters; replicas read their master's).
    pub libraries: Libraries,
    /// `math.random`'s generator.
    pub rand: Rand48,
}

/// Scripting state of the whole cluster, indexed like `Topology::nodes`.
#[derive(Debug, Clone, Default)]
pub struct Scripting {
    pub version: EmulatedVersion,
    pub nodes: Vec<NodeScripts>,
}

impl Scripting {
    /// Empty state for `n` nodes.
    pub fn new(n: usize) -> Scripting {
        Scripting {
            version: EmulatedVersion::default(),
            nodes: vec![NodeScripts::default(); n],
        }
    }

    /// What a handler on `node` (whose shard master is `master`) may touch.
    pub fn ctx_for(&mut self, node: usize, master: usize) -> ScriptCtx<'_> {
        let version = self.version;
        if self.nodes.len() <= node.max(master) {
            self.nodes
                .resize_with(node.max(master) + 1, NodeScripts::default);
        }
        if node == master {
            let n = &mut self.nodes[node];
            ScriptCtx {
                cache: &mut n.cache,
                rand: &mut n.rand,
                libraries: &mut n.libraries,
                version,
            }
        } else {
            let (low, high) = self.nodes.split_at_mut(node.max(master));
            let (a, b) = if node < master {
                (&mut low[node], &mut high[0])
            } else {
                (&mut high[0], &mut low[master])
            };
            ScriptCtx {
                cache: &mut a.cache,
                rand: &mut a.rand,
                libraries: &mut b.libraries,
                version,
            }
        }
    }
}

/// The scripting state a command handler sees (a field of `Ctx`).
pub struct ScriptCtx<'a> {
    /// This node's script cache.
    pub cache: &'a mut BTreeMap<String, CachedScript>,
    /// This node's `math.random` generator.
    pub rand: &'a mut Rand48,
    /// The shard's function libraries.
    pub libraries: &'a mut Libraries,
    pub version: EmulatedVersion,
}

impl ScriptCtx<'_> {
    /// A shorter-lived view of the same state (for commands run by a script).
    pub fn reborrow(&mut self) -> ScriptCtx<'_> {
        ScriptCtx {
            cache: &mut *self.cache,
            rand: &mut *self.rand,
            libraries: &mut *self.libraries,
            version: self.version,
        }
    }
}

/// Lower-case hex SHA1 of `data` (`sha1hex`).
pub fn sha1_hex(data: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(data);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An EVAL body's shebang: its flags and how many bytes the `#!` line
/// takes (the body is run from there, keeping the newline so line numbers
/// stay the user's). Port of `evalExtractShebangFlags`.
pub fn parse_eval_shebang(body: &[u8]) -> Result<(u32, usize), RedisError> {
    if !body.starts_with(b"#!") {
        return Ok((flags::EVAL_COMPAT, 0));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err(RedisError::ScriptShebangInvalid);
    };
    let parts = split_args(&body[..end]);
    let Some(engine) = parts.first() else {
        return Err(RedisError::ScriptShebangInvalidEngine);
    };
    if engine.as_slice() != b"#!lua" {
        return Err(RedisError::ScriptShebangEngine {
            engine: String::from_utf8_lossy(engine).into_owned(),
        });
    }
    let mut bits = 0u32;
    for part in &parts[1..] {
        let Some(list) = part.strip_prefix(b"flags=") else {
            return Err(RedisError::ScriptShebangOption {
                option: String::from_utf8_lossy(part).into_owned(),
            });
        };
        if list.is_empty() {
            continue;
        }
        for flag in list.split(|&b| b == b',') {
            match flags::NAMES.iter().find(|(n, _)| n.as_bytes() == flag) {
                Some((_, bit)) => bits |= bit,
                None => {
                    return Err(RedisError::ScriptShebangFlag {
                        flag: String::from_utf8_lossy(flag).into_owned(),
                    })
                }
            }
        }
    }
    Ok((bits, end))
}

/// `sdssplitargs` without quote handling beyond what shebang lines need:
/// splits on ASCII whitespace, honouring double and single quotes.
pub fn split_args(line: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        while i < line.len() && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
        let mut word = Vec::new();
        let mut quote: Option<u8> = None;
        while i < line.len() {
            let b = line[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => word.push(b),
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b.is_ascii_whitespace() => break,
                None => word.push(b),
            }
            i += 1;
        }
        out.push(word);
    }
    out
}

/// `functionsVerifyName`: letters, digits and underscores, at least one.
pub fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_matches_redis() {
        // Seen on redis-server 7.0.15: redis.sha1hex('') and SCRIPT LOAD "return 1".
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            sha1_hex(b"return 1"),
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
        );
    }

    #[test]
    fn rand48_matches_redis() {
        // `math.randomseed(5) return math.random(1000000)` gave 524840 on 7.0.15.
        let mut r = Rand48::default();
        r.seed(5);
        let v = r.lrand48();
        let x = f64::from(v % i32::MAX) / f64::from(i32::MAX);
        assert_eq!((x * 1_000_000.0).floor() + 1.0, 524840.0);
    }

    #[test]
    fn shebang_flags() {
        assert_eq!(parse_eval_shebang(b"return 1"), Ok((flags::EVAL_COMPAT, 0)));
        assert_eq!(
            parse_eval_shebang(b"#!lua  flags=no-writes,allow-stale\nreturn 1"),
            Ok((flags::NO_WRITES | flags::ALLOW_STALE, 34))
        );
        assert_eq!(
            parse_eval_shebang(b"#!lua flags=bogus\n").map_err(|e| e.to_string()),
            Err("ERR Unexpected flag in script shebang: bogus".into())
        );
        assert_eq!(
            parse_eval_shebang(b"#!lua").map_err(|e| e.to_string()),
            Err("ERR Invalid script shebang".into())
        );
        assert_eq!(
            parse_eval_shebang(b"#!python\n").map_err(|e| e.to_string()),
            Err("ERR Unexpected engine in script shebang: #!python".into())
        );
        assert_eq!(
            parse_eval_shebang(b"#!lua name=x\n").map_err(|e| e.to_string()),
            Err("ERR Unknown lua shebang option: name=x".into())
        );
    }
}
