//! A cluster-aware client, modelled on go-redis' `ClusterClient` and
//! JedisCluster. This is CLIENT-side behaviour, not the server's: Redis
//! itself only ever answers MOVED/ASK/CROSSSLOT; a smart client avoids
//! most of those by knowing the layout.
//!
//! What it does:
//! - on first use it asks its seed node for `CLUSTER SLOTS` and keeps a
//!   slot → master map;
//! - it computes each command's slot itself (first key, CRC16 like the
//!   server) and sends the command straight to the owner, over one
//!   connection per node;
//! - on MOVED it reloads the map (`CLUSTER SLOTS` from the node named in
//!   the redirect) and retries there; on ASK it sends `ASKING` and retries
//!   once on the target without touching the map; at most
//!   [`MAX_REDIRECTS`] redirects (go-redis' default `MaxRedirects`);
//! - an `MGET` whose keys span several slots is split into one `MGET` per
//!   slot, each sent to its owner, and the values are put back in the
//!   order of the keys (as Lettuce's cluster API does). Writes such as
//!   `MSET` are not split — a split write would no longer be atomic — so
//!   the server answers CROSSSLOT;
//! - transactions: `WATCH` goes to the owner of its keys and a later
//!   `MULTI` to that same node (go-redis' `Watch`). A `MULTI` without a
//!   `WATCH` is held by the client and sent, just before the next command,
//!   to the node that command needs (go-redis' `TxPipeline` picks the node
//!   from the commands' slot). Inside a transaction everything goes over
//!   that one connection and redirects are not followed: a transaction
//!   lives on one node.
//!
//! Keyless commands go to the seed node. Decisions are returned as data
//! ([`Decision`]) so the UI can label them as the client's.

use std::collections::BTreeMap;

use crate::engine::cli::{parse_redirect, ParsedLine, Transport};
use crate::engine::command;
use crate::engine::reply::Reply;
use crate::engine::slot::{key_slot, SLOT_COUNT};

/// Redirects followed for one command (go-redis' default `MaxRedirects`).
pub const MAX_REDIRECTS: usize = 3;

/// The client's transaction state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxState {
    /// Not in a transaction.
    Idle,
    /// `MULTI` was typed but not sent yet: the next command picks the node.
    Held,
    /// `MULTI` was sent on the connection to `port`.
    Open { port: u16 },
}

/// Something the client decided (client-side, not the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Loaded the slot map with `CLUSTER SLOTS` from `from`.
    LoadedSlotMap { from: u16, ranges: usize },
    /// `CLUSTER SLOTS` failed; the old map (if any) is kept.
    SlotMapFailed { from: u16, error: String },
    /// The command's slot is owned by `port` according to the client's map.
    ToOwner { slot: u16, port: u16 },
    /// The slot has no owner in the map: sent to the seed node.
    UnknownSlot { slot: u16, port: u16 },
    /// A command without keys: sent to the seed node.
    ToSeed { port: u16 },
    /// Sent to the node the keys were WATCHed on.
    ToWatchNode { port: u16 },
    /// Inside a transaction: sent over the transaction's connection.
    InTransaction { port: u16 },
    /// `MULTI` held until the next command picks the node.
    HeldMulti,
    /// The held `MULTI` was sent to `port` (its reply).
    SentHeldMulti { port: u16, reply: Reply },
    /// `DISCARD` of a held `MULTI`: nothing had been sent.
    DroppedHeldMulti,
    /// MOVED: the map was reloaded and the command re-sent to `to`.
    FollowedMoved { slot: u16, to: u16 },
    /// ASK: `ASKING` then the command were sent to `to` (map unchanged).
    FollowedAsk { slot: u16, to: u16 },
    /// Gave up after [`MAX_REDIRECTS`] redirects.
    TooManyRedirects,
    /// A cross-slot `MGET` split into one `MGET` per slot: (slot, port, keys).
    Split { parts: Vec<(u16, u16, usize)> },
    /// A multi-key command across slots that the client does not split.
    NotSplit { slots: usize },
}

/// One typed command's round trip as the cluster-aware client performs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterExchange {
    /// The command typed.
    pub argv: Vec<Vec<u8>>,
    /// What the client decided, in order.
    pub decisions: Vec<Decision>,
    /// The reply handed to the application; `None` when the client answered
    /// nothing because it sent nothing (a held `MULTI`).
    pub reply: Option<Reply>,
    /// Port of the node whose reply this is.
    pub served_by: Option<u16>,
}

/// What one typed line produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterLineResult {
    /// Nothing to send.
    Empty,
    /// A message printed instead of sending (`Invalid argument(s)` ...).
    Message(String),
    /// One exchange per repetition.
    Exchanges(Vec<ClusterExchange>),
}

/// A cluster-aware client with its slot map and one connection per node.
#[derive(Debug, Clone)]
pub struct ClusterClient<C> {
    /// The node it was started with: source of the first slot map and
    /// destination of keyless commands.
    pub seed: u16,
    /// slot → master port; empty until loaded.
    slots: Vec<Option<u16>>,
    conns: BTreeMap<u16, C>,
    tx: TxState,
    /// The node a successful WATCH was sent to (until EXEC/DISCARD/UNWATCH).
    watch_port: Option<u16>,
}

impl<C> ClusterClient<C> {
    /// A client seeded with the node on `seed`; nothing is sent yet.
    pub fn new(seed: u16) -> Self {
        ClusterClient {
            seed,
            slots: Vec::new(),
            conns: BTreeMap::new(),
            tx: TxState::Idle,
            watch_port: None,
        }
    }

    /// The transaction state.
    pub fn tx(&self) -> TxState {
        self.tx
    }

    /// The node WATCHed keys live on, while a WATCH is in effect.
    pub fn watch_port(&self) -> Option<u16> {
        self.watch_port
    }

    /// True once a slot map has been loaded.
    pub fn has_slot_map(&self) -> bool {
        !self.slots.is_empty()
    }

    /// The owner of `slot` according to the client's map.
    pub fn owner_in_map(&self, slot: u16) -> Option<u16> {
        self.slots.get(usize::from(slot)).copied().flatten()
    }

    /// The open connections, by port.
    pub fn connections(&self) -> impl Iterator<Item = (u16, &C)> {
        self.conns.iter().map(|(p, c)| (*p, c))
    }

    /// A prompt for the console: `cluster> `, `cluster(TX)> ` in a transaction.
    pub fn prompt(&self) -> String {
        match self.tx {
            TxState::Idle => "cluster> ".to_string(),
            _ => "cluster(TX)> ".to_string(),
        }
    }

    /// Closes every connection (the map is kept).
    pub fn close<T: Transport<Conn = C>>(&mut self, transport: &mut T) {
        for (_, conn) in std::mem::take(&mut self.conns) {
            transport.disconnect(conn);
        }
        self.tx = TxState::Idle;
        self.watch_port = None;
    }

    /// Handles one typed line (redis-cli's splitting and repeat prefix).
    pub fn run_line<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        line: &str,
    ) -> ClusterLineResult {
        let (repeat, argv) = match crate::engine::cli::parse_line(line) {
            ParsedLine::Empty => return ClusterLineResult::Empty,
            ParsedLine::Message(text) => return ClusterLineResult::Message(text),
            ParsedLine::Command { repeat, argv } => (repeat, argv),
        };
        let mut exchanges = Vec::new();
        for _ in 0..repeat {
            match self.send(transport, &argv) {
                Ok(exchange) => exchanges.push(exchange),
                Err(message) => return ClusterLineResult::Message(message),
            }
        }
        ClusterLineResult::Exchanges(exchanges)
    }

    fn conn<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        port: u16,
    ) -> Result<&mut C, String> {
        let conn = match self.conns.entry(port) {
            std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(transport.connect(port)?)
            }
        };
        Ok(conn)
    }

    /// Sends `argv` once on the connection to `port` (no redirects).
    fn send_once<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        port: u16,
        argv: &[Vec<u8>],
    ) -> Result<Reply, String> {
        let conn = self.conn(transport, port)?;
        transport.send(conn, argv)
    }

    /// Loads the slot map with `CLUSTER SLOTS` from `from`.
    fn load_slots<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        from: u16,
        decisions: &mut Vec<Decision>,
    ) -> Result<(), String> {
        let argv = [b"CLUSTER".to_vec(), b"SLOTS".to_vec()];
        let reply = self.send_once(transport, from, &argv)?;
        match parse_cluster_slots(&reply) {
            Some((map, ranges)) => {
                self.slots = map;
                decisions.push(Decision::LoadedSlotMap { from, ranges });
            }
            None => decisions.push(Decision::SlotMapFailed {
                from,
                error: match &reply {
                    Reply::Error(e) => e.clone(),
                    _ => "unexpected reply".to_string(),
                },
            }),
        }
        Ok(())
    }

    /// Sends `argv` to `port`, following MOVED (with a map reload) and ASK.
    fn send_routed<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        mut port: u16,
        argv: &[Vec<u8>],
        decisions: &mut Vec<Decision>,
    ) -> Result<(Reply, u16), String> {
        let mut asking = false;
        let mut redirects = 0;
        loop {
            if asking {
                self.send_once(transport, port, &[b"ASKING".to_vec()])?;
            }
            let reply = self.send_once(transport, port, argv)?;
            let redirect = match &reply {
                Reply::Error(text) => {
                    parse_redirect(text).map(|(slot, _, to)| (slot, to, text.starts_with("ASK ")))
                }
                _ => None,
            };
            let Some((slot, to, ask)) = redirect else {
                return Ok((reply, port));
            };
            if redirects >= MAX_REDIRECTS {
                decisions.push(Decision::TooManyRedirects);
                return Ok((reply, port));
            }
            redirects += 1;
            if ask {
                decisions.push(Decision::FollowedAsk { slot, to });
                asking = true;
            } else {
                self.load_slots(transport, to, decisions)?;
                decisions.push(Decision::FollowedMoved { slot, to });
                asking = false;
            }
            port = to;
        }
    }

    /// The node a command goes to outside a transaction, and why.
    fn target(&self, argv: &[Vec<u8>]) -> (u16, Decision, Vec<u16>) {
        let keys: Vec<&[u8]> = match command::lookup(argv) {
            Ok(spec) => spec.keys(argv),
            Err(_) => Vec::new(),
        };
        let Some(first) = keys.first() else {
            return (self.seed, Decision::ToSeed { port: self.seed }, Vec::new());
        };
        let slot = key_slot(first);
        let mut slots: Vec<u16> = Vec::new();
        for key in &keys {
            let s = key_slot(key);
            if !slots.contains(&s) {
                slots.push(s);
            }
        }
        match self.owner_in_map(slot) {
            Some(port) => (port, Decision::ToOwner { slot, port }, slots),
            None => (
                self.seed,
                Decision::UnknownSlot {
                    slot,
                    port: self.seed,
                },
                slots,
            ),
        }
    }

    /// Sends one command the way the cluster-aware client does.
    pub fn send<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        argv: &[Vec<u8>],
    ) -> Result<ClusterExchange, String> {
        let mut decisions = Vec::new();
        let name = argv
            .first()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let lone = argv.len() == 1;

        // Inside a transaction: one connection, no redirects.
        if let TxState::Open { port } = self.tx {
            decisions.push(Decision::InTransaction { port });
            let reply = self.send_once(transport, port, argv)?;
            self.after_reply(&name, lone, port, &reply);
            return Ok(exchange(argv, decisions, Some(reply), Some(port)));
        }

        if self.tx == TxState::Held && name == b"discard" && lone {
            self.tx = TxState::Idle;
            decisions.push(Decision::DroppedHeldMulti);
            return Ok(exchange(argv, decisions, None, None));
        }

        if !self.has_slot_map() {
            self.load_slots(transport, self.seed, &mut decisions)?;
        }

        if self.tx == TxState::Idle && name == b"multi" && lone {
            match self.watch_port {
                Some(port) => {
                    decisions.push(Decision::ToWatchNode { port });
                    let reply = self.send_once(transport, port, argv)?;
                    self.after_reply(&name, lone, port, &reply);
                    return Ok(exchange(argv, decisions, Some(reply), Some(port)));
                }
                None => {
                    self.tx = TxState::Held;
                    decisions.push(Decision::HeldMulti);
                    return Ok(exchange(argv, decisions, None, None));
                }
            }
        }

        let (port, why, slots) = match (&self.watch_port, name.as_slice()) {
            (Some(port), b"unwatch") => (*port, Decision::ToWatchNode { port: *port }, Vec::new()),
            _ => self.target(argv),
        };
        decisions.push(why);

        if self.tx == TxState::Held {
            let multi = [b"MULTI".to_vec()];
            let reply = self.send_once(transport, port, &multi)?;
            let opened = !reply.is_error();
            decisions.push(Decision::SentHeldMulti { port, reply });
            if opened {
                self.tx = TxState::Open { port };
            } else {
                self.tx = TxState::Idle;
            }
            let reply = self.send_once(transport, port, argv)?;
            self.after_reply(&name, lone, port, &reply);
            return Ok(exchange(argv, decisions, Some(reply), Some(port)));
        }

        if slots.len() > 1 {
            if name == b"mget" {
                return self.split_mget(transport, argv, decisions);
            }
            decisions.push(Decision::NotSplit { slots: slots.len() });
        }

        let (reply, port) = self.send_routed(transport, port, argv, &mut decisions)?;
        self.after_reply(&name, lone, port, &reply);
        Ok(exchange(argv, decisions, Some(reply), Some(port)))
    }

    /// One `MGET` per slot, each to its owner; values back in key order.
    fn split_mget<T: Transport<Conn = C>>(
        &mut self,
        transport: &mut T,
        argv: &[Vec<u8>],
        mut decisions: Vec<Decision>,
    ) -> Result<ClusterExchange, String> {
        // The ToOwner decision for the first key is replaced by the split.
        decisions.retain(|d| !matches!(d, Decision::ToOwner { .. } | Decision::UnknownSlot { .. }));
        let keys = argv.get(1..).unwrap_or_default();
        // slot → indexes of its keys, in order of first appearance.
        let mut groups: Vec<(u16, Vec<usize>)> = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let slot = key_slot(key);
            match groups.iter_mut().find(|(s, _)| *s == slot) {
                Some((_, idx)) => idx.push(i),
                None => groups.push((slot, vec![i])),
            }
        }
        let parts = groups
            .iter()
            .map(|(slot, idx)| {
                (
                    *slot,
                    self.owner_in_map(*slot).unwrap_or(self.seed),
                    idx.len(),
                )
            })
            .collect();
        decisions.push(Decision::Split { parts });
        let mut values: Vec<Reply> = vec![Reply::NilBulk; keys.len()];
        let mut last_port = None;
        for (slot, idx) in groups {
            let port = self.owner_in_map(slot).unwrap_or(self.seed);
            let mut part = vec![argv[0].clone()];
            part.extend(idx.iter().filter_map(|&i| keys.get(i).cloned()));
            let (reply, port) = self.send_routed(transport, port, &part, &mut decisions)?;
            last_port = Some(port);
            match reply {
                Reply::Array(items) if items.len() == idx.len() => {
                    for (i, item) in idx.into_iter().zip(items) {
                        if let Some(v) = values.get_mut(i) {
                            *v = item;
                        }
                    }
                }
                other => return Ok(exchange(argv, decisions, Some(other), Some(port))),
            }
        }
        Ok(exchange(
            argv,
            decisions,
            Some(Reply::Array(values)),
            last_port,
        ))
    }

    /// Transaction and WATCH bookkeeping after the final reply.
    fn after_reply(&mut self, name: &[u8], lone: bool, port: u16, reply: &Reply) {
        match name {
            b"multi" if lone && !reply.is_error() => self.tx = TxState::Open { port },
            b"exec" | b"discard" if lone && !(name == b"discard" && reply.is_error()) => {
                self.tx = TxState::Idle;
                self.watch_port = None;
            }
            b"watch" if !reply.is_error() && self.tx == TxState::Idle => {
                self.watch_port = Some(port)
            }
            b"unwatch" if lone && !reply.is_error() => self.watch_port = None,
            _ => {}
        }
    }
}

fn exchange(
    argv: &[Vec<u8>],
    decisions: Vec<Decision>,
    reply: Option<Reply>,
    served_by: Option<u16>,
) -> ClusterExchange {
    ClusterExchange {
        argv: argv.to_vec(),
        decisions,
        reply,
        served_by,
    }
}

/// Reads a `CLUSTER SLOTS` reply into a slot → master port table and the
/// number of ranges; `None` if the reply is not shaped like one.
pub fn parse_cluster_slots(reply: &Reply) -> Option<(Vec<Option<u16>>, usize)> {
    let Reply::Array(ranges) = reply else {
        return None;
    };
    let mut map = vec![None; usize::from(SLOT_COUNT)];
    for range in ranges {
        let Reply::Array(fields) = range else {
            return None;
        };
        let (Some(Reply::Integer(start)), Some(Reply::Integer(end)), Some(Reply::Array(master))) =
            (fields.first(), fields.get(1), fields.get(2))
        else {
            return None;
        };
        let Some(Reply::Integer(port)) = master.get(1) else {
            return None;
        };
        let port = u16::try_from(*port).ok()?;
        let (start, end) = (usize::try_from(*start).ok()?, usize::try_from(*end).ok()?);
        for slot in map.get_mut(start..=end)? {
            *slot = Some(port);
        }
    }
    Some((map, ranges.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cli::EngineTransport;
    use crate::engine::event::Event;
    use crate::engine::Cluster;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    fn run(
        cluster: &mut Cluster,
        client: &mut ClusterClient<u64>,
        words: &[&str],
    ) -> (ClusterExchange, Vec<Event>) {
        let mut t = EngineTransport::new(cluster, 0);
        let ex = client.send(&mut t, &argv(words)).expect("sent");
        (ex, t.events)
    }

    fn rejected(events: &[Event]) -> usize {
        events
            .iter()
            .filter(|e| matches!(e, Event::Rejected { .. }))
            .count()
    }

    #[test]
    fn loads_the_map_then_goes_straight_to_the_owner() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        let (ex, events) = run(&mut cluster, &mut client, &["SET", "foo", "bar"]);
        assert_eq!(ex.reply, Some(Reply::ok()));
        assert_eq!(ex.served_by, Some(7002));
        assert_eq!(
            ex.decisions,
            [
                Decision::LoadedSlotMap {
                    from: 7000,
                    ranges: 3
                },
                Decision::ToOwner {
                    slot: 12182,
                    port: 7002
                },
            ]
        );
        assert_eq!(rejected(&events), 0, "no MOVED: {events:?}");
        assert_eq!(client.owner_in_map(0), Some(7000));
        assert_eq!(client.owner_in_map(16383), Some(7002));
        // Keyless commands go to the seed.
        let (ex, _) = run(&mut cluster, &mut client, &["PING"]);
        assert_eq!(ex.decisions, [Decision::ToSeed { port: 7000 }]);
        assert_eq!(ex.reply, Some(Reply::Status("PONG".into())));
    }

    #[test]
    fn splits_a_cross_slot_mget_and_keeps_key_order() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        run(&mut cluster, &mut client, &["SET", "foo", "1"]);
        run(&mut cluster, &mut client, &["SET", "user:1", "2"]);
        let (ex, events) = run(
            &mut cluster,
            &mut client,
            &["MGET", "foo", "bar", "user:1", "foo"],
        );
        assert_eq!(
            ex.reply,
            Some(Reply::Array(vec![
                Reply::bulk("1"),
                Reply::NilBulk,
                Reply::bulk("2"),
                Reply::bulk("1"),
            ]))
        );
        let Some(Decision::Split { parts }) = ex.decisions.last() else {
            panic!("{:?}", ex.decisions);
        };
        assert_eq!(
            parts,
            &[(12182, 7002, 2), (5061, 7000, 1), (10778, 7001, 1)]
        );
        assert_eq!(rejected(&events), 0);
    }

    #[test]
    fn does_not_split_writes() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        let (ex, _) = run(
            &mut cluster,
            &mut client,
            &["MSET", "user:1", "a", "user:2", "b"],
        );
        assert_eq!(
            ex.reply,
            Some(Reply::Error(
                "CROSSSLOT Keys in request don't hash to the same slot".into()
            ))
        );
        assert!(ex.decisions.contains(&Decision::NotSplit { slots: 2 }));
    }

    #[test]
    fn a_stale_map_is_reloaded_on_moved() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        run(&mut cluster, &mut client, &["PING"]);
        // The layout changes behind the client's back: slot 12182 moves to 7001.
        cluster.topology.set_owner(12182, Some(1));
        let (ex, events) = run(&mut cluster, &mut client, &["GET", "foo"]);
        assert_eq!(ex.reply, Some(Reply::NilBulk));
        assert_eq!(ex.served_by, Some(7001));
        assert_eq!(
            ex.decisions,
            [
                Decision::ToOwner {
                    slot: 12182,
                    port: 7002
                },
                Decision::LoadedSlotMap {
                    from: 7001,
                    ranges: 5
                },
                Decision::FollowedMoved {
                    slot: 12182,
                    to: 7001
                },
            ]
        );
        assert_eq!(rejected(&events), 1);
        assert_eq!(client.owner_in_map(12182), Some(7001));
        // Next time it goes straight there.
        let (ex, events) = run(&mut cluster, &mut client, &["GET", "foo"]);
        assert_eq!(ex.served_by, Some(7001));
        assert_eq!(rejected(&events), 0);
    }

    #[test]
    fn ask_is_followed_with_asking_and_leaves_the_map_alone() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        run(&mut cluster, &mut client, &["PING"]);
        // 7002 migrates slot 12182 (foo) to 7001; foo is not on 7002.
        cluster.topology.nodes[2].migrating.insert(12182, 1);
        cluster.topology.nodes[1].importing.insert(12182, 2);
        let (ex, events) = run(&mut cluster, &mut client, &["GET", "foo"]);
        assert_eq!(ex.reply, Some(Reply::NilBulk));
        assert_eq!(ex.served_by, Some(7001));
        assert_eq!(
            ex.decisions,
            [
                Decision::ToOwner {
                    slot: 12182,
                    port: 7002
                },
                Decision::FollowedAsk {
                    slot: 12182,
                    to: 7001
                },
            ]
        );
        assert!(events.iter().any(|e| matches!(
            e,
            Event::Rejected {
                redirect_to: Some(7001),
                ..
            }
        )));
        assert_eq!(
            client.owner_in_map(12182),
            Some(7002),
            "ASK does not change the map"
        );
    }

    #[test]
    fn a_held_multi_goes_to_the_node_of_the_first_command() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        let (ex, _) = run(&mut cluster, &mut client, &["MULTI"]);
        assert_eq!(ex.reply, None);
        assert!(ex.decisions.contains(&Decision::HeldMulti));
        assert_eq!(client.tx(), TxState::Held);
        assert_eq!(client.prompt(), "cluster(TX)> ");
        let (ex, _) = run(&mut cluster, &mut client, &["SET", "foo", "1"]);
        assert_eq!(ex.reply, Some(Reply::Status("QUEUED".into())));
        assert!(ex.decisions.contains(&Decision::SentHeldMulti {
            port: 7002,
            reply: Reply::ok()
        }));
        assert_eq!(client.tx(), TxState::Open { port: 7002 });
        // A key of another node inside the transaction: MOVED, not followed.
        let (ex, _) = run(&mut cluster, &mut client, &["SET", "user:1", "1"]);
        assert_eq!(
            ex.reply,
            Some(Reply::Error("MOVED 10778 127.0.0.1:7001".into()))
        );
        let (ex, _) = run(&mut cluster, &mut client, &["EXEC"]);
        assert_eq!(
            ex.reply,
            Some(Reply::Error(
                "EXECABORT Transaction discarded because of previous errors.".into()
            ))
        );
        assert_eq!(client.tx(), TxState::Idle);
        // DISCARD of a held MULTI sends nothing.
        run(&mut cluster, &mut client, &["MULTI"]);
        let (ex, events) = run(&mut cluster, &mut client, &["DISCARD"]);
        assert_eq!(ex.reply, None);
        assert!(events.is_empty());
        assert_eq!(client.tx(), TxState::Idle);
    }

    #[test]
    fn watch_pins_the_transaction_to_the_keys_node() {
        let mut cluster = Cluster::default();
        let mut client = ClusterClient::new(7000);
        let mut other = ClusterClient::new(7000);
        run(&mut cluster, &mut client, &["WATCH", "foo"]);
        assert_eq!(client.watch_port(), Some(7002));
        let (ex, _) = run(&mut cluster, &mut client, &["MULTI"]);
        assert_eq!(ex.decisions, [Decision::ToWatchNode { port: 7002 }]);
        assert_eq!(ex.reply, Some(Reply::ok()));
        run(&mut cluster, &mut client, &["INCR", "foo"]);
        run(&mut cluster, &mut other, &["SET", "foo", "9"]);
        let (ex, _) = run(&mut cluster, &mut client, &["EXEC"]);
        assert_eq!(ex.reply, Some(Reply::NilArray));
        assert_eq!(client.watch_port(), None);
    }

    #[test]
    fn parses_cluster_slots() {
        let reply = Reply::Array(vec![Reply::Array(vec![
            Reply::Integer(0),
            Reply::Integer(2),
            Reply::Array(vec![Reply::bulk("127.0.0.1"), Reply::Integer(7001)]),
        ])]);
        let (map, ranges) = parse_cluster_slots(&reply).expect("parsed");
        assert_eq!(ranges, 1);
        assert_eq!(&map[..4], &[Some(7001), Some(7001), Some(7001), None]);
        assert_eq!(parse_cluster_slots(&Reply::Error("ERR".into())), None);
        let bad = Reply::Array(vec![Reply::Array(vec![
            Reply::Integer(0),
            Reply::Integer(99999),
            Reply::Array(vec![Reply::bulk("h"), Reply::Integer(1)]),
        ])]);
        assert_eq!(parse_cluster_slots(&bad), None);
    }
}
