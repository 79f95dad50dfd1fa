//! The page header: title, one line on what this is, the lessons, the
//! language switch and Reset.

use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::components::lang_switch::LangSwitch;
use crate::ui::lang::use_lang;
use crate::ui::state::Action;

/// Props of [`TopBar`].
#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    /// The reducer.
    pub dispatch: Callback<Action>,
    /// The lesson picker is open.
    #[prop_or_default]
    pub picker: bool,
}

/// The page header.
#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let lang = use_lang();
    let onreset = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Reset))
    };
    let onlessons = {
        let dispatch = props.dispatch.clone();
        let open = !props.picker;
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ShowLessons(open)))
    };
    html! {
        <header class="app-header">
            <div class="brand">
                <h1 class="app-title">{ "slotlab" }</h1>
                <p class="app-tagline">{ tr(lang, "app.tagline") }</p>
            </div>
            <div class="header-actions">
                <button type="button" id="lessons-button"
                    class={classes!("lessons-button", props.picker.then_some("active"))}
                    aria-expanded={props.picker.to_string()}
                    aria-controls="lesson-picker"
                    title={tr(lang, "app.lessons_title")}
                    onclick={onlessons}>
                    { tr(lang, "app.lessons") }
                </button>
                <LangSwitch dispatch={props.dispatch.clone()} />
                <button type="button" class="reset-button" onclick={onreset}
                    title={tr(lang, "app.reset_title")}>
                    { tr(lang, "app.reset") }
                </button>
            </div>
        </header>
    }
}
