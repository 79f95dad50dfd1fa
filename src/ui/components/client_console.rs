//! One client: its toolbar (kind, node, clear, close), a line on what its
//! kind does, and its console.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::trf;
use crate::ui::lang::use_lang;

use crate::ui::components::console::Console;
use crate::ui::components::toolbar::Toolbar;
use crate::ui::state::{Action, ClientView};
use crate::ui::world::ClientKind;

/// Props of [`ClientConsole`].
#[derive(Properties, PartialEq)]
pub struct ClientConsoleProps {
    /// Position among the clients.
    pub index: usize,
    /// The console's state.
    pub view: Rc<ClientView>,
    /// The prompt for the next line.
    pub prompt: AttrValue,
    /// The client's kind.
    pub kind: ClientKind,
    /// Its node (or seed node).
    pub port: u16,
    /// Every node: (port, label), for the node picker.
    pub nodes: Rc<Vec<(u16, String)>>,
    /// The client being typed in.
    pub active: bool,
    /// Whether it may be closed.
    pub removable: bool,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// One client's console.
#[component]
pub fn ClientConsole(props: &ClientConsoleProps) -> Html {
    let lang = use_lang();
    let letter = props.view.letter;
    let id = letter.to_ascii_lowercase();
    html! {
        <section
            id={format!("client-{id}")}
            class={classes!("client", props.active.then_some("active"), (props.kind == ClientKind::ClusterAware).then_some("aware"))}
            aria-label={trf(lang, "client.name", &[("letter", &letter.to_string())])}
        >
            <Toolbar
                index={props.index}
                {letter}
                kind={props.kind}
                port={props.port}
                nodes={props.nodes.clone()}
                removable={props.removable}
                dispatch={props.dispatch.clone()}
            />
            <p class="kind-note">{ props.kind.describe(lang) }</p>
            <Console
                index={props.index}
                {letter}
                prompt={props.prompt.clone()}
                input={AttrValue::from(props.view.input.clone())}
                transcript={props.view.transcript.clone()}
                candidates={props.view.candidates.clone()}
                focus={props.view.focus}
                dispatch={props.dispatch.clone()}
            />
        </section>
    }
}
