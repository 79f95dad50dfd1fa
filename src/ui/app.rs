//! The root component: owns the [`AppState`] reducer, hands every panel the
//! state it draws and the reducer's dispatcher (a stable callback, so
//! panels whose data did not change skip rendering), runs the sample
//! loader's ticks in an effect, and lays out the panels.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::ui::components::clients_panel::ClientsPanel;
use crate::ui::components::cluster_map::ClusterMap;
use crate::ui::components::key_inspector::KeyInspector;
use crate::ui::components::lesson_panel::LessonPanel;
use crate::ui::components::lesson_picker::LessonPicker;
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
    let state = use_reducer(|| AppState::new_in(platform::browser_lang()));
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

    // <html lang> follows the page language (the right CJK glyphs).
    use_effect_with(state.lang, |lang| platform::set_document_lang(*lang));
    let lang: Lang = state.lang;
    let look = state.lesson.as_ref().and_then(|run| {
        let step = run.data()?.steps.get(run.step)?;
        (!run.finished).then_some(step.look?.value())
    });

    // A new step that points at a side panel brings it into view.
    {
        let key = state
            .lesson
            .as_ref()
            .map(|run| (run.lesson, run.step, run.finished));
        use_effect_with((key, look), |(_, look)| {
            if let Some(look) = look {
                platform::reveal_in_side_panel(look);
            }
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
        <ContextProvider<Lang> context={lang}>
        <div class="app" data-look={look}>
            <TopBar dispatch={dispatch.clone()} picker={state.picker} />
            if state.picker {
                <LessonPicker
                    current={state.lesson.as_ref().map(|r| r.lesson)}
                    dispatch={dispatch.clone()}
                />
            }
            if let Some(run) = state.lesson.clone() {
                <LessonPanel {run} dispatch={dispatch.clone()} />
            }
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
                    <ScriptPanel
                        world={state.world.clone()}
                        {active}
                        letter={active_view.as_ref().map_or('A', |v| v.letter)}
                        trace={state.script.clone()}
                        emulated={state.emulated}
                        dispatch={dispatch.clone()}
                    />
                </div>
                <aside class="side-panel" aria-label={tr(lang, "panel.what_happened")}>
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
                </aside>
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}
