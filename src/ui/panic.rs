//! The panic hook: if the app ever panics, the page does not just freeze.
//! The hook replaces the page with a short apology, the commands the
//! learner had typed (read from the transcript before it goes, so the
//! session can be typed again after a reload), a report to paste into an
//! issue, a "Copy report" button and a "Reload" button.
//!
//! After a panic the wasm instance is dead (the release build aborts), so
//! the error page is plain DOM with inline JavaScript handlers: nothing on
//! it calls back into Rust.

use std::fmt::Write as _;
use std::panic::PanicHookInfo;

use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{tr, Lang};

/// Element ids on the error page (the e2e tests look for them).
pub const PAGE_ID: &str = "slotlab-crash";
pub const REPORT_ID: &str = "slotlab-crash-report";

/// Installs the hook (once, before the app is mounted). Through Yew, which
/// otherwise replaces any hook with its console-only one when it renders.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = describe(info);
        console_error(&message);
        show_report(&message);
    }));
}

/// The panic's message and location.
fn describe(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    match info.location() {
        Some(at) => format!("{text}\n  at {}:{}:{}", at.file(), at.line(), at.column()),
        None => text,
    }
}

/// `window.<path>` as a string, or empty (no web-sys features needed).
fn js_string(path: &[&str]) -> String {
    let mut value: JsValue = js_sys::global().into();
    for key in path {
        value = js_sys::Reflect::get(&value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    }
    value.as_string().unwrap_or_default()
}

fn console_error(message: &str) {
    let console = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("console"));
    if let Ok(console) = console {
        let error = js_sys::Reflect::get(&console, &JsValue::from_str("error"));
        if let Ok(error) = error.and_then(|f| f.dyn_into::<js_sys::Function>()) {
            let _ = error.call1(
                &console,
                &JsValue::from_str(&format!("slotlab panicked: {message}")),
            );
        }
    }
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report a learner can paste into an issue.
pub fn report(message: &str, typed: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "slotlab {} panicked: {message}",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "page: {}", js_string(&["location", "href"]));
    let _ = writeln!(out, "browser: {}", js_string(&["navigator", "userAgent"]));
    if !typed.is_empty() {
        let _ = writeln!(out, "commands typed before it ({}):", typed.len());
        for line in typed {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// The lines typed so far, read from the consoles' transcripts (at most 200, the latest).
fn typed_lines() -> Vec<String> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Ok(echoes) = document.query_selector_all(".transcript .echo") else {
        return Vec::new();
    };
    let mut lines: Vec<String> = (0..echoes.length())
        .filter_map(|i| echoes.item(i))
        .filter_map(|node| node.text_content())
        .collect();
    let skip = lines.len().saturating_sub(200);
    lines.drain(..skip);
    lines
}

/// Replaces the page with the error page for `message`.
pub fn show_report(message: &str) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        render_into(&body, message);
    }
}

/// Replaces the contents of `root` with the error page for `message`.
pub fn render_into(root: &web_sys::Element, message: &str) {
    let typed = typed_lines();
    let report = report(message, &typed);
    // The page's language, as the app last set it on <html lang> (the
    // report itself stays in English: it is for the developers).
    let lang = Lang::from_tag(&js_string(&["document", "documentElement", "lang"]));
    let js = |key: &'static str| serde_json::to_string(tr(lang, key)).unwrap_or_default();
    let copy = format!(
        "var t=document.getElementById('{REPORT_ID}').textContent;\
         var b=this;\
         function done(){{b.textContent={};}}\
         if(navigator.clipboard){{navigator.clipboard.writeText(t).then(done,function(){{sel();}});}}else{{sel();}}\
         function sel(){{var r=document.createRange();r.selectNodeContents(document.getElementById('{REPORT_ID}'));\
         var s=getSelection();s.removeAllRanges();s.addRange(r);b.textContent={};}}",
        js("panic.copied"),
        js("panic.selected"),
    );
    let html = format!(
        "<main id=\"{PAGE_ID}\" class=\"crash-page\" role=\"alert\" \
         style=\"max-width:48rem;margin:3rem auto;padding:0 1rem;font-family:system-ui,sans-serif;line-height:1.5\">\
         <h1>{}</h1>\
         <p>{}</p>\
         <p class=\"crash-actions\">\
         <button type=\"button\" id=\"slotlab-crash-copy\" onclick=\"{}\">{}</button> \
         <button type=\"button\" id=\"slotlab-crash-reload\" onclick=\"location.reload()\">{}</button>\
         </p>\
         <pre id=\"{REPORT_ID}\" class=\"crash-report\" \
         style=\"white-space:pre-wrap;overflow:auto;max-height:50vh;padding:1rem;border:1px solid #8886;border-radius:6px\">{}</pre>\
         </main>",
        escape(tr(lang, "panic.title")),
        escape(tr(lang, "panic.text")),
        escape(&copy),
        escape(tr(lang, "panic.copy")),
        escape(tr(lang, "panic.reload")),
        escape(&report)
    );
    root.set_inner_html(&html);
}
