//! The timeline: step back and forward, a scrub slider over every step,
//! and "Fork from here" (discard the later steps and carry on), like
//! RaftScope. ←/→ (and Home/End) move one step while the timeline has the
//! focus. While an earlier step is shown, a line says that running a
//! command there forks the timeline.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;
use crate::ui::share_text as text;
use crate::ui::state::Action;

/// Props of [`TimelineBar`].
#[derive(Properties, PartialEq)]
pub struct TimelineBarProps {
    /// Steps applied in the state shown.
    pub cursor: usize,
    /// Steps in all.
    pub len: usize,
    /// The shown step in a few words ("A> SET foo bar").
    pub label: AttrValue,
    /// Compact (embed mode).
    #[prop_or_default]
    pub compact: bool,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The timeline bar.
#[component]
pub fn TimelineBar(props: &TimelineBarProps) -> Html {
    let lang = use_lang();
    let (cursor, len) = (props.cursor, props.len);
    let seek = |target: usize| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Seek(target)))
    };
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(target) = el.value().parse::<usize>() {
                dispatch.emit(Action::Seek(target));
            }
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            let target = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => cursor.saturating_sub(1),
                "ArrowRight" | "ArrowUp" => (cursor + 1).min(len),
                "Home" => 0,
                "End" => len,
                _ => return,
            };
            // The slider would move too: one step per key press.
            e.prevent_default();
            dispatch.emit(Action::Seek(target));
        })
    };
    let onfork = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Fork))
    };
    let past = cursor < len;
    let position = text::position(lang, cursor, len);
    let valuetext = format!("{position}: {}", props.label);

    html! {
        <section
            class={classes!("timeline", past.then_some("past"), props.compact.then_some("compact"))}
            aria-label={tr(lang, "timeline.label")}
            tabindex="0"
            {onkeydown}
        >
            <div class="timeline-row">
                <div class="timeline-nav">
                    <button type="button" class="tl-first" disabled={cursor == 0}
                        aria-label={tr(lang, "timeline.first")} title={tr(lang, "timeline.first")} onclick={seek(0)}>{ icon("M3 3h2v10H3zM13 3v10L6 8z") }</button>
                    <button type="button" class="tl-back" disabled={cursor == 0}
                        aria-label={tr(lang, "timeline.back")} title={tr(lang, "timeline.back")}
                        onclick={seek(cursor.saturating_sub(1))}>{ icon("M11 3v10L4 8z") }</button>
                    <input
                        type="range"
                        class="timeline-scrub"
                        min="0"
                        max={len.to_string()}
                        step="1"
                        value={cursor.to_string()}
                        disabled={len == 0}
                        aria-label={tr(lang, "timeline.scrub")}
                        aria-valuetext={valuetext}
                        {oninput}
                    />
                    <button type="button" class="tl-forward" disabled={!past}
                        aria-label={tr(lang, "timeline.forward")} title={tr(lang, "timeline.forward")}
                        onclick={seek(cursor + 1)}>{ icon("M5 3v10l7-5z") }</button>
                    <button type="button" class="tl-last" disabled={!past}
                        aria-label={tr(lang, "timeline.last")} title={tr(lang, "timeline.last")} onclick={seek(len)}>{ icon("M3 3v10l7-5zM11 3h2v10h-2z") }</button>
                </div>
                <div class="timeline-info">
                    <span class="timeline-position" aria-live="polite">{ position }</span>
                    <code class="timeline-step" title={props.label.clone()}>{ props.label.clone() }</code>
                    if past {
                        <button type="button" class="fork-button" title={tr(lang, "timeline.fork_title")} onclick={onfork}>
                            { tr(lang, "timeline.fork") }
                        </button>
                    }
                </div>
            </div>
            if past {
                <p class="timeline-past">{ text::in_the_past(lang, cursor, len) }</p>
            }
        </section>
    }
}

/// A 16×16 icon drawn with the text colour (no font has them all).
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="tl-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" />
        </svg>
    }
}
