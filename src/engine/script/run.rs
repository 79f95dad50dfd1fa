//! Running a script on a node: the [`Host`] behind `redis.call`, which
//! applies Redis 7.0's `scriptCall` checks in order — command lookup and
//! arity, `noscript`, writes from read-only scripts and on replicas, then
//! `scriptVerifyClusterState` (the command routed like a client's, a
//! rejection becoming a Lua error, not a redirect; then the one-slot rule
//! for `#!` scripts and functions) — before running the command's handler
//! on the same keyspace. Every call is reported as an
//! [`Event::ScriptCall`] for the UI.

use crate::engine::cluster::cluster_ok;
use crate::engine::command::{self, flags as cmd_flags, Ctx};
use crate::engine::error::RedisError;
use crate::engine::event::{Event, ScriptRule};
use crate::engine::reply::Reply;
use crate::engine::router::{self, Rejection, RouteContext};
use crate::engine::script::vm::{Budget, Failure, Host};
use crate::engine::script::{flags, EmulatedVersion, Rand48};
use crate::engine::slot::key_slot;

/// How a script run is set up.
#[derive(Debug, Clone)]
pub struct RunSpec {
    /// The SHA1 (EVAL) or the function name (FCALL), for error suffixes.
    pub name: String,
    /// FCALL rather than EVAL.
    pub function: bool,
    /// [`flags`] bits of the script or function.
    pub flags: u32,
    /// EVAL_RO / EVALSHA_RO / FCALL_RO.
    pub ro: bool,
    /// The slot of the declared keys (the client's slot), if any.
    pub declared_slot: Option<u16>,
}

impl RunSpec {
    fn compat(&self) -> bool {
        self.flags & flags::EVAL_COMPAT != 0
    }

    /// `SCRIPT_READ_ONLY`: *_RO commands, and `no-writes` scripts.
    fn read_only(&self) -> bool {
        self.ro || (!self.compat() && self.flags & flags::NO_WRITES != 0)
    }

    /// `SCRIPT_ALLOW_CROSS_SLOT`: scripts without `#!`, and the flag.
    fn allow_cross_slot(&self) -> bool {
        self.compat() || self.flags & flags::ALLOW_CROSS_SLOT != 0
    }
}

/// `scriptPrepareForRun`'s refusals, checked before the script runs.
pub fn prepare(spec: &RunSpec) -> Result<(), RedisError> {
    if spec.compat() {
        return Ok(());
    }
    if spec.flags & flags::NO_CLUSTER != 0 {
        return Err(RedisError::ScriptNoCluster);
    }
    if spec.flags & flags::NO_WRITES == 0 && spec.ro {
        return Err(RedisError::ScriptWriteWithRo);
    }
    Ok(())
}

/// The node as a running script sees it.
pub struct ScriptHost<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    spec: RunSpec,
    /// The slot every keyed command must use (`original_c->slot`).
    pinned: Option<u16>,
    resp: u8,
    calls: u64,
}

impl<'c, 'a> ScriptHost<'c, 'a> {
    pub fn new(ctx: &'c mut Ctx<'a>, spec: RunSpec) -> Self {
        let pinned = spec.declared_slot;
        ScriptHost {
            ctx,
            spec,
            pinned,
            resp: 2,
            calls: 0,
        }
    }

    fn port(&self) -> u16 {
        self.ctx.topology.nodes[self.ctx.node].port
    }

    /// The checks of `scriptCall`, then the command itself.
    fn run_checked(
        &mut self,
        argv: &[Vec<u8>],
    ) -> (Reply, Option<ScriptRule>, Vec<router::KeySlot>) {
        let spec = match command::lookup(argv) {
            Ok(spec) => spec,
            Err(RedisError::WrongArity { .. }) => {
                return reject(RedisError::ScriptWrongArity, ScriptRule::WrongArity)
            }
            Err(_) => {
                let rule = if command::unimplemented_redis_command(argv).is_some() {
                    ScriptRule::NotImplemented
                } else {
                    ScriptRule::UnknownCommand
                };
                return reject(RedisError::ScriptUnknownCommand, rule);
            }
        };
        if spec.flags & cmd_flags::NOSCRIPT != 0 {
            return reject(
                RedisError::ScriptCommandNotAllowed,
                ScriptRule::NotAllowedFromScript,
            );
        }
        if spec.is_write() {
            if self.spec.read_only() {
                return reject(
                    RedisError::ScriptWriteInReadOnly,
                    ScriptRule::WriteInReadOnlyScript,
                );
            }
            if !self.ctx.topology.nodes[self.ctx.node].is_master() {
                return reject(RedisError::ReadOnlyReplica, ScriptRule::ReadOnlyReplica);
            }
        }
        // scriptVerifyClusterState
        let verdict = {
            let rctx = RouteContext {
                topology: self.ctx.topology,
                config: &*self.ctx.config,
                cluster_ok: cluster_ok(self.ctx.topology, &*self.ctx.config, self.ctx.node),
                me: self.ctx.node,
                local: &*self.ctx.db,
            };
            router::route(&rctx, &[(spec, argv)], self.ctx.client)
        };
        let keys = verdict.keys.clone();
        if let Err(rejection) = &verdict.result {
            let v74 = self.ctx.scripting.version == EmulatedVersion::Redis74;
            let (err, rule) = match rejection {
                Rejection::DownReadOnly => (
                    RedisError::ScriptClusterDownReadOnly,
                    ScriptRule::ClusterDown,
                ),
                Rejection::Down => (RedisError::ScriptClusterDown, ScriptRule::ClusterDown),
                Rejection::CrossSlot { .. } if v74 => (
                    RedisError::ScriptCommandCrossSlot {
                        command: spec.name.to_string(),
                    },
                    ScriptRule::CrossSlotCommand,
                ),
                Rejection::TryAgain if v74 => (
                    RedisError::ScriptUnstableSlot {
                        command: spec.name.to_string(),
                    },
                    ScriptRule::UnstableSlot,
                ),
                Rejection::Unbound { .. } if v74 => {
                    (RedisError::ScriptSlotNotServed, ScriptRule::SlotNotServed)
                }
                _ => (RedisError::ScriptNonLocalKey, ScriptRule::NonLocalKey),
            };
            let (reply, rule, _) = reject(err, rule);
            return (reply, rule, keys);
        }
        if let Some(slot) = verdict.slot {
            if !self.spec.allow_cross_slot() {
                match self.pinned {
                    None => self.pinned = Some(slot),
                    Some(pinned) if pinned != slot => {
                        let (reply, rule, _) = reject(
                            RedisError::ScriptCrossSlot,
                            ScriptRule::CrossSlotAcrossCalls,
                        );
                        return (reply, rule, keys);
                    }
                    Some(_) => {}
                }
            }
        }
        if spec.flags & cmd_flags::CONNECTION != 0 {
            // READONLY / READWRITE / ASKING only change the script's own client.
            return (Reply::ok(), None, keys);
        }
        self.calls += 1;
        let random = splitmix(self.ctx.random ^ self.calls.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let ctx = &mut *self.ctx;
        let mut sub = Ctx {
            db: &mut *ctx.db,
            now_ms: ctx.now_ms,
            topology: ctx.topology,
            config: &mut *ctx.config,
            node: ctx.node,
            touched: Vec::new(),
            random,
            client: ctx.client,
            scripting: ctx.scripting.reborrow(),
            events: Vec::new(),
        };
        let reply = (spec.handler)(&mut sub, argv).unwrap_or_else(Reply::from);
        let (touched, events) = (sub.touched, sub.events);
        ctx.touched.extend(touched);
        ctx.events.extend(events);
        (reply, None, keys)
    }
}

fn reject(err: RedisError, rule: ScriptRule) -> (Reply, Option<ScriptRule>, Vec<router::KeySlot>) {
    (Reply::from(err), Some(rule), Vec::new())
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Host for ScriptHost<'_, '_> {
    fn call(&mut self, argv: Vec<Vec<u8>>, protected: bool, line: i64) -> Reply {
        let (reply, rejected, mut keys) = self.run_checked(&argv);
        if keys.is_empty() {
            if let Ok(spec) = command::lookup(&argv) {
                keys = spec
                    .keys(&argv)
                    .into_iter()
                    .map(|k| {
                        let slot = key_slot(k);
                        router::KeySlot {
                            key: String::from_utf8_lossy(k).into_owned(),
                            slot,
                            owner: self
                                .ctx
                                .topology
                                .owner(slot)
                                .map(|n| self.ctx.topology.nodes[n].port),
                            command: 0,
                        }
                    })
                    .collect();
            }
        }
        let event = Event::ScriptCall {
            port: self.port(),
            script: self.spec.name.clone(),
            protected,
            line,
            argv: argv
                .iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect(),
            keys,
            rejected,
            reply: reply.to_cli(&argv),
        };
        self.ctx.events.push(event);
        reply
    }

    fn resp(&self) -> u8 {
        self.resp
    }

    fn set_resp(&mut self, resp: u8) {
        self.resp = resp;
    }

    fn rand(&mut self) -> &mut Rand48 {
        &mut *self.ctx.scripting.rand
    }

    fn log(&mut self, _level: i64, _message: &[u8]) {}
}

/// The client's reply for a script's outcome.
pub fn outcome_reply(spec: &RunSpec, result: Result<Reply, Failure>) -> Reply {
    match result {
        Ok(reply) => reply,
        Err(Failure::Compile(message)) => RedisError::ScriptCompile {
            message: message.replace(['\r', '\n'], " "),
        }
        .into(),
        Err(Failure::Raised { err, source, line }) => {
            let err = err.unwrap_or_else(|| "ERR unknown error".into());
            match (source, line) {
                (Some(source), Some(line)) => RedisError::ScriptFailed {
                    err,
                    name: spec.name.clone(),
                    source,
                    line,
                }
                .into(),
                _ => RedisError::ScriptReply(err).into(),
            }
        }
        Err(Failure::Other(message)) => {
            let cut: String = message.chars().take(100).collect();
            RedisError::ScriptRunFailed {
                name: spec.name.clone(),
                message: cut.trim_matches(['\r', '\n']).replace(['\r', '\n'], " "),
            }
            .into()
        }
        Err(Failure::Stopped(budget)) => RedisError::ScriptBudget {
            what: match budget {
                Budget::Steps => "it ran past its step budget (a real server would keep running it and answer BUSY to other clients)".into(),
                Budget::Memory => "it went over its memory cap (a real server sets no memory limit on a script: it would try to allocate it all)".into(),
            },
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(flags: u32, ro: bool) -> RunSpec {
        RunSpec {
            name: "f".into(),
            function: false,
            flags,
            ro,
            declared_slot: None,
        }
    }

    #[test]
    fn prepare_refuses_like_script_prepare_for_run() {
        // Texts seen on redis-server 7.0.15 (cluster mode).
        assert_eq!(prepare(&spec(flags::EVAL_COMPAT, true)), Ok(()));
        assert_eq!(
            prepare(&spec(flags::NO_CLUSTER, false)).map_err(|e| e.to_string()),
            Err("ERR Can not run script on cluster, 'no-cluster' flag is set.".into())
        );
        assert_eq!(
            prepare(&spec(0, true)).map_err(|e| e.to_string()),
            Err("ERR Can not execute a script with write flag using *_ro command.".into())
        );
        assert_eq!(prepare(&spec(flags::NO_WRITES, true)), Ok(()));
    }

    #[test]
    fn read_only_and_cross_slot_modes() {
        assert!(spec(flags::EVAL_COMPAT, true).read_only());
        assert!(!spec(flags::EVAL_COMPAT | flags::NO_WRITES, false).read_only());
        assert!(spec(flags::NO_WRITES, false).read_only());
        assert!(spec(flags::EVAL_COMPAT, false).allow_cross_slot());
        assert!(!spec(0, false).allow_cross_slot());
        assert!(spec(flags::ALLOW_CROSS_SLOT, false).allow_cross_slot());
    }

    #[test]
    fn failures_become_redis_replies() {
        let s = RunSpec {
            name: "abc".into(),
            ..spec(0, false)
        };
        let raised = Failure::Raised {
            err: Some("ERR user_script:1: boom".into()),
            source: Some("@user_script".into()),
            line: Some("1".into()),
        };
        assert_eq!(
            outcome_reply(&s, Err(raised)),
            Reply::Error("ERR user_script:1: boom script: abc, on @user_script:1.".into())
        );
        assert_eq!(
            outcome_reply(&s, Err(Failure::Compile("user_script:1: x\ny".into()))),
            Reply::Error("ERR Error compiling script (new function): user_script:1: x y".into())
        );
    }
}
