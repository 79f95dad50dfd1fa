//! A measurement, not a test (issue 8, "1M keys + slot map"): in headless
//! Chromium, load 1,000,000 keys into the engine the way the sample loader
//! does (`SET user:N v` on each key's owner, over the loader's connections,
//! through the engine's bulk path `Cluster::load_strings`), compute the
//! slot map's data and draw the slot ribbon, and print the times as
//! `perf:` lines; a `split` line then times, in the same run, making the
//! pairs alone, storing the keys in one keyspace alone, and the whole load
//! again once the wasm memory has grown. Nothing is asserted:
//! scripts/bench.sh runs it in a release build and README "Performance"
//! quotes it.
//!
//! `cargo test --release --target wasm32-unknown-unknown --test perf_browser`
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use slotlab::engine::cluster::{Cluster, ConnId};
use slotlab::ui::components::slot_ribbon::SlotRibbon;
use slotlab::ui::map;
use slotlab::ui::sample::load_sets;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[derive(Properties, PartialEq)]
struct HostProps {
    ribbon: Rc<map::MapStats>,
}

#[component]
fn Host(props: &HostProps) -> Html {
    let stats = props.ribbon.clone();
    html! { <SlotRibbon {stats} marks={Vec::new()} master_ports={vec![7000, 7001, 7002]} /> }
}

#[wasm_bindgen_test]
async fn one_million_keys_and_the_slot_map() {
    const KEYS: usize = 1_000_000;
    let mut cluster = Cluster::default();
    let conns: Vec<(u16, ConnId)> = [7000u16, 7001, 7002]
        .iter()
        .map(|&p| (p, cluster.connect(p).expect("master port")))
        .collect();
    let start = now();
    let pairs = (0..KEYS).map(|i| (format!("user:{i}").into_bytes(), b"v".to_vec()));
    let errors = load_sets(&mut cluster, &conns, pairs, 1);
    assert_eq!(errors, 0);
    let loaded = now();
    let stats = Rc::new(map::compute(&cluster));
    let computed = now();
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("div");
    gloo::utils::body().append_child(&root).expect("append");
    yew::Renderer::<Host>::with_root_and_props(
        root.clone(),
        HostProps {
            ribbon: stats.clone(),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let drawn = now();
    // Force style and layout, as a paint would.
    let height = root.get_bounding_client_rect().height();
    let laid_out = now();
    // For comparison, in the same run: 100k of the same SETs sent one by
    // one through `Cluster::execute` (the path before the bulk load).
    let mut plain = Cluster::default();
    let plain_conns: Vec<(u16, ConnId)> = [7000u16, 7001, 7002]
        .iter()
        .map(|&p| (p, plain.connect(p).expect("master port")))
        .collect();
    let one_by_one = now();
    for i in 0..KEYS / 10 {
        let key = format!("user:{i}").into_bytes();
        let owner = plain
            .topology
            .owner(slotlab::engine::slot::key_slot(&key))
            .map(|n| plain.topology.nodes[n].port);
        let conn = plain_conns
            .iter()
            .find(|(p, _)| Some(*p) == owner)
            .map_or(0, |(_, c)| *c);
        plain.execute(conn, &[b"SET".to_vec(), key, b"v".to_vec()], 1);
    }
    let one_by_one = now() - one_by_one;
    drop(plain);
    // Where the load's time goes, in the same run (after it, so the wasm
    // memory has already grown): making the pairs alone, and storing the
    // same keys in one keyspace with nothing else around.
    let made = now();
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = (0..KEYS)
        .map(|i| (format!("user:{i}").into_bytes(), b"v".to_vec()))
        .collect();
    let made = now() - made;
    let stored = now();
    let mut keyspace = slotlab::engine::keyspace::Keyspace::new();
    keyspace.reserve(KEYS);
    for (key, value) in pairs {
        keyspace.insert_owned(key, slotlab::engine::value::Value::string(value), None);
    }
    let stored = now() - stored;
    drop(keyspace);
    let mut again = Cluster::default();
    let again_conns: Vec<(u16, ConnId)> = [7000u16, 7001, 7002]
        .iter()
        .map(|&p| (p, again.connect(p).expect("master port")))
        .collect();
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = (0..KEYS)
        .map(|i| (format!("user:{i}").into_bytes(), b"v".to_vec()))
        .collect();
    let reloaded = now();
    let errors = load_sets(&mut again, &again_conns, pairs, 1);
    let reloaded = now() - reloaded;
    assert_eq!(errors, 0);
    console_log!(
        "perf: split: making 1M (key, value) pairs {:.0} ms; the same keys into one Keyspace {:.0} ms; load_sets on the made pairs, again {:.0} ms",
        made,
        stored,
        reloaded
    );
    console_log!(
        "perf: 100k SETs one by one through Cluster::execute: {:.0} ms ({:.2} us per SET)",
        one_by_one,
        one_by_one * 1000.0 / (KEYS / 10) as f64
    );
    console_log!(
        "perf: 1M keys: load {:.0} ms ({:.2} us per SET), slot map data {:.1} ms, ribbon render {:.1} ms, layout {:.1} ms; total {:.0} ms (total keys {}, ribbon {height:.0}px high)",
        loaded - start,
        (loaded - start) * 1000.0 / KEYS as f64,
        computed - loaded,
        drawn - computed,
        laid_out - drawn,
        laid_out - start,
        stats.total
    );
}
