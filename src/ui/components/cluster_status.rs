//! The cluster status panel: the node the session talks to, the three
//! shards (master, replicas, slot ranges, key counts) and a plain note on
//! what the playground simplifies.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::topology::Role;
use crate::ui::inspect::shard_letter;
use crate::ui::state::{command_line, World};

/// What the playground does not model, said plainly.
pub const SIMPLIFICATIONS: &str = "Simplified: one client (this console); replicas hold their \
master's data instantly (no replication lag); no failover, persistence or eviction; TTLs use \
your browser's clock.";

/// Props of [`ClusterStatus`].
#[derive(Properties)]
pub struct ClusterStatusProps {
    /// The cluster and the session.
    pub world: Rc<World>,
}

impl PartialEq for ClusterStatusProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.world, &other.world)
    }
}

/// The cluster status panel.
#[component]
pub fn ClusterStatus(props: &ClusterStatusProps) -> Html {
    let world = &props.world;
    let topology = &world.cluster.topology;
    let session = &world.session;
    let session_node = world.session_node();
    let session_role = match session_node.and_then(|n| topology.nodes.get(n)) {
        Some(node) => match node.role {
            Role::Master => "master".to_string(),
            Role::Replica { of } => match topology.nodes.get(of) {
                Some(m) => format!("replica of {}", m.addr()),
                None => "replica".to_string(),
            },
        },
        None => "no such node".to_string(),
    };

    html! {
        <section class="panel cluster-status" aria-labelledby="cluster-status-title">
            <h2 id="cluster-status-title" class="panel-title">{ "Cluster" }</h2>
            <p class="session-line">
                { "Session: " }
                <code>{ command_line(session.port, session.follow_redirects) }</code>
                { format!(" — connected to 127.0.0.1:{} ({session_role})", session.port) }
                if session.in_multi {
                    <span class="badge">{ "in MULTI" }</span>
                }
            </p>
            <table class="shards">
                <caption class="visually-hidden">{ "Shards: master, replicas, slots and keys" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "shard" }</th>
                        <th scope="col">{ "master" }</th>
                        <th scope="col">{ "replicas" }</th>
                        <th scope="col">{ "slots" }</th>
                        <th scope="col" class="num">{ "keys" }</th>
                    </tr>
                </thead>
                <tbody>
                    for (i, master) in topology.masters().enumerate() {
                        { shard_row(world, i, master) }
                    }
                </tbody>
            </table>
            <p class="simplified">{ SIMPLIFICATIONS }</p>
        </section>
    }
}

fn shard_row(world: &World, index: usize, master: usize) -> Html {
    let topology = &world.cluster.topology;
    let Some(node) = topology.nodes.get(master) else {
        return Html::default();
    };
    let replicas: Vec<String> = topology
        .replicas_of(master)
        .filter_map(|r| topology.nodes.get(r).map(|n| n.port.to_string()))
        .collect();
    let ranges: Vec<String> = topology
        .ranges_of(master)
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    let ranges = if ranges.is_empty() {
        "none".to_string()
    } else {
        ranges.join(", ")
    };
    let here = world
        .session_node()
        .is_some_and(|n| topology.master_of(n) == master);
    let letter = shard_letter(index);
    html! {
        <tr key={node.port} class={classes!(format!("shard-{index}"), here.then_some("here"))}>
            <td><span class="shard-swatch" aria-hidden="true"></span>{ letter }</td>
            <td><code>{ node.port }</code></td>
            <td><code>{ replicas.join(", ") }</code></td>
            <td><code>{ ranges }</code></td>
            <td class="num">{ world.cluster.keyspace_of(master).len() }</td>
        </tr>
    }
}
