//! Scripting in the browser (headless Chromium through wasm-bindgen-test):
//! `cargo test --target wasm32-unknown-unknown --test scripting_wasm`
//! (environment as in step d of `scripts/test.sh`). The same Lua VM as
//! natively: a script runs, and a runaway script is stopped by the step
//! budget, so the page gets control back (the time it took is printed to
//! the console, not asserted).
#![cfg(target_arch = "wasm32")]

use slotlab::engine::{Cluster, Reply};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn argv(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

#[wasm_bindgen_test]
fn eval_and_runaway_in_the_browser() {
    let mut c = Cluster::default();
    let conn = c.connect(7000).expect("node");
    let out = c.execute(
        conn,
        &argv(&[
            "EVAL",
            "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
            "1",
            "bar",
            "v",
        ]),
        1,
    );
    assert_eq!(out.reply, Reply::bulk("v"));
    for body in [
        "while true do end",
        "local t = {} for i = 1, 1e9 do t[i] = i end",
        "return string.rep('x', 1e9)",
    ] {
        let start = js_sys::Date::now();
        let out = c.execute(conn, &argv(&["EVAL", body, "0"]), 1);
        let ms = js_sys::Date::now() - start;
        console_log!("{body}: {ms} ms: {:?}", out.reply);
        assert!(out.reply.is_error());
    }
    let out = c.execute(conn, &argv(&["GET", "bar"]), 1);
    assert_eq!(out.reply, Reply::bulk("v"));
}
