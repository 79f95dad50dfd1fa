//! Bulk loading: [`Cluster::load_strings`] runs many `SET key value`
//! commands without parsing, routing and dispatching each one, for sample
//! data (100k or 1M keys) that must load in well under a second.
//!
//! The result is exactly the state the same SETs sent one by one with
//! [`Cluster::execute`] leave: each key lands in its owner's keyspace
//! (replicas serve their master's), in the same slot-list position,
//! overwrites keep their place and lose their TTL, watchers of a written
//! key are marked dirty, and the random-number stream advances once per
//! command as `execute` advances it. A SET that the fast path cannot
//! prove to be served plainly (the connection is inside MULTI or ASKING,
//! the key's slot belongs to another node, is migrating with the key
//! absent, the node is down or sees `cluster_state:fail` ...) is sent
//! through [`Cluster::execute`] instead, so its reply and events are the
//! real ones. Served SETs are summed up in one [`Event::KeysLoaded`] per
//! node instead of a `Served` and a `KeyModified` each.

use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::event::Event;
use crate::engine::slot::key_slot;
use crate::engine::value::Value;

/// What [`Cluster::load_strings`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// SETs not answered an error (`OK`; `QUEUED` inside MULTI).
    pub loaded: usize,
    /// SETs answered an error (sent through `execute`: MOVED, CLUSTERDOWN …).
    pub errors: usize,
    /// What happened: the clock's and expiry's events, those of SETs sent
    /// through `execute`, then one [`Event::KeysLoaded`] per node that
    /// stored keys on the fast path.
    pub events: Vec<Event>,
}

impl Cluster {
    /// Runs `SET key value` for each `(connection, key, value)`, in order,
    /// at `now_ms`: the same state as sending each with
    /// [`Cluster::execute`], at a fraction of the cost (see the module doc).
    pub fn load_strings<I>(&mut self, items: I, now_ms: u64) -> LoadReport
    where
        I: IntoIterator<Item = (ConnId, Vec<u8>, Vec<u8>)>,
    {
        let mut report = LoadReport::default();
        let items: Vec<(ConnId, Vec<u8>, Vec<u8>)> = items.into_iter().collect();
        if items.is_empty() {
            return report;
        }
        // What `execute` does before every command; with one clock for the
        // whole load, only the first of the SETs would find work to do.
        report.events = self.tick(now_ms);
        self.refresh_states(&mut report.events);
        self.expire_all(now_ms, &mut report.events);
        let any_watch = self.conns.values().any(|c| !c.watched.is_empty());
        // Each connection's node if a SET from it can be served plainly,
        // decided once: a SET never changes what this depends on (MULTI,
        // ASKING and READONLY flags, roles, health, the cluster state),
        // and a connection found wanting only ever takes the slow path.
        let mut senders: Vec<(ConnId, Option<usize>)> = Vec::new();
        // Room for the new keys up front: growing a table of a million
        // entries step by step costs more than filling it.
        let mut room: Vec<usize> = vec![0; self.shards.len()];
        for (conn, _, _) in &items {
            let node = match senders.iter().find(|(c, _)| c == conn) {
                Some((_, node)) => *node,
                None => {
                    let node = self.plain_sender(*conn);
                    senders.push((*conn, node));
                    node
                }
            };
            if let Some(n) = node.and_then(|n| room.get_mut(n)) {
                *n += 1;
            }
        }
        for (shard, n) in room.into_iter().enumerate() {
            if n > 0 {
                if let Some(keyspace) = self.shards.get_mut(shard) {
                    keyspace.reserve(n);
                }
            }
        }
        // Keys stored per node, in the order nodes first stored one.
        let mut per_node: Vec<(usize, usize)> = Vec::new();
        let mut fast = 0u64;
        for (conn, key, value) in items {
            let slot = key_slot(&key);
            let plain = senders
                .iter()
                .find(|(c, _)| *c == conn)
                .and_then(|(_, node)| *node)
                .filter(|&node| self.plain_slot(node, slot, &key));
            let Some(node) = plain else {
                let argv = [b"SET".to_vec(), key, value];
                let outcome = self.execute(conn, &argv, now_ms);
                if outcome.reply.is_error() {
                    report.errors += 1;
                } else {
                    report.loaded += 1;
                }
                report.events.extend(outcome.events);
                continue;
            };
            // `call` draws one random number per command.
            fast += 1;
            if any_watch {
                self.touch_watchers(Some(conn), node, &key, &mut report.events);
            }
            self.shards[node].insert_owned_in(slot, key, Value::string(value), None);
            report.loaded += 1;
            match per_node.iter_mut().find(|(n, _)| *n == node) {
                Some((_, count)) => *count += 1,
                None => per_node.push((node, 1)),
            }
        }
        self.skip_randoms(fast);
        for (node, count) in per_node {
            report.events.push(Event::KeysLoaded {
                port: self.topology.nodes[node].port,
                count,
            });
        }
        report
    }

    /// The master `conn` talks to when a SET from it can be served with no
    /// redirect, rejection or transaction in the way (given a key of that
    /// master's, see [`Cluster::plain_slot`]), or `None` when only
    /// [`Cluster::execute`] can tell what happens.
    fn plain_sender(&self, conn: ConnId) -> Option<usize> {
        let c = self.conns.get(&conn)?;
        if c.multi.is_some() || c.asking || c.readonly {
            return None;
        }
        let me = c.node;
        let node = self.topology.nodes.get(me)?;
        if !node.is_master() || !node.health.running() || !self.is_ok(me) {
            return None;
        }
        Some(me)
    }

    /// True when master `me` serves `SET key …` for `key` in `slot` itself:
    /// it owns the slot, which is not importing, nor migrating with the
    /// key absent.
    fn plain_slot(&self, me: usize, slot: u16, key: &[u8]) -> bool {
        let Some(node) = self.topology.nodes.get(me) else {
            return false;
        };
        let owned = self.topology.owner(slot) == Some(me);
        let absent = || !self.shards.get(me).is_some_and(|ks| ks.contains(key));
        let migrating_away = node.migrating.contains_key(&slot) && absent();
        owned && !node.importing.contains_key(&slot) && !migrating_away
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reply::Reply;
    use crate::engine::topology::Topology;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// The connection to the master owning `key`'s slot.
    fn owner_conn(c: &Cluster, conns: &[(u16, ConnId)], key: &[u8]) -> ConnId {
        let port = c
            .topology
            .owner(key_slot(key))
            .map(|n| c.topology.nodes[n].port);
        conns
            .iter()
            .find(|(p, _)| Some(*p) == port)
            .or(conns.first())
            .map(|(_, id)| *id)
            .unwrap_or_default()
    }

    fn connect_masters(c: &mut Cluster) -> Vec<(u16, ConnId)> {
        [7000u16, 7001, 7002]
            .iter()
            .filter_map(|&p| c.connect(p).ok().map(|id| (p, id)))
            .collect()
    }

    /// Everything a client can see of the data, on every node.
    fn observe(c: &mut Cluster, keys: &[Vec<u8>]) -> Vec<String> {
        let mut out = Vec::new();
        for port in [7000u16, 7001, 7002, 7003, 7004, 7005] {
            let Ok(conn) = c.connect(port) else { continue };
            let mut ask = |a: Vec<Vec<u8>>| {
                let reply = c.execute(conn, &a, 5);
                out.push(format!("{port} {:?}", reply.reply));
            };
            ask(argv(&["READONLY"]));
            ask(argv(&["DBSIZE"]));
            ask(argv(&["KEYS", "*"]));
            for slot in [0u16, 5460, 5461, 10922, 10923, 16383] {
                let s = slot.to_string();
                ask(argv(&["CLUSTER", "COUNTKEYSINSLOT", &s]));
                ask(argv(&["CLUSTER", "GETKEYSINSLOT", &s, "1000"]));
            }
            for key in keys.iter().take(400) {
                let slot = key_slot(key).to_string();
                ask(argv(&["CLUSTER", "GETKEYSINSLOT", &slot, "1000"]));
                let mut a = argv(&["OBJECT", "ENCODING"]);
                a.push(key.clone());
                ask(a);
                let mut a = argv(&["PTTL"]);
                a.push(key.clone());
                ask(a);
                let mut a = argv(&["GET"]);
                a.push(key.clone());
                ask(a);
            }
            c.disconnect(conn);
        }
        out
    }

    /// Keys and values to load: overwrites, hash tags, integers, long
    /// strings, a key that already has a TTL and one of another type.
    fn items(n: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
        (0..n)
            .map(|i| {
                let key = match i % 5 {
                    0 => format!("user:{}", i % 1700),
                    1 => format!("{{tag{}}}:{i}", i % 7),
                    2 => format!("k{i}"),
                    3 => "ttl-key".to_string(),
                    _ => format!("obj:{}", i * 31 % 2000),
                };
                let value = match i % 3 {
                    0 => i.to_string(),
                    1 => "x".repeat(i % 60),
                    _ => format!("v{i}"),
                };
                (key.into_bytes(), value.into_bytes())
            })
            .chain([(b"list".to_vec(), b"now a string".to_vec())])
            .collect()
    }

    /// A cluster with some data already (a TTL, a list, a watcher) and the
    /// loader's connections.
    fn prepared() -> (Cluster, Vec<(u16, ConnId)>, ConnId) {
        let mut c = Cluster::new(Topology::default());
        let a = c.connect(7000).unwrap_or_default();
        // Each command on its key's owner.
        for cmd in [
            argv(&["SET", "ttl-key", "1", "EX", "100"]),
            argv(&["RPUSH", "list", "a", "b"]),
            argv(&["SET", "k2", "old"]),
        ] {
            let slot = key_slot(&cmd[1]);
            let owner = c.topology.owner(slot).map(|n| c.topology.nodes[n].port);
            let conn = if owner == Some(7000) {
                a
            } else {
                let p = owner.unwrap_or(7000);
                c.connect(p).unwrap_or_default()
            };
            assert!(!c.execute(conn, &cmd, 1).reply.is_error());
        }
        // A client watches a key the load overwrites.
        let port = c
            .topology
            .owner(key_slot(b"{tag3}:31"))
            .map_or(7000, |n| c.topology.nodes[n].port);
        let b = c.connect(port).unwrap_or_default();
        let watched = argv(&["WATCH", "{tag3}:31"]);
        assert_eq!(c.execute(b, &watched, 1).reply, Reply::ok());
        let conns = connect_masters(&mut c);
        (c, conns, b)
    }

    #[test]
    fn bulk_load_leaves_the_state_the_sets_leave() {
        let data = items(3000);
        let keys: Vec<Vec<u8>> = data.iter().map(|(k, _)| k.clone()).collect();

        let (mut by_set, conns, watcher) = prepared();
        let mut set_errors = 0;
        for (key, value) in &data {
            let conn = owner_conn(&by_set, &conns, key);
            let a = vec![b"SET".to_vec(), key.clone(), value.clone()];
            if by_set.execute(conn, &a, 2).reply.is_error() {
                set_errors += 1;
            }
        }

        let (mut bulk, conns2, watcher2) = prepared();
        assert_eq!(conns, conns2);
        let work: Vec<(ConnId, Vec<u8>, Vec<u8>)> = data
            .iter()
            .map(|(k, v)| (owner_conn(&bulk, &conns2, k), k.clone(), v.clone()))
            .collect();
        let report = bulk.load_strings(work, 2);
        assert_eq!(report.errors, set_errors);
        assert_eq!(report.loaded, data.len() - set_errors);
        let loaded: usize = report
            .events
            .iter()
            .map(|e| match e {
                Event::KeysLoaded { count, .. } => *count,
                _ => 0,
            })
            .sum();
        assert_eq!(loaded, data.len());

        assert_eq!(
            by_set.connection(watcher).map(|c| c.watch_dirty),
            Some(true)
        );
        assert_eq!(bulk.connection(watcher2).map(|c| c.watch_dirty), Some(true));
        // Same random stream afterwards.
        assert_eq!(by_set.next_random(), bulk.next_random());
        assert_eq!(observe(&mut by_set, &keys), observe(&mut bulk, &keys));
    }

    #[test]
    fn sets_the_fast_path_cannot_serve_go_through_execute() {
        let mut c = Cluster::default();
        let conn = c.connect(7000).unwrap_or_default();
        // foo belongs to 7002: MOVED, as a SET would answer.
        let report = c.load_strings([(conn, b"foo".to_vec(), b"1".to_vec())], 1);
        assert_eq!(report.errors, 1);
        assert!(report.events.iter().any(|e| matches!(
            e,
            Event::Rejected {
                redirect_to: Some(7002),
                ..
            }
        )));
        // Inside MULTI the SET is queued, not stored.
        assert_eq!(c.execute(conn, &argv(&["MULTI"]), 1).reply, Reply::ok());
        let report = c.load_strings([(conn, b"bar".to_vec(), b"1".to_vec())], 1);
        assert_eq!((report.loaded, report.errors), (1, 0));
        assert_eq!(c.keyspace_of(0).len(), 0);
        assert_eq!(
            c.execute(conn, &argv(&["EXEC"]), 1).reply,
            Reply::Array(vec![Reply::ok()])
        );
        assert_eq!(c.keyspace_of(0).len(), 1);
    }
}
