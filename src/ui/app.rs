//! The root component: owns the [`AppState`] reducer, hands every panel the
//! state it draws and the reducer's dispatcher (a stable callback, so
//! panels whose data did not change skip rendering), runs the sample
//! loader's ticks in an effect, and lays out the panels.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::ui::components::clients_panel::ClientsPanel;
use crate::ui::components::cluster_map::ClusterMap;
use crate::ui::components::key_inspector::KeyInspector;
use crate::ui::components::route_trace::RouteTrace;
use crate::ui::components::script_panel::ScriptPanel;
use crate::ui::components::top_bar::TopBar;
use crate::ui::components::tx_panel::{TxClient, TxPanel};
use crate::ui::inspect::line_slots;
use crate::ui::platform;
use crate::ui::state::{Action, AppState};

/// The playground page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let dispatch: Callback<Action> = state.dispatcher().to_callback();

    // The sample loader runs one chunk per tick, so the page keeps drawing.
    {
        let dispatch = dispatch.clone();
        let tick = state.loading.as_ref().map(|l| l.done);
        use_effect_with(tick, move |tick| {
            let timeout = tick.map(|_| {
                Timeout::new(0, move || {
                    dispatch.emit(Action::LoadChunk {
                        now_ms: platform::now_ms(),
                    })
                })
            });
            move || drop(timeout)
        });
    }

    let active = state.active;
    let active_view = state.client(active).cloned();
    let input: AttrValue = active_view
        .as_ref()
        .map(|v| AttrValue::from(v.input.clone()))
        .unwrap_or_default();
    let typed_slots = line_slots(&input);
    let active_name = active_view.as_ref().map(|v| v.name()).unwrap_or_default();
    let client_index = state
        .last
        .as_ref()
        .and_then(|last| state.clients.iter().position(|c| c.letter == last.client));
    let tx_clients: Vec<TxClient> = state
        .clients
        .iter()
        .enumerate()
        .map(|(index, c)| TxClient {
            index,
            letter: c.letter,
            tx: c.tx.clone(),
            touches: c.touches.clone(),
        })
        .collect();
    let loading = state
        .loading
        .as_ref()
        .map(|l| (l.sample, l.done, l.sample.total()));

    html! {
        <div class="app">
            <TopBar dispatch={dispatch.clone()} />
            <main class="layout">
                <div class="main-col">
                    <ClientsPanel
                        world={state.world.clone()}
                        clients={state.clients.clone()}
                        {active}
                        dispatch={dispatch.clone()}
                    />
                    <ClusterMap
                        world={state.world.clone()}
                        last={state.last.clone()}
                        {typed_slots}
                        {loading}
                        letters={state.clients.iter().map(|c| c.letter).collect::<Vec<char>>()}
                        dispatch={dispatch.clone()}
                    />
                </div>
                <aside class="side-panel" aria-label="What happened">
                    <RouteTrace
                        world={state.world.clone()}
                        last={state.last.clone()}
                        {client_index}
                        owners={state.owners.clone()}
                        dispatch={dispatch.clone()}
                    />
                    <TxPanel world={state.world.clone()} clients={tx_clients} />
                    <KeyInspector
                        world={state.world.clone()}
                        {active}
                        client_name={AttrValue::from(active_name)}
                        {input}
                        inspect={AttrValue::from(state.inspect.clone())}
                        dispatch={dispatch.clone()}
                    />
                    <ScriptPanel />
                </aside>
            </main>
        </div>
    }
}
