//! The key inspector: for the line being typed, which arguments are keys,
//! which bytes of each key are hashed (hash tags highlighted), the CRC16,
//! `crc16 mod 16384 = slot`, and the master that owns the slot. A free box
//! below inspects any key.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::cli::split_args;
use crate::engine::slot::SLOT_COUNT;
use crate::ui::inspect::{report_key, report_line, shard_letter, KeyReport, LineReport};
use crate::ui::state::World;

/// Props of [`KeyInspector`].
#[derive(Properties)]
pub struct KeyInspectorProps {
    /// The cluster (slot owners) and the session (its node).
    pub world: Rc<World>,
    /// The line being typed in the console.
    pub input: AttrValue,
}

impl PartialEq for KeyInspectorProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.world, &other.world) && self.input == other.input
    }
}

/// The key inspector panel.
#[component]
pub fn KeyInspector(props: &KeyInspectorProps) -> Html {
    let free_key = use_state(String::new);
    let world = &props.world;
    let session_port = world.session.port;
    let report = report_line(&world.cluster, &props.input);

    let onfreeinput = {
        let free_key = free_key.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            free_key.set(el.value());
        })
    };
    let free_report = (!free_key.is_empty()).then(|| {
        // Read the box like one redis-cli argument, so "\xff" works; fall
        // back to the literal text.
        let bytes = match split_args(free_key.as_bytes()) {
            Some(mut args) if args.len() == 1 => args.remove(0),
            _ => free_key.as_bytes().to_vec(),
        };
        report_key(&world.cluster, &bytes, 0)
    });

    html! {
        <section class="panel key-inspector" aria-labelledby="key-inspector-title">
            <h2 id="key-inspector-title" class="panel-title">{ "Key inspector" }</h2>
            <div class="line-report" aria-live="polite">
                { render_line_report(&report, session_port) }
            </div>
            <div class="free-key">
                <label for="free-key-input">{ "Inspect any key" }</label>
                <input
                    id="free-key-input"
                    class="free-key-input"
                    type="text"
                    placeholder="e.g. {user1000}.followers"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    value={(*free_key).clone()}
                    oninput={onfreeinput}
                />
                if let Some(key) = free_report {
                    <ul class="key-list">{ render_key(&key, session_port) }</ul>
                }
            </div>
        </section>
    }
}

fn render_line_report(report: &LineReport, session_port: u16) -> Html {
    match report {
        LineReport::Empty => hint("Type a command: its keys, hash slots and owners show up here."),
        LineReport::Unbalanced => {
            hint("Unbalanced quotes: redis-cli would print Invalid argument(s).")
        }
        LineReport::Unknown { name } => hint(&format!(
            "{name}: not a command this playground knows (the server would answer ERR unknown command)."
        )),
        LineReport::NeedsSubcommand { name } => {
            hint(&format!("{name} needs a subcommand."))
        }
        LineReport::Keyless { name } => hint(&format!(
            "{name} takes no keys, so it is not routed: the node you are connected to answers."
        )),
        LineReport::AwaitingKeys { name } => {
            hint(&format!("{name} takes keys: type one to see its slot."))
        }
        LineReport::Keys {
            name,
            keys,
            total,
            distinct_slots,
        } => {
            let summary = match (*total, *distinct_slots) {
                (1, _) => format!("{name}: 1 key"),
                (n, 1) => format!("{name}: {n} keys, all in one slot — one node can serve them"),
                (n, s) => format!(
                    "{name}: {n} keys in {s} different slots — a cluster answers CROSSSLOT"
                ),
            };
            let hidden = total.saturating_sub(keys.len());
            html! {
                <>
                    <p class={classes!("summary", (*distinct_slots > 1).then_some("warn"))}>
                        { summary }
                    </p>
                    <ul class="key-list">
                        for key in keys.iter() {
                            { render_key(key, session_port) }
                        }
                    </ul>
                    if hidden > 0 {
                        <p class="hint">{ format!("… and {hidden} more keys") }</p>
                    }
                </>
            }
        }
    }
}

fn hint(text: &str) -> Html {
    html! { <p class="hint">{ text.to_string() }</p> }
}

fn render_key(key: &KeyReport, session_port: u16) -> Html {
    let shard_class = key.shard.map(|s| format!("shard-{s}"));
    let owner = match key.owner_port {
        Some(port) => match key.shard {
            Some(s) => format!("127.0.0.1:{port} (shard {})", shard_letter(s)),
            None => format!("127.0.0.1:{port}"),
        },
        None => "nobody (slot not served)".to_string(),
    };
    let elsewhere = key.owner_port.is_some_and(|p| p != session_port);
    html! {
        <li key={key.position} class={classes!("key-card", shard_class)}>
            <div class="key-bytes" aria-label="key, hashed part highlighted">
                <span class="key-plain">{ key.before.clone() }</span>
                <mark class={classes!("key-hashed", key.tagged.then_some("tagged"))}>
                    { key.hashed.clone() }
                </mark>
                <span class="key-plain">{ key.after.clone() }</span>
            </div>
            <p class="key-rule">{ key.rule }</p>
            <dl class="key-facts">
                <dt>{ "CRC16" }</dt>
                <dd><code>{ format!("0x{:04X} = {}", key.crc, key.crc) }</code></dd>
                <dt>{ "slot" }</dt>
                <dd>
                    <code>{ format!("{} mod {SLOT_COUNT} = ", key.crc) }</code>
                    <strong class="slot-number">{ key.slot }</strong>
                </dd>
                <dt>{ "owner" }</dt>
                <dd>
                    <span class="owner">{ format!("master {owner}") }</span>
                    if elsewhere {
                        <span class="moved-hint">
                            { format!(" — the session is on 127.0.0.1:{session_port}: expect a MOVED redirect") }
                        </span>
                    }
                </dd>
            </dl>
        </li>
    }
}
