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
async fn mount() -> Element {
    forget_saved_session();
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
async fn the_script_panel_says_scripting_comes_later() {
    let host = mount().await;
    assert!(text(&host, ".script-panel").contains("arrives later"));
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

// ---------- the timeline, share links and saved sessions ----------

mod timeline {
    use std::fmt::Write;
    use std::rc::Rc;

    use slotlab::engine::keyspace::Entry;
    use slotlab::engine::value::Value;
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
        let opened = AppState::open(link, None, 99_999);
        assert_eq!(opened.timeline.position(), (9, 17));
        assert_eq!(fingerprint(&opened), prints[9]);
        assert!(opened.notice.is_none());
        // And every other step of it too.
        let opened = Rc::new(opened).reduce(Action::Seek(17));
        assert_eq!(fingerprint(&opened), prints[17]);
        assert_eq!(opened.to_doc().steps, doc.steps);
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
        let s = AppState::open(link, None, 5_000);
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
        let s = Rc::new(AppState::open(link, None, 5_000));
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
            let s = AppState::open(share::parse_link(query, fragment), None, 0);
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
        };
        let restored = AppState::open(nothing(), Some(&saved), 0);
        assert_eq!(fingerprint(&restored), prints[17]);
        let embedded = AppState::open(
            Link {
                embed: true,
                ..nothing()
            },
            Some(&saved),
            0,
        );
        assert_eq!(embedded.timeline.position(), (0, 0));
        assert!(embedded.settings.embed);
        let broken = AppState::open(nothing(), Some("v1.xyz"), 0);
        assert_eq!(
            broken.notice.as_deref(),
            Some(&Notice::BrokenSaved(ShareError::Damaged))
        );
    }

    #[wasm_bindgen_test]
    fn reset_forgets_the_session_but_keeps_the_page_settings() {
        let link = share::parse_link("cmds=PING&autorun=1&embed=1&theme=dark", "");
        let s = Rc::new(AppState::open(link, None, 0));
        let s = s.reduce(Action::Reset);
        assert!(s.to_doc().is_empty());
        assert!(s.settings.embed);
        assert_eq!(s.settings.theme, Theme::Dark);
        assert_eq!(s.timeline.position(), (0, 0));
    }

    #[wasm_bindgen_test]
    fn a_link_picks_the_emulated_version() {
        use slotlab::engine::script::EmulatedVersion;
        let link = share::parse_link("cmds=PING&autorun=1&engine=redis-7.4", "");
        let s = AppState::open(link, None, 0);
        assert_eq!(s.settings.engine, EmulatedVersion::Redis74);
        assert_eq!(
            s.world.borrow().cluster.scripting.version,
            EmulatedVersion::Redis74
        );
        let doc = s.to_doc();
        assert_eq!(doc.engine.as_deref(), Some("redis-7.4"));
        // It survives a share link and Reset.
        let link = share::parse_link("", &format!("s={}", share::encode(&doc)));
        let s = Rc::new(AppState::open(link, None, 0)).reduce(Action::Reset);
        assert_eq!(
            s.world.borrow().cluster.scripting.version,
            EmulatedVersion::Redis74
        );
        let plain = AppState::open(share::parse_link("", ""), None, 0);
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
