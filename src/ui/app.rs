//! The root component: owns the [`AppState`] reducer, turns component
//! callbacks into [`Action`]s (stamping `Submit` with the clock from
//! [`platform`]) and lays out the panels.

use yew::prelude::*;

use crate::ui::components::cluster_status::ClusterStatus;
use crate::ui::components::console::Console;
use crate::ui::components::key_inspector::KeyInspector;
use crate::ui::components::route_trace::RouteTrace;
use crate::ui::components::toolbar::Toolbar;
use crate::ui::platform;
use crate::ui::state::{Action, AppState};

/// The playground page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);

    let onedit = action_callback(&state, Action::Edit);
    let onconnect = action_callback(&state, Action::Connect);
    let onfollow = action_callback(&state, Action::SetFollowRedirects);
    let onsubmit = action_callback(&state, |()| Action::Submit {
        now_ms: platform::now_ms(),
    });
    let onhistoryprev = action_callback(&state, |()| Action::HistoryPrev);
    let onhistorynext = action_callback(&state, |()| Action::HistoryNext);
    let onclear = action_callback(&state, |()| Action::Clear);

    html! {
        <div class="app">
            <header class="app-header">
                <h1 class="app-title">{ "slotlab" }</h1>
                <p class="app-tagline">
                    { "A Redis Cluster playground: redis-cli on a simulated 3-master cluster, in your browser." }
                </p>
            </header>
            <main class="layout">
                <section class="console-panel" aria-label="redis-cli console">
                    <Toolbar
                        world={state.world.clone()}
                        {onconnect}
                        {onfollow}
                        onclear={onclear.clone()}
                    />
                    <Console
                        prompt={state.prompt()}
                        input={state.input.clone()}
                        transcript={state.transcript.clone()}
                        {onedit}
                        {onsubmit}
                        {onhistoryprev}
                        {onhistorynext}
                        {onclear}
                    />
                </section>
                <aside class="side-panel">
                    <ClusterStatus world={state.world.clone()} />
                    <KeyInspector world={state.world.clone()} input={state.input.clone()} />
                    <RouteTrace events={state.last_events.clone()} />
                </aside>
            </main>
        </div>
    }
}

/// A callback that turns its value into an action and dispatches it.
fn action_callback<T: 'static>(
    state: &UseReducerHandle<AppState>,
    make: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |value: T| state.dispatch(make(value)))
}
