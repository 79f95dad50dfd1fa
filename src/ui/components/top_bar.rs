//! The page header: title, one line on what this is, the lessons, the
//! language switch, Share (a link to the session as it is now, and a
//! snippet to embed it) and Reset. Inside an embed it is one compact row:
//! the title, "Open in full playground ↗" (the same session in a new tab),
//! the language switch and Reset.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::ui::browser;
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
    /// Embed mode: compact, with the "Open in full playground" link.
    #[prop_or_default]
    pub embed: bool,
    /// The session as a full-playground link (embed mode's link).
    #[prop_or_default]
    pub full_link: AttrValue,
    /// Makes the share link and the embed snippet for the session as it is now.
    pub share: Callback<(), (String, String)>,
    /// A language asked for whose texts are on their way.
    #[prop_or_default]
    pub pending_lang: Option<Lang>,
}

/// The page header.
#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let lang = use_lang();
    let open = use_state(|| false);
    let copied = use_state(|| false);
    let onreset = {
        let dispatch = props.dispatch.clone();
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            open.set(false);
            dispatch.emit(Action::Reset)
        })
    };
    let onlessons = {
        let dispatch = props.dispatch.clone();
        let open = !props.picker;
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ShowLessons(open)))
    };
    // While open, the panel shows the session as it is now.
    let shown = open.then(|| props.share.emit(()));
    let onshare = {
        let open = open.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            copied.set(false);
            open.set(!*open);
        })
    };
    let oncopy = {
        let copied = copied.clone();
        let link = shown.as_ref().map(|(link, _)| link.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(link) = &link {
                browser::copy(link);
                copied.set(true);
            }
        })
    };
    let onclose = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let el: HtmlInputElement = e.target_unchecked_into();
        el.select();
    });
    let reset = html! {
        <button type="button" class="reset-button" onclick={onreset}
            title={tr(lang, "app.reset_title")}>
            { tr(lang, "app.reset") }
        </button>
    };

    if props.embed {
        return html! {
            <header class="app-header compact">
                <span class="app-title">{ "slotlab" }</span>
                <a class="open-full" href={props.full_link.clone()} target="_blank" rel="noopener">
                    { tr(lang, "share.open_full") }
                </a>
                <LangSwitch dispatch={props.dispatch.clone()} pending={props.pending_lang} />
                { reset }
            </header>
        };
    }

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
                <LangSwitch dispatch={props.dispatch.clone()} pending={props.pending_lang} />
                <button type="button" class="share-button" onclick={onshare} title={tr(lang, "share.title")}
                    aria-expanded={shown.is_some().to_string()}>
                    { tr(lang, "share.button") }
                </button>
                { reset }
            </div>
            if let Some((link, snippet)) = shown.as_ref() {
                <div class="share-panel" role="group" aria-label={tr(lang, "share.button")}>
                    <label for="share-link">{ tr(lang, "share.link") }</label>
                    <div class="share-row">
                        <input id="share-link" class="share-link" type="text" readonly=true
                            value={link.clone()} onfocus={select_all.clone()} />
                        <button type="button" class="copy-button" onclick={oncopy}>
                            { if *copied { tr(lang, "share.copied") } else { tr(lang, "share.copy") } }
                        </button>
                    </div>
                    <label for="embed-snippet">{ tr(lang, "share.embed") }</label>
                    <textarea id="embed-snippet" class="embed-snippet" readonly=true rows="4"
                        value={snippet.clone()} />
                    <button type="button" class="share-close" onclick={onclose}>{ tr(lang, "share.close") }</button>
                </div>
            }
        </header>
    }
}
