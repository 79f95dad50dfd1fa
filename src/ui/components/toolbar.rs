//! The console's controls: the node the session connects to, the `-c`
//! toggle (both start a new session, like restarting redis-cli) and a
//! clear-screen button.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::topology::Role;
use crate::ui::state::World;

/// Props of [`Toolbar`].
#[derive(Properties)]
pub struct ToolbarProps {
    /// The cluster and the session (for the node list and current choices).
    pub world: Rc<World>,
    /// A node was picked: reconnect there.
    pub onconnect: Callback<u16>,
    /// `-c` was switched.
    pub onfollow: Callback<bool>,
    /// Clear the screen.
    pub onclear: Callback<()>,
}

impl PartialEq for ToolbarProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.world, &other.world)
            && self.onconnect == other.onconnect
            && self.onfollow == other.onfollow
            && self.onclear == other.onclear
    }
}

/// The controls above the console.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let topology = &props.world.cluster.topology;
    let port = props.world.session.port;
    let follow = props.world.session.follow_redirects;

    let onnodechange = {
        let onconnect = props.onconnect.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(port) = select.value().parse::<u16>() {
                onconnect.emit(port);
            }
        })
    };
    let onfollowchange = {
        let onfollow = props.onfollow.clone();
        Callback::from(move |e: Event| {
            let checkbox: HtmlInputElement = e.target_unchecked_into();
            onfollow.emit(checkbox.checked());
        })
    };
    let onclearclick = {
        let onclear = props.onclear.clone();
        Callback::from(move |_: MouseEvent| onclear.emit(()))
    };

    html! {
        <div class="toolbar">
            <div class="control">
                <label for="node-picker">{ "Connect to" }</label>
                <select id="node-picker" class="node-picker" onchange={onnodechange}>
                    for node in topology.nodes.iter() {
                        <option
                            key={node.port}
                            value={node.port.to_string()}
                            selected={node.port == port}
                        >
                            { format!("{} ({})", node.addr(), role_label(topology, &node.role)) }
                        </option>
                    }
                </select>
            </div>
            <div class="control follow-control">
                <input
                    id="follow-toggle"
                    class="follow-toggle"
                    type="checkbox"
                    checked={follow}
                    onchange={onfollowchange}
                />
                <label for="follow-toggle" title="On: like redis-cli -c, MOVED/ASK are followed. Off: the error is shown.">
                    <code>{ "-c" }</code>{ " follow redirects" }
                    <span class="toggle-state">{ if follow { " (on)" } else { " (off)" } }</span>
                </label>
            </div>
            <button class="clear-button" type="button" onclick={onclearclick} title="Clear the screen (Ctrl+L)">
                { "Clear" }
            </button>
        </div>
    }
}

fn role_label(topology: &crate::engine::topology::Topology, role: &Role) -> String {
    match role {
        Role::Master => "master".to_string(),
        Role::Replica { of } => match topology.nodes.get(*of) {
            Some(master) => format!("replica of {}", master.port),
            None => "replica".to_string(),
        },
    }
}
