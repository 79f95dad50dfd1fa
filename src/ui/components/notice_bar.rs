//! A notice above the consoles: a link that could not be opened, lines
//! from a link that ran or wait in the prompt, a fork. Dismissable.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::tr;
use crate::ui::lang::use_lang;
use crate::ui::session::Notice;
use crate::ui::share_text as text;
use crate::ui::state::Action;

/// Props of [`NoticeBar`].
#[derive(Properties, PartialEq)]
pub struct NoticeBarProps {
    pub notice: Rc<Notice>,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// The notice.
#[component]
pub fn NoticeBar(props: &NoticeBarProps) -> Html {
    let lang = use_lang();
    let problem = matches!(
        *props.notice,
        Notice::BrokenLink(_)
            | Notice::BrokenSaved(_)
            | Notice::CannotShare(_)
            | Notice::LangUnavailable(_)
    );
    let ondismiss = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::DismissNotice))
    };
    html! {
        <div class={classes!("notice", problem.then_some("problem"))}
            role={if problem { "alert" } else { "status" }}>
            <span class="notice-text">{ text::notice(lang, &props.notice) }</span>
            <button type="button" class="notice-dismiss" aria-label={tr(lang, "notice.dismiss")} title={tr(lang, "notice.dismiss")}
                onclick={ondismiss}>{ "×" }</button>
        </div>
    }
}
