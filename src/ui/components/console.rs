//! A client's console: the scrollback and, under it, the prompt with the
//! input line. Enter runs the line, ↑/↓ walk the history, Tab completes a
//! command name (and lists the candidates when several match; with
//! nothing to complete, Tab moves the focus as usual), Ctrl+L clears the
//! screen. Keeps the screen scrolled to the bottom, and takes the focus
//! when it appears or when asked to (its `focus` token changes).

use std::rc::Rc;

use gloo::render::request_animation_frame;
use web_sys::{Element, FocusOptions, HtmlInputElement};
use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;

use crate::hints;
use crate::ui::components::transcript::Transcript;
use crate::ui::platform;
use crate::ui::state::{Action, Entry};

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// Position of the client.
    pub index: usize,
    /// Its letter (`A` …), for ids and labels.
    pub letter: char,
    /// The prompt for the next line (`127.0.0.1:7000> `).
    pub prompt: AttrValue,
    /// The line being edited.
    pub input: AttrValue,
    /// The scrollback.
    pub transcript: Rc<Vec<Rc<Entry>>>,
    /// Tab completion candidates to list.
    pub candidates: Rc<Vec<String>>,
    /// Changes when the input should take the focus.
    pub focus: u64,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The console.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let lang = use_lang();
    let screen = use_node_ref();
    let input = use_node_ref();
    let index = props.index;

    // Keep the newest output (and the prompt under it) in view. Reading
    // the height forces a layout, so it waits for the next frame, where
    // the browser lays the page out anyway: the render (the page's first,
    // or a command's output) finishes without one.
    {
        let screen = screen.clone();
        let last = props.transcript.last().map(|e| e.id);
        let len = props.transcript.len();
        let candidates = props.candidates.len();
        use_effect_with((last, len, candidates), move |_| {
            let frame = request_animation_frame(move |_| {
                if let Some(el) = screen.cast::<Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
            move || drop(frame)
        });
    }
    // Take the focus when the console appears and whenever asked to. A
    // console that appears while something else has the focus (the
    // timeline being scrubbed to a step with more clients) leaves it there.
    {
        let input = input.clone();
        use_effect_with(props.focus, move |&focus| {
            let take_focus = move || {
                let elsewhere = gloo::utils::document()
                    .active_element()
                    .is_some_and(|el| el.tag_name() != "BODY");
                if focus == 0 && elsewhere {
                    return;
                }
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    // On first appearance, do not scroll the page to the input.
                    let options = FocusOptions::new();
                    options.set_prevent_scroll(focus == 0);
                    let _ = el.focus_with_options(&options);
                }
            };
            // Focusing forces a style and layout pass: on first appearance
            // (the page's first render) it waits for the next frame.
            let frame = if focus == 0 {
                Some(request_animation_frame(move |_| take_focus()))
            } else {
                take_focus();
                None
            };
            move || drop(frame)
        });
    }

    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Action::Edit {
                client: index,
                text: el.value(),
            });
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        let line = props.input.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let plain = !e.alt_key() && !e.meta_key();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    dispatch.emit(Action::Submit {
                        client: index,
                        now_ms: platform::now_ms(),
                    });
                }
                "ArrowUp" => {
                    e.prevent_default();
                    dispatch.emit(Action::HistoryPrev(index));
                }
                "ArrowDown" => {
                    e.prevent_default();
                    dispatch.emit(Action::HistoryNext(index));
                }
                // Complete only when there is something to complete;
                // otherwise Tab keeps moving the focus.
                "Tab"
                    if plain
                        && !e.shift_key()
                        && !e.ctrl_key()
                        && hints::complete(&line).is_some() =>
                {
                    e.prevent_default();
                    dispatch.emit(Action::Complete(index));
                }
                "l" | "L" if e.ctrl_key() && plain => {
                    e.prevent_default();
                    dispatch.emit(Action::Clear(index));
                }
                _ => {}
            }
        })
    };
    let onfocus = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: FocusEvent| dispatch.emit(Action::Activate(index)))
    };
    let onformsubmit = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.emit(Action::Submit {
                client: index,
                now_ms: platform::now_ms(),
            });
        })
    };
    // A click on the screen focuses the input, unless text is being selected.
    let onscreenclick = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if selecting {
                return;
            }
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        })
    };

    let id = props.letter.to_ascii_lowercase();
    let input_id = format!("cli-input-{id}");
    let label = if props.index == 0 {
        "Command".to_string()
    } else {
        format!("Command, Client {}", props.letter)
    };

    html! {
        <div class="console">
            <div class="screen" ref={screen} onclick={onscreenclick}>
                <Transcript entries={props.transcript.clone()} />
                <form class="prompt-line" onsubmit={onformsubmit}>
                    <label class="prompt" for={input_id.clone()}>{ props.prompt.clone() }</label>
                    <input
                        ref={input}
                        id={input_id}
                        class="cli-input"
                        type="text"
                        aria-label={label}
                        autocomplete="off"
                        autocapitalize="off"
                        autocorrect="off"
                        spellcheck="false"
                        enterkeyhint="send"
                        value={props.input.clone()}
                        {oninput}
                        {onkeydown}
                        {onfocus}
                    />
                    <button class="run-button" type="submit">{ tr(lang, "console.run") }</button>
                </form>
                if !props.candidates.is_empty() {
                    <div class="candidates" aria-live="polite">
                        { props.candidates.join("  ") }
                    </div>
                }
            </div>
        </div>
    }
}
