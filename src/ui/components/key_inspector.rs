//! The key inspector: for the line being typed, which arguments are keys,
//! which bytes of each key are hashed (hash tags highlighted), the CRC16,
//! `crc16 mod 16384 = slot`, and the master that owns the slot. A free box
//! below (labelled "Key") inspects any key; clicking a key on the map
//! puts it there.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;

use crate::engine::cli::split_args;
use crate::engine::slot::SLOT_COUNT;
use crate::ui::inspect::{report_key, report_line, shard_name, KeyReport, LineReport};
use crate::ui::state::Action;
use crate::ui::world::{ClientKind, Session, WorldRef};

/// Props of [`KeyInspector`].
#[derive(Properties, PartialEq)]
pub struct KeyInspectorProps {
    /// The cluster (slot owners) and the sessions.
    pub world: WorldRef,
    /// The client being typed in.
    pub active: usize,
    /// Its name ("Client A").
    pub client_name: AttrValue,
    /// The line being typed in that client's console.
    pub input: AttrValue,
    /// The key typed into the inspector's own box.
    pub inspect: AttrValue,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// Where the active client would send a key, for the owner line.
#[derive(Clone, Copy)]
struct Sender {
    port: u16,
    kind: ClientKind,
}

/// The key inspector panel.
#[component]
pub fn KeyInspector(props: &KeyInspectorProps) -> Html {
    let lang = use_lang();
    let world = props.world.borrow();
    let sender = world.sessions.get(props.active).map(|s: &Session| Sender {
        port: s.port(),
        kind: s.kind(),
    });
    let report = report_line(&world.cluster, &props.input);

    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Action::Inspect(el.value()));
        })
    };
    let free_report = (!props.inspect.is_empty()).then(|| {
        // Read the box like one redis-cli argument, so "\xff" works; fall
        // back to the literal text.
        let bytes = match split_args(props.inspect.as_bytes()) {
            Some(mut args) if args.len() == 1 => args.remove(0),
            _ => props.inspect.as_bytes().to_vec(),
        };
        report_key(&world.cluster, &bytes, 0)
    });

    html! {
        <section class="panel key-inspector" aria-labelledby="key-inspector-title">
            <h2 id="key-inspector-title" class="panel-title">{ tr(lang, "panel.key_inspector") }</h2>
            <p class="inspector-source">{ format!("Keys of the line being typed in {}:", props.client_name) }</p>
            <div class="line-report" aria-live="polite">
                { render_line_report(&report, sender) }
            </div>
            <div class="free-key">
                <label for="free-key-input">{ "Key" }</label>
                <input
                    id="free-key-input"
                    class="free-key-input"
                    type="text"
                    placeholder="any key, e.g. {user1000}.followers"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    value={props.inspect.clone()}
                    {oninput}
                />
                if let Some(key) = free_report {
                    <ul class="key-list">{ render_key(&key, sender) }</ul>
                }
            </div>
        </section>
    }
}

fn render_line_report(report: &LineReport, sender: Option<Sender>) -> Html {
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
                            { render_key(key, sender) }
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

fn render_key(key: &KeyReport, sender: Option<Sender>) -> Html {
    let shard_class = key.shard.map(|s| format!("shard-{s}"));
    let owner = match key.owner_port {
        Some(port) => match key.shard {
            Some(s) => format!("127.0.0.1:{port} ({})", shard_name(s)),
            None => format!("127.0.0.1:{port}"),
        },
        None => "nobody (slot not served)".to_string(),
    };
    let route = match (sender, key.owner_port) {
        (Some(s), Some(owner)) if s.kind == ClientKind::ClusterAware => Some(format!(
            " — the cluster-aware client sends it straight to :{owner} (its slot map)"
        )),
        (Some(s), Some(owner)) if owner != s.port => Some(match s.kind {
            ClientKind::Plain => format!(" — the client is on :{}: expect a MOVED error", s.port),
            _ => format!(
                " — the client is on :{}: expect MOVED, which redis-cli -c follows to :{owner}",
                s.port
            ),
        }),
        _ => None,
    };
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
                    if let Some(route) = route {
                        <span class="moved-hint">{ route }</span>
                    }
                </dd>
            </dl>
        </li>
    }
}
