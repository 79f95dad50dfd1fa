//! Browser tests of the web UI (headless Chromium through
//! `wasm-bindgen-test-runner` and chromedriver):
//! `cargo test --target wasm32-unknown-unknown --test ui_browser`.
//!
//! The component tests mount the whole [`App`] into a fresh `<div>`, drive it
//! with real DOM events (which bubble to Yew's delegated listeners) and check
//! the DOM after `yew::scheduler::flush()`. The reducer tests exercise
//! [`AppState`] directly: it is pure, so they need no DOM.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use slotlab::ui::state::{Action, AppState, EntryKind, OutputKind};
use slotlab::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app and returns its host element.
async fn mount() -> Element {
    let document = gloo::utils::document();
    let host = document.create_element("div").expect("create div");
    gloo::utils::body()
        .append_child(&host)
        .expect("append host");
    yew::Renderer::<App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    host
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn texts(host: &Element, selector: &str) -> Vec<String> {
    let list = host.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

/// Types `line` into the console input (an `input` event, as typing does).
async fn type_line(host: &Element, line: &str) {
    let input: HtmlInputElement = find(host, "#cli-input").unchecked_into();
    input.set_value(line);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).expect("input event");
    input.dispatch_event(&event).expect("dispatch input");
    yew::scheduler::flush().await;
}

/// Presses a key in the console input.
async fn press(host: &Element, key: &str, ctrl: bool) {
    let input = find(host, "#cli-input");
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("keydown");
    input.dispatch_event(&event).expect("dispatch keydown");
    yew::scheduler::flush().await;
}

/// Types `line` and presses Enter; returns the last transcript entry's lines.
async fn run(host: &Element, line: &str) -> Vec<String> {
    type_line(host, line).await;
    press(host, "Enter", false).await;
    texts(
        host,
        ".transcript .entry:last-child .echo, .transcript .entry:last-child .out",
    )
}

#[wasm_bindgen_test]
async fn set_foo_bar_follows_the_redirect() {
    let host = mount().await;
    assert_eq!(
        find(&host, ".prompt-line .prompt")
            .text_content()
            .unwrap_or_default(),
        "127.0.0.1:7000> "
    );
    let lines = run(&host, "SET foo bar").await;
    assert_eq!(
        lines,
        [
            "127.0.0.1:7000> SET foo bar",
            "-> Redirected to slot [12182] located at 127.0.0.1:7002",
            "OK",
        ]
    );
    assert_eq!(
        find(&host, ".prompt-line .prompt")
            .text_content()
            .unwrap_or_default(),
        "127.0.0.1:7002> "
    );
    let input: HtmlInputElement = find(&host, "#cli-input").unchecked_into();
    assert_eq!(input.value(), "", "the input is cleared after Enter");
}

#[wasm_bindgen_test]
async fn key_inspector_shows_the_slot_and_owner_of_foo() {
    let host = mount().await;
    type_line(&host, "GET foo").await;
    let card = find(&host, ".line-report .key-card");
    assert_eq!(texts(&card, ".slot-number"), ["12182"]);
    assert_eq!(texts(&card, ".key-hashed"), ["foo"]);
    let text = card.text_content().unwrap_or_default();
    assert!(text.contains("0xAF96 = 44950"), "{text}");
    assert!(text.contains("44950 mod 16384 = 12182"), "{text}");
    assert!(text.contains("master 127.0.0.1:7002 (shard C)"), "{text}");
}

#[wasm_bindgen_test]
async fn key_inspector_highlights_hash_tags_and_escapes_bytes() {
    let host = mount().await;
    type_line(&host, "OBJECT ENCODING x{user1000}y").await;
    assert_eq!(texts(&host, ".line-report .key-hashed"), ["user1000"]);
    assert_eq!(texts(&host, ".line-report .slot-number"), ["3443"]);
    type_line(&host, "GET \"\\xff\\x00{}\"").await;
    assert_eq!(texts(&host, ".line-report .key-bytes"), ["\\xff\\x00{}"]);
    type_line(&host, "GET \"open").await;
    let hint = texts(&host, ".line-report .hint").join("");
    assert!(hint.contains("Invalid argument(s)"), "{hint}");
}

#[wasm_bindgen_test]
async fn unbalanced_quotes_print_invalid_arguments() {
    let host = mount().await;
    let lines = run(&host, "SET k \"open").await;
    assert_eq!(
        lines,
        ["127.0.0.1:7000> SET k \"open", "Invalid argument(s)"]
    );
}

#[wasm_bindgen_test]
async fn without_c_the_moved_error_is_printed() {
    let host = mount().await;
    let toggle: HtmlInputElement = find(&host, "#follow-toggle").unchecked_into();
    assert!(toggle.checked(), "-c is on by default");
    toggle.click();
    yew::scheduler::flush().await;
    let lines = run(&host, "SET foo bar").await;
    assert_eq!(
        lines,
        [
            "127.0.0.1:7000> SET foo bar",
            "(error) MOVED 12182 127.0.0.1:7002"
        ]
    );
}

#[wasm_bindgen_test]
async fn history_and_ctrl_l() {
    let host = mount().await;
    run(&host, "PING").await;
    run(&host, "ECHO hi").await;
    type_line(&host, "draft").await;
    press(&host, "ArrowUp", false).await;
    let input: HtmlInputElement = find(&host, "#cli-input").unchecked_into();
    assert_eq!(input.value(), "ECHO hi");
    press(&host, "ArrowUp", false).await;
    assert_eq!(input.value(), "PING");
    press(&host, "ArrowDown", false).await;
    press(&host, "ArrowDown", false).await;
    assert_eq!(input.value(), "draft");
    press(&host, "l", true).await;
    assert!(texts(&host, ".transcript .entry").is_empty());
}

// ---------- the reducer on its own ----------

fn submit(state: Rc<AppState>, line: &str, now_ms: u64) -> Rc<AppState> {
    state
        .reduce(Action::Edit(line.into()))
        .reduce(Action::Submit { now_ms })
}

fn last_output(state: &AppState) -> Vec<(OutputKind, String)> {
    match state.transcript.last().map(|e| &e.kind) {
        Some(EntryKind::Command { output, .. }) => {
            output.iter().map(|o| (o.kind, o.text.clone())).collect()
        }
        other => panic!("last entry is not a command: {other:?}"),
    }
}

#[wasm_bindgen_test]
fn reducer_returns_the_same_rc_when_nothing_changes() {
    let s = Rc::new(AppState::default());
    assert!(Rc::ptr_eq(
        &s,
        &s.clone().reduce(Action::Edit(String::new()))
    ));
    assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::HistoryNext)));
    assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Connect(9999))));
    let changed = s.clone().reduce(Action::Edit("x".into()));
    assert!(!Rc::ptr_eq(&s, &changed));
    // Typing does not copy the cluster.
    assert!(Rc::ptr_eq(&s.world, &changed.world));
}

#[wasm_bindgen_test]
fn reducer_runs_lines_and_tracks_the_prompt() {
    let s = submit(Rc::new(AppState::default()), "SET foo bar", 0);
    assert_eq!(
        last_output(&s),
        [
            (
                OutputKind::Redirect,
                "-> Redirected to slot [12182] located at 127.0.0.1:7002".to_string()
            ),
            (OutputKind::Reply, "OK".to_string()),
        ]
    );
    assert_eq!(s.prompt(), "127.0.0.1:7002> ");
    assert!(s.last_events.as_ref().is_some_and(|e| !e.is_empty()));
    let s = submit(s, "MULTI", 0);
    assert_eq!(s.prompt(), "127.0.0.1:7002(TX)> ");
    let s = s.reduce(Action::Connect(7001));
    assert_eq!(s.prompt(), "127.0.0.1:7001> ");
    let s = submit(s, "", 0);
    assert_eq!(last_output(&s), []);
    assert_eq!(s.history.as_slice(), ["SET foo bar", "MULTI"]);
}

#[wasm_bindgen_test]
fn reducer_clear_command_and_follow_toggle() {
    let s = submit(Rc::new(AppState::default()), "clear", 0);
    assert!(s.transcript.is_empty());
    let s = s.reduce(Action::SetFollowRedirects(false));
    assert!(!s.follow_redirects());
    let s = submit(s, "GET foo", 0);
    assert_eq!(
        last_output(&s),
        [(
            OutputKind::Error,
            "(error) MOVED 12182 127.0.0.1:7002".to_string()
        )]
    );
}
