//! The simulated cluster: layout, one keyspace per shard, client
//! connections, and [`Cluster::execute`], which runs one command for one
//! connection in the order Redis 7.0's `processCommand` does:
//! lookup and arity → cluster routing → replica write check → MULTI
//! queueing → execution, returning the reply and the events.

use std::collections::BTreeMap;

use crate::engine::command::{self, CommandSpec, Ctx};
use crate::engine::error::RedisError;
use crate::engine::event::{Event, RejectKind};
use crate::engine::keyspace::Keyspace;
use crate::engine::reply::Reply;
use crate::engine::router::{self, ClientFlags, KeySlot, Rejection, RouteContext};
use crate::engine::script::Scripting;
use crate::engine::slot::key_slot;
use crate::engine::topology::{ClusterConfig, NodeIdx, Topology};

/// Identifies a client connection.
pub type ConnId = u64;

/// A queued transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multi {
    /// The queued argvs.
    pub queued: Vec<Vec<Vec<u8>>>,
    /// Set when a command was rejected while queuing (`CLIENT_DIRTY_EXEC`).
    pub flagged: bool,
}

/// A key a connection watches: the shard (master index) and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub shard: NodeIdx,
    pub key: Vec<u8>,
}

/// One client connection's server-side state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The node it is connected to.
    pub node: NodeIdx,
    /// `READONLY` was sent.
    pub readonly: bool,
    /// `ASKING` was sent (one-shot, lasts through MULTI).
    pub asking: bool,
    /// Inside MULTI.
    pub multi: Option<Multi>,
    /// WATCHed keys.
    pub watched: Vec<Watched>,
    /// A watched key was modified (`CLIENT_DIRTY_CAS`).
    pub watch_dirty: bool,
}

/// The reply to one command and what happened while producing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub reply: Reply,
    pub events: Vec<Event>,
}

/// Why a connection could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// No node listens on that port.
    NoSuchNode(u16),
    /// The node on that port is stopped ([`Cluster::stop_node`]).
    Stopped(u16),
    /// The node closed this connection (it was stopped): what redis-cli
    /// prints when the server goes away under an open connection.
    ServerClosed,
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::NoSuchNode(port) | ConnectError::Stopped(port) => write!(
                f,
                "Could not connect to Redis at 127.0.0.1:{port}: Connection refused"
            ),
            ConnectError::ServerClosed => f.write_str("Error: Server closed the connection"),
        }
    }
}

/// The whole simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub topology: Topology,
    /// Per-node settings (CONFIG SET acts on one node, as on real Redis).
    pub configs: Vec<ClusterConfig>,
    /// Keyspaces indexed by node; only masters' entries hold data.
    pub(crate) shards: Vec<Keyspace>,
    pub(crate) conns: BTreeMap<ConnId, Connection>,
    /// Closed connections, MIGRATE's socket cache and the failure clock
    /// ([`crate::engine::failover`]).
    pub(crate) runtime: crate::engine::failover::Runtime,
    next_conn: ConnId,
    /// splitmix64 state for commands that need randomness.
    rng_state: u64,
    /// Script caches (per node) and function libraries (per shard).
    pub scripting: Scripting,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new(Topology::default())
    }
}

impl Cluster {
    /// An empty cluster with this layout.
    pub fn new(topology: Topology) -> Cluster {
        let topology_len = topology.nodes.len();
        let shards = vec![Keyspace::new(); topology.nodes.len()];
        let configs = topology
            .nodes
            .iter()
            .map(|n| ClusterConfig::for_port(n.port))
            .collect();
        Cluster {
            topology,
            configs,
            shards,
            conns: BTreeMap::new(),
            runtime: Default::default(),
            next_conn: 1,
            rng_state: 0x5EED_5107_1AB0_0001,
            scripting: Scripting::new(topology_len),
        }
    }

    /// Re-seeds the random numbers RANDOMKEY, SPOP and friends use.
    pub fn seed(&mut self, seed: u64) {
        self.rng_state = seed;
    }

    /// Advances the random numbers as `n` calls of `next_random` would
    /// (splitmix64's state only ever adds a constant).
    pub(crate) fn skip_randoms(&mut self, n: u64) {
        self.rng_state = self
            .rng_state
            .wrapping_add(0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(n));
    }

    pub(crate) fn next_random(&mut self) -> u64 {
        self.rng_state = self.rng_state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng_state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The data a node serves (its master's keyspace).
    pub fn keyspace_of(&self, node: NodeIdx) -> &Keyspace {
        &self.shards[self.topology.master_of(node)]
    }

    /// `cluster_state:ok` as `node` sees it?
    pub fn is_ok(&self, node: NodeIdx) -> bool {
        cluster_ok(&self.topology, &self.configs[node], node)
    }

    /// Opens a connection to the node on `port`.
    pub fn connect(&mut self, port: u16) -> Result<ConnId, ConnectError> {
        let node = self
            .topology
            .by_port(port)
            .ok_or(ConnectError::NoSuchNode(port))?;
        if !self.topology.nodes[node].health.running() {
            return Err(ConnectError::Stopped(port));
        }
        let id = self.next_conn;
        self.next_conn += 1;
        self.conns.insert(
            id,
            Connection {
                node,
                readonly: false,
                asking: false,
                multi: None,
                watched: Vec::new(),
                watch_dirty: false,
            },
        );
        Ok(id)
    }

    /// Closes a connection: its MULTI state and watches are dropped.
    pub fn disconnect(&mut self, conn: ConnId) {
        self.conns.remove(&conn);
        self.runtime.closed.remove(&conn);
    }

    /// A connection's state.
    pub fn connection(&self, conn: ConnId) -> Option<&Connection> {
        self.conns.get(&conn)
    }

    /// Port of the node a connection talks to.
    pub fn port_of(&self, conn: ConnId) -> Option<u16> {
        self.conns
            .get(&conn)
            .map(|c| self.topology.nodes[c.node].port)
    }

    /// Like [`Cluster::execute`], but a connection the server closed (its
    /// node was stopped) is an error, as for a real client.
    pub fn send(
        &mut self,
        conn: ConnId,
        argv: &[Vec<u8>],
        now_ms: u64,
    ) -> Result<Outcome, ConnectError> {
        if self.runtime.closed.contains(&conn) {
            return Err(ConnectError::ServerClosed);
        }
        Ok(self.execute(conn, argv, now_ms))
    }

    /// Runs one command on `conn` at time `now_ms`.
    pub fn execute(&mut self, conn: ConnId, argv: &[Vec<u8>], now_ms: u64) -> Outcome {
        let mut events = self.tick(now_ms);
        // A layout changed from outside (a UI editing the topology) counts too.
        self.refresh_states(&mut events);
        self.expire_all(now_ms, &mut events);
        let Some(state) = self.conns.get(&conn).cloned() else {
            return Outcome {
                reply: Reply::Error("ERR connection closed".into()),
                events,
            };
        };
        let reply = self.process(conn, state, argv, now_ms, &mut events);
        self.refresh_states(&mut events);
        Outcome { reply, events }
    }

    fn process(
        &mut self,
        conn: ConnId,
        state: Connection,
        argv: &[Vec<u8>],
        now_ms: u64,
        events: &mut Vec<Event>,
    ) -> Reply {
        let me = state.node;
        let port = self.topology.nodes[me].port;
        let spec = match command::lookup(argv) {
            Ok(spec) => spec,
            Err(err) => {
                let kind = match err {
                    RedisError::WrongArity { .. } => RejectKind::WrongArity,
                    _ => RejectKind::UnknownCommand,
                };
                // `rejectCommand` on EXEC itself aborts the transaction with the reason.
                let is_exec = argv
                    .first()
                    .is_some_and(|a| a.eq_ignore_ascii_case(b"exec"));
                let err = if is_exec {
                    self.discard_transaction(conn);
                    RedisError::ExecAbortBecause(Box::new(err))
                } else {
                    err
                };
                self.flag_transaction(conn, &err, events);
                self.reject(events, port, kind, &err, Vec::new(), None, None);
                return self.finish(conn, false, err.into());
            }
        };
        // EVAL/FCALL of a script with declared flags write (or not) as the flags say.
        let spec = &CommandSpec {
            flags: crate::engine::cmd::scripting::dynamic_flags(
                spec,
                argv,
                crate::engine::cmd::scripting::ScriptLookup {
                    cache: &self.scripting.nodes[me].cache,
                    libraries: &self.scripting.nodes[self.topology.master_of(me)].libraries,
                },
            ),
            ..*spec
        };
        let name = spec.name;
        let in_multi = state.multi.is_some();

        // Cluster routing: only for commands with keys, and EXEC.
        let has_keys = !matches!(spec.keys, command::KeySpec::None);
        if has_keys || name == "exec" {
            let batch_argvs: Vec<Vec<Vec<u8>>> = if name == "exec" {
                state
                    .multi
                    .as_ref()
                    .map(|m| m.queued.clone())
                    .unwrap_or_default()
            } else {
                vec![argv.to_vec()]
            };
            // Scripts route with the flags they declare (see above).
            let lookup_scripts = crate::engine::cmd::scripting::ScriptLookup {
                cache: &self.scripting.nodes[me].cache,
                libraries: &self.scripting.nodes[self.topology.master_of(me)].libraries,
            };
            let specs: Vec<(CommandSpec, &[Vec<u8>])> = batch_argvs
                .iter()
                .filter_map(|a| {
                    command::lookup(a).ok().map(|s| {
                        let flags =
                            crate::engine::cmd::scripting::dynamic_flags(s, a, lookup_scripts);
                        (CommandSpec { flags, ..*s }, a.as_slice())
                    })
                })
                .collect();
            let batch: Vec<(&CommandSpec, &[Vec<u8>])> =
                specs.iter().map(|(s, a)| (s, *a)).collect();
            let verdict = {
                let rctx = RouteContext {
                    topology: &self.topology,
                    config: &self.configs[me],
                    cluster_ok: self.is_ok(me),
                    me,
                    local: self.keyspace_of(me),
                };
                router::route(
                    &rctx,
                    &batch,
                    ClientFlags {
                        asking: state.asking,
                        readonly: state.readonly,
                    },
                )
            };
            if let Err(rejection) = verdict.result {
                let err = rejection.to_error(&self.topology);
                let (kind, disagreeing, redirect_to) = match rejection {
                    Rejection::CrossSlot { other } => (RejectKind::CrossSlot, Some(other), None),
                    Rejection::TryAgain => (RejectKind::TryAgain, None, None),
                    Rejection::Down | Rejection::DownReadOnly => {
                        (RejectKind::ClusterDown, None, None)
                    }
                    Rejection::Unbound { .. } => (RejectKind::SlotNotServed, None, None),
                    Rejection::Moved { to, .. } => {
                        (RejectKind::Moved, None, Some(self.topology.nodes[to].port))
                    }
                    Rejection::Ask { to, .. } => {
                        (RejectKind::Ask, None, Some(self.topology.nodes[to].port))
                    }
                };
                if name == "exec" {
                    if in_multi {
                        self.discard_transaction(conn);
                        events.push(Event::TransactionDiscarded {
                            port,
                            reason: err.to_string(),
                        });
                    }
                } else {
                    self.flag_transaction(conn, &err, events);
                }
                self.reject(
                    events,
                    port,
                    kind,
                    &err,
                    verdict.keys,
                    disagreeing,
                    redirect_to,
                );
                return self.finish(conn, false, err.into());
            }
            if name != "exec" {
                if in_multi && !is_multi_control(name) {
                    events.push(Event::Queued {
                        port,
                        keys: verdict.keys,
                    });
                } else {
                    events.push(Event::Served {
                        port,
                        keys: verdict.keys,
                    });
                }
            }
        }

        // A replica refuses keyless writes (keyed ones were MOVED above).
        if spec.is_write() && !self.topology.nodes[me].is_master() {
            let err = RedisError::ReadOnlyReplica;
            self.flag_transaction(conn, &err, events);
            self.reject(
                events,
                port,
                RejectKind::ReadOnlyReplica,
                &err,
                Vec::new(),
                None,
                None,
            );
            return self.finish(conn, false, err.into());
        }

        if in_multi && !is_multi_control(name) {
            if !has_keys {
                events.push(Event::Queued {
                    port,
                    keys: Vec::new(),
                });
            }
            // `queueMultiCommand`: once the transaction is doomed (flagged, or a
            // watched key was touched) further commands answer QUEUED but are
            // not stored, so EXEC's slot check only sees what came before.
            if let Some(c) = self.conns.get_mut(&conn) {
                let doomed = c.watch_dirty;
                if let Some(multi) = c.multi.as_mut() {
                    if !multi.flagged && !doomed {
                        multi.queued.push(argv.to_vec());
                    }
                }
            }
            return self.finish(conn, false, Reply::Status("QUEUED".into()));
        }

        let reply = match name {
            "multi" => self.cmd_multi(conn),
            "exec" => self.cmd_exec(conn, now_ms, events),
            "discard" => self.cmd_discard(conn),
            "watch" => self.cmd_watch(conn, argv),
            "unwatch" => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.watched.clear();
                    c.watch_dirty = false;
                }
                Reply::ok()
            }
            "readonly" | "readwrite" => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.readonly = name == "readonly";
                }
                Reply::ok()
            }
            "asking" => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.asking = true;
                }
                Reply::ok()
            }
            _ => {
                if !has_keys {
                    events.push(Event::Served {
                        port,
                        keys: Vec::new(),
                    });
                }
                self.call(conn, me, spec, argv, now_ms, events)
            }
        };
        self.finish(conn, name == "asking", reply)
    }

    /// Runs a command's handler on the node's shard, then reports and
    /// propagates the keys it modified.
    fn call(
        &mut self,
        conn: ConnId,
        me: NodeIdx,
        spec: &CommandSpec,
        argv: &[Vec<u8>],
        now_ms: u64,
        events: &mut Vec<Event>,
    ) -> Reply {
        if let Some(reply) =
            crate::engine::cmd::migration::dispatch(self, conn, me, spec, argv, now_ms, events)
        {
            return reply;
        }
        let shard = self.topology.master_of(me);
        let random = self.next_random();
        let client = self
            .conns
            .get(&conn)
            .map(|c| ClientFlags {
                asking: c.asking,
                readonly: c.readonly,
            })
            .unwrap_or_default();
        let mut ctx = Ctx {
            db: &mut self.shards[shard],
            now_ms,
            topology: &self.topology,
            config: &mut self.configs[me],
            node: me,
            touched: Vec::new(),
            random,
            client,
            scripting: self.scripting.ctx_for(me, shard),
            events: Vec::new(),
        };
        let reply = match (spec.handler)(&mut ctx, argv) {
            Ok(reply) => reply,
            Err(err) => err.into(),
        };
        events.append(&mut ctx.events);
        let touched = std::mem::take(&mut ctx.touched);
        for key in &touched {
            self.shards[shard].note_modified(key);
        }
        for key in touched {
            self.signal_modified(Some(conn), shard, &key, events);
        }
        reply
    }

    /// Marks watchers of `key` dirty and reports the write.
    pub(crate) fn signal_modified(
        &mut self,
        by: Option<ConnId>,
        shard: NodeIdx,
        key: &[u8],
        events: &mut Vec<Event>,
    ) {
        let port = self.topology.nodes[shard].port;
        events.push(Event::KeyModified {
            port,
            key: String::from_utf8_lossy(key).into_owned(),
            slot: key_slot(key),
        });
        self.touch_watchers(by, shard, key, events);
    }

    /// Marks every connection watching `key` on `shard` dirty; `by` is the
    /// connection whose command modified it (`None` for expiry).
    pub(crate) fn touch_watchers(
        &mut self,
        by: Option<ConnId>,
        shard: NodeIdx,
        key: &[u8],
        events: &mut Vec<Event>,
    ) {
        for (id, c) in self.conns.iter_mut() {
            if c.watched.iter().any(|w| w.shard == shard && w.key == key) {
                c.watch_dirty = true;
                events.push(Event::WatchTouched {
                    watcher: *id,
                    by,
                    key: String::from_utf8_lossy(key).into_owned(),
                });
            }
        }
    }

    pub(crate) fn expire_all(&mut self, now_ms: u64, events: &mut Vec<Event>) {
        for shard in 0..self.shards.len() {
            let gone = self.shards[shard].purge_expired(now_ms);
            for key in gone {
                events.push(Event::KeyExpired {
                    port: self.topology.nodes[shard].port,
                    key: String::from_utf8_lossy(&key).into_owned(),
                    slot: key_slot(&key),
                });
                self.touch_watchers(None, shard, &key, events);
            }
        }
    }

    /// Clears the one-shot ASKING flag after any command but ASKING itself,
    /// unless the connection is inside MULTI (`resetClient`).
    fn finish(&mut self, conn: ConnId, was_asking: bool, reply: Reply) -> Reply {
        if let Some(c) = self.conns.get_mut(&conn) {
            if !was_asking && c.multi.is_none() {
                c.asking = false;
            }
        }
        reply
    }

    fn flag_transaction(&mut self, conn: ConnId, err: &RedisError, events: &mut Vec<Event>) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        if let Some(multi) = c.multi.as_mut() {
            multi.flagged = true;
            events.push(Event::TransactionFlagged {
                port: self.topology.nodes[c.node].port,
                error: err.to_string(),
            });
        }
    }

    fn discard_transaction(&mut self, conn: ConnId) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.multi = None;
            c.watched.clear();
            c.watch_dirty = false;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reject(
        &self,
        events: &mut Vec<Event>,
        port: u16,
        kind: RejectKind,
        err: &RedisError,
        keys: Vec<KeySlot>,
        disagreeing: Option<usize>,
        redirect_to: Option<u16>,
    ) {
        events.push(Event::Rejected {
            port,
            kind,
            error: err.to_string(),
            keys,
            disagreeing,
            redirect_to,
        });
    }

    /// # Format
    /// ```text
    /// MULTI
    /// ```
    fn cmd_multi(&mut self, conn: ConnId) -> Reply {
        let Some(c) = self.conns.get_mut(&conn) else {
            return Reply::ok();
        };
        if c.multi.is_some() {
            return RedisError::MultiNested.into();
        }
        c.multi = Some(Multi::default());
        Reply::ok()
    }

    /// # Format
    /// ```text
    /// DISCARD
    /// ```
    fn cmd_discard(&mut self, conn: ConnId) -> Reply {
        match self.conns.get(&conn) {
            Some(c) if c.multi.is_some() => {
                self.discard_transaction(conn);
                Reply::ok()
            }
            _ => RedisError::DiscardWithoutMulti.into(),
        }
    }

    /// # Format
    /// ```text
    /// WATCH key [key ...]
    /// ```
    fn cmd_watch(&mut self, conn: ConnId, argv: &[Vec<u8>]) -> Reply {
        let Some(node) = self.conns.get(&conn).map(|c| c.node) else {
            return Reply::ok();
        };
        let shard = self.topology.master_of(node);
        let Some(c) = self.conns.get_mut(&conn) else {
            return Reply::ok();
        };
        if c.multi.is_some() {
            return RedisError::WatchInsideMulti.into();
        }
        for key in &argv[1..] {
            let w = Watched {
                shard,
                key: key.clone(),
            };
            if !c.watched.contains(&w) {
                c.watched.push(w);
            }
        }
        Reply::ok()
    }

    /// # Format
    /// ```text
    /// EXEC
    /// ```
    fn cmd_exec(&mut self, conn: ConnId, now_ms: u64, events: &mut Vec<Event>) -> Reply {
        let Some(c) = self.conns.get(&conn).cloned() else {
            return RedisError::ExecWithoutMulti.into();
        };
        let port = self.topology.nodes[c.node].port;
        let Some(multi) = c.multi else {
            return RedisError::ExecWithoutMulti.into();
        };
        if multi.flagged || c.watch_dirty {
            self.discard_transaction(conn);
            let reply = if multi.flagged {
                RedisError::ExecAbort.into()
            } else {
                Reply::NilArray
            };
            events.push(Event::TransactionDiscarded {
                port,
                reason: match &reply {
                    Reply::Error(e) => e.clone(),
                    _ => "a watched key was modified".into(),
                },
            });
            return reply;
        }
        self.discard_transaction(conn);
        let mut replies = Vec::with_capacity(multi.queued.len());
        for argv in &multi.queued {
            let reply = match command::lookup(argv) {
                Ok(spec) => self.call(conn, c.node, spec, argv, now_ms, events),
                Err(err) => err.into(),
            };
            replies.push(reply);
        }
        events.push(Event::TransactionExecuted {
            port,
            commands: replies.len(),
        });
        Reply::Array(replies)
    }

    /// Removes every connection and all data, and restores the given layout.
    pub fn reset(&mut self, topology: Topology) {
        let version = self.scripting.version;
        *self = Cluster::new(topology);
        self.scripting.version = version;
    }
}

/// `cluster_state:ok` as `node` sees it: the state it last computed (see
/// [`crate::engine::failover::cluster_state_ok`] for when that happens).
pub fn cluster_ok(topology: &Topology, _config: &ClusterConfig, node: NodeIdx) -> bool {
    !topology.nodes[node].health.state_fail
}

/// Commands that are executed, not queued, inside MULTI.
fn is_multi_control(name: &str) -> bool {
    matches!(name, "exec" | "discard" | "multi" | "watch")
}
