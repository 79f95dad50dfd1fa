//! The redis-cli console: the scrollback and, under it, the prompt with the
//! input line. Enter runs the line, ↑/↓ walk the history, Ctrl+L clears the
//! screen. Keeps the input focused and the screen scrolled to the bottom.

use std::rc::Rc;

use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::ui::components::transcript::Transcript;
use crate::ui::state::Entry;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The prompt for the next line (`127.0.0.1:7000> `).
    pub prompt: AttrValue,
    /// The line being edited.
    pub input: AttrValue,
    /// The scrollback.
    pub transcript: Rc<Vec<Rc<Entry>>>,
    /// The line was edited.
    pub onedit: Callback<String>,
    /// Enter: run the line.
    pub onsubmit: Callback<()>,
    /// ↑.
    pub onhistoryprev: Callback<()>,
    /// ↓.
    pub onhistorynext: Callback<()>,
    /// Ctrl+L.
    pub onclear: Callback<()>,
}

/// The console panel.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let screen = use_node_ref();
    let input = use_node_ref();

    // Keep the newest output (and the prompt under it) in view.
    {
        let screen = screen.clone();
        let last = props.transcript.last().map(|e| e.id);
        let len = props.transcript.len();
        use_effect_with((last, len), move |_| {
            if let Some(el) = screen.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    // Focus the input once, when the console appears.
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }

    let oninput = {
        let onedit = props.onedit.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            onedit.emit(el.value());
        })
    };
    let onkeydown = {
        let onsubmit = props.onsubmit.clone();
        let onprev = props.onhistoryprev.clone();
        let onnext = props.onhistorynext.clone();
        let onclear = props.onclear.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    onsubmit.emit(());
                }
                "ArrowUp" => {
                    e.prevent_default();
                    onprev.emit(());
                }
                "ArrowDown" => {
                    e.prevent_default();
                    onnext.emit(());
                }
                "l" | "L" if e.ctrl_key() && !e.alt_key() && !e.meta_key() => {
                    e.prevent_default();
                    onclear.emit(());
                }
                _ => {}
            }
        })
    };
    let onformsubmit = {
        let onsubmit = props.onsubmit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            onsubmit.emit(());
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

    html! {
        <div class="console">
            <div class="screen" ref={screen} onclick={onscreenclick}>
                <Transcript entries={props.transcript.clone()} />
                <form class="prompt-line" onsubmit={onformsubmit}>
                    <label class="prompt" for="cli-input">{ props.prompt.clone() }</label>
                    <input
                        ref={input}
                        id="cli-input"
                        class="cli-input"
                        type="text"
                        aria-label="redis-cli command line"
                        autocomplete="off"
                        autocapitalize="off"
                        autocorrect="off"
                        spellcheck="false"
                        enterkeyhint="send"
                        value={props.input.clone()}
                        {oninput}
                        {onkeydown}
                    />
                    <button class="run-button" type="submit">{ "Run" }</button>
                </form>
            </div>
        </div>
    }
}
