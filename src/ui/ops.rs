//! Cluster operations in the playground: stopping and starting nodes, the
//! failure detector's clock, and the reshard control. Each is a timeline
//! step ([`StepOp::Node`], [`StepOp::Tick`], [`StepOp::Reshard`]) applied
//! here on the engine ([`Cluster::stop_node`], [`Cluster::start_node`],
//! [`Cluster::tick`], [`Cluster::reshard_step`]); what the engine reports
//! becomes the operations log (the commands a reshard sent with their
//! replies, and the failure detector's changes), so the learner can
//! retype them in a console. No reply text is made up here: commands and
//! replies are the engine's, kept verbatim; the other lines are kept as
//! data ([`OpsText`]) and worded in the page's language when drawn
//! ([`OpsText::text`]).
//!
//! Pure: no web-sys, js-sys or gloo.
//!
//! [`Cluster::stop_node`]: crate::engine::cluster::Cluster::stop_node
//! [`Cluster::start_node`]: crate::engine::cluster::Cluster::start_node
//! [`Cluster::tick`]: crate::engine::cluster::Cluster::tick
//! [`Cluster::reshard_step`]: crate::engine::cluster::Cluster::reshard_step

use std::rc::Rc;

use crate::engine::event::{slot_ranges_text, Event};
use crate::engine::reshard::{ReshardError, ReshardPlan};
use crate::engine::topology::HOST;
use crate::i18n::{tr, trf, Lang};
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

/// What a log line says: Redis' own text, or a change worded in the
/// page's language when drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpsText {
    /// A command or a reply, exactly as redis-cli shows it (never translated).
    Verbatim(String),
    /// A change of the cluster reported by the engine.
    Event(Event),
    /// These nodes now see `cluster_state:ok` (or `fail`).
    ClusterState { ports: Vec<u16>, ok: bool },
    /// The plan stopped on this error (Redis' error text, kept verbatim).
    ReshardStopped(String),
    /// The plan could not start.
    PlanError(ReshardError),
    /// The slots field could not be read.
    BadSlots(String),
}

impl OpsText {
    /// The line in `lang` (Redis text inside it stays as Redis wrote it).
    pub fn text(&self, lang: Lang) -> String {
        let port = |p: &u16| p.to_string();
        match self {
            OpsText::Verbatim(text) => text.clone(),
            OpsText::ClusterState { ports, ok } => {
                let list: Vec<String> = ports.iter().map(port).collect();
                trf(
                    lang,
                    if ports.len() == 1 {
                        "event.cluster_state_one"
                    } else {
                        "event.cluster_state_many"
                    },
                    &[
                        ("ports", &list.join(" ")),
                        ("state", if *ok { "ok" } else { "fail" }),
                    ],
                )
            }
            OpsText::ReshardStopped(error) => {
                trf(lang, "event.reshard_stopped", &[("error", error)])
            }
            OpsText::BadSlots(slots) => {
                trf(lang, "event.bad_slots", &[("slots", &format!("{slots:?}"))])
            }
            OpsText::PlanError(e) => plan_error(lang, e),
            OpsText::Event(event) => event_text(lang, event),
        }
    }
}

/// Why a reshard plan could not start, in `lang`.
fn plan_error(lang: Lang, e: &ReshardError) -> String {
    let node = |p: &u16| format!("{HOST}:{p}");
    match e {
        ReshardError::UnknownNode(p) => {
            trf(lang, "error.unknown_port", &[("port", &p.to_string())])
        }
        ReshardError::NotMaster(p) => trf(lang, "plan.not_master", &[("node", &node(p))]),
        ReshardError::SameNode => tr(lang, "plan.same_node").to_string(),
        ReshardError::NotServedBy { slot, port } => trf(
            lang,
            "plan.not_served_by",
            &[("slot", &slot.to_string()), ("node", &node(port))],
        ),
        ReshardError::NotEnoughSlots { port, has, wanted } => trf(
            lang,
            "plan.not_enough_slots",
            &[
                ("node", &node(port)),
                ("has", &has.to_string()),
                ("wanted", &wanted.to_string()),
            ],
        ),
        ReshardError::NoSlots => tr(lang, "plan.no_slots").to_string(),
    }
}

/// A change of the cluster in `lang` (the engine's English description
/// for an event this list does not know).
fn event_text(lang: Lang, event: &Event) -> String {
    let p = |p: &u16| p.to_string();
    match event {
        Event::SlotMigrating { port, slot, to } => trf(
            lang,
            "event.slot_migrating",
            &[("port", &p(port)), ("slot", &p(slot)), ("to", &p(to))],
        ),
        Event::SlotImporting { port, slot, from } => trf(
            lang,
            "event.slot_importing",
            &[("port", &p(port)), ("slot", &p(slot)), ("from", &p(from))],
        ),
        Event::SlotStable { port, slot } => trf(
            lang,
            "event.slot_stable",
            &[("port", &p(port)), ("slot", &p(slot))],
        ),
        Event::SlotsAssigned { ranges: r, to } => match to {
            Some(to) => trf(
                lang,
                "event.slots_assigned",
                &[("slots", &slot_ranges_text(r)), ("to", &p(to))],
            ),
            None => trf(
                lang,
                "event.slots_unassigned",
                &[("slots", &slot_ranges_text(r))],
            ),
        },
        Event::KeyMigrated {
            from,
            to,
            key,
            slot,
            copy,
        } => trf(
            lang,
            if *copy {
                "event.key_copied"
            } else {
                "event.key_moved"
            },
            &[
                ("key", key),
                ("slot", &p(slot)),
                ("from", &p(from)),
                ("to", &p(to)),
            ],
        ),
        Event::KeysDropped { port, slot, count } => trf(
            lang,
            "event.keys_dropped",
            &[
                ("port", &p(port)),
                ("count", &count.to_string()),
                ("slot", &p(slot)),
            ],
        ),
        Event::NodeStopped { port } => trf(lang, "event.node_stopped", &[("port", &p(port))]),
        Event::NodeStarted { port } => trf(lang, "event.node_started", &[("port", &p(port))]),
        Event::NodeSuspected { port } => trf(lang, "event.node_suspected", &[("port", &p(port))]),
        Event::NodeFailed { port } => trf(lang, "event.node_failed", &[("port", &p(port))]),
        Event::NodeRecovered { port } => trf(lang, "event.node_recovered", &[("port", &p(port))]),
        Event::NodePromoted {
            port,
            replaced,
            manual,
        } => trf(
            lang,
            if *manual {
                "event.node_promoted_manual"
            } else {
                "event.node_promoted"
            },
            &[("port", &p(port)), ("replaced", &p(replaced))],
        ),
        Event::NodeReplicates { port, master } => trf(
            lang,
            "event.node_replicates",
            &[("port", &p(port)), ("master", &p(master))],
        ),
        Event::ClusterState { port, ok } => OpsText::ClusterState {
            ports: vec![*port],
            ok: *ok,
        }
        .text(lang),
        Event::ReshardDone {
            from,
            to,
            slots,
            keys,
        } => trf(
            lang,
            "event.reshard_done",
            &[
                ("slots", &slots.to_string()),
                ("keys", &keys.to_string()),
                ("from", &p(from)),
                ("to", &p(to)),
            ],
        ),
        Event::ReshardFailed { error } => OpsText::ReshardStopped(error.clone()).text(lang),
        other => other.cluster_change().unwrap_or_default(),
    }
}

/// One line of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpsLine {
    pub kind: OpsKind,
    pub what: OpsText,
}

impl OpsLine {
    /// The line in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        self.what.text(lang)
    }
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
    fn push(&mut self, kind: OpsKind, what: OpsText) {
        if self.lines.len() < MAX_OPS_LINES {
            self.lines.push(OpsLine { kind, what });
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
                let mut ports = vec![*port];
                while let Some(Event::ClusterState { port, ok: same }) = events.get(i) {
                    if same != ok {
                        break;
                    }
                    ports.push(*port);
                    i += 1;
                }
                self.push(OpsKind::Event, OpsText::ClusterState { ports, ok: *ok });
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
                        OpsText::Verbatim(format!("{HOST}:{port}> {}", command_line(command))),
                    );
                    let kind = if reply.starts_with("(error)") {
                        OpsKind::Error
                    } else {
                        OpsKind::Reply
                    };
                    self.push(kind, OpsText::Verbatim(reply.trim_end().to_string()));
                }
                Event::ReshardFailed { error } => {
                    self.push(OpsKind::Error, OpsText::ReshardStopped(error.clone()));
                }
                other => {
                    if other.cluster_change().is_some() {
                        self.push(OpsKind::Event, OpsText::Event(other.clone()));
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
                    return Err(OpsText::BadSlots(slots.to_string()));
                };
                let plan =
                    ReshardPlan::new(&w.cluster, from, to, choice).map_err(OpsText::PlanError)?;
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
