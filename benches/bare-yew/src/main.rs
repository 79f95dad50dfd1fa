//! A bare Yew app: one input and a counter. Interactive means the same as
//! for slotlab: the input is on the page and typing into it re-renders.

use yew::prelude::*;

#[function_component]
fn App() -> Html {
    let text = use_state(String::new);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let input: yew::web_sys::HtmlInputElement = e.target_unchecked_into();
            text.set(input.value());
        })
    };
    html! {
        <main>
            <input id="bare-input" {oninput} value={(*text).clone()} />
            <p id="bare-echo">{ (*text).len() }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
