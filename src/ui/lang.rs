//! The page's language as a Yew context: the root provides the app
//! state's [`Lang`], every component reads it with [`use_lang`] and looks
//! its texts up with [`crate::i18n::tr`].

use yew::prelude::*;

use crate::i18n::Lang;

/// The language the page is shown in (English outside the provider).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
