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

use slotlab::ui::sample::Sample;
use slotlab::ui::state::{Action, AppState, EntryKind, OutputKind};
use slotlab::ui::tx::Verdict;
use slotlab::ui::world::ClientKind;
use slotlab::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent,
    KeyboardEventInit,
};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

/// Forgets any session an earlier test's app saved (address and storage),
/// so that a new app starts empty.
fn forget_saved_session() {
    let window = gloo::utils::window();
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.remove_item(slotlab::ui::browser::STORAGE_KEY);
    }
    let location = window.location();
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}

/// Mounts a fresh app and returns its host element.
/// Texts that arrive for a language nobody is waiting for any more (the
/// learner switched back meanwhile) change nothing.
#[wasm_bindgen_test]
fn late_texts_do_not_switch_the_language() {
    use slotlab::i18n::Lang;
    install_languages();
    let s = Rc::new(AppState::new_in(Lang::En));
    let same = s.clone().reduce(Action::LangLoaded(Lang::Ja));
    assert!(Rc::ptr_eq(&s, &same));
    assert_eq!(same.lang, Lang::En);
}

/// Installs the Chinese and Japanese catalogs and lesson texts, which the page itself
/// fetches from `i18n/` (this test server does not serve them).
fn install_languages() {
    use slotlab::i18n::{install, install_lesson_texts, Lang};
    install(Lang::Zh, include_str!("../src/ui/i18n/zh.json")).expect("zh.json");
    install(Lang::Ja, include_str!("../src/ui/i18n/ja.json")).expect("ja.json");
    install_lesson_texts(Lang::Zh, include_str!("../src/ui/i18n/lessons-zh.json"))
        .expect("lessons-zh.json");
    install_lesson_texts(Lang::Ja, include_str!("../src/ui/i18n/lessons-ja.json"))
        .expect("lessons-ja.json");
}

async fn mount() -> Element {
    forget_saved_session();
    let document = gloo::utils::document();
    let host = document.create_element("div").expect("create div");
    gloo::utils::body()
        .append_child(&host)
        .expect("append host");
    yew::Renderer::<App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    // The panels besides the consoles arrive after a timer (see `ui::app`).
    yew::platform::time::sleep(std::time::Duration::from_millis(1)).await;
    yew::scheduler::flush().await;
    host
}

/// The first render holds the consoles (typing works at once); the map and
/// the side panels follow one task later (issue 8, time to interactive).
#[wasm_bindgen_test]
async fn the_console_comes_first_and_the_panels_one_task_later() {
    forget_saved_session();
    let host = gloo::utils::document()
        .create_element("div")
        .expect("create div");
    gloo::utils::body()
        .append_child(&host)
        .expect("append host");
    yew::Renderer::<App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    assert!(host
        .query_selector("#cli-input-a")
        .expect("selector")
        .is_some());
    assert!(host
        .query_selector(".cluster-map")
        .expect("selector")
        .is_none());
    yew::platform::time::sleep(std::time::Duration::from_millis(1)).await;
    yew::scheduler::flush().await;
    assert!(host
        .query_selector(".cluster-map")
        .expect("selector")
        .is_some());
    assert!(host
        .query_selector(".route-trace")
        .expect("selector")
        .is_some());
    host.remove();
}

/// Resolves in the browser's next animation frame.
async fn next_frame() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
}

/// The console takes the focus, and scrolls to its newest output, in the
/// frame after it draws, not in the render itself: both make the browser
/// lay the page out, which the render leaves to that frame (issue 8, time
/// to interactive: the page's first render ends without a layout).
#[wasm_bindgen_test]
async fn the_console_focuses_and_scrolls_in_the_frame_after_it_draws() {
    forget_saved_session();
    let document = gloo::utils::document();
    if let Some(focused) = document.active_element() {
        if let Ok(focused) = focused.dyn_into::<HtmlElement>() {
            let _ = focused.blur();
        }
    }
    let host = document.create_element("div").expect("create div");
    gloo::utils::body()
        .append_child(&host)
        .expect("append host");
    yew::Renderer::<App>::with_root(host.clone()).render();
    // Registered before the app's own frame callbacks, so it runs first in
    // that frame: the render (a microtask) has drawn the input by then.
    let focused_at_first_frame = Rc::new(std::cell::Cell::new(None));
    let seen = focused_at_first_frame.clone();
    let probe = host.clone();
    let _frame = gloo::render::request_animation_frame(move |_| {
        let input = probe.query_selector("#cli-input-a").ok().flatten();
        let focused = gloo::utils::document().active_element();
        seen.set(Some((input.is_some(), input.is_some() && focused == input)));
    });
    yew::scheduler::flush().await;
    next_frame().await;
    assert_eq!(
        focused_at_first_frame.get(),
        Some((true, false)),
        "(input drawn, focused) when the first frame starts"
    );
    let input = input_of(&host, 'a');
    assert_eq!(
        document.active_element(),
        Some(input.clone().unchecked_into::<Element>()),
        "the input has the focus after that frame"
    );

    // A screen too short for its output shows the newest line.
    let screen = find(&host, "#client-a .screen");
    screen
        .set_attribute("style", "display: block; height: 40px; overflow: auto")
        .expect("style the screen");
    for i in 0..12 {
        run(&host, &format!("SET key:{i} v")).await;
    }
    next_frame().await;
    let bottom = screen.scroll_height() - screen.client_height();
    assert!(bottom > 0, "the screen overflows");
    assert!(
        screen.scroll_top() >= bottom - 1,
        "scrolled to {} of {bottom}",
        screen.scroll_top()
    );
    host.remove();
}

/// index.html opens localStorage while the wasm downloads by reading the
/// key the app's start reads (issue 8): the two must stay the same.
#[wasm_bindgen_test]
fn the_page_opens_local_storage_with_the_apps_key() {
    let page = include_str!("../index.html");
    let read = format!(
        "localStorage.getItem(\"{}\")",
        slotlab::ui::browser::STORAGE_KEY
    );
    assert!(page.contains(&read), "index.html has no {read}");
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn text(host: &Element, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

fn texts(host: &Element, selector: &str) -> Vec<String> {
    let list = host.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

fn input_of(host: &Element, client: char) -> HtmlInputElement {
    find(host, &format!("#cli-input-{client}")).unchecked_into()
}

fn bubbling(kind: &str) -> Event {
    let init = EventInit::new();
    init.set_bubbles(true);
    Event::new_with_event_init_dict(kind, &init).expect("event")
}

/// Types `line` into a client's input (an `input` event, as typing does).
async fn type_in(host: &Element, client: char, line: &str) {
    let input = input_of(host, client);
    input.set_value(line);
    input
        .dispatch_event(&bubbling("input"))
        .expect("dispatch input");
    yew::scheduler::flush().await;
}

/// Presses a key in a client's input.
async fn press_in(host: &Element, client: char, key: &str, ctrl: bool) {
    let input = input_of(host, client);
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

/// Types `line` in a client and presses Enter; returns the last transcript
/// entry's lines.
async fn run_in(host: &Element, client: char, line: &str) -> Vec<String> {
    type_in(host, client, line).await;
    press_in(host, client, "Enter", false).await;
    texts(
        host,
        &format!(
            "#client-{client} .transcript .entry:last-child .echo, #client-{client} .transcript .entry:last-child .out"
        ),
    )
}

async fn run(host: &Element, line: &str) -> Vec<String> {
    run_in(host, 'a', line).await
}

/// Picks an option of a `<select>` (a `change` event, as a user does).
async fn select(host: &Element, selector: &str, value: &str) {
    let el: HtmlSelectElement = find(host, selector).unchecked_into();
    el.set_value(value);
    el.dispatch_event(&bubbling("change"))
        .expect("dispatch change");
    yew::scheduler::flush().await;
}

async fn click(host: &Element, selector: &str) {
    let el: HtmlElement = find(host, selector).unchecked_into();
    el.click();
    yew::scheduler::flush().await;
}

fn prompt(host: &Element, client: char) -> String {
    text(host, &format!("#client-{client} .prompt-line .prompt"))
}

#[wasm_bindgen_test]
async fn set_foo_bar_follows_the_redirect() {
    let host = mount().await;
    assert_eq!(prompt(&host, 'a'), "127.0.0.1:7000> ");
    let lines = run(&host, "SET foo bar").await;
    assert_eq!(
        lines,
        [
            "127.0.0.1:7000> SET foo bar",
            "-> Redirected to slot [12182] located at 127.0.0.1:7002",
            "OK",
        ]
    );
    assert_eq!(prompt(&host, 'a'), "127.0.0.1:7002> ");
    assert_eq!(
        input_of(&host, 'a').value(),
        "",
        "the input is cleared after Enter"
    );
    assert_eq!(
        input_of(&host, 'a').get_attribute("aria-label").as_deref(),
        Some("Command")
    );
}

#[wasm_bindgen_test]
async fn key_inspector_shows_the_slot_and_owner_of_foo() {
    let host = mount().await;
    type_in(&host, 'a', "GET foo").await;
    let card = find(&host, ".line-report .key-card");
    assert_eq!(texts(&card, ".slot-number"), ["12182"]);
    assert_eq!(texts(&card, ".key-hashed"), ["foo"]);
    let text = card.text_content().unwrap_or_default();
    assert!(text.contains("0xAF96 = 44950"), "{text}");
    assert!(text.contains("44950 mod 16384 = 12182"), "{text}");
    assert!(text.contains("master 127.0.0.1:7002 (shard 3)"), "{text}");
    assert!(text.contains("expect MOVED"), "{text}");
    // The box labelled "Key" inspects any key.
    let label = text_of_label(&host, "free-key-input");
    assert_eq!(label, "Key");
    let input: HtmlInputElement = find(&host, "#free-key-input").unchecked_into();
    input.set_value("{user1000}.followers");
    input.dispatch_event(&bubbling("input")).expect("input");
    yew::scheduler::flush().await;
    assert_eq!(texts(&host, ".free-key .slot-number"), ["3443"]);
}

fn text_of_label(host: &Element, id: &str) -> String {
    text(host, &format!("label[for=\"{id}\"]"))
}

#[wasm_bindgen_test]
async fn key_inspector_highlights_hash_tags_and_escapes_bytes() {
    let host = mount().await;
    type_in(&host, 'a', "OBJECT ENCODING x{user1000}y").await;
    assert_eq!(texts(&host, ".line-report .key-hashed"), ["user1000"]);
    assert_eq!(texts(&host, ".line-report .slot-number"), ["3443"]);
    type_in(&host, 'a', "GET \"\\xff\\x00{}\"").await;
    assert_eq!(texts(&host, ".line-report .key-bytes"), ["\\xff\\x00{}"]);
    type_in(&host, 'a', "GET \"open").await;
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

/// A real Redis command slotlab does not implement gets Redis' own
/// unknown-command error AND a note saying that a real server would run it.
#[wasm_bindgen_test]
async fn an_unimplemented_real_command_is_flagged_as_the_playgrounds_answer() {
    let host = mount().await;
    let lines = run(&host, "HSETNX h f v").await;
    assert_eq!(
        lines[1],
        "(error) ERR unknown command 'HSETNX', with args beginning with: 'h' 'f' 'v' "
    );
    assert!(lines[2].starts_with("(slotlab) HSETNX is a real Redis 7.0 command"));
    let made_up = run(&host, "FOOBAR x").await;
    assert_eq!(
        made_up.len(),
        2,
        "no note for a command Redis does not have"
    );
}

#[wasm_bindgen_test]
async fn a_plain_client_prints_moved_and_the_trace_draws_the_hop() {
    let host = mount().await;
    select(&host, "#kind-picker-a", "plain").await;
    let lines = run(&host, "SET foo bar").await;
    assert_eq!(
        lines,
        [
            "127.0.0.1:7000> SET foo bar",
            "(error) MOVED 12182 127.0.0.1:7002"
        ]
    );
    let hop = text(&host, ".route-trace .hop-label");
    assert_eq!(hop, "MOVED 12182 → :7002");
    let summary = text(&host, ".route-trace .trace-summary");
    assert!(
        summary.contains("redis-cli without -c just prints"),
        "{summary}"
    );
}

#[wasm_bindgen_test]
async fn redis_cli_c_follows_moved_in_the_sequence_diagram() {
    let host = mount().await;
    run(&host, "GET foo").await;
    // Two requests: to 7000 (MOVED) then to 7002, and one hop arrow.
    assert_eq!(
        host.query_selector_all(".route-trace .seq-send")
            .expect("selector")
            .length(),
        2
    );
    assert_eq!(
        texts(&host, ".route-trace .hop-label"),
        ["MOVED 12182 → :7002"]
    );
    assert_eq!(
        texts(&host, ".route-trace .trace-keys tbody td:first-child"),
        ["foo"]
    );
}

#[wasm_bindgen_test]
async fn crossslot_shows_the_disagreeing_key_and_a_working_fix() {
    let host = mount().await;
    let lines = run(&host, "MSET user:1 a user:2 b").await;
    assert_eq!(
        lines[1],
        "(error) CROSSSLOT Keys in request don't hash to the same slot"
    );
    let disagreeing = text(&host, ".crossslot .cs-key.disagrees");
    assert!(disagreeing.contains("user:2"), "{disagreeing}");
    assert!(disagreeing.contains("slot 6777"), "{disagreeing}");
    assert!(text(&host, ".crossslot .cs-key.sets").contains("slot 10778"));
    assert_eq!(
        text(&host, ".crossslot .fix-line"),
        "MSET {user}:1 a {user}:2 b"
    );
    let slot = text(&host, ".crossslot .fix-slot");
    assert!(
        slot.contains("slot 5474 on 127.0.0.1:7001 (shard 2)"),
        "{slot}"
    );
    click(&host, ".crossslot .use-fix").await;
    assert_eq!(input_of(&host, 'a').value(), "MSET {user}:1 a {user}:2 b");
    press_in(&host, 'a', "Enter", false).await;
    let last = texts(&host, "#client-a .transcript .entry:last-child .out");
    assert_eq!(
        last,
        [
            "-> Redirected to slot [5474] located at 127.0.0.1:7001",
            "OK"
        ]
    );
}

#[wasm_bindgen_test]
async fn the_map_counts_keys_and_marks_the_last_slot() {
    let host = mount().await;
    run(&host, "SET foo bar").await;
    assert_eq!(
        text(&host, ".shard-card[data-shard=\"2\"] .shard-keys"),
        "1"
    );
    assert_eq!(
        text(&host, ".shard-card[data-shard=\"0\"] .shard-keys"),
        "0"
    );
    let chips = texts(&host, ".shard-card[data-shard=\"2\"] .key-chip");
    assert_eq!(chips, ["foo12182"]);
    let label = text(&host, ".ribbon .mark-label.last");
    assert_eq!(label, "foo · 12182");
    // Typing a key marks its slot on the ribbon.
    type_in(&host, 'a', "GET user:1").await;
    assert_eq!(
        host.query_selector_all(".ribbon line.mark.typed")
            .expect("selector")
            .length(),
        1
    );
}

#[wasm_bindgen_test]
async fn tab_completes_command_names() {
    let host = mount().await;
    type_in(&host, 'a', "incrbyf").await;
    press_in(&host, 'a', "Tab", false).await;
    assert_eq!(input_of(&host, 'a').value(), "INCRBYFLOAT ");
    type_in(&host, 'a', "getr").await;
    press_in(&host, 'a', "Tab", false).await;
    assert_eq!(input_of(&host, 'a').value(), "GETRANGE ");
    type_in(&host, 'a', "ge").await;
    press_in(&host, 'a', "Tab", false).await;
    assert_eq!(input_of(&host, 'a').value(), "GET");
    let candidates = text(&host, "#client-a .candidates");
    assert!(candidates.contains("GETDEL"), "{candidates}");
}

#[wasm_bindgen_test]
async fn history_and_ctrl_l() {
    let host = mount().await;
    run(&host, "PING").await;
    run(&host, "ECHO hi").await;
    type_in(&host, 'a', "draft").await;
    press_in(&host, 'a', "ArrowUp", false).await;
    let input = input_of(&host, 'a');
    assert_eq!(input.value(), "ECHO hi");
    press_in(&host, 'a', "ArrowUp", false).await;
    assert_eq!(input.value(), "PING");
    press_in(&host, 'a', "ArrowDown", false).await;
    press_in(&host, 'a', "ArrowDown", false).await;
    assert_eq!(input.value(), "draft");
    press_in(&host, 'a', "l", true).await;
    assert!(texts(&host, "#client-a .transcript .entry").is_empty());
}

#[wasm_bindgen_test]
async fn a_watch_race_between_two_clients() {
    let host = mount().await;
    click(&host, ".add-client").await;
    assert_eq!(prompt(&host, 'b'), "127.0.0.1:7000> ");
    run_in(&host, 'a', "WATCH foo").await;
    run_in(&host, 'a', "MULTI").await;
    assert_eq!(prompt(&host, 'a'), "127.0.0.1:7002(TX)> ");
    run_in(&host, 'a', "INCR foo").await;
    let queue = texts(&host, ".tx-card .tx-queue tbody td");
    assert_eq!(queue, ["1", "INCR foo", "12182", ":7002", "QUEUED"]);
    run_in(&host, 'b', "SET foo 9").await;
    let watched = text(&host, ".tx-card .watch-item");
    assert!(watched.contains("changed by Client B"), "{watched}");
    let lines = run_in(&host, 'a', "EXEC").await;
    assert_eq!(lines, ["127.0.0.1:7002(TX)> EXEC", "(nil)"]);
    let verdict = text(&host, ".tx-card .verdict");
    assert!(verdict.contains("EXEC-time WATCH check"), "{verdict}");
    assert!(verdict.contains("foo by Client B"), "{verdict}");
    assert_eq!(run_in(&host, 'a', "GET foo").await[1], "\"9\"");
}

#[wasm_bindgen_test]
async fn the_cluster_aware_client_goes_straight_to_the_owner() {
    let host = mount().await;
    select(&host, "#kind-picker-a", "cluster").await;
    assert_eq!(prompt(&host, 'a'), "cluster> ");
    let lines = run(&host, "SET foo bar").await;
    assert_eq!(
        lines,
        [
            "cluster> SET foo bar",
            "↳ loaded its slot map from 127.0.0.1:7000 with CLUSTER SLOTS (3 ranges)",
            "↳ slot 12182 → 127.0.0.1:7002 (from its slot map)",
            "OK",
        ]
    );
    assert!(texts(&host, ".route-trace .hop-arrow").is_empty());
    assert!(text(&host, ".route-trace .client-side").contains("not by Redis"));
    run(&host, "SET user:1 x").await;
    let lines = run(&host, "MGET foo user:1").await;
    assert_eq!(
        lines,
        [
            "cluster> MGET foo user:1",
            "↳ keys in 2 slots → split into 2 MGETs: slot 12182 → :7002 (1 key), slot 10778 → :7001 (1 key)",
            "1) \"bar\"\n2) \"x\"",
        ]
    );
}

#[wasm_bindgen_test]
async fn the_transaction_panel_names_the_rule_that_fired() {
    let host = mount().await;
    // Queue time: a plain client on 7000 queues a key of 7002 → MOVED, flagged.
    select(&host, "#kind-picker-a", "plain").await;
    run(&host, "MULTI").await;
    run(&host, "SET foo 1").await;
    let row = texts(&host, ".tx-card .tx-queue tbody tr.flagged td");
    assert_eq!(row[4], "✗ MOVED 12182 127.0.0.1:7002");
    assert!(text(&host, ".tx-card .rule").contains("Queue-time check"));
    let lines = run(&host, "EXEC").await;
    assert_eq!(
        lines[1],
        "(error) EXECABORT Transaction discarded because of previous errors."
    );
    assert!(text(&host, ".tx-card .verdict").contains("queue-time rule"));
    // EXEC time: two keys of 7002 in different slots.
    select(&host, "#node-picker-a", "7002").await;
    run(&host, "MULTI").await;
    run(&host, "SET a 1").await;
    run(&host, "SET foo 2").await;
    let lines = run(&host, "EXEC").await;
    assert_eq!(
        lines[1],
        "(error) CROSSSLOT Keys in request don't hash to the same slot"
    );
    let verdict = text(&host, ".tx-card .verdict");
    assert!(verdict.contains("EXEC-time rule"), "{verdict}");
    assert!(
        verdict.contains("a is in slot 15495, foo in slot 12182"),
        "{verdict}"
    );
    assert!(text(&host, ".route-trace .crossslot").contains("At EXEC"));
}

#[wasm_bindgen_test]
async fn redis_cli_c_loses_a_transaction_when_it_follows_a_redirect() {
    let host = mount().await;
    run(&host, "MULTI").await;
    let lines = run(&host, "SET foo bar").await;
    assert_eq!(
        lines,
        [
            "127.0.0.1:7000(TX)> SET foo bar",
            "-> Redirected to slot [12182] located at 127.0.0.1:7002",
            "OK",
        ]
    );
    assert_eq!(prompt(&host, 'a'), "127.0.0.1:7002> ");
    let verdict = text(&host, ".tx-card .verdict");
    assert!(
        verdict.contains("redis-cli -c followed a redirect"),
        "{verdict}"
    );
    assert_eq!(
        run(&host, "EXEC").await[1],
        "(error) ERR EXEC without MULTI"
    );
}

#[wasm_bindgen_test]
async fn the_script_panel_has_a_labelled_editor_and_fields() {
    let host = mount().await;
    let editor = find(&host, "#script-editor");
    assert_eq!(
        editor.get_attribute("aria-label").as_deref(),
        Some("Lua script")
    );
    assert_eq!(text_of_label(&host, "script-keys"), "KEYS");
    assert_eq!(text_of_label(&host, "script-argv"), "ARGV");
    assert_eq!(text(&host, "#run-script"), "Run script");
}

// ---------- the reducer on its own ----------

fn submit(state: Rc<AppState>, line: &str, now_ms: u64) -> Rc<AppState> {
    state
        .reduce(Action::Edit {
            client: 0,
            text: line.into(),
        })
        .reduce(Action::Submit { client: 0, now_ms })
}

fn last_output(state: &AppState) -> Vec<(OutputKind, String)> {
    let client = state.client(0).expect("client A");
    match client.transcript.last().map(|e| &e.kind) {
        Some(EntryKind::Command { output, .. }) => {
            output.iter().map(|o| (o.kind, o.text.clone())).collect()
        }
        other => panic!("last entry is not a command: {other:?}"),
    }
}

#[wasm_bindgen_test]
fn reducer_returns_the_same_rc_when_nothing_changes() {
    let s = Rc::new(AppState::default());
    let same = |a: &Rc<AppState>, action| Rc::ptr_eq(a, &a.clone().reduce(action));
    assert!(same(
        &s,
        Action::Edit {
            client: 0,
            text: String::new()
        }
    ));
    assert!(same(&s, Action::HistoryNext(0)));
    assert!(same(
        &s,
        Action::Connect {
            client: 0,
            port: 9999
        }
    ));
    assert!(same(
        &s,
        Action::Submit {
            client: 7,
            now_ms: 0
        }
    ));
    assert!(same(&s, Action::RemoveClient(0)));
    assert!(same(&s, Action::Complete(0)));
    let changed = s.clone().reduce(Action::Edit {
        client: 0,
        text: "x".into(),
    });
    assert!(!Rc::ptr_eq(&s, &changed));
    // Typing does not touch the cluster.
    assert_eq!(s.world, changed.world);
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
    assert_eq!(s.prompt(0), "127.0.0.1:7002> ");
    let last = s.last.as_ref().expect("a last line");
    assert_eq!(last.sends.len(), 2);
    assert_eq!(last.hops().len(), 1);
    let s = submit(s, "MULTI", 0);
    assert_eq!(s.prompt(0), "127.0.0.1:7002(TX)> ");
    let s = s.reduce(Action::Connect {
        client: 0,
        port: 7001,
    });
    assert_eq!(s.prompt(0), "127.0.0.1:7001> ");
    assert!(matches!(
        s.client(0)
            .and_then(|c| c.tx.as_ref())
            .and_then(|t| t.verdict.clone()),
        Some(Verdict::Dropped { redirected: false })
    ));
    let s = submit(s, "", 0);
    assert_eq!(last_output(&s), []);
    assert_eq!(
        s.client(0).map(|c| c.history.as_slice().to_vec()),
        Some(vec!["SET foo bar".to_string(), "MULTI".to_string()])
    );
}

#[wasm_bindgen_test]
fn reducer_clear_command_and_kinds() {
    let s = submit(Rc::new(AppState::default()), "clear", 0);
    assert!(s.client(0).is_some_and(|c| c.transcript.is_empty()));
    let s = s.reduce(Action::SetKind {
        client: 0,
        kind: ClientKind::Plain,
    });
    assert_eq!(s.kind(0), Some(ClientKind::Plain));
    let s = submit(s, "GET foo", 0);
    assert_eq!(
        last_output(&s),
        [(
            OutputKind::Error,
            "(error) MOVED 12182 127.0.0.1:7002".to_string()
        )]
    );
}

#[wasm_bindgen_test]
fn reducer_adds_and_removes_clients() {
    let s = Rc::new(AppState::default());
    let s = s.reduce(Action::AddClient).reduce(Action::AddClient);
    let letters: Vec<char> = s.clients.iter().map(|c| c.letter).collect();
    assert_eq!(letters, ['A', 'B', 'C']);
    assert_eq!(s.active, 2);
    let s = s.reduce(Action::RemoveClient(1));
    let letters: Vec<char> = s.clients.iter().map(|c| c.letter).collect();
    assert_eq!(letters, ['A', 'C']);
    assert_eq!(s.world.borrow().sessions.len(), 2);
    let s = s.reduce(Action::AddClient);
    let letters: Vec<char> = s.clients.iter().map(|c| c.letter).collect();
    assert_eq!(letters, ['A', 'C', 'B']);
}

#[wasm_bindgen_test]
fn reducer_loads_sample_data_in_chunks() {
    let mut s = Rc::new(AppState::default()).reduce(Action::LoadSample(Sample::Few));
    assert!(s.loading.is_some());
    let mut ticks = 0;
    while s.loading.is_some() && ticks < 10 {
        s = s.reduce(Action::LoadChunk { now_ms: 0 });
        ticks += 1;
    }
    assert!(s.loading.is_none());
    let keys: usize = {
        let world = s.world.borrow();
        world
            .cluster
            .topology
            .masters()
            .map(|m| world.cluster.keyspace_of(m).len())
            .sum()
    };
    assert_eq!(keys, Sample::Few.total());
}

#[wasm_bindgen_test]
async fn a_repeated_line_draws_its_first_replies_only() {
    let host = mount().await;
    run(&host, "150 INCR n").await;
    let outs = texts(&host, "#client-a .transcript .entry:last-child .out");
    assert_eq!(outs.len(), 100);
    assert_eq!(outs[99], "(integer) 100");
    assert_eq!(
        text(&host, "#client-a .transcript .entry:last-child .elided"),
        "… 50 more replies not shown (the commands ran)"
    );
    assert_eq!(run(&host, "GET n").await[1], "\"150\"");
}

#[wasm_bindgen_test]
async fn a_cluster_aware_transaction_goes_to_the_first_keys_node() {
    let host = mount().await;
    select(&host, "#kind-picker-a", "cluster").await;
    let lines = run(&host, "MULTI").await;
    assert_eq!(
        lines,
        [
            "cluster> MULTI",
            "↳ loaded its slot map from 127.0.0.1:7000 with CLUSTER SLOTS (3 ranges)",
            "↳ MULTI held by the client: it goes out with the next command, to that command's node",
        ]
    );
    assert!(text(&host, ".tx-card .tx-title").contains("MULTI held by the client"));
    assert_eq!(prompt(&host, 'a'), "cluster(TX)> ");
    let lines = run(&host, "INCR foo").await;
    assert_eq!(lines.last().map(String::as_str), Some("QUEUED"));
    assert!(lines.contains(&"↳ sent the held MULTI to 127.0.0.1:7002 → OK".to_string()));
    assert!(text(&host, ".tx-card .tx-title").contains("in MULTI on 127.0.0.1:7002"));
    let lines = run(&host, "EXEC").await;
    assert_eq!(lines.last().map(String::as_str), Some("1) (integer) 1"));
    assert!(text(&host, ".tx-card .verdict").contains("EXEC ran 1 command"));
}

#[wasm_bindgen_test]
fn counts_are_grouped_by_thousands() {
    use slotlab::ui::map::thousands;
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(100_000), "100,000");
    assert_eq!(thousands(1_234_567), "1,234,567");
}

// ---------- the script panel ----------

mod script_panel {
    use super::*;
    use slotlab::engine::event::ScriptRule;
    use slotlab::engine::reply::quote_repr;
    use slotlab::i18n::Lang;
    use slotlab::ui::lua_highlight::highlight;
    use slotlab::ui::script::{
        example, explain, Attempt, Emulated, RunMode, ScriptRequest, ScriptTrace,
    };

    fn request(id: &str, mode: RunMode) -> ScriptRequest {
        let ex = example(id).expect("example");
        ScriptRequest {
            body: ex.body.into(),
            keys: ex.keys.into(),
            args: ex.args.into(),
            mode,
        }
    }

    fn run_script(state: Rc<AppState>, id: &str, mode: RunMode) -> Rc<AppState> {
        state.reduce(Action::RunScript {
            client: 0,
            request: request(id, mode),
            now_ms: 1,
        })
    }

    fn trace(state: &AppState) -> &ScriptTrace {
        state.script.as_deref().expect("a script trace")
    }

    fn last_line(state: &AppState) -> String {
        match state
            .client(0)
            .and_then(|c| c.transcript.last())
            .map(|e| &e.kind)
        {
            Some(EntryKind::Command { line, .. }) => line.clone(),
            other => panic!("last entry is not a command: {other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn the_eval_line_splits_back_into_the_script_and_its_arguments() {
        let req = ScriptRequest {
            body: "return {KEYS[1], ARGV[1], \"q\\\\\"}\n\t-- é".into(),
            keys: "\"a b\" {t}x".into(),
            args: "1 'two words'".into(),
            mode: RunMode::Eval,
        };
        let line = req.prepare().expect("valid").line;
        let argv = slotlab::engine::cli::split_args(line.as_bytes()).expect("balanced");
        let words: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        assert_eq!(
            words,
            [
                b"EVAL".as_slice(),
                req.body.as_bytes(),
                b"2",
                b"a b",
                b"{t}x",
                b"1",
                b"two words"
            ]
        );
        assert!(line.starts_with(&format!("EVAL {}", quote_repr(req.body.as_bytes()))));
        let ro = ScriptRequest {
            mode: RunMode::EvalRo,
            ..req.clone()
        };
        assert!(ro.prepare().expect("valid").line.starts_with("EVAL_RO \""));
        let bad = ScriptRequest {
            keys: "\"open".into(),
            ..req
        };
        assert!(bad.prepare().is_err());
    }

    #[wasm_bindgen_test]
    fn function_mode_wraps_the_script_and_turns_its_shebang_into_flags() {
        let req = ScriptRequest {
            body: "#!lua flags=no-writes,allow-cross-slot-keys\nreturn 1".into(),
            keys: "k".into(),
            args: String::new(),
            mode: RunMode::Function,
        };
        let prepared = req.prepare().expect("valid");
        assert_eq!(prepared.line, "FCALL panel 1 k");
        assert_eq!(
            prepared.library.as_deref(),
            Some(
                "#!lua name=slotlab_panel\nredis.register_function{function_name='panel', \
                 flags={'no-writes', 'allow-cross-slot-keys'}, callback=function(KEYS, ARGV)\n\
                 -- #!lua flags=no-writes,allow-cross-slot-keys\nreturn 1\nend}"
            )
        );
        let bad = ScriptRequest {
            body: "#!lua flags=bogus\nreturn 1".into(),
            ..req
        };
        assert_eq!(
            bad.prepare(),
            Err("ERR Unexpected flag in script shebang: bogus".into())
        );
    }

    #[wasm_bindgen_test]
    fn the_highlighter_gives_back_every_line_exactly() {
        let source = "#!lua flags=no-writes\nlocal s = 'a\\'b' -- c\n--[[ long\ncomment ]] x = [==[\nstr]==] .. 0x1F + 1e-3\nredis.call(\"GET\", KEYS[1]) é";
        let lines = highlight(source);
        let rebuilt: Vec<String> = lines
            .iter()
            .map(|pieces| pieces.iter().map(|p| p.text.as_str()).collect())
            .collect();
        assert_eq!(rebuilt, source.split('\n').collect::<Vec<_>>());
        let classes: Vec<(Option<&str>, &str)> = lines[1]
            .iter()
            .map(|p| (p.tok.class(), p.text.as_str()))
            .collect();
        assert_eq!(
            classes,
            [
                (Some("tok-kw"), "local"),
                (None, " s = "),
                (Some("tok-str"), "'a\\'b'"),
                (None, " "),
                (Some("tok-com"), "-- c"),
            ]
        );
        assert_eq!(lines[0][0].tok.class(), Some("tok-shebang"));
        assert_eq!(lines[3][0].tok.class(), Some("tok-com"));
        let last: Vec<(Option<&str>, &str)> = lines[5]
            .iter()
            .take(4)
            .map(|p| (p.tok.class(), p.text.as_str()))
            .collect();
        assert_eq!(
            last,
            [
                (Some("tok-api"), "redis"),
                (None, "."),
                (Some("tok-api"), "call"),
                (None, "("),
            ]
        );
        assert_eq!(lines[5][4].literal.as_deref(), Some("GET"));
    }

    #[wasm_bindgen_test]
    fn the_stock_script_is_refused_on_the_order_key_and_the_trace_says_why() {
        let s = run_script(Rc::new(AppState::default()), "stock", RunMode::Eval);
        assert!(last_line(&s).starts_with("EVAL \"-- The seed's stock decrement."));
        assert!(last_line(&s).ends_with("\" 1 stock:phone"));
        let out = last_output(&s);
        assert_eq!(
            out[0],
            (
                OutputKind::Redirect,
                "-> Redirected to slot [10032] located at 127.0.0.1:7001".into()
            )
        );
        // Seen on a real 7.0.15 cluster with the same line (redis-cli -c).
        assert_eq!(
            out[1],
            (
                OutputKind::Error,
                "(error) ERR Script attempted to access a non local key in a cluster node script: \
                 6344181eaf026cf285f9a1e2c9500e49cfe8aa6a, on @user_script:7."
                    .into()
            )
        );
        let t = trace(&s);
        assert_eq!(t.ran_on, Some(7001));
        assert!(matches!(
            t.attempts.as_slice(),
            [
                Attempt::Rejected {
                    port: 7000,
                    redirect_to: Some(7001),
                    ..
                },
                Attempt::Ran { port: 7001 }
            ]
        ));
        assert_eq!(t.declared.len(), 1);
        assert_eq!(t.declared[0].key, "stock:phone");
        let lines: Vec<Option<usize>> = t.calls.iter().map(|c| c.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(6), Some(7)]);
        let refused = t.first_rejected().expect("a refused call");
        assert_eq!(refused.rejected, Some(ScriptRule::NonLocalKey));
        assert_eq!(refused.argv, ["HSET", "order:1001", "status", "paid"]);
        assert_eq!(refused.keys.len(), 1);
        assert_eq!(refused.keys[0].slot, 241);
        assert_eq!(refused.keys[0].owner, Some(7000));
        assert!(!refused.keys[0].declared);
        assert!(t.calls[2].keys[0].declared);
        let why = explain(Lang::En, ScriptRule::NonLocalKey, refused, None);
        assert!(why.starts_with("Undeclared key on another node: order:1001 (slot 241) lives on 127.0.0.1:7000, but the script runs on 127.0.0.1:7001."), "{why}");
        assert!(why.contains("A script can only touch keys of the node it runs on"));
        // The DECR stays.
        assert_eq!(t.modified.len(), 1);
        assert_eq!(t.modified[0].0, "stock:phone");
        assert_eq!(t.undeclared().len(), 1);
        // The line went into the history like a typed one.
        let history = &s.client(0).expect("A").history;
        assert_eq!(history.last(), Some(&last_line(&s)));
    }

    #[wasm_bindgen_test]
    fn declaring_both_stock_keys_is_crossslot_before_the_script_runs() {
        let s = run_script(
            Rc::new(AppState::default()),
            "stock-declared",
            RunMode::Eval,
        );
        assert_eq!(
            last_output(&s),
            [(
                OutputKind::Error,
                "(error) CROSSSLOT Keys in request don't hash to the same slot".into()
            )]
        );
        let t = trace(&s);
        assert!(t.calls.is_empty());
        assert_eq!(t.ran_on, None);
        assert!(matches!(
            t.attempts.as_slice(),
            [Attempt::Rejected {
                kind: slotlab::engine::event::RejectKind::CrossSlot,
                ..
            }]
        ));
        assert_eq!(t.declared.len(), 2);
    }

    #[wasm_bindgen_test]
    fn the_seckill_script_runs_every_call_on_one_node() {
        let s = run_script(Rc::new(AppState::default()), "seckill", RunMode::Eval);
        assert_eq!(
            last_output(&s),
            [
                (
                    OutputKind::Redirect,
                    "-> Redirected to slot [11819] located at 127.0.0.1:7002".into()
                ),
                (OutputKind::Reply, "(integer) 1".into())
            ]
        );
        let t = trace(&s);
        assert_eq!(t.calls.len(), 5);
        assert!(t
            .calls
            .iter()
            .all(|c| c.rejected.is_none() && c.port == 7002));
        assert!(t
            .calls
            .iter()
            .flat_map(|c| &c.keys)
            .all(|k| k.declared && k.slot == 11819));
        assert_eq!(t.flags, Some(slotlab::engine::script::flags::EVAL_COMPAT));
        // Again: the same user is refused.
        let s = run_script(s, "seckill", RunMode::Eval);
        assert_eq!(
            last_output(&s),
            [(OutputKind::Reply, "(integer) -1".into())]
        );
    }

    #[wasm_bindgen_test]
    fn a_shebang_script_may_not_touch_a_second_slot_of_its_node() {
        let s = run_script(Rc::new(AppState::default()), "shebang", RunMode::Eval);
        let t = trace(&s);
        assert_eq!(t.ran_on, Some(7000));
        let refused = t.first_rejected().expect("refused");
        assert_eq!(refused.rejected, Some(ScriptRule::CrossSlotAcrossCalls));
        assert_eq!(refused.line, Some(4));
        assert_eq!(refused.keys[0].owner, Some(7000));
        let why = explain(
            Lang::En,
            ScriptRule::CrossSlotAcrossCalls,
            refused,
            slotlab::ui::script::pinned_before(t, 1),
        );
        assert!(why.contains("already touched slot 5061"), "{why}");
        assert!(why.contains("needs slot 3300"), "{why}");
    }

    #[wasm_bindgen_test]
    fn a_runaway_script_is_stopped_and_the_console_still_works() {
        let s = run_script(Rc::new(AppState::default()), "runaway", RunMode::Eval);
        let t = trace(&s);
        assert!(t.stopped);
        assert!(t.reply_error);
        assert!(t
            .reply
            .starts_with("(error) ERR slotlab stopped the script"));
        let s = submit(s, "SET foo bar", 2);
        assert_eq!(
            last_output(&s).last(),
            Some(&(OutputKind::Reply, "OK".into()))
        );
        // The trace stays on the last script.
        assert!(trace(&s).stopped);
    }

    #[wasm_bindgen_test]
    fn function_mode_loads_the_library_everywhere_and_numbers_lines_like_the_editor() {
        let s = run_script(Rc::new(AppState::default()), "stock", RunMode::Function);
        let client = s.client(0).expect("A");
        let n = client.transcript.len();
        match &client.transcript[n - 2].kind {
            EntryKind::Note(note) => {
                assert!(note.contains("FUNCTION LOAD REPLACE"), "{note}");
                assert!(note.contains(":7000, :7001, :7002"), "{note}");
            }
            other => panic!("expected the load note, got {other:?}"),
        }
        assert_eq!(last_line(&s), "FCALL panel 1 stock:phone");
        // Seen on a real 7.0.15 cluster with the same library.
        assert_eq!(
            last_output(&s)[1].1,
            "(error) ERR Script attempted to access a non local key in a cluster node script: panel, on @user_function:9."
        );
        let t = trace(&s);
        assert!(t.function);
        let refused = t.first_rejected().expect("refused");
        assert_eq!(refused.line, Some(7));
        let source = t.source.as_ref().expect("source");
        assert_eq!(source.line_offset, 2);
        assert_eq!(source.body, example("stock").expect("stock").body);
    }

    #[wasm_bindgen_test]
    fn the_emulated_version_changes_the_in_script_error_text() {
        let s = Rc::new(AppState::default());
        let line = "EVAL \"return redis.call('MSET', 'bar', 1, 'b', 2)\" 0";
        let old = submit(s.clone(), line, 1);
        let t = trace(&old);
        assert_eq!(t.calls[0].rejected, Some(ScriptRule::NonLocalKey));
        assert!(last_output(&old)[0]
            .1
            .starts_with("(error) ERR Script attempted to access a non local key"));
        let why = explain(Lang::En, ScriptRule::NonLocalKey, &t.calls[0], None);
        assert!(why.contains("span slots 3300 and 5061"), "{why}");
        let s = s.reduce(Action::SetEmulated(Emulated::Valkey8));
        assert_eq!(s.emulated, Emulated::Valkey8);
        assert_eq!(
            s.world.borrow().cluster.scripting.version,
            Emulated::Redis74.engine()
        );
        let new = submit(s, line, 1);
        assert_eq!(
            trace(&new).calls[0].rejected,
            Some(ScriptRule::CrossSlotCommand)
        );
        assert!(last_output(&new)[0]
            .1
            .starts_with("(error) ERR Command 'mset' in script attempted to access keys that don't hash to the same slot"));
        // Reset goes back to Redis 7.0.
        let reset = new.reduce(Action::Reset);
        assert_eq!(reset.emulated, Emulated::Redis70);
    }

    #[wasm_bindgen_test]
    async fn the_panel_runs_the_stock_script_and_links_the_refused_call_to_its_line() {
        let host = mount().await;
        click(&host, "#run-script").await;
        let echo = texts(&host, "#client-a .transcript .entry:last-child .echo");
        assert!(echo[0].starts_with("127.0.0.1:7000> EVAL \"-- The seed's stock"));
        assert!(text(&host, ".script-summary").contains("one refused at line 7"));
        let refused = find(&host, ".calls .call.refused");
        let refused_text = refused.text_content().unwrap_or_default();
        assert!(refused_text.contains("refused: non local key"));
        assert!(refused_text.contains("order:1001 → slot 241 → :7000"));
        assert!(
            refused_text.contains("a script can only touch keys of the node it runs on")
                || refused_text.contains("A script can only touch keys of the node it runs on")
        );
        assert_eq!(texts(&host, ".lua-num.mark-bad"), ["7"]);
        assert!(texts(&host, ".tok-str.key-undeclared").contains(&"'order:1001'".to_string()));
        click(&host, ".calls .call.refused .call-line").await;
        assert_eq!(texts(&host, ".lua-num.hl"), ["7"]);
        assert!(text(&host, ".lua-line.hl").contains("redis.call('HSET', 'order:1001'"));
        // The console still answers.
        assert_eq!(run(&host, "GET stock:phone").await[1], "\"9\"");
    }

    #[wasm_bindgen_test]
    async fn the_fields_count_numkeys_and_examples_fill_the_form() {
        let host = mount().await;
        assert_eq!(text(&host, ".numkeys"), "numkeys = 1");
        click(&host, "#script-example-seckill").await;
        let keys: HtmlInputElement = find(&host, "#script-keys").unchecked_into();
        assert_eq!(keys.value(), "seckill:{p1}:stock seckill:{p1}:users");
        assert_eq!(text(&host, ".numkeys"), "numkeys = 2");
        keys.set_value("a \"b c\" d");
        keys.dispatch_event(&bubbling("input")).expect("input");
        yew::scheduler::flush().await;
        assert_eq!(text(&host, ".numkeys"), "numkeys = 3");
        keys.set_value("\"open");
        keys.dispatch_event(&bubbling("input")).expect("input");
        yew::scheduler::flush().await;
        assert!(find(&host, "#run-script").has_attribute("disabled"));
        assert!(text(&host, ".run-preview").starts_with("KEYS: unbalanced quotes"));
    }

    #[wasm_bindgen_test]
    async fn tab_indents_in_the_editor() {
        let host = mount().await;
        let area: web_sys::HtmlTextAreaElement = find(&host, "#script-editor").unchecked_into();
        area.set_value("x");
        area.dispatch_event(&bubbling("input")).expect("input");
        yew::scheduler::flush().await;
        area.focus().expect("focus");
        area.set_selection_range(0, 0).expect("caret");
        let init = KeyboardEventInit::new();
        init.set_key("Tab");
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("keydown");
        area.dispatch_event(&event).expect("dispatch");
        yew::scheduler::flush().await;
        assert!(event.default_prevented());
        assert_eq!(area.value(), "  x");
        // The coloured layer follows.
        assert_eq!(text(&host, ".lua-line"), "  x");
    }

    #[wasm_bindgen_test]
    async fn a_script_typed_in_the_console_shows_in_the_panel_and_opens_in_the_editor() {
        let host = mount().await;
        run(
            &host,
            "EVAL \"return redis.call('GET', KEYS[1])\" 1 bar \"x y\"",
        )
        .await;
        assert!(text(&host, ".script-summary").contains("1 redis.call, all allowed"));
        assert!(text(&host, ".script-elsewhere").contains("typed in the console"));
        click(&host, ".open-in-editor").await;
        let area: web_sys::HtmlTextAreaElement = find(&host, "#script-editor").unchecked_into();
        assert_eq!(area.value(), "return redis.call('GET', KEYS[1])");
        let keys: HtmlInputElement = find(&host, "#script-keys").unchecked_into();
        assert_eq!(keys.value(), "bar");
        let args: HtmlInputElement = find(&host, "#script-argv").unchecked_into();
        assert_eq!(args.value(), "\"x y\"");
        assert!(host
            .query_selector(".script-elsewhere")
            .expect("selector")
            .is_none());
    }

    #[wasm_bindgen_test]
    fn a_script_run_inside_multi_is_queued_and_traced_at_exec() {
        let s = submit(Rc::new(AppState::default()), "MULTI", 1);
        let s = run_script(s, "shebang", RunMode::Eval);
        assert_eq!(last_output(&s), [(OutputKind::Reply, "QUEUED".into())]);
        let t = trace(&s);
        assert!(matches!(
            t.attempts.as_slice(),
            [Attempt::Queued { port: 7000 }]
        ));
        assert!(slotlab::ui::script::summary(Lang::En, t).starts_with("Queued on 127.0.0.1:7000"));
        let s = submit(s, "EXEC", 2);
        let t = trace(&s);
        assert_eq!(t.ran_on, Some(7000));
        assert_eq!(t.calls.len(), 2);
        assert_eq!(
            t.first_rejected().and_then(|c| c.rejected),
            Some(ScriptRule::CrossSlotAcrossCalls)
        );
    }
}

// ---------- lessons and languages ----------

mod lessons_ui {
    use super::*;
    use slotlab::i18n::Lang;
    use slotlab::lessons;
    use slotlab::ui::lesson_run::Check;

    fn lesson_index(id: &str) -> usize {
        lessons::all()
            .iter()
            .position(|l| l.id == id)
            .unwrap_or_else(|| panic!("no lesson {id}"))
    }

    fn open(id: &str) -> Rc<AppState> {
        Rc::new(AppState::default()).reduce(Action::OpenLesson {
            lesson: lesson_index(id),
            now_ms: 0,
        })
    }

    fn type_line(state: Rc<AppState>, client: usize, line: &str) -> Rc<AppState> {
        state
            .reduce(Action::Edit {
                client,
                text: line.into(),
            })
            .reduce(Action::Submit { client, now_ms: 0 })
    }

    fn next(state: Rc<AppState>) -> Rc<AppState> {
        state.reduce(Action::LessonNext { now_ms: 0 })
    }

    fn lines_of(state: &AppState, client: usize) -> Vec<String> {
        state
            .client(client)
            .expect("client")
            .transcript
            .iter()
            .filter_map(|e| match &e.kind {
                EntryKind::Command { line, .. } => Some(line.clone()),
                EntryKind::Note(_) => None,
            })
            .collect()
    }

    fn run_of(state: &AppState) -> &slotlab::ui::lesson_run::LessonRun {
        state.lesson.as_deref().expect("a lesson runs")
    }

    #[wasm_bindgen_test]
    fn opening_a_lesson_sets_up_its_clients_and_data() {
        let s = open("watch");
        assert_eq!(s.clients.len(), 2);
        assert_eq!(s.prompt(0), "127.0.0.1:7002> ");
        assert_eq!(s.prompt(1), "127.0.0.1:7002> ");
        assert_eq!(s.kind(1), Some(ClientKind::Plain));
        // The setup ran silently: no command in any console, but the data is there.
        assert!(lines_of(&s, 0).is_empty());
        let s = type_line(s, 1, "GET product:{p1}:stock");
        assert_eq!(
            s.client(1)
                .and_then(|c| c.transcript.last())
                .map(|e| e.kind.clone()),
            Some(EntryKind::Command {
                prompt: "127.0.0.1:7002> ".into(),
                line: "GET product:{p1}:stock".into(),
                output: vec![slotlab::ui::state::Output {
                    kind: OutputKind::Reply,
                    text: "\"10\"".into()
                }],
            })
        );
    }

    #[wasm_bindgen_test]
    fn a_step_is_done_when_the_learner_runs_its_command() {
        let s = open("hash-slots");
        assert_eq!(run_of(&s).step, 0);
        let s = next(s);
        assert_eq!(run_of(&s).step, 1);
        // Another line does not count, in any case.
        let s = type_line(s, 0, "CLUSTER KEYSLOT foo");
        assert_eq!(run_of(&s).checks[1], Check::Pending);
        // Next before trying: "try it first", and the step stays.
        let s = next(s);
        assert!(run_of(&s).nudge);
        assert_eq!(run_of(&s).step, 1);
        let s = type_line(s, 0, "cluster keyslot hoge");
        assert_eq!(run_of(&s).checks[1], Check::Done);
        assert!(!run_of(&s).nudge);
        let s = next(s);
        assert_eq!(run_of(&s).step, 2);
        let s = type_line(s, 0, "set hoge fuga");
        assert_eq!(run_of(&s).checks[2], Check::Done);
        assert_eq!(
            last_output(&s),
            [
                (
                    OutputKind::Redirect,
                    "-> Redirected to slot [1525] located at 127.0.0.1:7000".to_string()
                ),
                (OutputKind::Reply, "OK".to_string()),
            ]
        );
        // Back shows the step again without re-running anything.
        let before = lines_of(&s, 0);
        let back = s.reduce(Action::LessonBack);
        assert_eq!(run_of(&back).step, 1);
        assert_eq!(run_of(&back).reached, 2);
        let s = next(back);
        assert_eq!(run_of(&s).step, 2);
        assert_eq!(lines_of(&s, 0), before);
    }

    #[wasm_bindgen_test]
    fn a_different_answer_is_reported_not_celebrated() {
        let s = next(open("hash-slots"));
        let s = next(type_line(s, 0, "CLUSTER KEYSLOT hoge"));
        // The learner deletes hoge before the step's `get hoge`: the reply
        // differs from the lesson's, and the runner says so.
        let s = type_line(s, 0, "set hoge fuga");
        let s = next(s);
        let s = type_line(s, 0, "DEL hoge");
        let s = type_line(s, 0, "get hoge");
        match &run_of(&s).checks[3] {
            Check::Different { got } => assert_eq!(got, "(nil)"),
            other => panic!("expected a different answer, got {other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn run_it_for_me_and_type_it_for_me() {
        let s = next(open("hash-slots"));
        let s = s.reduce(Action::LessonTypeForMe);
        assert_eq!(
            s.client(0).map(|c| c.input.as_str()),
            Some("CLUSTER KEYSLOT hoge")
        );
        let s = s.reduce(Action::LessonRunForMe { now_ms: 0 });
        assert_eq!(run_of(&s).checks[1], Check::Done);
        assert_eq!(
            last_output(&s),
            [(OutputKind::Reply, "(integer) 1525".to_string())]
        );
        // What the learner was typing is kept.
        assert_eq!(
            s.client(0).map(|c| c.input.as_str()),
            Some("CLUSTER KEYSLOT hoge")
        );
    }

    #[wasm_bindgen_test]
    fn steps_run_their_commands_and_sessions_restart_clients() {
        let mut s = open("transactions");
        for step in 0..9 {
            s = s.reduce(Action::LessonRunForMe { now_ms: 0 });
            assert!(!run_of(&s).pending(), "step {}", step + 1);
            s = next(s);
        }
        // Step 10 switched client A to redis-cli -c on 7000 and ran MULTI.
        assert_eq!(run_of(&s).step, 9);
        assert_eq!(s.kind(0), Some(ClientKind::Redirecting));
        assert_eq!(s.prompt(0), "127.0.0.1:7000(TX)> ");
        let s = s.reduce(Action::LessonRunForMe { now_ms: 0 });
        assert_eq!(
            last_output(&s),
            [
                (
                    OutputKind::Redirect,
                    "-> Redirected to slot [13438] located at 127.0.0.1:7002".to_string()
                ),
                (OutputKind::Reply, "(integer) 8".to_string()),
            ]
        );
        let s = next(s).reduce(Action::LessonRunForMe { now_ms: 0 });
        assert_eq!(
            last_output(&s),
            [(
                OutputKind::Error,
                "(error) ERR EXEC without MULTI".to_string()
            )]
        );
        let s = next(s);
        assert!(run_of(&s).finished);
        // Leaving keeps the cluster and the consoles.
        let world = s.world.clone();
        let left = s.reduce(Action::LeaveLesson);
        assert!(left.lesson.is_none());
        assert_eq!(left.world, world);
    }

    #[wasm_bindgen_test]
    fn every_available_lesson_runs_to_the_end_with_the_recorded_replies() {
        // "Run it for me" on every step of every lesson the engine can run:
        // each typed command prints what the lesson expects.
        for (index, lesson) in lessons::all().iter().enumerate() {
            if !lesson.available() {
                continue;
            }
            let mut s = Rc::new(AppState::default()).reduce(Action::OpenLesson {
                lesson: index,
                now_ms: 0,
            });
            for step in 0..lesson.steps.len() {
                if lesson.steps[step].typed.is_some() {
                    s = s.reduce(Action::LessonRunForMe { now_ms: 0 });
                    assert_eq!(
                        run_of(&s).checks[step],
                        Check::Done,
                        "lesson {} step {}",
                        lesson.id,
                        step + 1
                    );
                }
                s = next(s);
            }
            assert!(run_of(&s).finished, "lesson {}", lesson.id);
        }
    }

    #[wasm_bindgen_test]
    fn restarting_a_lesson_starts_over_on_a_fresh_cluster() {
        let s = next(open("hash-slots")).reduce(Action::LessonRunForMe { now_ms: 0 });
        let s = next(s).reduce(Action::LessonRunForMe { now_ms: 0 });
        assert_eq!(run_of(&s).reached, 2);
        let s = s.reduce(Action::OpenLesson {
            lesson: lesson_index("hash-slots"),
            now_ms: 0,
        });
        assert_eq!(run_of(&s).step, 0);
        assert_eq!(run_of(&s).reached, 0);
        assert!(run_of(&s).checks.iter().all(|c| *c == Check::Pending));
        assert!(lines_of(&s, 0).is_empty());
        assert_eq!(s.prompt(0), "127.0.0.1:7001> ");
        // hoge is gone with the old cluster.
        let s = type_line(s, 0, "GET hoge");
        assert_eq!(
            last_output(&s),
            [
                (
                    OutputKind::Redirect,
                    "-> Redirected to slot [1525] located at 127.0.0.1:7000".to_string()
                ),
                (OutputKind::Reply, "(nil)".to_string()),
            ]
        );
    }

    #[wasm_bindgen_test]
    fn the_language_changes_and_reset_keeps_it() {
        install_languages();
        let s = Rc::new(AppState::new_in(Lang::Ja));
        assert_eq!(s.lang, Lang::Ja);
        let s = s.reduce(Action::SetLang(Lang::Zh));
        assert_eq!(s.lang, Lang::Zh);
        let same = s.clone().reduce(Action::SetLang(Lang::Zh));
        assert!(Rc::ptr_eq(&s, &same));
        let s = s.reduce(Action::Reset);
        assert_eq!(s.lang, Lang::Zh);
    }

    #[wasm_bindgen_test]
    async fn the_picker_opens_a_lesson_and_the_panel_follows_it() {
        let host = mount().await;
        assert!(host
            .query_selector("#lesson-picker")
            .ok()
            .flatten()
            .is_none());
        click(&host, "#lessons-button").await;
        let items = texts(&host, ".picker-item .picker-name");
        assert_eq!(items.len(), lessons::all().len() + 1);
        assert_eq!(items[0], "Hash slots and MOVED");
        assert_eq!(items.last().map(String::as_str), Some("Free sandbox"));
        click(&host, "#lesson-open-transactions").await;
        assert!(host
            .query_selector("#lesson-picker")
            .ok()
            .flatten()
            .is_none());
        assert_eq!(text(&host, "#lesson-title"), "Transactions: MULTI / EXEC");
        assert_eq!(text(&host, ".lesson-progress"), "Step 1 of 11");
        assert_eq!(text(&host, ".lesson-line"), "MULTI");
        assert_eq!(
            find(&host, ".app").get_attribute("data-look").as_deref(),
            Some("tx")
        );
        let lines = run(&host, "MULTI").await;
        assert_eq!(lines, ["127.0.0.1:7002> MULTI", "OK"]);
        assert!(text(&host, ".lesson-status.ok").contains("real Redis 7.0.15"));
        click(&host, ".lesson-next").await;
        assert_eq!(text(&host, ".lesson-progress"), "Step 2 of 11");
        click(&host, ".lesson-next").await;
        assert!(text(&host, ".lesson-status.nudge").contains("Try it first"));
        click(&host, ".lesson-run-for-me").await;
        assert!(text(&host, "#client-a .transcript").contains("DECRBY order:1001:stock 1"));
        click(&host, ".lesson-leave").await;
        assert!(host
            .query_selector("#lesson-panel")
            .ok()
            .flatten()
            .is_none());
        assert_eq!(find(&host, ".app").get_attribute("data-look"), None);
    }

    #[wasm_bindgen_test]
    async fn the_language_switch_translates_the_chrome_and_the_lesson() {
        install_languages();
        let host = mount().await;
        click(&host, "#lessons-button").await;
        click(&host, "#lesson-open-hash-slots").await;
        select(&host, "#lang-switch", "zh").await;
        assert_eq!(text(&host, "#cluster-map-title"), "集群地图");
        assert_eq!(text(&host, "#lesson-title"), "哈希槽与 MOVED");
        assert_eq!(text(&host, ".lesson-next"), "下一步");
        assert_eq!(text(&host, "#lessons-button"), "课程");
        select(&host, "#lang-switch", "ja").await;
        assert_eq!(text(&host, "#route-trace-title"), "ルートトレース");
        assert!(text(&host, ".lesson-text").contains("ハッシュスロット"));
        select(&host, "#lang-switch", "en").await;
        assert_eq!(text(&host, "#tx-panel-title"), "Transactions");
    }
}

// ---------- the timeline, share links and saved sessions ----------

mod timeline {
    use std::fmt::Write;
    use std::rc::Rc;

    use slotlab::engine::keyspace::Entry;
    use slotlab::engine::value::Value;
    use slotlab::i18n::Lang;
    use slotlab::share::{self, Link, ShareError, Source};
    use slotlab::ui::sample::Sample;
    use slotlab::ui::session::{Notice, Settings, Step, StepOp, Theme, View};
    use slotlab::ui::state::{Action, AppState};
    use slotlab::ui::world::ClientKind;
    use wasm_bindgen_test::wasm_bindgen_test;
    use yew::Reducible;

    fn line(state: Rc<AppState>, client: usize, text: &str, now_ms: u64) -> Rc<AppState> {
        state
            .reduce(Action::Edit {
                client,
                text: text.into(),
            })
            .reduce(Action::Submit { client, now_ms })
    }

    /// Everything the views draw, as text: consoles (entries with their
    /// ids), prompts and kinds, transactions, WATCH touches, the last
    /// line with its engine events, connection owners, and every key.
    fn fingerprint(s: &AppState) -> String {
        let mut out = String::new();
        for (i, c) in s.clients.iter().enumerate() {
            let _ = writeln!(out, "client {} {:?} {:?}", c.letter, s.kind(i), s.prompt(i));
            for entry in c.transcript.iter() {
                let _ = writeln!(out, "  {entry:?}");
            }
            let _ = writeln!(out, "  history {:?}", c.history);
            let _ = writeln!(out, "  tx {:?}", c.tx);
            let _ = writeln!(out, "  touches {:?}", c.touches);
        }
        let _ = writeln!(out, "last {:?}", s.last);
        let _ = writeln!(out, "owners {:?}", s.owners);
        let _ = writeln!(out, "lesson {:?}", s.lesson);
        let _ = writeln!(out, "emulated {:?}", s.emulated);
        let _ = writeln!(out, "script {:?}", s.script);
        let world = s.world.borrow();
        let cluster = &world.cluster;
        for m in cluster.topology.masters() {
            let ks = cluster.keyspace_of(m);
            // A sorted set's score map is a HashMap: its Debug order varies.
            let value = |k: &[u8]| match ks.get(k) {
                Some(Entry {
                    value: Value::ZSet(z),
                    expires_at,
                    ..
                }) => format!("zset {:?} expires {expires_at:?}", z.by_score),
                other => format!("{other:?}"),
            };
            let mut keys: Vec<String> = ks
                .keys()
                .map(|k| format!("{:?}={}", String::from_utf8_lossy(k), value(k)))
                .collect();
            keys.sort();
            let _ = writeln!(out, "shard {m}: {keys:?}");
        }
        out
    }

    /// A session with most kinds of steps: two clients, a WATCH race,
    /// a key expiring between two lines, a kind change, a sample load,
    /// a cross-slot error and a closed client.
    fn busy_session() -> (Rc<AppState>, Vec<String>) {
        let mut prints = Vec::new();
        let mut s = Rc::new(AppState::default());
        prints.push(fingerprint(&s));
        let step = |s: Rc<AppState>, prints: &mut Vec<String>| {
            prints.push(fingerprint(&s));
            s
        };
        s = step(line(s, 0, "SET foo 1", 1_000), &mut prints);
        s = step(line(s, 0, "SET tmp x PX 100", 1_010), &mut prints);
        s = step(s.reduce(Action::AddClient), &mut prints);
        s = step(line(s, 0, "WATCH foo", 1_020), &mut prints);
        s = step(line(s, 0, "MULTI", 1_030), &mut prints);
        s = step(line(s, 0, "INCR foo", 1_040), &mut prints);
        s = step(line(s, 1, "SET foo 9", 1_050), &mut prints);
        s = step(line(s, 0, "EXEC", 1_060), &mut prints);
        s = step(line(s, 1, "GET tmp", 1_070), &mut prints);
        s = step(line(s, 1, "GET tmp", 1_200), &mut prints);
        s = step(
            s.reduce(Action::SetKind {
                client: 1,
                kind: ClientKind::ClusterAware,
            }),
            &mut prints,
        );
        s = step(line(s, 1, "MGET foo user:1", 1_300), &mut prints);
        let mut loading = s.reduce(Action::LoadSample(Sample::Few));
        while loading.loading.is_some() {
            loading = loading.reduce(Action::LoadChunk { now_ms: 1_400 });
        }
        s = step(loading, &mut prints);
        s = step(line(s, 0, "MSET user:1 a user:2 b", 1_500), &mut prints);
        s = step(line(s, 0, "3 INCR counter", 1_600), &mut prints);
        s = step(s.reduce(Action::RemoveClient(0)), &mut prints);
        s = step(line(s, 0, "TTL session:abc", 1_700), &mut prints);
        (s, prints)
    }

    #[wasm_bindgen_test]
    fn every_step_is_recorded_with_its_client_and_time() {
        let (s, prints) = busy_session();
        let (cursor, len) = s.timeline.position();
        assert_eq!((cursor, len), (17, 17));
        assert_eq!(prints.len(), 18);
        assert_eq!(
            s.timeline.step(0),
            Some(Step {
                now_ms: 1_000,
                op: StepOp::Line {
                    client: 0,
                    line: "SET foo 1".into()
                }
            })
        );
        assert_eq!(
            s.timeline.step(6),
            Some(Step {
                now_ms: 1_050,
                op: StepOp::Line {
                    client: 1,
                    line: "SET foo 9".into()
                }
            })
        );
        assert_eq!(
            s.timeline.step(12).map(|s| s.op),
            Some(StepOp::Sample {
                client: 1,
                sample: Sample::Few
            })
        );
        assert_eq!(
            s.timeline.step(15).map(|s| s.op),
            Some(StepOp::RemoveClient { client: 0 })
        );
        // Typing, history and focus are not steps.
        let s = s
            .reduce(Action::Edit {
                client: 0,
                text: "GET".into(),
            })
            .reduce(Action::HistoryPrev(0));
        assert_eq!(s.timeline.position(), (17, 17));
    }

    #[wasm_bindgen_test]
    fn every_step_shows_exactly_what_was_seen_live() {
        let (mut s, prints) = busy_session();
        // Backwards, forwards, and jumping about.
        let order: Vec<usize> = (0..=17)
            .rev()
            .chain(0..=17)
            .chain([3, 15, 0, 9, 17, 12, 13, 2])
            .collect();
        for target in order {
            s = s.reduce(Action::Seek(target));
            assert_eq!(s.timeline.position(), (target, 17));
            assert_eq!(fingerprint(&s), prints[target], "step {target}");
        }
    }

    #[wasm_bindgen_test]
    fn a_share_link_reopens_the_same_session() {
        let (s, prints) = busy_session();
        let s = s.reduce(Action::Seek(9));
        let doc = s.to_doc();
        assert_eq!(doc.step, Some(9));
        let encoded = share::encode(&doc);
        let link = share::parse_link("", &format!("s={encoded}"));
        let opened = AppState::open(link, None, 99_999, Lang::En);
        assert_eq!(opened.timeline.position(), (9, 17));
        assert_eq!(fingerprint(&opened), prints[9]);
        assert!(opened.notice.is_none());
        // And every other step of it too.
        let opened = Rc::new(opened).reduce(Action::Seek(17));
        assert_eq!(fingerprint(&opened), prints[17]);
        assert_eq!(opened.to_doc().steps, doc.steps);
    }

    #[wasm_bindgen_test]
    fn lessons_the_script_panel_and_the_emulated_version_are_steps_too() {
        use slotlab::lessons;
        use slotlab::ui::script::{Emulated, RunMode, ScriptRequest};
        let tx = lessons::all()
            .iter()
            .position(|l| l.id == "transactions")
            .expect("the transactions lesson");
        let mut prints = Vec::new();
        let mut s = Rc::new(AppState::default());
        prints.push(fingerprint(&s));
        let mut step = |s: Rc<AppState>| {
            prints.push(fingerprint(&s));
            s
        };
        s = step(line(s, 0, "SET before 1", 100));
        s = step(s.reduce(Action::OpenLesson {
            lesson: tx,
            now_ms: 200,
        }));
        s = step(s.reduce(Action::LessonRunForMe { now_ms: 300 }));
        s = step(s.reduce(Action::LessonNext { now_ms: 400 }));
        s = step(s.reduce(Action::SetEmulated(Emulated::Valkey8)));
        s = step(s.reduce(Action::RunScript {
            client: 0,
            request: ScriptRequest {
                body: "return redis.call('SET', KEYS[1], ARGV[1])".into(),
                keys: "{order}:1".into(),
                args: "paid".into(),
                mode: RunMode::Eval,
            },
            now_ms: 500,
        }));
        s = step(s.reduce(Action::RunScript {
            client: 0,
            request: ScriptRequest {
                body: "return redis.call('GET', KEYS[1])".into(),
                keys: "{order}:1".into(),
                args: String::new(),
                mode: RunMode::Function,
            },
            now_ms: 600,
        }));
        s = step(s.reduce(Action::LeaveLesson));
        s = step(line(s, 0, "GET {order}:1", 700));
        let n = prints.len() - 1;
        assert_eq!(s.timeline.position(), (n, n));
        assert!(s.lesson.is_none());
        assert_eq!(s.emulated, Emulated::Valkey8);
        // Every step shows what was seen live.
        for target in (0..=n).rev().chain(0..=n) {
            s = s.reduce(Action::Seek(target));
            assert_eq!(fingerprint(&s), prints[target], "step {target}");
        }
        // And a share link brings all of it back.
        let s = s.reduce(Action::Seek(4));
        let doc = s.to_doc();
        assert_eq!(doc.lesson.as_deref(), Some("transactions"));
        let link = share::parse_link("", &format!("s={}", share::encode(&doc)));
        let opened = Rc::new(AppState::open(link, None, 0, Lang::En));
        assert_eq!(fingerprint(&opened), prints[4]);
        let opened = opened.reduce(Action::Seek(n));
        assert_eq!(fingerprint(&opened), prints[n]);
    }

    #[wasm_bindgen_test]
    fn a_hand_written_session_may_name_a_lesson() {
        let doc = r#"{"v":1,"lesson":"hash-slots"}"#;
        let packed = share::encode(&share::parse_json(doc.as_bytes()).expect("a session"));
        let s = AppState::open(
            share::parse_link("", &format!("s={packed}")),
            None,
            0,
            Lang::En,
        );
        let run = s.lesson.as_ref().expect("the lesson is open");
        assert_eq!(slotlab::lessons::all()[run.lesson].id, "hash-slots");
        assert_eq!(s.timeline.position(), (1, 1));
        // So may a plain ?lesson= link; it starts now.
        let s = AppState::open(
            share::parse_link("lesson=transactions", ""),
            None,
            77,
            Lang::En,
        );
        assert!(s.lesson.is_some());
        assert_eq!(s.timeline.step(0).map(|st| st.now_ms), Some(77));
        let s = AppState::open(share::parse_link("lesson=nope", ""), None, 77, Lang::En);
        assert!(matches!(s.notice.as_deref(), Some(Notice::BrokenLink(_))));
        assert!(s.lesson.is_none());
    }

    #[wasm_bindgen_test]
    fn running_a_line_in_the_past_forks() {
        let (s, prints) = busy_session();
        let s = s.reduce(Action::Seek(2));
        assert!(!s.timeline.at_head());
        // Typing does not fork.
        let s = s.reduce(Action::Edit {
            client: 0,
            text: "GET foo".into(),
        });
        assert_eq!(s.timeline.position(), (2, 17));
        let s = s.reduce(Action::Submit {
            client: 0,
            now_ms: 5_000,
        });
        assert_eq!(s.timeline.position(), (3, 3));
        assert_eq!(
            s.notice.as_deref(),
            Some(&Notice::Forked { at: 2, dropped: 15 })
        );
        assert_eq!(s.clients.len(), 1);
        // The earlier steps are intact.
        let back = s.clone().reduce(Action::Seek(2));
        assert_eq!(fingerprint(&back), prints[2]);
        let back = back.reduce(Action::Seek(3));
        assert_eq!(fingerprint(&back), fingerprint(&s));
    }

    #[wasm_bindgen_test]
    fn fork_from_here_keeps_the_shown_step() {
        let (s, prints) = busy_session();
        let s = s.reduce(Action::Seek(5));
        let forked = s.clone().reduce(Action::Fork);
        assert_eq!(forked.timeline.position(), (5, 5));
        assert_eq!(fingerprint(&forked), prints[5]);
        // At the head there is nothing to fork.
        assert!(Rc::ptr_eq(&forked, &forked.clone().reduce(Action::Fork)));
        // A client change in the past forks too.
        let s = s.reduce(Action::Seek(1)).reduce(Action::AddClient);
        assert_eq!(s.timeline.position(), (2, 2));
    }

    #[wasm_bindgen_test]
    fn seeking_where_we_are_changes_nothing() {
        let (s, _) = busy_session();
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Seek(17))));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Seek(1_000))));
        let s = s.reduce(Action::Seek(4));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Seek(4))));
        // A blank Enter in the past neither runs nor forks.
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::Submit {
                client: 0,
                now_ms: 0
            })
        ));
    }

    #[wasm_bindgen_test]
    fn what_is_typed_survives_a_seek() {
        let (s, _) = busy_session();
        let s = s.reduce(Action::Edit {
            client: 0,
            text: "GET half-typed".into(),
        });
        let s = s.reduce(Action::Seek(3)).reduce(Action::Seek(17));
        assert_eq!(
            s.client(0).map(|c| c.input.as_str()),
            Some("GET half-typed")
        );
    }

    #[wasm_bindgen_test]
    fn a_sample_load_in_progress_is_finished_before_anything_else() {
        let s = Rc::new(AppState::default()).reduce(Action::LoadSample(Sample::Few));
        assert_eq!(s.timeline.position(), (0, 0));
        let s = line(s, 0, "DBSIZE", 2_000);
        assert!(s.loading.is_none());
        assert_eq!(s.timeline.position(), (2, 2));
        let steps: Vec<StepOp> = s.timeline.steps().into_iter().map(|s| s.op).collect();
        assert!(matches!(
            steps[0],
            StepOp::Sample {
                sample: Sample::Few,
                ..
            }
        ));
        // Replaying gives the same.
        let live = fingerprint(&s);
        let s = s.reduce(Action::Seek(0)).reduce(Action::Seek(2));
        assert_eq!(fingerprint(&s), live);
    }

    #[wasm_bindgen_test]
    fn cmds_with_autorun_run_at_once() {
        let link = share::parse_link(
            "cmds=SET+foo+bar%0AGET+foo&autorun=1&view=trace&theme=dark",
            "",
        );
        let s = AppState::open(link, None, 5_000, Lang::En);
        assert_eq!(s.timeline.position(), (2, 2));
        assert_eq!(s.notice.as_deref(), Some(&Notice::RanLink(2)));
        assert_eq!(s.settings.view, View::Trace);
        assert_eq!(s.settings.theme, Theme::Dark);
        assert_eq!(s.prompt(0), "127.0.0.1:7002> ");
        let doc = s.to_doc();
        assert_eq!(doc.view.as_deref(), Some("trace"));
        assert_eq!(doc.t0, 5_000);
    }

    #[wasm_bindgen_test]
    fn cmds_without_autorun_wait_in_the_prompt() {
        let link = share::parse_link("cmds=SET+foo+bar%0AGET+foo", "");
        let s = Rc::new(AppState::open(link, None, 5_000, Lang::En));
        assert_eq!(s.timeline.position(), (0, 0));
        assert_eq!(s.client(0).map(|c| c.input.as_str()), Some("SET foo bar"));
        assert_eq!(s.notice.as_deref(), Some(&Notice::PendingLink(2)));
        let s = s.reduce(Action::Submit {
            client: 0,
            now_ms: 6_000,
        });
        assert_eq!(s.client(0).map(|c| c.input.as_str()), Some("GET foo"));
        // The queue is part of the session.
        assert_eq!(s.to_doc().pending, vec!["GET foo".to_string()]);
        let s = s.reduce(Action::Submit {
            client: 0,
            now_ms: 6_100,
        });
        assert_eq!(s.client(0).map(|c| c.input.as_str()), Some(""));
        assert_eq!(s.timeline.position(), (2, 2));
        assert!(s.pending.is_empty());
    }

    #[wasm_bindgen_test]
    fn broken_links_give_an_empty_sandbox_and_say_why() {
        for (query, fragment, want) in [
            ("", "s=v1.garbage", ShareError::Damaged),
            ("", "s=v2.AAAA", ShareError::Version("v2".into())),
            ("commands=!!!", "", ShareError::Damaged),
        ] {
            let s = AppState::open(share::parse_link(query, fragment), None, 0, Lang::En);
            assert_eq!(s.notice.as_deref(), Some(&Notice::BrokenLink(want)));
            assert_eq!(s.timeline.position(), (0, 0));
            assert_eq!(s.clients.len(), 1);
            assert!(s.to_doc().is_empty());
        }
        let many = vec!["PING"; 6_000].join("%0A");
        let s = AppState::open(
            share::parse_link(&format!("cmds={many}&autorun=1"), ""),
            None,
            0,
            Lang::En,
        );
        assert_eq!(
            s.notice.as_deref(),
            Some(&Notice::BrokenLink(ShareError::TooManySteps {
                steps: 6_000
            }))
        );
        assert!(s.to_doc().is_empty());
    }

    #[wasm_bindgen_test]
    fn a_saved_session_is_restored_but_never_inside_an_embed() {
        let (s, prints) = busy_session();
        let saved = share::encode(&s.to_doc());
        let nothing = || Link {
            source: Source::Nothing,
            embed: false,
            view: None,
            theme: None,
            engine: None,
            lang: None,
        };
        let restored = AppState::open(nothing(), Some(&saved), 0, Lang::En);
        assert_eq!(fingerprint(&restored), prints[17]);
        let embedded = AppState::open(
            Link {
                embed: true,
                ..nothing()
            },
            Some(&saved),
            0,
            Lang::En,
        );
        assert_eq!(embedded.timeline.position(), (0, 0));
        assert!(embedded.settings.embed);
        let broken = AppState::open(nothing(), Some("v1.xyz"), 0, Lang::En);
        assert_eq!(
            broken.notice.as_deref(),
            Some(&Notice::BrokenSaved(ShareError::Damaged))
        );
    }

    #[wasm_bindgen_test]
    fn reset_forgets_the_session_but_keeps_the_page_settings() {
        let link = share::parse_link("cmds=PING&autorun=1&embed=1&theme=dark", "");
        let s = Rc::new(AppState::open(link, None, 0, Lang::En));
        let s = s.reduce(Action::Reset);
        assert!(s.to_doc().is_empty());
        assert!(s.settings.embed);
        assert_eq!(s.settings.theme, Theme::Dark);
        assert_eq!(s.timeline.position(), (0, 0));
    }

    #[wasm_bindgen_test]
    fn a_link_picks_the_emulated_version() {
        use slotlab::engine::script::EmulatedVersion;
        use slotlab::ui::script::Emulated;
        let link = share::parse_link("cmds=PING&autorun=1&engine=redis-7.4", "");
        let s = AppState::open(link, None, 0, Lang::En);
        assert_eq!(s.settings.engine, Emulated::Redis74);
        assert_eq!(s.emulated, Emulated::Redis74);
        assert_eq!(
            s.world.borrow().cluster.scripting.version,
            EmulatedVersion::Redis74
        );
        let doc = s.to_doc();
        assert_eq!(doc.engine.as_deref(), Some("redis-7.4"));
        // It survives a share link and Reset.
        let link = share::parse_link("", &format!("s={}", share::encode(&doc)));
        let s = Rc::new(AppState::open(link, None, 0, Lang::En)).reduce(Action::Reset);
        assert_eq!(
            s.world.borrow().cluster.scripting.version,
            EmulatedVersion::Redis74
        );
        let plain = AppState::open(share::parse_link("", ""), None, 0, Lang::En);
        assert_eq!(plain.to_doc().engine, None);
    }

    #[wasm_bindgen_test]
    fn sample_names_match_the_link_format() {
        for sample in Sample::ALL {
            let name = slotlab::ui::session::sample_value(sample);
            assert_eq!(share::sample_work(name), Some(sample.total() as u64));
        }
        for kind in ClientKind::ALL {
            assert!(share::KINDS.contains(&kind.value()));
        }
        assert_eq!(
            Settings::default().clients,
            vec![(ClientKind::Redirecting, 7000)]
        );
    }
}

// ---------- operations: stopping nodes, the failure clock, resharding ----------

mod operations {
    use std::rc::Rc;

    use slotlab::engine::topology::Role;
    use slotlab::i18n::Lang;
    use slotlab::share;
    use slotlab::ui::ops::{node_health, NodeHealth, OpsKind};
    use slotlab::ui::session::StepOp;
    use slotlab::ui::state::{Action, AppState, EntryKind, OutputKind};
    use slotlab::ui::world::ClientKind;
    use wasm_bindgen_test::wasm_bindgen_test;
    use yew::Reducible;

    use super::{click, find, mount, run_in, text, texts, type_in};

    const T: u64 = 1_000_000;

    fn line(s: Rc<AppState>, client: usize, line: &str, now_ms: u64) -> Rc<AppState> {
        s.reduce(Action::Edit {
            client,
            text: line.into(),
        })
        .reduce(Action::Submit { client, now_ms })
    }

    fn last_output(s: &AppState, client: usize) -> Vec<(OutputKind, String)> {
        match s
            .client(client)
            .and_then(|c| c.transcript.last())
            .map(|e| &e.kind)
        {
            Some(EntryKind::Command { output, .. }) => {
                output.iter().map(|o| (o.kind, o.text.clone())).collect()
            }
            other => panic!("last entry is not a command: {other:?}"),
        }
    }

    fn role(s: &AppState, port: u16) -> Role {
        let world = s.world.borrow();
        let t = &world.cluster.topology;
        t.nodes[t.by_port(port).expect("node")].role
    }

    fn due(s: &AppState) -> Option<u64> {
        s.world.borrow().cluster.next_transition_at()
    }

    /// Lets the failure detector run to its end, as the page's timer does.
    fn run_clock(mut s: Rc<AppState>) -> Rc<AppState> {
        while let Some(at) = due(&s) {
            s = s.reduce(Action::Tick { at, now_ms: at });
        }
        s
    }

    #[wasm_bindgen_test]
    fn stopping_a_master_fails_over_on_the_simulated_clock() {
        let s = Rc::new(AppState::default());
        // bar is in slot 5061 (7000's shard), foo in 12182 (7002's).
        let s = line(s, 0, "SET bar 1", T);
        // Client A: plain redis-cli on 7000; client B: plain redis-cli on 7003.
        let s = s.reduce(Action::SetKind {
            client: 0,
            kind: ClientKind::Plain,
        });
        let s = s.reduce(Action::AddClient);
        let s = s.reduce(Action::SetKind {
            client: 1,
            kind: ClientKind::Plain,
        });
        let s = s.reduce(Action::Connect {
            client: 1,
            port: 7003,
        });
        let s = line(s, 1, "PING", T + 10);
        let s = line(s, 0, "PING", T + 20);
        let s = s.reduce(Action::NodeOp {
            port: 7000,
            start: false,
            now_ms: T + 100,
        });
        // Stopping it again is not a step.
        let same = s.clone().reduce(Action::NodeOp {
            port: 7000,
            start: false,
            now_ms: T + 200,
        });
        assert!(Rc::ptr_eq(&s, &same));
        assert_eq!(
            node_health(&s.world.borrow().cluster, 7000),
            NodeHealth::Stopped { since: T + 100 }
        );
        // cluster-node-timeout 5000: nothing changes before it.
        assert_eq!(due(&s), Some(T + 5100));
        let early = s.clone().reduce(Action::Tick {
            at: T + 5000,
            now_ms: T + 5000,
        });
        assert!(Rc::ptr_eq(&s, &early));
        let s = s.reduce(Action::Tick {
            at: T + 5100,
            now_ms: T + 5100,
        });
        assert_eq!(
            node_health(&s.world.borrow().cluster, 7000),
            NodeHealth::Pfail {
                since: T + 5100,
                stopped: T + 100
            }
        );
        assert_eq!(role(&s, 7003), Role::Replica { of: 0 });
        let s = run_clock(s);
        assert_eq!(role(&s, 7003), Role::Master);
        assert!(matches!(
            node_health(&s.world.borrow().cluster, 7000),
            NodeHealth::Fail { .. }
        ));
        // Every change is a step of its own, and in the log.
        let ops: Vec<StepOp> = s.timeline.steps().into_iter().map(|st| st.op).collect();
        assert_eq!(ops.iter().filter(|o| **o == StepOp::Tick).count(), 3);
        let events: Vec<String> = s
            .ops
            .iter()
            .flat_map(|e| e.lines.iter())
            .filter(|l| l.kind == OpsKind::Event)
            .map(|l| l.text(Lang::En))
            .collect();
        assert!(events.contains(&"7000 stopped".to_string()), "{events:?}");
        assert!(
            events.contains(
                &"7003 was promoted to master in place of 7000 (failover election)".to_string()
            ),
            "{events:?}"
        );
        // The engine's replies (redis-cli 7.0.15 after its server went away).
        let s = line(s, 0, "GET foo", T + 9000);
        assert_eq!(
            last_output(&s, 0),
            vec![(
                OutputKind::Message,
                "Error: Server closed the connection".to_string()
            )]
        );
        let s = line(s, 0, "GET foo", T + 9100);
        assert_eq!(
            last_output(&s, 0),
            vec![(
                OutputKind::Message,
                "Could not connect to Redis at 127.0.0.1:7000: Connection refused".to_string()
            )]
        );
        // 7003 serves 7000's slots, with its data.
        let s = line(s, 1, "GET bar", T + 9200);
        assert_eq!(
            last_output(&s, 1),
            vec![(OutputKind::Reply, "\"1\"".to_string())]
        );
        let s = line(s, 1, "GET foo", T + 9300);
        assert_eq!(
            last_output(&s, 1),
            vec![(
                OutputKind::Error,
                "(error) MOVED 12182 127.0.0.1:7002".to_string()
            )]
        );
        // Started again, 7000 rejoins as 7003's replica.
        let s = s.reduce(Action::NodeOp {
            port: 7000,
            start: true,
            now_ms: T + 10_000,
        });
        let s = run_clock(s);
        assert_eq!(role(&s, 7000), Role::Replica { of: 3 });

        // The whole session replays from a share link.
        let doc = s.to_doc();
        let link = share::parse_link("", &format!("s={}", share::encode(&doc)));
        let opened = AppState::open(link, None, 0, Lang::En);
        assert_eq!(role(&opened, 7003), Role::Master);
        assert_eq!(role(&opened, 7000), Role::Replica { of: 3 });
        assert_eq!(opened.ops.len(), s.ops.len());
        assert_eq!(opened.to_doc(), doc);

        // Scrubbing back to just after the stop shows 7000 unflagged and
        // 7003 a replica; a later stop there forks.
        let stop = ops
            .iter()
            .position(|o| matches!(o, StepOp::Node { start: false, .. }))
            .expect("stop step");
        let back = Rc::new(opened).reduce(Action::Seek(stop + 1));
        assert_eq!(role(&back, 7003), Role::Replica { of: 0 });
        assert_eq!(
            node_health(&back.world.borrow().cluster, 7000),
            NodeHealth::Stopped { since: T + 100 }
        );
        // The clock does not run in the past.
        let at = due(&back).expect("a change is due");
        let same = back.clone().reduce(Action::Tick { at, now_ms: at });
        assert!(Rc::ptr_eq(&back, &same));
    }

    #[wasm_bindgen_test]
    fn a_reshard_steps_one_command_at_a_time_and_asks_then_moves() {
        // foo is in slot 12182, on 7002.
        let s = line(Rc::new(AppState::default()), 0, "SET foo bar", T);
        let s = s.reduce(Action::SetKind {
            client: 0,
            kind: ClientKind::Plain,
        });
        let s = s.reduce(Action::Connect {
            client: 0,
            port: 7002,
        });
        let step = |s: Rc<AppState>, run: bool, now_ms: u64| {
            s.reduce(Action::Reshard {
                from: 7002,
                to: 7000,
                slots: "12181-12183".into(),
                run,
                now_ms,
            })
        };
        let mut s = s;
        let mut commands = Vec::new();
        // Slot 12181 (empty), then 12182 up to its MIGRATING mark.
        for n in 0..8u64 {
            s = step(s, false, T + 100 + n);
            let entry = s.ops.last().expect("entry");
            let cmds: Vec<String> = entry
                .lines
                .iter()
                .filter(|l| l.kind == OpsKind::Command)
                .map(|l| l.text(Lang::En))
                .collect();
            assert_eq!(cmds.len(), 1, "one command per Step: {:?}", entry.lines);
            commands.extend(cmds);
        }
        assert!(commands[0].starts_with("127.0.0.1:7000> CLUSTER SETSLOT 12181 IMPORTING "));
        assert!(commands[7].starts_with("127.0.0.1:7002> CLUSTER SETSLOT 12182 MIGRATING "));
        let plan = s.reshard_in_progress().expect("plan");
        assert_eq!(plan.plan.current_slot(), Some(12182));
        // The key is still on 7002: served there.
        let s = line(s, 0, "GET foo", T + 200);
        assert_eq!(
            last_output(&s, 0),
            vec![(OutputKind::Reply, "\"bar\"".to_string())]
        );
        // GETKEYSINSLOT, then MIGRATE moves foo: 7002 now answers ASK.
        let s = step(s, false, T + 300);
        let s = step(s, false, T + 301);
        let s = line(s, 0, "GET foo", T + 400);
        assert_eq!(
            last_output(&s, 0),
            vec![(
                OutputKind::Error,
                "(error) ASK 12182 127.0.0.1:7000".to_string()
            )]
        );
        // Run to end: MOVED afterwards.
        let s = step(s, true, T + 500);
        assert!(s.reshard_in_progress().is_none());
        let s = line(s, 0, "GET foo", T + 600);
        assert_eq!(
            last_output(&s, 0),
            vec![(
                OutputKind::Error,
                "(error) MOVED 12182 127.0.0.1:7000".to_string()
            )]
        );
        let last = s.ops.last().expect("entry");
        assert!(last.lines.iter().any(
            |l| l.text(Lang::En) == "reshard done: 3 slot(s), 1 key(s) moved from 7002 to 7000"
        ));
        // A bad plan says why, and changes nothing else.
        let s = s.reduce(Action::Reshard {
            from: 7002,
            to: 7000,
            slots: "12182".into(),
            run: false,
            now_ms: T + 700,
        });
        let s = s.reduce(Action::Reshard {
            from: 7002,
            to: 7000,
            slots: "12182-12182".into(),
            run: false,
            now_ms: T + 800,
        });
        let last = s.ops.last().expect("entry");
        assert_eq!(last.lines.len(), 1);
        assert_eq!(last.lines[0].kind, OpsKind::Error);
        assert_eq!(
            last.lines[0].text(Lang::En),
            "slot 12182 is not served by 127.0.0.1:7002"
        );
    }

    #[wasm_bindgen_test]
    async fn the_map_has_node_buttons_and_marks_migrating_slots() {
        let host = mount().await;
        run_in(&host, 'a', "SET foo bar").await;
        // Every node has a labelled Stop button.
        let labels: Vec<String> = {
            let list = host
                .query_selector_all(".node-power")
                .expect("valid selector");
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n)
                        .ok()
                        .and_then(|e| e.get_attribute("aria-label"))
                })
                .collect()
        };
        for port in 7000..=7005 {
            assert!(
                labels.contains(&format!("Stop 127.0.0.1:{port}")),
                "{labels:?}"
            );
        }
        click(&host, ".node-row[data-port='7000'] .node-power").await;
        let row = find(&host, ".node-row[data-port='7000']");
        assert!(row
            .get_attribute("class")
            .unwrap_or_default()
            .split(' ')
            .any(|c| c == "down"));
        assert_eq!(
            text(&host, ".node-row[data-port='7000'] .health-badge"),
            "stopped"
        );
        assert_eq!(
            find(&host, ".node-row[data-port='7000'] .node-power").get_attribute("aria-label"),
            Some("Start 127.0.0.1:7000".into())
        );
        assert!(text(&host, ".ops-clock").contains("5.0\u{a0}s"));
        // Skip ahead: fail? first.
        click(&host, ".ops-skip").await;
        assert_eq!(
            text(&host, ".node-row[data-port='7000'] .health-badge"),
            "fail? +5.0 s"
        );
        click(&host, ".ops-skip").await;
        click(&host, ".ops-skip").await;
        // 7003 now heads the first shard; 7000 is drawn in it, failed.
        assert_eq!(
            texts(&host, ".shard-0 .node-row .node-addr"),
            vec!["7003", "7000"]
        );
        assert_eq!(
            text(&host, ".node-row[data-port='7000'] .health-badge"),
            "fail +5.5 s"
        );
        // One step of a reshard of foo's slot: the cards and the ribbon say so.
        let slots: web_sys::HtmlInputElement =
            wasm_bindgen::JsCast::unchecked_into(find(&host, ".reshard-slots"));
        slots.set_value("12182-12183");
        slots
            .dispatch_event(&super::bubbling("input"))
            .expect("input");
        yew::scheduler::flush().await;
        super::select(&host, ".reshard-from", "7002").await;
        super::select(&host, ".reshard-to", "7001").await;
        click(&host, ".reshard-step").await;
        click(&host, ".reshard-step").await;
        assert_eq!(
            texts(&host, ".slot-move"),
            vec!["importing 12182 ← 7002", "migrating 12182 → 7001"]
        );
        assert_eq!(texts(&host, ".mark-label.moving"), vec!["12182 → :7001"]);
        assert!(text(&host, ".ribbon-legend").contains("migrating / importing"));
        let log = texts(&host, ".ops-line.command");
        assert!(
            log[0].starts_with("127.0.0.1:7002> CLUSTER SETSLOT 12182 MIGRATING "),
            "{log:?}"
        );
        // Unused in this test, but the console still works.
        type_in(&host, 'a', "").await;
    }

    /// "Skip ahead" moves the engine's clock into the wall clock's future;
    /// the page's clock follows, so a later command is not stamped in the
    /// past: a TTL set after it counts down from the skipped-to time.
    #[wasm_bindgen_test]
    fn after_skip_ahead_time_does_not_run_backwards() {
        let s = Rc::new(AppState::default());
        // k is in slot 7629 (7001's shard).
        let s = s.reduce(Action::Connect {
            client: 0,
            port: 7001,
        });
        let s = s.reduce(Action::NodeOp {
            port: 7000,
            start: false,
            now_ms: T,
        });
        let at = due(&s).expect("fail? is due");
        assert_eq!(at, T + 5000);
        // Pressed 10 ms later on the wall clock: 4990 ms skipped.
        let s = s.reduce(Action::Tick { at, now_ms: T + 10 });
        assert_eq!(s.clock_offset, 4990);
        assert_eq!(s.clock(T + 20), at + 10);
        let s = line(s, 0, "SET k v PX 100000", T + 20);
        let (_, len) = s.timeline.position();
        let stamped = s.timeline.step(len - 1).expect("step").now_ms;
        assert!(stamped >= at, "{stamped} < {at}");
        let s = line(s, 0, "PTTL k", T + 30);
        let ttl: u64 = last_output(&s, 0)[0]
            .1
            .trim_start_matches("(integer) ")
            .parse()
            .expect("an integer");
        assert!((99_000..=100_000).contains(&ttl), "PTTL {ttl}");
        assert_eq!(ttl, 99_990);
        // The next change is due 500 ms after the skipped-to time, on the
        // page's clock; the timer's Tick (on time) skips nothing more.
        let next = due(&s).expect("fail is due");
        assert_eq!(next, at + 500);
        let s = s.reduce(Action::Tick {
            at: next,
            now_ms: next - 4990,
        });
        assert_eq!(s.clock_offset, 4990);
        // Saved and restored with the session (links from before it decode as 0).
        let doc = s.to_doc();
        assert_eq!(doc.ahead, 4990);
        let decoded = share::decode(&share::encode(&doc)).expect("decodes");
        assert_eq!(decoded.ahead, 4990);
        let restored = AppState::from_doc(&decoded, &Default::default(), Lang::En).expect("opens");
        assert_eq!(restored.clock_offset, 4990);
        assert_eq!(restored.clock(T + 20), at + 10);
        // Replays use each step's recorded time: the PTTL answers the same.
        let replies: Vec<String> = restored
            .client(0)
            .expect("client A")
            .transcript
            .iter()
            .filter_map(|e| match &e.kind {
                EntryKind::Command { output, .. } => Some(output.iter().map(|o| o.text.clone())),
                _ => None,
            })
            .flatten()
            .collect();
        assert!(
            replies.contains(&"(integer) 99990".to_string()),
            "{replies:?}"
        );
        // Going back on the timeline keeps the clock where it is.
        let back = s.clone().reduce(Action::Seek(1));
        assert_eq!(back.clock_offset, 4990);
    }
}

// ---------- the panels' explanations in Chinese and Japanese ----------

/// The route trace, the CROSSSLOT fix, the transaction verdict and the key
/// inspector explain in the page's language, while everything Redis says
/// (replies, error texts) stays verbatim inside the translated sentences.
#[wasm_bindgen_test]
async fn the_panels_explain_in_chinese_and_japanese_and_redis_stays_verbatim() {
    install_languages();
    const CROSSSLOT: &str = "CROSSSLOT Keys in request don't hash to the same slot";
    let host = mount().await;
    select(&host, "#lang-switch", "zh").await;
    let lines = run(&host, "MSET user:1 a user:2 b").await;
    assert_eq!(lines[1], format!("(error) {CROSSSLOT}"));
    let summary = text(&host, ".route-trace .trace-summary");
    assert_eq!(
        summary,
        "127.0.0.1:7000 拒绝了这条命令：它的键位于不同的槽（CROSSSLOT）。"
    );
    let why = text(&host, ".crossslot .crossslot-why");
    assert!(
        why.contains("一条命令的所有键都必须哈希到同一个槽"),
        "{why}"
    );
    assert!(text(&host, ".crossslot .cs-key.disagrees").contains("槽 6777"));
    let slot = text(&host, ".crossslot .fix-slot");
    assert!(
        slot.contains("槽 5474，位于 127.0.0.1:7001 (分片 2)。"),
        "{slot}"
    );
    assert_eq!(text(&host, ".crossslot .use-fix"), "放进客户端 A 的提示符");
    // A Redis error inside a translated sentence: kept as Redis wrote it.
    run(&host, "GET").await;
    assert_eq!(
        text(&host, ".route-trace .trace-summary"),
        "127.0.0.1:7000 返回了错误：ERR wrong number of arguments for 'get' command"
    );

    select(&host, "#lang-switch", "ja").await;
    // The summary of the last line follows the switch at once.
    assert_eq!(
        text(&host, ".route-trace .trace-summary"),
        "127.0.0.1:7000 はエラーを返しました：ERR wrong number of arguments for 'get' command"
    );
    // EXEC-time routing on 7002: two keys of 7002 in different slots.
    select(&host, "#node-picker-a", "7002").await;
    run(&host, "MULTI").await;
    run(&host, "SET a 1").await;
    run(&host, "SET foo 2").await;
    let lines = run(&host, "EXEC").await;
    assert_eq!(lines[1], format!("(error) {CROSSSLOT}"));
    assert_eq!(
        text(&host, ".tx-card .verdict-title"),
        "EXEC → CROSSSLOT（EXEC 時のルール）"
    );
    let verdict = text(&host, ".tx-card .verdict-text");
    assert!(
        verdict.contains("a はスロット 15495、foo はスロット 12182 です。"),
        "{verdict}"
    );
    assert!(verdict.ends_with(&format!("（{CROSSSLOT}）")), "{verdict}");
    assert_eq!(
        text(&host, ".route-trace .trace-summary"),
        "127.0.0.1:7002 は EXEC を拒否しました。キューに入ったコマンドのキーが別々のスロットにあります（CROSSSLOT）。何も実行されていません。"
    );
    // The key inspector: the hash-tag rule in Japanese.
    let input: HtmlInputElement = find(&host, "#free-key-input").unchecked_into();
    input.set_value("{user1000}.followers");
    input
        .dispatch_event(&bubbling("input"))
        .expect("dispatch input");
    yew::scheduler::flush().await;
    assert_eq!(
        text(&host, ".free-key .key-rule"),
        "ハッシュタグ：最初の { とその次の } の間のバイトだけをハッシュします"
    );
    // Back to English for the tests that follow (the choice is saved).
    select(&host, "#lang-switch", "en").await;
    assert_eq!(
        text(&host, ".free-key .key-rule"),
        "hash tag: only the bytes between the first { and the next } are hashed"
    );
}

/// The cluster-aware client's decisions are printed in the page's
/// language; the replies around them stay redis-cli's, byte for byte.
#[wasm_bindgen_test]
fn the_cluster_aware_clients_decisions_follow_the_language() {
    install_languages();
    use slotlab::i18n::Lang;
    let s = Rc::new(AppState::new_in(Lang::Zh)).reduce(Action::SetKind {
        client: 0,
        kind: ClientKind::ClusterAware,
    });
    let s = submit(s, "SET foo bar", 1_000);
    assert_eq!(
        last_output(&s),
        [
            (
                OutputKind::ClientNote,
                "↳ 用 CLUSTER SLOTS 从 127.0.0.1:7000 加载了槽映射（3 个区间）".to_string()
            ),
            (
                OutputKind::ClientNote,
                "↳ 槽 12182 → 127.0.0.1:7002（来自它的槽映射）".to_string()
            ),
            (OutputKind::Reply, "OK".to_string()),
        ]
    );
    let s = s.reduce(Action::SetLang(Lang::Ja));
    let s = submit(s, "MGET foo user:1", 1_100);
    assert_eq!(
        last_output(&s),
        [
            (
                OutputKind::ClientNote,
                "↳ キーが 2 個のスロットに分散 → 2 個の MGET に分割：スロット 12182 → :7002（1 個のキー）、スロット 10778 → :7001（1 個のキー）"
                    .to_string()
            ),
            (OutputKind::Reply, "1) \"bar\"\n2) (nil)".to_string()),
        ]
    );
}

/// The English catalog says exactly what the code's own English says
/// (examples, samples, client kinds), so English pages did not change.
#[wasm_bindgen_test]
fn the_english_catalog_matches_the_codes_english() {
    install_languages();
    use slotlab::i18n::Lang;
    use slotlab::ui::script::{example_text, EXAMPLES};
    for ex in EXAMPLES {
        assert_eq!(example_text(Lang::En, ex), (ex.title, ex.teaches));
        let (title, teaches) = example_text(Lang::Ja, ex);
        assert_ne!(title, ex.title);
        assert_ne!(teaches, ex.teaches);
    }
    for sample in Sample::ALL {
        assert_eq!(sample.label_in(Lang::En), sample.label());
        assert_eq!(sample.describe_in(Lang::En), sample.describe());
    }
    for kind in ClientKind::ALL {
        assert_eq!(kind.label_in(Lang::En), kind.label());
        assert_eq!(kind.short_label_in(Lang::En), kind.short_label());
    }
    assert_eq!(
        ClientKind::ClusterAware.label_in(Lang::Zh),
        "集群感知客户端"
    );
}

// ---------- the sample loader's bulk path ----------

/// Every sample, loaded the way the page loads it (plain SETs through the
/// engine's bulk path), leaves each master's keyspace exactly as the same
/// commands sent one by one through `Cluster::execute` leave it: the same
/// keys in the same slot-list order, the same entries (value, expiry,
/// position) and encodings.
#[wasm_bindgen_test]
fn samples_load_as_their_commands_one_by_one_would() {
    use slotlab::engine::cluster::{Cluster, ConnId};
    use slotlab::engine::slot::key_slot;
    use slotlab::ui::sample::Loading;

    for sample in Sample::ALL {
        let mut bulk = Cluster::default();
        let mut loading = Loading::start(&mut bulk, sample);
        while !loading.finished() {
            loading.run_chunk(&mut bulk, 5);
        }
        loading.close(&mut bulk);
        assert_eq!(loading.errors, 0, "{sample:?}");

        let mut one = Cluster::default();
        let conns: Vec<(u16, ConnId)> = [7000u16, 7001, 7002]
            .iter()
            .map(|&p| (p, one.connect(p).expect("a master")))
            .collect();
        for i in 0..sample.total() {
            let argv = sample.command(i);
            let owner = one
                .topology
                .owner(key_slot(&argv[1]))
                .map(|n| one.topology.nodes[n].port);
            let conn = conns
                .iter()
                .find(|(p, _)| Some(*p) == owner)
                .map(|(_, c)| *c)
                .expect("an owner");
            assert!(!one.execute(conn, &argv, 5).reply.is_error());
        }
        for (_, conn) in &conns {
            one.disconnect(*conn);
        }

        for master in one.topology.masters() {
            let (a, b) = (bulk.keyspace_of(master), one.keyspace_of(master));
            let keys: Vec<&Vec<u8>> = a.keys().collect();
            assert_eq!(keys, b.keys().collect::<Vec<_>>(), "{sample:?}");
            for key in keys {
                assert_eq!(a.get(key), b.get(key), "{sample:?}");
                assert_eq!(a.encoding(key), b.encoding(key), "{sample:?}");
            }
        }
    }
}

// ---------- the cluster map in Chinese and Japanese; clients of a stopped node ----------

/// Every text, `title` and `aria-label` under `selector`.
fn words_under(host: &Element, selector: &str) -> String {
    let root = find(host, selector);
    let mut out = root.text_content().unwrap_or_default();
    let list = root
        .query_selector_all("[title], [aria-label]")
        .expect("valid selector");
    for el in (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        for attr in ["title", "aria-label"] {
            if let Some(value) = el.get_attribute(attr) {
                out.push('\n');
                out.push_str(&value);
            }
        }
    }
    out
}

/// The map's former English labels, as whole lower-case words (Redis'
/// own upper-case words such as GETKEYSINSLOT do not count).
fn english_map_words(text: &str) -> Vec<&'static str> {
    const WORDS: [&str; 8] = [
        "master",
        "replica",
        "keys",
        "key",
        "slots",
        "shard",
        "owner",
        "connected",
    ];
    WORDS
        .into_iter()
        .filter(|w| {
            text.match_indices(w).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + w.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_cluster_map_speaks_japanese_and_chinese() {
    install_languages();
    let host = mount().await;
    select(&host, "#lang-switch", "ja").await;
    run(&host, "SET foo bar").await;
    assert_eq!(
        texts(&host, ".shard-0 .node-role"),
        vec!["マスター", "レプリカ"]
    );
    assert_eq!(text(&host, ".shard-0 .shard-title"), "シャード 1");
    assert_eq!(
        text(&host, ".shard-card[data-shard=\"2\"] .shard-count"),
        "1 個のキー · 100%"
    );
    assert_eq!(
        text(&host, ".map-total"),
        "キー 1 個（16,384 スロット中 1 スロット）"
    );
    assert!(text(&host, ".ribbon-legend").contains("各スロットの担当シャード"));
    assert!(text(&host, ".shard-card[data-shard=\"2\"] .shard-ranges")
        .starts_with("スロット 10923–16383"));
    // Redis' own words stay: the key, the slot number, the address.
    assert_eq!(
        texts(&host, ".shard-card[data-shard=\"2\"] .key-chip"),
        ["foo12182"]
    );
    // Stop 7000: the log and the badges are worded in Japanese too.
    click(&host, ".node-row[data-port='7000'] .node-power").await;
    assert_eq!(
        text(&host, ".node-row[data-port='7000'] .health-badge"),
        "停止中"
    );
    assert!(
        texts(&host, ".ops-line.event").contains(&"7000 が停止しました".to_string()),
        "{:?}",
        texts(&host, ".ops-line.event")
    );
    click(&host, ".ops-skip").await;
    click(&host, ".ops-skip").await;
    click(&host, ".ops-skip").await;
    assert!(texts(&host, ".ops-line.event")
        .iter()
        .any(|l| l == "7003 が 7000 に代わってマスターに昇格しました（フェイルオーバーの選挙）"));
    let ja = words_under(&host, ".cluster-map");
    assert_eq!(english_map_words(&ja), Vec::<&str>::new(), "{ja}");
    // fail? and fail are Redis' own flags: verbatim.
    assert_eq!(
        text(&host, ".node-row[data-port='7000'] .health-badge"),
        "fail +5.5 s"
    );

    select(&host, "#lang-switch", "zh").await;
    assert_eq!(text(&host, ".shard-0 .node-role"), "主节点");
    assert_eq!(
        text(&host, ".map-total"),
        "1 个键，位于 16,384 个槽中的 1 个"
    );
    let zh = words_under(&host, ".cluster-map");
    assert_eq!(english_map_words(&zh), Vec::<&str>::new(), "{zh}");
    select(&host, "#lang-switch", "en").await;
    assert_eq!(text(&host, ".shard-0 .node-role"), "master");
}

/// Client A is on 7000 when 7000 stops: the map no longer draws it as
/// connected there (the console says `not connected> ` after its next
/// command, as redis-cli does).
/// redis-cli connects when it starts, not on its first command: a node
/// stopped before the client typed anything still closes its connection
/// ("Error: Server closed the connection", as redis-cli 7.0.15 prints it),
/// and the map shows the client on that node from the start.
#[wasm_bindgen_test]
async fn redis_cli_is_connected_before_its_first_command() {
    let host = mount().await;
    select(&host, "#node-picker-a", "7001").await;
    let badge = ".node-row[data-port='7001'] .client-badge[data-client='A']";
    assert_eq!(
        find(&host, badge).get_attribute("title").as_deref(),
        Some("Client A is connected here")
    );
    click(&host, ".node-row[data-port='7001'] .node-power").await;
    assert_eq!(
        run(&host, "GET k").await,
        vec![
            "127.0.0.1:7001> GET k",
            "Error: Server closed the connection"
        ]
    );
    assert_eq!(prompt(&host, 'a'), "not connected> ");
    assert_eq!(
        run(&host, "GET k").await,
        vec![
            "not connected> GET k",
            "Could not connect to Redis at 127.0.0.1:7001: Connection refused"
        ]
    );
}

#[wasm_bindgen_test]
async fn a_client_of_a_stopped_node_is_drawn_not_connected() {
    install_languages();
    let host = mount().await;
    select(&host, "#node-picker-a", "7000").await;
    run(&host, "PING").await;
    let badge = ".node-row[data-port='7000'] .client-badge[data-client='A']";
    let class = |host: &Element| find(host, badge).get_attribute("class").unwrap_or_default();
    assert!(!class(&host).contains("not-connected"), "{}", class(&host));
    assert_eq!(
        find(&host, badge).get_attribute("title").as_deref(),
        Some("Client A is connected here")
    );
    click(&host, ".node-row[data-port='7000'] .node-power").await;
    assert!(class(&host).contains("not-connected"), "{}", class(&host));
    assert_eq!(
        find(&host, badge).get_attribute("title").as_deref(),
        Some("A: not connected (node stopped)")
    );
    assert_eq!(
        find(&host, badge).get_attribute("aria-label").as_deref(),
        Some("A: not connected (node stopped)")
    );
    run(&host, "PING").await;
    assert_eq!(prompt(&host, 'a'), "not connected> ");
    assert!(class(&host).contains("not-connected"));
    // Started again: redis-cli reconnects on its next command.
    click(&host, ".node-row[data-port='7000'] .node-power").await;
    assert_eq!(
        find(&host, badge).get_attribute("title").as_deref(),
        Some("A: not connected (it reconnects on its next command)")
    );
    run(&host, "PING").await;
    assert!(!class(&host).contains("not-connected"), "{}", class(&host));
    // In Japanese.
    click(&host, ".node-row[data-port='7000'] .node-power").await;
    select(&host, "#lang-switch", "ja").await;
    assert_eq!(
        find(&host, badge).get_attribute("title").as_deref(),
        Some("A：未接続（ノード停止中）")
    );
    select(&host, "#lang-switch", "en").await;
}
