//! One shard on the cluster map: its master and replica (with the clients
//! connected to each, each with a Stop / Start button and its failure
//! flags), its slot ranges and the slots it is migrating or importing, its
//! key count and share, and the first few of its keys (click one to
//! inspect it).

use yew::prelude::*;

use crate::i18n::{tr, trf};
use crate::ui::lang::use_lang;
use crate::ui::ops::{seconds, NodeHealth};
use crate::ui::platform;
use crate::ui::state::Action;

/// A slot the shard's master is migrating (to `port`) or importing (from `port`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotMove {
    pub slot: u16,
    pub port: u16,
    pub importing: bool,
}

/// Slot moves listed per card (the rest are counted).
const MOVES_SHOWN: usize = 3;

/// How a client is linked to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientLink {
    /// Connected (or will connect on its next command, as redis-cli does at start).
    Connected,
    /// The node is stopped: the client's connection is gone.
    NodeStopped,
    /// The node runs, but the client's last attempt failed (redis-cli's
    /// `not connected> `): it reconnects on its next command.
    Lost,
    /// The node runs again, but the client's connection was closed when
    /// it stopped (redis-cli finds out on its next command).
    Closed,
}

/// A client's letter on a node row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientBadge {
    pub letter: char,
    pub link: ClientLink,
}

/// A node of the shard as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub port: u16,
    pub master: bool,
    /// A stopped master whose slots a replica took over.
    pub replaced: bool,
    /// Running, stopped, flagged `fail?` / `fail`.
    pub health: NodeHealth,
    /// The clients that talk to it (connected or not any more).
    pub clients: Vec<ClientBadge>,
    /// The last request went to this node.
    pub last: bool,
}

/// A key chip: the key (escaped), its slot, whether the last command used it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChip {
    pub key: String,
    pub slot: u16,
    pub last: bool,
}

/// Props of [`ShardCard`].
#[derive(Properties, PartialEq)]
pub struct ShardCardProps {
    /// Position among the masters.
    pub index: usize,
    /// Master first, then replicas.
    pub nodes: Vec<NodeRow>,
    /// Its slot ranges, as text.
    pub ranges: AttrValue,
    /// Number of slots it owns.
    pub slots: usize,
    /// Keys it holds.
    pub keys: usize,
    /// Percent of all keys.
    pub percent: usize,
    /// The first keys.
    pub chips: Vec<KeyChip>,
    /// Slots being migrated or imported.
    pub moving: Vec<SlotMove>,
    /// The reducer (a chip click inspects the key).
    pub dispatch: Callback<Action>,
}

/// A shard card.
#[component]
pub fn ShardCard(props: &ShardCardProps) -> Html {
    let lang = use_lang();
    let more = props.keys.saturating_sub(props.chips.len());
    let keys_word = tr(
        lang,
        if props.keys == 1 {
            "map.key_one"
        } else {
            "map.key_many"
        },
    );
    html! {
        <li class={classes!("shard-card", format!("shard-{}", props.index))} data-shard={props.index.to_string()}>
            <div class="shard-head">
                <span class="shard-swatch" aria-hidden="true"></span>
                <h3 class="shard-title">{ trf(lang, "map.shard_title", &[("n", &(props.index + 1).to_string())]) }</h3>
                <span class="shard-count" title={tr(lang, "map.shard_keys_title")}>
                    <strong class="shard-keys">{ crate::ui::map::thousands(props.keys) }</strong>
                    { format!(" {keys_word}") }
                    if props.keys > 0 {
                        <span class="shard-percent">{ format!(" · {}%", props.percent) }</span>
                    }
                </span>
            </div>
            <div class="share-bar" aria-hidden="true">
                <span style={format!("width:{}%", props.percent.min(100))}></span>
            </div>
            <ul class="node-rows">
                for node in props.nodes.iter() {
                    { node_row(lang, node, &props.dispatch) }
                }
            </ul>
            <p class="shard-ranges">
                { trf(lang, "map.slots", &[("ranges", &props.ranges)]) }
                { " " }
                <span class="muted">{ format!("({})", props.slots) }</span>
            </p>
            if !props.moving.is_empty() {
                <ul class="slot-moves">
                    for m in props.moving.iter().take(MOVES_SHOWN) {
                        <li key={format!("{}-{}", m.slot, m.importing)}
                            class={classes!("slot-move", if m.importing { "importing" } else { "migrating" })}>
                            { trf(lang, if m.importing { "ops.importing" } else { "ops.migrating" },
                                &[("slot", &m.slot.to_string()), ("port", &m.port.to_string())]) }
                        </li>
                    }
                    if props.moving.len() > MOVES_SHOWN {
                        <li class="slot-move muted">{ format!("+{}", props.moving.len() - MOVES_SHOWN) }</li>
                    }
                </ul>
            }
            if !props.chips.is_empty() {
                <ul class="key-chips" aria-label={trf(lang, "map.chips_label", &[("n", &(props.index + 1).to_string())])}>
                    for chip in props.chips.iter() {
                        { key_chip(lang, chip, &props.dispatch) }
                    }
                    if more > 0 {
                        <li class="more-keys">{ trf(lang, "map.more_keys", &[("n", &crate::ui::map::thousands(more))]) }</li>
                    }
                </ul>
            }
        </li>
    }
}

fn key_chip(lang: crate::i18n::Lang, chip: &KeyChip, dispatch: &Callback<Action>) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        let key = chip.key.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Inspect(key.clone())))
    };
    html! {
        <li key={chip.key.clone()}>
            <button type="button" class={classes!("key-chip", chip.last.then_some("last"))}
                title={trf(lang, "map.chip_title", &[("slot", &chip.slot.to_string())])} {onclick}>
                { chip.key.clone() }
                <span class="chip-slot">{ chip.slot }</span>
            </button>
        </li>
    }
}

/// One node: role, address, clients, health badge and its Stop / Start button.
fn node_row(lang: crate::i18n::Lang, node: &NodeRow, dispatch: &Callback<Action>) -> Html {
    let down = node.health.down();
    let addr = format!("127.0.0.1:{}", node.port);
    let role = if node.replaced {
        tr(lang, "ops.role_replaced")
    } else if node.master {
        tr(lang, "map.role_master")
    } else {
        tr(lang, "map.role_replica")
    };
    let title = if node.replaced {
        trf(lang, "ops.replaced_title", &[("node", &addr)])
    } else if node.master {
        trf(lang, "map.master_title", &[("node", &addr)])
    } else {
        trf(lang, "map.replica_title", &[("node", &addr)])
    };
    let badge = match node.health {
        NodeHealth::Up => None,
        NodeHealth::Stopped { .. } => Some(("stopped", tr(lang, "ops.badge_stopped").to_string())),
        NodeHealth::Pfail { since, stopped } => Some((
            "pfail",
            trf(
                lang,
                "ops.badge_pfail",
                &[("time", &seconds(since.saturating_sub(stopped)))],
            ),
        )),
        NodeHealth::Fail {
            since,
            stopped: Some(stopped),
        } => Some((
            "fail",
            trf(
                lang,
                "ops.badge_fail",
                &[("time", &seconds(since.saturating_sub(stopped)))],
            ),
        )),
        NodeHealth::Fail { stopped: None, .. } => {
            Some(("fail", tr(lang, "ops.badge_fail_running").to_string()))
        }
    };
    let onclick = {
        let dispatch = dispatch.clone();
        let port = node.port;
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::NodeOp {
                port,
                start: down,
                now_ms: platform::now_ms(),
            })
        })
    };
    let (label, button_title) = if down {
        (
            trf(lang, "ops.start_node", &[("node", &addr)]),
            tr(lang, "ops.start_title"),
        )
    } else {
        (
            trf(lang, "ops.stop_node", &[("node", &addr)]),
            tr(lang, "ops.stop_title"),
        )
    };
    html! {
        <li key={node.port}
            class={classes!("node-row", node.last.then_some("last"), down.then_some("down"),
                badge.as_ref().map(|(c, _)| format!("health-{c}")))}
            data-port={node.port.to_string()}
            {title}>
            <span class="node-role">{ role }</span>
            <code class="node-addr">{ node.port }</code>
            if let Some((class, text)) = badge {
                <span class={classes!("health-badge", class)}>{ text }</span>
            }
            for client in node.clients.iter() {
                { client_badge(lang, client) }
            }
            <button type="button" class={classes!("node-power", if down { "start" } else { "stop" })}
                aria-label={label} title={button_title} {onclick}>
                { tr(lang, if down { "ops.start" } else { "ops.stop" }) }
            </button>
        </li>
    }
}

/// A client's letter: plain when connected; struck through and greyed,
/// with the reason in its tooltip and accessible name, when not.
fn client_badge(lang: crate::i18n::Lang, client: &ClientBadge) -> Html {
    let letter = client.letter.to_string();
    let (class, key) = match client.link {
        ClientLink::Connected => (None, "map.client_here"),
        ClientLink::NodeStopped => (Some("not-connected"), "map.client_node_stopped"),
        ClientLink::Lost => (Some("not-connected"), "map.client_lost"),
        ClientLink::Closed => (Some("not-connected"), "map.client_closed"),
    };
    let title = trf(lang, key, &[("letter", &letter)]);
    html! {
        <span key={letter.clone()} class={classes!("client-badge", class)} data-client={letter.clone()}
            title={title.clone()} role="img" aria-label={title}>
            { letter }
        </span>
    }
}
