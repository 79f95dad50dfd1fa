//! The language switch: English, 简体中文, 日本語. The page starts in a
//! link's `lang=`, else the language last chosen here (kept in
//! localStorage), else the browser's; this changes it.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::ui::lang::use_lang;
use crate::ui::state::Action;

/// Props of [`LangSwitch`].
#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    /// The reducer.
    pub dispatch: Callback<Action>,
    /// A language asked for whose texts are on their way (shown as chosen
    /// meanwhile).
    #[prop_or_default]
    pub pending: Option<Lang>,
}

/// A `<select>` of the three languages, each named in itself.
#[component]
pub fn LangSwitch(props: &LangSwitchProps) -> Html {
    let lang = use_lang();
    // The select shows the language asked for; a learner's pick that did
    // not come through (its texts could not be fetched) is put back.
    let shown = props.pending.unwrap_or(lang);
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with(shown, move |shown| {
            if let Some(el) = select.cast::<HtmlSelectElement>() {
                el.set_value(shown.code());
            }
        });
    }
    let onchange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            if let Some(lang) = Lang::from_code(&el.value()) {
                crate::ui::browser::save_lang(lang);
                dispatch.emit(Action::SetLang(lang));
            }
        })
    };
    let label = tr(lang, "app.language");
    html! {
        <label class="lang-switch" title={label}>
            <span class="visually-hidden">{ label }</span>
            <span class="lang-icon" aria-hidden="true">{ "文A" }</span>
            <select id="lang-switch" ref={select} aria-label={label} {onchange}>
                for l in Lang::ALL {
                    <option value={l.code()} selected={l == shown} lang={l.html_tag()}>
                        { l.native_name() }
                    </option>
                }
            </select>
        </label>
    }
}
