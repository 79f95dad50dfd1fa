//! The clients: a strip with one tab per client (and "Add client"), the
//! example commands, and one console per client, side by side on wide
//! screens (only the active one on phones).

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;

use crate::ui::components::client_console::ClientConsole;
use crate::ui::components::try_list::TryList;
use crate::ui::state::{Action, ClientView, MAX_CLIENTS};
use crate::ui::world::{ClientKind, Session, WorldRef};

/// Props of [`ClientsPanel`].
#[derive(Properties, PartialEq)]
pub struct ClientsPanelProps {
    /// The sessions (kind, node, prompt).
    pub world: WorldRef,
    /// The consoles.
    pub clients: Rc<Vec<Rc<ClientView>>>,
    /// The client being typed in.
    pub active: usize,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// What one console needs from the session.
struct SessionInfo {
    prompt: String,
    kind: ClientKind,
    port: u16,
    in_multi: bool,
}

/// The clients panel.
#[component]
pub fn ClientsPanel(props: &ClientsPanelProps) -> Html {
    let lang = use_lang();
    let (infos, nodes) = {
        let world = props.world.borrow();
        let infos: Vec<SessionInfo> = world
            .sessions
            .iter()
            .map(|s: &Session| SessionInfo {
                prompt: s.prompt(),
                kind: s.kind(),
                port: s.port(),
                in_multi: s.in_multi(),
            })
            .collect();
        let topology = &world.cluster.topology;
        let nodes: Vec<(u16, String)> = topology
            .nodes
            .iter()
            .map(|n| {
                let role = match n.role {
                    crate::engine::topology::Role::Master => tr(lang, "node.master").to_string(),
                    crate::engine::topology::Role::Replica { of } => {
                        topology.nodes.get(of).map_or_else(
                            || tr(lang, "node.replica").to_string(),
                            |m| trf(lang, "node.replica_of", &[("port", &m.port.to_string())]),
                        )
                    }
                };
                (n.port, format!("{} · {role}", n.port))
            })
            .collect();
        (infos, Rc::new(nodes))
    };
    let count = props.clients.len();
    let onadd = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::AddClient))
    };

    html! {
        <section class="clients-panel" aria-label={tr(lang, "panel.clients")}>
            <div class="client-strip" role="group" aria-label={tr(lang, "panel.clients")}>
                for (index, view) in props.clients.iter().enumerate() {
                    { tab(lang, index, view, infos.get(index), index == props.active, &props.dispatch) }
                }
                if count < MAX_CLIENTS {
                    <button type="button" class="add-client" onclick={onadd}
                        title={tr(lang, "clients.add_title")}>
                        { tr(lang, "clients.add") }
                    </button>
                }
            </div>
            <TryList active={props.active} dispatch={props.dispatch.clone()} />
            <div class={classes!("consoles", format!("count-{count}"))}>
                for (index, view) in props.clients.iter().enumerate() {
                    if let Some(info) = infos.get(index) {
                        <ClientConsole
                            key={u32::from(view.letter)}
                            {index}
                            view={view.clone()}
                            prompt={AttrValue::from(info.prompt.clone())}
                            kind={info.kind}
                            port={info.port}
                            nodes={nodes.clone()}
                            active={index == props.active}
                            removable={count > 1}
                            dispatch={props.dispatch.clone()}
                        />
                    }
                }
            </div>
        </section>
    }
}

fn tab(
    lang: Lang,
    index: usize,
    view: &ClientView,
    info: Option<&SessionInfo>,
    active: bool,
    dispatch: &Callback<Action>,
) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Focus(index)))
    };
    let kind = info.map_or("", |i| i.kind.label_in(lang));
    let tx = info.is_some_and(|i| i.in_multi);
    html! {
        <button
            type="button"
            id={format!("client-tab-{}", view.letter.to_ascii_lowercase())}
            class={classes!("client-tab", active.then_some("active"))}
            aria-pressed={active.to_string()}
            aria-label={trf(
                lang,
                if tx { "clients.tab_label_tx" } else { "clients.tab_label" },
                &[("letter", &view.letter.to_string()), ("kind", kind)],
            )}
            title={tr(lang, "clients.tab_title")}
            {onclick}
        >
            <span class="client-letter">{ view.letter }</span>
            <span class="client-tab-kind">{ kind }</span>
            if tx {
                <span class="badge tx-badge">{ "TX" }</span>
            }
        </button>
    }
}
