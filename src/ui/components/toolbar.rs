//! A client's controls: its name, its kind (redis-cli, redis-cli -c, or a
//! cluster-aware client), the node it connects to (both restart the
//! session, like restarting redis-cli), Clear, and Close.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{tr, trf};
use crate::ui::lang::use_lang;

use crate::ui::state::Action;
use crate::ui::world::ClientKind;

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// Position among the clients.
    pub index: usize,
    /// `A`, `B` …
    pub letter: char,
    /// The current kind.
    pub kind: ClientKind,
    /// The current node (or seed node).
    pub port: u16,
    /// Every node: (port, label).
    pub nodes: Rc<Vec<(u16, String)>>,
    /// Whether the client may be closed.
    pub removable: bool,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The controls above a console.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let lang = use_lang();
    let index = props.index;
    let id = props.letter.to_ascii_lowercase();
    let onkind = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(kind) = ClientKind::from_value(&select.value()) {
                dispatch.emit(Action::SetKind {
                    client: index,
                    kind,
                });
            }
        })
    };
    let onnode = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(port) = select.value().parse::<u16>() {
                dispatch.emit(Action::Connect {
                    client: index,
                    port,
                });
            }
        })
    };
    let onclear = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Clear(index)))
    };
    let onclose = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::RemoveClient(index)))
    };
    let node_label = if props.kind == ClientKind::ClusterAware {
        tr(lang, "client.seed_node")
    } else {
        tr(lang, "client.node")
    };

    html! {
        <div class="toolbar">
            <span class="client-name">{ trf(lang, "client.name", &[("letter", &props.letter.to_string())]) }</span>
            <div class="toolbar-controls">
                <div class="control">
                    <label for={format!("kind-picker-{id}")}>{ tr(lang, "client.kind") }</label>
                    <select id={format!("kind-picker-{id}")} class="kind-picker" onchange={onkind}>
                        for kind in ClientKind::ALL {
                            <option key={kind.value()} value={kind.value()} selected={kind == props.kind}>
                                { kind.short_label_in(lang) }
                            </option>
                        }
                    </select>
                </div>
                <div class="control">
                    <label for={format!("node-picker-{id}")}>{ node_label }</label>
                    <select id={format!("node-picker-{id}")} class="node-picker" onchange={onnode}>
                        for (port, label) in props.nodes.iter() {
                            <option key={*port} value={port.to_string()} selected={*port == props.port}>
                                { label.clone() }
                            </option>
                        }
                    </select>
                </div>
            </div>
            <div class="toolbar-buttons">
                <button class="clear-button" type="button" onclick={onclear}
                    title={tr(lang, "client.clear_title")}
                    aria-label={trf(lang, "client.clear_label", &[("letter", &props.letter.to_string())])}>
                    { tr(lang, "client.clear") }
                </button>
                if props.removable {
                    <button class="close-button" type="button" onclick={onclose}
                        aria-label={trf(lang, "client.close_label", &[("letter", &props.letter.to_string())])} title={tr(lang, "client.close_title")}>
                        { "×" }
                    </button>
                }
            </div>
        </div>
    }
}
