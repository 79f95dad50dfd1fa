//! Bringing a real cluster back to the default layout between scenarios,
//! and waiting for it to converge after a layout change (`settle_after`).
//!
//! A scenario may leave migrations open, slots moved or unassigned (on some
//! nodes only: every node keeps its own slot table), or a replica promoted.
//! [`RealCluster::restore_layout`] undoes all of that, robustly:
//! 1. a default master (7000-7002) that is a replica is made master again:
//!    `CLUSTER FAILOVER TAKEOVER` when it replicates a default replica (a
//!    failover to undo; TAKEOVER needs no votes, so it also works within the
//!    `2 * node-timeout` during which masters refuse a second vote), or
//!    `CLUSTER RESET SOFT` + `CLUSTER MEET` when it became a replica because
//!    it gave away all its slots;
//! 2. every master is flushed, and every open migration closed (`SETSLOT STABLE`);
//! 3. each default master claims the slots it should own: `ADDSLOTSRANGE`
//!    for slots it sees unassigned, `SETSLOT IMPORTING` then `SETSLOT NODE`
//!    for slots it sees elsewhere (the import makes it bump its config epoch,
//!    so the other nodes accept the claim), and `SETSLOT NODE` on the other
//!    masters;
//! 4. it waits until all six nodes agree; a node that keeps a stale owner
//!    gets the rightful master's claim again through `CLUSTER BUMPEPOCH`.
//!
//! The replica map, data and settings are then restored by
//! [`crate::replay::Backend::reset`].

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::RealCluster;
use crate::engine::cli::Transport;
use crate::engine::reply::Reply;
use crate::engine::topology::{MASTER_PORTS, REPLICA_PORTS};
use crate::replay::Backend;

/// One line of CLUSTER NODES.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NodeLine {
    id: String,
    /// The port as the scenarios name it (7000-7005).
    port: u16,
    myself: bool,
    master: bool,
    /// `fail`, `fail?`, `handshake` or `noaddr`.
    troubled: bool,
    master_id: Option<String>,
    slots: Vec<(u16, u16)>,
    /// Slots with a `[slot->-id]` / `[slot-<-id]` mark.
    marks: Vec<u16>,
}

/// What every node must agree on about one node.
type Shape = (bool, Option<String>, Vec<(u16, u16)>);

/// The default owner of a slot (scenario port).
fn default_owner(slot: u16) -> u16 {
    match slot {
        0..=5460 => 7000,
        5461..=10922 => 7001,
        _ => 7002,
    }
}

fn default_range(port: u16) -> (u16, u16) {
    match port {
        7000 => (0, 5460),
        7001 => (5461, 10922),
        _ => (10923, 16383),
    }
}

fn all_ports() -> impl Iterator<Item = u16> {
    MASTER_PORTS.into_iter().chain(REPLICA_PORTS)
}

fn to_ranges(slots: &[u16]) -> Vec<(u16, u16)> {
    let mut ranges: Vec<(u16, u16)> = Vec::new();
    for &slot in slots {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == slot => *end = slot,
            _ => ranges.push((slot, slot)),
        }
    }
    ranges
}

const PATIENCE: Duration = Duration::from_secs(60);

impl RealCluster {
    /// The real port of a scenario port (7000-7005 are shifted to `base_port`).
    pub(super) fn real_port(&self, port: u16) -> u16 {
        if (7000..=7005).contains(&port) {
            port - 7000 + self.base_port
        } else {
            port
        }
    }

    /// The scenario port of a real port.
    fn scenario_port(&self, port: u16) -> u16 {
        if (self.base_port..=self.base_port + 5).contains(&port) {
            port - self.base_port + 7000
        } else {
            port
        }
    }

    fn parse_nodes(&self, text: &str) -> Vec<NodeLine> {
        text.lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split(' ').collect();
                let addr = fields.get(1)?;
                let port: u16 = addr.split_once(':')?.1.split('@').next()?.parse().ok()?;
                let flags: Vec<&str> = fields.get(2)?.split(',').collect();
                let master_id = fields.get(3).filter(|m| **m != "-").map(|m| m.to_string());
                let (mut slots, mut marks) = (Vec::new(), Vec::new());
                for item in fields.iter().skip(8) {
                    if let Some(mark) = item.strip_prefix('[') {
                        if let Some(slot) = mark.split('-').next().and_then(|s| s.parse().ok()) {
                            marks.push(slot);
                        }
                    } else if let Some((a, b)) = item.split_once('-') {
                        slots.push((a.parse().ok()?, b.parse().ok()?));
                    } else if let Ok(slot) = item.parse::<u16>() {
                        slots.push((slot, slot));
                    }
                }
                Some(NodeLine {
                    id: fields.first()?.to_string(),
                    port: self.scenario_port(port),
                    myself: flags.contains(&"myself"),
                    master: flags.contains(&"master"),
                    troubled: flags
                        .iter()
                        .any(|f| matches!(*f, "fail" | "fail?" | "handshake" | "noaddr")),
                    master_id,
                    slots,
                    marks,
                })
            })
            .collect()
    }

    /// CLUSTER NODES as the node on `port` sees the cluster.
    fn view(&mut self, port: u16) -> Result<Vec<NodeLine>, String> {
        let text = self.text(port, &["CLUSTER", "NODES"])?;
        Ok(self.parse_nodes(&text))
    }

    fn myself(&mut self, port: u16) -> Result<NodeLine, String> {
        self.view(port)?
            .into_iter()
            .find(|n| n.myself)
            .ok_or_else(|| format!("{port}: no myself line in CLUSTER NODES"))
    }

    /// Sends a command, accepting any reply but a transport error.
    fn best_effort(&mut self, port: u16, words: &[&str]) -> Result<Reply, String> {
        let mut conn = self.connect(port)?;
        let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        self.send(&mut conn, &argv)
    }

    fn wait_for(
        &mut self,
        what: &str,
        patience: Duration,
        mut done: impl FnMut(&mut Self) -> Result<bool, String>,
    ) -> Result<bool, String> {
        let start = Instant::now();
        loop {
            if done(self)? {
                return Ok(true);
            }
            if start.elapsed() > patience {
                return Err(format!("timed out waiting for {what}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Back to masters 7000-7002 with their default slots, no migrations,
    /// no data on any master (see the module documentation).
    pub(super) fn restore_layout(&mut self) -> Result<(), String> {
        for port in all_ports() {
            self.best_effort(port, &["PING"])
                .map_err(|e| format!("node {port} is not reachable: {e}"))?;
        }
        let ids: BTreeMap<u16, String> = all_ports()
            .map(|p| self.node_id(p).map(|id| (p, id)))
            .collect::<Result<_, _>>()?;
        let port_of = |id: &str| ids.iter().find(|(_, i)| *i == id).map(|(p, _)| *p);

        // 1. The default masters are masters.
        for master in MASTER_PORTS {
            let me = self.myself(master)?;
            if me.master {
                continue;
            }
            let of = me.master_id.as_deref().and_then(port_of);
            if of.is_some_and(|p| MASTER_PORTS.contains(&p)) {
                // It gave its last slot away and followed the new owner.
                self.expect_ok(master, &["CLUSTER", "RESET", "SOFT"])?;
                let meet = if master == 7000 { 7001 } else { 7000 };
                let meet_port = self.real_port(meet).to_string();
                self.expect_ok(master, &["CLUSTER", "MEET", &self.host.clone(), &meet_port])?;
            } else {
                self.expect_ok(master, &["CLUSTER", "FAILOVER", "TAKEOVER"])?;
            }
            let id = ids[&master].clone();
            self.wait_for(
                &format!("{master} to be a master everywhere"),
                PATIENCE,
                |c| {
                    for port in all_ports() {
                        let view = c.view(port)?;
                        let seen = view.iter().find(|n| n.id == id);
                        if view.len() != 6
                            || view.iter().any(|n| n.troubled)
                            || !seen.is_some_and(|n| n.master)
                        {
                            return Ok(false);
                        }
                    }
                    Ok(true)
                },
            )?;
        }

        // 2. Empty masters, no open migrations.
        for port in all_ports() {
            let me = self.myself(port)?;
            if me.master {
                self.expect_ok(port, &["FLUSHALL"])?;
                for slot in me.marks {
                    self.expect_ok(port, &["CLUSTER", "SETSLOT", &slot.to_string(), "STABLE"])?;
                }
            }
        }

        // 3. Each default master claims its slots until every node agrees.
        let start = Instant::now();
        let mut first = true;
        loop {
            let views: Vec<(u16, Vec<NodeLine>)> = all_ports()
                .map(|p| self.view(p).map(|v| (p, v)))
                .collect::<Result<_, _>>()?;
            let disputed = disputed_masters(&views, &ids);
            if disputed.is_empty() {
                return Ok(());
            }
            if start.elapsed() > PATIENCE {
                return Err(format!(
                    "the layout did not converge: {disputed:?} still disputed"
                ));
            }
            // Give gossip a moment before insisting.
            if first || start.elapsed() > Duration::from_secs(1) {
                for master in disputed {
                    self.claim(master, &views, &ids)?;
                }
                first = false;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Makes `master` claim its default range: slots it sees unassigned
    /// (ADDSLOTSRANGE), slots it sees elsewhere (SETSLOT IMPORTING, then
    /// NODE, which bumps its config epoch), or, when it already claims them
    /// all, CLUSTER BUMPEPOCH so its claim outweighs stale owners; and every
    /// other master that claims one of them gives it up (SETSLOT NODE).
    fn claim(
        &mut self,
        master: u16,
        views: &[(u16, Vec<NodeLine>)],
        ids: &BTreeMap<u16, String>,
    ) -> Result<(), String> {
        let id = ids[&master].clone();
        let (a, b) = default_range(master);
        let owners = |view: &[NodeLine]| {
            let mut owner = vec![None::<u16>; 16384];
            for node in view {
                for &(x, y) in &node.slots {
                    for slot in x..=y {
                        owner[usize::from(slot)] = Some(node.port);
                    }
                }
            }
            owner
        };
        let own = views
            .iter()
            .find(|(p, _)| *p == master)
            .map(|(_, v)| owners(v))
            .unwrap_or_else(|| vec![None; 16384]);
        let unassigned: Vec<u16> = (a..=b).filter(|&s| own[usize::from(s)].is_none()).collect();
        let mut words: Vec<String> = vec!["CLUSTER".into(), "ADDSLOTSRANGE".into()];
        for (start, end) in to_ranges(&unassigned) {
            words.push(start.to_string());
            words.push(end.to_string());
        }
        if words.len() > 2 {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            self.expect_ok(master, &words)?;
        }
        let mut claimed_all = unassigned.is_empty();
        for slot in a..=b {
            let Some(holder) = own[usize::from(slot)].filter(|&h| h != master) else {
                continue;
            };
            claimed_all = false;
            let slot = slot.to_string();
            let holder_id = ids.get(&holder).cloned().unwrap_or_default();
            self.expect_ok(
                master,
                &["CLUSTER", "SETSLOT", &slot, "IMPORTING", &holder_id],
            )?;
            self.expect_ok(master, &["CLUSTER", "SETSLOT", &slot, "NODE", &id])?;
        }
        if claimed_all {
            self.best_effort(master, &["CLUSTER", "BUMPEPOCH"])?;
        }
        // Masters that claim one of these slots themselves give it up.
        for (port, view) in views {
            let Some(me) = view.iter().find(|n| n.myself) else {
                continue;
            };
            if *port == master || !me.master {
                continue;
            }
            for &(x, y) in &me.slots {
                for slot in x.max(a)..=y.min(b) {
                    let slot = slot.to_string();
                    self.best_effort(*port, &["CLUSTER", "SETSLOT", &slot, "NODE", &id])?;
                }
            }
        }
        Ok(())
    }

    /// The `settle_after` wait: after CLUSTER FAILOVER, until `port` is a
    /// master; then until all six nodes describe every node alike (role,
    /// master, slots, no failure flag) and every replica has caught up.
    pub(super) fn wait_converged(&mut self, port: u16, argv: &[Vec<u8>]) -> Result<(), String> {
        let is = |i: usize, word: &str| {
            argv.get(i)
                .is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()))
        };
        if is(0, "cluster") && is(1, "failover") {
            self.wait_for(&format!("{port} to be promoted"), PATIENCE, |c| {
                Ok(c.myself(port)?.master)
            })?;
        }
        let mut agreed: Option<BTreeMap<String, Shape>> = None;
        self.wait_for("every node to agree on the layout", PATIENCE, |c| {
            let mut first: Option<BTreeMap<String, Shape>> = None;
            for p in all_ports() {
                let view = c.view(p)?;
                if view.iter().any(|n| n.troubled) {
                    return Ok(false);
                }
                let shape: BTreeMap<String, Shape> = view
                    .into_iter()
                    .map(|n| (n.id, (n.master, n.master_id, n.slots)))
                    .collect();
                match &first {
                    None => first = Some(shape),
                    Some(f) if *f != shape => return Ok(false),
                    Some(_) => {}
                }
            }
            agreed = first;
            Ok(true)
        })?;
        // CLUSTER SLOTS lists a replica only once its replication offset has
        // been gossiped: wait until every node lists every serving node.
        let shapes = agreed.unwrap_or_default();
        let has_slots = |id: &str| shapes.get(id).is_some_and(|(m, _, s)| *m && !s.is_empty());
        let serving: Vec<String> = shapes
            .iter()
            .filter(|(id, (master, of, _))| {
                if *master {
                    has_slots(id)
                } else {
                    of.as_deref().is_some_and(has_slots)
                }
            })
            .map(|(id, _)| id.clone())
            .collect();
        self.wait_for("CLUSTER SLOTS to list every node", PATIENCE, |c| {
            for p in all_ports() {
                let listed = listed_ids(&c.command(p, &["CLUSTER", "SLOTS"])?);
                if serving.iter().any(|id| !listed.contains(id)) {
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        self.wait_for("every replica to catch up", PATIENCE, |c| {
            for p in all_ports() {
                let info = c.text(p, &["INFO", "replication"])?;
                if !info.contains("role:slave") {
                    continue;
                }
                if !info.contains("master_link_status:up") {
                    return Ok(false);
                }
                let Some(master) =
                    super::info_field(&info, "master_port").and_then(|m| m.parse::<u16>().ok())
                else {
                    return Ok(false);
                };
                let offset = |text: &str, field: &str| {
                    super::info_field(text, field).and_then(|o| o.parse::<u64>().ok())
                };
                let master_info = c.text(master, &["INFO", "replication"])?;
                if offset(&info, "slave_repl_offset") < offset(&master_info, "master_repl_offset") {
                    return Ok(false);
                }
            }
            Ok(true)
        })?;
        Ok(())
    }
}

/// Default masters that some node does not yet see as the master of
/// exactly their default range (a slot seen elsewhere counts against its
/// default owner).
fn disputed_masters(views: &[(u16, Vec<NodeLine>)], ids: &BTreeMap<u16, String>) -> Vec<u16> {
    let mut disputed = Vec::new();
    for (_, view) in views {
        for node in view {
            let default = MASTER_PORTS
                .iter()
                .copied()
                .find(|m| ids.get(m) == Some(&node.id));
            let culprits: Vec<u16> = match default {
                Some(m) if !(node.master && node.slots == vec![default_range(m)]) => vec![m],
                Some(_) => Vec::new(),
                None => node.slots.iter().map(|&(a, _)| default_owner(a)).collect(),
            };
            for culprit in culprits {
                if !disputed.contains(&culprit) {
                    disputed.push(culprit);
                }
            }
        }
    }
    // A view that does not list a default master at all.
    for (_, view) in views {
        for m in MASTER_PORTS {
            if !view.iter().any(|n| ids.get(&m) == Some(&n.id)) && !disputed.contains(&m) {
                disputed.push(m);
            }
        }
    }
    disputed.sort_unstable();
    disputed
}

/// The node ids a CLUSTER SLOTS reply lists.
fn listed_ids(slots: &Reply) -> Vec<String> {
    let mut ids = Vec::new();
    if let Reply::Array(ranges) = slots {
        for range in ranges {
            if let Reply::Array(fields) = range {
                for node in fields.iter().skip(2) {
                    if let Reply::Array(parts) = node {
                        if let Some(Reply::Bulk(id)) = parts.get(2) {
                            ids.push(String::from_utf8_lossy(id).into_owned());
                        }
                    }
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cluster_nodes_lines() {
        let c = RealCluster::new("127.0.0.1");
        let text = "aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-3695 3697-5460 [3696->-bbb]\n\
                    bbb 127.0.0.1:7003@17003 slave,fail aaa 0 0 1 disconnected\n\
                    ccc 127.0.0.1:7001@17001 master - 0 0 2 connected 3696 5461-10922 [5461-<-aaa]\n";
        let nodes = c.parse_nodes(text);
        assert_eq!(nodes[0].slots, vec![(0, 3695), (3697, 5460)]);
        assert_eq!(nodes[0].marks, vec![3696]);
        assert!(nodes[0].myself && nodes[0].master && !nodes[0].troubled);
        assert!(nodes[1].troubled && !nodes[1].master);
        assert_eq!(nodes[1].master_id.as_deref(), Some("aaa"));
        assert_eq!(nodes[2].slots, vec![(3696, 3696), (5461, 10922)]);
        assert_eq!(nodes[2].marks, vec![5461]);
        let shifted = RealCluster::with_base_port("127.0.0.1", 7400);
        assert_eq!(shifted.real_port(7003), 7403);
        assert_eq!(shifted.real_port(7409), 7409);
        assert_eq!(shifted.scenario_port(7405), 7005);
    }
}
