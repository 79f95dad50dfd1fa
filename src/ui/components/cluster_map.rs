//! The cluster map: the three shards (master and replica, the clients
//! connected to each, slot ranges, key counts and their first keys), the
//! 16384-slot ribbon, and hot-spot / skew warnings. Everything comes from
//! the per-slot key counts (recomputed only when the world changes), so
//! typing stays fast with 100k keys.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf};
use crate::ui::lang::use_lang;

use crate::engine::topology::Role;
use crate::ui::components::ops_panel::OpsPanel;
use crate::ui::components::sample_bar::SampleBar;
use crate::ui::components::shard_card::{
    ClientBadge, ClientLink, KeyChip, NodeRow, ShardCard, SlotMove,
};
use crate::ui::components::slot_ribbon::{Mark, MarkKind, SlotRibbon};
use crate::ui::inspect::{shard_label, show_bytes};
use crate::ui::map::{self, thousands, MapStats};
use crate::ui::ops::{self, OpsEntry};
use crate::ui::sample::Sample;
use crate::ui::state::Action;
use crate::ui::trace::LastLine;
use crate::ui::world::{Session, WorldRef};

/// Keys listed per shard.
pub const CHIPS_PER_SHARD: usize = 6;
/// Marks labelled with their key on the ribbon.
const LABELLED_MARKS: usize = 4;

/// Props of [`ClusterMap`].
#[derive(Properties, PartialEq)]
pub struct ClusterMapProps {
    /// The cluster.
    pub world: WorldRef,
    /// The last line (its slots are marked).
    pub last: Option<Rc<LastLine>>,
    /// Slots of the line being typed.
    pub typed_slots: Vec<u16>,
    /// The clients' letters, in session order.
    pub letters: Vec<char>,
    /// A sample load in progress: (sample, done, total).
    pub loading: Option<(Sample, usize, usize)>,
    /// The operations log.
    pub ops: Rc<Vec<Rc<OpsEntry>>>,
    /// The time of the last step (the failure detector's next change is
    /// shown relative to it).
    pub last_time: u64,
    /// The last step is shown (operations and the clock run only there).
    pub at_head: bool,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The cluster map panel.
#[component]
pub fn ClusterMap(props: &ClusterMapProps) -> Html {
    let lang = use_lang();
    let stats: Rc<MapStats> = use_memo(props.world.clone(), |world| {
        map::compute(&world.borrow().cluster)
    });
    let world = props.world.borrow();
    let topology = &world.cluster.topology;
    let masters: Vec<usize> = map::shard_masters(topology);
    let master_ports: Vec<u16> = masters.iter().map(|&m| topology.nodes[m].port).collect();

    // Which client talks to which node (letters come in session order),
    // and whether it is still connected: a stopped node's clients are not.
    let running = |port: u16| {
        topology
            .by_port(port)
            .is_some_and(|n| topology.nodes[n].health.running())
    };
    let mut connected: Vec<(u16, ClientBadge)> = Vec::new();
    for (i, session) in world.sessions.iter().enumerate() {
        let Some(&letter) = props.letters.get(i) else {
            continue;
        };
        let closed = |id: Option<&crate::engine::cluster::ConnId>| {
            id.is_some_and(|id| world.cluster.connection(*id).is_none())
        };
        let badge = |port: u16, lost: bool, closed: bool| ClientBadge {
            letter,
            link: if !running(port) {
                ClientLink::NodeStopped
            } else if lost {
                ClientLink::Lost
            } else if closed {
                ClientLink::Closed
            } else {
                ClientLink::Connected
            },
        };
        match session {
            Session::Cli(s) => {
                connected.push((s.port, badge(s.port, s.lost, closed(s.connection_id()))))
            }
            Session::Aware(c) => {
                for (port, id) in c.connections() {
                    connected.push((port, badge(port, false, closed(Some(id)))));
                }
            }
        }
    }
    let last_keys = props.last.as_ref().map(|l| l.keys()).unwrap_or_default();
    let last_ports: Vec<u16> = props.last.as_ref().map(|l| l.ports()).unwrap_or_default();

    let mut marks: Vec<Mark> = Vec::new();
    for (n, key) in last_keys.iter().enumerate() {
        if marks.iter().any(|m| m.slot == key.slot) {
            continue;
        }
        marks.push(Mark {
            slot: key.slot,
            label: if n < LABELLED_MARKS {
                format!("{} · {}", key.key, key.slot)
            } else {
                String::new()
            },
            kind: MarkKind::Last,
        });
    }
    for slot in &props.typed_slots {
        if !marks.iter().any(|m| m.slot == *slot) {
            marks.push(Mark {
                slot: *slot,
                label: String::new(),
                kind: MarkKind::Typed,
            });
        }
    }
    if let Some(hot) = &stats.hot {
        marks.push(Mark {
            slot: hot.slot,
            label: String::new(),
            kind: MarkKind::Hot,
        });
    }

    let cards: Vec<Html> = masters
        .iter()
        .enumerate()
        .map(|(index, &master)| {
            let mut nodes = vec![master];
            nodes.extend(topology.replicas_of(master));
            // Stopped masters whose slots this shard's master took over.
            let replaced: Vec<usize> = (0..topology.nodes.len())
                .filter(|&n| {
                    !nodes.contains(&n)
                        && topology.nodes[n].health.replaced_by.is_some()
                        && map::shard_of_node(topology, n) == Some(index)
                })
                .collect();
            nodes.extend(replaced);
            let rows: Vec<NodeRow> = nodes
                .iter()
                .filter_map(|&n| topology.nodes.get(n))
                .map(|node| NodeRow {
                    port: node.port,
                    master: node.role == Role::Master,
                    replaced: node.health.replaced_by.is_some(),
                    health: ops::node_health(&world.cluster, node.port),
                    clients: connected
                        .iter()
                        .filter(|(p, _)| *p == node.port)
                        .map(|(_, b)| *b)
                        .fold(Vec::new(), |mut v: Vec<ClientBadge>, b| {
                            if !v.iter().any(|o| o.letter == b.letter) {
                                v.push(b);
                            }
                            v
                        }),
                    last: last_ports.contains(&node.port),
                })
                .collect();
            let ranges: Vec<String> = stats
                .segments
                .iter()
                .filter(|(_, _, o)| *o == Some(index))
                .map(|(a, b, _)| if a == b { a.to_string() } else { format!("{a}–{b}") })
                .collect();
            let slots: usize = stats
                .segments
                .iter()
                .filter(|(_, _, o)| *o == Some(index))
                .map(|(a, b, _)| usize::from(*b - *a) + 1)
                .sum();
            let keys = stats.shard_keys.get(index).copied().unwrap_or(0);
            let percent = (keys * 100).checked_div(stats.total).unwrap_or(0);
            let keyspace = world.cluster.keyspace_of(master);
            let port_of = |n: usize| topology.nodes.get(n).map_or(0, |n| n.port);
            let me = &topology.nodes[master];
            let moving: Vec<SlotMove> = me
                .migrating
                .iter()
                .map(|(slot, to)| SlotMove { slot: *slot, port: port_of(*to), importing: false })
                .chain(me.importing.iter().map(|(slot, from)| SlotMove {
                    slot: *slot,
                    port: port_of(*from),
                    importing: true,
                }))
                .collect();
            // Keys the last command used come first, then the first keys in slot order.
            let mut chips: Vec<KeyChip> = last_keys
                .iter()
                .filter(|k| k.owner == Some(topology.nodes[master].port) && keyspace.contains(k.key.as_bytes()))
                .take(CHIPS_PER_SHARD)
                .map(|k| KeyChip {
                    key: k.key.clone(),
                    slot: k.slot,
                    last: true,
                })
                .collect();
            for key in keyspace.keys() {
                if chips.len() >= CHIPS_PER_SHARD {
                    break;
                }
                let text = show_bytes(key);
                if chips.iter().any(|c| c.key == text) {
                    continue;
                }
                chips.push(KeyChip {
                    key: text,
                    slot: crate::engine::slot::key_slot(key),
                    last: false,
                });
            }
            html! {
                <ShardCard
                    key={index}
                    {index}
                    nodes={rows}
                    ranges={AttrValue::from(if ranges.is_empty() { tr(lang, "map.no_slots").to_string() } else { ranges.join(", ") })}
                    {slots}
                    {keys}
                    {percent}
                    {chips}
                    {moving}
                    dispatch={props.dispatch.clone()}
                />
            }
        })
        .collect();

    html! {
        <section class="panel cluster-map" aria-labelledby="cluster-map-title">
            <div class="panel-head">
                <h2 id="cluster-map-title" class="panel-title">{ tr(lang, "panel.cluster_map") }</h2>
                <SampleBar loading={props.loading} dispatch={props.dispatch.clone()} />
            </div>
            <SlotRibbon stats={stats.clone()} {marks} master_ports={master_ports.clone()} />
            <p class="ribbon-legend">
                <span class="legend-item"><span class="legend-swatch band"></span>{ tr(lang, "map.legend_owner") }</span>
                <span class="legend-item"><span class="legend-swatch density"></span>{ tr(lang, "map.legend_density") }</span>
                <span class="legend-item"><span class="legend-swatch last"></span>{ tr(lang, "map.legend_last") }</span>
                <span class="legend-item"><span class="legend-swatch typed"></span>{ tr(lang, "map.legend_typed") }</span>
                if !stats.migrating.is_empty() || !stats.importing.is_empty() {
                    <span class="legend-item"><span class="legend-swatch migrating"></span>{ tr(lang, "ops.legend_migrating") }</span>
                }
                <span class="map-total">
                    { trf(lang, if stats.total == 1 { "map.total_one" } else { "map.total_many" }, &[
                        ("n", &thousands(stats.total)),
                        ("slots", &thousands(stats.used_slots)),
                    ]) }
                </span>
            </p>
            if let Some(hot) = &stats.hot {
                <p class="warning hot-warning" role="note">
                    <strong>{ tr(lang, "map.hot_title") }</strong>
                    { trf(lang, "map.hot_text", &[
                        ("slot", &hot.slot.to_string()),
                        ("keys", &thousands(hot.keys)),
                        ("total", &thousands(stats.total)),
                        ("percent", &(hot.keys * 100 / stats.total.max(1)).to_string()),
                    ]) }
                    {
                        match &hot.tag {
                            Some(tag) => trf(lang, "map.hot_tag", &[
                                ("example", &hot.example),
                                ("tagged", &format!("{{{tag}}}")),
                                ("shard", &hot.shard.map(|s| format!("{}, 127.0.0.1:{}", shard_label(lang, s), master_ports.get(s).copied().unwrap_or_default())).unwrap_or_default()),
                            ]),
                            None => trf(lang, "map.hot_no_tag", &[("example", &hot.example)]),
                        }
                    }
                </p>
            }
            if let (Some(skew), None) = (&stats.skew, &stats.hot) {
                <p class="warning skew-warning" role="note">
                    <strong>{ tr(lang, "map.skew_title") }</strong>
                    { trf(lang, "map.skew_text", &[
                        ("shard", &shard_label(lang, skew.shard)),
                        ("percent", &skew.percent.to_string()),
                        ("shards", &masters.len().to_string()),
                        ("even", &(100 / masters.len().max(1)).to_string()),
                    ]) }
                </p>
            }
            <ul class="shards">{ for cards }</ul>
            <OpsPanel world={props.world.clone()} ops={props.ops.clone()} last_time={props.last_time}
                at_head={props.at_head} dispatch={props.dispatch.clone()} />
            <p class="simplified">{ tr(lang, "map.simplified") }</p>
        </section>
    }
}
