//! The command table, shaped like `COMMAND INFO`: name, arity, flags and key
//! specs, plus the handler that executes the command on one shard.
//!
//! Lookup ([`lookup`]) resolves container commands (`CLUSTER KEYSLOT`,
//! `CONFIG GET`, `OBJECT ENCODING`) to their subcommand entry and produces
//! the unknown-command, unknown-subcommand and arity errors in the order
//! `processCommand` does, before any routing.

use crate::engine::error::RedisError;
use crate::engine::event::Event;
use crate::engine::keyspace::Keyspace;
use crate::engine::reply::Reply;
use crate::engine::router::ClientFlags;
use crate::engine::script::ScriptCtx;
use crate::engine::topology::{ClusterConfig, NodeIdx, Topology};

/// Command flags (a subset of Redis' `CMD_*`).
pub mod flags {
    /// May modify the keyspace.
    pub const WRITE: u32 = 1 << 0;
    /// Only reads the keyspace.
    pub const READONLY: u32 = 1 << 1;
    /// May grow memory use.
    pub const DENYOOM: u32 = 1 << 2;
    /// Administrative.
    pub const ADMIN: u32 = 1 << 3;
    /// Not allowed from scripts.
    pub const NOSCRIPT: u32 = 1 << 4;
    /// O(1) or O(log N).
    pub const FAST: u32 = 1 << 5;
    /// Allowed while the replica has stale data.
    pub const STALE: u32 = 1 << 6;
    /// Allowed while loading.
    pub const LOADING: u32 = 1 << 7;
    /// Not allowed inside MULTI (queued commands that change connection state).
    pub const NO_MULTI: u32 = 1 << 8;
    /// Connection-level commands the executor handles itself (MULTI, EXEC, WATCH, READONLY ...).
    pub const CONNECTION: u32 = 1 << 9;
    /// Container with subcommands.
    pub const CONTAINER: u32 = 1 << 10;
}

/// Where a command's keys are in its argv (`COMMAND INFO` key specs).
// `Custom` holds a fn pointer; comparing specs is never used to identify one.
#[allow(unpredictable_function_pointer_comparisons)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySpec {
    /// No keys.
    None,
    /// Keys from `first` to `last` in steps of `step`. A negative `last`
    /// counts from the end (`-1` = the last argument).
    Range {
        first: usize,
        last: i32,
        step: usize,
    },
    /// A `numkeys` argument at `numkeys_at`, then that many keys starting at
    /// `numkeys_at + 1` (EVAL, FCALL).
    NumKeys { numkeys_at: usize },
    /// Positions found by a command-specific function (Redis' `getkeys_proc`,
    /// e.g. MIGRATE's `KEYS` form).
    Custom(fn(&[Vec<u8>]) -> Vec<usize>),
}

/// The first argument is the only key.
pub const KEY1: KeySpec = KeySpec::Range {
    first: 1,
    last: 1,
    step: 1,
};

/// Every argument after the name is a key.
pub const ALL_KEYS: KeySpec = KeySpec::Range {
    first: 1,
    last: -1,
    step: 1,
};

/// Keys from the first argument to `last` (negative counts from the end).
pub const fn keys_to(last: i32) -> KeySpec {
    KeySpec::Range {
        first: 1,
        last,
        step: 1,
    }
}

/// A command-table entry, for the static tables in `cmd/`.
pub const fn spec(
    name: &'static str,
    arity: i32,
    flags: u32,
    keys: KeySpec,
    handler: Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        arity,
        flags,
        keys,
        handler,
    }
}

/// A command handler: executes on one shard's keyspace.
pub type Handler = fn(&mut Ctx<'_>, &[Vec<u8>]) -> Result<Reply, RedisError>;

/// One command-table entry.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Lower-case full name: `get`, or `cluster|keyslot` for a subcommand.
    pub name: &'static str,
    /// Redis arity: `n` means exactly n arguments including the name, `-n` at least n.
    pub arity: i32,
    /// [`flags`] bits.
    pub flags: u32,
    /// Where the keys are.
    pub keys: KeySpec,
    /// The implementation (unused for containers and connection commands).
    pub handler: Handler,
}

impl CommandSpec {
    /// True for commands that may modify data.
    pub fn is_write(&self) -> bool {
        self.flags & flags::WRITE != 0
    }

    /// True when `argc` satisfies the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = i64::from(self.arity);
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    /// Positions of the keys in `argv` (`getKeysUsingKeySpecs`): positions
    /// past the end are skipped, as Redis does for variadic commands.
    pub fn key_positions(&self, argv: &[Vec<u8>]) -> Vec<usize> {
        let argc = argv.len();
        match self.keys {
            KeySpec::None => Vec::new(),
            KeySpec::Range { first, last, step } => {
                let last = if last >= 0 {
                    last as i64
                } else {
                    argc as i64 + i64::from(last)
                };
                let mut out = Vec::new();
                let mut i = first as i64;
                while i <= last {
                    if (i as usize) < argc {
                        out.push(i as usize);
                    }
                    i += step.max(1) as i64;
                }
                out
            }
            KeySpec::NumKeys { numkeys_at } => {
                // genericGetKeys: numkeys read with atoi(), and no keys at
                // all when it is < 1 or more than the arguments left (the
                // command then answers its own error where it lands).
                let n = argv.get(numkeys_at).map_or(0, |a| c_atoi(a));
                let start = numkeys_at + 1;
                if n < 1 || n as usize > argc.saturating_sub(start) {
                    return Vec::new();
                }
                (start..start + n as usize).collect()
            }
            KeySpec::Custom(find) => find(argv).into_iter().filter(|&i| i < argc).collect(),
        }
    }

    /// The keys themselves.
    pub fn keys<'a>(&self, argv: &'a [Vec<u8>]) -> Vec<&'a [u8]> {
        self.key_positions(argv)
            .into_iter()
            .map(|i| argv[i].as_slice())
            .collect()
    }
}

/// C's `atoi`: optional leading whitespace and sign, then digits up to the
/// first non-digit; the `long` result truncated to `int`.
pub fn c_atoi(arg: &[u8]) -> i32 {
    let mut i = 0;
    while i < arg.len() && matches!(arg[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut negative = false;
    if i < arg.len() && (arg[i] == b'+' || arg[i] == b'-') {
        negative = arg[i] == b'-';
        i += 1;
    }
    let mut value: i64 = 0;
    while i < arg.len() && arg[i].is_ascii_digit() {
        value = value
            .saturating_mul(10)
            .saturating_add(i64::from(arg[i] - b'0'));
        i += 1;
    }
    let value = if negative {
        value.saturating_neg()
    } else {
        value
    };
    value as i32
}

/// What a handler may touch while it runs on one node.
pub struct Ctx<'a> {
    /// The keyspace of the shard the node belongs to.
    pub db: &'a mut Keyspace,
    /// The current time in Unix milliseconds (passed in, never read).
    pub now_ms: u64,
    /// The cluster layout, for CLUSTER commands.
    pub topology: &'a Topology,
    /// Cluster-wide settings, for CONFIG GET / SET.
    pub config: &'a mut ClusterConfig,
    /// The node executing the command.
    pub node: NodeIdx,
    /// Keys this command modified (Redis' `signalModifiedKey`): WATCH and the UI use them.
    pub touched: Vec<Vec<u8>>,
    /// A fresh pseudo-random number for this command (RANDOMKEY, SPOP ...),
    /// derived from the cluster's seed: the engine never reads an OS RNG.
    pub random: u64,
    /// READONLY / ASKING of the calling connection (scripts route their
    /// own commands with them, as `scriptVerifyClusterState` does).
    pub client: ClientFlags,
    /// This node's script cache and its shard's function libraries.
    pub scripting: ScriptCtx<'a>,
    /// Extra events the handler reports (a script's trace).
    pub events: Vec<Event>,
}

impl Ctx<'_> {
    /// Records that `key` was modified.
    pub fn touch(&mut self, key: &[u8]) {
        self.touched.push(key.to_vec());
    }
}

/// Looks up `argv[0]` (and `argv[1]` for containers), producing the
/// unknown-command / unknown-subcommand / arity errors exactly as Redis 7.0.
pub fn lookup(argv: &[Vec<u8>]) -> Result<&'static CommandSpec, RedisError> {
    let Some(name) = argv.first() else {
        return Err(RedisError::unknown_command(argv));
    };
    let Some(spec) = find(name) else {
        return Err(RedisError::unknown_command(argv));
    };
    if spec.flags & flags::CONTAINER != 0 {
        if argv.len() < 2 {
            return Err(RedisError::WrongArity {
                name: spec.name.to_string(),
            });
        }
        let mut full = name.to_ascii_lowercase();
        full.push(b'|');
        full.extend(argv[1].to_ascii_lowercase());
        let Some(sub) = find(&full) else {
            return Err(RedisError::UnknownSubcommand {
                sub: truncate_lossy(&argv[1], 128).replace(['\r', '\n'], " "),
                container: spec.name.to_ascii_uppercase(),
            });
        };
        return check_arity(sub, argv);
    }
    check_arity(spec, argv)
}

fn check_arity(
    spec: &'static CommandSpec,
    argv: &[Vec<u8>],
) -> Result<&'static CommandSpec, RedisError> {
    if spec.arity_ok(argv.len()) {
        Ok(spec)
    } else {
        Err(RedisError::WrongArity {
            name: spec.name.to_string(),
        })
    }
}

fn truncate_lossy(bytes: &[u8], max: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(max)]).into_owned()
}

/// Finds a table entry by (case-insensitive) full name (an index built on
/// first use; the first table entry wins, as a scan would find it).
pub fn find(name: &[u8]) -> Option<&'static CommandSpec> {
    static INDEX: std::sync::OnceLock<
        std::collections::HashMap<&'static [u8], &'static CommandSpec>,
    > = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = std::collections::HashMap::new();
        for spec in all() {
            index.entry(spec.name.as_bytes()).or_insert(spec);
        }
        index
    });
    // No command name is this long: skip lower-casing a pasted megabyte.
    if name.len() > 64 {
        return None;
    }
    index.get(name.to_ascii_lowercase().as_slice()).copied()
}

/// Every command and subcommand in the table (for help and completion).
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    crate::engine::cmd::TABLES.iter().flat_map(|t| t.iter())
}

/// Every command and subcommand a real Redis 7.0.15 server knows, recorded
/// from its `COMMAND` reply (lower-case, `container|sub` for subcommands).
const REDIS_7_0_COMMANDS: &str = include_str!("cmd/redis_7_0_commands.txt");

/// True when a real Redis 7.0 server knows this command (`get`) or
/// subcommand (`cluster|setslot`), whether or not slotlab implements it.
pub fn known_to_redis(full_name: &str) -> bool {
    static KNOWN: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| REDIS_7_0_COMMANDS.lines().collect());
    known.contains(full_name.to_ascii_lowercase().as_str())
}

/// If `argv` names a command or subcommand that real Redis 7.0 has but
/// slotlab does not implement, its full name (`hsetnx`, `cluster|setslot`).
/// The reply slotlab gives for it (unknown command / subcommand) is then not
/// what a real server would say, and the UI must say so.
pub fn unimplemented_redis_command(argv: &[Vec<u8>]) -> Option<String> {
    let name = String::from_utf8_lossy(argv.first()?).to_ascii_lowercase();
    match find(name.as_bytes()) {
        None => known_to_redis(&name).then_some(name),
        Some(spec) if spec.flags & flags::CONTAINER != 0 => {
            let sub = String::from_utf8_lossy(argv.get(1)?).to_ascii_lowercase();
            let full = format!("{name}|{sub}");
            (find(full.as_bytes()).is_none() && known_to_redis(&full)).then_some(full)
        }
        Some(_) => None,
    }
}

/// A handler for entries the executor intercepts (containers and connection commands).
pub fn not_dispatched(_: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Err(RedisError::unknown_command(argv))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn tells_unimplemented_real_commands_apart() {
        assert!(known_to_redis("GET"));
        assert!(known_to_redis("cluster|setslot"));
        assert!(!known_to_redis("foobar"));
        assert_eq!(unimplemented_redis_command(&argv(&["GET", "k"])), None);
        assert_eq!(unimplemented_redis_command(&argv(&["foobar"])), None);
        assert_eq!(
            unimplemented_redis_command(&argv(&["OBJECT", "nosuch"])),
            None
        );
        assert_eq!(
            unimplemented_redis_command(&argv(&["OBJECT", "FREQ", "k"])),
            Some("object|freq".into())
        );
        assert_eq!(
            unimplemented_redis_command(&argv(&["XADD", "s", "*", "a", "1"])),
            Some("xadd".into())
        );
    }
}
