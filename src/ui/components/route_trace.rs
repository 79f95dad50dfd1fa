//! The route trace: what the engine reported for the last line (which node
//! served or rejected it, redirects, keys written), one step per line.
//! The groundwork for the animated routing view.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::event::Event;
use crate::engine::router::KeySlot;

/// Props of [`RouteTrace`].
#[derive(Properties, PartialEq)]
pub struct RouteTraceProps {
    /// The engine events of the last line that sent something, if any.
    pub events: Option<Rc<Vec<Event>>>,
}

/// The route trace panel.
#[component]
pub fn RouteTrace(props: &RouteTraceProps) -> Html {
    html! {
        <section class="panel route-trace" aria-labelledby="route-trace-title">
            <h2 id="route-trace-title" class="panel-title">{ "Last request" }</h2>
            { trace_body(props.events.as_ref().map(|e| e.as_slice())) }
        </section>
    }
}

fn trace_body(events: Option<&[Event]>) -> Html {
    match events {
        None => html! {
            <p class="hint">{ "Run a command to see which nodes handled it." }</p>
        },
        Some([]) => html! {
            <p class="hint">
                { "Answered by the connected node itself: the command has no keys, so nothing was routed." }
            </p>
        },
        Some(events) => html! {
            <ol class="trace">
                for step in events.iter().map(describe) {
                    <li>{ step }</li>
                }
            </ol>
        },
    }
}

fn node(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

fn keys(keys: &[KeySlot]) -> String {
    if keys.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = keys
        .iter()
        .take(4)
        .map(|k| format!("{} → slot {}", k.key, k.slot))
        .collect();
    let more = keys.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(" ({}{more})", shown.join(", "))
}

/// One event in words.
pub fn describe(event: &Event) -> String {
    match event {
        Event::Served { port, keys: k } => format!("{} served it{}", node(*port), keys(k)),
        Event::Rejected { port, error, .. } => format!("{} refused it: {error}", node(*port)),
        Event::Queued { port, keys: k } => format!("{} queued it (MULTI){}", node(*port), keys(k)),
        Event::TransactionFlagged { port, error } => format!(
            "{} flagged the transaction (EXEC will fail): {error}",
            node(*port)
        ),
        Event::TransactionExecuted { port, commands } => {
            let plural = if *commands == 1 { "" } else { "s" };
            format!(
                "{} ran EXEC: {commands} queued command{plural}",
                node(*port)
            )
        }
        Event::TransactionDiscarded { port, reason } => {
            format!("{} discarded the transaction: {reason}", node(*port))
        }
        Event::KeyModified { port, key, slot } => {
            format!(
                "key {key} (slot {slot}) modified on the shard of {}",
                node(*port)
            )
        }
        Event::KeyExpired { port, key, slot } => {
            format!(
                "key {key} (slot {slot}) expired on the shard of {}",
                node(*port)
            )
        }
        Event::WatchTouched { key, .. } => {
            format!("watched key {key} was modified: that client's EXEC will fail")
        }
        Event::Redirected {
            from,
            to,
            slot,
            ask,
        } => format!(
            "redirected ({}) from {} to {} for slot {slot}",
            if *ask { "ASK" } else { "MOVED" },
            node(*from),
            node(*to)
        ),
        other => other.cluster_change().unwrap_or_default(),
    }
}
