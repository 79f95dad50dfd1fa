//! The route trace of the last line: which client sent what, each key →
//! slot → owner, a sentence on what happened, the requests as a sequence
//! diagram (MOVED/ASK hops drawn between nodes), a CROSSSLOT explanation
//! with a fix, the cluster-aware client's own decisions (labelled as
//! client-side), and the effects (keys written, WATCHes invalidated).
//! Everything is read from the engine's events and replies.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;

use crate::engine::cluster::ConnId;
use crate::engine::cluster_client::Decision;
use crate::engine::event::Event;
use crate::engine::reply::Reply;
use crate::ui::components::crossslot_fix::CrossSlotFix;
use crate::ui::components::sequence_diagram::SequenceDiagram;
use crate::ui::inspect::shard_label;
use crate::ui::state::{describe_decision, Action};
use crate::ui::trace::LastLine;
use crate::ui::tx::show_who;
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
                            { tr(lang, "trace.empty") }
                        </p>
                    },
                    Some(last) => body(props, last, lang),
                }
            }
        </section>
    }
}

fn body(props: &RouteTraceProps, last: &Rc<LastLine>, lang: Lang) -> Html {
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
    let effects = effects(lang, last, &props.owners);

    html! {
        <>
            <p class="trace-head">
                <span class="client-badge">{ last.client }</span>
                <code class="trace-line">
                    <span class="trace-prompt">{ last.prompt.clone() }</span>
                    { shorten(&last.line, 120) }
                </code>
                <span class="trace-kind">{ last.kind.label_in(lang) }</span>
            </p>
            <p class={classes!("trace-summary", summary_class(last))}>{ summary(lang, last) }</p>
            if !keys.is_empty() {
                <table class="trace-keys">
                    <caption class="visually-hidden">{ tr(lang, "trace.keys_caption") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ tr(lang, "trace.col_key") }</th>
                            <th scope="col" class="num">{ tr(lang, "trace.col_slot") }</th>
                            <th scope="col">{ tr(lang, "trace.col_owner") }</th>
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
                                            (Some(p), Some(s)) => format!(":{p} {}", shard_label(lang, s)),
                                            (Some(p), None) => format!(":{p}"),
                                            _ => tr(lang, "trace.no_owner").to_string(),
                                        }
                                    }
                                </td>
                            </tr>
                        }
                    </tbody>
                </table>
                if keys.len() > MAX_KEYS {
                    <p class="hint">{ trf(lang, "trace.more_keys", &[("n", &(keys.len() - MAX_KEYS).to_string())]) }</p>
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
                    <h3 class="sub-title">{ tr(lang, "trace.client_side") }</h3>
                    <p class="client-side-note">
                        { tr(lang, "trace.client_side_note") }
                    </p>
                    <ol class="decisions">
                        for (i, d) in last.decisions.iter().enumerate().take(12) {
                            <li key={i}>{ describe_decision(lang, d) }</li>
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

/// One sentence on what happened, read off the requests, in `lang`.
pub fn summary(lang: Lang, last: &LastLine) -> String {
    let Some(final_send) = last.sends.last() else {
        return tr(lang, "trace.nothing_sent").to_string();
    };
    let hops = last.hops();
    if let Some(cross) = last.cross_slot() {
        let key = if cross.at_exec {
            "trace.crossslot_exec"
        } else {
            "trace.crossslot"
        };
        return trf(lang, key, &[("node", &node(cross.port))]);
    }
    if let Some(hop) = hops.first() {
        let moved = trf(
            lang,
            "trace.redirect",
            &[
                ("from", &node(hop.from)),
                ("slot", &hop.slot.to_string()),
                ("word", if hop.ask { "ASK" } else { "MOVED" }),
                ("to", &node(hop.to)),
            ],
        );
        let key = match last.kind {
            ClientKind::Plain => "trace.redirect_plain",
            ClientKind::Redirecting => "trace.redirect_followed",
            ClientKind::ClusterAware if final_send.multi_before => "trace.redirect_in_tx",
            ClientKind::ClusterAware => "trace.redirect_aware",
        };
        return trf(
            lang,
            key,
            &[("moved", &moved), ("node", &node(final_send.port))],
        );
    }
    let split = last.decisions.iter().find_map(|d| match d {
        Decision::Split { parts } => Some(parts.len()),
        _ => None,
    });
    if let (Some(parts), Reply::Array(_)) = (split, &final_send.reply) {
        return trf(lang, "trace.split", &[("parts", &parts.to_string())]);
    }
    let ran = final_send.events.iter().find_map(|e| match e {
        Event::TransactionExecuted { commands, .. } => Some(*commands),
        _ => None,
    });
    if let Some(commands) = ran {
        let key = if commands == 1 {
            "trace.exec_ran_one"
        } else {
            "trace.exec_ran_many"
        };
        return trf(
            lang,
            key,
            &[
                ("node", &node(final_send.port)),
                ("n", &commands.to_string()),
            ],
        );
    }
    let queued = final_send
        .events
        .iter()
        .any(|e| matches!(e, Event::Queued { .. }));
    let keys = last.keys();
    let here = node(final_send.port);
    if queued {
        return match keys.first() {
            Some(k) => trf(
                lang,
                "trace.queued_slot",
                &[("node", &here), ("slot", &k.slot.to_string())],
            ),
            None => trf(lang, "trace.queued", &[("node", &here)]),
        };
    }
    match (&final_send.reply, keys.first()) {
        (Reply::Error(e), _) => trf(
            lang,
            "trace.answered_error",
            &[("node", &here), ("error", e)],
        ),
        (Reply::NilArray, _) => trf(lang, "trace.answered_nil", &[("node", &here)]),
        (_, None) => trf(lang, "trace.answered_keyless", &[("node", &here)]),
        (_, Some(k)) if last.kind == ClientKind::ClusterAware => trf(
            lang,
            "trace.answered_aware",
            &[("node", &here), ("slot", &k.slot.to_string())],
        ),
        (_, Some(k)) if k.owner == Some(final_send.port) => trf(
            lang,
            "trace.answered_owner",
            &[
                ("node", &here),
                ("slot", &k.slot.to_string()),
                ("key", &k.key),
            ],
        ),
        (_, Some(_)) => trf(lang, "trace.answered", &[("node", &here)]),
    }
}

/// Keys written and WATCHes invalidated, in words.
fn effects(
    lang: Lang,
    last: &LastLine,
    owners: &BTreeMap<ConnId, String>,
) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut more = 0;
    for send in &last.sends {
        for event in &send.events {
            let item = match event {
                Event::KeyModified { port, key, slot } => Some((
                    trf(
                        lang,
                        "trace.wrote",
                        &[
                            ("key", key),
                            ("slot", &slot.to_string()),
                            ("node", &node(*port)),
                        ],
                    ),
                    "effect-write",
                )),
                Event::KeyExpired { key, .. } => Some((
                    trf(lang, "trace.expired", &[("key", key)]),
                    "effect-expired",
                )),
                Event::WatchTouched { watcher, key, .. } => Some((
                    trf(
                        lang,
                        "trace.watch_touched",
                        &[
                            ("key", key),
                            (
                                "who",
                                &show_who(
                                    lang,
                                    owners
                                        .get(watcher)
                                        .map_or(crate::ui::tx::ANOTHER, String::as_str),
                                ),
                            ),
                        ],
                    ),
                    "effect-watch",
                )),
                Event::TransactionFlagged { error, .. } => Some((
                    trf(lang, "trace.flagged", &[("error", error)]),
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
        out.push((
            trf(lang, "trace.more", &[("n", &more.to_string())]),
            "effect-more",
        ));
    }
    out
}
