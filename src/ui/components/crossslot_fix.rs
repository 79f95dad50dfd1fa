//! A CROSSSLOT rejection explained: the keys side by side with their slots
//! (the first key sets the slot, the disagreeing one is highlighted), then
//! a fix — the line rewritten with a shared hash tag, with the slot it
//! gives (checked with the engine's CRC16) and a button that puts it in the
//! client's prompt.

use yew::prelude::*;

use crate::hints::{fix_line, suggest_hash_tag, TagFix};
use crate::i18n::{tr, trf};
use crate::ui::inspect::{shard_label, show_bytes};
use crate::ui::lang::use_lang;
use crate::ui::state::Action;
use crate::ui::trace::CrossSlot;
use crate::ui::world::WorldRef;

/// Props of [`CrossSlotFix`].
#[derive(Properties, PartialEq)]
pub struct CrossSlotFixProps {
    /// The rejection.
    pub cross: CrossSlot,
    /// The typed line that was rejected.
    pub line: AttrValue,
    /// The client that typed it: (index, letter).
    pub client: Option<(usize, char)>,
    /// The cluster (who owns the fix's slot).
    pub world: WorldRef,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The CROSSSLOT explanation and fix.
#[component]
pub fn CrossSlotFix(props: &CrossSlotFixProps) -> Html {
    let lang = use_lang();
    let cross = &props.cross;
    let first = cross.keys.first();
    let other = cross.disagreeing.and_then(|i| cross.keys.get(i));
    let scope = if cross.at_exec {
        tr(lang, "fix.scope_exec")
    } else {
        tr(lang, "fix.scope_command")
    };
    let why = match (first, other) {
        (Some(a), Some(b)) => trf(
            lang,
            "fix.why",
            &[
                ("scope", scope),
                ("a", &a.key),
                ("a_slot", &a.slot.to_string()),
                ("b", &b.key),
                ("b_slot", &b.slot.to_string()),
                ("node", &format!("127.0.0.1:{}", cross.port)),
            ],
        ),
        _ => trf(lang, "fix.why_short", &[("scope", scope)]),
    };
    let line_fix = (!cross.at_exec).then(|| fix_line(&props.line)).flatten();
    let keys: Vec<&[u8]> = cross.keys.iter().map(|k| k.key.as_bytes()).collect();
    let tag_fix: Option<TagFix> = match &line_fix {
        Some(f) => Some(f.fix.clone()),
        None => suggest_hash_tag(&keys),
    };

    let onuse = {
        let dispatch = props.dispatch.clone();
        let fixed = line_fix.as_ref().map(|f| f.line.clone());
        let client = props.client.map(|(i, _)| i);
        Callback::from(move |_: MouseEvent| {
            if let (Some(line), Some(client)) = (fixed.clone(), client) {
                dispatch.emit(Action::Suggest { client, line });
            }
        })
    };
    let owner = tag_fix
        .as_ref()
        .and_then(|fix| {
            let world = props.world.borrow();
            let topology = &world.cluster.topology;
            let node = topology.nodes.get(topology.owner(fix.slot)?)?;
            let node = match world.shard_of_slot(fix.slot) {
                Some(shard) => format!("127.0.0.1:{} ({})", node.port, shard_label(lang, shard)),
                None => format!("127.0.0.1:{}", node.port),
            };
            Some(trf(lang, "fix.on_node", &[("node", &node)]))
        })
        .unwrap_or_default();

    html! {
        <div class="crossslot" role="group" aria-label={tr(lang, "fix.group")}>
            <p class="crossslot-why"><strong>{ "CROSSSLOT: " }</strong>{ why }</p>
            <ol class="crossslot-keys">
                for (i, key) in cross.keys.iter().enumerate().take(8) {
                    <li
                        key={i}
                        class={classes!(
                            "cs-key",
                            (i == 0).then_some("sets"),
                            (Some(i) == cross.disagreeing).then_some("disagrees"),
                            (first.is_some_and(|f| f.slot == key.slot) && i != 0).then_some("agrees"),
                        )}
                    >
                        <code class="cs-name">{ key.key.clone() }</code>
                        <span class="cs-slot">{ trf(lang, "fix.slot", &[("slot", &key.slot.to_string())]) }</span>
                        <span class="cs-owner">{ key.owner.map(|p| format!(":{p}")).unwrap_or_default() }</span>
                        <span class="cs-role">
                            {
                                tr(lang, if i == 0 {
                                    "fix.sets"
                                } else if Some(i) == cross.disagreeing {
                                    "fix.disagrees"
                                } else if first.is_some_and(|f| f.slot == key.slot) {
                                    "fix.same_slot"
                                } else {
                                    "fix.other_slot"
                                })
                            }
                        </span>
                    </li>
                }
            </ol>
            if let Some(fix) = tag_fix {
                <div class="fix">
                    <p class="fix-line-text">
                        <strong>{ tr(lang, "fix.fix") }</strong>
                        { tr(lang, "fix.give_tag") }
                    </p>
                    if let Some(line_fix) = &line_fix {
                        <p><code class="fix-line">{ line_fix.line.clone() }</code></p>
                    } else {
                        <ul class="fix-renames">
                            for (old, new) in fix.renames.iter().filter(|(o, n)| o != n) {
                                <li><code>{ show_bytes(old) }</code>{ " → " }<code>{ show_bytes(new) }</code></li>
                            }
                        </ul>
                    }
                    <p class="fix-slot">
                        { tr(lang, "fix.then_hashes") }
                        <mark class="key-hashed">{ fix.tag.clone() }</mark>
                        { trf(lang, "fix.to_slot", &[("slot", &fix.slot.to_string()), ("owner", &owner)]) }
                    </p>
                    if let (Some(_), Some((_, letter))) = (&line_fix, props.client) {
                        <button type="button" class="use-fix" onclick={onuse}>
                            { trf(lang, "fix.use", &[("letter", &letter.to_string())]) }
                        </button>
                    }
                    <p class="fix-caution">
                        { tr(lang, "fix.caution") }
                    </p>
                </div>
            }
        </div>
    }
}
