//! The last line's requests as a sequence diagram (one SVG): the client on
//! the left, the nodes it talked to as lifelines, one arrow per request and
//! one per reply, and a dashed arrow from a node that answered MOVED/ASK to
//! the node it named.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::cli::parse_redirect;
use crate::engine::reply::Reply;
use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;
use crate::ui::trace::LastLine;
use crate::ui::tx::show_command;

/// Requests drawn at most (the rest are counted).
pub const MAX_ROWS: usize = 8;

/// Props of [`SequenceDiagram`].
#[derive(Properties, PartialEq)]
pub struct SequenceDiagramProps {
    /// The line to draw.
    pub last: Rc<LastLine>,
    /// Shard position of each port (for colours).
    pub shards: Vec<(u16, Option<usize>)>,
}

const WIDTH: f64 = 360.0;
const HEAD: f64 = 40.0;
const ROW: f64 = 50.0;
const MARGIN: f64 = 34.0;
/// Extra height of a row with a redirect hop.
const HOP_ROOM: f64 = 26.0;

/// The sequence diagram.
#[component]
pub fn SequenceDiagram(props: &SequenceDiagramProps) -> Html {
    let lang = use_lang();
    let last = &props.last;
    let ports = last.ports();
    let hops = last.hops();
    let rows = last.sends.len().min(MAX_ROWS);
    // Each request takes a row; a row with a redirect hop gets room for it.
    let mut row_y = Vec::with_capacity(rows);
    let mut next_y = HEAD;
    for i in 0..rows {
        row_y.push(next_y);
        next_y += ROW
            + if hops.iter().any(|h| h.send == i) {
                HOP_ROOM
            } else {
                0.0
            };
    }
    let columns = ports.len() + 1;
    let step = (WIDTH - 2.0 * MARGIN) / (columns.max(2) - 1) as f64;
    let x_of = |port: u16| -> f64 {
        let i = ports.iter().position(|p| *p == port).unwrap_or(0) + 1;
        MARGIN + step * i as f64
    };
    let client_x = MARGIN;
    let height = next_y + 14.0;
    let shard_of = |port: u16| {
        props
            .shards
            .iter()
            .find(|(p, _)| *p == port)
            .and_then(|(_, s)| *s)
    };
    let chars_for = |span: f64| ((span / 5.6) as usize).max(6);

    let mut body: Vec<Html> = Vec::new();
    for (i, send) in last.sends.iter().take(MAX_ROWS).enumerate() {
        let y = row_y.get(i).copied().unwrap_or(HEAD) + 16.0;
        let x = x_of(send.port);
        let span = (x - client_x).abs();
        let request = cut(&show_command(&send.argv), chars_for(span));
        let (reply, class) = reply_summary(lang, &send.reply);
        let reply = cut(&reply, chars_for(span));
        body.push(html! {
            <g key={format!("s{i}")} class="seq-send" data-port={send.port.to_string()}>
                <line class="seq-arrow req" x1={fmt(client_x)} y1={fmt(y)} x2={fmt(x - 3.0)} y2={fmt(y)} marker-end="url(#seq-head)" />
                <text class="seq-label" x={fmt((client_x + x) / 2.0)} y={fmt(y - 4.0)} text-anchor="middle">{ request }</text>
                <line class={classes!("seq-arrow", "rep", class)} x1={fmt(x)} y1={fmt(y + 20.0)} x2={fmt(client_x + 3.0)} y2={fmt(y + 20.0)} marker-end="url(#seq-head)" />
                <text class={classes!("seq-label", "rep-label", class)} x={fmt((client_x + x) / 2.0)} y={fmt(y + 16.0)} text-anchor="middle">{ reply }</text>
            </g>
        });
    }
    for (n, hop) in hops.iter().filter(|h| h.send < MAX_ROWS).enumerate() {
        let y = row_y.get(hop.send).copied().unwrap_or(HEAD) + 46.0;
        let (x1, x2) = (x_of(hop.from), x_of(hop.to));
        let mid = (x1 + x2) / 2.0;
        let d = format!(
            "M{} {} Q{} {} {} {}",
            fmt(x1),
            fmt(y),
            fmt(mid),
            fmt(y + 14.0),
            fmt(x2 + if x2 > x1 { -3.0 } else { 3.0 }),
            fmt(y)
        );
        let label = format!(
            "{} {} → :{}",
            if hop.ask { "ASK" } else { "MOVED" },
            hop.slot,
            hop.to
        );
        body.push(html! {
            <g key={format!("h{n}")} class={classes!("hop-arrow", hop.ask.then_some("ask"))}>
                <title>{ trf(lang, "trace.hop_title", &[("from", &format!("127.0.0.1:{}", hop.from)), ("to", &format!("127.0.0.1:{}", hop.to)), ("slot", &hop.slot.to_string())]) }</title>
                <path d={d} marker-end="url(#seq-hop-head)" />
                <text class="seq-label hop-label" x={fmt(mid)} y={fmt(y + 20.0)} text-anchor="middle">{ label }</text>
            </g>
        });
    }
    let hidden = last.total_sends.saturating_sub(rows);
    let requests = last
        .sends
        .iter()
        .take(MAX_ROWS)
        .map(|s| {
            trf(
                lang,
                "trace.seq_request",
                &[
                    ("command", &show_command(&s.argv)),
                    ("node", &format!("127.0.0.1:{}", s.port)),
                    ("reply", &reply_summary(lang, &s.reply).0),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let aria = trf(
        lang,
        if last.total_sends == 1 {
            "trace.seq_aria_one"
        } else {
            "trace.seq_aria_many"
        },
        &[
            ("n", &last.total_sends.to_string()),
            ("letter", &last.client.to_string()),
            ("requests", &requests),
        ],
    );

    html! {
        <figure class="sequence">
            <svg class="seq-svg" viewBox={format!("0 0 {WIDTH} {}", fmt(height))} role="img" aria-label={aria}>
                <defs>
                    <marker id="seq-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0L10 5L0 10z" class="seq-head" />
                    </marker>
                    <marker id="seq-hop-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0L10 5L0 10z" class="seq-hop-head" />
                    </marker>
                </defs>
                <line class="lifeline" x1={fmt(client_x)} x2={fmt(client_x)} y1="26" y2={fmt(height)} />
                <rect class="seq-box client-box" x={fmt(client_x - 26.0)} y="4" width="52" height="22" rx="5" />
                <text class="seq-node" x={fmt(client_x)} y="19" text-anchor="middle">{ trf(lang, "client.name", &[("letter", &last.client.to_string())]) }</text>
                for port in ports.iter() {
                    <g key={*port} class={classes!("seq-node-col", shard_of(*port).map(|s| format!("shard-{s}")))}>
                        <line class="lifeline" x1={fmt(x_of(*port))} x2={fmt(x_of(*port))} y1="26" y2={fmt(height)} />
                        <rect class="seq-box node-box" x={fmt(x_of(*port) - 22.0)} y="4" width="44" height="22" rx="5" />
                        <text class="seq-node" x={fmt(x_of(*port))} y="19" text-anchor="middle">{ format!(":{port}") }</text>
                    </g>
                }
                { for body }
            </svg>
            if hidden > 0 {
                <figcaption class="hint">{ trf(lang, "trace.more_requests", &[("n", &hidden.to_string())]) }</figcaption>
            }
        </figure>
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// A reply in a few words, and its class (`ok`, `error`, `redirect`, `nil`).
pub fn reply_summary(lang: Lang, reply: &Reply) -> (String, &'static str) {
    match reply {
        Reply::Error(text) => match parse_redirect(text) {
            Some((slot, _, port)) => {
                let word = text.split(' ').next().unwrap_or("MOVED");
                (format!("{word} {slot} → :{port}"), "redirect")
            }
            None => (text.clone(), "error"),
        },
        Reply::Status(s) => (s.clone(), "ok"),
        Reply::Integer(n) => (format!("(integer) {n}"), "ok"),
        Reply::Bulk(b) => (format!("\"{}\"", crate::ui::inspect::show_bytes(b)), "ok"),
        Reply::NilBulk => ("(nil)".into(), "ok"),
        Reply::NilArray => (tr(lang, "trace.nil_aborted").to_string(), "nil"),
        Reply::Array(items) if items.is_empty() => ("(empty array)".into(), "ok"),
        Reply::Array(items) => (
            trf(
                lang,
                if items.len() == 1 {
                    "trace.items_one"
                } else {
                    "trace.items_many"
                },
                &[("n", &items.len().to_string())],
            ),
            "ok",
        ),
    }
}
