//! The script panel: a Lua editor, KEYS and ARGV (numkeys counted), Run as
//! EVAL / EVAL_RO / a function + FCALL on the active client (the line goes
//! through its console like a typed one), example scripts, the emulated
//! server version, and the trace of the last script run.
//!
//! The editor's text, KEYS, ARGV and mode are this component's own state;
//! the run and its trace go through the app's reducer.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::topology::HOST;
use crate::i18n::{tr, trf};
use crate::ui::components::lua_editor::{LineMark, LuaEditor};
use crate::ui::components::script_trace::ScriptTraceView;
use crate::ui::lang::use_lang;
use crate::ui::platform;
use crate::ui::script::{
    example, example_text, show_prepare_error, Emulated, RunMode, ScriptRequest, ScriptTrace,
    EXAMPLES,
};
use crate::ui::state::Action;
use crate::ui::world::WorldRef;

/// Props of [`ScriptPanel`].
#[derive(Properties, PartialEq)]
pub struct ScriptPanelProps {
    /// The cluster and the sessions.
    pub world: WorldRef,
    /// The client scripts run on.
    pub active: usize,
    /// Its letter.
    pub letter: char,
    /// The last script run.
    pub trace: Option<Rc<ScriptTrace>>,
    /// The emulated server version.
    pub emulated: Emulated,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The editor's form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    body: String,
    keys: String,
    args: String,
    mode: RunMode,
    /// The example last loaded (its lesson is shown until the script changes).
    example: Option<&'static str>,
}

impl Form {
    fn from_example(id: &'static str) -> Form {
        let ex = example(id).unwrap_or(&EXAMPLES[0]);
        Form {
            body: ex.body.to_string(),
            keys: ex.keys.to_string(),
            args: ex.args.to_string(),
            mode: RunMode::Eval,
            example: Some(ex.id),
        }
    }

    fn request(&self) -> ScriptRequest {
        ScriptRequest {
            body: self.body.clone(),
            keys: self.keys.clone(),
            args: self.args.clone(),
            mode: self.mode,
        }
    }
}

/// The script panel.
#[component]
pub fn ScriptPanel(props: &ScriptPanelProps) -> Html {
    let lang = use_lang();
    let form = use_state(|| Form::from_example(EXAMPLES[0].id));
    // The highlighted line, and a counter bumped by every click on a line
    // (so clicking the same line again scrolls it back into view).
    let highlight = use_state(|| None::<(usize, u64)>);
    let clicks = use_mut_ref(|| 0u64);

    let request = form.request();
    let prepared = request.prepare();
    let numkeys = request.key_list().map(|k| k.len());

    let run = {
        let dispatch = props.dispatch.clone();
        let request = request.clone();
        let ok = prepared.is_ok();
        let active = props.active;
        let highlight = highlight.clone();
        Callback::from(move |_: ()| {
            if ok {
                highlight.set(None);
                dispatch.emit(Action::RunScript {
                    client: active,
                    request: request.clone(),
                    now_ms: platform::now_ms(),
                });
            }
        })
    };
    let on_body = {
        let form = form.clone();
        Callback::from(move |body: String| {
            let mut next = (*form).clone();
            if next.body != body {
                next.body = body;
                next.example = None;
                form.set(next);
            }
        })
    };
    let on_keys = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            next.keys = el.value();
            form.set(next);
        })
    };
    let on_args = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            next.args = el.value();
            form.set(next);
        })
    };
    let on_mode = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Some(mode) = RunMode::from_value(&el.value()) {
                let mut next = (*form).clone();
                next.mode = mode;
                form.set(next);
            }
        })
    };
    let on_emulated = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            if let Some(emulated) = Emulated::from_value(&el.value()) {
                dispatch.emit(Action::SetEmulated(emulated));
            }
        })
    };
    // Stable callbacks: the trace (up to 200 calls) need not redraw while
    // the script is being typed.
    let on_line = {
        let set_highlight = highlight.setter();
        use_callback(clicks, move |line: usize, clicks| {
            let mut n = clicks.borrow_mut();
            *n += 1;
            set_highlight.set(Some((line, *n)));
        })
    };
    let on_open = {
        let set_form = form.setter();
        let set_highlight = highlight.setter();
        use_callback(props.trace.clone(), move |_: (), trace| {
            let Some(trace) = trace else { return };
            let Some(source) = trace.source.as_ref() else {
                return;
            };
            let quote = |words: &[String]| {
                words
                    .iter()
                    .map(|w| crate::hints::quote_arg(w.as_bytes()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            set_form.set(Form {
                body: source.body.clone(),
                keys: quote(&trace.key_names),
                args: quote(&trace.args),
                mode: if trace.read_only {
                    RunMode::EvalRo
                } else {
                    RunMode::Eval
                },
                example: None,
            });
            set_highlight.set(None);
        })
    };

    let matches_editor = props.trace.as_ref().is_some_and(|t| {
        t.source
            .as_ref()
            .is_some_and(|s| !s.library && s.body == form.body)
    });
    let (marks, undeclared) = match (&props.trace, matches_editor) {
        (Some(trace), true) => (
            Rc::new(
                trace
                    .calls
                    .iter()
                    .filter_map(|c| {
                        c.line.map(|l| {
                            (
                                l,
                                if c.rejected.is_some() {
                                    LineMark::Refused
                                } else {
                                    LineMark::Allowed
                                },
                            )
                        })
                    })
                    .collect::<Vec<_>>(),
            ),
            Rc::new(
                trace
                    .undeclared()
                    .into_iter()
                    .map(|k| k.key.clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        _ => (Rc::new(Vec::new()), Rc::new(Vec::new())),
    };
    let shown_highlight = highlight.filter(|_| matches_editor).map(|(line, _)| line);
    let reveal = highlight.map_or(0, |(_, n)| n);

    let world = props.world.borrow();
    let session = world.sessions.get(props.active);
    let target = session
        .map(|s| {
            trf(
                lang,
                if s.kind() == crate::ui::world::ClientKind::ClusterAware {
                    "script.target_seeded"
                } else {
                    "script.target_on"
                },
                &[
                    ("kind", s.kind().label_in(lang)),
                    ("node", &format!("{HOST}:{}", s.port())),
                ],
            )
        })
        .unwrap_or_default();
    let lesson = form.example.and_then(example);

    html! {
        <section class="panel script-panel" aria-labelledby="script-panel-title">
            <div class="panel-head">
                <h2 id="script-panel-title" class="panel-title">{ tr(lang, "panel.scripts") }</h2>
                <div class="control emulated">
                    <label for="emulated-version">{ tr(lang, "script.emulated") }</label>
                    <select id="emulated-version" class="emulated-picker" onchange={on_emulated}
                        aria-describedby="emulated-note">
                        for e in Emulated::ALL {
                            <option key={e.value()} value={e.value()} selected={e == props.emulated}>
                                { e.label() }
                            </option>
                        }
                    </select>
                </div>
            </div>
            <p id="emulated-note" class="emulated-note">{ props.emulated.describe(lang) }</p>
            <div class="script-examples" role="group" aria-label={tr(lang, "script.examples_label")}>
                <span class="try-label">{ tr(lang, "script.examples") }</span>
                for ex in EXAMPLES.iter() {
                    <button key={ex.id} type="button"
                        id={format!("script-example-{}", ex.id)}
                        class={classes!("try-chip", "script-example", (form.example == Some(ex.id)).then_some("current"))}
                        aria-pressed={(form.example == Some(ex.id)).to_string()}
                        onclick={
                            let form = form.clone();
                            let highlight = highlight.clone();
                            let id = ex.id;
                            Callback::from(move |_: MouseEvent| {
                                form.set(Form::from_example(id));
                                highlight.set(None);
                            })
                        }>
                        { example_text(lang, ex).0 }
                    </button>
                }
            </div>
            if let Some(ex) = lesson {
                <p class="example-lesson">{ example_text(lang, ex).1 }</p>
            }
            <LuaEditor
                id="script-editor"
                value={AttrValue::from(form.body.clone())}
                on_change={on_body}
                on_run={run.clone()}
                highlight={shown_highlight}
                {reveal}
                {marks}
                {undeclared}
                described_by={AttrValue::from("script-editor-help")}
            />
            <p id="script-editor-help" class="editor-help">
                { tr(lang, "script.editor_help") }
            </p>
            <div class="script-args">
                <div class="script-field">
                    <label for="script-keys">{ "KEYS" }</label>
                    <input id="script-keys" class="script-input" type="text"
                        placeholder={tr(lang, "script.keys_placeholder")}
                        autocomplete="off" autocapitalize="off" spellcheck="false"
                        value={form.keys.clone()} oninput={on_keys} />
                </div>
                <div class="script-field">
                    <label for="script-argv">{ "ARGV" }</label>
                    <input id="script-argv" class="script-input" type="text"
                        placeholder={tr(lang, "script.argv_placeholder")}
                        autocomplete="off" autocapitalize="off" spellcheck="false"
                        value={form.args.clone()} oninput={on_args} />
                </div>
                <p class="numkeys" aria-live="polite">
                    {
                        match numkeys {
                            Some(n) => format!("numkeys = {n}"),
                            None => tr(lang, "script.numkeys_unbalanced").to_string(),
                        }
                    }
                </p>
            </div>
            <div class="script-run-row">
                <fieldset class="run-mode">
                    <legend>{ tr(lang, "script.run_as") }</legend>
                    for mode in RunMode::ALL {
                        <label key={mode.value()} class={classes!("mode-option", (form.mode == mode).then_some("current"))}>
                            <input type="radio" name="script-run-mode" value={mode.value()}
                                checked={form.mode == mode} onchange={on_mode.clone()} />
                            { mode.label() }
                        </label>
                    }
                </fieldset>
                <div class="run-target">
                    <button id="run-script" type="button" class="run-script"
                        disabled={prepared.is_err()}
                        onclick={
                            let run = run.clone();
                            Callback::from(move |_: MouseEvent| run.emit(()))
                        }>
                        { tr(lang, "script.run_button") }
                    </button>
                    <span class="run-on">
                        <span class="run-on-client">{ trf(lang, "script.on_client", &[("letter", &props.letter.to_string())]) }</span>
                        <span class="run-on-node">{ target }</span>
                    </span>
                </div>
            </div>
            if form.mode != RunMode::Eval {
                <p class="mode-describe">{ form.mode.describe(lang) }</p>
            }
            {
                match &prepared {
                    Ok(p) => html! {
                        <p class="run-preview">
                            <span class="facts-label">{ tr(lang, "script.console_line") }</span>
                            <code>{ shorten(&p.line, 160) }</code>
                        </p>
                    },
                    Err(why) => html! { <p class="run-preview bad" role="alert">{ show_prepare_error(lang, why) }</p> },
                }
            }
            {
                match &props.trace {
                    Some(trace) => html! {
                        <ScriptTraceView
                            trace={trace.clone()}
                            world={props.world.clone()}
                            {matches_editor}
                            highlight={shown_highlight}
                            {on_line}
                            {on_open}
                        />
                    },
                    None => html! {
                        <p class="hint script-empty">
                            { tr(lang, "script.empty") }
                        </p>
                    },
                }
            }
        </section>
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}
