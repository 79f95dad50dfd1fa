//! The operations part of the cluster map: the failure detector's clock
//! (its next change, and a "Skip ahead" button), the reshard control
//! ("Move slots [count or range] from [master] to [master]", Step / Run to
//! end, the plan's progress) and the operations log: every command a
//! reshard sent with its reply, and every change of the cluster, as the
//! engine reported them.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{tr, trf};
use crate::share::parse_slot_spec;
use crate::ui::lang::use_lang;
use crate::ui::map;
use crate::ui::ops::{seconds, OpsEntry, OpsKind};
use crate::ui::platform;
use crate::ui::share_text::describe_step;
use crate::ui::state::Action;
use crate::ui::world::WorldRef;

/// Log entries shown (newest first).
const ENTRIES_SHOWN: usize = 12;

/// Props of [`OpsPanel`].
#[derive(Properties, PartialEq)]
pub struct OpsPanelProps {
    pub world: WorldRef,
    pub ops: Rc<Vec<Rc<OpsEntry>>>,
    /// The time of the last step.
    pub last_time: u64,
    /// The last step is shown.
    pub at_head: bool,
    pub dispatch: Callback<Action>,
}

/// The operations panel.
#[component]
pub fn OpsPanel(props: &OpsPanelProps) -> Html {
    let lang = use_lang();
    let slots = use_state(|| "3".to_string());
    let from = use_state(|| None::<u16>);
    let to = use_state(|| None::<u16>);

    let world = props.world.borrow();
    let topology = &world.cluster.topology;
    let masters: Vec<u16> = map::shard_masters(topology)
        .into_iter()
        .map(|m| topology.nodes[m].port)
        .collect();
    let from_port = (*from)
        .filter(|p| masters.contains(p))
        .or_else(|| masters.first().copied())
        .unwrap_or(7000);
    let to_port = (*to)
        .filter(|p| masters.contains(p))
        .or_else(|| masters.iter().copied().find(|p| *p != from_port))
        .unwrap_or(7001);
    let due = world.cluster.next_transition_at();
    let plan = world.reshard.clone().filter(|r| !r.plan.is_done());
    drop(world);

    let valid = parse_slot_spec(&slots).is_some();
    let submit = |run: bool| {
        let dispatch = props.dispatch.clone();
        let slots = slots.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Reshard {
                from: from_port,
                to: to_port,
                slots: slots.trim().to_string(),
                run,
                now_ms: platform::now_ms(),
            })
        })
    };
    let on_slots = {
        let slots = slots.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            slots.set(input.value());
        })
    };
    let select = |state: &UseStateHandle<Option<u16>>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            state.set(select.value().parse().ok());
        })
    };
    let options = |selected: u16| -> Html {
        masters
            .iter()
            .map(|p| {
                html! {
                    <option key={*p} value={p.to_string()} selected={*p == selected}>
                        { format!("127.0.0.1:{p}") }
                    </option>
                }
            })
            .collect()
    };
    let skip = due.map(|at| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Tick {
                at,
                now_ms: platform::now_ms(),
            })
        })
    });

    let entries: Vec<Rc<OpsEntry>> = props
        .ops
        .iter()
        .rev()
        .take(ENTRIES_SHOWN)
        .cloned()
        .collect();
    // Time since the entry before, for each shown entry.
    let gaps: Vec<Option<u64>> = {
        let all = &props.ops;
        let n = all.len();
        (0..entries.len())
            .map(|k| {
                let i = n - 1 - k;
                i.checked_sub(1).and_then(|j| {
                    let (a, b) = (all.get(j)?.step.now_ms, all.get(i)?.step.now_ms);
                    Some(b.saturating_sub(a))
                })
            })
            .collect()
    };
    let letters: Vec<char> = Vec::new();

    html! {
        <section class="ops" aria-labelledby="ops-title">
            <h3 id="ops-title" class="ops-title">{ tr(lang, "ops.title") }</h3>
            <p class="ops-intro muted">{ tr(lang, "ops.intro") }</p>
            if let (Some(at), Some(skip), true) = (due, skip, props.at_head) {
                <p class="ops-clock" role="status">
                    <span>{ trf(lang, "ops.due", &[("time", &seconds(at.saturating_sub(props.last_time)).replace(' ', "\u{a0}"))]) }</span>
                    <button type="button" class="ops-skip" title={tr(lang, "ops.skip_title")} onclick={skip}>
                        { tr(lang, "ops.skip") }
                    </button>
                </p>
            }
            <form class="reshard-form" aria-label={tr(lang, "ops.reshard")}
                onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label class="reshard-field">
                    <span>{ tr(lang, "ops.move") }</span>
                    <input type="text" class="reshard-slots" value={(*slots).clone()} oninput={on_slots}
                        size="9" spellcheck="false" autocomplete="off"
                        aria-invalid={(!valid).to_string()}
                        aria-describedby="reshard-help" />
                </label>
                <label class="reshard-field">
                    <span>{ tr(lang, "ops.from") }</span>
                    <select class="reshard-from" onchange={select(&from)}>{ options(from_port) }</select>
                </label>
                <label class="reshard-field">
                    <span>{ tr(lang, "ops.to") }</span>
                    <select class="reshard-to" onchange={select(&to)}>{ options(to_port) }</select>
                </label>
                <span class="reshard-buttons">
                    <button type="button" class="reshard-step" disabled={!valid}
                        title={tr(lang, "ops.step_title")} onclick={submit(false)}>
                        { tr(lang, "ops.step") }
                    </button>
                    <button type="button" class="reshard-run" disabled={!valid}
                        title={tr(lang, "ops.run_title")} onclick={submit(true)}>
                        { tr(lang, "ops.run") }
                    </button>
                </span>
                <p id="reshard-help" class={classes!("reshard-help", (!valid).then_some("invalid"))}>
                    { tr(lang, "ops.slots_help") }
                </p>
            </form>
            if let Some(r) = plan {
                <p class="reshard-progress" role="status">
                    { trf(lang, "ops.progress", &[
                        ("slots", &r.slots),
                        ("from", &r.from.to_string()),
                        ("to", &r.to.to_string()),
                        ("slot", &r.plan.current_slot().map(|s| s.to_string()).unwrap_or_default()),
                        ("done", &r.plan.slots_done.to_string()),
                        ("total", &r.plan.slots.len().to_string()),
                        ("keys", &r.plan.keys_moved.to_string()),
                    ]) }
                </p>
            }
            <h4 class="ops-log-title">{ tr(lang, "ops.log") }</h4>
            if entries.is_empty() {
                <p class="ops-empty muted">{ tr(lang, "ops.log_empty") }</p>
            } else {
                <ol class="ops-log" aria-live="polite">
                    for (entry, gap) in entries.iter().zip(gaps) {
                        <li key={entry.id} class="ops-entry">
                            <div class="ops-entry-head">
                                <strong>{ describe_step(lang, &entry.step, &letters) }</strong>
                                if let Some(gap) = gap.filter(|g| *g >= 100) {
                                    <span class="ops-gap muted">{ format!(" +{}", seconds(gap)) }</span>
                                }
                            </div>
                            if !entry.lines.is_empty() {
                                <ul class="ops-lines">
                                    for (i, line) in entry.lines.iter().enumerate() {
                                        <li key={i} class={classes!("ops-line", kind_class(line.kind))}>
                                            { line.text(lang) }
                                        </li>
                                    }
                                    if entry.omitted > 0 {
                                        <li class="ops-line muted">
                                            { trf(lang, "ops.omitted", &[("n", &entry.omitted.to_string())]) }
                                        </li>
                                    }
                                </ul>
                            }
                        </li>
                    }
                </ol>
            }
        </section>
    }
}

fn kind_class(kind: OpsKind) -> &'static str {
    match kind {
        OpsKind::Command => "command",
        OpsKind::Reply => "reply",
        OpsKind::Error => "error",
        OpsKind::Event => "event",
    }
}
