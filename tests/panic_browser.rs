//! The panic hook's error page (src/ui/panic.rs) in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown --test panic_browser`
//! (environment as in step d of `scripts/test.sh`). A real panic aborts the
//! wasm instance (and this test), so the page is drawn directly.
#![cfg(target_arch = "wasm32")]

use slotlab::ui::panic::{escape, render_into, PAGE_ID, REPORT_ID};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_error_page_lists_the_typed_commands_and_offers_a_report() {
    let document = gloo::utils::document();
    let host = document.create_element("div").expect("div");
    gloo::utils::body().append_child(&host).expect("append");
    // What the consoles showed before the panic.
    host.set_inner_html(
        "<div class=\"transcript\"><div class=\"entry\"><div class=\"echo\">127.0.0.1:7000&gt; SET keep 1</div></div>\
         <div class=\"entry\"><div class=\"echo\">127.0.0.1:7000&gt; GET &lt;b&gt;</div></div></div>",
    );
    render_into(
        &host,
        "index out of bounds: the len is 3 but the index is 7\n  at src/engine/x.rs:1:2",
    );
    let page = host
        .query_selector(&format!("#{PAGE_ID}"))
        .expect("query")
        .expect("the error page");
    assert_eq!(page.get_attribute("role").as_deref(), Some("alert"));
    let text = page.text_content().unwrap_or_default();
    assert!(
        text.contains("Sorry, the playground stopped working."),
        "{text}"
    );
    let report = host
        .query_selector(&format!("#{REPORT_ID}"))
        .expect("query")
        .expect("the report")
        .text_content()
        .unwrap_or_default();
    assert!(report.contains("panicked: index out of bounds"), "{report}");
    assert!(report.contains("at src/engine/x.rs:1:2"), "{report}");
    assert!(report.contains("commands typed before it (2):"), "{report}");
    assert!(report.contains("  127.0.0.1:7000> SET keep 1"), "{report}");
    // Text, never markup.
    assert!(report.contains("GET <b>"), "{report}");
    let buttons: Vec<String> = ["slotlab-crash-copy", "slotlab-crash-reload"]
        .iter()
        .map(|id| {
            host.query_selector(&format!("#{id}"))
                .expect("query")
                .and_then(|b| b.text_content())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(buttons, ["Copy report", "Reload"]);
    assert_eq!(
        escape("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
    host.remove();
}
