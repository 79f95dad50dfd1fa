//! A CROSSSLOT rejection explained: the keys side by side with their slots
//! (the first key sets the slot, the disagreeing one is highlighted), then
//! a fix — the line rewritten with a shared hash tag, with the slot it
//! gives (checked with the engine's CRC16) and a button that puts it in the
//! client's prompt.

use yew::prelude::*;

use crate::hints::{fix_line, suggest_hash_tag, TagFix};
use crate::ui::inspect::{shard_name, show_bytes};
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
    let cross = &props.cross;
    let first = cross.keys.first();
    let other = cross.disagreeing.and_then(|i| cross.keys.get(i));
    let scope = if cross.at_exec {
        "At EXEC the whole queue is routed as one request, so all its keys"
    } else {
        "All keys of one command"
    };
    let why = match (first, other) {
        (Some(a), Some(b)) => format!(
            "{scope} must hash to one slot. {} set the slot to {}; {} hashes to {} — so 127.0.0.1:{} refused with CROSSSLOT, even if one node owns both slots.",
            a.key, a.slot, b.key, b.slot, cross.port
        ),
        _ => format!("{scope} must hash to one slot."),
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
            Some(match world.shard_of_slot(fix.slot) {
                Some(shard) => format!(" on 127.0.0.1:{} ({})", node.port, shard_name(shard)),
                None => format!(" on 127.0.0.1:{}", node.port),
            })
        })
        .unwrap_or_default();

    html! {
        <div class="crossslot" role="group" aria-label="Why CROSSSLOT">
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
                        <span class="cs-slot">{ format!("slot {}", key.slot) }</span>
                        <span class="cs-owner">{ key.owner.map(|p| format!(":{p}")).unwrap_or_default() }</span>
                        <span class="cs-role">
                            {
                                if i == 0 {
                                    "sets the slot"
                                } else if Some(i) == cross.disagreeing {
                                    "disagrees"
                                } else if first.is_some_and(|f| f.slot == key.slot) {
                                    "same slot"
                                } else {
                                    "other slot"
                                }
                            }
                        </span>
                    </li>
                }
            </ol>
            if let Some(fix) = tag_fix {
                <div class="fix">
                    <p class="fix-line-text">
                        <strong>{ "Fix: " }</strong>
                        { "give the keys a shared hash tag — only the part inside { } is hashed" }
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
                        { "every key then hashes " }
                        <mark class="key-hashed">{ fix.tag.clone() }</mark>
                        { format!(" → slot {}{owner}.", fix.slot) }
                    </p>
                    if let (Some(_), Some((_, letter))) = (&line_fix, props.client) {
                        <button type="button" class="use-fix" onclick={onuse}>
                            { format!("Put it in Client {letter}'s prompt") }
                        </button>
                    }
                    <p class="fix-caution">
                        { "Tag keys that belong together (one user, one order). One tag for everything puts every key in one slot: a hot spot." }
                    </p>
                </div>
            }
        </div>
    }
}
