//! The script panel's place on the page. Lua scripting (EVAL, EVALSHA,
//! FUNCTION) is not in the engine yet, so this panel says so plainly and
//! runs nothing: no fake behaviour.

use yew::prelude::*;

/// The script panel placeholder.
#[component]
pub fn ScriptPanel() -> Html {
    html! {
        <section class="panel script-panel" aria-labelledby="script-panel-title">
            <h2 id="script-panel-title" class="panel-title">{ "Scripts" }</h2>
            <p class="hint">
                { "Lua scripting (EVAL, EVALSHA, FUNCTION) arrives later. This panel will then hold a Lua editor with KEYS and ARGV, and trace every redis.call: its line, command, key, slot and node, and whether the cluster allowed it." }
            </p>
            <p class="hint">
                { "Until then the engine answers EVAL like any unknown command, so nothing here pretends to run a script." }
            </p>
        </section>
    }
}
