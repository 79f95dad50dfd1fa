//! One client's transaction: the keys it WATCHes (and who changed them),
//! each command sent inside MULTI with its slot and node (flagged ones
//! marked with the server's reason), and EXEC's verdict with the rule that
//! fired: queue-time (a command refused while queuing → EXECABORT) or
//! EXEC-time (the whole queue routed as one request; WATCHed keys checked).

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::tx::{TxView, Verdict};

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
    let letter = props.letter;
    let status = match (&props.tx, props.held) {
        (_, true) => "MULTI held by the client (not sent yet)".to_string(),
        (Some(tx), _) if tx.is_open() => {
            let n = tx.sent;
            format!(
                "in MULTI on 127.0.0.1:{} — {n} command{} sent",
                tx.port,
                if n == 1 { "" } else { "s" }
            )
        }
        (Some(_), _) => "last transaction".to_string(),
        (None, _) => "watching keys".to_string(),
    };
    html! {
        <article class={classes!("tx-card", props.tx.as_ref().filter(|t| t.is_open()).map(|_| "open"))}
            aria-label={format!("Client {letter} transaction")}>
            <h3 class="tx-title">
                <span class="client-badge">{ letter }</span>
                { format!(" Client {letter} — {status}") }
            </h3>
            if !props.watched.is_empty() {
                <div class="watched">
                    <p class="sub-title">{ "WATCHed keys (checked at EXEC)" }</p>
                    <ul class="watch-list">
                        for w in props.watched.iter() {
                            <li key={w.key.clone()} class={classes!("watch-item", (!w.touched_by.is_empty()).then_some("touched"))}>
                                <code>{ w.key.clone() }</code>
                                <span class="muted">{ format!(" slot {} · :{}", w.slot, w.port) }</span>
                                {
                                    if w.touched_by.is_empty() {
                                        html! { <span class="watch-state ok">{ " unchanged" }</span> }
                                    } else {
                                        html! {
                                            <span class="watch-state bad">
                                                { format!(" changed by {} — EXEC will answer (nil)", w.touched_by.join(", ")) }
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
                { queue(tx) }
                if let Some(verdict) = &tx.verdict {
                    { verdict_box(verdict, tx) }
                }
            }
        </article>
    }
}

fn queue(tx: &TxView) -> Html {
    if tx.items.is_empty() {
        return if tx.is_open() {
            html! { <p class="hint">{ "Nothing queued yet: commands typed now are queued, not run." }</p> }
        } else {
            Html::default()
        };
    }
    let hidden = tx.sent.saturating_sub(tx.items.len());
    html! {
        <>
            <table class="tx-queue">
                <caption class="visually-hidden">{ "Commands sent inside MULTI" }</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{ "#" }</th>
                        <th scope="col">{ "command" }</th>
                        <th scope="col" class="num">{ "slot" }</th>
                        <th scope="col">{ "owner" }</th>
                        <th scope="col">{ "reply" }</th>
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
                <p class="hint">{ format!("… and {hidden} more") }</p>
            }
            if tx.flagged() > 0 && tx.is_open() {
                <p class="rule queue-time">
                    <strong>{ "Queue-time check: " }</strong>
                    { "the server refused a command while queuing and flagged the transaction — EXEC will answer EXECABORT and run nothing." }
                </p>
            }
        </>
    }
}

fn verdict_box(verdict: &Verdict, tx: &TxView) -> Html {
    let (class, title, text) = match verdict {
        Verdict::Ran { commands } => (
            "ran",
            format!("EXEC ran {commands} command{}", if *commands == 1 { "" } else { "s" }),
            format!(
                "All of them, in order, on 127.0.0.1:{} with nothing in between: every command was accepted while queuing, the queue's keys share one slot, and no WATCHed key changed.",
                tx.port
            ),
        ),
        Verdict::QueueTimeAbort { error } => (
            "aborted",
            "EXEC → EXECABORT (queue-time rule)".to_string(),
            format!(
                "{} command{} {} refused while queuing, so the server flagged the transaction; at EXEC it discards everything. Nothing ran. ({error})",
                tx.flagged(),
                if tx.flagged() == 1 { "" } else { "s" },
                if tx.flagged() == 1 { "was" } else { "were" },
            ),
        ),
        Verdict::ExecTimeRouting { error, keys, disagreeing, .. } => {
            let detail = match (keys.first(), disagreeing.and_then(|i| keys.get(i))) {
                (Some(a), Some(b)) => format!(
                    " {} is in slot {}, {} in slot {}.",
                    a.key, a.slot, b.key, b.slot
                ),
                _ => String::new(),
            };
            (
                "aborted",
                format!("EXEC → {} (EXEC-time rule)", error.split(' ').next().unwrap_or("error")),
                format!(
                    "Each command was accepted alone, but at EXEC the whole queue is routed as one request, and its keys must share one slot.{detail} Nothing ran. ({error})"
                ),
            )
        }
        Verdict::WatchAbort { touches } => {
            let who: Vec<String> = touches
                .iter()
                .map(|t| format!("{} by {}", t.key, t.by))
                .collect();
            let who = if who.is_empty() {
                "a WATCHed key".to_string()
            } else {
                who.join(", ")
            };
            (
                "aborted",
                "EXEC → (nil) (EXEC-time WATCH check)".to_string(),
                format!(
                    "A WATCHed key changed between WATCH and EXEC ({who}), so EXEC ran nothing and answered a nil array. Read again, then retry WATCH … MULTI … EXEC."
                ),
            )
        }
        Verdict::Discarded => (
            "discarded",
            "DISCARD".to_string(),
            "The queue was dropped and the WATCHes cleared; nothing ran.".to_string(),
        ),
        Verdict::Dropped { redirected: true } => (
            "dropped",
            "Transaction lost".to_string(),
            "redis-cli -c followed a redirect by reconnecting to another node; the queued commands died with the old connection, and the redirected command ran on its own, outside any transaction.".to_string(),
        ),
        Verdict::Dropped { redirected: false } => (
            "dropped",
            "Transaction lost".to_string(),
            "The client was restarted (new kind or node): its connection closed and the server forgot the queued commands.".to_string(),
        ),
    };
    html! {
        <div class={classes!("verdict", class)} role="status">
            <p class="verdict-title"><strong>{ title }</strong></p>
            <p class="verdict-text">{ text }</p>
        </div>
    }
}
