//! The simulation the page drives: one [`Cluster`] and one session per
//! client (redis-cli plain, redis-cli `-c`, or the cluster-aware client),
//! plus [`Recorder`], a transport that keeps every request a line sent with
//! its reply and the engine events it caused.
//!
//! The world is shared and mutated in place ([`WorldRef`]): cloning a
//! cluster with 100k keys costs tens of milliseconds, far too much per
//! command. Change detection goes through [`WorldRef::version`], bumped on
//! every mutation, so components compare a number, not the data.
//!
//! Pure: no web-sys, js-sys or gloo.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use crate::engine::cli::{CliSession, Transport};
use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::cluster_client::{ClusterClient, TxState};
use crate::engine::event::Event;
use crate::engine::reply::Reply;
use crate::engine::reshard::ReshardPlan;
use crate::engine::topology::HOST;
use crate::i18n::{tr, trf, Lang};

/// How a client talks to the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// `redis-cli`: MOVED/ASK are printed as errors.
    Plain,
    /// `redis-cli -c`: MOVED/ASK are followed.
    Redirecting,
    /// A cluster-aware library client (go-redis `ClusterClient`, JedisCluster).
    ClusterAware,
}

impl ClientKind {
    /// Every kind, in menu order.
    pub const ALL: [ClientKind; 3] = [
        ClientKind::Plain,
        ClientKind::Redirecting,
        ClientKind::ClusterAware,
    ];

    /// A short label for menus and tabs.
    pub fn label(self) -> &'static str {
        match self {
            ClientKind::Plain => "redis-cli",
            ClientKind::Redirecting => "redis-cli -c",
            ClientKind::ClusterAware => "cluster-aware client",
        }
    }

    /// [`ClientKind::label`] in `lang` (only the cluster-aware client's
    /// label is words; the others are redis-cli's command lines).
    pub fn label_in(self, lang: Lang) -> &'static str {
        match self {
            ClientKind::ClusterAware => tr(lang, "kind.cluster_aware"),
            other => other.label(),
        }
    }

    /// [`ClientKind::short_label`] in `lang`.
    pub fn short_label_in(self, lang: Lang) -> &'static str {
        match self {
            ClientKind::ClusterAware => tr(lang, "kind.cluster_aware_short"),
            other => other.label(),
        }
    }

    /// A shorter label for the kind menu.
    pub fn short_label(self) -> &'static str {
        match self {
            ClientKind::ClusterAware => "cluster-aware",
            other => other.label(),
        }
    }

    /// A stable value for `<select>`.
    pub fn value(self) -> &'static str {
        match self {
            ClientKind::Plain => "plain",
            ClientKind::Redirecting => "redirect",
            ClientKind::ClusterAware => "cluster",
        }
    }

    /// The kind for a `<select>` value.
    pub fn from_value(value: &str) -> Option<ClientKind> {
        ClientKind::ALL.into_iter().find(|k| k.value() == value)
    }

    /// One sentence on what this kind does, in `lang`.
    pub fn describe(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                ClientKind::Plain => "kind.plain_describe",
                ClientKind::Redirecting => "kind.redirect_describe",
                ClientKind::ClusterAware => "kind.cluster_aware_describe",
            },
        )
    }
}

/// One client's connection logic.
#[derive(Debug, Clone)]
pub enum Session {
    /// redis-cli, with or without `-c`.
    Cli(CliSession<ConnId>),
    /// The cluster-aware client.
    Aware(ClusterClient<ConnId>),
}

impl Session {
    /// A new session of `kind` on (or seeded with) `port`; nothing is sent.
    pub fn new(kind: ClientKind, port: u16) -> Session {
        match kind {
            ClientKind::Plain => Session::Cli(CliSession::new(port, false)),
            ClientKind::Redirecting => Session::Cli(CliSession::new(port, true)),
            ClientKind::ClusterAware => Session::Aware(ClusterClient::new(port)),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> ClientKind {
        match self {
            Session::Cli(s) if s.follow_redirects => ClientKind::Redirecting,
            Session::Cli(_) => ClientKind::Plain,
            Session::Aware(_) => ClientKind::ClusterAware,
        }
    }

    /// The node redis-cli is connected to, or the cluster client's seed.
    pub fn port(&self) -> u16 {
        match self {
            Session::Cli(s) => s.port,
            Session::Aware(c) => c.seed,
        }
    }

    /// The prompt for the next line.
    pub fn prompt(&self) -> String {
        match self {
            Session::Cli(s) => s.prompt(),
            Session::Aware(c) => c.prompt(),
        }
    }

    /// Inside MULTI, as the client itself tracks it (drives `(TX)`).
    pub fn in_multi(&self) -> bool {
        match self {
            Session::Cli(s) => s.in_multi,
            Session::Aware(c) => c.tx() != TxState::Idle,
        }
    }

    /// The connections it has open.
    pub fn connections(&self) -> Vec<ConnId> {
        match self {
            Session::Cli(s) => s.connection_id().copied().into_iter().collect(),
            Session::Aware(c) => c.connections().map(|(_, id)| *id).collect(),
        }
    }

    /// How it would be started from a shell, or what it is (in `lang`).
    pub fn command_line(&self, lang: Lang) -> String {
        match self {
            Session::Cli(s) => {
                let c = if s.follow_redirects { " -c" } else { "" };
                format!("redis-cli{c} -h {HOST} -p {}", s.port)
            }
            Session::Aware(c) => trf(
                lang,
                "kind.seeded_with",
                &[("node", &format!("{HOST}:{}", c.seed))],
            ),
        }
    }

    /// Connects now if it is redis-cli, which connects when it starts
    /// (the cluster-aware client connects on its first command). Returns
    /// redis-cli's message when the node is down.
    pub fn open(&mut self, cluster: &mut Cluster) -> Option<String> {
        match self {
            Session::Cli(s) => s.open(&mut Recorder::new(cluster, 0)).err(),
            Session::Aware(_) => None,
        }
    }

    /// Closes its connections.
    pub fn close(&mut self, cluster: &mut Cluster) {
        let mut transport = Recorder::new(cluster, 0);
        match self {
            Session::Cli(s) => s.close(&mut transport),
            Session::Aware(c) => c.close(&mut transport),
        }
    }
}

/// The cluster and the clients' sessions (index = client index), and the
/// reshard control's plan in progress.
#[derive(Debug, Clone)]
pub struct World {
    pub cluster: Cluster,
    pub sessions: Vec<Session>,
    pub reshard: Option<Reshard>,
}

/// The reshard control's plan, with the form values that made it (the
/// same values carry it on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reshard {
    pub from: u16,
    pub to: u16,
    /// The slots field as typed.
    pub slots: String,
    pub plan: ReshardPlan,
}

impl World {
    /// A fresh default cluster with these sessions, redis-cli ones
    /// connected (every node is up).
    pub fn new(sessions: Vec<Session>) -> World {
        let mut world = World {
            cluster: Cluster::default(),
            sessions: Vec::new(),
            reshard: None,
        };
        for session in sessions {
            world.add_session(session);
        }
        world
    }

    /// Adds a client's session, connecting it as it starts (see
    /// [`Session::open`]); returns redis-cli's message if its node is down.
    pub fn add_session(&mut self, mut session: Session) -> Option<String> {
        let refused = session.open(&mut self.cluster);
        self.sessions.push(session);
        refused
    }

    /// Replaces client `index`'s session (nothing if there is none),
    /// closing the old connections and connecting the new one; returns
    /// redis-cli's message if the new session's node is down.
    pub fn replace_session(&mut self, index: usize, mut session: Session) -> Option<String> {
        let old = self.sessions.get_mut(index)?;
        old.close(&mut self.cluster);
        let refused = session.open(&mut self.cluster);
        *old = session;
        refused
    }

    /// The shard (see [`crate::ui::map::shard_masters`]) `port` is drawn in.
    pub fn shard_of_port(&self, port: u16) -> Option<usize> {
        let topology = &self.cluster.topology;
        let node = topology.by_port(port)?;
        crate::ui::map::shard_of_node(topology, node)
    }

    /// The shard (see [`crate::ui::map::shard_masters`]) of the owner of `slot`.
    pub fn shard_of_slot(&self, slot: u16) -> Option<usize> {
        let topology = &self.cluster.topology;
        let owner = topology.owner(slot)?;
        crate::ui::map::shard_masters(topology)
            .iter()
            .position(|&m| m == owner)
    }
}

/// A shared, versioned handle on the [`World`]. Clones share the data;
/// equality is "same data, same version".
#[derive(Clone)]
pub struct WorldRef {
    cell: Rc<RefCell<World>>,
    version: u64,
}

impl WorldRef {
    /// Wraps a world.
    pub fn new(world: World) -> WorldRef {
        WorldRef {
            cell: Rc::new(RefCell::new(world)),
            version: 0,
        }
    }

    /// Reads the world. Never held across a mutation (renders only read).
    pub fn borrow(&self) -> Ref<'_, World> {
        self.cell.borrow()
    }

    /// Bumped on every mutation.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Mutates the world and bumps the version; `None` if it is being read
    /// (cannot happen from a reducer, but never panic on it).
    pub fn mutate<R>(&mut self, f: impl FnOnce(&mut World) -> R) -> Option<R> {
        let mut world = self.cell.try_borrow_mut().ok()?;
        self.version += 1;
        Some(f(&mut world))
    }
}

impl PartialEq for WorldRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cell, &other.cell) && self.version == other.version
    }
}

impl std::fmt::Debug for WorldRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WorldRef(v{})", self.version)
    }
}

/// One request a client sent, as the UI draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRecord {
    /// The connection it went over.
    pub conn: ConnId,
    /// The node that connection talks to.
    pub port: u16,
    /// The request.
    pub argv: Vec<Vec<u8>>,
    /// The node's reply.
    pub reply: Reply,
    /// What the engine reported while handling it.
    pub events: Vec<Event>,
    /// The connection was inside MULTI before / after the request.
    pub multi_before: bool,
    pub multi_after: bool,
}

/// A transport over the embedded cluster that records every request.
pub struct Recorder<'a> {
    pub cluster: &'a mut Cluster,
    pub now_ms: u64,
    /// Every request, in order.
    pub sends: Vec<SendRecord>,
    /// Connections opened, in order.
    pub opened: Vec<ConnId>,
}

impl<'a> Recorder<'a> {
    /// Records requests to `cluster` at time `now_ms`.
    pub fn new(cluster: &'a mut Cluster, now_ms: u64) -> Recorder<'a> {
        Recorder {
            cluster,
            now_ms,
            sends: Vec::new(),
            opened: Vec::new(),
        }
    }
}

impl Transport for Recorder<'_> {
    type Conn = ConnId;

    fn connect(&mut self, port: u16) -> Result<ConnId, String> {
        let conn = self.cluster.connect(port).map_err(|e| e.to_string())?;
        self.opened.push(conn);
        Ok(conn)
    }

    fn send(&mut self, conn: &mut ConnId, argv: &[Vec<u8>]) -> Result<Reply, String> {
        let in_multi =
            |cluster: &Cluster| cluster.connection(*conn).is_some_and(|c| c.multi.is_some());
        let multi_before = in_multi(self.cluster);
        let port = self.cluster.port_of(*conn).unwrap_or_default();
        // A connection its stopped node closed fails like a real socket
        // (the session prints redis-cli's message).
        let outcome = self
            .cluster
            .send(*conn, argv, self.now_ms)
            .map_err(|e| e.to_string())?;
        let multi_after = in_multi(self.cluster);
        self.sends.push(SendRecord {
            conn: *conn,
            port,
            argv: argv.to_vec(),
            reply: outcome.reply.clone(),
            events: outcome.events,
            multi_before,
            multi_after,
        });
        Ok(outcome.reply)
    }

    fn disconnect(&mut self, conn: ConnId) {
        self.cluster.disconnect(conn);
    }
}
