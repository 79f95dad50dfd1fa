//! The console's scrollback: each typed line after the prompt it was typed
//! at, then exactly what redis-cli printed, plus the playground's own notes.
//! Only re-renders when the transcript itself changes (not while typing).

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;
use crate::ui::state::{Entry, EntryKind, Output, OutputKind};

/// Characters of a typed line shown in the scrollback; a pasted 100 KB line
/// is cut here (the command itself ran in full).
pub const MAX_ECHO_CHARS: usize = 2000;

/// Output blocks drawn per entry: `10000 INCR x` runs 10,000 times but
/// draws the first replies only, so the page stays light to lay out.
pub const MAX_OUTPUTS_SHOWN: usize = 100;

/// Props of [`Transcript`].
#[derive(Properties, PartialEq)]
pub struct TranscriptProps {
    /// The entries, oldest first.
    pub entries: Rc<Vec<Rc<Entry>>>,
}

/// The scrollback.
#[component]
pub fn Transcript(props: &TranscriptProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="transcript" role="log" aria-live="polite" aria-label={tr(lang, "console.output")}>
            for entry in props.entries.iter() {
                { render_entry(lang, entry) }
            }
        </div>
    }
}

fn render_entry(lang: Lang, entry: &Entry) -> Html {
    match &entry.kind {
        EntryKind::Note(text) => html! {
            <div key={entry.id} class="entry note">{ text.clone() }</div>
        },
        EntryKind::Command {
            prompt,
            line,
            output,
        } => html! {
            <div key={entry.id} class="entry">
                <div class="echo">
                    <span class="prompt">{ prompt.clone() }</span>
                    { render_echo(lang, line) }
                </div>
                for out in output.iter().take(MAX_OUTPUTS_SHOWN) {
                    { render_output(out) }
                }
                if output.len() > MAX_OUTPUTS_SHOWN {
                    <div class="elided">
                        { trf(lang, "console.more_replies", &[("n", &(output.len() - MAX_OUTPUTS_SHOWN).to_string())]) }
                    </div>
                    // The playground's own notes (a capped repeat count) always show.
                    for out in output.iter().skip(MAX_OUTPUTS_SHOWN).filter(|o| o.kind == OutputKind::Simplification) {
                        { render_output(out) }
                    }
                }
            </div>
        },
    }
}

fn render_echo(lang: Lang, line: &str) -> Html {
    match line.char_indices().nth(MAX_ECHO_CHARS) {
        None => html! { <span class="typed">{ line.to_string() }</span> },
        Some((cut, _)) => {
            let hidden = line[cut..].chars().count();
            html! {
                <>
                    <span class="typed">{ line[..cut].to_string() }</span>
                    <span class="elided">{ trf(lang, "console.more_chars", &[("n", &hidden.to_string())]) }</span>
                </>
            }
        }
    }
}

fn render_output(out: &Output) -> Html {
    let class = match out.kind {
        OutputKind::Redirect => "out redirect",
        OutputKind::Reply => "out reply",
        OutputKind::Error => "out error",
        OutputKind::Message => "out message",
        OutputKind::ClientNote => "out client-note",
        OutputKind::Simplification => "out simplification",
    };
    html! { <div {class}>{ out.text.clone() }</div> }
}
