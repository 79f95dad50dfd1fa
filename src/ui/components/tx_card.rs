//! One client's transaction: the keys it WATCHes (and who changed them),
//! each command sent inside MULTI with its slot and node (flagged ones
//! marked with the server's reason), and EXEC's verdict with the rule that
//! fired: queue-time (a command refused while queuing → EXECABORT) or
//! EXEC-time (the whole queue routed as one request; WATCHed keys checked).

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;
use crate::ui::tx::{show_who, TxView, Verdict};

/// A key a client WATCHes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedKey {
    pub key: String,
    pub slot: u16,
    /// The node the WATCH was sent to.
    pub port: u16,
    /// Who wrote it since the WATCH.
    pub touched_by: Vec<String>,
}

/// Props of [`TxCard`].
#[derive(Properties, PartialEq)]
pub struct TxCardProps {
    /// The client's letter.
    pub letter: char,
    /// Its current or last transaction.
    pub tx: Option<Rc<TxView>>,
    /// The keys it WATCHes now.
    pub watched: Vec<WatchedKey>,
    /// A cluster-aware client holding MULTI until the next command.
    pub held: bool,
}

/// A transaction card.
#[component]
pub fn TxCard(props: &TxCardProps) -> Html {
    let lang = use_lang();
    let letter = props.letter;
    let name = trf(lang, "client.name", &[("letter", &letter.to_string())]);
    let status = match (&props.tx, props.held) {
        (_, true) => tr(lang, "tx.held").to_string(),
        (Some(tx), _) if tx.is_open() => trf(
            lang,
            if tx.sent == 1 {
                "tx.in_multi_one"
            } else {
                "tx.in_multi_many"
            },
            &[("port", &tx.port.to_string()), ("n", &tx.sent.to_string())],
        ),
        (Some(_), _) => tr(lang, "tx.last").to_string(),
        (None, _) => tr(lang, "tx.watching").to_string(),
    };
    html! {
        <article class={classes!("tx-card", props.tx.as_ref().filter(|t| t.is_open()).map(|_| "open"))}
            aria-label={trf(lang, "tx.card_label", &[("client", &name)])}>
            <h3 class="tx-title">
                <span class="client-badge">{ letter }</span>
                { format!(" {name} — {status}") }
            </h3>
            if !props.watched.is_empty() {
                <div class="watched">
                    <p class="sub-title">{ tr(lang, "tx.watched") }</p>
                    <ul class="watch-list">
                        for w in props.watched.iter() {
                            <li key={w.key.clone()} class={classes!("watch-item", (!w.touched_by.is_empty()).then_some("touched"))}>
                                <code>{ w.key.clone() }</code>
                                <span class="muted">{ trf(lang, "tx.watch_where", &[("slot", &w.slot.to_string()), ("port", &w.port.to_string())]) }</span>
                                {
                                    if w.touched_by.is_empty() {
                                        html! { <span class="watch-state ok">{ tr(lang, "tx.unchanged") }</span> }
                                    } else {
                                        let who: Vec<String> = w.touched_by.iter().map(|b| show_who(lang, b)).collect();
                                        html! {
                                            <span class="watch-state bad">
                                                { trf(lang, "tx.changed_by", &[("who", &who.join(tr(lang, "decision.list_sep")))]) }
                                            </span>
                                        }
                                    }
                                }
                            </li>
                        }
                    </ul>
                </div>
            }
            if let Some(tx) = &props.tx {
                { queue(lang, tx) }
                if let Some(verdict) = &tx.verdict {
                    { verdict_box(lang, verdict, tx) }
                }
            }
        </article>
    }
}

fn queue(lang: Lang, tx: &TxView) -> Html {
    if tx.items.is_empty() {
        return if tx.is_open() {
            html! { <p class="hint">{ tr(lang, "tx.nothing_queued") }</p> }
        } else {
            Html::default()
        };
    }
    let hidden = tx.sent.saturating_sub(tx.items.len());
    html! {
        <>
            <table class="tx-queue">
                <caption class="visually-hidden">{ tr(lang, "tx.queue_caption") }</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{ "#" }</th>
                        <th scope="col">{ tr(lang, "tx.col_command") }</th>
                        <th scope="col" class="num">{ tr(lang, "trace.col_slot") }</th>
                        <th scope="col">{ tr(lang, "trace.col_owner") }</th>
                        <th scope="col">{ tr(lang, "tx.col_reply") }</th>
                    </tr>
                </thead>
                <tbody>
                    for (i, item) in tx.items.iter().enumerate() {
                        <tr key={i} class={classes!(item.flagged.is_some().then_some("flagged"))}>
                            <td class="num">{ i + 1 }</td>
                            <td><code>{ item.command.clone() }</code></td>
                            <td class="num">
                                { item.keys.first().map(|k| k.slot.to_string()).unwrap_or_else(|| "—".into()) }
                                if item.keys.iter().any(|k| Some(k.slot) != item.keys.first().map(|f| f.slot)) {
                                    { "…" }
                                }
                            </td>
                            <td>
                                {
                                    match item.keys.first().and_then(|k| k.owner) {
                                        Some(p) if p == tx.port => format!(":{p}"),
                                        Some(p) => format!(":{p} ≠ :{}", tx.port),
                                        None => "—".into(),
                                    }
                                }
                            </td>
                            <td class="tx-status">
                                {
                                    match &item.flagged {
                                        Some(error) => format!("✗ {error}"),
                                        None => "QUEUED".to_string(),
                                    }
                                }
                            </td>
                        </tr>
                    }
                </tbody>
            </table>
            if hidden > 0 {
                <p class="hint">{ trf(lang, "trace.more", &[("n", &hidden.to_string())]) }</p>
            }
            if tx.flagged() > 0 && tx.is_open() {
                <p class="rule queue-time">
                    <strong>{ tr(lang, "tx.queue_time_check") }</strong>
                    { tr(lang, "tx.queue_time_text") }
                </p>
            }
        </>
    }
}

fn verdict_box(lang: Lang, verdict: &Verdict, tx: &TxView) -> Html {
    let node = format!("127.0.0.1:{}", tx.port);
    let (class, title, text) = match verdict {
        Verdict::Ran { commands } => (
            "ran",
            trf(
                lang,
                if *commands == 1 {
                    "tx.ran_title_one"
                } else {
                    "tx.ran_title_many"
                },
                &[("n", &commands.to_string())],
            ),
            trf(lang, "tx.ran_text", &[("node", &node)]),
        ),
        Verdict::QueueTimeAbort { error } => (
            "aborted",
            tr(lang, "tx.queue_abort_title").to_string(),
            trf(
                lang,
                if tx.flagged() == 1 {
                    "tx.queue_abort_text_one"
                } else {
                    "tx.queue_abort_text_many"
                },
                &[("n", &tx.flagged().to_string()), ("error", error)],
            ),
        ),
        Verdict::ExecTimeRouting {
            error,
            keys,
            disagreeing,
            ..
        } => {
            let detail = match (keys.first(), disagreeing.and_then(|i| keys.get(i))) {
                (Some(a), Some(b)) => trf(
                    lang,
                    "tx.exec_routing_detail",
                    &[
                        ("a", &a.key),
                        ("a_slot", &a.slot.to_string()),
                        ("b", &b.key),
                        ("b_slot", &b.slot.to_string()),
                    ],
                ),
                _ => String::new(),
            };
            (
                "aborted",
                trf(
                    lang,
                    "tx.exec_routing_title",
                    &[("error", error.split(' ').next().unwrap_or("error"))],
                ),
                trf(
                    lang,
                    "tx.exec_routing_text",
                    &[("detail", &detail), ("error", error)],
                ),
            )
        }
        Verdict::WatchAbort { touches } => {
            let who: Vec<String> = touches
                .iter()
                .map(|t| {
                    trf(
                        lang,
                        "tx.touch",
                        &[("key", &t.key), ("who", &show_who(lang, &t.by))],
                    )
                })
                .collect();
            let who = if who.is_empty() {
                tr(lang, "tx.a_watched_key").to_string()
            } else {
                who.join(tr(lang, "decision.list_sep"))
            };
            (
                "aborted",
                tr(lang, "tx.watch_abort_title").to_string(),
                trf(lang, "tx.watch_abort_text", &[("who", &who)]),
            )
        }
        Verdict::Discarded => (
            "discarded",
            "DISCARD".to_string(),
            tr(lang, "tx.discarded_text").to_string(),
        ),
        Verdict::Dropped { redirected: true } => (
            "dropped",
            tr(lang, "tx.lost").to_string(),
            tr(lang, "tx.lost_redirect").to_string(),
        ),
        Verdict::Dropped { redirected: false } => (
            "dropped",
            tr(lang, "tx.lost").to_string(),
            tr(lang, "tx.lost_restart").to_string(),
        ),
    };
    html! {
        <div class={classes!("verdict", class)} role="status">
            <p class="verdict-title"><strong>{ title }</strong></p>
            <p class="verdict-text">{ text }</p>
        </div>
    }
}
