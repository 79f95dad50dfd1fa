//! The page's address, localStorage, the parent page of an embed, the
//! theme attribute and the clipboard: the browser APIs the share links,
//! persistence and embed mode need. Called from effects and event
//! handlers only, never from the reducer. Every call tolerates a missing
//! API (a sandboxed frame without storage, no clipboard) by doing nothing.

use wasm_bindgen::JsValue;

/// The localStorage key of the saved session.
pub const STORAGE_KEY: &str = "slotlab.session";
/// The localStorage key of the language the learner chose with the switch.
pub const LANG_KEY: &str = "slotlab.lang";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The address's query (with `?`) and fragment (with `#`).
pub fn location() -> (String, String) {
    let Some(location) = window().map(|w| w.location()) else {
        return (String::new(), String::new());
    };
    (
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default(),
    )
}

/// The page's address without query or fragment.
pub fn base_url() -> String {
    let Some(location) = window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// The address's path (for `replaceState`, which keeps the origin).
pub fn path() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// Replaces the address without a navigation or a history entry.
pub fn replace_url(url: &str) {
    let Some(history) = window().and_then(|w| w.history().ok()) else {
        return;
    };
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The saved session, if any.
pub fn load_saved() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Saves the session (quietly does nothing when storage is full or off).
pub fn save(encoded: &str) {
    if let Some(storage) = storage() {
        if storage.get_item(STORAGE_KEY).ok().flatten().as_deref() != Some(encoded) {
            let _ = storage.set_item(STORAGE_KEY, encoded);
        }
    }
}

/// The language the learner chose with the switch, if any.
pub fn load_lang() -> Option<crate::i18n::Lang> {
    crate::i18n::Lang::from_code(&storage()?.get_item(LANG_KEY).ok().flatten()?)
}

/// Remembers the learner's choice of language (kept by Reset: it is not
/// part of the session).
pub fn save_lang(lang: crate::i18n::Lang) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
}

/// Forgets the saved session.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// True inside a frame of another page.
pub fn in_frame() -> bool {
    let Some(w) = window() else { return false };
    match w.parent() {
        Ok(Some(parent)) => !JsValue::from(parent).eq(&JsValue::from(w)),
        _ => false,
    }
}

/// Tells the embedding page our height: `{type: "slotlab:resize", height}`.
pub fn post_height(height: f64) {
    let Some(parent) = window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"slotlab:resize".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from_f64(height));
    // Only a number travels, so any parent may read it.
    let _ = parent.post_message(&message, "*");
}

/// Sets `<html data-theme>` (`None` follows the system).
pub fn set_theme(theme: Option<&str>) {
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme),
        None => root.remove_attribute("data-theme"),
    };
}

/// Copies text to the clipboard (best effort; the text is also shown
/// selected, so it can be copied by hand).
pub fn copy(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Watches an element's height and posts it to the embedding page when
/// it changes (stops when dropped).
pub struct HeightWatch {
    observer: web_sys::ResizeObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl HeightWatch {
    /// Starts watching `element`; `None` outside a frame or without
    /// ResizeObserver.
    pub fn start(element: web_sys::Element) -> Option<HeightWatch> {
        use std::cell::Cell;
        use wasm_bindgen::JsCast;

        if !in_frame() {
            return None;
        }
        let last = Cell::new(-1.0f64);
        let measured = element.clone();
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let rect = measured.get_bounding_client_rect();
            let scroll_y = window().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0);
            // From the top of the document to the bottom of the app.
            let height = (rect.bottom() + scroll_y).ceil();
            if (height - last.get()).abs() >= 1.0 {
                last.set(height);
                post_height(height);
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(&element);
        Some(HeightWatch {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for HeightWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
