//! The 16384-slot ribbon: one SVG (a handful of elements, never one per
//! slot) scaled to any width. The lower band is coloured by the owning
//! shard; above it, one stroke per 32-slot bin shows how many keys live
//! there (log scale). Marks show the last command's slots (solid) and the
//! slots of the line being typed (dashed). Hovering, or focusing the
//! ribbon and using ←/→ (Shift: 256 slots), shows one slot's owner and
//! key count.

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use crate::engine::slot::SLOT_COUNT;
use crate::i18n::{tr, trf};
use crate::ui::inspect::shard_label;
use crate::ui::lang::use_lang;
use crate::ui::map::{MapStats, BINS, BIN_SLOTS};

/// What a mark on the ribbon stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A slot the last command used.
    Last,
    /// A slot of the line being typed.
    Typed,
    /// The hot-spot slot.
    Hot,
}

/// One mark: a slot, a label, a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub slot: u16,
    pub label: String,
    pub kind: MarkKind,
}

/// Props of [`SlotRibbon`].
#[derive(Properties, PartialEq)]
pub struct SlotRibbonProps {
    /// Keys per slot and owners.
    pub stats: Rc<MapStats>,
    /// Marks to draw.
    pub marks: Vec<Mark>,
    /// Master ports, by master position (for the tooltip).
    pub master_ports: Vec<u16>,
}

const DENSITY_BASE: f64 = 62.0;
/// Width of a migrating/importing slot's stripe, in slots (one slot would
/// be a fraction of a pixel).
const MOVING_WIDTH: u16 = 160;
/// Migrating/importing slots labelled on the ribbon.
const MOVING_LABELS: usize = 2;
const DENSITY_HEIGHT: f64 = 56.0;

/// The slot ribbon.
#[component]
pub fn SlotRibbon(props: &SlotRibbonProps) -> Html {
    let lang = use_lang();
    let hover = use_state(|| None::<u16>);
    let stats = &props.stats;

    // Yew delegates events to the root, so the event's current target is
    // not the ribbon: measure the ribbon itself.
    let area = use_node_ref();
    let onmousemove = {
        let hover = hover.clone();
        let area = area.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = area.cast::<Element>() else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            if rect.width() <= 0.0 {
                return;
            }
            let x = (f64::from(e.client_x()) - rect.left()) / rect.width();
            let slot = (x * f64::from(SLOT_COUNT))
                .floor()
                .clamp(0.0, f64::from(SLOT_COUNT - 1));
            hover.set(Some(slot as u16));
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let onkeydown = {
        let hover = hover.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: i32 = if e.shift_key() { 256 } else { 1 };
            let current = i32::from((*hover).unwrap_or(0));
            let next = match e.key().as_str() {
                "ArrowRight" => current + step,
                "ArrowLeft" => current - step,
                "Home" => 0,
                "End" => i32::from(SLOT_COUNT) - 1,
                "Escape" => {
                    hover.set(None);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            hover.set(Some(next.clamp(0, i32::from(SLOT_COUNT) - 1) as u16));
        })
    };

    // One path per shard for the density strokes.
    let shards = props.master_ports.len().max(1);
    let mut paths = vec![String::new(); shards + 1];
    let log_max = (1.0 + f64::from(stats.max_bin)).ln();
    for (b, (count, owner)) in stats.bins.iter().enumerate().take(BINS) {
        if *count == 0 || log_max <= 0.0 {
            continue;
        }
        let x = b * BIN_SLOTS + BIN_SLOTS / 2;
        let h = 6.0 + DENSITY_HEIGHT * (1.0 + f64::from(*count)).ln() / log_max;
        if let Some(path) = paths.get_mut(owner.unwrap_or(shards)) {
            path.push_str(&format!(
                "M{x} {DENSITY_BASE}V{:.1}",
                (DENSITY_BASE - h).max(0.0)
            ));
        }
    }

    // A slot is usually both migrating (on its source) and importing (on its target).
    let mut moving_slots: Vec<u16> = stats
        .migrating
        .iter()
        .chain(stats.importing.iter())
        .map(|(slot, _, _)| *slot)
        .collect();
    moving_slots.sort_unstable();
    moving_slots.dedup();

    let tooltip = (*hover).map(|slot| {
        let count = stats.counts.get(usize::from(slot)).copied().unwrap_or(0);
        let owner = stats
            .segments
            .iter()
            .find(|(a, b, _)| (*a..=*b).contains(&slot))
            .and_then(|(_, _, o)| *o);
        let owner_text = match owner {
            Some(i) => format!(
                "{} (127.0.0.1:{})",
                shard_label(lang, i),
                props.master_ports.get(i).copied().unwrap_or_default()
            ),
            None => tr(lang, "trace.no_owner").to_string(),
        };
        let text = trf(
            lang,
            if count == 1 {
                "map.tooltip_one"
            } else {
                "map.tooltip_many"
            },
            &[
                ("slot", &slot.to_string()),
                ("owner", &owner_text),
                ("n", &count.to_string()),
            ],
        );
        (slot, text)
    });

    let summary = {
        let parts: Vec<String> = stats
            .segments
            .iter()
            .map(|(a, b, o)| match o {
                Some(i) => format!("{a}-{b} {}", shard_label(lang, *i)),
                None => trf(
                    lang,
                    "map.ribbon_unassigned",
                    &[("range", &format!("{a}-{b}"))],
                ),
            })
            .collect();
        let sep = tr(lang, "decision.list_sep");
        let moving: Vec<String> = moving_labels(stats)
            .into_iter()
            .map(|(_, label)| trf(lang, "map.ribbon_slot", &[("slot", &label)]))
            .collect();
        let moving = if moving.is_empty() {
            String::new()
        } else {
            trf(lang, "map.ribbon_moving", &[("slots", &moving.join(sep))])
        };
        trf(
            lang,
            "map.ribbon_summary",
            &[
                ("owners", &parts.join(sep)),
                ("moving", &moving),
                ("keys", &stats.total.to_string()),
                ("slots", &stats.used_slots.to_string()),
            ],
        )
    };

    html! {
        <div class="ribbon">
            <div
                ref={area}
                class="ribbon-area"
                tabindex="0"
                role="img"
                aria-label={summary}
                {onmousemove}
                {onmouseleave}
                {onkeydown}
            >
                <svg class="ribbon-svg" viewBox="0 0 16384 100" preserveAspectRatio="none" aria-hidden="true">
                    for (i, (a, b, owner)) in stats.segments.iter().enumerate() {
                        <rect
                            key={i}
                            class={classes!("owner-band", owner.map_or("unassigned".to_string(), |o| format!("shard-fill-{o}")))}
                            x={a.to_string()}
                            y="66"
                            width={(u32::from(*b) - u32::from(*a) + 1).to_string()}
                            height="34"
                        />
                    }
                    for (i, path) in paths.iter().enumerate() {
                        if !path.is_empty() {
                            <path key={i} class={classes!("density", format!("shard-stroke-{i}"))} d={path.clone()} />
                        }
                    }
                    for slot in moving_slots.iter() {
                        <rect key={format!("m{slot}")} class="moving-slot"
                            x={slot.saturating_sub(MOVING_WIDTH / 2).to_string()} y="40"
                            width={MOVING_WIDTH.to_string()} height="60" />
                    }
                    for mark in props.marks.iter() {
                        <line
                            class={classes!("mark", mark_class(mark.kind))}
                            x1={mark.slot.to_string()} x2={mark.slot.to_string()}
                            y1="0" y2="100"
                        />
                    }
                    if let Some((slot, _)) = tooltip.as_ref() {
                        <line class="mark hover" x1={slot.to_string()} x2={slot.to_string()} y1="0" y2="100" />
                    }
                </svg>
                <div class="ribbon-labels moving-labels" aria-hidden="true">
                    for (slot, label) in moving_labels(stats) {
                        <span key={format!("l{slot}")} class="mark-label moving" style={position(slot)}>
                            { label }
                        </span>
                    }
                </div>
                <div class="ribbon-labels" aria-hidden="true">
                    for mark in props.marks.iter().filter(|m| !m.label.is_empty()) {
                        <span
                            class={classes!("mark-label", mark_class(mark.kind))}
                            style={position(mark.slot)}
                        >
                            { mark.label.clone() }
                        </span>
                    }
                </div>
                if let Some((slot, text)) = tooltip {
                    <div class="ribbon-tooltip" style={position(slot)} role="status">{ text }</div>
                }
            </div>
            <div class="ribbon-axis" aria-hidden="true">
                for (a, b, owner) in stats.segments.iter().filter(|(a, b, _)| b - a > 300) {
                    <span class="axis-range" style={format!("left:{:.3}%;width:{:.3}%", pct(*a), pct(*b + 1) - pct(*a))}>
                        <span class={classes!("axis-text", owner.map(|o| format!("shard-text-{o}")))}>
                            { format!("{a}–{b}") }
                        </span>
                    </span>
                }
            </div>
        </div>
    }
}

fn pct(slot: u16) -> f64 {
    f64::from(slot) * 100.0 / f64::from(SLOT_COUNT)
}

/// A left offset that keeps a label inside the ribbon near its edges.
fn position(slot: u16) -> String {
    let p = pct(slot);
    if p < 8.0 {
        format!("left:{p:.3}%;transform:translateX(0)")
    } else if p > 92.0 {
        format!("left:{p:.3}%;transform:translateX(-100%)")
    } else {
        format!("left:{p:.3}%")
    }
}

fn mark_class(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Last => "last",
        MarkKind::Typed => "typed",
        MarkKind::Hot => "hot",
    }
}

/// `3696 :7000 → :7001` for the first migrating slots (a migrating slot's
/// importing twin is the same move).
fn moving_labels(stats: &MapStats) -> Vec<(u16, String)> {
    let mut out: Vec<(u16, String)> = Vec::new();
    for (slot, _, to) in &stats.migrating {
        out.push((*slot, format!("{slot} → :{to}")));
    }
    for (slot, _, from) in &stats.importing {
        if !out.iter().any(|(s, _)| s == slot) {
            out.push((*slot, format!("{slot} ← :{from}")));
        }
    }
    out.sort_by_key(|(s, _)| *s);
    out.truncate(MOVING_LABELS);
    out
}
