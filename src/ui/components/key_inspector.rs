//! The key inspector: for the line being typed, which arguments are keys,
//! which bytes of each key are hashed (hash tags highlighted), the CRC16,
//! `crc16 mod 16384 = slot`, and the master that owns the slot. A free box
//! below (labelled "Key") inspects any key; clicking a key on the map
//! puts it there.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::lang::use_lang;

use crate::engine::cli::split_args;
use crate::engine::slot::SLOT_COUNT;
use crate::ui::inspect::{report_key, report_line, rule_text, shard_label, KeyReport, LineReport};
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
            <p class="inspector-source">{ trf(lang, "inspect.source", &[("client", &props.client_name)]) }</p>
            <div class="line-report" aria-live="polite">
                { render_line_report(lang, &report, sender) }
            </div>
            <div class="free-key">
                <label for="free-key-input">{ "Key" }</label>
                <input
                    id="free-key-input"
                    class="free-key-input"
                    type="text"
                    placeholder={tr(lang, "inspect.placeholder")}
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    value={props.inspect.clone()}
                    {oninput}
                />
                if let Some(key) = free_report {
                    <ul class="key-list">{ render_key(lang, &key, sender) }</ul>
                }
            </div>
        </section>
    }
}

fn render_line_report(lang: Lang, report: &LineReport, sender: Option<Sender>) -> Html {
    match report {
        LineReport::Empty => hint(tr(lang, "inspect.empty")),
        LineReport::Unbalanced => hint(tr(lang, "inspect.unbalanced")),
        LineReport::Unknown { name } => hint(&trf(lang, "inspect.unknown", &[("name", name)])),
        LineReport::NeedsSubcommand { name } => {
            hint(&trf(lang, "inspect.needs_subcommand", &[("name", name)]))
        }
        LineReport::Keyless { name } => hint(&trf(lang, "inspect.keyless", &[("name", name)])),
        LineReport::AwaitingKeys { name } => {
            hint(&trf(lang, "inspect.awaiting_keys", &[("name", name)]))
        }
        LineReport::Keys {
            name,
            keys,
            total,
            distinct_slots,
        } => {
            let summary = match (*total, *distinct_slots) {
                (1, _) => trf(lang, "inspect.one_key", &[("name", name)]),
                (n, 1) => trf(
                    lang,
                    "inspect.keys_one_slot",
                    &[("name", name), ("n", &n.to_string())],
                ),
                (n, s) => trf(
                    lang,
                    "inspect.keys_many_slots",
                    &[
                        ("name", name),
                        ("n", &n.to_string()),
                        ("slots", &s.to_string()),
                    ],
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
                            { render_key(lang, key, sender) }
                        }
                    </ul>
                    if hidden > 0 {
                        <p class="hint">{ trf(lang, "trace.more_keys", &[("n", &hidden.to_string())]) }</p>
                    }
                </>
            }
        }
    }
}

fn hint(text: &str) -> Html {
    html! { <p class="hint">{ text.to_string() }</p> }
}

fn render_key(lang: Lang, key: &KeyReport, sender: Option<Sender>) -> Html {
    let shard_class = key.shard.map(|s| format!("shard-{s}"));
    let owner = match key.owner_port {
        Some(port) => match key.shard {
            Some(s) => format!("127.0.0.1:{port} ({})", shard_label(lang, s)),
            None => format!("127.0.0.1:{port}"),
        },
        None => tr(lang, "inspect.nobody").to_string(),
    };
    let route = match (sender, key.owner_port) {
        (Some(s), Some(owner)) if s.kind == ClientKind::ClusterAware => Some(trf(
            lang,
            "inspect.route_aware",
            &[("owner", &owner.to_string())],
        )),
        (Some(s), Some(owner)) if owner != s.port => Some(trf(
            lang,
            match s.kind {
                ClientKind::Plain => "inspect.route_plain",
                _ => "inspect.route_redirect",
            },
            &[("port", &s.port.to_string()), ("owner", &owner.to_string())],
        )),
        _ => None,
    };
    html! {
        <li key={key.position} class={classes!("key-card", shard_class)}>
            <div class="key-bytes" aria-label={tr(lang, "inspect.key_bytes_label")}>
                <span class="key-plain">{ key.before.clone() }</span>
                <mark class={classes!("key-hashed", key.tagged.then_some("tagged"))}>
                    { key.hashed.clone() }
                </mark>
                <span class="key-plain">{ key.after.clone() }</span>
            </div>
            <p class="key-rule">{ rule_text(lang, key.rule) }</p>
            <dl class="key-facts">
                <dt>{ "CRC16" }</dt>
                <dd><code>{ format!("0x{:04X} = {}", key.crc, key.crc) }</code></dd>
                <dt>{ tr(lang, "trace.col_slot") }</dt>
                <dd>
                    <code>{ format!("{} mod {SLOT_COUNT} = ", key.crc) }</code>
                    <strong class="slot-number">{ key.slot }</strong>
                </dd>
                <dt>{ tr(lang, "trace.col_owner") }</dt>
                <dd>
                    <span class="owner">{ trf(lang, "inspect.master", &[("owner", &owner)]) }</span>
                    if let Some(route) = route {
                        <span class="moved-hint">{ route }</span>
                    }
                </dd>
            </dl>
        </li>
    }
}
