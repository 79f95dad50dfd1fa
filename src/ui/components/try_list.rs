//! Example commands, one click away: each puts its line into the active
//! client's prompt (it does not run it — Enter does).

use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;

use crate::ui::state::Action;

/// The examples: (line, catalog key of what it shows).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("SET foo bar", "try.set"),
    ("MSET user:1 a user:2 b", "try.mset"),
    ("MSET {user}:1 a {user}:2 b", "try.mset_tag"),
    ("MGET foo user:1", "try.mget"),
    ("CLUSTER KEYSLOT user:1", "try.keyslot"),
    ("WATCH foo", "try.watch"),
];

/// Props of [`TryList`].
#[derive(Properties, PartialEq)]
pub struct TryListProps {
    /// The client the examples go to.
    pub active: usize,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The examples row.
#[component]
pub fn TryList(props: &TryListProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="try-list" role="group" aria-label={tr(lang, "try.group")}>
            <span class="try-label">{ tr(lang, "client.try") }</span>
            for (line, why) in EXAMPLES.iter().copied() {
                { example(line, tr(lang, why), props.active, &props.dispatch) }
            }
        </div>
    }
}

fn example(
    line: &'static str,
    why: &'static str,
    client: usize,
    dispatch: &Callback<Action>,
) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Suggest {
                client,
                line: line.to_string(),
            })
        })
    };
    html! {
        <button type="button" class="try-chip" title={why} {onclick}>
            <code>{ line }</code>
        </button>
    }
}
