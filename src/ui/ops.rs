//! Cluster operations in the playground: stopping and starting nodes, the
//! failure detector's clock, and the reshard control. Each is a timeline
//! step ([`StepOp::Node`], [`StepOp::Tick`], [`StepOp::Reshard`]) applied
//! here on the engine ([`Cluster::stop_node`], [`Cluster::start_node`],
//! [`Cluster::tick`], [`Cluster::reshard_step`]); what the engine reports
//! becomes the operations log (the commands a reshard sent with their
//! replies, and the failure detector's changes), so the learner can
//! retype them in a console. No reply text is made up here: commands and
//! replies are the engine's, the other lines its event descriptions.
//!
//! Pure: no web-sys, js-sys or gloo.
//!
//! [`Cluster::stop_node`]: crate::engine::cluster::Cluster::stop_node
//! [`Cluster::start_node`]: crate::engine::cluster::Cluster::start_node
//! [`Cluster::tick`]: crate::engine::cluster::Cluster::tick
//! [`Cluster::reshard_step`]: crate::engine::cluster::Cluster::reshard_step

use std::rc::Rc;

use crate::engine::event::Event;
use crate::engine::reshard::ReshardPlan;
use crate::engine::topology::HOST;
use crate::share::parse_slot_spec;
use crate::ui::session::{Step, StepOp};
use crate::ui::state::AppState;
use crate::ui::world::Reshard;

/// Entries kept in the operations log.
pub const MAX_OPS_ENTRIES: usize = 100;
/// Lines kept per entry ("Run to end" on thousands of slots).
pub const MAX_OPS_LINES: usize = 200;
/// Most commands one "Run to end" sends (a plan on every slot of a shard
/// with keys needs far fewer).
pub const MAX_RUN_COMMANDS: usize = 1_000_000;

/// How a log line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpsKind {
    /// A command a reshard sent: `127.0.0.1:7001> CLUSTER SETSLOT ...`.
    Command,
    /// Its reply, as redis-cli prints it.
    Reply,
    /// An error reply, or why a plan could not start or stopped.
    Error,
    /// A change of the cluster (a flag, a failover, slots changing owner).
    Event,
}

/// One line of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpsLine {
    pub kind: OpsKind,
    pub text: String,
}

/// What one operation step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpsEntry {
    /// A stable key for rendering.
    pub id: u64,
    /// The step (its time and what it was).
    pub step: Step,
    pub lines: Vec<OpsLine>,
    /// Lines left out past [`MAX_OPS_LINES`].
    pub omitted: usize,
}

impl OpsEntry {
    fn push(&mut self, kind: OpsKind, text: String) {
        if self.lines.len() < MAX_OPS_LINES {
            self.lines.push(OpsLine { kind, text });
        } else {
            self.omitted += 1;
        }
    }

    /// Adds the engine's events: reshard commands with their replies, and
    /// the cluster-level changes.
    fn events(&mut self, events: &[Event]) {
        let mut i = 0;
        while i < events.len() {
            let event = &events[i];
            i += 1;
            // Every node recomputing its cluster state: one line.
            if let Event::ClusterState { port, ok } = event {
                let mut ports = vec![port.to_string()];
                while let Some(Event::ClusterState { port, ok: same }) = events.get(i) {
                    if same != ok {
                        break;
                    }
                    ports.push(port.to_string());
                    i += 1;
                }
                let verb = if ports.len() == 1 { "sees" } else { "see" };
                let state = if *ok { "ok" } else { "fail" };
                self.push(
                    OpsKind::Event,
                    format!("{} {verb} cluster_state:{state}", ports.join(" ")),
                );
                continue;
            }
            match event {
                Event::ReshardCommand {
                    port,
                    command,
                    reply,
                } => {
                    self.push(
                        OpsKind::Command,
                        format!("{HOST}:{port}> {}", command_line(command)),
                    );
                    let kind = if reply.starts_with("(error)") {
                        OpsKind::Error
                    } else {
                        OpsKind::Reply
                    };
                    self.push(kind, reply.trim_end().to_string());
                }
                Event::ReshardFailed { error } => {
                    self.push(OpsKind::Error, format!("reshard stopped: {error}"));
                }
                other => {
                    if let Some(text) = other.cluster_change() {
                        self.push(OpsKind::Event, text);
                    }
                }
            }
        }
    }
}

/// A command as it could be retyped in redis-cli: words with spaces,
/// quotes or nothing at all are quoted.
pub fn command_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && !w
                    .chars()
                    .any(|c| c.is_whitespace() || c == '"' || c == '\'')
            {
                w.clone()
            } else {
                format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a node's card shows about its health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeHealth {
    /// Running and reachable.
    Up,
    /// Stopped; the others have not noticed yet (`since`: when it stopped).
    Stopped { since: u64 },
    /// Flagged `fail?` by the others (`since`: when).
    Pfail { since: u64, stopped: u64 },
    /// Flagged `fail` (`since`: when); `stopped` is `None` once it runs again.
    Fail { since: u64, stopped: Option<u64> },
}

impl NodeHealth {
    /// The node is not running.
    pub fn down(self) -> bool {
        matches!(
            self,
            NodeHealth::Stopped { .. }
                | NodeHealth::Pfail { .. }
                | NodeHealth::Fail {
                    stopped: Some(_),
                    ..
                }
        )
    }
}

/// The health of the node on `port`.
pub fn node_health(cluster: &crate::engine::cluster::Cluster, port: u16) -> NodeHealth {
    let Some(node) = cluster.topology.by_port(port) else {
        return NodeHealth::Up;
    };
    let h = cluster.topology.nodes[node].health;
    match (h.stopped_at, h.pfail_since, h.fail_since) {
        (stopped, _, Some(since)) => NodeHealth::Fail { since, stopped },
        (Some(stopped), Some(since), None) => NodeHealth::Pfail { since, stopped },
        (Some(since), None, None) => NodeHealth::Stopped { since },
        _ => NodeHealth::Up,
    }
}

/// `5.5 s` (simulated milliseconds as seconds).
pub fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

impl AppState {
    /// Applies a node, tick or reshard step; returns the commands it sent.
    pub(crate) fn apply_ops(&mut self, step: &Step) -> u64 {
        let id = self.take_id();
        let mut entry = OpsEntry {
            id,
            step: step.clone(),
            lines: Vec::new(),
            omitted: 0,
        };
        let now = step.now_ms;
        let work = match &step.op {
            StepOp::Node { port, start } => {
                let events = self
                    .world
                    .mutate(|w| {
                        if *start {
                            w.cluster.start_node(*port, now)
                        } else {
                            w.cluster.stop_node(*port, now)
                        }
                    })
                    .unwrap_or_default();
                entry.events(&events);
                1
            }
            StepOp::Tick => {
                let events = self
                    .world
                    .mutate(|w| w.cluster.tick(now))
                    .unwrap_or_default();
                entry.events(&events);
                1
            }
            StepOp::Reshard {
                from,
                to,
                slots,
                run,
            } => self.reshard(&mut entry, *from, *to, slots, *run, now),
            _ => return 0,
        };
        let log = Rc::make_mut(&mut self.ops);
        log.push(Rc::new(entry));
        if log.len() > MAX_OPS_ENTRIES {
            let extra = log.len() - MAX_OPS_ENTRIES;
            log.drain(..extra);
        }
        work
    }

    fn reshard(
        &mut self,
        entry: &mut OpsEntry,
        from: u16,
        to: u16,
        slots: &str,
        run: bool,
        now: u64,
    ) -> u64 {
        let result = self.world.mutate(|w| {
            let carry_on = w.reshard.as_ref().is_some_and(|r| {
                r.from == from && r.to == to && r.slots == slots && !r.plan.is_done()
            });
            if !carry_on {
                let Some(choice) = parse_slot_spec(slots) else {
                    return Err(format!("cannot read the slots {slots:?}"));
                };
                let plan =
                    ReshardPlan::new(&w.cluster, from, to, choice).map_err(|e| e.to_string())?;
                w.reshard = Some(Reshard {
                    from,
                    to,
                    slots: slots.to_string(),
                    plan,
                });
            }
            let Some(reshard) = w.reshard.as_mut() else {
                return Ok((Vec::new(), 0));
            };
            let mut events = Vec::new();
            let mut sent = 0u64;
            // One command per Step (a step that only moves on to the next
            // slot sends nothing, so keep going until one is sent).
            for _ in 0..MAX_RUN_COMMANDS {
                if reshard.plan.is_done() {
                    break;
                }
                let more = w.cluster.reshard_step(&mut reshard.plan, now);
                let commands = more
                    .iter()
                    .filter(|e| matches!(e, Event::ReshardCommand { .. }))
                    .count();
                sent += commands as u64;
                events.extend(more);
                if !run && commands > 0 {
                    break;
                }
            }
            Ok((events, sent))
        });
        match result {
            Some(Ok((events, sent))) => {
                entry.events(&events);
                sent.max(1)
            }
            Some(Err(why)) => {
                entry.push(OpsKind::Error, why);
                1
            }
            None => 1,
        }
    }

    /// The reshard plan in progress (not done), if any.
    pub fn reshard_in_progress(&self) -> Option<Reshard> {
        self.world
            .borrow()
            .reshard
            .clone()
            .filter(|r| !r.plan.is_done())
    }
}
