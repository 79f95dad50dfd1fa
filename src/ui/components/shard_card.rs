//! One shard on the cluster map: its master and replica (with the clients
//! connected to each), its slot ranges, its key count and share, and the
//! first few of its keys (click one to inspect it).

use yew::prelude::*;

use crate::ui::state::Action;

/// A node of the shard as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub port: u16,
    pub master: bool,
    /// Letters of the clients connected to it.
    pub clients: Vec<char>,
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
    /// The reducer (a chip click inspects the key).
    pub dispatch: Callback<Action>,
}

/// A shard card.
#[component]
pub fn ShardCard(props: &ShardCardProps) -> Html {
    let more = props.keys.saturating_sub(props.chips.len());
    let keys_word = if props.keys == 1 { "key" } else { "keys" };
    html! {
        <li class={classes!("shard-card", format!("shard-{}", props.index))} data-shard={props.index.to_string()}>
            <div class="shard-head">
                <span class="shard-swatch" aria-hidden="true"></span>
                <h3 class="shard-title">{ format!("Shard {}", props.index + 1) }</h3>
                <span class="shard-count" title="keys on this shard">
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
                    <li key={node.port} class={classes!("node-row", node.last.then_some("last"))}
                        title={format!("127.0.0.1:{} — {}", node.port, if node.master { "master: serves the shard's slots" } else { "replica: a copy of the master's data" })}>
                        <span class="node-role">{ if node.master { "master" } else { "replica" } }</span>
                        <code class="node-addr">{ node.port }</code>
                        for letter in node.clients.iter() {
                            <span class="client-badge" title={format!("Client {letter} is connected here")}>
                                { *letter }
                            </span>
                        }
                    </li>
                }
            </ul>
            <p class="shard-ranges">
                { format!("slots {} ", props.ranges) }
                <span class="muted">{ format!("({})", props.slots) }</span>
            </p>
            if !props.chips.is_empty() {
                <ul class="key-chips" aria-label={format!("Keys on shard {}", props.index + 1)}>
                    for chip in props.chips.iter() {
                        { key_chip(chip, &props.dispatch) }
                    }
                    if more > 0 {
                        <li class="more-keys">{ format!("+{} more", crate::ui::map::thousands(more)) }</li>
                    }
                </ul>
            }
        </li>
    }
}

fn key_chip(chip: &KeyChip, dispatch: &Callback<Action>) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        let key = chip.key.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Inspect(key.clone())))
    };
    html! {
        <li key={chip.key.clone()}>
            <button type="button" class={classes!("key-chip", chip.last.then_some("last"))}
                title={format!("slot {} — click to inspect", chip.slot)} {onclick}>
                { chip.key.clone() }
                <span class="chip-slot">{ chip.slot }</span>
            </button>
        </li>
    }
}
