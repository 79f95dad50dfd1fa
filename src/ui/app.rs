//! The root component: owns the [`AppState`] reducer, hands every panel the
//! state it draws and the reducer's dispatcher (a stable callback, so
//! panels whose data did not change skip rendering), runs the sample
//! loader's ticks in an effect, and lays out the panels.
//!
//! The first render draws the header, the timeline, a lesson and the
//! consoles only; the cluster map, the script panel and the side panels
//! follow one task later (a zero timer), so the console is ready to type
//! in sooner (issue 8, time to interactive: the first render compiles and
//! runs only what the console needs).
//!
//! It also opens the page's link (or the session saved in this browser),
//! and, in effects, keeps the address (`#s=v1.…`, with
//! `history.replaceState`) and the saved copy (localStorage; never inside
//! an embed) current, applies the theme, and in embed mode tells the
//! embedding page its height.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::share::{self, Link, SessionDoc};
use crate::ui::browser;
use crate::ui::components::clients_panel::ClientsPanel;
use crate::ui::components::cluster_map::ClusterMap;
use crate::ui::components::key_inspector::KeyInspector;
use crate::ui::components::lesson_panel::LessonPanel;
use crate::ui::components::lesson_picker::LessonPicker;
use crate::ui::components::notice_bar::NoticeBar;
use crate::ui::components::route_trace::RouteTrace;
use crate::ui::components::script_panel::ScriptPanel;
use crate::ui::components::timeline_bar::TimelineBar;
use crate::ui::components::top_bar::TopBar;
use crate::ui::components::tx_panel::{TxClient, TxPanel};
use crate::ui::inspect::line_slots;
use crate::ui::platform;
use crate::ui::session::{Notice, Theme};
use crate::ui::share_text as text;
use crate::ui::state::{Action, AppState};

/// Waits this long after the last change before writing the address and
/// the saved copy.
const SAVE_DELAY_MS: u32 = 200;

/// The language the page opens in (before the app mounts).
pub fn wanted_lang() -> Lang {
    let (query, _) = browser::location();
    lang_for(&share::parse_link(&query, ""))
}

/// Whether the page starts in a lesson: its address asks for one, or the
/// session it opens (the link's, else the saved one) names one
/// (`share::starts_in_a_lesson`, which reads them without checking them).
pub fn starts_in_a_lesson() -> bool {
    let (query, fragment) = browser::location();
    let saved = browser::load_saved();
    share::starts_in_a_lesson(&query, &fragment, saved.as_deref())
}

/// `link`'s `lang=`, else the learner's last choice (not inside an
/// embed), else the browser's.
fn lang_for(link: &Link) -> Lang {
    let saved = if link.embed {
        None
    } else {
        browser::load_lang()
    };
    link.lang.or(saved).unwrap_or_else(platform::browser_lang)
}

/// The state the page opens with (reads the address and localStorage).
fn initial_state() -> AppState {
    let (query, fragment) = browser::location();
    let link = share::parse_link(&query, &fragment);
    let saved = if link.embed {
        None
    } else {
        browser::load_saved()
    };
    let lang = lang_for(&link);
    AppState::open(link, saved.as_deref(), platform::now_ms(), lang)
}

/// `v1.…` for the session, or `None` when there is nothing to keep.
fn encoded(doc: &SessionDoc) -> Option<String> {
    (!doc.is_empty()).then(|| share::encode(doc))
}

/// The session as a link to the full playground.
fn full_link(state: &AppState) -> String {
    let base = browser::base_url();
    match encoded(&state.to_doc()) {
        Some(e) => format!("{base}#{}={e}", share::FRAGMENT_KEY),
        None => base,
    }
}

/// The share link and an embed snippet for the session.
fn share_texts(state: &AppState) -> (String, String) {
    let base = browser::base_url();
    let dir = base.rfind('/').map_or(base.as_str(), |i| &base[..=i]);
    let doc = state.to_doc();
    let session = encoded(&doc);
    let link = match &session {
        Some(e) => format!("{base}#{}={e}", share::FRAGMENT_KEY),
        None => base.clone(),
    };
    let attribute = session
        .map(|e| format!(" session=\"{e}\""))
        .unwrap_or_default();
    let snippet = format!(
        "<script src=\"{dir}embed.js\" defer></script>\n<slotlab-playground{attribute}></slotlab-playground>"
    );
    (link, snippet)
}

/// Writes the address and the saved copy.
fn persist(state: &AppState, dispatch: &Callback<Action>) {
    let doc = state.to_doc();
    let (query, fragment) = browser::location();
    let path = browser::path();
    let embed = state.settings.embed;
    if doc.is_empty() {
        if !embed {
            browser::forget();
        }
        // A session fragment that no longer says anything goes.
        if fragment.starts_with(&format!("#{}=", share::FRAGMENT_KEY)) {
            browser::replace_url(&format!("{path}{}", share::query_without_session(&query)));
        }
        return;
    }
    let mut check = doc.clone();
    if let Err(e) = check.validate() {
        dispatch.emit(Action::Notify(Notice::CannotShare(e)));
        return;
    }
    let encoded = share::encode(&doc);
    let keep = share::query_without_session(&query);
    browser::replace_url(&format!("{path}{keep}#{}={encoded}", share::FRAGMENT_KEY));
    if !embed {
        browser::save(&encoded);
    }
}

/// The playground page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let dispatch: Callback<Action> = state.dispatcher().to_callback();
    let root = use_node_ref();

    // Everything but the header, the timeline, a lesson and the consoles is
    // drawn one task after the first render.
    let rest = use_state(|| false);
    {
        let rest = rest.clone();
        use_effect_with((), move |_| {
            let timeout = Timeout::new(0, move || rest.set(true));
            move || drop(timeout)
        });
    }
    let rest = *rest;

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

    // The address and the saved copy follow the session (a moment after
    // the last change).
    // The failure detector runs on the simulated clock: when a change is
    // due (a stopped node flagged fail? / fail, an election ...), a timer
    // lets time pass to it, as a step. Only at the last step.
    {
        let dispatch = dispatch.clone();
        let due = if state.timeline.at_head() && state.loading.is_none() {
            state.world.borrow().cluster.next_transition_at()
        } else {
            None
        };
        // The change is due on the page's clock (the wall clock plus what
        // "Skip ahead" skipped).
        let offset = state.clock_offset;
        use_effect_with((due, offset), move |(due, offset)| {
            let offset = *offset;
            let timeout = due.map(|at| {
                let wait = at.saturating_sub(platform::now_ms().saturating_add(offset));
                Timeout::new(u32::try_from(wait).unwrap_or(u32::MAX), move || {
                    dispatch.emit(Action::Tick {
                        at,
                        now_ms: platform::now_ms(),
                    })
                })
            });
            move || drop(timeout)
        });
    }

    let share_key = (
        state.timeline.key(),
        Rc::as_ptr(&state.settings) as usize,
        Rc::as_ptr(&state.pending) as usize,
        state.active,
        state.lesson.as_ref().map(|r| (r.lesson, r.step)),
    );
    {
        let snapshot = (*state).clone();
        let dispatch = dispatch.clone();
        use_effect_with(share_key, move |_| {
            let timeout = Timeout::new(SAVE_DELAY_MS, move || persist(&snapshot, &dispatch));
            move || drop(timeout)
        });
    }

    // The theme a link asked for.
    use_effect_with(state.settings.theme, |theme| {
        browser::set_theme(match theme {
            Theme::Auto => None,
            other => Some(other.value()),
        });
    });

    // Inside an embed, the embedding page learns our height.
    {
        let root = root.clone();
        use_effect_with(state.settings.embed, move |embed| {
            let watch = if *embed {
                root.cast::<web_sys::Element>()
                    .and_then(browser::HeightWatch::start)
            } else {
                None
            };
            move || drop(watch)
        });
    }

    // A language whose texts are not in the page yet is fetched, then shown.
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.pending_lang, move |pending| {
            if let Some(lang) = *pending {
                platform::fetch_catalog(lang, move |installed| {
                    dispatch.emit(match installed {
                        Ok(()) => Action::LangLoaded(lang),
                        Err(_) => Action::LangUnavailable(lang),
                    });
                });
            }
        });
    }

    // A Chinese or Japanese page fetches its lesson texts once it has
    // started (they are not needed to start; until they arrive, or if they
    // cannot be had, lessons show in English).
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.lang, move |lang| {
            let lang = *lang;
            if !crate::i18n::lesson_texts_ready(lang) {
                platform::fetch_lesson_texts(lang, move |installed| {
                    if installed.is_ok() {
                        dispatch.emit(Action::LessonTextsLoaded(lang));
                    }
                });
            }
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
        use_effect_with((key, look, rest), |(_, look, _)| {
            if let Some(look) = look {
                platform::reveal_in_side_panel(look);
            }
        });
    }

    let embed = state.settings.embed;
    let full = {
        let snapshot = (*state).clone();
        use_memo(share_key, move |_| {
            if embed {
                AttrValue::from(full_link(&snapshot))
            } else {
                AttrValue::default()
            }
        })
    };
    let share = {
        let snapshot = (*state).clone();
        Callback::from(move |()| share_texts(&snapshot))
    };

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

    let (cursor, len) = state.timeline.position();
    let letters: Vec<char> = state.clients.iter().map(|c| c.letter).collect();
    let step_label = cursor
        .checked_sub(1)
        .and_then(|i| state.timeline.step(i))
        .map_or_else(
            || text::at_start(lang, len).to_string(),
            |step| text::describe_step(lang, &step, &letters),
        );
    let view = state.settings.view;
    let translated = crate::i18n::lesson_texts_ready(lang);

    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("app", embed.then_some("embed"), format!("view-{}", view.value()))}
            data-look={look} ref={root}>
            <TopBar {embed} full_link={(*full).clone()} {share} dispatch={dispatch.clone()}
                picker={state.picker} pending_lang={state.pending_lang} />
            if state.picker {
                <LessonPicker
                    current={state.lesson.as_ref().map(|r| r.lesson)}
                    {translated}
                    dispatch={dispatch.clone()}
                />
            }
            if let Some(notice) = state.notice.clone() {
                <NoticeBar {notice} dispatch={dispatch.clone()} />
            }
            <TimelineBar {cursor} {len} label={AttrValue::from(step_label)} compact={embed}
                dispatch={dispatch.clone()} />
            if let Some(run) = state.lesson.clone() {
                <LessonPanel {run} {translated} dispatch={dispatch.clone()} />
            }
            <main class="layout">
                <div class="main-col">
                    <ClientsPanel
                        world={state.world.clone()}
                        clients={state.clients.clone()}
                        {active}
                        dispatch={dispatch.clone()}
                    />
                    if rest && view.map() {
                        <ClusterMap
                            world={state.world.clone()}
                            last={state.last.clone()}
                            {typed_slots}
                            {loading}
                            letters={letters.clone()}
                            ops={state.ops.clone()}
                            last_time={state.last_time()}
                            at_head={state.timeline.at_head()}
                            dispatch={dispatch.clone()}
                        />
                    }
                    if rest && view.inspector() {
                        <ScriptPanel
                            world={state.world.clone()}
                            {active}
                            letter={active_view.as_ref().map_or('A', |v| v.letter)}
                            trace={state.script.clone()}
                            emulated={state.emulated}
                            dispatch={dispatch.clone()}
                        />
                    }
                </div>
                if view.trace() || view.inspector() {
                    <aside class="side-panel" aria-label={tr(lang, "panel.what_happened")}>
                        if rest && view.trace() {
                            <RouteTrace
                                world={state.world.clone()}
                                last={state.last.clone()}
                                {client_index}
                                owners={state.owners.clone()}
                                dispatch={dispatch.clone()}
                            />
                            <TxPanel world={state.world.clone()} clients={tx_clients} />
                        }
                        if rest && view.inspector() {
                            <KeyInspector
                                world={state.world.clone()}
                                {active}
                                client_name={AttrValue::from(active_name)}
                                {input}
                                inspect={AttrValue::from(state.inspect.clone())}
                                dispatch={dispatch.clone()}
                            />
                        }
                    </aside>
                }
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}
