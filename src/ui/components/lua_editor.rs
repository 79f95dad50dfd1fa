//! The Lua editor: a plain `<textarea>` (labelled "Lua script") drawn over
//! a coloured copy of the same text, with line numbers. Tab indents
//! (Shift+Tab un-indents; Esc then Tab leaves the editor), Enter keeps the
//! line's indentation, Ctrl+Enter runs. Edits go through
//! `document.execCommand("insertText")` so the browser's undo keeps working.
//!
//! The text area grows with its text (no scrolling of its own): the box
//! around both layers scrolls, so the two always line up.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;
use crate::ui::lua_highlight::{highlight, Tok};

/// A mark in the gutter for a line that made `redis.call`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineMark {
    /// Every call on the line was allowed.
    Allowed,
    /// A call on the line was refused.
    Refused,
}

/// Props of [`LuaEditor`].
#[derive(Properties, PartialEq)]
pub struct LuaEditorProps {
    /// The element id of the text area.
    pub id: AttrValue,
    /// The script.
    pub value: AttrValue,
    /// Called with the new text on every edit.
    pub on_change: Callback<String>,
    /// Ctrl+Enter / Cmd+Enter.
    pub on_run: Callback<()>,
    /// The line to highlight (1-based).
    #[prop_or_default]
    pub highlight: Option<usize>,
    /// Bumped to scroll the highlighted line into view.
    #[prop_or_default]
    pub reveal: u64,
    /// Gutter marks: (line, mark).
    #[prop_or_default]
    pub marks: Rc<Vec<(usize, LineMark)>>,
    /// String literals naming these keys are marked as undeclared keys.
    #[prop_or_default]
    pub undeclared: Rc<Vec<String>>,
    /// The id of the element describing the editor's keys.
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
}

/// Indentation inserted by Tab.
const INDENT: &str = "  ";

/// The editor.
#[component]
pub fn LuaEditor(props: &LuaEditorProps) -> Html {
    let lang = use_lang();
    let code = use_node_ref();
    // After Esc, the next Tab leaves the editor instead of indenting.
    let tab_leaves = use_mut_ref(|| false);

    {
        let code = code.clone();
        use_effect_with((props.reveal, props.highlight), move |(_, line)| {
            if let (Some(line), Some(code)) = (line, code.cast::<web_sys::Element>()) {
                let selector = format!(".lua-line:nth-child({line})");
                if let Ok(Some(el)) = code.query_selector(&selector) {
                    let options = ScrollIntoViewOptions::new();
                    options.set_block(ScrollLogicalPosition::Nearest);
                    options.set_inline(ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        });
    }

    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(el.value());
        })
    };

    let onkeydown = {
        let on_run = props.on_run.clone();
        let on_change = props.on_change.clone();
        let tab_leaves = tab_leaves.clone();
        Callback::from(move |e: KeyboardEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            let key = e.key();
            if key == "Escape" {
                *tab_leaves.borrow_mut() = true;
                return;
            }
            let leaving = std::mem::replace(&mut *tab_leaves.borrow_mut(), false);
            if e.alt_key() {
                return;
            }
            if key == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_run.emit(());
                return;
            }
            if e.ctrl_key() || e.meta_key() {
                return;
            }
            match key.as_str() {
                "Tab" if !leaving => {
                    e.prevent_default();
                    indent(&el, e.shift_key(), &on_change);
                }
                "Enter" if !e.shift_key() => {
                    let value = el.value();
                    let caret = byte_offset(&value, el.selection_start().ok().flatten());
                    let line_start = value[..caret].rfind('\n').map_or(0, |p| p + 1);
                    let indent: String = value[line_start..caret]
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect();
                    if !indent.is_empty() {
                        e.prevent_default();
                        insert_text(&el, &format!("\n{indent}"), &on_change);
                    }
                }
                _ => {}
            }
        })
    };

    let lines = highlight(&props.value);
    let count = lines.len().max(1);
    let mark_of = |line: usize| {
        props
            .marks
            .iter()
            .filter(|(l, _)| *l == line)
            .map(|(_, m)| *m)
            .max_by_key(|m| matches!(m, LineMark::Refused))
    };

    html! {
        <div class="lua-editor">
            <div class="lua-scroll">
                <div class="lua-gutter" aria-hidden="true">
                    for n in 1..=count {
                        <div key={n} class={classes!(
                            "lua-num",
                            (props.highlight == Some(n)).then_some("hl"),
                            mark_of(n).map(|m| match m {
                                LineMark::Allowed => "mark-ok",
                                LineMark::Refused => "mark-bad",
                            }),
                        )}>{ n }</div>
                    }
                </div>
                <div class="lua-code" ref={code}>
                    <pre class="lua-highlight" aria-hidden="true">
                        for (i, pieces) in lines.iter().enumerate() {
                            <div key={i} class={classes!(
                                "lua-line",
                                (props.highlight == Some(i + 1)).then_some("hl"),
                                (mark_of(i + 1) == Some(LineMark::Refused)).then_some("refused"),
                            )}>
                                for piece in pieces.iter() {
                                    { render_piece(piece.tok, &piece.text, piece.literal.as_deref(), &props.undeclared) }
                                }
                            </div>
                        }
                    </pre>
                    <textarea
                        id={props.id.clone()}
                        class="lua-input"
                        aria-label={tr(lang, "script.editor_label")}
                        aria-describedby={props.described_by.clone()}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        rows={count.to_string()}
                        value={props.value.clone()}
                        {oninput}
                        {onkeydown}
                    />
                </div>
            </div>
        </div>
    }
}

fn render_piece(tok: Tok, text: &str, literal: Option<&str>, undeclared: &[String]) -> Html {
    let marked = literal.is_some_and(|l| undeclared.iter().any(|k| k == l));
    match (tok.class(), marked) {
        (None, _) => html! { { text.to_string() } },
        (Some(class), false) => html! { <span class={class}>{ text.to_string() }</span> },
        (Some(class), true) => html! {
            <span class={classes!(class, "key-undeclared")} title="an undeclared key this script touched">
                { text.to_string() }
            </span>
        },
    }
}

/// The byte offset in `text` of a UTF-16 position (what the DOM's
/// selection offsets count), clamped to the text.
pub fn byte_offset(text: &str, utf16: Option<u32>) -> usize {
    let Some(target) = utf16 else {
        return text.len();
    };
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= target {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 position of a byte offset of `text`.
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    text[..byte.min(text.len())]
        .chars()
        .map(|c| c.len_utf16() as u32)
        .sum()
}

/// Inserts `text` over the selection, as typing would (undo keeps working).
fn insert_text(el: &HtmlTextAreaElement, text: &str, on_change: &Callback<String>) {
    let done = gloo::utils::document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|doc| {
            doc.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !done {
        // No execCommand: replace the selection directly (no undo step).
        let start = el.selection_start().ok().flatten().unwrap_or(0);
        let end = el.selection_end().ok().flatten().unwrap_or(start);
        if el
            .set_range_text_with_start_and_end_and_mode(text, start, end, "end")
            .is_ok()
        {
            on_change.emit(el.value());
        }
    }
}

/// Tab: indent at the caret, or indent / un-indent every selected line.
fn indent(el: &HtmlTextAreaElement, outdent: bool, on_change: &Callback<String>) {
    let value = el.value();
    let start = byte_offset(&value, el.selection_start().ok().flatten());
    let end = byte_offset(&value, el.selection_end().ok().flatten()).max(start);
    let multi_line = value[start..end].contains('\n');
    if !outdent && !multi_line {
        insert_text(el, INDENT, on_change);
        return;
    }
    let first = value[..start].rfind('\n').map_or(0, |p| p + 1);
    // A selection ending right after a newline does not take the next line.
    let last_end = if end > start && value[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let block_end = value[last_end..]
        .find('\n')
        .map_or(value.len(), |p| last_end + p);
    let block = &value[first..block_end];
    let changed: Vec<String> = block
        .split('\n')
        .map(|line| {
            if outdent {
                let cut = line
                    .chars()
                    .take(INDENT.len())
                    .take_while(|c| *c == ' ')
                    .count();
                let cut = if cut == 0 && line.starts_with('\t') {
                    1
                } else {
                    cut
                };
                line[cut..].to_string()
            } else if line.is_empty() {
                String::new()
            } else {
                format!("{INDENT}{line}")
            }
        })
        .collect();
    let replacement = changed.join("\n");
    if replacement == block {
        return;
    }
    let _ = el.set_selection_range(utf16_offset(&value, first), utf16_offset(&value, block_end));
    insert_text(el, &replacement, on_change);
    let new_end = first + replacement.len();
    let new_value = el.value();
    let _ = el.set_selection_range(
        utf16_offset(&new_value, first),
        utf16_offset(&new_value, new_end),
    );
}
