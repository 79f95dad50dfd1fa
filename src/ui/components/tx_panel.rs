//! The transaction panel: one card per client that is in MULTI, WATCHes
//! keys, or just finished a transaction; a short how-to otherwise.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;

use crate::ui::components::tx_card::{TxCard, WatchedKey};
use crate::ui::tx::{Touch, TxView};
use crate::ui::world::{Session, WorldRef};

/// One client's transaction data.
#[derive(Debug, Clone, PartialEq)]
pub struct TxClient {
    /// Position of the client.
    pub index: usize,
    /// Its letter.
    pub letter: char,
    /// Its current or last transaction.
    pub tx: Option<Rc<TxView>>,
    /// Writes to the keys it WATCHes.
    pub touches: Rc<Vec<Touch>>,
}

/// Props of [`TxPanel`].
#[derive(Properties, PartialEq)]
pub struct TxPanelProps {
    /// The cluster (connections' MULTI and WATCH state).
    pub world: WorldRef,
    /// Every client's transaction data.
    pub clients: Vec<TxClient>,
}

/// The transaction panel.
#[component]
pub fn TxPanel(props: &TxPanelProps) -> Html {
    let lang = use_lang();
    let world = props.world.borrow();
    let mut cards: Vec<Html> = Vec::new();
    for client in &props.clients {
        let Some(session) = world.sessions.get(client.index) else {
            continue;
        };
        let mut watched: Vec<WatchedKey> = Vec::new();
        for conn in session.connections() {
            let Some(state) = world.cluster.connection(conn) else {
                continue;
            };
            let port = world.cluster.topology.nodes.get(state.node).map(|n| n.port);
            for w in &state.watched {
                let key = crate::ui::inspect::show_bytes(&w.key);
                let touched_by: Vec<String> = client
                    .touches
                    .iter()
                    .filter(|t| t.key == key)
                    .map(|t| t.by.clone())
                    .collect();
                watched.push(WatchedKey {
                    slot: crate::engine::slot::key_slot(&w.key),
                    key,
                    port: port.unwrap_or_default(),
                    touched_by,
                });
            }
        }
        let held = matches!(
            session,
            Session::Aware(c) if c.tx() == crate::engine::cluster_client::TxState::Held
        );
        if client.tx.is_none() && watched.is_empty() && !held {
            continue;
        }
        cards.push(html! {
            <TxCard
                key={u32::from(client.letter)}
                letter={client.letter}
                tx={client.tx.clone()}
                {watched}
                {held}
            />
        });
    }

    html! {
        <section class="panel tx-panel" aria-labelledby="tx-panel-title">
            <h2 id="tx-panel-title" class="panel-title">{ tr(lang, "panel.transactions") }</h2>
            if cards.is_empty() {
                <p class="hint">
                    { tr(lang, "tx.empty") }
                </p>
                <p class="hint">
                    { tr(lang, "tx.empty_watch") }
                </p>
            } else {
                <div class="tx-cards">{ for cards }</div>
            }
        </section>
    }
}
