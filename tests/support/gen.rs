//! Byte-driven sessions on the engine, shared by the property tests
//! (`tests/properties.rs`, fed by a seeded generator), the stable fuzzer
//! (`tests/fuzz.rs`) and the cargo-fuzz targets (`fuzz/fuzz_targets/`),
//! which include this file with `#[path]`.
//!
//! A [`Source`] turns any byte string into choices, so every input is a
//! valid session: several clients (raw connections and redis-cli sessions,
//! with and without `-c`) on different nodes sending commands picked from
//! the engine's command table, arguments from a dictionary of keys, numbers
//! and options (or raw bytes), MULTI/EXEC/WATCH, typed lines with quoting
//! and repeat prefixes, and time passing. [`Run`] executes it and checks the
//! engine's invariants after every step; a violation panics, so the fuzzer
//! reports it like a crash.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use slotlab::engine::cli::{split_args, CliSession, EngineTransport, LineResult};
use slotlab::engine::cluster::{Cluster, ConnId};
use slotlab::engine::command;
use slotlab::engine::event::Event;
use slotlab::engine::keyspace::{Entry, Keyspace};
use slotlab::engine::reply::{quote_repr, Reply};
use slotlab::engine::slot::key_slot;

/// Reads choices out of a byte string; once it is used up every choice is 0.
pub struct Source<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Source<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Source { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from(self.byte()) << 8 | u16::from(self.byte())
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 256 {
            usize::from(self.byte()) % n
        } else {
            usize::from(self.u16()) % n
        }
    }

    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.below(items.len())]
    }

    /// Up to `max` raw bytes.
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        let end = (self.pos + len).min(self.data.len());
        let out = self.data.get(self.pos..end).unwrap_or_default().to_vec();
        self.pos += len;
        out
    }
}

/// splitmix64: the seeded generator behind the property tests.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Keys spread over the three masters (bar, b → 7000; c → 7001; foo, a →
/// 7002), hash tags that share a slot, and awkward bytes.
pub const KEYS: &[&[u8]] = &[
    b"a",
    b"b",
    b"c",
    b"foo",
    b"bar",
    b"{a}1",
    b"{a}2",
    b"x{foo}",
    b"{bar}y",
    b"",
    b"{}",
    b"{",
    b"k\x00\xff",
    "ключ".as_bytes(),
    "🔑".as_bytes(),
];

/// Numbers Redis parses in many ways: integers at the i64 edges, floats,
/// infinities, NaN, score and lex range bounds, slots and ports.
pub const NUMBERS: &[&[u8]] = &[
    b"0",
    b"1",
    b"-1",
    b"2",
    b"3",
    b"10",
    b"-100",
    b"1.5",
    b"-0",
    b"+1",
    b"0.1",
    b"1e3",
    b" 1",
    b"01",
    b"inf",
    b"-inf",
    b"+inf",
    b"nan",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"9223372036854775808",
    b"18446744073709551615",
    b"1e308",
    b"-1e308",
    b"(1",
    b"(-inf",
    b"[a",
    b"(a",
    b"-",
    b"+",
    b"5460",
    b"16383",
    b"16384",
    b"7000",
    b"7003",
    b"1000000",
];

/// Options and subcommand words.
pub const WORDS: &[&[u8]] = &[
    b"EX",
    b"PX",
    b"EXAT",
    b"PXAT",
    b"NX",
    b"XX",
    b"GT",
    b"LT",
    b"CH",
    b"INCR",
    b"KEEPTTL",
    b"GET",
    b"WITHSCORES",
    b"LIMIT",
    b"BYSCORE",
    b"BYLEX",
    b"REV",
    b"COUNT",
    b"MATCH",
    b"TYPE",
    b"LEFT",
    b"RIGHT",
    b"BEFORE",
    b"AFTER",
    b"REPLACE",
    b"DB",
    b"ENCODING",
    b"KEYSLOT",
    b"GETKEYSINSLOT",
    b"COUNTKEYSINSLOT",
    b"SLOTS",
    b"NODES",
    b"SHARDS",
    b"INFO",
    b"MYID",
    b"cluster-require-full-coverage",
    b"cluster-allow-reads-when-down",
    b"cluster-node-timeout",
    b"no",
    b"yes",
    b"*",
    b"string",
    b"list",
    b"zset",
    b"SYNC",
    b"ASYNC",
];

/// Commands the generator favours: the transaction ones.
const TRANSACTION: &[&[u8]] = &[b"MULTI", b"EXEC", b"DISCARD", b"WATCH", b"UNWATCH"];

/// Which commands a session may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Everything in the command table, CLUSTER and CONFIG included.
    Everything,
    /// Data, keyspace and transaction commands only: nothing that changes
    /// the slot layout or the cluster settings.
    Data,
}

impl Profile {
    /// The table's command names this profile sends (computed once).
    fn names(self) -> &'static [&'static str] {
        static EVERYTHING: OnceLock<Vec<&'static str>> = OnceLock::new();
        static DATA: OnceLock<Vec<&'static str>> = OnceLock::new();
        let cell = match self {
            Profile::Everything => &EVERYTHING,
            Profile::Data => &DATA,
        };
        cell.get_or_init(|| {
            command::all()
                .map(|s| s.name)
                .filter(|n| self.allows(n))
                .collect()
        })
    }

    fn allows(self, name: &str) -> bool {
        match self {
            Profile::Everything => true,
            Profile::Data => !(name.starts_with("cluster") || name.starts_with("config")),
        }
    }
}

/// The argv of a table entry's name: `object|encoding` → `OBJECT ENCODING`.
fn name_words(name: &str) -> Vec<Vec<u8>> {
    name.split('|')
        .map(|w| w.to_ascii_uppercase().into_bytes())
        .collect()
}

/// One step of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// A command on client `client`.
    Command { client: usize, argv: Vec<Vec<u8>> },
    /// A typed line on a redis-cli client (split, repeat prefix, `-c`).
    Line { client: usize, line: String },
    /// Time passes.
    Tick(u64),
    /// A client closes its connection and opens one to another node.
    Reconnect { client: usize, port: u16 },
}

/// Raw connections, then redis-cli sessions without and with `-c`.
pub const RAW_CLIENTS: usize = 3;
pub const CLIENTS: usize = 5;
pub const PORTS: [u16; 6] = [7000, 7001, 7002, 7003, 7004, 7005];

/// One argument.
pub fn arg(src: &mut Source<'_>, previous: &[Vec<u8>]) -> Vec<u8> {
    match src.below(16) {
        0..=5 => src.pick(KEYS).to_vec(),
        6..=8 => src.pick(NUMBERS).to_vec(),
        9..=11 => src.pick(WORDS).to_vec(),
        12 if !previous.is_empty() => src.pick(previous).clone(),
        13 => {
            // A long value: a repeated key or number.
            let unit = src.pick(NUMBERS).to_vec();
            unit.repeat(1 + src.below(64))
        }
        _ => src.bytes(12),
    }
}

/// Lua snippets for EVAL (combined one to three at a time): calls into
/// the engine, every reply conversion, errors, the libraries, small loops.
pub const LUA: &[&str] = &[
    "return 1",
    "return redis.call('INCR', KEYS[1])",
    "return redis.call('SET', KEYS[1], ARGV[1])",
    "return redis.call('GET', KEYS[1])",
    "return redis.pcall('LPUSH', KEYS[1], 'x')",
    "return redis.call('GET', 'bar')",
    "return redis.call('MSET', KEYS[1], 1, KEYS[2], 2)",
    "return redis.call('nosuch')",
    "return redis.pcall('INCR', 'a', 'b')",
    "return redis.call('EVAL', 'return 1', 0)",
    "return {1, 'two', {3, nil, 4}, true, false}",
    "return {err = 'my error'}",
    "return {ok = 'fine'}",
    "return redis.error_reply('E bad')",
    "return redis.status_reply('S')",
    "return 3.99",
    "return nil",
    "error('boom')",
    "error({err = 'tab'})",
    "return cjson.encode({a = {1, 2}, b = 'x'})",
    "return cjson.decode(ARGV[1])",
    "return cmsgpack and 1",
    "return bit.bxor(5, 3)",
    "return redis.sha1hex(ARGV[1] or '')",
    "return tostring(1/0) .. tostring(0/0)",
    "return #KEYS + #ARGV",
    "return ARGV",
    "return KEYS",
    "local t = {} for i = 1, 50 do t[i] = i end return t",
    "for i = 1, 20 do redis.call('RPUSH', KEYS[1], i) end return redis.call('LLEN', KEYS[1])",
    "return math.random(100)",
    "return string.rep('x', 10)",
    "return loadstring('return 1')()",
    "x = 1",
    "return redis.setresp(3)",
    "redis.log(redis.LOG_WARNING, 'hi')",
    "return redis.call('CLUSTER', 'KEYSLOT', ARGV[1] or 'x')",
    "return pcall(function() return redis.call('INCR', KEYS[1]) end)",
    "return redis.REDIS_VERSION",
    "return type(redis.breakpoint)",
    "local s = 0 for i = 1, 1000 do s = s + i end return s",
    "return string.format('%d %s', 5, 'x')",
    "return tonumber(ARGV[1])",
    "return {1, 2, 3.5, 'x', {err = 'inner'}}",
    "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 1)",
    "#!lua flags=allow-cross-slot-keys\nreturn redis.call('GET', 'bar')",
    "#!lua\nreturn 1",
    "#!lua name=x\nreturn 1",
    "local",
    "return (",
];

/// Function libraries for FUNCTION LOAD, and the names FCALL uses.
pub const LIBRARIES: &[&str] = &[
    "#!lua name=lib\nredis.register_function('f', function(keys, args) return redis.call('INCR', keys[1]) end)",
    "#!lua name=lib2\nredis.register_function{function_name='g', callback=function(keys, args) return #args end, flags={'no-writes'}}",
    "#!lua name=lib\nredis.register_function('f', function() return 2 end)",
    "#!lua name=bad\nreturn 1",
    "#!lua name=loop\nredis.register_function('h', function(keys) return redis.call('GET', keys[1]) end) redis.call('SET', 'x', 1)",
    "no shebang",
];

/// The SHA1 of `return 1` (EVALSHA finds it once it was run or loaded).
pub const RETURN_1_SHA: &[u8] = b"e0e1f9fabfc9d4800c877a703b823ac0578ff8db";

/// An EVAL body: one to three snippets, or raw bytes.
fn lua(src: &mut Source<'_>) -> Vec<u8> {
    if src.below(10) == 0 {
        return src.bytes(24);
    }
    let count = 1 + src.below(3);
    let parts: Vec<&str> = (0..count).map(|_| *src.pick(LUA)).collect();
    // A `return` must end its block: put returning snippets last.
    let (plain, returning): (Vec<&str>, Vec<&str>) =
        parts.into_iter().partition(|p| !p.contains("return"));
    let mut body = plain.join("\n");
    if let Some(last) = returning.first() {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(last);
    }
    body.into_bytes()
}

/// Rewrites a scripting command's arguments: a script or library from the
/// dictionaries, and a `numkeys` that matches the keys that follow.
fn script_args(src: &mut Source<'_>, argv: &mut Vec<Vec<u8>>) {
    let name = argv[0].to_ascii_lowercase();
    let body = match name.as_slice() {
        b"eval" | b"eval_ro" => lua(src),
        b"evalsha" | b"evalsha_ro" if src.below(2) == 0 => RETURN_1_SHA.to_vec(),
        b"fcall" | b"fcall_ro" => src.pick(&[&b"f"[..], b"g", b"h", b"nosuch"]).to_vec(),
        b"function" if argv.len() >= 2 && argv[1].eq_ignore_ascii_case(b"load") => {
            let at = if argv
                .get(2)
                .is_some_and(|a| a.eq_ignore_ascii_case(b"replace"))
            {
                3
            } else {
                2
            };
            let library = src.pick(LIBRARIES).as_bytes().to_vec();
            argv.truncate(at);
            argv.push(library);
            return;
        }
        b"script" if argv.len() >= 3 && argv[1].eq_ignore_ascii_case(b"load") => {
            argv[2] = lua(src);
            return;
        }
        _ => return,
    };
    let group = *src.pick(KEY_GROUPS);
    let keys = src.below(3);
    let args = src.below(3);
    let mut out = vec![argv[0].clone(), body, keys.to_string().into_bytes()];
    for _ in 0..keys {
        out.push(src.pick(group).to_vec());
    }
    for _ in 0..args {
        out.push(arg(src, &[]));
    }
    *argv = out;
}

/// Keys that share a slot, by group (a group's keys may go in one command).
pub const KEY_GROUPS: &[&[&[u8]]] = &[
    &[b"a", b"{a}1", b"{a}2"],
    &[b"foo", b"x{foo}", b"{foo}z"],
    &[b"bar", b"{bar}y", b"{bar}w"],
    &[b"c", b"{c}c", b"c{c}"],
    &[b"b", b"{b}", b"{b}{a}"],
];

/// One command's argv for `profile`: mostly a table command with an
/// argument count its arity accepts and, at its key positions, keys of one
/// slot (so that many commands get past arity and CROSSSLOT checks).
pub fn command(src: &mut Source<'_>, profile: Profile) -> Vec<Vec<u8>> {
    let mut arity = None;
    let mut argv = match src.below(8) {
        0 => {
            let name = src.pick(TRANSACTION).to_vec();
            arity = command::find(&name).map(|spec| spec.arity);
            vec![name]
        }
        1 if src.below(4) == 0 => vec![src.bytes(8)],
        _ => {
            let names = profile.names();
            let name = names[src.below(names.len())];
            arity = command::find(name.as_bytes()).map(|spec| spec.arity);
            name_words(name)
        }
    };
    let fixed = argv.len();
    let total = match arity {
        Some(n) if n > 0 && src.below(8) != 0 => n as usize,
        Some(n) if n < 0 && src.below(8) != 0 => (-n) as usize + src.below(4),
        _ => fixed + src.below(5),
    };
    for _ in fixed..total.max(fixed) {
        let a = arg(src, &argv[1..]);
        argv.push(a);
    }
    if src.below(8) != 0 {
        script_args(src, &mut argv);
    }
    if src.below(5) != 0 {
        if let Ok(spec) = command::lookup(&argv) {
            let group = *src.pick(KEY_GROUPS);
            for at in spec.key_positions(&argv) {
                argv[at] = src.pick(group).to_vec();
            }
        }
    }
    // Lower case now and then (commands are case-insensitive).
    if src.below(8) == 0 {
        if let Some(first) = argv.first_mut() {
            first.make_ascii_lowercase();
        }
    }
    argv
}

/// A typed line: the argv quoted the way redis-cli prints it, or raw
/// bytes, sometimes with a repeat prefix.
fn line(src: &mut Source<'_>, profile: Profile) -> String {
    let text = match src.below(4) {
        0 => String::from_utf8_lossy(&src.bytes(24)).into_owned(),
        _ => {
            let argv = command(src, profile);
            let words: Vec<String> = argv
                .iter()
                .map(|a| {
                    if src.below(2) == 0 {
                        quote_repr(a)
                    } else {
                        String::from_utf8_lossy(a).into_owned()
                    }
                })
                .collect();
            words.join(" ")
        }
    };
    match src.below(10) {
        0 => format!("{} {text}", src.pick(&["2", "3", "0", "-1", "x"])),
        _ => text,
    }
}

/// One step.
pub fn op(src: &mut Source<'_>, profile: Profile) -> Op {
    match src.below(32) {
        0..=2 => Op::Tick(*src.pick(&[1, 10, 100, 1_000, 60_000, 86_400_000])),
        3 => Op::Reconnect {
            client: src.below(CLIENTS),
            port: *src.pick(&PORTS),
        },
        4..=8 => Op::Line {
            client: RAW_CLIENTS + src.below(CLIENTS - RAW_CLIENTS),
            line: line(src, profile),
        },
        _ => Op::Command {
            client: src.below(CLIENTS),
            argv: command(src, profile),
        },
    }
}

/// A whole session: at most `max_ops` steps.
pub fn session(src: &mut Source<'_>, profile: Profile, max_ops: usize) -> Vec<Op> {
    let mut ops = Vec::new();
    while !src.is_empty() && ops.len() < max_ops {
        ops.push(op(src, profile));
    }
    ops
}

/// What one step produced: the replies as redis-cli prints them, and the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub printed: Vec<String>,
    pub events: Vec<Event>,
}

/// Which invariants [`Run`] checks after every step.
#[derive(Debug, Clone, Copy)]
pub struct Checks {
    /// Every key lives on the master that owns its slot.
    pub ownership: bool,
    /// An EXEC that did not run (error or nil) changed no data.
    pub rejected_exec_is_noop: bool,
}

impl Checks {
    pub const ALL: Checks = Checks {
        ownership: true,
        rejected_exec_is_noop: true,
    };
}

/// A session being run: the cluster, the clients and the clock.
pub struct Run {
    pub cluster: Cluster,
    pub raw: Vec<ConnId>,
    pub cli: Vec<CliSession<ConnId>>,
    pub now_ms: u64,
    pub checks: Checks,
}

impl Run {
    /// A fresh default cluster, seeded, with the clients spread over nodes.
    pub fn new(seed: u64, checks: Checks) -> Run {
        let mut cluster = Cluster::default();
        cluster.seed(seed);
        let raw = (0..RAW_CLIENTS)
            .map(|i| cluster.connect(PORTS[i % 3]).expect("default ports exist"))
            .collect();
        let cli = vec![CliSession::new(7001, false), CliSession::new(7000, true)];
        Run {
            cluster,
            raw,
            cli,
            now_ms: 1_700_000_000_000,
            checks,
        }
    }

    /// Runs one step and checks the invariants.
    pub fn step(&mut self, op: &Op) -> StepResult {
        let mut result = StepResult {
            printed: Vec::new(),
            events: Vec::new(),
        };
        match op {
            Op::Tick(ms) => self.now_ms += ms,
            Op::Reconnect { client, port } => {
                if let Some(conn) = self.raw.get(*client).copied() {
                    self.cluster.disconnect(conn);
                    self.raw[*client] = self.cluster.connect(*port).expect("port exists");
                } else if let Some(session) = self.cli.get_mut(client - RAW_CLIENTS) {
                    let mut t = EngineTransport::new(&mut self.cluster, self.now_ms);
                    session.reconnect(&mut t, *port);
                }
            }
            Op::Command { client, argv } => {
                if let Some(conn) = self.raw.get(*client).copied() {
                    let before = self.exec_snapshot(conn, argv);
                    let outcome = self.cluster.execute(conn, argv, self.now_ms);
                    if let Some(before) = before {
                        if matches!(outcome.reply, Reply::Error(_) | Reply::NilArray) {
                            assert_eq!(
                                before,
                                data(&self.cluster, self.now_ms),
                                "a rejected EXEC ({:?}) changed data",
                                outcome.reply
                            );
                        }
                    }
                    result.printed.push(render(&outcome.reply, argv));
                    result.events = outcome.events;
                } else if let Some(session) = self.cli.get_mut(client - RAW_CLIENTS) {
                    let mut t = EngineTransport::new(&mut self.cluster, self.now_ms);
                    match session.send(&mut t, argv) {
                        Ok(exchange) => {
                            let _ = exchange.simplification();
                            result.printed.push(exchange.printed());
                        }
                        Err(message) => result.printed.push(message),
                    }
                    result.events = t.events;
                }
            }
            Op::Line { client, line } => {
                let count = self.cli.len();
                let session = &mut self.cli[(client - RAW_CLIENTS) % count];
                let mut t = EngineTransport::new(&mut self.cluster, self.now_ms);
                match session.run_line(&mut t, line) {
                    LineResult::Empty => {}
                    LineResult::Message(m) => result.printed.push(m),
                    LineResult::Exchanges(exchanges) => {
                        for exchange in exchanges {
                            result.printed.push(exchange.printed());
                        }
                    }
                }
                result.events = t.events;
                let _ = session.prompt();
            }
        }
        self.check();
        result
    }

    /// Before an EXEC on a connection inside MULTI: the data, so that a
    /// refused EXEC can be checked to have changed nothing.
    fn exec_snapshot(&self, conn: ConnId, argv: &[Vec<u8>]) -> Option<Data> {
        let is_exec = argv
            .first()
            .is_some_and(|a| a.eq_ignore_ascii_case(b"exec"));
        let in_multi = self
            .cluster
            .connection(conn)
            .is_some_and(|c| c.multi.is_some());
        (self.checks.rejected_exec_is_noop && is_exec && in_multi)
            .then(|| data(&self.cluster, self.now_ms))
    }

    /// The engine's invariants.
    pub fn check(&self) {
        let topology = &self.cluster.topology;
        for master in topology.masters().collect::<Vec<_>>() {
            let ks = self.cluster.keyspace_of(master);
            check_keyspace(ks);
            if self.checks.ownership {
                for key in ks.keys() {
                    let slot = key_slot(key);
                    assert_eq!(
                        topology.owner(slot),
                        Some(master),
                        "key {} (slot {slot}) is on {} but its slot is owned by {:?}",
                        quote_repr(key),
                        topology.nodes[master].port,
                        topology.owner(slot).map(|n| topology.nodes[n].port)
                    );
                }
            }
        }
    }
}

/// A keyspace's indexes agree with its entries.
pub fn check_keyspace(ks: &Keyspace) {
    let listed: Vec<&Vec<u8>> = ks.keys().collect();
    assert_eq!(listed.len(), ks.len(), "slot index and entries disagree");
    let counted: usize = ks.slot_counts().map(|(_, n)| n).sum();
    assert_eq!(counted, ks.len(), "slot counts and entries disagree");
    for key in listed {
        assert!(
            ks.contains(key),
            "indexed key {} has no entry",
            quote_repr(key)
        );
    }
}

/// All live data, per master port: what "changed nothing" compares.
pub type Data = BTreeMap<u16, BTreeMap<Vec<u8>, Entry>>;

/// The cluster's live data at `now_ms` (keys whose expiry has passed left out,
/// as the next command will purge them before anything else).
pub fn data(cluster: &Cluster, now_ms: u64) -> Data {
    let topology = &cluster.topology;
    topology
        .masters()
        .map(|m| {
            let ks = cluster.keyspace_of(m);
            let entries = ks
                .keys()
                .filter_map(|k| ks.get(k).map(|e| (k.clone(), e.clone())))
                .filter(|(_, e)| e.expires_at.is_none_or(|at| at > now_ms))
                .collect();
            (topology.nodes[m].port, entries)
        })
        .collect()
}

/// Every rendering of a reply (none may panic).
pub fn render(reply: &Reply, argv: &[Vec<u8>]) -> String {
    let resp = reply.to_resp();
    assert!(!resp.is_empty());
    reply.to_cli(argv)
}

/// Runs a whole session, returning every step's result.
pub fn run_session(seed: u64, ops: &[Op], checks: Checks) -> Vec<StepResult> {
    let mut run = Run::new(seed, checks);
    ops.iter().map(|op| run.step(op)).collect()
}

/// Fuzz target: the engine. The first 8 bytes seed the cluster, the rest
/// is a session of at most 48 steps with every command allowed.
pub fn fuzz_engine(data: &[u8]) {
    let mut src = Source::new(data);
    let seed = u64::from(src.u16());
    let ops = session(&mut src, Profile::Everything, 48);
    let checks = Checks {
        // CONFIG/CLUSTER commands may change ownership once slot commands
        // exist; `tests/properties.rs` checks ownership on data sessions.
        ownership: false,
        rejected_exec_is_noop: true,
    };
    run_session(seed, &ops, checks);
}

/// Fuzz target: redis-cli's line splitter. No panic, and every split line
/// quoted back the way redis-cli prints arguments splits to the same argv.
pub fn fuzz_split_args(data: &[u8]) {
    if let Some(args) = split_args(data) {
        let quoted: Vec<String> = args.iter().map(|a| quote_repr(a)).collect();
        let again = split_args(quoted.join(" ").as_bytes());
        assert_eq!(again.as_ref(), Some(&args), "quote/split round trip");
    }
}

/// Fuzz target: a typed line on a fresh `redis-cli -c` session (splitting,
/// the repeat prefix, redirects, printing).
pub fn fuzz_cli_line(data: &[u8]) {
    let line = String::from_utf8_lossy(data);
    let mut cluster = Cluster::default();
    let mut t = EngineTransport::new(&mut cluster, 0);
    let mut session: CliSession<ConnId> = CliSession::new(7000, true);
    if let LineResult::Exchanges(ex) = session.run_line(&mut t, &line) {
        for e in ex {
            let _ = e.printed();
            let _ = e.simplification();
        }
    }
    let _ = session.prompt();
}

/// Fuzz target: the share links (issue 7). The first byte picks the layer:
/// the whole link (`?query#fragment`, split at the first `#`), the encoded
/// session (`v1.…`: version, base64url, inflate with its caps) or the JSON
/// a session inflates to. No panic; whatever decodes re-encodes to a link
/// that decodes to the same session.
pub fn fuzz_permalink_decoder(data: &[u8]) {
    use slotlab::share::{self, Source};
    let Some((&layer, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let doc = match layer % 3 {
        0 => {
            let (query, fragment) = text.split_once('#').unwrap_or((&text, ""));
            match share::parse_link(query, fragment).source {
                Source::Session(doc) => Some(doc),
                _ => None,
            }
        }
        1 => share::decode(&text).ok(),
        _ => share::parse_json(rest).ok(),
    };
    if let Some(doc) = doc {
        let again = share::decode(&share::encode(&doc));
        assert_eq!(again.as_ref(), Ok(&doc), "encode/decode round trip");
    }
}
