//! The page header: title, one line on what this is, and Reset.

use yew::prelude::*;

use crate::ui::state::Action;

/// Props of [`TopBar`].
#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The page header.
#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let onreset = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Reset))
    };
    html! {
        <header class="app-header">
            <div class="brand">
                <h1 class="app-title">{ "slotlab" }</h1>
                <p class="app-tagline">
                    { "A Redis Cluster playground: 3 masters, 3 replicas, 16384 hash slots — in your browser." }
                </p>
            </div>
            <button type="button" class="reset-button" onclick={onreset}
                title="A new empty cluster and a single client, as on first load">
                { "Reset" }
            </button>
        </header>
    }
}
