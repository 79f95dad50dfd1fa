//! CONFIG GET / SET / HELP for the `cluster-*` parameters of the node the
//! command is sent to (each node has its own settings, as on real Redis).
//!
//! Only the `cluster-*` parameters are modelled: any other name is unknown
//! to the playground (CONFIG GET finds nothing, CONFIG SET refuses it).

use crate::engine::cmd::args::is;
use crate::engine::command::flags::*;
use crate::engine::command::{not_dispatched, CommandSpec, Ctx, KeySpec};
use crate::engine::error::{ConfigSetReason, RedisError};
use crate::engine::glob::glob_match;
use crate::engine::reply::Reply;
use crate::engine::topology::{find_param, Param, ParamKind, PARAMS};
use crate::engine::value::parse_strict_i64;

/// CONFIG and its subcommands.
pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "config",
        arity: -2,
        flags: CONTAINER,
        keys: KeySpec::None,
        handler: not_dispatched,
    },
    CommandSpec {
        name: "config|get",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        keys: KeySpec::None,
        handler: config_get,
    },
    CommandSpec {
        name: "config|set",
        arity: -4,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        keys: KeySpec::None,
        handler: config_set,
    },
    CommandSpec {
        name: "config|help",
        arity: 2,
        flags: LOADING | STALE,
        keys: KeySpec::None,
        handler: config_help,
    },
];

/// Returns the parameters matching each pattern, with their values. An
/// exact name is echoed as typed; a glob (`*`, `?`, `[`) matches
/// case-insensitively and returns canonical names, aliases included.
///
/// # Format
/// ```text
/// CONFIG GET parameter [parameter ...]
/// ```
fn config_get(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let mut matches: Vec<(Vec<u8>, &'static Param)> = Vec::new();
    let seen = |matches: &Vec<(Vec<u8>, &Param)>, name: &[u8]| {
        matches.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    for pattern in &argv[2..] {
        if !pattern.iter().any(|b| matches!(b, b'[' | b'*' | b'?')) {
            if let Some(param) = find_param(pattern) {
                if !seen(&matches, pattern) {
                    matches.push((pattern.clone(), param));
                }
            }
            continue;
        }
        for param in PARAMS {
            if !seen(&matches, param.name.as_bytes())
                && glob_match(pattern, param.name.as_bytes(), true)
            {
                matches.push((param.name.as_bytes().to_vec(), param));
            }
        }
    }
    let mut out = Vec::with_capacity(matches.len() * 2);
    for (name, param) in matches {
        out.push(Reply::Bulk(name));
        out.push(Reply::bulk(ctx.config.get(param)));
    }
    Ok(Reply::Array(out))
}

/// Sets one or more parameters atomically: every name is checked first,
/// then every value; nothing changes unless all are valid.
///
/// # Format
/// ```text
/// CONFIG SET parameter value [parameter value ...]
/// ```
fn config_set(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<Reply, RedisError> {
    let pairs = &argv[2..];
    if !pairs.len().is_multiple_of(2) {
        return Err(RedisError::Syntax);
    }
    let mut chosen: Vec<(&'static Param, &[u8])> = Vec::new();
    for pair in pairs.chunks(2) {
        let param = find_param(&pair[0]).ok_or_else(|| RedisError::ConfigSetUnknown {
            name: String::from_utf8_lossy(&pair[0]).into_owned(),
        })?;
        chosen.push((param, &pair[1]));
    }
    let mut values = Vec::with_capacity(chosen.len());
    for (i, (param, value)) in chosen.iter().enumerate() {
        let canonical = param.alias_of.unwrap_or(param.name);
        let fail = |reason| RedisError::ConfigSetFailed {
            name: param.name.to_string(),
            reason,
        };
        if chosen[..i]
            .iter()
            .any(|(p, _)| p.alias_of.unwrap_or(p.name) == canonical)
        {
            return Err(fail(ConfigSetReason::Duplicate));
        }
        if !param.mutable {
            return Err(fail(ConfigSetReason::Immutable));
        }
        values.push(validate(param.kind, value).map_err(fail)?);
    }
    for ((param, _), value) in chosen.iter().zip(values) {
        ctx.config.set(param, value);
    }
    Ok(Reply::ok())
}

/// Checks a CONFIG SET value and returns what CONFIG GET will show.
fn validate(kind: ParamKind, value: &[u8]) -> Result<String, ConfigSetReason> {
    let text = String::from_utf8_lossy(value).into_owned();
    match kind {
        ParamKind::Bool => {
            if is(value, "yes") {
                Ok("yes".into())
            } else if is(value, "no") {
                Ok("no".into())
            } else {
                Err(ConfigSetReason::NotBool)
            }
        }
        ParamKind::Int { min, max } => {
            let n = parse_strict_i64(value).ok_or(ConfigSetReason::NotInteger)?;
            if n < min || n > max {
                return Err(ConfigSetReason::OutOfRange { min, max });
            }
            Ok(n.to_string())
        }
        ParamKind::Memory => parse_memory(value)
            .map(|n| n.to_string())
            .ok_or(ConfigSetReason::NotMemory),
        ParamKind::Text => Ok(text),
        ParamKind::Enum(words) => words
            .iter()
            .find(|w| is(value, w))
            .map(|w| w.to_string())
            .ok_or(ConfigSetReason::NotOneOf(words)),
    }
}

/// `memtoull`: a byte count with an optional unit (b, k, kb, m, mb, g, gb).
fn parse_memory(value: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(value).ok()?.to_ascii_lowercase();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let multiplier: u64 = match unit {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(multiplier)
}

/// The help text of Redis 7.0.15, verbatim.
const CONFIG_HELP: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
];

/// # Format
/// ```text
/// CONFIG HELP
/// ```
fn config_help(_: &mut Ctx<'_>, _: &[Vec<u8>]) -> Result<Reply, RedisError> {
    Ok(Reply::Array(
        CONFIG_HELP
            .iter()
            .map(|line| Reply::Status(line.to_string()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::engine::{Cluster, Reply};

    fn run(cluster: &mut Cluster, port: u16, words: &[&str]) -> Reply {
        let conn = cluster.connect(port).unwrap();
        let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        cluster.execute(conn, &argv, 0).reply
    }

    // All expectations below were answered by a real Redis 7.0.15 cluster node.
    #[test]
    fn get_and_set() {
        let mut c = Cluster::default();
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "GET", "CLUSTER-ENABLED"]),
            Reply::bulks(["CLUSTER-ENABLED", "yes"])
        );
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "GET", "*cross*"]),
            Reply::Array(vec![])
        );
        let Reply::Array(all) = run(&mut c, 7000, &["CONFIG", "GET", "cluster-*"]) else {
            panic!()
        };
        assert_eq!(all.len(), 40);
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "SET", "allow-cross-slot-keys", "yes"]).error_text(),
            Some("ERR Unknown option or number of arguments for CONFIG SET - 'allow-cross-slot-keys'")
        );
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "SET", "CLUSTER-NODE-TIMEOUT", "abc"]).error_text(),
            Some("ERR CONFIG SET failed (possibly related to argument 'cluster-node-timeout') - argument couldn't be parsed into an integer")
        );
        assert_eq!(
            run(
                &mut c,
                7000,
                &[
                    "CONFIG",
                    "SET",
                    "cluster-node-timeout",
                    "5000",
                    "cluster-enabled"
                ]
            )
            .error_text(),
            Some("ERR syntax error")
        );
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "SET", "cluster-migration-barrier", "-1"]).error_text(),
            Some("ERR CONFIG SET failed (possibly related to argument 'cluster-migration-barrier') - argument must be between 0 and 2147483647 inclusive")
        );
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "SET", "cluster-preferred-endpoint-type", "foo"]).error_text(),
            Some("ERR CONFIG SET failed (possibly related to argument 'cluster-preferred-endpoint-type') - argument(s) must be one of the following: ip, hostname, unknown-endpoint")
        );
        assert_eq!(
            run(
                &mut c,
                7000,
                &["CONFIG", "SET", "cluster-allow-reads-when-down", "YES"]
            ),
            Reply::ok()
        );
        assert_eq!(
            run(
                &mut c,
                7000,
                &["CONFIG", "GET", "cluster-allow-reads-when-down"]
            ),
            Reply::bulks(["cluster-allow-reads-when-down", "yes"])
        );
        // Settings are per node.
        assert_eq!(
            run(
                &mut c,
                7001,
                &["CONFIG", "GET", "cluster-allow-reads-when-down"]
            ),
            Reply::bulks(["cluster-allow-reads-when-down", "no"])
        );
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "FOO"]).error_text(),
            Some("ERR unknown subcommand 'FOO'. Try CONFIG HELP.")
        );
        assert_eq!(
            run(&mut c, 7000, &["CONFIG", "GET"]).error_text(),
            Some("ERR wrong number of arguments for 'config|get' command")
        );
    }
}
