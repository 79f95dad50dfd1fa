//! The one place the UI reads the browser's clock and language. Everything
//! else gets them as data (`Action::Submit { now_ms }`, `AppState::lang`),
//! so the state stays pure.

/// Milliseconds since the Unix epoch, from `Date.now()`.
pub fn now_ms() -> u64 {
    // Date.now() is a non-negative integral f64 well within u64 range.
    js_sys::Date::now().max(0.0) as u64
}

/// The browser's preferred language among ours, from `navigator.languages`
/// (or `navigator.language`); English when none of them is supported.
pub fn browser_lang() -> crate::i18n::Lang {
    use crate::i18n::Lang;
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Lang::En;
    };
    let list: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        return navigator
            .language()
            .map_or(Lang::En, |tag| Lang::from_tag(&tag));
    }
    Lang::from_tags(list.iter().map(String::as_str))
}

/// Fetches the text at `url` (relative to the page) and hands it, or why
/// it could not be had, to `done`.
fn fetch_text(url: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let describe = |e: wasm_bindgen::JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let Some(window) = web_sys::window() else {
        done(Err("no window".into()));
        return;
    };
    let request = window.fetch_with_str(url);
    wasm_bindgen_futures::spawn_local(async move {
        let result = async {
            let response: web_sys::Response = JsFuture::from(request)
                .await
                .map_err(describe)?
                .dyn_into()
                .map_err(describe)?;
            if !response.ok() {
                return Err(format!("HTTP {}", response.status()));
            }
            let text = JsFuture::from(response.text().map_err(describe)?)
                .await
                .map_err(describe)?;
            text.as_string().ok_or_else(|| "not text".to_string())
        }
        .await;
        done(result);
    });
}

/// Runs `then` once the release build's second wasm module is in
/// (`scripts/wasm_split.py`: fetched and compiled off the main thread), or
/// at once when there is no second module (a debug build, the tests).
/// `then` runs whether or not the fetch worked: a call into the module then
/// fetches it synchronously, and fails visibly if it still cannot be had.
pub fn after_second_module(then: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Reflect::get(&js_sys::global(), &"__slotlabSecondModule".into())
        .ok()
        .and_then(|hook| hook.dyn_into::<js_sys::Function>().ok())
        .and_then(|hook| hook.call0(&wasm_bindgen::JsValue::NULL).ok())
        .and_then(|promise| promise.dyn_into::<js_sys::Promise>().ok());
    match promise {
        Some(promise) => wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            then();
        }),
        None => then(),
    }
}

/// Fetches `lang`'s catalog from beside the page and installs it
/// (`i18n::install`); `done` learns whether that worked.
pub fn fetch_catalog(lang: crate::i18n::Lang, done: impl FnOnce(Result<(), String>) + 'static) {
    fetch_text(&crate::i18n::catalog_path(lang), move |text| {
        done(text.and_then(|text| crate::i18n::install(lang, &text)));
    });
}

/// Fetches `lang`'s lesson texts from beside the page and installs them
/// (`i18n::install_lesson_texts`); `done` learns whether that worked.
pub fn fetch_lesson_texts(
    lang: crate::i18n::Lang,
    done: impl FnOnce(Result<(), String>) + 'static,
) {
    fetch_text(&crate::i18n::lessons_path(lang), move |text| {
        done(text.and_then(|text| crate::i18n::install_lesson_texts(lang, &text)));
    });
}

/// Sets `<html lang>` (screen readers, and the right CJK glyphs).
pub fn set_document_lang(lang: crate::i18n::Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.html_tag());
    }
}

/// The element a lesson step points at (`data-look` value → panel).
fn look_selector(look: &str) -> Option<&'static str> {
    Some(match look {
        "clients" => ".clients-panel",
        "map" => ".cluster-map",
        "trace" => ".route-trace",
        "tx" => ".tx-panel",
        "inspector" => ".key-inspector",
        "scripts" => ".script-panel",
        _ => return None,
    })
}

/// On wide screens the side panel scrolls on its own: bring the panel a
/// lesson step points at into its view, without moving the page (the
/// lesson's text stays where it is).
pub fn reveal_in_side_panel(look: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let wide = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w > 1000.0);
    let Some(selector) = look_selector(look) else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let Ok(Some(side)) = document.query_selector(".side-panel") else {
        return;
    };
    let Ok(Some(target)) = side.query_selector(selector) else {
        return;
    };
    if !wide {
        return;
    }
    let outer = side.get_bounding_client_rect();
    let inner = target.get_bounding_client_rect();
    if inner.top() < outer.top() || inner.bottom() > outer.bottom() {
        let delta = inner.top() - outer.top() - 8.0;
        side.set_scroll_top(side.scroll_top() + delta as i32);
    }
}

/// Scrolls the page so that the panel a lesson step points at is in view.
pub fn scroll_to_look(look: &str) {
    let Some(selector) = look_selector(look) else {
        return;
    };
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
    {
        el.scroll_into_view();
    }
}
