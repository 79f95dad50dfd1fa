//! The trace of the last script run: where the script command went (and
//! any redirect before it ran), its declared keys, what its `#!` flags
//! mean, then every `redis.call` with its line (click to highlight it in
//! the editor), its keys → slot → node (declared or not), allowed or
//! refused by which rule with a plain-words reason, and its reply; then the
//! script's reply and the keys it changed. Drawn from engine events only.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::event::RejectKind;
use crate::engine::topology::HOST;
use crate::i18n::{tr, trf, Lang};
use crate::ui::inspect::shard_label as shard_text;
use crate::ui::lang::use_lang;
use crate::ui::script::{
    explain, mode_note, pinned_before, rule_name, summary, Attempt, Call, ScriptTrace,
};
use crate::ui::world::WorldRef;

/// Props of [`ScriptTraceView`].
#[derive(Properties, PartialEq)]
pub struct ScriptTraceProps {
    pub trace: Rc<ScriptTrace>,
    /// The cluster (shard colours).
    pub world: WorldRef,
    /// The trace's script is the one in the editor (line links work).
    pub matches_editor: bool,
    /// The highlighted editor line.
    pub highlight: Option<usize>,
    /// A call's line was clicked.
    pub on_line: Callback<usize>,
    /// "Open it in the editor" (for a script typed in the console).
    pub on_open: Callback<()>,
}

fn node(port: u16) -> String {
    format!("{HOST}:{port}")
}

/// The trace.
#[component]
pub fn ScriptTraceView(props: &ScriptTraceProps) -> Html {
    let lang = use_lang();
    let trace = &props.trace;
    let world = props.world.borrow();
    let shard_class = |port: Option<u16>| {
        port.and_then(|p| world.shard_of_port(p))
            .map(|s| format!("shard-{s}"))
    };
    let shard_label = |port: Option<u16>| match port {
        Some(p) => match world.shard_of_port(p) {
            Some(s) => format!(":{p} ({})", shard_text(lang, s)),
            None => format!(":{p}"),
        },
        None => tr(lang, "trace.no_owner").to_string(),
    };
    let outcome_class = if trace.stopped {
        "stopped"
    } else if trace.reply_error || trace.first_rejected().is_some() {
        "bad"
    } else {
        "ok"
    };
    let hidden = trace.total_calls.saturating_sub(trace.calls.len());
    let can_open = !props.matches_editor
        && trace.source.as_ref().is_some_and(|s| !s.library)
        && !trace.function;

    html! {
        <section class="script-trace" aria-labelledby="script-trace-title">
            <h3 id="script-trace-title" class="sub-title">{ tr(lang, "script.last_run") }</h3>
            <p class="script-trace-head">
                <span class="client-badge">{ trace.client }</span>
                <code class="script-trace-line" title={trace.line.clone()}>
                    <span class="script-trace-prompt">{ trace.prompt.clone() }</span>
                    { shorten(&trace.line, 140) }
                </code>
            </p>
            <p class={classes!("script-summary", outcome_class)} aria-live="polite">{ summary(lang, trace) }</p>
            if trace.stopped {
                <p class="script-stopped" role="status">
                    <strong>{ tr(lang, "script.stopped") }</strong>
                    { tr(lang, "script.stopped_text") }
                </p>
            }
            if can_open {
                <p class="script-elsewhere">
                    { tr(lang, "script.elsewhere") }
                    <button type="button" class="open-in-editor" onclick={
                        let on_open = props.on_open.clone();
                        Callback::from(move |_: MouseEvent| on_open.emit(()))
                    }>{ tr(lang, "script.open_in_editor") }</button>
                </p>
            }
            if !trace.attempts.is_empty() {
                <ol class="script-route" aria-label={tr(lang, "script.route_label")}>
                    for (i, attempt) in trace.attempts.iter().enumerate() {
                        <li key={i} class={classes!("route-step", shard_class(Some(attempt_port(attempt))))}>
                            { render_attempt(lang, &trace.command, attempt) }
                        </li>
                    }
                </ol>
            }
            <div class="declared">
                <span class="facts-label">{ tr(lang, "script.declared_keys") }</span>
                if trace.declared.is_empty() {
                    <span class="muted">{ tr(lang, "script.declared_none") }</span>
                } else {
                    <ul class="key-chips">
                        for (i, key) in trace.declared.iter().enumerate() {
                            <li key={i} class={classes!("script-key", "declared", shard_class(key.owner))}>
                                <code>{ key.key.clone() }</code>
                                { trf(lang, "script.key_where", &[("slot", &key.slot.to_string()), ("owner", &shard_label(key.owner))]) }
                            </li>
                        }
                    </ul>
                }
            </div>
            if let Some(bits) = trace.flags {
                <ul class="mode-notes">
                    for (i, note) in mode_note(lang, trace.function, bits, trace.read_only).into_iter().enumerate() {
                        <li key={i}>{ note }</li>
                    }
                </ul>
            }
            if let Some(offset) = trace.source.as_ref().map(|s| s.line_offset).filter(|o| *o != 0) {
                <p class="hint line-offset">
                    { trf(lang, "script.line_offset", &[("offset", &offset.to_string())]) }
                </p>
            }
            if !trace.calls.is_empty() {
                <ol class="calls" aria-label={tr(lang, "script.calls_label")}>
                    for (i, call) in trace.calls.iter().enumerate() {
                        { render_call(lang, props, i, call, &shard_class) }
                    }
                </ol>
                if hidden > 0 {
                    <p class="hint">{ trf(lang, "script.more_calls", &[("n", &hidden.to_string()), ("shown", &trace.calls.len().to_string())]) }</p>
                }
            }
            <div class="script-result">
                <span class="facts-label">{ tr(lang, "script.reply") }</span>
                <pre class={classes!("script-reply", trace.reply_error.then_some("error"))}>{ trace.reply.clone() }</pre>
            </div>
            if !trace.modified.is_empty() {
                <p class="script-effects">
                    {
                        if trace.reply_error {
                            tr(lang, "script.changed_kept")
                        } else {
                            tr(lang, "script.changed")
                        }
                    }
                    for (i, (key, slot, port)) in trace.modified.iter().enumerate() {
                        <span key={i} class={classes!("script-key", shard_class(Some(*port)))}>
                            <code>{ key.clone() }</code>
                            { trf(lang, "script.key_where", &[("slot", &slot.to_string()), ("owner", &format!(":{port}"))]) }
                        </span>
                    }
                </p>
            }
        </section>
    }
}

fn attempt_port(attempt: &Attempt) -> u16 {
    match attempt {
        Attempt::Ran { port }
        | Attempt::Queued { port }
        | Attempt::Rejected { port, .. }
        | Attempt::Answered { port, .. } => *port,
    }
}

fn render_attempt(lang: Lang, command: &str, attempt: &Attempt) -> Html {
    match attempt {
        Attempt::Ran { port } => html! {
            <>{ format!("{command} → {}: ", node(*port)) }<strong class="ok">{ tr(lang, "script.ran_it") }</strong></>
        },
        Attempt::Queued { port } => html! {
            <>{ format!("{command} → {}: ", node(*port)) }<strong>{ tr(lang, "script.queued") }</strong></>
        },
        Attempt::Rejected {
            port,
            kind,
            error,
            redirect_to,
        } => {
            let then = match (kind, redirect_to) {
                (RejectKind::Moved | RejectKind::Ask, Some(to)) => {
                    trf(lang, "script.sent_to", &[("port", &to.to_string())])
                }
                _ => String::new(),
            };
            html! {
                <>
                    { format!("{command} → {}: ", node(*port)) }
                    <code class="bad">{ error.clone() }</code>
                    { then }
                </>
            }
        }
        Attempt::Answered { port, reply } => html! {
            <>{ format!("{command} → {}: ", node(*port)) }<code>{ reply.clone() }</code></>
        },
    }
}

fn render_call(
    lang: Lang,
    props: &ScriptTraceProps,
    index: usize,
    call: &Call,
    shard_class: &dyn Fn(Option<u16>) -> Option<String>,
) -> Html {
    let refused = call.rejected.is_some();
    let func = if call.protected {
        "redis.pcall"
    } else {
        "redis.call"
    };
    let args: Vec<String> = call.argv.iter().map(|a| lua_quote(a)).collect();
    let line_button = match call.line {
        Some(line) if props.matches_editor => {
            let on_line = props.on_line.clone();
            html! {
                <button type="button"
                    class={classes!("call-line", (props.highlight == Some(line)).then_some("hl"))}
                    aria-label={trf(lang, "script.show_line", &[("line", &line.to_string())])}
                    onclick={Callback::from(move |_: MouseEvent| on_line.emit(line))}>
                    { trf(lang, "script.line", &[("line", &line.to_string())]) }
                </button>
            }
        }
        Some(line) => {
            html! { <span class="call-line">{ trf(lang, "script.line", &[("line", &line.to_string())]) }</span> }
        }
        None => {
            html! { <span class="call-line">{ trf(lang, "script.line", &[("line", "?")]) }</span> }
        }
    };
    let explanation = call
        .rejected
        .map(|rule| explain(lang, rule, call, pinned_before(&props.trace, index)));
    let short_reply = !call.reply.contains('\n') && call.reply.chars().count() <= 48;
    let reply_error = call.reply.starts_with("(error)");
    html! {
        <li key={index} class={classes!("call", if refused { "refused" } else { "allowed" })}>
            <div class="call-head">
                { line_button }
                <span class="call-text">
                    <code class="call-code">{ format!("{func}({})", args.join(", ")) }</code>
                    if short_reply && !refused {
                        <span class="call-arrow" aria-hidden="true">{ " → " }</span>
                        <code class={classes!("call-reply-inline", reply_error.then_some("error"))}>
                            { call.reply.clone() }
                        </code>
                    }
                </span>
            </div>
            <div class="call-facts">
                if let Some(rule) = call.rejected {
                    <span class="verdict-badge bad">{ trf(lang, "script.refused", &[("rule", rule_name(lang, rule))]) }</span>
                } else {
                    <span class="verdict-badge ok">{ trf(lang, "script.allowed", &[("port", &call.port.to_string())]) }</span>
                }
                for (k, key) in call.keys.iter().enumerate() {
                    <span key={k} class={classes!(
                        "script-key",
                        if key.declared { "declared" } else { "undeclared" },
                        shard_class(key.owner),
                    )}>
                        <code>{ key.key.clone() }</code>
                        { trf(lang, "script.call_key", &[("slot", &key.slot.to_string()), ("owner", &key.owner.map_or_else(|| tr(lang, "trace.no_owner").to_string(), |p| format!(":{p}")))]) }
                        <span class="key-tag">{ tr(lang, if key.declared { "script.declared" } else { "script.undeclared" }) }</span>
                    </span>
                }
            </div>
            if let Some(why) = explanation {
                <p class="why">{ why }</p>
            }
            if refused || !short_reply {
                <pre class={classes!("call-reply", reply_error.then_some("error"))}>{ call.reply.clone() }</pre>
            }
        </li>
    }
}

/// An argument as a Lua string literal (numbers as they are).
fn lua_quote(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len() + 2);
    out.push('\'');
    for c in arg.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}
