//! The route trace of the last line: which client sent what, each key →
//! slot → owner, a sentence on what happened, the requests as a sequence
//! diagram (MOVED/ASK hops drawn between nodes), a CROSSSLOT explanation
//! with a fix, the cluster-aware client's own decisions (labelled as
//! client-side), and the effects (keys written, WATCHes invalidated).
//! Everything is read from the engine's events and replies.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;

use crate::engine::cluster::ConnId;
use crate::engine::cluster_client::Decision;
use crate::engine::event::Event;
use crate::engine::reply::Reply;
use crate::ui::components::crossslot_fix::CrossSlotFix;
use crate::ui::components::sequence_diagram::SequenceDiagram;
use crate::ui::inspect::shard_name;
use crate::ui::state::{describe_decision, Action};
use crate::ui::trace::LastLine;
use crate::ui::world::{ClientKind, WorldRef};

/// Keys listed in the key table at most.
const MAX_KEYS: usize = 10;
/// Effects listed at most.
const MAX_EFFECTS: usize = 8;

/// Props of [`RouteTrace`].
#[derive(Properties, PartialEq)]
pub struct RouteTraceProps {
    /// The cluster (owners and shards).
    pub world: WorldRef,
    /// The last line that sent something.
    pub last: Option<Rc<LastLine>>,
    /// Index of the client that ran it, if it is still open.
    pub client_index: Option<usize>,
    /// Who owns each connection.
    pub owners: Rc<BTreeMap<ConnId, String>>,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The route trace panel.
#[component]
pub fn RouteTrace(props: &RouteTraceProps) -> Html {
    let lang = use_lang();
    html! {
        <section class="panel route-trace" aria-labelledby="route-trace-title">
            <h2 id="route-trace-title" class="panel-title">{ tr(lang, "panel.route_trace") }</h2>
            {
                match &props.last {
                    None => html! {
                        <p class="hint">
                            { "Run a command: its keys, their hash slots, the node that owns each slot and every redirect show up here." }
                        </p>
                    },
                    Some(last) => body(props, last),
                }
            }
        </section>
    }
}

fn body(props: &RouteTraceProps, last: &Rc<LastLine>) -> Html {
    let world = props.world.borrow();
    let keys = last.keys();
    let shards: Vec<(u16, Option<usize>)> = world
        .cluster
        .topology
        .nodes
        .iter()
        .map(|n| (n.port, world.shard_of_port(n.port)))
        .collect();
    let shard_of = |port: Option<u16>| port.and_then(|p| world.shard_of_port(p));
    let cross = last.cross_slot();
    let effects = effects(last, &props.owners);

    html! {
        <>
            <p class="trace-head">
                <span class="client-badge">{ last.client }</span>
                <code class="trace-line">
                    <span class="trace-prompt">{ last.prompt.clone() }</span>
                    { shorten(&last.line, 120) }
                </code>
                <span class="trace-kind">{ last.kind.label() }</span>
            </p>
            <p class={classes!("trace-summary", summary_class(last))}>{ summary(last) }</p>
            if !keys.is_empty() {
                <table class="trace-keys">
                    <caption class="visually-hidden">{ "Keys, their hash slots and owners" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "key" }</th>
                            <th scope="col" class="num">{ "slot" }</th>
                            <th scope="col">{ "owner" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for (i, key) in keys.iter().enumerate().take(MAX_KEYS) {
                            <tr key={i} class={classes!(shard_of(key.owner).map(|s| format!("shard-{s}")))}>
                                <td><code>{ key.key.clone() }</code></td>
                                <td class="num"><strong class="slot-number">{ key.slot }</strong></td>
                                <td>
                                    <span class="shard-swatch" aria-hidden="true"></span>
                                    {
                                        match (key.owner, shard_of(key.owner)) {
                                            (Some(p), Some(s)) => format!(":{p} {}", shard_name(s)),
                                            (Some(p), None) => format!(":{p}"),
                                            _ => "no owner".to_string(),
                                        }
                                    }
                                </td>
                            </tr>
                        }
                    </tbody>
                </table>
                if keys.len() > MAX_KEYS {
                    <p class="hint">{ format!("… and {} more keys", keys.len() - MAX_KEYS) }</p>
                }
            }
            if let Some(cross) = cross {
                <CrossSlotFix
                    {cross}
                    line={AttrValue::from(last.line.clone())}
                    client={props.client_index.map(|i| (i, last.client))}
                    world={props.world.clone()}
                    dispatch={props.dispatch.clone()}
                />
            }
            if !last.sends.is_empty() {
                <SequenceDiagram last={last.clone()} {shards} />
            }
            if last.kind == ClientKind::ClusterAware && !last.decisions.is_empty() {
                <div class="client-side">
                    <h3 class="sub-title">{ "Client-side decisions" }</h3>
                    <p class="client-side-note">
                        { "Made by the cluster-aware client library, not by Redis: the server only ever answers or redirects." }
                    </p>
                    <ol class="decisions">
                        for (i, d) in last.decisions.iter().enumerate().take(12) {
                            <li key={i}>{ describe_decision(d) }</li>
                        }
                    </ol>
                </div>
            }
            if !effects.is_empty() {
                <ul class="effects">
                    for (i, (text, class)) in effects.into_iter().enumerate() {
                        <li key={i} class={class}>{ text }</li>
                    }
                </ul>
            }
        </>
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{kept}…")
}

fn node(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

fn summary_class(last: &LastLine) -> &'static str {
    match last.sends.last().map(|s| &s.reply) {
        Some(Reply::Error(_)) => "bad",
        Some(Reply::NilArray) => "bad",
        _ if !last.hops().is_empty() => "redirected",
        _ => "good",
    }
}

/// One sentence on what happened, read off the requests.
pub fn summary(last: &LastLine) -> String {
    let Some(final_send) = last.sends.last() else {
        return "Nothing was sent to the cluster: the client answered by itself.".to_string();
    };
    let hops = last.hops();
    if let Some(cross) = last.cross_slot() {
        return if cross.at_exec {
            format!(
                "{} refused EXEC: the queued commands' keys are in different slots (CROSSSLOT). Nothing ran.",
                node(cross.port)
            )
        } else {
            format!(
                "{} refused the command: its keys are in different slots (CROSSSLOT).",
                node(cross.port)
            )
        };
    }
    if let Some(hop) = hops.first() {
        let word = if hop.ask { "ASK" } else { "MOVED" };
        let moved = format!(
            "{} does not serve slot {} and answered {word}, naming {}",
            node(hop.from),
            hop.slot,
            node(hop.to)
        );
        return match last.kind {
            ClientKind::Plain => format!("{moved}. redis-cli without -c just prints the error."),
            ClientKind::Redirecting => format!(
                "{moved}. redis-cli -c reconnected there and sent the command again ({} answered).",
                node(final_send.port)
            ),
            ClientKind::ClusterAware if final_send.multi_before => format!(
                "{moved}. Inside a transaction the client does not follow it: the transaction is flagged."
            ),
            ClientKind::ClusterAware => format!(
                "{moved}: the client's slot map was stale, so it reloaded the map and re-sent ({} answered).",
                node(final_send.port)
            ),
        };
    }
    let split = last.decisions.iter().find_map(|d| match d {
        Decision::Split { parts } => Some(parts.len()),
        _ => None,
    });
    if let (Some(parts), Reply::Array(_)) = (split, &final_send.reply) {
        return format!(
            "The client split the MGET into {parts} MGETs, one per slot, each sent straight to its slot's owner, and put the values back in key order — no redirect, but no longer one atomic read."
        );
    }
    let ran = final_send.events.iter().find_map(|e| match e {
        Event::TransactionExecuted { commands, .. } => Some(*commands),
        _ => None,
    });
    if let Some(commands) = ran {
        return format!(
            "{} ran EXEC: the {commands} queued command{} ran in order with nothing in between. \
             At EXEC the whole queue is routed as one request, and this node accepted it.",
            node(final_send.port),
            if commands == 1 { "" } else { "s" }
        );
    }
    let queued = final_send
        .events
        .iter()
        .any(|e| matches!(e, Event::Queued { .. }));
    let keys = last.keys();
    if queued {
        return match keys.first() {
            Some(k) => format!(
                "{} queued it for EXEC (MULTI is open): slot {} is served here, so the queue-time check passed.",
                node(final_send.port),
                k.slot
            ),
            None => format!(
                "{} queued it for EXEC (MULTI is open).",
                node(final_send.port)
            ),
        };
    }
    let served_by = format!("{} answered", node(final_send.port));
    match (&final_send.reply, keys.first()) {
        (Reply::Error(e), _) => format!("{served_by} with an error: {e}"),
        (Reply::NilArray, _) => {
            format!("{served_by} (nil): EXEC did not run the transaction (a WATCHed key changed).")
        }
        (_, None) => format!("{served_by}. The command has no keys, so nothing was routed."),
        (_, Some(k)) if last.kind == ClientKind::ClusterAware => format!(
            "{served_by} directly: the client computed slot {} itself and looked up the owner in its slot map — no redirect.",
            k.slot
        ),
        (_, Some(k)) if k.owner == Some(final_send.port) => format!(
            "{served_by}: it owns slot {} of {}, so no redirect was needed.",
            k.slot, k.key
        ),
        (_, Some(_)) => format!("{served_by}."),
    }
}

/// Keys written and WATCHes invalidated, in words.
fn effects(last: &LastLine, owners: &BTreeMap<ConnId, String>) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut more = 0;
    for send in &last.sends {
        for event in &send.events {
            let item = match event {
                Event::KeyModified { port, key, slot } => Some((
                    format!("wrote {key} (slot {slot}) on {}", node(*port)),
                    "effect-write",
                )),
                Event::KeyExpired { key, .. } => Some((format!("{key} expired"), "effect-expired")),
                Event::WatchTouched { watcher, key, .. } => Some((
                    format!(
                        "{key} is WATCHed by {}: that client's EXEC will now answer (nil)",
                        owners
                            .get(watcher)
                            .cloned()
                            .unwrap_or_else(|| "another connection".into())
                    ),
                    "effect-watch",
                )),
                Event::TransactionFlagged { error, .. } => Some((
                    format!("the transaction is flagged ({error}): EXEC will answer EXECABORT"),
                    "effect-flag",
                )),
                _ => None,
            };
            if let Some(item) = item {
                if out.len() < MAX_EFFECTS {
                    out.push(item);
                } else {
                    more += 1;
                }
            }
        }
    }
    if more > 0 {
        out.push((format!("… and {more} more"), "effect-more"));
    }
    out
}
