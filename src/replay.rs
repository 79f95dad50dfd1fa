//! Scenario replay: the JSONL contract (`docs/SCENARIOS.md`) run on any
//! [`Backend`] — the embedded engine or a real cluster — and the comparison
//! of two result files (node ids masked, volatile replies left out).
//!
//! A scenario's commands run on one connection, or on labelled connections
//! (`conns`/`ports`), each behaving like one `redis-cli [-c]` session.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use crate::engine::cli::{CliSession, EngineTransport, Transport};
use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::reply::Reply;
use crate::engine::topology::Topology;

/// One scenario line of the input file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Scenario {
    pub name: String,
    pub commands: Vec<Vec<String>>,
    #[serde(default = "default_port")]
    pub connection_port: u16,
    #[serde(default)]
    pub follow_redirects: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conns: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<u16>>,
    #[serde(default)]
    pub setup: Vec<SetupStep>,
    #[serde(default = "default_true")]
    pub reset_before: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<BTreeMap<String, u16>>,
    /// slotlab extension (ignored by the contract): indices of commands whose
    /// array reply is compared as a multiset (KEYS, SMEMBERS of strings ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unordered: Vec<usize>,
    /// slotlab extension: indices of commands whose reply is not compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volatile: Vec<usize>,
    /// slotlab extension: `[index, ms]` pairs — let `ms` milliseconds pass
    /// before command `index` (key expiry). A real cluster sleeps; the
    /// engine moves its clock forward.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pause_before: Vec<(usize, u64)>,
    /// slotlab extension: indices of commands after which a real cluster is
    /// given time to converge (SETSLOT NODE, CLUSTER FAILOVER): the replay
    /// waits until every node agrees on roles and slots, replicas included.
    /// The engine converges at once and ignores it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settle_after: Vec<usize>,
}

fn default_port() -> u16 {
    7000
}

fn default_true() -> bool {
    true
}

/// A setup command, run on a fresh connection to `port`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SetupStep {
    pub port: u16,
    pub argv: Vec<String>,
}

/// One result line of the output file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ScenarioResult {
    pub name: String,
    pub replies: Vec<Json>,
    pub replies_cli: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<Vec<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<Vec<u16>>,
}

/// A cluster scenarios can run on.
pub trait Backend: Transport {
    /// Back to a fresh cluster: no keys, no scripts, default slot layout,
    /// default settings, and this replica → master map.
    fn reset(&mut self, replicas: &[(u16, u16)]) -> Result<(), String>;

    /// Called after a scenario's setup steps, before its commands: a real
    /// cluster waits here until its replicas have caught up with the setup
    /// writes (the engine replicates synchronously, so nothing to do).
    fn settle(&mut self) -> Result<(), String> {
        Ok(())
    }

    /// Lets `ms` milliseconds pass (the `pause_before` extension).
    fn pause(&mut self, ms: u64);

    /// The node id of the node on `port` (for `${id:PORT}` in arguments).
    fn node_id(&mut self, port: u16) -> Result<String, String>;

    /// Waits until the cluster agrees on its layout after `argv` was served
    /// by `port` (the `settle_after` extension); nothing to do for the engine.
    fn converge(&mut self, _port: u16, _argv: &[Vec<u8>]) -> Result<(), String> {
        Ok(())
    }
}

/// Replaces every `${id:PORT}` in an argument with the node id of the node
/// on PORT (slotlab extension: node ids differ between clusters, so a
/// scenario names them by port).
pub fn expand_ids<B: Backend + ?Sized>(backend: &mut B, arg: &str) -> Result<String, String> {
    let mut out = String::with_capacity(arg.len());
    let mut rest = arg;
    while let Some(start) = rest.find("${id:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let port: u16 = after[..end]
            .parse()
            .map_err(|_| format!("bad node id placeholder in {arg:?}"))?;
        out.push_str(&backend.node_id(port)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A scenario's argv with `${id:PORT}` expanded.
pub fn expand_argv<B: Backend + ?Sized>(
    backend: &mut B,
    words: &[String],
) -> Result<Vec<Vec<u8>>, String> {
    words
        .iter()
        .map(|w| expand_ids(backend, w).map(String::into_bytes))
        .collect()
}

/// The contract's default replica map: 7003 → 7000, 7004 → 7001, 7005 → 7002.
pub const DEFAULT_REPLICAS: [(u16, u16); 3] = [(7003, 7000), (7004, 7001), (7005, 7002)];

/// The embedded engine as a replay backend. Its clock is passed in per
/// command by `clock` (wall time natively, a fixed time in tests).
pub struct EngineBackend {
    pub cluster: Cluster,
    pub clock: fn() -> u64,
    /// Time added to `clock` by [`Backend::pause`].
    pub skipped_ms: u64,
}

impl EngineBackend {
    /// A fresh engine with the given clock.
    pub fn new(clock: fn() -> u64) -> Self {
        EngineBackend {
            cluster: Cluster::default(),
            clock,
            skipped_ms: 0,
        }
    }

    fn now_ms(&self) -> u64 {
        (self.clock)() + self.skipped_ms
    }
}

impl Transport for EngineBackend {
    type Conn = ConnId;

    fn connect(&mut self, port: u16) -> Result<ConnId, String> {
        let now = self.now_ms();
        EngineTransport::new(&mut self.cluster, now).connect(port)
    }

    fn send(&mut self, conn: &mut ConnId, argv: &[Vec<u8>]) -> Result<Reply, String> {
        let now = self.now_ms();
        EngineTransport::new(&mut self.cluster, now).send(conn, argv)
    }

    fn disconnect(&mut self, conn: ConnId) {
        self.cluster.disconnect(conn);
    }
}

impl Backend for EngineBackend {
    fn reset(&mut self, replicas: &[(u16, u16)]) -> Result<(), String> {
        self.cluster.reset(Topology::with_replicas(replicas));
        Ok(())
    }

    fn pause(&mut self, ms: u64) {
        self.skipped_ms += ms;
    }

    fn node_id(&mut self, port: u16) -> Result<String, String> {
        let t = &self.cluster.topology;
        t.by_port(port)
            .map(|n| t.nodes[n].id.clone())
            .ok_or_else(|| format!("no node on port {port}"))
    }
}

/// Parses a JSONL file of scenarios (blank lines allowed).
pub fn parse_scenarios(text: &str) -> Result<Vec<Scenario>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// Parses a JSONL file of results.
pub fn parse_results(text: &str) -> Result<Vec<ScenarioResult>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// The replica map of a scenario as (replica port, master port) pairs.
pub fn replica_pairs(scenario: &Scenario) -> Result<Vec<(u16, u16)>, String> {
    match &scenario.replicas {
        None => Ok(DEFAULT_REPLICAS.to_vec()),
        Some(map) => map
            .iter()
            .map(|(replica, master)| {
                replica
                    .parse::<u16>()
                    .map(|r| (r, *master))
                    .map_err(|_| format!("{}: bad replica port {replica:?}", scenario.name))
            })
            .collect(),
    }
}

/// Runs every scenario in order on `backend`.
pub fn run_all<B: Backend>(
    backend: &mut B,
    scenarios: &[Scenario],
) -> Result<Vec<ScenarioResult>, String> {
    let mut results = Vec::with_capacity(scenarios.len());
    for (i, scenario) in scenarios.iter().enumerate() {
        // The first scenario of a file always starts from a fresh cluster.
        let first = i == 0;
        let result = match run_one(backend, scenario, first) {
            // A real cluster is a distributed system: an election can miss its
            // window on a loaded machine. A scenario that starts from a reset
            // can be run again from scratch, once; the engine fails alike twice.
            Err(e) if scenario.reset_before || first => {
                eprintln!("{e}; running {} once more from a reset", scenario.name);
                run_one(backend, scenario, true)?
            }
            other => other?,
        };
        results.push(result);
    }
    Ok(results)
}

/// Brings `backend` to the state a scenario's commands start from: the
/// reset (when `reset_before`, or for the first scenario of a file), then
/// the setup steps, each on a fresh connection.
pub fn prepare<B: Backend>(
    backend: &mut B,
    scenario: &Scenario,
    first: bool,
) -> Result<(), String> {
    let name = &scenario.name;
    if scenario.reset_before || first {
        backend.reset(&replica_pairs(scenario)?)?;
    }
    for step in &scenario.setup {
        let argv = expand_argv(backend, &step.argv)?;
        let mut conn = backend.connect(step.port)?;
        let reply = backend.send(&mut conn, &argv);
        backend.disconnect(conn);
        reply.map_err(|e| format!("{name}: setup {:?}: {e}", step.argv))?;
    }
    backend
        .settle()
        .map_err(|e| format!("{name}: after setup: {e}"))
}

/// Runs one scenario.
pub fn run_one<B: Backend>(
    backend: &mut B,
    scenario: &Scenario,
    first: bool,
) -> Result<ScenarioResult, String> {
    let name = &scenario.name;
    prepare(backend, scenario, first)?;
    let count = scenario.commands.len();
    for (field, len) in [
        ("conns", scenario.conns.as_ref().map(Vec::len)),
        ("ports", scenario.ports.as_ref().map(Vec::len)),
    ] {
        if let Some(len) = len {
            if len != count {
                return Err(format!(
                    "{name}: {field} has {len} entries for {count} commands"
                ));
            }
        }
    }

    let mut sessions: BTreeMap<String, CliSession<B::Conn>> = BTreeMap::new();
    let mut result = ScenarioResult {
        name: name.clone(),
        replies: Vec::with_capacity(count),
        replies_cli: Vec::with_capacity(count),
        redirects: scenario.follow_redirects.then(Vec::new),
        served_by: scenario.follow_redirects.then(Vec::new),
    };
    for (i, command) in scenario.commands.iter().enumerate() {
        let label = scenario
            .conns
            .as_ref()
            .and_then(|c| c.get(i).cloned())
            .unwrap_or_default();
        let port = scenario
            .ports
            .as_ref()
            .and_then(|p| p.get(i).copied())
            .unwrap_or(scenario.connection_port);
        let session = sessions
            .entry(label)
            .or_insert_with(|| CliSession::new(port, scenario.follow_redirects));
        for &(_, ms) in scenario.pause_before.iter().filter(|(at, _)| *at == i) {
            backend.pause(ms);
        }
        let argv = expand_argv(backend, command)?;
        let exchange = session
            .send(backend, &argv)
            .map_err(|e| format!("{name}: command {i} {command:?}: {e}"))?;
        if scenario.settle_after.contains(&i) {
            backend
                .converge(exchange.served_by, &argv)
                .map_err(|e| format!("{name}: settling after command {i} {command:?}: {e}"))?;
        }
        result.replies.push(tag(&exchange.reply));
        result.replies_cli.push(exchange.reply_text());
        if let Some(redirects) = result.redirects.as_mut() {
            redirects.push(exchange.redirects.clone());
        }
        if let Some(served_by) = result.served_by.as_mut() {
            served_by.push(exchange.served_by);
        }
    }
    for (_, mut session) in sessions {
        session.close(backend);
    }
    Ok(result)
}

/// The contract's tagged JSON form of a reply.
pub fn tag(reply: &Reply) -> Json {
    match reply {
        Reply::Status(s) => json!({ "status": s }),
        Reply::Error(e) => json!({ "error": e }),
        Reply::Integer(n) => json!({ "integer": n }),
        Reply::Bulk(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => json!({ "bulk": text }),
            Err(_) => json!({ "bulk_hex": hex(bytes) }),
        },
        Reply::NilBulk => json!({ "nil": "bulk" }),
        Reply::NilArray => json!({ "nil": "array" }),
        Reply::Array(items) => json!({ "array": items.iter().map(tag).collect::<Vec<_>>() }),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Commands whose replies differ between any two clusters (contract: leave out).
pub fn is_volatile(argv: &[String]) -> bool {
    let word = |i: usize| {
        argv.get(i)
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default()
    };
    match word(0).as_str() {
        "info" | "role" | "randomkey" | "time" => true,
        "cluster" => matches!(word(1).as_str(), "nodes" | "info" | "shards"),
        _ => false,
    }
}

/// Replaces every 40-hex node id in a string by `<node-id>`.
pub fn mask_node_ids(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_id_char = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| is_id_char(b)).count();
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if run == 40 && boundary_before {
            out.extend_from_slice(b"<node-id>");
        } else {
            out.extend_from_slice(&bytes[i..i + run.max(1)]);
        }
        i += run.max(1);
    }
    // Only ASCII runs were replaced, so the bytes are still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn masked(value: &Json) -> Json {
    match value {
        Json::String(s) => Json::String(mask_node_ids(s)),
        Json::Array(items) => Json::Array(items.iter().map(masked).collect()),
        Json::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), masked(v))).collect())
        }
        other => other.clone(),
    }
}

/// Sorts an `{"array": [...]}` reply's items, at every nesting level, for a
/// multiset comparison (`SCAN` replies `[cursor, [keys...]]`).
fn sorted_array(value: &Json) -> Json {
    match value.get("array").and_then(Json::as_array) {
        Some(items) => {
            let mut items: Vec<Json> = items.iter().map(sorted_array).collect();
            items.sort_by_key(|v| v.to_string());
            json!({ "array": items })
        }
        None => value.clone(),
    }
}

/// The lines of a redis-cli rendering without their item numbers
/// (`1) 2) "a"` → `"a"`), sorted: a multiset comparison of the leaves.
pub fn sorted_lines(text: &str) -> String {
    let mut items: Vec<&str> = text.lines().map(strip_item_numbers).collect();
    items.sort_unstable();
    items.join("\n")
}

fn strip_item_numbers(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[digits..].strip_prefix(") ") {
            Some(tail) if digits > 0 => rest = tail.trim_start(),
            _ => return rest,
        }
    }
}

/// Differences between an expected and an actual result of `scenario`
/// (node ids masked; volatile replies skipped; `unordered` as multisets).
pub fn compare(
    scenario: &Scenario,
    expected: &ScenarioResult,
    actual: &ScenarioResult,
) -> Vec<String> {
    let mut diffs = Vec::new();
    let name = &scenario.name;
    if expected.name != actual.name {
        diffs.push(format!(
            "{name}: names differ: {} vs {}",
            expected.name, actual.name
        ));
        return diffs;
    }
    if expected.replies.len() != actual.replies.len() {
        diffs.push(format!(
            "{name}: {} replies expected, {} got",
            expected.replies.len(),
            actual.replies.len()
        ));
        return diffs;
    }
    for (i, command) in scenario.commands.iter().enumerate() {
        if is_volatile(command) || scenario.volatile.contains(&i) {
            continue;
        }
        let unordered = scenario.unordered.contains(&i);
        let (mut want, mut got) = (masked(&expected.replies[i]), masked(&actual.replies[i]));
        let (mut want_cli, mut got_cli) = (
            mask_node_ids(expected.replies_cli.get(i).map_or("", String::as_str)),
            mask_node_ids(actual.replies_cli.get(i).map_or("", String::as_str)),
        );
        if unordered {
            want = sorted_array(&want);
            got = sorted_array(&got);
            want_cli = sorted_lines(&want_cli);
            got_cli = sorted_lines(&got_cli);
        }
        if want != got {
            diffs.push(format!(
                "{name} #{i} {command:?}: reply\n  expected {want}\n  got      {got}"
            ));
        } else if want_cli != got_cli {
            diffs.push(format!(
                "{name} #{i} {command:?}: redis-cli text\n  expected {want_cli:?}\n  got      {got_cli:?}"
            ));
        }
        let pick = |r: &Option<Vec<Vec<String>>>| r.as_ref().and_then(|v| v.get(i).cloned());
        if pick(&expected.redirects) != pick(&actual.redirects) {
            diffs.push(format!(
                "{name} #{i} {command:?}: redirects expected {:?} got {:?}",
                pick(&expected.redirects),
                pick(&actual.redirects)
            ));
        }
        let port = |r: &Option<Vec<u16>>| r.as_ref().and_then(|v| v.get(i).copied());
        if port(&expected.served_by) != port(&actual.served_by) {
            diffs.push(format!(
                "{name} #{i} {command:?}: served_by expected {:?} got {:?}",
                port(&expected.served_by),
                port(&actual.served_by)
            ));
        }
    }
    diffs
}

/// Compares whole files: scenarios with their expected and actual results.
pub fn compare_all(
    scenarios: &[Scenario],
    expected: &[ScenarioResult],
    actual: &[ScenarioResult],
) -> Vec<String> {
    if scenarios.len() != expected.len() || scenarios.len() != actual.len() {
        return vec![format!(
            "{} scenarios, {} expected results, {} actual results",
            scenarios.len(),
            expected.len(),
            actual.len()
        )];
    }
    scenarios
        .iter()
        .zip(expected.iter().zip(actual))
        .flat_map(|(s, (e, a))| compare(s, e, a))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine, but the first `converge` fails (an election that missed
    /// its window on a real cluster).
    struct FlakyOnce {
        engine: EngineBackend,
        failed: bool,
        resets: usize,
    }

    impl Transport for FlakyOnce {
        type Conn = ConnId;
        fn connect(&mut self, port: u16) -> Result<ConnId, String> {
            self.engine.connect(port)
        }
        fn send(&mut self, conn: &mut ConnId, argv: &[Vec<u8>]) -> Result<Reply, String> {
            self.engine.send(conn, argv)
        }
        fn disconnect(&mut self, conn: ConnId) {
            self.engine.disconnect(conn)
        }
    }

    impl Backend for FlakyOnce {
        fn reset(&mut self, replicas: &[(u16, u16)]) -> Result<(), String> {
            self.resets += 1;
            self.engine.reset(replicas)
        }
        fn pause(&mut self, ms: u64) {
            self.engine.pause(ms)
        }
        fn node_id(&mut self, port: u16) -> Result<String, String> {
            self.engine.node_id(port)
        }
        fn converge(&mut self, _port: u16, _argv: &[Vec<u8>]) -> Result<(), String> {
            if self.failed {
                return Ok(());
            }
            self.failed = true;
            Err("timed out waiting for 7003 to be promoted".into())
        }
    }

    #[test]
    fn a_scenario_from_a_reset_is_run_once_more_after_a_failure() {
        let line = r#"{"name":"f","setup":[{"port":7000,"argv":["SET","bar","1"]}],"commands":[["INCR","bar"],["GET","bar"]],"settle_after":[0]}"#;
        let scenarios = parse_scenarios(line).unwrap();
        let mut backend = FlakyOnce {
            engine: EngineBackend::new(|| 0),
            failed: false,
            resets: 0,
        };
        let results = run_all(&mut backend, &scenarios).unwrap();
        // Run from scratch: the first attempt's INCR is gone.
        assert_eq!(results[0].replies[1], serde_json::json!({"bulk": "2"}));
        assert_eq!(backend.resets, 2);
    }

    #[test]
    fn masks_node_ids() {
        let id = "d642eb04a9bb1a77517d87d81aaa56bd70ea474b";
        assert_eq!(
            mask_node_ids(&format!("{id} 127.0.0.1:7000@17000")),
            "<node-id> 127.0.0.1:7000@17000"
        );
        assert_eq!(mask_node_ids("abc"), "abc");
        assert_eq!(mask_node_ids("héllo 用户 é"), "héllo 用户 é");
        assert_eq!(mask_node_ids(&format!("用{id}")), "用<node-id>");
    }

    #[test]
    fn unordered_compares_nested_multisets() {
        let a = json!({"array": [{"bulk": "0"}, {"array": [{"bulk": "x"}, {"bulk": "y"}]}]});
        let b = json!({"array": [{"bulk": "0"}, {"array": [{"bulk": "y"}, {"bulk": "x"}]}]});
        assert_eq!(sorted_array(&a), sorted_array(&b));
        assert_eq!(
            sorted_lines("1) \"0\"\n2) 1) \"x\"\n   2) \"y\"\n"),
            sorted_lines("1) \"0\"\n2) 1) \"y\"\n   2) \"x\"\n")
        );
        assert_eq!(strip_item_numbers(" 10) 1) (integer) 3"), "(integer) 3");
        assert_eq!(strip_item_numbers("\"1) x\""), "\"1) x\"");
    }

    #[test]
    fn tags_replies() {
        assert_eq!(tag(&Reply::ok()), json!({"status": "OK"}));
        assert_eq!(tag(&Reply::Bulk(vec![0xff])), json!({"bulk_hex": "ff"}));
        assert_eq!(tag(&Reply::NilArray), json!({"nil": "array"}));
    }
}
