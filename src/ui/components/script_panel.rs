//! The script panel's place on the page. Scripts (EVAL, EVALSHA,
//! FUNCTION, FCALL) run in the consoles; the editor and the per-call trace
//! this panel will hold are not built yet, and it says so plainly.

use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;

/// The script panel placeholder.
#[component]
pub fn ScriptPanel() -> Html {
    let lang = use_lang();
    html! {
        <section class="panel script-panel" aria-labelledby="script-panel-title">
            <h2 id="script-panel-title" class="panel-title">{ tr(lang, "panel.scripts") }</h2>
            <p class="hint">
                { "Scripts run in the consoles: EVAL, EVALSHA, FUNCTION and FCALL, with Redis 7.0's rules for scripts in a cluster (declared keys, one slot, #!lua flags)." }
            </p>
            <p class="hint">
                { "This panel will later hold a Lua editor with KEYS and ARGV, and trace every redis.call: its line, command, key, slot and node, and whether the cluster allowed it." }
            </p>
        </section>
    }
}
